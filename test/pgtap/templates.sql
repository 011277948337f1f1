-- Action templates: versioned definitions per workspace, and actions made from them through
-- create_action's rules.
--   * bad input when a template is saved: unknown or unclosed placeholders, a negative due rule,
--     a unit other than calendar days, unknown, retired or foreign types, assignee rules (pool
--     without candidates: test/pgtap/pools.sql), a non-member assignee, a foreign group, duplicate names (each refusal writes nothing);
--   * who: manage_workspace manages them; another workspace's template is not found, like a
--     missing id; members read templates and versions through row-level security;
--   * creation: placeholders filled in the workspace time zone, due rule, assignee rules (person,
--     creator, the record's owner or responsible party, nobody), overrides, create_action's rules
--     (create_actions, archived and foreign records, retired types), template and version on the
--     action and in its created log entry, log verified;
--   * versions: an edit adds a version; actions already made keep theirs; retiring a template.
BEGIN;

SELECT plan(113);

CREATE ROLE tp_owner LOGIN;
CREATE ROLE tp_user LOGIN;
CREATE ROLE tp_access LOGIN;   -- actions_access: may not create actions
CREATE ROLE tp_resp LOGIN;
CREATE ROLE tp_other LOGIN;
CREATE ROLE tp_scoped LOGIN;   -- sees only the actions and records of their groups, creates anywhere
SELECT actions.create_person('tp-owner@example.com', 'Olive Owner', 'tp_owner') AS owner,
       actions.create_person('tp-user@example.com', 'Uma User', 'tp_user') AS usr,
       actions.create_person('tp-access@example.com', 'Ada Access', 'tp_access') AS acc,
       actions.create_person('tp-resp@example.com', 'Rui Responsible', 'tp_resp') AS resp,
       actions.create_person('tp-other@example.com', 'Otto Other', 'tp_other') AS other,
       actions.create_person('tp-scoped@example.com', 'Sam Scoped', 'tp_scoped') AS scoped,
       actions.create_person('tp-stranger@example.com', 'Stan Stranger') AS stranger
\gset
-- A time zone far from UTC, so a date computed in UTC would differ for part of the day.
SELECT actions.create_workspace('Templates Co', 'Pacific/Kiritimati', owner_id => :owner) AS ws,
       actions.create_workspace('Other Co', owner_id => :other) AS other_ws
\gset
SELECT actions.add_member(:ws, :usr, 'user') \g /dev/null
SELECT actions.add_member(:ws, :acc, 'actions_access') \g /dev/null
SELECT actions.add_member(:ws, :resp, 'user') \g /dev/null

CREATE FUNCTION pg_temp.footprint() RETURNS text
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT format('actions=%s activity=%s templates=%s versions=%s', (SELECT count(*) FROM actions.action),
                  (SELECT count(*) FROM actions.activity),
                  (SELECT md5(string_agg(t::text, '|' ORDER BY t.template_id)) FROM actions.template t),
                  (SELECT count(*) FROM actions.template_version))
$$;
CREATE FUNCTION pg_temp.refused(call text, state text, message text, what text) RETURNS SETOF text
    LANGUAGE plpgsql AS $$
DECLARE
    before text := pg_temp.footprint();
BEGIN
    RETURN NEXT throws_ok(call, state::char(5), message, what);
    RETURN NEXT is(pg_temp.footprint(), before, what || ': nothing written');
END
$$;
-- The end of the day n days after today in the workspace time zone: a due rule's due_at.
CREATE FUNCTION pg_temp.due_after(n integer) RETURNS timestamptz
    LANGUAGE sql STABLE AS $$
    SELECT ((((now() AT TIME ZONE 'Pacific/Kiritimati')::date + n + 1)::timestamp AT TIME ZONE 'Pacific/Kiritimati')
            - interval '1 microsecond')
$$;

SET SESSION AUTHORIZATION tp_owner;
SELECT actions.create_action_type(:ws, 'attestation', 'Annual attestation') \g /dev/null
SELECT actions.create_action_type(:ws, 'old_kind', 'Old kind') \g /dev/null
SELECT actions.retire_action_type(:ws, 'old_kind') \g /dev/null
SELECT actions.create_group(:ws, 'Compliance') AS grp \gset
SELECT actions.create_record(:ws, 'Signing authority 2026') AS rec,
       actions.create_record(:ws, 'Archived policy') AS archived
\gset
SELECT actions.archive_record(:archived) \g /dev/null
SELECT actions.create_record(:ws, 'Board minutes', 'generic', ARRAY[:grp]::bigint[]) AS secret \gset
SELECT actions.create_role(:ws, 'scoped', ARRAY['view_actions:groups', 'create_actions']) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT actions.add_member(:ws, :scoped, 'scoped') \g /dev/null
SET SESSION AUTHORIZATION tp_other;
SELECT actions.create_record(:other_ws, 'Foreign') AS foreign_rec, actions.create_group(:other_ws, 'Foreign group') AS foreign_grp \gset
SELECT actions.create_template(:other_ws, 'Foreign', 'Foreign template') AS foreign_tpl \gset
RESET SESSION AUTHORIZATION;

-- =============================================================================================
-- 1. Saving a template.
SET SESSION AUTHORIZATION tp_owner;
SELECT actions.create_template(:ws, 'Annual attestation',
    'Attest {record_title} by {due_date}', type => 'attestation',
    description => '{workspace}: asked by {creator} on {created_on}; {{not a placeholder}',
    due_in => 30, priority => 'high', assignee_rule => 'record_party', assignee_capacity => 'owner') AS tpl \gset
SELECT results_eq(format('SELECT t.name, t.current_version, v.version, v.type, v.due_in, v.due_unit, v.assignee_rule, v.assignee_capacity FROM actions.template t JOIN actions.template_version v USING (workspace_id, template_id) WHERE t.template_id = %s', :tpl),
    $$ VALUES ('Annual attestation'::text, 1, 1, 'attestation'::text, 30, 'calendar_days'::text, 'record_party'::text, 'owner'::text) $$,
    'a new template is version 1 of its definition');

SELECT pg_temp.refused(format('SELECT actions.create_template(%s, %L, %L)', :ws, 'T', 'Hello {name}'), '22023',
    'unknown placeholder {name} in the title', 'an unknown placeholder in the title');
SELECT pg_temp.refused(format('SELECT actions.create_template(%s, %L, %L, description => %L)', :ws, 'T', 'Hello', 'Due {due}'), '22023',
    'unknown placeholder {due} in the description', 'an unknown placeholder in the description');
SELECT pg_temp.refused(format('SELECT actions.create_template(%s, %L, %L)', :ws, 'T', 'Due {due_date'), '22023',
    'the title has a "{" that is not closed', 'a placeholder left open');
SELECT pg_temp.refused(format('SELECT actions.create_template(%s, %L, %L, due_in => -1)', :ws, 'T', 'Hello'), '22023',
    'due_in must not be negative', 'negative due days');
SELECT pg_temp.refused(format('SELECT actions.create_template(%s, %L, %L, due_in => 5, due_unit => %L)', :ws, 'T', 'Hello', 'working_days'), '55000',
    'the template''s due rule counts working days but the workspace has no business calendar',
    'working days need the workspace''s business calendar (test/pgtap/procedures.sql counts them)');
SELECT pg_temp.refused(format('SELECT actions.create_template(%s, %L, %L, due_in => 5, due_unit => %L)', :ws, 'T', 'Hello', 'fortnights'), '22023',
    'unknown due unit "fortnights"', 'an unknown unit');
SELECT pg_temp.refused(format('SELECT actions.create_template(%s, %L, %L, type => %L)', :ws, 'T', 'Hello', 'nosuch'), '22023',
    'unknown action type "nosuch"', 'an unknown type');
SELECT pg_temp.refused(format('SELECT actions.create_template(%s, %L, %L, type => %L)', :ws, 'T', 'Hello', 'old_kind'), '55000',
    'action type "old_kind" is retired', 'a retired type');
SELECT pg_temp.refused(format('SELECT actions.create_template(%s, %L, %L, assignee_rule => %L)', :ws, 'T', 'Hello', 'pool'), '22023',
    'assignee rule pool needs candidates', 'the assignee rule pool without candidates (actions.set_template_pool() names them)');
SELECT pg_temp.refused(format('SELECT actions.create_template(%s, %L, %L, assignee_rule => %L)', :ws, 'T', 'Hello', 'person'), '22023',
    'assignee rule person needs assignee_id', 'the rule person without a person');
SELECT pg_temp.refused(format('SELECT actions.create_template(%s, %L, %L, assignee_rule => %L, assignee_capacity => %L)', :ws, 'T', 'Hello', 'record_party', 'informed'), '22023',
    'capacity "informed" cannot assign an action', 'a capacity that cannot assign');
SELECT pg_temp.refused(format('SELECT actions.create_template(%s, %L, %L, assignee_rule => %L, assignee_id => %s)', :ws, 'T', 'Hello', 'person', :stranger), '22023',
    format('person %s is not a member of workspace %s', :stranger, :ws), 'a person who is not a member');
SELECT pg_temp.refused(format('SELECT actions.create_template(%s, %L, %L, group_ids => ARRAY[%s]::bigint[])', :ws, 'T', 'Hello', :foreign_grp), 'P0002',
    NULL, 'a group of another workspace');
SELECT pg_temp.refused(format('SELECT actions.create_template(%s, %L, %L, priority => %L)', :ws, 'T', 'Hello', 'urgent'), '22023',
    'invalid priority "urgent"', 'an unknown priority');
SELECT pg_temp.refused(format('SELECT actions.create_template(%s, %L, %L)', :ws, ' ', 'Hello'), '22023',
    'a template needs a name', 'a blank name');
SELECT pg_temp.refused(format('SELECT actions.create_template(%s, %L, %L)', :ws, 'Annual attestation', 'Hello'), '23505',
    'a template named "Annual attestation" already exists', 'a name in use');
SELECT actions.create_template(:ws, 'Creator', 'Do it', assignee_rule => 'creator', group_ids => ARRAY[:grp]::bigint[]) AS by_creator,
       actions.create_template(:ws, 'Person', 'Do it for {creator}', assignee_rule => 'person', assignee_id => :usr) AS by_person,
       actions.create_template(:ws, 'Responsible', 'Review {record_title}', type => 'review', assignee_rule => 'record_party', assignee_capacity => 'responsible') AS by_resp,
       actions.create_template(:ws, 'Dated', 'Due {due_date}') AS dated
\gset
RESET SESSION AUTHORIZATION;

-- =============================================================================================
-- 2. Who.
SET SESSION AUTHORIZATION tp_user;
SELECT pg_temp.refused(format('SELECT actions.create_template(%s, %L, %L)', :ws, 'Mine', 'Hello'), '42501',
    'permission denied to manage workspace', 'a user without manage_workspace cannot create a template');
SELECT pg_temp.refused(format('SELECT actions.update_template(%s, title => %L)', :tpl, 'Mine'), '42501',
    'permission denied to manage workspace', 'nor edit one');
SELECT pg_temp.refused(format('SELECT actions.retire_template(%s)', :tpl), '42501',
    'permission denied to manage workspace', 'nor retire one');
SELECT is((SELECT count(*) FROM actions.template), 5::bigint, 'a member reads the workspace''s five templates, not another''s');
SELECT is((SELECT count(*) FROM actions.template_version), 5::bigint, '... and their versions');
SELECT pg_temp.refused(format('SELECT actions.create_action_from_template(%s)', :foreign_tpl), 'P0002',
    format('template %s not found', :foreign_tpl), 'another workspace''s template is not found');
SELECT pg_temp.refused('SELECT actions.create_action_from_template(987654321)', 'P0002',
    'template 987654321 not found', '... exactly like a missing one');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tp_other;
SELECT is((SELECT count(*) FROM actions.template WHERE workspace_id = :ws), 0::bigint,
    'someone outside the workspace reads none of its templates');
SELECT pg_temp.refused(format('SELECT actions.update_template(%s, title => %L)', :tpl, 'Taken over'), 'P0002',
    format('template %s not found', :tpl), 'another workspace''s owner cannot edit it: not found');
SELECT pg_temp.refused(format('SELECT actions.retire_template(%s)', :tpl), 'P0002',
    format('template %s not found', :tpl), '... nor retire it');
SELECT pg_temp.refused(format('SELECT actions.create_template(%s, %L, %L)', :ws, 'Intruder', 'Hello'), 'P0002',
    format('workspace %s not found', :ws), '... nor create one there');
RESET SESSION AUTHORIZATION;

-- =============================================================================================
-- 3. Making actions.
SET SESSION AUTHORIZATION tp_user;
SELECT actions.create_action_from_template(:tpl, :rec) AS a1 \gset
RESET SESSION AUTHORIZATION;
SELECT results_eq(format('SELECT title, description, type, priority, owner_id, assignee_id, due_at, record_id, template_id, template_version FROM actions.action WHERE action_id = %s', :a1),
    format($$ VALUES (%L::text, %L::text, 'attestation'::text, 'high'::text, %s::bigint, %s::bigint, pg_temp.due_after(30), %s::bigint, %s::bigint, 1) $$,
           'Attest Signing authority 2026 by ' || to_char(pg_temp.due_after(30) AT TIME ZONE 'Pacific/Kiritimati', 'YYYY-MM-DD'),
           'Templates Co: asked by Uma User on ' || to_char(now() AT TIME ZONE 'Pacific/Kiritimati', 'YYYY-MM-DD') || '; {not a placeholder}',
           :usr, :owner, :rec, :tpl),
    'placeholders filled in the workspace time zone, due in 30 calendar days, assigned to the record''s owner, template and version recorded');
SELECT results_eq(format($$SELECT detail->>'template_id', detail->>'template_version', detail->>'type' FROM actions.activity WHERE action_id = %s AND event = 'created'$$, :a1),
    format($$ VALUES (%L::text, '1'::text, 'attestation'::text) $$, :tpl),
    'the created log entry names the template and version');

SET SESSION AUTHORIZATION tp_user;
SELECT actions.create_action(:ws, 'Plain') AS plain,
       actions.create_action_from_template(:by_creator) AS a_creator,
       actions.create_action_from_template(:by_person) AS a_person,
       actions.create_action_from_template(:by_resp, :rec) AS a_nobody
\gset
RESET SESSION AUTHORIZATION;
SELECT is((SELECT detail ? 'template_id' FROM actions.activity WHERE action_id = :plain AND event = 'created'), false,
    'a plain action''s created entry says nothing of templates');
SELECT results_eq(format('SELECT action_id, assignee_id, group_ids, type FROM actions.action WHERE action_id IN (%s, %s, %s) ORDER BY action_id', :a_creator, :a_person, :a_nobody),
    format($$ VALUES (%s::bigint, %s::bigint, ARRAY[%s]::bigint[], 'task'::text), (%s, %s, ARRAY[%s]::bigint[], 'task'), (%s, NULL, '{}', 'review') $$,
           :a_creator, :usr, :grp, :a_person, :usr, '', :a_nobody),
    'the rules creator and person assign; a record without a responsible party leaves the action unassigned; groups come from the template');
SELECT is((SELECT title FROM actions.action WHERE action_id = :a_person), 'Do it for Uma User', '{creator} is the acting person''s name');

SET SESSION AUTHORIZATION tp_owner;
SELECT actions.add_party(:rec, 'responsible', :resp) \g /dev/null
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tp_user;
SELECT actions.create_action_from_template(:by_resp, :rec) AS a_resp \gset
SELECT is((SELECT assignee_id FROM actions.action WHERE action_id = :a_resp), :resp::bigint,
    'the rule record_party responsible assigns the record''s responsible party');
SELECT actions.create_action_from_template(:tpl, :rec, title => 'Literal {braces}', assignee_id => :resp,
    due_on => '2030-06-30', priority => 'low', group_ids => ARRAY[:grp]::bigint[]) AS a_over \gset
RESET SESSION AUTHORIZATION;
SELECT results_eq(format($$SELECT title, assignee_id, due_at, priority, group_ids, template_version FROM actions.action WHERE action_id = %s$$, :a_over),
    format($$ VALUES ('Literal {braces}'::text, %s::bigint, '2030-06-30 23:59:59.999999 Pacific/Kiritimati'::timestamptz, 'low'::text, ARRAY[%s]::bigint[], 1) $$, :resp, :grp),
    'overrides win: a title as given (no placeholders), assignee, due date, priority, groups');
SELECT is((SELECT description FROM actions.action WHERE action_id = :a_over) LIKE '%%{not a placeholder}', true,
    '... and the description not overridden is still filled');

SET SESSION AUTHORIZATION tp_user;
SELECT pg_temp.refused(format('SELECT actions.create_action_from_template(%s)', :tpl), '22023',
    'the template''s title uses {record_title}, which has no value here', '{record_title} without a record');
SELECT pg_temp.refused(format('SELECT actions.create_action_from_template(%s)', :by_resp), '22023',
    'the template''s title uses {record_title}, which has no value here', 'a template of the record needs one');
SELECT pg_temp.refused(format('SELECT actions.create_action_from_template(%s, title => %L)', :by_resp, 'Given'), '22023',
    'the template assigns the record''s responsible, and no record was given', 'the rule record_party without a record');
SELECT pg_temp.refused(format('SELECT actions.create_action_from_template(%s)', :dated), '22023',
    'the template''s title uses {due_date}, which has no value here', '{due_date} without a due date');
SELECT lives_ok(format('SELECT actions.create_action_from_template(%s, due_on => %L)', :dated, '2031-01-02'),
    '... which a due date passed in fills');
SELECT pg_temp.refused(format('SELECT actions.create_action_from_template(%s, %s)', :tpl, :archived), '55000',
    format('record %s is archived', :archived), 'an archived record takes no new actions, as with create_action');
SELECT pg_temp.refused(format('SELECT actions.create_action_from_template(%s, %s)', :tpl, :foreign_rec), 'P0002',
    format('record %s not found', :foreign_rec), 'a record of another workspace is not found');
SELECT pg_temp.refused(format('SELECT actions.create_action_from_template(%s, %s, due_at => now(), due_on => %L)', :tpl, :rec, '2030-01-01'), '22023',
    'pass due_at or due_on, not both', 'create_action''s own rules apply');
SELECT pg_temp.refused(format('SELECT actions.create_action_from_template(%s, %s, assignee_id => %s)', :tpl, :rec, :stranger), '22023',
    format('person %s is not a member of workspace %s', :stranger, :ws), 'an assignee who is not a member');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tp_scoped;
SELECT pg_temp.refused(format('SELECT actions.create_action_from_template(%s, %s)', :by_resp, :secret), 'P0002',
    format('record %s not found', :secret), 'a record''s title is not filled in for someone who may not see the record');
SELECT pg_temp.refused(format('SELECT actions.create_action_from_template(%s, %s, title => %L)', :by_resp, :secret, 'Review the minutes'), 'P0002',
    format('record %s not found', :secret), '... nor link an action to it when the title is given, as with create_action');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tp_access;
SELECT pg_temp.refused(format('SELECT actions.create_action_from_template(%s)', :by_creator), '42501',
    'permission denied to create action', 'a member who may not create actions may not use a template either');
RESET SESSION AUTHORIZATION;

-- =============================================================================================
-- 4. Versions.
SET SESSION AUTHORIZATION tp_owner;
SELECT is(actions.update_template(:tpl, title => 'Re-attest {record_title}', due_in => 10, priority => 'medium'), 2,
    'an edit makes version 2');
SELECT pg_temp.refused(format('SELECT actions.update_template(%s, title => %L)', :tpl, 'Bad {x}'), '22023',
    'unknown placeholder {x} in the title', 'an edit is checked like a new template');
SELECT pg_temp.refused(format('SELECT actions.update_template(%s, type => %L)', :tpl, 'old_kind'), '55000',
    'action type "old_kind" is retired', 'an edit cannot pick a retired type');
SELECT pg_temp.refused(format('SELECT actions.update_template(%s, name => %L)', :tpl, 'Creator'), '23505',
    'a template named "Creator" already exists', 'an edit cannot take another template''s name');
SELECT pg_temp.refused(format('SELECT actions.update_template(%s, due_in => -3)', :tpl), '22023',
    'due_in must not be negative', 'negative due days in an edit');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tp_user;
SELECT actions.create_action_from_template(:tpl, :rec) AS a2 \gset
RESET SESSION AUTHORIZATION;
SELECT results_eq(format('SELECT action_id, title, template_version, priority, due_at FROM actions.action WHERE action_id IN (%s, %s) ORDER BY action_id', :a1, :a2),
    format($$ VALUES (%s::bigint, %L::text, 1, 'high'::text, pg_temp.due_after(30)), (%s, 'Re-attest Signing authority 2026', 2, 'medium', pg_temp.due_after(10)) $$,
           :a1, 'Attest Signing authority 2026 by ' || to_char(pg_temp.due_after(30) AT TIME ZONE 'Pacific/Kiritimati', 'YYYY-MM-DD'), :a2),
    'the action made before the edit keeps version 1; the new one is made from version 2');
SELECT results_eq(format('SELECT version, title, due_in FROM actions.template_version WHERE template_id = %s ORDER BY version', :tpl),
    $$ VALUES (1, 'Attest {record_title} by {due_date}'::text, 30), (2, 'Re-attest {record_title}', 10) $$,
    'both versions are kept');
SELECT is((SELECT current_version FROM actions.template WHERE template_id = :tpl), 2, 'the template points at version 2');
SET SESSION AUTHORIZATION tp_owner;
SELECT is(actions.update_template(:tpl, clear_due => true, assignee_rule => 'creator'), 3, 'clearing the due rule and changing the assignee rule: version 3');
RESET SESSION AUTHORIZATION;
SELECT results_eq(format('SELECT due_in, assignee_rule, assignee_capacity FROM actions.template_version WHERE template_id = %s AND version = 3', :tpl),
    $$ VALUES (NULL::integer, 'creator'::text, NULL::text) $$, 'version 3 has no due rule and the rule creator');

-- A retired type stops the templates that use it.
SET SESSION AUTHORIZATION tp_owner;
SELECT actions.retire_action_type(:ws, 'attestation') \g /dev/null
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tp_user;
SELECT pg_temp.refused(format('SELECT actions.create_action_from_template(%s, %s)', :tpl, :rec), '55000',
    'action type "attestation" is retired', 'a template of a retired type makes no actions');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tp_owner;
SELECT lives_ok(format('SELECT actions.update_template(%s, type => %L)', :tpl, 'task'), 'the template is moved to another type');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tp_user;
SELECT lives_ok(format('SELECT actions.create_action_from_template(%s, %s)', :tpl, :rec), '... and makes actions again');
RESET SESSION AUTHORIZATION;

-- Retiring a template.
SET SESSION AUTHORIZATION tp_owner;
SELECT lives_ok(format('SELECT actions.retire_template(%s)', :by_creator), 'the owner retires a template');
SELECT pg_temp.refused(format('SELECT actions.update_template(%s, title => %L)', :by_creator, 'Again'), '55000',
    format('template %s is retired', :by_creator), 'a retired template is not edited');
SELECT lives_ok(format('SELECT actions.create_template(%s, %L, %L)', :ws, 'Creator', 'Do it anew'), 'its name is free again');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION tp_user;
SELECT pg_temp.refused(format('SELECT actions.create_action_from_template(%s)', :by_creator), '55000',
    format('template %s is retired', :by_creator), 'a retired template makes no actions');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT template_version FROM actions.action WHERE action_id = :a_creator), 1, 'its actions stay as they are');

