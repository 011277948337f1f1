-- Bounded maintenance: each sweep takes on at most pg_actions.sweep_batch_size items per call
-- (oldest first; the rest wait for the next call), and an item whose work fails with an
-- unexpected error is rolled back alone and recorded in actions.maintenance_error while the other
-- items go on: mark_overdue() (an action), escalate_overdue() (a firing), notify_due_soon() (a
-- reminder), create_due_reviews() (a document), create_scheduled_actions() (a schedule),
-- seal_ledgers() (a workspace). The errors are made by triggers a superuser
-- adds for one item.
BEGIN;
SELECT plan(33);

CREATE ROLE sb_owner LOGIN;
SELECT actions.create_person('sb-owner@example.com', 'Owner', 'sb_owner') AS owner \gset
SELECT actions.create_workspace('Sweep batches', 'UTC', owner_id => :owner) AS ws \gset
-- (The library is loaded now.)
SELECT is(current_setting('pg_actions.sweep_batch_size'), '500', 'the batch size is 500 by default');

SET SESSION AUTHORIZATION sb_owner;
SELECT count(actions.create_action(:ws, 'Late ' || i, assignee_id => :owner, due_at => now() + interval '1 day'))
  FROM generate_series(1, 5) i \g /dev/null
SELECT actions.create_action(:ws, 'Fine A', assignee_id => :owner, due_at => now() + interval '1 day') AS fine_a,
       actions.create_action(:ws, 'Poison', assignee_id => :owner, due_at => now() + interval '1 day') AS poison,
       actions.create_action(:ws, 'Fine C', assignee_id => :owner, due_at => now() + interval '1 day') AS fine_c
\gset
RESET SESSION AUTHORIZATION;
-- Time passes (the triggers would log the move; the sweeps read due_at).
SET session_replication_role = replica;
UPDATE actions.action SET due_at = now() - interval '1 hour' WHERE workspace_id = :ws;
RESET session_replication_role;

-- A superuser's trigger makes one action's move to overdue fail.
CREATE FUNCTION public.sb_poison() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.title = 'Poison' THEN
        RAISE EXCEPTION 'poisoned action' USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER sb_poison BEFORE UPDATE ON actions.action
    FOR EACH ROW WHEN (NEW.status = 'overdue') EXECUTE FUNCTION public.sb_poison();

-- mark_overdue(): two per call, lowest action_id first.
SET LOCAL pg_actions.sweep_batch_size = 2;
SELECT is(actions.mark_overdue(), 2::bigint, 'mark_overdue marks a batch of 2');
SELECT results_eq(format($$ SELECT title FROM actions.action WHERE workspace_id = %s AND status = 'overdue' ORDER BY action_id $$, :ws),
    $$ VALUES ('Late 1'::text), ('Late 2') $$, '... the two oldest actions');
SELECT is(actions.mark_overdue(), 2::bigint, 'the next call marks the next 2');
SELECT is(actions.mark_overdue(), 2::bigint, '... and the next (Late 5, Fine A)');
-- The fourth batch (Poison, Fine C) holds the poisoned action: it is recorded, Fine C is marked.
SELECT is(actions.mark_overdue(), 1::bigint, 'a batch with a failing action marks the other one');
SELECT results_eq(format($$ SELECT task, workspace_id, item, item_id, sqlstate, error FROM actions.maintenance_error $$),
    format($$ VALUES ('mark_overdue'::text, %s::bigint, 'action'::text, %s::bigint, 'P0001'::text, 'poisoned action'::text) $$, :ws, :poison),
    'the failing action is recorded in actions.maintenance_error, with its SQLSTATE and message');
SELECT is((SELECT status FROM actions.action WHERE action_id = :poison), 'to_do', 'the failing action is left as it was');
SET LOCAL pg_actions.sweep_batch_size = 500;
SET LOCAL client_min_messages = error;  -- the failure's WARNING
SELECT throws_ok('SELECT actions.mark_overdue()', 'P0001', 'poisoned action',
    'a batch in which every action fails fails the task with the first error');
RESET client_min_messages;
SELECT is((SELECT count(*) FROM actions.action WHERE workspace_id = :ws AND status = 'overdue'), 7::bigint,
    'every action but the failing one is overdue');
