#!/usr/bin/env bash
# Access-control benchmark: actions.can() measured inside the server, against the same rule as a
# PL/pgSQL function (bench/sql/can_baseline.sql), and the listing of one member's open actions
# through row-level security.
#
# Workspace (bench/sql/access_setup.sql): 10,000 members, 1,000 groups six levels deep, 1,000,000
# actions. Cases, each one query that calls the check once per row (no client round trip counted):
#   group-scoped  acc_scoped, role {view_actions:groups, complete_any_actions:groups}, in a depth-2
#                 and a depth-3 group; 100,000 consecutive actions, 90% in depth-5/6 groups
#   role-wide     acc_wide, system role 'user'; 100,000 consecutive actions
#   assignee      acc_assignee, system role 'actions_access'; the 20,000 actions assigned to them
# Goals: group-scoped <= 5 us per check, role-wide and assignee <= 2 us, each >= 4x faster than the
# baseline; the RLS listing is an index scan on action_assignee_idx and runs in < 1 ms.
# Then bench/eligibility.sh in the same database (a second workspace of 10,000 members): approver
# eligibility, eligible_approvers <= 50 us per delegation and >= 5x faster than its PL/pgSQL
# baseline, is_eligible_approver <= 5 us; its goals count in the total below.
#
# Run by bench/run.sh on its cluster (BENCH_PORT given, PGHOST etc. exported), or standalone:
# `bash bench/access.sh` starts (and stops) its own cluster benchacc on port 54370.
# Then bench/single_call.sh: can, why_not (<= 50 us) and eligible_approvers (<= 60 us) asked once
# per statement, as an application asks them once per request.
# Environment: BENCH_ACCESS_ROUNDS (timed runs per query, default 3, the best counts),
# BENCH_ACCESS_ACTIONS (default 1000000), BENCH_ELIGIBILITY=0 skips bench/eligibility.sh.
# Last line: "access: N goal(s) missed, ...".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. "$top/test/pg_env.sh"
export PATH="$bindir:$PATH"
bench=$top/bench
ROUNDS=${BENCH_ACCESS_ROUNDS:-3}
ACTIONS=${BENCH_ACCESS_ACTIONS:-1000000}
MEMBERS=10000
DB=bench_access
log=$top/build/bench-logs
mkdir -p "$log"
start_s=$SECONDS

die() { echo "access: $*" >&2; echo "access: run failed"; exit 1; }

if [ -n "${BENCH_PORT:-}" ]; then
    dir=$(bash test/cluster.sh start bench "$BENCH_PORT") || die "could not reach the bench cluster"
    port=$BENCH_PORT
else
    port=54370
    dir=$(bash test/cluster.sh start benchacc "$port") || die "could not start the benchacc cluster"
    trap 'bash "$top/test/cluster.sh" stop benchacc' EXIT
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

# --- set-up -----------------------------------------------------------------------------------
t0=$SECONDS
q -F ' ' -v members=$MEMBERS -v actions="$ACTIONS" -f "$bench/sql/access_setup.sql" >"$log/access-setup.log" 2>&1 \
    || { cat "$log/access-setup.log"; die "set-up failed"; }
read -r WS OWNER SCOPED WIDE ASSIGNEE LISTED < <(tail -n 1 "$log/access-setup.log")
[ -n "${LISTED:-}" ] || { cat "$log/access-setup.log"; die "set-up printed no ids"; }
q -f "$bench/sql/can_baseline.sql" >"$log/access-baseline.log" 2>&1 || { cat "$log/access-baseline.log"; die "baseline failed"; }
load_s=$((SECONDS - t0))
t0=$SECONDS
q -c "VACUUM ANALYZE" >/dev/null && q -c "CHECKPOINT" >/dev/null || die "vacuum failed"
vac_s=$((SECONDS - t0))

