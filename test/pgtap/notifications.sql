-- Notifications: a person gets one in-app notification (actions.notification) when an action is
-- assigned or reassigned to them by someone else, with a link built from the workspace's
-- action_url_template; nobody is notified about work they gave themselves.
BEGIN;
SELECT plan(25);

CREATE ROLE nt_boss LOGIN;
CREATE ROLE nt_ann LOGIN;
CREATE ROLE nt_bob LOGIN;
SELECT actions.create_person('nt.boss@example.org', 'Boss', 'nt_boss') AS boss,
       actions.create_person('nt.ann@example.org', 'Ann', 'nt_ann') AS ann,
       actions.create_person('nt.bob@example.org', 'Bob', 'nt_bob') AS bob
\gset
-- Both placeholders are replaced, every time they occur.
SELECT actions.create_workspace('Notifications', 'UTC',
           'https://actions.example.com/w/{workspace_id}/a/{action_id}?back={action_id}', :boss) AS ws,
       actions.create_workspace('Default links', 'UTC', NULL, :boss) AS plain_ws
\gset
SELECT actions.add_member(:ws, :ann, 'user'), actions.add_member(:ws, :bob, 'user'),
       actions.add_member(:plain_ws, :ann, 'user')
\gset

-- The boss creates an action for Ann, one for herself, and one for nobody yet.
SET SESSION AUTHORIZATION nt_boss;
SELECT actions.create_action(:ws, 'Review the budget', assignee_id => :ann) AS for_ann,
       actions.create_action(:ws, 'Plan the offsite', assignee_id => :boss) AS for_self,
       actions.create_action(:ws, 'Book the room') AS unassigned,
       actions.create_action(:plain_ws, 'Default link', assignee_id => :ann) AS plain
\gset
RESET SESSION AUTHORIZATION;

SELECT results_eq(format('SELECT person_id, kind, link, read_at IS NULL FROM actions.notification WHERE action_id = %s', :for_ann),
    format($$VALUES (%s::bigint, 'assigned'::text, 'https://actions.example.com/w/%s/a/%s?back=%s'::text, true)$$,
           :ann, :ws, :for_ann, :for_ann),
    'creating an action assigned to someone else notifies them once, with the templated link');
SELECT is((SELECT workspace_id FROM actions.notification WHERE action_id = :for_ann), :ws::bigint,
    'the notification belongs to the action''s workspace');
SELECT is_empty(format('SELECT 1 FROM actions.notification WHERE action_id = %s', :for_self),
    'assigning an action to yourself at creation notifies nobody');
SELECT results_eq(format('SELECT person_id, kind, link FROM actions.notification WHERE action_id = %s', :plain),
    format($$VALUES (%s::bigint, 'assigned'::text, 'pg-actions://workspace/%s/action/%s'::text)$$, :ann, :plain_ws, :plain),
    'without a template of its own a workspace links with pg-actions://workspace/{workspace_id}/action/{action_id}');

-- assign(): to someone else notifies them; to yourself notifies nobody.
SET SESSION AUTHORIZATION nt_boss;
SELECT actions.assign(:unassigned, :bob) \gset
RESET SESSION AUTHORIZATION;
SELECT results_eq(format('SELECT person_id, kind, link FROM actions.notification WHERE action_id = %s', :unassigned),
    format($$VALUES (%s::bigint, 'assigned'::text, 'https://actions.example.com/w/%s/a/%s?back=%s'::text)$$,
           :bob, :ws, :unassigned, :unassigned),
    'assign() to another member notifies that member');

SET SESSION AUTHORIZATION nt_ann;
SELECT actions.create_action(:ws, 'Ann''s own note') AS anns_own \gset
SELECT actions.assign(:anns_own, :ann) \gset
RESET SESSION AUTHORIZATION;
SELECT is_empty(format('SELECT 1 FROM actions.notification WHERE action_id = %s', :anns_own),
    'assign() to yourself notifies nobody');
SELECT results_eq(format('SELECT event, new_value FROM actions.activity WHERE action_id = %s AND event = ''assigned''', :anns_own),
    format($$VALUES ('assigned'::text, '%s'::text)$$, :ann),
    '... but the self-assignment is logged');

-- reassign(): the new assignee gets a 'reassigned' notification, the old one nothing more.
SET SESSION AUTHORIZATION nt_boss;
SELECT actions.reassign(:for_ann, :bob) \gset
RESET SESSION AUTHORIZATION;
SELECT results_eq(format('SELECT person_id, kind, link FROM actions.notification WHERE action_id = %s ORDER BY notification_id', :for_ann),
    format($$VALUES (%1$s::bigint, 'assigned'::text, 'https://actions.example.com/w/%3$s/a/%4$s?back=%4$s'::text),
                    (%2$s::bigint, 'reassigned'::text, 'https://actions.example.com/w/%3$s/a/%4$s?back=%4$s'::text)$$,
           :ann, :bob, :ws, :for_ann),
    'reassign() notifies the new assignee (kind reassigned) and nobody else');
