-- System workflows (core/workflow.cpp, pg/records.cpp), each end to end, switched off and on:
--   delegation_request (routing), delegation_approval (a pooled action, any one eligible approver,
--   eligibility checked when acting), delegation_acceptance (per recipient, due dates),
--   role_acknowledgement, document_approval (restarted by an edit), document_review (the sweep);
--   outcomes and comments on the action and in the log, the record's workflow_state, notifications.
BEGIN;

SELECT plan(125);

CREATE ROLE wf_owner LOGIN;   -- workspace owner
CREATE ROLE wf_a LOGIN;       -- role 'approver a': approve_delegations only (sees approvals as a candidate)
CREATE ROLE wf_b LOGIN;       -- role 'approver b': approve_delegations only
CREATE ROLE wf_issuer LOGIN;  -- user, issuer of the delegations
CREATE ROLE wf_r1 LOGIN;      -- actions_access, recipient
CREATE ROLE wf_r2 LOGIN;      -- actions_access, recipient
CREATE ROLE wf_p1 LOGIN;      -- actions_access, document approver
CREATE ROLE wf_v1 LOGIN;      -- actions_access, document reviewer
CREATE ROLE wf_c1 LOGIN;      -- actions_access, consulted on a decision
CREATE ROLE wf_n1 LOGIN;      -- actions_access, informed on a decision
CREATE ROLE wf_q LOGIN;       -- user, asks for delegations
SELECT actions.create_person('wf-owner@example.com', 'Owner', 'wf_owner') AS owner,
       actions.create_person('wf-a@example.com', 'Approver A', 'wf_a') AS pa,
       actions.create_person('wf-b@example.com', 'Approver B', 'wf_b') AS pb,
       actions.create_person('wf-issuer@example.com', 'Issuer', 'wf_issuer') AS issuer,
       actions.create_person('wf-r1@example.com', 'Recipient 1', 'wf_r1') AS r1,
       actions.create_person('wf-r2@example.com', 'Recipient 2', 'wf_r2') AS r2,
       actions.create_person('wf-p1@example.com', 'Doc approver', 'wf_p1') AS p1,
       actions.create_person('wf-v1@example.com', 'Reviewer', 'wf_v1') AS v1,
       actions.create_person('wf-c1@example.com', 'Consulted', 'wf_c1') AS c1,
       actions.create_person('wf-n1@example.com', 'Informed', 'wf_n1') AS n1,
       actions.create_person('wf-q@example.com', 'Requester', 'wf_q') AS q
\gset
SELECT actions.create_workspace('Workflow Co', owner_id => :owner) AS ws \gset
SET SESSION AUTHORIZATION wf_owner;
SELECT actions.create_role(:ws, 'approver a', '{approve_delegations}') \g /dev/null
SELECT actions.create_role(:ws, 'approver b', '{approve_delegations}') \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT actions.add_member(:ws, :pa, 'approver a') \g /dev/null
SELECT actions.add_member(:ws, :pb, 'approver b') \g /dev/null
SELECT actions.add_member(:ws, :issuer, 'user') \g /dev/null
SELECT actions.add_member(:ws, :q, 'user') \g /dev/null
SELECT actions.add_member(:ws, p, 'actions_access') FROM unnest(ARRAY[:r1, :r2, :p1, :v1, :c1, :n1]::bigint[]) AS p \g /dev/null