echo "== access control: actions.can() and row-level security (database $DB)"
echo "server:    $(q -c 'SELECT version()' | cut -d, -f1), shared_buffers=$(q -c 'SHOW shared_buffers'), nproc=$(nproc)"
lib=$pkglibdir/pg_actions.so
echo "extension: $lib of $(date -u -r "$lib" '+%F %T UTC')"
q -F ' ' -c "SELECT (SELECT count(*) FROM actions.member WHERE workspace_id = $WS),
        (SELECT count(*) FROM actions.group WHERE workspace_id = $WS),
        (SELECT max(cardinality(path)) FROM actions.group WHERE workspace_id = $WS),
        (SELECT count(*) FROM actions.group_member WHERE workspace_id = $WS),
        (SELECT count(*) FROM actions.action WHERE workspace_id = $WS),
        (SELECT count(*) FROM actions.action WHERE workspace_id = $WS AND status IN ('to_do', 'in_progress', 'overdue'))" |
    { read -r m g d gm a o; echo "workspace: $m members, $g groups (depth up to $d), $gm group memberships, $a actions ($o open)"; }
echo "set-up:    ${load_s}s load (persons, members, groups via create_group, 1M actions bulk-inserted with"
echo "           the triggers on actions.action off), ${vac_s}s VACUUM ANALYZE + CHECKPOINT"
q -F ' ' -c "SELECT string_agg(g.depth || ':' || g.n, ' ' ORDER BY g.depth) FROM (
        SELECT cardinality(gr.path) AS depth, count(*) AS n FROM plain.sample s
          JOIN actions.action a ON a.action_id = s.action_id JOIN actions.group gr ON gr.group_id = a.group_ids[1]
         WHERE s.kind = 'scoped' GROUP BY 1) g" |
    { read -r dist; echo "group-scoped sample: actions by depth of their group (depth:count) $dist;"; }
q -c "SELECT string_agg(gr.name || ' (depth ' || cardinality(gr.path) || ')', ', ') FROM actions.group_member gm
        JOIN actions.group gr ON gr.workspace_id = gm.workspace_id AND gr.group_id = gm.group_id
       WHERE gm.workspace_id = $WS AND gm.person_id = $SCOPED" |
    { read -r gs; echo "           acc_scoped is in $gs: an in-scope action is 2-4 levels below, an out-of-scope one walks to the root"; }

# --- measuring --------------------------------------------------------------------------------
# One session per case: a warm-up pass (prints the allowed count), then ROUNDS interleaved rounds
# of EXPLAIN (ANALYZE, TIMING OFF) of the extension, the baseline and the empty loop. The figure is
# the server's Execution Time of the best round, divided by the rows.
declare -A US ALLOWED NROWS RAW
measure() {  # case role actor
    local kind=$1 role=$2 actor=$3
    local src="FROM plain.sample s WHERE s.kind = '$kind'"
    local ext="SELECT count(*) FILTER (WHERE actions.can('complete', s.action_id)) $src"
    local base="SELECT count(*) FILTER (WHERE plain.can_complete($actor, s.action_id)) $src"
    local empty="SELECT count(*) FILTER (WHERE s.action_id > 0) $src"
    local script out
    script="\\echo @warm
$ext;
$base;
$empty;"
    for r in $(seq 1 "$ROUNDS"); do
        for v in ext base empty; do
            script="$script
\\echo @$v
EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) ${!v};"
        done
    done
    out=$(q -U "$role" <<<"$script" 2>&1) || { echo "$out" >&2; die "measuring $kind as $role failed"; }
    echo "$out" >"$log/access-$kind.out"
    read -r ALLOWED[$kind] _ NROWS[$kind] < <(awk '/^@warm/ { getline a; getline b; getline c; print a, b, c }' <<<"$out")
    [ "$(awk '/^@warm/ { getline a; getline b; print (a == b) }' <<<"$out")" = 1 ] ||
        echo "  $kind: the extension and the baseline allowed different counts (see ${log#$top/}/access-$kind.out)" >&2
    for v in ext base empty; do
        RAW[$kind-$v]=$(awk -v tag="@$v" '$0 == tag { on = 1; next } /^@/ { on = 0 }
            on && /Execution Time/ { sub(/.*Execution Time: /, ""); sub(/ ms/, ""); printf "%s ", $0 }' <<<"$out")
        US[$kind-$v]=$(awk -v n="${NROWS[$kind]}" '{ b = $1; for (i = 2; i <= NF; i++) if ($i < b) b = $i;
            if (NF && n > 0) printf "%.3f", b * 1000 / n }' <<<"${RAW[$kind-$v]}")
    done
}

