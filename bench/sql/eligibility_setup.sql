-- Approver-eligibility benchmark set-up, run by bench/eligibility.sh as postgres in the database of
-- bench/access.sh, after its measurements (it reuses the 9,995 people that access_setup.sql made).
--   :members  members of the workspace (10000)     :delegations  delegations (1000)
-- A second workspace, 'eligibility bench', so that access.sh's role mix (5% managers) does not make
-- every delegation's pool 500 people wide:
--   * 1,000 groups six levels deep, made through the API by its owner like access_setup.sql's
--     (5 roots, 3 children per group down to depth 5, one child under 395 of the depth-5 groups);
--   * :members members: the owner, elig_asker (role 'user', the acting person of every question),
--     the rest bulk-inserted. By their number k in id order:
--       manager   k % 1000 in (500, 507)         20, half of them removed  (role-wide, system role)
--       chief     k % 2000 in (250, 1263)        10, half of them invited  (custom, approve_delegations:all)
--       approver  k % 33 = 5                     ~300                      (custom, {view_actions,approve_delegations:groups})
--       user      the rest
--     and k % 50 = 7 removed, k % 50 = 13 invited, whatever the role (~2% each);
--   * group memberships: every member but the owner and the approvers in one group (uniform over
--     the 1,000), every second one in two; approver j in one group at depth 1 + j % 6 (spread over
--     that level: ~10 per root, ~3 per depth-2 group, ~1 per depth-3 group, fewer below), every
--     second one also in a uniform group;
--   * :delegations delegations (bulk-inserted, owner party and all), each in one group at depth
--     4-6, every third in two (often in another tree); 80% pending_approval, 20% draft. Parties:
--       i % 4 = 0  issuer: an active approver of a group covering it   (otherwise eligible)
--       i % 4 = 1  issuer: an active manager                           (otherwise eligible)
--       i % 4 = 2  issuer: a user of its first group                   (never eligible anyway)
--       i % 4 = 3  issuers: a user of its first group and an active chief
--     and a recipient (a user) for every one.
-- Prints one line: "ws owner asker".
\set ON_ERROR_STOP on
SET client_min_messages = warning;

SELECT format('CREATE ROLE %I LOGIN', r)
  FROM unnest(array['elig_owner', 'elig_asker']) r
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r)
\gexec

SELECT actions.create_person('owner@elig-login.example', 'Eligibility Owner', 'elig_owner') AS owner \gset
SELECT actions.create_person('asker@elig-login.example', 'Eligibility Asker', 'elig_asker') AS asker \gset
SELECT actions.create_workspace('eligibility bench', 'UTC', NULL, :owner) AS ws \gset

\connect - elig_owner
SET client_min_messages = warning;
SELECT actions.create_role(:ws, 'approver', '{view_actions,approve_delegations:groups}') IS NOT NULL AS role_created;
SELECT actions.create_role(:ws, 'chief', '{view_actions,approve_delegations:all}') IS NOT NULL AS role_created;
SELECT count(actions.create_group(:ws, format('e-region %s', i))) FROM generate_series(1, 5) i;
SELECT count(actions.create_group(:ws, format('e%s.%s', p.group_id, k), p.group_id))
  FROM actions.group p, generate_series(1, 3) k WHERE p.workspace_id = :ws AND cardinality(p.path) = 1;
SELECT count(actions.create_group(:ws, format('e%s.%s', p.group_id, k), p.group_id))
  FROM actions.group p, generate_series(1, 3) k WHERE p.workspace_id = :ws AND cardinality(p.path) = 2;
SELECT count(actions.create_group(:ws, format('e%s.%s', p.group_id, k), p.group_id))
  FROM actions.group p, generate_series(1, 3) k WHERE p.workspace_id = :ws AND cardinality(p.path) = 3;
SELECT count(actions.create_group(:ws, format('e%s.%s', p.group_id, k), p.group_id))
  FROM actions.group p, generate_series(1, 3) k WHERE p.workspace_id = :ws AND cardinality(p.path) = 4;
SELECT count(actions.create_group(:ws, format('e%s.1', p.group_id), p.group_id))
  FROM (SELECT group_id FROM actions.group WHERE workspace_id = :ws AND cardinality(path) = 5
        ORDER BY group_id LIMIT 395) p;

