-- The activity log is append-only and tamper-evident:
--   * UPDATE, DELETE and TRUNCATE of actions.activity fail for everyone (42501), the superuser
--     and table owner included, also with session_replication_role = replica;
--   * the chain head (actions.activity_head) can neither be deleted nor moved by hand;
--   * when someone gets around that (a superuser disabling the trigger), actions.verify_log()
--     reports the broken link;
--   * an application's own UPDATE of actions.action is checked and logged exactly like the API.
BEGIN;
SELECT plan(46);

CREATE ROLE li_owner LOGIN;
CREATE ROLE li_app LOGIN;   -- an application's database role, not a person
SELECT actions.trust_service('li_app', 'the application whose own UPDATEs are checked and logged', sees => 'all') \g /dev/null
SELECT actions.create_person('li.owner@example.org', 'Log Owner', 'li_owner') AS owner \gset
-- One workspace per scenario: verify_log reports the first broken link of a workspace.
SELECT actions.create_workspace('Log intact', 'UTC', NULL, :owner) AS ws,
       actions.create_workspace('Log edited', 'UTC', NULL, :owner) AS ws_edited,
       actions.create_workspace('Log cut', 'UTC', NULL, :owner) AS ws_cut,
       actions.create_workspace('Log gap', 'UTC', NULL, :owner) AS ws_gap,
       actions.create_workspace('Head pushed', 'UTC', NULL, :owner) AS ws_pushed
\gset

SET SESSION AUTHORIZATION li_owner;
SELECT actions.create_action(:ws, 'Write the report', assignee_id => :owner) AS a,
       actions.create_action(:ws, 'Drop this', assignee_id => :owner) AS dropped,
       actions.create_action(:ws_edited, 'Edited later', assignee_id => :owner) AS edited,
       actions.create_action(:ws_cut, 'Cut later', assignee_id => :owner) AS cut,
       actions.create_action(:ws_gap, 'Gap later', assignee_id => :owner) AS gap,
       actions.create_action(:ws_pushed, 'Head pushed later', assignee_id => :owner) AS pushed
\gset
SELECT actions.start(:a), actions.start(:cut), actions.start(:gap), actions.cancel(:dropped, 'not needed'),
       actions.update_action(:a, title => 'Write the final report')
\gset
RESET SESSION AUTHORIZATION;

-- ---------------------------------------------------------------------------------------------
-- The log is chained: each entry carries the hash of the one before (zeros for the first).
SELECT results_eq(format($$
    SELECT seq, event, prev_hash = coalesce(lag(hash) OVER (ORDER BY seq), '\x'::bytea || decode(repeat('00', 32), 'hex'))
      FROM actions.activity WHERE action_id = %s ORDER BY seq $$, :a),
    $$ VALUES (1, 'created', true), (2, 'assigned', true), (3, 'started', true), (4, 'title_changed', true) $$,
    'each entry of an action holds the hash of its predecessor');
SELECT results_eq(format('SELECT seq, hash FROM actions.activity_head WHERE action_id = %s', :a),
    format('SELECT seq, hash FROM actions.activity WHERE action_id = %s ORDER BY seq DESC LIMIT 1', :a),
    'the chain head holds the newest seq and hash');
SELECT is_empty(format('SELECT * FROM actions.verify_log(%s)', :ws), 'verify_log: an intact workspace returns no row');

-- ---------------------------------------------------------------------------------------------
-- Nobody edits the log: not the superuser who owns the tables ...
SELECT throws_ok(format('UPDATE actions.activity SET new_value = %L WHERE action_id = %s', 'forged', :a),
    '42501', 'cannot update actions.activity: the activity log is append-only', 'superuser: UPDATE of the log is refused');
SELECT throws_ok(format('DELETE FROM actions.activity WHERE action_id = %s', :a),
    '42501', 'cannot delete from actions.activity: the activity log is append-only', 'superuser: DELETE from the log is refused');
SELECT throws_ok('TRUNCATE actions.activity',
    '42501', 'cannot truncate actions.activity: the activity log is append-only', 'superuser: TRUNCATE of the log is refused');
SELECT throws_ok('TRUNCATE actions.action CASCADE',
    '55000', 'cannot truncate actions.action: every deletion of an action is logged',
    'superuser: TRUNCATE of the actions, which would skip the deleted entries, is refused');
