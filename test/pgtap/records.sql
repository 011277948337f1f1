-- Records: kinds, parties with capacities, and what a capacity unlocks on the record's actions.
--   * custom kinds: create (manage_workspace), duplicate 23505, bad names 22023, delete rules
--     (built-ins stay 22023, in use 55000, unknown P0002); create_record with an unknown kind;
--   * parties: capacity names and kinds (issuer/recipient on delegations, consulted/informed on
--     decisions), only shared may be a group, parties are members, who may change them;
--   * capacities: an actions_access member (who sees nothing by role) as shared, responsible or
--     owner party: can() on the record's actions follows core::capacity_grants(), row-level
--     security shows exactly the can('view') set, a shared group covers its subgroups' members.
BEGIN;

SELECT plan(86);

CREATE ROLE rc_owner LOGIN;     -- workspace owner
CREATE ROLE rc_user LOGIN;      -- system role user (no edit_actions, no manage_workspace)
CREATE ROLE rc_creator LOGIN;   -- system role user, creates a record (its owner party)
CREATE ROLE rc_shared LOGIN;    -- actions_access, shared party
CREATE ROLE rc_resp LOGIN;      -- actions_access, responsible party
CREATE ROLE rc_own LOGIN;       -- actions_access, owner party
CREATE ROLE rc_sub LOGIN;       -- actions_access, member of a subgroup of a shared group
CREATE ROLE rc_none LOGIN;      -- actions_access, no party
CREATE ROLE rc_issuer LOGIN;    -- actions_access, issuer of a delegation
SELECT actions.create_person('rc-owner@example.com', 'Owner', 'rc_owner') AS owner,
       actions.create_person('rc-user@example.com', 'User', 'rc_user') AS usr,
       actions.create_person('rc-creator@example.com', 'Creator', 'rc_creator') AS creator,
       actions.create_person('rc-shared@example.com', 'Shared', 'rc_shared') AS shared,
       actions.create_person('rc-resp@example.com', 'Responsible', 'rc_resp') AS resp,
       actions.create_person('rc-own@example.com', 'Own', 'rc_own') AS own,
       actions.create_person('rc-sub@example.com', 'Sub', 'rc_sub') AS sub,
       actions.create_person('rc-none@example.com', 'None', 'rc_none') AS nobody,
       actions.create_person('rc-issuer@example.com', 'Issuer', 'rc_issuer') AS issuer,
       actions.create_person('rc-stranger@example.com', 'Stranger') AS stranger,
       actions.create_person('rc-gone@example.com', 'Gone') AS gone
\gset
SELECT actions.create_workspace('Records Co', owner_id => :owner) AS ws \gset
SELECT actions.add_member(:ws, :usr, 'user') \g /dev/null
SELECT actions.add_member(:ws, :creator, 'user') \g /dev/null
SELECT actions.add_member(:ws, :shared, 'actions_access') \g /dev/null
SELECT actions.add_member(:ws, :resp, 'actions_access') \g /dev/null
SELECT actions.add_member(:ws, :own, 'actions_access') \g /dev/null
SELECT actions.add_member(:ws, :sub, 'actions_access') \g /dev/null
SELECT actions.add_member(:ws, :nobody, 'actions_access') \g /dev/null
SELECT actions.add_member(:ws, :issuer, 'actions_access') \g /dev/null
SELECT actions.add_member(:ws, :gone, 'user') \g /dev/null
UPDATE actions.member SET state = 'removed' WHERE workspace_id = :ws AND person_id = :gone;

-- =============================================================================================
-- 1. Kinds.
SELECT results_eq(format('SELECT kind, is_system FROM actions.record_kind WHERE workspace_id = %s ORDER BY kind', :ws),
    $$ VALUES ('decision'::text, true), ('delegation', true), ('document', true), ('generic', true), ('matrix', true) $$,
    'a new workspace has the five built-in kinds');
