-- Bad input to the SQL API: every refusal has the right SQLSTATE and message, and leaves
-- nothing behind (no action, log entry, chain head, evidence, notification or record is
-- written, and no action row changes).
--   22004 a NULL id          22023 an invalid value      22008 an infinite due date
--   P0002 an unknown id, or an id of a workspace the caller is not in (looks the same)
--   55000 a move the action's current status does not allow
BEGIN;

-- What a call may have written: row counts plus a digest of every action row.
CREATE FUNCTION pg_temp.footprint() RETURNS text
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT format('actions=%s activity=%s heads=%s evidence=%s notifications=%s records=%s rows=%s',
                  (SELECT count(*) FROM actions.action), (SELECT count(*) FROM actions.activity),
                  (SELECT count(*) FROM actions.activity_head), (SELECT count(*) FROM actions.evidence),
                  (SELECT count(*) FROM actions.notification),
                  (SELECT count(*) || '/' || count(*) FILTER (WHERE archived) FROM actions.record),
                  (SELECT md5(coalesce(string_agg(a::text, '|' ORDER BY a.action_id), '')) FROM actions.action a))
$$;

-- Two assertions per refusal: the call fails with this SQLSTATE and message, and the
-- footprint is the same afterwards.
CREATE FUNCTION pg_temp.refused(call text, state text, message text, what text) RETURNS SETOF text
    LANGUAGE plpgsql AS $$
DECLARE
    before text := pg_temp.footprint();
BEGIN
    RETURN NEXT throws_ok(call, state::char(5), message, what);
    RETURN NEXT is(pg_temp.footprint(), before, what || ': nothing written');
END
$$;

SELECT plan(212);

-- People: the workspace owner, a member, a removed member, a stranger (no workspace), and the
-- owner of another workspace.
CREATE ROLE bi_owner LOGIN;
CREATE ROLE bi_member LOGIN;
CREATE ROLE bi_gone LOGIN;
CREATE ROLE bi_stranger LOGIN;
CREATE ROLE bi_elsewhere LOGIN;
SELECT actions.create_person('bi.owner@example.org', 'BI Owner', 'bi_owner') AS owner,
       actions.create_person('bi.member@example.org', 'BI Member', 'bi_member') AS member,
       actions.create_person('bi.gone@example.org', 'BI Gone', 'bi_gone') AS gone,
       actions.create_person('bi.stranger@example.org', 'BI Stranger', 'bi_stranger') AS stranger,
       actions.create_person('bi.elsewhere@example.org', 'BI Elsewhere', 'bi_elsewhere') AS elsewhere
\gset
SELECT actions.create_workspace('Bad input', 'Europe/Berlin', NULL, :owner) AS ws,
       actions.create_workspace('Someone else''s', 'UTC', NULL, :elsewhere) AS other_ws
\gset
SELECT actions.add_member(:ws, :member, 'user'), actions.add_member(:ws, :gone, 'user') \gset
UPDATE actions.member SET state = 'removed' WHERE workspace_id = :ws AND person_id = :gone;
\set missing 987654321987

-- The other workspace's action and record.
SET SESSION AUTHORIZATION bi_elsewhere;
SELECT actions.create_action(:other_ws, 'Foreign action', assignee_id => :elsewhere) AS foreign_action,
       actions.create_record(:other_ws, 'Foreign record') AS foreign_record
\gset
RESET SESSION AUTHORIZATION;

-- Actions in every state, and a live and an archived record.
SET SESSION AUTHORIZATION bi_owner;
SELECT actions.create_action(:ws, 'Open action', assignee_id => :member) AS open,
       actions.create_action(:ws, 'Unassigned action') AS unassigned,
       actions.create_action(:ws, 'Started action', assignee_id => :owner) AS started,
       actions.create_action(:ws, 'Done action', assignee_id => :owner) AS done,
       actions.create_action(:ws, 'Another done action', assignee_id => :owner) AS done_too,
       actions.create_action(:ws, 'Cancelled action', assignee_id => :member) AS cancelled,
       actions.create_action(:ws, 'Cancelled unassigned action') AS cancelled_unassigned,
       actions.create_action(:ws, 'Evidence action', assignee_id => :owner) AS evidence_action,
       actions.create_record(:ws, 'Live record') AS rec,
       actions.create_record(:ws, 'Old record') AS old_rec
