#!/usr/bin/env bash
# A private PostgreSQL cluster for the demo, the tests or the benchmark, of the PostgreSQL that
# PG_CONFIG names (default: the system's 15; see test/pg_env.sh).
#   cluster.sh start NAME PORT   initdb (once), start, print the directory
#   cluster.sh stop NAME
#   cluster.sh dir NAME          where its data and socket live
# The server runs as an unprivileged OS user: initdb refuses root. When run as root, the user
# pg_actions is created and owns the cluster directory.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/test/pg_env.sh"
runner=pg_actions

as_runner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u "$runner" -- "$@"; else "$@"; fi
}

cluster_dir() {
    local name=$1 dir="$top/.pg/$1"
    # The runner must reach the checkout; a checkout under a private home falls back to /var/tmp.
    if [ "$(id -u)" -eq 0 ]; then
        id "$runner" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$runner"
        mkdir -p "$dir"
        chown "$runner" "$top/.pg" "$dir"
        if ! runuser -u "$runner" -- test -w "$dir"; then
            dir="/var/tmp/pg_actions-$(echo "$top" | md5sum | cut -c1-8)/$name"
            mkdir -p "$dir"; chown "$runner" "$(dirname "$dir")" "$dir"
        fi
    else
        mkdir -p "$dir"
    fi
    # Unix socket paths are limited to 107 bytes.
    if [ ${#dir} -gt 80 ]; then
        local short="/tmp/pg_actions-$(echo "$dir" | md5sum | cut -c1-8)"
        mkdir -p "$short"; [ "$(id -u)" -eq 0 ] && chown "$runner" "$short"
        dir=$short
    fi
    echo "$dir"
}

cmd=${1:?usage: cluster.sh start|stop|dir NAME [PORT]}
name=${2:?cluster name}
# A cluster of another major version lives beside the system's 15 one.
[ "$pg_major" = 15 ] || name="$name-pg$pg_major"
dir=$(cluster_dir "$name")
case "$cmd" in
    dir) echo "$dir" ;;
    start)
        port=${3:?port}
        if [ ! -f "$dir/data/PG_VERSION" ]; then
            as_runner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
            cat >>"$dir/data/postgresql.conf" <<CONF
port = $port
listen_addresses = ''
unix_socket_directories = '$dir'
max_connections = 40
fsync = off
log_min_messages = warning
CONF
            # pg_cron runs the maintenance job; a PostgreSQL without it runs the rest.
            if [ -f "$pkglibdir/pg_cron.so" ]; then
                printf "shared_preload_libraries = 'pg_cron'\ncron.database_name = 'pg_actions'\n" >>"$dir/data/postgresql.conf"
            fi
        fi
        # pg_cron runs a job over a libpq connection to cron.host, localhost by default: this
        # server listens on its socket directory only, so that is where the jobs must connect.
        # Written on every start, so a cluster created before the setting existed gets it too
        # (and is restarted when running: cron.host is read at server start only).
        restart=""
        if grep -q "^shared_preload_libraries = 'pg_cron'" "$dir/data/postgresql.conf" \
            && ! grep -q "^cron.host = " "$dir/data/postgresql.conf"; then
            echo "cron.host = '$dir'" >>"$dir/data/postgresql.conf"
            restart=yes
        fi
        # A cluster made earlier on another port moves to the one asked for now.
        if ! grep -q "^port = $port\$" "$dir/data/postgresql.conf"; then
            as_runner sed -i "s/^port = .*/port = $port/" "$dir/data/postgresql.conf"
            restart=yes
        fi
        if ! as_runner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
            as_runner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start >/dev/null
        elif [ -n "$restart" ]; then
            as_runner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m fast -w restart >/dev/null
        fi
        echo "$dir"
        ;;
    stop)
        if [ -f "$dir/data/PG_VERSION" ]; then
            as_runner "$bindir/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
        fi
        ;;
    *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