-- A group a template in use names is not deleted.
SET SESSION AUTHORIZATION tp_owner;
SELECT actions.create_group(:ws, 'Audit') AS audit_grp \gset
SELECT actions.create_template(:ws, 'Audit', 'Audit', group_ids => ARRAY[:audit_grp]::bigint[]) AS audit_tpl \gset
SELECT throws_ok(format('SELECT actions.delete_group(%s)', :audit_grp), '55000',
    format('group %s still has templates', :audit_grp), 'a group a template in use names is not deleted');
SELECT actions.retire_template(:audit_tpl) \g /dev/null
SELECT lives_ok(format('SELECT actions.delete_group(%s)', :audit_grp), '... once the template is retired it is');
RESET SESSION AUTHORIZATION;

-- =============================================================================================
-- 5. The log and the row.
SELECT throws_ok(format('UPDATE actions.action SET template_version = 2 WHERE action_id = %s', :a1), '42501',
    'cannot change template_version of an action', 'the template version is fixed at creation');
SELECT is_empty(format('SELECT * FROM actions.verify_log(%s)', :ws), 'the log of every action made from a template verifies');
SET session_replication_role = replica;
UPDATE actions.action SET template_version = 2 WHERE action_id = :a1;
RESET session_replication_role;
SELECT results_eq(format('SELECT action_id, problem FROM actions.verify_log(%s)', :ws),
    format($$ VALUES (%s::bigint, 'template of the row differs from its log'::text) $$, :a1),
    'verify_log reports a template version changed behind the triggers'' back');

SELECT * FROM finish();
ROLLBACK;
