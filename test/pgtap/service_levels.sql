-- Service levels from the activity log: the summary the log trigger keeps equals the one recomputed
-- from the log; on time against the due date as it stood at completion; time in each status; the
-- reports per assignee, type, group, template and period; due risk; what each person may see.
BEGIN;
SELECT plan(46);

CREATE ROLE sl_owner LOGIN;
CREATE ROLE sl_user LOGIN;
CREATE ROLE sl_nobody LOGIN;
SELECT actions.create_person('sl-owner@example.com', 'Owner', 'sl_owner') AS owner \gset
SELECT actions.create_person('sl-user@example.com', 'User', 'sl_user') AS usr \gset
SELECT actions.create_workspace('Service Co', owner_id => :owner) AS ws \gset
SELECT actions.add_member(:ws, :usr, 'actions_access') \g /dev/null

SET SESSION AUTHORIZATION sl_owner;
SELECT actions.create_group(:ws, 'Claims') AS claims \gset
SELECT actions.create_template(:ws, 'Call back', 'Call the customer back') AS tpl \gset
-- late: due yesterday; on time: due tomorrow; no due date; moved: due yesterday, moved to tomorrow.
SELECT actions.create_action(:ws, 'Late', assignee_id => :owner, due_at => now() - interval '1 day',
                             group_ids => ARRAY[:claims]::bigint[]) AS late \gset
SELECT actions.create_action(:ws, 'On time', assignee_id => :owner, due_at => now() + interval '1 day',
                             type => 'review') AS ontime \gset
SELECT actions.create_action(:ws, 'No due date', assignee_id => :owner) AS nodue \gset
SELECT actions.create_action(:ws, 'Moved', assignee_id => :owner, due_at => now() - interval '1 day') AS moved \gset
SELECT actions.create_action_from_template(:tpl, assignee_id => :owner, due_at => now() + interval '2 hours') AS fromtpl \gset
SELECT actions.create_action(:ws, 'Still open', assignee_id => :usr, due_at => now() + interval '3 hours') AS open1 \gset
SELECT actions.create_action(:ws, 'Open, overdue', assignee_id => :owner, due_at => now() - interval '3 hours') AS open2 \gset
SELECT actions.create_action(:ws, 'Open, later', assignee_id => :owner, due_at => now() + interval '9 days') AS open3 \gset
SELECT actions.create_action(:ws, 'Deleted', assignee_id => :owner) AS gone \gset
SELECT actions.create_action(:ws, 'With a history', assignee_id => :owner) AS hist \gset
SELECT actions.update_action(:moved, due_at => now() + interval '1 day');
SELECT actions.complete(a) FROM unnest(ARRAY[:late, :ontime, :nodue, :moved, :fromtpl, :gone]::bigint[]) a;
-- Uncompleted and completed again: the last completion counts, once.
SELECT actions.uncomplete(:ontime);
SELECT actions.complete(:ontime);
SELECT actions.delete_action(:gone);
RESET SESSION AUTHORIZATION;

SELECT is((SELECT count(*) FROM actions.service_level WHERE workspace_id = :ws), 6::bigint,
          'one summary row per action ever completed (open actions have none)');
SELECT is((SELECT on_time FROM actions.service_level WHERE action_id = :late), false, 'completed after its due date: late');
SELECT is((SELECT on_time FROM actions.service_level WHERE action_id = :ontime), true, 'completed before its due date: on time');
SELECT is((SELECT on_time FROM actions.service_level WHERE action_id = :nodue), NULL::boolean, 'no due date: neither');
SELECT is((SELECT (on_time, met_first_due) FROM actions.service_level WHERE action_id = :moved), (true, false),
          'a due date moved before completion counts as moved; the first one was missed');
SELECT is((SELECT completions FROM actions.service_level WHERE action_id = :ontime), 2, 'completed twice');
SELECT is((SELECT (deleted, completed_at IS NULL) FROM actions.service_level WHERE action_id = :gone), (true, true),
          'a deleted action no longer counts');