-- A delegation with its issuer and two recipients, created by the owner.
CREATE FUNCTION pg_temp.delegation(ws bigint, title text, issuer bigint, r1 bigint, r2 bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    d bigint;
BEGIN
    SET SESSION AUTHORIZATION wf_owner;
    d := actions.create_record(ws, title, 'delegation');
    PERFORM actions.add_party(d, 'issuer', issuer);
    PERFORM actions.add_party(d, 'recipient', r1);
    IF r2 IS NOT NULL THEN PERFORM actions.add_party(d, 'recipient', r2); END IF;
    RESET SESSION AUTHORIZATION;
    RETURN d;
END
$$;
CREATE FUNCTION pg_temp.state(r bigint) RETURNS text LANGUAGE sql AS $$
    SELECT workflow_state FROM actions.record WHERE record_id = r
$$;
-- The workflow actions of a record: type, assignee, status, outcome.
CREATE FUNCTION pg_temp.wf(r bigint, w text) RETURNS TABLE (type text, assignee bigint, status text, outcome text)
LANGUAGE sql AS $$
    SELECT a.type, a.assignee_id, a.status, a.outcome FROM actions.action a
     WHERE a.record_id = r AND a.workflow = w ORDER BY a.action_id
$$;
-- Run a call as a person (by login role), returning NULL or the SQLSTATE.
CREATE FUNCTION pg_temp.as_who(who name, call text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    result text;
BEGIN
    EXECUTE format('SET SESSION AUTHORIZATION %I', who);
    BEGIN
        EXECUTE call;
    EXCEPTION WHEN OTHERS THEN
        result := SQLSTATE;
    END;
    RESET SESSION AUTHORIZATION;
    RETURN result;
END
$$;

-- =============================================================================================
-- 1. Everything off (the default).
SELECT is((SELECT count(*) FROM actions.workflow_setting WHERE workspace_id = :ws), 0::bigint, 'no workflow is on by default');
SELECT pg_temp.delegation(:ws, 'Off: sign contracts', :issuer, :r1, :r2) AS d_off \gset
SET SESSION AUTHORIZATION wf_owner;
SELECT is(actions.submit_delegation(:d_off), 'approved', 'approval off: submitting approves at once');
SELECT actions.create_record(:ws, 'Off: handbook', 'document') AS doc_off \gset
SELECT actions.add_party(:doc_off, 'approver', :p1) \g /dev/null
SELECT actions.publish_document(:doc_off) \g /dev/null
SELECT actions.create_record(:ws, 'Off: decision', 'decision') AS dec_off \gset
SELECT actions.add_party(:dec_off, 'consulted', :c1) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.state(:d_off), 'approved', '... state approved');
SELECT is(pg_temp.state(:doc_off), 'published', 'document approval off: publishing publishes');
SELECT is((SELECT count(*) FROM actions.action WHERE record_id IN (:d_off, :doc_off, :dec_off)), 0::bigint,
    'no workflow action was created while everything is off');
SELECT is(pg_temp.as_who('wf_q', format('SELECT actions.request_delegation(%s)', :d_off)), '55000',
    'requests off: request_delegation is refused 55000');
-- set_workflow rules
SELECT is(pg_temp.as_who('wf_issuer', format('SELECT actions.set_workflow(%s, %L, true)', :ws, 'delegation_approval')), '42501',
    'set_workflow needs manage_workspace');
SELECT is(pg_temp.as_who('wf_owner', format('SELECT actions.set_workflow(%s, %L, true)', :ws, 'coffee_break')), '22023',
    'an unknown workflow: 22023');
SELECT is(pg_temp.as_who('wf_owner', format('SELECT actions.set_workflow(%s, %L, true, 0)', :ws, 'delegation_acceptance')), '22023',
    'due_days 0: 22023');

-- A plain action takes no outcome.
SET SESSION AUTHORIZATION wf_owner;
SELECT actions.create_action(:ws, 'Plain', assignee_id => :owner) AS plain \gset
SELECT throws_ok(format('SELECT actions.record_outcome(%s, %L)', :plain, 'approved'), '22023', NULL,
    'record_outcome on an action of no workflow: 22023');
SELECT throws_ok(format('SELECT actions.record_outcome(%s, %L)', :plain, 'maybe'), '22023', NULL, 'an unknown outcome: 22023');

-- =============================================================================================
-- 2. Delegation approval (pooled) and acceptance.
SELECT actions.set_workflow(:ws, 'delegation_approval', true) \g /dev/null
SELECT actions.set_workflow(:ws, 'delegation_acceptance', true) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT pg_temp.delegation(:ws, 'Sign contracts', :issuer, :r1, :r2) AS d \gset
SET SESSION AUTHORIZATION wf_owner;
SELECT is(actions.submit_delegation(:d), 'pending_approval', 'approval on: submitting waits for approval');
SELECT throws_ok(format('SELECT actions.submit_delegation(%s)', :d), '55000', NULL, 'submitting again while pending: 55000');
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.state(:d), 'pending_approval', '... state pending_approval');
SELECT results_eq(format('SELECT * FROM pg_temp.wf(%s, %L)', :d, 'delegation_approval'),
    $$ VALUES ('approval'::text, NULL::bigint, 'to_do'::text, NULL::text) $$,
    'ONE approval action, of type approval, unassigned');
SELECT action_id AS appr FROM actions.action WHERE record_id = :d AND workflow = 'delegation_approval' \gset
SELECT is((SELECT array_agg(person_id ORDER BY person_id) FROM actions.action_candidate WHERE action_id = :appr),
    ARRAY[:owner, :pa, :pb]::bigint[], 'its candidates are the eligible approvers (owner, A, B; not the issuer)');
