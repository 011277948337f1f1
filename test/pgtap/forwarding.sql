-- actions.forward() and actions.workspace_of_ids(), how the coordinator of a Citus cluster routes a
-- function taking an entity's id (src/pg/boundary/routing.cpp), checked on a single node, where
-- anyone may call them: forward() must do nothing the caller could not do by calling the function
-- itself, and workspace_of_ids() must tell a workspace only to who may learn it. The Citus suite
-- test/citus/suites/routing.sh checks the routing itself.
BEGIN;
SELECT plan(24);

CREATE ROLE fw_owner LOGIN;
CREATE ROLE fw_user LOGIN;
CREATE ROLE fw_stranger LOGIN;
SELECT actions.create_person('fw-owner@example.com', 'Owner', 'fw_owner') AS owner \gset
SELECT actions.create_person('fw-user@example.com', 'User', 'fw_user') AS usr \gset
SELECT actions.create_person('fw-stranger@example.com', 'Stranger', 'fw_stranger') AS stranger \gset
SELECT actions.create_workspace('Forward Co', owner_id => :owner) AS ws \gset
SELECT actions.create_workspace('Elsewhere Co', owner_id => :stranger) AS other \gset
SELECT actions.add_member(:ws, :usr, 'user') \g /dev/null

SET SESSION AUTHORIZATION fw_owner;
SELECT actions.create_action(:ws, 'Forwarded', assignee_id => :usr) AS a \gset
SELECT actions.create_action(:ws, 'Kept') AS b \gset

-- forward() runs the function as the caller: the same answers as calling it.
SELECT results_eq(
    format($$SELECT "row" FROM actions.forward(%s, 'actions.can(text,bigint)', ARRAY['complete', '%s'])$$, :'ws', :'a'),
    $$VALUES (ARRAY['t'])$$,
    'forward() gives can() as text: the owner may complete');
SELECT "row"[1] AS note FROM actions.forward(:ws, 'actions.add_note(bigint,text)', ARRAY[:'a', 'by forward']) \gset
SELECT is(:'note', (SELECT max(note_id)::text FROM actions.note WHERE action_id = :a),
          'forward() runs add_note() and returns the new note''s id');
SELECT is((SELECT count(*) FROM actions.activity WHERE action_id = :a AND event LIKE 'note%'), 1::bigint,
          'the note is in the log as if add_note() had been called');
SELECT results_eq(
    format($$SELECT "row"[1] FROM actions.forward(%s, 'actions.action_status_times(bigint)', ARRAY['%s'])$$, :'ws', :'a'),
    format($$SELECT status FROM actions.action_status_times(%s)$$, :'a'),
    'forward() returns every row of a set-returning function, each column as text');
SELECT results_eq(
    format($$SELECT "row" FROM actions.forward(%s, 'actions.bulk_set_status(bigint[],text,text)', ARRAY['{%s,%s}', 'start', NULL])$$,
           :'ws', :'a', :'b'),
    format($$VALUES (ARRAY['%s', 't', NULL, NULL, NULL]), (ARRAY['%s', 't', NULL, NULL, NULL])$$, :'a', :'b'),
    'forward() passes NULL arguments and array arguments (bulk_set_status starts both)');
-- A statement run with no NULL flags (absences are read so) in a forwarded call: once crashed the server.
SELECT actions.declare_absence(:ws, now(), now() + interval '1 day', :usr) AS absence \gset
SELECT lives_ok(format($$SELECT * FROM actions.forward(%s, 'actions.end_absence(bigint)', ARRAY['%s'])$$, :'ws', :'absence'),
                'forward() runs end_absence()');
RESET SESSION AUTHORIZATION;
SELECT ok(NOT EXISTS (SELECT FROM actions.absence WHERE absence_id = :absence AND ends_at > now()),
          '... and the absence is no longer in force');

-- As somebody else: what the function itself would answer.
SET SESSION AUTHORIZATION fw_stranger;
SELECT throws_ok(
    format($$SELECT * FROM actions.forward(%s, 'actions.complete(bigint,bytea,text,text)', ARRAY['%s', NULL, NULL, NULL])$$, :'ws', :'a'),
    'P0002', NULL, 'a stranger completing through forward() finds no such action, as with complete()');
