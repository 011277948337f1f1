#!/usr/bin/env bash
# Makes Citus 13.2.2 available to the PostgreSQL that PG_CONFIG names (default: the system's 15),
# building it at most once per PostgreSQL major into a cache outside the checkout (like
# test/pg_build.sh does for PostgreSQL 18). Prints the pg_config path; exit 0. On failure: a
# message on stderr, exit 1 (exit 2: a PostgreSQL major Citus 13.2 does not support).
#   1. citus.so and citus.control already installed for that pg_config: nothing to do.
#   2. the staged build $cache/citus/stage-13.2.2-pg<major> exists: copied in (its lib files,
#      bitcode included, into --pkglibdir, its extension files into --sharedir/extension).
#   3. else built from ${CITUS_SRC:-<repo>/../shared/vendor/citus-13.2.2.tar.gz} (a tarball or a
#      source directory; never downloaded), staged (make install DESTDIR=stage), then copied in.
# The stage is keyed by the major only, so a relocated copy of a PostgreSQL (/opt/pghN/...) and the
# system's one of the same major share it: the copy step finds the files in the stage wherever the
# building pg_config put them. Build log: $cache/build-citus.log.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/test/pg_env.sh"
version=13.2.2
cache=${PG_ACTIONS_CACHE:-/var/cache/pg_actions}
stage=$cache/citus/stage-$version-pg$pg_major
src=$cache/citus/src-$version
log=$cache/build-citus.log
sharedir=$("$PG_CONFIG" --sharedir)
sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo

fail() { echo "citus build: $*" >&2; exit 1; }

case "$pg_major" in
    15|16|17) ;;
    *) echo "citus build: Citus $version supports PostgreSQL 15, 16 and 17, not $pg_major ($PG_CONFIG)" >&2
       exit 2 ;;
esac

if [ -f "$pkglibdir/citus.so" ] && [ -f "$sharedir/extension/citus.control" ]; then
    echo "$PG_CONFIG"
    exit 0
fi

# The lock keeps two runs (CI and a developer, two checkouts) from building into one stage at once.
$sudo mkdir -p "$cache/citus"
[ -n "$sudo" ] && $sudo chown "$(id -u)" "$cache/citus"
exec 9>"$cache/citus/.lock"
flock 9

staged() { [ -n "$(find "$stage" -name citus.so 2>/dev/null | head -1)" ] \
           && [ -n "$(find "$stage" -name citus.control 2>/dev/null | head -1)" ]; }

if ! staged; then
    tarball=${CITUS_SRC:-$top/../shared/vendor/citus-$version.tar.gz}
    [ -e "$tarball" ] || fail "no Citus source at $tarball (set CITUS_SRC to the citus-$version.tar.gz of shared/vendor or to a source directory; nothing is downloaded)"
    echo "citus build: building Citus $version for PostgreSQL $pg_major (about 3 minutes; log: $log)" >&2
    # fd 3: the caller's stderr (messages); the build's own output goes to the log.
    exec 3>&2 >"$log" 2>&1
    fail() { echo "citus build: $* (log: $log)" >&3; exit 1; }
    # Build dependencies; libkrb5-dev for gssapi/gssapi.h. The server headers come with Debian's
    # postgresql-server-dev-<major> for the system's PostgreSQL (a relocated copy brings its own).
    pkgs=(liblz4-dev libzstd-dev libkrb5-dev make gcc)
    incdir=$("$PG_CONFIG" --includedir-server)
    if [ ! -f "$incdir/postgres.h" ]; then
        case "$PG_CONFIG" in
            /usr/lib/postgresql/*) pkgs+=("postgresql-server-dev-$pg_major") ;;
            *) fail "no server headers in $incdir for $PG_CONFIG" ;;
        esac
    fi
    missing=()
    for p in "${pkgs[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        apt=($sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}")
        "${apt[@]}" || { $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq && "${apt[@]}"; } \
            || fail "could not install ${missing[*]}"
    fi
    [ -f "$incdir/postgres.h" ] || fail "no server headers in $incdir"
    rm -rf "$src" "$src.tmp"
    mkdir -p "$src.tmp"
    if [ -d "$tarball" ]; then
        cp -a "$tarball/." "$src.tmp/"
    else
        tar -xzf "$tarball" -C "$src.tmp" --strip-components=1 || fail "cannot unpack $tarball"
    fi
    mv "$src.tmp" "$src"
    cd "$src"
    # PostgreSQL 15.20 (and other recent minors) declare have_createdb_privilege() in
    # commands/dbcommands.h, which Citus also defines as a static inline function for older
    # servers: the conflicting definition is removed only when the target server declares it.
    if grep -q 'have_createdb_privilege' "$incdir/commands/dbcommands.h"; then
        echo "== removing Citus' own have_createdb_privilege(): $incdir/commands/dbcommands.h declares it"
        perl -0pi -e 's/static inline bool\nhave_createdb_privilege\(void\)\n\{.*?\n\}\n//s' \
            src/include/pg_version_compat.h
        ! grep -q '^have_createdb_privilege(void)' src/include/pg_version_compat.h \
            || fail "could not remove have_createdb_privilege() from src/include/pg_version_compat.h"
    fi
    ./configure PG_CONFIG="$PG_CONFIG" --without-libcurl || fail "configure failed"
    make -j2 || fail "make failed"
    rm -rf "$stage" "$stage.tmp"
    make install DESTDIR="$stage.tmp" || fail "make install failed"
    mv "$stage.tmp" "$stage"
    exec >&3 2>&3
fi
staged || fail "the staged build $stage has no citus.so or citus.control"

# Copy the stage in: every file beside citus.so (the libraries, citus_decoders/, bitcode/) and
# beside citus.control (the control and SQL scripts).
libsrc=$(dirname "$(find "$stage" -name citus.so | head -1)")
extsrc=$(dirname "$(find "$stage" -name citus.control | head -1)")
$sudo mkdir -p "$pkglibdir" "$sharedir/extension"
$sudo cp -a "$libsrc/." "$pkglibdir/" || fail "cannot copy $libsrc into $pkglibdir"
$sudo cp -a "$extsrc/." "$sharedir/extension/" || fail "cannot copy $extsrc into $sharedir/extension"
echo "$PG_CONFIG"
