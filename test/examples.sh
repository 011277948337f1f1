#!/usr/bin/env bash
# The application examples of docs/examples, against the cluster in PGHOST/PGPORT (as PGUSER, a
# superuser, for the set-up), or, when PGHOST is unset, against the demo cluster of `make demo`.
#   examples.sh python|node         run the example; exit status is the example's (0: every check passed)
#   examples.sh runtime python|node print what runs it (the interpreter), or why it cannot run (exit 1)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

# Debian's python3-psycopg and python3-psycopg-pool belong to /usr/bin/python3; a python3 found
# first on PATH (pyenv, a virtualenv) may lack them.
python_runtime() {
    local p
    for p in /usr/bin/python3 "$(command -v python3 || true)"; do
        [ -n "$p" ] && [ -x "$p" ] && "$p" -c 'import psycopg, psycopg_pool' 2>/dev/null && { echo "$p"; return 0; }
    done
    echo "no python3 with psycopg 3 and psycopg_pool (Debian: python3-psycopg python3-psycopg-pool)"
    return 1
}
node_runtime() {
    command -v node >/dev/null && command -v npm >/dev/null && { command -v node; return 0; }
    echo "node or npm is not installed (Debian: nodejs npm)"
    return 1
}

cmd=${1:?usage: examples.sh python|node|runtime python|node}
if [ "$cmd" = runtime ]; then
    case ${2:?python or node} in
        python) python_runtime ;;
        node) node_runtime ;;
        *) echo "unknown example $2" >&2; exit 2 ;;
    esac
    exit
fi

if [ -z "${PGHOST:-}" ]; then
    export PGHOST=$(bash "$top/test/cluster.sh" dir demo) PGPORT=${PG_ACTIONS_DEMO_PORT:-54329}
    if [ ! -S "$PGHOST/.s.PGSQL.$PGPORT" ]; then
        echo "the demo cluster is not running on $PGHOST port $PGPORT: start it with make demo" >&2
        exit 1
    fi
fi
export PGUSER=${PGUSER:-postgres} PGDATABASE=${PGDATABASE:-pg_actions}

case $cmd in
    python)
        py=$(python_runtime) || { echo "$py" >&2; exit 1; }
        exec "$py" "$top/docs/examples/python/app.py"
        ;;
    node)
        why=$(node_runtime) || { echo "$why" >&2; exit 1; }
        cd "$top/docs/examples/node"
        # npm ci installs exactly package-lock.json; again only when the lock file changed.
        if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
            npm ci --no-audit --no-fund --loglevel=error >&2
        fi
        exec node app.js
        ;;
    *) echo "unknown example $cmd" >&2; exit 2 ;;
esac
