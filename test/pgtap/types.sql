-- Action types: the system types every workspace has, custom types a workspace adds, renames,
-- retires and reinstates (manage_workspace), and what a retired type still does.
--   * seeds: a new workspace has exactly the core's system types;
--   * custom types: key and label rules (22023), duplicates (23505), system types fixed (22023),
--     unknown keys (P0002), who may manage them (42501; a stranger's workspace is not found);
--   * use: create_action with a custom type; the list's type filter (list_actions and the BI
--     view) finds it; members read the types through row-level security, strangers do not;
--   * retired: stays on its actions and in filters, its actions are still edited, but
--     create_action and bulk_duplicate refuse it (55000 with a hint), until it is reinstated;
--   * unknown types (22023), also one another workspace has; the foreign key holds for direct writes.
BEGIN;

SELECT plan(53);

CREATE ROLE ty_owner LOGIN;
CREATE ROLE ty_user LOGIN;
CREATE ROLE ty_other LOGIN;
SELECT actions.create_person('ty-owner@example.com', 'Owner', 'ty_owner') AS owner,
       actions.create_person('ty-user@example.com', 'User', 'ty_user') AS usr,
       actions.create_person('ty-other@example.com', 'Other', 'ty_other') AS other
\gset
SELECT actions.create_workspace('Types Co', owner_id => :owner) AS ws,
       actions.create_workspace('Other Co', owner_id => :other) AS other_ws
\gset
SELECT actions.add_member(:ws, :usr, 'user') \g /dev/null

-- What a refused call may have written.
CREATE FUNCTION pg_temp.footprint() RETURNS text
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT format('actions=%s activity=%s types=%s', (SELECT count(*) FROM actions.action),
                  (SELECT count(*) FROM actions.activity),
                  (SELECT md5(string_agg(t::text, '|' ORDER BY t.workspace_id, t.type_key)) FROM actions.action_type t))
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

-- =============================================================================================
-- 1. Seeds.
SELECT results_eq(format('SELECT type_key, label, is_system, retired_at IS NULL FROM actions.action_type WHERE workspace_id = %s ORDER BY created_at, type_key', :ws),
    $$ VALUES ('acceptance'::text, 'Acceptance'::text, true, true), ('acknowledgement', 'Acknowledgement', true, true),
              ('approval', 'Approval', true, true), ('request', 'Request', true, true),
              ('review', 'Review', true, true), ('task', 'Task', true, true) $$,
    'a new workspace has the six system types');

-- =============================================================================================
-- 2. Custom types: who and what.
SET SESSION AUTHORIZATION ty_owner;
SELECT lives_ok(format('SELECT actions.create_action_type(%s, %L, %L)', :ws, 'attestation', 'Annual attestation'),
    'the owner adds a custom type');
SELECT throws_ok(format('SELECT actions.create_action_type(%s, %L, %L)', :ws, 'attestation', 'Again'), '23505',
    'action type "attestation" already exists', 'the same key again: 23505');
SELECT pg_temp.refused(format('SELECT actions.create_action_type(%s, %L, %L)', :ws, 'Attestation', 'X'), '22023',
    'invalid action type key "Attestation"', 'an uppercase key');
SELECT pg_temp.refused(format('SELECT actions.create_action_type(%s, %L, %L)', :ws, 'review', 'My review'), '22023',
    'action type "review" is a system type', 'a system key as a custom type');
SELECT pg_temp.refused(format('SELECT actions.create_action_type(%s, %L, %L)', :ws, 'memo', '  '), '22023',
    'an action type needs a label', 'a blank label');
SELECT pg_temp.refused(format('SELECT actions.create_action_type(%s, %L, %L)', :ws, 'memo', repeat('l', 101)), '22023',
    'action type label is too long', 'a label of 101 characters');
SELECT lives_ok(format('SELECT actions.rename_action_type(%s, %L, %L)', :ws, 'attestation', 'Yearly attestation'),
    'the owner renames the custom type');
SELECT pg_temp.refused(format('SELECT actions.rename_action_type(%s, %L, %L)', :ws, 'task', 'Chore'), '22023',
    'action type "task" is a system type', 'a system type is not renamed');
SELECT pg_temp.refused(format('SELECT actions.retire_action_type(%s, %L)', :ws, 'approval'), '22023',
    'action type "approval" is a system type', 'a system type is not retired');
SELECT pg_temp.refused(format('SELECT actions.retire_action_type(%s, %L)', :ws, 'nosuch'), 'P0002',
    'action type "nosuch" not found', 'retiring an unknown type');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT label FROM actions.action_type WHERE workspace_id = :ws AND type_key = 'attestation'),
    'Yearly attestation', 'the label changed, the key stayed');

SET SESSION AUTHORIZATION ty_user;
SELECT pg_temp.refused(format('SELECT actions.create_action_type(%s, %L, %L)', :ws, 'memo', 'Memo'), '42501',
    'permission denied to manage workspace', 'a user without manage_workspace cannot add a type');
SELECT pg_temp.refused(format('SELECT actions.rename_action_type(%s, %L, %L)', :ws, 'attestation', 'Mine'), '42501',
    'permission denied to manage workspace', 'nor rename one');
SELECT pg_temp.refused(format('SELECT actions.retire_action_type(%s, %L)', :ws, 'attestation'), '42501',
    'permission denied to manage workspace', 'nor retire one');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ty_other;
