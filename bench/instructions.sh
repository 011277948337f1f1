#!/usr/bin/env bash
# Instructions per transaction of make bench's scripts, counted by valgrind's callgrind: a figure
# that does not move with the machine's load, to tell the extension's cost from the noise of TPS
# on a shared machine. For each operation (create_action, reassign, complete) and each side (ext,
# 1-stmt, multi: bench/pgbench/*.sql, the same rows as make bench), one pgbench session of N1 and
# one of N2 transactions (1 client, -M prepared) against a server running under callgrind; the
# backend's instructions of the longer session less the shorter's, over N2 - N1, are what one
# transaction costs once the session is warm (connecting, loading the library and planning cancel
# out). It counts instructions only: cache misses, waits and contention are not in it (make bench's
# CPU column has them), so it complements TPS and does not replace it. No goal is checked here.
#
#   bash bench/instructions.sh      its own cluster benchinstr on BENCH_INSTR_PORT (default 54379),
#                                   started again under callgrind; valgrind must be installed
# Environment: BENCH_INSTR_TX (N2 - N1, default 200), BENCH_INSTR_WARM (N1, default 20).
# Takes a few minutes: everything runs about 50 times slower under callgrind.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. "$top/test/pg_env.sh"
export PATH="$bindir:$PATH"
bench=$top/bench
port=${BENCH_INSTR_PORT:-54379}
N1=${BENCH_INSTR_WARM:-20}
N2=$((N1 + ${BENCH_INSTR_TX:-200}))
MEMBERS=300
POOL=$((N1 + N2 + 500))
log=$top/build/bench-logs
mkdir -p "$log"
runner=pg_actions

die() { echo "instructions: $*" >&2; echo "instructions: run failed"; exit 1; }
command -v valgrind >/dev/null || die "valgrind is not installed (apt-get install valgrind)"
as_runner() { if [ "$(id -u)" -eq 0 ]; then runuser -u "$runner" -- "$@"; else "$@"; fi; }

dir=$(bash test/cluster.sh start benchinstr "$port" | tail -1) || die "could not start the benchinstr cluster"
data=$dir/data
cg=$dir/callgrind
stop() {
    as_runner "$bindir/pg_ctl" -D "$data" -m fast stop >/dev/null 2>&1
}
trap stop EXIT
export PGHOST=$dir PGPORT=$port PGUSER=postgres PGDATABASE=bench_instr
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

# No background work that would run under callgrind as well: no autovacuum, no pg_cron launcher.
q -d postgres <<'SQL' >/dev/null || die "could not configure the cluster"
ALTER SYSTEM SET synchronous_commit = off;
ALTER SYSTEM SET autovacuum = off;
ALTER SYSTEM SET max_wal_size = '20GB';
ALTER SYSTEM SET checkpoint_timeout = '1h';
SQL
sed -i "s/^shared_preload_libraries = 'pg_cron'/#&/" "$data/postgresql.conf"
q -d postgres -c "DROP DATABASE IF EXISTS bench_instr" >/dev/null 2>&1
q -d postgres -c "CREATE DATABASE bench_instr" >/dev/null || die "could not create database bench_instr"
q -v members=$MEMBERS -f "$bench/sql/setup.sql" >"$log/instr-setup.log" 2>&1 || { cat "$log/instr-setup.log"; die "set-up failed"; }
read -r WS OWNER MLO MHI < <(q -F ' ' -c "SELECT w.workspace_id, o.person_id,
        min(m.person_id) FILTER (WHERE m.person_id <> o.person_id), max(m.person_id) FILTER (WHERE m.person_id <> o.person_id)
    FROM actions.workspace w JOIN actions.person o ON o.login_role = 'bench_owner'
    JOIN actions.member m ON m.workspace_id = w.workspace_id GROUP BY 1, 2")
[ -n "${MHI:-}" ] || die "no bench workspace"
# The pools as make bench makes them: reassign's through the extension (ext) and bulk_create.sql
# (plain), complete's through bulk_create.sql on both sides, taken in order by plain.complete_*.
read -r RE_LO RE_HI < <(q -U bench_owner -F ' ' -c "SELECT min(id), max(id) FROM (SELECT actions.create_action($WS, 'bench action',
        assignee_id => $MLO + (i % $MEMBERS)) AS id FROM generate_series(1, $POOL) i) s")