\connect - postgres
SET client_min_messages = warning;
SELECT actions.add_member(:ws, :asker, 'user');

-- The people of access_setup.sql, and as many more as it takes to reach :members members.
SELECT :members - 2 - count(*) AS nextra FROM actions.person WHERE email LIKE '%@acc.example' \gset
INSERT INTO actions.person (email, display_name)
SELECT format('e%s@elig.example', i), format('Elig Person %s', i) FROM generate_series(1, greatest(:nextra, 0)) i;
CREATE TEMP TABLE epeople AS
SELECT row_number() OVER (ORDER BY person_id) - 1 AS k, person_id FROM actions.person
 WHERE email LIKE '%@acc.example' OR email LIKE '%@elig.example'
 ORDER BY person_id LIMIT :members - 2;
INSERT INTO actions.member (workspace_id, person_id, role_id, state)
SELECT :ws, p.person_id, r.role_id,
       CASE WHEN p.k % 50 = 7 THEN 'removed' WHEN p.k % 50 = 13 THEN 'invited' ELSE 'active' END
  FROM epeople p
  JOIN actions.role r ON r.workspace_id = :ws
   AND r.name = CASE WHEN p.k % 1000 IN (500, 507) THEN 'manager' WHEN p.k % 2000 IN (250, 1263) THEN 'chief'
                     WHEN p.k % 33 = 5 THEN 'approver' ELSE 'user' END;

CREATE TEMP TABLE erole AS
SELECT m.person_id, r.name AS role, m.state,
       row_number() OVER (PARTITION BY r.name ORDER BY m.person_id) - 1 AS k,
       row_number() OVER (PARTITION BY r.name, m.state ORDER BY m.person_id) - 1 AS ks
  FROM actions.member m JOIN actions.role r ON r.workspace_id = m.workspace_id AND r.role_id = m.role_id
 WHERE m.workspace_id = :ws;
CREATE UNIQUE INDEX ON erole (person_id);
ANALYZE erole;

-- Groups numbered 1..1000 in id order, and kd = their number within their level.
CREATE TEMP TABLE egrp AS
SELECT row_number() OVER (ORDER BY group_id) AS k, group_id, cardinality(path) AS depth, path,
       row_number() OVER (PARTITION BY cardinality(path) ORDER BY group_id) - 1 AS kd,
       count(*) OVER (PARTITION BY cardinality(path)) AS nd
  FROM actions.group WHERE workspace_id = :ws;
ANALYZE egrp;
INSERT INTO actions.group_member (workspace_id, person_id, group_id)
SELECT :ws, m.person_id, g.group_id
  FROM (SELECT person_id, row_number() OVER (ORDER BY person_id) AS k FROM erole
         WHERE role <> 'approver' AND person_id <> :owner) m
  JOIN egrp g ON g.k = 1 + m.k % 1000 OR (m.k % 2 = 0 AND g.k = 1 + (m.k * 7 + 500) % 1000)
ON CONFLICT DO NOTHING;
INSERT INTO actions.group_member (workspace_id, person_id, group_id)
SELECT :ws, a.person_id, g.group_id
  FROM (SELECT person_id, k AS j FROM erole WHERE role = 'approver') a
  JOIN egrp g ON (g.depth = 1 + a.j % 6 AND g.kd = (a.j / 6 * 7) % g.nd)
              OR (a.j % 2 = 0 AND g.k = 1 + (a.j * 13 + 3) % 1000)
ON CONFLICT DO NOTHING;
-- The statistics of access_setup.sql's workspace know nothing of this one.
ANALYZE actions.member, actions.group, actions.group_member;

