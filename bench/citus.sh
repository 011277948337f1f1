#!/usr/bin/env bash
# The cost of a call through a Citus coordinator, next to the same call on a single node, in one
# run: a single-node cluster (test/cluster.sh, port BENCH_PORT + 1) and a coordinator with two
# workers (test/citus/cluster.sh, ports BENCH_CITUS_PORT, +1, +2), the same set-up on both
# (8 workspaces, spread over both workers on the cluster), the same pgbench scripts, rounds
# interleaved (single, cluster, single, ...).
#
#   create   SELECT actions.create_action(ws, ...)     a write routed to the workspace's node
#   unread   SELECT actions.unread_count(ws)            a read routed to the workspace's node
#   note     SELECT actions.add_note(action_id, ...)    a write by an entity's id: the coordinator
#                                                       asks the node for the workspace, then sends the call
#   can      SELECT actions.can('complete', action_id)  a read by an entity's id, the same way
#
# pgbench connects as the login role bench_owner, owner of every workspace, to the single node and
# to the coordinator. All nodes share this machine's cores, so this shows what routing costs (a
# second hop, a second parse, the coordinator's planning), not a speed-up. Also prints the remote
# commands one call sends (citus.log_remote_commands), transaction control left out.
# Environment: BENCH_SECONDS (default 5), BENCH_ROUNDS (default 3), BENCH_CLIENTS (default 4),
# BENCH_PORT (default 54360), BENCH_CITUS_PORT (default 55470). Needs Citus (test/citus/build.sh).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. "$top/test/pg_env.sh"
export PATH="$bindir:$PATH"
T=${BENCH_SECONDS:-5}
ROUNDS=${BENCH_ROUNDS:-3}
C=${BENCH_CLIENTS:-4}
single_port=$(( ${BENCH_PORT:-54360} + 1 ))
citus_port=${BENCH_CITUS_PORT:-55470}
log=$top/build/bench-logs/citus
mkdir -p "$log"
die() { echo "citus bench: $*" >&2; exit 1; }

bash test/citus/build.sh >/dev/null 2>"$log/build.err" || { cat "$log/build.err"; die "Citus is not available"; }
single_dir=$(bash test/cluster.sh start bench-single "$single_port") || die "the single node did not start"
CITUS_PORT=$citus_port bash test/citus/cluster.sh start >"$log/cluster.log" 2>&1 \
    || { cat "$log/cluster.log"; die "the Citus cluster did not start"; }
trap 'bash "$top/test/cluster.sh" stop bench-single; CITUS_PORT=$citus_port bash "$top/test/citus/cluster.sh" stop' EXIT

single=(-h "$single_dir" -p "$single_port")
citus=(-h 127.0.0.1 -p "$citus_port")
q() { psql -X -q -At -v ON_ERROR_STOP=1 -U postgres "$@"; }

q "${single[@]}" -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS bench_citus" -c "CREATE DATABASE bench_citus" >/dev/null \
    && q "${single[@]}" -d bench_citus -c "CREATE EXTENSION pg_actions" >/dev/null || die "single-node set-up failed"
q "${citus[@]}" -d pg_actions -c "SELECT actions.distribute()" >"$log/distribute.log" 2>&1 \
    || { cat "$log/distribute.log"; die "actions.distribute() failed"; }

