-- Bulk operations: bulk_reassign, bulk_set_status, bulk_update, bulk_duplicate, bulk_delete.
--   * per-row rules: each row gets exactly the SQLSTATE the single function raises on a twin
--     action in the same situation (own, hidden, visible but not permitted, wrong state), and a
--     refused row does not stop the others;
--   * logging and notifications: the log entries and notifications of the bulk rows equal those
--     the single functions write for the twins; rows of a chunk that had a refused row are logged
--     once (the chunk is rolled back and its rows run again one by one);
--   * repeats, the cap (pg_actions.bulk_max_ids), NULL and malformed arguments, nobody acting.
-- Each person logs in with their own role (SET SESSION AUTHORIZATION), as a real client would.
BEGIN;

-- The SQLSTATE of the error a call raises (NULL when it succeeds); the call's writes are undone
-- either way when it fails.
CREATE FUNCTION pg_temp.state_of(call text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE call;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END
$$;
GRANT EXECUTE ON FUNCTION pg_temp.state_of(text) TO PUBLIC;

SELECT plan(57);

CREATE ROLE bk_boss LOGIN;   -- owner of the workspace
CREATE ROLE bk_ann LOGIN;    -- role limited (below): acts on her own and her assigned actions
CREATE ROLE bk_bob LOGIN;    -- system role user
SELECT actions.create_person('bk-boss@example.com', 'Boss', 'bk_boss') AS boss,
       actions.create_person('bk-ann@example.com', 'Ann', 'bk_ann') AS ann,
       actions.create_person('bk-bob@example.com', 'Bob', 'bk_bob') AS bob
\gset
SELECT actions.create_workspace('Bulk Co', owner_id => :boss) AS ws \gset
SELECT actions.add_member(:ws, :ann, 'user'), actions.add_member(:ws, :bob, 'user') \gset
\set missing 987654321987
-- Ann's role lacks view_actions: she sees the actions she owns or is assigned, nothing else.
SET SESSION AUTHORIZATION bk_boss;
SELECT actions.create_role(:ws, 'limited', '{create_actions,assign_actions,edit_own_actions,delete_own_actions,reassign_actions}') \g /dev/null
SELECT actions.set_member_role(:ws, :ann, 'limited') \g /dev/null
RESET SESSION AUTHORIZATION;

-- Sixteen twin sets, each of four kinds (index 2t-1 for the bulk call of test t, 2t for the single
-- calls): own (Ann's, assigned to Bob), hidden (the boss's, assigned to Bob), mine (the boss's,
-- assigned to Ann), closed (Ann's, cancelled). Due in ten days.
SET SESSION AUTHORIZATION bk_boss;
SELECT array_agg(actions.create_action(:ws, 'hidden ' || g, assignee_id => :bob,
                                       due_at => '2030-01-10 12:00+00') ORDER BY g) AS hid,
       array_agg(actions.create_action(:ws, 'mine ' || g, assignee_id => :ann,
                                       due_at => '2030-01-10 12:00+00') ORDER BY g) AS mine
  FROM generate_series(1, 16) g \gset
SET SESSION AUTHORIZATION bk_ann;
SELECT array_agg(actions.create_action(:ws, 'own ' || g, assignee_id => :bob, priority => 'low',
                                       due_at => '2030-01-10 12:00+00') ORDER BY g) AS own,
       array_agg(actions.create_action(:ws, 'closed ' || g, assignee_id => :ann) ORDER BY g) AS closed
  FROM generate_series(1, 16) g \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION bk_boss;
SELECT count(actions.cancel(c, 'not needed')) FROM unnest(:'closed'::bigint[]) c \g /dev/null
RESET SESSION AUTHORIZATION;

-- Where each chain stood before the tests.
CREATE TEMP TABLE base AS SELECT action_id, max(seq) AS seq FROM actions.activity GROUP BY action_id;
GRANT SELECT ON base TO PUBLIC;

-- The set of test t: bulk (b = true) or single twin.
CREATE FUNCTION pg_temp.set_of(t int, b boolean, own bigint[], hid bigint[], mine bigint[], closed bigint[])
    RETURNS bigint[] LANGUAGE sql AS $$
    SELECT ARRAY[own[2 * t - CASE WHEN b THEN 1 ELSE 0 END], hid[2 * t - CASE WHEN b THEN 1 ELSE 0 END],
                 mine[2 * t - CASE WHEN b THEN 1 ELSE 0 END], closed[2 * t - CASE WHEN b THEN 1 ELSE 0 END]]
$$;
GRANT EXECUTE ON FUNCTION pg_temp.set_of(int, boolean, bigint[], bigint[], bigint[], bigint[]) TO PUBLIC;
-- The log entries after creation (and cancellation) of a set, in kind order, without ids and times.
CREATE FUNCTION pg_temp.log_of(ids bigint[]) RETURNS TABLE (k int, event text, old_value text, new_value text,
                                                           actor_id bigint, db_role text)
    LANGUAGE sql AS $$
    SELECT i.k::int, a.event, a.old_value, a.new_value, a.actor_id, a.db_role
      FROM unnest(ids) WITH ORDINALITY i(id, k)
      JOIN actions.activity a ON a.action_id = i.id
      JOIN base b ON b.action_id = i.id
     WHERE a.seq > b.seq
     ORDER BY i.k, a.seq
$$;
CREATE FUNCTION pg_temp.notes_of(ids bigint[]) RETURNS TABLE (k int, person_id bigint, kind text)
    LANGUAGE sql AS $$
    SELECT i.k::int, n.person_id, n.kind
      FROM unnest(ids) WITH ORDINALITY i(id, k) JOIN actions.notification n ON n.action_id = i.id
     WHERE n.kind = 'reassigned'
     ORDER BY i.k, n.notification_id
$$;

-- 1. bulk_reassign to the boss, as Ann ---------------------------------------------------------
SET SESSION AUTHORIZATION bk_ann;
CREATE TEMP TABLE r1 AS
SELECT * FROM actions.bulk_reassign(pg_temp.set_of(1, true, :'own', :'hid', :'mine', :'closed') || :missing::bigint, :boss);
CREATE TEMP TABLE s1 AS
SELECT pg_temp.state_of(format('SELECT actions.reassign(%s, %s)', id, :boss)) AS state
  FROM unnest(pg_temp.set_of(1, false, :'own', :'hid', :'mine', :'closed') || :missing::bigint) WITH ORDINALITY u(id, k) ORDER BY k;
RESET SESSION AUTHORIZATION;
SELECT is((SELECT array_agg(sqlstate) FROM r1), (SELECT array_agg(state) FROM s1),
    'bulk_reassign refuses each row with the SQLSTATE reassign() raises on its twin');
SELECT is((SELECT array_agg(ok) FROM r1), ARRAY[true, false, true, false, false],
    'bulk_reassign: own and assigned actions succeed; hidden, cancelled and missing ones are refused');
SELECT is((SELECT array_agg(sqlstate) FROM r1), ARRAY[NULL, 'P0002', NULL, '55000', 'P0002'],
    'bulk_reassign: a hidden action is refused exactly like a missing one (P0002), a cancelled one 55000');
SELECT is((SELECT message FROM r1 WHERE action_id = (:'hid'::bigint[])[1]),
          format('action %s not found', (:'hid'::bigint[])[1]),
    'the hidden row''s message is the not-found message');
SELECT results_eq(format('SELECT event, old_value, new_value, actor_id, db_role FROM pg_temp.log_of(%L)',
                         pg_temp.set_of(1, true, :'own', :'hid', :'mine', :'closed')),
                  format('SELECT event, old_value, new_value, actor_id, db_role FROM pg_temp.log_of(%L)',
                         pg_temp.set_of(1, false, :'own', :'hid', :'mine', :'closed')),
    'bulk_reassign logs exactly what reassign() logs for the twins (once each)');
SELECT is((SELECT count(*)::int FROM pg_temp.log_of(pg_temp.set_of(1, true, :'own', :'hid', :'mine', :'closed'))), 2,
    'two reassigned entries: one per changed action, none for the refused rows');
SELECT results_eq(format('SELECT k, person_id, kind FROM pg_temp.notes_of(%L)', pg_temp.set_of(1, true, :'own', :'hid', :'mine', :'closed')),
                  format('SELECT k, person_id, kind FROM pg_temp.notes_of(%L)', pg_temp.set_of(1, false, :'own', :'hid', :'mine', :'closed')),
    'bulk_reassign notifies like reassign()');
SELECT is((SELECT count(*)::int FROM pg_temp.notes_of(pg_temp.set_of(1, true, :'own', :'hid', :'mine', :'closed'))), 2,
    'the new assignee got one notification per reassigned action');
SELECT is((SELECT assignee_id FROM actions.action WHERE action_id = (:'hid'::bigint[])[1]), :bob::bigint,
    'the hidden action was not touched');

-- 2. bulk_set_status complete, as Ann ----------------------------------------------------------
SET SESSION AUTHORIZATION bk_ann;
CREATE TEMP TABLE r2 AS
SELECT * FROM actions.bulk_set_status(pg_temp.set_of(2, true, :'own', :'hid', :'mine', :'closed'), 'complete');
CREATE TEMP TABLE s2 AS
SELECT pg_temp.state_of(format('SELECT actions.complete(%s)', id)) AS state
  FROM unnest(pg_temp.set_of(2, false, :'own', :'hid', :'mine', :'closed')) WITH ORDINALITY u(id, k) ORDER BY k;
RESET SESSION AUTHORIZATION;
SELECT is((SELECT array_agg(sqlstate) FROM r2), (SELECT array_agg(state) FROM s2),
    'bulk_set_status(complete) refuses each row with the SQLSTATE complete() raises on its twin');
SELECT ok((SELECT bool_or(ok) AND NOT bool_and(ok) FROM r2), 'some rows completed, some were refused');
SELECT results_eq(format('SELECT event, old_value, new_value, actor_id, db_role FROM pg_temp.log_of(%L)',
                         pg_temp.set_of(2, true, :'own', :'hid', :'mine', :'closed')),
                  format('SELECT event, old_value, new_value, actor_id, db_role FROM pg_temp.log_of(%L)',
                         pg_temp.set_of(2, false, :'own', :'hid', :'mine', :'closed')),
    'bulk_set_status(complete) logs exactly what complete() logs');

-- 3. bulk_set_status cancel with a reason, as Ann ----------------------------------------------
SET SESSION AUTHORIZATION bk_ann;
CREATE TEMP TABLE r3 AS
SELECT * FROM actions.bulk_set_status(pg_temp.set_of(3, true, :'own', :'hid', :'mine', :'closed'), 'cancel', 'merged');
CREATE TEMP TABLE s3 AS
SELECT pg_temp.state_of(format('SELECT actions.cancel(%s, %L)', id, 'merged')) AS state
  FROM unnest(pg_temp.set_of(3, false, :'own', :'hid', :'mine', :'closed')) WITH ORDINALITY u(id, k) ORDER BY k;
RESET SESSION AUTHORIZATION;
SELECT is((SELECT array_agg(sqlstate) FROM r3), (SELECT array_agg(state) FROM s3),
    'bulk_set_status(cancel) refuses each row with the SQLSTATE cancel() raises on its twin');
SELECT results_eq(format('SELECT event, old_value, new_value, actor_id, db_role FROM pg_temp.log_of(%L)',
                         pg_temp.set_of(3, true, :'own', :'hid', :'mine', :'closed')),
                  format('SELECT event, old_value, new_value, actor_id, db_role FROM pg_temp.log_of(%L)',
                         pg_temp.set_of(3, false, :'own', :'hid', :'mine', :'closed')),
    'bulk_set_status(cancel) logs exactly what cancel() logs, reason included');

-- 4. bulk_set_status start, then uncomplete ----------------------------------------------------
SET SESSION AUTHORIZATION bk_ann;
CREATE TEMP TABLE r4 AS
SELECT * FROM actions.bulk_set_status(pg_temp.set_of(4, true, :'own', :'hid', :'mine', :'closed'), 'start');
CREATE TEMP TABLE s4 AS
SELECT pg_temp.state_of(format('SELECT actions.start(%s)', id)) AS state
  FROM unnest(pg_temp.set_of(4, false, :'own', :'hid', :'mine', :'closed')) WITH ORDINALITY u(id, k) ORDER BY k;
SELECT actions.complete((:'mine'::bigint[])[7]), actions.complete((:'mine'::bigint[])[8]) \g /dev/null
CREATE TEMP TABLE r4u AS
SELECT * FROM actions.bulk_set_status(ARRAY[(:'mine'::bigint[])[7], (:'own'::bigint[])[7]], 'uncomplete');
CREATE TEMP TABLE s4u AS
SELECT pg_temp.state_of(format('SELECT actions.uncomplete(%s)', id)) AS state
  FROM unnest(ARRAY[(:'mine'::bigint[])[8], (:'own'::bigint[])[8]]) WITH ORDINALITY u(id, k) ORDER BY k;
RESET SESSION AUTHORIZATION;
SELECT is((SELECT array_agg(sqlstate) FROM r4), (SELECT array_agg(state) FROM s4),
    'bulk_set_status(start) refuses each row like start()');
SELECT is((SELECT array_agg(sqlstate) FROM r4u), (SELECT array_agg(state) FROM s4u),
    'bulk_set_status(uncomplete) refuses each row like uncomplete()');
SELECT is((SELECT status FROM actions.action WHERE action_id = (:'mine'::bigint[])[7]),
          (SELECT status FROM actions.action WHERE action_id = (:'mine'::bigint[])[8]),
    'uncomplete leaves the bulk row in the same status as its twin');

-- 5. bulk_update: priority and due dates shifted, as Ann ---------------------------------------
SET SESSION AUTHORIZATION bk_ann;
CREATE TEMP TABLE r5 AS
SELECT * FROM actions.bulk_update(pg_temp.set_of(5, true, :'own', :'hid', :'mine', :'closed'),
                                  shift_due => '2 days', priority => 'high');
CREATE TEMP TABLE s5 AS
SELECT pg_temp.state_of(format('SELECT actions.update_action(%s, due_at => (SELECT due_at + interval %L FROM actions.action WHERE action_id = %s), priority => %L)',
                               id, '2 days', id, 'high')) AS state
  FROM unnest(pg_temp.set_of(5, false, :'own', :'hid', :'mine', :'closed')) WITH ORDINALITY u(id, k) ORDER BY k;
RESET SESSION AUTHORIZATION;
SELECT is((SELECT array_agg(sqlstate) FROM r5), (SELECT array_agg(state) FROM s5),
    'bulk_update refuses each row with the SQLSTATE update_action() raises on its twin');
SELECT is((SELECT due_at FROM actions.action WHERE action_id = (:'own'::bigint[])[9]), '2030-01-12 12:00+00'::timestamptz,
    'shift_due moved the due date by the interval');
SELECT results_eq(format('SELECT event, old_value, new_value, actor_id, db_role FROM pg_temp.log_of(%L)',
                         pg_temp.set_of(5, true, :'own', :'hid', :'mine', :'closed')),
                  format('SELECT event, old_value, new_value, actor_id, db_role FROM pg_temp.log_of(%L)',
                         pg_temp.set_of(5, false, :'own', :'hid', :'mine', :'closed')),
    'bulk_update logs exactly what update_action() logs');

-- 6. bulk_delete, as Ann -----------------------------------------------------------------------
SET SESSION AUTHORIZATION bk_ann;
CREATE TEMP TABLE r6 AS
SELECT * FROM actions.bulk_delete(pg_temp.set_of(6, true, :'own', :'hid', :'mine', :'closed'));
CREATE TEMP TABLE s6 AS
SELECT pg_temp.state_of(format('SELECT actions.delete_action(%s)', id)) AS state
  FROM unnest(pg_temp.set_of(6, false, :'own', :'hid', :'mine', :'closed')) WITH ORDINALITY u(id, k) ORDER BY k;
RESET SESSION AUTHORIZATION;
SELECT is((SELECT array_agg(sqlstate) FROM r6), (SELECT array_agg(state) FROM s6),
    'bulk_delete refuses each row with the SQLSTATE delete_action() raises on its twin');
SELECT is((SELECT array_agg(a.action_id IS NULL ORDER BY k) FROM unnest(pg_temp.set_of(6, true, :'own', :'hid', :'mine', :'closed')) WITH ORDINALITY u(id, k)
             LEFT JOIN actions.action a ON a.action_id = u.id),
          (SELECT array_agg(ok ORDER BY k) FROM r6 JOIN unnest(pg_temp.set_of(6, true, :'own', :'hid', :'mine', :'closed')) WITH ORDINALITY u(id, k) ON u.id = r6.action_id),
    'exactly the rows reported ok are gone');
SELECT results_eq(format('SELECT event, old_value, new_value, actor_id, db_role FROM pg_temp.log_of(%L)',
                         pg_temp.set_of(6, true, :'own', :'hid', :'mine', :'closed')),
                  format('SELECT event, old_value, new_value, actor_id, db_role FROM pg_temp.log_of(%L)',
                         pg_temp.set_of(6, false, :'own', :'hid', :'mine', :'closed')),
    'bulk_delete logs exactly what delete_action() logs');

-- 7. bulk_duplicate, as Ann --------------------------------------------------------------------
SET SESSION AUTHORIZATION bk_ann;
CREATE TEMP TABLE r7 AS
SELECT * FROM actions.bulk_duplicate(pg_temp.set_of(7, true, :'own', :'hid', :'mine', :'closed'), shift_due => '7 days');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT array_agg(sqlstate) FROM r7), ARRAY[NULL, 'P0002', NULL, NULL],
    'bulk_duplicate copies what Ann sees (also a cancelled action) and refuses a hidden one as not found');
