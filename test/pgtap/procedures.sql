-- Procedures end to end: definitions and their bad input (nothing written), attaching one to a record
-- (every step's action at once, dates in working time), the order of steps, completing a step late
-- and early (with and without the workspace's switches, an administrator's choice), marking it not
-- complete, who may complete an earlier step, moving a scheduled start, cancelling a whole
-- procedure, administer_actions deleting, and due rules counted in working days.
BEGIN;
SELECT plan(89);

CREATE ROLE pr_owner LOGIN;
CREATE ROLE pr_worker LOGIN;
CREATE ROLE pr_admin LOGIN;
CREATE ROLE pr_mover LOGIN;
CREATE ROLE pr_other LOGIN;
SELECT actions.create_person('pr-owner@example.com', 'Owner', 'pr_owner') AS owner \gset
SELECT actions.create_person('pr-worker@example.com', 'Worker', 'pr_worker') AS worker \gset
SELECT actions.create_person('pr-admin@example.com', 'Admin', 'pr_admin') AS admin \gset
SELECT actions.create_person('pr-mover@example.com', 'Mover', 'pr_mover') AS mover \gset
SELECT actions.create_person('pr-other@example.com', 'Other', 'pr_other') AS other \gset
SELECT actions.create_workspace('Proc Co', 'UTC', owner_id => :owner) AS ws \gset
SELECT actions.create_workspace('No calendar', 'UTC', owner_id => :owner) AS bare \gset
SET SESSION AUTHORIZATION pr_owner;
SELECT actions.create_role(:ws, 'administrator', '{view_actions,administer_actions}') \g /dev/null
SELECT actions.create_role(:ws, 'mover', '{view_actions,reassign_actions}') \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT actions.add_member(:ws, :worker, 'actions_access') \g /dev/null
SELECT actions.add_member(:ws, :admin, 'administrator') \g /dev/null
SELECT actions.add_member(:ws, :mover, 'mover') \g /dev/null
SELECT actions.add_member(:bare, :worker, 'user') \g /dev/null

CREATE FUNCTION pg_temp.footprint() RETURNS text LANGUAGE sql AS $$
    SELECT concat_ws('/', (SELECT count(*) FROM actions.procedure), (SELECT count(*) FROM actions.procedure_step),
        (SELECT count(*) FROM actions.procedure_run), (SELECT count(*) FROM actions.procedure_action),
        (SELECT count(*) FROM actions.action), (SELECT count(*) FROM actions.template),
        (SELECT count(*) FROM actions.activity), (SELECT string_agg(a.status || coalesce(a.due_at::text, ''), ',' ORDER BY a.action_id) FROM actions.action a),
        (SELECT string_agg(pa.scheduled_start::text, ',' ORDER BY pa.action_id) FROM actions.procedure_action pa)) $$;
CREATE FUNCTION pg_temp.refused(call text, state text, message text, what text) RETURNS SETOF text
    LANGUAGE plpgsql AS $$
DECLARE
    before text := pg_temp.footprint();
BEGIN
    RETURN NEXT throws_ok(call, state::char(5), message, what);
    RETURN NEXT is(pg_temp.footprint(), before, what || ': nothing written');
END
$$;
-- Steps of a run: position, scheduled start, due date.
CREATE FUNCTION pg_temp.dates(run bigint) RETURNS TABLE (pos integer, start timestamptz, due timestamptz)
    LANGUAGE sql AS $$ SELECT pa.position, pa.scheduled_start, a.due_at FROM actions.procedure_action pa
        JOIN actions.action a USING (workspace_id, action_id) WHERE pa.run_id = run ORDER BY pa.position $$;
CREATE FUNCTION pg_temp.step(run bigint, p integer) RETURNS bigint LANGUAGE sql AS
    $$ SELECT action_id FROM actions.procedure_action WHERE run_id = run AND position = p $$;

-- Working days in due rules need the workspace's calendar.
SET SESSION AUTHORIZATION pr_owner;
SELECT pg_temp.refused(format('SELECT actions.create_template(%s, %L, %L, due_in => 3, due_unit => %L)', :bare, 'T', 'Hello', 'working_days'),
    '55000', 'the template''s due rule counts working days but the workspace has no business calendar',
    'a template in working days without a calendar');
SELECT pg_temp.refused(format('SELECT actions.set_workflow(%s, %L, true, 2, %L)', :bare, 'document_review', 'working_days'),
    '55000', 'the workflow''s due days counts working days but the workspace has no business calendar',
    'a workflow in working days without a calendar');
SELECT pg_temp.refused(format('SELECT actions.set_workflow(%s, %L, true, 2, %L)', :bare, 'document_review', 'weeks'),
    '22023', 'unknown due unit "weeks"', 'an unknown unit for a workflow');
SELECT actions.create_calendar(:ws, 'Office') AS cal \gset
SELECT actions.create_template(:ws, 'Three working days', 'Review', due_in => 3, due_unit => 'working_days') AS tpl \gset
SELECT actions.create_record(:ws, 'Supplier X') AS rec \gset
SELECT actions.create_action_from_template(:tpl, :rec) AS from_tpl \gset
SELECT is((SELECT (due_at AT TIME ZONE 'UTC')::date FROM actions.action WHERE action_id = :from_tpl),
    (SELECT d::date FROM generate_series((now() AT TIME ZONE 'UTC')::date + 1, (now() AT TIME ZONE 'UTC')::date + 30, interval '1 day') d
      WHERE extract(isodow FROM d) < 6 ORDER BY d OFFSET 2 LIMIT 1),
    'a template''s due rule counts working days of the calendar (weekends skipped)');
SELECT lives_ok(format('SELECT actions.set_workflow(%s, %L, true, 2, %L)', :ws, 'document_review', 'working_days'),
    'a workflow may count working days with a calendar');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT due_unit FROM actions.workflow_setting WHERE workspace_id = :ws AND workflow = 'document_review'),
    'working_days', 'the workflow''s unit is stored');

