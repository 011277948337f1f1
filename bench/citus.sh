#!/usr/bin/env bash
# The cost of a call through a Citus coordinator, next to the same call on a single node, in one
# run: a single-node cluster (test/cluster.sh, port BENCH_PORT + 1) and a coordinator with two
# workers (test/citus/cluster.sh, ports BENCH_CITUS_PORT, +1, +2), the same set-up on both
# (bench/sql/citus_setup.sql: 8 workspaces, on the cluster spread over both workers, and 8 more
# on one worker), the same pgbench scripts, rounds interleaved (single, both workers, one worker,
# single, ...).
#
#   create   SELECT actions.create_action(ws, ...)     a write routed to the workspace's node
#   complete BEGIN; create_action(ws, ...); complete(action_id); COMMIT
#                                                       the two in one transaction block (as PostgREST sends
#                                                       calls): delegated within it, complete by the id
#   service  BEGIN; act_as(owner); create_action(ws, ...); COMMIT
#                                                       create as a trusted service acting for the owner: on the
#                                                       cluster the owner travels to the worker as a signed token
#   unread   SELECT actions.unread_count(ws)            a read routed to the workspace's node
#   note     SELECT actions.add_note(action_id, ...)    a write by an entity's id: the coordinator
#                                                       asks the node for the workspace, then sends the call
#   can      SELECT actions.can('complete', action_id)  a read by an entity's id, the same way
#
# pgbench connects as the login role bench_owner, owner of every workspace, to the single node and
# to the coordinator. All nodes share this machine's cores, so this shows what routing costs (a
# second hop, a second parse, the coordinator's planning), not a speed-up. Also prints the remote
# commands one call sends (citus.log_remote_commands), transaction control left out. The one-worker
# side puts all the load on one worker, the both-workers side spreads it: with every node on the
# same two cores, the difference shows routing and placement, not the capacity of more machines.
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

read -r _ < <(q "${single[@]}" -d bench_citus -v cluster=0 -f bench/sql/citus_setup.sql | tail -1) \
    || die "the single node's set-up failed"
read -r spread one < <(q "${citus[@]}" -d pg_actions -v cluster=1 -f bench/sql/citus_setup.sql | tail -1)
[ -n "${one:-}" ] || die "the cluster's set-up failed"

# Each transaction picks a workspace (or an action) of its layout from the coordinator's own table,
# the same way on every side, then makes the call.
pick='\set k random(1, 8)
SELECT workspace_id AS ws FROM bench_ws WHERE layout = :layout AND k = :k \gset'
printf '%s\n%s\n' "$pick" "SELECT actions.create_action(:ws, 'bench action');" >"$log/create.sql"
printf '%s\n%s\n' "$pick" "SELECT actions.unread_count(:ws);" >"$log/unread.sql"
cat >"$log/complete.sql" <<SQL
$pick
BEGIN;
SELECT actions.create_action(:ws, 'bench completed') AS id \gset
SELECT actions.complete(:id);
COMMIT;
SQL
cat >"$log/service.sql" <<SQL
$pick
BEGIN;
SELECT actions.act_as(:owner);
SELECT actions.create_action(:ws, 'bench by the service');
COMMIT;
SQL
cat >"$log/note.sql" <<'SQL'
\set i random(1, 40)
SELECT actions.add_note(action_id, 'bench note') FROM bench_ids WHERE layout = :layout AND i = :i;
SQL
cat >"$log/can.sql" <<'SQL'
\set i random(1, 40)
SELECT actions.can('complete', action_id) FROM bench_ids WHERE layout = :layout AND i = :i;
SQL
run() {  # side script -> TPS; sides: single, both (the cluster, layout 1), one (the cluster, layout 2)
    local side=$1 script=$2 conn layout=1 db=pg_actions
    case $side in
        single) conn=("${single[@]}"); db=bench_citus ;;
        both) conn=("${citus[@]}") ;;
        one) conn=("${citus[@]}"); layout=2 ;;
    esac
    local user=bench_owner owner
    [ "$script" = service ] && user=bench_service
    owner=$(q "${conn[@]}" -d "$db" -c "SELECT person_id FROM actions.person WHERE login_role = 'bench_owner'")
    pgbench -n "${conn[@]}" -U "$user" -c "$C" -j "$C" -T "$T" -D layout="$layout" -D owner="$owner" \
        -f "$log/$script.sql" "$db" >"$log/$side-$script.out" 2>&1 || { cat "$log/$side-$script.out" >&2; echo 0; return; }
    sed -nE 's/^tps = ([0-9.]+) .*/\1/p' "$log/$side-$script.out"
}