SELECT is((SELECT array_agg(new_id IS NOT NULL) FROM r7), ARRAY[true, false, true, true],
    'new_id is the copy, NULL for a refused row');
SELECT results_eq(
    format($$SELECT c.title, c.owner_id, c.assignee_id, c.priority, c.status, c.due_at
               FROM actions.action c WHERE c.action_id = (SELECT new_id FROM r7 WHERE action_id = %s)$$, (:'own'::bigint[])[13]),
    format($$VALUES ('own 13'::text, %s::bigint, %s::bigint, 'low'::text, 'to_do'::text, '2030-01-17 12:00+00'::timestamptz)$$, :ann, :bob),
    'the copy has the title, priority and assignee, is owned by the caller, open, and due seven days later');
SELECT is((SELECT owner_id FROM actions.action WHERE action_id = (SELECT new_id FROM r7 WHERE action_id = (:'mine'::bigint[])[13])),
          :ann::bigint, 'a copy of the boss''s action is owned by Ann');
SELECT results_eq(format($$SELECT event FROM actions.activity WHERE action_id = (SELECT new_id FROM r7 WHERE action_id = %s) ORDER BY seq$$,
                         (:'own'::bigint[])[13]),
    $$VALUES ('created'::text), ('assigned')$$, 'the copy is logged as create_action() logs a new action');