SELECT is((SELECT (template_id, group_ids, type, assignee_id) FROM actions.service_level WHERE action_id = :fromtpl),
          (:tpl::bigint, '{}'::bigint[], 'task'::text, :owner::bigint), 'the template, groups, type and assignee come from the log');

-- The maintained rows are exactly the rows the log implies.
SELECT set_eq(format('SELECT * FROM actions.service_level WHERE workspace_id = %s', :ws),
              format('SELECT * FROM actions.service_level_from_log(%s)', :ws),
              'the summary the log trigger keeps equals the one recomputed from the log');

-- Reassigning a completed action through an application's own UPDATE is logged; the row follows.
UPDATE actions.action SET assignee_id = :usr WHERE action_id = :late;
SELECT is((SELECT assignee_id FROM actions.service_level WHERE action_id = :late), :usr::bigint,
          'a logged change of a completed action''s assignee rewrites its row');
SELECT set_eq(format('SELECT * FROM actions.service_level WHERE workspace_id = %s', :ws),
              format('SELECT * FROM actions.service_level_from_log(%s)', :ws), 'and it still equals the log''s');

-- Time in each status from the transitions. Entries of one transaction share its time, so the
-- test appends a history with times of its own to the log of an open action, left open in its row (as a superuser; the
-- chain's hashes do not matter here).
INSERT INTO actions.activity (workspace_id, action_id, seq, event, old_value, new_value, actor_id, db_role, at, prev_hash, hash)
SELECT :ws, :hist, h.seq + x.n, x.event, x.old, x.new, NULL, 'postgres', h.at + x.after, h.hash, h.hash
  FROM (SELECT max(seq) AS seq, max(at) AS at, (array_agg(hash ORDER BY seq DESC))[1] AS hash
          FROM actions.activity WHERE action_id = :hist) h,
       (VALUES (1, 'started', 'to_do', 'in_progress', interval '2 hours'),
               (2, 'status_changed', 'in_progress', 'to_do', interval '3 hours'),
               (3, 'started', 'to_do', 'in_progress', interval '4 hours 30 minutes'),
               (4, 'completed', 'in_progress', 'complete', interval '5 hours')) x(n, event, old, new, after);
SET SESSION AUTHORIZATION sl_owner;
SELECT results_eq(format('SELECT status, entered, calendar_time FROM actions.action_status_times(%s)', :hist),
    $$VALUES ('to_do'::text, 2, interval '3 hours 30 minutes'), ('in_progress', 2, interval '1 hour 30 minutes'),
             ('complete', 1, interval '0')$$,
    'time in each status, summed over every stretch, in the catalog''s order');
RESET SESSION AUTHORIZATION;
SELECT is_empty(format('SELECT 1 FROM actions.service_level WHERE action_id = %s', :hist),
    'entries written around the trigger are not in the summary yet');
SELECT ok(actions.rebuild_service_levels(:ws) = 7, 'rebuild_service_levels writes the rows from the log');
SELECT is((SELECT completed_at - created_at FROM actions.service_level WHERE action_id = :hist), interval '5 hours',
          'time to complete: creation to completion, in calendar time');
SELECT set_eq(format('SELECT * FROM actions.service_level WHERE workspace_id = %s', :ws),
              format('SELECT * FROM actions.service_level_from_log(%s)', :ws), 'rebuilt rows equal the log''s');

-- Working time, on the workspace's business calendar (the calendar's own arithmetic, so it must
-- agree with actions.working_time_between whatever day and hour the test runs at).
SELECT is((SELECT count(*) FROM actions.service_level WHERE workspace_id = :ws AND working_to_complete IS NOT NULL), 0::bigint,
          'without a calendar there is no working time');
