-- The demo workspace of `make demo`: people, a workspace, actions moving through their lifecycle.
-- Run by psql against a fresh copy of the extension; every id is looked up, nothing assumed.
\set ON_ERROR_STOP off
\set SHOW_CONTEXT never
SET client_min_messages = warning;
SET DateStyle = 'ISO';
SET TimeZone = 'Europe/London';
\pset footer off

DO $$
BEGIN
    -- Login roles: each person logs in as themselves; identity comes from session_user.
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'demo_alice') THEN CREATE ROLE demo_alice LOGIN; END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'demo_bob') THEN CREATE ROLE demo_bob LOGIN; END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'demo_carol') THEN CREATE ROLE demo_carol LOGIN; END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'demo_dan') THEN CREATE ROLE demo_dan LOGIN; END IF;
END $$;

SELECT actions.create_person('alice@demo.example', 'Alice (owner)', 'demo_alice') AS alice \gset
SELECT actions.create_person('bob@demo.example', 'Bob (user)', 'demo_bob') AS bob \gset
SELECT actions.create_person('carol@contractor.example', 'Carol (contractor)', 'demo_carol') AS carol \gset
SELECT actions.create_person('dan@demo.example', 'Dan (auditor)', 'demo_dan') AS dan \gset
SELECT actions.create_workspace('Demo Co', 'Europe/London',
       'https://actions.demo.example/{workspace_id}/{action_id}', owner_id => :alice) AS ws \gset
SELECT actions.add_member(:ws, :bob, 'user') \g /dev/null
SELECT actions.add_member(:ws, :carol, 'actions_access') \g /dev/null
SELECT actions.add_member(:ws, :dan, 'inquiry') \g /dev/null

\echo
\echo '== 1. Alice creates actions: one on a record, one standalone, one already past due'
SET SESSION AUTHORIZATION demo_alice;
SELECT actions.create_record(:ws, 'Supplier contract 2027', kind => 'document') AS contract \gset
SELECT actions.create_action(:ws, 'Review the supplier contract', record_id => :contract,
       assignee_id => :bob, due_on => current_date + 7, priority => 'high') AS review \gset
SELECT actions.create_action(:ws, 'Replace the fire extinguishers', assignee_id => :carol,
       due_on => current_date + 14) AS extinguishers \gset
SELECT actions.create_action(:ws, 'Submit the quarterly report', assignee_id => :bob,
       due_at => now() - interval '2 days') AS report \gset
RESET SESSION AUTHORIZATION;
SELECT action_id, title, status, priority, assignee_id, due_at FROM actions.action
 WHERE workspace_id = :ws ORDER BY action_id;

\echo
\echo '== 2. Bob starts the review and completes it with one evidence file'
SET SESSION AUTHORIZATION demo_bob;
SELECT actions.start(:review) \g /dev/null
SELECT actions.complete(:review, evidence => convert_to('Reviewed, two changes requested', 'UTF8'),
       evidence_name => 'review-notes.txt', evidence_type => 'text/plain') \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT action_id, status, completed_by FROM actions.action WHERE action_id = :review;

\echo
\echo '== 3. Carol (actions_access, a contractor) may complete her own action but never reassign it'
SET SESSION AUTHORIZATION demo_carol;
SELECT actions.reassign(:extinguishers, :bob);
RESET SESSION AUTHORIZATION;
\echo '   ... so Alice reassigns it to Bob (Bob gets an in-app notification and a NOTIFY):'
SET SESSION AUTHORIZATION demo_alice;
SELECT actions.reassign(:extinguishers, :bob) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT person_id, kind, action_id, link FROM actions.notification WHERE workspace_id = :ws ORDER BY notification_id;

