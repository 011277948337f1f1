-- Citus suite `visibility`: through the coordinator, row-level security (evaluated on the worker
-- holding each row) shows a person exactly their rows, and a trusted service registered with
-- sees => 'all' does not see every row from a worker outside a transaction block: the identity the
-- coordinator carries to the workers travels only in transaction blocks (Citus sends SET LOCAL only
-- there; docs/security.md, "Identity on Citus"), so a single statement acts on the workers as its
-- login role alone and sees nothing. The suite `identity` shows the same service in a transaction
-- block seeing every row, and acting for a person, exactly the person's.
-- Outside a transaction block: calls for workspaces on two nodes go to two nodes.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SELECT plan(7);

DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vis_owner') THEN CREATE ROLE vis_owner LOGIN; END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vis_other') THEN CREATE ROLE vis_other LOGIN; END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vis_service') THEN CREATE ROLE vis_service LOGIN; END IF;
END $$;
GRANT USAGE ON SCHEMA actions TO vis_service;
SELECT actions.create_person('owner@vis.example', 'Vi Owner', 'vis_owner') AS owner \gset
SELECT actions.create_person('other@vis.example', 'Ot Other', 'vis_other') AS other \gset
SELECT actions.trust_service('vis_service', 'a service that sees all', sees => 'all');
\set n 5
\ir ../spread.sql
SELECT actions.create_workspace('Vis ' || i, owner_id => :owner) FROM generate_series(1, 4) i;
SELECT actions.create_workspace('Vis other', owner_id => :other) AS other_ws \gset
SELECT array_agg(workspace_id ORDER BY workspace_id) AS mine FROM actions.workspace WHERE name LIKE 'Vis _' \gset

SELECT is((SELECT count(DISTINCT n.nodeport)::int FROM actions.workspace w
             JOIN pg_dist_placement p ON p.shardid = get_shard_id_for_distribution_column('actions.workspace', w.workspace_id)
             JOIN pg_dist_node n USING (groupid)
            WHERE w.name LIKE 'Vis %'), 2, 'the suite''s workspaces are on both workers');

SET SESSION AUTHORIZATION vis_owner;
-- One bare call per workspace (only a bare call is sent whole to the workspace's node).
SELECT format('SELECT actions.create_action(%s, %L)', w, 'Vis action') FROM unnest(:'mine'::bigint[]) w \gexec
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION vis_other;
SELECT actions.create_action(:other_ws, 'Vis hidden') \g /dev/null
RESET SESSION AUTHORIZATION;

SELECT is((SELECT count(*)::int FROM actions.action WHERE title LIKE 'Vis %'), 5,
          'the superuser sees the five actions on the two workers');
SET SESSION AUTHORIZATION vis_owner;
SELECT is((SELECT count(*)::int FROM actions.action WHERE title LIKE 'Vis %'), 4,
          'the owner reads exactly their four actions through the coordinator');
SELECT is((SELECT count(*)::int FROM actions.action WHERE title = 'Vis hidden'), 0,
          'and not the other person''s');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION vis_other;
SELECT is((SELECT count(*)::int FROM actions.action WHERE title LIKE 'Vis %'), 1,
          'the other person reads only their own action');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION vis_service;
SELECT is((SELECT count(*)::int FROM actions.action WHERE title LIKE 'Vis %'), 0,
          'a sees-all service acting for nobody, in a single statement, sees nothing from the workers (0 leaked)');
SELECT actions.act_as(:owner);
SELECT is((SELECT count(*)::int FROM actions.action WHERE title LIKE 'Vis %'), 0,
          'and an act_as in its own statement ends with it: the next statement still sees nothing, never every row');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