-- Definitions: manage_workspace; bad input refused with nothing written.
SET SESSION AUTHORIZATION pr_worker;
SELECT pg_temp.refused(format('SELECT actions.create_procedure(%s, %L)', :ws, 'Mine'), '42501', NULL,
    'a member without manage_workspace may not create a procedure');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION pr_other;
SELECT pg_temp.refused(format('SELECT actions.create_procedure(%s, %L)', :ws, 'Theirs'), 'P0002', NULL,
    'a non-member gets not found');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION pr_owner;
SELECT actions.create_procedure(:ws, 'Onboarding', 'New suppliers') AS proc \gset
SELECT actions.create_procedure(:ws, 'Empty') AS empty \gset
SELECT pg_temp.refused(format('SELECT actions.create_procedure(%s, %L)', :ws, 'Onboarding'), '23505',
    'a procedure named "Onboarding" already exists', 'names are unique');
SELECT pg_temp.refused(format('SELECT actions.create_procedure(%s, %L)', :ws, ' '), '22023',
    'a procedure needs a name', 'a blank name');
SELECT pg_temp.refused(format('SELECT actions.add_procedure_step(%s, %L, %L)', :proc, 'Nothing', '0'), '22023',
    'a step''s duration must be more than zero', 'a zero duration');
SELECT pg_temp.refused(format('SELECT actions.add_procedure_step(%s, %L, %L, gap => %L)', :proc, 'Back', '1 day', '-1 hour'), '22023',
    'a step''s gap must not be negative', 'a negative gap');
SELECT pg_temp.refused(format('SELECT actions.add_procedure_step(%s, %L, %L)', :proc, 'Month', '1 month'), '22023',
    NULL, 'months of working time');
SELECT pg_temp.refused(format('SELECT actions.add_procedure_step(%s, %L, %L, assignee_rule => %L)', :proc, 'Who', '1 day', 'record_party'), '22023',
    NULL, 'record_party without a capacity');
