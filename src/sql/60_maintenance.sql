-- pg_actions install script, part 60: maintenance as a DBA runs it. One function runs every
-- maintenance task (actions.run_maintenance()), each in its own subtransaction, and records each
-- run; a view shows per task the last run and the backlog (actions.maintenance_status); pg_cron
-- runs it, in this database or from the database pg_cron lives in (cron.database_name); dropping
-- the extension removes the job. Not executable or readable by PUBLIC: a DBA grants them.

CREATE TABLE actions.maintenance_run (
    run_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task          text NOT NULL,
    started_at    timestamptz NOT NULL,
    duration      interval NOT NULL,
    outcome       text NOT NULL CONSTRAINT maintenance_run_outcome CHECK (outcome = ANY (ARRAY['succeeded', 'failed'])),
    rows_affected bigint,
    sqlstate      text,
    error         text,
    CONSTRAINT maintenance_run_error CHECK ((outcome = 'failed') = (error IS NOT NULL))
);
CREATE INDEX maintenance_run_task_idx ON actions.maintenance_run (task, run_id);
COMMENT ON TABLE actions.maintenance_run IS
    'One row per maintenance task and run of actions.run_maintenance(); the newest 1440 runs of each task are kept';
COMMENT ON COLUMN actions.maintenance_run.run_id IS 'Identity, in the order the tasks ran';
COMMENT ON COLUMN actions.maintenance_run.task IS 'The task: the function actions.<task>() that ran';
COMMENT ON COLUMN actions.maintenance_run.started_at IS 'When the task started';
COMMENT ON COLUMN actions.maintenance_run.duration IS 'How long it ran';
COMMENT ON COLUMN actions.maintenance_run.outcome IS 'succeeded, or failed (its work was rolled back; the other tasks of the run went on)';
COMMENT ON COLUMN actions.maintenance_run.rows_affected IS 'What the task returned: how many rows it marked, sent or created (NULL when it failed)';
COMMENT ON COLUMN actions.maintenance_run.sqlstate IS 'The SQLSTATE of the error of a failed run';
COMMENT ON COLUMN actions.maintenance_run.error IS 'The error message of a failed run (NULL when it succeeded)';
-- Dumped with the rest (README, "Backups and restores"): the history of the runs comes back.
SELECT pg_catalog.pg_extension_config_dump('actions.maintenance_run', '');
SELECT pg_catalog.pg_extension_config_dump('actions.maintenance_run_run_id_seq', '');

