#!/usr/bin/env bash
# `make test`: every suite on a private cluster of the PostgreSQL that PG_CONFIG names (default:
# the system's 15), then one line "N passed, N failed[, N skipped]".
#   GoogleTest (src/core)  pg_regress (sql/, expected/)  docs (the sql blocks of the guides)
#   pgTAP (test/pgtap)  isolation (test/isolation)  examples (docs/examples)  Perl TAP (test/tap)
#   dist (the release archive builds and installs)  citus (test/citus: a coordinator and two workers)
# A suite whose dependency this PostgreSQL (pgTAP, pg_cron) or this machine (psycopg, node,
# pgbouncer, aiosmtpd, postgres_exporter, promtool) lacks is reported as skipped.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. test/pg_env.sh
export PATH="$bindir:$PATH"
port=${PG_ACTIONS_TEST_PORT:-54340}
passed=0 failed=0 skipped=0
log=$top/build/test-logs
mkdir -p "$log"

count() {  # suite, passed, failed
    printf '%-12s %4d passed, %d failed\n' "$1" "$2" "$3"
    passed=$((passed + $2)); failed=$((failed + $3))
}
skip() {  # suite, how many, why
    printf '%-12s %4d skipped: %s\n' "$1" "$2" "$3"
    skipped=$((skipped + $2))
}
has_extension() { [ -f "$("$PG_CONFIG" --sharedir)/extension/$1.control" ]; }

sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo

echo "== build"
cmake -S . -B build/core -DCMAKE_BUILD_TYPE=Release >"$log/cmake.log" 2>&1 \
    && cmake --build build/core -j2 >>"$log/cmake.log" 2>&1 || { cat "$log/cmake.log"; echo "0 passed, 1 failed"; exit 1; }
echo "PostgreSQL $("$PG_CONFIG" --version | cut -d' ' -f2) ($PG_CONFIG)"
make -j2 >"$log/make.log" 2>&1 && $sudo env PG_CONFIG="$PG_CONFIG" make install >>"$log/make.log" 2>&1 \
    || { cat "$log/make.log"; echo "0 passed, 1 failed"; exit 1; }

echo "== layers"
# The glue's layers on the source (test/layers.sh): SQL and table access in store/, SPI by SpiScope.
bash test/layers.sh >"$log/layers.log" 2>&1
p=$(sed -nE 's/^layers: ([0-9]+) passed, ([0-9]+) failed$/\1/p' "$log/layers.log")
f=$(sed -nE 's/^layers: ([0-9]+) passed, ([0-9]+) failed$/\2/p' "$log/layers.log")
[ -z "$p" ] && { p=0; f=1; }
[ "$f" -gt 0 ] && grep -v '^ok' "$log/layers.log" | head -40
count layers "$p" "$f"

echo "== GoogleTest"
ctest --test-dir build/core --output-on-failure -j2 >"$log/ctest.log" 2>&1
p=$(grep -Eo '[0-9]+ tests failed out of [0-9]+' "$log/ctest.log" | awk '{print $6 - $1}')
f=$(grep -Eo '[0-9]+ tests failed out of' "$log/ctest.log" | awk '{print $1}')
[ -z "$p" ] && { cat "$log/ctest.log"; p=0; f=1; }
[ "$f" -gt 0 ] && grep -E 'Failed|FAILED' "$log/ctest.log" | head -20
count googletest "$p" "$f"

echo "== cluster"
bash test/cluster.sh stop test
dir=$(bash test/cluster.sh dir test)
[ -d "$dir/data" ] && rm -rf "$dir/data"
dir=$(bash test/cluster.sh start test "$port") || { echo "0 passed, 1 failed"; exit 1; }
export PGHOST=$dir PGPORT=$port PGUSER=postgres
trap 'bash "$top/test/cluster.sh" stop test' EXIT
psql -X -q -d postgres -c "CREATE DATABASE pg_actions" >/dev/null
extensions="CREATE EXTENSION pg_actions;"
has_extension pg_cron && extensions="CREATE EXTENSION pg_cron; $extensions"
has_extension pgtap && extensions="CREATE EXTENSION pgtap; $extensions"
psql -X -q -d pg_actions -v ON_ERROR_STOP=1 -c "$extensions" >/dev/null

