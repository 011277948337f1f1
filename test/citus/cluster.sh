#!/usr/bin/env bash
# A Citus cluster for the tests and the demo, of the PostgreSQL that PG_CONFIG names (default: the
# system's 15), with Citus installed for it (test/citus/build.sh): a coordinator and two workers on
# 127.0.0.1, ports CITUS_PORT (default 55480), +1, +2.
#   cluster.sh start   a fresh cluster: stops and removes one left from before, initdb, starts the
#                      three, database pg_actions on each with citus (and pgtap when installed),
#                      the nodes in the coordinator's metadata, CREATE EXTENSION pg_actions;
#                      prints the coordinator's socket directory (connect to 127.0.0.1 or it)
#   cluster.sh stop    stops the three
#   cluster.sh stop-node N | start-node N
#                      stops (fast shutdown) or starts node N alone (0 the
#                      coordinator, 1 and 2 the workers), for the suite `failure`
#   cluster.sh backup N DIR
#                      a base backup of node N into DIR (pg_basebackup), for the suite `backup`
#   cluster.sh restore N DIR NAME
#                      node N, stopped, restored from DIR and its WAL archive (every node archives
#                      its WAL into its directory's archive/) up to the restore point NAME
#   cluster.sh dir     the coordinator's socket directory
# The servers run as the unprivileged OS user pg_actions when run as root, in the directories
# test/cluster.sh gives (clusters citus-0, citus-1, citus-2 of this checkout).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/test/pg_env.sh"
export PATH="$bindir:$PATH"
runner=pg_actions
base=${CITUS_PORT:-55480}
sharedir=$("$PG_CONFIG" --sharedir)

as_runner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u "$runner" -- "$@"; else "$@"; fi
}
node_dir() { bash "$top/test/cluster.sh" dir "citus-$1"; }
psql_node() {  # node index, database, psql arguments...
    local i=$1 db=$2; shift 2
    psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $((base + i)) -U postgres -d "$db" "$@"
}
fail() { echo "citus cluster: $*" >&2; exit 1; }

stop_all() {
    local i dir
    for i in 0 1 2; do
        dir=$(node_dir "$i")
        [ -f "$dir/data/PG_VERSION" ] && as_runner pg_ctl -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    done
}

# initdb once per PostgreSQL build into a template (it takes seconds on a busy machine); each start
# copies it into the three data directories.
template() {
    local dir stamp
    dir=$(bash "$top/test/cluster.sh" dir citus-template)
    stamp="$bindir $("$PG_CONFIG" --version) wal-segsize=1"
    if [ "$(cat "$dir/data/.initdb-of" 2>/dev/null)" != "$stamp" ]; then
        rm -rf "$dir/data"
        as_runner initdb -N --wal-segsize=1 -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; return 1; }
        echo "$stamp" | as_runner tee "$dir/data/.initdb-of" >/dev/null
    fi
    echo "$dir/data"
}

init_node() {  # node index: a fresh data directory
    local i=$1 dir=${dirs[$1]} port=$((base + $1))
    rm -rf "$dir/data" "$dir/server.log" "$dir/archive"
    as_runner cp -a "$template" "$dir/data"
    as_runner mkdir "$dir/archive"
    cat >>"$dir/data/postgresql.conf" <<CONF
# Every WAL segment archived, for the suite backup (a base backup and the WAL up to a restore
# point of the cluster).
archive_mode = on
archive_command = 'test ! -f $dir/archive/%f && cp %p $dir/archive/%f'
archive_timeout = 0
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
# pg_actions preloaded (after citus): on the coordinator its executor hook carries the acting
# person of every transaction to the workers (docs/security.md, "Identity on Citus").
shared_preload_libraries = 'citus,pg_actions'
max_prepared_transactions = 100
max_connections = 100
fsync = off
synchronous_commit = off
full_page_writes = off
log_min_messages = warning
# pg_actions' tables carry triggers (action_log, activity_immutable, ...): without this Citus refuses to
# distribute them ("cannot distribute relation ... because it has triggers") and to create a
# trigger on a distributed or reference table later, as an upgrade script does ("triggers are not
# supported on distributed tables"). The triggers touch rows of their own workspace, which
# live on the same node (colocation). Set for every session, so upgrades need no SET of their own.
citus.enable_unsafe_triggers = on
CONF
    # Trust for connections over 127.0.0.1 (the nodes connect to each other that way) and the
    # socket only: a cluster for tests.
    printf 'local all all trust\nhost all all 127.0.0.1/32 trust\nlocal replication all trust\nhost replication all 127.0.0.1/32 trust\n' \
        >"$dir/data/pg_hba.conf"
}