tasks() {  # statement [role [prelude]]: the remote commands the statement sends through the coordinator
           # in a transaction block after prelude, transaction control left out
    q "${citus[@]}" -d pg_actions -c "SET citus.log_remote_commands = on" -c "SET client_min_messages = notice" \
        -c "SET SESSION AUTHORIZATION ${2:-bench_owner}" -c "BEGIN" ${3:+-c "$3"} -c "$1" -c "COMMIT" 2>&1 >/dev/null \
        | grep 'issuing' | grep -cvE 'issuing (BEGIN|COMMIT|ROLLBACK|PREPARE|SELECT assign_distributed_transaction_id)'
}
ws1=$(q "${citus[@]}" -d pg_actions -c "SELECT workspace_id FROM bench_ws WHERE layout = 1 AND k = 1")
owner1=$(q "${citus[@]}" -d pg_actions -c "SELECT person_id FROM actions.person WHERE login_role = 'bench_owner'")
id1=$(q "${citus[@]}" -d pg_actions -c "SELECT action_id FROM bench_ids WHERE layout = 1 AND i = 1")
id2=$(q "${citus[@]}" -d pg_actions -c "SELECT action_id FROM bench_ids WHERE layout = 1 AND i = 2")
declare -A call=(
    [create]="SELECT actions.create_action($ws1, 'counted')"
    [unread]="SELECT actions.unread_count($ws1)"
    [complete]="SELECT actions.complete($id2)"
    [service]="SELECT actions.create_action($ws1, 'counted')"
    [note]="SELECT actions.add_note($id1, 'counted')"
    [can]="SELECT actions.can('complete', $id1)"
)

echo "Citus bench: a call through the coordinator, workspaces on both workers and on one worker, against the same call on a single node"
echo "server:   $(q "${single[@]}" -d postgres -c 'SELECT version()'); Citus $(q "${citus[@]}" -d pg_actions -c "SELECT extversion FROM pg_extension WHERE extname = 'citus'")"
echo "machine:  nproc=$(nproc); the single node and the three cluster nodes share it: this shows overhead and routing, not speed-up"
echo "runs:     ${T}s per pgbench run, $C clients, $ROUNDS interleaved round(s) of single, both, one; 8 workspaces a side (both: on $spread worker(s), one: on $one)"
echo "          complete = one transaction: create_action, then complete(action_id); its remote commands are complete's alone"
echo "          service = one transaction of a trusted service: act_as(owner), then create_action; its remote commands are create's alone"
for script in create complete service unread note can; do
    s_sum=0 b_sum=0 o_sum=0
    for r in $(seq 1 "$ROUNDS"); do
        s=$(run single "$script"); b=$(run both "$script"); o=$(run one "$script")
        s_sum=$(awk -v a="$s_sum" -v b="$s" 'BEGIN { print a + b }')
        b_sum=$(awk -v a="$b_sum" -v b="$b" 'BEGIN { print a + b }')
        o_sum=$(awk -v a="$o_sum" -v b="$o" 'BEGIN { print a + b }')
    done
    if [ "$script" = service ]; then
        t=$(tasks "${call[$script]}" bench_service "SELECT actions.act_as($owner1)")
    else
        t=$(tasks "${call[$script]}")
    fi
    awk -v name="$script" -v s="$s_sum" -v b="$b_sum" -v o="$o_sum" -v r="$ROUNDS" -v cl="$C" -v t="$t" 'BEGIN {
        s /= r; b /= r; o /= r
        printf "%-8s single %6.0f TPS (%.2f ms); both workers %6.0f TPS (%.2f ms) ratio %.2f; one worker %6.0f TPS (%.2f ms) ratio %.2f; remote commands per call: %s\n",
               name, s, (s > 0 ? 1000 * cl / s : 0), b, (b > 0 ? 1000 * cl / b : 0), (s > 0 ? b / s : 0),
               o, (o > 0 ? 1000 * cl / o : 0), (s > 0 ? o / s : 0), t }'
done
echo "citus: 0 goal(s) missed (no goal: the ratios show what routing costs on one machine)"
