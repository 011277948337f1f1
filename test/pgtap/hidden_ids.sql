-- Hidden ids read as missing ids, in every function (docs/security.md, section 4): each function
-- of schema actions that PUBLIC may run and that takes an id (an argument of type bigint or
-- bigint[]) is called by Cal, once with an id that does not exist and once with an existing id Cal
-- may not see, and the two outcomes must be the same: the same SQLSTATE and the same message,
-- detail and hint but for the id itself (or both succeed alike). The calls are data (the
-- table pg_temp.hidden_call); a function with an id argument that the table leaves out fails the
-- first test, so a new function cannot be forgotten. Each call runs in a subtransaction that is
-- rolled back, so no call changes what the next one sees.
-- Cal may create, assign and edit their own actions in workspace One and nothing else: no
-- view_actions, party of one record only (rc).
-- What Cal may not see: in One, the record r1, the action a1, its note n1 and the absence b1 of
-- another member; in Two, where Cal is no member, the workspace and everything in it.
BEGIN;
SELECT plan(9);

CREATE ROLE hid_owner LOGIN; CREATE ROLE hid_cal LOGIN; CREATE ROLE hid_ann LOGIN;
CREATE TEMP TABLE hid (k text PRIMARY KEY, v bigint NOT NULL);
GRANT SELECT, INSERT ON hid TO PUBLIC;
INSERT INTO hid VALUES
    ('o', actions.create_person('hid-owner@example.com', 'Owner', 'hid_owner')),
    ('c', actions.create_person('hid-cal@example.com', 'Cal', 'hid_cal')),
    ('ann', actions.create_person('hid-ann@example.com', 'Ann', 'hid_ann')),
    ('p2', actions.create_person('hid-two@example.com', 'Only in Two'));
INSERT INTO hid SELECT 'w1', actions.create_workspace('One', owner_id => v) FROM hid WHERE k = 'o';
INSERT INTO hid SELECT 'w2', actions.create_workspace('Two', owner_id => v) FROM hid WHERE k = 'o';
CREATE FUNCTION pg_temp.id(key text) RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT v FROM hid WHERE k = key $$;
SELECT actions.add_member(pg_temp.id('w1'), pg_temp.id('ann'), 'user') \g /dev/null
SELECT actions.add_member(pg_temp.id('w2'), pg_temp.id('p2'), 'user') \g /dev/null
SET SESSION AUTHORIZATION hid_owner;
SELECT actions.create_role(pg_temp.id('w1'), 'maker', '{create_actions,assign_actions,edit_own_actions,delete_own_actions}') \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT actions.add_member(pg_temp.id('w1'), pg_temp.id('c'), 'maker') \g /dev/null

CREATE TABLE public.hid_src (k text PRIMARY KEY, t text);
ALTER TABLE public.hid_src OWNER TO hid_cal;

SET SESSION AUTHORIZATION hid_owner;
INSERT INTO hid VALUES
    ('r1', actions.create_record(pg_temp.id('w1'), 'Secret merger', 'delegation')),
    ('rc', actions.create_record(pg_temp.id('w1'), 'Cal''s record', 'generic')),
    ('a1', actions.create_action(pg_temp.id('w1'), 'Hidden', assignee_id => pg_temp.id('ann'))),
    ('g1', actions.create_group(pg_temp.id('w1'), 'Team one')),
    ('t1', actions.create_template(pg_temp.id('w1'), 'One''s template', 'About {record_title}')),
    ('k1', actions.create_calendar(pg_temp.id('w1'), 'One''s calendar')),
    ('proc1', actions.create_procedure(pg_temp.id('w1'), 'One''s procedure')),
    ('r2', actions.create_record(pg_temp.id('w2'), 'Two''s delegation', 'delegation')),
    ('a2', actions.create_action(pg_temp.id('w2'), 'In Two')),
    ('g2', actions.create_group(pg_temp.id('w2'), 'Team two')),
    ('t2', actions.create_template(pg_temp.id('w2'), 'Two''s template', 'Two')),
    ('k2', actions.create_calendar(pg_temp.id('w2'), 'Two''s calendar', use_it => true)),
    ('proc2', actions.create_procedure(pg_temp.id('w2'), 'Two''s procedure')),
    ('e2', actions.create_escalation_rule(pg_temp.id('w2'), 3, 'notify_owner'));