-- The maintenance tasks are the rows of this view, in the order actions.run_maintenance() runs
-- them: adding a task is adding its name to the array (it is the function actions.<name>()
-- RETURNS bigint), and, optionally, a WHEN line that counts its backlog.
CREATE VIEW actions.maintenance_status AS
SELECT t.position::integer AS position,
       t.task,
       last.started_at AS last_run_at,
       last.outcome AS last_outcome,
       last.duration AS last_duration,
       last.rows_affected AS last_rows_affected,
       last.sqlstate AS last_sqlstate,
       last.error AS last_error,
       (SELECT max(s.started_at) FROM actions.maintenance_run s
         WHERE s.task = t.task AND s.outcome = 'succeeded') AS last_success_at,
       CASE t.task
           WHEN 'mark_overdue' THEN
               (SELECT count(*) FROM actions.action a
                 WHERE a.status = ANY (actions.list_vocabulary('open_not_overdue')) AND a.due_at IS NOT NULL AND a.due_at < now())
           WHEN 'notify_due_soon' THEN
               (SELECT count(*) FROM actions.action a JOIN actions.workspace w ON w.workspace_id = a.workspace_id
                 WHERE a.status = ANY (actions.list_vocabulary('open_not_overdue')) AND a.due_at IS NOT NULL AND a.assignee_id IS NOT NULL
                   AND a.due_at > now() AND a.due_at <= now() + w.due_soon_window
                   AND NOT EXISTS (SELECT 1 FROM actions.reminder r
                                    WHERE r.workspace_id = a.workspace_id AND r.action_id = a.action_id
                                      AND r.kind = 'due_soon' AND r.due_at = a.due_at))
           WHEN 'escalate_overdue' THEN
               (SELECT count(*) FROM actions.escalation_rule e
                  JOIN actions.action a ON a.workspace_id = e.workspace_id
                 WHERE a.status = ANY (actions.list_vocabulary('open')) AND a.due_at IS NOT NULL
                   AND a.due_at + e.after_days * interval '24 hours' <= now()
                   AND NOT EXISTS (SELECT 1 FROM actions.escalation_fired f
                                    WHERE f.workspace_id = e.workspace_id AND f.rule_id = e.rule_id
                                      AND f.action_id = a.action_id AND f.due_at = a.due_at))
           WHEN 'create_due_reviews' THEN
               (SELECT count(*) FROM actions.record r
                 WHERE r.next_review_at <= now() AND r.kind = 'document' AND NOT r.archived AND r.published_at IS NOT NULL)
           WHEN 'create_scheduled_actions' THEN
               (SELECT count(*) FROM actions.schedule s WHERE NOT s.paused AND s.next_at <= now())
           WHEN 'seal_ledgers' THEN
               (SELECT count(*) FROM actions.workspace w
                 WHERE EXISTS (SELECT 1 FROM actions.activity l
                                WHERE l.workspace_id = w.workspace_id
                                  AND l.at > coalesce((SELECT max(s.sealed_at) FROM actions.ledger_seal s
                                                        WHERE s.workspace_id = w.workspace_id), '-infinity')))
       END AS backlog,
       CASE t.task
           WHEN 'mark_overdue' THEN 'open actions past their due date, not yet marked overdue'
           WHEN 'notify_due_soon' THEN 'open assigned actions due soon whose due_soon reminder is not yet sent'
           WHEN 'escalate_overdue' THEN 'escalation rules due for open overdue actions, not yet fired'
           WHEN 'create_due_reviews' THEN 'published documents whose review is due'
           WHEN 'create_scheduled_actions' THEN 'schedules with an occurrence due and not yet created'
           WHEN 'seal_ledgers' THEN 'workspaces with log entries newer than their newest seal'
       END AS backlog_of
  FROM unnest(ARRAY[
           'mark_overdue',
           'notify_due_soon',
           'escalate_overdue',
           'create_due_reviews',
           'create_scheduled_actions',
           'seal_ledgers'
       ]) WITH ORDINALITY AS t(task, position)
  LEFT JOIN LATERAL (SELECT r.started_at, r.outcome, r.duration, r.rows_affected, r.sqlstate, r.error
                       FROM actions.maintenance_run r
                      WHERE r.task = t.task ORDER BY r.run_id DESC LIMIT 1) AS last ON true;
COMMENT ON VIEW actions.maintenance_status IS
    'One row per maintenance task: its last run (when, outcome, duration, error) and its backlog now. Like the pg_stat_* views, for monitoring; granted by a DBA';
COMMENT ON COLUMN actions.maintenance_status.position IS 'The order in which actions.run_maintenance() runs the tasks';
COMMENT ON COLUMN actions.maintenance_status.task IS 'The task: the function actions.<task>()';
COMMENT ON COLUMN actions.maintenance_status.last_run_at IS 'When its last run started (NULL: it never ran, or its runs were pruned)';
COMMENT ON COLUMN actions.maintenance_status.last_outcome IS 'succeeded or failed';
COMMENT ON COLUMN actions.maintenance_status.last_duration IS 'How long its last run took';
COMMENT ON COLUMN actions.maintenance_status.last_rows_affected IS 'How many rows its last run marked, sent or created';
COMMENT ON COLUMN actions.maintenance_status.last_sqlstate IS 'The SQLSTATE of the last run''s error, when it failed';
COMMENT ON COLUMN actions.maintenance_status.last_error IS 'The error message of the last run, when it failed';
COMMENT ON COLUMN actions.maintenance_status.last_success_at IS 'When its last successful run (among the runs kept) started';
COMMENT ON COLUMN actions.maintenance_status.backlog IS 'How much work the task would do if it ran now (see backlog_of); it stays above zero when the task does not run or keeps failing';
COMMENT ON COLUMN actions.maintenance_status.backlog_of IS 'What backlog counts';

CREATE FUNCTION actions.run_task_here(task text) RETURNS bigint
    LANGUAGE c VOLATILE SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_run_task_here';
COMMENT ON FUNCTION actions.run_task_here(text) IS
    'Part of actions.run_maintenance(): runs the task actions.<task>() over this node''s data (on a Citus worker once per workspace placed on it, each time on that workspace''s local shards); returns the sum of its counts';
REVOKE ALL ON FUNCTION actions.run_task_here(text) FROM PUBLIC;