\gset
SELECT actions.start(:started), actions.complete(:done), actions.complete(:done_too),
       actions.cancel(:cancelled, 'no longer needed'),
       actions.cancel(:cancelled_unassigned, 'duplicate'), actions.archive_record(:old_rec)
\gset
RESET SESSION AUTHORIZATION;

SELECT is((SELECT string_agg(status, ',' ORDER BY action_id) FROM actions.action WHERE workspace_id = :ws),
          'to_do,to_do,in_progress,complete,complete,cancelled,cancelled,to_do', 'fixture: actions in every state');
SET SESSION AUTHORIZATION bi_owner;

-- ---------------------------------------------------------------------------------------------
-- create_action
SELECT * FROM pg_temp.refused(format('SELECT actions.create_action(%s, NULL)', :ws),
    '22023', 'title must not be empty', 'create_action: NULL title');
SELECT * FROM pg_temp.refused(format('SELECT actions.create_action(%s, %L)', :ws, ''),
    '22023', 'title must not be empty', 'create_action: empty title');
SELECT * FROM pg_temp.refused(format('SELECT actions.create_action(%s, %L)', :ws, E'  \t\n '),
    '22023', 'title must not be empty', 'create_action: blank title');
SELECT * FROM pg_temp.refused(format('SELECT actions.create_action(%s, %L)', :ws, repeat('x', 501)),
    '22023', 'title is too long', 'create_action: 501-character title');
-- Characters are counted, not bytes: 501 two-byte characters are too long ...
SELECT * FROM pg_temp.refused(format('SELECT actions.create_action(%s, %L)', :ws, repeat('é', 501)),
    '22023', 'title is too long', 'create_action: 501 two-byte characters');
SELECT * FROM pg_temp.refused(format('SELECT actions.create_action(%s, %L, description => %L)', :ws, 'T', repeat('d', 20001)),
    '22023', 'description is too long', 'create_action: 20001-character description');
SELECT * FROM pg_temp.refused('SELECT actions.create_action(NULL, ''T'')',
    '22004', 'workspace_id must not be null', 'create_action: NULL workspace');
SELECT * FROM pg_temp.refused(format('SELECT actions.create_action(%s, %L)', :missing, 'T'),
    'P0002', format('workspace %s not found', :missing), 'create_action: unknown workspace');
SELECT * FROM pg_temp.refused(format('SELECT actions.create_action(%s, %L)', :other_ws, 'T'),
    'P0002', format('workspace %s not found', :other_ws), 'create_action: another workspace looks not found');
SELECT * FROM pg_temp.refused(format('SELECT actions.create_action(%s, %L, assignee_id => %s)', :ws, 'T', :stranger),
    '22023', format('person %s is not a member of workspace %s', :stranger, :ws), 'create_action: assignee is not a member');
SELECT * FROM pg_temp.refused(format('SELECT actions.create_action(%s, %L, assignee_id => %s)', :ws, 'T', :gone),
    '22023', format('person %s is not a member of workspace %s', :gone, :ws), 'create_action: assignee was removed');
SELECT * FROM pg_temp.refused(format('SELECT actions.create_action(%s, %L, assignee_id => %s)', :ws, 'T', :elsewhere),
    '22023', format('person %s is not a member of workspace %s', :elsewhere, :ws), 'create_action: assignee is a member of another workspace only');
SELECT * FROM pg_temp.refused(format('SELECT actions.create_action(%s, %L, assignee_id => %s)', :ws, 'T', :missing),
    '22023', format('person %s is not a member of workspace %s', :missing, :ws), 'create_action: assignee does not exist');
SELECT * FROM pg_temp.refused(format('SELECT actions.create_action(%s, %L, due_at => %L)', :ws, 'T', 'infinity'),
    '22008', 'due date must be finite', 'create_action: due_at infinity');