SET SESSION AUTHORIZATION sl_owner;
SELECT actions.create_calendar(:ws, 'Office', 'Europe/Paris', '{1,2,3,4,5}', '09:00-12:30, 13:30-17:30') AS cal \gset
SELECT results_eq(format($$SELECT status, working_time FROM actions.action_status_times(%s) WHERE status = 'in_progress'$$, :hist),
    format($$SELECT 'in_progress'::text, actions.working_time_between(a.at + interval '2 hours', a.at + interval '3 hours', %1$s)
                   + actions.working_time_between(a.at + interval '4 hours 30 minutes', a.at + interval '5 hours', %1$s)
              FROM actions.activity a WHERE a.action_id = %2$s AND a.event = 'created'$$, :ws, :hist),
    'time in a status in working time: the calendar''s working time of each stretch');
RESET SESSION AUTHORIZATION;
SELECT ok(actions.rebuild_service_levels(:ws) = 7, 'rebuilt with the calendar');
SET SESSION AUTHORIZATION sl_owner;
SELECT is((SELECT working_to_complete FROM actions.service_level WHERE action_id = :hist),
          (SELECT actions.working_time_between(created_at, completed_at, :ws) FROM actions.service_level WHERE action_id = :hist),
          'working time to complete: the calendar''s working time from creation to completion');
SELECT actions.complete(:open3) \g /dev/null
SELECT is((SELECT working_to_complete FROM actions.service_level WHERE action_id = :open3),
          (SELECT actions.working_time_between(created_at, completed_at, :ws) FROM actions.service_level WHERE action_id = :open3),
          'a completion written by the log trigger carries the working time too');
SELECT actions.uncomplete(:open3) \g /dev/null
RESET SESSION AUTHORIZATION;

-- Reports. The owner (view_actions) counts every completed action of the period.
SET SESSION AUTHORIZATION sl_owner;
SELECT results_eq(format($$SELECT completed, with_due, on_time, late, on_time_rate, met_first_due
                            FROM actions.service_levels(%s, now() - interval '1 day', now() + interval '1 day')$$, :ws),
    $$VALUES (6::bigint, 4::bigint, 3::bigint, 1::bigint, 0.7500::numeric, 2::bigint)$$,
    'workspace-wide: completed, with a due date, on time, late, rate, met the first due date');
SELECT results_eq(format($$SELECT p50_to_complete, p90_to_complete
                            FROM actions.service_levels(%s, now() - interval '1 day', now() + interval '1 day')$$, :ws),
    $$VALUES (interval '0', interval '2 hours 30 minutes')$$,
    'p50 and p90 of the time to complete (five instants and five hours)');
SELECT results_eq(format($$SELECT p90_working FROM actions.service_levels(%s, now() - interval '1 day', now() + interval '1 day')$$, :ws),
    format($$SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY working_to_complete) FROM actions.service_level
              WHERE workspace_id = %s AND completed_at IS NOT NULL$$, :ws),
    'percentiles of the working time to complete');
SELECT results_eq(format($$SELECT type, completed FROM actions.service_levels(%s, now() - interval '1 day', now() + interval '1 day', by => 'type')$$, :ws),
    $$VALUES ('review'::text, 1::bigint), ('task', 5)$$, 'per type');
SELECT results_eq(format($$SELECT assignee_id, completed, on_time FROM actions.service_levels(%s, now() - interval '1 day', now() + interval '1 day', by => 'assignee')$$, :ws),
    format($$VALUES (%s::bigint, 5::bigint, 3::bigint), (%s, 1, 0)$$, :owner, :usr), 'per assignee');
SELECT results_eq(format($$SELECT group_id, completed FROM actions.service_levels(%s, now() - interval '1 day', now() + interval '1 day', by => 'group')$$, :ws),
    format($$VALUES (%s::bigint, 1::bigint), (NULL, 5)$$, :claims), 'per group (no group: NULL)');
SELECT results_eq(format($$SELECT template_id, completed FROM actions.service_levels(%s, now() - interval '1 day', now() + interval '1 day', by => 'template')$$, :ws),
    format($$VALUES (%s::bigint, 1::bigint), (NULL, 5)$$, :tpl), 'per template');
