#!/usr/bin/env bash
# `make demo`: build, install, start a private cluster, load a demo workspace, show a short tour.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. "$top/test/pg_env.sh"
export PATH="$bindir:$PATH"
port=${PG_ACTIONS_DEMO_PORT:-54329}
sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo

echo "building and installing pg_actions ..."
make -j2 >/dev/null
$sudo env PG_CONFIG="$PG_CONFIG" make install >/dev/null
dir=$(bash test/cluster.sh start demo "$port")
export PGHOST=$dir PGPORT=$port PGUSER=postgres
# The layout of README's "Backups and restores": pg_cron in the database postgres
# (cron.database_name), pg_actions in its own database, whose dump then restores with exit status
# 0 (test/tap/014_demo_restore.pl). A demo cluster made before keeps pg_cron in pg_actions: moved.
cron=""
if [ -n "$(psql -X -q -d postgres -tAc "SELECT 1 FROM pg_settings WHERE name = 'cron.database_name'")" ]; then
    cron=yes
    if [ "$(psql -X -q -d postgres -tAc 'SHOW cron.database_name')" != postgres ]; then
        psql -X -q -d postgres -c "ALTER SYSTEM SET cron.database_name = 'postgres'"
        bash test/cluster.sh stop demo
        dir=$(bash test/cluster.sh start demo "$port")
    fi
fi
psql -X -q -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'pg_actions'" | grep -q 1 \
    || psql -X -q -d postgres -c "CREATE DATABASE pg_actions"
if [ -n "$cron" ]; then
    psql -X -q -d postgres -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pg_cron;
-- The job of a 0.1 demo; DROP EXTENSION pg_actions below removes the job of 0.2 itself.
SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname = 'pg_actions_maintenance';
SQL
fi
# A fresh demo every time: the extension's tables go with it (and its job, in pg_cron's database).
psql -X -q -d pg_actions -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_actions CASCADE;
DROP EXTENSION IF EXISTS pg_cron;
CREATE EXTENSION pg_actions;
SQL
psql -X -q -d pg_actions -f docs/examples/demo.sql

cat <<TXT

== Play further
  psql -h $dir -p $port -U postgres pg_actions      # as the superuser (reads every table)
  psql -h $dir -p $port -U demo_alice pg_actions    # as Alice, the owner: SELECT actions.create_action(...)
  psql -h $dir -p $port -U demo_carol pg_actions    # as Carol, actions_access
pg_cron (in the database postgres) runs the maintenance job every minute (cron.job_run_details there shows each run):
  psql -h $dir -p $port -U postgres pg_actions -c 'SELECT * FROM actions.maintenance_status'
Stop the cluster with: make stop
TXT