SELECT * FROM pg_temp.refused(format('SELECT actions.create_action(%s, %L, due_at => %L)', :ws, 'T', '-infinity'),
    '22008', 'due date must be finite', 'create_action: due_at -infinity');
SELECT * FROM pg_temp.refused(format('SELECT actions.create_action(%s, %L, due_on => %L)', :ws, 'T', 'infinity'),
    '22008', 'due date must be finite', 'create_action: due_on infinity');
SELECT * FROM pg_temp.refused(format('SELECT actions.create_action(%s, %L, due_at => %L, due_on => %L)', :ws, 'T', '2031-01-01 12:00+00', '2031-01-01'),
    '22023', 'pass due_at or due_on, not both', 'create_action: both due_at and due_on');
SELECT * FROM pg_temp.refused(format('SELECT actions.create_action(%s, %L, priority => %L)', :ws, 'T', 'urgent'),
    '22023', 'invalid priority "urgent"', 'create_action: unknown priority');
SELECT * FROM pg_temp.refused(format('SELECT actions.create_action(%s, %L, type => %L)', :ws, 'T', 'bug'),
    '22023', 'unknown action type "bug"', 'create_action: unknown type');
SELECT * FROM pg_temp.refused(format('SELECT actions.create_action(%s, %L, record_id => %s)', :ws, 'T', :missing),
    'P0002', format('record %s not found', :missing), 'create_action: unknown record');
SELECT * FROM pg_temp.refused(format('SELECT actions.create_action(%s, %L, record_id => %s)', :ws, 'T', :foreign_record),
    'P0002', format('record %s not found', :foreign_record), 'create_action: another workspace''s record looks not found');
SELECT * FROM pg_temp.refused(format('SELECT actions.create_action(%s, %L, record_id => %s)', :ws, 'T', :old_rec),
    '55000', format('record %s is archived', :old_rec), 'create_action: an archived record takes no new actions');

-- ---------------------------------------------------------------------------------------------
-- assign / reassign
SELECT * FROM pg_temp.refused(format('SELECT actions.assign(NULL, %s)', :member),
    '22004', 'action_id must not be null', 'assign: NULL action');
SELECT * FROM pg_temp.refused(format('SELECT actions.assign(%s, NULL)', :unassigned),
    '22004', 'assignee_id must not be null', 'assign: NULL assignee');
SELECT * FROM pg_temp.refused(format('SELECT actions.assign(%s, %s)', :missing, :member),
    'P0002', format('action %s not found', :missing), 'assign: unknown action');
SELECT * FROM pg_temp.refused(format('SELECT actions.assign(%s, %s)', :foreign_action, :member),
    'P0002', format('action %s not found', :foreign_action), 'assign: another workspace''s action looks not found');
SELECT * FROM pg_temp.refused(format('SELECT actions.assign(%s, %s)', :unassigned, :stranger),
    '22023', format('person %s is not a member of workspace %s', :stranger, :ws), 'assign: to a non-member');
SELECT * FROM pg_temp.refused(format('SELECT actions.assign(%s, %s)', :unassigned, :gone),
    '22023', format('person %s is not a member of workspace %s', :gone, :ws), 'assign: to a removed member');
SELECT * FROM pg_temp.refused(format('SELECT actions.assign(%s, %s)', :open, :owner),
    '55000', format('action %s is already assigned', :open), 'assign: an assigned action');
SELECT * FROM pg_temp.refused(format('SELECT actions.assign(%s, %s)', :cancelled_unassigned, :member),
    '55000', format('cannot assign action %s: it is cancelled', :cancelled_unassigned), 'assign: a cancelled action');

SELECT * FROM pg_temp.refused(format('SELECT actions.reassign(NULL, %s)', :member),
    '22004', 'action_id must not be null', 'reassign: NULL action');
SELECT * FROM pg_temp.refused(format('SELECT actions.reassign(%s, NULL)', :open),
    '22004', 'assignee_id must not be null', 'reassign: NULL assignee');
SELECT * FROM pg_temp.refused(format('SELECT actions.reassign(%s, %s)', :missing, :member),
    'P0002', format('action %s not found', :missing), 'reassign: unknown action');