SET SESSION AUTHORIZATION rc_owner;
SELECT lives_ok(format('SELECT actions.create_record_kind(%s, %L)', :ws, 'policy'), 'the owner adds a custom kind');
SELECT throws_ok(format('SELECT actions.create_record_kind(%s, %L)', :ws, 'policy'), '23505', NULL,
    'the same custom kind again is a unique violation');
SELECT throws_ok(format('SELECT actions.create_record_kind(%s, %L)', :ws, 'Policy'), '22023', NULL, 'uppercase kind name: 22023');
SELECT throws_ok(format('SELECT actions.create_record_kind(%s, %L)', :ws, '1policy'), '22023', NULL, 'kind starting with a digit: 22023');
SELECT throws_ok(format('SELECT actions.create_record_kind(%s, %L)', :ws, 'my kind'), '22023', NULL, 'kind with a space: 22023');
SELECT throws_ok(format('SELECT actions.create_record_kind(%s, %L)', :ws, ''), '22023', NULL, 'empty kind: 22023');
SELECT throws_ok(format('SELECT actions.create_record_kind(%s, %L)', :ws, repeat('k', 64)), '22023', NULL, 'kind of 64 characters: 22023');
SELECT throws_ok(format('SELECT actions.create_record_kind(%s, %L)', :ws, 'decision'), '22023', NULL,
    'a built-in name as custom kind: 22023');
SELECT lives_ok(format('SELECT actions.create_record_kind(%s, %L)', :ws, 'unused_1'), 'a kind with digits and underscore');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT is_system FROM actions.record_kind WHERE workspace_id = :ws AND kind = 'policy'), false,
    'a custom kind is not a system kind');

SET SESSION AUTHORIZATION rc_user;
SELECT throws_ok(format('SELECT actions.create_record_kind(%s, %L)', :ws, 'memo'), '42501', NULL,
    'a user without manage_workspace cannot add a kind');
SELECT throws_ok(format('SELECT actions.delete_record_kind(%s, %L)', :ws, 'unused_1'), '42501', NULL,
    'a user without manage_workspace cannot delete a kind');
SELECT throws_ok(format('SELECT actions.create_record(%s, %L, %L)', :ws, 'T', 'nosuch'), '22023', NULL,
    'create_record with an unknown (well-formed) kind: 22023');
SELECT throws_ok(format('SELECT actions.create_record(%s, %L, %L)', :ws, 'T', 'No Such Kind'), '22023', NULL,
    'create_record with an unknown, malformed kind: 22023');
SELECT actions.create_record(:ws, 'Privacy policy', 'policy') AS policy_rec \gset
RESET SESSION AUTHORIZATION;
SELECT is((SELECT kind FROM actions.record WHERE record_id = :policy_rec), 'policy', 'a record of the custom kind');

SET SESSION AUTHORIZATION rc_owner;
SELECT throws_ok(format('SELECT actions.delete_record_kind(%s, %L)', :ws, 'policy'), '55000', NULL,
    'a kind in use is not deleted');
SELECT throws_ok(format('SELECT actions.delete_record_kind(%s, %L)', :ws, 'decision'), '22023', NULL,
    'a built-in kind is not deleted');
SELECT throws_ok(format('SELECT actions.delete_record_kind(%s, %L)', :ws, 'nokind'), 'P0002', NULL,
    'an unknown kind: P0002');
SELECT lives_ok(format('SELECT actions.delete_record_kind(%s, %L)', :ws, 'unused_1'), 'an unused custom kind is deleted');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM actions.record_kind WHERE workspace_id = :ws AND kind = 'unused_1'), 0::bigint,
    '... and is gone');

-- =============================================================================================
-- 2. Parties.
SET SESSION AUTHORIZATION rc_owner;
SELECT actions.create_record(:ws, 'Board decision', 'decision') AS decision,
       actions.create_record(:ws, 'Signing authority', 'delegation') AS delegation,
       actions.create_record(:ws, 'Handbook', 'document') AS document,
       actions.create_record(:ws, 'Project', 'generic') AS generic
