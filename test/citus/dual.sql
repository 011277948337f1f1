-- The script the dual runner (test/citus/suites/dual.sh) plays on a single node and through the
-- coordinator of a Citus cluster: the same calls must give the same answers. It prints no id
-- (ids differ between the two: each worker allocates from its own range), only what the calls
-- return and what the tables hold, in an order of names. Four workspaces, so both workers hold
-- some; four people with login roles, acting as themselves.
\set ON_ERROR_STOP off
\set SHOW_CONTEXT never
\set VERBOSITY terse
SET client_min_messages = warning;
SET DateStyle = 'ISO';
SET TimeZone = 'UTC';
\pset footer off
\pset format unaligned

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dual_owner') THEN CREATE ROLE dual_owner LOGIN; END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dual_user') THEN CREATE ROLE dual_user LOGIN; END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dual_guest') THEN CREATE ROLE dual_guest LOGIN; END IF;
END $$;

SELECT actions.create_person('owner@dual.example', 'Olive Owner', 'dual_owner') AS owner \gset
SELECT actions.create_person('user@dual.example', 'Ulla User', 'dual_user') AS usr \gset
SELECT actions.create_person('guest@dual.example', 'Gus Guest', 'dual_guest') AS guest \gset
SELECT actions.create_person('sub@dual.example', 'Sam Substitute') AS sub \gset
-- Known before assign_by_email invites them: on Citus only the coordinator adds people (a
-- reference table), and the node running an assignment cannot (suite routing shows the refusal).
SELECT actions.create_person('invitee@dual.example', 'Ivy Invitee') IS NOT NULL AS invitee_known;

SELECT actions.create_workspace('Dual one', 'Europe/London', owner_id => :owner) AS ws1 \gset
SELECT actions.create_workspace('Dual two', 'UTC', owner_id => :owner) AS ws2 \gset
SELECT actions.create_workspace('Dual three', 'America/New_York', owner_id => :owner) AS ws3 \gset
SELECT actions.create_workspace('Dual four', 'Asia/Tokyo', owner_id => :owner) AS ws4 \gset

\set ws :ws1
\ir dual_workspace.sql
\set ws :ws2
\ir dual_workspace.sql
\set ws :ws3
\ir dual_workspace.sql
\set ws :ws4
\ir dual_workspace.sql
\ir dual_global.sql

\echo '== what the tables hold (the four workspaces of this script only)'
SELECT w.name, a.title, a.status, a.priority, o.email AS owner, p.email AS assignee, a.due_at
  FROM actions.action a JOIN actions.workspace w USING (workspace_id)
  JOIN actions.person o ON o.person_id = a.owner_id LEFT JOIN actions.person p ON p.person_id = a.assignee_id
 WHERE w.name LIKE 'Dual %'
 ORDER BY 1, 2, 3, 4, 5, 6, 7;
SELECT w.name, p.email, m.state, r.name AS role
  FROM actions.member m JOIN actions.workspace w USING (workspace_id) JOIN actions.person p USING (person_id)
  JOIN actions.role r USING (workspace_id, role_id)
 WHERE w.name LIKE 'Dual %'
 ORDER BY w.name, p.email;
SELECT w.name, r.name, r.permissions FROM actions.role r JOIN actions.workspace w USING (workspace_id)
 WHERE w.name LIKE 'Dual %' ORDER BY 1, 2;
SELECT w.name, g.name FROM actions."group" g JOIN actions.workspace w USING (workspace_id)
 WHERE w.name LIKE 'Dual %' ORDER BY 1, 2;
SELECT w.name, r.title, r.kind FROM actions.record r JOIN actions.workspace w USING (workspace_id)
 WHERE w.name LIKE 'Dual %' ORDER BY 1, 2;
SELECT w.name, t.type_key, t.label, t.retired_at IS NOT NULL AS retired FROM actions.action_type t JOIN actions.workspace w USING (workspace_id)
 WHERE w.name LIKE 'Dual %' ORDER BY 1, 2;
SELECT w.name, p.email, n.kind, count(*) FROM actions.notification n JOIN actions.workspace w USING (workspace_id)
  JOIN actions.person p USING (person_id)
 WHERE w.name LIKE 'Dual %' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
SELECT w.name, count(*) AS log_entries FROM actions.activity l JOIN actions.workspace w USING (workspace_id)
 WHERE w.name LIKE 'Dual %' GROUP BY 1 ORDER BY 1;
