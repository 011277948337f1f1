-- Recurring actions: create_schedule's checks (invalid RRULE, sub-daily rules, rules without an
-- occurrence, a template of another workspace, a retired template, who may), next_occurrences in
-- the workspace's time zone across DST switch days, the sweep create_scheduled_actions() (each due
-- occurrence exactly once, catch-up all or latest, as the owner, a refusal recorded), pause,
-- resume and delete with their permissions, row-level security.
BEGIN;
SELECT plan(51);

CREATE ROLE sc_owner LOGIN;
CREATE ROLE sc_user LOGIN;
CREATE ROLE sc_access LOGIN;
CREATE ROLE sc_other LOGIN;
SELECT actions.create_person('sc-owner@example.com', 'Owner', 'sc_owner') AS owner \gset
SELECT actions.create_person('sc-user@example.com', 'User', 'sc_user') AS usr \gset
SELECT actions.create_person('sc-access@example.com', 'Access', 'sc_access') AS access \gset
SELECT actions.create_person('sc-other@example.com', 'Other', 'sc_other') AS other \gset
SELECT actions.create_workspace('Schedules Co', 'Europe/Berlin', owner_id => :owner) AS ws \gset
SELECT actions.create_workspace('Elsewhere', 'UTC', owner_id => :other) AS ws2 \gset
SELECT actions.add_member(:ws, :usr, 'user');
SELECT actions.add_member(:ws, :access, 'actions_access');

SET SESSION AUTHORIZATION sc_owner;
SELECT actions.create_template(:ws, 'Annual attestation', 'Annual attestation', due_in => 14,
                               assignee_rule => 'creator') AS tpl \gset
SELECT actions.create_template(:ws, 'Old checklist', 'Old checklist') AS old_tpl \gset
SELECT actions.retire_template(:old_tpl);
SET SESSION AUTHORIZATION sc_other;
SELECT actions.create_template(:ws2, 'Their template', 'Theirs') AS other_tpl \gset

-- Bad input.
SET SESSION AUTHORIZATION sc_user;
SELECT throws_ok(format($$ SELECT actions.create_schedule(%s, %s, 'FREQ=SOMETIMES', '2030-01-01 09:00') $$, :ws, :tpl),
    '22023', 'invalid recurrence rule "FREQ=SOMETIMES"', 'an invalid RRULE is refused (22023)');
SELECT throws_ok(format($$ SELECT actions.create_schedule(%s, %s, 'RRULE:FREQ=DAILY', '2030-01-01 09:00') $$, :ws, :tpl),
    '22023', 'invalid recurrence rule "RRULE:FREQ=DAILY"', '... also with the property name in front');
SELECT throws_ok(format($$ SELECT actions.create_schedule(%s, %s, 'FREQ=HOURLY', '2030-01-01 09:00') $$, :ws, :tpl),
    '22023', 'recurrence rule "FREQ=HOURLY" repeats within a day', 'a rule faster than daily is refused');
