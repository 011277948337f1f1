-- Business calendars: who manages and who reads them, bad input refused with nothing written,
-- working-time arithmetic across the European and American daylight-saving switches and in zones
-- off the whole hour (the expected instants come from PostgreSQL's own AT TIME ZONE), holiday
-- ranges, sharing a calendar between workspaces, and date-only due dates on non-working days.
BEGIN;
SELECT plan(71);

CREATE ROLE cal_owner LOGIN;
CREATE ROLE cal_user LOGIN;
CREATE ROLE cal_other LOGIN;
SELECT actions.create_person('cal-owner@example.com', 'Owner', 'cal_owner') AS owner \gset
SELECT actions.create_person('cal-user@example.com', 'User', 'cal_user') AS usr \gset
SELECT actions.create_person('cal-other@example.com', 'Other', 'cal_other') AS other \gset
SELECT actions.create_workspace('Paris Co', 'Europe/Paris', owner_id => :owner) AS ws \gset
SELECT actions.create_workspace('Branch Co', 'Europe/Paris', owner_id => :owner) AS branch \gset
SELECT actions.create_workspace('Elsewhere', 'UTC', owner_id => :other) AS elsewhere \gset
SELECT actions.add_member(:ws, :usr, 'user') \g /dev/null
SELECT actions.add_member(:branch, :other, 'manager') \g /dev/null
CREATE FUNCTION pg_temp.paris(t text) RETURNS timestamptz LANGUAGE sql AS $$ SELECT t::timestamp AT TIME ZONE 'Europe/Paris' $$;
CREATE FUNCTION pg_temp.calendar_rows() RETURNS bigint LANGUAGE sql AS
    $$ SELECT (SELECT count(*) FROM actions.calendar) + (SELECT count(*) FROM actions.calendar_hours)
            + (SELECT count(*) FROM actions.calendar_holiday) + (SELECT count(*) FROM actions.workspace_calendar) $$;

-- Managing needs manage_workspace; a workspace the person is not a member of is not found.
SET SESSION AUTHORIZATION cal_user;
SELECT throws_ok(format('SELECT actions.create_calendar(%s, %L)', :ws, 'Mine'), '42501', NULL,
    'a user may not create a calendar');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION cal_other;
SELECT throws_ok(format('SELECT actions.create_calendar(%s, %L)', :ws, 'Theirs'), 'P0002', NULL,
    'a non-member gets not found');
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION cal_owner;
SELECT actions.create_calendar(:ws, 'Paris office', working_hours => '13:30-17:30, 09:00-12:30') AS cal \gset
RESET SESSION AUTHORIZATION;
SELECT is((SELECT time_zone FROM actions.calendar WHERE calendar_id = :cal), 'Europe/Paris',
    'the time zone defaults to the workspace''s');
SELECT is((SELECT array_agg(weekday || ' ' || hours ORDER BY weekday) FROM actions.calendar_hours WHERE calendar_id = :cal),
    ARRAY['1 09:00-12:30, 13:30-17:30', '2 09:00-12:30, 13:30-17:30', '3 09:00-12:30, 13:30-17:30',
          '4 09:00-12:30, 13:30-17:30', '5 09:00-12:30, 13:30-17:30'],
    'Monday to Friday, split hours stored sorted');
SELECT is((SELECT calendar_id FROM actions.workspace_calendar WHERE workspace_id = :ws), :cal::bigint,
    'the workspace uses its new calendar');

-- Bad input: a clear error, and nothing written.
SELECT pg_temp.calendar_rows() AS before \gset
SET SESSION AUTHORIZATION cal_owner;
SELECT throws_ok(format('SELECT actions.create_calendar(%s, %L, working_hours => %L)', :ws, 'Overlap', '09:00-12:30, 12:00-17:00'),
    '22023', 'working hours overlap', 'overlapping working hours are refused');
SELECT throws_ok(format('SELECT actions.create_calendar(%s, %L, working_hours => %L)', :ws, 'Empty', '09:00-09:00'),
    '22023', 'working hours "09:00-09:00" are empty', 'an empty period is refused');
SELECT throws_ok(format('SELECT actions.create_calendar(%s, %L, working_hours => %L)', :ws, 'Blank', ''),
    '22023', 'working hours are empty', 'no working hours at all are refused');
SELECT throws_ok(format('SELECT actions.create_calendar(%s, %L, working_hours => %L)', :ws, 'Night', '22:00-06:00'),
    '22023', NULL, 'a period that ends before it starts is refused');
SELECT throws_ok(format('SELECT actions.create_calendar(%s, %L, %L)', :ws, 'Mars', 'Mars/Olympus_Mons'),
    '22023', 'time zone "Mars/Olympus_Mons" is not recognized', 'an unknown time zone is refused');
SELECT throws_ok(format('SELECT actions.create_calendar(%s, %L, working_days => %L)', :ws, 'Never', '{}'),
    '22023', 'a calendar needs at least one working day', 'a calendar without a working day is refused');
SELECT throws_ok(format('SELECT actions.create_calendar(%s, %L, working_days => %L)', :ws, 'Eighth', '{1,8}'),
    '22023', 'working day 8 is not a weekday', 'a weekday out of range is refused');
SELECT throws_ok(format('SELECT actions.add_holiday(%s, %L, %L, %L)', :cal, 'Backwards', '2026-12-26', '2026-12-24'),
    '22023', 'holiday ends before it starts', 'a holiday range that ends before it starts is refused');
SELECT throws_ok(format('SELECT actions.set_working_hours(%s, %L)', :cal, '09:00-13:00, 12:00-18:00'),
    '22023', 'working hours overlap', 'changing to overlapping hours is refused');
SELECT throws_ok(format('SELECT actions.set_working_days(%s, %L)', :cal, '{}'),
    '22023', 'a calendar needs at least one working day', 'removing every working day is refused');
SELECT throws_ok(format('SELECT actions.alter_calendar(%s, time_zone => %L)', :cal, 'Nowhere/Land'),
    '22023', NULL, 'changing to an unknown time zone is refused');
SELECT throws_ok(format('SELECT actions.create_calendar(%s, %L)', :ws, 'Paris office'),
    '22023', 'calendar "Paris office" already exists', 'calendar names are unique in a workspace');
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.calendar_rows(), :'before'::bigint, 'the refused calls wrote nothing');