SELECT is((SELECT array_agg(person_id ORDER BY person_id) FROM actions.notification WHERE action_id = :appr AND kind = 'assigned'),
    ARRAY[:pa, :pb]::bigint[], 'the candidates other than the submitter get an assigned notification');
SELECT is((SELECT count(*) FROM actions.action WHERE record_id = :d AND workflow = 'delegation_acceptance'), 0::bigint,
    'no acceptance before approval');
SELECT is((SELECT due_at FROM actions.action WHERE action_id = :appr), NULL, 'the approval has no due date by default');

SET SESSION AUTHORIZATION wf_a;
SELECT is((SELECT count(*) FROM actions.action WHERE action_id = :appr), 1::bigint, 'candidate A sees the approval');
SELECT is(actions.can('approve', :appr), true, '... may approve it');
SELECT throws_ok(format('SELECT actions.record_outcome(%s, %L)', :appr, 'accepted'), '22023', NULL,
    'accepted does not close an approval: 22023');
SELECT lives_ok(format('SELECT actions.record_outcome(%s, %L, %L)', :appr, 'approved', 'looks good'), 'A approves');
RESET SESSION AUTHORIZATION;
SELECT results_eq(format('SELECT status, assignee_id, outcome, outcome_comment FROM actions.action WHERE action_id = %s', :appr),
    format($$ VALUES ('complete'::text, %s::bigint, 'approved'::text, 'looks good'::text) $$, :pa),
    'the approval is complete, assigned to A, with outcome and comment');
SELECT results_eq(format($$ SELECT event, new_value, detail->>'comment' FROM actions.activity
                             WHERE action_id = %s AND event IN ('outcome', 'completed') ORDER BY seq $$, :appr),
    $$ VALUES ('outcome'::text, 'approved'::text, 'looks good'::text), ('completed', 'complete', NULL) $$,
    'the log has outcome (with the comment) before completed');
SELECT is((SELECT actor_id FROM actions.activity WHERE action_id = :appr AND event = 'outcome'), :pa::bigint,
    '... by A');
SELECT is(pg_temp.state(:d), 'approved', 'the delegation is approved');

SET SESSION AUTHORIZATION wf_b;
SELECT throws_ok(format('SELECT actions.record_outcome(%s, %L)', :appr, 'rejected'), '55000', NULL,
    'candidate B is refused 55000: the approval is complete');
SELECT is((SELECT status FROM actions.action WHERE action_id = :appr), 'complete', '... B still sees it, resolved');
SELECT is(actions.can('approve', :appr), false, '... and can(approve) is now false');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION wf_a;
SELECT is((SELECT status FROM actions.action WHERE action_id = :appr), 'complete', 'A still sees it too');
RESET SESSION AUTHORIZATION;

-- Acceptance: one action per recipient, due in 7 days.
SELECT results_eq(format('SELECT * FROM pg_temp.wf(%s, %L)', :d, 'delegation_acceptance'),
    format($$ VALUES ('acceptance'::text, %s::bigint, 'to_do'::text, NULL::text), ('acceptance', %s, 'to_do', NULL) $$, :r1, :r2),
    'approval starts acceptance: one acceptance action per recipient');
SELECT is((SELECT array_agg(DISTINCT due_at - now()) FROM actions.action WHERE record_id = :d AND workflow = 'delegation_acceptance'),
    ARRAY['7 days'::interval], '... due in 7 days by default');
SELECT action_id AS acc1 FROM actions.action WHERE record_id = :d AND workflow = 'delegation_acceptance' AND assignee_id = :r1 \gset
SELECT action_id AS acc2 FROM actions.action WHERE record_id = :d AND workflow = 'delegation_acceptance' AND assignee_id = :r2 \gset
SELECT is((SELECT count(*) FROM actions.notification WHERE action_id IN (:acc1, :acc2) AND kind = 'assigned'), 2::bigint,
    '... each recipient is notified');
SET SESSION AUTHORIZATION wf_r1;
SELECT throws_ok(format('SELECT actions.record_outcome(%s, %L)', :acc1, 'approved'), '22023', NULL, 'approved does not close an acceptance');
SELECT lives_ok(format('SELECT actions.record_outcome(%s, %L)', :acc1, 'accepted'), 'recipient 1 accepts');
SELECT is((SELECT count(*) FROM actions.action WHERE action_id = :acc2), 1::bigint, '... sees recipient 2''s acceptance (a recipient views the record''s actions)');
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.state(:d), 'approved', 'one of two accepted: still approved');
SELECT is(pg_temp.as_who('wf_r1', format('SELECT actions.record_outcome(%s, %L)', :acc2, 'accepted')), '42501',
    'recipient 1 cannot close recipient 2''s acceptance');