SELECT throws_ok(format('SELECT actions.complete(%s)', :'a'), 'P0002', NULL, '... and complete() says the same');
SELECT results_eq(
    format($$SELECT "row" FROM actions.forward(%s, 'actions.can(text,bigint)', ARRAY['complete', '%s'])$$, :'ws', :'a'),
    $$VALUES (ARRAY['f'])$$, 'can() through forward() is false for the stranger');

-- Only the functions taking an entity's id, with every argument, and only with EXECUTE on them.
SELECT throws_ok(
    format($$SELECT * FROM actions.forward(%s, 'actions.create_action(bigint,text,text,bigint,timestamptz,date,text,text,bigint,bigint[])', ARRAY['%s','x',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL])$$, :'other', :'other'),
    '22023', NULL, 'forward() refuses a function taking a workspace');
SELECT throws_ok($$SELECT * FROM actions.forward(1, 'pg_catalog.pg_terminate_backend(integer,bigint)', ARRAY['1', '0'])$$,
    '22023', NULL, 'forward() refuses a function outside schema actions');
SELECT throws_ok($$SELECT * FROM actions.forward(1, 'actions.distribute_functions()', ARRAY[]::text[])$$,
    '22023', NULL, 'forward() refuses an administration function');
SELECT throws_ok(format($$SELECT * FROM actions.forward(%s, 'actions.add_note(bigint,text)', ARRAY['%s'])$$, :'ws', :'a'),
    '22023', NULL, 'forward() refuses a wrong number of arguments');
SELECT throws_ok($$SELECT * FROM actions.forward(1, NULL, ARRAY['1'])$$, '22004', NULL, 'forward() refuses a NULL function');
RESET SESSION AUTHORIZATION;
REVOKE EXECUTE ON FUNCTION actions.add_note(bigint, text) FROM PUBLIC;
SET SESSION AUTHORIZATION fw_owner;
SELECT throws_ok(format($$SELECT * FROM actions.forward(%s, 'actions.add_note(bigint,text)', ARRAY['%s', 'no'])$$, :'ws', :'a'),
    '42501', NULL, 'forward() refuses a function the caller may not execute');
RESET SESSION AUTHORIZATION;
GRANT EXECUTE ON FUNCTION actions.add_note(bigint, text) TO PUBLIC;

-- workspace_of_ids(): the workspace of the rows the caller may see, as reading the table shows
-- them (its row-level security); a row the caller may not see is left out like a missing id.
SET SESSION AUTHORIZATION fw_user;
SELECT results_eq(format($$SELECT id, home FROM actions.workspace_of_ids(1, 'action_id', ARRAY[%s, %s, -7]) ORDER BY 1$$, :'a', :'b'),
    format($$SELECT action_id, workspace_id FROM actions.action WHERE action_id IN (%s, %s) ORDER BY 1$$, :'a', :'b'),
    'a member learns the workspace of the actions they see, as actions.action shows them; an unknown id is left out');
SELECT results_eq(format($$SELECT id FROM actions.workspace_of_ids(1, 'action_id', ARRAY[%s])$$, :'a'),
    format('VALUES (%s::bigint)', :'a'), '... the action assigned to them among them');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION fw_stranger;
SELECT is_empty(format($$SELECT * FROM actions.workspace_of_ids(1, 'action_id', ARRAY[%s, %s])$$, :'a', :'b'),
    'a stranger gets nothing: the actions read as missing');
RESET SESSION AUTHORIZATION;
SELECT results_eq(format($$SELECT home FROM actions.workspace_of_ids(1, 'record_id', ARRAY[%s])$$, :'a'),
    $$SELECT NULL::bigint WHERE false$$, 'an action id read as a record id finds no record');
SELECT results_eq($$SELECT home FROM actions.workspace_of_ids(1, 'calendar_id', ARRAY[1])$$,
    $$SELECT NULL::bigint WHERE false$$, 'reference data (calendars) has no workspace to find');
SELECT is_empty($$SELECT * FROM actions.workspace_of_ids(0, NULL, NULL)$$, 'NULL arguments: no rows (once crashed the server)');
SELECT is_empty($$SELECT actions.workspace_of_ids(0, 'action_id', NULL)$$, '... called in a select list too');
SELECT is(has_function_privilege('public', 'actions.forward(bigint,regprocedure,text[])', 'EXECUTE')
          AND has_function_privilege('public', 'actions.workspace_of_ids(bigint,text,bigint[])', 'EXECUTE'),
          true, 'both are callable by anyone, as the calls they serve are');

SELECT * FROM finish();
ROLLBACK;
