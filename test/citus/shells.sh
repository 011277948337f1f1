#!/usr/bin/env bash
# The shell probe (suite shells of test/citus/run.sh, run after every other suite), printing TAP:
# on each node of the cluster (ports CITUS_PORT, +1, +2), every distributed or reference table of
# schema actions has a local shell relation of 0 bytes. Citus keeps a table's rows in its shards;
# the table itself (the shell, on every node with metadata) stays empty unless something writes
# into it past Citus, as a direct heap write by name would: its main fork is then at least one page,
# even after the row is deleted or its transaction rolled back. pg_relation_size is read from the
# file, so the probe sees what SQL through Citus (which routes to the shards) would not.
set -uo pipefail
base=${CITUS_PORT:-55480}
q() { psql -X -q -tA -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$1" -U postgres -d pg_actions -c "$2"; }
tables_sql="SELECT c.oid::regclass || ' ' || pg_relation_size(c.oid)
              FROM pg_dist_partition p JOIN pg_class c ON c.oid = p.logicalrelid
             WHERE c.relnamespace = 'actions'::regnamespace ORDER BY 1"

want=$(q "$base" "SELECT count(*) FROM pg_dist_partition p JOIN pg_class c ON c.oid = p.logicalrelid
                  WHERE c.relnamespace = 'actions'::regnamespace") || want=0
n=0 out=()
for port in "$base" $((base + 1)) $((base + 2)); do
    rows=$(q "$port" "$tables_sql")
    rc=$?
    got=$(printf '%s\n' "$rows" | grep -c .)
    n=$((n + 1))
    if [ "$rc" -eq 0 ] && [ "$want" -gt 0 ] && [ "$got" -eq "$want" ]; then
        out+=("ok $n - node $port: $got distributed and reference tables of schema actions in its metadata")
    else
        out+=("not ok $n - node $port: $got distributed and reference tables of schema actions in its metadata, $want on the coordinator")
    fi
    while read -r table size; do
        [ -n "$table" ] || continue
        n=$((n + 1))
        if [ "$size" = 0 ]; then
            out+=("ok $n - node $port: the shell $table has 0 bytes")
        else
            out+=("not ok $n - node $port: the shell $table has $size bytes: something wrote into it past Citus")
        fi
    done <<<"$rows"
done
echo "1..$n"
printf '%s\n' "${out[@]}"