SELECT * FROM pg_temp.refused(format('SELECT actions.reassign(%s, %s)', :foreign_action, :owner),
    'P0002', format('action %s not found', :foreign_action), 'reassign: another workspace''s action looks not found');
SELECT * FROM pg_temp.refused(format('SELECT actions.reassign(%s, %s)', :open, :stranger),
    '22023', format('person %s is not a member of workspace %s', :stranger, :ws), 'reassign: to a non-member');
SELECT * FROM pg_temp.refused(format('SELECT actions.reassign(%s, %s)', :open, :gone),
    '22023', format('person %s is not a member of workspace %s', :gone, :ws), 'reassign: to a removed member');
SELECT * FROM pg_temp.refused(format('SELECT actions.reassign(%s, %s)', :open, :elsewhere),
    '22023', format('person %s is not a member of workspace %s', :elsewhere, :ws), 'reassign: to a member of another workspace');
SELECT * FROM pg_temp.refused(format('SELECT actions.reassign(%s, %s)', :unassigned, :member),
    '55000', format('action %s is not assigned', :unassigned), 'reassign: an unassigned action');
SELECT * FROM pg_temp.refused(format('SELECT actions.reassign(%s, %s)', :cancelled, :owner),
    '55000', format('cannot assign action %s: it is cancelled', :cancelled), 'reassign: a cancelled action');
SELECT * FROM pg_temp.refused(format('SELECT actions.reassign(%s, %s)', :done, :member),
    '55000', format('cannot assign action %s: it is complete', :done), 'reassign: a complete action');

-- ---------------------------------------------------------------------------------------------
-- start / complete / uncomplete: unknown ids and illegal moves
SELECT * FROM pg_temp.refused('SELECT actions.start(NULL)',
    '22004', 'action_id must not be null', 'start: NULL action');
SELECT * FROM pg_temp.refused(format('SELECT actions.start(%s)', :missing),
    'P0002', format('action %s not found', :missing), 'start: unknown action');
SELECT * FROM pg_temp.refused(format('SELECT actions.start(%s)', :foreign_action),
    'P0002', format('action %s not found', :foreign_action), 'start: another workspace''s action looks not found');
SELECT * FROM pg_temp.refused(format('SELECT actions.start(%s)', :started),
    '55000', 'action is already in progress', 'start: an action in progress');
SELECT * FROM pg_temp.refused(format('SELECT actions.start(%s)', :cancelled),
    '55000', 'cannot move action from status cancelled to in_progress', 'start: a cancelled action');

SELECT * FROM pg_temp.refused('SELECT actions.complete(NULL)',
    '22004', 'action_id must not be null', 'complete: NULL action');
SELECT * FROM pg_temp.refused(format('SELECT actions.complete(%s)', :missing),
    'P0002', format('action %s not found', :missing), 'complete: unknown action');
SELECT * FROM pg_temp.refused(format('SELECT actions.complete(%s)', :foreign_action),
    'P0002', format('action %s not found', :foreign_action), 'complete: another workspace''s action looks not found');
SELECT * FROM pg_temp.refused(format('SELECT actions.complete(%s)', :cancelled),
    '55000', 'cannot move action from status cancelled to complete', 'complete: a cancelled action (message names the status)');
SELECT * FROM pg_temp.refused(format('SELECT actions.complete(%s)', :done),
    '55000', 'action is already complete', 'complete: a complete action');

SELECT * FROM pg_temp.refused('SELECT actions.uncomplete(NULL)',
    '22004', 'action_id must not be null', 'uncomplete: NULL action');
SELECT * FROM pg_temp.refused(format('SELECT actions.uncomplete(%s)', :missing),
    'P0002', format('action %s not found', :missing), 'uncomplete: unknown action');
SELECT * FROM pg_temp.refused(format('SELECT actions.uncomplete(%s)', :foreign_action),
    'P0002', format('action %s not found', :foreign_action), 'uncomplete: another workspace''s action looks not found');