SELECT pg_temp.refused(format('SELECT actions.add_procedure_step(%s, %L, %L, type => %L)', :proc, 'Kind', '1 day', 'nosuch'), '22023',
    'unknown action type "nosuch"', 'an unknown type');
SELECT pg_temp.refused(format('SELECT actions.add_procedure_step(%s, %L, %L)', 999999, 'Ghost', '1 day'), 'P0002',
    'procedure 999999 not found', 'a missing procedure');
SELECT is(actions.add_procedure_step(:proc, 'Collect documents', '2 days', assignee_rule => 'person', assignee_id => :worker), 1,
    'step 1 added');
SELECT is(actions.add_procedure_step(:proc, 'Check documents', '1 day', gap => '4 hours', assignee_rule => 'person', assignee_id => :worker), 2,
    'step 2 added, four working hours after step 1');
SELECT is(actions.add_procedure_step(:proc, 'Sign contract', '8 hours', assignee_rule => 'creator'), 3, 'step 3 added');
SELECT pg_temp.refused(format('SELECT actions.start_procedure(%s, %s)', :empty, :rec), '55000',
    'procedure ' || :empty || ' has no steps', 'a procedure without steps');

-- Attaching: every action at once, dates in working time (Mon-Fri 09:00-17:00 UTC).
SELECT actions.start_procedure(:proc, :rec, '2026-12-01 10:00+00') AS fixed \gset
SELECT results_eq(format('SELECT * FROM pg_temp.dates(%s)', :fixed),
    $$VALUES (1, '2026-12-01 10:00+00'::timestamptz, '2026-12-03 10:00+00'::timestamptz),
             (2, '2026-12-03 14:00+00', '2026-12-04 14:00+00'), (3, '2026-12-04 14:00+00', '2026-12-07 14:00+00')$$,
    'steps scheduled in working time: 2 days, a 4-hour gap, 1 day, 8 hours over a weekend');
SELECT results_eq(format('SELECT a.assignee_id, a.record_id, a.title FROM actions.action a JOIN actions.procedure_action pa USING (workspace_id, action_id) WHERE pa.run_id = %s ORDER BY pa.position', :fixed),
    format('VALUES (%s::bigint, %s::bigint, %L::text), (%s, %s, %L), (%s, %s, %L)', :worker, :rec, 'Collect documents',
           :worker, :rec, 'Check documents', :owner, :rec, 'Sign contract'),
    'each step''s action is linked to the record and assigned by its rule');

-- The order of steps.
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION pr_worker;
SELECT pg_temp.refused(format('SELECT actions.start(%s)', pg_temp.step(:fixed, 2)), '55000',
    'step 2 of its procedure cannot start before step 1 is complete', 'a step waits for the one before');
SELECT is(actions.why_not('complete', pg_temp.step(:fixed, 2)),
    'step 2 of its procedure cannot be completed before step 1 is complete: action ' || pg_temp.step(:fixed, 2) ||
    ' is a procedure step; the steps run in order', 'why_not explains the order');
SELECT ok(actions.can('complete', pg_temp.step(:fixed, 1)), 'step 1 may be completed');
RESET SESSION AUTHORIZATION;
-- can() and why_not() ask once per statement whether a workspace has steps at all: one statement
-- asking about a workspace without steps and one with them, in turn, answers each as alone.
SET SESSION AUTHORIZATION pr_owner;
SELECT actions.create_action(:bare, 'An ordinary job', assignee_id => :worker) AS bare_job \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION pr_worker;
SELECT actions.why_not('complete', pg_temp.step(:fixed, 2)) AS step2_waits \gset
SELECT is(ARRAY(SELECT coalesce(actions.why_not('complete', u.id), 'allowed')
                  FROM unnest(ARRAY[:bare_job, pg_temp.step(:fixed, 2), :bare_job, pg_temp.step(:fixed, 2),
                                    pg_temp.step(:fixed, 1)]) WITH ORDINALITY u(id, n) ORDER BY u.n),
          ARRAY['allowed', :'step2_waits', 'allowed', :'step2_waits', 'allowed'],
          'one statement about actions of a workspace without steps and of one with them: each answered as alone');