SELECT is((SELECT sum(completed) FROM actions.service_levels(:ws, now() - interval '1 year', now() + interval '1 day', period => 'month')),
          6::numeric, 'per month, the periods add up');
SELECT is_empty(format($$SELECT 1 FROM actions.service_levels(%s, now() + interval '1 day', now() + interval '2 days')$$, :ws),
    'a period without completions has no row');
SELECT results_eq(format($$SELECT open, overdue, at_risk FROM actions.due_risk(%s, interval '6 hours')$$, :ws),
    $$VALUES (4::bigint, 1::bigint, 1::bigint)$$, 'due risk: open, overdue, due within the window');
SELECT results_eq(format($$SELECT open, overdue, at_risk FROM actions.due_risk(%s, interval '10 days')$$, :ws),
    $$VALUES (4::bigint, 1::bigint, 2::bigint)$$, 'a wider window');
SELECT throws_ok(format($$SELECT * FROM actions.service_levels(%s, now(), now() - interval '1 day')$$, :ws), '22023', NULL,
    'a period that ends before it starts is refused');
SELECT throws_ok(format($$SELECT * FROM actions.service_levels(%s, now() - interval '1 day', now(), by => 'colour')$$, :ws), '22023',
    'unknown grouping "colour"', 'an unknown grouping is refused');
SELECT throws_ok(format($$SELECT * FROM actions.service_levels(%s, now() - interval '1 day', now(), period => 'fortnight')$$, :ws), '22023',
    'unknown period "fortnight"', 'an unknown period is refused');
RESET SESSION AUTHORIZATION;

-- A member without view_actions (actions_access) sees the service levels of the actions they see only.
SET SESSION AUTHORIZATION sl_user;
SELECT set_eq('SELECT action_id FROM actions.service_level WHERE completed_at IS NOT NULL',
              'SELECT action_id FROM actions.action WHERE status = ''complete''',
    'a member reads the summary rows of exactly the completed actions they see');
SELECT results_eq(format($$SELECT completed FROM actions.service_levels(%s, now() - interval '1 day', now() + interval '1 day')$$, :ws),
    $$VALUES (1::bigint)$$, 'and their reports count only those');
SELECT throws_ok(format('SELECT * FROM actions.action_status_times(%s)', :nodue), 'P0002', format('action %s not found', :nodue),
    'the status times of an action they may not see: not found');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION sl_nobody;
SELECT throws_ok(format($$SELECT * FROM actions.service_levels(%s, now() - interval '1 day', now())$$, :ws), '42501', NULL,
    'nobody acting: refused');
RESET SESSION AUTHORIZATION;

-- A calendar changed earlier in the same statement is seen: the calendar the status times are
-- counted on is read again once the statement has written (one function call: one statement).
SET SESSION AUTHORIZATION sl_owner;
SELECT actions.set_working_days(:cal, '{1,2,3,4,5,6,7}') \g /dev/null
SELECT actions.set_working_hours(:cal, '00:00-24:00') \g /dev/null
CREATE FUNCTION pg_temp.times_around_a_change(hist bigint, cal bigint) RETURNS interval[]
LANGUAGE plpgsql AS $$
DECLARE
    before_change interval := (SELECT working_time FROM actions.action_status_times(hist) WHERE status = 'in_progress');
BEGIN
    PERFORM actions.set_working_hours(cal, '00:00-00:30');
    RETURN ARRAY[before_change, (SELECT working_time FROM actions.action_status_times(hist) WHERE status = 'in_progress')];
END
$$;
SELECT pg_temp.times_around_a_change(:hist, :cal) AS around \gset
SELECT is(:'around'::interval[],
    (SELECT ARRAY[interval '1 hour 30 minutes', actions.working_time_between(a.at + interval '2 hours', a.at + interval '3 hours', :ws)
                 + actions.working_time_between(a.at + interval '4 hours 30 minutes', a.at + interval '5 hours', :ws)]
       FROM actions.activity a WHERE a.action_id = :hist AND a.event = 'created'),
    'status times in working time see a calendar changed earlier in the same statement');