SELECT results_eq(format('SELECT old_value, new_value, actor_id FROM actions.activity WHERE action_id = %s AND event = ''reassigned''', :for_ann),
    format($$VALUES ('%s'::text, '%s'::text, %s::bigint)$$, :ann, :bob, :boss),
    'the log holds reassigned with the old and the new assignee and who did it');

-- Reassigning to yourself is logged, but nobody is notified.
SET SESSION AUTHORIZATION nt_boss;
SELECT actions.reassign(:for_ann, :boss) \gset
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM actions.notification WHERE action_id = :for_ann), 2::bigint,
    'reassigning to yourself creates no notification');
SELECT results_eq(format('SELECT old_value, new_value FROM actions.activity WHERE action_id = %s AND event = ''reassigned'' ORDER BY seq', :for_ann),
    format($$VALUES ('%s'::text, '%s'::text), ('%s', '%s')$$, :ann, :bob, :bob, :boss),
    'both reassignments are in the log, in order');

-- Reassigning to the current assignee changes nothing: no log entry, no notification.
SELECT count(*) AS entries_before FROM actions.activity WHERE action_id = :unassigned \gset
SET SESSION AUTHORIZATION nt_boss;
SELECT actions.reassign(:unassigned, :bob) \gset
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM actions.activity WHERE action_id = :unassigned), :entries_before::bigint,
    'reassigning to the current assignee logs nothing');
SELECT is((SELECT count(*) FROM actions.notification WHERE action_id = :unassigned), 1::bigint,
    'reassigning to the current assignee notifies nobody again');

-- An application's own UPDATE of the assignee notifies and logs exactly like reassign().
UPDATE actions.action SET assignee_id = :ann WHERE action_id = :unassigned;
SELECT results_eq(format('SELECT person_id, kind FROM actions.notification WHERE action_id = %s ORDER BY notification_id DESC LIMIT 1', :unassigned),
    format($$VALUES (%s::bigint, 'reassigned'::text)$$, :ann),
    'a direct UPDATE of assignee_id notifies the new assignee');
SELECT results_eq(format('SELECT event, old_value, new_value, actor_id FROM actions.activity WHERE action_id = %s ORDER BY seq DESC LIMIT 1', :unassigned),
    format($$VALUES ('reassigned'::text, '%s'::text, '%s'::text, NULL::bigint)$$, :bob, :ann),
    'a direct UPDATE of assignee_id is logged as reassigned (no person acted)');

-- Nobody else was ever notified.
SELECT is((SELECT count(*) FROM actions.notification WHERE workspace_id IN (:ws, :plain_ws) AND person_id = :boss), 0::bigint,
    'the boss, who did all the assigning, has no notification');

-- The relay of a Citus coordinator (src/sql/69_relay.sql): on a single node every notification
-- is announced where it is written and nothing waits for it.
SELECT is((SELECT count(*) FROM actions.notification WHERE relay_pending), 0::bigint, 'on a single node nothing waits for the relay');
SELECT is(actions.relay_notifications(), 0, 'so the relay has nothing to do');
-- A notification marked as a worker marks it is announced once, and cleared.
UPDATE actions.notification SET relay_pending = true WHERE workspace_id = :ws AND action_id = :for_ann;
LISTEN pg_actions;
SELECT is(actions.relay_notifications(), (SELECT count(*)::integer FROM actions.notification WHERE workspace_id = :ws AND action_id = :for_ann),
          'a pending notification is relayed');
SELECT is((SELECT count(*) FROM actions.notification WHERE relay_pending), 0::bigint, 'and is no longer pending');
SELECT is(actions.relay_notifications(), 0, 'a second pass relays nothing again');
UNLISTEN pg_actions;
SELECT throws_ok('SELECT actions.relay_notifications(0)', '22023', 'batch 0 is out of range', 'a batch of 0 is refused');
SELECT throws_ok($$CALL actions.run_notification_relay('1 second', '0 seconds')$$, '22023', NULL, 'a poll of 0 is refused');
SET SESSION AUTHORIZATION nt_ann;
SELECT throws_ok('SELECT actions.relay_notifications()', '42501', NULL, 'a member may not run the relay');
SELECT throws_ok($$CALL actions.run_notification_relay('1 second')$$, '42501', NULL, 'nor its loop');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
