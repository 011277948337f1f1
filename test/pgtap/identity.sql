-- Who is acting, and the install script's safety:
--   * the actor is the person whose login role is session_user; a trusted service may act for a
--     person with actions.act_as() for the current transaction; otherwise calls are refused 42501;
--   * no setting a client can SET impersonates anyone, before or after the library is loaded;
--   * every function pins search_path, admin functions and tables are not open to PUBLIC, and
--     every table, column and function is documented with a COMMENT.
-- Keep the first part first: it checks what happens before the pg_actions library is loaded in
-- this backend, so nothing before it may call a C function of the extension.
BEGIN;

-- The SQLSTATE, message, detail and hint of the error a call raises (NULL when it succeeds).
CREATE FUNCTION pg_temp.error_of(call text) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
    state text; message text; detail text; hint text;
BEGIN
    EXECUTE call;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                            detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
    RETURN ARRAY[state, message, detail, hint];
END
$$;
-- 'set' when a setting could be set, else the SQLSTATE of the refusal.
CREATE FUNCTION pg_temp.try_set(name text, value text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config(name, value, true);
    RETURN 'set';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END
$$;

SELECT plan(57);

CREATE ROLE id_nobody LOGIN;   -- no person has this login role
CREATE ROLE id_ann LOGIN;
CREATE ROLE id_bob LOGIN;
CREATE ROLE id_app LOGIN;      -- an application's pooled connection role, registered as trusted
CREATE ROLE id_pool LOGIN IN ROLE id_app;  -- a member of the trusted role
CREATE ROLE id_rogue LOGIN;    -- an application role nobody registered
CREATE ROLE id_fresh;          -- a role with no grants at all, to probe PUBLIC privileges
GRANT id_bob TO id_ann;        -- so Ann may SET ROLE id_bob
-- Inserting a row of the extension fires restore_guard and restore_done (C functions), which load
-- the library: the people are inserted without them, and the workspace is created once the
-- library is loaded.
ALTER TABLE actions.person DISABLE TRIGGER restore_guard;
ALTER TABLE actions.person DISABLE TRIGGER restore_done;
SELECT actions.create_person('id.ann@example.org', 'Ann', 'id_ann') AS ann,
       actions.create_person('id.bob@example.org', 'Bob', 'id_bob') AS bob
\gset
ALTER TABLE actions.person ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.person ENABLE ALWAYS TRIGGER restore_done;
\set missing 987654321987

-- ---------------------------------------------------------------------------------------------
-- Settings a client sets by hand impersonate no one.
SELECT is((SELECT count(*) FROM pg_settings WHERE name LIKE 'pg_actions.%'), 0::bigint,
    'precondition: the pg_actions library is not loaded in this backend yet');
SET SESSION AUTHORIZATION id_nobody;
-- Before the library is loaded, pg_actions.* names are mere placeholders anyone may set ...
SET LOCAL pg_actions.act_as = :'ann';
SET LOCAL pg_actions.actor = :'ann';
SET LOCAL pg_actions.evidence_max_bytes = 1000000000;
SET LOCAL client_min_messages = error;  -- loading the library warns about the placeholders
SELECT is(actions.current_actor(), NULL, 'settings made before the library was loaded impersonate no one');
SET LOCAL client_min_messages = notice;
RESET SESSION AUTHORIZATION;
SELECT actions.create_workspace('Identity', 'UTC', NULL, :ann) AS ws \gset
SELECT actions.add_member(:ws, :bob, 'user') \gset
SET SESSION AUTHORIZATION id_nobody;
SELECT throws_ok(format('SELECT actions.create_action(%s, %L)', :ws, 'T'),
    '42501', 'no person is acting in this session', 'a session whose session_user is no person cannot create actions');
SELECT is((pg_temp.error_of(format('SELECT actions.create_action(%s, %L)', :ws, 'T')))[3],
    'session_user "id_nobody" is not the login role of any person, and no trusted service called actions.act_as() in this transaction',
    '... the detail names the session user');
SELECT is((pg_temp.error_of(format('SELECT actions.create_action(%s, %L)', :ws, 'T')))[4],
    'connect as a person''s login role (actions.person.login_role), or, from a registered trusted service, call actions.act_as(person_id) first',
    '... and the hint says what to do');
-- ... once it is loaded, the prefix is reserved: setting an unknown pg_actions.* name is refused.
SELECT is(pg_temp.try_set('pg_actions.act_as', :'ann'), '42602', 'SET pg_actions.act_as is refused once the library is loaded');
SELECT is(pg_temp.try_set('pg_actions.actor', :'ann'), '42602', 'SET pg_actions.actor is refused once the library is loaded');
SELECT is(pg_temp.try_set('pg_actions.evidence_max_bytes', '1000000000'), '42501',
    'only a superuser may change pg_actions.evidence_max_bytes');
SELECT is(actions.current_actor(), NULL, 'current_actor() is still NULL');
-- pg_actions.identity is what a Citus coordinator carries to its workers, signed; anywhere else
-- (this single node) it is not read at all.
SELECT is(pg_temp.try_set('pg_actions.identity', 'forged-token-for-ann'), 'set', 'anyone may set pg_actions.identity ...');
SELECT is(actions.current_actor(), NULL, '... and on a single node it impersonates no one');
SELECT is(pg_temp.try_set('pg_actions.identity_lifetime', '86400'), '42501',
    'only a superuser may change pg_actions.identity_lifetime');
RESET SESSION AUTHORIZATION;
SELECT is(current_setting('pg_actions.evidence_max_bytes'), '10485760',
    'the evidence limit an unprivileged session set before loading was not taken');

-- ---------------------------------------------------------------------------------------------
-- session_user decides, not current_user.
SET SESSION AUTHORIZATION id_ann;
SELECT is(actions.current_actor(), :ann::bigint, 'a person''s login session acts as that person');
SET ROLE id_bob;
SELECT is(actions.current_actor(), :ann::bigint, 'SET ROLE to another person''s role still acts as the session user''s person');
SELECT actions.create_action(:ws, 'Ann, under Bob''s role') AS under_role \gset
RESET ROLE;
RESET SESSION AUTHORIZATION;
SELECT is((SELECT owner_id FROM actions.action WHERE action_id = :under_role), :ann::bigint,
    '... and the action it creates is owned by the session user''s person');
-- Switching session_user within a transaction switches the person.
SET SESSION AUTHORIZATION id_bob;
SELECT is(actions.current_actor(), :bob::bigint, 'after SET SESSION AUTHORIZATION to another person''s role, that person acts');
RESET SESSION AUTHORIZATION;
SELECT is(actions.current_actor(), NULL, 'back in the superuser session (no person), nobody acts');

-- ---------------------------------------------------------------------------------------------
-- act_as: only a registered trusted service may act for someone else.
SET SESSION AUTHORIZATION id_rogue;
SELECT throws_ok(format('SELECT actions.act_as(%s)', :ann),
    '42501', 'permission denied to act for another person', 'an unregistered role cannot act_as');
SELECT is((pg_temp.error_of(format('SELECT actions.act_as(%s)', :ann)))[4],
    'an administrator registers the application''s login role with actions.trust_service(role_name)',
    '... and the hint says how a service is registered');
SELECT is(actions.current_actor(), NULL, '... and acts as no one afterwards');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION id_bob;
SELECT throws_ok(format('SELECT actions.act_as(%s)', :ann),
    '42501', 'permission denied to act for another person', 'a person cannot act_as another person');
SELECT is(actions.current_actor(), :bob::bigint, '... and stays themselves');
RESET SESSION AUTHORIZATION;

SELECT actions.trust_service('id_app', 'the intranet') \gset
SET SESSION AUTHORIZATION id_app;
SELECT is(actions.current_actor(), NULL, 'a trusted service is nobody until it calls act_as');
SELECT throws_ok(format('SELECT actions.create_action(%s, %L)', :ws, 'T'),
    '42501', 'no person is acting in this session', 'a trusted service cannot create actions as itself');
SELECT throws_ok('SELECT actions.act_as(NULL)', '22004', 'person_id must not be null', 'act_as(NULL) is refused');
SELECT throws_ok(format('SELECT actions.act_as(%s)', :missing),
    'P0002', format('person %s does not exist', :missing), 'act_as for an unknown person is refused');
SELECT lives_ok(format('SELECT actions.act_as(%s)', :ann), 'a trusted service may act_as a person');
SELECT is(actions.current_actor(), :ann::bigint, '... and then acts as that person');
SELECT actions.create_action(:ws, 'Filed through the intranet', assignee_id => :bob) AS via_app \gset
RESET SESSION AUTHORIZATION;
SELECT is((SELECT owner_id FROM actions.action WHERE action_id = :via_app), :ann::bigint,
    'the action created after act_as is owned by that person');
SELECT results_eq(format('SELECT event, actor_id, db_role = %L FROM actions.activity WHERE action_id = %s ORDER BY seq', 'id_app', :via_app),
    format($$ VALUES ('created'::text, %1$s::bigint, true), ('assigned', %1$s, true) $$, :ann),
    'the log names that person as actor and the service''s login role as db_role');

-- A member of the trusted role is trusted too.
SET SESSION AUTHORIZATION id_pool;
SELECT lives_ok(format('SELECT actions.act_as(%s)', :bob), 'a member of a trusted service role may act_as');
SELECT is(actions.current_actor(), :bob::bigint, '... and acts as that person');
RESET SESSION AUTHORIZATION;

-- ---------------------------------------------------------------------------------------------
-- Install script safety: search_path is pinned on every function.
SELECT cmp_ok((SELECT count(*) FROM pg_proc WHERE pronamespace = 'actions'::regnamespace), '>=', 20::bigint,
    'schema actions holds the extension''s functions');
-- can(), why_not() and the eligibility questions are the exception: they run as the caller and run no SQL at all (the C code
-- reads by object id and refuses to run a statement), so a search_path cannot redirect them.
-- may_see_record() too: an IMMUTABLE SQL expression over its arguments, every operator
-- schema-qualified, inlined into the policy record_visible (a SET clause would stop that); and
-- may_see_action(), inlined the same way into the policies on actions.action and the list's view;
-- action_document(), a SQL-standard body bound when created, inlined into the text search index
-- and into queries (a SET clause would have every write to an action call it as a SQL function).
-- sees_workspace(), sees_action() and sees_absence(): the policies' expressions over the session's
-- STABLE questions (SQL bodies parsed at creation, every operator schema-qualified), inlined the same way;
-- and remembered_ids(), remembered_flag(), remembered_id(), remembered_keys(), which run no SQL (they
-- call one of the session's questions through the function manager, once per statement);
-- the trigger functions restoring(), restore_guard(), restore_done(), action_service_write() and
-- note_service_write(), which run no SQL either (NoSqlHere) and fire on every write to the tables;
-- and the procedure run_notification_relay(), which commits (a procedure with a SET clause may
-- not) and so pins search_path itself in each of its transactions, every name in it qualified.
SELECT set_eq($$
    SELECT oid::regprocedure::text FROM pg_proc
     WHERE pronamespace = 'actions'::regnamespace
       AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (proconfig), false) $$,
    $$ VALUES ('actions.can(text,bigint)'), ('actions.why_not(text,bigint)'), ('actions.why_not(text,bigint,bigint)'),
              ('actions.eligible_approvers(bigint)'), ('actions.is_eligible_approver(bigint,bigint)'),
              ('actions.may_see_record(bigint,bigint,bigint[],boolean,bigint[],bigint[],bigint[])'),
              ('actions.may_see_action(bigint,bigint,bigint,bigint[],bigint,bigint,bigint,boolean,bigint[],bigint[],bigint[],bigint[],actions.member_key[],bigint[],bigint)'),
              ('actions.action_document(regconfig,text,text)'),
              ('actions.sees_workspace(bigint)'), ('actions.sees_absence(bigint,bigint,bigint)'),
              ('actions.sees_action(bigint,bigint,bigint,bigint[],bigint,bigint,bigint)'),
              ('actions.remembered_ids(regprocedure)'), ('actions.remembered_flag(regprocedure)'),
              ('actions.remembered_id(regprocedure)'), ('actions.remembered_keys(regprocedure)'),
              ('actions.restoring(regclass)'), ('actions.restore_guard()'), ('actions.restore_done()'),
              ('actions.action_service_write()'), ('actions.note_service_write()'),
              ('actions.run_notification_relay(interval,interval)') $$,
    'every function in schema actions pins search_path = pg_catalog, pg_temp, except the SQL-free questions');
SELECT is((SELECT bool_or(prosecdef) FROM pg_proc WHERE oid IN ('actions.can(text,bigint)'::regprocedure,
                                                                  'actions.why_not(text,bigint)'::regprocedure,
                                                                  'actions.why_not(text,bigint,bigint)'::regprocedure,
                                                                  'actions.eligible_approvers(bigint)'::regprocedure,
                                                                  'actions.is_eligible_approver(bigint,bigint)'::regprocedure)),
    false, 'can(), why_not() and the eligibility questions are not SECURITY DEFINER');
SELECT cmp_ok((SELECT count(*) FROM pg_proc WHERE pronamespace = 'actions'::regnamespace AND prosecdef), '>=', 14::bigint,
    'the API functions are SECURITY DEFINER');
SELECT is_empty($$
    SELECT oid::regprocedure::text FROM pg_proc
     WHERE pronamespace = 'actions'::regnamespace AND prosecdef
       AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (proconfig), false) $$,
    'every SECURITY DEFINER function in schema actions pins search_path');

