-- A trusted service's direct writes obey the rights of the person it acts for, exactly like the
-- API: the same per-action decision (can(), update_action, delete_action, add_note ...) decides a
-- direct INSERT, UPDATE or DELETE of actions.action and actions.note; without act_as a service
-- writes only through the API. Every table is tried with the privileges a DBA might grant.
BEGIN;
SELECT plan(53);

CREATE ROLE sw_owner LOGIN;
CREATE ROLE sw_out LOGIN;
CREATE ROLE sw_app LOGIN;    -- an application pooled as a trusted service (sees => 'nothing')
CREATE ROLE sw_office LOGIN; -- a back office (sees => 'all')
SELECT actions.create_person('sw-owner@example.com', 'Owner', 'sw_owner') AS owner,
       actions.create_person('sw-bob@example.com', 'Bob', NULL) AS bob,
       actions.create_person('sw-carol@example.com', 'Carol', NULL) AS carol,
       actions.create_person('sw-out@example.com', 'Outside', 'sw_out') AS out
\gset
SELECT actions.create_workspace('Service writes', owner_id => :owner) AS ws,
       actions.create_workspace('Not Bob''s', owner_id => :out) AS ws2
\gset
SELECT actions.add_member(:ws, :bob, 'actions_access'), actions.add_member(:ws, :carol, 'user') \g /dev/null
SELECT actions.trust_service('sw_app', 'a Django app', sees => 'nothing'),
       actions.trust_service('sw_office', 'a back office', sees => 'all') \g /dev/null
-- What a DBA might grant an application.
GRANT SELECT, INSERT, UPDATE, DELETE ON actions.action, actions.note, actions.activity, actions.evidence,
      actions.record, actions.member, actions.group TO sw_app, sw_office;

SET SESSION AUTHORIZATION sw_owner;
SELECT actions.create_action(:ws, 'Assigned to Bob', assignee_id => :bob) AS for_bob,
       actions.create_action(:ws, 'Bob keeps this', assignee_id => :bob) AS bob_keeps,
       actions.create_action(:ws, 'Bob starts this', assignee_id => :bob) AS bob_starts,
       actions.create_action(:ws, 'Bob starts this late', assignee_id => :bob) AS bob_late,
       actions.create_action(:ws, 'Hidden from Bob') AS hidden,
       actions.create_action(:ws, 'The owner''s') AS owners
\gset
SELECT actions.add_note(:hidden, 'the owner''s note') AS owner_note \gset
SELECT actions.create_record(:ws, 'Contract', 'generic') AS rec \gset
RESET SESSION AUTHORIZATION;
-- Its due date passes before the overdue sweep has marked it (no trigger sees this write).
SET LOCAL session_replication_role = replica;
UPDATE actions.action SET due_at = now() - interval '1 hour' WHERE action_id = :bob_late;
SET LOCAL session_replication_role = origin;
SET SESSION AUTHORIZATION sw_out;
SELECT actions.create_action(:ws2, 'Elsewhere') AS elsewhere \gset
RESET SESSION AUTHORIZATION;

-- =============================================================================================
-- 1. Acting for Bob (actions_access): the API refuses, and so does every direct write.
SET SESSION AUTHORIZATION sw_app;
SELECT actions.act_as(:bob) \g /dev/null
SELECT is(actions.can('edit', :for_bob), false, 'can(): Bob may not edit the action assigned to him');
SELECT throws_ok(format('SELECT actions.update_action(%s, title => %L)', :for_bob, 'Renamed'), '42501', NULL,
    'update_action refuses Bob');
SELECT throws_ok(format('UPDATE actions.action SET title = %L WHERE action_id = %s', 'Renamed', :for_bob), '42501', NULL,
    'a direct UPDATE of the title acting for Bob is refused like update_action');
SELECT throws_ok(format('UPDATE actions.action SET due_at = now() + interval %L WHERE action_id = %s', '3 days', :for_bob),
    '42501', NULL, '... and of the due date');
SELECT is(actions.can('delete', :for_bob), false, 'can(): Bob may not delete it');
SELECT throws_ok(format('SELECT actions.delete_action(%s)', :for_bob), '42501', NULL, 'delete_action refuses Bob');
SELECT throws_ok(format('DELETE FROM actions.action WHERE action_id = %s', :for_bob), '42501', NULL,
    'a direct DELETE acting for Bob is refused like delete_action');
SELECT throws_ok(format('UPDATE actions.action SET assignee_id = %s WHERE action_id = %s', :carol, :for_bob), '42501', NULL,
    'a direct reassignment is refused like reassign');
SELECT throws_ok(format('UPDATE actions.action SET status = %L, cancel_reason = %L WHERE action_id = %s', 'cancelled', 'no', :for_bob),
    '42501', NULL, 'a direct cancellation is refused like cancel');
SELECT throws_ok(format('INSERT INTO actions.action (workspace_id, title) VALUES (%s, %L)', :ws2, 'Planted'), 'P0002', NULL,
    'an INSERT into a workspace Bob is no member of is refused (not found, like create_action)');
