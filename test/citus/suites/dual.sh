#!/usr/bin/env bash
# Citus suite `dual`: the same answers on one node and through the coordinator. Plays
# test/citus/dual.sql on a fresh single-node database (a private cluster on port CITUS_PORT + 3) and
# through the coordinator the runner points PGHOST/PGPORT at (its tables distributed), normalises
# what differs by design (ids of 5 digits or more: each worker allocates ids from its own range)
# and diffs. Prints TAP.
# The script calls every public function: every function of schema actions that PUBLIC may EXECUTE
# (aclexplode of its ACL, grantee 0), except the functions row-level security policies call
# (pg_depend from pg_policy), trigger and event-trigger functions, actions.forward and actions.workspace_of_ids (the routing
# itself: suite routing). A function counts as called when `actions.NAME(` appears in
# test/citus/dual.sql or a file it includes (test/citus/dual*.sql); overloads count once per name.
# A call commented out with `-- DIFFERS:` (a different answer, or a failure, through the coordinator) still
# counts, so the lead sees which remain; the check names them in a `#` line.
# The administration functions the superuser runs (verify_log, seal_ledger, ...) are called too,
# where they make sense on a cluster, but are not counted.
set -uo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
. "$top/test/pg_env.sh"
export PATH="$bindir:$PATH"
base=${CITUS_PORT:-55480}
out=$top/build/test-logs/citus/dual
mkdir -p "$out"
echo "1..5"

normalise() { sed -E 's/\b[0-9]{5,}\b/<id>/g' "$1"; }

# The single node: its own cluster of the same PostgreSQL, without Citus.
single_port=$((base + 3))
if dir=$(bash "$top/test/cluster.sh" start citus-single "$single_port" 2>"$out/single-cluster.log" | tail -1) \
   && PGHOST=$dir PGPORT=$single_port PGDATABASE=postgres psql -X -q -c 'DROP DATABASE IF EXISTS dual' -c 'CREATE DATABASE dual' \
   && PGHOST=$dir PGPORT=$single_port PGDATABASE=dual psql -X -q -c 'CREATE EXTENSION pg_actions'; then
    (cd "$top/test/citus" && PGHOST=$dir PGPORT=$single_port PGDATABASE=dual psql -X -q -f dual.sql) >"$out/single.out" 2>&1
    echo "ok 1 - the script ran on a single node ($(grep -c . "$out/single.out") lines)"
else
    echo "not ok 1 - the single-node cluster did not start"; cat "$out/single-cluster.log" | sed 's/^/# /'
fi
bash "$top/test/cluster.sh" stop citus-single >/dev/null 2>&1

# The cluster: the coordinator's database, distributed by the runner; the script's four workspaces
# made to land on both workers.
psql -X -q -v n=4 -f "$top/test/citus/spread.sql" >"$out/spread.log" 2>&1
(cd "$top/test/citus" && psql -X -q -f dual.sql) >"$out/citus.out" 2>&1
if grep -q '^psql: error' "$out/citus.out"; then
    echo "not ok 2 - the script could not reach the coordinator"; head -3 "$out/citus.out" | sed 's/^/# /'
else
    echo "ok 2 - the script ran through the coordinator ($(grep -c . "$out/citus.out") lines)"
fi

# The four workspaces must be spread: at least one on each worker.
nodes=$(psql -X -tAq -c "
    SELECT count(DISTINCT n.nodeport)
      FROM actions.workspace w
      JOIN pg_dist_placement p ON p.shardid = get_shard_id_for_distribution_column('actions.workspace', w.workspace_id)
      JOIN pg_dist_node n USING (groupid)
     WHERE w.name LIKE 'Dual %'" 2>&1)
if [ "$nodes" = 2 ]; then
    echo "ok 3 - the script's workspaces are on both workers"
else
    echo "not ok 3 - the script's workspaces are on both workers (nodes holding them: $nodes)"
fi

normalise "$out/single.out" >"$out/single.norm"
normalise "$out/citus.out" >"$out/citus.norm"
diff -u "$out/single.norm" "$out/citus.norm" >"$out/dual.diff"
differences=$(grep -cE '^[-+][^-+]' "$out/dual.diff")
if [ "$differences" -eq 0 ] && [ -s "$out/single.norm" ]; then
    echo "ok 4 - same answers on one node and through the coordinator: 0 differences in $(grep -c . "$out/single.norm") lines"
else
    echo "not ok 4 - same answers on one node and through the coordinator: $differences differences (build/test-logs/citus/dual/dual.diff)"
    head -40 "$out/dual.diff" | sed 's/^/# /'
fi

# Every public function is called by the script (the rule at the top).
public=$(psql -X -tAq -c "
    SELECT DISTINCT p.proname
      FROM pg_proc p
     WHERE p.pronamespace = 'actions'::regnamespace
       AND EXISTS (SELECT FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                    WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE')
       AND p.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype)
       AND p.proname NOT IN ('forward', 'workspace_of_ids')
       AND NOT EXISTS (SELECT FROM pg_depend d
                        WHERE d.classid = 'pg_policy'::regclass AND d.refclassid = 'pg_proc'::regclass
                          AND d.refobjid = p.oid)
     ORDER BY 1" 2>&1)
if [ -z "$public" ] || printf '%s\n' "$public" | grep -qvE '^[a-z_0-9]+$'; then
    echo "not ok 5 - the script calls every public function: the catalog could not be read"
    printf '%s\n' "$public" | head -5 | sed 's/^/# /'
else
    total=0 missing=()
    for f in $public; do
        total=$((total + 1))
        grep -qF "actions.$f(" "$top"/test/citus/dual*.sql || missing+=("$f")
    done
    # Calls kept in the script but commented out (`-- DIFFERS:` blocks): what still differs, for the record.
    differing=()
    for f in $public; do
        grep -hF "actions.$f(" "$top"/test/citus/dual*.sql | grep -qvE '^\s*--' || differing+=("$f")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        echo "ok 5 - the script calls every public function ($total; $((total - ${#differing[@]})) run, ${#differing[@]} commented out as DIFFERS)"
        if [ ${#differing[@]} -gt 0 ]; then echo "# commented out (-- DIFFERS): ${differing[*]}"; fi
    else
        echo "not ok 5 - the script calls every public function: ${#missing[@]} of $total not called"
        printf '# %s\n' "${missing[@]}"
    fi
fi
