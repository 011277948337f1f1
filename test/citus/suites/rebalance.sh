#!/usr/bin/env bash
# Citus suite `rebalance`: a workspace's shards moved to the other worker with
# citus_move_shard_placement while writers run through the coordinator the runner points
# PGHOST/PGPORT at (pgbench: create_action by the workspace, add_note by an action's id, which the
# coordinator must find on its new node). Afterwards every acknowledged write is there (the counts
# pgbench reports, exactly), the log and the ledger verify, calls by workspace and by id reach the
# new node, and nothing is left behind on the old one. Prints TAP.
. "$(dirname "$0")/../suite.sh" rebalance
plan 12
SECONDS_UNDER_LOAD=${REBALANCE_SECONDS:-8}
as_owner() { q -c "SET SESSION AUTHORIZATION rebalance_owner" "$@" | tail -1; }

owner=$(person owner@rebalance.example 'Rea Balance' rebalance_owner)
q -v n=2 -f "$top/test/citus/spread.sql" >/dev/null
ws=$(q -c "SELECT actions.create_workspace('Moved', owner_id => $owner)")
stay=$(q -c "SELECT actions.create_workspace('Stays', owner_id => $owner)")
placement() {  # workspace: shard id and port of its placement
    q -F ' ' -c "SELECT p.shardid, n.nodeport FROM pg_dist_placement p JOIN pg_dist_node n USING (groupid)
                  WHERE p.shardid = get_shard_id_for_distribution_column('actions.workspace', $1)"
}
read -r shard from_port < <(placement "$ws")
read -r _ stay_port < <(placement "$stay")
to_port=$((from_port == base + 1 ? base + 2 : base + 1))
# Work made before the move, on the node the workspace is on now: a noted action, a completed one,
# a seal.
noted=$(as_owner -c "SELECT actions.create_action($ws, 'Noted under the move')")
done_before=$(as_owner -c "SELECT actions.create_action($ws, 'Completed after the move')")
as_owner -c "SELECT actions.add_note($noted, 'before the move')" >/dev/null
q -c "SELECT actions.seal_ledger($ws)" >/dev/null
other=$(as_owner -c "SELECT actions.create_action($stay, 'On the other worker')")

# The writers: four clients, for a write by workspace and a write by an action's id, in runs of one
# second one after the other (a client that fails stops for the rest of its run only); the counts
# of every run are what was acknowledged.
printf 'SELECT actions.create_action(:ws, %s);\n' "'Created under the move'" >"$out/create.sql"
printf 'SELECT actions.add_note(:noted, %s);\n' "'under the move'" >"$out/note.sql"
rm -f "$out"/pgbench.*.log
(
    for i in $(seq 1 "$SECONDS_UNDER_LOAD"); do
        pgbench -n -U rebalance_owner -c 4 -j 2 -T 1 -D ws="$ws" -D noted="$noted" \
            -f "$out/create.sql" -f "$out/note.sql" pg_actions >"$out/pgbench.$i.log" 2>&1
    done
) &
writers=$!
sleep 2
moved=$(q -c "SELECT citus_move_shard_placement($shard, '127.0.0.1', $from_port, '127.0.0.1', $to_port,
                                                shard_transfer_mode => 'block_writes')" 2>"$out/move.log")
move_rc=$?
moved_at=$(q -c "SELECT clock_timestamp()")
wait "$writers"
acknowledged() {  # script number: its transactions over every run
    awk -v want="SQL script $1:" 'index($0, want) == 1 { s = 1; next } /^SQL script/ { s = 0 }
         s && /^ - [0-9]+ transactions/ { n += $2 } END { print n + 0 }' "$out"/pgbench.*.log
}
created=$(acknowledged 1)
noted_n=$(acknowledged 2)
aborted=$(cat "$out"/pgbench.*.log | grep -c "aborted in command")

[ "$move_rc" = 0 ]
ok $? "citus_move_shard_placement of workspace $ws's shard $shard from port $from_port to $to_port under load ($(head -c 200 "$out/move.log"))"
read -r _ now_port < <(placement "$ws")
[ "$now_port" = "$to_port" ]
ok $? "the workspace is now placed on port $to_port ($now_port)"
# A call in flight when the move ends may fail (an error, nothing written: the counts below are
# exact); the writes go on on the new node.
after_move=$(q -c "SELECT (SELECT count(*) FROM actions.action WHERE workspace_id = $ws AND title = 'Created under the move'
                             AND created_at > '$moved_at') || ' ' ||
                          (SELECT count(*) FROM actions.note WHERE workspace_id = $ws AND body = 'under the move'
                             AND created_at > '$moved_at')")
