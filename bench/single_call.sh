#!/usr/bin/env bash
# Single calls: what an application pays when it asks a question once per request, in a statement
# of its own that is not the first of its session. Run by bench/access.sh after bench/eligibility.sh,
# in the same database (PGHOST, PGPORT, PGUSER, PGDATABASE exported by it); it needs both
# workspaces (access_setup.sql's acc_wide and acc_scoped, eligibility_setup.sql's elig_asker).
#
# For each question, one session of the asker: one warm-up statement, then BENCH_SINGLE_CALLS
# (default 200) statements `EXPLAIN (ANALYZE, TIMING OFF) SELECT <question>` over as many different
# actions or delegations, each a statement of its own (so nothing the previous statement read is
# remembered). The figure is the server's Execution Time of each statement: the median and the
# 90th percentile. The same for the PL/pgSQL baseline of the rule (bench/sql/can_baseline.sql,
# eligibility_baseline.sql), for information.
# Goals: can and why_not <= 50 us, eligible_approvers <= 60 us (medians; what it reads of roles,
# members and groups is kept across statements, boundary/kept_memo.hpp).
# Last line: "single calls: N goal(s) missed, ...".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
log=$top/build/bench-logs
mkdir -p "$log"
CALLS=${BENCH_SINGLE_CALLS:-200}
start_s=$SECONDS

die() { echo "single calls: $*" >&2; echo "single calls: run failed"; exit 1; }
[ -n "${PGHOST:-}" ] && [ -n "${PGDATABASE:-}" ] || die "run by bench/access.sh (bash bench/access.sh)"
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

# ids: the first CALLS sampled actions of a case, the first CALLS delegations
ids() { q -c "SELECT action_id FROM plain.sample WHERE kind = '$1' ORDER BY action_id LIMIT $CALLS"; }
delegations() { q -c "SELECT record_id FROM plain.elig_delegation ORDER BY record_id LIMIT $CALLS"; }
actor_of() { q -c "SELECT p.person_id FROM actions.person p WHERE p.login_role = '$1'"; }

# median and p90 (microseconds) of the Execution Times after the @go marker
measure() {  # name role template(with %s for the id) ids...
    local name=$1 role=$2 template=$3 script="" out
    shift 3
    script="$(printf "$template" "$1");
\\echo @go"
    for id in "$@"; do
        script="$script
EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) $(printf "$template" "$id");"
    done
    out=$(q -U "$role" <<<"$script" 2>&1) || { echo "$out" | head -5 >&2; die "measuring $name failed"; }
    echo "$out" >"$log/single-$name.out"
    awk '/^@go/ { on = 1; next } on && /Execution Time/ { sub(/.*Execution Time: /, ""); sub(/ ms/, ""); print $0 * 1000 }' \
        <<<"$out" | sort -n | awk '{ v[NR] = $1 } END { if (NR) printf "%.1f %.1f %d", v[int((NR + 1) / 2)], v[int(NR * 0.9 + 0.5)], NR }'
}

declare -A MED P90 N
run() {  # key role template ids...
    local key=$1
    shift
    read -r MED[$key] P90[$key] N[$key] < <(measure "$key" "$@")
}

wide_ids=($(ids wide)); scoped_ids=($(ids scoped)); dels=($(delegations))
[ ${#wide_ids[@]} -gt 0 ] && [ ${#scoped_ids[@]} -gt 0 ] && [ ${#dels[@]} -gt 0 ] || die "the access and eligibility set-ups are missing"
wide_actor=$(actor_of acc_wide); scoped_actor=$(actor_of acc_scoped)

run can-wide acc_wide "SELECT actions.can('complete', %s)" "${wide_ids[@]}"
run can-wide-base acc_wide "SELECT plain.can_complete($wide_actor, %s)" "${wide_ids[@]}"
run can-scoped acc_scoped "SELECT actions.can('complete', %s)" "${scoped_ids[@]}"
run can-scoped-base acc_scoped "SELECT plain.can_complete($scoped_actor, %s)" "${scoped_ids[@]}"
run why-wide acc_wide "SELECT actions.why_not('complete', %s)" "${wide_ids[@]}"
run why-scoped acc_scoped "SELECT actions.why_not('complete', %s)" "${scoped_ids[@]}"
run pool elig_asker "SELECT actions.eligible_approvers(%s)" "${dels[@]}"
run pool-base elig_asker "SELECT plain.eligible_approvers(%s)" "${dels[@]}"

misses=0
echo "== single calls, one statement each (not the first of the session): Execution Time in us"
printf '%-34s %6s %8s %8s %10s   %s\n' question calls median p90 "baseline" goal
row() {  # label key base-key goal
    local v base=""
    v=$(awk -v m="${MED[$2]:-}" -v g="$4" 'BEGIN { if (m == "") print "ERR"; else print (m <= g ? "PASS" : "MISS") }')
    [ "$v" = PASS ] || misses=$((misses + 1))
    [ -n "$3" ] && base="${MED[$3]:-ERR}"
    printf '%-34s %6s %8s %8s %10s   %s\n' "$1" "${N[$2]:-?}" "${MED[$2]:-ERR}" "${P90[$2]:-ERR}" "${base:--}" "$v (median <= $4 us)"
}
row "can('complete'), role-wide" can-wide can-wide-base 50
row "can('complete'), group-scoped" can-scoped can-scoped-base 50
row "why_not('complete'), role-wide" why-wide "" 50
row "why_not('complete'), group-scoped" why-scoped "" 50
row "eligible_approvers(delegation)" pool pool-base 60
echo "  askers: acc_wide and acc_scoped (bench/access.sh), elig_asker (bench/eligibility.sh); baseline: the"
echo "  PL/pgSQL rule of the same case (its median, for information); logs in ${log#$top/}/single-*.out"
echo
echo "single calls: $misses goal(s) missed, $((SECONDS - start_s))s"
exit 0