CREATE FUNCTION actions.run_maintenance()
    RETURNS TABLE (task text, outcome text, rows_affected bigint, duration interval, error text)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    task_name text;
    started timestamptz;
    n       bigint;
    state   text;
    message text;
    on_coordinator boolean := false;
    part    record;
BEGIN
    -- On the coordinator of a Citus cluster the rows are on the workers: each worker runs every
    -- task over the workspaces placed on it (run_command_on_workers(), in parallel, each worker
    -- in its own transaction, recording its own runs in its actions.maintenance_run), and this
    -- returns and records per task what all of them did: failed if one failed (the error names
    -- the node), the rows they affected added up, the longest duration.
    IF pg_catalog.to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL THEN
        EXECUTE $q$SELECT EXISTS (SELECT FROM pg_catalog.pg_dist_local_group WHERE groupid = 0)
                      AND EXISTS (SELECT FROM pg_catalog.pg_dist_partition WHERE logicalrelid = 'actions.workspace'::pg_catalog.regclass)$q$
           INTO on_coordinator;
    END IF;
    IF on_coordinator THEN
        started := pg_catalog.clock_timestamp();
        FOR part IN EXECUTE $q$
            WITH nodes AS (
                SELECT w.nodename || ':' || w.nodeport AS name, w.success, w.result
                  FROM pg_catalog.run_command_on_workers('SELECT pg_catalog.json_agg(r) FROM actions.run_maintenance() r') w),
            parts AS (
                SELECT p.task, p.outcome, p.rows_affected, p.duration,
                       CASE WHEN p.error IS NOT NULL THEN 'on ' || n.name || ': ' || p.error END AS error
                  FROM nodes n
                 CROSS JOIN LATERAL pg_catalog.json_to_recordset(n.result::json)
                       AS p(task text, outcome text, rows_affected bigint, duration interval, error text)
                 WHERE n.success
                UNION ALL
                SELECT s.task, 'failed', NULL, NULL, 'on ' || n.name || ': ' || n.result
                  FROM nodes n CROSS JOIN actions.maintenance_status s
                 WHERE NOT n.success)
            SELECT s.task AS task_name,
                   CASE WHEN bool_or(p.outcome = 'failed') THEN 'failed' ELSE 'succeeded' END AS outcome,
                   sum(p.rows_affected)::bigint AS rows_affected, max(p.duration) AS duration,
                   string_agg(p.error, '; ' ORDER BY p.error) AS error
              FROM actions.maintenance_status s LEFT JOIN parts p ON p.task = s.task
             GROUP BY s.task, s.position ORDER BY s.position $q$ LOOP
            task := part.task_name; outcome := part.outcome; rows_affected := part.rows_affected;
            duration := part.duration; error := part.error;
            INSERT INTO actions.maintenance_run (task, started_at, duration, outcome, rows_affected, sqlstate, error)
            VALUES (part.task_name, started, coalesce(part.duration, '0'::interval), part.outcome, part.rows_affected,
                    NULL, part.error);
            DELETE FROM actions.maintenance_run m
             WHERE m.task = part.task_name
               AND m.run_id <= (SELECT k.run_id FROM actions.maintenance_run k WHERE k.task = part.task_name
                                 ORDER BY k.run_id DESC OFFSET 1440 LIMIT 1);
            RETURN NEXT;
        END LOOP;
        RETURN;
    END IF;
    -- The tasks skip the actions other transactions hold instead of waiting for them: each task
    -- locks in one order, but this transaction holds the earlier tasks' locks meanwhile, so a
    -- wait could close a cycle with an API call or a sweep. What is skipped is done next run.
    PERFORM pg_catalog.set_config('pg_actions.sweep_skip_locked', 'on', true);
    -- The tasks are the rows of actions.maintenance_status; reading only their names does not
    -- count the backlogs.
    FOR task_name IN SELECT s.task FROM actions.maintenance_status s ORDER BY s.position LOOP
        started := pg_catalog.clock_timestamp();
        n := NULL; state := NULL; message := NULL;
        BEGIN
            -- Its own subtransaction: a failing task is rolled back alone and the others run. On
            -- a Citus worker it runs once per workspace placed there (actions.run_task_here()).
            n := actions.run_task_here(task_name);
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
            RAISE WARNING 'pg_actions maintenance task % failed: %', task_name, message
                USING ERRCODE = state, HINT = 'SELECT * FROM actions.maintenance_status shows every task''s last run';
        END;
        task := task_name;
        outcome := CASE WHEN message IS NULL THEN 'succeeded' ELSE 'failed' END;
        rows_affected := n;
        duration := pg_catalog.clock_timestamp() - started;
        error := message;
        INSERT INTO actions.maintenance_run (task, started_at, duration, outcome, rows_affected, sqlstate, error)
        VALUES (task_name, started, run_maintenance.duration, run_maintenance.outcome, n, state, message);
        -- Bounded: the newest 1440 runs of each task (a day, run every minute) are kept.
        DELETE FROM actions.maintenance_run m
         WHERE m.task = task_name
           AND m.run_id <= (SELECT k.run_id FROM actions.maintenance_run k WHERE k.task = task_name
                             ORDER BY k.run_id DESC OFFSET 1440 LIMIT 1);
        RETURN NEXT;
    END LOOP;
    PERFORM pg_catalog.set_config('pg_actions.sweep_skip_locked', 'off', true);