RESET SESSION AUTHORIZATION;

-- Late: with reschedule_if_late on, the later steps move by the working time it was late.
SET SESSION AUTHORIZATION pr_owner;
SELECT actions.set_procedure_options(:ws, reschedule_if_late => true);
SELECT actions.start_procedure(:proc, :rec, now() - interval '30 days') AS late \gset
CREATE TEMP TABLE before_late AS SELECT * FROM pg_temp.dates(:late);
SELECT actions.working_time_between((SELECT due FROM before_late WHERE pos = 1), now(), :ws) AS late_by \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION pr_worker;
SELECT lives_ok(format('SELECT actions.complete(%s)', pg_temp.step(:late, 1)), 'the assignee completes step 1 late');
RESET SESSION AUTHORIZATION;
SELECT ok(:'late_by'::interval > interval '0', 'step 1 was late');
SET SESSION AUTHORIZATION pr_owner;  -- add_working_time computes for a member
SELECT results_eq(format('SELECT pos, start, due FROM pg_temp.dates(%s) WHERE pos > 1', :late),
    format($$SELECT pos, actions.add_working_time(start, %L, %s), actions.add_working_time(due, %L, %s) FROM before_late WHERE pos > 1 ORDER BY pos$$,
           :'late_by', :ws, :'late_by', :ws),
    'steps 2 and 3 moved later by the working time step 1 was late');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT detail->>'caused_by' FROM actions.activity WHERE action_id = pg_temp.step(:late, 3) AND event = 'rescheduled'),
    pg_temp.step(:late, 1)::text, 'the move is logged on step 3 with the step that caused it');
SELECT is((SELECT count(*)::integer FROM actions.activity WHERE action_id = pg_temp.step(:late, 2) AND event IN ('rescheduled', 'due_changed')),
    2, 'step 2''s log has its new due date and the rescheduled entry');

-- Not complete: un-completing step 1 moves them back.
SET SESSION AUTHORIZATION pr_admin;
SELECT lives_ok(format('SELECT actions.uncomplete(%s)', pg_temp.step(:late, 1)), 'administer_actions un-completes step 1');
RESET SESSION AUTHORIZATION;
SELECT results_eq(format('SELECT * FROM pg_temp.dates(%s)', :late), 'SELECT * FROM before_late ORDER BY pos',
    'marking it not complete moves the later steps back');
SELECT is((SELECT detail->>'because' FROM actions.activity WHERE action_id = pg_temp.step(:late, 2) AND event = 'rescheduled' ORDER BY seq DESC LIMIT 1),
    'uncompleted', 'and logs why');

-- Early: the switch is off, so nothing moves unless administer_actions chooses to.
SET SESSION AUTHORIZATION pr_owner;
SELECT actions.start_procedure(:proc, :rec, now() + interval '1 day') AS early \gset
CREATE TEMP TABLE before_early AS SELECT * FROM pg_temp.dates(:early);
GRANT SELECT ON before_early TO PUBLIC;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION pr_worker;
SELECT pg_temp.refused(format('SELECT actions.complete_step(%s, reschedule => true)', pg_temp.step(:early, 1)), '42501',
    'not permitted to reschedule the later steps', 'only administer_actions may choose to reschedule');
SELECT lives_ok(format('SELECT actions.complete(%s)', pg_temp.step(:early, 1)), 'the assignee completes step 1 early');
RESET SESSION AUTHORIZATION;
SELECT results_eq(format('SELECT * FROM pg_temp.dates(%s) WHERE pos > 1', :early), 'SELECT * FROM before_early WHERE pos > 1 ORDER BY pos',
    'with reschedule_if_early off nothing moved');
SET SESSION AUTHORIZATION pr_admin;
SELECT lives_ok(format('SELECT actions.uncomplete(%s)', pg_temp.step(:early, 1)), 'un-completed again (nothing to move back)');
SELECT actions.working_time_between((SELECT due FROM before_early WHERE pos = 1), now(), :ws) AS early_by \gset
SELECT lives_ok(format('SELECT actions.complete_step(%s, reschedule => true)', pg_temp.step(:early, 1)),
    'administer_actions completes it choosing to reschedule');