echo
echo "== measuring ($ROUNDS rounds per query, best counts; logs in ${log#$top/}/access-*.out)"
measure scoped acc_scoped "$SCOPED"
measure wide acc_wide "$WIDE"
measure assignee acc_assignee "$ASSIGNEE"
for k in scoped wide assignee; do
    printf '  %-9s %6s rows, ext %s ms, baseline %s ms, empty %s ms\n' "$k" "${NROWS[$k]}" \
        "${RAW[$k-ext]% }" "${RAW[$k-base]% }" "${RAW[$k-empty]% }"
done

# --- agreement --------------------------------------------------------------------------------
# As each member: 20,000 of the case's actions, and 20,000 spread over the whole table (every
# status, every depth) plus two ids that do not exist.
declare -A DIS
agree() {  # case role actor
    DIS[$1]=$(q -U "$2" -F ' ' -c "SELECT count(*) FILTER (WHERE actions.can('complete', s.action_id)
                IS DISTINCT FROM plain.can_complete($3, s.action_id)), count(*),
                count(*) FILTER (WHERE actions.can('complete', s.action_id))
            FROM (SELECT action_id FROM plain.sample WHERE kind = '$1' ORDER BY action_id LIMIT 20000) s" 2>&1)
    DIS[$1-spread]=$(q -U "$2" -F ' ' -c "SELECT count(*) FILTER (WHERE actions.can('complete', s.action_id)
                IS DISTINCT FROM plain.can_complete($3, s.action_id)), count(*),
                count(*) FILTER (WHERE actions.can('complete', s.action_id))
            FROM plain.sample s WHERE s.kind = 'spread'" 2>&1)
}
agree scoped acc_scoped "$SCOPED"
agree wide acc_wide "$WIDE"
agree assignee acc_assignee "$ASSIGNEE"

# --- RLS listing ------------------------------------------------------------------------------
declare -A LIST_MS LIST_OK LIST_N
listing() {  # role person
    local sql="EXPLAIN (ANALYZE, COSTS OFF) SELECT action_id, title, due_at FROM actions.action
        WHERE workspace_id = $WS AND assignee_id = $2 AND status IN ('to_do', 'in_progress', 'overdue')"
    local out best
    out=$(q -U "$1" <<<"\\echo @run
$sql;
\\echo @run
$sql;
\\echo @run
$sql;" 2>&1) || { echo "$out" >&2; die "listing as $1 failed"; }
    echo "$out" >"$log/access-listing-$1.out"
    best=$(awk '/Execution Time/ { sub(/.*Execution Time: /, ""); sub(/ ms/, ""); if (b == "" || $0 < b) b = $0 } END { print b }' <<<"$out")
    LIST_MS[$1]=$best
    LIST_N[$1]=$(q -c "SELECT count(*) FROM actions.action WHERE workspace_id = $WS AND assignee_id = $2
                        AND status IN ('to_do', 'in_progress', 'overdue')")
    # The plan of the best run.
    echo "  as $1 (person $2, ${LIST_N[$1]} open actions assigned), plan of the best of 3 runs:"
    awk -v best="$best" '/^@run/ { if (keep) exit; n++; plan = ""; next }
        { plan = plan "    " $0 "\n" } /Execution Time/ { t = $0; sub(/.*Execution Time: /, "", t); sub(/ ms/, "", t);
          if (t == best) { printf "%s", plan; keep = 1 } }' <<<"$out"
    if grep -Eq '(Index Scan|Bitmap Index Scan|Index Only Scan) (using|on) action_assignee_idx' <<<"$out"; then LIST_OK[$1]=1; else LIST_OK[$1]=0; fi
}
echo
echo "== listing one member's open actions through row-level security"
listing acc_wide "$WIDE"
listing acc_listed "$LISTED"

# --- results ----------------------------------------------------------------------------------
misses=0
le() { awk -v v="$1" -v g="$2" 'BEGIN { if (v == "") print "ERR "; else print (v <= g ? "PASS" : "MISS") }'; }
ge() { awk -v v="$1" -v g="$2" 'BEGIN { if (v == "") print "ERR "; else print (v >= g ? "PASS" : "MISS") }'; }
echo
echo "== results: microseconds per check inside the server (Execution Time of the best of $ROUNDS / rows)"
printf '%-13s %7s %8s %9s %10s %8s   %-20s %-18s\n' case checks allowed "ext us" "baseline" "empty" "ext goal" "baseline/ext >= 4"
for k in scoped wide assignee; do
    case $k in scoped) name=group-scoped goal=5 ;; wide) name=role-wide goal=2 ;; assignee) name=assignee goal=2 ;; esac
    e=${US[$k-ext]:-} b=${US[$k-base]:-}
    r=$( [ -n "$e" ] && [ -n "$b" ] && awk -v a="$b" -v b="$e" 'BEGIN { if (b > 0) printf "%.2f", a / b }')
    v1=$(le "$e" $goal); v2=$(ge "$r" 4)
    [ "$v1" = PASS ] || misses=$((misses + 1)); [ "$v2" = PASS ] || misses=$((misses + 1))
    printf '%-13s %7s %8s %9s %10s %8s   %-20s %-18s\n' "$name" "${NROWS[$k]:-?}" "${ALLOWED[$k]:-?}" "${e:-ERR}" "${b:-ERR}" \
        "${US[$k-empty]:-ERR}" "$v1 (<= $goal us)" "$v2 (${r:-ERR}x)"