SELECT is(pg_temp.as_who('wf_r2', format('SELECT actions.record_outcome(%s, %L)', :acc2, 'accepted')), NULL, 'recipient 2 accepts');
SELECT is(pg_temp.state(:d), 'accepted', 'all accepted: the delegation is accepted');

-- A change to the accepted delegation needs approval again.
SELECT is(pg_temp.as_who('wf_owner', format('SELECT actions.update_record(%s, %L)', :d, 'Sign contracts up to 20k')), NULL,
    'the owner retitles the delegation');
SELECT is(pg_temp.state(:d), 'pending_approval', '... it waits for approval again');
SELECT results_eq(format('SELECT * FROM pg_temp.wf(%s, %L)', :d, 'delegation_approval'),
    format($$ VALUES ('approval'::text, %s::bigint, 'complete'::text, 'approved'::text), ('approval', NULL, 'to_do', NULL) $$, :pa),
    '... with a new pooled approval action');

-- Rejection, and a decline.
SELECT pg_temp.delegation(:ws, 'Hire staff', :issuer, :r1, :r2) AS d2 \gset
SELECT is(pg_temp.as_who('wf_owner', format('SELECT actions.submit_delegation(%s)', :d2)), NULL, 'a second delegation submitted');
SELECT action_id AS appr2 FROM actions.action WHERE record_id = :d2 AND workflow = 'delegation_approval' \gset
SELECT is(pg_temp.as_who('wf_b', format('SELECT actions.record_outcome(%s, %L, %L)', :appr2, 'rejected', 'too broad')), NULL,
    'B rejects it');
SELECT is(pg_temp.state(:d2), 'rejected', '... state rejected');
SELECT is((SELECT count(*) FROM actions.action WHERE record_id = :d2 AND workflow = 'delegation_acceptance'), 0::bigint,
    '... and no acceptance starts');
SELECT is((SELECT assignee_id FROM actions.action WHERE action_id = :appr2), :pb::bigint, '... the approval is B''s');

SELECT pg_temp.delegation(:ws, 'Buy software', :issuer, :r1, :r2) AS d3 \gset
SET SESSION AUTHORIZATION wf_owner; SELECT actions.set_workflow(:ws, 'delegation_approval', false) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.as_who('wf_owner', format('SELECT actions.submit_delegation(%s)', :d3)), NULL, 'approval switched off, acceptance on');
SELECT is(pg_temp.state(:d3), 'approved', '... approved at once');
SELECT is((SELECT count(*) FROM actions.action WHERE record_id = :d3 AND workflow = 'delegation_approval'), 0::bigint,
    '... without an approval action');
SELECT action_id AS d3acc1 FROM actions.action WHERE record_id = :d3 AND workflow = 'delegation_acceptance' AND assignee_id = :r1 \gset
SELECT is(pg_temp.as_who('wf_r1', format('SELECT actions.record_outcome(%s, %L, %L)', :d3acc1, 'declined', 'not my job')), NULL,
    'recipient 1 declines');
SELECT is(pg_temp.state(:d3), 'declined', 'one decline: declined at once, while the other acceptance is open');
SELECT is((SELECT outcome_comment FROM actions.action WHERE action_id = :d3acc1), 'not my job', '... with the comment');

-- Due days setting.
SET SESSION AUTHORIZATION wf_owner; SELECT actions.set_workflow(:ws, 'delegation_acceptance', true, 3) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT pg_temp.delegation(:ws, 'Travel', :issuer, :r1, NULL) AS d4 \gset
SELECT is(pg_temp.as_who('wf_owner', format('SELECT actions.submit_delegation(%s)', :d4)), NULL, 'submitted with due_days 3');
SELECT is((SELECT due_at - now() FROM actions.action WHERE record_id = :d4 AND workflow = 'delegation_acceptance'),
    '3 days'::interval, 'acceptance due in the configured 3 days');
