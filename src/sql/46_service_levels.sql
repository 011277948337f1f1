-- pg_actions install script, part 46: service levels. Every figure comes from the activity log
-- (the single source of truth; core/service_level.hpp folds an action's entries): the time an action
-- spent in each status (actions.action_status_times()), and for the reports, actions.service_level,
-- one row per action ever completed, which the log trigger rewrites from the action's log whenever
-- an entry could change it (a completion, leaving complete, a change of the due date or of a key a
-- report groups by while complete). actions.service_level_from_log() recomputes the rows from the
-- log alone and actions.rebuild_service_levels() writes them back. A person reads only the rows of
-- the actions they see (the policy is action_visible's predicate over the row's own columns), and
-- the report functions run as the caller, so they count only those.
--
-- On time: completed at or before the due date as it stood at that completion (the last due date
-- the log shows up to the `completed` entry): a due date moved before completion counts as moved.
-- The first due date the action ever had is kept too (met_first_due), so a report also shows how
-- many completions met the date first promised. The last completion counts for an action completed
-- again after being uncompleted; an action without a due date is neither on time nor late.

-- No foreign keys: like the log it is folded from, a row outlives its action (and is written
-- through the table API, which checks none).
CREATE TABLE actions.service_level (
    workspace_id  bigint NOT NULL,
    action_id     bigint NOT NULL,
    type          text,
    owner_id      bigint,
    assignee_id   bigint,
    record_id     bigint,
    template_id   bigint,
    group_ids     bigint[] NOT NULL DEFAULT '{}',
    created_at    timestamptz,
    completed_at  timestamptz,
    due_at        timestamptz,
    first_due_at  timestamptz,
    on_time       boolean,
    met_first_due boolean,
    completions   integer NOT NULL DEFAULT 0,
    deleted       boolean NOT NULL DEFAULT false,
    working_to_complete interval,
    last_due_at   timestamptz,
    folded_seq    integer,
    PRIMARY KEY (workspace_id, action_id)
);
-- A period's completions of a workspace: the reports' one range read.
CREATE INDEX service_level_completed_idx ON actions.service_level (workspace_id, completed_at)
    WHERE completed_at IS NOT NULL;
COMMENT ON TABLE actions.service_level IS
    'Summary of every action ever completed, folded from its activity log and rewritten by the log trigger; recomputable from the log (actions.service_level_from_log(), actions.rebuild_service_levels())';
COMMENT ON COLUMN actions.service_level.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.service_level.action_id IS 'Action';
COMMENT ON COLUMN actions.service_level.type IS 'Action type, from the created entry (NULL for an action logged before 0.2)';
COMMENT ON COLUMN actions.service_level.owner_id IS 'Owner, from the created entry';
COMMENT ON COLUMN actions.service_level.assignee_id IS 'Assignee as the log last set it';
COMMENT ON COLUMN actions.service_level.record_id IS 'Linked record as the log last set it';
COMMENT ON COLUMN actions.service_level.template_id IS 'Template the action was made from, or NULL';
COMMENT ON COLUMN actions.service_level.group_ids IS 'Groups as the log last set them';
COMMENT ON COLUMN actions.service_level.created_at IS 'Time of the created entry';
COMMENT ON COLUMN actions.service_level.completed_at IS 'Time of the last completion while the action is complete; NULL once uncompleted or deleted';
COMMENT ON COLUMN actions.service_level.due_at IS 'Due date as it stood at that completion';
COMMENT ON COLUMN actions.service_level.first_due_at IS 'The first due date the action had';
COMMENT ON COLUMN actions.service_level.on_time IS 'completed_at <= due_at; NULL without a due date or while not complete';
COMMENT ON COLUMN actions.service_level.met_first_due IS 'completed_at <= first_due_at; NULL without a due date or while not complete';
COMMENT ON COLUMN actions.service_level.completions IS 'How many times the action was completed';
COMMENT ON COLUMN actions.service_level.deleted IS 'The action was deleted (its log ends with deleted): it no longer counts';
COMMENT ON COLUMN actions.service_level.working_to_complete IS 'Working time from creation to completion on the workspace''s business calendar as it was when the row was written (rebuild_service_levels() recomputes it with the current one); NULL without a calendar';
COMMENT ON COLUMN actions.service_level.last_due_at IS 'Due date as the log last set it (due_at is the one at the completion): with folded_seq, where the next rewrite continues the fold';
COMMENT ON COLUMN actions.service_level.folded_seq IS 'seq of the last log entry that changed this row''s facts: a rewrite folds only the entries after it (NULL for a row written before 0.3: the whole log)';

ALTER TABLE actions.service_level ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_level_visible ON actions.service_level FOR SELECT USING (
    actions.may_see_action(workspace_id, action_id, record_id, group_ids, assignee_id, owner_id, NULL,
        (SELECT actions.service_sees_all()), (SELECT actions.visible_workspaces())::bigint[],
        (SELECT actions.visible_groups()), (SELECT actions.party_records())::bigint[],
        (SELECT actions.candidate_actions())::bigint[],
        (SELECT pg_catalog.array_agg(ROW(s.workspace_id, s.person_id)::actions.member_key) FROM actions.substituted_members() s),
        (SELECT actions.member_workspaces())::bigint[], (SELECT actions.current_actor())));
COMMENT ON POLICY service_level_visible ON actions.service_level IS
    'The rows of the actions the person sees: the predicate of action_visible over the row''s own columns (the log''s values, which verify_log checks against the action row; the row keeps no delegated_by, so a delegator sees a completed action''s row only by the other clauses)';
GRANT SELECT ON actions.service_level TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('actions.service_level', '');

CREATE FUNCTION actions.service_level_vocabulary(name text) RETURNS text[]
    LANGUAGE c IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_service_level_vocabulary';
COMMENT ON FUNCTION actions.service_level_vocabulary(text) IS
    'The values the service-level reports accept, from the core: by (workspace, assignee, type, group, template) and period (day, week, month, quarter, year)';

CREATE FUNCTION actions.action_status_times(action_id bigint)
RETURNS TABLE (status text, entered integer, calendar_time interval, working_time interval)
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp ROWS 5
    AS 'MODULE_PATHNAME', 'pg_actions_action_status_times';
COMMENT ON FUNCTION actions.action_status_times(bigint) IS
    'The time an action spent in each status, folded from its activity log: one row per status it has been in, with how often it entered it, in calendar time and in working time on the workspace''s business calendar (NULL without one); the current status counts up to now. An action the person cannot see is not found (P0002)';

CREATE FUNCTION actions.service_level_from_log(workspace_id bigint) RETURNS SETOF actions.service_level
    LANGUAGE c STABLE SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_service_level_from_log';
COMMENT ON FUNCTION actions.service_level_from_log(bigint) IS
    'The rows actions.service_level should hold for a workspace, recomputed from the activity log alone (read as the caller: for the extension''s owner or a superuser)';

CREATE FUNCTION actions.rebuild_service_levels(workspace_id bigint DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    n bigint := 0;
    k bigint;
    w bigint;
BEGIN
    -- Refused up front, not by the LOCK below: a caller granted EXECUTE without owning the tables.
    IF NOT pg_catalog.pg_has_role(current_user, (SELECT c.relowner FROM pg_catalog.pg_class c
                                                  WHERE c.oid = 'actions.service_level'::pg_catalog.regclass), 'USAGE') THEN
        RAISE EXCEPTION 'permission denied to rebuild the service levels'
            USING ERRCODE = '42501',
                  DETAIL = 'actions.rebuild_service_levels() rewrites actions.service_level from the whole activity log, which only the extension''s owner or a superuser reads and writes',
                  HINT = 'run it as a superuser or as the role that created the extension';
    END IF;
    -- Writers of the log wait for the rebuild (their trigger writes this table), so no change
    -- made meanwhile is lost: each rewrites its own row from the log once the rebuild commits.
    LOCK TABLE actions.service_level IN SHARE ROW EXCLUSIVE MODE;
    FOR w IN SELECT ws.workspace_id FROM actions.workspace ws
              WHERE rebuild_service_levels.workspace_id IS NULL OR ws.workspace_id = rebuild_service_levels.workspace_id
              ORDER BY 1 LOOP
        DELETE FROM actions.service_level s WHERE s.workspace_id = w;
        INSERT INTO actions.service_level SELECT * FROM actions.service_level_from_log(w);
        GET DIAGNOSTICS k = ROW_COUNT;
        n := n + k;
    END LOOP;
    RETURN n;
END
$fn$;
COMMENT ON FUNCTION actions.rebuild_service_levels(bigint) IS
    'Rewrites actions.service_level from the activity log (one workspace, or all); returns the rows written. For the extension''s owner or a superuser';
REVOKE ALL ON FUNCTION actions.service_level_from_log(bigint), actions.rebuild_service_levels(bigint) FROM PUBLIC;

-- The reports run as the caller: row-level security of actions.service_level and actions.action
-- decides which actions they count (a person with view_actions on the workspace: all of them).
CREATE FUNCTION actions.service_levels(
    workspace_id bigint,
    from_time timestamptz,
    to_time timestamptz,
    by text DEFAULT 'workspace',
    period text DEFAULT NULL)
RETURNS TABLE (period_start timestamptz, assignee_id bigint, type text, group_id bigint, template_id bigint,
               completed bigint, with_due bigint, on_time bigint, late bigint, on_time_rate numeric,
               met_first_due bigint, mean_to_complete interval, p50_to_complete interval, p90_to_complete interval,
               mean_working interval, p50_working interval, p90_working interval)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    ws constant bigint := service_levels.workspace_id;
    tz text;
BEGIN
    IF ws IS NULL OR from_time IS NULL OR to_time IS NULL OR NOT isfinite(from_time) OR NOT isfinite(to_time)
       OR from_time >= to_time THEN
        RAISE EXCEPTION 'a service-level report needs a workspace and a period from_time < to_time' USING ERRCODE = '22023',
            HINT = 'e.g. actions.service_levels(1, ''2026-07-01'', ''2026-10-01'')';
    END IF;
    IF by IS NULL OR NOT by = ANY (actions.service_level_vocabulary('by')) THEN
        RAISE EXCEPTION 'unknown grouping "%"', by USING ERRCODE = '22023',
            HINT = 'by is one of ' || array_to_string(actions.service_level_vocabulary('by'), ', ');
    END IF;
    IF period IS NOT NULL AND NOT period = ANY (actions.service_level_vocabulary('period')) THEN
        RAISE EXCEPTION 'unknown period "%"', period USING ERRCODE = '22023',
            HINT = 'period is NULL (the whole range) or one of ' || array_to_string(actions.service_level_vocabulary('period'), ', ');
    END IF;
    IF actions.current_actor() IS NULL AND NOT actions.service_sees_all() THEN
        RAISE EXCEPTION 'no person is acting' USING ERRCODE = '42501',
            HINT = 'call as a person''s login role, or actions.act_as(person_id) first';
    END IF;
    tz := (SELECT w.time_zone FROM actions.workspace w WHERE w.workspace_id = ws);
    IF tz IS NULL THEN
        RAISE EXCEPTION 'workspace % not found', ws USING ERRCODE = 'P0002',
            HINT = 'pass a workspace you are an active member of';
    END IF;
    IF by = 'group' THEN
        -- An action counts in each of its groups; one without a group under group_id NULL.
        RETURN QUERY
            SELECT CASE WHEN period IS NULL THEN from_time ELSE date_trunc(period, s.completed_at, tz) END,
                   NULL::bigint, NULL::text, g.group_id, NULL::bigint,
                   count(*), count(s.on_time), count(*) FILTER (WHERE s.on_time), count(*) FILTER (WHERE NOT s.on_time),
                   round((count(*) FILTER (WHERE s.on_time))::numeric / NULLIF(count(s.on_time), 0), 4),
                   count(*) FILTER (WHERE s.met_first_due),
                   avg(s.completed_at - s.created_at),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY s.completed_at - s.created_at),
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY s.completed_at - s.created_at),
                   avg(s.working_to_complete),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY s.working_to_complete),
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY s.working_to_complete)
              FROM actions.service_level s
              CROSS JOIN LATERAL unnest(CASE WHEN cardinality(s.group_ids) > 0 THEN s.group_ids
                                             ELSE ARRAY[NULL::bigint] END) AS g(group_id)
             WHERE s.workspace_id = ws AND s.completed_at >= from_time AND s.completed_at < to_time
             GROUP BY 1, 4
             ORDER BY 1, 4;
        RETURN;
    END IF;
    RETURN QUERY
        SELECT CASE WHEN period IS NULL THEN from_time ELSE date_trunc(period, s.completed_at, tz) END,
               CASE WHEN by = 'assignee' THEN s.assignee_id END,
               CASE WHEN by = 'type' THEN s.type END,
               NULL::bigint,
               CASE WHEN by = 'template' THEN s.template_id END,
               count(*), count(s.on_time), count(*) FILTER (WHERE s.on_time), count(*) FILTER (WHERE NOT s.on_time),
               round((count(*) FILTER (WHERE s.on_time))::numeric / NULLIF(count(s.on_time), 0), 4),
               count(*) FILTER (WHERE s.met_first_due),
               avg(s.completed_at - s.created_at),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY s.completed_at - s.created_at),
               percentile_cont(0.9) WITHIN GROUP (ORDER BY s.completed_at - s.created_at),
               avg(s.working_to_complete),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY s.working_to_complete),
               percentile_cont(0.9) WITHIN GROUP (ORDER BY s.working_to_complete)
          FROM actions.service_level s
         WHERE s.workspace_id = ws AND s.completed_at >= from_time AND s.completed_at < to_time
         GROUP BY 1, 2, 3, 5
         ORDER BY 1, 2, 3, 5;