SELECT actions.add_party(pg_temp.id('rc'), 'owner', pg_temp.id('c')) \g /dev/null
INSERT INTO hid VALUES
    ('n1', actions.add_note(pg_temp.id('a1'), 'hidden note')),
    ('h2', actions.add_holiday(pg_temp.id('k2'), 'Feast', current_date + 30, current_date + 30)),
    ('s2', actions.create_schedule(pg_temp.id('w2'), pg_temp.id('t2'), 'FREQ=DAILY', (now() + interval '1 day')::timestamp)),
    ('b1', actions.declare_absence(pg_temp.id('w1'), now(), now() + interval '1 day', pg_temp.id('o'), person_id => pg_temp.id('ann')));
SELECT actions.add_procedure_step(pg_temp.id('proc2'), 'Step', interval '1 hour') \g /dev/null
INSERT INTO hid VALUES ('run2', actions.start_procedure(pg_temp.id('proc2'), pg_temp.id('r2')));
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION hid_cal;
INSERT INTO hid VALUES ('ac', actions.create_action(pg_temp.id('w1'), 'Cal''s own'));
RESET SESSION AUTHORIZATION;
INSERT INTO hid SELECT 'nt1', max(notification_id) FROM actions.notification WHERE person_id = pg_temp.id('ann');
INSERT INTO hid VALUES ('missing', 987654321);

