-- Notes on actions, with Content Manager's three access levels, every change in the activity log.
--   full:        may reassign, may modify the action, and is its assignee (add, edit, delete)
--   append_only: the same permissions, not the assignee                    (add)
--   read_only:   everyone else who sees the action                          (nothing)
BEGIN;
SELECT plan(17);

CREATE ROLE nt_owner LOGIN;
CREATE ROLE nt_user LOGIN;
CREATE ROLE nt_access LOGIN;
CREATE ROLE nt_inquiry LOGIN;
SELECT actions.create_person('nt-owner@example.com', 'Owner', 'nt_owner') AS owner \gset
SELECT actions.create_person('nt-user@example.com', 'User', 'nt_user') AS usr \gset
SELECT actions.create_person('nt-access@example.com', 'Access', 'nt_access') AS access \gset
SELECT actions.create_person('nt-inquiry@example.com', 'Inquiry', 'nt_inquiry') AS inquiry \gset
SELECT actions.create_workspace('Notes Co', owner_id => :owner) AS ws \gset
SELECT actions.add_member(:ws, :usr, 'user') \g /dev/null
SELECT actions.add_member(:ws, :access, 'actions_access') \g /dev/null
SELECT actions.add_member(:ws, :inquiry, 'inquiry') \g /dev/null

SET SESSION AUTHORIZATION nt_owner;
SELECT actions.create_action(:ws, 'Owner''s own', assignee_id => :owner) AS own \gset
SELECT actions.create_action(:ws, 'For the contractor', assignee_id => :access) AS theirs \gset
SELECT is(actions.note_access(:own), 'full', 'the owner, assignee of her action: full');
SELECT is(actions.note_access(:theirs), 'append_only', 'on an action assigned to someone else: append only');
SELECT actions.add_note(:own, 'Called the insurer') AS n1 \gset
SELECT lives_ok(format('SELECT actions.edit_note(%s, %L)', :n1, 'Called the insurer twice'), 'full access edits a note');
SELECT actions.add_note(:theirs, 'Please bring the ladder') AS n2 \gset
SELECT throws_ok(format('SELECT actions.edit_note(%s, %L)', :n2, 'changed'), '42501',
    'permission denied to edit notes of action', 'append only may not edit');
SELECT throws_ok(format('SELECT actions.delete_note(%s)', :n2), '42501',
    'permission denied to delete notes of action', 'nor delete');
SELECT throws_ok(format('SELECT actions.add_note(%s, %L)', :own, '   '), '22023', 'a note must not be empty',
    'an empty note is refused');
RESET SESSION AUTHORIZATION;

-- A user lacks edit_actions: read only, even as the owner of nothing here.
SET SESSION AUTHORIZATION nt_user;
SELECT is(actions.note_access(:own), 'read_only', 'a user without edit_actions: read only');
SELECT throws_ok(format('SELECT actions.add_note(%s, %L)', :own, 'hello'), '42501',
    'permission denied to add a note to action', 'read only may not add');
RESET SESSION AUTHORIZATION;

-- actions_access: reads the notes of its own action, writes none; other actions' notes are hidden.
SET SESSION AUTHORIZATION nt_access;
SELECT is(actions.note_access(:theirs), 'read_only', 'actions_access on its own action: read only');
SELECT throws_ok(format('SELECT actions.edit_note(%s, %L)', :n1, 'x'), 'P0002', format('note %s not found', :n1),
    'a note on a hidden action looks not found');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION nt_inquiry;
SELECT is(actions.note_access(:own), 'read_only', 'inquiry: read only');
RESET SESSION AUTHORIZATION;

-- Deleting with full access, and what the log keeps.
SET SESSION AUTHORIZATION nt_owner;
SELECT lives_ok(format('SELECT actions.delete_note(%s)', :n1), 'full access deletes a note');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM actions.note WHERE action_id = :own), 0::bigint, 'the note is gone');
SELECT results_eq(format($$SELECT event, old_value, new_value, (detail->>'note_id')::bigint
                            FROM actions.activity WHERE action_id = %s AND event LIKE 'note%%' ORDER BY seq$$, :own),
    format($$VALUES ('note_added'::text, NULL::text, 'Called the insurer'::text, %1$s::bigint),
                    ('note_edited', 'Called the insurer', 'Called the insurer twice', %1$s),
                    ('note_deleted', 'Called the insurer twice', NULL, %1$s)$$, :n1),
    'the log keeps every version of the note');
SELECT is((SELECT actor_id FROM actions.activity WHERE action_id = :own AND event = 'note_added'), :'owner'::bigint,
    'with the person who wrote it');
-- An application's own UPDATE of a note is logged like the API's.
UPDATE actions.note SET body = 'Bring two ladders' WHERE note_id = :n2;
SELECT is((SELECT new_value FROM actions.activity WHERE action_id = :theirs AND event = 'note_edited'), 'Bring two ladders',
    'a direct UPDATE of a note is logged');
SELECT is_empty(format('SELECT * FROM actions.verify_log(%s)', :ws), 'the chain stays intact');

SELECT * FROM finish();
ROLLBACK;
