-- Regression tests for the audit's findings (issue "Hardening"), one block per finding:
--   identity (act_as and the per-statement memos follow subtransactions; the last owner is kept on
--   every path; removed members are not revived; invited members act only after accepting; every
--   change of an action is logged or refused; a deleted action's log ends with `deleted`; recorded
--   workflow decisions are final), leaks (eligibility questions on hidden records; assign_by_email
--   tells nothing about other workspaces), and the C++/PostgreSQL boundary (functions that write
--   read their own statement's writes; clean errors for missing columns and changed tables; due
--   dates out of range).
-- The races themselves are isolation specs (last_owner_race, note_chain_race, group_delete_race,
-- due_soon_delete_race); load and crash are Perl TAP (004_mixed_load, 005_crash).
BEGIN;

SELECT plan(46);

CREATE ROLE hd_owner LOGIN;
CREATE ROLE hd_user LOGIN;
CREATE ROLE hd_access LOGIN;
CREATE ROLE hd_inv LOGIN;     -- a person invited by e-mail
CREATE ROLE hd_out LOGIN;     -- a person of another workspace only
CREATE ROLE hd_app LOGIN;     -- a trusted service
SELECT actions.create_person('hd-owner@example.com', 'Owner', 'hd_owner') AS owner,
       actions.create_person('hd-user@example.com', 'User', 'hd_user') AS usr,
       actions.create_person('hd-access@example.com', 'Access', 'hd_access') AS access,
       actions.create_person('hd-inv@example.com', 'Invited', 'hd_inv') AS inv,
       actions.create_person('hd-out@example.com', 'Outside', 'hd_out') AS out,
       actions.create_person('hd-gone@example.com', 'Gone', NULL) AS gone
\gset
SELECT actions.create_workspace('Hardening Co', owner_id => :owner) AS ws,
       actions.create_workspace('Elsewhere', owner_id => :out) AS ws2
\gset
SELECT actions.add_member(:ws, :usr, 'user'), actions.add_member(:ws, :access, 'actions_access'),
       actions.add_member(:ws, :gone, 'user') \g /dev/null
UPDATE actions.member SET state = 'removed' WHERE workspace_id = :ws AND person_id = :gone;
SELECT actions.trust_service('hd_app', 'a back office that writes directly', sees => 'all') \g /dev/null
GRANT SELECT, INSERT, UPDATE ON actions.action TO hd_app;
GRANT EXECUTE ON FUNCTION actions.create_due_reviews() TO hd_app;

-- What a statement raised, with the given id written as N: hidden and missing must read alike.
CREATE FUNCTION pg_temp.failure(sql text, id bigint) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    st text; msg text; det text; hnt text;
BEGIN
    EXECUTE sql;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
    RETURN regexp_replace(st || ' | ' || msg || ' | ' || det || ' | ' || hnt, '\m' || id || '\M', 'N', 'g');
END
$$;

-- 1. act_as made in a savepoint ends at ROLLBACK TO SAVEPOINT; an outer one comes back.
SET SESSION AUTHORIZATION hd_app;
SAVEPOINT s1;
SELECT actions.act_as(:usr) \g /dev/null
SELECT actions.current_actor() AS inside \gset
ROLLBACK TO SAVEPOINT s1;
SELECT actions.current_actor() IS NULL AS after_rollback \gset
SELECT actions.act_as(:owner) \g /dev/null
SAVEPOINT s2;
SELECT actions.act_as(:usr) \g /dev/null
ROLLBACK TO SAVEPOINT s2;
SELECT actions.create_action(:ws, 'Made after a rolled-back act_as') AS after_act \gset
SAVEPOINT s3;
SELECT actions.act_as(:usr) \g /dev/null
RELEASE SAVEPOINT s3;
SELECT actions.current_actor() AS released \gset
RESET SESSION AUTHORIZATION;
SELECT is(:inside::bigint, :usr::bigint, 'act_as in a savepoint takes effect');
SELECT is(:'after_rollback'::boolean, true, 'and ends at ROLLBACK TO SAVEPOINT: nobody acts afterwards');
SELECT is((SELECT owner_id FROM actions.action WHERE action_id = :after_act), :owner::bigint,
    'an act_as rolled back in a savepoint gives way to the one made before it');
SELECT is((SELECT actor_id FROM actions.activity WHERE action_id = :after_act AND seq = 1), :owner::bigint,
    '... and the log names that person');
SELECT is(:released::bigint, :usr::bigint, 'an act_as in a released savepoint stays');

