-- Which notifications are sent: kinds a workspace turns off, kinds a person opts out of, and the
-- due_soon / overdue reminders of the maintenance sweep, each sent once per action and due date.
BEGIN;
SELECT plan(16);

CREATE ROLE ns_owner LOGIN;
CREATE ROLE ns_user LOGIN;
CREATE ROLE ns_bob LOGIN;
SELECT actions.create_person('ns-owner@example.com', 'Owner', 'ns_owner') AS owner \gset
SELECT actions.create_person('ns-user@example.com', 'User', 'ns_user') AS usr \gset
SELECT actions.create_person('ns-bob@example.com', 'Bob', 'ns_bob') AS bob \gset
SELECT actions.create_workspace('Notify Co', owner_id => :owner) AS ws \gset
SELECT actions.add_member(:ws, :usr, 'user') \g /dev/null
SELECT actions.add_member(:ws, :bob, 'user') \g /dev/null
CREATE FUNCTION pg_temp.sent(person bigint, k text) RETURNS bigint LANGUAGE sql AS
    $$ SELECT count(*) FROM actions.notification WHERE person_id = person AND kind = k $$;

-- Only a member with manage_workspace changes the workspace's settings.
SET SESSION AUTHORIZATION ns_user;
SELECT throws_ok(format('SELECT actions.set_notification(%s, %L, false)', :ws, 'assigned'), '42501',
    'permission denied to manage workspace', 'a user may not change workspace notification settings');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ns_owner;
SELECT throws_ok(format('SELECT actions.set_notification(%s, %L, false)', :ws, 'carrier_pigeon'), '22023', 'invalid value for kind: "carrier_pigeon"',
    'an unknown kind is refused');
SELECT lives_ok(format('SELECT actions.set_notification(%s, %L, false)', :ws, 'assigned'), 'the owner turns assigned off');
SELECT actions.create_action(:ws, 'Quietly assigned', assignee_id => :bob) AS quiet \gset
SELECT actions.set_notification(:ws, 'assigned', true) \g /dev/null
SELECT actions.create_action(:ws, 'Loudly assigned', assignee_id => :bob) AS loud \gset
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.sent(:bob, 'assigned'), 1::bigint, 'while it was off nothing was sent; back on, it is');

-- A person opts out of a kind for themselves only.
SET SESSION AUTHORIZATION ns_bob;
SELECT lives_ok(format('SELECT actions.opt_out(%s, %L)', :ws, 'reassigned'), 'Bob opts out of reassigned');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ns_owner;
SELECT actions.create_action(:ws, 'Hot potato', assignee_id => :usr) AS potato \gset
SELECT actions.reassign(:potato, :bob) \g /dev/null
SELECT actions.reassign(:potato, :usr) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.sent(:bob, 'reassigned'), 0::bigint, 'Bob gets no reassigned notification');
SELECT is(pg_temp.sent(:usr, 'reassigned'), 1::bigint, 'the user, who did not opt out, does');
SET SESSION AUTHORIZATION ns_bob;
SELECT actions.opt_out(:ws, 'reassigned', opted_out => false) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM actions.notification_opt_out WHERE person_id = :bob), 0::bigint, 'and can opt back in');

-- Overdue: a reminder to the assignee when the action becomes overdue, once per due date.
SET SESSION AUTHORIZATION ns_owner;
SELECT actions.create_action(:ws, 'Late report', assignee_id => :bob, due_at => '2020-01-01 00:00+00') AS late \gset
SELECT actions.update_action(:late, due_at => '2099-01-01 00:00+00') \g /dev/null
SELECT actions.update_action(:late, due_at => '2020-01-01 00:00+00') \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.sent(:bob, 'overdue'), 1::bigint, 'overdue twice for the same due date: one reminder');
SET SESSION AUTHORIZATION ns_owner;
SELECT actions.update_action(:late, due_at => '2021-01-01 00:00+00') \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.sent(:bob, 'overdue'), 1::bigint, 'moving the due date while overdue is not a new overdue');
SET SESSION AUTHORIZATION ns_owner;
SELECT actions.update_action(:late, due_at => '2099-01-01 00:00+00') \g /dev/null
SELECT actions.update_action(:late, due_at => '2022-01-01 00:00+00') \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.sent(:bob, 'overdue'), 2::bigint, 'overdue again for a new due date: a new reminder');

-- Due soon: the sweep reminds assignees of open actions due within the workspace window.
UPDATE actions.workspace SET due_soon_window = interval '2 days' WHERE workspace_id = :ws;
SET SESSION AUTHORIZATION ns_owner;
SELECT actions.create_action(:ws, 'Due tomorrow', assignee_id => :usr, due_at => now() + interval '1 day') AS soon \gset
SELECT actions.create_action(:ws, 'Due next week', assignee_id => :usr, due_at => now() + interval '7 days') AS later \gset
SELECT actions.create_action(:ws, 'Due tomorrow, done', assignee_id => :usr, due_at => now() + interval '1 day') AS done \gset
SELECT actions.complete(:done) \g /dev/null
SELECT actions.create_action(:ws, 'Due tomorrow, nobody', due_at => now() + interval '1 day') AS nobody \gset
RESET SESSION AUTHORIZATION;
SELECT is(actions.notify_due_soon(), 1::bigint, 'the sweep sends one due_soon reminder');
SELECT results_eq(format($$SELECT action_id FROM actions.notification WHERE person_id = %s AND kind = 'due_soon'$$, :usr),
    format('VALUES (%s::bigint)', :soon), 'for the open, assigned action due within the window');
SELECT is(actions.notify_due_soon(), 0::bigint, 'a second sweep sends nothing');

-- Opted out: the reminder is recorded as handled but not sent.
SET SESSION AUTHORIZATION ns_user;
SELECT actions.opt_out(:ws, 'due_soon') \g /dev/null
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ns_owner;
SELECT actions.update_action(:soon, due_at => now() + interval '30 hours') \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT is(actions.notify_due_soon(), 0::bigint, 'an opted-out assignee gets no due_soon reminder');
SELECT is((SELECT count(*) FROM actions.reminder WHERE action_id = :soon AND kind = 'due_soon'), 2::bigint,
    'though each due date is marked as handled');

SELECT * FROM finish();
ROLLBACK;