SELECT is((SELECT count(*) FROM actions.maintenance_error WHERE task = 'mark_overdue'), 1::bigint,
    '... its record rolled back with it');
SELECT is(has_table_privilege('public', 'actions.maintenance_error', 'SELECT'), false, 'the errors are not readable by PUBLIC');
DROP TRIGGER sb_poison ON actions.action;

-- escalate_overdue(): a rule that notifies the owner; firing it fails for the poisoned action.
CREATE FUNCTION public.sb_poison_fired() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.action_id = current_setting('sb.poison')::bigint THEN
        RAISE EXCEPTION 'poisoned firing' USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER sb_poison_fired BEFORE INSERT ON actions.escalation_fired
    FOR EACH ROW EXECUTE FUNCTION public.sb_poison_fired();
SELECT set_config('sb.poison', :'poison', true) \g /dev/null
SET SESSION AUTHORIZATION sb_owner;
SELECT actions.create_escalation_rule(:ws, 0, 'notify_owner') \g /dev/null
RESET SESSION AUTHORIZATION;
SET LOCAL pg_actions.sweep_batch_size = 3;
SELECT is(actions.escalate_overdue(), 3::bigint, 'escalate_overdue fires a batch of 3');
SELECT results_eq(format($$ SELECT a.title FROM actions.escalation_fired f JOIN actions.action a USING (workspace_id, action_id)
                             WHERE f.workspace_id = %s ORDER BY f.action_id $$, :ws),
    $$ VALUES ('Late 1'::text), ('Late 2'), ('Late 3') $$, '... for the three oldest actions');
SET LOCAL pg_actions.sweep_batch_size = 500;
SELECT is(actions.escalate_overdue(), 4::bigint, 'the next call fires the other four, not the failing one');
SELECT is((SELECT count(*) FROM actions.escalation_fired WHERE action_id = :poison), 0::bigint, 'the failing firing left nothing');
SELECT is((SELECT count(*) FROM actions.notification WHERE workspace_id = :ws AND kind = 'escalated'), 7::bigint,
    'seven escalation notifications were sent');
SELECT results_eq($$ SELECT item, item_id, error FROM actions.maintenance_error WHERE task = 'escalate_overdue' $$,
    format($$ VALUES ('action'::text, %s::bigint, 'poisoned firing'::text) $$, :poison), 'the failing firing is recorded for its action');
DROP TRIGGER sb_poison_fired ON actions.escalation_fired;

-- notify_due_soon(): three actions due in an hour, two per call.
SET SESSION AUTHORIZATION sb_owner;
SELECT count(actions.create_action(:ws, 'Soon ' || i, assignee_id => :owner, due_at => now() + interval '1 hour'))
  FROM generate_series(1, 3) i \g /dev/null
RESET SESSION AUTHORIZATION;
SET LOCAL pg_actions.sweep_batch_size = 2;
SELECT is(actions.notify_due_soon(), 2::bigint, 'notify_due_soon sends a batch of 2');
SELECT is(actions.notify_due_soon(), 1::bigint, 'the next call sends the last one (the sent ones are not taken again)');
SELECT is(actions.notify_due_soon(), 0::bigint, 'then nothing is left');
SET LOCAL pg_actions.sweep_batch_size = 500;

-- create_scheduled_actions(): two daily schedules one day behind; moving one of them on fails.
SET SESSION AUTHORIZATION sb_owner;
SELECT actions.create_template(:ws, 'Daily check', 'Daily check', assignee_rule => 'creator') AS tpl \gset
SELECT actions.create_schedule(:ws, :tpl, 'FREQ=DAILY', '2020-01-01 00:05') AS s_good \gset
SELECT actions.create_schedule(:ws, :tpl, 'FREQ=DAILY', '2020-01-01 00:05') AS s_bad \gset
RESET SESSION AUTHORIZATION;
UPDATE actions.schedule SET next_local = next_local - interval '1 day', next_at = next_at - interval '1 day'
 WHERE schedule_id IN (:s_good, :s_bad);
CREATE FUNCTION public.sb_poison_schedule() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.schedule_id = current_setting('sb.poison')::bigint THEN
        RAISE EXCEPTION 'poisoned schedule' USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER sb_poison_schedule BEFORE UPDATE ON actions.schedule
    FOR EACH ROW EXECUTE FUNCTION public.sb_poison_schedule();
