-- actions.distribute() on a coordinator and two workers, after the runner called it once: every
-- table has the place actions.table_kinds() gives it (reference, distributed by workspace_id
-- colocated with actions.workspace, or node-local), a second call changes nothing, a role that is
-- not an administrator is refused, workspaces made through the coordinator land on both workers,
-- and the workers' identity values come from disjoint ranges.
BEGIN;
SELECT plan(13);

SELECT is_empty($$
    SELECT k.table_name FROM actions.table_kinds() k
      LEFT JOIN pg_dist_partition p ON p.logicalrelid = k.table_name
     WHERE k.kind = 'reference' AND (p.partmethod IS DISTINCT FROM 'n' OR p.repmodel IS DISTINCT FROM 't') $$,
    'every global table is a reference table');
SELECT is_empty($$
    SELECT k.table_name FROM actions.table_kinds() k
      LEFT JOIN pg_dist_partition p ON p.logicalrelid = k.table_name
     WHERE k.kind = 'distributed'
       AND (p.partmethod IS DISTINCT FROM 'h' OR column_to_column_name(p.logicalrelid, p.partkey) IS DISTINCT FROM 'workspace_id') $$,
    'every per-workspace table is hash-distributed by workspace_id');
SELECT is_empty($$
    SELECT k.table_name FROM actions.table_kinds() k JOIN pg_dist_partition p ON p.logicalrelid = k.table_name
     WHERE k.kind = 'distributed'
       AND p.colocationid <> (SELECT colocationid FROM pg_dist_partition WHERE logicalrelid = 'actions.workspace'::regclass) $$,
    'every per-workspace table is colocated with actions.workspace');
SELECT is_empty($$
    SELECT k.table_name FROM actions.table_kinds() k JOIN pg_dist_partition p ON p.logicalrelid = k.table_name
     WHERE k.kind = 'local' $$,
    'the node-local bookkeeping stays out of Citus'' metadata');
SELECT is((SELECT count(*) FROM pg_dist_partition WHERE logicalrelid::regclass::oid IN (
              SELECT oid FROM pg_class WHERE relnamespace = 'actions'::regnamespace)),
          (SELECT count(*) FROM actions.table_kinds() WHERE kind <> 'local'),
          'Citus'' metadata holds exactly the reference and distributed tables of schema actions');

-- Idempotent.
SELECT is_empty($$
    SELECT * FROM actions.distribute()
     WHERE outcome NOT LIKE 'already%' AND outcome <> 'kept node-local' $$,
    'a second call changes nothing');

-- The cluster secret the coordinator signs the identity it carries with: one, the same on every node.
SELECT is((SELECT count(DISTINCT r.result)::int || ' ' || count(*)::int || ' ' || bool_and(r.success AND r.result <> '')
             FROM run_command_on_all_nodes($$SELECT md5(secret) FROM actions.cluster_secret$$) r),
          '1 3 true', 'distribute() made one cluster secret, the same on the coordinator and both workers');

-- Administrators only.
CREATE ROLE dist_not_admin;
SET LOCAL ROLE dist_not_admin;
SELECT throws_ok('SELECT * FROM actions.distribute()', '42501', NULL, 'a role that is not an administrator is refused');
RESET ROLE;

-- Workspaces made through the coordinator are spread over the workers.
INSERT INTO actions.workspace (name) SELECT 'spread ' || g FROM generate_series(1, 12) g;
CREATE TEMP TABLE made AS SELECT workspace_id FROM actions.workspace WHERE name LIKE 'spread %';
-- (citus_shards leaves out tables an extension owns: the placements are read from pg_dist_placement.)
SELECT is((SELECT count(DISTINCT n.nodeport) FROM made m
             JOIN pg_dist_placement p ON p.shardid = get_shard_id_for_distribution_column('actions.workspace', m.workspace_id)
             JOIN pg_dist_node n ON n.groupid = p.groupid
            WHERE n.groupid <> 0 AND (SELECT count(*) FROM made) = 12),
          2::bigint, 'twelve workspaces made through the coordinator land on both workers');

-- Identity ranges: each worker draws from (group id << 48) + 1 on, the coordinator below 2^48.
SELECT is((SELECT count(*) FROM run_command_on_workers($$
              SELECT count(*) FROM pg_catalog.pg_sequence s
                JOIN pg_catalog.pg_depend d ON d.objid = s.seqrelid AND d.deptype = 'i'
               WHERE d.refobjid IN (SELECT k.table_name FROM actions.table_kinds() k WHERE k.kind <> 'local')
                 AND s.seqmin = ((SELECT groupid FROM pg_catalog.pg_dist_local_group)::bigint << 48) + 1
                 AND s.seqmax = ((SELECT groupid FROM pg_catalog.pg_dist_local_group)::bigint << 48) + 1 + (1::bigint << 48)$$) r
            WHERE r.success AND r.result::bigint = (SELECT count(*) FROM actions.table_kinds() k
                                                     WHERE k.kind <> 'local' AND EXISTS (
                                                        SELECT 1 FROM pg_attribute a WHERE a.attrelid = k.table_name AND a.attidentity <> ''))),
          2::bigint, 'on both workers every identity sequence of a reference or distributed table has its own range');
CREATE TEMP TABLE drawn AS
SELECT r.nodeport, r.result::bigint AS action_id
  FROM run_command_on_workers($$SELECT nextval(pg_get_serial_sequence('actions.action', 'action_id'))$$) r;
INSERT INTO drawn SELECT 0, nextval(pg_get_serial_sequence('actions.action', 'action_id'));
SELECT is((SELECT count(DISTINCT action_id) FROM drawn), 3::bigint, 'action ids drawn on the three nodes differ');
SELECT is((SELECT count(DISTINCT action_id >> 48) FROM drawn), 3::bigint, 'and come from three disjoint ranges');
SELECT ok((SELECT bool_and(action_id < (1::bigint << 48)) FROM drawn WHERE nodeport = 0),
          'the coordinator''s ids stay below the first worker''s range');

SELECT * FROM finish();
ROLLBACK;
