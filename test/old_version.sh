#!/usr/bin/env bash
# Builds the library of an earlier release of pg_actions from this checkout's git history, for
# the PostgreSQL that PG_CONFIG names (see test/pg_env.sh), into a cache outside the checkout that
# later runs on the same machine reuse (keyed by commit and PostgreSQL major version).
#   old_version.sh 0.1    prints the path of that release's pg_actions.so; beside it are its
#                         pg_actions.control and its install script pg_actions--0.1.sql
# The upgrade test (test/tap/008_upgrade.pl) installs it, fills it, and updates it to this build.
# Cache: $PG_ACTIONS_CACHE (default /var/cache/pg_actions), like test/pg_build.sh.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/test/pg_env.sh"
version=${1:?usage: old_version.sh VERSION}
# The last commit of each release (commit hashes: a CI clone has the history, not always the tags).
case "$version" in
    0.1) commit=9bc6aa6 ;;
    0.2) commit=fbba737 ;;
    *) echo "old_version: no commit is known for version $version" >&2; exit 2 ;;
esac
# A checkout owned by another user (a CI clone, run as root) is still ours to read.
git=(git -c "safe.directory=$top" -C "$top")
commit=$("${git[@]}" rev-parse --verify --quiet "$commit^{commit}") \
    || { echo "old_version: commit $commit of version $version is not in this checkout's history" >&2; exit 1; }
cache=${PG_ACTIONS_CACHE:-/var/cache/pg_actions}
out=$cache/old/pg_actions-$version-${commit:0:12}-pg$pg_major
if [ -f "$out/.complete" ] && [ -f "$out/pg_actions.so" ]; then
    echo "$out/pg_actions.so"
    exit 0
fi
mkdir -p "$cache/old"
src=$(mktemp -d "$cache/old/build.XXXXXX")
trap 'rm -rf "$src"' EXIT
log=$src.log
"${git[@]}" archive --format=tar "$commit" | tar -x -C "$src"
# That release's own Makefile builds its library and its install script (pg_actions--VERSION.sql).
if ! make -C "$src" -j2 PG_CONFIG="$PG_CONFIG" all >"$log" 2>&1; then
    tail -30 "$log" >&2
    echo "old_version: version $version ($commit) does not build for PostgreSQL $pg_major; log: $log" >&2
    exit 1
fi
built=$(sed -nE "s/^default_version = '(.*)'/\1/p" "$src/pg_actions.control")
[ "$built" = "$version" ] \
    || { echo "old_version: commit $commit has default_version '$built', not '$version'" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out"
cp "$src/pg_actions.so" "$src/pg_actions.control" "$src/pg_actions--$version.sql" "$out/"
echo "$commit" >"$out/commit"
chmod -R a+rX "$out"
touch "$out/.complete"
rm -f "$log"
echo "$out/pg_actions.so"
