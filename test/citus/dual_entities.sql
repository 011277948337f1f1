-- One workspace's calls by an entity's id (included by test/citus/dual_workspace.sql, psql variable
-- ws and the ids that file kept: finance, invoice, tpl, schedule, office, night, absence,
-- rule_created, procedure_created). On Citus the coordinator forwards each to the node holding the
-- entity's workspace (actions.forward()). Bulk calls take ids of this workspace only. Ids are kept
-- in psql variables; what is printed is what the calls answer, never an id.
\echo '== entities of' :wsname
SET SESSION AUTHORIZATION dual_owner;
SELECT actions.create_action(:ws, 'Entity work', assignee_id => :usr, due_at => timestamptz '2030-02-01 12:00Z') AS act \gset
SELECT actions.create_action(:ws, 'Entity spare') AS spare \gset
SELECT actions.create_action(:ws, 'Entity pool') AS pool \gset
SELECT actions.create_action(:ws, 'Entity bulk one') AS b1 \gset
SELECT actions.create_action(:ws, 'Entity bulk two') AS b2 \gset
SELECT actions.can('complete', :act) AS owner_can_complete;
SELECT actions.can('delegate', :act) AS owner_can_delegate;
SELECT actions.why_not('delegate', :act) AS owner_why_not_delegate;
SELECT actions.update_action(:act, description => 'Entity description', priority => 'low');
SELECT actions.update_action(:act, priority => 'someday');
SELECT actions.set_action_groups(:act, ARRAY[:finance]::bigint[]);
SELECT actions.assign(:spare, :guest);
SELECT actions.reassign(:spare, :sub);
SELECT actions.assign_by_email(:spare, 'invitee@dual.example', 'Ivy Invitee') AS invitee_pending;
SELECT actions.assign_by_email(:spare, 'not an e-mail');
SELECT actions.add_note(:act, 'First note') AS note \gset
SELECT actions.edit_note(:note, 'First note, edited');
SELECT actions.add_note(:act, 'Second note') AS note2 \gset
SELECT actions.delete_note(:note2);
SELECT actions.note_access(:act) AS note_access;
SELECT actions.offer(:pool, ARRAY[:usr]::bigint[]) AS offered;
RESET SESSION AUTHORIZATION;

\echo '-- the assignee works, delegates to the owner, who resolves; then completes'
SET SESSION AUTHORIZATION dual_user;
SELECT actions.can('complete', :act) AS user_can_complete;
SELECT actions.start(:act);
SELECT actions.delegate(:act, :owner);
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION dual_owner;
SELECT actions.resolve(:act);
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION dual_user;
SELECT actions.complete(:act, '\x70726f6f66'::bytea, 'proof.txt', 'text/plain');
SELECT actions.uncomplete(:act);
SELECT actions.complete(:act);
SELECT status, entered, calendar_time >= interval '0' AS timed FROM actions.action_status_times(:act) ORDER BY entered, status;
SELECT status, working_time >= interval '0' AS worked FROM actions.action_status_times(:act) ORDER BY entered, status;
SELECT actions.claim(:pool);
SELECT actions.release(:pool);
SELECT actions.delete_action(:pool);
SELECT array_agg(notification_id ORDER BY notification_id) AS notification_ids
  FROM actions.notification WHERE workspace_id = :ws \gset
SELECT actions.mark_notifications_read(:'notification_ids') AS marked_read;
SELECT actions.mark_notifications_read(:'notification_ids', false) AS marked_unread;
RESET SESSION AUTHORIZATION;
-- The invitation assign_by_email issued above, accepted with its token (which begins with its
-- workspace: the coordinator sends the call there); an unknown token, of either form, is not found.
SELECT token AS invitation_token FROM actions.invitation i JOIN actions.person p USING (person_id)
 WHERE i.workspace_id = :ws AND p.email = 'invitee@dual.example' \gset
SELECT actions.accept_invitation(:'invitation_token') IS NOT NULL AS invitation_accepted;
SELECT actions.accept_invitation(:'invitation_token');
SELECT actions.accept_invitation('no-such-token');
SELECT actions.accept_invitation(:ws || '.no-such-token');

\echo '-- bulk calls (ids of this workspace)'
SET SESSION AUTHORIZATION dual_owner;
SELECT ok, sqlstate FROM actions.bulk_update(ARRAY[:b1, :b2]::bigint[], priority => 'low') ORDER BY action_id;
SELECT ok, sqlstate FROM actions.bulk_reassign(ARRAY[:b1, :b2]::bigint[], :usr) ORDER BY action_id;
SELECT ok, sqlstate FROM actions.bulk_set_status(ARRAY[:b1, :b2, :spare]::bigint[], 'cancel', 'Bulk cancel') ORDER BY action_id;
SELECT ok, sqlstate, new_id IS NOT NULL AS duplicated
  FROM actions.bulk_duplicate(ARRAY[:b1]::bigint[], shift_due => interval '1 day') ORDER BY action_id;