RESET SESSION AUTHORIZATION;
SELECT ok(:'early_by'::interval < interval '0', 'step 1 was early');
SET SESSION AUTHORIZATION pr_owner;
SELECT results_eq(format('SELECT pos, start, due FROM pg_temp.dates(%s) WHERE pos > 1', :early),
    format($$SELECT pos, actions.add_working_time(start, %L, %s), actions.add_working_time(due, %L, %s) FROM before_early WHERE pos > 1 ORDER BY pos$$,
           :'early_by', :ws, :'early_by', :ws),
    'the later steps moved earlier by the working time it was early');
RESET SESSION AUTHORIZATION;

-- Completing an earlier step once a later one is complete: administer_actions or reassign_actions.
SET SESSION AUTHORIZATION pr_owner;
SELECT actions.set_procedure_options(:ws, relaxed_dates => true);
SELECT actions.start_procedure(:proc, :rec, now()) AS relaxed \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION pr_worker;
SELECT lives_ok(format('SELECT actions.complete(%s)', pg_temp.step(:relaxed, 2)), 'relaxed dates: step 2 before step 1');
SELECT pg_temp.refused(format('SELECT actions.complete(%s)', pg_temp.step(:relaxed, 1)), '42501',
    'not permitted to complete an earlier step of a procedure', 'the assignee may not complete the earlier step');
SELECT is(actions.why_not('complete', pg_temp.step(:relaxed, 1)),
    'not permitted to complete an earlier step of a procedure: step 1 comes before step 2, which is already complete; completing an earlier step needs the administer_actions or reassign_actions permission',
    'why_not explains it');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION pr_mover;
SELECT ok(actions.can('complete', pg_temp.step(:relaxed, 1)), 'reassign_actions may');
SELECT lives_ok(format('SELECT actions.complete(%s)', pg_temp.step(:relaxed, 1)), 'and does');
RESET SESSION AUTHORIZATION;

-- A step's scheduled start: administer_actions only.
SELECT pg_temp.step(:fixed, 3) AS f3 \gset
SET SESSION AUTHORIZATION pr_mover;
SELECT pg_temp.refused(format('SELECT actions.set_step_start(%s, %L)', :f3, '2026-12-04 15:00+00'), '42501',
    'not permitted to change the scheduled start of action ' || :f3, 'reassign_actions may not move a start');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION pr_admin;
SELECT pg_temp.refused(format('SELECT actions.set_step_start(%s, %L)', :f3, '2026-12-08 15:00+00'), '22023',
    'a step cannot start after its due date', 'a start after the due date');
SELECT pg_temp.refused(format('SELECT actions.set_step_start(%s, %L)', :from_tpl, '2026-12-08 15:00+00'), '22023',
    'action ' || :from_tpl || ' is not a procedure step', 'an action that is no step');
SELECT lives_ok(format('SELECT actions.set_step_start(%s, %L)', :f3, '2026-12-04 15:00+00'),
    'administer_actions moves a step''s start');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT start FROM pg_temp.dates(:fixed) WHERE pos = 3), '2026-12-04 15:00+00'::timestamptz, 'the start moved');
SELECT is((SELECT new_value FROM actions.activity WHERE action_id = :f3 AND event = 'start_changed'),
    '2026-12-04T15:00:00.000000Z', 'and the move is logged on the action');

-- Cancelling a whole procedure: its starter or administer_actions, with a reason.
SET SESSION AUTHORIZATION pr_worker;
SELECT pg_temp.refused(format('SELECT actions.cancel_procedure(%s, %L)', :fixed, 'No'), '42501',
    'not permitted to cancel procedure run ' || :fixed, 'the assignee may not cancel the procedure');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION pr_owner;