SELECT throws_ok(format('INSERT INTO actions.action (workspace_id, title) VALUES (%s, %L)', :ws, 'Planted'), '42501', NULL,
    'an INSERT into his own workspace is refused: actions_access does not create');
SELECT throws_ok(format('INSERT INTO actions.note (workspace_id, action_id, author_id, body) VALUES (%s, %s, %s, %L)',
                        :ws, :hidden, :bob, 'planted'), 'P0002', NULL,
    'a note on an action Bob cannot see is refused (not found, like add_note)');
SELECT throws_ok(format('INSERT INTO actions.note (workspace_id, action_id, author_id, body) VALUES (%s, %s, %s, %L)',
                        :ws2, :elsewhere, :bob, 'planted'), 'P0002', NULL,
    '... and one on an action of another workspace');
SELECT throws_ok(format('INSERT INTO actions.note (workspace_id, action_id, author_id, body) VALUES (%s, %s, %s, %L)',
                        :ws, :for_bob, :carol, 'in Carol''s name'), '42501', NULL,
    'a note naming another author is refused');
SELECT throws_ok(format('INSERT INTO actions.activity (workspace_id, action_id, seq, event) VALUES (%s, %s, 99, %L)',
                        :ws, :for_bob, 'forged'), '42501', NULL, 'the log is never written directly');
SELECT throws_ok(format('DELETE FROM actions.activity WHERE action_id = %s', :for_bob), '42501', NULL,
    '... nor deleted from');
SELECT throws_ok(format('INSERT INTO actions.evidence (workspace_id, action_id, name, size_bytes, sha256, content) VALUES (%s, %s, %L, 1, sha256(%L), %L)',
                        :ws, :for_bob, 'x.txt', 'x', 'x'), '42501', NULL, 'evidence is attached only by complete()');
SELECT throws_ok(format('INSERT INTO actions.record (workspace_id, kind, title) VALUES (%s, %L, %L)', :ws, 'generic', 'R'),
    '42501', NULL, 'records are not inserted directly');
SELECT throws_ok(format('INSERT INTO actions.member (workspace_id, person_id, role_id) SELECT %s, %s, role_id FROM actions.role WHERE workspace_id = %s AND name = %L',
                        :ws, :out, :ws, 'owner'), '42501', NULL, 'nor memberships');
-- What Bob may do through the API, he may do directly.
SELECT lives_ok(format('UPDATE actions.action SET status = %L WHERE action_id = %s', 'in_progress', :bob_starts),
    'Bob starts his action directly');
SELECT lives_ok(format('UPDATE actions.action SET status = %L WHERE action_id = %s', 'complete', :bob_keeps),
    'and completes another');
SELECT lives_ok(format('UPDATE actions.action SET status = %L WHERE action_id = %s', 'in_progress', :bob_late),
    'and starts one past due (it stays overdue, started: still start, not edit)');
SELECT throws_ok(format('INSERT INTO actions.note (workspace_id, action_id, body) VALUES (%s, %s, %L)', :ws, :for_bob, 'done soon'),
    '42501', NULL, 'his notes access is read only: a direct note is refused as add_note refuses it');
RESET SESSION AUTHORIZATION;
SELECT results_eq(format('SELECT title, due_at IS NULL, status, assignee_id FROM actions.action WHERE action_id = %s', :for_bob),
    format($$ VALUES ('Assigned to Bob'::text, true, 'to_do'::text, %s::bigint) $$, :bob),
    'the refused writes changed nothing');
SELECT is((SELECT count(*) FROM actions.action WHERE title = 'Planted'), 0::bigint, 'no action was planted');
SELECT is((SELECT count(*) FROM actions.note WHERE body IN ('planted', 'in Carol''s name', 'done soon')), 0::bigint, 'no note was planted');
SELECT results_eq(format('SELECT status, completed_by FROM actions.action WHERE action_id IN (%s, %s) ORDER BY action_id', :bob_keeps, :bob_starts),
    format($$ VALUES ('complete'::text, %s::bigint), ('in_progress'::text, NULL::bigint) $$, :bob),
    'the allowed writes took effect; the completion names Bob');
SELECT results_eq(format('SELECT status, started_at IS NOT NULL FROM actions.action WHERE action_id = %s', :bob_late),
    $$ VALUES ('overdue'::text, true) $$, 'the late start is recorded');

-- =============================================================================================
-- 2. Acting for Carol (user): her own rights, no more; and no completion in someone else's name.
SET SESSION AUTHORIZATION sw_app;
SELECT actions.act_as(:carol) \g /dev/null
SELECT throws_ok(format('INSERT INTO actions.action (workspace_id, title, status, completed_at, completed_by) VALUES (%s, %L, %L, now(), %s)',
                        :ws, 'Done by the owner', 'complete', :owner), '42501', NULL,
    'an INSERT of a completed action naming someone else is refused');