-- Holidays, and a shorter Friday.
SET SESSION AUTHORIZATION cal_owner;
SELECT actions.add_holiday(:cal, 'Christmas', '2026-12-24', '2026-12-26') AS christmas \gset
SELECT actions.add_holiday(:cal, 'New year', '2027-01-01') AS new_year \gset
RESET SESSION AUTHORIZATION;
SELECT is((SELECT last_day FROM actions.calendar_holiday WHERE holiday_id = :new_year), '2027-01-01'::date,
    'a single-day holiday ends on its first day');

SET SESSION AUTHORIZATION cal_user;
SET TIME ZONE 'UTC';
SELECT is(actions.add_working_time(pg_temp.paris('2026-06-10 10:00'), '1 day', :ws), pg_temp.paris('2026-06-11 10:00'),
    'a member adds a working day: the same time the next working day');
SELECT is(actions.add_working_time(pg_temp.paris('2026-06-12 15:00'), '1 day', :ws), pg_temp.paris('2026-06-15 15:00'),
    'Friday + 1 day is Monday');
SELECT is(actions.add_working_time(pg_temp.paris('2026-06-09 07:00'), '1 day', :ws), pg_temp.paris('2026-06-09 17:30'),
    'from before the day''s hours, one day of work ends that evening');
SELECT is(actions.add_working_time(pg_temp.paris('2026-06-10 16:30'), '2 hours', :ws), pg_temp.paris('2026-06-11 10:00'),
    'hours of working time carry over to the next morning');
SELECT is(actions.add_working_time(pg_temp.paris('2026-06-10 12:00'), '1 hour', :ws), pg_temp.paris('2026-06-10 14:00'),
    'the lunch break is not working time');
SELECT is(actions.add_working_time(pg_temp.paris('2026-06-10 10:00'), '2 days 3 hours 30 minutes', :ws),
    pg_temp.paris('2026-06-12 14:30'), 'days, then hours and minutes');
SELECT is(actions.add_working_time(pg_temp.paris('2026-06-15 10:00'), '-1 day', :ws), pg_temp.paris('2026-06-12 10:00'),
    'a negative duration goes back');
SELECT is(actions.working_time_between(pg_temp.paris('2026-06-10 12:00'), pg_temp.paris('2026-06-10 14:00'), :ws),
    '01:00:00'::interval, 'working time between two instants leaves the break out');
SELECT is(actions.working_time_between(pg_temp.paris('2026-06-10 14:00'), pg_temp.paris('2026-06-10 12:00'), :ws),
    '-01:00:00'::interval, 'backwards it is negative');