-- Administration is not for PUBLIC: a fresh role can run the person-facing API and nothing else.
SELECT is(has_function_privilege('id_fresh', 'actions.create_workspace(text, text, text, bigint)', 'EXECUTE'), false,
    'PUBLIC cannot run create_workspace');
SELECT is(has_function_privilege('id_fresh', 'actions.create_person(text, text, name)', 'EXECUTE'), false,
    'PUBLIC cannot run create_person');
SELECT is(has_function_privilege('id_fresh', 'actions.add_member(bigint, bigint, text)', 'EXECUTE'), false,
    'PUBLIC cannot run add_member');
SELECT is(has_function_privilege('id_fresh', 'actions.trust_service(name, text, text)', 'EXECUTE'), false,
    'PUBLIC cannot run trust_service');
SELECT is(has_function_privilege('id_fresh', 'actions.mark_overdue()', 'EXECUTE'), false,
    'PUBLIC cannot run mark_overdue');
SELECT is(has_function_privilege('id_fresh', 'actions.verify_log(bigint)', 'EXECUTE'), false,
    'PUBLIC cannot run verify_log');
SELECT set_eq($$
    SELECT oid::regprocedure::text FROM pg_proc
     WHERE pronamespace = 'actions'::regnamespace AND has_function_privilege('id_fresh', oid, 'EXECUTE') $$,
    $$ SELECT f::regprocedure::text FROM unnest(ARRAY[
        'actions.act_as(bigint)', 'actions.current_actor()',
        'actions.create_action(bigint, text, text, bigint, timestamptz, date, text, text, bigint, bigint[])',
        'actions.assign(bigint, bigint)', 'actions.reassign(bigint, bigint)', 'actions.start(bigint)',
        'actions.complete(bigint, bytea, text, text)', 'actions.uncomplete(bigint)', 'actions.cancel(bigint, text)',
        'actions.update_action(bigint, text, text, timestamptz, date, text, boolean)', 'actions.delete_action(bigint)',
        'actions.create_record(bigint, text, text, bigint[])', 'actions.archive_record(bigint)',
        'actions.can(text, bigint)', 'actions.why_not(text, bigint)',
        'actions.assign_by_email(bigint, text, text)', 'actions.accept_invitation(text)',
        'actions.set_notification(bigint, text, boolean)', 'actions.opt_out(bigint, text, boolean)',
        'actions.add_note(bigint, text)', 'actions.edit_note(bigint, text)', 'actions.delete_note(bigint)',
        'actions.note_access(bigint)', 'actions.is_trusted_service()', 'actions.service_sees_all()', 'actions.visible_workspaces()',
        'actions.member_workspaces()', 'actions.create_role(bigint, text, text[])',
        'actions.update_role(bigint, text, text, text[])', 'actions.delete_role(bigint, text)', 'actions.set_member_role(bigint, bigint, text)',
        'actions.create_group(bigint, text, bigint)', 'actions.rename_group(bigint, text)',
        'actions.move_group(bigint, bigint)', 'actions.delete_group(bigint)',
        'actions.add_group_member(bigint, bigint)', 'actions.remove_group_member(bigint, bigint)',
        'actions.set_action_groups(bigint, bigint[])', 'actions.visible_groups()',
        'actions.create_record_kind(bigint, text)', 'actions.delete_record_kind(bigint, text)',
        'actions.add_party(bigint, text, bigint, bigint)', 'actions.remove_party(bigint, text, bigint, bigint)',
        'actions.update_record(bigint, text)', 'actions.submit_delegation(bigint)',
        'actions.request_delegation(bigint, text, text)', 'actions.publish_document(bigint)',
        'actions.set_review_schedule(bigint, interval)', 'actions.record_outcome(bigint, text, text)',
        'actions.set_workflow(bigint, text, boolean, integer, text)', 'actions.eligible_approvers(bigint)',
        'actions.is_eligible_approver(bigint, bigint)', 'actions.why_not(text, bigint, bigint)',
        'actions.tracked_record(regclass, text)', 'actions.party_records()', 'actions.candidate_actions()',
        'actions.track_table(regclass, bigint, text, name, name, text, bigint)',
        'actions.track_table_install(regclass, bigint, text, name, name, text, bigint)',
        'actions.track_row(regclass, text, text, text, text, boolean)', 'actions.untrack_table(regclass)',
        'actions.bulk_reassign(bigint[], bigint)', 'actions.bulk_set_status(bigint[], text, text)',
        'actions.bulk_update(bigint[], timestamptz, interval, text, bigint[], boolean)',
        'actions.bulk_duplicate(bigint[], bigint, interval)', 'actions.bulk_delete(bigint[])',
        'actions.list_actions(bigint, text[], bigint[], boolean, boolean, bigint[], timestamptz, timestamptz, boolean, bigint, text[], text[], bigint, boolean, text[], text, text, text, text, integer, text)',
        'actions.list_vocabulary(text)', 'actions.action_document(regconfig, text, text)',
        'actions.list_notifications(bigint, boolean, integer, bigint)', 'actions.mark_notifications_read(bigint[], boolean)',
        'actions.unread_count(bigint)',
        'actions.create_action_type(bigint, text, text)', 'actions.rename_action_type(bigint, text, text)',
        'actions.retire_action_type(bigint, text)', 'actions.reinstate_action_type(bigint, text)',
        'actions.create_template(bigint, text, text, text, text, integer, text, text, bigint[], text, bigint, text)',
        'actions.update_template(bigint, text, text, text, text, integer, text, text, bigint[], text, bigint, text, boolean)',
        'actions.retire_template(bigint)',
        'actions.create_action_from_template(bigint, bigint, text, text, bigint, timestamptz, date, text, bigint[])',
        'actions.declare_absence(bigint, timestamptz, timestamptz, bigint, bigint, text)', 'actions.end_absence(bigint)',
        'actions.set_absence_routing(bigint, text)', 'actions.substituted_members()',
        'actions.create_escalation_rule(bigint, integer, text, text, bigint, bigint)', 'actions.delete_escalation_rule(bigint)',
        'actions.offer(bigint, bigint[], bigint[], text[])', 'actions.claim(bigint)', 'actions.release(bigint)',
        'actions.delegate(bigint, bigint)', 'actions.resolve(bigint)',
        'actions.set_template_pool(bigint, bigint[], bigint[], text[])',
        -- business calendars
        'actions.create_calendar(bigint, text, text, integer[], text, boolean)', 'actions.alter_calendar(bigint, text, text)',
        'actions.set_working_hours(bigint, text, integer[])', 'actions.set_working_days(bigint, integer[], text)',
        'actions.add_holiday(bigint, text, date, date)', 'actions.remove_holiday(bigint)',
        'actions.use_calendar(bigint, bigint, text)', 'actions.delete_calendar(bigint)',
        'actions.add_working_time(timestamptz, interval, bigint, bigint)',
        'actions.working_time_between(timestamptz, timestamptz, bigint, bigint)',
        'actions.is_working_day(date, bigint, bigint)',
        'actions.create_schedule(bigint, bigint, text, timestamp, bigint, text)', 'actions.pause_schedule(bigint)',
        'actions.resume_schedule(bigint)', 'actions.delete_schedule(bigint)', 'actions.next_occurrences(bigint, integer)',
        -- service levels
        'actions.service_level_vocabulary(text)', 'actions.action_status_times(bigint)',
        'actions.service_levels(bigint, timestamptz, timestamptz, text, text)', 'actions.due_risk(bigint, interval, text)',
        -- procedures
        'actions.create_procedure(bigint, text, text)',
        'actions.add_procedure_step(bigint, text, interval, interval, text, text, text, bigint, text, bigint[], bigint[], text[])',
        'actions.set_procedure_options(bigint, boolean, boolean, boolean)',
        'actions.start_procedure(bigint, bigint, timestamptz)', 'actions.complete_step(bigint, boolean, bytea, text, text)',
        'actions.set_step_start(bigint, timestamptz)', 'actions.cancel_procedure(bigint, text)',
        -- who may see a record (the policy record_visible runs it as the reader)
        'actions.may_see_record(bigint, bigint, bigint[], boolean, bigint[], bigint[], bigint[])',
        -- who may see an action (the policies on actions.action and actions.service_level run it as the reader)
        'actions.may_see_action(bigint, bigint, bigint, bigint[], bigint, bigint, bigint, boolean, bigint[], bigint[], bigint[], bigint[], actions.member_key[], bigint[], bigint)',
        -- what the row-level security policies ask, as the reader (src/sql/66_distribution_keys.sql)
        'actions.substituted_member_keys()', 'actions.sees_workspace(bigint)',
        'actions.sees_action(bigint, bigint, bigint, bigint[], bigint, bigint, bigint)',
        'actions.sees_absence(bigint, bigint, bigint)', 'actions.sees_action_of(bigint, bigint)',
        'actions.sees_calendar_in_use(bigint)', 'actions.sees_calendar(bigint)',
        'actions.remembered_ids(regprocedure)', 'actions.remembered_flag(regprocedure)',
        'actions.remembered_id(regprocedure)', 'actions.remembered_keys(regprocedure)',
        -- how a call taking an entity's id reaches its node on Citus (src/sql/68_routing.sql)
        'actions.forward(bigint, regprocedure, text[])', 'actions.workspace_of_ids(bigint, text, bigint[])']) AS f $$,
    'PUBLIC can execute exactly the person-facing API');