\echo
\echo '== 3b. Alice assigns an action to an outsider by e-mail: invited as actions_access, notified; notes; can() and why_not()'
SET SESSION AUTHORIZATION demo_alice;
SELECT actions.create_action(:ws, 'Inspect the roof', due_on => current_date + 3) AS roof \gset
SELECT actions.assign_by_email(:roof, 'roofer@contractor.example', 'Rita Roofer') AS rita_invited;
SELECT assignee_id AS rita FROM actions.action WHERE action_id = :roof \gset
SELECT actions.add_note(:roof, 'Ladder is in the shed') \g /dev/null
SELECT actions.create_action(:ws, 'Test the fire alarm', assignee_id => :carol) AS alarm \gset
SELECT actions.note_access(:roof) AS alice_note_access, actions.can('reassign', :roof) AS alice_can_reassign;
RESET SESSION AUTHORIZATION;
SELECT p.email, m.state, r.name AS role, r.billable, i.expires_at > now() AS invitation_pending
  FROM actions.member m JOIN actions.person p USING (person_id) JOIN actions.role r USING (workspace_id, role_id)
  JOIN actions.invitation i USING (workspace_id, person_id) WHERE m.person_id = :rita;
SET SESSION AUTHORIZATION demo_carol;
SELECT actions.can('complete', :alarm) AS carol_can_complete, actions.can('reassign', :alarm) AS carol_can_reassign,
       actions.why_not('reassign', :alarm) AS why_not;
\echo 'Carol reading the table directly sees only what is hers (row-level security):'
SELECT action_id, title, status FROM actions.action ORDER BY action_id;
RESET SESSION AUTHORIZATION;

\echo
\echo '== 4. The overdue sweep: an action falls due, actions.mark_overdue() marks it (pg_cron runs actions.run_maintenance() every minute)'
SET SESSION AUTHORIZATION demo_alice;
SELECT actions.create_action(:ws, 'Renew the domain name', assignee_id => :bob,
       due_at => now() + interval '1 second') AS domain \gset
RESET SESSION AUTHORIZATION;
SELECT pg_sleep(1.5) \g /dev/null
SELECT actions.mark_overdue() AS marked_overdue;
SELECT actions.schedule_maintenance() AS pg_cron_job_id;
SELECT task, last_run_at IS NOT NULL AS has_run, backlog, backlog_of FROM actions.maintenance_status ORDER BY position;
SELECT action_id, title, status FROM actions.action WHERE workspace_id = :ws ORDER BY action_id;

\echo
\echo '== 4b. Groups and a delegation approved by an eligible approver (group-scoped grant), then accepted'
SET SESSION AUTHORIZATION demo_alice;
SELECT actions.create_group(:ws, 'Europe') AS europe \gset
SELECT actions.create_group(:ws, 'UK', :europe) AS uk \gset
SELECT actions.create_role(:ws, 'regional approver', '{view_actions:groups,approve_delegations:groups}') \g /dev/null
SELECT actions.set_member_role(:ws, :dan, 'regional approver') \g /dev/null
SELECT actions.add_group_member(:europe, :dan) \g /dev/null
SELECT actions.set_workflow(:ws, 'delegation_approval', true) \g /dev/null
SELECT actions.set_workflow(:ws, 'delegation_acceptance', true) \g /dev/null
SELECT actions.create_record(:ws, 'Sign purchase orders up to 10,000 GBP', 'delegation', ARRAY[:uk]) AS delegation \gset
SELECT actions.add_party(:delegation, 'issuer', :alice) \g /dev/null
SELECT actions.add_party(:delegation, 'recipient', :bob) \g /dev/null
SELECT actions.eligible_approvers(:delegation) AS eligible,
       actions.why_not('approve', :delegation, :alice) AS why_not_alice;
SELECT actions.submit_delegation(:delegation) AS state;
RESET SESSION AUTHORIZATION;
SELECT action_id AS approval FROM actions.action WHERE record_id = :delegation AND workflow = 'delegation_approval' \gset
SET SESSION AUTHORIZATION demo_dan;
SELECT actions.record_outcome(:approval, 'approved', 'within the UK budget') \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT action_id AS acceptance FROM actions.action WHERE record_id = :delegation AND workflow = 'delegation_acceptance' \gset
SET SESSION AUTHORIZATION demo_bob;
SELECT actions.record_outcome(:acceptance, 'accepted') \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT a.action_id, a.type, a.assignee_id, a.status, a.outcome, r.workflow_state AS delegation_state
  FROM actions.action a JOIN actions.record r USING (workspace_id, record_id)
 WHERE a.record_id = :delegation ORDER BY a.action_id;

