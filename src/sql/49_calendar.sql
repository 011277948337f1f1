-- pg_actions install script, part 49: business calendars. A calendar (working days and hours,
-- holidays, a time zone) belongs to the workspace whose managers change it; a workspace uses one
-- calendar, its own or one shared by another workspace it is managed with. The arithmetic
-- (actions.add_working_time, actions.working_time_between) is the core's (src/core/calendar.hpp),
-- over the offsets of PostgreSQL's own time zone database. Members read the calendars of their
-- workspaces through row-level security; changes go through the functions.

CREATE TABLE actions.calendar (
    calendar_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id bigint NOT NULL REFERENCES actions.workspace ON DELETE CASCADE,
    name         text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
    time_zone    text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, name)
);
COMMENT ON TABLE actions.calendar IS 'A business calendar: working days and hours (actions.calendar_hours), holidays (actions.calendar_holiday) and a time zone';
COMMENT ON COLUMN actions.calendar.calendar_id IS 'Identifier of the calendar';
COMMENT ON COLUMN actions.calendar.workspace_id IS 'The workspace that owns the calendar: its managers (manage_workspace) change it and share it';
COMMENT ON COLUMN actions.calendar.name IS 'Name of the calendar, unique in its workspace';
COMMENT ON COLUMN actions.calendar.time_zone IS 'IANA time zone (a name of pg_timezone_names) in which the working hours and holidays are read';
COMMENT ON COLUMN actions.calendar.created_at IS 'When the calendar was created';

CREATE TABLE actions.calendar_hours (
    calendar_id bigint NOT NULL REFERENCES actions.calendar ON DELETE CASCADE,
    weekday     smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    hours       text NOT NULL CHECK (hours <> ''),
    PRIMARY KEY (calendar_id, weekday)
);
COMMENT ON TABLE actions.calendar_hours IS 'Working hours of each working day of a calendar; a weekday without a row is not a working day';
COMMENT ON COLUMN actions.calendar_hours.calendar_id IS 'Calendar';
COMMENT ON COLUMN actions.calendar_hours.weekday IS 'ISO weekday: 1 Monday .. 7 Sunday';
COMMENT ON COLUMN actions.calendar_hours.hours IS 'Periods of working time in local wall-clock time, e.g. ''09:00-12:30, 13:30-17:30'' (sorted, disjoint, as the core writes them)';

CREATE TABLE actions.calendar_holiday (
    holiday_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    calendar_id bigint NOT NULL REFERENCES actions.calendar ON DELETE CASCADE,
    name        text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
    first_day   date NOT NULL,
    last_day    date NOT NULL,
    CHECK (last_day >= first_day)
);
CREATE INDEX calendar_holiday_calendar_idx ON actions.calendar_holiday (calendar_id, first_day);
COMMENT ON TABLE actions.calendar_holiday IS 'Holidays of a calendar: a single day or a range of days without working time';
COMMENT ON COLUMN actions.calendar_holiday.holiday_id IS 'Identifier of the holiday';
COMMENT ON COLUMN actions.calendar_holiday.calendar_id IS 'Calendar';
COMMENT ON COLUMN actions.calendar_holiday.name IS 'Name of the holiday, e.g. Christmas';
COMMENT ON COLUMN actions.calendar_holiday.first_day IS 'First day of the holiday';
COMMENT ON COLUMN actions.calendar_holiday.last_day IS 'Last day of the holiday (the first day for a single day)';

CREATE TABLE actions.workspace_calendar (
    workspace_id    bigint PRIMARY KEY REFERENCES actions.workspace ON DELETE CASCADE,
    calendar_id     bigint NOT NULL REFERENCES actions.calendar ON DELETE CASCADE,
    non_working_due text NOT NULL DEFAULT 'keep' CHECK (non_working_due IN ('keep', 'previous', 'next'))
);
CREATE INDEX workspace_calendar_calendar_idx ON actions.workspace_calendar (calendar_id);
COMMENT ON TABLE actions.workspace_calendar IS 'The calendar each workspace uses (several workspaces may share one)';
COMMENT ON COLUMN actions.workspace_calendar.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.workspace_calendar.calendar_id IS 'The calendar it uses, its own or one another workspace shares';
COMMENT ON COLUMN actions.workspace_calendar.non_working_due IS 'A date-only due date (due_on) on a non-working day: keep (stays), previous or next (the end of the previous or next working day)';

