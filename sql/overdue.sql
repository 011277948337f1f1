-- Overdue: set by a trigger when a due date is already past, undone when the due date moves into
-- the future, and set by the maintenance sweep actions.mark_overdue() as time passes.
SET client_min_messages = warning;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
DROP ROLE IF EXISTS od_owner;
CREATE ROLE od_owner LOGIN;
SELECT actions.create_person('owner@example.com', 'Olga', 'od_owner') AS olga \gset
SELECT actions.create_workspace('Overdue Ltd', 'America/New_York', owner_id => :olga) AS ws \gset

SET SESSION AUTHORIZATION od_owner;
-- Created with a due date in the past: overdue at once.
SELECT actions.create_action(:ws, 'File the 2020 tax return', due_at => '2021-04-15 12:00+00') AS late \gset
-- Started, then overdue; moving the due date into the future returns it to in_progress.
SELECT actions.create_action(:ws, 'Repaint the office', due_on => '2099-06-30') AS paint \gset
SELECT actions.start(:paint);
SELECT actions.update_action(:paint, due_on => '2001-06-30');
SELECT actions.update_action(:paint, due_on => '2099-07-31');
-- A never-started overdue action returns to to_do.
SELECT actions.update_action(:late, clear_due => true);
RESET SESSION AUTHORIZATION;

SELECT action_id = :late AS late, status, due_at FROM actions.action WHERE workspace_id = :ws ORDER BY action_id;
SELECT action_id = :late AS late, seq, event, old_value, new_value, detail
  FROM actions.activity WHERE workspace_id = :ws ORDER BY action_id, seq;

-- The sweep: two actions fall due one second from now; after they pass, one run marks both,
-- a second run marks none, and each has exactly one overdue entry.
SET SESSION AUTHORIZATION od_owner;
SELECT actions.create_action(:ws, 'Call the plumber', due_at => now() + interval '1 second') AS p1 \gset
SELECT actions.create_action(:ws, 'Pay the plumber', due_at => now() + interval '1 second') AS p2 \gset
SELECT actions.create_action(:ws, 'Thank the plumber', due_at => now() + interval '1 day') AS p3 \gset
RESET SESSION AUTHORIZATION;
SELECT pg_sleep(1.2);
SELECT actions.mark_overdue() AS marked;
SELECT actions.mark_overdue() AS marked_again;
SELECT title, status FROM actions.action WHERE action_id IN (:p1, :p2, :p3) ORDER BY action_id;
SELECT action_id = :p1 AS p1, event, old_value, new_value, actor_id, db_role
  FROM actions.activity WHERE action_id IN (:p1, :p2, :p3) AND event = 'overdue' ORDER BY action_id;

-- Complete and cancelled actions are never overdue.
SET SESSION AUTHORIZATION od_owner;
SELECT actions.complete(:p1);
SELECT actions.uncomplete(:p1);
RESET SESSION AUTHORIZATION;
SELECT status FROM actions.action WHERE action_id = :p1;

SELECT * FROM actions.verify_log(:ws);
DROP ROLE od_owner;
