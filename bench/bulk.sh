#!/usr/bin/env bash
# Bulk benchmark: actions.bulk_reassign() and actions.bulk_set_status(ids, 'complete') of 10,000
# actions in one call, against
#   (a) the single function once per row in one statement:
#         SELECT count(*) FROM (SELECT actions.reassign(g, target) FROM generate_series(lo, hi) g) s
#   (b) a set-based plain-SQL baseline that writes the same rows and log entries in one statement
#       (bench/sql/bulk_reassign_plain.sql, bench/sql/bulk_complete_plain.sql: schema plain of
#       bench/sql/setup.sql, the extension's log encoding and SHA-256 chain, heads, notifications
#       and NOTIFY for reassign; no permission check).
# Every side starts from its own 10,000 fresh actions loaded by bench/sql/bulk_create.sql (2 log
# entries and a notification each), timed in psql (\timing, one statement each, connected as
# login role bench_owner, the workspace's owner); BENCH_BULK_ROUNDS rounds (default 3), the best
# time counts.
# Goals (issue 11): bulk >= 5x faster than (a); bulk <= 2x the time of (b).
#
# Run by bench/run.sh on its cluster (BENCH_PORT given, PGHOST etc. exported; BENCH_BULK=0 skips
# it there), or standalone: `bash bench/bulk.sh` starts (and stops) its own cluster benchbulk on
# port BENCH_BULK_PORT (default 54375). Last line: "bulk: N goal(s) missed, ...".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. "$top/test/pg_env.sh"
export PATH="$bindir:$PATH"
bench=$top/bench
ROUNDS=${BENCH_BULK_ROUNDS:-3}
N=${BENCH_BULK_ACTIONS:-10000}
MEMBERS=300
DB=bench_bulk
log=$top/build/bench-logs
mkdir -p "$log"
start_s=$SECONDS

die() { echo "bulk: $*" >&2; echo "bulk: run failed"; exit 1; }

if [ -n "${BENCH_PORT:-}" ]; then
    dir=$(bash test/cluster.sh start bench "$BENCH_PORT") || die "could not reach the bench cluster"
    port=$BENCH_PORT
else
    port=${BENCH_BULK_PORT:-54375}
    dir=$(bash test/cluster.sh start benchbulk "$port") || die "could not start the benchbulk cluster"
    trap 'bash "$top/test/cluster.sh" stop benchbulk' EXIT
fi
export PGHOST=$dir PGPORT=$port PGUSER=postgres PGDATABASE=$DB

q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

if [ -z "${BENCH_PORT:-}" ]; then
    q -d postgres <<'SQL' >/dev/null || die "could not configure the cluster"
ALTER SYSTEM SET synchronous_commit = off;
ALTER SYSTEM SET max_wal_size = '20GB';
ALTER SYSTEM SET checkpoint_timeout = '1h';
SELECT pg_reload_conf();
SQL
fi
q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1
q -d postgres -c "CREATE DATABASE $DB" >/dev/null || die "could not create database $DB"
q -v members=$MEMBERS -f "$bench/sql/setup.sql" >"$log/bulk-setup.log" 2>&1 || { cat "$log/bulk-setup.log"; die "set-up failed"; }