SELECT pg_temp.refused(format('SELECT actions.create_action_type(%s, %L, %L)', :ws, 'memo', 'Memo'), 'P0002',
    format('workspace %s not found', :ws), 'another workspace''s owner: the workspace is not found');
SELECT actions.create_action_type(:other_ws, 'audit', 'Audit') \g /dev/null
RESET SESSION AUTHORIZATION;

-- =============================================================================================
-- 3. Using a custom type; the list's filter; reading types.
SET SESSION AUTHORIZATION ty_user;
SELECT actions.create_action(:ws, 'Attest 2026', type => 'attestation') AS attest,
       actions.create_action(:ws, 'Plain task') AS plain
\gset
SELECT results_eq(format('SELECT action_id FROM actions.list_actions(%s, types => ARRAY[%L])', :ws, 'attestation'),
    format('VALUES (%s::bigint)', :attest), 'list_actions filters by the custom type');
SELECT results_eq(format('SELECT action_id FROM actions.list_actions(%s, types => ARRAY[%L]) ORDER BY 1', :ws, 'task'),
    format('VALUES (%s::bigint)', :plain), '... and by a system type');
SELECT results_eq($$ SELECT a.action_id, t.label FROM actions.action_list a
                      JOIN actions.action_type t ON t.workspace_id = a.workspace_id AND t.type_key = a.type
                     WHERE a.type = 'attestation' $$,
    format('VALUES (%s::bigint, %L::text)', :attest, 'Yearly attestation'),
    'the BI view joins the type''s label');
SELECT is((SELECT count(*) FROM actions.action_type WHERE workspace_id = :ws), 7::bigint,
    'a member reads the workspace''s types');
SELECT is((SELECT count(*) FROM actions.action_type WHERE workspace_id <> :ws), 0::bigint,
    '... and no other workspace''s');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ty_other;
SELECT is((SELECT count(*) FROM actions.action_type WHERE workspace_id = :ws), 0::bigint,
    'someone outside the workspace reads none of its types');
RESET SESSION AUTHORIZATION;

-- =============================================================================================
-- 4. Retired.
SET SESSION AUTHORIZATION ty_owner;
SELECT lives_ok(format('SELECT actions.retire_action_type(%s, %L)', :ws, 'attestation'), 'the owner retires the type');
SELECT lives_ok(format('SELECT actions.retire_action_type(%s, %L)', :ws, 'attestation'), 'retiring it again changes nothing');
RESET SESSION AUTHORIZATION;
SELECT isnt((SELECT retired_at FROM actions.action_type WHERE workspace_id = :ws AND type_key = 'attestation'), NULL,
    'the type records when it was retired');
SET SESSION AUTHORIZATION ty_user;
SELECT pg_temp.refused(format('SELECT actions.create_action(%s, %L, type => %L)', :ws, 'Attest 2027', 'attestation'),
    '55000', 'action type "attestation" is retired', 'create_action refuses a retired type');
SELECT is((SELECT sqlstate || ' ' || message FROM actions.bulk_duplicate(ARRAY[:attest]::bigint[])),
    '55000 action type "attestation" is retired', 'bulk_duplicate refuses to copy an action of a retired type');
SELECT is((SELECT type FROM actions.action WHERE action_id = :attest), 'attestation', 'the action keeps its retired type');
SELECT results_eq(format('SELECT action_id FROM actions.list_actions(%s, types => ARRAY[%L])', :ws, 'attestation'),
    format('VALUES (%s::bigint)', :attest), 'the list still filters by the retired type');
SELECT lives_ok(format('SELECT actions.update_action(%s, title => %L)', :attest, 'Attest 2026 (signed)'),
    'an action of a retired type is still edited');
SELECT lives_ok(format('SELECT actions.complete(%s)', :attest), '... and completed');
SELECT is((SELECT count(*) FROM actions.action_type WHERE workspace_id = :ws AND retired_at IS NOT NULL), 1::bigint,
    'members see the type as retired');
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION ty_owner;
SELECT lives_ok(format('SELECT actions.reinstate_action_type(%s, %L)', :ws, 'attestation'), 'the owner reinstates it');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ty_user;
SELECT lives_ok(format('SELECT actions.create_action(%s, %L, type => %L)', :ws, 'Attest 2027', 'attestation'),
    'a reinstated type is used again');
SELECT is((SELECT ok FROM actions.bulk_duplicate(ARRAY[:attest]::bigint[])), true, '... and copied');

-- =============================================================================================
-- 5. Unknown types.
SELECT pg_temp.refused(format('SELECT actions.create_action(%s, %L, type => %L)', :ws, 'X', 'nosuch'), '22023',
    'unknown action type "nosuch"', 'create_action with an unknown type');
SELECT pg_temp.refused(format('SELECT actions.create_action(%s, %L, type => %L)', :ws, 'X', 'audit'), '22023',
    'unknown action type "audit"', 'a type only another workspace has is unknown here');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ty_other;
SELECT throws_ok(format('SELECT actions.create_action(%s, %L, type => %L)', :ws, 'X', 'attestation'), 'P0002',
    format('workspace %s not found', :ws), 'a stranger learns nothing about the workspace''s types');
RESET SESSION AUTHORIZATION;
SELECT throws_ok(format($$INSERT INTO actions.action (workspace_id, title, type) VALUES (%s, 'direct', 'nosuch')$$, :ws),
    '23503', NULL, 'a direct write with an unknown type breaks the foreign key');

SELECT * FROM finish();
ROLLBACK;