\gset
SELECT actions.create_group(:ws, 'Team') AS team \gset
SELECT actions.create_group(:ws, 'Subteam', :team) AS subteam \gset
SELECT actions.create_group(:ws, 'Elsewhere') AS elsewhere \gset
SELECT actions.add_group_member(:subteam, :sub) \g /dev/null
SELECT actions.add_group_member(:elsewhere, :nobody) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT results_eq(format('SELECT kind, workflow_state FROM actions.record WHERE record_id IN (%s, %s, %s, %s) ORDER BY record_id',
                         :decision, :delegation, :document, :generic),
    $$ VALUES ('decision'::text, NULL::text), ('delegation', 'draft'), ('document', 'draft'), ('generic', NULL) $$,
    'delegations and documents start as drafts');
SELECT results_eq(format('SELECT capacity, person_id FROM actions.record_party WHERE record_id = %s', :decision),
    format('VALUES (%L::text, %s::bigint)', 'owner', :owner), 'the creator is the record''s owner party');

SET SESSION AUTHORIZATION rc_owner;
SELECT throws_ok(format('SELECT actions.add_party(%s, %L, %s)', :decision, 'issuer', :usr), '22023', NULL,
    'issuer on a decision: 22023');
SELECT throws_ok(format('SELECT actions.add_party(%s, %L, %s)', :generic, 'recipient', :usr), '22023', NULL,
    'recipient on a generic record: 22023');
SELECT throws_ok(format('SELECT actions.add_party(%s, %L, %s)', :delegation, 'consulted', :usr), '22023', NULL,
    'consulted on a delegation: 22023');
SELECT throws_ok(format('SELECT actions.add_party(%s, %L, %s)', :document, 'informed', :usr), '22023', NULL,
    'informed on a document: 22023');
SELECT throws_ok(format('SELECT actions.add_party(%s, %L, %s)', :generic, 'boss', :usr), '22023', NULL,
    'an unknown capacity: 22023');
SELECT lives_ok(format('SELECT actions.add_party(%s, %L, %s)', :delegation, 'issuer', :issuer), 'issuer on a delegation');
SELECT lives_ok(format('SELECT actions.add_party(%s, %L, %s)', :delegation, 'recipient', :usr), 'recipient on a delegation');
SELECT lives_ok(format('SELECT actions.add_party(%s, %L, %s)', :decision, 'consulted', :usr), 'consulted on a decision');
SELECT lives_ok(format('SELECT actions.add_party(%s, %L, %s)', :document, 'approver', :usr), 'approver on a document');
SELECT lives_ok(format('SELECT actions.add_party(%s, %L, %s)', :document, 'reviewer', :usr), 'reviewer on a document');
SELECT throws_ok(format('SELECT actions.add_party(%s, %L, group_id => %s)', :generic, 'responsible', :team), '22023', NULL,
    'a group as responsible: 22023');
SELECT throws_ok(format('SELECT actions.add_party(%s, %L, group_id => %s)', :generic, 'owner', :team), '22023', NULL,
    'a group as owner: 22023');
SELECT throws_ok(format('SELECT actions.add_party(%s, %L)', :generic, 'shared'), '22023', NULL,
    'neither person nor group: 22023');
SELECT throws_ok(format('SELECT actions.add_party(%s, %L, %s, %s)', :generic, 'shared', :usr, :team), '22023', NULL,
    'both person and group: 22023');
SELECT throws_ok(format('SELECT actions.add_party(%s, %L, %s)', :generic, 'shared', :stranger), '22023', NULL,
    'a person who is no member: 22023');
SELECT throws_ok(format('SELECT actions.add_party(%s, %L, %s)', :generic, 'shared', :gone), '22023', NULL,
    'a removed member: 22023');
