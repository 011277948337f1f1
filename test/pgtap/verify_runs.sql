-- The log verification as a scheduled job: actions.verify_logs() checks every workspace's log with
-- actions.verify_log(), each in its own subtransaction, keeps the newest result per workspace in
-- actions.verify_run and returns the total of problems; actions.metrics_verify() returns the counts.
-- None of it is for PUBLIC.
BEGIN;
SELECT plan(15);

CREATE ROLE vr_owner LOGIN;
CREATE ROLE vr_nobody LOGIN;
SELECT actions.create_person('vr-owner@example.com', 'Owner', 'vr_owner') AS owner \gset
SELECT actions.create_workspace('Verified', owner_id => :owner) AS clean \gset
SELECT actions.create_workspace('Tampered', owner_id => :owner) AS tampered \gset
SET SESSION AUTHORIZATION vr_owner;
SELECT actions.create_action(:clean, 'Kept') \g /dev/null
SELECT actions.start(actions.create_action(:clean, 'Started')) \g /dev/null
SELECT actions.create_action(:tampered, 'To tamper with') AS victim \gset
RESET SESSION AUTHORIZATION;

-- Before any check: no result, so no problem count, and the age since the workspace was made.
SELECT is((SELECT problems FROM actions.metrics_verify() WHERE workspace_id = :clean), NULL,
    'metrics_verify: no problem count before the first check');

-- 1. Clean logs (the database may hold other workspaces: only ours are looked at).
SELECT cmp_ok(actions.verify_logs(), '>=', 0::bigint, 'verify_logs runs');
SELECT results_eq(format('SELECT workspace_id, problems, first_problem FROM actions.verify_run WHERE workspace_id IN (%s, %s) ORDER BY 1', :clean, :tampered),
    format('VALUES (%s::bigint, 0::bigint, NULL::text), (%s, 0, NULL)', :clean, :tampered),
    'a clean log: one row per workspace, no problem');
SELECT results_eq(format('SELECT problems FROM actions.metrics_verify() WHERE workspace_id IN (%s, %s) ORDER BY workspace_id', :clean, :tampered),
    'VALUES (0::bigint), (0)', 'metrics_verify: 0 problems after a clean check');

-- 2. A log entry altered in place by a superuser, the log's guard off.
ALTER TABLE actions.activity DISABLE TRIGGER activity_immutable;
UPDATE actions.activity SET detail = '{"altered": true}' WHERE action_id = :victim AND seq = 1;
ALTER TABLE actions.activity ENABLE TRIGGER activity_immutable;
SELECT cmp_ok(actions.verify_logs(), '>=', 1::bigint, 'verify_logs returns the problems found');
SELECT is((SELECT problems FROM actions.verify_run WHERE workspace_id = :tampered), 1::bigint,
    'the tampered workspace: one problem recorded');
SELECT is((SELECT first_problem FROM actions.verify_run WHERE workspace_id = :tampered),
    format('action %s, entry 1: entry was altered: hash does not match its contents', :victim),
    'the first problem names the action, the entry and what differs');
SELECT is((SELECT problems FROM actions.verify_run WHERE workspace_id = :clean), 0::bigint,
    'the clean workspace stays at 0');
SELECT is((SELECT count(*) FROM actions.verify_run WHERE workspace_id IN (:clean, :tampered)), 2::bigint,
    'one row per workspace: the newest result replaces the last');
SELECT results_eq(format('SELECT problems FROM actions.metrics_verify() WHERE workspace_id IN (%s, %s) ORDER BY workspace_id', :clean, :tampered),
    'VALUES (0::bigint), (1)', 'metrics_verify: the last check''s problems per workspace');
SELECT ok((SELECT age_seconds >= 0 AND age_seconds < 60 FROM actions.metrics_verify() WHERE workspace_id = :clean),
    'metrics_verify: the age of the last check in seconds');

-- 3. An error checking one workspace is recorded as its problem; the others are checked. The
-- superuser's stand-in for verify_log (rolled back with the test) fails for the tampered workspace.
CREATE OR REPLACE FUNCTION actions.verify_log(workspace_id bigint)
    RETURNS TABLE (action_id bigint, seq integer, problem text)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF workspace_id = current_setting('vr.failing')::bigint THEN
        RAISE EXCEPTION 'cannot read the log' USING ERRCODE = '58030';
    END IF;
END $$;
SELECT set_config('vr.failing', :'tampered', true) \g /dev/null
SET client_min_messages = error;
SELECT lives_ok('SELECT actions.verify_logs()', 'an error checking one workspace does not stop verify_logs');
RESET client_min_messages;
SELECT is((SELECT problems || ': ' || first_problem FROM actions.verify_run WHERE workspace_id = :tampered),
    '1: the check failed: cannot read the log (SQLSTATE 58030)', 'the error is recorded as that workspace''s problem');
SELECT is((SELECT problems FROM actions.verify_run WHERE workspace_id = :clean), 0::bigint,
    'the workspace after it was checked');

-- 4. Not for PUBLIC.
SELECT ok(NOT has_function_privilege('vr_nobody', 'actions.verify_logs()', 'EXECUTE')
          AND NOT has_function_privilege('vr_nobody', 'actions.metrics_verify()', 'EXECUTE')
          AND NOT has_table_privilege('vr_nobody', 'actions.verify_run', 'SELECT'),
    'PUBLIC cannot run verify_logs or metrics_verify, nor read verify_run');

SELECT * FROM finish();
ROLLBACK;