SELECT pg_temp.refused(format('SELECT actions.cancel_procedure(%s, %L)', :fixed, ' '), '22023', NULL, 'a blank reason');
SELECT is(actions.cancel_procedure(:fixed, 'Supplier withdrew'), 3, 'the starter cancels every open step');
SELECT results_eq(format('SELECT DISTINCT a.status, a.cancel_reason FROM actions.action a JOIN actions.procedure_action pa USING (workspace_id, action_id) WHERE pa.run_id = %s', :fixed),
    $$VALUES ('cancelled'::text, 'Supplier withdrew'::text)$$, 'with the reason');
SELECT pg_temp.refused(format('SELECT actions.cancel_procedure(%s, %L)', :fixed, 'Again'), '55000',
    'procedure run ' || :fixed || ' is already cancelled', 'not twice');

-- A step with the templates' pool rule: nobody assigned, offered to its candidates; bad candidates refused.
SET SESSION AUTHORIZATION pr_owner;
SELECT actions.create_procedure(:ws, 'Pooled') AS pooled \gset
SELECT pg_temp.refused(format('SELECT actions.add_procedure_step(%s, %L, %L, assignee_rule => %L, pool_people => ARRAY[%s]::bigint[])',
    :pooled, 'Anyone', '1 day', 'pool', :other), '22023', NULL, 'a pool candidate who is no member');
SELECT actions.add_procedure_step(:pooled, 'Anyone of us', '1 day', assignee_rule => 'pool',
    pool_people => ARRAY[:worker, :mover]::bigint[]) \g /dev/null
SELECT actions.start_procedure(:pooled, :rec) AS pooled_run \gset
RESET SESSION AUTHORIZATION;
SELECT results_eq(format('SELECT a.assignee_id IS NULL, a.offered, (SELECT array_agg(o.person_id ORDER BY o.person_id) FROM actions.action_offer o WHERE o.action_id = a.action_id) FROM actions.action a WHERE a.action_id = %s', pg_temp.step(:pooled_run, 1)),
    format('VALUES (true, true, ARRAY[%s, %s]::bigint[])', least(:worker, :mover), greatest(:worker, :mover)),
    'a pool step''s action is offered to its candidates, unassigned');

-- A step's position is bounded where it is stored, and checked again before it indexes anything.
SET SESSION AUTHORIZATION pr_owner;
SELECT actions.start_procedure(:proc, :rec, now()) AS bounded \gset
RESET SESSION AUTHORIZATION;
SELECT throws_ok(format('UPDATE actions.procedure_action SET position = 0 WHERE run_id = %s AND position = 1', :bounded),
    '23514', NULL, 'a step position below 1 is refused by the table');
SELECT throws_ok(format('UPDATE actions.procedure_action SET position = 2147483647 WHERE run_id = %s AND position = 2', :bounded),
    '23514', NULL, 'a step position above 100 is refused by the table');
-- Written around the CHECK (as the owner could), it is refused with 22003, not used as an index.
ALTER TABLE actions.procedure_action DROP CONSTRAINT procedure_action_position_check;
UPDATE actions.procedure_action SET position = 2147483647 WHERE run_id = :bounded AND position = 2;
SET SESSION AUTHORIZATION pr_owner;
SELECT throws_ok(format('SELECT actions.complete_step(%s)', pg_temp.step(:bounded, 1)), '22003',
    'step position 2147483647 is out of range', 'a stored position out of range is refused before use');
RESET SESSION AUTHORIZATION;
UPDATE actions.procedure_action SET position = 2 WHERE run_id = :bounded AND position = 2147483647;
ALTER TABLE actions.procedure_action ADD CONSTRAINT procedure_action_position_check CHECK (position BETWEEN 1 AND 100);

-- administer_actions may delete any action (and cancel it).
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION pr_admin;
SELECT ok(actions.can('delete', :from_tpl), 'administer_actions may delete');
SELECT lives_ok(format('SELECT actions.delete_action(%s)', :from_tpl), 'and deletes');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*)::integer FROM actions.verify_log(:ws)), 0, 'the log verifies after all the moves');

SELECT * FROM finish();
ROLLBACK;