-- Whole chunks without a refusal are decided row by row and written in one statement per
-- workspace: the log is the same as the single functions'.
CREATE FUNCTION pg_temp.events_of(ids bigint[]) RETURNS TABLE (k int, event text, old_value text, new_value text,
                                                              actor_id bigint, db_role text)
    LANGUAGE sql AS $$
    SELECT i.k::int, a.event, a.old_value, a.new_value, a.actor_id, a.db_role
      FROM unnest(ids) WITH ORDINALITY i(id, k) JOIN actions.activity a ON a.action_id = i.id
     WHERE a.event NOT IN ('created', 'assigned')
     ORDER BY i.k, a.seq
$$;
SET SESSION AUTHORIZATION bk_ann;
SELECT array_agg(actions.create_action(:ws, 'batch ' || g, assignee_id => :ann) ORDER BY g) AS batch
  FROM generate_series(1, 60) g \gset
SELECT count(*) FROM actions.bulk_set_status((:'batch'::bigint[])[1:10], 'complete') WHERE ok \g /dev/null
SELECT count(actions.complete(id)) FROM unnest((:'batch'::bigint[])[11:20]) id \g /dev/null
SELECT count(*) FROM actions.bulk_set_status((:'batch'::bigint[])[21:30], 'cancel', 'batch') WHERE ok \g /dev/null
SELECT count(actions.cancel(id, 'batch')) FROM unnest((:'batch'::bigint[])[31:40]) id \g /dev/null
SELECT count(*) FROM actions.bulk_set_status((:'batch'::bigint[])[41:50], 'start') WHERE ok \g /dev/null
SELECT count(actions.start(id)) FROM unnest((:'batch'::bigint[])[51:60]) id \g /dev/null
SELECT count(*) FROM actions.bulk_set_status((:'batch'::bigint[])[1:10], 'uncomplete') WHERE ok \g /dev/null
SELECT count(actions.uncomplete(id)) FROM unnest((:'batch'::bigint[])[11:20]) id \g /dev/null
SELECT count(*) FROM actions.bulk_delete((:'batch'::bigint[])[21:30]) WHERE ok \g /dev/null
SELECT count(actions.delete_action(id)) FROM unnest((:'batch'::bigint[])[31:40]) id \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT results_eq(format('SELECT k, event, old_value, new_value, actor_id, db_role FROM pg_temp.events_of(%L)', (:'batch'::bigint[])[1:10]),
                  format('SELECT k, event, old_value, new_value, actor_id, db_role FROM pg_temp.events_of(%L)', (:'batch'::bigint[])[11:20]),
    'whole chunks: complete and uncomplete log what complete() and uncomplete() log');