SELECT lives_ok(format('SELECT actions.add_party(%s, %L, %s)', :generic, 'shared', :usr), 'a person as shared party');
SELECT lives_ok(format('SELECT actions.add_party(%s, %L, %s)', :generic, 'shared', :usr), 'adding the same party again is harmless');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM actions.record_party WHERE record_id = :generic AND capacity = 'shared' AND person_id = :usr),
    1::bigint, '... and it is there once');

-- A plain user who is not the record's owner party may not change parties; its owner party may.
SET SESSION AUTHORIZATION rc_user;
SELECT throws_ok(format('SELECT actions.add_party(%s, %L, %s)', :generic, 'reviewer', :creator), '42501', NULL,
    'a user who is no owner party cannot add parties');
SELECT throws_ok(format('SELECT actions.remove_party(%s, %L, %s)', :generic, 'shared', :usr), '42501', NULL,
    'a user who is no owner party cannot remove parties');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION rc_creator;
SELECT actions.create_record(:ws, 'Creator''s record', 'generic') AS creators \gset
SELECT lives_ok(format('SELECT actions.add_party(%s, %L, %s)', :creators, 'reviewer', :usr),
    'the owner party (a user) adds a party to their record');
SELECT lives_ok(format('SELECT actions.add_party(%s, %L, %s)', :creators, 'owner', :usr), '... and a second owner');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION rc_user;
SELECT lives_ok(format('SELECT actions.add_party(%s, %L, %s)', :creators, 'responsible', :resp),
    'a user made owner party may now add parties');
SELECT lives_ok(format('SELECT actions.remove_party(%s, %L, %s)', :creators, 'responsible', :resp), '... and remove them');
RESET SESSION AUTHORIZATION;
SELECT set_eq(format('SELECT capacity, person_id FROM actions.record_party WHERE record_id = %s', :creators),
    format('VALUES (%L::text, %s::bigint), (%L, %s), (%L, %s)', 'owner', :creator, 'owner', :usr, 'reviewer', :usr),
    'the parties of the creator''s record');

-- =============================================================================================
-- 3. What capacities unlock: the actions_access members see nothing by role.
SET SESSION AUTHORIZATION rc_owner;
SELECT actions.create_record(:ws, 'Shared project', 'generic') AS proj \gset
SELECT actions.create_action(:ws, 'Assigned on the project', assignee_id => :usr, record_id => :proj) AS p_assigned,
       actions.create_action(:ws, 'Unassigned on the project', record_id => :proj) AS p_open,
       actions.create_action(:ws, 'Elsewhere', assignee_id => :usr) AS unrelated
\gset
SELECT actions.add_party(:proj, 'shared', :shared) \g /dev/null
SELECT actions.add_party(:proj, 'responsible', :resp) \g /dev/null
SELECT actions.add_party(:proj, 'owner', :own) \g /dev/null
SELECT actions.add_party(:proj, 'shared', group_id => :team) \g /dev/null
RESET SESSION AUTHORIZATION;

CREATE TEMP TABLE all_actions AS SELECT action_id FROM actions.action WHERE workspace_id = :ws;
GRANT SELECT ON all_actions TO PUBLIC;
-- The answers of can() on the two project actions, for the acting person.
CREATE FUNCTION pg_temp.answers(a bigint, b bigint) RETURNS text LANGUAGE sql AS $$
    SELECT string_agg(v || '=' || actions.can(v, a)::text || '/' || actions.can(v, b)::text, ' ' ORDER BY o)
      FROM unnest(ARRAY['view', 'start', 'complete', 'edit', 'cancel', 'assign', 'reassign', 'delete']) WITH ORDINALITY AS u (v, o)