-- ... not with triggers in replica mode ...
SET LOCAL session_replication_role = replica;
SELECT throws_ok(format('UPDATE actions.activity SET new_value = %L WHERE action_id = %s', 'forged', :a),
    '42501', 'cannot update actions.activity: the activity log is append-only', 'replica mode: UPDATE of the log is refused');
SELECT throws_ok(format('DELETE FROM actions.activity WHERE action_id = %s', :a),
    '42501', 'cannot delete from actions.activity: the activity log is append-only', 'replica mode: DELETE from the log is refused');
SELECT throws_ok('TRUNCATE actions.activity',
    '42501', 'cannot truncate actions.activity: the activity log is append-only', 'replica mode: TRUNCATE of the log is refused');
SELECT throws_ok(format('DELETE FROM actions.activity_head WHERE action_id = %s', :a),
    '42501', 'cannot delete from actions.activity_head: the activity log is append-only', 'replica mode: DELETE of a chain head is refused');
SET LOCAL session_replication_role = origin;
-- ... nor a role that was granted every privilege on the tables.
GRANT ALL ON actions.activity, actions.activity_head TO li_app;
SET SESSION AUTHORIZATION li_app;
SELECT throws_ok(format('UPDATE actions.activity SET new_value = %L WHERE action_id = %s', 'forged', :a),
    '42501', 'cannot update actions.activity: the activity log is append-only', 'a role granted ALL: UPDATE of the log is refused');
SELECT throws_ok(format('DELETE FROM actions.activity WHERE action_id = %s', :a),
    '42501', 'cannot delete from actions.activity: the activity log is append-only', 'a role granted ALL: DELETE from the log is refused');
SELECT throws_ok('TRUNCATE actions.activity',
    '42501', 'cannot truncate actions.activity: the activity log is append-only', 'a role granted ALL: TRUNCATE of the log is refused');
RESET SESSION AUTHORIZATION;

-- The chain head cannot be deleted, moved (backwards or forwards), rewritten in place or truncated:
-- only the log trigger advances it.
SELECT throws_ok(format('DELETE FROM actions.activity_head WHERE action_id = %s', :a),
    '42501', 'cannot delete from actions.activity_head: the activity log is append-only', 'a chain head cannot be deleted');
SELECT throws_ok(format('UPDATE actions.activity_head SET seq = seq - 1 WHERE action_id = %s', :a),
    '42501', 'cannot update actions.activity_head: the activity log is append-only', 'a chain head cannot move backwards');
SELECT throws_ok(format('UPDATE actions.activity_head SET hash = %L WHERE action_id = %s', '\x00', :a),
    '42501', 'cannot update actions.activity_head: the activity log is append-only', 'a chain head''s hash cannot be rewritten in place');
SELECT throws_ok(format('UPDATE actions.activity_head SET seq = seq + 1 WHERE action_id = %s', :a),
    '42501', 'cannot update actions.activity_head: the activity log is append-only', 'a chain head cannot be moved forward by hand either');
SELECT throws_ok(format('UPDATE actions.activity_head SET action_id = %s, seq = seq + 100 WHERE action_id = %s', :dropped, :a),
    '42501', 'cannot update actions.activity_head: the activity log is append-only', 'a chain head cannot move to another action');
SELECT throws_ok('TRUNCATE actions.activity_head',
    '42501', 'cannot truncate actions.activity_head: the activity log is append-only', 'the chain heads cannot be truncated');
SELECT results_eq(format('SELECT count(*), max(seq) FROM actions.activity WHERE action_id = %s', :a),
    $$ VALUES (4::bigint, 4) $$, 'after all that the log of the action is unchanged');
SELECT is_empty(format('SELECT * FROM actions.verify_log(%s)', :ws), 'verify_log: still intact');

