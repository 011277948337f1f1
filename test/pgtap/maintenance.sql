-- Maintenance: actions.run_maintenance() runs every task in its own subtransaction and records
-- each run; actions.maintenance_status shows the last run and the backlog; schedule_maintenance()
-- and unschedule_maintenance() (when pg_cron is installed here); none of it is for PUBLIC.
BEGIN;
SELECT plan(40);

CREATE ROLE mt_owner LOGIN;
CREATE ROLE mt_nobody LOGIN;
SELECT actions.create_person('mt-owner@example.com', 'Owner', 'mt_owner') AS owner \gset
SELECT actions.create_workspace('Maintenance Co', owner_id => :owner) AS ws \gset

-- Backlogs before anything of ours exists (the database may hold other rows).
CREATE TEMP TABLE base AS SELECT task, backlog FROM actions.maintenance_status;
CREATE FUNCTION pg_temp.backlog_added(t text) RETURNS bigint LANGUAGE sql AS
    $$ SELECT s.backlog - b.backlog FROM actions.maintenance_status s JOIN base b USING (task) WHERE s.task = t $$;

SELECT results_eq('SELECT position, task FROM actions.maintenance_status ORDER BY position',
    $$ VALUES (1, 'mark_overdue'), (2, 'notify_due_soon'), (3, 'escalate_overdue'), (4, 'create_due_reviews'), (5, 'create_scheduled_actions'), (6, 'seal_ledgers') $$,
    'one row per task, in the order they run');

-- One action past due not yet marked (its due date moved without the triggers, as time would),
-- one assigned action due within the due_soon window, one published document whose review is due.
SET SESSION AUTHORIZATION mt_owner;
SELECT actions.create_action(:ws, 'Past due', assignee_id => :owner, due_at => now() + interval '3 days') AS late \gset
SELECT actions.create_action(:ws, 'Due soon', assignee_id => :owner, due_at => now() + interval '1 hour') AS soon \gset
SELECT actions.create_record(:ws, 'Handbook', 'document') AS doc \gset
SELECT actions.publish_document(:doc) \g /dev/null
RESET SESSION AUTHORIZATION;
SET LOCAL session_replication_role = replica;
UPDATE actions.action SET due_at = now() - interval '1 hour' WHERE action_id = :late;
SET LOCAL session_replication_role = origin;
UPDATE actions.record SET next_review_at = now() - interval '1 minute' WHERE record_id = :doc;

SELECT is(pg_temp.backlog_added('mark_overdue'), 1::bigint, 'backlog: one action past due not yet marked');
SELECT is(pg_temp.backlog_added('notify_due_soon'), 1::bigint, 'backlog: one due_soon reminder to send');
SELECT is(pg_temp.backlog_added('create_due_reviews'), 1::bigint, 'backlog: one document whose review is due');
SELECT is(pg_temp.backlog_added('seal_ledgers'), 1::bigint, 'backlog: one workspace whose log has entries no seal holds');

-- A failing task is rolled back alone and recorded; the others run.
CREATE FUNCTION pg_temp.refuse_overdue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = 'overdue' THEN
        RAISE EXCEPTION 'overdue refused by the test' USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER mt_refuse BEFORE UPDATE ON actions.action FOR EACH ROW EXECUTE FUNCTION pg_temp.refuse_overdue();
SET LOCAL client_min_messages = error;  -- the failure's WARNING
SELECT results_eq($$ SELECT task, outcome, rows_affected, error FROM actions.run_maintenance() WHERE task NOT IN ('seal_ledgers', 'create_scheduled_actions') $$,
    $$ VALUES ('mark_overdue'::text, 'failed'::text, NULL::bigint, 'overdue refused by the test'::text),
              ('notify_due_soon', 'succeeded', 1, NULL), ('escalate_overdue', 'succeeded', 0, NULL), ('create_due_reviews', 'succeeded', 0, NULL) $$,
    'run_maintenance(): the failing task fails alone, the others succeed');
RESET client_min_messages;
SELECT is((SELECT status FROM actions.action WHERE action_id = :late), 'to_do', '... the failed task''s work was rolled back');
SELECT is((SELECT count(*) FROM actions.reminder WHERE action_id = :soon AND kind = 'due_soon'), 1::bigint,
    '... the next task''s work was kept');