CREATE FUNCTION actions.create_calendar(workspace_id bigint, name text, time_zone text DEFAULT NULL,
        working_days integer[] DEFAULT '{1,2,3,4,5}', working_hours text DEFAULT '09:00-17:00',
        use_it boolean DEFAULT true) RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_create_calendar';
COMMENT ON FUNCTION actions.create_calendar(bigint, text, text, integer[], text, boolean) IS
    'Create a calendar owned by the workspace (needs manage_workspace): time zone (default: the workspace''s), working days (ISO weekdays, 1 Monday .. 7 Sunday) with the same working hours (e.g. ''09:00-12:30, 13:30-17:30''); with use_it the workspace uses it from now on. Returns its id';

CREATE FUNCTION actions.alter_calendar(calendar_id bigint, name text DEFAULT NULL, time_zone text DEFAULT NULL)
    RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_alter_calendar';
COMMENT ON FUNCTION actions.alter_calendar(bigint, text, text) IS
    'Rename a calendar or change its time zone (needs manage_workspace in the workspace that owns it); NULL keeps a value';

CREATE FUNCTION actions.set_working_hours(calendar_id bigint, working_hours text, weekdays integer[] DEFAULT NULL)
    RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_set_working_hours';
COMMENT ON FUNCTION actions.set_working_hours(bigint, text, integer[]) IS
    'Set the working hours (e.g. ''09:00-12:30, 13:30-17:30'') of the given weekdays, which become working days, or of every working day when weekdays is NULL (needs manage_workspace in the workspace that owns the calendar)';

CREATE FUNCTION actions.set_working_days(calendar_id bigint, working_days integer[], working_hours text DEFAULT NULL)
    RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_set_working_days';
COMMENT ON FUNCTION actions.set_working_days(bigint, integer[], text) IS
    'Choose the working days (ISO weekdays); a day that keeps working keeps its hours, a new one takes working_hours or else the hours of the first working day now (needs manage_workspace in the workspace that owns the calendar)';

CREATE FUNCTION actions.add_holiday(calendar_id bigint, name text, first_day date, last_day date DEFAULT NULL)
    RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_add_holiday';
COMMENT ON FUNCTION actions.add_holiday(bigint, text, date, date) IS
    'Add a named holiday, one day or first_day to last_day (needs manage_workspace in the workspace that owns the calendar); returns its id';

CREATE FUNCTION actions.remove_holiday(holiday_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_remove_holiday';
COMMENT ON FUNCTION actions.remove_holiday(bigint) IS
    'Remove a holiday (needs manage_workspace in the workspace that owns the calendar)';

CREATE FUNCTION actions.use_calendar(workspace_id bigint, calendar_id bigint, non_working_due text DEFAULT NULL)
    RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_use_calendar';
COMMENT ON FUNCTION actions.use_calendar(bigint, bigint, text) IS
    'Choose the calendar a workspace uses (NULL: none) and where its date-only due dates on non-working days go: keep, previous or next (NULL keeps the setting; needs manage_workspace in the workspace and in the workspace that owns the calendar)';

CREATE FUNCTION actions.delete_calendar(calendar_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_delete_calendar';
COMMENT ON FUNCTION actions.delete_calendar(bigint) IS
    'Delete a calendar no other workspace uses, with its hours and holidays (needs manage_workspace in the workspace that owns it)';

CREATE FUNCTION actions.add_working_time(from_at timestamptz, duration interval, workspace_id bigint DEFAULT NULL,
        calendar_id bigint DEFAULT NULL) RETURNS timestamptz
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_add_working_time';
COMMENT ON FUNCTION actions.add_working_time(timestamptz, interval, bigint, bigint) IS
    'The instant a working duration after from_at, on the calendar of workspace_id or on calendar_id (give one): whole days are working days (the same point of the Nth next working day; from outside working hours, the end of the Nth working day), then hours and minutes of working time; a negative duration goes back. Months are refused. For members of a workspace that owns or uses the calendar';

CREATE FUNCTION actions.working_time_between(from_at timestamptz, to_at timestamptz, workspace_id bigint DEFAULT NULL,
        calendar_id bigint DEFAULT NULL) RETURNS interval
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_working_time_between';
COMMENT ON FUNCTION actions.working_time_between(timestamptz, timestamptz, bigint, bigint) IS
    'The working time from from_at to to_at (hours, minutes and seconds of working time; negative when to_at is earlier), on the calendar of workspace_id or on calendar_id (give one). For members of a workspace that owns or uses the calendar';

CREATE FUNCTION actions.is_working_day(day date, workspace_id bigint DEFAULT NULL, calendar_id bigint DEFAULT NULL)
    RETURNS boolean
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_is_working_day';
COMMENT ON FUNCTION actions.is_working_day(date, bigint, bigint) IS
    'Whether the day is a working day (a weekday with working hours, not a holiday) of the calendar of workspace_id or of calendar_id (give one)';

ALTER TABLE actions.calendar ENABLE ROW LEVEL SECURITY;
CREATE POLICY calendar_visible ON actions.calendar FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[])
    OR calendar_id IN (SELECT wc.calendar_id FROM actions.workspace_calendar wc));
