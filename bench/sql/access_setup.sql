-- Access-control benchmark set-up, run by bench/access.sh as postgres in a fresh database.
--   :members  members of the workspace (10000)     :actions  actions (1000000)
-- One workspace with :members members, 1,000 groups in a tree six levels deep and :actions open
-- actions, each in one group (90% in the two deepest levels). Five people have login roles:
--   acc_owner     owner: creates the custom role and the groups through the API
--   acc_scoped    custom role 'regional' {view_actions:groups, complete_any_actions:groups}, member of
--                 one group at depth 2 and one at depth 3 (in another tree)
--   acc_wide      system role 'user' (view_actions and reassign_actions, role-wide)
--   acc_assignee  system role 'actions_access', assignee of 20,000 consecutive actions
--   acc_listed    system role 'actions_access', assignee of ~100 actions like everybody else
-- The other people and members, the group memberships and the actions are bulk-inserted (the
-- triggers on actions.action are off during the load: the log is not part of this benchmark).
\set ON_ERROR_STOP on
SET client_min_messages = warning;

CREATE EXTENSION IF NOT EXISTS pg_actions;

SELECT format('CREATE ROLE %I LOGIN', r)
  FROM unnest(array['acc_owner', 'acc_scoped', 'acc_wide', 'acc_assignee', 'acc_listed']) r
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r)
\gexec

SELECT actions.create_person('owner@acc-login.example', 'Access Owner', 'acc_owner') AS owner \gset
SELECT actions.create_person('scoped@acc-login.example', 'Scoped Sam', 'acc_scoped') AS scoped \gset
SELECT actions.create_person('wide@acc-login.example', 'Wide Wendy', 'acc_wide') AS wide \gset
SELECT actions.create_person('assignee@acc-login.example', 'Assignee Ann', 'acc_assignee') AS assignee \gset
SELECT actions.create_person('listed@acc-login.example', 'Listed Lee', 'acc_listed') AS listed \gset
SELECT actions.create_workspace('access bench', 'UTC', NULL, :owner) AS ws \gset

-- The owner creates the custom role and the group tree through the API:
-- 5 roots, 3 children per group down to depth 5 (5 + 15 + 45 + 135 + 405 = 605),
-- and one child under each of 395 depth-5 groups: 1,000 groups, six levels.
\connect - acc_owner
SET client_min_messages = warning;
SELECT actions.create_role(:ws, 'regional', '{view_actions:groups,complete_any_actions:groups}') IS NOT NULL AS role_created;
SELECT count(actions.create_group(:ws, format('region %s', i))) FROM generate_series(1, 5) i;
SELECT count(actions.create_group(:ws, format('g%s.%s', p.group_id, k), p.group_id))
  FROM actions.group p, generate_series(1, 3) k WHERE p.workspace_id = :ws AND cardinality(p.path) = 1;
SELECT count(actions.create_group(:ws, format('g%s.%s', p.group_id, k), p.group_id))
  FROM actions.group p, generate_series(1, 3) k WHERE p.workspace_id = :ws AND cardinality(p.path) = 2;
SELECT count(actions.create_group(:ws, format('g%s.%s', p.group_id, k), p.group_id))
  FROM actions.group p, generate_series(1, 3) k WHERE p.workspace_id = :ws AND cardinality(p.path) = 3;
SELECT count(actions.create_group(:ws, format('g%s.%s', p.group_id, k), p.group_id))
  FROM actions.group p, generate_series(1, 3) k WHERE p.workspace_id = :ws AND cardinality(p.path) = 4;
SELECT count(actions.create_group(:ws, format('g%s.1', p.group_id), p.group_id))
  FROM (SELECT group_id FROM actions.group WHERE workspace_id = :ws AND cardinality(path) = 5
        ORDER BY group_id LIMIT 395) p;

\connect - postgres
SET client_min_messages = warning;
SELECT actions.add_member(:ws, :scoped, 'regional'), actions.add_member(:ws, :wide, 'user'),
       actions.add_member(:ws, :assignee, 'actions_access'), actions.add_member(:ws, :listed, 'actions_access');

-- The other members: 70% user, 15% actions_access, 5% regional, 5% inquiry, 5% manager.
INSERT INTO actions.person (email, display_name)
SELECT format('p%s@acc.example', i), format('Person %s', i) FROM generate_series(1, :members - 5) i;
INSERT INTO actions.member (workspace_id, person_id, role_id)
SELECT :ws, p.person_id, r.role_id
  FROM actions.person p
  JOIN actions.role r ON r.workspace_id = :ws
   AND r.name = CASE WHEN p.person_id % 20 < 14 THEN 'user' WHEN p.person_id % 20 < 17 THEN 'actions_access'
                     WHEN p.person_id % 20 = 17 THEN 'regional' WHEN p.person_id % 20 = 18 THEN 'inquiry'
                     ELSE 'manager' END
 WHERE p.email LIKE '%@acc.example';

-- Groups numbered 1..1000 in id order; every member in one group, every second one in two.
CREATE TEMP TABLE grp AS
SELECT row_number() OVER (ORDER BY group_id) AS k, group_id, cardinality(path) AS depth, path
  FROM actions.group WHERE workspace_id = :ws;