bulk() {  # schema n -> "first last"
    [ "$1" = actions ] && q -c "ALTER TABLE actions.action DISABLE TRIGGER USER" >/dev/null
    q -F ' ' -v schema="$1" -v n="$2" -v ws="$WS" -v owner="$OWNER" -v role=bench_owner -v mlo="$MLO" -v mhi="$MHI" \
        -f "$bench/sql/bulk_create.sql"
    [ "$1" = actions ] && q -c "ALTER TABLE actions.action ENABLE TRIGGER USER" >/dev/null
    return 0
}
read -r RP_LO RP_HI < <(bulk plain $POOL)
read -r CE_LO CE_HI < <(bulk actions $((3 * POOL)))
read -r CP_LO CP_HI < <(bulk plain $((3 * POOL)))
[ -n "${RE_HI:-}" ] && [ -n "${RP_HI:-}" ] && [ -n "${CE_HI:-}" ] && [ -n "${CP_HI:-}" ] || die "could not create the pools"
q -c "ALTER SEQUENCE plain.complete_ext MINVALUE $CE_LO MAXVALUE $CE_HI START WITH $CE_LO RESTART WITH $CE_LO" \
  -c "ALTER SEQUENCE plain.complete_plain MINVALUE $CP_LO MAXVALUE $CP_HI START WITH $CP_LO RESTART WITH $CP_LO" >/dev/null
q -c "VACUUM ANALYZE" >/dev/null && q -c "CHECKPOINT" >/dev/null

# The same server again, under callgrind: every backend writes its counts when it exits.
stop
rm -rf "$cg"; mkdir -p "$cg"; [ "$(id -u)" -eq 0 ] && chown "$runner" "$cg"
as_runner bash -c "valgrind --tool=callgrind --callgrind-out-file='$cg/cg.%p' '$bindir/postgres' -D '$data' \
    >'$dir/callgrind-server.log' 2>&1 &"
for _ in $(seq 1 120); do q -d postgres -c "SELECT 1" >/dev/null 2>&1 && break; sleep 1; done
q -d postgres -c "SELECT 1" >/dev/null 2>&1 || die "the server did not start under callgrind (see $dir/callgrind-server.log)"
sleep 5  # the checks' backends write their files as they exit

# The instructions of the backend of one pgbench session of $3 transactions.
session() {  # variant op n
    local v=$1 op=$2 n=$3 extra=() f="" g
    case $v-$op in
        ext-reassign) extra=(-D ext_lo="$RE_LO" -D ext_hi="$RE_HI") ;;
        *-reassign) extra=(-D plain_lo="$RP_LO" -D plain_hi="$RP_HI") ;;
    esac
    ls "$cg" >"$log/instr-before.lst"
    pgbench -n -M prepared -t "$n" -c 1 -U bench_owner -D ws="$WS" -D owner="$OWNER" -D mlo="$MLO" -D mhi="$MHI" \
        "${extra[@]}" -f "$bench/pgbench/${v}_$op.sql" bench_instr >"$log/instr-$v-$op-$n.out" 2>&1 || return 1
    # The backend's file is the new one that ran the most (another may be a check's late file).
    local best=0 t
    for _ in $(seq 1 120); do
        for g in $(ls "$cg" | grep -vxF -f "$log/instr-before.lst"); do
            t=$(sed -n 's/^totals: \([0-9]*\).*/\1/p' "$cg/$g" 2>/dev/null)
            if [ -n "$t" ] && grep -q 'ExecutorRun' "$cg/$g" && [ "$t" -gt "$best" ]; then best=$t; f=$g; fi
        done
        [ -n "$f" ] && break
        sleep 1
    done
    [ -n "$f" ] || return 1
    mv "$cg/$f" "$log/instr-$v-$op-$n.callgrind"
    sed -n 's/^totals: \([0-9]*\).*/\1/p' "$log/instr-$v-$op-$n.callgrind"
}

echo "== instructions per transaction (callgrind; 1 client; sessions of $N1 and $N2 transactions, the difference over $((N2 - N1)))"
echo "   the same scripts and pools as make bench; instructions only, not time: no cache misses, waits or contention"
printf '%-14s %12s %12s %12s   %s\n' operation ext 1-stmt multi "1-stmt/ext"
failed=0
for op in create reassign complete; do
    declare -A per=()
    for v in ext one multi; do
        a=$(session $v $op $N1) && b=$(session $v $op $N2) && [ -n "$a" ] && [ -n "$b" ] \
            && per[$v]=$(( (b - a) / (N2 - N1) )) || { per[$v]=""; failed=$((failed + 1)); }
    done
    name=$op; [ $op = create ] && name=create_action
    printf '%-14s %12s %12s %12s   %s\n' "$name" "${per[ext]:-ERR}" "${per[one]:-ERR}" "${per[multi]:-ERR}" \
        "$(awk -v e="${per[ext]:-}" -v o="${per[one]:-}" 'BEGIN { if (e > 0 && o > 0) printf "%.3f", o / e; else print "-" }')"
done
echo "  (1-stmt/ext above 1: the extension runs fewer instructions than the one statement; the callgrind"
echo "   files are in ${log#$top/}/instr-*.callgrind, for callgrind_annotate --inclusive=yes)"
echo "instructions: $failed session(s) failed"
exit 0
