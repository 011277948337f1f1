#!/usr/bin/env bash
# What the ledger costs the writers: the extension's create/reassign/complete at 2 clients with
# the ledger (its BRIN index on actions.activity(at), and actions.seal_ledgers() run every second
# beside the load, 60 times as often as the maintenance job) against the same build without it
# (the index dropped, no sealing), in one run, interleaved: each round runs both, the order
# alternating. TPS = median of the rounds; the ratio is the median of the rounds' ratios (each
# round's two runs are neighbours in time). Goal: with / without >= 0.95. Each line also gives the
# server's CPU time per transaction with and without the ledger (every backend that ended during
# the run: the writers and, with the ledger, the sealer's; from the postmaster's cutime + cstime),
# which moves much less with the machine's load than TPS.
# One line per operation, ending in "ratio X (goal >= 0.95) PASS|MISS"; last line
# "ledger: N goal(s) missed".
#
# Run by bench/run.sh on its cluster (BENCH_PORT given, PGHOST etc. exported, database bench set
# up; BENCH_LEDGER=0 skips it there), or standalone: `bash bench/ledger.sh` starts (and stops) its
# own cluster benchledger on port BENCH_LEDGER_PORT (default 55460).
# Environment: BENCH_SECONDS (per pgbench run, default 5), BENCH_ROUNDS (default 7: on a 2-core
# machine one round's ratio of create ranged 0.89-1.26 within one run of 2026-12-08, bench/README).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. "$top/test/pg_env.sh"
export PATH="$bindir:$PATH"
bench=$top/bench
T=${BENCH_SECONDS:-5}
ROUNDS=${BENCH_ROUNDS:-7}
MEMBERS=300
REASSIGN_POOL=20000
DB=bench_ledger
log=$top/build/bench-logs
mkdir -p "$log"

die() { echo "ledger: $*" >&2; echo "ledger: run failed"; exit 1; }

if [ -n "${BENCH_PORT:-}" ]; then
    dir=$(bash test/cluster.sh start bench "$BENCH_PORT") || die "could not reach the bench cluster"
    port=$BENCH_PORT
else
    port=${BENCH_LEDGER_PORT:-55460}
    dir=$(bash test/cluster.sh start benchledger "$port" | tail -1) || die "could not start the benchledger cluster"
    trap 'bash "$top/test/cluster.sh" stop benchledger >/dev/null' EXIT
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
    sleep 0.5
fi
# test/cluster.sh preloads pg_cron with cron.database_name = 'pg_actions': while that database is
# missing, its launcher exits and is started again every second, beside both sides of every run.
q -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'pg_actions'" | grep -q 1 ||
    q -d postgres -c "CREATE DATABASE pg_actions" >/dev/null || die "could not create database pg_actions"
q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1
q -d postgres -c "CREATE DATABASE $DB" >/dev/null || die "could not create database $DB"
q -v members=$MEMBERS -f "$bench/sql/setup.sql" >"$log/setup-$DB.log" 2>&1 \
    || { cat "$log/setup-$DB.log"; die "set-up of $DB failed"; }

read -r WS OWNER MLO MHI < <(q -F ' ' -c "SELECT w.workspace_id, o.person_id,
        min(m.person_id) FILTER (WHERE m.person_id <> o.person_id), max(m.person_id) FILTER (WHERE m.person_id <> o.person_id)
    FROM actions.workspace w JOIN actions.person o ON o.login_role = 'bench_owner'
    JOIN actions.member m ON m.workspace_id = w.workspace_id GROUP BY 1, 2")
[ -n "${MHI:-}" ] || die "no bench workspace"
VARS=(-D ws="$WS" -D owner="$OWNER" -D mlo="$MLO" -D mhi="$MHI")

# The reassign pool, written through the extension; the complete pool (made before the complete
# runs) by bench/sql/bulk_create.sql (the rows create_action writes), large enough for every
# complete run at 1.5 times the best rate so far, never reopened: each run takes the next actions
# of plain.complete_ext.
read -r R_LO R_HI < <(q -U bench_owner -F ' ' -c "SELECT min(id), max(id) FROM (SELECT actions.create_action($WS,
    'bench action', assignee_id => $MLO + (i % $MEMBERS)) AS id FROM generate_series(1, $REASSIGN_POOL) i) s")
[ -n "${R_HI:-}" ] || die "could not create the reassign pool"
q -c "SELECT actions.seal_ledger($WS)" >/dev/null || die "could not seal the workspace"
q -c "VACUUM ANALYZE" >/dev/null && q -c "CHECKPOINT" >/dev/null