SELECT * FROM pg_temp.refused(format('SELECT actions.uncomplete(%s)', :open),
    '55000', 'cannot un-complete action: it is to_do', 'uncomplete: a to_do action');
SELECT * FROM pg_temp.refused(format('SELECT actions.uncomplete(%s)', :started),
    '55000', 'cannot un-complete action: it is in_progress', 'uncomplete: an action in progress');
SELECT * FROM pg_temp.refused(format('SELECT actions.uncomplete(%s)', :cancelled),
    '55000', 'cannot un-complete action: it is cancelled', 'uncomplete: a cancelled action');

-- Re-opening a complete action is what uncomplete() is for (with its own permission rule);
-- start() must not be a second way to do it.
SELECT * FROM pg_temp.refused(format('SELECT actions.start(%s)', :done_too),
    '55000', NULL, 'start: a complete action is refused (reopen it with uncomplete)');

-- ---------------------------------------------------------------------------------------------
-- complete with evidence
SELECT * FROM pg_temp.refused(format('SELECT actions.complete(%s, evidence_name => %L)', :evidence_action, 'minutes.pdf'),
    '22023', 'evidence_name given without evidence', 'complete: evidence name without evidence');
SELECT * FROM pg_temp.refused(format('SELECT actions.complete(%s, evidence => %L::bytea)', :evidence_action, '\x0102'),
    '22023', 'evidence needs a file name', 'complete: evidence without a name');
SELECT * FROM pg_temp.refused(format('SELECT actions.complete(%s, evidence => %L::bytea, evidence_name => %L)', :evidence_action, '\x0102', '  '),
    '22023', 'evidence needs a file name', 'complete: evidence with a blank name');
SELECT * FROM pg_temp.refused(format('SELECT actions.complete(%s, evidence => %L::bytea)', :evidence_action, ''),
    '22023', 'evidence needs a file name', 'complete: an empty evidence file without a name');
SELECT * FROM pg_temp.refused(format('SELECT actions.complete(%s, evidence => %L::bytea, evidence_name => %L)', :evidence_action, '\x01', repeat('n', 256)),
    '22023', 'evidence file name is too long', 'complete: an evidence file name of 256 characters');
RESET SESSION AUTHORIZATION;
SET LOCAL pg_actions.evidence_max_bytes = 4;
SET SESSION AUTHORIZATION bi_owner;
SELECT * FROM pg_temp.refused(format('SELECT actions.complete(%s, evidence => %L::bytea, evidence_name => %L)', :evidence_action, '\x0102030405', 'five.bin'),
    '22023', 'evidence file is too large', 'complete: 5 bytes of evidence over a 4-byte limit');
-- ... and exactly the limit is accepted, with the file stored once.
SELECT lives_ok(format('SELECT actions.complete(%s, evidence => %L::bytea, evidence_name => %L)', :evidence_action, '\x01020304', 'four.bin'),
    'complete: 4 bytes of evidence at a 4-byte limit is accepted');
RESET SESSION AUTHORIZATION;
SELECT results_eq(format('SELECT name, size_bytes FROM actions.evidence WHERE action_id = %s', :evidence_action),
    $$VALUES ('four.bin'::text, 4::bigint)$$, 'complete: the accepted evidence is stored');
SET SESSION AUTHORIZATION bi_owner;

-- ---------------------------------------------------------------------------------------------
-- cancel
SELECT * FROM pg_temp.refused(format('SELECT actions.cancel(%s, NULL)', :open),
    '22023', 'a cancel reason is required', 'cancel: no reason');
SELECT * FROM pg_temp.refused(format('SELECT actions.cancel(%s, %L)', :open, ''),
    '22023', 'a cancel reason is required', 'cancel: empty reason');
SELECT * FROM pg_temp.refused(format('SELECT actions.cancel(%s, %L)', :open, E' \t '),
    '22023', 'a cancel reason is required', 'cancel: blank reason');
SELECT * FROM pg_temp.refused(format('SELECT actions.cancel(%s, %L)', :open, repeat('r', 2001)),
    '22023', 'cancel reason is too long', 'cancel: 2001-character reason');