SELECT throws_ok(format($$ SELECT actions.create_schedule(%s, %s, 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', '2030-01-01 09:00') $$, :ws, :tpl),
    '22023', NULL, 'a rule no date matches is refused');
SELECT throws_ok(format($$ SELECT actions.create_schedule(%s, %s, 'FREQ=DAILY;COUNT=2', '2020-01-01 09:00') $$, :ws, :tpl),
    '22023', 'recurrence rule "FREQ=DAILY;COUNT=2" has no occurrence from now on', 'a rule that ended before today is refused');
SELECT throws_ok(format($$ SELECT actions.create_schedule(%s, %s, 'FREQ=DAILY', NULL) $$, :ws, :tpl),
    '22004', 'starts_at must not be null', 'starts_at is required');
SELECT throws_ok(format($$ SELECT actions.create_schedule(%s, %s, 'FREQ=DAILY', '2030-01-01 09:00', catch_up => 'some') $$, :ws, :tpl),
    '22023', 'unknown catch_up "some"', 'an unknown catch_up is refused');
SELECT throws_ok(format($$ SELECT actions.create_schedule(%s, %s, 'FREQ=YEARLY', '2030-01-01 09:00') $$, :ws, :other_tpl),
    'P0002', format('template %s not found', :other_tpl), 'a template of another workspace is not found');
SELECT throws_ok(format($$ SELECT actions.create_schedule(%s, %s, 'FREQ=YEARLY', '2030-01-01 09:00') $$, :ws, :old_tpl),
    '55000', format('template %s is retired', :old_tpl), 'a retired template is refused');
SELECT throws_ok(format($$ SELECT actions.create_schedule(%s, %s, 'FREQ=YEARLY', '2030-01-01 09:00') $$, :ws2, :other_tpl),
    'P0002', format('workspace %s not found', :ws2), 'a workspace one is not a member of is not found');
SET SESSION AUTHORIZATION sc_access;
SELECT throws_ok(format($$ SELECT actions.create_schedule(%s, %s, 'FREQ=YEARLY', '2030-01-01 09:00') $$, :ws, :tpl),
    '42501', NULL, 'a member who may not create actions may not create a schedule');

-- A yearly schedule, and next_occurrences in the workspace's zone.
SET SESSION AUTHORIZATION sc_user;
SELECT actions.create_schedule(:ws, :tpl, 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31', '2030-01-01 09:00') AS yearly \gset
SELECT results_eq(format('SELECT rrule, catch_up, owner_id, paused FROM actions.schedule WHERE schedule_id = %s', :yearly),
    format($$ VALUES ('FREQ=YEARLY;BYMONTHDAY=31;BYMONTH=3'::text, 'latest'::text, %s::bigint, false) $$, :usr),
    'create_schedule: the rule in libical''s normal form, catch_up latest by default, the caller as owner');
SELECT results_eq(format('SELECT occurrence, occurrence_at FROM actions.next_occurrences(%s, 3)', :yearly),
    $$ VALUES ('2030-03-31 09:00'::timestamp, '2030-03-31 07:00+00'::timestamptz),
              ('2031-03-31 09:00', '2031-03-31 07:00+00'), ('2032-03-31 09:00', '2032-03-31 07:00+00') $$,
    'next_occurrences: 09:00 in Berlin, summer time (UTC+2) on 31 March');
-- DST switch days: 2030-03-31 (02:00 -> 03:00) and 2030-10-27 (03:00 -> 02:00) in Europe/Berlin.
SELECT actions.create_schedule(:ws, :tpl, 'FREQ=DAILY;COUNT=3', '2030-03-30 02:30') AS spring \gset
SELECT results_eq(format('SELECT occurrence, occurrence_at FROM actions.next_occurrences(%s, 5)', :spring),
    $$ VALUES ('2030-03-30 02:30'::timestamp, '2030-03-30 01:30+00'::timestamptz),
              ('2030-03-31 02:30', '2030-03-31 01:30+00'), ('2030-04-01 02:30', '2030-04-01 00:30+00') $$,
    'a wall time the spring switch skips is placed with the offset before it (03:30 CEST); COUNT ends the rule');
SELECT actions.create_schedule(:ws, :tpl, 'FREQ=WEEKLY;BYDAY=SU;UNTIL=20301103', '2030-10-20 02:30') AS autumn \gset
SELECT results_eq(format('SELECT occurrence, occurrence_at FROM actions.next_occurrences(%s)', :autumn),
    $$ VALUES ('2030-10-20 02:30'::timestamp, '2030-10-20 00:30+00'::timestamptz),
              ('2030-10-27 02:30', '2030-10-27 01:30+00'), ('2030-11-03 02:30', '2030-11-03 01:30+00') $$,
    'a repeated wall time on the autumn switch is its later instant (CET); UNTIL as a date includes that day');
SELECT actions.create_schedule(:ws, :tpl, 'FREQ=MONTHLY;BYDAY=2TU', '2030-01-01 08:00') AS nth \gset
SELECT results_eq(format('SELECT occurrence FROM actions.next_occurrences(%s, 3)', :nth),
    $$ VALUES ('2030-01-08 08:00'::timestamp), ('2030-02-12 08:00'), ('2030-03-12 08:00') $$,
    'monthly on the second Tuesday');
SELECT throws_ok(format('SELECT * FROM actions.next_occurrences(%s, 0)', :nth), '22023', NULL, 'n must be at least 1');

-- The sweep. Two daily schedules at 00:05, their next occurrence moved three days back (as if the
-- sweep had been stopped): catch_up all creates the three missed ones, latest only the newest.
SELECT actions.create_schedule(:ws, :tpl, 'FREQ=DAILY', '2020-01-01 00:05', catch_up => 'all') AS s_all \gset
SELECT actions.create_schedule(:ws, :tpl, 'FREQ=DAILY', '2020-01-01 00:05', catch_up => 'latest') AS s_latest \gset
RESET SESSION AUTHORIZATION;
CREATE TEMP TABLE was AS SELECT schedule_id, next_local FROM actions.schedule;
UPDATE actions.schedule SET next_local = next_local - interval '3 days', next_at = next_at - interval '3 days'
 WHERE schedule_id IN (:s_all, :s_latest);
SELECT is(actions.create_scheduled_actions(), 4::bigint, 'the sweep creates 3 + 1 actions');
SELECT results_eq($$ SELECT schedule_id, occurrence FROM actions.schedule_occurrence ORDER BY 1, 2 $$,
    format($$ SELECT %1$s::bigint, (w.next_local - d * interval '1 day')::timestamp FROM was w, generate_series(3, 1, -1) d WHERE w.schedule_id = %1$s
              UNION ALL SELECT %2$s, (w.next_local - interval '1 day')::timestamp FROM was w WHERE w.schedule_id = %2$s $$, :s_all, :s_latest),
    '... catch_up all: the three missed occurrences; latest: only the newest');
SELECT is((SELECT count(*) FROM actions.schedule_occurrence o JOIN actions.action a USING (workspace_id, action_id)
            WHERE a.owner_id = :usr AND a.template_id = :tpl AND a.title = 'Annual attestation' AND o.error IS NULL),
    4::bigint, '... each action made from the template, owned by the schedule''s owner, recorded on its occurrence');
SELECT is((SELECT count(*) FROM actions.activity l JOIN actions.schedule_occurrence o USING (workspace_id, action_id)
            WHERE l.event = 'created' AND l.actor_id = :usr), 4::bigint, '... and logged as created by the owner');
SELECT results_eq($$ SELECT s.next_local FROM actions.schedule s JOIN was w USING (schedule_id) WHERE s.next_local <> w.next_local $$,
    $$ SELECT NULL::timestamp WHERE false $$, 'the next occurrence is the one after now again');
SELECT is(actions.create_scheduled_actions(), 0::bigint, 'a second sweep creates nothing');
-- Exactly once even if a schedule's next occurrence were moved back over created ones.
UPDATE actions.schedule SET next_local = next_local - interval '2 days', next_at = next_at - interval '2 days'
 WHERE schedule_id = :s_all;
SELECT is(actions.create_scheduled_actions(), 0::bigint, 'an occurrence already created is never created again');
SELECT is((SELECT count(*) FROM actions.schedule_occurrence WHERE schedule_id = :s_all), 3::bigint, '... still three');

-- Paused: nothing is created; pause and resume refuse the wrong state.
SET SESSION AUTHORIZATION sc_user;
SELECT lives_ok(format('SELECT actions.pause_schedule(%s)', :s_latest), 'the owner pauses the schedule');
SELECT throws_ok(format('SELECT actions.pause_schedule(%s)', :s_latest), '55000', format('schedule %s is paused already', :s_latest),
    'pausing a paused schedule is refused');
RESET SESSION AUTHORIZATION;
UPDATE actions.schedule SET next_local = next_local - interval '2 days', next_at = next_at - interval '2 days'
 WHERE schedule_id = :s_latest;
SELECT is(actions.create_scheduled_actions(), 0::bigint, 'a paused schedule creates nothing, even when due');
SET SESSION AUTHORIZATION sc_user;
SELECT ok((SELECT min(occurrence_at) > now() FROM actions.next_occurrences(:s_latest, 2)),
    'next_occurrences of a paused schedule lists from now on');
SELECT lives_ok(format('SELECT actions.resume_schedule(%s)', :s_latest), 'the owner resumes it');
SELECT ok((SELECT next_at > now() FROM actions.schedule WHERE schedule_id = :s_latest),
    '... the occurrences that fell in the pause are skipped');
SELECT throws_ok(format('SELECT actions.resume_schedule(%s)', :s_latest), '55000', format('schedule %s is not paused', :s_latest),
    'resuming a running schedule is refused');
RESET SESSION AUTHORIZATION;
SELECT is(actions.create_scheduled_actions(), 0::bigint, '... and the sweep creates none of them');

-- Who may change a schedule: its owner, or a manager; a member without rights is refused; an
-- outsider finds nothing.
SET SESSION AUTHORIZATION sc_access;
SELECT throws_ok(format('SELECT actions.pause_schedule(%s)', :yearly), '42501', format('you may not change schedule %s', :yearly),
    'a member who is neither its owner nor a manager may not pause it');
SET SESSION AUTHORIZATION sc_other;
SELECT throws_ok(format('SELECT actions.delete_schedule(%s)', :yearly), 'P0002', format('schedule %s not found', :yearly),
    'an outsider''s delete finds no schedule');
SELECT throws_ok(format('SELECT * FROM actions.next_occurrences(%s)', :yearly), 'P0002', NULL,
    '... nor its occurrences');
SELECT is((SELECT count(*) FROM actions.schedule), 0::bigint, 'row-level security: an outsider reads none of its schedules');
SET SESSION AUTHORIZATION sc_access;
SELECT is((SELECT count(*) FROM actions.schedule WHERE workspace_id = :ws), 6::bigint,
    'row-level security: every member reads the schedules of their workspace');
SET SESSION AUTHORIZATION sc_owner;
SELECT lives_ok(format('SELECT actions.pause_schedule(%s)', :yearly), 'a manager pauses another member''s schedule');
SELECT lives_ok(format('SELECT actions.delete_schedule(%s)', :nth), '... and deletes one');
SELECT is((SELECT count(*) FROM actions.schedule WHERE schedule_id = :nth), 0::bigint, '... it is gone');

-- The owner may no longer create actions: the occurrence records the refusal, the sweep goes on.
SET SESSION AUTHORIZATION sc_user;
SELECT actions.create_schedule(:ws, :tpl, 'FREQ=DAILY', '2020-01-01 00:05') AS s_lost \gset
SET SESSION AUTHORIZATION sc_owner;
SELECT actions.create_schedule(:ws, :tpl, 'FREQ=DAILY', '2020-01-01 00:05') AS s_ok \gset
SELECT actions.set_member_role(:ws, :usr, 'actions_access');
RESET SESSION AUTHORIZATION;
UPDATE actions.schedule SET next_local = next_local - interval '1 day', next_at = next_at - interval '1 day'
 WHERE schedule_id IN (:s_lost, :s_ok);
SELECT is(actions.create_scheduled_actions(), 1::bigint, 'an owner who may no longer create actions gets none, the other schedule its action');
SELECT is((SELECT count(*) FROM actions.schedule_occurrence WHERE schedule_id = :s_ok AND action_id IS NOT NULL), 1::bigint,
    '... (the refused occurrence rolled back alone, not the other one created with it)');
SELECT results_eq(format($$ SELECT sqlstate, action_id IS NULL FROM actions.schedule_occurrence WHERE schedule_id = %s $$, :s_lost),
    $$ VALUES ('42501'::text, true) $$, '... the occurrence records the refusal (once: it is not tried again)');
SET SESSION AUTHORIZATION sc_user;
SELECT throws_ok(format('SELECT actions.pause_schedule(%s)', :s_all), '42501', NULL,
    'an owner who may no longer create actions may no longer change the schedule');
RESET SESSION AUTHORIZATION;

-- Deleting a schedule keeps the record of its occurrences; the sweep is for DBAs.
SET SESSION AUTHORIZATION sc_owner;
SELECT lives_ok(format('SELECT actions.delete_schedule(%s)', :s_all), 'a manager deletes the schedule');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM actions.schedule_occurrence WHERE schedule_id = :s_all), 3::bigint,
    '... its occurrences stay recorded');
SELECT is(has_function_privilege('public', 'actions.create_scheduled_actions()', 'EXECUTE'), false,
    'create_scheduled_actions() is not executable by PUBLIC');
SELECT is(has_function_privilege('public', 'actions.create_schedule(bigint, bigint, text, timestamp, bigint, text)', 'EXECUTE'),
    true, 'create_schedule() is (it checks the acting person itself)');
SELECT is((SELECT backlog FROM actions.maintenance_status WHERE task = 'create_scheduled_actions'), 0::bigint,
    'maintenance_status: no schedule due');
SELECT is((SELECT count(*) FROM actions.verify_log(:ws)), 0::bigint, 'the log verifies clean');

SELECT * FROM finish();
ROLLBACK;