-- ---------------------------------------------------------------------------------------------
-- Tampering by a superuser who disables the triggers is detected by verify_log. Four
-- workspaces are tampered with, each in one way:
--   edited: an entry's value is changed;
--   cut:    the newest entry is deleted (the chain left is consistent, only the head knows);
--   gap:    an entry in the middle is deleted;
--   pushed: the chain head is moved forward, promising entries the log does not have.
SELECT max(seq) AS cut_last FROM actions.activity WHERE action_id = :cut \gset
ALTER TABLE actions.activity DISABLE TRIGGER activity_immutable;
ALTER TABLE actions.activity_head DISABLE TRIGGER activity_head_guard;
UPDATE actions.activity SET new_value = 'Nothing to see' WHERE action_id = :edited AND seq = 1;
DELETE FROM actions.activity WHERE action_id = :cut AND seq = :cut_last;
DELETE FROM actions.activity WHERE action_id = :gap AND seq = 2;
UPDATE actions.activity_head SET seq = seq + 1 WHERE action_id = :pushed;
ALTER TABLE actions.activity ENABLE ALWAYS TRIGGER activity_immutable;
ALTER TABLE actions.activity_head ENABLE ALWAYS TRIGGER activity_head_guard;

SELECT results_eq(format('SELECT * FROM actions.verify_log(%s)', :ws_edited),
    format($$ VALUES (%s::bigint, 1, 'entry was altered: hash does not match its contents'::text) $$, :edited),
    'verify_log: an edited entry is reported with its action and seq');
SELECT results_eq(format('SELECT * FROM actions.verify_log(%s)', :ws_cut),
    format($$ VALUES (%s::bigint, %s, 'log ends at seq %s but the chain head records seq %s: entries were removed'::text) $$,
           :cut, :cut_last, :cut_last - 1, :cut_last),
    'verify_log: a deleted newest entry is reported');
SELECT results_eq(format('SELECT * FROM actions.verify_log(%s)', :ws_gap),
    format($$ VALUES (%s::bigint, 3, 'sequence gap: expected 2, found 3'::text) $$, :gap),
    'verify_log: a deleted middle entry is reported as a gap');
SELECT results_eq(format('SELECT * FROM actions.verify_log(%s)', :ws_pushed),
    format($$ VALUES (%s::bigint, 3, 'log ends at seq 2 but the chain head records seq 3: entries were removed'::text) $$, :pushed),
    'verify_log: a head moved forward by hand is reported');
-- verify_log reads through a cursor; having reported a broken link it must not keep the log
-- open (an ALTER TABLE later in the transaction would fail with "being used by active queries").
SELECT lives_ok('ALTER TABLE actions.activity ENABLE ALWAYS TRIGGER activity_immutable',
    'verify_log leaves no open cursor on the log behind after reporting a broken link');
SELECT is_empty(format('SELECT * FROM actions.verify_log(%s)', :ws), 'verify_log: the untouched workspace is still intact');

-- ---------------------------------------------------------------------------------------------
-- An application's own UPDATE is logged exactly like the API. The API first:
SELECT results_eq(format('SELECT event, old_value, new_value, actor_id, db_role::text COLLATE "default" FROM actions.activity WHERE action_id = %s AND seq = 4', :a),
    format($$ VALUES ('title_changed'::text, 'Write the report'::text, 'Write the final report'::text, %s::bigint, 'li_owner'::text) $$, :owner),
    'API: update_action(title) logs title_changed with old and new title, the person and the login role');
-- ... then the superuser's UPDATE: the same entry, with no person and the superuser's role.
UPDATE actions.action SET title = 'Write the report, really' WHERE action_id = :a;
SELECT results_eq(format('SELECT seq, event, old_value, new_value, actor_id, db_role::text COLLATE "default" FROM actions.activity WHERE action_id = %s ORDER BY seq DESC LIMIT 1', :a),
    format($$ VALUES (5, 'title_changed'::text, 'Write the final report'::text, 'Write the report, really'::text, NULL::bigint, %L::text) $$, session_user),
    'superuser UPDATE of the title: title_changed with old and new value, no person, db_role = session_user');
-- ... and an application role granted UPDATE on the table.
GRANT SELECT, UPDATE ON actions.action TO li_app;
SET SESSION AUTHORIZATION li_app;
SELECT actions.act_as(:owner) \g /dev/null
UPDATE actions.action SET priority = 'high', description = 'Q3 numbers' WHERE action_id = :a;
RESET SESSION AUTHORIZATION;
SELECT results_eq(format('SELECT seq, event, old_value, new_value, actor_id, db_role::text COLLATE "default" FROM actions.activity WHERE action_id = %s AND seq > 5 ORDER BY seq', :a),
    format($$ VALUES (6, 'description_changed'::text, NULL::text, 'Q3 numbers'::text, %s::bigint, 'li_app'::text),
              (7, 'priority_changed', 'none', 'high', %s, 'li_app') $$, :owner, :owner),
    'an application role''s UPDATE is logged field by field, with the person it acts for and its role');