SELECT results_eq(format('SELECT k, event, old_value, new_value, actor_id, db_role FROM pg_temp.events_of(%L)', (:'batch'::bigint[])[21:30]),
                  format('SELECT k, event, old_value, new_value, actor_id, db_role FROM pg_temp.events_of(%L)', (:'batch'::bigint[])[31:40]),
    'whole chunks: cancel and delete log what cancel() and delete_action() log');
SELECT results_eq(format('SELECT k, event, old_value, new_value, actor_id, db_role FROM pg_temp.events_of(%L)', (:'batch'::bigint[])[41:50]),
                  format('SELECT k, event, old_value, new_value, actor_id, db_role FROM pg_temp.events_of(%L)', (:'batch'::bigint[])[51:60]),
    'whole chunks: start logs what start() logs');
SELECT is((SELECT count(*)::int FROM pg_temp.events_of((:'batch'::bigint[])[1:60])), 100,
    'each of the 60 actions has its entries: 2 for the 20 completed and reopened, 2 for the 20 cancelled and deleted, 1 for the 20 started');
SELECT is((SELECT array_agg(DISTINCT status) FROM actions.action WHERE action_id = ANY ((:'batch'::bigint[])[1:20])), '{to_do}',
    'the reopened actions are back in to_do, on both sides');

