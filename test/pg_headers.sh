#!/usr/bin/env bash
# Compiles every source file of the extension against the server headers of a PostgreSQL major
# version that is not installed (e.g. 17): Debian's postgresql-server-dev-NN package of the next
# release is downloaded and unpacked (never installed) into a cache outside the checkout. The apt
# source list is derived at run time from the machine's own Debian sources.
#   pg_headers.sh 17 [SUITE]     (SUITE default: trixie)
set -euo pipefail
major=${1:?usage: pg_headers.sh MAJOR [SUITE]}
suite=${2:-trixie}
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${PG_ACTIONS_CACHE:-/var/cache/pg_actions}
dest=$cache/pg$major-headers
if [ ! -d "$dest/usr/include/postgresql/$major/server" ]; then
    mkdir -p "$cache/apt-$suite/lists/partial" "$cache/apt-$suite/etc" "$cache/debs"
    uri=$(grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -1 || true)
    [ -n "$uri" ] || uri=$(grep -h '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
                           awk '{print $2}' | grep -v security | head -1 || true)
    [ -n "$uri" ] || { echo "pg_headers: no Debian mirror in the apt sources" >&2; exit 1; }
    printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$uri" "$suite" >"$cache/apt-$suite/etc/$suite.sources"
    apt_opts=(-o Dir::Etc::sourcelist=/dev/null -o "Dir::Etc::sourceparts=$cache/apt-$suite/etc"
              -o "Dir::State::Lists=$cache/apt-$suite/lists" -o APT::Sandbox::User=root)
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get "${apt_opts[@]}" update -qq
    (cd "$cache/debs" && apt-get "${apt_opts[@]}" download "postgresql-server-dev-$major" >/dev/null)
    mkdir -p "$dest"
    dpkg-deb -x "$(ls -t "$cache"/debs/postgresql-server-dev-"$major"_*.deb | head -1)" "$dest"
fi
inc=$dest/usr/include/postgresql/$major/server
cd "$top"
# As the Makefile builds: the version from the control file, libpq's client header (the machine's).
version=$(sed -nE "s/^default_version = '(.*)'/\1/p" pg_actions.control)
libpq_inc=$(dirname "$(ls /usr/include/postgresql/libpq-fe.h 2>/dev/null || echo /usr/include/libpq-fe.h)")
failed=0 files=0
for f in src/core/*.cpp src/pg/*/*.cpp; do
    files=$((files + 1))
    g++ -std=c++20 -Wall -Wextra -Werror -Wno-register -Wno-missing-field-initializers -Wshadow=compatible-local \
        -fsyntax-only -Isrc -DPG_ACTIONS_VERSION="\"$version\"" -isystem "$inc" -isystem "$libpq_inc" "$f" \
        || failed=$((failed + 1))
done
echo "compiled against PostgreSQL $major server headers:"
echo "$((files - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
