-- Benchmark set-up, run by bench/run.sh as postgres in a fresh database.
--   :members   number of assignable members (each with a login role bench_mNNN)
-- One workspace, one owner (login role bench_owner, system role 'owner': every verb allowed),
-- and the schema "plain": tables shaped like the extension's (LIKE ... INCLUDING ALL: columns,
-- defaults, identity, CHECKs, indexes) with the same foreign keys, and no triggers.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

CREATE EXTENSION IF NOT EXISTS pg_actions;

-- Login roles are cluster-wide: create them once, reuse them in every bench database.
SELECT format('CREATE ROLE %I LOGIN', r)
  FROM (SELECT 'bench_owner' AS r UNION ALL
        SELECT format('bench_m%s', lpad(i::text, 3, '0')) FROM generate_series(1, :members) i) roles
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r)
\gexec

SELECT actions.create_person('owner@bench.example', 'Bench Owner', 'bench_owner') AS owner_id \gset
SELECT actions.create_workspace('bench', 'UTC', NULL, :owner_id) AS ws \gset
SELECT count(actions.add_member(:ws,
           actions.create_person(format('m%s@bench.example', i), format('Member %s', i),
                                 format('bench_m%s', lpad(i::text, 3, '0'))::name), 'user'))
  FROM generate_series(1, :members) i;

CREATE SCHEMA plain;
CREATE TABLE plain.action (LIKE actions.action INCLUDING ALL);
ALTER TABLE plain.action
    ADD FOREIGN KEY (workspace_id) REFERENCES actions.workspace ON DELETE CASCADE,
    ADD FOREIGN KEY (workspace_id, owner_id) REFERENCES actions.member,
    ADD FOREIGN KEY (workspace_id, assignee_id) REFERENCES actions.member,
    ADD FOREIGN KEY (workspace_id, record_id) REFERENCES actions.record;
CREATE TABLE plain.activity (LIKE actions.activity INCLUDING ALL);
CREATE TABLE plain.activity_head (LIKE actions.activity_head INCLUDING ALL);
CREATE TABLE plain.notification (LIKE actions.notification INCLUDING ALL);
-- The summary row of a completed action, which the extension's log trigger writes on completion.
CREATE TABLE plain.service_level (LIKE actions.service_level INCLUDING ALL);
ALTER TABLE plain.notification ADD FOREIGN KEY (workspace_id) REFERENCES actions.workspace ON DELETE CASCADE;

-- The baseline runs as the same login role as the extension calls, and reads the workspace's
-- link template like the extension does.
GRANT USAGE ON SCHEMA plain TO bench_owner;
GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA plain TO bench_owner;
GRANT SELECT ON actions.workspace TO bench_owner;
-- Sequences that hand out the actions a complete run consumes (one per side).
CREATE SEQUENCE plain.complete_ext;
CREATE SEQUENCE plain.complete_plain;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA plain TO bench_owner;