SET SESSION AUTHORIZATION wf_owner; SELECT actions.set_workflow(:ws, 'delegation_approval', true, 2) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT pg_temp.delegation(:ws, 'Training', :issuer, :r1, NULL) AS d5 \gset
SELECT is(pg_temp.as_who('wf_owner', format('SELECT actions.submit_delegation(%s)', :d5)), NULL, 'submitted with approval due_days 2');
SELECT is((SELECT due_at - now() FROM actions.action WHERE record_id = :d5 AND workflow = 'delegation_approval'),
    '2 days'::interval, 'approval due in the configured 2 days');
SET SESSION AUTHORIZATION wf_owner; SELECT actions.set_workflow(:ws, 'delegation_approval', true) \g /dev/null
RESET SESSION AUTHORIZATION;
RESET SESSION AUTHORIZATION;

-- Eligibility is checked when acting: A demoted after the approval was created.
SELECT action_id AS appr5 FROM actions.action WHERE record_id = :d5 AND workflow = 'delegation_approval' \gset
SELECT is((SELECT count(*) FROM actions.action_candidate WHERE action_id = :appr5 AND person_id = :pa), 1::bigint,
    'A is a candidate of the new approval');
SET SESSION AUTHORIZATION wf_owner;
SELECT actions.update_role(:ws, 'approver a', permissions => '{}') \g /dev/null
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION wf_a;
SELECT throws_ok(format('SELECT actions.record_outcome(%s, %L)', :appr5, 'approved'), '42501', NULL,
    'A, demoted after the approval was created, is refused 42501');
SELECT matches((SELECT actions.why_not('approve', :appr5)), 'approve_delegations', '... and why_not says why');
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.state(:d5), 'pending_approval', '... the delegation still waits');
SELECT is(pg_temp.as_who('wf_b', format('SELECT actions.record_outcome(%s, %L)', :appr5, 'approved')), NULL,
    'B, still eligible, approves');
SELECT is(pg_temp.state(:d5), 'approved', '... approved');
SET SESSION AUTHORIZATION wf_owner;
SELECT actions.update_role(:ws, 'approver a', permissions => '{approve_delegations}') \g /dev/null
RESET SESSION AUTHORIZATION;

-- An issuer cannot approve, even as a candidate of an earlier pool (made issuer after submission).
SELECT pg_temp.delegation(:ws, 'Marketing', :q, :r1, NULL) AS d6 \gset
SELECT is(pg_temp.as_who('wf_owner', format('SELECT actions.submit_delegation(%s)', :d6)), NULL, 'another delegation submitted');
SELECT action_id AS appr6 FROM actions.action WHERE record_id = :d6 AND workflow = 'delegation_approval' \gset
SELECT is(pg_temp.as_who('wf_owner', format('SELECT actions.add_party(%s, %L, %s)', :d6, 'issuer', :pb)), NULL,
    'B becomes an issuer of it');
SELECT is(pg_temp.as_who('wf_b', format('SELECT actions.record_outcome(%s, %L)', :appr6, 'approved')), '42501',
    '... and is refused 42501 as approver');

-- =============================================================================================
-- 3. Role acknowledgement on decisions.
SET SESSION AUTHORIZATION wf_owner;
SELECT actions.set_workflow(:ws, 'role_acknowledgement', true) \g /dev/null
SELECT actions.create_record(:ws, 'Move the office', 'decision') AS dec \gset
SELECT actions.add_party(:dec, 'consulted', :c1) \g /dev/null
SELECT actions.add_party(:dec, 'informed', :n1) \g /dev/null
SELECT actions.add_party(:dec, 'approver', :p1) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT results_eq(format('SELECT * FROM pg_temp.wf(%s, %L)', :dec, 'role_acknowledgement'),
    format($$ VALUES ('acknowledgement'::text, %s::bigint, 'to_do'::text, NULL::text), ('acknowledgement', %s, 'to_do', NULL) $$, :c1, :n1),
    'consulted and informed parties each get an acknowledgement action (the approver does not)');
SELECT action_id AS ack_c FROM actions.action WHERE record_id = :dec AND assignee_id = :c1 \gset
SELECT action_id AS ack_n FROM actions.action WHERE record_id = :dec AND assignee_id = :n1 \gset
SELECT is(pg_temp.as_who('wf_c1', format('SELECT actions.record_outcome(%s, %L)', :ack_c, 'approved')), '22023',
    'approved does not close an acknowledgement');