END
$$;
COMMENT ON FUNCTION actions.run_maintenance() IS
    'Maintenance: run every task of actions.maintenance_status (mark_overdue, notify_due_soon, escalate_overdue, create_due_reviews, create_scheduled_actions, seal_ledgers: the last seals what the others changed), each in its own subtransaction so a failing one does not stop the others, and record each run in actions.maintenance_run; returns one row per task. The tasks skip the actions other transactions hold (pg_actions.sweep_skip_locked), so the job never waits for a row lock; the next run takes them. On a Citus coordinator every worker runs them over the workspaces placed on it, and the rows returned and recorded here sum up the workers'' runs. The pg_cron job calls it';

-- The sweeps' unexpected errors, one row per item: each sweep works through a bounded batch
-- (pg_actions.sweep_batch_size), each item in its own subtransaction, so an item whose work
-- fails with an error that is not a recorded refusal is rolled back alone, written here, and the
-- other items go on.
CREATE TABLE actions.maintenance_error (
    error_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task         text NOT NULL,
    at           timestamptz NOT NULL,
    workspace_id bigint,
    item         text NOT NULL CONSTRAINT maintenance_error_item CHECK (item = ANY (ARRAY['action', 'schedule', 'document', 'workspace'])),
    item_id      bigint NOT NULL,
    sqlstate     text NOT NULL,
    error        text NOT NULL
);
CREATE INDEX maintenance_error_task_idx ON actions.maintenance_error (task, error_id);
SELECT pg_catalog.pg_extension_config_dump('actions.maintenance_error', '');
SELECT pg_catalog.pg_extension_config_dump('actions.maintenance_error_error_id_seq', '');
COMMENT ON TABLE actions.maintenance_error IS
    'One row per item a maintenance task could not process (an unexpected error; the item was rolled back alone and the task went on); the newest 10000 of each task are kept';
COMMENT ON COLUMN actions.maintenance_error.error_id IS 'Identity, in the order the errors happened';
COMMENT ON COLUMN actions.maintenance_error.task IS 'The task: the function actions.<task>() that met the error';
COMMENT ON COLUMN actions.maintenance_error.at IS 'When it happened';
COMMENT ON COLUMN actions.maintenance_error.workspace_id IS 'The workspace of the item';
COMMENT ON COLUMN actions.maintenance_error.item IS 'What the item is: action, schedule, document (a record under review) or workspace (a ledger to seal)';
COMMENT ON COLUMN actions.maintenance_error.item_id IS 'Its id (action_id, schedule_id, record_id or workspace_id); the next run tries it again';
COMMENT ON COLUMN actions.maintenance_error.sqlstate IS 'The SQLSTATE of the error';
COMMENT ON COLUMN actions.maintenance_error.error IS 'The error message';

