#!/usr/bin/env bash
# Citus suite `identity`: who acts travels from the coordinator to the workers (docs/security.md,
# "Identity on Citus"). Through the coordinator, in transaction blocks: a trusted service acting for
# a person (act_as) reads exactly that person's rows with plain SELECTs on every table of pg_actions
# (0 leaked) and calls the API as them, with their permissions; a service registered with
# sees => 'all' acting for nobody sees every row, a service without it nothing; PostgREST-style
# requests (role, e-mail and sub claims) are their person on the workers. Directly on a worker: a
# forged token, one replayed in another transaction, a stale one are refused (42501), and one made
# for another role carries nothing. Prints TAP.
. "$(dirname "$0")/../suite.sh" identity
plan 32

owner=$(person owner@identity.example 'Ida Owner' identity_owner)
other=$(person other@identity.example 'Oto Other' identity_other)
q -c "DO \$\$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'identity_svc') THEN CREATE ROLE identity_svc LOGIN; END IF;
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'identity_office') THEN CREATE ROLE identity_office LOGIN; END IF;
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'identity_auth') THEN CREATE ROLE identity_auth LOGIN NOINHERIT; END IF;
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'identity_auth_sub') THEN CREATE ROLE identity_auth_sub LOGIN NOINHERIT; END IF;
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'identity_auth_role') THEN CREATE ROLE identity_auth_role LOGIN NOINHERIT; END IF;
        -- Citus reaches the workers as the request's role: it must be able to log in there.
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'identity_web') THEN CREATE ROLE identity_web LOGIN; END IF;
      END \$\$" \
  -c "GRANT identity_web TO identity_auth, identity_auth_sub" \
  -c "GRANT identity_owner TO identity_auth_role" \
  -c "GRANT SELECT, UPDATE ON actions.action TO identity_svc" \
  -c "GRANT USAGE ON SCHEMA actions TO identity_svc, identity_office" \
  -c "SELECT actions.trust_service('identity_svc', 'an intranet: sees nothing until act_as')" \
  -c "SELECT actions.trust_service('identity_office', 'a back office', sees => 'all')" \
  -c "SELECT actions.trust_authenticator('identity_auth', claim => 'email')" \
  -c "SELECT actions.trust_authenticator('identity_auth_sub', claim => 'sub')" \
  -c "SELECT actions.trust_authenticator('identity_auth_role')" \
  -c "SELECT actions.set_external_id($other, 'identity-other-sub')" >"$out/setup.log" 2>&1 \
    || { cat "$out/setup.log"; echo "Bail out! setup failed"; exit 1; }
q -v n=4 -f "$top/test/citus/spread.sql" >/dev/null
ws=()
for i in 1 2 3 4; do ws+=("$(q -c "SELECT actions.create_workspace('Identity $i', owner_id => $owner)")"); done
other_ws=$(q -c "SELECT actions.create_workspace('Identity elsewhere', owner_id => $other)")
[ "$(q -c "SELECT count(DISTINCT n.nodeport) FROM pg_dist_placement p JOIN pg_dist_node n USING (groupid)
            WHERE p.shardid IN (SELECT get_shard_id_for_distribution_column('actions.workspace', w)
                                  FROM unnest(ARRAY[$(IFS=,; echo "${ws[*]}")]) w)")" = 2 ]
ok $? "the owner's four workspaces are on both workers"
q -c "SELECT actions.add_member(${ws[3]}, $other, 'actions_access')" >/dev/null
mine=()
for w in "${ws[@]}"; do
    mine+=("$(q -c "SET SESSION AUTHORIZATION identity_owner" -c "SELECT actions.create_action($w, 'Identity action')" | tail -1)")