$$;
CREATE FUNCTION pg_temp.rls_matches_can() RETURNS boolean LANGUAGE sql AS $$
    SELECT (SELECT coalesce(array_agg(action_id ORDER BY action_id), '{}') FROM actions.action)
         = (SELECT coalesce(array_agg(action_id ORDER BY action_id), '{}') FROM pg_temp.all_actions WHERE actions.can('view', action_id))
$$;
CREATE FUNCTION pg_temp.seen() RETURNS bigint[] LANGUAGE sql AS $$
    SELECT coalesce(array_agg(action_id ORDER BY action_id), '{}') FROM actions.action
$$;

SET SESSION AUTHORIZATION rc_none;
SELECT is(pg_temp.answers(:p_assigned, :p_open),
    'view=false/false start=false/false complete=false/false edit=false/false cancel=false/false assign=false/false reassign=false/false delete=false/false',
    'no party: nothing on the record''s actions');
SELECT is(pg_temp.seen(), '{}'::bigint[], '... and sees no action');
SELECT ok(pg_temp.rls_matches_can(), '... row-level security agrees with can(view)');
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION rc_shared;
SELECT is(pg_temp.answers(:p_assigned, :p_open),
    'view=true/true start=false/false complete=false/false edit=false/false cancel=false/false assign=false/false reassign=false/false delete=false/false',
    'shared party: views the record''s actions, nothing more');
SELECT is(pg_temp.seen(), ARRAY[:p_assigned, :p_open]::bigint[], '... sees exactly the record''s actions');
SELECT ok(pg_temp.rls_matches_can(), '... row-level security agrees with can(view)');
SELECT is(actions.can('view', :unrelated), false, '... not an action outside the record');
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION rc_resp;
SELECT is(pg_temp.answers(:p_assigned, :p_open),
    'view=true/true start=true/true complete=true/true edit=false/false cancel=false/false assign=false/false reassign=false/false delete=false/false',
    'responsible party: views, starts and completes the record''s actions');
SELECT is(pg_temp.seen(), ARRAY[:p_assigned, :p_open]::bigint[], '... sees exactly the record''s actions');
SELECT ok(pg_temp.rls_matches_can(), '... row-level security agrees with can(view)');
SELECT lives_ok(format('SELECT actions.complete(%s)', :p_assigned), '... and completes one assigned to someone else');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT completed_by FROM actions.action WHERE action_id = :p_assigned), :resp::bigint, '... recorded as completed by them');
SET SESSION AUTHORIZATION rc_owner;
SELECT actions.uncomplete(:p_assigned) \g /dev/null
RESET SESSION AUTHORIZATION;

-- owner: view, create, edit, assign, reassign (complete too: reassign holders complete on behalf).
SET SESSION AUTHORIZATION rc_own;
SELECT is(pg_temp.answers(:p_assigned, :p_open),
    'view=true/true start=false/false complete=true/true edit=true/true cancel=true/true assign=false/true reassign=true/false delete=false/false',
    'owner party: views, completes, edits, cancels, assigns (an unassigned one) and reassigns (an assigned one)');
SELECT is(pg_temp.seen(), ARRAY[:p_assigned, :p_open]::bigint[], '... sees exactly the record''s actions');
SELECT ok(pg_temp.rls_matches_can(), '... row-level security agrees with can(view)');
SELECT lives_ok(format('SELECT actions.reassign(%s, %s)', :p_assigned, :resp), '... reassigns one');
SELECT lives_ok(format('SELECT actions.update_action(%s, %L)', :p_open, 'Renamed by the owner party'), '... edits one');
SELECT lives_ok(format('SELECT actions.create_action(%s, %L, record_id => %s)', :ws, 'New on the project', :proj),
    '... creates an action on the record');
SELECT throws_ok(format('SELECT actions.create_action(%s, %L)', :ws, 'Not on the record'), '42501', NULL,
    '... but not one outside it');
SELECT lives_ok(format('SELECT actions.add_party(%s, %L, %s)', :proj, 'reviewer', :usr), '... and changes its parties');
RESET SESSION AUTHORIZATION;