declare -A TPS CPU SCPU
HZ=$(getconf CLK_TCK)
# CPU time (ticks) of the server's ended processes: the postmaster collects its children's.
server_cpu() { awk '{ print $16 + $17 }' "/proc/$(head -1 "$dir/data/postmaster.pid")/stat" 2>/dev/null; }
run() {  # key op extra-pgbench-args...
    local key=$1 op=$2
    shift 2
    local out=$log/ledger-$key.out n c0 c1
    sleep 0.1
    c0=$(server_cpu)
    pgbench -n -M prepared -T "${RUN_T:-$T}" -c 2 -j 2 -U bench_owner "${VARS[@]}" "$@" \
        -f "$bench/pgbench/ext_$op.sql" "$DB" >"$out" 2>&1
    if [ $? -ne 0 ] || grep -q aborted "$out"; then
        echo "  $key: FAILED (see ${out#$top/})" >&2
        return 1
    fi
    TPS[$key]=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' "$out")
    n=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$out")
    [ -n "${spid:-}" ] && { kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null; spid=""; }
    sleep 0.2
    c1=$(server_cpu)
    SCPU[$key]=$(awk -v a="$c0" -v b="$c1" -v n="$n" -v hz="$HZ" 'BEGIN { if (n > 0 && b >= a) printf "%.0f", (b - a) * 1000000 / hz / n }')
    # The sealer's CPU time (its backend's, connecting included: the last seal's reading) per
    # transaction of the writers.
    [ -f "$log/ledger-sealer-$key.cpu" ] &&
        CPU[$key]=$(awk -F'|' -v n="$n" '{ s = $2 } END { if (n > 0) printf "%.1f", s / 1000 / n }' "$log/ledger-sealer-$key.cpu")
}
# The sealer: one session sealing every second (psql's \watch 1), as a dedicated sealer would
# run. Not a new psql and connection every second: that costs the 2 cores as much as the seal
# itself (a plain 37 ms query started so, with no ledger, left writers 0.88 of their throughput:
# bench/README), a cost of this script, not of the ledger; the maintenance job starts a backend
# once a minute. Each seal also prints its backend's CPU time so far
# (/proc/self/schedstat, in ns, connecting included) into $1.
sealer() {
    exec psql -X -q -At >>"$1" 2>/dev/null <<<"SELECT actions.seal_ledgers(), split_part(pg_read_file('/proc/self/schedstat'), ' ', 1) \\watch 1"
}
# CREATE INDEX summarizes every block range, the last, partial one too, which a ledger in use never
# has: vacuum and the sealer summarize only full ranges, and an insert into an unsummarized range
# leaves the index alone (into a summarized one, it rewrites the range's summary under an exclusive
# lock on its page). So the index, made again for each run with the ledger, is returned to that
# state: the range the writers append to unsummarized, as after any seal.
ledger_on() {
    q -c "SET client_min_messages = warning" -c "CREATE INDEX IF NOT EXISTS activity_at_idx ON actions.activity USING brin (at)" \
      -c "SELECT pg_catalog.brin_desummarize_range('actions.activity_at_idx',
              pg_catalog.pg_relation_size('actions.activity') / current_setting('block_size')::bigint / 128 * 128)" >/dev/null
}
ledger_off() { q -c "SET client_min_messages = warning" -c "DROP INDEX IF EXISTS actions.activity_at_idx" >/dev/null; }
# Before every run, untimed, as bench/run.sh does: the tables the writers append to or update,
# vacuumed and analyzed. Left to autovacuum, a pass over them (an analyze of the log comes due
# about every other run as it grows) lands inside one side's run and takes its CPU.
settle() {
    q -c "VACUUM ANALYZE actions.action, actions.activity, actions.activity_head, actions.notification,
                         actions.service_level" >/dev/null
}
median() {
    tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk -v f="${2:-%.0f}" '{ v[NR] = $1 }
        END { if (!NR) { printf "ERR"; exit } m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf f, m }'
}
mean() { awk '{ s = 0; n = 0; for (i = 1; i <= NF; i++) if ($i != "") { s += $i; n++ } if (n) printf "%.0f", s / n; else printf "ERR" }' <<<"$*"; }

