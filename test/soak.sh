#!/usr/bin/env bash
# `make soak` (not part of `make test` or CI; about an hour on 2 cores): the crash, load and fuzz
# tests of test/tap at soak scale, each on a cluster of its own, then their figures and one line
# "N passed, N failed" over their assertions.
#   100 rounds of kill -9 under 8 writers            (005_crash.pl, PG_ACTIONS_CRASH_ROUNDS)
#   1,000,000 mixed API calls, sweeps all the while  (004_mixed_load.pl, PG_ACTIONS_LOAD_CALLS)
#   100,000 fuzzed calls of every API function       (020_fuzz.pl, PG_ACTIONS_FUZZ_CALLS)
# Each scale can be set in the environment, e.g. `PG_ACTIONS_CRASH_ROUNDS=10 make soak`.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. test/pg_env.sh
export PATH="$bindir:$PATH"
log=$top/build/soak-logs
mkdir -p "$log"
sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo

echo "== build"
make -j2 >"$log/make.log" 2>&1 && $sudo env PG_CONFIG="$PG_CONFIG" make install >>"$log/make.log" 2>&1 \
    || { cat "$log/make.log"; echo "0 passed, 1 failed"; exit 1; }

tapdir=$(bash test/cluster.sh dir soaktmp)
runner=(); [ "$(id -u)" -eq 0 ] && runner=(runuser -u pg_actions --)
passed=0 failed=0
for t in 005_crash 004_mixed_load 020_fuzz; do
    echo "== $t"
    rm -rf "$tapdir/tmp_check"
    start=$(date +%s)
    "${runner[@]}" env PATH="$bindir:$PATH" TESTDIR="$tapdir" TESTDATADIR="$tapdir/tmp_check" \
        TESTLOGDIR="$tapdir/tmp_check/log" PG_REGRESS="$pgxs/src/test/regress/pg_regress" PG_CONFIG="$PG_CONFIG" \
        PG_ACTIONS_CRASH_ROUNDS="${PG_ACTIONS_CRASH_ROUNDS:-100}" \
        PG_ACTIONS_LOAD_CALLS="${PG_ACTIONS_LOAD_CALLS:-1000000}" \
        PG_ACTIONS_FUZZ_CALLS="${PG_ACTIONS_FUZZ_CALLS:-100000}" \
        prove -v --ext .pl -I "$pgxs/src/test/perl" "test/tap/$t.pl" >"$log/$t.log" 2>&1
    tests=$(grep -Ec '^(not )?ok ' "$log/$t.log")
    bad=$(grep -Ec '^not ok ' "$log/$t.log")
    grep -q 'Result: PASS' "$log/$t.log" || [ "$bad" -gt 0 ] || bad=1
    passed=$((passed + tests - bad)); failed=$((failed + bad))
    # The figures each test prints as a note.
    grep -E '^# (crash rounds|mixed load|fuzz):' "$log/$t.log" | sed 's/^# /  /'
    [ "$bad" -gt 0 ] && grep -E '^not ok ' "$log/$t.log" | head -10
    echo "  ($t: $((tests - bad)) passed, $bad failed, $(( $(date +%s) - start )) s; log $log/$t.log)"
done
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
