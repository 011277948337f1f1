#!/usr/bin/env bash
# `make test-citus`: the Citus suites on a fresh coordinator and two workers (test/citus/cluster.sh)
# of the PostgreSQL that PG_CONFIG names (default: the system's 15), ports CITUS_PORT (55480), +1, +2.
#   Builds what is missing (Citus: test/citus/build.sh; pg_actions: make, make install), starts the
#   cluster, calls actions.distribute() once on the coordinator when this version has it, runs every
#   suite of test/citus/suites: NAME.sql (pgTAP, pg_prove against the coordinator's database
#   pg_actions as the superuser) and NAME.sh (an executable printing TAP), then the shell probe
#   (suite shells, test/citus/shells.sh), stops the cluster.
# A suite makes its own people and workspaces and reads nothing another suite made (their order is
# the file names'); all run in the one cluster, so the shell probe sees what every suite wrote.
# Prints one line per suite "suite NAME: N passed, N failed" and a last line "N passed, N failed";
# exits non-zero on any failure. Citus that cannot be built or a cluster that does not start is a
# failure ("0 passed, 1 failed"), never a skip.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
. test/pg_env.sh
export PATH="$bindir:$PATH"
base=${CITUS_PORT:-55480}
log=$top/build/test-logs/citus
mkdir -p "$log"
passed=0 failed=0
sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo

give_up() {  # why: the harness itself failed
    echo "citus: $*" >&2
    echo "0 passed, 1 failed"
    exit 1
}
count() {  # suite, passed, failed
    echo "suite $1: $2 passed, $3 failed"
    passed=$((passed + $2)); failed=$((failed + $3))
}
# Counts a TAP stream (a file): "ok" lines (TODO and SKIP included) pass, "not ok" lines fail, tests
# the plan announces but that never ran fail, and a non-zero exit without any failing test is one
# failure. Prints "PASSED FAILED".
tap_count() {  # file, exit status
    local p f plan
    p=$(grep -cE '^\s*ok [0-9]' "$1")
    f=$(grep -cE '^\s*not ok [0-9]' "$1")
    plan=$(sed -nE 's/^\s*1\.\.([0-9]+).*/\1/p' "$1" | head -1)
    [ -n "$plan" ] && [ $((p + f)) -lt "$plan" ] && f=$((plan - p))
    [ -z "$plan" ] && [ $((p + f)) -eq 0 ] && f=1
    [ "$2" -ne 0 ] && [ "$f" -eq 0 ] && f=1
    echo "$p $f"
}

echo "== citus: build"
if ! bash test/citus/build.sh >/dev/null 2>"$log/build.err"; then
    cat "$log/build.err" >&2
    give_up "Citus could not be made available to $PG_CONFIG"
fi
make -j2 >"$log/make.log" 2>&1 && $sudo env PG_CONFIG="$PG_CONFIG" make install >>"$log/make.log" 2>&1 \
    || { tail -30 "$log/make.log"; give_up "pg_actions did not build (see $log/make.log)"; }

echo "== citus: cluster on 127.0.0.1:$base-$((base + 2))"
start=$EPOCHREALTIME
bash test/citus/cluster.sh start >"$log/cluster.log" 2>&1 \
    || { cat "$log/cluster.log"; bash test/citus/cluster.sh stop; give_up "the Citus cluster did not start (see $log/cluster.log)"; }
trap 'bash "$top/test/citus/cluster.sh" stop' EXIT
awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "started in %.1f s\n", b - a }'
export PGHOST=127.0.0.1 PGPORT=$base PGUSER=postgres PGDATABASE=pg_actions CITUS_PORT=$base

distributed=""
if [ -n "$(psql -X -tAc "SELECT 1 FROM pg_proc WHERE proname = 'distribute' AND pronamespace = 'actions'::regnamespace")" ]; then
    if psql -X -q -v ON_ERROR_STOP=1 -c "SELECT actions.distribute()" >"$log/distribute.log" 2>&1; then
        distributed=yes
    else
        cat "$log/distribute.log"
        count distribute 0 1
    fi
else
    echo "actions.distribute() is not in this version: the suites run on tables that are not distributed"
fi

for suite in test/citus/suites/*.sql test/citus/suites/*.sh; do
    [ -e "$suite" ] || continue
    name=$(basename "$suite"); name=${name%.*}
    case "$suite" in
        *.sql) pg_prove -v -d pg_actions "$suite" >"$log/$name.log" 2>&1 ;;
        *.sh) "$suite" >"$log/$name.log" 2>&1 ;;
    esac
    rc=$?
    read -r p f < <(tap_count "$log/$name.log" "$rc")
    [ "$f" -gt 0 ] && grep -vE '^\s*ok [0-9]' "$log/$name.log" | head -40
    count "$name" "$p" "$f"
done

# Last: nothing was ever written into a shell table, on any node.
if [ -n "$distributed" ]; then
    bash test/citus/shells.sh >"$log/shells.log" 2>&1
    rc=$?
    read -r p f < <(tap_count "$log/shells.log" "$rc")
    [ "$f" -gt 0 ] && grep -vE '^\s*ok [0-9]' "$log/shells.log" | head -40
    count shells "$p" "$f"
else
    echo "suite shells: not run: no table is distributed (actions.distribute() is not in this version)"
fi

bash test/citus/cluster.sh stop
trap - EXIT
echo "logs: $log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