done
echo "  ext: SELECT count(*) FILTER (WHERE actions.can('complete', s.action_id)) FROM plain.sample s WHERE s.kind = <case>"
echo "  baseline: the same with plain.can_complete(<actor>, s.action_id); empty: the same with s.action_id > 0"
echo "  (the empty loop's cost is included in both, not subtracted; it is what the query costs without any check)"
echo
echo "== agreement of actions.can('complete', id) and plain.can_complete(actor, id)"
bad=0
for k in scoped wide assignee; do
    for s in "$k" "$k-spread"; do
        read -r d n a <<<"${DIS[$s]}"
        [[ "$d" =~ ^[0-9]+$ ]] || { d="ERR"; }
        [ "$d" = 0 ] || bad=$((bad + 1))
        label="its case's actions"; [ "$s" != "$k" ] && label="actions spread over the table, every status, 2 missing ids"
        printf '  %-9s %6s checked (%s), %6s allowed: %s disagreement(s)\n' "$k" "${n:-?}" "$label" "${a:-?}" "$d"
    done
done
[ $bad -eq 0 ] || misses=$((misses + 1))
echo
echo "== listing through RLS: index scan on action_assignee_idx and < 1 ms"
for r in acc_wide acc_listed; do
    v=$(awk -v t="${LIST_MS[$r]:-}" -v ok="${LIST_OK[$r]:-0}" 'BEGIN { print (t != "" && ok == 1 && t < 1.0 ? "PASS" : "MISS") }')
    [ "$v" = PASS ] || misses=$((misses + 1))
    printf '  %-10s %4s rows, best %s ms, index scan on action_assignee_idx: %s   %s\n' "$r" "${LIST_N[$r]:-?}" "${LIST_MS[$r]:-ERR}" \
        "$([ "${LIST_OK[$r]:-0}" = 1 ] && echo yes || echo no)" "$v"
done

# --- approver eligibility ---------------------------------------------------------------------
# bench/eligibility.sh: its own workspace in this database, set up now that the measurements above
# are done. Its goals (and a failed run, as one) count in this script's total.
if [ "${BENCH_ELIGIBILITY:-1}" != 0 ]; then
    echo
    bash "$bench/eligibility.sh" 2>&1 | tee "$log/eligibility.out"
    elig_misses=$(sed -n 's/^eligibility: \([0-9]*\) goal(s) missed.*/\1/p' "$log/eligibility.out")
    if [ -n "$elig_misses" ]; then misses=$((misses + elig_misses)); else misses=$((misses + 1)); fi
fi

# --- single calls -----------------------------------------------------------------------------
# bench/single_call.sh: can, why_not and eligible_approvers asked once per statement, on both
# workspaces (so after eligibility). Its goals count in this script's total.
if [ "${BENCH_ELIGIBILITY:-1}" != 0 ]; then
    echo
    bash "$bench/single_call.sh" 2>&1 | tee "$log/single.out"
    single_misses=$(sed -n 's/^single calls: \([0-9]*\) goal(s) missed.*/\1/p' "$log/single.out")
    if [ -n "$single_misses" ]; then misses=$((misses + single_misses)); else misses=$((misses + 1)); fi
fi

echo
echo "access: $misses goal(s) missed (eligibility and single calls included), $((SECONDS - start_s))s"
exit 0
