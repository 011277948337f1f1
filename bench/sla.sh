#!/usr/bin/env bash
# Service-level benchmark, the extension against hand-written SQL, side by side, at BENCH_SLA_ACTIONS
# actions (default 1,000,000; bench/sql/sla_setup.sql: 70% complete over a year, their log bulk-loaded,
# actions.service_level rebuilt from it and timed):
#   quarter   the workspace-wide on-time rate, mean, p50 and p90 time to complete of one quarter's
#             completions: actions.service_levels(ws, from, to) against
#               base_row  the same figures from actions.action under RLS (completed_at, due_at of the
#                         row: the due date now, not as it stood at completion; no index on completed_at)
#               base_log  the same figures recomputed from actions.activity under RLS on every call
#   status    one action's time in each status: actions.action_status_times(id) against a plain-SQL
#             fold of its log (lead() over the chain), per call, mean over BENCH_SLA_CALLS actions
#             (default 2,000; the baseline over the first BENCH_SLA_BASE_CALLS, default 50, of them)
#             spread over the table, called in a PL/pgSQL loop as the owner
# Every query runs as the workspace's owner (login role sla_owner: view_actions). Times: EXPLAIN
# ANALYZE Execution Time, best of BENCH_SLA_ROUNDS (default 3) after a warm-up; the status loop's
# clock_timestamp() difference divided by the calls, best of the rounds.
# Goals (issue 14): quarter <= 1000 ms; status <= 1 ms a call.
#
# Run by bench/run.sh on its cluster (BENCH_PORT given, PGHOST etc. exported; BENCH_SLA=0 skips it
# there), or standalone: `bash bench/sla.sh` starts (and stops) its own cluster benchsla on port
# BENCH_SLA_PORT (default 54377). Last line: "sla: N goal(s) missed, ...".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. "$top/test/pg_env.sh"
export PATH="$bindir:$PATH"
bench=$top/bench
ROUNDS=${BENCH_SLA_ROUNDS:-3}
N=${BENCH_SLA_ACTIONS:-1000000}
CALLS=${BENCH_SLA_CALLS:-2000}
# The baseline's per-call query reads the log under its row-level security, whose subquery over
# actions.action is planned as a hash of every visible action, built per call: ~100 ms a call at
# 1,000,000 actions, so it runs over the first BENCH_SLA_BASE_CALLS (default 50) of the actions.
BASE_CALLS=${BENCH_SLA_BASE_CALLS:-50}
DB=bench_sla
log=$top/build/bench-logs
mkdir -p "$log"
start_s=$SECONDS

die() { echo "sla: $*" >&2; echo "sla: run failed"; exit 1; }

if [ -n "${BENCH_PORT:-}" ]; then
    dir=$(bash test/cluster.sh start bench "$BENCH_PORT") || die "could not reach the bench cluster"
    port=$BENCH_PORT
else
    port=${BENCH_SLA_PORT:-54377}
    dir=$(bash test/cluster.sh start benchsla "$port") || die "could not start the benchsla cluster"
    trap 'bash "$top/test/cluster.sh" stop benchsla' EXIT
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