-- PUBLIC may only SELECT, and only from the tables that row-level security guards and from the
-- list's security_barrier view (whose predicate is the policy's: test/pgtap/list.sql); nothing
-- else in schema actions (no other table, no sequence, no column) grants anything to PUBLIC.
SELECT is((SELECT string_agg(format('%s %s rls=%s', c.relname, a.privilege_type, c.relrowsecurity), ', '
                             ORDER BY c.relname::text COLLATE "C")
             FROM pg_class c, aclexplode(c.relacl) a
            WHERE c.relnamespace = 'actions'::regnamespace AND a.grantee = 0),
    'absence SELECT rls=t, action SELECT rls=t, action_list SELECT rls=f, action_offer SELECT rls=t, action_type SELECT rls=t, activity SELECT rls=t, calendar SELECT rls=t, calendar_holiday SELECT rls=t, calendar_hours SELECT rls=t, escalation_fired SELECT rls=t, escalation_rule SELECT rls=t, evidence SELECT rls=t, group SELECT rls=t, group_member SELECT rls=t, member SELECT rls=t, member_person SELECT rls=f, note SELECT rls=t, notification SELECT rls=t, procedure SELECT rls=t, procedure_action SELECT rls=t, procedure_run SELECT rls=t, procedure_setting SELECT rls=t, procedure_step SELECT rls=t, record SELECT rls=t, record_kind SELECT rls=t, role SELECT rls=t, schedule SELECT rls=t, schedule_occurrence SELECT rls=t, service_level SELECT rls=t, template SELECT rls=t, template_version SELECT rls=t, workspace SELECT rls=t, workspace_calendar SELECT rls=t',
    'PUBLIC may only SELECT from the tables row-level security guards, the view actions.member_person and the list''s view');
