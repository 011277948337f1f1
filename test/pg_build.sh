#!/usr/bin/env bash
# Builds a PostgreSQL major version that Debian 12 does not package from Debian's unstable source
# package, into a cache outside the checkout that later runs on the same machine reuse.
#   pg_build.sh 18     prints the pg_config path of the installation (building it when needed)
# The apt source list is derived at run time from the machine's own Debian sources (the same
# mirror, suite unstable, deb-src) and kept in a private apt directory: the system's apt
# configuration is not touched. Needs root (or sudo) for apt-get update.
set -euo pipefail
major=${1:?usage: pg_build.sh MAJOR}
cache=${PG_ACTIONS_CACHE:-/var/cache/pg_actions}
prefix=$cache/pg$major
stamp=$prefix/.complete
if [ -f "$stamp" ] && [ -x "$prefix/bin/pg_config" ]; then
    echo "$prefix/bin/pg_config"
    exit 0
fi
log=$cache/build-pg$major.log
mkdir -p "$cache/src" "$cache/apt/lists/partial" "$cache/apt/etc"
# fd 3: the caller's stdout (the pg_config path only); fd 4: its stderr (messages).
exec 3>&1 4>&2 >"$log" 2>&1

# The machine's Debian mirror: the first deb URI of a deb822 .sources file or a one-line list.
uri=$(grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -1 || true)
[ -n "$uri" ] || uri=$(grep -h '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
                       awk '{print $2}' | grep -v security | head -1 || true)
[ -n "$uri" ] || { echo "pg_build: no Debian mirror in the apt sources" >&4; exit 1; }
printf 'Types: deb-src\nURIs: %s\nSuites: unstable trixie bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$uri" >"$cache/apt/etc/unstable.sources"
apt_opts=(-o Dir::Etc::sourcelist=/dev/null -o "Dir::Etc::sourceparts=$cache/apt/etc"
          -o "Dir::State::Lists=$cache/apt/lists" -o APT::Sandbox::User=root)
sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
$sudo apt-get "${apt_opts[@]}" update
need=()
for p in dpkg-dev bison flex pkg-config zlib1g-dev libssl-dev libipc-run-perl; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
fi

cd "$cache/src"
rm -rf "postgresql-$major-src"
apt-get "${apt_opts[@]}" source --download-only "postgresql-$major"
dsc=$(ls -t postgresql-"$major"_*.dsc | head -1)
# Upstream as released: the Debian patches move directories (pkglibdir under /usr/lib) that
# must stay inside the prefix here.
dpkg-source --no-check --skip-patches -x "$dsc" "postgresql-$major-src"
cd "postgresql-$major-src"
./configure --prefix="$prefix" --enable-tap-tests --with-openssl --without-llvm --without-icu \
    --without-readline >/dev/null
make -j"$(nproc)" >/dev/null
make install >/dev/null
for dir in contrib/amcheck src/test/isolation src/test/perl src/test/regress; do
    make -C "$dir" -j"$(nproc)" >/dev/null
    make -C "$dir" install >/dev/null
done
# The extensions the suites use, built from their source packages for this PostgreSQL; one that
# does not build is left out, and the suites that need it report as skipped.
for pkg in pgtap pg-cron; do
    (
        cd "$cache/src"
        # The newest release whose upstream tarball the mirror has: unstable, else trixie, else bookworm.
        for release in "" /trixie /bookworm; do
            apt-get "${apt_opts[@]}" source --download-only "$pkg$release" || true
            ls "${pkg}"_*.orig.tar.* >/dev/null 2>&1 && break
        done
        orig=$(ls "${pkg}"_*.orig.tar.* 2>/dev/null | sort -V | tail -1)
        [ -n "$orig" ] || exit 1
        rm -rf "$pkg-src" && mkdir "$pkg-src"
        tar -xf "$orig" -C "$pkg-src" --strip-components=1
        make -C "$pkg-src" PG_CONFIG="$prefix/bin/pg_config" >/dev/null
        make -C "$pkg-src" PG_CONFIG="$prefix/bin/pg_config" install >/dev/null
    ) || echo "pg_build: $pkg is not available for PostgreSQL $major; the suites that need it are skipped" >&4
done
touch "$stamp"
echo "$prefix/bin/pg_config" >&3
