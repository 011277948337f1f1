#!/usr/bin/env bash
# Approver-eligibility benchmark: actions.eligible_approvers() and actions.is_eligible_approver()
# measured inside the server, against the same rule as PL/pgSQL with index probes
# (bench/sql/eligibility_baseline.sql).
#
# Run by bench/access.sh, on its cluster and in its database, after its own measurements (PGHOST,
# PGPORT, PGUSER, PGDATABASE exported by it): `bash bench/access.sh` runs both;
# BENCH_ELIGIBILITY=0 skips this part.
#
# Workspace (bench/sql/eligibility_setup.sql): a second workspace of 10,000 members (the people of
# access_setup.sql), 1,000 groups six levels deep, ~300 group-scoped approvers (custom role
# {view_actions,approve_delegations:groups}) at every depth, 16 role-wide ones (owner, managers,
# chiefs with approve_delegations:all) plus removed and invited ones, 1,000 delegations in groups at
# depth 4-6, half of them with an issuer who would otherwise be eligible. Questions asked by
# elig_asker (role 'user'), one query calling the function once per row:
#   eligible_approvers    SELECT sum(cardinality(actions.eligible_approvers(d))) over the 1,000
#   is_eligible_approver  SELECT count(*) FILTER (WHERE actions.is_eligible_approver(p, d)) over
#                         ~20,000 pairs, about half of them eligible (bench/sql/eligibility_pairs.sql)
# Goals: eligible_approvers <= 50 us per delegation and >= 5x faster than the baseline;
# is_eligible_approver <= 5 us per check; the extension and the baseline agree everywhere.
# Environment: BENCH_ACCESS_ROUNDS (timed runs per query, default 3, the best counts),
# BENCH_ELIGIBILITY_DELEGATIONS (default 1000). Last line: "eligibility: N goal(s) missed, ...".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. "$top/test/pg_env.sh"
export PATH="$bindir:$PATH"
bench=$top/bench
ROUNDS=${BENCH_ACCESS_ROUNDS:-3}
DELEGATIONS=${BENCH_ELIGIBILITY_DELEGATIONS:-1000}
MEMBERS=10000
log=$top/build/bench-logs
mkdir -p "$log"
start_s=$SECONDS

die() { echo "eligibility: $*" >&2; echo "eligibility: run failed"; exit 1; }
[ -n "${PGHOST:-}" ] && [ -n "${PGDATABASE:-}" ] || die "run by bench/access.sh (bash bench/access.sh)"

q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

# --- set-up -----------------------------------------------------------------------------------
t0=$SECONDS
q -F ' ' -v members=$MEMBERS -v delegations="$DELEGATIONS" -f "$bench/sql/eligibility_setup.sql" \
    >"$log/eligibility-setup.log" 2>&1 || { cat "$log/eligibility-setup.log"; die "set-up failed"; }
read -r WS OWNER ASKER < <(tail -n 1 "$log/eligibility-setup.log")
[ -n "${ASKER:-}" ] || { cat "$log/eligibility-setup.log"; die "set-up printed no ids"; }
q -f "$bench/sql/eligibility_baseline.sql" >"$log/eligibility-baseline.log" 2>&1 ||
    { cat "$log/eligibility-baseline.log"; die "baseline failed"; }
q -v ws="$WS" -f "$bench/sql/eligibility_pairs.sql" >"$log/eligibility-pairs.log" 2>&1 ||
    { cat "$log/eligibility-pairs.log"; die "building the pairs failed"; }
load_s=$((SECONDS - t0))
t0=$SECONDS
q -c "VACUUM ANALYZE actions.person, actions.member, actions.role, actions.group, actions.group_member,
        actions.record, actions.record_party, plain.elig_delegation, plain.elig_pair" >/dev/null || die "vacuum failed"
vac_s=$((SECONDS - t0))

echo "== approver eligibility: actions.eligible_approvers() and is_eligible_approver() (database $PGDATABASE)"
q -F ' ' -c "SELECT count(*), count(*) FILTER (WHERE state = 'active'), count(*) FILTER (WHERE state = 'invited'),
        count(*) FILTER (WHERE state = 'removed') FROM actions.member WHERE workspace_id = $WS" |
    { read -r m a i r; echo "workspace: 'eligibility bench' ($WS), $m members ($a active, $i invited, $r removed),"; }
