#!/usr/bin/env bash
# Sweep soak: concurrent writers and sweepers, counting deadlocks (40P01). One workspace, 300
# actions assigned to Bob, two escalation rules firing on the day an action falls due (reassign to
# Carol, notify the owner). For SOAK_SECONDS (default 60), at once:
#   - 8 pgbench clients as the owner: bulk_update of 3 random actions (due in a second), a single
#     update_action (due in a second) and bulk_reassign of 2 random actions back to Bob, 2:2:1;
#   - 4 pgbench clients as postgres calling mark_overdue(), escalate_overdue() and
#     run_maintenance() in turns, each call its own transaction.
# pgbench runs with --max-tries=1 --failures-detailed, so a deadlock is counted, not retried; the
# tasks run_maintenance() ran are counted from actions.maintenance_run. Last line:
# "soak: N deadlocks (writers W, sweepers S, inside run_maintenance R)". Standalone: starts (and
# stops) its own cluster soaksweeps on SOAK_PORT (default 54379).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. "$top/test/pg_env.sh"
export PATH="$bindir:$PATH"
T=${SOAK_SECONDS:-60}
port=${SOAK_PORT:-54379}
tmp=$(mktemp -d)
dir=$(bash test/cluster.sh start soaksweeps "$port") || { echo "soak: could not start the cluster"; exit 1; }
trap 'bash "$top/test/cluster.sh" stop soaksweeps; rm -rf "$tmp"' EXIT
export PGHOST=$dir PGPORT=$port PGUSER=postgres
psql -X -q -d postgres -c 'DROP DATABASE IF EXISTS soak WITH (FORCE)' -c 'CREATE DATABASE soak' || exit 1
psql -X -q -v ON_ERROR_STOP=1 -d soak >/dev/null <<'SQL' || { echo "soak: set-up failed"; exit 1; }
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'soak_owner') THEN CREATE ROLE soak_owner LOGIN; END IF; END $$;
CREATE EXTENSION pg_actions;
SELECT actions.create_person('o@soak.example', 'Owner', 'soak_owner');
SELECT actions.create_person('b@soak.example', 'Bob', NULL);
SELECT actions.create_person('c@soak.example', 'Carol', NULL);
SELECT actions.create_workspace('Soak', owner_id => 1);
SELECT actions.add_member(1, 2, 'user');
SELECT actions.add_member(1, 3, 'manager');
SET SESSION AUTHORIZATION soak_owner;
SELECT actions.create_escalation_rule(1, 0, 'reassign', person_id => 3);
SELECT actions.create_escalation_rule(1, 0, 'notify_owner');
SELECT count(actions.create_action(1, 'soak ' || i, assignee_id => 2, due_at => now() + (i % 20) * interval '1 second'))
  FROM generate_series(1, 300) i;
SQL
cat >"$tmp/w_bulk.sql" <<'SQL'
\set a random(1, 300)
\set b random(1, 300)
\set c random(1, 300)
SELECT count(*) FROM actions.bulk_update(ARRAY[:a, :b, :c]::bigint[], due_at => now() + interval '1 second');
SQL
cat >"$tmp/w_single.sql" <<'SQL'
\set a random(1, 300)
SELECT actions.update_action(:a, due_at => now() + interval '1 second');
SQL
cat >"$tmp/w_reassign.sql" <<'SQL'
\set a random(1, 300)
\set b random(1, 300)
SELECT count(*) FROM actions.bulk_reassign(ARRAY[:a, :b]::bigint[], 2);
SQL
echo 'SELECT actions.mark_overdue();' >"$tmp/s_mark.sql"
echo 'SELECT actions.escalate_overdue();' >"$tmp/s_esc.sql"
echo 'SELECT count(*) FROM actions.run_maintenance();' >"$tmp/s_run.sql"
pgbench -n -d soak -U soak_owner -c 8 -j 2 -T "$T" --max-tries=1 --failures-detailed \
    -f "$tmp/w_bulk.sql@2" -f "$tmp/w_single.sql@2" -f "$tmp/w_reassign.sql@1" >"$tmp/w.log" 2>&1 &
pgbench -n -d soak -U postgres -c 4 -j 1 -T "$T" --max-tries=1 --failures-detailed \
    -f "$tmp/s_mark.sql" -f "$tmp/s_esc.sql" -f "$tmp/s_run.sql" >"$tmp/s.log" 2>&1 &
wait
deadlocks() { sed -n 's/^number of deadlock failures: \([0-9]*\).*/\1/p' "$1" | head -1; }
calls() { sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$1" | head -1; }
w=$(deadlocks "$tmp/w.log"); s=$(deadlocks "$tmp/s.log")
r=$(psql -X -At -d soak -c "SELECT count(*) FROM actions.maintenance_run WHERE sqlstate = '40P01'")
echo "soak: writers $(calls "$tmp/w.log") calls, sweepers $(calls "$tmp/s.log") calls, $(psql -X -At -d soak -c 'SELECT count(*) FROM actions.maintenance_run') tasks inside run_maintenance"
grep -E '^SQL script|deadlock failures' "$tmp/w.log" "$tmp/s.log" | sed "s|$tmp/||"
echo "soak: $(( ${w:-0} + ${s:-0} + ${r:-0} )) deadlocks (writers ${w:-?}, sweepers ${s:-?}, inside run_maintenance ${r:-?})"
