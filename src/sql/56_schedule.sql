-- pg_actions install script, part 56: recurring actions. A schedule creates actions from a
-- template on an RFC 5545 recurrence rule (RRULE, expanded by libical in the core) in the
-- workspace's time zone; the maintenance task actions.create_scheduled_actions() creates each due
-- occurrence exactly once (actions.schedule_occurrence's key), as the schedule's owner.

CREATE TABLE actions.schedule (
    workspace_id bigint NOT NULL REFERENCES actions.workspace ON DELETE CASCADE,
    schedule_id  bigint GENERATED ALWAYS AS IDENTITY,
    template_id  bigint NOT NULL,
    record_id    bigint,
    rrule        text NOT NULL CHECK (length(rrule) <= 1000),
    starts_at    timestamp(0) NOT NULL,
    catch_up     text NOT NULL DEFAULT 'latest' CHECK (catch_up IN ('all', 'latest')),
    owner_id     bigint NOT NULL,
    paused       boolean NOT NULL DEFAULT false,
    next_local   timestamp(0),
    next_at      timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, schedule_id),
    FOREIGN KEY (workspace_id, owner_id) REFERENCES actions.member,
    FOREIGN KEY (workspace_id, record_id) REFERENCES actions.record,
    FOREIGN KEY (workspace_id, template_id) REFERENCES actions.template,
    CONSTRAINT schedule_next CHECK ((next_local IS NULL) = (next_at IS NULL))
);
CREATE UNIQUE INDEX schedule_id_idx ON actions.schedule (schedule_id);
-- What the sweep reads: the schedules due now, and nothing else (a sweep with nothing due reads
-- one index page).
CREATE INDEX schedule_due_idx ON actions.schedule (next_at) WHERE NOT paused AND next_at IS NOT NULL;
COMMENT ON TABLE actions.schedule IS
    'Recurring actions: a template instantiated on an RFC 5545 recurrence rule in the workspace''s time zone by the maintenance task actions.create_scheduled_actions(); written through create_schedule, pause_schedule, resume_schedule and delete_schedule';
COMMENT ON COLUMN actions.schedule.workspace_id IS 'Workspace (tenant)';
COMMENT ON COLUMN actions.schedule.schedule_id IS 'Identity';
COMMENT ON COLUMN actions.schedule.template_id IS 'The template each occurrence''s action is created from (actions.create_action_from_template())';
COMMENT ON COLUMN actions.schedule.record_id IS 'The record each occurrence''s action is linked to, or NULL';
COMMENT ON COLUMN actions.schedule.rrule IS 'The recurrence rule: the value of an RFC 5545 RRULE property (FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31), in libical''s normal form; DAILY or slower';
COMMENT ON COLUMN actions.schedule.starts_at IS 'The rule''s start (DTSTART) as a wall-clock time in the workspace''s time zone: the time of day of every occurrence, and the date the rule counts from';
COMMENT ON COLUMN actions.schedule.catch_up IS 'After the sweep was stopped for a while: all (create every missed occurrence, at most 1000 per sweep) or latest (only the latest; the older ones are passed over)';
COMMENT ON COLUMN actions.schedule.owner_id IS 'Who created the schedule: each occurrence''s action is created as this person, with create_action''s rules at that moment';
COMMENT ON COLUMN actions.schedule.paused IS 'Paused: no occurrence is created; resume_schedule() continues with the first occurrence from then on';
COMMENT ON COLUMN actions.schedule.next_local IS 'The next occurrence not yet created, as a wall-clock time in the workspace''s time zone (NULL: the rule has ended)';
COMMENT ON COLUMN actions.schedule.next_at IS 'next_local as an absolute time (timestamp AT TIME ZONE the workspace''s zone): when the sweep creates it';
COMMENT ON COLUMN actions.schedule.created_at IS 'When the schedule was created';

CREATE TABLE actions.schedule_occurrence (
    workspace_id  bigint NOT NULL REFERENCES actions.workspace ON DELETE CASCADE,
    schedule_id   bigint NOT NULL,
    occurrence    timestamp(0) NOT NULL,
    occurrence_at timestamptz NOT NULL,
    action_id     bigint,
    sqlstate      text,
    error         text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, schedule_id, occurrence),
    CONSTRAINT schedule_occurrence_outcome CHECK ((action_id IS NULL) = (error IS NOT NULL))
);
CREATE UNIQUE INDEX schedule_occurrence_action_idx ON actions.schedule_occurrence (action_id);
COMMENT ON TABLE actions.schedule_occurrence IS
    'Each occurrence of a schedule the sweep handled, once (its primary key makes concurrent sweeps create it exactly once): the action it created, or why none was. Kept when the schedule or the action is deleted';
