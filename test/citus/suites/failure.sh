#!/usr/bin/env bash
# Citus suite `failure`: one worker stopped (immediately, as a crash would). Through the coordinator
# the runner points PGHOST/PGPORT at, the calls for workspaces on the other worker go on (by
# workspace and by an entity's id); the calls for a workspace on the stopped worker fail with an
# error naming that node, and write nothing anywhere; after the worker is started again every
# call works and the log and the ledger of both workspaces verify. Prints TAP.
. "$(dirname "$0")/../suite.sh" failure
plan 10
as_owner() { q -c "SET SESSION AUTHORIZATION failure_owner" "$@" | tail -1; }

owner=$(person owner@failure.example 'Fay Failure' failure_owner)
q -v n=2 -f "$top/test/citus/spread.sql" >/dev/null
w1=$(q -c "SELECT actions.create_workspace('Failure one', owner_id => $owner)")
w2=$(q -c "SELECT actions.create_workspace('Failure two', owner_id => $owner)")
up_port=$(port_of "$w1") down_port=$(port_of "$w2")
if [ "$up_port" = "$down_port" ]; then
    echo "Bail out! both workspaces are on port $up_port (spread.sql should place them on both workers)"
    exit 1
fi
down_node=$((down_port - base))
a1=$(as_owner -c "SELECT actions.create_action($w1, 'Before the stop')")
a2=$(as_owner -c "SELECT actions.create_action($w2, 'Before the stop')")

bash "$top/test/citus/cluster.sh" stop-node "$down_node" >"$out/stop.log" 2>&1
ok $? "worker on port $down_port stopped"

# The workspace on the worker still up: by workspace, by an entity's id, and a listing.
made=$(as_owner -c "SELECT actions.create_action($w1, 'While the other worker is down')" 2>"$out/up-create.log")
[ -n "$made" ] && [ "$made" -gt 0 ] 2>/dev/null
ok $? "create_action for the workspace on port $up_port goes on"
as_owner -c "SELECT actions.complete($a1)" >/dev/null 2>"$out/up-complete.log"
ok $? "complete(action_id) of that workspace goes on (its id was made on the worker that is up)"
# A bare call (sent whole to the worker), whose statements read that workspace's shards alone.
listed=$(q -c "SET SESSION AUTHORIZATION failure_owner" -c "SELECT action_id FROM actions.list_actions($w1)" 2>"$out/up-list.log" | wc -l)
[ "$listed" = 2 ]
ok $? "list_actions of that workspace lists its 2 actions ($listed)"

# The workspace on the stopped worker: an error naming the node; nothing written.
err=$(as_owner -c "SELECT actions.create_action($w2, 'Lost?')" 2>&1 >/dev/null | grep -m1 ERROR)
[[ "$err" == *"$down_port"* ]]
ok $? "create_action for the workspace on the stopped worker fails naming it: ${err:0:160}"
err=$(as_owner -c "SELECT actions.complete($a2)" 2>&1 >/dev/null | grep -m1 ERROR)
[[ "$err" == *"$down_port"* ]]
ok $? "complete(action_id) of that workspace fails naming the node: ${err:0:160}"

bash "$top/test/citus/cluster.sh" start-node "$down_node" >"$out/start.log" 2>&1
for _ in $(seq 1 50); do pg_isready -q -h 127.0.0.1 -p "$down_port" && break; sleep 0.2; done
after=$(as_owner -c "SELECT actions.create_action($w2, 'After the restart')" 2>"$out/after.log")
[ -n "$after" ] && [ "$after" -gt 0 ] 2>/dev/null
ok $? "after the restart the workspace on port $down_port takes calls again"
titles=$(q -c "SELECT string_agg(title, ', ' ORDER BY action_id) FROM actions.action WHERE workspace_id = $w2")
[ "$titles" = "Before the stop, After the restart" ]
ok $? "its actions are the one made before the stop and the one after, nothing of the failed call ($titles)"
problems=$(log_problems "$w1" "$w2")
[ "$problems" = 0 ]
ok $? "verify_log finds no problem in either workspace ($problems)"
# Sealed now, on each workspace's node, so the ledger's check covers the chains written around the stop.
problems=$(ledger_problems "$w1" "$w2")
[ "$problems" = 0 ]
ok $? "after a seal of each, verify_ledger finds no problem in either workspace ($problems)"