echo "== pg_regress"
rm -rf results regression.diffs regression.out
make installcheck >"$log/regress.log" 2>&1
p=$(grep -Ec '^(ok|test) .* \.\.\. ok|^ok ' "$log/regress.log")
f=$(grep -Ec '\.\.\. FAILED|^not ok ' "$log/regress.log")
[ "$p" -eq 0 ] && [ "$f" -eq 0 ] && { cat "$log/regress.log"; f=1; }
[ "$f" -gt 0 ] && { grep -E 'FAILED|not ok' "$log/regress.log"; [ -f regression.diffs ] && head -80 regression.diffs; }
count pg_regress "$p" "$f"

echo "== docs"
# Every ```sql block of README.md (its quick tour, verbatim), docs/*.md and bench/README.md, each
# file in a fresh database (test/docs_sql.sh); one test per block, `sql fragment` blocks skipped.
bash test/docs_sql.sh >"$log/docs.log" 2>&1
p=$(sed -nE 's/^docs: ([0-9]+) passed, ([0-9]+) failed.*/\1/p' "$log/docs.log")
f=$(sed -nE 's/^docs: ([0-9]+) passed, ([0-9]+) failed.*/\2/p' "$log/docs.log")
[ -z "$p" ] && { cat "$log/docs.log"; p=0; f=1; }
[ "$f" -gt 0 ] && grep -vE ' ran, ' "$log/docs.log" | head -30
count docs "$p" "$f"
n=$(sed -nE 's/^docs: .* ([0-9]+) skipped$/\1/p' "$log/docs.log")
[ "${n:-0}" -gt 0 ] && skip docs "$n" "sql requires=EXT blocks whose extension PostgreSQL $pg_major lacks (see $log/docs.log)"

echo "== pgTAP"
if ! has_extension pgtap; then
    skip pgtap "$(ls test/pgtap/*.sql | wc -l)" "pgTAP is not installed for PostgreSQL $pg_major (files)"
else
pg_prove -d pg_actions --ext .sql test/pgtap/ >"$log/pgtap.log" 2>&1
tests=$(grep -Eo 'Tests=[0-9]+' "$log/pgtap.log" | cut -d= -f2)
bad=$(grep -Eo '[0-9]+/[0-9]+ subtests failed' "$log/pgtap.log" | cut -d/ -f1)
bad=${bad:-0}
grep -q 'Result: PASS' "$log/pgtap.log" || { [ "$bad" -eq 0 ] && bad=1; cat "$log/pgtap.log" | grep -vE '^t/.*ok$' | head -60; }
count pgtap "$(( ${tests:-0} - bad ))" "$bad"
fi

echo "== isolation"
out=$top/build/isolation
rm -rf "$out"; mkdir -p "$out"
[ "$(id -u)" -eq 0 ] && chown -R pg_actions "$out" 2>/dev/null
psql -X -q -d postgres -c "CREATE DATABASE pg_actions_iso" >/dev/null
"$pgxs/src/test/isolation/pg_isolation_regress" --use-existing --host="$dir" --port="$port" --user=postgres \
    --inputdir=test/isolation --outputdir="$out" --dbname=pg_actions_iso --load-extension=pg_actions \
    $(cd test/isolation/specs && ls *.spec | sed 's/\.spec$//') >"$log/isolation.log" 2>&1
p=$(grep -Ec '\.\.\. ok|^ok ' "$log/isolation.log")
f=$(grep -Ec '\.\.\. FAILED|^not ok ' "$log/isolation.log")
[ "$p" -eq 0 ] && [ "$f" -eq 0 ] && { cat "$log/isolation.log"; f=1; }
[ "$f" -gt 0 ] && { grep -E 'FAILED|not ok' "$log/isolation.log"; [ -f "$out/regression.diffs" ] && head -80 "$out/regression.diffs"; }
count isolation "$p" "$f"

echo "== examples"
# docs/examples/python and docs/examples/node against this cluster: each one is one test, passed
# when the example exits 0 (it checks its own steps: actors logged, refusal without act_as,
# notifications delivered by its LISTEN worker).
p=0; f=0
for ex in python node; do
    if ! why=$(bash test/examples.sh runtime "$ex"); then
        skip examples 1 "$why (docs/examples/$ex)"
        continue
    fi
    if bash test/examples.sh "$ex" >"$log/example-$ex.log" 2>&1; then
        p=$((p + 1))
    else
        f=$((f + 1)); echo "docs/examples/$ex failed:"; tail -30 "$log/example-$ex.log"
    fi