SELECT ok, sqlstate FROM actions.bulk_delete(ARRAY[:b2]::bigint[]) ORDER BY action_id;
SELECT actions.delete_action(:pool);
SELECT actions.create_action(:ws, 'Entity cancelled') AS cancelled \gset
SELECT actions.cancel(:cancelled, 'Not needed');

\echo '-- records, parties, documents, delegations'
SELECT actions.update_record(:invoice, 'Invoice 17 (checked)');
SELECT actions.add_party(:invoice, 'responsible', person_id => :usr);
SELECT actions.remove_party(:invoice, 'responsible', person_id => :usr);
SELECT actions.create_record(:ws, 'Old contract', 'invoice') AS old_record \gset
SELECT actions.archive_record(:old_record);
SELECT actions.create_record(:ws, 'Handbook', 'document') AS handbook \gset
SELECT actions.set_review_schedule(:handbook, interval '1 year');
SELECT actions.publish_document(:handbook);
SELECT actions.set_workflow(:ws, 'delegation_approval', true);
SELECT actions.set_workflow(:ws, 'delegation_request', true);
SELECT actions.create_record(:ws, 'Spend up to 5k', 'delegation') AS deleg \gset
SELECT actions.add_party(:deleg, 'issuer', person_id => :usr);
SELECT actions.add_party(:deleg, 'recipient', person_id => :sub);
SELECT actions.submit_delegation(:deleg) AS submitted;
SELECT cardinality(actions.eligible_approvers(:deleg)) AS eligible_approvers;
SELECT actions.is_eligible_approver(:owner, :deleg) AS owner_eligible;
SELECT actions.is_eligible_approver(:guest, :deleg) AS guest_eligible;
SELECT actions.why_not('approve', :deleg, :guest) AS guest_why_not;
SELECT actions.request_delegation(:deleg, 'issuer', 'Please') AS requested \gset
RESET SESSION AUTHORIZATION;
SELECT action_id AS approval FROM actions.action WHERE record_id = :deleg AND workflow = 'delegation_approval' LIMIT 1 \gset
SET SESSION AUTHORIZATION dual_owner;
SELECT actions.record_outcome(:approval, 'approved', 'Fine');

\echo '-- groups'
SELECT actions.create_group(:ws, 'Audit') AS audit \gset
SELECT actions.rename_group(:audit, 'Internal audit');
SELECT actions.move_group(:audit, :finance);
SELECT actions.add_group_member(:audit, :usr);
SELECT actions.remove_group_member(:audit, :usr);
SELECT actions.delete_group(:audit);

\echo '-- templates and schedules'
SELECT actions.update_template(:tpl, priority => 'high') AS template_version;
SELECT actions.set_template_pool(:tpl, ARRAY[:usr]::bigint[]) AS pool_size;
SELECT actions.create_action_from_template(:tpl, record_id => :invoice) AS from_template \gset
SELECT occurrence, occurrence_at FROM actions.next_occurrences(:schedule, 3) ORDER BY occurrence;
SELECT actions.pause_schedule(:schedule);
SELECT actions.resume_schedule(:schedule);
SELECT actions.create_schedule(:ws, :tpl, 'FREQ=WEEKLY;BYDAY=MO', '2030-01-07 09:00') AS weekly \gset
SELECT actions.delete_schedule(:weekly);
SELECT actions.retire_template(:tpl);

\echo '-- calendars, absences, escalation rules'
-- Calendars are reference data: these run on the coordinator, which asks the node holding the
-- calendar's workspace for the caller's membership (one task).
SELECT actions.alter_calendar(:night, name => 'Late shift');
SELECT actions.set_working_days(:night, '{1,2,3,4,5}');
SELECT actions.set_working_hours(:night, '20:00-23:00');
SELECT actions.add_holiday(:office, 'Boxing day', date '2026-12-26') AS holiday \gset
SELECT actions.is_working_day(date '2026-12-26', :ws) AS boxing_day_working;
SELECT actions.remove_holiday(:holiday);
SELECT actions.delete_calendar(:night);
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION dual_user;
\set VERBOSITY sqlstate
SELECT actions.add_holiday(:office, 'Not mine to give', date '2026-12-31');
\set VERBOSITY terse
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION dual_owner;
SELECT actions.end_absence(:absence);
SELECT actions.delete_escalation_rule(:rule_created);

\echo '-- procedures'
SELECT actions.add_procedure_step(:procedure_created, 'Desk', interval '1 day') AS step;
SELECT actions.add_procedure_step(:procedure_created, 'Laptop', interval '2 days', assignee_rule => 'person', assignee_id => :usr) AS step;
SELECT actions.start_procedure(:procedure_created, :invoice, timestamptz '2030-03-04 09:00Z') AS run \gset
RESET SESSION AUTHORIZATION;
SELECT action_id AS step_action FROM actions.procedure_action WHERE workspace_id = :ws AND run_id = :run AND position = 1 \gset
SET SESSION AUTHORIZATION dual_owner;
SELECT actions.set_step_start(:step_action, timestamptz '2030-03-05 09:00Z');
SELECT actions.complete_step(:step_action);
SELECT actions.cancel_procedure(:run, 'Stopped') AS cancelled_steps;
RESET SESSION AUTHORIZATION;
