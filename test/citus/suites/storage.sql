-- Storage on the right node (store/shards.cpp): on Citus, the direct table and index access of
-- the store reads and writes the local shard of the workspace's placement, never the empty shell
-- table; a call for a workspace placed on another node that runs there anyway (one Citus does not
-- route: an argument it cannot evaluate before, here a volatile one) is an error (55000); a lookup
-- by id alone in a distributed table reads the shards placed on the node it runs on (nothing on
-- the coordinator); and after a shard move the resolver follows the placement.
-- Runs against the coordinator of a cluster of a coordinator and two workers, with pg_actions'
-- tables distributed (actions.distribute()). No transaction around it: each node runs its own
-- calls, through dblink sessions kept open, so the same worker backend is asked before and after
-- the move (its cache must be invalidated).
\set QUIET 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS dblink;
DO $$ BEGIN
    IF to_regprocedure('actions.distribute()') IS NOT NULL THEN PERFORM actions.distribute(); END IF;
END $$;

SELECT plan(22);

SELECT is((SELECT array_agg(logicalrelid::text ORDER BY logicalrelid::text) FROM pg_dist_partition
            WHERE partmethod = 'h' AND logicalrelid IN ('actions.member'::regclass, 'actions.activity'::regclass,
                                                         'actions.activity_head'::regclass, 'actions.action'::regclass)),
          ARRAY['actions.action', 'actions.activity', 'actions.activity_head', 'actions.member'],
          'the tables of the calls below are distributed by workspace_id');

DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'storage_owner') THEN CREATE ROLE storage_owner LOGIN; END IF;
END $$;
SELECT coalesce((SELECT person_id FROM actions.person WHERE login_role = 'storage_owner'),
                actions.create_person('storage-owner@example.com', 'Storage owner', 'storage_owner')) AS owner \gset

-- A workspace; a is the worker holding it, b the other one.
SELECT actions.create_workspace('storage', owner_id => :owner) AS ws_a \gset
SELECT n.nodename AS host, n.nodeport AS port_a FROM pg_dist_placement p JOIN pg_dist_node n USING (groupid)
 WHERE p.shardid = get_shard_id_for_distribution_column('actions.workspace', :ws_a) \gset
SELECT nodename AS host_b, nodeport AS port_b FROM pg_dist_node WHERE groupid > 0 AND nodeport <> :port_a \gset
SELECT nodename AS host_c, nodeport AS port_c FROM pg_dist_node WHERE groupid = 0 \gset
SELECT get_shard_id_for_distribution_column('actions.workspace', :ws_a) AS shard_a \gset
SELECT get_shard_id_for_distribution_column('actions.activity_head', :ws_a) AS head_shard \gset

-- One session on each node, acting as the owner.
SELECT dblink_connect('on_c', format('host=%s port=%s dbname=%s user=%s', :'host_c', :port_c, current_database(), current_user)) \g /dev/null
SELECT dblink_connect('on_a', format('host=%s port=%s dbname=%s user=%s', :'host', :port_a, current_database(), current_user)) \g /dev/null
SELECT dblink_connect('on_b', format('host=%s port=%s dbname=%s user=%s', :'host_b', :port_b, current_database(), current_user)) \g /dev/null
SELECT dblink_exec(c, 'SET SESSION AUTHORIZATION storage_owner') FROM unnest(ARRAY['on_c', 'on_a', 'on_b']) c \g /dev/null

-- The bytes in the shells (the distributed tables themselves) on every node. (Values are read
-- into variables before they are compared: Citus would push a test function reading a
-- distributed table down to a worker.)
\set shells 'SELECT array_agg(DISTINCT result) AS sizes FROM run_command_on_all_nodes($$SELECT pg_relation_size(''actions.action'') + pg_relation_size(''actions.activity'') + pg_relation_size(''actions.activity_head'') + pg_relation_size(''actions.member'') + pg_relation_size(''actions.role'') + pg_relation_size(''actions.service_level'')$$)'

