#!/usr/bin/env bash
# `make demo-citus`: the demo of `make demo` on a Citus cluster (test/citus/cluster.sh: a coordinator
# and two workers on 127.0.0.1, ports CITUS_PORT, +1, +2; default 55480), loaded through the
# coordinator after actions.distribute(), with a few more workspaces; then which node holds each
# workspace (its shard of actions.workspace, get_shard_id_for_distribution_column, and that shard's
# placement in pg_dist_placement) and the plan of calls routed to one node. The cluster keeps running:
# make stop stops it.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
. test/pg_env.sh
export PATH="$bindir:$PATH"
base=${CITUS_PORT:-55480}
sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo

echo "making Citus available to $PG_CONFIG ..."
bash test/citus/build.sh >/dev/null || { echo "demo-citus: Citus could not be made available (see above)" >&2; exit 1; }
echo "building and installing pg_actions ..."
make -j2 >/dev/null
$sudo env PG_CONFIG="$PG_CONFIG" make install >/dev/null
echo "starting a coordinator (127.0.0.1:$base) and two workers ($((base + 1)), $((base + 2))) ..."
bash test/citus/cluster.sh start >/dev/null
export PGHOST=127.0.0.1 PGPORT=$base PGUSER=postgres PGDATABASE=pg_actions
if [ -z "$(psql -X -tAc "SELECT 1 FROM pg_proc WHERE proname = 'distribute' AND pronamespace = 'actions'::regnamespace")" ]; then
    bash test/citus/cluster.sh stop
    echo "demo-citus: actions.distribute() is not in this version of pg_actions: its tables cannot be distributed" >&2
    exit 1
fi
psql -X -q -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" -c "SELECT actions.distribute()" >/dev/null
# The people and workspace of make demo, and calls that take the workspace (Citus sends each to the
# node holding it); the calls on an action's id come after (docs/design.md, "Routing").
psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
SET client_min_messages = warning;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'demo_alice') THEN CREATE ROLE demo_alice LOGIN; END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'demo_bob') THEN CREATE ROLE demo_bob LOGIN; END IF;
END $$;
SELECT actions.create_person('alice@demo.example', 'Alice (owner)', 'demo_alice') AS alice \gset
SELECT actions.create_person('bob@demo.example', 'Bob (user)', 'demo_bob') AS bob \gset
SELECT actions.create_workspace('Demo Co', 'Europe/London', owner_id => :alice) AS ws \gset
SELECT actions.add_member(:ws, :bob, 'user');
SET SESSION AUTHORIZATION demo_alice;
SELECT actions.create_record(:ws, 'Supplier contract 2027', kind => 'document') AS contract \gset
SELECT actions.create_action(:ws, 'Review the supplier contract', record_id => :contract,
       assignee_id => :bob, due_on => current_date + 7, priority => 'high') \g /dev/null
SELECT actions.create_action(:ws, 'Replace the fire extinguishers', assignee_id => :bob,
       due_on => current_date + 14) \g /dev/null
SELECT actions.create_action(:ws, 'Submit the quarterly report', assignee_id => :bob,
       due_at => now() - interval '2 days') \g /dev/null
RESET SESSION AUTHORIZATION;
SQL
echo
echo "== Bob's list in Demo Co, through the coordinator (list_actions runs on the node holding Demo Co)"
demo_ws=$(psql -X -tAc "SELECT workspace_id FROM actions.workspace WHERE name = 'Demo Co'")
psql -X -q -U demo_bob -c "SELECT title, status, priority, due_at::date AS due FROM actions.list_actions($demo_ws) ORDER BY title"
echo
echo "== Bob starts and completes the report, by the action's id: the coordinator asks the node for its"
echo "   workspace, then sends each call there (the remote commands it issues are shown)"
report=$(psql -X -tAc "SELECT action_id FROM actions.action WHERE title = 'Submit the quarterly report'")
psql -X -q -U demo_bob -c "SET citus.log_remote_commands = on" -c "SELECT actions.start($report)" \
     -c "SELECT actions.complete($report)" \
     -c "SELECT actions.can('uncomplete', $report) AS may_reopen" 2>&1 \
    | sed -E 's/^NOTICE:  issuing (SELECT [^(]*actions\.(workspace_of_ids|forward)\(([^,]*),.*)/  -> \2(\3, ...)/' \
    | grep -vE 'NOTICE:  issuing (BEGIN|COMMIT)|^DETAIL:' || true