COMMENT ON COLUMN actions.schedule_occurrence.workspace_id IS 'Workspace (tenant)';
COMMENT ON COLUMN actions.schedule_occurrence.schedule_id IS 'The schedule';
COMMENT ON COLUMN actions.schedule_occurrence.occurrence IS 'The occurrence, as the rule names it: a wall-clock time in the workspace''s time zone';
COMMENT ON COLUMN actions.schedule_occurrence.occurrence_at IS 'The occurrence as an absolute time';
COMMENT ON COLUMN actions.schedule_occurrence.action_id IS 'The action created for it (NULL: none, see error)';
COMMENT ON COLUMN actions.schedule_occurrence.sqlstate IS 'Why no action was created: the SQLSTATE of the refusal or error';
COMMENT ON COLUMN actions.schedule_occurrence.error IS 'Why no action was created: the message (the owner may no longer create actions, the template was retired, ...)';
COMMENT ON COLUMN actions.schedule_occurrence.created_at IS 'When the sweep handled it';

ALTER TABLE actions.schedule ENABLE ROW LEVEL SECURITY;
CREATE POLICY schedule_visible ON actions.schedule FOR SELECT USING (
    actions.service_sees_all()
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY schedule_visible ON actions.schedule IS 'Members see the schedules of their workspaces';
ALTER TABLE actions.schedule_occurrence ENABLE ROW LEVEL SECURITY;
CREATE POLICY schedule_occurrence_visible ON actions.schedule_occurrence FOR SELECT USING (
    actions.service_sees_all()
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY schedule_occurrence_visible ON actions.schedule_occurrence IS
    'Members see which occurrences of their workspaces'' schedules were created';
GRANT SELECT ON actions.schedule, actions.schedule_occurrence TO PUBLIC;

CREATE FUNCTION actions.create_schedule(workspace_id bigint, template_id bigint, rrule text, starts_at timestamp,
                                        record_id bigint DEFAULT NULL, catch_up text DEFAULT 'latest')
    RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_create_schedule';
COMMENT ON FUNCTION actions.create_schedule(bigint, bigint, text, timestamp, bigint, text) IS
    'New schedule owned by the caller (needs create_actions): actions from the template on the RFC 5545 rule (FREQ=YEARLY, FREQ=MONTHLY;INTERVAL=3, FREQ=MONTHLY;BYDAY=2TU, FREQ=WEEKLY;BYDAY=MO,TH, with INTERVAL, UNTIL, COUNT), starting at starts_at, a wall-clock time in the workspace''s time zone; catch_up all or latest. Returns its id';

CREATE FUNCTION actions.pause_schedule(schedule_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_pause_schedule';
COMMENT ON FUNCTION actions.pause_schedule(bigint) IS
    'Pause a schedule (its owner, or a member with manage_workspace): nothing is created until it is resumed';

CREATE FUNCTION actions.resume_schedule(schedule_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_resume_schedule';
COMMENT ON FUNCTION actions.resume_schedule(bigint) IS
    'Resume a paused schedule (its owner, or a member with manage_workspace): occurrences that fell in the pause are not created; the next is the first from now on';

CREATE FUNCTION actions.delete_schedule(schedule_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_delete_schedule';
COMMENT ON FUNCTION actions.delete_schedule(bigint) IS
    'Delete a schedule (its owner, or a member with manage_workspace); the actions it created and actions.schedule_occurrence stay';

CREATE FUNCTION actions.next_occurrences(schedule_id bigint, n integer DEFAULT 10)
    RETURNS TABLE (occurrence timestamp, occurrence_at timestamptz)
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_next_occurrences';
COMMENT ON FUNCTION actions.next_occurrences(bigint, integer) IS
    'The next n (at most 1000) occurrences of a schedule the caller''s workspace holds, from its next one not yet created (a paused schedule: from now on): the wall-clock time in the workspace''s time zone and the absolute time';

CREATE FUNCTION actions.create_scheduled_actions() RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_create_scheduled_actions';
COMMENT ON FUNCTION actions.create_scheduled_actions() IS
    'Maintenance: create the due occurrences of the schedules that are not paused, at most pg_actions.sweep_batch_size schedules per call (the longest due first; the rest wait for the next call), each occurrence exactly once (concurrent sweeps skip each other''s schedules, and actions.schedule_occurrence''s key holds anyway), as the schedule''s owner, after a stop every missed one or only the latest (catch_up); a schedule that fails unexpectedly is recorded in actions.maintenance_error and the others go on. Returns how many actions it created';

REVOKE ALL ON FUNCTION actions.create_scheduled_actions() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    actions.create_schedule(bigint, bigint, text, timestamp, bigint, text), actions.pause_schedule(bigint),
    actions.resume_schedule(bigint), actions.delete_schedule(bigint), actions.next_occurrences(bigint, integer)
    TO PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('actions.schedule', '');
SELECT pg_catalog.pg_extension_config_dump('actions.schedule_occurrence', '');
SELECT pg_catalog.pg_extension_config_dump('actions.schedule_schedule_id_seq', '');