-- 2. The per-statement memo of can() forgets what a rolled-back subtransaction read.
SET SESSION AUTHORIZATION hd_owner;
SELECT actions.create_action(:ws, 'Not for the access member') AS hidden \gset
RESET SESSION AUTHORIZATION;
CREATE FUNCTION pg_temp.memo_probe(a bigint, ws bigint, p bigint) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    r text;
BEGIN
    PERFORM actions.act_as(p);
    r := actions.can('view', a)::text;
    BEGIN
        UPDATE actions.member SET role_id = (SELECT role_id FROM actions.role WHERE workspace_id = ws AND name = 'manager')
         WHERE workspace_id = ws AND person_id = p;
        r := r || ' ' || actions.can('view', a)::text;
        RAISE EXCEPTION 'undo';
    EXCEPTION WHEN raise_exception THEN
        NULL;
    END;
    RETURN r || ' ' || actions.can('view', a)::text;
END
$$;
SELECT is(pg_temp.memo_probe(:hidden, :ws, :access), 'false true false',
    'a role granted and rolled back within one statement: can() answers from the role as it is after the rollback');

-- 3. The last active owner keeps the owner role on every path.
SELECT throws_ok(format('SELECT actions.add_member(%s, %s, %L)', :ws, :owner, 'user'), '55000',
    'cannot take the owner role from the last owner of workspace ' || :ws, 'add_member does not demote the last owner');
SELECT throws_ok(format('UPDATE actions.member SET state = %L WHERE workspace_id = %s AND person_id = %s', 'removed', :ws, :owner),
    '55000', NULL, 'nor does an administrator''s UPDATE of the member row');
SELECT throws_ok(format('DELETE FROM actions.member WHERE workspace_id = %s AND person_id = %s', :ws, :owner),
    '55000', NULL, '... nor a DELETE');
SELECT lives_ok(format('SELECT actions.add_member(%s, %s, %L)', :ws, :usr, 'owner'), 'with a second owner');
SELECT lives_ok(format('SELECT actions.add_member(%s, %s, %L)', :ws, :usr, 'user'), 'one of two owners may step down');

-- 4. A removed member is not revived by an assignment; an invited member acts only after accepting.
SET SESSION AUTHORIZATION hd_owner;
SELECT actions.create_action(:ws, 'For someone removed') AS for_gone \gset
SELECT throws_ok(format('SELECT actions.assign_by_email(%s, %L)', :for_gone, 'HD-Gone@example.com'), '22023',
    'person is not a member of workspace ' || :ws, 'assigning a removed member by e-mail is refused');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT state FROM actions.member WHERE workspace_id = :ws AND person_id = :gone), 'removed', '... who stays removed');
SET SESSION AUTHORIZATION hd_owner;
SELECT actions.create_action(:ws, 'For the invited') AS for_inv \gset
SELECT actions.create_action(:ws, 'For someone new') AS for_new \gset
SELECT actions.assign_by_email(:for_inv, 'hd-out@example.com') AS known_elsewhere \gset
SELECT actions.assign_by_email(:for_new, 'brand-new@example.com') AS unknown \gset
SELECT actions.create_action(:ws, 'Invite hd_inv') AS inv_job \gset
SELECT actions.assign_by_email(:inv_job, 'hd-inv@example.com') \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT is(:'known_elsewhere'::boolean, :'unknown'::boolean,
    'assign_by_email answers alike for an e-mail known in another workspace and an unknown one');
SELECT is(:'known_elsewhere'::boolean, true, '... both are invited');
SET SESSION AUTHORIZATION hd_inv;
SELECT is(actions.can('view', :inv_job), false, 'an invited member does not see the action before accepting');
SELECT throws_ok(format('SELECT actions.start(%s)', :inv_job), 'P0002', NULL, '... nor works on it');
SELECT throws_ok(format('SELECT actions.create_action(%s, %L)', :ws, 'x'), 'P0002', NULL, '... nor creates actions');
RESET SESSION AUTHORIZATION;
SELECT token AS inv_token FROM actions.invitation WHERE workspace_id = :ws AND person_id = :inv \gset
SET SESSION AUTHORIZATION hd_inv;
SELECT actions.accept_invitation(:'inv_token') \g /dev/null
SELECT lives_ok(format('SELECT actions.start(%s)', :inv_job), 'once accepted, the member works on the action');
RESET SESSION AUTHORIZATION;

