-- Set-up of bench/citus.sh, the same on the single node and on the coordinator (psql variable
-- cluster: 0 or 1). The workspaces of each layout in bench_ws (k = 1..8): layout 1, eight made one
-- after the other (on the cluster their ids' hashes spread them over both workers); layout 2, on
-- the cluster only, eight on one worker (made until eight land on the first worker holding shards;
-- the others are spacers). Five actions in each workspace, numbered per layout in bench_ids, for
-- the calls by an action's id.
SET client_min_messages = warning;
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bench_owner') THEN CREATE ROLE bench_owner LOGIN; END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bench_service') THEN CREATE ROLE bench_service LOGIN; END IF;
END $$;
SELECT actions.create_person('owner@bench.example', 'Bench owner', 'bench_owner') AS owner \gset
-- An application's pooled role, registered as a trusted service: it acts for the owner with act_as
-- (on the cluster the owner then travels to the workers with each transaction).
SELECT actions.trust_service('bench_service', 'the bench''s application') \g /dev/null
GRANT USAGE ON SCHEMA actions TO bench_service;
CREATE TABLE bench_ws (layout integer NOT NULL, k integer NOT NULL, workspace_id bigint NOT NULL, PRIMARY KEY (layout, k));
CREATE TABLE bench_ids (layout integer NOT NULL, i integer NOT NULL, action_id bigint NOT NULL, PRIMARY KEY (layout, i));
GRANT SELECT ON bench_ws, bench_ids TO bench_owner, bench_service;
INSERT INTO bench_ws SELECT 1, i, actions.create_workspace('Bench ' || i, owner_id => :owner) FROM generate_series(1, 8) i;
\if :cluster
SELECT set_config('bench.owner', :'owner', false) \g /dev/null
DO $$
DECLARE
    target integer := (SELECT min(p.groupid) FROM pg_dist_placement p JOIN pg_dist_shard s USING (shardid)
                        WHERE s.logicalrelid = 'actions.workspace'::regclass);
    made integer := 0;
    w bigint;
BEGIN
    FOR attempt IN 1..200 LOOP
        w := actions.create_workspace('Bench one ' || attempt, owner_id => current_setting('bench.owner')::bigint);
        IF (SELECT p.groupid FROM pg_dist_placement p
             WHERE p.shardid = get_shard_id_for_distribution_column('actions.workspace', w)) = target THEN
            made := made + 1;
            INSERT INTO bench_ws VALUES (2, made, w);
            EXIT WHEN made = 8;
        END IF;
    END LOOP;
    IF made < 8 THEN RAISE EXCEPTION 'only % workspaces landed on group %', made, target; END IF;
END
$$;
\endif
SET SESSION AUTHORIZATION bench_owner;
-- One bare call per action (on Citus each is sent to the workspace's node; a call inside a query of a
-- distributed table would run inside a shard's query, where Citus refuses it).
SELECT format('SELECT actions.create_action(%s, %L)', b.workspace_id, 'noted ' || n)
  FROM bench_ws b, generate_series(1, 5) n ORDER BY b.layout, b.k, n \gexec
RESET SESSION AUTHORIZATION;
INSERT INTO bench_ids
SELECT b.layout, row_number() OVER (PARTITION BY b.layout ORDER BY a.action_id), a.action_id
  FROM actions.action a JOIN bench_ws b USING (workspace_id);
-- The last line: how many worker groups hold each layout's workspaces (0 on the single node).
\if :cluster
SELECT string_agg(n::text, ' ' ORDER BY layout) FROM (
    SELECT b.layout, count(DISTINCT p.groupid) AS n FROM bench_ws b
      JOIN pg_dist_placement p ON p.shardid = get_shard_id_for_distribution_column('actions.workspace', b.workspace_id)
     GROUP BY b.layout) l;
\else
SELECT '0';
\endif
