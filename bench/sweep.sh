#!/usr/bin/env bash
# Maintenance sweep benchmark (issue 12, part 3), the extension and a baseline side by side:
#   (a) actions.mark_overdue() turning 100,000 of 1,000,000 actions overdue (log entries,
#       reminders, notifications and NOTIFYs through the triggers), against a set-based plain-SQL
#       statement writing the same rows (bench/sql/overdue_plain.sql) on a copy of the same
#       1,000,000 actions in schema plain. Goal: mark_overdue <= 1.3 x the baseline's time.
#   (b) actions.create_scheduled_actions() finding 10,000 due occurrences among 100,000 schedules
#       (FREQ=DAILY, catch_up latest) and creating their actions, against
#       actions.create_action_from_template() called 10,000 times in one statement by the
#       schedules' owner. Goal: the sweep's rate >= 0.8 x the loop's.
#   (c) actions.create_scheduled_actions() with nothing due among the 100,000. Goal: < 5 ms.
# Times are psql's \timing of one statement (best of BENCH_SWEEP_ROUNDS rounds, default 2; (c):
# best of 10). Runs as postgres (a DBA's maintenance job) except the loop of (b), as bench_owner.
#
# Run by bench/run.sh on its cluster (BENCH_PORT given; BENCH_SWEEP=0 skips it there), or
# standalone: `bash bench/sweep.sh` starts (and stops) its own cluster benchsweep on port
# BENCH_SWEEP_PORT (default 54378). Last line: "sweep: N goal(s) missed, ...".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. "$top/test/pg_env.sh"
export PATH="$bindir:$PATH"
bench=$top/bench
ROUNDS=${BENCH_SWEEP_ROUNDS:-2}
ACTIONS=${BENCH_SWEEP_ACTIONS:-1000000}
DUE=${BENCH_SWEEP_DUE:-100000}
SCHEDULES=${BENCH_SWEEP_SCHEDULES:-100000}
OCCURRENCES=${BENCH_SWEEP_OCCURRENCES:-10000}
MEMBERS=300
DB=bench_sweep
log=$top/build/bench-logs
mkdir -p "$log"
start_s=$SECONDS

die() { echo "sweep: $*" >&2; echo "sweep: run failed"; exit 1; }

if [ -n "${BENCH_PORT:-}" ]; then
    dir=$(bash test/cluster.sh start bench "$BENCH_PORT") || die "could not reach the bench cluster"
    port=$BENCH_PORT
else
    port=${BENCH_SWEEP_PORT:-54378}
    dir=$(bash test/cluster.sh start benchsweep "$port") || die "could not start the benchsweep cluster"
    trap 'bash "$top/test/cluster.sh" stop benchsweep' EXIT
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
q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1
q -d postgres -c "CREATE DATABASE $DB" >/dev/null || die "could not create database $DB"
q -v members=$MEMBERS -f "$bench/sql/setup.sql" >"$log/sweep-setup.log" 2>&1 || { cat "$log/sweep-setup.log"; die "set-up failed"; }
# The overdue reminders of schema plain, with the extension's foreign key to the action.
q -c "CREATE TABLE plain.reminder (LIKE actions.reminder INCLUDING ALL,
          FOREIGN KEY (workspace_id, action_id) REFERENCES plain.action ON DELETE CASCADE)" >/dev/null || die "plain.reminder"