CREATE FUNCTION actions.record_maintenance_error(task text, workspace_id bigint, item text, item_id bigint,
                                                 sqlstate text, error text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    -- Called by the sweeps with what they hold; a DBA calling it by hand gets a checked refusal.
    IF task IS NULL OR item IS NULL OR item_id IS NULL OR sqlstate IS NULL OR error IS NULL THEN
        RAISE EXCEPTION 'record_maintenance_error: task, item, item_id, sqlstate and error are required'
            USING ERRCODE = '22004', HINT = 'only workspace_id may be NULL';
    END IF;
    IF item <> ALL (ARRAY['action', 'schedule', 'document', 'workspace']) THEN
        RAISE EXCEPTION 'record_maintenance_error: item must be action, schedule, document or workspace, not "%"', item
            USING ERRCODE = '22023', HINT = 'it names what the failed item is';
    END IF;
    INSERT INTO actions.maintenance_error (task, at, workspace_id, item, item_id, sqlstate, error)
    VALUES (task, pg_catalog.clock_timestamp(), workspace_id, item, item_id, sqlstate, error);
    -- Bounded: the newest 10000 of each task are kept.
    DELETE FROM actions.maintenance_error m
     WHERE m.task = record_maintenance_error.task
       AND m.error_id <= (SELECT k.error_id FROM actions.maintenance_error k WHERE k.task = record_maintenance_error.task
                           ORDER BY k.error_id DESC OFFSET 10000 LIMIT 1);
    RAISE WARNING 'pg_actions maintenance task % failed for % %: %', task, item, item_id, error
        USING HINT = 'SELECT * FROM actions.maintenance_error shows every such error; the other items were processed';
END
$$;
COMMENT ON FUNCTION actions.record_maintenance_error(text, bigint, text, bigint, text, text) IS
    'Internal to the maintenance tasks: records that one item failed with an unexpected error (actions.maintenance_error) and raises a WARNING';

REVOKE ALL ON TABLE actions.maintenance_error FROM PUBLIC;
REVOKE ALL ON FUNCTION actions.record_maintenance_error(text, bigint, text, bigint, text, text) FROM PUBLIC;

CREATE FUNCTION actions.maintenance_job_name() RETURNS text
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
    AS $$
    -- pg_cron's job names are of type name (63 bytes); a longer one is shortened to a hash.
    SELECT CASE WHEN pg_catalog.octet_length('pg_actions_maintenance:' || pg_catalog.current_database()) <= 63
                THEN 'pg_actions_maintenance:' || pg_catalog.current_database()
                ELSE 'pg_actions_maintenance:' || pg_catalog.md5(pg_catalog.current_database()) END
$$;
COMMENT ON FUNCTION actions.maintenance_job_name() IS
    'The name of this database''s pg_cron maintenance job: pg_actions_maintenance:<database>, unique per database';

CREATE FUNCTION actions.cron_database_name() RETURNS text
    LANGUAGE c STABLE SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_cron_database_name';
COMMENT ON FUNCTION actions.cron_database_name() IS
    'The database pg_cron keeps its jobs in (the setting cron.database_name), or NULL when pg_cron is not loaded';

CREATE FUNCTION actions.cron_schedule_elsewhere(job_name text, schedule text, command text) RETURNS bigint
    LANGUAGE c SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_cron_schedule_elsewhere';
COMMENT ON FUNCTION actions.cron_schedule_elsewhere(text, text, text) IS
    'Internal to schedule_maintenance(): schedules a job for this database with cron.schedule_in_database() in the database pg_cron lives in, over a connection to this server''s own socket as the current user; returns the job id';

CREATE FUNCTION actions.cron_unschedule_elsewhere(job_name text) RETURNS bigint
    LANGUAGE c SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_cron_unschedule_elsewhere';
COMMENT ON FUNCTION actions.cron_unschedule_elsewhere(text) IS
    'Internal to unschedule_maintenance(): removes this database''s job of that name from the database pg_cron lives in; returns how many were removed';

CREATE FUNCTION actions.schedule_maintenance(schedule text DEFAULT '* * * * *') RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    job      bigint;
    cron_db  text;
    job_name text := actions.maintenance_job_name();
    command  text := 'SELECT actions.run_maintenance()';
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
        -- The job of 0.1, named pg_actions_maintenance, is replaced by this database's own.
        EXECUTE 'SELECT count(cron.unschedule(j.jobid)) FROM cron.job j WHERE j.jobname = $1 AND j.database = $2'
          USING 'pg_actions_maintenance', pg_catalog.current_database();
        EXECUTE 'SELECT cron.schedule_in_database($1, $2, $3, $4)'
           INTO job
          USING job_name, schedule, command, pg_catalog.current_database();
        RETURN job;
    END IF;
    cron_db := actions.cron_database_name();
    IF cron_db IS NULL THEN
        RAISE EXCEPTION 'pg_cron is not loaded'
            USING ERRCODE = '55000',
                  DETAIL = 'actions.schedule_maintenance() registers SELECT actions.run_maintenance() as a pg_cron job',
                  HINT = 'add pg_cron to shared_preload_libraries and restart, or run SELECT actions.run_maintenance() from another scheduler';
    ELSIF cron_db = pg_catalog.current_database() THEN
        RAISE EXCEPTION 'pg_cron is not installed in this database'
            USING ERRCODE = '55000',
                  DETAIL = 'actions.schedule_maintenance() registers SELECT actions.run_maintenance() as a pg_cron job',
                  HINT = 'CREATE EXTENSION pg_cron in this database (its cron.database_name), or run SELECT actions.run_maintenance() from another scheduler';
    END IF;
    -- pg_cron lives in another database: the job is scheduled there, to run in this one.
    RETURN actions.cron_schedule_elsewhere(job_name, schedule, command);
END
$$;
COMMENT ON FUNCTION actions.schedule_maintenance(text) IS
    'Register SELECT actions.run_maintenance() as this database''s pg_cron job (actions.maintenance_job_name()), in this database or, when pg_cron lives in another one (cron.database_name), there with cron.schedule_in_database(); scheduling again changes the schedule. Returns the job id; fails with a hint when pg_cron is not available';

CREATE FUNCTION actions.unschedule_maintenance(quiet boolean DEFAULT false) RETURNS boolean
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    removed bigint := 0;
    cron_db text;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
        EXECUTE 'SELECT count(cron.unschedule(j.jobid)) FROM cron.job j WHERE j.jobname = ANY ($1) AND j.database = $2'
           INTO removed
          USING ARRAY[actions.maintenance_job_name(), 'pg_actions_maintenance'], pg_catalog.current_database();
    ELSE
        cron_db := actions.cron_database_name();
        IF cron_db IS NOT NULL AND cron_db <> pg_catalog.current_database() THEN
            removed := actions.cron_unschedule_elsewhere(actions.maintenance_job_name());
        END IF;
    END IF;
    RETURN removed > 0;
EXCEPTION WHEN OTHERS THEN
    IF NOT quiet THEN
        RAISE;
    END IF;
    DECLARE
        message text;
        hint    text;
    BEGIN
        GET STACKED DIAGNOSTICS message = MESSAGE_TEXT, hint = PG_EXCEPTION_HINT;
        RAISE WARNING 'the pg_cron job % could not be removed: %', actions.maintenance_job_name(), message
            USING HINT = coalesce(nullif(hint, '') || '; then ', '')
                         || 'remove it with SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname = '
                         || pg_catalog.quote_literal(actions.maintenance_job_name())
                         || ' in the database pg_cron lives in';
    END;
    RETURN false;
END
$$;
COMMENT ON FUNCTION actions.unschedule_maintenance(boolean) IS
    'Remove this database''s pg_cron maintenance job (and the 0.1 job pg_actions_maintenance), here or in the database pg_cron lives in; returns whether one was removed. quiet => true turns a failure into a WARNING (DROP EXTENSION uses it)';

-- DROP EXTENSION pg_actions (or DROP SCHEMA actions CASCADE) removes the job first: it would
-- otherwise fail every minute. ddl_command_start, while the extension still exists.
CREATE FUNCTION actions.unschedule_on_drop() RETURNS event_trigger
    LANGUAGE c SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_unschedule_on_drop';
COMMENT ON FUNCTION actions.unschedule_on_drop() IS
    'Event trigger: when the command drops pg_actions (DROP EXTENSION pg_actions, DROP SCHEMA actions CASCADE), removes the maintenance job with actions.unschedule_maintenance(quiet => true)';
CREATE EVENT TRIGGER pg_actions_unschedule_on_drop ON ddl_command_start
    WHEN TAG IN ('DROP EXTENSION', 'DROP SCHEMA')
    EXECUTE FUNCTION actions.unschedule_on_drop();
COMMENT ON EVENT TRIGGER pg_actions_unschedule_on_drop IS
    'Removes the pg_cron maintenance job before pg_actions is dropped (actions.unschedule_on_drop())';

REVOKE ALL ON TABLE actions.maintenance_run, actions.maintenance_status FROM PUBLIC;
REVOKE ALL ON FUNCTION actions.run_maintenance(), actions.maintenance_job_name(), actions.cron_database_name(),
    actions.cron_schedule_elsewhere(text, text, text), actions.cron_unschedule_elsewhere(text),
    actions.schedule_maintenance(text), actions.unschedule_maintenance(boolean), actions.unschedule_on_drop() FROM PUBLIC;