SELECT is(pg_temp.as_who('wf_c1', format('SELECT actions.record_outcome(%s, %L)', :ack_c, 'acknowledged')), NULL, 'consulted acknowledges');
SELECT is(pg_temp.state(:dec), NULL, '... the decision is not yet acknowledged');
SELECT is(pg_temp.as_who('wf_n1', format('SELECT actions.record_outcome(%s, %L)', :ack_n, 'acknowledged')), NULL, 'informed acknowledges');
SELECT is(pg_temp.state(:dec), 'acknowledged', '... all acknowledged');
SELECT is(pg_temp.as_who('wf_owner', format('SELECT actions.add_party(%s, %L, %s)', :dec, 'informed', :n1)), NULL,
    'adding the same informed party again');
SELECT is((SELECT count(*) FROM actions.action WHERE record_id = :dec AND workflow = 'role_acknowledgement'), 2::bigint,
    '... creates no second acknowledgement');

-- =============================================================================================
-- 4. Document approval, restarted by an edit.
SET SESSION AUTHORIZATION wf_owner;
SELECT actions.set_workflow(:ws, 'document_approval', true) \g /dev/null
SELECT actions.create_record(:ws, 'Security policy', 'document') AS doc \gset
SELECT actions.add_party(:doc, 'approver', :p1) \g /dev/null
SELECT actions.publish_document(:doc) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.state(:doc), 'pending_approval', 'a published document waits for approval');
SELECT results_eq(format('SELECT * FROM pg_temp.wf(%s, %L)', :doc, 'document_approval'),
    format($$ VALUES ('approval'::text, %s::bigint, 'to_do'::text, NULL::text) $$, :p1),
    'an approval action for its approver');
SELECT action_id AS dappr FROM actions.action WHERE record_id = :doc AND workflow = 'document_approval' \gset
SELECT is(pg_temp.as_who('wf_p1', format('SELECT actions.record_outcome(%s, %L)', :dappr, 'approved')), NULL, 'the approver approves');
SELECT is(pg_temp.state(:doc), 'approved', '... the document is approved');
SELECT is(pg_temp.as_who('wf_owner', format('SELECT actions.update_record(%s, %L)', :doc, 'Security policy v2')), NULL,
    'the document is edited after publication');
SELECT is(pg_temp.state(:doc), 'pending_approval', '... approval again');
SELECT results_eq(format('SELECT * FROM pg_temp.wf(%s, %L)', :doc, 'document_approval'),
    format($$ VALUES ('approval'::text, %1$s::bigint, 'complete'::text, 'approved'::text), ('approval', %1$s, 'to_do', NULL) $$, :p1),
    '... with a new approval action');
SELECT action_id AS dappr2 FROM actions.action WHERE record_id = :doc AND workflow = 'document_approval' AND status = 'to_do' \gset
SELECT is(pg_temp.as_who('wf_p1', format('SELECT actions.record_outcome(%s, %L, %L)', :dappr2, 'rejected', 'typo')), NULL,
    'the approver rejects v2');
SELECT is(pg_temp.state(:doc), 'rejected', '... the document is rejected');
SELECT is(pg_temp.as_who('wf_q', format('SELECT actions.publish_document(%s)', :doc)), '42501',
    'a user who is no owner party cannot publish');

-- =============================================================================================
-- 5. Document review and the sweep.
SET SESSION AUTHORIZATION wf_owner;
SELECT actions.set_workflow(:ws, 'document_approval', false) \g /dev/null
SELECT actions.set_workflow(:ws, 'document_review', true) \g /dev/null
SELECT actions.create_record(:ws, 'Fire drill', 'document') AS rdoc \gset
SELECT actions.add_party(:rdoc, 'reviewer', :v1) \g /dev/null
SELECT actions.set_review_schedule(:rdoc, '30 days') \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT is(actions.create_due_reviews(), 0::bigint, 'no review is due before publication');
SELECT is(pg_temp.as_who('wf_owner', format('SELECT actions.publish_document(%s)', :rdoc)), NULL, 'the document is published');
SELECT is(pg_temp.state(:rdoc), 'published', '... published (approval off)');
SELECT is((SELECT next_review_at FROM actions.record WHERE record_id = :rdoc), now(), '... its first review is due now');
SELECT is(actions.create_due_reviews(), 1::bigint, 'the sweep creates one review (one reviewer)');
SELECT results_eq(format('SELECT * FROM pg_temp.wf(%s, %L)', :rdoc, 'document_review'),
    format($$ VALUES ('review'::text, %s::bigint, 'to_do'::text, NULL::text) $$, :v1), '... for the reviewer');
SELECT is((SELECT next_review_at FROM actions.record WHERE record_id = :rdoc), now() + '30 days'::interval,
    '... and schedules the next one 30 days on');