-- The calls: the function (as regprocedure text), the id kind under test, the key of the hidden id
-- in hid, and the call, where {id} is the id under test and {key} any id of hid.
CREATE TEMP TABLE hidden_call (fn text, arg text, hidden text, call text);
INSERT INTO hidden_call VALUES
('actions.act_as(bigint)', 'person_id', 'p2', 'actions.act_as({id})'),
('actions.action_status_times(bigint)', 'action_id', 'a1', 'actions.action_status_times({id})'),
('actions.add_group_member(bigint,bigint)', 'group_id', 'g2', 'actions.add_group_member({id}, {c})'),
('actions.add_group_member(bigint,bigint)', 'person_id', 'p2', 'actions.add_group_member({g1}, {id})'),
('actions.add_holiday(bigint,text,date,date)', 'calendar_id', 'k2', 'actions.add_holiday({id}, ''x'', current_date, current_date)'),
('actions.add_note(bigint,text)', 'action_id', 'a1', 'actions.add_note({id}, ''x'')'),
('actions.add_party(bigint,text,bigint,bigint)', 'record_id', 'r1', 'actions.add_party({id}, ''owner'', {c})'),
('actions.add_party(bigint,text,bigint,bigint)', 'person_id', 'p2', 'actions.add_party({rc}, ''consulted'', {id})'),
('actions.add_party(bigint,text,bigint,bigint)', 'group_id', 'g2', 'actions.add_party({rc}, ''shared'', group_id => {id})'),
('actions.add_procedure_step(bigint,text,interval,interval,text,text,text,bigint,text,bigint[],bigint[],text[])', 'procedure_id', 'proc2', 'actions.add_procedure_step({id}, ''x'', interval ''1 hour'')'),
('actions.add_working_time(timestamp with time zone,interval,bigint,bigint)', 'workspace_id', 'w2', 'actions.add_working_time(now(), interval ''1 hour'', {id})'),
('actions.add_working_time(timestamp with time zone,interval,bigint,bigint)', 'calendar_id', 'k2', 'actions.add_working_time(now(), interval ''1 hour'', calendar_id => {id})'),
('actions.alter_calendar(bigint,text,text)', 'calendar_id', 'k2', 'actions.alter_calendar({id}, ''x'')'),
('actions.archive_record(bigint)', 'record_id', 'r1', 'actions.archive_record({id})'),
('actions.assign(bigint,bigint)', 'action_id', 'a1', 'actions.assign({id}, {c})'),
('actions.assign(bigint,bigint)', 'assignee_id', 'p2', 'actions.assign({ac}, {id})'),
('actions.assign_by_email(bigint,text,text)', 'action_id', 'a1', 'actions.assign_by_email({id}, ''new@example.com'')'),
('actions.bulk_delete(bigint[])', 'action_ids', 'a1', 'actions.bulk_delete(ARRAY[{id}])'),
('actions.bulk_duplicate(bigint[],bigint,interval)', 'action_ids', 'a1', 'actions.bulk_duplicate(ARRAY[{id}])'),
('actions.bulk_reassign(bigint[],bigint)', 'action_ids', 'a1', 'actions.bulk_reassign(ARRAY[{id}], {c})'),
('actions.bulk_reassign(bigint[],bigint)', 'assignee_id', 'p2', 'actions.bulk_reassign(ARRAY[{ac}], {id})'),
('actions.bulk_set_status(bigint[],text,text)', 'action_ids', 'a1', 'actions.bulk_set_status(ARRAY[{id}], ''start'')'),
('actions.bulk_update(bigint[],timestamp with time zone,interval,text,bigint[],boolean)', 'action_ids', 'a1', 'actions.bulk_update(ARRAY[{id}], priority => ''high'')'),
('actions.can(text,bigint)', 'action_id', 'a1', 'actions.can(''view'', {id})'),
('actions.cancel(bigint,text)', 'action_id', 'a1', 'actions.cancel({id}, ''x'')'),
('actions.cancel_procedure(bigint,text)', 'run_id', 'run2', 'actions.cancel_procedure({id}, ''x'')'),
('actions.claim(bigint)', 'action_id', 'a1', 'actions.claim({id})'),
('actions.complete(bigint,bytea,text,text)', 'action_id', 'a1', 'actions.complete({id})'),
('actions.complete_step(bigint,boolean,bytea,text,text)', 'action_id', 'a1', 'actions.complete_step({id})'),
('actions.create_action(bigint,text,text,bigint,timestamp with time zone,date,text,text,bigint,bigint[])', 'workspace_id', 'w2', 'actions.create_action({id}, ''x'')'),
('actions.create_action(bigint,text,text,bigint,timestamp with time zone,date,text,text,bigint,bigint[])', 'record_id', 'r1', 'actions.create_action({w1}, ''x'', record_id => {id})'),
('actions.create_action(bigint,text,text,bigint,timestamp with time zone,date,text,text,bigint,bigint[])', 'assignee_id', 'p2', 'actions.create_action({w1}, ''x'', assignee_id => {id})'),
('actions.create_action(bigint,text,text,bigint,timestamp with time zone,date,text,text,bigint,bigint[])', 'group_ids', 'g2', 'actions.create_action({w1}, ''x'', group_ids => ARRAY[{id}])'),
('actions.create_action_from_template(bigint,bigint,text,text,bigint,timestamp with time zone,date,text,bigint[])', 'template_id', 't2', 'actions.create_action_from_template({id})'),
('actions.create_action_from_template(bigint,bigint,text,text,bigint,timestamp with time zone,date,text,bigint[])', 'record_id', 'r1', 'actions.create_action_from_template({t1}, record_id => {id})'),
('actions.create_action_type(bigint,text,text)', 'workspace_id', 'w2', 'actions.create_action_type({id}, ''memo'', ''Memo'')'),
('actions.create_calendar(bigint,text,text,integer[],text,boolean)', 'workspace_id', 'w2', 'actions.create_calendar({id}, ''x'')'),
('actions.create_escalation_rule(bigint,integer,text,text,bigint,bigint)', 'workspace_id', 'w2', 'actions.create_escalation_rule({id}, 3, ''notify_owner'')'),
('actions.create_group(bigint,text,bigint)', 'workspace_id', 'w2', 'actions.create_group({id}, ''x'')'),
('actions.create_procedure(bigint,text,text)', 'workspace_id', 'w2', 'actions.create_procedure({id}, ''x'')'),
('actions.create_record(bigint,text,text,bigint[])', 'workspace_id', 'w2', 'actions.create_record({id}, ''x'', ''generic'')'),
('actions.create_record(bigint,text,text,bigint[])', 'group_ids', 'g2', 'actions.create_record({w1}, ''x'', ''generic'', ARRAY[{id}])'),
('actions.create_record_kind(bigint,text)', 'workspace_id', 'w2', 'actions.create_record_kind({id}, ''contract'')'),
('actions.create_role(bigint,text,text[])', 'workspace_id', 'w2', 'actions.create_role({id}, ''x'', ''{view_actions}'')'),
('actions.create_schedule(bigint,bigint,text,timestamp without time zone,bigint,text)', 'workspace_id', 'w2', 'actions.create_schedule({id}, {t1}, ''FREQ=DAILY'', (now() + interval ''1 day'')::timestamp)'),
('actions.create_schedule(bigint,bigint,text,timestamp without time zone,bigint,text)', 'template_id', 't2', 'actions.create_schedule({w1}, {id}, ''FREQ=DAILY'', (now() + interval ''1 day'')::timestamp)'),
('actions.create_schedule(bigint,bigint,text,timestamp without time zone,bigint,text)', 'record_id', 'r1', 'actions.create_schedule({w1}, {t1}, ''FREQ=DAILY'', (now() + interval ''1 day'')::timestamp, record_id => {id})'),
('actions.create_template(bigint,text,text,text,text,integer,text,text,bigint[],text,bigint,text)', 'workspace_id', 'w2', 'actions.create_template({id}, ''x'', ''x'')'),
('actions.declare_absence(bigint,timestamp with time zone,timestamp with time zone,bigint,bigint,text)', 'workspace_id', 'w2', 'actions.declare_absence({id}, now(), now() + interval ''1 day'', {o})'),
('actions.declare_absence(bigint,timestamp with time zone,timestamp with time zone,bigint,bigint,text)', 'substitute_id', 'p2', 'actions.declare_absence({w1}, now(), now() + interval ''1 day'', {id})'),
('actions.delegate(bigint,bigint)', 'action_id', 'a1', 'actions.delegate({id}, {o})'),
('actions.delete_action(bigint)', 'action_id', 'a1', 'actions.delete_action({id})'),
('actions.delete_calendar(bigint)', 'calendar_id', 'k2', 'actions.delete_calendar({id})'),
('actions.delete_escalation_rule(bigint)', 'rule_id', 'e2', 'actions.delete_escalation_rule({id})'),
('actions.delete_group(bigint)', 'group_id', 'g2', 'actions.delete_group({id})'),
('actions.delete_note(bigint)', 'note_id', 'n1', 'actions.delete_note({id})'),
('actions.delete_record_kind(bigint,text)', 'workspace_id', 'w2', 'actions.delete_record_kind({id}, ''contract'')'),
('actions.delete_role(bigint,text)', 'workspace_id', 'w2', 'actions.delete_role({id}, ''user'')'),
('actions.delete_schedule(bigint)', 'schedule_id', 's2', 'actions.delete_schedule({id})'),
('actions.due_risk(bigint,interval,text)', 'workspace_id', 'w2', 'actions.due_risk({id})'),
('actions.edit_note(bigint,text)', 'note_id', 'n1', 'actions.edit_note({id}, ''x'')'),
('actions.eligible_approvers(bigint)', 'delegation_id', 'r1', 'actions.eligible_approvers({id})'),
('actions.end_absence(bigint)', 'absence_id', 'b1', 'actions.end_absence({id})'),
('actions.is_eligible_approver(bigint,bigint)', 'delegation_id', 'r1', 'actions.is_eligible_approver({c}, {id})'),
('actions.is_working_day(date,bigint,bigint)', 'workspace_id', 'w2', 'actions.is_working_day(current_date, {id})'),
('actions.is_working_day(date,bigint,bigint)', 'calendar_id', 'k2', 'actions.is_working_day(current_date, calendar_id => {id})'),
('actions.list_actions(bigint,text[],bigint[],boolean,boolean,bigint[],timestamp with time zone,timestamp with time zone,boolean,bigint,text[],text[],bigint,boolean,text[],text,text,text,text,integer,text)', 'workspace_id', 'w2', 'actions.list_actions({id})'),
('actions.list_actions(bigint,text[],bigint[],boolean,boolean,bigint[],timestamp with time zone,timestamp with time zone,boolean,bigint,text[],text[],bigint,boolean,text[],text,text,text,text,integer,text)', 'in_group', 'g2', 'actions.list_actions({w1}, in_group => {id})'),
('actions.list_notifications(bigint,boolean,integer,bigint)', 'in_workspace', 'w2', 'actions.list_notifications({id})'),
('actions.forward(bigint,regprocedure,text[])', 'workspace_id', 'w2', 'actions.forward({id}, ''actions.can(text,bigint)'', ARRAY[''view'', {ac}::text])'),
('actions.workspace_of_ids(bigint,text,bigint[])', 'ids', 'a1', 'actions.workspace_of_ids({w1}, ''action_id'', ARRAY[{id}])'),
('actions.workspace_of_ids(bigint,text,bigint[])', 'workspace_id', 'w2', 'actions.workspace_of_ids({id}, ''action_id'', ARRAY[{ac}])'),
('actions.mark_notifications_read(bigint[],boolean)', 'notification_ids', 'nt1', 'actions.mark_notifications_read(ARRAY[{id}])'),
('actions.may_see_record(bigint,bigint,bigint[],boolean,bigint[],bigint[],bigint[])', 'record_id', 'r1', 'actions.may_see_record({w1}, {id}, NULL, false, NULL, NULL, NULL)'),
('actions.may_see_action(bigint,bigint,bigint,bigint[],bigint,bigint,bigint,boolean,bigint[],bigint[],bigint[],bigint[],actions.member_key[],bigint[],bigint)', 'action_id', 'a1', 'actions.may_see_action({w1}, {id}, NULL, NULL, NULL, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL)'),
('actions.sees_action(bigint,bigint,bigint,bigint[],bigint,bigint,bigint)', 'action_id', 'a1', 'actions.sees_action({w1}, {id}, NULL, NULL, NULL, NULL, NULL)'),
('actions.sees_action_of(bigint,bigint)', 'action_id', 'a1', 'actions.sees_action_of({w1}, {id})'),
('actions.sees_workspace(bigint)', 'workspace_id', 'w2', 'actions.sees_workspace({id})'),
('actions.sees_absence(bigint,bigint,bigint)', 'workspace_id', 'w2', 'actions.sees_absence({id}, NULL, NULL)'),
('actions.sees_calendar(bigint)', 'calendar_id', 'k2', 'actions.sees_calendar({id})'),
('actions.sees_calendar_in_use(bigint)', 'calendar_id', 'k2', 'actions.sees_calendar_in_use({id})'),
('actions.move_group(bigint,bigint)', 'group_id', 'g2', 'actions.move_group({id}, NULL)'),
('actions.next_occurrences(bigint,integer)', 'schedule_id', 's2', 'actions.next_occurrences({id})'),
('actions.note_access(bigint)', 'action_id', 'a1', 'actions.note_access({id})'),
('actions.offer(bigint,bigint[],bigint[],text[])', 'action_id', 'a1', 'actions.offer({id}, people => ARRAY[{c}])'),
('actions.offer(bigint,bigint[],bigint[],text[])', 'people', 'p2', 'actions.offer({ac}, people => ARRAY[{id}])'),
('actions.offer(bigint,bigint[],bigint[],text[])', 'groups', 'g2', 'actions.offer({ac}, groups => ARRAY[{id}])'),
('actions.opt_out(bigint,text,boolean)', 'workspace_id', 'w2', 'actions.opt_out({id}, ''due_soon'', true)'),
('actions.pause_schedule(bigint)', 'schedule_id', 's2', 'actions.pause_schedule({id})'),
('actions.publish_document(bigint)', 'record_id', 'r1', 'actions.publish_document({id})'),
('actions.reassign(bigint,bigint)', 'action_id', 'a1', 'actions.reassign({id}, {c})'),
('actions.record_outcome(bigint,text,text)', 'action_id', 'a1', 'actions.record_outcome({id}, ''approved'')'),
('actions.reinstate_action_type(bigint,text)', 'workspace_id', 'w2', 'actions.reinstate_action_type({id}, ''task'')'),
('actions.release(bigint)', 'action_id', 'a1', 'actions.release({id})'),
('actions.remove_group_member(bigint,bigint)', 'group_id', 'g2', 'actions.remove_group_member({id}, {c})'),
('actions.remove_holiday(bigint)', 'holiday_id', 'h2', 'actions.remove_holiday({id})'),
('actions.remove_party(bigint,text,bigint,bigint)', 'record_id', 'r1', 'actions.remove_party({id}, ''owner'', {c})'),
('actions.rename_action_type(bigint,text,text)', 'workspace_id', 'w2', 'actions.rename_action_type({id}, ''task'', ''x'')'),
('actions.rename_group(bigint,text)', 'group_id', 'g2', 'actions.rename_group({id}, ''x'')'),
('actions.request_delegation(bigint,text,text)', 'record_id', 'r1', 'actions.request_delegation({id})'),
('actions.resolve(bigint)', 'action_id', 'a1', 'actions.resolve({id})'),
('actions.resume_schedule(bigint)', 'schedule_id', 's2', 'actions.resume_schedule({id})'),
('actions.retire_action_type(bigint,text)', 'workspace_id', 'w2', 'actions.retire_action_type({id}, ''task'')'),
('actions.retire_template(bigint)', 'template_id', 't2', 'actions.retire_template({id})'),
('actions.service_levels(bigint,timestamp with time zone,timestamp with time zone,text,text)', 'workspace_id', 'w2', 'actions.service_levels({id}, now() - interval ''1 day'', now())'),
('actions.set_absence_routing(bigint,text)', 'workspace_id', 'w2', 'actions.set_absence_routing({id}, ''both'')'),
('actions.set_action_groups(bigint,bigint[])', 'action_id', 'a1', 'actions.set_action_groups({id}, ARRAY[]::bigint[])'),
('actions.set_action_groups(bigint,bigint[])', 'group_ids', 'g2', 'actions.set_action_groups({ac}, ARRAY[{id}])'),
('actions.set_member_role(bigint,bigint,text)', 'workspace_id', 'w2', 'actions.set_member_role({id}, {c}, ''user'')'),
('actions.set_notification(bigint,text,boolean)', 'workspace_id', 'w2', 'actions.set_notification({id}, ''due_soon'', true)'),
('actions.set_procedure_options(bigint,boolean,boolean,boolean)', 'workspace_id', 'w2', 'actions.set_procedure_options({id})'),
('actions.set_review_schedule(bigint,interval)', 'record_id', 'r1', 'actions.set_review_schedule({id}, interval ''1 year'')'),
('actions.set_step_start(bigint,timestamp with time zone)', 'action_id', 'a1', 'actions.set_step_start({id}, now())'),
('actions.set_template_pool(bigint,bigint[],bigint[],text[])', 'template_id', 't2', 'actions.set_template_pool({id})'),
('actions.set_workflow(bigint,text,boolean,integer,text)', 'workspace_id', 'w2', 'actions.set_workflow({id}, ''document_review'', true)'),
('actions.set_working_days(bigint,integer[],text)', 'calendar_id', 'k2', 'actions.set_working_days({id}, ARRAY[1,2,3])'),
('actions.set_working_hours(bigint,text,integer[])', 'calendar_id', 'k2', 'actions.set_working_hours({id}, ''09:00-17:00'')'),
('actions.start(bigint)', 'action_id', 'a1', 'actions.start({id})'),
('actions.start_procedure(bigint,bigint,timestamp with time zone)', 'procedure_id', 'proc2', 'actions.start_procedure({id}, {rc})'),
('actions.start_procedure(bigint,bigint,timestamp with time zone)', 'record_id', 'r1', 'actions.start_procedure({proc1}, {id})'),
('actions.submit_delegation(bigint)', 'record_id', 'r1', 'actions.submit_delegation({id})'),
('actions.track_table(regclass,bigint,text,name,name,text,bigint)', 'workspace_id', 'w2', 'actions.track_table(''public.hid_src'', {id}, ''generic'', ''k'', ''t'')'),
('actions.track_table_install(regclass,bigint,text,name,name,text,bigint)', 'workspace_id', 'w2', 'actions.track_table_install(''public.hid_src'', {id}, ''generic'', ''k'', ''t'', NULL, {c})'),
('actions.uncomplete(bigint)', 'action_id', 'a1', 'actions.uncomplete({id})'),
('actions.unread_count(bigint)', 'workspace_id', 'w2', 'actions.unread_count({id})'),
('actions.update_action(bigint,text,text,timestamp with time zone,date,text,boolean)', 'action_id', 'a1', 'actions.update_action({id}, title => ''x'')'),
('actions.update_record(bigint,text)', 'record_id', 'r1', 'actions.update_record({id}, ''x'')'),
('actions.update_role(bigint,text,text,text[])', 'workspace_id', 'w2', 'actions.update_role({id}, ''user'', ''x'')'),
('actions.update_template(bigint,text,text,text,text,integer,text,text,bigint[],text,bigint,text,boolean)', 'template_id', 't2', 'actions.update_template({id}, name => ''x'')'),
('actions.use_calendar(bigint,bigint,text)', 'workspace_id', 'w2', 'actions.use_calendar({id}, {k1})'),
('actions.why_not(text,bigint)', 'action_id', 'a1', 'actions.why_not(''view'', {id})'),
('actions.why_not(text,bigint,bigint)', 'delegation_id', 'r1', 'actions.why_not(''approve'', {id}, {c})'),
('actions.working_time_between(timestamp with time zone,timestamp with time zone,bigint,bigint)', 'workspace_id', 'w2', 'actions.working_time_between(now(), now() + interval ''1 day'', {id})'),
('actions.working_time_between(timestamp with time zone,timestamp with time zone,bigint,bigint)', 'calendar_id', 'k2', 'actions.working_time_between(now(), now() + interval ''1 day'', calendar_id => {id})');
GRANT SELECT ON hidden_call TO PUBLIC;