read -r c_after n_after <<<"$after_move"
[ "${c_after:-0}" -gt 0 ] && [ "${n_after:-0}" -gt 0 ]
ok $? "writes by workspace and by id went on after the move ($c_after and $n_after; $aborted client run(s) stopped by an error)"
# Every acknowledged write is there. A few more may be: a call still running when a one-second
# run's time is up commits without pgbench counting it (at most one per client and run).
in_flight=$((SECONDS_UNDER_LOAD * 4))
have=$(q -c "SELECT count(*) FROM actions.action WHERE workspace_id = $ws AND title = 'Created under the move'")
[ -n "$created" ] && [ "$created" -gt 0 ] && [ "$have" -ge "$created" ] && [ "$have" -le $((created + in_flight)) ]
ok $? "every acknowledged create_action is there: $have rows for $created acknowledged (at most $in_flight unacknowledged)"
have=$(q -c "SELECT count(*) FROM actions.note WHERE workspace_id = $ws AND action_id = $noted AND body = 'under the move'")
[ -n "$noted_n" ] && [ "$noted_n" -gt 0 ] && [ "$have" -ge "$noted_n" ] && [ "$have" -le $((noted_n + in_flight)) ]
ok $? "every acknowledged add_note(action_id) is there: $have rows for $noted_n acknowledged (at most $in_flight unacknowledged)"
problems=$(log_problems "$ws")
[ "$problems" = 0 ]
ok $? "verify_log of the moved workspace finds no problem ($problems)"
problems=$(ledger_problems "$ws")
[ "$problems" = 0 ]
ok $? "sealed on its new node, verify_ledger finds no problem across the seals before and after the move ($problems)"
as_owner -c "SELECT actions.complete($done_before)" >/dev/null 2>"$out/complete.log"
ok $? "complete(action_id) of an action made before the move reaches the new node"
status=$(q -c "SELECT status FROM actions.action WHERE workspace_id = $ws AND action_id = $done_before")
[ "$status" = complete ]
ok $? "and it is complete ($status)"
after=$(as_owner -c "SELECT actions.create_action($ws, 'After the move')" 2>"$out/after.log")
[ -n "$after" ] && [ "$((after >> 48))" = "$(q -c "SELECT groupid FROM pg_dist_node WHERE nodeport = $to_port")" ]
ok $? "a new action of the workspace is made on the new node (its id from that node's range: $after)"
as_owner -c "SELECT actions.complete($other)" >/dev/null 2>"$out/other.log"
ok $? "the workspace that stayed on port $stay_port is not disturbed"
# The old node holds no row of the workspace any more: Citus drops the old placements once no
# transaction uses them (citus_cleanup_orphaned_resources() does it now; pg_dist_cleanup lists
# what is left to drop). Each shard of the old node is counted; one dropped meanwhile counts 0.
for _ in $(seq 1 50); do
    q -c "CALL citus_cleanup_orphaned_resources()" >>"$out/cleanup.log" 2>&1
    [ "$(q -c "SELECT count(*) FROM pg_dist_cleanup")" = 0 ] && break
    sleep 0.2
done
left=$(psql -X -tA -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$from_port" -U postgres -d pg_actions 2>&1 <<SQL | tail -1
SET citus.override_table_visibility = off;
DO \$\$
DECLARE
    shard regclass;
    rows bigint;
    total bigint := 0;
BEGIN
    FOR shard IN SELECT c.oid FROM pg_class c
                   JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'workspace_id' AND NOT a.attisdropped
                  WHERE c.relnamespace = 'actions'::regnamespace AND c.relkind = 'r' AND c.relname ~ '_[0-9]+$'
    LOOP
        BEGIN
            EXECUTE format('SELECT count(*) FROM %s WHERE workspace_id = $ws', shard) INTO rows;
            total := total + rows;
        EXCEPTION WHEN undefined_table THEN NULL;
        END;
    END LOOP;
    PERFORM set_config('rebalance.left', total::text, false);
END
\$\$;
SELECT current_setting('rebalance.left');
SQL
)
[ "$left" = 0 ]
ok $? "the old node's shards hold no row of the workspace ($left)"