SELECT throws_ok(format('INSERT INTO actions.action (workspace_id, title, owner_id) VALUES (%s, %L, %s)', :ws, 'Owned by another', :owner),
    '42501', NULL, 'an INSERT naming another owner is refused');
SELECT throws_ok(format('UPDATE actions.action SET status = %L, completed_by = %s WHERE action_id = %s', 'complete', :owner, :owners),
    '42501', NULL, 'a completion naming someone else is refused');
SELECT throws_ok(format('UPDATE actions.action SET title = %L WHERE action_id = %s', 'Carol''s now', :owners), '42501', NULL,
    'Carol may not edit the owner''s action directly (nor through update_action)');
SELECT throws_ok(format('DELETE FROM actions.action WHERE action_id = %s', :owners), '42501', NULL,
    '... nor delete it');
SELECT throws_ok(format('UPDATE actions.action SET outcome = %L WHERE action_id = %s', 'approved', :owners), '42501', NULL,
    'a workflow outcome is recorded only by record_outcome()');
SELECT throws_ok(format('UPDATE actions.note SET body = %L WHERE note_id = %s', 'rewritten', :owner_note), '42501', NULL,
    'Carol may not rewrite the owner''s note (edit_note refuses her too)');
SELECT throws_ok(format('DELETE FROM actions.note WHERE note_id = %s', :owner_note), '42501', NULL,
    '... nor delete it');
SELECT lives_ok(format('INSERT INTO actions.action (workspace_id, title, assignee_id) VALUES (%s, %L, %s)', :ws, 'Carol''s for Bob', :bob),
    'Carol creates and assigns an action directly, as create_action lets her');
SELECT lives_ok(format('INSERT INTO actions.action (workspace_id, title, assignee_id) VALUES (%s, %L, %s)', :ws, 'Carol''s direct', :carol),
    'and one for herself');
SELECT lives_ok(format('INSERT INTO actions.action (workspace_id, title, record_id) VALUES (%s, %L, %s)', :ws, 'For the contract', :rec),
    'and one linked to a record of the workspace');
SELECT action_id AS carols FROM actions.action WHERE title = 'Carol''s direct' \gset
SELECT lives_ok(format('UPDATE actions.action SET title = %L, priority = %L WHERE action_id = %s', 'Carol''s, renamed', 'high', :carols),
    'she edits her own action directly');
SELECT lives_ok(format('INSERT INTO actions.note (workspace_id, action_id, body) VALUES (%s, %s, %L)', :ws, :carols, 'mine'),
    'she adds a note to it');
SELECT lives_ok(format('UPDATE actions.note SET body = %L WHERE action_id = %s', 'mine, edited', :carols), '... edits it');
SELECT is((SELECT author_id FROM actions.note WHERE action_id = :carols), :carol::bigint, 'the note''s author is the acting person');
SELECT is((SELECT owner_id FROM actions.action WHERE action_id = :carols), :carol::bigint, 'the action''s owner is the acting person');
SELECT lives_ok(format('DELETE FROM actions.action WHERE action_id = %s', :carols), 'and deletes the action');
RESET SESSION AUTHORIZATION;
SELECT results_eq(format($$ SELECT event FROM actions.activity WHERE action_id = %s AND event IN ('created', 'title_changed', 'note_added', 'note_edited', 'deleted') ORDER BY seq $$, :carols),
    $$ VALUES ('created'::text), ('title_changed'), ('note_added'), ('note_edited'), ('deleted') $$,
    'each allowed direct write was logged');
SELECT is((SELECT actor_id FROM actions.activity WHERE action_id = :carols AND event = 'created'), :carol::bigint,
    'the log names Carol');
SELECT results_eq(format('SELECT title, status FROM actions.action WHERE action_id = %s', :owners),
    $$ VALUES ('The owner''s'::text, 'to_do'::text) $$, 'the owner''s action is untouched');

-- =============================================================================================
-- 3. Without act_as a service writes only through the API, whatever it reads.
SET SESSION AUTHORIZATION sw_office;
SELECT throws_ok(format('UPDATE actions.action SET title = %L WHERE action_id = %s', 'Back office', :owners), '42501', NULL,
    'a back office acting for nobody may not UPDATE an action it reads');
SELECT throws_ok(format('DELETE FROM actions.action WHERE action_id = %s', :owners), '42501', NULL, '... nor DELETE it');
SELECT throws_ok(format('INSERT INTO actions.action (workspace_id, title) VALUES (%s, %L)', :ws, 'Back office'), '42501', NULL,
    '... nor INSERT one');
SELECT throws_ok(format('INSERT INTO actions.note (workspace_id, action_id, body) VALUES (%s, %s, %L)', :ws, :owners, 'x'), '42501', NULL,
    '... nor a note');
RESET SESSION AUTHORIZATION;
SELECT results_eq(format('SELECT title FROM actions.action WHERE action_id = %s', :owners), $$ VALUES ('The owner''s'::text) $$,
    'the back office changed nothing');

SELECT * FROM finish();
ROLLBACK;