-- Every function with an id argument is in the table (and the table names only real functions).
SELECT is(ARRAY(
    SELECT p.oid::regprocedure::text FROM pg_proc p
     WHERE p.pronamespace = 'actions'::regnamespace AND has_function_privilege('public', p.oid, 'EXECUTE')
       AND p.proargtypes::oid[] && ARRAY['bigint'::regtype, 'bigint[]'::regtype]::oid[]
    EXCEPT SELECT fn FROM hidden_call ORDER BY 1),
    '{}'::text[], 'every function PUBLIC may run with an id argument is in the table of calls');
SELECT is(ARRAY(SELECT fn FROM hidden_call WHERE to_regprocedure(fn) IS NULL), '{}'::text[],
    'the table names only functions that exist');

-- The outcome of one call as the caller would read it: the SQLSTATE, message, detail and hint, or
-- what it returned when it succeeds (its effects rolled back).
CREATE FUNCTION pg_temp.outcome(call text, id bigint) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    stmt text := replace(call, '{id}', id || '::bigint');
    k record;
    res text; st text; msg text; det text; hnt text;
BEGIN
    FOR k IN SELECT hid.k, hid.v FROM hid LOOP
        stmt := replace(stmt, '{' || k.k || '}', k.v || '::bigint');
    END LOOP;
    BEGIN
        EXECUTE 'SELECT string_agg(x::text, '' ; '') FROM (SELECT ' || stmt || ') AS r(x)' INTO res;
        RAISE EXCEPTION USING ERRCODE = 'ZZ001';
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL,
                                hnt = PG_EXCEPTION_HINT;
    END;
    IF st = 'ZZ001' THEN RETURN 'ok: ' || coalesce(res, '(null)'); END IF;
    RETURN concat_ws(' | ', st, msg, det, hnt);