done
# In the workspace where the other person is a member who may see only what is assigned to them.
theirs=$(q -c "SET SESSION AUTHORIZATION identity_owner" -c "SELECT actions.create_action(${ws[3]}, 'Identity assigned', assignee_id => $other)" | tail -1)
hidden=$(q -c "SET SESSION AUTHORIZATION identity_other" -c "SELECT actions.create_action($other_ws, 'Identity hidden')" | tail -1)
q -c "SET SESSION AUTHORIZATION identity_owner" -c "SELECT actions.add_note(${mine[0]}, 'a note of the owner')" >/dev/null
q -c "SET SESSION AUTHORIZATION identity_other" -c "SELECT actions.add_note($hidden, 'a note of the other')" >/dev/null

# as ROLE PRELUDE: one transaction block through the coordinator as ROLE after PRELUDE (an act_as,
# a request's settings), printing for every table of schema actions with row-level security
# "table count digest" of the rows it shows.
snapshot() {
    local role=$1 prelude=${2:-SELECT 1}
    psql -X -q -tA -v ON_ERROR_STOP=1 2>"$out/snapshot-$role.err" <<SQL | tr '|' ' '
SET SESSION AUTHORIZATION $role;
BEGIN;
$prelude \\g /dev/null
SELECT format('SELECT %L, count(*), md5(coalesce(string_agg(t::text, %L ORDER BY t::text), %L)) FROM actions.%I t',
              c.relname, ',', '', c.relname)
  FROM pg_class c WHERE c.relnamespace = 'actions'::regnamespace AND c.relkind = 'r' AND c.relrowsecurity
 ORDER BY c.relname \\gexec
COMMIT;
SQL
}
# The suite's rows only: what the other suites made would not compare.
owner_view=$(snapshot identity_owner "")
as_owner=$(snapshot identity_office "SELECT actions.act_as($owner)")
tables=$(echo "$owner_view" | wc -l)
leaked=$(diff <(echo "$owner_view") <(echo "$as_owner") | grep -c '^>')
[ "$tables" -ge 20 ] && [ "$leaked" = 0 ]
ok $? "a sees-all service acting for the owner reads, table by table, exactly the owner's rows: $tables tables compared, $leaked differ (0 leaked)"
rows=$(echo "$as_owner" | awk '{ s += $2 } END { print s + 0 }')
actions_seen=$(echo "$as_owner" | awk '$1 == "action" { print $2 }')
[ "$actions_seen" -ge 4 ]
ok $? "... $rows rows in all, of them $actions_seen actions (every action the owner may see)"
other_view=$(snapshot identity_other "")
as_other=$(snapshot identity_svc "SELECT actions.act_as($other)")
[ -n "$other_view" ] && [ "$(diff <(echo "$other_view") <(echo "$as_other") | grep -c '^>')" = 0 ]
ok $? "a service without sees => all acting for the other person reads exactly that person's rows too"

# The number of the suite's actions a role reads with its own login (the superuser: all of them).
count_as() { q -c "SET SESSION AUTHORIZATION $1" -c "SELECT count(*) FROM actions.action WHERE title LIKE 'Identity %'" | tail -1; }
all=$(count_as postgres)
seen=$(q -c "SET SESSION AUTHORIZATION identity_office" -c "BEGIN" \
         -c "SELECT count(*) FROM actions.action WHERE title LIKE 'Identity %'" -c "COMMIT" | grep -E '^[0-9]+$')
[ "$seen" = "$all" ] && [ "$all" -ge 6 ]
ok $? "a sees-all service acting for nobody reads every action of the suite on both workers ($seen of $all)"
seen=$(q -c "SET SESSION AUTHORIZATION identity_office" -c "SELECT count(*) FROM actions.action WHERE title LIKE 'Identity %'")
[ "$seen" = 0 ]
ok $? "outside a transaction block nothing is carried: it reads nothing, never more ($seen)"
seen=$(q -c "SET SESSION AUTHORIZATION identity_svc" -c "BEGIN" \
         -c "SELECT count(*) FROM actions.action WHERE title LIKE 'Identity %'" -c "COMMIT" | grep -E '^[0-9]+$')
[ "$seen" = 0 ]
ok $? "a service registered without sees => all, acting for nobody, reads nothing ($seen)"