-- The delegations.
CREATE TEMP TABLE edeep AS
SELECT row_number() OVER (ORDER BY group_id) - 1 AS k, group_id FROM egrp WHERE depth >= 4;
SELECT count(*) AS ndeep FROM edeep \gset
INSERT INTO actions.record (workspace_id, kind, title, group_ids, owner_id, workflow_state)
SELECT :ws, 'delegation', format('delegation %s', i),
       CASE WHEN i % 3 = 0 AND g2.group_id <> g1.group_id THEN ARRAY[g1.group_id, g2.group_id] ELSE ARRAY[g1.group_id] END,
       :owner, CASE WHEN i % 5 = 0 THEN 'draft' ELSE 'pending_approval' END
  FROM generate_series(1, :delegations) i
  JOIN edeep g1 ON g1.k = (i * 37) % :ndeep
  JOIN edeep g2 ON g2.k = (i * 91 + 17) % :ndeep
 ORDER BY i;
ANALYZE actions.record;
CREATE TEMP TABLE edel AS
SELECT row_number() OVER (ORDER BY record_id) AS i, record_id, group_ids FROM actions.record
 WHERE workspace_id = :ws AND kind = 'delegation';
ANALYZE edel;
SELECT count(*) FILTER (WHERE role = 'manager' AND state = 'active') AS nmanagers,
       count(*) FILTER (WHERE role = 'chief' AND state = 'active') AS nchiefs,
       count(*) FILTER (WHERE role = 'user' AND state = 'active') AS nusers
  FROM erole \gset

INSERT INTO actions.record_party (workspace_id, record_id, capacity, person_id)
SELECT :ws, record_id, 'owner', :owner FROM edel;
-- i % 4 = 0: an active approver of one of the groups covering it.
INSERT INTO actions.record_party (workspace_id, record_id, capacity, person_id)
SELECT DISTINCT ON (d.record_id) :ws, d.record_id, 'issuer', gm.person_id
  FROM edel d
  JOIN actions.group g ON g.workspace_id = :ws AND g.group_id = ANY (d.group_ids)
  JOIN actions.group_member gm ON gm.workspace_id = :ws AND gm.group_id = ANY (g.path)
  JOIN erole e ON e.person_id = gm.person_id AND e.role = 'approver' AND e.state = 'active'
 WHERE d.i % 4 = 0
 ORDER BY d.record_id, (gm.person_id * 7919 + d.i) % 1009;
-- i % 4 = 1: an active manager; i % 4 = 3: an active chief.
INSERT INTO actions.record_party (workspace_id, record_id, capacity, person_id)
SELECT :ws, d.record_id, 'issuer', e.person_id
  FROM edel d
  JOIN erole e ON e.state = 'active'
   AND ((d.i % 4 = 1 AND e.role = 'manager' AND e.ks = (d.i / 4) % :nmanagers)
     OR (d.i % 4 = 3 AND e.role = 'chief' AND e.ks = (d.i / 4) % :nchiefs));
-- i % 4 in (2, 3): a user of its first group.
INSERT INTO actions.record_party (workspace_id, record_id, capacity, person_id)
SELECT DISTINCT ON (d.record_id) :ws, d.record_id, 'issuer', gm.person_id
  FROM edel d
  JOIN actions.group_member gm ON gm.workspace_id = :ws AND gm.group_id = d.group_ids[1]
  JOIN erole e ON e.person_id = gm.person_id AND e.role = 'user'
 WHERE d.i % 4 IN (2, 3)
 ORDER BY d.record_id, (gm.person_id * 7919 + d.i) % 1009;
-- A recipient for every one.
INSERT INTO actions.record_party (workspace_id, record_id, capacity, person_id)
SELECT :ws, d.record_id, 'recipient', e.person_id
  FROM edel d JOIN erole e ON e.role = 'user' AND e.state = 'active' AND e.ks = (d.i * 13) % :nusers
ON CONFLICT DO NOTHING;

-- What the benchmark asks about: every delegation (eligible_approvers), and (person, delegation)
-- pairs (is_eligible_approver), built by bench/sql/eligibility_pairs.sql once the baseline exists.
CREATE SCHEMA IF NOT EXISTS plain;
CREATE TABLE plain.elig_delegation (record_id bigint PRIMARY KEY);
INSERT INTO plain.elig_delegation SELECT record_id FROM edel;
GRANT USAGE ON SCHEMA plain TO elig_asker;
GRANT SELECT ON plain.elig_delegation TO elig_asker;

SELECT :ws AS ws, :owner AS owner, :asker AS asker;
