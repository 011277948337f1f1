-- One workspace's part of test/citus/dual.sql (psql variable ws: the workspace). Every call below
-- takes the workspace, so on Citus each runs on the node holding it. Each is a bare
-- `SELECT actions.f(...)` or `SELECT * FROM actions.f(...)`: Citus sends only those whole to the
-- workspace's node (a call inside an expression runs on the coordinator). A call returning an id
-- keeps it in a psql variable, out of the output (ids differ between the two runs by design).
SELECT name AS wsname FROM actions.workspace WHERE workspace_id = :ws \gset
\echo '== workspace' :wsname
SELECT actions.add_member(:ws, :usr, 'user');
SELECT actions.add_member(:ws, :guest, 'actions_access');
SELECT actions.add_member(:ws, :sub, 'user');
SELECT actions.set_show_emails(:ws, true);
SET SESSION AUTHORIZATION dual_owner;
SELECT actions.create_role(:ws, 'reviewer', '{view_actions,complete_any_actions}') AS role_created \gset
SELECT actions.update_role(:ws, 'reviewer', permissions => '{view_actions,complete_any_actions,create_actions}');
SELECT actions.create_role(:ws, 'spare') AS role_created \gset
SELECT actions.delete_role(:ws, 'spare');
SELECT actions.create_role(:ws, 'bad', '{fly}');
SELECT actions.set_member_role(:ws, :usr, 'reviewer');
SELECT actions.create_group(:ws, 'Finance') AS finance \gset
SELECT actions.create_group(:ws, 'Payroll', :finance) AS group_created \gset
SELECT actions.create_record_kind(:ws, 'invoice');
SELECT actions.create_record_kind(:ws, 'spare_kind');
SELECT actions.delete_record_kind(:ws, 'spare_kind');
SELECT actions.create_record(:ws, 'Invoice 17', 'invoice', ARRAY[:finance]::bigint[]) AS invoice \gset
SELECT actions.create_action_type(:ws, 'audit', 'Audit');
SELECT actions.rename_action_type(:ws, 'audit', 'Yearly audit');
SELECT actions.retire_action_type(:ws, 'audit');
SELECT actions.reinstate_action_type(:ws, 'audit');
SELECT actions.set_workflow(:ws, 'document_review', true);
SELECT actions.set_notification(:ws, 'due_soon', false);
SELECT actions.set_absence_routing(:ws, 'both');
SELECT actions.set_procedure_options(:ws, relaxed_dates => true);
SELECT actions.create_procedure(:ws, 'Onboarding', 'Steps for a newcomer') AS procedure_created \gset
SELECT actions.create_escalation_rule(:ws, 2, 'notify_owner') AS rule_created \gset
SELECT actions.create_calendar(:ws, 'Office', working_hours => '08:00-16:00') AS office \gset
SELECT actions.create_calendar(:ws, 'Night shift', working_hours => '22:00-23:59', use_it => false) AS night \gset
SELECT actions.use_calendar(:ws, :office);
SELECT actions.is_working_day(date '2026-12-25', :ws) AS christmas_working;
SELECT actions.is_working_day(date '2026-12-07', :ws) AS monday_working;
SELECT actions.working_time_between(timestamptz '2026-12-07 00:00Z', timestamptz '2026-12-09 00:00Z', :ws) AS working;
SELECT actions.add_working_time(timestamptz '2026-12-07 09:00Z', interval '10 hours', :ws) AS plus_ten_hours;
SELECT actions.create_template(:ws, 'Monthly check', 'Check the {record_title}', due_in => 3) AS tpl \gset
SELECT actions.create_schedule(:ws, :tpl, 'FREQ=MONTHLY;BYMONTHDAY=1', '2030-01-01 09:00') AS schedule \gset
SELECT actions.create_schedule(:ws, :tpl, 'FREQ=SOMETIMES', '2030-01-01 09:00');
SELECT actions.create_action(:ws, 'Pay invoice 17', assignee_id => :usr, record_id => :invoice,
       due_on => date '2030-01-15', priority => 'high') AS created \gset
SELECT actions.create_action(:ws, 'File the receipt', type => 'audit', due_at => timestamptz '2020-01-01 00:00Z') AS created \gset
SELECT actions.create_action(:ws, 'Call the guest', assignee_id => :guest) AS created \gset
SELECT actions.create_action(:ws, '', assignee_id => :guest);
SELECT actions.create_action(:ws, 'Wrong type', type => 'no_such_type');
SELECT actions.declare_absence(:ws, timestamptz '2030-01-01 00:00Z', timestamptz '2030-01-10 00:00Z', :sub, person_id => :usr) AS absence \gset
SELECT actions.opt_out(:ws, 'due_soon', true);
SELECT title, status, priority FROM actions.list_actions(:ws) ORDER BY title;
SELECT title FROM actions.list_actions(:ws, assigned_to_me => true) ORDER BY title;
SELECT * FROM actions.due_risk(:ws, interval '100 years');
SELECT completed, with_due, on_time, late FROM actions.service_levels(:ws, timestamptz '2000-01-01 00:00Z', timestamptz '2100-01-01 00:00Z');
SELECT actions.unread_count(:ws) AS owner_unread;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION dual_user;
SELECT actions.unread_count(:ws) AS user_unread;
SELECT kind FROM actions.list_notifications(:ws) ORDER BY kind;
SELECT title, status FROM actions.list_actions(:ws) ORDER BY title;
SELECT actions.create_role(:ws, 'sneaky');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION dual_guest;
SELECT title FROM actions.list_actions(:ws) ORDER BY title;
SELECT actions.create_action(:ws, 'Guest action');
RESET SESSION AUTHORIZATION;
SELECT * FROM actions.verify_log(:ws);
SELECT actions.seal_ledger(:ws) AS sealed \gset
SELECT * FROM actions.verify_ledger(:ws);
SELECT actions.rebuild_service_levels(:ws) AS rebuilt \gset
SELECT * FROM actions.service_level_from_log(:ws);
SELECT actions.ledger_digest(:ws) AS digest \gset
\ir dual_entities.sql