END
$fn$;
COMMENT ON FUNCTION actions.service_levels(bigint, timestamptz, timestamptz, text, text) IS
    'On-time rate and time to complete (mean, p50, p90 from creation to the last completion, in calendar time and in working time on the workspace''s business calendar, NULL without one) of the actions completed in [from_time, to_time) that the caller sees, per workspace, assignee, type, group or template (by) and per day, week, month, quarter or year in the workspace''s time zone (period); on time: completed by the due date as it stood then';

CREATE FUNCTION actions.due_risk(workspace_id bigint, within interval DEFAULT '1 day', by text DEFAULT 'workspace')
RETURNS TABLE (assignee_id bigint, type text, group_id bigint, template_id bigint, open bigint, overdue bigint,
               at_risk bigint)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    ws constant bigint := due_risk.workspace_id;
BEGIN
    IF ws IS NULL OR within IS NULL OR within < interval '0' THEN
        RAISE EXCEPTION 'due_risk needs a workspace and a window of zero or more' USING ERRCODE = '22023',
            HINT = 'e.g. actions.due_risk(1, interval ''2 days'')';
    END IF;
    IF by IS NULL OR NOT by = ANY (actions.service_level_vocabulary('by')) THEN
        RAISE EXCEPTION 'unknown grouping "%"', by USING ERRCODE = '22023',
            HINT = 'by is one of ' || array_to_string(actions.service_level_vocabulary('by'), ', ');
    END IF;
    IF actions.current_actor() IS NULL AND NOT actions.service_sees_all() THEN
        RAISE EXCEPTION 'no person is acting' USING ERRCODE = '42501',
            HINT = 'call as a person''s login role, or actions.act_as(person_id) first';
    END IF;
    -- Overdue: open and past due (whether or not the sweep has marked it yet); at risk: open and
    -- due within the window from now.
    RETURN QUERY
        SELECT CASE WHEN by = 'assignee' THEN a.assignee_id END,
               CASE WHEN by = 'type' THEN a.type END,
               CASE WHEN by = 'group' THEN g.group_id END,
               CASE WHEN by = 'template' THEN a.template_id END,
               count(*),
               count(*) FILTER (WHERE a.due_at < now()),
               count(*) FILTER (WHERE a.due_at >= now() AND a.due_at < now() + within)
          FROM actions.action a
          CROSS JOIN LATERAL unnest(CASE WHEN by = 'group' AND cardinality(a.group_ids) > 0 THEN a.group_ids
                                         ELSE ARRAY[NULL::bigint] END) AS g(group_id)
         WHERE a.workspace_id = ws AND a.status = ANY (actions.list_vocabulary('open'))
         GROUP BY 1, 2, 3, 4
         ORDER BY 1, 2, 3, 4;
END
$fn$;
COMMENT ON FUNCTION actions.due_risk(bigint, interval, text) IS
    'Open actions the caller sees, how many of them are overdue (past due) and how many at risk (due within the window from now), per workspace, assignee, type, group or template (by)';

GRANT EXECUTE ON FUNCTION actions.service_level_vocabulary(text), actions.action_status_times(bigint),
    actions.service_levels(bigint, timestamptz, timestamptz, text, text), actions.due_risk(bigint, interval, text)
    TO PUBLIC;
