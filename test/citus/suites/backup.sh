#!/usr/bin/env bash
# Citus suite `backup`: the backup and restore of the whole 3-node cluster, as docs/install.md
# describes it. A base backup of each node (pg_basebackup) while the cluster works, then writes,
# a restore point of the cluster (citus_create_restore_point(): the same consistent point on every
# node), more writes; then every node restored from its base backup and its archived WAL up to
# that point. The cluster afterwards holds exactly what was committed before the restore point, on
# every node, the log and the ledger verify, and calls go on. The suites after this one run on
# the restored cluster. Prints TAP.
. "$(dirname "$0")/../suite.sh" backup
plan 9
rm -f "$out"/*.log
cluster() { bash "$top/test/citus/cluster.sh" "$@"; }
as_owner() { q -c "SET SESSION AUTHORIZATION backup_owner" "$@" | tail -1; }

owner=$(person owner@backup.example 'Bo Backup' backup_owner)
q -v n=2 -f "$top/test/citus/spread.sql" >/dev/null
w1=$(q -c "SELECT actions.create_workspace('Backed up one', owner_id => $owner)")
w2=$(q -c "SELECT actions.create_workspace('Backed up two', owner_id => $owner)")
make_actions() {  # title, how many in each workspace
    q >>"$out/writes.log" 2>&1 <<SQL
SET SESSION AUTHORIZATION backup_owner;
SELECT format('SELECT actions.create_action(%s, %L)', w, '$1') FROM unnest(ARRAY[$w1, $w2]::bigint[]) w, generate_series(1, $2) \gexec
SQL
}
make_actions 'Before the backup' 3
a1=$(as_owner -c "SELECT action_id FROM actions.action WHERE workspace_id = $w1 ORDER BY action_id LIMIT 1")

# The base backups, each node on its own, while the cluster works.
ok_backup=0
for i in 0 1 2; do
    cluster backup "$i" "$(bash "$top/test/cluster.sh" dir "citus-$i")/backup" >>"$out/backup.log" 2>&1 || ok_backup=1
done
ok $ok_backup "a base backup of each of the three nodes"
[ "$ok_backup" = 0 ] || { echo "Bail out! no backup of every node: the cluster is left as it is ($(head -c 200 "$out/backup.log"))"; exit 1; }

make_actions 'Between the backup and the restore point' 2
as_owner -c "SELECT actions.complete($a1)" >/dev/null
q -c "SELECT citus_create_restore_point('pg_actions_backup_suite')" >"$out/restore-point.log" 2>&1
ok $? "citus_create_restore_point() on the coordinator"
# After the restore point: lost by a restore to it.
make_actions 'After the restore point' 1
w3=$(q -c "SELECT actions.create_workspace('Made after the restore point', owner_id => $owner)")

cluster stop >>"$out/restore.log" 2>&1
ok_restore=0
for i in 0 1 2; do
    cluster restore "$i" "$(bash "$top/test/cluster.sh" dir "citus-$i")/backup" pg_actions_backup_suite >>"$out/restore.log" 2>&1 \
        || ok_restore=1
done
ok $ok_restore "the three nodes restored from their base backups and WAL up to the restore point$([ "$ok_restore" = 0 ] || echo " ($(grep -m1 'citus cluster:' "$out/restore.log"))")"

titles=$(q -c "SELECT string_agg(t, '; ' ORDER BY t) FROM (
                 SELECT w.name || ': ' || a.title || ' x' || count(*) AS t FROM actions.action a JOIN actions.workspace w USING (workspace_id)
                  WHERE a.workspace_id IN ($w1, $w2) GROUP BY w.name, a.title) x" 2>&1)
want="Backed up one: Before the backup x3; Backed up one: Between the backup and the restore point x2; Backed up two: Before the backup x3; Backed up two: Between the backup and the restore point x2"
[ "$titles" = "$want" ]
ok $? "both workers hold exactly what was committed before the restore point ($titles)"
status=$(q -c "SELECT status FROM actions.action WHERE workspace_id = $w1 AND action_id = $a1" 2>&1)
[ "$status" = complete ]
ok $? "a change made between the backup and the restore point is there ($status)"
gone=$(q -c "SELECT count(*) FROM actions.workspace WHERE workspace_id = $w3" 2>&1)
[ "$gone" = 0 ]
ok $? "the workspace made after the restore point is not ($gone)"
problems=$(log_problems "$w1" "$w2")
[ "$problems" = 0 ]
ok $? "verify_log finds no problem in either workspace ($problems)"
problems=$(ledger_problems "$w1" "$w2")
[ "$problems" = 0 ]
ok $? "sealed after the restore, verify_ledger finds no problem ($problems)"
made=$(as_owner -c "SELECT actions.create_action($w2, 'After the restore')" 2>&1)
as_owner -c "SELECT actions.complete($made)" >"$out/after.log" 2>&1
done_=$?
[[ "$made" =~ ^[0-9]+$ ]] && [ "$done_" = 0 ]
ok $? "calls by workspace and by id go on in the restored cluster ($made)"