SELECT * FROM pg_temp.refused('SELECT actions.cancel(NULL, ''gone'')',
    '22004', 'action_id must not be null', 'cancel: NULL action');
SELECT * FROM pg_temp.refused(format('SELECT actions.cancel(%s, %L)', :missing, 'gone'),
    'P0002', format('action %s not found', :missing), 'cancel: unknown action');
SELECT * FROM pg_temp.refused(format('SELECT actions.cancel(%s, %L)', :foreign_action, 'gone'),
    'P0002', format('action %s not found', :foreign_action), 'cancel: another workspace''s action looks not found');
SELECT * FROM pg_temp.refused(format('SELECT actions.cancel(%s, %L)', :cancelled, 'again'),
    '55000', 'action is already cancelled', 'cancel: a cancelled action');
SELECT * FROM pg_temp.refused(format('SELECT actions.cancel(%s, %L)', :done, 'too late'),
    '55000', 'cannot move action from status complete to cancelled', 'cancel: a complete action');

-- ---------------------------------------------------------------------------------------------
-- update_action
SELECT * FROM pg_temp.refused(format('SELECT actions.update_action(%s, title => %L)', :open, ''),
    '22023', 'title must not be empty', 'update_action: empty title');
SELECT * FROM pg_temp.refused(format('SELECT actions.update_action(%s, title => %L)', :open, E'\n\n'),
    '22023', 'title must not be empty', 'update_action: blank title');
SELECT * FROM pg_temp.refused(format('SELECT actions.update_action(%s, title => %L)', :open, repeat('x', 501)),
    '22023', 'title is too long', 'update_action: 501-character title');
SELECT * FROM pg_temp.refused(format('SELECT actions.update_action(%s, description => %L)', :open, repeat('d', 20001)),
    '22023', 'description is too long', 'update_action: 20001-character description');
SELECT * FROM pg_temp.refused(format('SELECT actions.update_action(%s, priority => %L)', :open, 'urgent'),
    '22023', 'invalid priority "urgent"', 'update_action: unknown priority');
SELECT * FROM pg_temp.refused(format('SELECT actions.update_action(%s, due_at => %L)', :open, 'infinity'),
    '22008', 'due date must be finite', 'update_action: due_at infinity');
SELECT * FROM pg_temp.refused(format('SELECT actions.update_action(%s, due_on => %L)', :open, '-infinity'),
    '22008', 'due date must be finite', 'update_action: due_on -infinity');
SELECT * FROM pg_temp.refused(format('SELECT actions.update_action(%s, due_at => %L, due_on => %L)', :open, '2031-01-01 12:00+00', '2031-01-01'),
    '22023', 'pass only one of due_at, due_on and clear_due', 'update_action: both due_at and due_on');
SELECT * FROM pg_temp.refused(format('SELECT actions.update_action(%s, due_on => %L, clear_due => true)', :open, '2031-01-01'),
    '22023', 'pass only one of due_at, due_on and clear_due', 'update_action: due_on and clear_due');
SELECT * FROM pg_temp.refused('SELECT actions.update_action(NULL, title => ''T'')',
    '22004', 'action_id must not be null', 'update_action: NULL action');
SELECT * FROM pg_temp.refused(format('SELECT actions.update_action(%s, title => %L)', :missing, 'T'),
    'P0002', format('action %s not found', :missing), 'update_action: unknown action');
SELECT * FROM pg_temp.refused(format('SELECT actions.update_action(%s, title => %L)', :foreign_action, 'T'),
    'P0002', format('action %s not found', :foreign_action), 'update_action: another workspace''s action looks not found');
SELECT * FROM pg_temp.refused(format('SELECT actions.update_action(%s, title => %L)', :cancelled, 'T'),
    '55000', format('cannot edit action %s: it is cancelled', :cancelled), 'update_action: a cancelled action');
SELECT * FROM pg_temp.refused(format('SELECT actions.update_action(%s, title => %L)', :done, 'T'),
    '55000', format('cannot edit action %s: it is complete', :done), 'update_action: a complete action');