-- 5. Every change of an action is logged or refused, also for a trusted service's own UPDATE.
SET SESSION AUTHORIZATION hd_owner;
SELECT actions.create_action(:ws, 'Direct writes', assignee_id => :usr) AS dw \gset
SELECT actions.create_action(:ws, 'Direct edits', assignee_id => :usr) AS dw2 \gset
SELECT actions.complete(:dw) \g /dev/null
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION hd_app;
SELECT actions.act_as(:owner) \g /dev/null
SELECT throws_ok(format('UPDATE actions.action SET owner_id = %s WHERE action_id = %s', :usr, :dw), '42501',
    'cannot change owner_id of an action', 'owner_id cannot be changed');
SELECT throws_ok(format('UPDATE actions.action SET type = %L WHERE action_id = %s', 'approval', :dw), '42501',
    'cannot change type of an action', 'type cannot be changed');
SELECT throws_ok(format('UPDATE actions.action SET completed_by = %s WHERE action_id = %s', :usr, :dw), '42501',
    'cannot change completed_by of an action', 'completed_by cannot be rewritten');
SELECT throws_ok(format('UPDATE actions.action SET started_at = now() - interval %L WHERE action_id = %s', '3 days', :dw), '42501',
    'cannot change started_at of an action', 'started_at cannot be rewritten');
SELECT throws_ok(format('UPDATE actions.action SET created_at = now() - interval %L WHERE action_id = %s', '3 days', :dw), '42501',
    'cannot change created_at of an action', 'created_at cannot be rewritten');
SELECT throws_ok(format('UPDATE actions.action SET priority = %L WHERE action_id = %s', 'high', :dw), '55000',
    'cannot edit action ' || :dw || ': it is complete', 'a complete action is not edited directly, as update_action does not edit it');
SELECT lives_ok(format('UPDATE actions.action SET priority = %L WHERE action_id = %s', 'high', :dw2),
    'a logged field may be changed directly');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT event || ':' || new_value FROM actions.activity WHERE action_id = :dw2 ORDER BY seq DESC LIMIT 1), 'priority_changed:high',
    '... and the change is logged');
SET SESSION AUTHORIZATION hd_owner;
SELECT actions.create_record(:ws, 'Linked later', 'generic') AS linked \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION hd_app;
SELECT actions.act_as(:owner) \g /dev/null
SELECT lives_ok(format('UPDATE actions.action SET record_id = %s WHERE action_id = %s', :linked, :dw2),
    'the linked record may be changed directly');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT event || ':' || coalesce(old_value, '-') || '>' || new_value FROM actions.activity WHERE action_id = :dw2 ORDER BY seq DESC LIMIT 1),
    'record_changed:->' || :linked, '... and that change is logged too');

-- 6. A deleted action's log ends with `deleted`, notes or not.
SET SESSION AUTHORIZATION hd_owner;
SELECT actions.create_action(:ws, 'With notes') AS noted \gset
SELECT actions.add_note(:noted, 'first') \g /dev/null
SELECT actions.add_note(:noted, 'second') \g /dev/null
SELECT actions.delete_action(:noted) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT is((SELECT event FROM actions.activity WHERE action_id = :noted ORDER BY seq DESC LIMIT 1), 'deleted',
    'the log of a deleted action with notes ends with deleted');
SELECT is((SELECT count(*) FROM actions.verify_log(:ws)), 0::bigint, '... and its chain is intact');

-- 7. A recorded workflow decision is final.
SET SESSION AUTHORIZATION hd_owner;
SELECT actions.set_workflow(:ws, 'document_approval', true) \g /dev/null
SELECT actions.create_record(:ws, 'Policy', 'document') AS doc \gset
SELECT actions.add_party(:doc, 'approver', :owner) \g /dev/null
SELECT actions.publish_document(:doc) \g /dev/null
SELECT action_id AS dappr FROM actions.action WHERE record_id = :doc AND workflow = 'document_approval' \gset
SELECT actions.record_outcome(:dappr, 'approved') \g /dev/null
SELECT is(actions.can('uncomplete', :dappr), false, 'can() says a recorded decision is not reopened');
SELECT throws_ok(format('SELECT actions.uncomplete(%s)', :dappr), '55000',
    'action ' || :dappr || ' recorded a workflow decision and cannot be reopened', 'the owner cannot un-complete an approval');
RESET SESSION AUTHORIZATION;
SELECT throws_ok(format('UPDATE actions.action SET status = %L WHERE action_id = %s', 'to_do', :dappr), '55000', NULL,
    '... nor can a direct UPDATE reopen it');
