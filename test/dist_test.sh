#!/usr/bin/env bash
# The release archive installs: `make dist`, unpacked into a temporary folder, built with PG_CONFIG,
# installed into that PostgreSQL (as root when root, like `make test`'s own install), then
# CREATE EXTENSION in a fresh database of the running cluster (PGHOST, PGPORT, PGUSER: its
# superuser) gives the control file's version and a working API. Prints TAP-like "ok"/"not ok"
# lines and ends with "dist: N passed, N failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. test/pg_env.sh
log=${DIST_TEST_LOG:-$top/build/test-logs/dist}
mkdir -p "$log"
sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
passed=0 failed=0
check() {  # description, command...
    local what=$1; shift
    if "$@" >>"$log/dist.log" 2>&1; then passed=$((passed + 1)); echo "ok - $what"
    else failed=$((failed + 1)); echo "not ok - $what (see $log/dist.log)"; fi
}
finish() { echo "dist: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit; }
: >"$log/dist.log"

control=$(sed -nE "s/^default_version = '(.*)'/\1/p" pg_actions.control)
archive=$(bash test/dist.sh 2>>"$log/dist.log")
check "make dist builds ${archive##*/}" test -s "$archive"
[ -s "$archive" ] || finish
work=$(mktemp -d "${TMPDIR:-/tmp}/pg_actions-dist.XXXXXX")
trap 'rm -rf "$work"' EXIT
name=$(basename "$archive" .zip)
unpack() {
    if command -v unzip >/dev/null; then unzip -q "$archive" -d "$work"
    else python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$archive" "$work"; fi
}
check "it unpacks into $name/" unpack
src=$work/$name
check "with META.json, the control file, the Makefile, LICENSE, README.md and CHANGELOG.md" \
    bash -c "cd '$src' && test -f META.json -a -f pg_actions.control -a -f Makefile -a -f LICENSE -a -f README.md -a -f CHANGELOG.md"
check "and no build output, cluster or CI script" \
    bash -c "cd '$src' && ! find . -name '*.o' -o -name '*.so' -o -name '.pg' -o -name '.ci' -o -name 'pg_actions--$control.sql' | grep -q ."
check "it builds with PG_CONFIG ($PG_CONFIG)" make -C "$src" -j2 PG_CONFIG="$PG_CONFIG"
check "and installs into that PostgreSQL" $sudo env PG_CONFIG="$PG_CONFIG" make -C "$src" install
check "the installed library is the one built from the archive" cmp "$src/pg_actions.so" "$pkglibdir/pg_actions.so"
db=pg_actions_dist
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >>"$log/dist.log" 2>&1
check "CREATE EXTENSION pg_actions works" psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c 'CREATE EXTENSION pg_actions'
version=$(psql -X -At -d "$db" -c "SELECT extversion FROM pg_extension WHERE extname = 'pg_actions'" 2>>"$log/dist.log")
check "at the control file's version ($control)" test "$version" = "$control"
check "and its API answers" bash -c "psql -X -At -v ON_ERROR_STOP=1 -d $db -c \"SELECT actions.create_person('dist@example.com', 'Dist')\" | grep -qx 1"
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >>"$log/dist.log" 2>&1
finish