SELECT set_config('sb.poison', :'s_bad', true) \g /dev/null
SELECT is(actions.create_scheduled_actions(), 2::bigint, 'the sweep creates both schedules'' occurrences');
SELECT ok((SELECT next_at > now() FROM actions.schedule WHERE schedule_id = :s_good), 'the other schedule moved on');
SELECT ok((SELECT next_at <= now() FROM actions.schedule WHERE schedule_id = :s_bad), 'the failing one did not');
SELECT results_eq($$ SELECT item, item_id, error FROM actions.maintenance_error WHERE task = 'create_scheduled_actions' $$,
    format($$ VALUES ('schedule'::text, %s::bigint, 'poisoned schedule'::text) $$, :s_bad), 'the failing schedule is recorded');
SET LOCAL client_min_messages = error;
SELECT throws_ok('SELECT actions.create_scheduled_actions()', 'P0001', 'poisoned schedule',
    'the next sweep, whose only schedule fails, fails');
RESET client_min_messages;
SELECT is((SELECT count(*) FROM actions.schedule_occurrence WHERE schedule_id IN (:s_good, :s_bad)), 2::bigint,
    'one occurrence each');

-- create_due_reviews(): two published documents due for review; scheduling one's next review fails.
SET SESSION AUTHORIZATION sb_owner;
SELECT actions.create_record(:ws, 'Handbook', 'document') AS doc_good \gset
SELECT actions.create_record(:ws, 'Poisoned handbook', 'document') AS doc_bad \gset
SELECT actions.publish_document(:doc_good) \g /dev/null
SELECT actions.publish_document(:doc_bad) \g /dev/null
RESET SESSION AUTHORIZATION;
UPDATE actions.record SET next_review_at = now() - interval '1 minute', review_every = interval '30 days'
 WHERE record_id IN (:doc_good, :doc_bad);
CREATE FUNCTION public.sb_poison_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.title = 'Poisoned handbook' AND NEW.next_review_at IS DISTINCT FROM OLD.next_review_at THEN
        RAISE EXCEPTION 'poisoned document' USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER sb_poison_record BEFORE UPDATE ON actions.record
    FOR EACH ROW EXECUTE FUNCTION public.sb_poison_record();
SELECT lives_ok('SELECT actions.create_due_reviews()', 'create_due_reviews runs although one document fails');
SELECT ok((SELECT next_review_at > now() FROM actions.record WHERE record_id = :doc_good), 'the other document''s next review is scheduled');
SELECT results_eq($$ SELECT item, item_id, error FROM actions.maintenance_error WHERE task = 'create_due_reviews' $$,
    format($$ VALUES ('document'::text, %s::bigint, 'poisoned document'::text) $$, :doc_bad), 'the failing document is recorded');
DROP TRIGGER sb_poison_record ON actions.record;

-- seal_ledgers(): sealing one workspace fails.
SELECT actions.create_workspace('Second', 'UTC', owner_id => :owner) AS ws2 \gset
CREATE FUNCTION public.sb_poison_seal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.workspace_id = current_setting('sb.poison')::bigint THEN
        RAISE EXCEPTION 'poisoned seal' USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER sb_poison_seal BEFORE INSERT ON actions.ledger_seal
    FOR EACH ROW EXECUTE FUNCTION public.sb_poison_seal();
SELECT set_config('sb.poison', :'ws', true) \g /dev/null
SELECT cmp_ok(actions.seal_ledgers(), '>=', 1::bigint, 'seal_ledgers seals the other workspaces');
SELECT ok(EXISTS (SELECT 1 FROM actions.ledger_seal WHERE workspace_id = :ws2), '... the second workspace among them');
SELECT results_eq(format($$ SELECT item, item_id, error FROM actions.maintenance_error WHERE task = 'seal_ledgers' AND item_id = %s $$, :ws),
    format($$ VALUES ('workspace'::text, %s::bigint, 'poisoned seal'::text) $$, :ws), 'the failing workspace is recorded');
DROP TRIGGER sb_poison_seal ON actions.ledger_seal;

SELECT * FROM finish();
ROLLBACK;