read -r WS OWNER MLO MHI < <(q -F ' ' -c "SELECT w.workspace_id, o.person_id,
        min(m.person_id) FILTER (WHERE m.person_id <> o.person_id), max(m.person_id) FILTER (WHERE m.person_id <> o.person_id)
    FROM actions.workspace w JOIN actions.person o ON o.login_role = 'bench_owner'
    JOIN actions.member m ON m.workspace_id = w.workspace_id GROUP BY 1, 2")
[ -n "${WS:-}" ] || die "no bench workspace"

timed() {  # user sql... -> milliseconds
    local user=$1; shift
    q -U "$user" -c '\timing on' "$@" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1
}
settle() { q -c "VACUUM ANALYZE" >/dev/null && q -c "CHECKPOINT" >/dev/null; }
best() { printf '%s\n' "$@" | grep -v '^$' | sort -g | head -1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print ""; else printf "%.2f", a / b }'; }
misses=0

# --- (a) mark_overdue -------------------------------------------------------------------------
# Both schemas get the same 1,000,000 actions (bench/sql/bulk_create.sql: the rows create_action
# writes); every tenth is then due yesterday, the others in a month (set without triggers).
for schema in actions plain; do
    [ $schema = actions ] && q -c "ALTER TABLE actions.action DISABLE TRIGGER USER" >/dev/null
    q -F ' ' -v schema=$schema -v n="$ACTIONS" -v ws="$WS" -v owner="$OWNER" -v role=bench_owner \
        -v mlo="$MLO" -v mhi="$MHI" -f "$bench/sql/bulk_create.sql" >/dev/null || die "load of $schema failed"
    q -c "UPDATE $schema.action SET due_at = CASE WHEN action_id % $((ACTIONS / DUE)) = 0 THEN now() - interval '1 day'
                                             ELSE now() + interval '1 month' END" >/dev/null || die "due dates"
    [ $schema = actions ] && q -c "ALTER TABLE actions.action ENABLE TRIGGER USER" >/dev/null
done
reset_overdue() {  # back to to_do without log entries, reminders gone: the next round does it again
    q -c "ALTER TABLE actions.action DISABLE TRIGGER USER" \
      -c "UPDATE actions.action SET status = 'to_do' WHERE status = 'overdue'" \
      -c "ALTER TABLE actions.action ENABLE TRIGGER USER" \
      -c "UPDATE plain.action SET status = 'to_do' WHERE status = 'overdue'" \
      -c "DELETE FROM actions.reminder" -c "DELETE FROM plain.reminder" >/dev/null
}
EXT=""; PLAIN=""
for r in $(seq 1 "$ROUNDS"); do
    [ "$r" -gt 1 ] && reset_overdue
    settle
    # One call for the whole set, as the baseline's one statement: a batch as large as it.
    EXT+="$(timed postgres -c "SET pg_actions.sweep_batch_size = $DUE" -c "SELECT actions.mark_overdue()") "
    PLAIN+="$(timed postgres -f "$bench/sql/overdue_plain.sql") "
done
counts() {  # schema -> overdue actions, overdue log entries, reminders, overdue notifications
    q -F ' ' -c "SELECT (SELECT count(*) FROM $1.action WHERE status = 'overdue'),
        (SELECT count(*) FROM $1.activity WHERE event = 'overdue'), (SELECT count(*) FROM $1.reminder),
        (SELECT count(*) FROM $1.notification WHERE kind = 'overdue')"
}
ec=$(counts actions); pc=$(counts plain)
e=$(best $EXT); p=$(best $PLAIN); rat=$(ratio "$e" "$p")
v=$(awk -v x="$rat" 'BEGIN { print (x != "" && x <= 1.3) ? "PASS" : "MISS" }'); [ "$v" = PASS ] || misses=$((misses + 1))
[ "$ec" = "$pc" ] || { echo "  rows differ: extension $ec, plain $pc"; misses=$((misses + 1)); }
echo "sweep benchmark: best of $ROUNDS round(s), milliseconds (psql \\timing, one statement)"
echo "  (a) mark_overdue, $DUE of $ACTIONS actions: extension $e ms (runs: ${EXT% }), plain set-based $p ms (runs: ${PLAIN% })"
echo "      mark_overdue / plain = ${rat:-?} $v (goal <= 1.30); rows written (overdue actions, log entries, reminders, notifications): extension $ec, plain $pc"

# --- (b) and (c): the schedule sweep ----------------------------------------------------------
if [ "$(q -c "SELECT count(*) FROM pg_proc WHERE proname = 'create_action_from_template'")" = 0 ]; then
    echo "  (b), (c): skipped: this build has no actions.create_action_from_template()"
else
    . "$bench/sweep_schedules.sh"
fi
echo "sweep: $misses goal(s) missed, $((SECONDS - start_s))s"