read -r WS OWNER MLO MHI < <(q -F ' ' -c "SELECT w.workspace_id, o.person_id,
        min(m.person_id) FILTER (WHERE m.person_id <> o.person_id), max(m.person_id) FILTER (WHERE m.person_id <> o.person_id)
    FROM actions.workspace w JOIN actions.person o ON o.login_role = 'bench_owner'
    JOIN actions.member m ON m.workspace_id = w.workspace_id GROUP BY 1, 2")
[ -n "${WS:-}" ] || die "no bench workspace"
# Loaded actions are assigned to MLO..MHI-1; every reassignment goes to MHI, who therefore gets one
# notification per action (the same person reassigned 10,000 actions).
TARGET=$MHI

pool() {  # schema -> "first last": N fresh actions
    local out rc
    if [ "$1" = actions ]; then q -c "ALTER TABLE actions.action DISABLE TRIGGER USER" >/dev/null; fi
    out=$(q -F ' ' -v schema="$1" -v n="$N" -v ws="$WS" -v owner="$OWNER" -v role=bench_owner \
            -v mlo="$MLO" -v mhi="$((MHI - 1))" -f "$bench/sql/bulk_create.sql")
    rc=$?
    if [ "$1" = actions ]; then q -c "ALTER TABLE actions.action ENABLE TRIGGER USER" >/dev/null; fi
    [ $rc -eq 0 ] || die "load of $N actions into $1 failed"
    echo "$out"
}
timed() {  # sql... -> milliseconds (as bench_owner)
    q -U bench_owner -c '\timing on' "$@" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1
}
settle() { q -c "VACUUM ANALYZE" >/dev/null && q -c "CHECKPOINT" >/dev/null; }
best() { printf '%s\n' "$@" | grep -v '^$' | sort -g | head -1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print ""; else printf "%.2f", a / b }'; }

declare -A MS
for verb in reassign complete; do
    for side in bulk single plain; do MS[$verb-$side]=""; done
done
for r in $(seq 1 "$ROUNDS"); do
    for verb in reassign complete; do
        read -r b1 b2 < <(pool actions)
        read -r s1 s2 < <(pool actions)
        read -r p1 p2 < <(pool plain)
        settle
        if [ $verb = reassign ]; then
            bulk="SELECT count(*) FILTER (WHERE ok), count(*) FROM actions.bulk_reassign(ARRAY(SELECT generate_series($b1, $b2)::bigint), $TARGET)"
            single="SELECT count(*) FROM (SELECT actions.reassign(g, $TARGET) FROM generate_series($s1::bigint, $s2) g) s"
            plain=(-v lo="$p1" -v hi="$p2" -v target="$TARGET" -v owner="$OWNER" -f "$bench/sql/bulk_reassign_plain.sql")
        else
            bulk="SELECT count(*) FILTER (WHERE ok), count(*) FROM actions.bulk_set_status(ARRAY(SELECT generate_series($b1, $b2)::bigint), 'complete')"
            single="SELECT count(*) FROM (SELECT actions.complete(g) FROM generate_series($s1::bigint, $s2) g) s"
            plain=(-v lo="$p1" -v hi="$p2" -v owner="$OWNER" -f "$bench/sql/bulk_complete_plain.sql")
        fi
        MS[$verb-bulk]+="$(timed -c "$bulk") "
        MS[$verb-single]+="$(timed -c "$single") "
        MS[$verb-plain]+="$(timed "${plain[@]}") "
        # The bulk call changed every action of its pool.
        okcount=$(q -c "SELECT count(*) FROM actions.action WHERE action_id BETWEEN $b1 AND $b2 AND
                        $( [ $verb = reassign ] && echo "assignee_id = $TARGET" || echo "status = 'complete'" )")
        [ "$okcount" = "$N" ] || die "$verb round $r: bulk changed $okcount of $N actions"
    done
done

echo "bulk operations: $N actions per call; best of $ROUNDS round(s), milliseconds, in psql as bench_owner (owner role)"
misses=0
for verb in reassign complete; do
    b=$(best ${MS[$verb-bulk]}); s=$(best ${MS[$verb-single]}); p=$(best ${MS[$verb-plain]})
    speedup=$(ratio "$s" "$b"); vs_plain=$(ratio "$b" "$p")
    v1=$(awk -v x="$speedup" 'BEGIN { print (x != "" && x >= 5) ? "PASS" : "MISS" }')
    v2=$(awk -v x="$vs_plain" 'BEGIN { print (x != "" && x <= 2) ? "PASS" : "MISS" }')
    [ "$v1" = PASS ] || misses=$((misses + 1)); [ "$v2" = PASS ] || misses=$((misses + 1))
    label=$( [ $verb = reassign ] && echo "bulk_reassign" || echo "bulk_set_status('complete')" )
    echo "  $label: bulk ${b} ms (runs: ${MS[$verb-bulk]% }), single per row ${s} ms (runs: ${MS[$verb-single]% }), plain set-based ${p} ms (runs: ${MS[$verb-plain]% })"
    echo "    single / bulk = ${speedup:-?} $v1 (goal >= 5.00); bulk / plain = ${vs_plain:-?} $v2 (goal <= 2.00)"
done
# Same rows and log entries on both sides; the extension's chains verify.
bad=$(q -c "SELECT count(*) FROM actions.verify_log($WS)")
ext=$(q -c "SELECT count(*) FILTER (WHERE event = 'reassigned'), count(*) FILTER (WHERE event = 'completed') FROM actions.activity")
pl=$(q -c "SELECT count(*) FILTER (WHERE event = 'reassigned'), count(*) FILTER (WHERE event = 'completed') FROM plain.activity")
echo "  log entries reassigned|completed: extension $ext (bulk and single sides), plain $pl; verify_log problems: $bad"
[ "$bad" = 0 ] || misses=$((misses + 1))
echo "bulk: $misses goal(s) missed, $((SECONDS - start_s))s"
