-- What the Citus cluster of test/citus/cluster.sh must be, checked from the coordinator:
--   * three active primary nodes in the metadata: the coordinator (group 0, this server's port,
--     no shards) and two workers (shards), the metadata synced to both;
--   * every node reaches every other (citus_check_cluster_node_health);
--   * each node loads citus first, allows prepared transactions and unsafe triggers;
--   * citus and pg_actions at the same versions on all three, pg_actions at the version this build
--     installs, with the same functions and tables;
--   * a table distributed from here puts its shards on both workers and reads back what it wrote
--     (in its own schema, rolled back).
BEGIN;
SET client_min_messages = error;
SELECT plan(16);

SELECT is((SELECT count(*)::int FROM pg_dist_node WHERE isactive AND noderole = 'primary'), 3,
          'three active primary nodes');
SELECT is((SELECT nodeport FROM pg_dist_node WHERE groupid = 0), current_setting('port')::int,
          'the coordinator is in the metadata (group 0) with this server''s port');
SELECT is((SELECT shouldhaveshards FROM pg_dist_node WHERE groupid = 0), false,
          'the coordinator holds no shards of distributed tables');
SELECT is((SELECT count(*)::int FROM citus_get_active_worker_nodes()), 2, 'two active workers');
SELECT ok((SELECT bool_and(hasmetadata AND metadatasynced) FROM pg_dist_node WHERE groupid <> 0),
          'the metadata is synced to both workers');
SELECT is((SELECT count(*)::int FROM citus_check_cluster_node_health() WHERE result), 9,
          'each of the three nodes reaches each of the three');

-- Settings of every node: the local one and the workers' (run_command_on_workers).
CREATE FUNCTION pg_temp.local(command text) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN RETURN QUERY EXECUTE command; END $$;
CREATE FUNCTION pg_temp.on_all(command text) RETURNS text[] LANGUAGE sql AS $$
    SELECT array_agg(r ORDER BY port)
      FROM (SELECT current_setting('port')::int AS port, (SELECT string_agg(v, ',') FROM pg_temp.local(command) v) AS r
            UNION ALL
            SELECT nodeport, CASE WHEN success THEN result ELSE 'error: ' || result END
              FROM run_command_on_workers(command)) n
$$;

SELECT is(pg_temp.on_all($$SELECT split_part(current_setting('shared_preload_libraries'), ',', 1)$$),
          ARRAY['citus', 'citus', 'citus'], 'every node loads citus first');
SELECT is(pg_temp.on_all($$SELECT (current_setting('max_prepared_transactions')::int > 0)::text$$),
          ARRAY['true', 'true', 'true'], 'every node allows prepared transactions (two-phase commit)');
SELECT is(pg_temp.on_all($$SELECT current_setting('citus.enable_unsafe_triggers')$$),
          ARRAY['on', 'on', 'on'], 'every node has citus.enable_unsafe_triggers on');
SELECT is(pg_temp.on_all($$SELECT extversion FROM pg_extension WHERE extname = 'citus'$$),
          ARRAY['13.2-1', '13.2-1', '13.2-1'], 'citus 13.2-1 on every node');
SELECT is(pg_temp.on_all($$SELECT extversion FROM pg_extension WHERE extname = 'pg_actions'$$),
          array_fill((SELECT default_version FROM pg_available_extensions WHERE name = 'pg_actions'), ARRAY[3]),
          'pg_actions at the version this build installs, on every node');
SELECT is(pg_temp.on_all($$SELECT count(*)::text FROM pg_proc WHERE pronamespace = 'actions'::regnamespace$$),
          array_fill((SELECT count(*)::text FROM pg_proc WHERE pronamespace = 'actions'::regnamespace), ARRAY[3]),
          'the same number of functions in schema actions on every node');
SELECT is(pg_temp.on_all($$SELECT count(*)::text FROM pg_class WHERE relnamespace = 'actions'::regnamespace AND relkind IN ('r', 'p', 'v') AND NOT relation_is_a_known_shard(oid)$$),
          array_fill((SELECT count(*)::text FROM pg_class WHERE relnamespace = 'actions'::regnamespace AND relkind IN ('r', 'p', 'v') AND NOT relation_is_a_known_shard(oid)), ARRAY[3]),
          'the same number of tables and views in schema actions on every node (shards aside)');

-- A distributed table of this suite's own, rolled back with the rest.
CREATE SCHEMA citus_cluster_suite;
CREATE TABLE citus_cluster_suite.t (k bigint PRIMARY KEY, v text);
SELECT create_distributed_table('citus_cluster_suite.t', 'k') \g /dev/null
INSERT INTO citus_cluster_suite.t SELECT k, 'row ' || k FROM generate_series(1, 20) k;
SELECT is((SELECT count(DISTINCT nodeport)::int FROM citus_shards WHERE table_name = 'citus_cluster_suite.t'::regclass),
          2, 'a distributed table has shards on both workers');
CREATE TEMP TABLE cluster_suite_keys AS SELECT k FROM citus_cluster_suite.t;
SELECT is((SELECT count(DISTINCT s.nodeport)::int
             FROM cluster_suite_keys t
             JOIN citus_shards s ON s.table_name = 'citus_cluster_suite.t'::regclass
                                AND s.shardid = get_shard_id_for_distribution_column('citus_cluster_suite.t', t.k)),
          2, 'the rows it holds are placed on both workers');
SELECT is((SELECT string_agg(v, ',' ORDER BY k) FROM citus_cluster_suite.t WHERE k IN (3, 17)), 'row 3,row 17',
          'rows read back through the coordinator');

SELECT * FROM finish();
ROLLBACK;