-- The holiday range.
SELECT is(actions.add_working_time(pg_temp.paris('2026-12-23 10:00'), '1 day', :ws), pg_temp.paris('2026-12-28 10:00'),
    'a day after 23 December skips the Christmas range and the weekend');
SELECT is(actions.working_time_between(pg_temp.paris('2026-12-23 09:00'), pg_temp.paris('2026-12-29 09:00'), :ws),
    '15:00:00'::interval, 'only 23 and 28 December are worked');
SELECT is(actions.add_working_time(pg_temp.paris('2026-12-31 17:00'), '1 hour', :ws), pg_temp.paris('2027-01-04 09:30'),
    'the single-day holiday is skipped too');
SELECT ok(NOT actions.is_working_day('2026-12-25', :ws) AND actions.is_working_day('2026-12-28', :ws)
    AND NOT actions.is_working_day('2026-12-27', calendar_id => :cal), 'is_working_day knows holidays and weekends');
-- The European switch: Friday 27 March (CET) + 1 day = Monday 30 March (CEST), 71 hours later.
SELECT is(actions.add_working_time(pg_temp.paris('2026-03-27 10:00'), '1 day', :ws), pg_temp.paris('2026-03-30 10:00'),
    'European spring switch: the same wall-clock time on Monday');
SELECT is(extract(epoch FROM actions.add_working_time(pg_temp.paris('2026-03-27 10:00'), '1 day', :ws)
          - pg_temp.paris('2026-03-27 10:00')) / 3600, 71::numeric, 'which is 71 hours later');
SELECT is(actions.working_time_between(pg_temp.paris('2026-10-23 09:00'), pg_temp.paris('2026-10-26 09:00'), :ws),
    '07:30:00'::interval, 'European autumn switch: one working day between Friday and Monday mornings');
RESET TIME ZONE;
RESET SESSION AUTHORIZATION;

-- Round the clock in New York, and early Sunday hours across the American switch days.
SET SESSION AUTHORIZATION cal_owner;
SELECT actions.create_calendar(:ws, 'New York desk', 'America/New_York', '{1,2,3,4,5,6,7}', '09:00-17:00', use_it => false) AS ny \gset
SELECT actions.create_calendar(:ws, 'New York night', 'America/New_York', '{7}', '00:00-06:00', use_it => false) AS ny_night \gset
SELECT is(actions.add_working_time('2026-03-07 16:00'::timestamp AT TIME ZONE 'America/New_York', '2 hours', calendar_id => :ny),
    '2026-03-08 10:00'::timestamp AT TIME ZONE 'America/New_York', 'American spring switch: Saturday 16:00 EST + 2 hours = Sunday 10:00 EDT');
SELECT is(actions.add_working_time('2026-10-31 16:00'::timestamp AT TIME ZONE 'America/New_York', '1 day', calendar_id => :ny),
    '2026-11-01 16:00'::timestamp AT TIME ZONE 'America/New_York', 'American autumn switch: the same wall-clock time');
SELECT is(actions.working_time_between('2026-03-08 00:00'::timestamp AT TIME ZONE 'America/New_York',
    '2026-03-09 00:00'::timestamp AT TIME ZONE 'America/New_York', calendar_id => :ny_night),
    '05:00:00'::interval, 'the hours 00:00-06:00 last 5 hours on the spring switch day');
SELECT is(actions.working_time_between('2026-11-01 00:00'::timestamp AT TIME ZONE 'America/New_York',
    '2026-11-02 00:00'::timestamp AT TIME ZONE 'America/New_York', calendar_id => :ny_night),
    '07:00:00'::interval, 'and 7 hours on the autumn one');
-- Zones off the whole hour: Kathmandu (+05:45) and Adelaide (+10:30 / +09:30).
SELECT actions.create_calendar(:ws, 'Kathmandu', 'Asia/Kathmandu', working_hours => '09:00-17:00', use_it => false) AS ktm \gset
SELECT is(actions.add_working_time('2026-03-02 09:00'::timestamp AT TIME ZONE 'Asia/Kathmandu', '8 hours', calendar_id => :ktm),
    '2026-03-02 11:15+00'::timestamptz, 'Kathmandu: Monday 09:00 + 8 hours is 17:00, 11:15 UTC');