case "${1:-}" in
    dir) node_dir 0 ;;
    stop) stop_all ;;
    stop-node)
        [[ "${2:-}" =~ ^[012]$ ]] || fail "stop-node takes a node: 0, 1 or 2"
        as_runner pg_ctl -D "$(node_dir "$2")/data" -m fast -w stop >/dev/null || fail "node $2 did not stop"
        ;;
    start-node)
        [[ "${2:-}" =~ ^[012]$ ]] || fail "start-node takes a node: 0, 1 or 2"
        dir=$(node_dir "$2")
        as_runner pg_ctl -D "$dir/data" -l "$dir/server.log" -w start >/dev/null \
            || { tail -20 "$dir/server.log" >&2; fail "node $2 (port $((base + $2))) did not start"; }
        ;;
    start)
        [ -f "$pkglibdir/citus.so" ] && [ -f "$sharedir/extension/citus.control" ] \
            || fail "Citus is not installed for $PG_CONFIG (run test/citus/build.sh)"
        stop_all
        for i in 0 1 2; do
            if pg_isready -q -h 127.0.0.1 -p $((base + i)); then
                fail "port $((base + i)) is in use by another server: stop it or set CITUS_PORT"
            fi
        done
        # The directories first (test/cluster.sh creates the OS user when missing), then in parallel.
        dirs=("$(node_dir 0)" "$(node_dir 1)" "$(node_dir 2)")
        template=$(template) || fail "initdb failed"
        pids=()
        for i in 0 1 2; do init_node "$i" & pids+=($!); done
        for p in "${pids[@]}"; do wait "$p" || fail "could not make the data directories"; done
        for i in 0 1 2; do
            dir=$(node_dir "$i")
            as_runner pg_ctl -D "$dir/data" -l "$dir/server.log" -w start >/dev/null \
                || { tail -20 "$dir/server.log" >&2; fail "node $i (port $((base + i))) did not start"; }
        done
        ext="CREATE EXTENSION citus;"
        [ -f "$sharedir/extension/pgtap.control" ] && ext="$ext CREATE EXTENSION pgtap;"
        pids=()
        for i in 0 1 2; do
            ( psql_node "$i" postgres -c "CREATE DATABASE pg_actions" \
                && psql_node "$i" pg_actions -c "SET client_min_messages = warning; $ext" ) & pids+=($!)
        done
        for p in "${pids[@]}"; do wait "$p" || fail "could not create the database pg_actions with Citus"; done
        psql_node 0 pg_actions -c "SET client_min_messages = warning" \
            -c "SELECT citus_set_coordinator_host('127.0.0.1', $base)" \
            -c "SELECT citus_add_node('127.0.0.1', $((base + 1)))" \
            -c "SELECT citus_add_node('127.0.0.1', $((base + 2)))" >/dev/null \
            || fail "could not add the nodes to the coordinator's metadata"
        # Citus propagates CREATE EXTENSION from the coordinator to the workers (an extension is
        # a distributed object), at the same version; checked here, created where it is missing.
        psql_node 0 pg_actions -c "SET client_min_messages = warning; CREATE EXTENSION pg_actions" \
            || fail "CREATE EXTENSION pg_actions failed on the coordinator"
        want=$(psql_node 0 pg_actions -tAc "SELECT extversion FROM pg_extension WHERE extname = 'pg_actions'")
        for i in 1 2; do
            have=$(psql_node "$i" pg_actions -tAc "SELECT extversion FROM pg_extension WHERE extname = 'pg_actions'")
            if [ -z "$have" ]; then
                psql_node "$i" pg_actions -c "SET client_min_messages = warning; CREATE EXTENSION pg_actions VERSION '$want'" \
                    || fail "CREATE EXTENSION pg_actions failed on worker $i"
            elif [ "$have" != "$want" ]; then
                fail "pg_actions $have on worker $i, $want on the coordinator"
            fi
        done
        node_dir 0
        ;;
    backup)
        # backup N DIR: a base backup of node N into DIR (pg_basebackup, its WAL streamed).
        [[ "${2:-}" =~ ^[012]$ ]] && [ -n "${3:-}" ] || fail "backup takes a node (0, 1 or 2) and a directory"
        rm -rf "$3"
        as_runner mkdir -p -m 700 "$3"
        as_runner pg_basebackup -h 127.0.0.1 -p $((base + $2)) -U postgres -D "$3" -X stream -c fast >/dev/null \
            || fail "pg_basebackup of node $2 failed"
        ;;
    restore)
        # restore N DIR NAME: node N (stopped) from the base backup in DIR, recovered from its WAL
        # archive up to the restore point NAME (citus_create_restore_point()), then promoted.
        [[ "${2:-}" =~ ^[012]$ ]] && [ -n "${3:-}" ] && [ -n "${4:-}" ] || fail "restore takes a node, a directory and a restore point"
        dir=$(node_dir "$2")
        pg_isready -q -h 127.0.0.1 -p $((base + $2)) && fail "node $2 is running: stop it first"
        [ -f "$3/PG_VERSION" ] || fail "$3 holds no base backup"
        # The WAL the node wrote that is not archived yet (the segment holding the restore point,
        # at least) joins the archive before the data directory is replaced.
        as_runner sh -c "cp -n '$dir'/data/pg_wal/[0-9A-F]* '$dir/archive/' 2>/dev/null" || true
        rm -rf "$dir/data"
        as_runner cp -a "$3" "$dir/data"
        as_runner chmod 700 "$dir/data"
        printf "restore_command = 'cp %s/archive/%%f %%p'\nrecovery_target_name = '%s'\nrecovery_target_action = 'promote'\n" \
            "$dir" "$4" | as_runner tee -a "$dir/data/postgresql.auto.conf" >/dev/null
        as_runner touch "$dir/data/recovery.signal"
        as_runner pg_ctl -D "$dir/data" -l "$dir/server.log" -w start >/dev/null \
            || { tail -20 "$dir/server.log" >&2; fail "node $2 did not start from its backup"; }
        for _ in $(seq 1 100); do
            [ "$(psql_node "$2" postgres -tAc "SELECT pg_is_in_recovery()" 2>/dev/null)" = f ] && exit 0
            sleep 0.1
        done
        fail "node $2 is still recovering after 10 s (see $dir/server.log)"
        ;;
    *) echo "usage: cluster.sh start|stop|stop-node N|start-node N|backup N DIR|restore N DIR NAME|dir" >&2; exit 2 ;;
esac