INSERT INTO actions.group_member (workspace_id, person_id, group_id)
SELECT :ws, m.person_id, g.group_id
  FROM (SELECT person_id, row_number() OVER (ORDER BY person_id) AS k FROM actions.member
         WHERE workspace_id = :ws AND person_id NOT IN (:owner, :scoped)) m
  JOIN grp g ON g.k = 1 + m.k % 1000 OR (m.k % 2 = 0 AND g.k = 1 + (m.k * 7 + 500) % 1000)
ON CONFLICT DO NOTHING;
-- acc_scoped: the first depth-2 group of the first tree and the first depth-3 group of the third.
INSERT INTO actions.group_member (workspace_id, person_id, group_id)
SELECT :ws, :scoped, (SELECT group_id FROM grp WHERE depth = 2 ORDER BY group_id LIMIT 1)
UNION ALL
SELECT :ws, :scoped, (SELECT group_id FROM grp WHERE depth = 3
                        AND path[1] = (SELECT group_id FROM grp WHERE depth = 1 ORDER BY group_id OFFSET 2 LIMIT 1)
                      ORDER BY group_id LIMIT 1);

-- The actions: action i is in a deep group (depth 5 or 6) unless i % 10 = 0 (depth 1..4); its
-- assignee cycles through the members, its owner too; acc_assignee is the assignee of a block of
-- 20,000 consecutive actions in the middle (a busy assignee: their actions lie as close together
-- in the table as the other cases' samples, so every case reads about as many pages per check).
-- 1% each are complete, in_progress and cancelled, so the status check has something to say; the
-- rest are to_do.
-- (Joins with numbered lists, not subscripts of big arrays: those would be detoasted per row.)
CREATE TEMP TABLE people AS
SELECT row_number() OVER (ORDER BY person_id) - 1 AS k, person_id FROM actions.member
 WHERE workspace_id = :ws AND person_id NOT IN (:owner, :assignee);
CREATE TEMP TABLE gpick AS  -- 0 .. nshallow-1: depth 1..4, then the deep ones
SELECT row_number() OVER (ORDER BY depth >= 5, group_id) - 1 AS k, group_id FROM grp;
ANALYZE people, gpick;
SELECT (SELECT count(*) FROM people) AS npeople, (SELECT count(*) FROM grp WHERE depth < 5) AS nshallow,
       (SELECT count(*) FROM grp WHERE depth >= 5) AS ndeep \gset
ALTER TABLE actions.action DISABLE TRIGGER USER;
INSERT INTO actions.action (workspace_id, title, owner_id, assignee_id, group_ids, status, completed_at, cancel_reason)
SELECT :ws, 'access bench action', o.person_id,
       CASE WHEN i > :actions / 2 AND i <= :actions / 2 + 20000 THEN :assignee ELSE a.person_id END,
       ARRAY[g.group_id],
       CASE i % 100 WHEN 1 THEN 'complete' WHEN 2 THEN 'in_progress' WHEN 3 THEN 'cancelled' ELSE 'to_do' END,
       CASE WHEN i % 100 = 1 THEN now() END,
       CASE WHEN i % 100 = 3 THEN 'bench' END
  FROM generate_series(1, :actions) i
  JOIN people o ON o.k = (i * 7) % :npeople
  JOIN people a ON a.k = i % :npeople
  JOIN gpick g ON g.k = CASE WHEN i % 10 = 0 THEN (i / 10) % :nshallow
                             ELSE :nshallow + (i / 10 * 9 + i % 10) % :ndeep END
 ORDER BY i;
ALTER TABLE actions.action ENABLE TRIGGER USER;

-- What the benchmark checks, by case (the row source is this table, not actions.action: as the
-- member, row-level security would hand can() only the actions it may see).
CREATE SCHEMA plain;
CREATE TABLE plain.sample (kind text NOT NULL, action_id bigint NOT NULL, PRIMARY KEY (kind, action_id));
INSERT INTO plain.sample
SELECT 'scoped', a.action_id FROM (SELECT min(action_id) AS lo FROM actions.action) m,
       LATERAL (SELECT generate_series(m.lo + 100000, m.lo + 199999) AS action_id) a
UNION ALL
SELECT 'wide', a.action_id FROM (SELECT min(action_id) AS lo FROM actions.action) m,
       LATERAL (SELECT generate_series(m.lo + 300000, m.lo + 399999) AS action_id) a
UNION ALL
SELECT 'assignee', action_id FROM actions.action WHERE workspace_id = :ws AND assignee_id = :assignee
UNION ALL  -- for the agreement check: 20,000 ids spread over the whole table, every status, 2 missing ids
SELECT 'spread', m.lo + (k * 49 + 13) % m.n FROM (SELECT min(action_id) AS lo, count(*) AS n FROM actions.action) m,
       generate_series(1, 20000) k
UNION ALL SELECT 'spread', 0 UNION ALL SELECT 'spread', (SELECT max(action_id) + 1 FROM actions.action)
ON CONFLICT DO NOTHING;
GRANT USAGE ON SCHEMA plain TO acc_scoped, acc_wide, acc_assignee, acc_listed;
GRANT SELECT ON plain.sample TO acc_scoped, acc_wide, acc_assignee, acc_listed;

SELECT :ws AS ws, :owner AS owner, :scoped AS scoped, :wide AS wide, :assignee AS assignee, :listed AS listed;
