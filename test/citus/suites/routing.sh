#!/usr/bin/env bash
# Citus suite `routing`: every function taking a workspace runs on the node holding it, in one
# task. Through the coordinator the runner points PGHOST/PGPORT at (tables distributed by
# actions.distribute()), each call below runs with citus.log_remote_commands on, for workspaces on
# both workers; the commands the coordinator sends are counted: exactly one besides transaction
# control, the call itself, to the node holding the workspace's shard. Prints TAP.
set -uo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
. "$top/test/pg_env.sh"
export PATH="$bindir:$PATH"
out=$top/build/test-logs/citus/routing
mkdir -p "$out"
q() { psql -X -q -tA -v ON_ERROR_STOP=1 "$@"; }

q <<'SQL' >/dev/null
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'routing_owner') THEN CREATE ROLE routing_owner LOGIN; END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'routing_stranger') THEN CREATE ROLE routing_stranger LOGIN; END IF;
END $$;
SQL
owner=$(q -c "SELECT actions.create_person('owner@routing.example', 'Rory Router', 'routing_owner')")
member=$(q -c "SELECT actions.create_person('member@routing.example', 'Mia Member')")
q -c "SELECT actions.create_person('stranger@routing.example', 'Stan Stranger', 'routing_stranger')" >/dev/null
q -c "SELECT actions.create_person('invitee@routing.example', 'Ines Invitee')" >/dev/null
q -v n=4 -f "$top/test/citus/spread.sql" >/dev/null
workspaces=()
for i in 1 2 3 4; do
    ws=$(q -c "SELECT actions.create_workspace('Routing $i', owner_id => $owner)")
    q -c "SELECT actions.add_member($ws, $member, 'user')" >/dev/null
    workspaces+=("$ws")
done