setup='
SET client_min_messages = warning;
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '"'"'bench_owner'"'"') THEN CREATE ROLE bench_owner LOGIN; END IF;
END $$;
SELECT actions.create_person('"'"'owner@bench.example'"'"', '"'"'Bench owner'"'"', '"'"'bench_owner'"'"') AS owner \gset
SELECT actions.create_workspace('"'"'Bench '"'"' || i, owner_id => :owner) FROM generate_series(1, 8) i;
CREATE TABLE bench_ids (i integer PRIMARY KEY, action_id bigint NOT NULL);
GRANT SELECT ON bench_ids TO bench_owner;
SET SESSION AUTHORIZATION bench_owner;
-- One bare call per action (on Citus each is sent to the workspace'"'"'s node; a call inside a query of a
-- distributed table would run inside a shard'"'"'s query, where Citus refuses it).
SELECT format('"'"'SELECT actions.create_action(%s, %L)'"'"', w.workspace_id, '"'"'noted '"'"' || k)
  FROM actions.workspace w, generate_series(1, 5) k ORDER BY 1 \gexec
RESET SESSION AUTHORIZATION;
INSERT INTO bench_ids SELECT row_number() OVER (ORDER BY action_id), action_id FROM actions.action;
SELECT min(workspace_id) || '"'"' '"'"' || max(workspace_id) FROM actions.workspace;
'
read -r lo_s hi_s < <(q "${single[@]}" -d bench_citus <<<"$setup" | tail -1)
read -r lo_c hi_c < <(q "${citus[@]}" -d pg_actions <<<"$setup" | tail -1)
[ -n "${hi_s:-}" ] && [ -n "${hi_c:-}" ] || die "could not create the workspaces"
spread=$(q "${citus[@]}" -d pg_actions -c "
    SELECT count(DISTINCT n.nodeport) FROM actions.workspace w
      JOIN pg_dist_placement p ON p.shardid = get_shard_id_for_distribution_column('actions.workspace', w.workspace_id)
      JOIN pg_dist_node n USING (groupid)")

cat >"$log/create.sql" <<'SQL'
\set ws random(:lo, :hi)
SELECT actions.create_action(:ws, 'bench action');
SQL
cat >"$log/unread.sql" <<'SQL'
\set ws random(:lo, :hi)
SELECT actions.unread_count(:ws);
SQL

cat >"$log/note.sql" <<'SQL'
\set i random(1, 40)
SELECT actions.add_note(action_id, 'bench note') FROM bench_ids WHERE i = :i;
SQL
cat >"$log/can.sql" <<'SQL'
\set i random(1, 40)
SELECT actions.can('complete', action_id) FROM bench_ids WHERE i = :i;
SQL
run() {  # side script -> TPS
    local side=$1 script=$2 conn lo hi db
    if [ "$side" = single ]; then conn=("${single[@]}"); lo=$lo_s; hi=$hi_s; db=bench_citus
    else conn=("${citus[@]}"); lo=$lo_c; hi=$hi_c; db=pg_actions; fi
    pgbench -n "${conn[@]}" -U bench_owner -c "$C" -j "$C" -T "$T" -D lo="$lo" -D hi="$hi" \
        -f "$log/$script.sql" "$db" >"$log/$side-$script.out" 2>&1 || { cat "$log/$side-$script.out" >&2; echo 0; return; }
    sed -nE 's/^tps = ([0-9.]+) .*/\1/p' "$log/$side-$script.out"
}

tasks() {  # script: the remote commands one call sends, transaction control left out
    local call
    call=$(grep '^SELECT' "$log/$1.sql" | sed "s/:ws/$lo_c/; s/:i/1/")
    q "${citus[@]}" -d pg_actions -c "SET citus.log_remote_commands = on" -c "SET client_min_messages = notice" \
        -c "SET SESSION AUTHORIZATION bench_owner" -c "$call" 2>&1 >/dev/null \
        | grep 'issuing' | grep -cvE 'issuing (BEGIN|COMMIT|ROLLBACK|PREPARE|SELECT assign_distributed_transaction_id)'
}

echo "Citus bench: a call through the coordinator against the same call on a single node"
echo "server:   $(q "${single[@]}" -d postgres -c 'SELECT version()'); Citus $(q "${citus[@]}" -d pg_actions -c "SELECT extversion FROM pg_extension WHERE extname = 'citus'")"
echo "machine:  nproc=$(nproc); the single node and the three cluster nodes share it: overhead, not speed-up"
echo "runs:     ${T}s per pgbench run, $C clients, $ROUNDS interleaved round(s); 8 workspaces (on $spread worker(s) of the cluster)"
for script in create unread note can; do
    s_sum=0 c_sum=0
    for r in $(seq 1 "$ROUNDS"); do
        s=$(run single "$script"); c=$(run citus "$script")
        s_sum=$(awk -v a="$s_sum" -v b="$s" 'BEGIN { print a + b }')
        c_sum=$(awk -v a="$c_sum" -v b="$c" 'BEGIN { print a + b }')
    done
    awk -v name="$script" -v s="$s_sum" -v c="$c_sum" -v r="$ROUNDS" -v cl="$C" -v t="$(tasks "$script")" 'BEGIN {
        s /= r; c /= r
        printf "%-8s single node %7.0f TPS (%.2f ms a call), through the coordinator %7.0f TPS (%.2f ms a call): ratio %.2f; remote commands per call: %s\n",
               name, s, (s > 0 ? 1000 * cl / s : 0), c, (c > 0 ? 1000 * cl / c : 0), (s > 0 ? c / s : 0), t }'
done
echo "citus: 0 goal(s) missed (no goal: the ratios show what routing costs on one machine)"