SELECT is(actions.create_due_reviews(), 0::bigint, 'a second sweep creates nothing');
UPDATE actions.record SET next_review_at = now() - interval '1 minute' WHERE record_id = :rdoc;  -- 30 days later
SELECT is(actions.create_due_reviews(), 1::bigint, 'after the interval the sweep creates the next review');
SELECT is((SELECT count(*) FROM actions.action WHERE record_id = :rdoc AND workflow = 'document_review'), 2::bigint,
    '... two reviews in all');
SELECT action_id AS rev FROM actions.action WHERE record_id = :rdoc AND workflow = 'document_review' ORDER BY action_id LIMIT 1 \gset
SELECT is(pg_temp.as_who('wf_v1', format('SELECT actions.record_outcome(%s, %L, %L)', :rev, 'approved', 'still fine')), NULL,
    'the reviewer closes a review');
SELECT is(pg_temp.state(:rdoc), 'published', '... the document stays published');
SELECT is(pg_temp.as_who('wf_issuer', 'SELECT actions.create_due_reviews()'), '42501', 'the sweep is not for PUBLIC');

-- =============================================================================================
-- 6. Delegation requests and their routing.
SET SESSION AUTHORIZATION wf_owner; SELECT actions.set_workflow(:ws, 'delegation_request', true) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT pg_temp.delegation(:ws, 'Approve invoices', :issuer, :r1, :r2) AS dr \gset
SET SESSION AUTHORIZATION wf_q;
SELECT actions.request_delegation(:dr, note => 'I need this') AS req1 \gset
SELECT results_eq(format('SELECT type, assignee_id, description FROM actions.action WHERE action_id = %s', :req1),
    format($$ VALUES ('request'::text, %s::bigint, 'I need this'::text) $$, :issuer),
    'a request from a delegation goes to its issuer by default, with the note');
SELECT actions.request_delegation(:dr, 'recipient') AS req2 \gset
SELECT actions.request_delegation(:dr, 'both') AS req3 \gset
SELECT throws_ok(format('SELECT actions.request_delegation(%s, %L)', :dr, 'owner'), '22023', NULL, 'route owner on a delegation: 22023');
SELECT throws_ok(format('SELECT actions.request_delegation(%s, %L)', :dr, 'sideways'), '22023', NULL, 'an unknown route: 22023');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT array_agg(assignee_id ORDER BY action_id) FROM actions.action WHERE record_id = :dr AND workflow = 'delegation_request' AND action_id >= :req2 AND action_id < :req3),
    ARRAY[:r1, :r2]::bigint[], 'route recipient: one request per recipient');
SELECT is((SELECT array_agg(assignee_id ORDER BY assignee_id) FROM actions.action WHERE record_id = :dr AND workflow = 'delegation_request' AND action_id >= :req3),
    ARRAY[:issuer, :r1, :r2]::bigint[], 'route both: issuer and recipients');
SELECT is((SELECT owner_id FROM actions.action WHERE action_id = :req1), :q::bigint, 'the requester owns the request');

SET SESSION AUTHORIZATION wf_owner;
SELECT actions.create_record(:ws, 'Budget decision', 'decision') AS rdec \gset
SELECT actions.add_party(:rdec, 'owner', :issuer) \g /dev/null
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION wf_q;
SELECT actions.request_delegation(:rdec) AS dreq \gset
SELECT throws_ok(format('SELECT actions.request_delegation(%s, %L)', :rdec, 'issuer'), '22023', NULL, 'route issuer on a decision: 22023');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT array_agg(assignee_id ORDER BY assignee_id) FROM actions.action WHERE record_id = :rdec AND workflow = 'delegation_request'),
    ARRAY[:owner, :issuer]::bigint[], 'a request from a decision goes to its owner parties');
SET SESSION AUTHORIZATION wf_owner;
SELECT actions.create_record(:ws, 'Orphan decision', 'decision') AS odec \gset
SELECT actions.remove_party(:odec, 'owner', :owner) \g /dev/null
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION wf_q;
SELECT actions.request_delegation(:odec) AS oreq \gset
RESET SESSION AUTHORIZATION;
SELECT is((SELECT assignee_id FROM actions.action WHERE action_id = :oreq), :owner::bigint,
    'a decision without an owner party: the request goes to its creator');
