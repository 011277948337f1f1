-- The (person, delegation) pairs is_eligible_approver is asked about, run by bench/eligibility.sh
-- as postgres after eligibility_setup.sql and eligibility_baseline.sql.   :ws  the workspace
-- For every third delegation (~333), about 60 people:
--   * everybody plain.eligible_approvers() lists (~half of the pairs: the answer true);
--   * its issuers (false: an issuer never approves, though most of them hold the grant);
--   * 10 approvers picked across the whole workspace (group-scoped: mostly outside its groups,
--     a few removed or invited);
--   * 10 members of the groups covering it (in scope, but mostly users without the grant);
--   * 4 managers and 2 chiefs (role-wide; half of the managers removed, half of the chiefs invited);
--   * 5 users anywhere, and one person who is no member of the workspace.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

CREATE TEMP TABLE erole AS
SELECT m.person_id, r.name AS role, m.state, row_number() OVER (PARTITION BY r.name ORDER BY m.person_id) - 1 AS k
  FROM actions.member m JOIN actions.role r ON r.workspace_id = m.workspace_id AND r.role_id = m.role_id
 WHERE m.workspace_id = :ws;
CREATE INDEX ON erole (role, k);
ANALYZE erole;
CREATE TEMP TABLE edel AS
SELECT row_number() OVER (ORDER BY d.record_id) AS i, d.record_id, r.group_ids
  FROM plain.elig_delegation d JOIN actions.record r ON r.record_id = d.record_id;
DELETE FROM edel WHERE i % 3 <> 1;
ANALYZE edel;
SELECT count(*) FILTER (WHERE role = 'approver') AS napprovers, count(*) FILTER (WHERE role = 'manager') AS nmanagers,
       count(*) FILTER (WHERE role = 'chief') AS nchiefs, count(*) FILTER (WHERE role = 'user') AS nusers
  FROM erole \gset
SELECT coalesce(min(p.person_id), 0) AS outsider FROM actions.person p
 WHERE NOT EXISTS (SELECT 1 FROM actions.member m WHERE m.workspace_id = :ws AND m.person_id = p.person_id) \gset

CREATE TABLE plain.elig_pair (record_id bigint NOT NULL, person_id bigint NOT NULL, PRIMARY KEY (record_id, person_id));
INSERT INTO plain.elig_pair
SELECT d.record_id, e.person_id FROM edel d, unnest(plain.eligible_approvers(d.record_id)) AS e(person_id)
UNION ALL
SELECT d.record_id, rp.person_id FROM edel d
  JOIN actions.record_party rp ON rp.workspace_id = :ws AND rp.record_id = d.record_id AND rp.capacity = 'issuer'
UNION ALL
SELECT d.record_id, e.person_id FROM edel d, generate_series(1, 10) j
  JOIN erole e ON e.role = 'approver' WHERE e.k = (d.i * 7 + j * 31) % :napprovers
UNION ALL
SELECT d.record_id, c.person_id FROM edel d, LATERAL (
    SELECT DISTINCT gm.person_id, (gm.person_id * 7919 + d.i) % 1009 AS o
      FROM actions.group g JOIN actions.group_member gm ON gm.workspace_id = :ws AND gm.group_id = ANY (g.path)
     WHERE g.workspace_id = :ws AND g.group_id = ANY (d.group_ids)
     ORDER BY o LIMIT 10) c
UNION ALL
SELECT d.record_id, e.person_id FROM edel d, generate_series(1, 4) j
  JOIN erole e ON e.role = 'manager' WHERE e.k = (d.i + j * 5) % :nmanagers
UNION ALL
SELECT d.record_id, e.person_id FROM edel d, generate_series(1, 2) j
  JOIN erole e ON e.role = 'chief' WHERE e.k = (d.i + j * 5) % :nchiefs
UNION ALL
SELECT d.record_id, e.person_id FROM edel d, generate_series(1, 5) j
  JOIN erole e ON e.role = 'user' WHERE e.k = (d.i * 11 + j * 997) % :nusers
UNION ALL
SELECT d.record_id, :outsider FROM edel d WHERE :outsider > 0
ON CONFLICT DO NOTHING;
GRANT SELECT ON plain.elig_pair TO elig_asker;
SELECT count(*) FROM plain.elig_pair;