SELECT results_eq($$ SELECT last_outcome, last_sqlstate, last_error FROM actions.maintenance_status WHERE task = 'mark_overdue' $$,
    $$ VALUES ('failed'::text, 'P0001'::text, 'overdue refused by the test'::text) $$,
    'the view shows the failure with its SQLSTATE and message');
SELECT is(pg_temp.backlog_added('mark_overdue'), 1::bigint, '... and the backlog it left');
SELECT is(pg_temp.backlog_added('notify_due_soon'), 0::bigint, 'the due_soon backlog is gone');
SELECT is(pg_temp.backlog_added('create_due_reviews'), 0::bigint, 'the review backlog is gone');
SELECT ok((SELECT last_outcome = 'succeeded' AND last_rows_affected >= 1 FROM actions.maintenance_status WHERE task = 'seal_ledgers'),
    'seal_ledgers ran last and sealed at least this workspace');
SELECT is((SELECT count(*) FROM actions.ledger_seal WHERE workspace_id = :ws), 1::bigint, '... whose first seal now exists');
SELECT is((SELECT count(*) FROM actions.maintenance_run WHERE task = 'mark_overdue' AND outcome = 'failed'
              AND duration >= interval '0' AND started_at <= clock_timestamp()), 1::bigint,
    'the failed run is recorded with its start and duration');

DROP TRIGGER mt_refuse ON actions.action;
SELECT results_eq($$ SELECT task, outcome, rows_affected FROM actions.run_maintenance() WHERE task = 'mark_overdue' $$,
    $$ VALUES ('mark_overdue'::text, 'succeeded'::text, 1::bigint) $$, 'run again, the task succeeds and marks one');
SELECT is((SELECT status FROM actions.action WHERE action_id = :late), 'overdue', '... the action is overdue');
SELECT results_eq($$ SELECT last_outcome, last_rows_affected, last_error, last_success_at = last_run_at
                       FROM actions.maintenance_status WHERE task = 'mark_overdue' $$,
    $$ VALUES ('succeeded'::text, 1::bigint, NULL::text, true) $$, 'the view shows the last run');
SELECT is(pg_temp.backlog_added('mark_overdue'), 0::bigint, '... and no backlog left');

-- Bounded: the newest 1440 runs of each task are kept.
INSERT INTO actions.maintenance_run (task, started_at, duration, outcome, rows_affected)
SELECT 'notify_due_soon', now() - g * interval '1 minute', '0', 'succeeded', 0 FROM generate_series(1, 1500) g;
SELECT actions.run_maintenance() \g /dev/null
SELECT is((SELECT count(*) FROM actions.maintenance_run WHERE task = 'notify_due_soon'), 1440::bigint,
    'old runs are pruned to the newest 1440 per task');
SELECT is((SELECT max(run_id) = (SELECT max(run_id) FROM actions.maintenance_run WHERE task = 'notify_due_soon')
             FROM actions.maintenance_run WHERE task = 'notify_due_soon' AND started_at >= now()), true,
    '... the newest run is among them');

-- Scheduling, when pg_cron is installed in this database (make test installs it).
SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') AS has_cron \gset
SELECT CASE WHEN :'has_cron'::boolean THEN actions.schedule_maintenance('*/5 * * * *') ELSE 0 END AS job \gset
SELECT CASE WHEN :'has_cron'::boolean THEN
    results_eq(format('SELECT jobname::text COLLATE "default", schedule, command, database FROM cron.job WHERE jobid = %s', :job),
        format($$ VALUES ('pg_actions_maintenance:%1$s'::text, '*/5 * * * *'::text,
                          'SELECT actions.run_maintenance()'::text, %1$L::text) $$, current_database()),
        'schedule_maintenance() registers this database''s job running run_maintenance()')
    ELSE skip('pg_cron is not installed in this database', 1) END;
