#!/usr/bin/env bash
# Installs what building and testing pg_actions (and running docs/examples) needs, on Debian 12,
# when it is missing.
set -euo pipefail
pkgs=(postgresql-15 postgresql-server-dev-15 postgresql-15-cron postgresql-15-pgtap
      libtap-parser-sourcehandler-pgtap-perl libipc-run-perl
      g++ make cmake libgtest-dev libbenchmark-dev libssl-dev libical-dev pkg-config
      python3-psycopg python3-psycopg-pool pgbouncer    # docs/examples/python and its PgBouncer test
      python3-aiosmtpd                                  # contrib/notifier's test (011_notifier.pl)
      prometheus-postgres-exporter prometheus           # contrib/prometheus's test (012_prometheus.pl)
      liblz4-dev libzstd-dev libkrb5-dev)               # building Citus from source (test/citus/build.sh)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# docs/examples/node: any node and npm on PATH will do (Debian 12's are nodejs 18 and npm 9).
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# No prompt may stop an unattended install (CI has no terminal): keep existing config files.
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}" >/dev/null
# The tests start their own exporter on 127.0.0.1 and a free port; the services the Debian packages
# enable (prometheus on :9090, prometheus-postgres-exporter on :9187) are not wanted on a build
# machine. Without systemd (a container) they are not started at all.
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
    for s in prometheus prometheus-postgres-exporter; do
        case " ${missing[*]} " in
            *" $s "*) $sudo systemctl disable --now "$s" >/dev/null 2>&1 || true ;;
        esac
    done
fi