psql -X -q <<SQL
\pset footer off
SET client_min_messages = warning;
-- More tenants, so that both workers hold some.
SELECT actions.create_workspace(name, 'Europe/London',
       owner_id => (SELECT person_id FROM actions.person WHERE email = 'alice@demo.example'))
  FROM unnest(ARRAY['North Ltd', 'South Ltd', 'East GmbH', 'West SA', 'Harbour plc']) name \g /dev/null
\echo
\echo '== Which node holds each workspace (every row of a workspace lives in the shards colocated with its actions.workspace shard)'
-- Read first, then joined with the metadata on the coordinator. (Citus' views citus_shards and
-- citus_tables leave out tables an extension owns: the metadata tables pg_dist_* are read instead.)
CREATE TEMP TABLE demo_workspace AS SELECT workspace_id, name FROM actions.workspace;
SELECT w.workspace_id, w.name, s.shardid, n.nodename || ':' || n.nodeport AS node,
       CASE n.nodeport WHEN $((base + 1)) THEN 'worker 1' WHEN $((base + 2)) THEN 'worker 2' ELSE 'coordinator' END AS which
  FROM demo_workspace w
 CROSS JOIN LATERAL (SELECT get_shard_id_for_distribution_column('actions.workspace', w.workspace_id) AS shardid) s
  JOIN pg_dist_placement p ON p.shardid = s.shardid
  JOIN pg_dist_node n ON n.groupid = p.groupid
 ORDER BY w.workspace_id;
\echo
\echo '== Tables: reference (a copy on every node) and distributed by workspace_id (colocated with actions.workspace)'
SELECT CASE d.partmethod WHEN 'n' THEN 'reference' WHEN 'h' THEN 'distributed' ELSE d.partmethod::text END AS kind,
       count(*) AS tables, left(string_agg(c.relname, ', ' ORDER BY c.relname), 100) || ' ...' AS names
  FROM pg_dist_partition d JOIN pg_class c ON c.oid = d.logicalrelid
 WHERE c.relnamespace = 'actions'::regnamespace GROUP BY 1 ORDER BY 1;
SELECT workspace_id AS ws FROM actions.workspace WHERE name = 'Demo Co' \gset
\echo
\echo '== A query of the Demo Co workspace goes to the one node that holds it (Task Count: 1)'
EXPLAIN (COSTS OFF) SELECT count(*) FROM actions.action WHERE workspace_id = :ws;
\echo
\echo '== A call of the API for Demo Co, as Alice: delegated to that node when the function is distributed'
SELECT coalesce((SELECT 'actions.list_actions is distributed by its argument ' || (distribution_argument_index + 1)
                   FROM pg_dist_object WHERE objid = 'actions.list_actions'::regproc),
                'actions.list_actions is not a distributed function in this version: it runs on the coordinator') AS routing;
SET SESSION AUTHORIZATION demo_alice;
EXPLAIN (COSTS OFF) SELECT * FROM actions.list_actions(:ws);
RESET SESSION AUTHORIZATION;
SQL

cat <<TXT

== Play further
  psql -h 127.0.0.1 -p $base -U postgres pg_actions      # the coordinator, as the superuser
  psql -h 127.0.0.1 -p $base -U demo_alice pg_actions    # as Alice, the owner
  psql -h 127.0.0.1 -p $((base + 1)) -U postgres pg_actions      # worker 1 (its shards: SET citus.show_shards_for_app_name_prefixes = '*')
Stop the cluster with: make stop
TXT