-- A call Citus does not route: (random() < 0)::int is 0, but volatile, so Citus cannot evaluate the
-- workspace before the call and runs it on the node it was made on.
\set here '(random() < 0)::int'
-- The coordinator holds no placement: the membership read (direct::) is refused, not read from the shell.
SELECT throws_ok(format($$SELECT * FROM dblink('on_c', 'SELECT actions.create_action(%s + %s, ''on the coordinator'')') AS t(id bigint)$$, :ws_a, :'here'),
                 '55000', format('workspace %s of actions.member is not placed on this node', :ws_a),
                 'a call on the coordinator for a workspace placed on a worker is an error (55000)');

-- On the worker holding the workspace: the action (SQL), its log entry and chain head (direct
-- writes of the log trigger) land in the local shards.
SELECT id AS act1 FROM dblink('on_a', format('SELECT actions.create_action(%s, %L, assignee_id => %s)', :ws_a, 'on a', :owner)) AS t(id bigint) \gset
SELECT ok(:act1 > 0, 'a call on the worker holding the workspace finds the acting person in the local placement of the reference table and the membership in the local shard');
SELECT count(*) AS heads FROM actions.activity_head WHERE workspace_id = :ws_a AND action_id = :act1 \gset
SELECT count(*) AS entries FROM actions.activity WHERE workspace_id = :ws_a AND action_id = :act1 \gset
SELECT is(:heads, 1, 'the chain head written directly on the worker is read back through the coordinator');
SELECT ok(:entries >= 1, 'so is the log entry');
SELECT is((SELECT result FROM run_command_on_placements('actions.activity_head',
             format('SELECT count(*) FROM %%s WHERE workspace_id = %s', :ws_a)) WHERE shardid = :head_shard),
          '1', 'it is in the workspace''s shard of actions.activity_head');
:shells \gset
SELECT is(:'sizes'::text, '{0}', 'the shells stay 0 bytes on every node');

-- On the other worker: an error naming the table and the workspace, never a read of an empty shard.
SELECT throws_ok(format($$SELECT * FROM dblink('on_b', 'SELECT actions.create_action(%s + %s, ''on b'')') AS t(id bigint)$$, :ws_a, :'here'),
                 '55000', format('workspace %s of actions.member is not placed on this node', :ws_a),
                 'a call on the other worker is an error (55000)');
-- Where it is routed (no volatile argument), the same call from the other worker runs on a.
SELECT ok((SELECT id FROM dblink('on_b', format('SELECT actions.create_action(%s, %L)', :ws_a, 'from b')) AS t(id bigint)) > 0,
          'the same call without the volatile argument is routed from the other worker to a');