# The calls: each is run once per workspace, {ws} replaced, as the owner ("admin:": as the
# superuser, for the administration functions).
calls=(
    "SELECT actions.create_action({ws}, 'Routed action', assignee_id => $member)"
    "SELECT actions.create_record({ws}, 'Routed record')"
    "SELECT actions.create_group({ws}, 'Routed group')"
    "SELECT actions.create_role({ws}, 'routed role', '{view_actions}')"
    "SELECT actions.set_workflow({ws}, 'document_review', true)"
    "SELECT actions.set_notification({ws}, 'due_soon', true)"
    "SELECT actions.unread_count({ws})"
    "SELECT count(*) FROM actions.list_actions({ws})"
    "SELECT * FROM actions.due_risk({ws})"
    "SELECT actions.create_calendar({ws}, 'Routed calendar')"
    "SELECT actions.is_working_day(current_date, {ws})"
    "SELECT * FROM actions.list_notifications({ws})"
    "admin: SELECT actions.seal_ledger({ws})"
    "admin: SELECT * FROM actions.verify_log({ws})"
    "admin: SELECT actions.add_member({ws}, $member, 'user')"
)
# The calls taking an entity's id, {a} an action of the workspace, as the owner.
entity_calls=(
    "SELECT actions.add_note({a}, 'Routed note')"
    "SELECT actions.can('complete', {a})"
    "SELECT actions.why_not('complete', {a})"
    "SELECT actions.reassign({a}, $member)"
    "SELECT actions.complete({a})"
    "SELECT * FROM actions.action_status_times({a})"
    "SELECT * FROM actions.bulk_set_status(ARRAY[{a}]::bigint[], 'uncomplete')"
)
total=$(( (${#calls[@]} + ${#entity_calls[@]}) * ${#workspaces[@]} + 2 * ${#workspaces[@]} + 8 ))
echo "1..$total"
n=0

# The port of the node holding a workspace.
node_of() {
    q -c "SELECT n.nodeport FROM pg_dist_placement p JOIN pg_dist_node n USING (groupid)
           WHERE p.shardid = get_shard_id_for_distribution_column('actions.workspace', $1)"
}
# The remote commands of one statement: "PORT<TAB>COMMAND", transaction control left out.
remote_commands() {  # log file
    awk '/NOTICE:  issuing /{sub(/.*NOTICE:  issuing /, ""); cmd=$0; next}
         /DETAIL:  on server /{match($0, /:[0-9]+ /); port=substr($0, RSTART+1, RLENGTH-2);
                               print port "\t" cmd}' "$1" \
        | grep -vE $'\t(BEGIN|COMMIT|ROLLBACK|PREPARE TRANSACTION|COMMIT PREPARED|SELECT assign_distributed_transaction_id)'
}

check() {  # description, workspace, log file, function name
    local want got commands
    n=$((n + 1))
    want=$(node_of "$2")
    commands=$(remote_commands "$3")
    got=$(printf '%s\n' "$commands" | grep -c .)
    if grep -q 'ERROR' "$3"; then
        echo "not ok $n - $1: $(grep -m1 ERROR "$3")"
    elif [ "$got" -eq 1 ] && [ "$(cut -f1 <<<"$commands")" = "$want" ] \
         && grep -qE $'\t'"SELECT .*actions\\.$4\\(" <<<"$commands"; then
        echo "ok $n - $1: one task, to the node holding the workspace (port $want)"
    else
        echo "not ok $n - $1: $got remote commands, want 1 to port $want"
        printf '%s\n' "$commands" | head -5 | sed 's/^/#   /'
    fi
}

for call in "${calls[@]}"; do
    fn=$(sed -E 's/.*actions\.([a-z_]+)\(.*/\1/' <<<"$call")
    as="SET SESSION AUTHORIZATION routing_owner"
    case "$call" in admin:*) as="RESET SESSION AUTHORIZATION"; call=${call#admin: } ;; esac
    for ws in "${workspaces[@]}"; do
        log=$out/$fn-$ws.log
        q -c "SET citus.log_remote_commands = on" -c "SET client_min_messages = notice" \
          -c "$as" -c "${call//\{ws\}/$ws}" >/dev/null 2>"$log"
        check "$fn, workspace $ws" "$ws" "$log" "$fn"
    done
done

# Inside a transaction block (PostgREST, pools): the call is still delegated whole.
for ws in "${workspaces[@]}"; do
    log=$out/block-$ws.log
    q -c "SET citus.log_remote_commands = on" -c "SET client_min_messages = notice" \
      -c "BEGIN" -c "SET LOCAL SESSION AUTHORIZATION routing_owner" \
      -c "SELECT actions.create_action($ws, 'In a block')" -c "COMMIT" >/dev/null 2>"$log"
    check "create_action in a transaction block, workspace $ws" "$ws" "$log" create_action
done

# The functions taking an entity's id: the coordinator asks the node that made the id (the id
# says which: each worker allocates from its own range) for its workspace, then sends the call
# whole, through actions.forward(), to the node holding that workspace: two tasks, both to that
# node, and no query of every shard.
check_forwarded() {  # description, workspace, log file, function name
    local want commands ports
    n=$((n + 1))
    want=$(node_of "$2")
    commands=$(remote_commands "$3")
    ports=$(cut -f1 <<<"$commands" | sort -u | tr '\n' ' ')
    if grep -q 'ERROR' "$3"; then
        echo "not ok $n - $1: $(grep -m1 ERROR "$3")"
    elif [ "$(grep -c . <<<"$commands")" -eq 2 ] && [ "$ports" = "$want " ] \
         && grep -qE $'\t'"SELECT .* FROM actions\\.workspace_of_ids\\(" <<<"$commands" \
         && grep -qE $'\t'"SELECT .* FROM actions\\.forward\\(.*'actions\\.$4\\(" <<<"$commands"; then
        echo "ok $n - $1: the lookup and the call, one task each, to the node holding the workspace (port $want)"
    else
        echo "not ok $n - $1: $(grep -c . <<<"$commands") remote commands to ports $ports, want the lookup and the call to port $want"
        printf '%s\n' "$commands" | head -5 | sed 's/^/#   /'
    fi
}
for ws in "${workspaces[@]}"; do
    action=$(q -c "SET SESSION AUTHORIZATION routing_owner" -c "SELECT actions.create_action($ws, 'Entity call', assignee_id => $member)" | tail -1)
    for call in "${entity_calls[@]}"; do
        fn=$(sed -E 's/.*actions\.([a-z_]+)\(.*/\1/' <<<"$call")
        log=$out/entity-$fn-$ws.log
        q -c "SET citus.log_remote_commands = on" -c "SET client_min_messages = notice" \
          -c "SET SESSION AUTHORIZATION routing_owner" -c "${call//\{a\}/$action}" >/dev/null 2>"$log"
        check_forwarded "$fn(action_id), workspace $ws" "$ws" "$log" "$fn"
    done
done

# An action somebody may not see reads as missing through the coordinator too, and its workspace
# is never named to a node: the call goes to the first worker for a workspace value placed there,
# which holds no such action, and says "not found" in the function's own words.
hidden=$(q -c "SET SESSION AUTHORIZATION routing_owner" -c "SELECT actions.create_action(${workspaces[0]}, 'Hidden from strangers')" | tail -1)
n=$((n + 1))
log=$out/hidden.log
got_hidden=$(psql -X -q -tA -c "SET citus.log_remote_commands = on" -c "SET client_min_messages = notice" \
    -c "SET SESSION AUTHORIZATION routing_stranger" -c "SELECT actions.complete($hidden)" 2>"$log" >/dev/null; grep -m1 ERROR "$log")
got_missing=$(psql -X -q -tA -c "SET SESSION AUTHORIZATION routing_stranger" -c "SELECT actions.complete(987654321)" 2>&1 >/dev/null | grep -m1 ERROR)
named=$(remote_commands "$log" | grep -c "actions.forward(${workspaces[0]},")
if [[ "$got_hidden" == *"not found"* ]] && [ "${got_hidden//$hidden/ID}" = "${got_missing//987654321/ID}" ] && [ "$named" -eq 0 ]; then
    echo "ok $n - a stranger completing a hidden action gets what a missing one gives, \"not found\"; its workspace is named to no node"
else
    echo "not ok $n - hidden: '$got_hidden'; missing: '$got_missing'"; grep -m3 'issuing' "$log" | sed 's/^/#   /'
fi

# accept_invitation(token): the token begins with its workspace, so the call goes whole to the
# node holding it: one task, no lookup, no query of every shard.
for ws in "${workspaces[@]}"; do
    action=$(q -c "SET SESSION AUTHORIZATION routing_owner" -c "SELECT actions.create_action($ws, 'Invited')" | tail -1)
    q -c "SET SESSION AUTHORIZATION routing_owner" -c "SELECT actions.assign_by_email($action, 'invitee@routing.example')" >/dev/null
    token=$(q -c "SELECT i.token FROM actions.invitation i JOIN actions.person p USING (person_id)
                   WHERE i.workspace_id = $ws AND p.email = 'invitee@routing.example'")
    log=$out/accept-$ws.log
    q -c "SET citus.log_remote_commands = on" -c "SET client_min_messages = notice" \
      -c "SELECT actions.accept_invitation('$token')" >/dev/null 2>"$log"
    n=$((n + 1))
    want=$(node_of "$ws")
    commands=$(remote_commands "$log")
    if ! grep -q ERROR "$log" && [ "$(grep -c . <<<"$commands")" -eq 1 ] && [ "$(cut -f1 <<<"$commands")" = "$want" ] \
       && grep -qE $'\t'"SELECT .* FROM actions\\.forward\\(.*'actions\\.accept_invitation\\(" <<<"$commands"; then
        echo "ok $n - accept_invitation(token), workspace $ws: one task, to the node holding the workspace (port $want)"
    else
        echo "not ok $n - accept_invitation(token), workspace $ws: $(grep -m1 ERROR "$log") $(grep -c . <<<"$commands") remote commands, want 1 to port $want"
        printf '%s\n' "$commands" | head -5 | sed 's/^/#   /'
    fi
done

# A question about the person across their workspaces: asked of each worker once, answers joined.
n=$((n + 1))
log=$out/member-workspaces.log
count=$(q -c "SET citus.log_remote_commands = on" -c "SET client_min_messages = notice" \
          -c "SET SESSION AUTHORIZATION routing_owner" -c "SELECT cardinality(actions.member_workspaces())" 2>"$log" | tail -1)
asked=$(remote_commands "$log" | grep "actions.forward(.*'actions.member_workspaces()" | cut -f1 | sort | uniq -c | awk '{print $1}' | sort -u | tr '\n' ' ')
nodes=$(remote_commands "$log" | cut -f1 | sort -u | grep -c .)
if [ "$count" = "${#workspaces[@]}" ] && [ "$asked" = "1 " ] && [ "$nodes" = 2 ]; then
    echo "ok $n - member_workspaces(): ${#workspaces[@]} workspaces, each worker asked once"
else
    echo "not ok $n - member_workspaces(): $count workspaces (want ${#workspaces[@]}), tasks per node: $asked, nodes: $nodes"
fi

# assign_by_email of an e-mail nobody has: the node holding the action cannot add the person (a
# reference table's row): refused, after the permission check, with what to do instead.
n=$((n + 1))
action=$(q -c "SET SESSION AUTHORIZATION routing_owner" -c "SELECT actions.create_action(${workspaces[0]}, 'By a new e-mail')" | tail -1)
got=$(psql -X -q -tA -v VERBOSITY=verbose -c "SET SESSION AUTHORIZATION routing_owner" \
        -c "SELECT actions.assign_by_email($action, 'nobody-yet@routing.example')" 2>&1 >/dev/null | grep -m1 ERROR)
known=$(q -c "SELECT count(*) FROM actions.person WHERE email = 'nobody-yet@routing.example'")
if [[ "$got" == *"0A000"*"assigns people pg_actions knows already"* ]] && [ "$known" = 0 ]; then
    echo "ok $n - assign_by_email of an unknown e-mail through the coordinator: 0A000, nobody added"
else
    echo "not ok $n - assign_by_email of an unknown e-mail: '$got', people with it: $known"
fi

# A business calendar (reference data) is changed on the coordinator; the caller's membership is
# read from the node holding the calendar's workspace alone.
n=$((n + 1))
cal=$(q -c "SET SESSION AUTHORIZATION routing_owner" -c "SELECT actions.create_calendar(${workspaces[0]}, 'Routed shift', use_it => false)" | tail -1)
log=$out/calendar.log
q -c "SET citus.log_remote_commands = on" -c "SET client_min_messages = notice" \
  -c "SET SESSION AUTHORIZATION routing_owner" -c "SELECT actions.alter_calendar($cal, name => 'Routed late shift')" >/dev/null 2>"$log"
want=$(node_of "${workspaces[0]}")
member_reads=$(remote_commands "$log" | grep -E 'actions\.member_[0-9]+ ' | cut -f1 | sort -u | tr '\n' ' ')
renamed=$(q -c "SELECT name FROM actions.calendar WHERE calendar_id = $cal")
if ! grep -q ERROR "$log" && [ "$renamed" = "Routed late shift" ] && [ "$member_reads" = "$want " ]; then
    echo "ok $n - alter_calendar through the coordinator: renamed, the membership read from the node holding the workspace only"
else
    echo "not ok $n - alter_calendar: $(grep -m1 ERROR "$log") name '$renamed', membership read on: $member_reads (want $want)"
fi

# A set-returning bulk call with actions of several workspaces, on both workers: split per
# workspace, one forwarded call each, the rows of all returned (each workspace's part commits or
# fails with the transaction, as any statement does).
bulk_ids=()
for ws in "${workspaces[@]}"; do
    bulk_ids+=("$(q -c "SET SESSION AUTHORIZATION routing_owner" -c "SELECT actions.create_action($ws, 'Bulk across')" | tail -1)")
done
n=$((n + 1))
log=$out/bulk-across.log
ok_rows=$(psql -X -q -tA -c "SET citus.log_remote_commands = on" -c "SET client_min_messages = notice" \
    -c "SET SESSION AUTHORIZATION routing_owner" \
    -c "SELECT count(*) FILTER (WHERE ok) FROM actions.bulk_set_status(ARRAY[$(IFS=,; echo "${bulk_ids[*]}")]::bigint[], 'start')" 2>"$log")
forwards=$(grep -c 'issuing SELECT .* FROM actions.forward(' "$log")
ports=$(remote_commands "$log" | grep 'actions.forward(' | cut -f1 | sort -u | grep -c .)
if [ "$ok_rows" = "${#bulk_ids[@]}" ] && [ "$forwards" = "${#workspaces[@]}" ] && [ "$ports" = 2 ]; then
    echo "ok $n - bulk_set_status over ${#bulk_ids[@]} workspaces: one forwarded call per workspace, to both workers, every row started"
else
    echo "not ok $n - bulk across workspaces: $ok_rows rows started, $forwards forwarded calls, to $ports worker(s)"
fi
n=$((n + 1))
states=$(q -c "SELECT string_agg(DISTINCT status, ',') FROM actions.action WHERE action_id IN ($(IFS=,; echo "${bulk_ids[*]}"))")
if [ "$states" = "in_progress" ]; then echo "ok $n - every action of the bulk call is in progress, on whichever node holds it"
else echo "not ok $n - statuses after the bulk call: $states"; fi

# Every routed function is a distributed function colocated with actions.workspace.
n=$((n + 1))
missing=$(q -c "
    SELECT string_agg(r.fn::text, ', ')
      FROM actions.routed_functions() r
     WHERE NOT EXISTS (SELECT FROM pg_dist_object o
                        WHERE o.classid = 'pg_proc'::regclass AND o.objid = r.fn
                          AND o.colocationid = (SELECT colocationid FROM pg_dist_partition
                                                 WHERE logicalrelid = 'actions.workspace'::regclass)
                          AND o.distribution_argument_index IS NOT NULL)")
routed=$(q -c "SELECT count(*) FROM actions.routed_functions()")
if [ -z "$missing" ] && [ "$routed" -gt 40 ]; then
    echo "ok $n - all $routed functions taking a workspace are distributed, colocated with actions.workspace"
else
    echo "not ok $n - functions taking a workspace not distributed (of $routed): $missing"
fi

# The workspaces are spread over both workers, so the checks above saw both.
n=$((n + 1))
spread=$(for ws in "${workspaces[@]}"; do node_of "$ws"; done | sort -u | grep -c .)
if [ "$spread" -eq 2 ]; then echo "ok $n - the suite's workspaces are on both workers"
else echo "not ok $n - the suite's workspaces are on $spread worker(s), want 2"; fi
