#!/usr/bin/env bash
# Citus suite `maintenance`: actions.run_maintenance() on the coordinator the runner points
# PGHOST/PGPORT at runs every task on every worker, each over the workspaces placed on it, and
# returns and records what they did; two runs at once do no task's work twice (overdue marks,
# reminders and their notifications); every worker records its own runs; the seals it makes on
# each worker verify. Prints TAP.
. "$(dirname "$0")/../suite.sh" maintenance
plan 10

owner=$(person owner@maint.example 'Mia Maint' maint_owner)
doer=$(person doer@maint.example 'Dan Doer')
q -v n=2 -f "$top/test/citus/spread.sql" >/dev/null
w1=$(q -c "SELECT actions.create_workspace('Maintained one', owner_id => $owner)")
w2=$(q -c "SELECT actions.create_workspace('Maintained two', owner_id => $owner)")
q -c "SELECT actions.add_member($w1, $doer, 'user')" -c "SELECT actions.add_member($w2, $doer, 'user')" >/dev/null
# In each workspace: three actions about to be overdue, two due within the due-soon window.
q <<SQL >"$out/setup.log" 2>&1
SET SESSION AUTHORIZATION maint_owner;
SELECT format('SELECT actions.create_action(%s, %L, assignee_id => $doer, due_at => now() + %L::interval)',
              w, 'Maintained ' || i, CASE WHEN i <= 3 THEN '2 seconds' ELSE '2 hours' END)
  FROM unnest(ARRAY[$w1, $w2]::bigint[]) w, generate_series(1, 5) i \gexec
SQL
ok $? "ten actions in two workspaces on both workers"
runs_on() {  # node counts of mark_overdue's runs: the workers', then the coordinator's
    q -c "SELECT string_agg(w.result, ' ' ORDER BY w.nodeport) FROM run_command_on_workers(
            \$\$SELECT count(*) FROM actions.maintenance_run WHERE task = 'mark_overdue'\$\$) w"
    q -c "SELECT count(*) FROM actions.maintenance_run WHERE task = 'mark_overdue'"
}
before=$(runs_on | paste -sd' ')
sleep 3

# Two runs at once, through the coordinator.
for i in 1 2; do
    q -F ' ' -c "SELECT task, outcome, coalesce(rows_affected, 0), coalesce(error, '') FROM actions.run_maintenance()" \
        >"$out/run-$i.txt" 2>&1 &
    runs[$i]=$!
done
wait "${runs[1]}"; rc1=$?
wait "${runs[2]}"; rc2=$?
failed=$(cat "$out/run-1.txt" "$out/run-2.txt" | grep -cv ' succeeded ')
[ "$rc1" = 0 ] && [ "$rc2" = 0 ] && [ "$failed" = 0 ] && [ "$(wc -l <"$out/run-1.txt")" = 6 ]
ok $? "two run_maintenance() at once on the coordinator: every task succeeded on every worker ($failed failed: $(grep -v ' succeeded ' "$out/run-1.txt" "$out/run-2.txt" | head -2 | cut -c1-160))"
marked=$(awk '$1 == "mark_overdue" { s += $3 } END { print s + 0 }' "$out/run-1.txt" "$out/run-2.txt")
overdue=$(q -c "SELECT count(*) FROM actions.action WHERE workspace_id IN ($w1, $w2) AND status = 'overdue'")
[ "$marked" = 6 ] && [ "$overdue" = 6 ]
ok $? "the six actions past due are marked overdue once between the two runs ($marked marked, $overdue overdue)"
reminders=$(q -c "SELECT kind || ':' || count(*) FROM actions.reminder WHERE workspace_id IN ($w1, $w2) GROUP BY kind ORDER BY kind" | paste -sd' ')
[ "$reminders" = "due_soon:4 overdue:6" ]
ok $? "one reminder per action and kind ($reminders)"
notes=$(q -c "SELECT count(*) - count(DISTINCT (workspace_id, action_id, kind)) FROM actions.notification
               WHERE workspace_id IN ($w1, $w2) AND kind IN ('due_soon', 'overdue')")
[ "$notes" = 0 ]
ok $? "no notification sent twice ($notes duplicates)"
sent=$(q -c "SELECT count(*) FROM actions.notification WHERE workspace_id IN ($w1, $w2) AND kind IN ('due_soon', 'overdue')")
[ "$sent" = 10 ]
ok $? "each of the ten reminders notified the assignee ($sent)"

# Each worker recorded its own runs; the coordinator what they added up to.
after=$(runs_on | paste -sd' ')
added=$(awk -v b="$before" -v a="$after" 'BEGIN { split(b, x, " "); split(a, y, " "); print y[1] - x[1], y[2] - x[2], y[3] - x[3] }')
[ "$added" = "2 2 2" ]
ok $? "maintenance_run: each worker recorded both runs of each task, and the coordinator what they added up to ($added more)"
status=$(q -c "SELECT string_agg(task || '=' || last_outcome || '/' || backlog, ' ' ORDER BY position) FROM actions.maintenance_status" 2>&1)
[[ "$status" == "mark_overdue=succeeded/0 "* ]]
ok $? "maintenance_status on the coordinator: the cluster's last runs and backlogs (${status:0:160})"

# The seals were made on each worker, over its own workspaces.
seals=$(q -c "SELECT count(DISTINCT workspace_id) FROM actions.ledger_seal WHERE workspace_id IN ($w1, $w2)")
problems=$(q -c "SELECT (SELECT count(*) FROM actions.verify_ledger($w1)) + (SELECT count(*) FROM actions.verify_ledger($w2))")
[ "$seals" = 2 ] && [ "$problems" = 0 ]
ok $? "both workspaces sealed on their workers, and their ledgers verify ($seals sealed, $problems problems)"

err=$(q -c "SELECT actions.run_task_here('mark_overdue')" 2>&1 >/dev/null | grep -m1 ERROR)
[[ "$err" == *"runs on the workers"* ]]
ok $? "a task alone on the coordinator is refused with a pointer to run_maintenance() (${err:0:120})"
