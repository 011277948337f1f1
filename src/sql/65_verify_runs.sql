-- pg_actions install script, part 65: the log verification as a scheduled job records its result,
-- so monitoring can alert on it (contrib/prometheus). actions.verify_logs() runs
-- actions.verify_log() for every workspace, each in its own subtransaction, and keeps the newest
-- result per workspace in actions.verify_run; actions.metrics_verify() returns its counts. It
-- reads the whole log, so its cost grows with the log: its own pg_cron job runs it hourly or
-- daily (docs/operations.md), not run_maintenance()'s every-minute tasks. Not for PUBLIC.

CREATE TABLE actions.verify_run (
    workspace_id  bigint PRIMARY KEY REFERENCES actions.workspace (workspace_id) ON DELETE CASCADE,
    checked_at    timestamptz NOT NULL,
    problems      bigint NOT NULL CONSTRAINT verify_run_problems CHECK (problems >= 0),
    first_problem text,
    CONSTRAINT verify_run_first_problem CHECK ((problems = 0) = (first_problem IS NULL))
);
COMMENT ON TABLE actions.verify_run IS
    'The newest result of actions.verify_logs() per workspace: when its log was checked and what actions.verify_log() found';
COMMENT ON COLUMN actions.verify_run.workspace_id IS 'The workspace whose log was checked';
COMMENT ON COLUMN actions.verify_run.checked_at IS 'When the check of this workspace started';
COMMENT ON COLUMN actions.verify_run.problems IS 'How many problems actions.verify_log() returned (0: the log is intact); an error of the check counts as one';
COMMENT ON COLUMN actions.verify_run.first_problem IS 'The first problem (action, log entry and what differs) or the error of the check; NULL when there is none';
-- Dumped with the rest (README, "Backups and restores"), guarded like every dumped table.
SELECT pg_catalog.pg_extension_config_dump('actions.verify_run', '');
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.verify_run
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
ALTER TABLE actions.verify_run ENABLE ALWAYS TRIGGER restore_guard;
COMMENT ON TRIGGER restore_guard ON actions.verify_run IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
CREATE TRIGGER restore_done AFTER INSERT ON actions.verify_run
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_done();
ALTER TABLE actions.verify_run ENABLE ALWAYS TRIGGER restore_done;
COMMENT ON TRIGGER restore_done ON actions.verify_run IS 'Ends the replica mode of a restore''s COPY into this table (actions.restore_done())';

CREATE FUNCTION actions.verify_logs() RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    ws      bigint;
    started timestamptz;
    n       bigint;
    first   text;
    state   text;
    message text;
    total   bigint := 0;
BEGIN
    FOR ws IN SELECT w.workspace_id FROM actions.workspace w ORDER BY w.workspace_id LOOP
        started := pg_catalog.clock_timestamp();
        BEGIN
            -- Its own subtransaction: an error checking one workspace is recorded for it as a
            -- problem, and the others are checked.
            SELECT pg_catalog.count(*),
                   (pg_catalog.array_agg(pg_catalog.format('action %s, entry %s: %s', v.action_id, v.seq, v.problem)
                                         ORDER BY v.action_id, v.seq))[1]
              INTO n, first
              FROM actions.verify_log(ws) v;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
            n := 1;
            first := pg_catalog.format('the check failed: %s (SQLSTATE %s)', message, state);
            RAISE WARNING 'pg_actions verify_log(%) failed: %', ws, message
                USING ERRCODE = state, HINT = 'SELECT * FROM actions.verify_run shows every workspace''s last check';
        END;
        INSERT INTO actions.verify_run AS r (workspace_id, checked_at, problems, first_problem)
        VALUES (ws, started, n, first)
        ON CONFLICT (workspace_id) DO UPDATE
           SET checked_at = excluded.checked_at, problems = excluded.problems, first_problem = excluded.first_problem;
        total := total + n;
    END LOOP;
    RETURN total;
END
$$;
COMMENT ON FUNCTION actions.verify_logs() IS
    'Maintenance: run actions.verify_log() for every workspace, each in its own subtransaction (an error is recorded as a problem of that workspace and the others are checked), keep each result in actions.verify_run and return the total number of problems. It reads the whole log, so its cost grows with the log: run it by its own pg_cron job, hourly or daily, not every minute';

CREATE FUNCTION actions.metrics_verify()
    RETURNS TABLE (workspace_id bigint, problems bigint, age_seconds double precision)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT w.workspace_id, r.problems,
           GREATEST(extract(epoch FROM pg_catalog.now() - coalesce(r.checked_at, w.created_at)), 0)::double precision
      FROM actions.workspace w
      LEFT JOIN actions.verify_run r ON r.workspace_id = w.workspace_id
     ORDER BY 1
$$;
COMMENT ON FUNCTION actions.metrics_verify() IS
    'Monitoring: per workspace, how many problems the last actions.verify_logs() found in its log (NULL: never checked) and the seconds since that check (since the workspace was created when it was never checked); counts only';

REVOKE ALL ON TABLE actions.verify_run FROM PUBLIC;
REVOKE ALL ON FUNCTION actions.verify_logs(), actions.metrics_verify() FROM PUBLIC;