-- Digest: in a workspace with bulk_notification = 'digest', a bulk call sends each person one
-- notification per kind, listing the actions; what a rolled-back chunk held is not in it.
UPDATE actions.workspace SET bulk_notification = 'digest' WHERE workspace_id = :ws;
SET SESSION AUTHORIZATION bk_ann;
SELECT array_agg(actions.create_action(:ws, 'digest ' || g, assignee_id => :bob) ORDER BY g) AS dig
  FROM generate_series(1, 5) g \gset
SELECT actions.create_action(:ws, 'digest boom', assignee_id => :bob) AS boom \gset
RESET SESSION AUTHORIZATION;
-- A trigger of the test's own fails the write of 'digest boom' after action_log has run for it
-- and for the rows before it: the chunk (which held five notifications by then) is rolled back,
-- and its rows run again one by one; only what the surviving rows held is sent.
CREATE FUNCTION pg_temp.boom() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.title = 'digest boom' THEN RAISE EXCEPTION 'boom'; END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER zz_boom AFTER UPDATE ON actions.action FOR EACH ROW EXECUTE FUNCTION pg_temp.boom();
SET SESSION AUTHORIZATION bk_ann;
CREATE TEMP TABLE r10 AS SELECT * FROM actions.bulk_reassign(:'dig'::bigint[] || :boom::bigint, :boss);
RESET SESSION AUTHORIZATION;
DROP TRIGGER zz_boom ON actions.action;
SELECT results_eq('SELECT ok, sqlstate, message FROM r10',
    $$VALUES (true, NULL::text, NULL::text), (true, NULL, NULL), (true, NULL, NULL), (true, NULL, NULL), (true, NULL, NULL),
             (false, 'P0001', 'boom')$$,
    'an error raised after the row was written refuses that row alone');
