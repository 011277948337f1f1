-- Delivery of notifications outside the database (contrib/notifier) and the monitoring figures
-- (contrib/prometheus): the channels, the outbox rows, claim / mark delivered / mark failed with
-- backoff, the settings as they are at delivery, and the counts of the metrics_* functions.
BEGIN;
SELECT plan(34);

CREATE ROLE dl_owner LOGIN;
CREATE ROLE dl_bob LOGIN;
CREATE ROLE dl_fresh LOGIN;
SELECT actions.create_person('dl-owner@example.com', 'Owner', 'dl_owner') AS owner \gset
SELECT actions.create_person('dl-bob@example.com', 'Bob', 'dl_bob') AS bob \gset
SELECT actions.create_person('dl-cleo@example.com', 'Cleo') AS cleo \gset
SELECT actions.create_workspace('Deliver Co', owner_id => :owner) AS ws \gset
SELECT actions.create_workspace('Quiet Co', owner_id => :owner) AS quiet \gset
SELECT actions.add_member(:ws, :bob, 'user'), actions.add_member(:ws, :cleo, 'user') \g /dev/null
CREATE FUNCTION pg_temp.state(n bigint, c text) RETURNS text LANGUAGE sql AS
    $$ SELECT state FROM actions.notification_delivery WHERE notification_id = n AND channel = c $$;

-- Administration only.
SELECT is(has_function_privilege('dl_fresh', 'actions.claim_delivery(text)', 'EXECUTE'), false,
    'PUBLIC cannot claim deliveries');
SELECT is(has_function_privilege('dl_fresh', 'actions.metrics_actions()', 'EXECUTE'), false,
    'PUBLIC cannot read the metrics');
SELECT is(has_table_privilege('dl_fresh', 'actions.notification_delivery', 'SELECT'), false,
    'PUBLIC cannot read the outbox');

-- Nothing is queued while no channel is open.
SET SESSION AUTHORIZATION dl_owner;
SELECT actions.create_action(:ws, 'Before any channel', assignee_id => :bob) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM actions.notification_delivery), 0::bigint, 'no channel open: nothing is queued');
SELECT throws_ok($$ SELECT actions.open_delivery_channel('pigeon') $$, '22023', 'unknown delivery channel: pigeon',
    'an unknown channel is refused');
SELECT actions.open_delivery_channel('email') AS opened \gset
SELECT is(actions.open_delivery_channel('email'), :'opened'::timestamptz, 'opening it again keeps its time');

-- From now on every notification is queued on the open channel, once.
SET SESSION AUTHORIZATION dl_owner;
SELECT actions.create_action(:ws, 'First', assignee_id => :bob) AS a1 \gset
SELECT actions.create_action(:ws, 'Second', assignee_id => :bob) AS a2 \gset
SELECT actions.create_action(:ws, 'Third', assignee_id => :cleo) AS a3 \gset
SELECT actions.create_action(:ws, 'Fourth', assignee_id => :cleo) AS a4 \gset
RESET SESSION AUTHORIZATION;
SELECT notification_id AS n1 FROM actions.notification WHERE action_id = :a1 \gset
SELECT notification_id AS n2 FROM actions.notification WHERE action_id = :a2 \gset
SELECT notification_id AS n3 FROM actions.notification WHERE action_id = :a3 \gset
SELECT notification_id AS n4 FROM actions.notification WHERE action_id = :a4 \gset
SELECT is((SELECT count(*) FROM actions.notification_delivery), 4::bigint, 'four notifications, four email deliveries');
SELECT is((SELECT string_agg(DISTINCT state || '/' || attempts, ',') FROM actions.notification_delivery), 'pending/0',
    'all pending, never attempted');

-- A claim returns the oldest due delivery with what to send and its idempotency key.
SELECT * INTO TEMP claimed FROM actions.claim_delivery('email');
SELECT is((SELECT notification_id FROM claimed), :n1::bigint, 'the oldest is claimed first');
SELECT is((SELECT email || ' ' || display_name || ' ' || kind || ' ' || action_title || ' ' || workspace_name FROM claimed),
    'dl-bob@example.com Bob assigned First Deliver Co', 'with the address, the kind, the action and the workspace');
SELECT is((SELECT idempotency_key FROM claimed), format('pg-actions-%s-%s-email', :ws, :n1),
    'and the idempotency key pg-actions-<workspace>-<notification>-<channel>');
SELECT is(actions.mark_delivered(:ws, :n1, 'email'), true, 'marked delivered');
SELECT is(actions.mark_delivered(:ws, :n1, 'email'), false, 'a second mark changes nothing');
SELECT is((SELECT state || '/' || attempts || '/' || (delivered_at IS NOT NULL) FROM actions.notification_delivery
            WHERE notification_id = :n1), 'delivered/1/true', 'delivered, one attempt, with its time');

-- A failed attempt is retried later, twice as late each time, and given up at max_attempts.
SELECT is(actions.mark_delivery_failed(:ws, :n2, 'email', 'connection refused', '10 seconds', 3), 'pending',
    'first failure: still pending');
SELECT is((SELECT next_attempt_at - now() FROM actions.notification_delivery WHERE notification_id = :n2),
    interval '10 seconds', 'retried after retry_base');
SELECT is(actions.mark_delivery_failed(:ws, :n2, 'email', 'connection refused', '10 seconds', 3), 'pending', 'second failure');
SELECT is((SELECT next_attempt_at - now() FROM actions.notification_delivery WHERE notification_id = :n2),
    interval '20 seconds', 'then after twice as long');