# The API as the person act_as names, with that person's permissions.
made=$(q -c "SET SESSION AUTHORIZATION identity_svc" -c "BEGIN" -c "SELECT actions.act_as($owner)" \
         -c "SELECT actions.create_action(${ws[1]}, 'Identity by the service')" -c "COMMIT" 2>"$out/api.err" | grep -E '^[0-9]+$' | tail -1)
[ -n "$made" ] && [ "$(q -c "SELECT owner_id FROM actions.action WHERE action_id = $made")" = "$owner" ]
ok $? "act_as then create_action (sent to the workspace's worker): the action is the owner's ($made)"
q -c "SET SESSION AUTHORIZATION identity_svc" -c "BEGIN" -c "SELECT actions.act_as($owner)" \
  -c "SELECT actions.complete($made)" -c "COMMIT" >/dev/null 2>>"$out/api.err"
[ "$(q -c "SELECT status || ' ' || (SELECT actor_id FROM actions.activity l WHERE l.workspace_id = a.workspace_id AND l.action_id = a.action_id ORDER BY seq DESC LIMIT 1)
           FROM actions.action a WHERE action_id = $made")" = "complete $owner" ]
ok $? "... and complete(action_id) (by id, forwarded): complete, logged as completed by the owner"
err=$(q -c "SET SESSION AUTHORIZATION identity_svc" -c "BEGIN" -c "SELECT actions.act_as($other)" \
        -c "SELECT actions.create_action(${ws[0]}, 'Identity intruder')" 2>&1 >/dev/null | grep -m1 ERROR)
[[ "$err" == *"not found"* ]]
ok $? "acting for a person who is no member, create_action in the owner's workspace is refused as not found ($err)"
err=$(q -c "SET SESSION AUTHORIZATION identity_svc" -c "BEGIN" -c "SELECT actions.act_as($other)" \
        -c "SELECT actions.complete(${mine[2]})" 2>&1 >/dev/null | grep -m1 ERROR)
missing=$(q -c "SET SESSION AUTHORIZATION identity_svc" -c "BEGIN" -c "SELECT actions.act_as($other)" \
            -c "SELECT actions.complete(987654321)" 2>&1 >/dev/null | grep -m1 ERROR)
[[ "$err" == *"not found"* ]] && [ "${err//${mine[2]}/ID}" = "${missing//987654321/ID}" ]
ok $? "... and complete() of the owner's action, exactly like a missing id ($err)"
err=$(q -c "SET SESSION AUTHORIZATION identity_svc" -c "BEGIN" -c "SELECT actions.act_as($other)" \
        -c "SELECT actions.create_action(${ws[3]}, 'Identity by a reader')" 2>&1 >/dev/null | grep -m1 ERROR)
[[ "$err" == *"permission denied to create action"* ]]
ok $? "acting for a member whose role may not create actions, create_action is refused with that person's permissions ($err)"
err=$(q -c "SET SESSION AUTHORIZATION identity_svc" -c "BEGIN" -c "SELECT actions.act_as($other)" \
        -c "SELECT actions.delete_action($theirs)" 2>&1 >/dev/null | grep -m1 ERROR)
[[ "$err" == *"permission denied to delete action"* ]]
ok $? "... and so is delete_action of the action assigned to them, which they see ($err)"
# A service's own statements, as the person it acts for (row-level security and the write rules
# on the worker holding the row).
updated=$(psql -X -tA -c "SET SESSION AUTHORIZATION identity_svc" -c "BEGIN" -c "SELECT actions.act_as($other)" \
            -c "UPDATE actions.action SET priority = 'high' WHERE action_id = ${mine[1]}" -c "COMMIT" 2>&1 | grep -E '^UPDATE|ERROR')
[ "$updated" = "UPDATE 0" ]
ok $? "a service's own UPDATE acting for a person who cannot see the row changes nothing ($updated)"
updated=$(psql -X -tA -c "SET SESSION AUTHORIZATION identity_svc" -c "BEGIN" -c "SELECT actions.act_as($owner)" \
            -c "UPDATE actions.action SET priority = 'high' WHERE action_id = ${mine[1]}" -c "COMMIT" 2>&1 | grep -E '^UPDATE|ERROR')