seals_before=$(q -c "SELECT count(*) FROM actions.ledger_seal WHERE workspace_id = $WS")
echo "== ledger: writes with sealing every second against writes without the ledger (2 clients, ${T}s, $ROUNDS interleaved rounds, load $(cut -d' ' -f1-3 /proc/loadavg))"
echo "   TPS: median of the rounds (each round's in brackets); ratio: median of the rounds' with/without;"
echo "   server CPU per transaction with / without (medians), and the sealer's part of it (mean)"
misses=0
for op in create reassign complete; do
    extra=(); [ $op = reassign ] && extra=(-D ext_lo="$R_LO" -D ext_hi="$R_HI")
    if [ $op = complete ]; then
        best=0
        for k in "${!TPS[@]}"; do best=$(awk -v a="$best" -v b="${TPS[$k]}" 'BEGIN { print (b > a ? b : a) }'); done
        POOL=$(awk -v b="$best" -v t="$T" -v r="$ROUNDS" 'BEGIN { n = int(1.5 * b * (t * 2 * r + 2)); print (n < 20000 ? 20000 : n) }')
        q -c "ALTER TABLE actions.action DISABLE TRIGGER USER" >/dev/null
        read -r C_LO C_HI < <(q -F ' ' -v schema=actions -v n="$POOL" -v ws="$WS" -v owner="$OWNER" -v role=bench_owner \
            -v mlo="$MLO" -v mhi="$MHI" -f "$bench/sql/bulk_create.sql")
        q -c "ALTER TABLE actions.action ENABLE TRIGGER USER" >/dev/null
        [ -n "${C_HI:-}" ] || die "could not create the complete pool"
        q -c "ALTER SEQUENCE plain.complete_ext MINVALUE $C_LO MAXVALUE $C_HI START WITH $C_LO RESTART WITH $C_LO" >/dev/null
        q -c "VACUUM ANALYZE" >/dev/null && q -c "CHECKPOINT" >/dev/null
    fi
    RUN_T=2 run "warm-$op" $op "${extra[@]}"
    for r in $(seq 1 "$ROUNDS"); do
        order="off on"; [ $((r % 2)) -eq 0 ] && order="on off"
        for mode in $order; do
            if [ $mode = on ]; then
                # The ledger catches up with the run without it first (not timed): what a run with
                # the ledger measures is the sealing of its own changes.
                ledger_on; q -c "SELECT actions.seal_ledger($WS)" >/dev/null; settle
                rm -f "$log/ledger-sealer-on-$op-$r.cpu"
                sealer "$log/ledger-sealer-on-$op-$r.cpu" & spid=$!
                run "on-$op-$r" $op "${extra[@]}"   # stops the sealer when pgbench ends
                [ -n "${spid:-}" ] && { kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null; spid=""; }
            else
                ledger_off; settle
                run "off-$op-$r" $op "${extra[@]}"
            fi
        done
    done
    on="" off="" con="" rr="" son="" soff=""
    for r in $(seq 1 "$ROUNDS"); do
        on="$on ${TPS[on-$op-$r]:-}"; off="$off ${TPS[off-$op-$r]:-}"; con="$con ${CPU[on-$op-$r]:-}"
        son="$son ${SCPU[on-$op-$r]:-}"; soff="$soff ${SCPU[off-$op-$r]:-}"
        [ -n "${TPS[on-$op-$r]:-}" ] && [ -n "${TPS[off-$op-$r]:-}" ] &&
            rr="$rr $(awk -v a="${TPS[on-$op-$r]}" -v b="${TPS[off-$op-$r]}" 'BEGIN { if (b > 0) printf "%.4f", a / b }')"
    done
    won=$(median "$on") woff=$(median "$off") rmed=$(median "$rr" "%.4f")
    son=$(median "$son") soff=$(median "$soff")
    cpu=$(awk '{ s = 0; n = 0; for (i = 1; i <= NF; i++) { s += $i; n++ } if (n) printf "%.1f", s / n; else printf "-" }' <<<"$con")
    # TPS of each round in brackets; the sealer's CPU per transaction written (mean of the rounds).
    line=$(awk -v op="$op" -v a="$won" -v b="$woff" -v on="$on" -v off="$off" -v c="$cpu" -v r="$rmed" -v son="$son" -v soff="$soff" 'BEGIN {
        if (a == "ERR" || b == "ERR" || b <= 0 || r == "ERR") { printf "  %-9s with ledger %s, without %s: ratio - (goal >= 0.95) MISS", op, a, b; exit }
        n = split(substr(on, 2), x, " "); o = ""; for (i = 1; i <= n; i++) o = o (i > 1 ? "/" : "") sprintf("%d", x[i])
        n = split(substr(off, 2), y, " "); f = ""; for (i = 1; i <= n; i++) f = f (i > 1 ? "/" : "") sprintf("%d", y[i])
        printf "  %-9s with ledger %6d TPS (%s), without %6d TPS (%s); server CPU %s / %s us a transaction, of which sealer %s: ratio %.2f (goal >= 0.95) %s",
               op, a, o, b, f, son, soff, c, r, (r >= 0.95 ? "PASS" : "MISS") }')
    echo "$line"
    [[ "$line" == *PASS ]] || misses=$((misses + 1))
done
ledger_on
seals=$(q -c "SELECT count(*) FROM actions.ledger_seal WHERE workspace_id = $WS")
echo "  $((seals - seals_before)) seals during the runs"
q -c "DROP INDEX IF EXISTS actions.activity_at_idx" >/dev/null 2>&1; ledger_on
echo "ledger: $misses goal(s) missed"