SELECT CASE WHEN :'has_cron'::boolean THEN actions.schedule_maintenance() ELSE 0 END AS job2 \gset
SELECT CASE WHEN :'has_cron'::boolean THEN
    results_eq(format('SELECT jobid, schedule FROM cron.job WHERE database = %L', current_database()),
        format($$ VALUES (%s::bigint, '* * * * *'::text) $$, :job2), 'scheduling again changes the schedule of the same job')
    ELSE skip('pg_cron is not installed in this database', 1) END;
SELECT is(:job2, :job, '... whose id stays');
SELECT CASE WHEN :'has_cron'::boolean THEN is(actions.unschedule_maintenance(), true, 'unschedule_maintenance() removes it')
    ELSE skip('pg_cron is not installed in this database', 1) END;
SELECT CASE WHEN :'has_cron'::boolean THEN
    results_eq(format('SELECT count(*) FROM cron.job WHERE database = %L', current_database()),
        $$ VALUES (0::bigint) $$, '... no job is left for this database')
    ELSE skip('pg_cron is not installed in this database', 1) END;
SELECT CASE WHEN :'has_cron'::boolean THEN is(actions.unschedule_maintenance(), false, 'a second unschedule finds nothing')
    ELSE skip('pg_cron is not installed in this database', 1) END;

-- Not for PUBLIC.
SELECT is(has_table_privilege('mt_nobody', 'actions.maintenance_status', 'SELECT'), false, 'PUBLIC cannot read the view');
SELECT is(has_table_privilege('mt_nobody', 'actions.maintenance_run', 'SELECT'), false, 'PUBLIC cannot read the runs');
SELECT is(has_function_privilege('mt_nobody', 'actions.run_maintenance()', 'EXECUTE'), false,
    'PUBLIC cannot run run_maintenance');
SELECT is(has_function_privilege('mt_nobody', 'actions.schedule_maintenance(text)', 'EXECUTE'), false,
    'PUBLIC cannot schedule');
SELECT is(has_function_privilege('mt_nobody', 'actions.unschedule_maintenance(boolean)', 'EXECUTE'), false,
    'PUBLIC cannot unschedule');
SELECT is(has_function_privilege('mt_nobody', 'actions.cron_schedule_elsewhere(text, text, text)', 'EXECUTE')
          OR has_function_privilege('mt_nobody', 'actions.cron_unschedule_elsewhere(text)', 'EXECUTE'), false,
    'PUBLIC cannot reach the pg_cron database');
SET SESSION AUTHORIZATION mt_nobody;
SELECT throws_ok('SELECT * FROM actions.maintenance_status', '42501', NULL, 'a PUBLIC role reading the view is refused');
SELECT throws_ok('SELECT * FROM actions.run_maintenance()', '42501', NULL, 'a PUBLIC role running the tasks is refused');
RESET SESSION AUTHORIZATION;

-- A DBA grants the view for monitoring: SELECT is all it needs.
GRANT USAGE ON SCHEMA actions TO mt_nobody;
GRANT SELECT ON actions.maintenance_status TO mt_nobody;
SET SESSION AUTHORIZATION mt_nobody;
SELECT is((SELECT count(*) FROM actions.maintenance_status WHERE last_run_at IS NOT NULL AND backlog IS NOT NULL), 6::bigint,
    'granted SELECT, a monitoring role reads every task''s last run and backlog');
RESET SESSION AUTHORIZATION;

-- run_task_here(task), which run_maintenance() runs each task through (on a Citus worker once per
-- workspace placed there): on a single node the task once, and only a task of maintenance_status.
SELECT is(actions.run_task_here('mark_overdue'), 0::bigint, 'run_task_here runs a task (nothing is overdue now)');
SELECT throws_ok($$SELECT actions.run_task_here('drop_everything')$$, '22023', 'unknown maintenance task "drop_everything"',
                 'run_task_here runs only the tasks of actions.maintenance_status');
SELECT throws_ok($$SELECT actions.run_task_here(NULL)$$, '22004', NULL, 'run_task_here refuses NULL');
SET SESSION AUTHORIZATION mt_nobody;
SELECT throws_ok($$SELECT actions.run_task_here('mark_overdue')$$, '42501', NULL, 'PUBLIC may not run run_task_here');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