END
$$;

SET SESSION AUTHORIZATION hid_cal;
CREATE TEMP TABLE hid_outcome AS
SELECT c.fn, c.arg, c.call, pg_temp.id(c.hidden) AS hidden_id,
       pg_temp.outcome(c.call, pg_temp.id('missing')) AS missing,
       pg_temp.outcome(c.call, pg_temp.id(c.hidden)) AS hidden
  FROM hidden_call c;
RESET SESSION AUTHORIZATION;

-- The hidden id's outcome must be the missing id's, word for word, with the one id written instead
-- of the other (987654321 appears in no other place of an outcome).
SELECT is(ARRAY(SELECT format('%s: missing: %s; hidden: %s', call, missing, hidden) FROM hid_outcome
                 WHERE replace(missing, pg_temp.id('missing')::text, hidden_id::text) IS DISTINCT FROM hidden
                 ORDER BY fn, arg),
    '{}'::text[], 'every call refuses an id Cal may not see exactly like a missing id');
-- A call that refuses a missing id says P0002 for it, so the table checks the lookups, not only
-- refusals that come before them.
SELECT cmp_ok((SELECT count(*) FROM hid_outcome WHERE missing LIKE 'P0002 |%'), '>=', 80::bigint,
    'most calls reach the lookup of the id (P0002 for a missing one)');