SET SESSION AUTHORIZATION bk_ann;
SELECT actions.reassign((:'dig'::bigint[])[1], :bob) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT results_eq(format($$SELECT person_id, kind, action_id, action_ids, link FROM actions.notification
                            WHERE action_id = ANY (%L) AND kind = 'reassigned' ORDER BY notification_id$$, :'dig'),
    format($$VALUES (%s::bigint, 'reassigned'::text, %s::bigint, %L::bigint[], %L::text),
                    (%s::bigint, 'reassigned'::text, %s::bigint, NULL::bigint[], %L::text)$$,
           :boss, (:'dig'::bigint[])[1], :'dig', format('pg-actions://workspace/%s/action/%s', :ws, (:'dig'::bigint[])[1]),
           :bob, (:'dig'::bigint[])[1], format('pg-actions://workspace/%s/action/%s', :ws, (:'dig'::bigint[])[1])),
    'digest: the boss gets one notification listing the five actions (the retried chunk held nothing twice); a single reassign still notifies alone');
SELECT is((SELECT count(*)::int FROM actions.activity WHERE action_id = ANY (:'dig'::bigint[]) AND event = 'reassigned'), 6,
    'digest: every reassignment is still logged per action');
UPDATE actions.workspace SET bulk_notification = 'each' WHERE workspace_id = :ws;
SELECT throws_ok(format($$UPDATE actions.workspace SET bulk_notification = 'weekly' WHERE workspace_id = %s$$, :ws), '23514', NULL,
    'bulk_notification is each or digest');