# --- set-up ---------------------------------------------------------------------------------------
t0=$SECONDS
q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1
q -d postgres -c "CREATE DATABASE $DB" >/dev/null || die "could not create database $DB"
q -F ' ' -v actions="$N" -f "$bench/sql/sla_setup.sql" >"$log/sla-setup.log" 2>&1 || { tail -20 "$log/sla-setup.log"; die "set-up failed"; }
read -r WS _ < <(tail -n 1 "$log/sla-setup.log")
load_s=$((SECONDS - t0))
rebuild_ms=$(q -c "\\timing on" -c "SELECT actions.rebuild_service_levels($WS)" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p')
q -c "VACUUM ANALYZE" >/dev/null && q -c "CHECKPOINT" >/dev/null || die "vacuum failed"
read -r NLOG NSUM < <(q -F ' ' -c "SELECT (SELECT count(*) FROM actions.activity), (SELECT count(*) FROM actions.service_level)")
# The quarter two quarters back: whole, about a quarter of the year's completions.
IFS='|' read -r QS QE < <(q -F '|' -c "SELECT quote_literal(date_trunc('quarter', now() - interval '6 months')),
                                      quote_literal(date_trunc('quarter', now() - interval '6 months') + interval '3 months')")
NQ=$(q -c "SELECT count(*) FROM actions.service_level WHERE workspace_id = $WS AND completed_at >= $QS AND completed_at < $QE")

echo "== service levels: actions.service_levels() and actions.action_status_times() against hand-written SQL"
echo "server:    $(q -d postgres -c 'SELECT version()' | cut -d, -f1), shared_buffers=$(q -d postgres -c 'SHOW shared_buffers'), nproc=$(nproc)"
echo "set-up:    $N actions, $NLOG log entries, loaded in ${load_s}s; rebuild_service_levels: $NSUM rows in ${rebuild_ms} ms"
echo "quarter:   $QS .. $QE, $NQ completions"

# --- the quarter ----------------------------------------------------------------------------------
EXT="SELECT * FROM actions.service_levels($WS, $QS, $QE)"
BASE_ROW="SELECT count(*), count(a.due_at), count(*) FILTER (WHERE a.completed_at <= a.due_at),
    count(*) FILTER (WHERE a.completed_at > a.due_at), avg(a.completed_at - a.created_at),
    percentile_cont(0.5) WITHIN GROUP (ORDER BY a.completed_at - a.created_at),
    percentile_cont(0.9) WITHIN GROUP (ORDER BY a.completed_at - a.created_at)
  FROM actions.action a WHERE a.workspace_id = $WS AND a.status = 'complete' AND a.completed_at >= $QS AND a.completed_at < $QE"
BASE_LOG="SELECT count(*), count(due), count(*) FILTER (WHERE done <= due), count(*) FILTER (WHERE done > due),
    avg(done - created), percentile_cont(0.5) WITHIN GROUP (ORDER BY done - created),
    percentile_cont(0.9) WITHIN GROUP (ORDER BY done - created)
  FROM (SELECT l.action_id, min(l.at) FILTER (WHERE l.event = 'created') AS created,
               max(l.at) FILTER (WHERE l.event = 'completed') AS done,
               (array_agg((CASE WHEN l.event = 'created' THEN l.detail->>'due_at' ELSE l.new_value END)::timestamptz ORDER BY l.seq DESC)
                  FILTER (WHERE l.event IN ('created', 'due_changed')))[1] AS due,
               (array_agg(l.new_value ORDER BY l.seq DESC) FILTER (WHERE l.event IN ('completed', 'uncompleted')))[1] AS last
          FROM actions.activity l WHERE l.workspace_id = $WS GROUP BY l.action_id) x
 WHERE last = 'complete' AND done >= $QS AND done < $QE"
best() { awk '/Execution Time/ { sub(/.*Execution Time: /, ""); sub(/ ms/, ""); if (b == "" || $0 + 0 < b + 0) b = $0 } END { print b }'; }
measure() {  # sql rounds
    local script="$1;" r
    for r in $(seq 1 "$2"); do script="$script
EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) $1;"; done
    q -U sla_owner <<<"$script" 2>&1 | best
}
Q_EXT=$(measure "$EXT" "$ROUNDS")
Q_ROW=$(measure "$BASE_ROW" "$ROUNDS")
Q_LOG=$(measure "$BASE_LOG" 1)
R_LINE=$(q -U sla_owner -F ' ' -c "$BASE_ROW")

# --- one action's status times ----------------------------------------------------------------------
# The warnings carry the figures (psql prints them on stderr as "WARNING:  0.0123").
S_EXT=$(q -U sla_owner 2>&1 <<SQL | sed -n 's/^WARNING:  //p' | sort -n | head -1
CREATE TEMP TABLE pick AS SELECT action_id FROM actions.action WHERE workspace_id = $WS AND action_id % (GREATEST(1, $N / $CALLS)) = 0 LIMIT $CALLS;
DO \$\$ DECLARE id bigint; t0 timestamptz; BEGIN
  FOR r IN 0..$ROUNDS LOOP
    t0 := clock_timestamp();
    FOR id IN SELECT action_id FROM pick LOOP PERFORM * FROM actions.action_status_times(id); END LOOP;
    IF r > 0 THEN RAISE WARNING '%', round((extract(epoch FROM clock_timestamp() - t0) * 1000 / (SELECT count(*) FROM pick))::numeric, 4); END IF;
  END LOOP; END \$\$;
SQL
)
S_BASE=$(q -U sla_owner 2>&1 <<SQL | sed -n 's/^WARNING:  //p' | sort -n | head -1
CREATE TEMP TABLE pick AS SELECT action_id FROM actions.action WHERE workspace_id = $WS AND action_id % (GREATEST(1, $N / $CALLS)) = 0 LIMIT $BASE_CALLS;
DO \$\$ DECLARE id bigint; t0 timestamptz; BEGIN
  FOR r IN 0..$ROUNDS LOOP
    t0 := clock_timestamp();
    FOR id IN SELECT action_id FROM pick LOOP
      PERFORM s, sum(d) FROM (SELECT l.new_value AS s, lead(l.at, 1, now()) OVER (ORDER BY l.seq) - l.at AS d
        FROM actions.activity l WHERE l.workspace_id = $WS AND l.action_id = id
         AND l.event IN ('created', 'started', 'completed', 'uncompleted', 'cancelled', 'overdue', 'no_longer_overdue',
                         'status_changed', 'deleted')) x GROUP BY s;
    END LOOP;
    IF r > 0 THEN RAISE WARNING '%', round((extract(epoch FROM clock_timestamp() - t0) * 1000 / (SELECT count(*) FROM pick))::numeric, 4); END IF;
  END LOOP; END \$\$;
SQL
)

# --- results --------------------------------------------------------------------------------------
le() { awk -v v="$1" -v g="$2" 'BEGIN { if (v == "") print "ERR "; else print (v + 0 <= g + 0 ? "PASS" : "MISS") }'; }
v1=$(le "$Q_EXT" 1000); v2=$(le "$S_EXT" 1)
misses=0
for v in "$v1" "$v2"; do [ "$v" = PASS ] || misses=$((misses + 1)); done
echo
echo "== results (ms; best of $ROUNDS; a shared, noisy machine: compare the columns of one run)"
printf '%-10s %10s %10s %10s %-6s\n' case ext base_row base_log goal
printf '%-10s %10s %10s %10s %-6s\n' quarter "$Q_EXT" "$Q_ROW" "$Q_LOG" "$v1 (<= 1000)"
printf '%-10s %10s %10s %10s %-6s\n' status "$S_EXT" "$S_BASE" "-" "$v2 (<= 1 a call)"
echo "figures:   ext: $(q -U sla_owner -F ' ' -c "SELECT completed, with_due, on_time, late, on_time_rate, mean_to_complete, p50_to_complete, p90_to_complete FROM ($EXT) e")"
echo "           base_row: $R_LINE"
echo "sla: $misses goal(s) missed, 2 cases, $((SECONDS - start_s))s"