[ "$updated" = "UPDATE 1" ] && [ "$(q -c "SELECT a.priority || ' ' || (SELECT actor_id FROM actions.activity l WHERE l.workspace_id = a.workspace_id
                                                  AND l.action_id = a.action_id ORDER BY seq DESC LIMIT 1)
                                         FROM actions.action a WHERE action_id = ${mine[1]}")" = "high $owner" ]
ok $? "... and acting for the owner it changes the row, logged as the owner's change ($updated)"
err=$(q -c "SET SESSION AUTHORIZATION identity_svc" -c "BEGIN" \
        -c "SELECT actions.create_action(${ws[0]}, 'Identity nobody')" 2>&1 >/dev/null | grep -m1 ERROR)
[[ "$err" == *"no person is acting"* ]]
ok $? "a service acting for nobody is nobody on the worker: its API call is refused ($err)"

# Requests of authenticators, as PostgREST makes them (role and claims set for the transaction).
request() {  # authenticator, role, claims, statement: the statement's value in the request
    q -c "SET SESSION AUTHORIZATION $1" -c "BEGIN" \
      -c "SELECT set_config('role', '$2', true), set_config('request.jwt.claims', '$3', true)" \
      -c "$4" -c "COMMIT" 2>"$out/request.err" | sed -n 2p
}
seen=$(request identity_auth identity_web '{"email":"owner@identity.example"}' \
         "SELECT count(*) FROM actions.action WHERE title LIKE 'Identity %'")
[ "$seen" = "$(count_as identity_owner)" ] && [ "$seen" -ge 6 ]
ok $? "a request whose e-mail claim names the owner reads the owner's actions on both workers, as the owner's login does ($seen)"
[ "$(request identity_auth identity_web '{"email":"owner@identity.example"}' \
      "SELECT count(*) FROM actions.action WHERE title = 'Identity hidden'")" = 0 ]
ok $? "... and not the other person's"
by_role=$(request identity_auth_role identity_owner '{"role":"identity_owner"}' \
            "SELECT string_agg(action_id::text, ',' ORDER BY action_id) FROM actions.action WHERE title LIKE 'Identity %'")
by_mail=$(request identity_auth identity_web '{"email":"owner@identity.example"}' \
            "SELECT string_agg(action_id::text, ',' ORDER BY action_id) FROM actions.action WHERE title LIKE 'Identity %'")
[ -n "$by_role" ] && [ "$by_role" = "$by_mail" ]
ok $? "a request of an authenticator with claim => role, setting the owner's login role, reads the same actions as by e-mail"
err=$(q -c "SET SESSION AUTHORIZATION identity_auth" -c "BEGIN" \
        -c "SELECT set_config('role', 'identity_web', true), set_config('request.jwt.claims', '{\"email\":\"owner@identity.example\"}', true)" \
        -c "SELECT actions.act_as($other)" 2>&1 >/dev/null | grep -m1 ERROR)
[[ "$err" == *"permission denied to act for another person"* ]]
ok $? "a request cannot act_as someone else through the coordinator ($err)"
[ "$(request identity_auth_sub identity_web '{"sub":"identity-other-sub"}' \
      "SELECT string_agg(DISTINCT title, ',' ORDER BY title) FROM actions.action WHERE title LIKE 'Identity %'")" = "Identity assigned,Identity hidden" ]
ok $? "a request whose sub claim names the other person reads exactly their two actions (their own, the one assigned to them)"
made=$(request identity_auth identity_web '{"email":"owner@identity.example"}' "SELECT actions.create_action(${ws[3]}, 'Identity by request')")
[ -n "$made" ] && [ "$(q -c "SELECT owner_id FROM actions.action WHERE action_id = $made")" = "$owner" ]
ok $? "a request's create_action (sent to the worker) is made by the person its claim names"
[ "$(request identity_auth identity_web '{"email":"nobody@identity.example"}' \
      "SELECT count(*) FROM actions.action WHERE title LIKE 'Identity %'")" = 0 ]