COMMENT ON POLICY calendar_visible ON actions.calendar IS
    'Members see the calendars their workspaces own or use';
ALTER TABLE actions.workspace_calendar ENABLE ROW LEVEL SECURITY;
CREATE POLICY workspace_calendar_visible ON actions.workspace_calendar FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY workspace_calendar_visible ON actions.workspace_calendar IS
    'Members see which calendar their workspaces use';
ALTER TABLE actions.calendar_hours ENABLE ROW LEVEL SECURITY;
CREATE POLICY calendar_hours_visible ON actions.calendar_hours FOR SELECT USING (
    calendar_id IN (SELECT c.calendar_id FROM actions.calendar c));
COMMENT ON POLICY calendar_hours_visible ON actions.calendar_hours IS 'The working hours of the calendars the person sees';
ALTER TABLE actions.calendar_holiday ENABLE ROW LEVEL SECURITY;
CREATE POLICY calendar_holiday_visible ON actions.calendar_holiday FOR SELECT USING (
    calendar_id IN (SELECT c.calendar_id FROM actions.calendar c));
COMMENT ON POLICY calendar_holiday_visible ON actions.calendar_holiday IS 'The holidays of the calendars the person sees';

REVOKE ALL ON actions.calendar, actions.calendar_hours, actions.calendar_holiday, actions.workspace_calendar FROM PUBLIC;
GRANT SELECT ON actions.calendar, actions.calendar_hours, actions.calendar_holiday, actions.workspace_calendar TO PUBLIC;
REVOKE ALL ON FUNCTION actions.create_calendar(bigint, text, text, integer[], text, boolean),
    actions.alter_calendar(bigint, text, text), actions.set_working_hours(bigint, text, integer[]),
    actions.set_working_days(bigint, integer[], text), actions.add_holiday(bigint, text, date, date),
    actions.remove_holiday(bigint), actions.use_calendar(bigint, bigint, text), actions.delete_calendar(bigint),
    actions.add_working_time(timestamptz, interval, bigint, bigint),
    actions.working_time_between(timestamptz, timestamptz, bigint, bigint),
    actions.is_working_day(date, bigint, bigint) FROM PUBLIC;
-- The person-facing API: each function decides what the acting person may do.
GRANT EXECUTE ON FUNCTION actions.create_calendar(bigint, text, text, integer[], text, boolean),
    actions.alter_calendar(bigint, text, text), actions.set_working_hours(bigint, text, integer[]),
    actions.set_working_days(bigint, integer[], text), actions.add_holiday(bigint, text, date, date),
    actions.remove_holiday(bigint), actions.use_calendar(bigint, bigint, text), actions.delete_calendar(bigint),
    actions.add_working_time(timestamptz, interval, bigint, bigint),
    actions.working_time_between(timestamptz, timestamptz, bigint, bigint),
    actions.is_working_day(date, bigint, bigint) TO PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('actions.calendar', '');
SELECT pg_catalog.pg_extension_config_dump('actions.calendar_hours', '');
SELECT pg_catalog.pg_extension_config_dump('actions.calendar_holiday', '');
SELECT pg_catalog.pg_extension_config_dump('actions.workspace_calendar', '');
SELECT pg_catalog.pg_extension_config_dump('actions.calendar_calendar_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('actions.calendar_holiday_holiday_id_seq', '');