SELECT results_eq(format('SELECT seq FROM actions.activity_head WHERE action_id = %s', :a), $$ VALUES (7) $$,
    'the chain head follows direct UPDATEs');
SELECT is_empty(format('SELECT * FROM actions.verify_log(%s)', :ws), 'verify_log: direct UPDATEs keep the chain intact');

-- Direct status moves go through the same lifecycle rules as the API.
SELECT throws_ok(format('UPDATE actions.action SET status = %L WHERE action_id = %s', 'to_do', :dropped),
    '55000', 'cannot move action from status cancelled to to_do', 'superuser UPDATE cancelled -> to_do is refused');
SET SESSION AUTHORIZATION li_app;
SELECT throws_ok(format('UPDATE actions.action SET status = %L WHERE action_id = %s', 'in_progress', :dropped),
    '55000', 'cannot move action from status cancelled to in_progress', 'application UPDATE cancelled -> in_progress is refused');
SELECT throws_ok(format('UPDATE actions.action SET status = %L WHERE action_id = %s', 'done', :a),
    '23514', 'invalid action status "done"', 'application UPDATE to an unknown status is refused');
RESET SESSION AUTHORIZATION;
UPDATE actions.action SET status = 'complete' WHERE action_id = :a;
SELECT results_eq(format('SELECT status, completed_at IS NOT NULL FROM actions.action WHERE action_id = %s', :a),
    $$ VALUES ('complete'::text, true) $$, 'a direct UPDATE to complete fills completed_at');
SELECT throws_ok(format('UPDATE actions.action SET status = %L, cancel_reason = %L WHERE action_id = %s', 'cancelled', 'oops', :a),
    '55000', 'cannot move action from status complete to cancelled', 'superuser UPDATE complete -> cancelled is refused');
SELECT results_eq(format('SELECT event, old_value, new_value FROM actions.activity WHERE action_id = %s ORDER BY seq DESC LIMIT 1', :a),
    $$ VALUES ('completed'::text, 'in_progress'::text, 'complete'::text) $$,
    'the direct completion is logged as completed, the refused moves not at all');
SELECT results_eq(format('SELECT event, old_value, new_value FROM actions.activity WHERE action_id = %s ORDER BY seq DESC LIMIT 1', :dropped),
    $$ VALUES ('cancelled'::text, 'to_do'::text, 'cancelled'::text) $$,
    'the refused moves of the cancelled action left its log as it was');

-- A deleted action keeps its log, which ends with a deleted entry.
DELETE FROM actions.action WHERE action_id = :dropped;
SELECT results_eq(format('SELECT event, old_value, new_value FROM actions.activity WHERE action_id = %s ORDER BY seq DESC LIMIT 1', :dropped),
    $$ VALUES ('deleted'::text, 'cancelled'::text, NULL::text) $$, 'a direct DELETE is logged as deleted');
SELECT is_empty(format('SELECT * FROM actions.verify_log(%s)', :ws), 'verify_log: the log of a deleted action is intact');
SELECT throws_ok('SELECT actions.verify_log(NULL)', '22004', 'workspace_id must not be null', 'verify_log: NULL workspace');

-- Many changes in one go: every chain head is rewritten in place, also when the new version no
-- longer fits on its page (a non-HOT update that must insert new index entries).
SELECT actions.create_workspace('Bulk', 'UTC', NULL, :owner) AS ws_bulk \gset
INSERT INTO actions.action (workspace_id, title, owner_id)
SELECT :ws_bulk, 'bulk ' || g, :owner FROM generate_series(1, 300) AS g;
SELECT lives_ok(format('UPDATE actions.action SET priority = %L WHERE workspace_id = %s', 'high', :ws_bulk),
    'one UPDATE of 300 actions advances 300 chain heads');
SELECT results_eq(format('SELECT count(*), min(seq), max(seq) FROM actions.activity_head WHERE workspace_id = %s', :ws_bulk),
    $$ VALUES (300::bigint, 2, 2) $$, 'every head of the bulk workspace is at seq 2');
SELECT is_empty(format('SELECT * FROM actions.verify_log(%s)', :ws_bulk), 'verify_log: the bulk workspace is intact');

SELECT * FROM finish();
ROLLBACK;