SELECT is(actions.working_time_between('2026-03-01 18:30+00', '2026-03-02 04:00+00', calendar_id => :ktm),
    '00:45:00'::interval, 'Sunday 18:30 UTC is already Monday 00:15 in Kathmandu');
SELECT actions.create_calendar(:ws, 'Adelaide', 'Australia/Adelaide', working_hours => '09:00-17:00', use_it => false) AS adl \gset
SELECT is(actions.add_working_time('2026-04-03 10:00'::timestamp AT TIME ZONE 'Australia/Adelaide', '1 day', calendar_id => :adl),
    '2026-04-06 10:00'::timestamp AT TIME ZONE 'Australia/Adelaide', 'Adelaide: Friday (ACDT) + 1 day = Monday (ACST)');
SELECT is(actions.working_time_between('2026-10-02 09:00'::timestamp AT TIME ZONE 'Australia/Adelaide',
    '2026-10-05 17:00'::timestamp AT TIME ZONE 'Australia/Adelaide', calendar_id => :adl),
    '16:00:00'::interval, 'Adelaide across its October switch: two working days');
-- Changing the time zone changes the answers.
SELECT actions.alter_calendar(:ktm, 'Kolkata', 'Asia/Kolkata') \g /dev/null
SELECT is(actions.add_working_time('2026-03-02 09:00'::timestamp AT TIME ZONE 'Asia/Kolkata', '8 hours', calendar_id => :ktm),
    '2026-03-02 11:30+00'::timestamptz, 'Kolkata (+05:30): 17:00 is 11:30 UTC');
RESET SESSION AUTHORIZATION;

-- Per-weekday hours and working days.
SET SESSION AUTHORIZATION cal_owner;
SELECT actions.set_working_hours(:cal, '09:00-12:00', '{5}') \g /dev/null
SELECT is(actions.working_time_between(pg_temp.paris('2026-06-12 00:00'), pg_temp.paris('2026-06-13 00:00'), :ws),
    '03:00:00'::interval, 'Friday now has three hours');
SELECT is(actions.add_working_time(pg_temp.paris('2026-06-11 15:00'), '1 day', :ws), pg_temp.paris('2026-06-12 12:00'),
    'a day onto a shorter day ends with it');
SELECT actions.set_working_days(:cal, '{1,2,3,4,5,6}', '10:00-14:00') \g /dev/null
SELECT is((SELECT array_agg(weekday || ' ' || hours ORDER BY weekday) FROM actions.calendar_hours WHERE calendar_id = :cal AND weekday >= 4),
    ARRAY['4 09:00-12:30, 13:30-17:30', '5 09:00-12:00', '6 10:00-14:00'], 'working days keep their hours; Saturday takes the new ones');
SELECT actions.set_working_days(:cal, '{1,2,3,4,5}') \g /dev/null
SELECT actions.set_working_hours(:cal, '09:00-12:30, 13:30-17:30') \g /dev/null
SELECT actions.remove_holiday(:new_year) \g /dev/null
SELECT is((SELECT count(*) FROM actions.calendar_holiday WHERE calendar_id = :cal), 1::bigint, 'a holiday is removed');
RESET SESSION AUTHORIZATION;

-- Times past the calendar's years are refused, never wrapped around nor counted short.
SET SESSION AUTHORIZATION cal_owner;
SELECT throws_ok(format('SELECT actions.working_time_between(%L, %L, %s)', '2020-01-01 00:00+00', '294276-12-30 00:00+00', :ws),
    '22008', 'to_at is out of range', 'a time near the end of timestamptz is refused (its shift to 1970 overflowed)');
SELECT throws_ok(format('SELECT actions.working_time_between(%L, %L, %s)', '9999-12-01 00:00+00', '10000-12-30 00:00+00', :ws),
    '22008', 'to_at is out of range', 'a time after the year 9999 is refused, not counted up to 9999 only');
SELECT throws_ok(format('SELECT actions.working_time_between(%L, %L, %s)', '4713-01-01 00:00+00 BC', '2020-01-01 00:00+00', :ws),
    '22008', 'from_at is out of range', 'a time before the year 1 is refused');
SELECT throws_ok(format('SELECT actions.add_working_time(%L, %L, %s)', '294276-12-30 00:00+00', '1 hour', :ws),
    '22008', NULL, 'adding to a time past the calendar''s years is refused');
RESET SESSION AUTHORIZATION;