done
count examples "$p" "$f"

echo "== Perl TAP"
tapdir=$(bash test/cluster.sh dir taptmp)
rm -rf "$tapdir"/tmp_check "$tapdir"/tmp_check_0.1
runner=(); [ "$(id -u)" -eq 0 ] && runner=(runuser -u pg_actions --)
taps=(test/tap/*.pl)
if [ ! -f "$pkglibdir/pg_cron.so" ]; then
    skip tap 3 "pg_cron is not installed for PostgreSQL $pg_major (001_cron_sweep.pl, 013_cancel.pl, 014_demo_restore.pl)"
    taps=("${taps[@]/test\/tap\/001_cron_sweep.pl}")
    taps=("${taps[@]/test\/tap\/013_cancel.pl}")
    taps=("${taps[@]/test\/tap\/014_demo_restore.pl}")
fi
# The PgBouncer test runs docs/examples/python through Debian's pgbouncer.
python=$(bash test/examples.sh runtime python) || { skip tap 1 "$python (010_pgbouncer.pl)"; python=""; }
pgbouncer=$(command -v pgbouncer || { [ -x /usr/sbin/pgbouncer ] && echo /usr/sbin/pgbouncer; } || true)
[ -z "$pgbouncer" ] && [ -n "$python" ] && skip tap 1 "pgbouncer is not installed (010_pgbouncer.pl)"
if [ -z "$python" ] || [ -z "$pgbouncer" ]; then
    taps=("${taps[@]/test\/tap\/010_pgbouncer.pl}")
fi
# contrib/notifier's test needs psycopg (above) and aiosmtpd; contrib/prometheus's the Debian
# packages prometheus-postgres-exporter and prometheus (promtool).
if [ -z "$python" ] || ! "$python" -c 'import aiosmtpd' 2>/dev/null; then
    [ -n "$python" ] && skip tap 1 "$python has no aiosmtpd (Debian: python3-aiosmtpd) (011_notifier.pl)"
    [ -z "$python" ] && skip tap 1 "no python3 with psycopg 3 (011_notifier.pl)"
    taps=("${taps[@]/test\/tap\/011_notifier.pl}")
fi
pg_exporter=/usr/bin/prometheus-postgres-exporter promtool=/usr/bin/promtool
if [ ! -x "$pg_exporter" ] || [ ! -x "$promtool" ]; then
    skip tap 1 "prometheus-postgres-exporter or promtool (Debian: prometheus) is not installed (012_prometheus.pl)"
    taps=("${taps[@]/test\/tap\/012_prometheus.pl}")
fi
# The upgrade test needs the previous release's library, built from git into a cache outside the
# checkout (test/old_version.sh; as root when root, like the install step).
if ! old_library=$($sudo env PG_CONFIG="$PG_CONFIG" ${PG_ACTIONS_CACHE:+PG_ACTIONS_CACHE="$PG_ACTIONS_CACHE"} \
        bash test/old_version.sh 0.2 2>"$log/old_version.log"); then
    old_library=""
    skip tap 1 "the 0.2 library could not be built for PostgreSQL $pg_major (008_upgrade.pl; see $log/old_version.log)"
    taps=("${taps[@]/test\/tap\/008_upgrade.pl}")
fi
# PostgreSQL's Perl test modules read TESTDIR up to 15, TESTDATADIR and TESTLOGDIR from 16 on.
"${runner[@]}" env PATH="$bindir:$PATH" TESTDIR="$tapdir" TESTDATADIR="$tapdir/tmp_check" \
    TESTLOGDIR="$tapdir/tmp_check/log" PG_REGRESS="$pgxs/src/test/regress/pg_regress" \
    PG_CONFIG="$PG_CONFIG" PG_ACTIONS_OLD_LIBRARY="$old_library" \
    PG_ACTIONS_PYTHON="$python" PG_ACTIONS_PGBOUNCER="$pgbouncer" \
    PG_ACTIONS_PG_EXPORTER="$pg_exporter" PG_ACTIONS_PROMTOOL="$promtool" \
    prove --ext .pl -I "$pgxs/src/test/perl" ${taps[@]} >"$log/tap.log" 2>&1
tests=$(grep -Eo 'Tests=[0-9]+' "$log/tap.log" | cut -d= -f2)
bad=$(grep -Eo '[0-9]+/[0-9]+ subtests failed' "$log/tap.log" | cut -d/ -f1)
bad=${bad:-0}
grep -q 'Result: PASS' "$log/tap.log" || { [ "$bad" -eq 0 ] && bad=1; tail -40 "$log/tap.log"; }
count tap "$(( ${tests:-0} - bad ))" "$bad"
# The upgrade test once more from the first release: 0.1 is updated through every later script.
if old_library=$($sudo env PG_CONFIG="$PG_CONFIG" ${PG_ACTIONS_CACHE:+PG_ACTIONS_CACHE="$PG_ACTIONS_CACHE"} \
        bash test/old_version.sh 0.1 2>"$log/old_version_0.1.log"); then
    # Its own data directory: a failed run above leaves its own behind (PostgreSQL's test modules
    # keep a failed test's data), and the data directory of a test is named after the test.
    "${runner[@]}" env PATH="$bindir:$PATH" TESTDIR="$tapdir" TESTDATADIR="$tapdir/tmp_check_0.1" \
        TESTLOGDIR="$tapdir/tmp_check_0.1/log" PG_REGRESS="$pgxs/src/test/regress/pg_regress" \
        PG_CONFIG="$PG_CONFIG" PG_ACTIONS_OLD_LIBRARY="$old_library" \
        prove --ext .pl -I "$pgxs/src/test/perl" test/tap/008_upgrade.pl >"$log/tap_0.1.log" 2>&1
    tests=$(grep -Eo 'Tests=[0-9]+' "$log/tap_0.1.log" | cut -d= -f2)
    bad=$(grep -Eo '[0-9]+/[0-9]+ subtests failed' "$log/tap_0.1.log" | cut -d/ -f1)
    bad=${bad:-0}
    grep -q 'Result: PASS' "$log/tap_0.1.log" || { [ "$bad" -eq 0 ] && bad=1; tail -40 "$log/tap_0.1.log"; }
    count "tap 0.1" "$(( ${tests:-0} - bad ))" "$bad"
else
    skip "tap 0.1" 1 "the 0.1 library could not be built for PostgreSQL $pg_major (008_upgrade.pl from 0.1; see $log/old_version_0.1.log)"
fi

echo "== dist"
# The release archive: `make dist`, unpacked, built and installed into this PostgreSQL, then
# CREATE EXTENSION (test/dist_test.sh). Last, since it installs the library it built.
bash test/dist_test.sh >"$log/dist-test.log" 2>&1
p=$(sed -nE 's/^dist: ([0-9]+) passed, ([0-9]+) failed.*/\1/p' "$log/dist-test.log")
f=$(sed -nE 's/^dist: ([0-9]+) passed, ([0-9]+) failed.*/\2/p' "$log/dist-test.log")
[ -z "$p" ] && { cat "$log/dist-test.log"; p=0; f=1; }
[ "$f" -gt 0 ] && { grep '^not ok' "$log/dist-test.log"; tail -20 "$log/dist/dist.log"; }
count dist "$p" "$f"

echo "== citus"
# A coordinator and two workers with Citus (test/citus/run.sh, ports CITUS_PORT..+2, default
# 55480): its suites' lines, then its totals as one suite. Citus is built once into a cache
# (test/citus/build.sh); one that cannot be built or a cluster that does not start is a failure.
case "$pg_major" in
    15|16|17)
        bash test/citus/run.sh >"$log/citus.log" 2>&1
        grep -E '^suite |^started in|is not in this version' "$log/citus.log" | sed 's/^/  /'
        p=$(sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\1/p' "$log/citus.log" | tail -1)
        f=$(sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\2/p' "$log/citus.log" | tail -1)
        [ -z "$p" ] && { p=0; f=1; }
        [ "$f" -gt 0 ] && grep -vE '^suite |^ok ' "$log/citus.log" | tail -40
        count citus "$p" "$f"
        ;;
    *) skip citus 1 "Citus 13.2 supports PostgreSQL 15, 16 and 17, not $pg_major (test/citus)" ;;
esac

echo
echo "logs: $log"
if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
[ "$failed" -eq 0 ]