-- A lookup by id alone (the acting person's memberships, read by actions.member_workspaces())
-- reads the shards placed on the node it runs on: on each worker exactly the workspaces placed
-- there. The coordinator holds none: it asks each worker and joins their answers (routing.cpp,
-- "gathered"). More workspaces of the owner, so that both workers hold some.
SELECT actions.create_workspace('storage ' || i, owner_id => :owner) FROM generate_series(1, 4) i \g /dev/null
SELECT array_agg(workspace_id) AS mine FROM actions.member WHERE person_id = :owner \gset
CREATE TEMP TABLE placed AS
SELECT n.nodeport AS port, array_agg(w ORDER BY w) AS workspaces
  FROM unnest(:'mine'::bigint[]) w
  JOIN pg_dist_placement p ON p.shardid = get_shard_id_for_distribution_column('actions.member', w)
  JOIN pg_dist_node n USING (groupid)
 GROUP BY n.nodeport;
\set seen 'SELECT array(SELECT unnest(actions.member_workspaces()) ORDER BY 1)'
SELECT ws AS seen_a FROM dblink('on_a', :'seen') AS t(ws bigint[]) \gset
SELECT ws AS seen_b FROM dblink('on_b', :'seen') AS t(ws bigint[]) \gset
SELECT ws AS seen_c FROM dblink('on_c', :'seen') AS t(ws bigint[]) \gset
SELECT ok((SELECT count(*) FROM placed) = 2 AND :'seen_a'::bigint[] @> ARRAY[:ws_a]::bigint[],
          'the owner has workspaces on both workers');
SELECT is(ARRAY[:'seen_a'::text, :'seen_b'::text, :'seen_c'::text],
          ARRAY[(SELECT workspaces::text FROM placed WHERE port = :port_a), (SELECT workspaces::text FROM placed WHERE port = :port_b),
                (SELECT array_agg(w ORDER BY w)::text FROM unnest(:'mine'::bigint[]) w)],
          'a lookup by id alone on a worker reads exactly the rows of the workspaces placed there; the coordinator joins both');

-- The workspace moves from a to b: the two sessions, which cached where it was, follow.
-- (An earlier move's leftover shards on b would block this one: Citus drops them first.)
SET client_min_messages = error;
CALL citus_cleanup_orphaned_resources();
SET client_min_messages = warning;
SELECT citus_move_shard_placement(:shard_a, :'host', :port_a, :'host_b', :port_b, shard_transfer_mode => 'block_writes') \g /dev/null
SELECT is((SELECT n.nodeport FROM pg_dist_placement p JOIN pg_dist_node n USING (groupid) WHERE p.shardid = :head_shard),
          :port_b, 'the workspace''s shards moved to the other worker');
SELECT throws_ok(format($$SELECT * FROM dblink('on_a', 'SELECT actions.create_action(%s + %s, ''on a again'')') AS t(id bigint)$$, :ws_a, :'here'),
                 '55000', format('workspace %s of actions.member is not placed on this node', :ws_a),
                 'the worker it left refuses it (its cache was invalidated), though its old shard may still exist');
SELECT id AS act2 FROM dblink('on_b', format('SELECT actions.create_action(%s + %s, %L, assignee_id => %s)', :ws_a, :'here', 'on b', :owner)) AS t(id bigint) \gset
SELECT ok(:act2 > 0, 'the worker it moved to serves it in the same session that was refused before');
SELECT count(*) AS heads FROM actions.activity_head WHERE workspace_id = :ws_a \gset
SELECT is(:heads, 3,
          'the three chain heads are in the moved shard');
SELECT is((SELECT result FROM run_command_on_placements('actions.activity_head',
             format('SELECT count(*) FROM %%s WHERE workspace_id = %s', :ws_a)) WHERE shardid = :head_shard),
          '3', 'read on its new placement');
:shells \gset
SELECT is(:'sizes'::text, '{0}', 'the shells are still 0 bytes on every node');

-- Citus' cleanup drops the placements the move left on a: pg_actions' sql_drop event trigger
-- (actions.forget_dropped_tables()) leaves Citus' own drops alone, so it succeeds, and the shards
-- move back.
SET client_min_messages = error;
CALL citus_cleanup_orphaned_resources();
SET client_min_messages = warning;
SELECT is((SELECT count(*) FROM pg_dist_cleanup), 0::bigint, 'Citus'' cleanup dropped the placements the move left behind');
SELECT is((SELECT count(*)::int FROM run_command_on_workers(format($$SELECT to_regclass('actions.activity_head_%s')$$, :head_shard))
            WHERE result <> ''), 1, 'the old shard is gone from the worker it left');
SELECT lives_ok(format($$SELECT citus_move_shard_placement(%s, %L, %s, %L, %s, shard_transfer_mode => 'block_writes')$$,
                       :shard_a, :'host_b', :port_b, :'host', :port_a),
                'the shards move back to the worker they left');
SELECT id AS act3 FROM dblink('on_a', format('SELECT actions.create_action(%s + %s, %L)', :ws_a, :'here', 'on a, back')) AS t(id bigint) \gset
SELECT is((SELECT result FROM run_command_on_placements('actions.activity_head',
             format('SELECT count(*) FROM %%s WHERE workspace_id = %s', :ws_a)) WHERE shardid = :head_shard),
          '4', 'the worker they came back to serves the workspace, its rows with it');
-- DROP TABLE of a distributed table (Citus drops its shells and shards on the workers, where the
-- event trigger fires too).
CREATE TABLE public.storage_dropped (workspace_id bigint);
SELECT create_distributed_table('public.storage_dropped', 'workspace_id', colocate_with => 'none') \g /dev/null
SELECT lives_ok('DROP TABLE public.storage_dropped', 'a distributed table can be dropped');

SELECT dblink_disconnect(c) FROM unnest(ARRAY['on_c', 'on_a', 'on_b']) c \g /dev/null
SELECT * FROM finish();