q -F ' ' -c "SELECT (SELECT count(*) FROM actions.group WHERE workspace_id = $WS),
        (SELECT max(cardinality(path)) FROM actions.group WHERE workspace_id = $WS),
        (SELECT count(*) FROM actions.group_member WHERE workspace_id = $WS)" |
    { read -r g d gm; echo "           $g groups (depth up to $d), $gm group memberships"; }
q -c "SELECT string_agg(x, ', ' ORDER BY x) FROM (
        SELECT format('%s %s (%s, %s active)', count(*), r.name,
                      (SELECT string_agg(p, ',') FROM unnest(r.permissions) p WHERE p LIKE 'approve_delegations%'),
                      count(*) FILTER (WHERE m.state = 'active')) AS x
          FROM actions.member m JOIN actions.role r ON r.workspace_id = m.workspace_id AND r.role_id = m.role_id
         WHERE m.workspace_id = $WS AND (r.permissions && '{approve_delegations,approve_delegations:all,approve_delegations:groups}')
         GROUP BY r.name, r.permissions) s" |
    { read -r roles; echo "approvers: $roles"; }
q -c "SELECT string_agg(format('depth %s: %s', depth, n), ', ' ORDER BY depth) FROM (
        SELECT cardinality(g.path) AS depth, count(DISTINCT gm.person_id) AS n
          FROM actions.group_member gm
          JOIN actions.member m ON m.workspace_id = gm.workspace_id AND m.person_id = gm.person_id
          JOIN actions.role r ON r.workspace_id = m.workspace_id AND r.role_id = m.role_id AND r.name = 'approver'
          JOIN actions.group g ON g.workspace_id = gm.workspace_id AND g.group_id = gm.group_id
         WHERE gm.workspace_id = $WS GROUP BY 1) s" |
    { read -r ad; echo "           group-scoped approvers by depth of their groups: $ad"; }
q -F ' ' -c "SELECT count(*), count(*) FILTER (WHERE cardinality(group_ids) = 2),
        (SELECT string_agg(format('%s:%s', depth, n), ',' ORDER BY depth) FROM (
            SELECT cardinality(g.path) AS depth, count(*) AS n FROM actions.record r2, unnest(r2.group_ids) x(id)
              JOIN actions.group g ON g.workspace_id = $WS AND g.group_id = x.id
             WHERE r2.workspace_id = $WS AND r2.kind = 'delegation' GROUP BY 1) s),
        (SELECT count(*) FROM actions.record_party WHERE workspace_id = $WS AND capacity = 'issuer')
      FROM actions.record WHERE workspace_id = $WS AND kind = 'delegation'" |
    { read -r n two dist iss; echo "delegations: $n ($two in two groups; their groups by depth, depth:count, ${dist//,/ }), $iss issuers"; }
echo "set-up:    ${load_s}s load (groups and custom roles through the API, the rest bulk-inserted, baseline,"
echo "           pairs), ${vac_s}s VACUUM ANALYZE"

