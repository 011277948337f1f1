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
dist_sql="SELECT c.oid::regclass FROM pg_dist_partition p JOIN pg_class c ON c.oid = p.logicalrelid
           WHERE c.relnamespace = 'actions'::regnamespace ORDER BY 1"
# What is in a shell that is not empty, for the message: its live and dead rows as read from its
# file by pgstattuple (contrib; created on the coordinator, which propagates it, at the first use).
tuples() {  # port, table
    [ -n "$have_pgstattuple" ] || {
        q "$base" "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS pgstattuple" >/dev/null 2>&1 || return 0
        have_pgstattuple=yes
    }
    q "$1" "SELECT format(' (%s live rows, %s dead)', tuple_count, dead_tuple_count) FROM pgstattuple('$2'::regclass)" 2>/dev/null
}
have_pgstattuple=""
# The coordinator's distributed and reference tables: each node must know the same ones, and have
# an empty shell of each.
tables=$(q "$base" "$dist_sql") || tables=""
want=$(printf '%s\n' "$tables" | grep -c .)
list="'$(printf '%s\n' "$tables" | paste -sd' ' | sed "s/ /','/g")'"
n=0 out=()
for port in "$base" $((base + 1)) $((base + 2)); do
    got=$(q "$port" "$dist_sql" | grep -c .)
    n=$((n + 1))
    if [ "$want" -gt 0 ] && [ "$got" -eq "$want" ]; then
        out+=("ok $n - node $port: $got distributed and reference tables of schema actions in its metadata")
    else
        out+=("not ok $n - node $port: $got distributed and reference tables of schema actions in its metadata, $want on the coordinator")
    fi
    [ "$want" -gt 0 ] || continue
    rows=$(q "$port" "SELECT t || ' ' || coalesce(pg_relation_size(to_regclass(t))::text, 'missing')
                        FROM unnest(ARRAY[$list]) t ORDER BY 1")
    [ -n "$rows" ] || rows="(all) unreadable"
    while read -r table size; do
        n=$((n + 1))
        if [ "$size" = 0 ]; then
            out+=("ok $n - node $port: the shell $table has 0 bytes")
        elif [ "$size" = missing ] || [ "$size" = unreadable ]; then
            out+=("not ok $n - node $port: no table $table")
        else
            out+=("not ok $n - node $port: the shell $table has $size bytes: something wrote into it past Citus$(tuples "$port" "$table")")
        fi
    done <<<"$rows"
done
echo "1..$n"
printf '%s\n' "${out[@]}"