\echo
\echo '== 4c. A custom action type and a versioned template (placeholders, a due rule, the record owner as assignee)'
SET SESSION AUTHORIZATION demo_alice;
SELECT actions.create_action_type(:ws, 'attestation', 'Annual attestation') \g /dev/null
SELECT actions.create_template(:ws, 'Annual attestation', 'Attest {record_title} by {due_date}',
    type => 'attestation', due_in => 30, assignee_rule => 'record_party', assignee_capacity => 'owner') AS tpl \gset
SELECT actions.create_action_from_template(:tpl, :delegation) AS from_template \gset
SELECT actions.update_template(:tpl, due_in => 14) AS new_version;
RESET SESSION AUTHORIZATION;
SELECT a.action_id, a.title, t.label AS type, a.assignee_id, a.due_at, a.template_id, a.template_version
  FROM actions.action a JOIN actions.action_type t ON t.workspace_id = a.workspace_id AND t.type_key = a.type
 WHERE a.action_id = :from_template;

\echo
\echo '== 5. The activity log: every change, who made it, old and new values, hash-chained'
SELECT a.action_id, a.seq, a.event, a.old_value, a.new_value, a.detail, p.display_name AS actor
  FROM actions.activity a LEFT JOIN actions.person p ON p.person_id = a.actor_id
 WHERE a.workspace_id = :ws ORDER BY a.action_id, a.seq;
\echo 'actions.verify_log() finds no broken link (no rows):'
SELECT * FROM actions.verify_log(:ws);
\echo 'and nobody, not even the superuser, can edit it:'
UPDATE actions.activity SET new_value = 'forged' WHERE workspace_id = :ws;

\echo
\echo '== 6. A pool: Alice offers an action to the UK group (and the groups below it); Carol claims it'
SET SESSION AUTHORIZATION demo_alice;
SELECT actions.add_group_member(:uk, :carol) \g /dev/null
SELECT actions.create_action(:ws, 'Check the UK office first-aid kits', due_on => current_date + 5) AS kits \gset
SELECT actions.offer(:kits, groups => ARRAY[:uk]) AS candidates;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_carol;
\echo 'Carol (actions_access) sees it as a candidate, and may claim it:'
SELECT action_id, title, assignee_id FROM actions.action_list WHERE action_id = :kits;
SELECT actions.can('claim', :kits) AS carol_may_claim;
SELECT actions.claim(:kits) \g /dev/null
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_bob;
\echo 'Bob is no candidate: why_not says so'
SELECT actions.why_not('claim', :kits) AS why_not_bob;
RESET SESSION AUTHORIZATION;
\echo 'Carol delegates it to Bob, who resolves it back; she completes it. The log shows both people:'
SET SESSION AUTHORIZATION demo_carol;
SELECT actions.delegate(:kits, :bob) \g /dev/null
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_bob;
SELECT actions.resolve(:kits) \g /dev/null
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_carol;
SELECT actions.complete(:kits) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT l.seq, l.event, l.old_value, l.new_value, p.display_name AS actor
  FROM actions.activity l LEFT JOIN actions.person p ON p.person_id = l.actor_id
 WHERE l.action_id = :kits ORDER BY l.seq;
\echo '== 7. Recurring actions: a template with a yearly schedule (every 31 March at 09:00, London time)'
SET SESSION AUTHORIZATION demo_alice;
SELECT actions.create_template(:ws, 'Annual authority acknowledgement',
       'Acknowledge your signing authority (due {due_date})', type => 'acknowledgement', due_in => 30,
       assignee_rule => 'person', assignee_id => :bob) AS attestation \gset
