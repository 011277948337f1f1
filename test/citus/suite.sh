# Sourced by the shell suites of test/citus/suites (`. "$(dirname "$0")/../suite.sh" NAME`):
# the environment of the PostgreSQL under test, the suite's log directory $out
# (build/test-logs/citus/NAME), the coordinator's first port $base, and the helpers below. The
# runner (test/citus/run.sh) points PGHOST/PGPORT/PGUSER/PGDATABASE at the coordinator.
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$top/test/pg_env.sh"
export PATH="$bindir:$PATH"
out=$top/build/test-logs/citus/$1
mkdir -p "$out"
base=${CITUS_PORT:-55480}

# psql through the coordinator: values only, stop at the first error.
q() { psql -X -q -tA -v ON_ERROR_STOP=1 "$@"; }

# TAP: plan N, then ok STATUS DESCRIPTION per test (STATUS 0 passes).
n=0
plan() { echo "1..$1"; }
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }

# person EMAIL NAME [ROLE]: the id of the person with that e-mail, made (with the login role ROLE,
# created when missing) the first time, so a suite can run again on the same cluster.
person() {
    local login=NULL
    if [ -n "${3:-}" ]; then
        q -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$3') THEN CREATE ROLE $3 LOGIN; END IF; END \$\$" >/dev/null
        login="'$3'"
    fi
    q -c "SELECT coalesce((SELECT person_id FROM actions.person WHERE email = '$1'),
                          actions.create_person('$1', '$2', $login))"
}

# port_of WORKSPACE: the port of the worker holding its shards.
port_of() {
    q -c "SELECT n.nodeport FROM pg_dist_placement p JOIN pg_dist_node n USING (groupid)
           WHERE p.shardid = get_shard_id_for_distribution_column('actions.workspace', $1)"
}

# log_problems WORKSPACE...: how many problems actions.verify_log() finds in them, all together.
log_problems() {
    local sum="0" w
    for w in "$@"; do sum="$sum + (SELECT count(*) FROM actions.verify_log($w))"; done
    q -c "SELECT $sum" 2>&1
}

# ledger_problems WORKSPACE...: seals each (on the node holding it), then how many problems
# actions.verify_ledger() finds in them, all together.
ledger_problems() {
    local sum="0" w seals=()
    for w in "$@"; do seals+=(-c "SELECT actions.seal_ledger($w)"); sum="$sum + (SELECT count(*) FROM actions.verify_ledger($w))"; done
    q "${seals[@]}" -c "SELECT $sum" 2>&1 | tail -1
}