SELECT is((SELECT reloptions FROM pg_class WHERE oid = 'actions.action_list'::regclass), '{security_barrier=true}',
    'the list''s view is a security barrier');
SELECT is_empty($$
    SELECT c.oid::regclass::text || '.' || att.attname FROM pg_class c JOIN pg_attribute att ON att.attrelid = c.oid,
           aclexplode(att.attacl) a
     WHERE c.relnamespace = 'actions'::regnamespace AND a.grantee = 0 $$,
    'no column in schema actions grants anything to PUBLIC');
SELECT is_empty($$
    SELECT oid::regclass::text FROM pg_class
     WHERE relnamespace = 'actions'::regnamespace AND relkind IN ('r', 'p', 'v', 'm', 'f')
       AND (has_table_privilege('id_fresh', oid, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
            OR (has_table_privilege('id_fresh', oid, 'SELECT') AND NOT relrowsecurity
                AND oid NOT IN ('actions.member_person'::regclass, 'actions.action_list'::regclass))) $$,
    'a fresh role can write no table of schema actions, and read only through row-level security');

-- Everything is documented.
SELECT is_empty($$
    SELECT oid::regclass::text FROM pg_class
     WHERE relnamespace = 'actions'::regnamespace AND relkind IN ('r', 'p', 'v', 'm', 'f')
       AND obj_description(oid, 'pg_class') IS NULL $$,
    'every table and view in schema actions has a COMMENT');
SELECT is_empty($$
    SELECT c.oid::regclass::text || '.' || a.attname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
     WHERE c.relnamespace = 'actions'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
       AND a.attnum > 0 AND NOT a.attisdropped AND col_description(c.oid, a.attnum) IS NULL $$,
    'every column in schema actions has a COMMENT');
SELECT is_empty($$
    SELECT oid::regprocedure::text FROM pg_proc
     WHERE pronamespace = 'actions'::regnamespace AND obj_description(oid, 'pg_proc') IS NULL $$,
    'every function in schema actions has a COMMENT');

-- ---------------------------------------------------------------------------------------------
-- A person cannot change what the API decides by shadowing the names our SQL uses: neither with
-- temp tables (pg_temp.member, .role, .action, ...) granting themselves ownership, nor with
-- functions and operators in schema public (lower, now, nextval, cardinality, array_position,
-- pg_has_role, =, &&, @>) that answer whatever suits them, nor with a search_path that puts
-- those first. Eve is an actions_access member of the Identity workspace (she sees only what is
-- assigned to her) and no member of Private; each probe runs before and after the attack.
CREATE ROLE id_eve LOGIN;
SELECT actions.create_person('id.eve@example.org', 'Eve', 'id_eve') AS eve \gset
SELECT actions.add_member(:ws, :eve, 'actions_access') \g /dev/null
SELECT actions.create_workspace('Private', 'UTC', NULL, :ann) AS ws_private \gset
SELECT role_id AS owner_role FROM actions.role WHERE workspace_id = :ws AND name = 'owner' \gset
SET SESSION AUTHORIZATION id_ann;
SELECT actions.create_action(:ws, 'Hidden from Eve') AS hidden \gset
SELECT actions.create_action(:ws, 'For Eve', assignee_id => :eve) AS for_eve \gset
SELECT actions.create_group(:ws, 'Insiders') AS insiders \gset
SELECT actions.set_action_groups(:hidden, ARRAY[:insiders]::bigint[]) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT (SELECT count(*) FROM actions.action) AS actions_before,
       (SELECT count(*) FROM actions.activity) AS activity_before,
       (SELECT count(*) FROM actions.group) AS groups_before,
       (SELECT count(*) FROM actions.group_member) AS group_members_before
\gset

CREATE TEMP TABLE probe (phase text, what text, outcome text, PRIMARY KEY (phase, what));
GRANT ALL ON probe TO PUBLIC;
-- Everything Eve asks the API, with the outcome (the SQLSTATE and message of a refusal).
CREATE FUNCTION pg_temp.probe_all(phase text, ws bigint, ws_private bigint, hidden bigint, for_eve bigint,
                                  ann bigint, insiders bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    calls text[] := ARRAY[
        'create elsewhere',  format('SELECT actions.create_action(%s, %L)', ws_private, 'planted'),
        'create here',       format('SELECT actions.create_action(%s, %L)', ws, 'planted'),
        'complete hidden',   format('SELECT actions.complete(%s)', hidden),
        'cancel hidden',     format('SELECT actions.cancel(%s, %L)', hidden, 'mine now'),
        'note on hidden',    format('SELECT actions.add_note(%s, %L)', hidden, 'planted'),
        'regroup hidden',    format('SELECT actions.set_action_groups(%s, %L)', hidden, '{}'),
        'reassign own',      format('SELECT actions.reassign(%s, %s)', for_eve, ann),
        'create group',      format('SELECT actions.create_group(%s, %L)', ws, 'Eve''s'),
        'join group',        format('SELECT actions.add_group_member(%s, %s)', insiders, current_setting('probe.eve')),
        'act as Ann',        format('SELECT actions.act_as(%s)', ann),
        'create role',       format('SELECT actions.create_role(%s, %L, %L)', ws, 'eve', '{manage_workspace}')];
BEGIN
    FOR i IN 1 .. array_length(calls, 1) / 2 LOOP
        INSERT INTO probe VALUES (phase, calls[2 * i - 1],
            coalesce(array_to_string((pg_temp.error_of(calls[2 * i]))[1:2], ': '), 'succeeded'));
    END LOOP;
    INSERT INTO probe VALUES
        (phase, 'actor', actions.current_actor()::text),
        (phase, 'can view hidden', actions.can('view', hidden)::text),
        (phase, 'can complete hidden', actions.can('complete', hidden)::text),
        (phase, 'why not view hidden', actions.why_not('view', hidden)),
        (phase, 'can view own', actions.can('view', for_eve)::text),
        (phase, 'can reassign own', actions.can('reassign', for_eve)::text),
        (phase, 'is trusted', actions.is_trusted_service()::text),
        (phase, 'visible workspaces', actions.visible_workspaces()::text),
        (phase, 'visible groups', actions.visible_groups()::text),
        (phase, 'rows seen', (SELECT count(*) FROM actions.action)::text),
        (phase, 'log rows seen', (SELECT count(*) FROM actions.activity)::text);
END
$$;
SELECT set_config('probe.eve', :'eve', false) \g /dev/null

SET SESSION AUTHORIZATION id_eve;
SELECT pg_temp.probe_all('before', :ws, :ws_private, :hidden, :for_eve, :ann, :insiders);
RESET SESSION AUTHORIZATION;

-- The attack. PostgreSQL 15 no longer lets everyone CREATE in public; this person may.
GRANT CREATE ON SCHEMA public TO id_eve;
SET SESSION AUTHORIZATION id_eve;
-- (a) temp tables named like ours, saying Eve owns everything, is Ann, and is a trusted service
CREATE TEMP TABLE member (workspace_id bigint, person_id bigint, role_id bigint, state text, joined_at timestamptz);
INSERT INTO member VALUES (:ws, :eve, :owner_role, 'active', now()), (:ws_private, :eve, :owner_role, 'active', now());
CREATE TEMP TABLE role (workspace_id bigint, role_id bigint, name text, is_system boolean, billable boolean, permissions text[]);
INSERT INTO role VALUES (:ws, :owner_role, 'owner', true, true,
    '{view_actions,create_actions,assign_actions,edit_actions,delete_actions,reassign_actions,complete_any_actions,administer_actions,manage_workspace}'),
    (:ws_private, :owner_role, 'owner', true, true, '{view_actions,create_actions,manage_workspace}');
CREATE TEMP TABLE action (workspace_id bigint, action_id bigint, title text, status text, owner_id bigint,
                          assignee_id bigint, completed_by bigint, group_ids bigint[]);
INSERT INTO action VALUES (:ws, :hidden, 'Hidden from Eve', 'to_do', :eve, :eve, NULL, '{}');
CREATE TEMP TABLE person (person_id bigint, email text, display_name text, login_role name);
INSERT INTO person VALUES (:ann, 'id.eve@example.org', 'Eve as Ann', 'id_eve');
CREATE TEMP TABLE trusted_service (role_name name, note text);
INSERT INTO trusted_service VALUES ('id_eve', 'trust me');
CREATE TEMP TABLE "group" (workspace_id bigint, group_id bigint, name text, parent_id bigint, path bigint[]);
INSERT INTO "group" VALUES (:ws, :insiders, 'Insiders', NULL, ARRAY[:insiders]::bigint[]);
CREATE TEMP TABLE group_member (workspace_id bigint, person_id bigint, group_id bigint);
INSERT INTO group_member VALUES (:ws, :eve, :insiders);
-- (b) functions and operators in public: the same signatures as pg_catalog's, and exact-type
-- overloads that would beat pg_catalog's polymorphic ones
CREATE FUNCTION public.lower(text) RETURNS text LANGUAGE sql AS $$ SELECT 'id.ann@example.org' $$;
CREATE FUNCTION public.now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT '2000-01-01 00:00 UTC'::timestamptz $$;
CREATE FUNCTION public.nextval(regclass) RETURNS bigint LANGUAGE sql AS $$ SELECT 1::bigint $$;
CREATE FUNCTION public.cardinality(anyarray) RETURNS integer LANGUAGE sql AS $$ SELECT 0 $$;
CREATE FUNCTION public.cardinality(bigint[]) RETURNS integer LANGUAGE sql AS $$ SELECT 0 $$;
CREATE FUNCTION public.array_position(anyarray, anyelement) RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;
CREATE FUNCTION public.array_position(bigint[], bigint) RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;
CREATE FUNCTION public.pg_has_role(oid, oid, text) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;
CREATE FUNCTION public.always(bigint, bigint) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;
CREATE FUNCTION public.always(name, name) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;
CREATE FUNCTION public.always(bigint[], bigint[]) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;
CREATE OPERATOR public.= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = public.always);
CREATE OPERATOR public.= (LEFTARG = name, RIGHTARG = name, FUNCTION = public.always);
CREATE OPERATOR public.&& (LEFTARG = bigint[], RIGHTARG = bigint[], FUNCTION = public.always);
CREATE OPERATOR public.@> (LEFTARG = bigint[], RIGHTARG = bigint[], FUNCTION = public.always);
-- ... and a search_path that finds all of that first
SET search_path = pg_temp, public, pg_catalog;
-- (the shadows are live in Eve's own queries)
INSERT INTO probe VALUES ('attack', 'bigint = is always true', (1::bigint = 2::bigint)::text),
    ('attack', 'lower() says Ann''s e-mail', lower('X')),
    ('attack', 'member is her table', (SELECT count(*) FROM member WHERE person_id = :eve)::text);
SELECT pg_temp.probe_all('after', :ws, :ws_private, :hidden, :for_eve, :ann, :insiders);
RESET search_path;
RESET SESSION AUTHORIZATION;

SELECT results_eq($$ SELECT outcome FROM pg_temp.probe WHERE phase = 'attack' ORDER BY what $$,
    $$ VALUES ('true'::text), ('id.ann@example.org'), ('2') $$,
    'precondition: in Eve''s session the shadowing table, function and operator are in effect');
SELECT is((SELECT count(*) FROM pg_temp.probe WHERE phase = 'after'), 22::bigint, 'the attack ran every probe');
SELECT is_empty($$
    SELECT b.what, b.outcome, a.outcome FROM pg_temp.probe b JOIN pg_temp.probe a USING (what)
     WHERE b.phase = 'before' AND a.phase = 'after' AND a.outcome IS DISTINCT FROM b.outcome $$,
    'shadowing tables, functions, operators and search_path changes no answer of the API');
SELECT results_eq($$ SELECT what, outcome FROM pg_temp.probe WHERE phase = 'after'
                      AND what IN ('create elsewhere', 'complete hidden', 'act as Ann', 'create group', 'can view hidden', 'actor')
                    ORDER BY what $$,
    format($$ VALUES ('act as Ann'::text, '42501: permission denied to act for another person'::text),
                     ('actor', %1$s::text),
                     ('can view hidden', 'false'),
                     ('complete hidden', 'P0002: action %2$s not found'),
                     ('create elsewhere', 'P0002: workspace %3$s not found'),
                     ('create group', '42501: permission denied to manage workspace') $$, :eve, :hidden, :ws_private),
    '... and after it Eve is still Eve, refused with the same SQLSTATEs, and does not see the hidden action');
SELECT results_eq(format($$ SELECT (SELECT count(*) FROM actions.action), (SELECT count(*) FROM actions.activity),
                                  (SELECT count(*) FROM actions.group), (SELECT count(*) FROM actions.group_member),
                                  (SELECT status || ' ' || group_ids::text FROM actions.action WHERE action_id = %s) $$, :hidden),
    format($$ VALUES (%s::bigint, %s::bigint, %s::bigint, %s::bigint, 'to_do {%s}'::text) $$,
           :actions_before, :activity_before, :groups_before, :group_members_before, :insiders),
    'nothing was written: no action, log entry, group or membership, and the hidden action is as it was');

SELECT * FROM finish();
ROLLBACK;
