#!/usr/bin/env bash
# Citus suite `notifications`: NOTIFY on a cluster, through the coordinator the runner points
# PGHOST/PGPORT at. Workers write notifications without NOTIFY (relay_pending), so a transaction
# writing them on both workers commits (two-phase); the coordinator's relay announces them: a
# listener on the coordinator receives every one of 1,000 notifications written on both workers,
# once, in order per workspace, within 2 seconds of the last write's commit, with two relays
# running at once. list_notifications() pages across workers in time order. Prints TAP.
. "$(dirname "$0")/../suite.sh" notifications
plan 11
python=/usr/bin/python3

owner=$(person owner@notify.example 'Noa Notify' notify_owner)
reader=$(person reader@notify.example 'Rea Reader' notify_reader)
q -v n=2 -f "$top/test/citus/spread.sql" >/dev/null
w1=$(q -c "SELECT actions.create_workspace('Notify one', owner_id => $owner)")
w2=$(q -c "SELECT actions.create_workspace('Notify two', owner_id => $owner)")
q -c "SELECT actions.add_member($w1, $reader, 'user')" -c "SELECT actions.add_member($w2, $reader, 'user')" >/dev/null
ports=$(q -c "SELECT count(DISTINCT p.groupid) FROM pg_dist_placement p
               WHERE p.shardid IN (get_shard_id_for_distribution_column('actions.workspace', $w1),
                                   get_shard_id_for_distribution_column('actions.workspace', $w2))")
[ "$ports" = 2 ] || { echo "Bail out! the two workspaces are not on two workers"; exit 1; }

# One transaction assigning an action in each workspace: it writes a notification on each worker,
# and Citus commits it on both with PREPARE TRANSACTION, which a NOTIFY there would make fail.
q -c "SET SESSION AUTHORIZATION notify_owner" -c "BEGIN" \
  -c "SELECT actions.create_action($w1, 'Both at once', assignee_id => $reader)" \
  -c "SELECT actions.create_action($w2, 'Both at once', assignee_id => $reader)" -c "COMMIT" >"$out/two-phase.log" 2>&1
ok $? "a transaction writing notifications on both workers commits ($(grep -m1 -E 'ERROR|WARNING' "$out/two-phase.log" | head -c 160))"
pending=$(q -c "SELECT count(*) FROM actions.notification WHERE workspace_id IN ($w1, $w2) AND relay_pending")
[ "$pending" = 2 ]
ok $? "its two notifications wait for the relay ($pending pending)"
# (with whatever the suites before left pending on the workers)
relayed=$(q -c "SELECT actions.relay_notifications()")
pending=$(q -c "SELECT count(*) FROM actions.notification WHERE workspace_id IN ($w1, $w2) AND relay_pending")
[ "$relayed" -ge 2 ] && [ "$pending" = 0 ]
ok $? "relay_notifications() on the coordinator announces them ($relayed announced, $pending still pending)"
err=$(q -c "SET SESSION AUTHORIZATION notify_owner" -c "SELECT actions.relay_notifications()" 2>&1 >/dev/null | grep -m1 ERROR)
[[ "$err" == *"permission denied"* ]]
ok $? "the relay is for administrators (${err:0:100})"

# 1,000 notifications written on both workers while two relays run; a listener on the coordinator.
cat >"$out/listen.py" <<'PY'
import select, sys, time
import psycopg
want, timeout = int(sys.argv[1]), float(sys.argv[2])
conn = psycopg.connect(autocommit=True)
conn.execute("LISTEN pg_actions")
print("ready", flush=True)
pg = conn.pgconn
got = 0
deadline = time.time() + timeout
while got < want and time.time() < deadline:
    ready, _, _ = select.select([pg.socket], [], [], 0.2)
    if not ready:
        continue
    pg.consume_input()
    while True:
        note = pg.notifies()
        if note is None:
            break
        got += 1
        print("%.6f %s" % (time.time(), note.extra.decode()), flush=True)
PY
start=$(q -c "SELECT clock_timestamp()")
for i in 1 2; do
    q -c "CALL actions.run_notification_relay('40 seconds', '50 milliseconds')" >"$out/relay-$i.log" 2>&1 &
    relays[$i]=$!
done
PGUSER=notify_reader "$python" "$out/listen.py" 1000 30 >"$out/listened.txt" 2>"$out/listen.err" &
listener=$!
for _ in $(seq 1 100); do [ -s "$out/listened.txt" ] && break; sleep 0.1; done
[ "$(head -1 "$out/listened.txt")" = ready ] || echo "# the listener did not start: $(cat "$out/listen.err")"
q <<SQL >"$out/writes.log" 2>&1
SET SESSION AUTHORIZATION notify_owner;
SELECT format('SELECT actions.create_action(%s, %L, assignee_id => %s)', w, 'Relayed ' || i, $reader)
  FROM generate_series(1, 500) i, unnest(ARRAY[$w1, $w2]::bigint[]) w ORDER BY i, w \gexec
SQL
written_at=$EPOCHREALTIME
wait "$listener"
tail -n +2 "$out/listened.txt" >"$out/received.txt"
q -c "SELECT notification_id FROM actions.notification WHERE workspace_id IN ($w1, $w2) AND created_at >= '$start'
       ORDER BY notification_id" >"$out/written.txt"
written=$(wc -l <"$out/written.txt")
[ "$written" = 1000 ]
ok $? "1,000 notifications written on the two workers ($written)"
received=$(awk '{ print $2 }' "$out/received.txt" | sort -u | wc -l)
dups=$(($(wc -l <"$out/received.txt") - received))
missing=$(awk '{ print $2 }' "$out/received.txt" | sort -u | comm -23 <(sort "$out/written.txt") - | wc -l)
[ "$missing" = 0 ] && [ "$received" = 1000 ]
ok $? "the listener on the coordinator received every one of them ($received, $missing missing)"
[ "$dups" = 0 ]
ok $? "each once, with two relays running ($dups duplicates)"
late=$(awk -v w="$written_at" 'BEGIN { m = 0 } { if ($1 - w > m) m = $1 - w } END { printf "%.3f", m }' "$out/received.txt")
awk -v l="$late" 'BEGIN { exit !(l <= 2.0) }'
ok $? "the last one within 2 seconds of the last write's commit (${late} s)"
# In order per workspace: the order received is the order of (created_at, notification_id).
awk '{ print $2 }' "$out/received.txt" >"$out/received-ids.txt"
order_ok=$(q -c "CREATE TEMP TABLE got (k serial, id bigint)" -c "\\copy got (id) FROM '$out/received-ids.txt'" \
             -c "SELECT count(*) = 0 FROM (
                   SELECT row_number() OVER (PARTITION BY n.workspace_id ORDER BY g.k) AS r_got,
                          row_number() OVER (PARTITION BY n.workspace_id ORDER BY n.created_at, n.notification_id) AS r_made
                     FROM got g JOIN actions.notification n ON n.notification_id = g.id
                    WHERE n.workspace_id IN ($w1, $w2)) x WHERE r_got <> r_made" 2>&1 | tail -1)
[ "$order_ok" = t ]
ok $? "in order per workspace (oldest first)"
q -c "SELECT count(pg_cancel_backend(pid)) FROM pg_stat_activity WHERE query LIKE 'CALL actions.run_notification_relay(%'" >/dev/null
for i in 1 2; do wait "${relays[$i]}" 2>/dev/null; done
q -c "SELECT actions.relay_notifications()" >/dev/null
pending=$(q -c "SELECT count(*) FROM actions.notification WHERE relay_pending")
[ "$pending" = 0 ]
ok $? "nothing is left pending ($pending)"

# list_notifications through the coordinator: the reader's notifications of both workers (ids
# from two ranges), newest first by time, page after page.
walk=$(q -c "SET SESSION AUTHORIZATION notify_reader" -f - <<'SQL' 2>&1 | tail -1
DO $$
DECLARE
    got bigint[] := '{}';
    page bigint[];
BEGIN
    LOOP
        page := ARRAY(SELECT n.notification_id
                        FROM actions.list_notifications(page_size => 7, before_id => got[cardinality(got)]) n);
        EXIT WHEN cardinality(page) = 0 OR cardinality(got) > 100000;
        got := got || page;
    END LOOP;
    PERFORM set_config('notify_test.walk', array_to_string(got, ','), false);
END $$;
-- The table as the reader sees it (row-level security: their own rows).
SELECT current_setting('notify_test.walk') = (
    SELECT string_agg(notification_id::text, ',' ORDER BY created_at DESC, notification_id DESC) FROM actions.notification)
   AND cardinality(string_to_array(current_setting('notify_test.walk'), ',')) >= 1002;
SQL
)
[ "$walk" = t ]
ok $? "list_notifications pages the reader's notifications of both workers (1,002 and more) newest first by time, 7 a page ($walk)"