RESET SESSION AUTHORIZATION;

-- The row continues the fold of its log: a completion reads only the entries after the last one
-- that changed the row (its folded_seq), and folds whatever changed while the action was open.
SET SESSION AUTHORIZATION sl_owner;
SELECT actions.create_action(:ws, 'Back and forth', assignee_id => :owner, due_at => now() + interval '1 day') AS bf \gset
SELECT actions.complete(:bf) \g /dev/null
SELECT actions.uncomplete(:bf) \g /dev/null
-- While open, nothing rewrites the row: a new assignee, a due date moved into the past, a note.
SELECT actions.reassign(:bf, :usr) \g /dev/null
SELECT actions.update_action(:bf, due_at => now() - interval '2 days') \g /dev/null
SELECT actions.add_note(:bf, 'Called, no answer') \g /dev/null
SELECT actions.complete(:bf) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT is((SELECT (assignee_id, on_time, completions, folded_seq) FROM actions.service_level WHERE action_id = :bf),
          (:usr::bigint, false, 2, (SELECT max(seq) FROM actions.activity WHERE action_id = :bf AND event = 'completed')),
          'a completion folds what changed since the row was written: the new assignee, the due date moved while open');
SELECT set_eq(format('SELECT * FROM actions.service_level WHERE action_id = %s', :bf),
              format('SELECT * FROM actions.service_level_from_log(%s) WHERE action_id = %s', :ws, :bf),
              'and the row equals the one recomputed from the whole log');
-- Only the entries after folded_seq are read: a count the row holds is continued, not recounted.
UPDATE actions.service_level SET completions = 10 WHERE action_id = :bf;
SET SESSION AUTHORIZATION sl_owner;
SELECT actions.uncomplete(:bf) \g /dev/null
SELECT actions.complete(:bf) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT is((SELECT completions FROM actions.service_level WHERE action_id = :bf), 11,
          'the next completion continues from the row''s facts (10 + 1), without reading the older entries');
-- A row written before 0.3 has no folded_seq: its next rewrite folds the whole log.
UPDATE actions.service_level SET folded_seq = NULL, last_due_at = NULL WHERE action_id = :bf;
SET SESSION AUTHORIZATION sl_owner;
SELECT actions.uncomplete(:bf) \g /dev/null
SELECT actions.complete(:bf) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT is((SELECT (completions, folded_seq IS NOT NULL) FROM actions.service_level WHERE action_id = :bf), (4, true),
          'a row without folded_seq is folded from the whole log (four completions) and gets one');
-- The entries a change appends right after the last one the row folded are handed to the
-- refresh (not read back): a reopening and a completion right after one. The row still equals
-- the one recomputed from the whole log.
SET SESSION AUTHORIZATION sl_owner;
SELECT actions.create_action(:ws, 'Straight on', assignee_id => :owner, due_at => now() - interval '1 day') AS so \gset
SELECT actions.complete(:so) \g /dev/null
SELECT actions.uncomplete(:so) \g /dev/null
SELECT actions.complete(:so) \g /dev/null
SELECT actions.uncomplete(:so) \g /dev/null
SELECT actions.complete(:so) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT is((SELECT (on_time, completions, folded_seq) FROM actions.service_level WHERE action_id = :so),
          (false, 3, (SELECT max(seq) FROM actions.activity WHERE action_id = :so)),
          'entries appended right after the folded one are folded as appended: late, three completions, folded_seq the last');
SELECT set_eq(format('SELECT * FROM actions.service_level WHERE action_id = %s', :so),
              format('SELECT * FROM actions.service_level_from_log(%s) WHERE action_id = %s', :ws, :so),
              'and the row equals the one recomputed from the whole log');

SELECT * FROM finish();
ROLLBACK;