-- Seeing an action does not show the record it is linked to: Cal, its assignee, reads the record's
-- title and kind as NULL from actions.action_list and actions.list_actions; Ann and the owner, who
-- may see the record (as party, with view_actions), read them.
SET SESSION AUTHORIZATION hid_owner;
INSERT INTO hid VALUES
    ('ar', actions.create_action(pg_temp.id('w1'), 'Linked to the secret', assignee_id => pg_temp.id('c'), record_id => pg_temp.id('r1')));
SELECT actions.add_party(pg_temp.id('r1'), 'issuer', pg_temp.id('ann')) \g /dev/null
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION hid_cal;
SELECT results_eq(format('SELECT title, record_id, record_title, record_kind FROM actions.action_list WHERE action_id = %s', pg_temp.id('ar')),
    format('VALUES (%L, %s::bigint, NULL::text, NULL::text)', 'Linked to the secret', pg_temp.id('r1')),
    'action_list: the assignee sees the action and its record id, not the title or kind of a record hidden from them');
SELECT results_eq(format('SELECT title, record_title, record_kind FROM actions.list_actions(%s) WHERE action_id = %s', pg_temp.id('w1'), pg_temp.id('ar')),
    format('VALUES (%L, NULL::text, NULL::text)', 'Linked to the secret'),
    'list_actions: the same');
SELECT is((SELECT count(*) FROM actions.list_actions(pg_temp.id('w1'), record_kinds => '{delegation}')), 0::bigint,
    'list_actions: filtering by the hidden record''s kind finds nothing');
SELECT results_eq(format('SELECT title FROM actions.action WHERE action_id = %s',
                         actions.create_action_from_template(pg_temp.id('t1'), record_id => pg_temp.id('rc'))),
    $$VALUES ('About Cal''s record')$$, 'a template fills {record_title} from a record Cal may see (as its party)');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION hid_ann;
SELECT results_eq(format('SELECT record_title, record_kind FROM actions.action_list WHERE action_id = %s', pg_temp.id('ar')),
    $$VALUES ('Secret merger', 'delegation')$$, 'a party of the record reads its title and kind');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