-- Reading: members see their workspaces' calendars; others nothing.
SET SESSION AUTHORIZATION cal_user;
SELECT is((SELECT count(*) FROM actions.calendar WHERE calendar_id = :cal), 1::bigint, 'a member reads the calendar');
SELECT is((SELECT count(*) FROM actions.calendar_holiday), 1::bigint, 'and its holidays');
SELECT throws_ok(format('SELECT actions.add_holiday(%s, %L, %L)', :cal, 'Mine', '2026-08-15'), '42501', NULL,
    'a member who does not manage the workspace may not change the calendar');
SELECT throws_ok(format('SELECT actions.add_working_time(now(), %L, %s, %s)', '1 day', :ws, :cal), '22023',
    'give either workspace_id or calendar_id', 'a workspace and a calendar at once are refused');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION cal_other;
SELECT is((SELECT count(*) FROM actions.calendar) + (SELECT count(*) FROM actions.calendar_hours)
        + (SELECT count(*) FROM actions.calendar_holiday), 0::bigint, 'a person of other workspaces reads none of it');
SELECT throws_ok(format('SELECT actions.add_working_time(now(), %L, calendar_id => %s)', '1 day', :cal), 'P0002',
    format('calendar %s not found', :cal), 'nor computes with it');
SELECT throws_ok(format('SELECT actions.add_working_time(now(), %L, %s)', '1 day', :elsewhere), '55000', NULL,
    'a workspace without a calendar has no working time');
-- Sharing: the manager of Branch Co does not manage Paris Co, whose calendar they do not see.
SELECT throws_ok(format('SELECT actions.use_calendar(%s, %s)', :branch, :cal), 'P0002', NULL,
    'sharing needs the calendar''s owning workspace too');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION cal_owner;
SELECT lives_ok(format('SELECT actions.use_calendar(%s, %s, %L)', :branch, :cal, 'previous'),
    'the owner of both workspaces shares the calendar');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION cal_other;
SELECT is((SELECT name FROM actions.calendar), 'Paris office', 'Branch Co''s members now read the shared calendar');
SELECT is(actions.add_working_time(pg_temp.paris('2026-12-23 10:00'), '1 day', :branch), pg_temp.paris('2026-12-28 10:00'),
    'and compute with it');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION cal_owner;
SELECT throws_ok(format('SELECT actions.delete_calendar(%s)', :cal), '55000', format('calendar %s is in use', :cal),
    'a calendar another workspace uses is not deleted');

-- Date-only due dates on non-working days.
SELECT actions.create_action(:ws, 'Kept', due_on => '2026-12-25') AS kept \gset
SELECT actions.use_calendar(:ws, :cal, 'next') \g /dev/null
SELECT actions.create_action(:ws, 'Next', due_on => '2026-12-25') AS nxt \gset
SELECT actions.create_action(:ws, 'Working day', due_on => '2026-12-23') AS wd \gset
SELECT actions.create_action(:branch, 'Previous', due_on => '2026-12-27') AS prev \gset
SELECT actions.update_action(:wd, due_on => '2026-06-13') \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT is((SELECT due_at FROM actions.action WHERE action_id = :kept), pg_temp.paris('2026-12-26 00:00') - interval '1 microsecond',
    'keep: a holiday stays the due date');
SELECT is((SELECT due_at FROM actions.action WHERE action_id = :nxt), pg_temp.paris('2026-12-29 00:00') - interval '1 microsecond',
    'next: the end of the next working day');
SELECT is((SELECT due_at FROM actions.action WHERE action_id = :prev), pg_temp.paris('2026-12-24 00:00') - interval '1 microsecond',
    'previous: the end of the previous working day (Branch Co''s setting)');
SELECT is((SELECT due_at FROM actions.action WHERE action_id = :wd), pg_temp.paris('2026-06-16 00:00') - interval '1 microsecond',
    'a Saturday given to update_action moves to Monday');
SET SESSION AUTHORIZATION cal_owner;
SELECT throws_ok(format('SELECT actions.use_calendar(%s, %s, %L)', :ws, :cal, 'nearest'), '22023', NULL,
    'an unknown non_working_due setting is refused');
SELECT actions.use_calendar(:branch, NULL) \g /dev/null
SELECT lives_ok(format('SELECT actions.delete_calendar(%s)', :cal), 'once unshared the owner deletes it');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM actions.workspace_calendar WHERE calendar_id = :cal), 0::bigint,
    'and no workspace uses it any more');

SELECT * FROM finish();
ROLLBACK;