SELECT actions.create_schedule(:ws, :attestation, 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31', '2026-03-31 09:00') AS yearly \gset
SELECT schedule_id, rrule, starts_at, catch_up, next_local, next_at FROM actions.schedule WHERE schedule_id = :yearly;
\echo 'its next three occurrences, in the workspace''s time zone and as absolute times (BST is UTC+1):'
SELECT * FROM actions.next_occurrences(:yearly, 3);
RESET SESSION AUTHORIZATION;
\echo 'the maintenance sweep creates each occurrence once it is due. As if the job had been stopped since'
\echo 'before last 31 March (catch_up latest: only the latest missed occurrence is created):'
UPDATE actions.schedule SET next_local = next_local - interval '1 year', next_at = next_at - interval '1 year'
 WHERE schedule_id = :yearly;
SELECT actions.create_scheduled_actions() AS created;
SELECT o.occurrence, a.action_id, a.type, a.title, a.assignee_id, a.due_at::date AS due_on, a.template_id
  FROM actions.schedule_occurrence o JOIN actions.action a USING (workspace_id, action_id)
 WHERE o.schedule_id = :yearly;
\echo 'a second sweep creates nothing more; the schedule waits for the next 31 March:'
SELECT actions.create_scheduled_actions() AS created, (SELECT next_local FROM actions.schedule WHERE schedule_id = :yearly);

\echo
\echo '== 8. A procedure: three steps attached to the contract at once, on the business calendar;'
\echo '      step 1 completed late moves steps 2 and 3 (reschedule_if_late is on)'
SET SESSION AUTHORIZATION demo_alice;
SELECT actions.create_calendar(:ws, 'London office', working_hours => '09:00-12:30, 13:30-17:30') \g /dev/null
SELECT actions.create_procedure(:ws, 'Supplier onboarding') AS onboarding \gset
SELECT actions.add_procedure_step(:onboarding, 'Collect the supplier''s documents', '2 days',
       assignee_rule => 'person', assignee_id => :bob) \g /dev/null
SELECT actions.add_procedure_step(:onboarding, 'Check the documents', '1 day', gap => '4 hours',
       assignee_rule => 'person', assignee_id => :carol) \g /dev/null
SELECT actions.add_procedure_step(:onboarding, 'Sign the contract', '3 hours', assignee_rule => 'creator') \g /dev/null
SELECT actions.set_procedure_options(:ws, reschedule_if_late => true) \g /dev/null
-- Attached ten days ago, so step 1 (two working days) is long overdue.
SELECT actions.start_procedure(:onboarding, :contract, start_at => date_trunc('day', now()) - interval '10 days' + interval '10 hours') AS run \gset
RESET SESSION AUTHORIZATION;
\echo 'The steps as scheduled:'
SELECT pa.position, a.title, a.status, pa.scheduled_start, a.due_at
  FROM actions.procedure_action pa JOIN actions.action a USING (workspace_id, action_id)
 WHERE pa.run_id = :run ORDER BY pa.position;
SELECT action_id AS step1 FROM actions.procedure_action WHERE run_id = :run AND position = 1 \gset
SELECT action_id AS step2 FROM actions.procedure_action WHERE run_id = :run AND position = 2 \gset
SET SESSION AUTHORIZATION demo_carol;
\echo 'Carol may not start step 2 before step 1 is complete:'
SELECT actions.why_not('start', :step2) AS why_not_carol;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_bob;
SELECT actions.complete(:step1) \g /dev/null
RESET SESSION AUTHORIZATION;
\echo 'Bob completed step 1 late; steps 2 and 3 moved by the working time it was late:'
SELECT pa.position, a.title, a.status, pa.scheduled_start, a.due_at
  FROM actions.procedure_action pa JOIN actions.action a USING (workspace_id, action_id)
 WHERE pa.run_id = :run ORDER BY pa.position;
\echo 'Each move is logged on the action it moved, naming the step that caused it:'
SELECT l.action_id, l.event, l.old_value, l.new_value, l.detail->>'caused_by' AS caused_by,
       l.detail->>'shift_seconds' AS shift_seconds
  FROM actions.activity l JOIN actions.procedure_action pa ON pa.action_id = l.action_id
 WHERE pa.run_id = :run AND l.event IN ('rescheduled', 'due_changed') ORDER BY l.action_id, l.seq;