-- A shared group covers the members of the groups below it; a member elsewhere is not covered.
TRUNCATE all_actions;
INSERT INTO all_actions SELECT action_id FROM actions.action WHERE workspace_id = :ws;
SET SESSION AUTHORIZATION rc_sub;
SELECT is(pg_temp.answers(:p_assigned, :p_open),
    'view=true/true start=false/false complete=false/false edit=false/false cancel=false/false assign=false/false reassign=false/false delete=false/false',
    'a member of a subgroup of the shared group views the record''s actions');
SELECT ok(pg_temp.rls_matches_can(), '... row-level security agrees with can(view)');
SELECT is(cardinality(pg_temp.seen()), 3, '... and sees them (the three project actions)');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION rc_none;
SELECT is(actions.can('view', :p_open), false, 'a member of another group is not covered by the shared group');
RESET SESSION AUTHORIZATION;

-- The issuer of a delegation views and creates its actions.
SET SESSION AUTHORIZATION rc_issuer;
SELECT lives_ok(format('SELECT actions.create_action(%s, %L, record_id => %s)', :ws, 'Issuer''s follow-up', :delegation),
    'the issuer creates an action on the delegation');
SELECT is((SELECT count(*) FROM actions.action WHERE record_id = :delegation), 1::bigint, '... and sees it');
RESET SESSION AUTHORIZATION;

-- Taking a party off takes its access away at once.
SET SESSION AUTHORIZATION rc_owner;
SELECT actions.remove_party(:proj, 'shared', :shared) \g /dev/null
SELECT actions.remove_party(:proj, 'shared', group_id => :team) \g /dev/null
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION rc_shared;
SELECT is(actions.can('view', :p_open), false, 'a removed shared party no longer views the record''s actions');
SELECT is(pg_temp.seen(), '{}'::bigint[], '... nor sees them');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION rc_sub;
SELECT is(pg_temp.seen(), '{}'::bigint[], 'the subgroup member no longer sees them once the group party is removed');
RESET SESSION AUTHORIZATION;

-- An archived record takes no new parties.
SET SESSION AUTHORIZATION rc_owner;
SELECT actions.archive_record(:generic) \g /dev/null
SELECT throws_ok(format('SELECT actions.add_party(%s, %L, %s)', :generic, 'reviewer', :creator), '55000', NULL,
    'an archived record takes no new party');
RESET SESSION AUTHORIZATION;

-- Required text arguments are NULL-checked (22004), intervals must be positive (22023).
SET SESSION AUTHORIZATION rc_owner;
SELECT throws_ok(format('SELECT actions.create_record_kind(%s, NULL)', :ws), '22004', 'kind must not be null',
    'create_record_kind: NULL kind');
SELECT throws_ok(format('SELECT actions.add_party(%s, NULL, %s)', :generic, :owner), '22004', 'capacity must not be null',
    'add_party: NULL capacity');
SELECT throws_ok(format('SELECT actions.set_workflow(%s, NULL, true)', :ws), '22004', 'workflow must not be null',
    'set_workflow: NULL workflow');
SELECT throws_ok(format('SELECT actions.set_workflow(%s, %L, NULL)', :ws, 'document_review'), '22004', 'enabled must not be null',
    'set_workflow: NULL enabled');
SELECT throws_ok(format('SELECT actions.record_outcome(%s, NULL)', 1), '22004', 'outcome must not be null',
    'record_outcome: NULL outcome');
SELECT throws_ok(format('SELECT actions.set_review_schedule(%s, %L)', :document, '-1 day'), '22023',
    'the review interval must be positive', 'set_review_schedule: a negative interval');
SELECT throws_ok(format('SELECT actions.set_review_schedule(%s, %L)', :document, '0'), '22023',
    'the review interval must be positive', 'set_review_schedule: a zero interval');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