# --- measuring --------------------------------------------------------------------------------
# As elig_asker, one session per function: a warm-up pass (prints the extension's and the
# baseline's sums, and the rows), then ROUNDS interleaved rounds of EXPLAIN (ANALYZE, TIMING OFF) of
# the extension, the baseline and the empty loop. The figure is the server's Execution Time of the
# best round, divided by the rows.
declare -A US WARM NROWS RAW
measure() {  # case ext base empty count-expression
    local kind=$1 ext=$2 base=$3 empty=$4 script out
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
    out=$(q -U elig_asker <<<"$script" 2>&1) || { echo "$out" >&2; die "measuring $kind failed"; }
    echo "$out" >"$log/eligibility-$kind.out"
    read -r WARM[$kind-ext] WARM[$kind-base] NROWS[$kind] < <(awk '/^@warm/ { getline a; getline b; getline c; print a, b, c }' <<<"$out")
    for v in ext base empty; do
        RAW[$kind-$v]=$(awk -v tag="@$v" '$0 == tag { on = 1; next } /^@/ { on = 0 }
            on && /Execution Time/ { sub(/.*Execution Time: /, ""); sub(/ ms/, ""); printf "%s ", $0 }' <<<"$out")
        US[$kind-$v]=$(awk -v n="${NROWS[$kind]}" '{ b = $1; for (i = 2; i <= NF; i++) if ($i < b) b = $i;
            if (NF && n > 0) printf "%.3f", b * 1000 / n }' <<<"${RAW[$kind-$v]}")
    done
}

echo
echo "== measuring ($ROUNDS rounds per query, best counts; logs in ${log#$top/}/eligibility-*.out)"
measure pool \
    "SELECT sum(cardinality(actions.eligible_approvers(s.record_id))) FROM plain.elig_delegation s" \
    "SELECT sum(cardinality(plain.eligible_approvers(s.record_id))) FROM plain.elig_delegation s" \
    "SELECT count(*) FROM plain.elig_delegation s"
measure check \
    "SELECT count(*) FILTER (WHERE actions.is_eligible_approver(s.person_id, s.record_id)) FROM plain.elig_pair s" \
    "SELECT count(*) FILTER (WHERE plain.is_eligible_approver(s.person_id, s.record_id)) FROM plain.elig_pair s" \
    "SELECT count(*) FROM plain.elig_pair s"
for k in pool check; do
    printf '  %-6s %6s rows, ext %s ms, baseline %s ms, empty %s ms\n' "$k" "${NROWS[$k]}" \
        "${RAW[$k-ext]% }" "${RAW[$k-base]% }" "${RAW[$k-empty]% }"
done

# --- agreement --------------------------------------------------------------------------------
# Every delegation's array, every pair's boolean; and a few delegations' pools against a set-based
# reading of the rule in one SQL statement, so the baseline is not checked only against itself.
AGREE_POOL=$(q -U elig_asker -F ' ' -c "SELECT count(*) FILTER (WHERE e IS DISTINCT FROM b), count(*),
        round(avg(cardinality(e)), 1), min(cardinality(e)), max(cardinality(e))
      FROM (SELECT actions.eligible_approvers(s.record_id) AS e, plain.eligible_approvers(s.record_id) AS b
              FROM plain.elig_delegation s) x" 2>&1)
AGREE_PAIR=$(q -U elig_asker -F ' ' -c "SELECT count(*) FILTER (WHERE e IS DISTINCT FROM b), count(*), count(*) FILTER (WHERE e)
      FROM (SELECT actions.is_eligible_approver(s.person_id, s.record_id) AS e,
                   plain.is_eligible_approver(s.person_id, s.record_id) AS b FROM plain.elig_pair s) x" 2>&1)
AGREE_SET=$(q -F ' ' -c "SELECT count(*) FILTER (WHERE b IS DISTINCT FROM t), count(*) FROM (
        SELECT plain.eligible_approvers(d.record_id) AS b,
               (SELECT coalesce(array_agg(m.person_id ORDER BY m.person_id), '{}')
                  FROM actions.member m JOIN actions.role ro ON ro.workspace_id = m.workspace_id AND ro.role_id = m.role_id
                 WHERE m.workspace_id = r.workspace_id AND m.state = 'active'
                   AND NOT EXISTS (SELECT 1 FROM actions.record_party rp WHERE rp.workspace_id = r.workspace_id
                                      AND rp.record_id = r.record_id AND rp.capacity = 'issuer' AND rp.person_id = m.person_id)
                   AND (ro.permissions && '{approve_delegations,approve_delegations:all}'
                        OR ('approve_delegations:groups' = ANY (ro.permissions) AND EXISTS (
                              SELECT 1 FROM actions.group_member gm JOIN actions.group g
                                ON g.workspace_id = gm.workspace_id AND g.group_id = ANY (r.group_ids) AND gm.group_id = ANY (g.path)
                               WHERE gm.workspace_id = m.workspace_id AND gm.person_id = m.person_id)))) AS t
          FROM plain.elig_delegation d JOIN actions.record r ON r.record_id = d.record_id
         WHERE d.record_id % 10 = 0) x" 2>&1)

# --- results ----------------------------------------------------------------------------------
misses=0
le() { awk -v v="$1" -v g="$2" 'BEGIN { if (v == "") print "ERR "; else print (v <= g ? "PASS" : "MISS") }'; }
ge() { awk -v v="$1" -v g="$2" 'BEGIN { if (v == "") print "ERR "; else print (v >= g ? "PASS" : "MISS") }'; }
ratio() { [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b }'; }
echo
echo "== results: microseconds per call inside the server (Execution Time of the best of $ROUNDS / rows)"
printf '%-21s %6s %9s %9s %10s %8s %8s   %s\n' function calls "ext sum" "ext us" baseline empty ratio goals
read -r pd pn pavg pmin pmax <<<"$AGREE_POOL"
e=${US[pool-ext]:-} b=${US[pool-base]:-} r=$(ratio "${US[pool-base]:-}" "${US[pool-ext]:-}")
v1=$(le "$e" 50); v2=$(ge "$r" 5)
[ "$v1" = PASS ] || misses=$((misses + 1)); [ "$v2" = PASS ] || misses=$((misses + 1))
printf '%-21s %6s %9s %9s %10s %8s %7sx   %s\n' eligible_approvers "${NROWS[pool]:-?}" "${WARM[pool-ext]:-?}" "${e:-ERR}" "${b:-ERR}" \
    "${US[pool-empty]:-ERR}" "${r:-ERR}" "$v1 (<= 50 us), $v2 (baseline/ext >= 5x)"
e=${US[check-ext]:-} b=${US[check-base]:-} r=$(ratio "${US[check-base]:-}" "${US[check-ext]:-}")
v3=$(le "$e" 5)
[ "$v3" = PASS ] || misses=$((misses + 1))
printf '%-21s %6s %9s %9s %10s %8s %7sx   %s\n' is_eligible_approver "${NROWS[check]:-?}" "${WARM[check-ext]:-?}" "${e:-ERR}" "${b:-ERR}" \
    "${US[check-empty]:-ERR}" "${r:-ERR}" "$v3 (<= 5 us; the ratio is for information)"
echo "  eligible_approvers: SELECT sum(cardinality(actions.eligible_approvers(s.record_id))) FROM plain.elig_delegation s"
echo "    (ext sum: eligible approvers over all delegations; on average ${pavg:-?} per delegation, min ${pmin:-?}, max ${pmax:-?})"
echo "  is_eligible_approver: SELECT count(*) FILTER (WHERE actions.is_eligible_approver(s.person_id, s.record_id)) FROM plain.elig_pair s"
echo "    (ext sum: the pairs answered true)"
echo "  baseline: the same with plain.eligible_approvers / plain.is_eligible_approver; empty: SELECT count(*) over the same rows"
echo "  (the empty loop's cost is included in both, not subtracted)"
echo
echo "== agreement of the extension and the baseline"
bad=0
[[ "$pd" =~ ^[0-9]+$ ]] || { echo "  $AGREE_POOL" | head -3; pd=ERR; }
[ "$pd" = 0 ] || bad=$((bad + 1))
printf '  eligible_approvers    %6s delegations, arrays compared: %s disagreement(s)\n' "${pn:-?}" "$pd"
read -r cd cn ct <<<"$AGREE_PAIR"
[[ "$cd" =~ ^[0-9]+$ ]] || { echo "  $AGREE_PAIR" | head -3; cd=ERR; }
[ "$cd" = 0 ] || bad=$((bad + 1))
printf '  is_eligible_approver  %6s pairs (%s eligible): %s disagreement(s)\n' "${cn:-?}" "${ct:-?}" "$cd"
read -r sd sn <<<"$AGREE_SET"
[[ "$sd" =~ ^[0-9]+$ ]] || { echo "  $AGREE_SET" | head -3; sd=ERR; }
[ "$sd" = 0 ] || bad=$((bad + 1))
printf '  baseline vs one set-based SQL statement of the rule, %s delegations: %s disagreement(s)\n' "${sn:-?}" "$sd"
[ $bad -eq 0 ] || misses=$((misses + 1))
echo
echo "eligibility: $misses goal(s) missed, $((SECONDS - start_s))s"
exit 0