-- Repeated ids, larger arrays, the cap, bad arguments ------------------------------------------
SET SESSION AUTHORIZATION bk_ann;
CREATE TEMP TABLE r8 AS
SELECT * FROM actions.bulk_update(ARRAY[(:'own'::bigint[])[15], (:'own'::bigint[])[15]], priority => 'medium');
RESET SESSION AUTHORIZATION;
SELECT results_eq('SELECT ok, sqlstate FROM r8', $$VALUES (true, NULL::text), (false, '22023')$$,
    'a repeated id is acted on once; the repeat is reported with 22023');
SELECT is((SELECT message FROM r8 WHERE NOT ok), format('action %s appears more than once in action_ids', (:'own'::bigint[])[15]),
    'the repeat''s message names the id');
SELECT is((SELECT count(*)::int FROM actions.activity WHERE action_id = (:'own'::bigint[])[10] AND event = 'priority_changed'), 1,
    'the repeated action was changed and logged once');

-- 150 of Ann's actions and one hidden in the middle: three chunks, one of them retried row by row.
SET SESSION AUTHORIZATION bk_ann;
SELECT array_agg(actions.create_action(:ws, 'many ' || g, assignee_id => :bob) ORDER BY g) AS many
  FROM generate_series(1, 150) g \gset
CREATE TEMP TABLE r9 AS
SELECT * FROM actions.bulk_reassign(:'many'::bigint[] || (:'hid'::bigint[])[11], :boss);
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FILTER (WHERE ok)::int || '/' || count(*) FROM r9), '150/151', '150 reassigned, the hidden one refused');
SELECT is((SELECT count(*)::int FROM actions.activity WHERE action_id = ANY (:'many'::bigint[]) AND event = 'reassigned'), 150,
    'each reassigned action is logged exactly once, also those of the chunk that was retried');