SELECT is((SELECT workflow_state FROM actions.record WHERE record_id = :doc), 'approved', 'the document stays approved');

-- 8. Eligibility questions: a delegation the asker may not see reads like a missing one.
SET SESSION AUTHORIZATION hd_owner;
SELECT actions.create_record(:ws, 'Hidden mandate', 'delegation') AS hidden_d \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION hd_access;
SELECT is(pg_temp.failure(format('SELECT actions.eligible_approvers(%s)', :hidden_d), :hidden_d),
          pg_temp.failure('SELECT actions.eligible_approvers(987654321987)', 987654321987),
    'eligible_approvers: hidden and missing delegations give the same error');
SELECT is(pg_temp.failure(format('SELECT actions.is_eligible_approver(%s, %s)', :owner, :hidden_d), :hidden_d),
          pg_temp.failure(format('SELECT actions.is_eligible_approver(%s, 987654321987)', :owner), 987654321987),
    'is_eligible_approver: the same');
SELECT is(pg_temp.failure(format('SELECT actions.why_not(%L, %s, %s)', 'approve', :hidden_d, :owner), :hidden_d),
          pg_temp.failure(format('SELECT actions.why_not(%L, 987654321987, %s)', 'approve', :owner), 987654321987),
    'why_not(approve): the same');
RESET SESSION AUTHORIZATION;

-- 9. Functions that write read their own statement's writes.
SET SESSION AUTHORIZATION hd_owner;
SELECT actions.create_action(:ws, 'Notes in one statement', assignee_id => :owner) AS one \gset
SELECT lives_ok(format('SELECT actions.edit_note(actions.add_note(%s, %L), %L)', :one, 'x', 'y'),
    'edit_note of a note added in the same statement');
SELECT actions.create_record(:ws, 'Handbook', 'document') AS doc2 \gset
SELECT actions.add_party(:doc2, 'approver', :usr) \g /dev/null
SELECT actions.set_workflow(:ws, 'document_approval', false) \g /dev/null
SELECT actions.set_workflow(:ws, 'document_approval', true), actions.publish_document(:doc2) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT is((SELECT workflow_state FROM actions.record WHERE record_id = :doc2), 'pending_approval',
    'publishing in the statement that switched approval on waits for approval');
SET SESSION AUTHORIZATION hd_app;
SELECT actions.act_as(:owner) \g /dev/null
SELECT actions.publish_document(r) AS published, actions.create_due_reviews() AS reviews
  FROM (SELECT actions.create_record(:ws, 'D', 'document') r OFFSET 0) s \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT pass('publish_document and create_due_reviews on a record created in the same statement: no crash');

-- 10. Clean errors at the boundary.
SET SESSION AUTHORIZATION hd_owner;
SELECT throws_ok(format('SELECT actions.create_action(%s, %L, due_on => %L)', :ws, 'far', '294277-01-01'), '22008',
    'due date is out of range', 'a due date past the timestamp range: 22008');
SELECT is(pg_temp.failure(format('SELECT actions.create_action(%s, %L, due_on => %L)', :ws, 'far', '294277-01-01'), 0),
    '22008 | due date is out of range | a due date must be a day between 4713 BC and 294276 AD | pass a date in that range, or leave due_on out for an action without a due date',
    '... with a detail and a hint');
RESET SESSION AUTHORIZATION;
CREATE FUNCTION pg_temp.with_renamed(tab text, col text, sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    st text; msg text;
BEGIN
    EXECUTE format('ALTER TABLE actions.%I RENAME COLUMN %I TO renamed_for_test', tab, col);
    EXECUTE sql;
    RAISE EXCEPTION 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
    RETURN st || ' ' || msg;
END
$$;
SELECT is(pg_temp.with_renamed('action', 'outcome_comment', format('UPDATE actions.action SET title = %L WHERE action_id = %s', 't', :one)),
    '42703 column outcome_comment of the table is missing', 'a column the trigger reads is missing: a clean 42703');
SELECT is(pg_temp.with_renamed('activity', 'detail', format('UPDATE actions.action SET title = %L WHERE action_id = %s', 't', :one)),
    '55000 actions.activity does not have the shape pg_actions writes', 'a log column renamed: the direct writer refuses (55000)');
SELECT is((SELECT count(*) FROM actions.verify_log(:ws)), 0::bigint, 'every chain of the workspace is intact');

SELECT * FROM finish();
ROLLBACK;