SELECT is(pg_temp.as_who('wf_q', format('SELECT actions.request_delegation(%s)', :rdoc)), '22023', 'a request from a document: 22023');
SELECT is(pg_temp.as_who('wf_issuer', format('SELECT actions.record_outcome(%s, %L, %L)', :req1, 'approved', 'granted')), NULL,
    'the issuer approves the request');
SELECT results_eq(format('SELECT status, outcome FROM actions.action WHERE action_id = %s', :req1),
    $$ VALUES ('complete'::text, 'approved'::text) $$, '... it is complete with the outcome');
SELECT is(pg_temp.state(:dr), 'draft', '... and the delegation''s state does not change');

-- =============================================================================================
-- 7. Document approval with two approver parties: every approver must approve; one rejection
--    decides at once, whatever the other approver does afterwards.
SET SESSION AUTHORIZATION wf_owner;
SELECT actions.set_workflow(:ws, 'document_approval', true) \g /dev/null
SELECT actions.create_record(:ws, 'Data retention policy', 'document') AS doc2 \gset
SELECT actions.add_party(:doc2, 'approver', :p1) \g /dev/null
SELECT actions.add_party(:doc2, 'approver', :c1) \g /dev/null
SELECT actions.publish_document(:doc2) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.state(:doc2), 'pending_approval', 'two approvers: the published document waits for approval');
SELECT results_eq(format('SELECT * FROM pg_temp.wf(%s, %L) ORDER BY assignee', :doc2, 'document_approval'),
    format($$ VALUES ('approval'::text, %s::bigint, 'to_do'::text, NULL::text), ('approval', %s, 'to_do', NULL) $$, :p1, :c1),
    '... with one approval action per approver');
SELECT action_id AS d2p1 FROM actions.action WHERE record_id = :doc2 AND workflow = 'document_approval' AND assignee_id = :p1 \gset
SELECT action_id AS d2c1 FROM actions.action WHERE record_id = :doc2 AND workflow = 'document_approval' AND assignee_id = :c1 \gset
SELECT is(pg_temp.as_who('wf_p1', format('SELECT actions.record_outcome(%s, %L)', :d2p1, 'approved')), NULL,
    'the first approver approves');
SELECT is(pg_temp.state(:doc2), 'pending_approval', '... one of two approved: still pending_approval');
SELECT is((SELECT status FROM actions.action WHERE action_id = :d2c1), 'to_do', '... the second approval is still open');
SELECT is(pg_temp.as_who('wf_c1', format('SELECT actions.record_outcome(%s, %L)', :d2c1, 'approved')), NULL,
    'the second approver approves');
SELECT is(pg_temp.state(:doc2), 'approved', '... both approved: the document is approved');

SET SESSION AUTHORIZATION wf_owner;
SELECT actions.create_record(:ws, 'Expense policy', 'document') AS doc3 \gset
SELECT actions.add_party(:doc3, 'approver', :p1) \g /dev/null
SELECT actions.add_party(:doc3, 'approver', :c1) \g /dev/null
SELECT actions.publish_document(:doc3) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM actions.action WHERE record_id = :doc3 AND workflow = 'document_approval' AND status = 'to_do'),
    2::bigint, 'a second document with two approvers: two open approval actions');
SELECT action_id AS d3p1 FROM actions.action WHERE record_id = :doc3 AND workflow = 'document_approval' AND assignee_id = :p1 \gset
SELECT action_id AS d3c1 FROM actions.action WHERE record_id = :doc3 AND workflow = 'document_approval' AND assignee_id = :c1 \gset
SELECT is(pg_temp.as_who('wf_p1', format('SELECT actions.record_outcome(%s, %L, %L)', :d3p1, 'rejected', 'too vague')), NULL,
    'the first approver rejects');
SELECT is(pg_temp.state(:doc3), 'rejected', '... rejected at once, while the other approval is open');
SELECT is(pg_temp.as_who('wf_c1', format('SELECT actions.record_outcome(%s, %L)', :d3c1, 'approved')), NULL,
    'the other approver approves afterwards');
SELECT is(pg_temp.state(:doc3), 'rejected', '... the document stays rejected');
SELECT results_eq(format('SELECT * FROM pg_temp.wf(%s, %L) ORDER BY assignee', :doc3, 'document_approval'),
    format($$ VALUES ('approval'::text, %s::bigint, 'complete'::text, 'rejected'::text), ('approval', %s, 'complete', 'approved') $$, :p1, :c1),
    '... both approvals are complete, with their own outcomes');

SELECT * FROM finish();
ROLLBACK;