ok $? "a request whose claim names nobody reads nothing"

# Directly on a worker: tokens presented by hand. A token made by the coordinator, captured with
# its distributed transaction id:
captured=$(q -c "SET SESSION AUTHORIZATION identity_svc" -c "BEGIN" -c "SELECT actions.act_as($owner)" \
             -c "SELECT count(*) FROM actions.action WHERE action_id = ${mine[0]}" \
             -c "SELECT current_setting('pg_actions.identity') || ' ' || initiator_node_identifier || ' ' || transaction_number || ' ' || transaction_stamp
                   FROM get_current_transaction_id()" -c "COMMIT" | tail -1)
read -r token node number stamp_date stamp_time <<<"$captured"
flip=A; [ "${token:40:1}" = A ] && flip=B
altered="${token:0:40}$flip${token:41}"
worker() { psql -X -q -tA -p "$(port_of "${ws[0]}")" "$@" 2>&1; }
err=$(worker -c "SET SESSION AUTHORIZATION identity_svc" -c "BEGIN" -c "SELECT assign_distributed_transaction_id($node, $number, '$stamp_date $stamp_time')" \
        -c "SET LOCAL pg_actions.identity = '$altered'" -c "SELECT actions.current_actor()" | grep -m1 ERROR)
[[ "$err" == *"identity carried from the coordinator is refused"* ]]
ok $? "an altered token is refused on the worker (42501), even in its own distributed transaction"
detail=$(worker -v VERBOSITY=verbose -c "SET SESSION AUTHORIZATION identity_svc" -c "BEGIN" -c "SET LOCAL pg_actions.identity = '$token'" \
           -c "SELECT actions.current_actor()" | grep -E "ERROR|DETAIL" | tr '\n' ' ')
[[ "$detail" == *42501* && "$detail" == *"no distributed transaction"* ]]
ok $? "the coordinator's token replayed in a direct session is refused ($detail)"
detail=$(worker -c "SET SESSION AUTHORIZATION identity_svc" -c "BEGIN" -c "SELECT assign_distributed_transaction_id($node, $((number + 1)), now())" \
           -c "SET LOCAL pg_actions.identity = '$token'" -c "SELECT actions.current_actor()" | grep -E "DETAIL" | head -1)
[[ "$detail" == *"another distributed transaction"* ]]
ok $? "... and in another distributed transaction ($detail)"
detail=$(worker -c "SET pg_actions.identity_lifetime = 2" -c "SET SESSION AUTHORIZATION identity_svc" -c "BEGIN" \
           -c "SELECT assign_distributed_transaction_id($node, $number, '$stamp_date $stamp_time')" -c "SELECT pg_sleep(2.5)" \
           -c "SET LOCAL pg_actions.identity = '$token'" -c "SELECT actions.current_actor()" | grep -E "DETAIL" | head -1)
[[ "$detail" == *"older than"* ]]
ok $? "... and once stale (pg_actions.identity_lifetime 2 s, 2.5 s later: $detail)"
actor=$(worker -c "SET SESSION AUTHORIZATION identity_other" -c "BEGIN" -c "SELECT assign_distributed_transaction_id($node, $number, '$stamp_date $stamp_time')" \
          -c "SET LOCAL pg_actions.identity = '$token'" -c "SELECT actions.current_actor()" | grep -E '^[0-9]+$|ERROR')
[ "$actor" = "$other" ]
ok $? "a token made for another role carries nothing: that session stays its own person ($actor, not $owner)"

err=$(q -c "SET SESSION AUTHORIZATION identity_office" -c "SELECT count(*) FROM actions.cluster_secret" 2>&1 | grep -m1 ERROR)
[[ "$err" == *"permission denied"* ]]
ok $? "the cluster secret is not readable by a trusted service ($err)"

# Within one transaction: an act_as rolled back to its savepoint is undone on the workers too, and
# a second act_as replaces the first on the connections already open.
want="$(q -c "SELECT count(*) FROM actions.action WHERE title LIKE 'Identity %'") $(count_as identity_owner) $(count_as identity_other) $(count_as identity_owner)"
got=$(q -c "SET SESSION AUTHORIZATION identity_office" -c "BEGIN" -c "SAVEPOINT s" -c "SELECT actions.act_as($owner)" \
        -c "SELECT count(*) FROM actions.action WHERE title LIKE 'Identity %'" -c "ROLLBACK TO SAVEPOINT s" \
        -c "SELECT count(*) FROM actions.action WHERE title LIKE 'Identity %'" -c "SELECT actions.act_as($other)" \
        -c "SELECT count(*) FROM actions.action WHERE title LIKE 'Identity %'" -c "SELECT actions.act_as($owner)" \
        -c "SELECT count(*) FROM actions.action WHERE title LIKE 'Identity %'" -c "COMMIT" 2>"$out/savepoint.err" | grep -E '^[0-9]+$' | tr '\n' ' ')
# In order: the owner's (in the savepoint), every row (after it), the other person's, the owner's.
[ "$got" = "$(echo "$want" | awk '{ print $2, $1, $3, $4 }') " ]
ok $? "in one transaction block: act_as in a savepoint rolled back, then two act_as, each seen on the workers (got $got, want owner all other owner: $want)"

# The coordinator's statements that decide what to carry run as the extension's owner: with its
# pinned search_path, never a session's. A trap: an operator = on names that records who ran it.
q -c "DROP SCHEMA IF EXISTS identity_trap CASCADE" \
  -c "CREATE SCHEMA identity_trap" -c "CREATE TABLE identity_trap.ran (by name)" \
  -c "GRANT USAGE ON SCHEMA identity_trap TO PUBLIC" -c "GRANT INSERT, SELECT ON identity_trap.ran TO PUBLIC" \
  -c "CREATE FUNCTION identity_trap.eq(name, name) RETURNS boolean LANGUAGE sql
        AS 'INSERT INTO identity_trap.ran VALUES (current_user); SELECT \$1::text OPERATOR(pg_catalog.=) \$2::text'" \
  -c "CREATE OPERATOR identity_trap.= (LEFTARG = name, RIGHTARG = name, FUNCTION = identity_trap.eq)" >"$out/trap.log" 2>&1
armed=$(q -c "SET SESSION AUTHORIZATION identity_office" -c "SET search_path = identity_trap, pg_catalog" \
          -c "SELECT 'a'::name = 'a'::name" -c "SELECT string_agg(by::text, ',') FROM identity_trap.ran" 2>>"$out/trap.log" | tail -1)
q -c "TRUNCATE identity_trap.ran" >/dev/null
q -c "SET SESSION AUTHORIZATION identity_office" -c "SET search_path = identity_trap, pg_catalog" -c "BEGIN" \
  -c "SELECT count(*) FROM actions.action" -c "COMMIT" >/dev/null 2>>"$out/trap.log"
ran=$(q -c "SELECT count(*) FROM identity_trap.ran")
[ "$armed" = identity_office ] && [ "$ran" = 0 ]
ok $? "a session's search_path reaches none of the statements that carry its identity (the trap ran as '$armed' when called, $ran times then)"
q -c "DROP SCHEMA identity_trap CASCADE" >/dev/null 2>&1

# A new cluster secret: the transactions after it carry their identity under it.
q -c "SELECT actions.rotate_cluster_secret()" >/dev/null
seen=$(q -c "SET SESSION AUTHORIZATION identity_office" -c "BEGIN" -c "SELECT actions.act_as($other)" \
         -c "SELECT count(*) FROM actions.action WHERE title LIKE 'Identity %'" -c "COMMIT" | grep -E '^[0-9]+$')
[ "$seen" = "$(count_as identity_other)" ] && [ "$seen" -ge 2 ]
ok $? "after actions.rotate_cluster_secret() identity travels under the new secret ($seen)"