SELECT is((SELECT count(*)::int FROM actions.notification WHERE action_id = ANY (:'many'::bigint[]) AND kind = 'reassigned' AND person_id = :boss), 150,
    'the new assignee gets one notification per action');
SELECT is((SELECT count(*)::int FROM actions.verify_log(:ws)), 0, 'every chain still verifies');

-- The cap: a superuser setting.
SET pg_actions.bulk_max_ids = 3;
SET SESSION AUTHORIZATION bk_ann;
SELECT throws_ok(format('SELECT * FROM actions.bulk_delete(%L)', :'many'),
    '54000', 'action_ids holds 150 ids, more than pg_actions.bulk_max_ids (3)', 'a larger array is refused whole');
SELECT lives_ok(format('SELECT * FROM actions.bulk_update(ARRAY[%s, %s, %s], priority => %L)',
                       (:'many'::bigint[])[1], (:'many'::bigint[])[2], (:'many'::bigint[])[3], 'high'),
    'an array of exactly the cap is accepted');
SELECT throws_ok($$SET pg_actions.bulk_max_ids = 100000$$, '42501', NULL, 'only a superuser raises the cap');
RESET SESSION AUTHORIZATION;
RESET pg_actions.bulk_max_ids;

SET SESSION AUTHORIZATION bk_ann;
SELECT throws_ok($$SELECT * FROM actions.bulk_delete(NULL)$$, '22004', 'action_ids must not be null', 'a NULL array is refused');
SELECT throws_ok($$SELECT * FROM actions.bulk_delete(ARRAY[1, NULL])$$, '22004', 'action_ids must not contain null',
    'a NULL element is refused');
SELECT throws_ok($$SELECT * FROM actions.bulk_delete('{{1,2},{3,4}}')$$, '2202E', NULL, 'a two-dimensional array is refused');
SELECT throws_ok($$SELECT * FROM actions.bulk_set_status(ARRAY[1], 'finish')$$, '22023', '"finish" is not a status verb',
    'an unknown verb is refused');
SELECT throws_ok($$SELECT * FROM actions.bulk_set_status(ARRAY[1], 'cancel')$$, '22023', NULL,
    'cancel without a reason is refused as cancel() refuses it');
SELECT throws_ok($$SELECT * FROM actions.bulk_set_status(ARRAY[1], 'complete', 'why')$$, '22023',
    'a reason is given only with cancel', 'a reason with another verb is refused');
SELECT throws_ok($$SELECT * FROM actions.bulk_update(ARRAY[1])$$, '22023', 'nothing to change', 'bulk_update needs a change');
SELECT throws_ok($$SELECT * FROM actions.bulk_update(ARRAY[1], due_at => now(), shift_due => '1 day')$$, '22023',
    'pass only one of due_at, shift_due and clear_due', 'due_at and shift_due together are refused');
SELECT throws_ok(format('SELECT * FROM actions.bulk_reassign(ARRAY[1], NULL)'), '22004', 'assignee_id must not be null',
    'bulk_reassign needs an assignee');
RESET SESSION AUTHORIZATION;
SELECT throws_ok($$SELECT * FROM actions.bulk_delete(ARRAY[1])$$, '42501', 'no person is acting in this session',
    'nobody acting: the whole call is refused');

SELECT * FROM finish();
ROLLBACK;