SELECT is((SELECT notification_id FROM actions.claim_delivery('email')), :n3::bigint,
    'a delivery waiting for its retry is not claimed before its time');
SELECT is(actions.mark_delivery_failed(:ws, :n2, 'email', 'connection refused', '10 seconds', 3), 'failed',
    'third failure of three: failed for good');
SELECT is((SELECT last_error FROM actions.notification_delivery WHERE notification_id = :n2), 'connection refused',
    'with the last error');
SELECT is(actions.mark_delivery_failed(:ws, :n2, 'email', 'again', '10 seconds', 3), NULL, 'a failed delivery is not pending');

-- The settings at delivery: opting out after the notification was made skips it; so does leaving.
SET SESSION AUTHORIZATION dl_owner;
SELECT actions.set_notification(:ws, 'assigned', false) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT is((SELECT notification_id FROM actions.claim_delivery('email')), NULL::bigint,
    'the workspace turned assigned off: nothing is left to claim');
SELECT is(pg_temp.state(:n3, 'email') || ' ' || pg_temp.state(:n4, 'email'), 'skipped skipped', 'both are skipped');
SELECT is((SELECT last_error FROM actions.notification_delivery WHERE notification_id = :n3),
    'the workspace turned the kind assigned off', 'and say why');
SET SESSION AUTHORIZATION dl_owner;
SELECT actions.set_notification(:ws, 'assigned', true) \g /dev/null
RESET SESSION AUTHORIZATION;

-- A second channel opened with since: earlier notifications are queued on it too.
SELECT actions.open_delivery_channel('webhook', now() - interval '1 hour') \g /dev/null
-- (in this transaction now() is the time of every row, so the notifications count as earlier)
SELECT is((SELECT count(*) FROM actions.notification_delivery WHERE channel = 'webhook'), 0::bigint,
    'since: only notifications created before the channel opened (none here: one transaction)');
SET SESSION AUTHORIZATION dl_bob;
SELECT actions.opt_out(:ws, 'reassigned') \g /dev/null
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION dl_owner;
SELECT actions.reassign(:a3, :bob) \g /dev/null
SELECT actions.reassign(:a4, :bob) \g /dev/null
SELECT actions.reassign(:a4, :cleo) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT is((SELECT string_agg(d.channel || ':' || n.person_id, ',' ORDER BY d.channel) FROM actions.notification_delivery d
              JOIN actions.notification n USING (workspace_id, notification_id) WHERE n.kind = 'reassigned'),
    format('email:%s,webhook:%s', :cleo, :cleo), 'Cleo''s reassigned is queued on both channels (Bob opted out: none made for him)');
SELECT notification_id AS n5 FROM actions.notification WHERE action_id = :a4 AND kind = 'reassigned' AND person_id = :cleo \gset
UPDATE actions.member SET state = 'removed' WHERE workspace_id = :ws AND person_id = :cleo;
SET SESSION AUTHORIZATION dl_owner;
SELECT actions.create_action(:ws, 'For Bob', assignee_id => :bob) AS a6 \gset
RESET SESSION AUTHORIZATION;
SELECT is((SELECT action_title FROM actions.claim_delivery('webhook')), 'For Bob',
    'Cleo left the workspace: her notification is skipped, the next one is claimed');
SELECT is((SELECT last_error FROM actions.notification_delivery WHERE channel = 'webhook' AND state = 'skipped'),
    'the person left the workspace', 'and says why');

-- The figures of the monitoring functions.
SELECT is((SELECT pending || ' ' || retrying || ' ' || failed || ' ' || delivered || ' ' || skipped
             FROM actions.metrics_outbox() WHERE channel = 'email'),
    '2 0 1 1 2', 'email outbox: pending (Cleo''s reassigned and Bob''s last), failed, delivered, skipped');
SELECT is((SELECT count(*) FROM actions.metrics_outbox()), 2::bigint, 'one row per open channel');
SET SESSION AUTHORIZATION dl_owner;
SELECT actions.create_action(:ws, 'Soon', due_at => now() + interval '3 hours') \g /dev/null
SELECT actions.create_action(:ws, 'Later', due_at => now() + interval '3 days') \g /dev/null
SELECT actions.start(actions.create_action(:ws, 'Started', due_at => now() + interval '2 hours')) \g /dev/null
SELECT actions.start(actions.create_action(:ws, 'Started late', due_at => now() - interval '2 days')) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT results_eq($$ SELECT status, open, overdue, due_soon FROM actions.metrics_actions() WHERE workspace_id = $$ || :ws,
    $$ VALUES ('in_progress', 1::bigint, 0::bigint, 1::bigint), ('overdue', 1::bigint, 1::bigint, 0::bigint),
              ('to_do', 8::bigint, 0::bigint, 1::bigint) $$,
    'metrics_actions: open actions per status, of them past due and due soon');
SELECT results_eq($$ SELECT status, open FROM actions.metrics_actions() WHERE workspace_id = $$ || :quiet,
    $$ VALUES ('in_progress', 0::bigint), ('overdue', 0::bigint), ('to_do', 0::bigint) $$,
    'a workspace without actions has its three rows of zeros');
SELECT results_eq($$ SELECT workspace_id, seals, unsealed FROM actions.metrics_ledger() $$,
    format($$ VALUES (%s::bigint, 0::bigint, true), (%s::bigint, 0::bigint, false) $$, :ws, :quiet),
    'metrics_ledger: never sealed; entries to seal only where something happened');

SELECT * FROM finish();
ROLLBACK;