-- ---------------------------------------------------------------------------------------------
-- delete_action
SELECT * FROM pg_temp.refused('SELECT actions.delete_action(NULL)',
    '22004', 'action_id must not be null', 'delete_action: NULL action');
SELECT * FROM pg_temp.refused(format('SELECT actions.delete_action(%s)', :missing),
    'P0002', format('action %s not found', :missing), 'delete_action: unknown action');
SELECT * FROM pg_temp.refused(format('SELECT actions.delete_action(%s)', :foreign_action),
    'P0002', format('action %s not found', :foreign_action), 'delete_action: another workspace''s action looks not found');

-- ---------------------------------------------------------------------------------------------
-- create_record / archive_record
SELECT * FROM pg_temp.refused(format('SELECT actions.create_record(%s, NULL)', :ws),
    '22023', 'title must not be empty', 'create_record: NULL title');
SELECT * FROM pg_temp.refused(format('SELECT actions.create_record(%s, %L)', :ws, '   '),
    '22023', 'title must not be empty', 'create_record: blank title');
SELECT * FROM pg_temp.refused(format('SELECT actions.create_record(%s, %L)', :ws, repeat('x', 501)),
    '22023', 'title is too long', 'create_record: 501-character title');
SELECT * FROM pg_temp.refused('SELECT actions.create_record(NULL, ''R'')',
    '22004', 'workspace_id must not be null', 'create_record: NULL workspace');
SELECT * FROM pg_temp.refused(format('SELECT actions.create_record(%s, %L)', :missing, 'R'),
    'P0002', format('workspace %s not found', :missing), 'create_record: unknown workspace');
SELECT * FROM pg_temp.refused(format('SELECT actions.create_record(%s, %L)', :other_ws, 'R'),
    'P0002', format('workspace %s not found', :other_ws), 'create_record: another workspace looks not found');
-- The API checks the kind against the workspace's kinds (22023 with a hint).
SELECT * FROM pg_temp.refused(format('SELECT actions.create_record(%s, %L, %L)', :ws, 'R', 'Bad Kind'),
    '22023', 'unknown record kind "Bad Kind"', 'create_record: an unknown kind is refused');

SELECT * FROM pg_temp.refused('SELECT actions.archive_record(NULL)',
    '22004', 'record_id must not be null', 'archive_record: NULL record');
SELECT * FROM pg_temp.refused(format('SELECT actions.archive_record(%s)', :missing),
    'P0002', format('record %s not found', :missing), 'archive_record: unknown record');
SELECT * FROM pg_temp.refused(format('SELECT actions.archive_record(%s)', :foreign_record),
    'P0002', format('record %s not found', :foreign_record), 'archive_record: another workspace''s record looks not found');
SELECT * FROM pg_temp.refused(format('SELECT actions.archive_record(%s)', :old_rec),
    '55000', format('record %s is already archived', :old_rec), 'archive_record: an archived record');

-- ---------------------------------------------------------------------------------------------
-- A removed member and a stranger see nothing of the workspace.
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION bi_gone;
SELECT * FROM pg_temp.refused(format('SELECT actions.create_action(%s, %L)', :ws, 'T'),
    'P0002', format('workspace %s not found', :ws), 'a removed member cannot create actions');
SELECT * FROM pg_temp.refused(format('SELECT actions.start(%s)', :open),
    'P0002', format('action %s not found', :open), 'a removed member cannot see actions');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION bi_stranger;
SELECT * FROM pg_temp.refused(format('SELECT actions.complete(%s)', :open),
    'P0002', format('action %s not found', :open), 'a stranger cannot see actions');
SELECT * FROM pg_temp.refused(format('SELECT actions.create_record(%s, %L)', :ws, 'R'),
    'P0002', format('workspace %s not found', :ws), 'a stranger cannot create records');
RESET SESSION AUTHORIZATION;

-- Boundaries that are accepted: 500 characters (1000 bytes) of title.
SET SESSION AUTHORIZATION bi_owner;
SELECT lives_ok(format('SELECT actions.create_action(%s, %L)', :ws, repeat('é', 500)),
    'create_action: a 500-character title of two-byte characters is accepted');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
