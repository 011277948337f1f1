-- Identity and visibility for applications (docs/applications.md, "Identity"):
--   * a trusted service acting for a person (act_as) reads exactly that person's rows, in every
--     table and view a person reads; acting for nobody, what it was registered to see (nothing by
--     default, everything with sees => 'all');
--   * a request of a registered authenticator (PostgREST: session_user is the authenticator, a
--     role is set, request.jwt.claims is set) is the person its role, e-mail or sub names; the same
--     settings in any other session impersonate nobody; a request cannot act_as or write as a
--     service;
--   * untrust_service ends a registration;
--   * members read the people, memberships, roles, record kinds and records of their workspaces
--     (e-mail addresses only where the workspace shows them), and nothing of other workspaces.
BEGIN;
SELECT plan(62);

CREATE ROLE ia_owner LOGIN;
CREATE ROLE ia_user LOGIN;
CREATE ROLE ia_access LOGIN;
CREATE ROLE ia_scoped LOGIN;
CREATE ROLE ia_outsider LOGIN;
CREATE ROLE ia_svc LOGIN;       -- an application, registered with the default (sees nothing)
CREATE ROLE ia_office LOGIN;    -- a back office, registered with sees => 'all'
CREATE ROLE ia_auth LOGIN NOINHERIT;       -- PostgREST's authenticator, claim => 'role'
CREATE ROLE ia_auth_mail LOGIN NOINHERIT;  -- Supabase-like, claim => 'email'
CREATE ROLE ia_auth_sub LOGIN NOINHERIT;   -- claim => 'sub'
CREATE ROLE ia_rogue LOGIN NOINHERIT;      -- nobody registered it, yet it may switch to the same roles
CREATE ROLE ia_auth_member LOGIN IN ROLE ia_auth;  -- a member of the authenticator's role
CREATE ROLE ia_anon NOLOGIN;               -- PostgREST's anonymous role
CREATE ROLE ia_authenticated NOLOGIN;      -- Supabase's role of every signed-in user
GRANT ia_anon, ia_user, ia_access, ia_owner TO ia_auth;
GRANT ia_anon, ia_authenticated TO ia_auth_mail, ia_auth_sub;
GRANT ia_anon, ia_user, ia_authenticated TO ia_rogue, ia_svc;
GRANT ia_user TO ia_owner;

SELECT actions.create_person('ia-owner@example.com', 'Olive Owner', 'ia_owner') AS owner,
       actions.create_person('IA-User@example.com', 'Uma User', 'ia_user') AS usr,
       actions.create_person('ia-access@example.com', 'Axel Access', 'ia_access') AS access,
       actions.create_person('ia-scoped@example.com', 'Sam Scoped', 'ia_scoped') AS scoped,
       actions.create_person('ia-outsider@example.com', 'Otto Outsider', 'ia_outsider') AS outsider
\gset
SELECT actions.create_workspace('Apps Co', owner_id => :owner) AS ws,
       actions.create_workspace('Elsewhere', owner_id => :outsider) AS other_ws
\gset
SELECT actions.add_member(:ws, :usr, 'user') \g /dev/null
SELECT actions.add_member(:ws, :access, 'actions_access') \g /dev/null
SELECT actions.trust_service('ia_svc', 'the intranet') \g /dev/null
SELECT actions.trust_service('ia_office', 'the back office', sees => 'all') \g /dev/null
SELECT actions.trust_authenticator('ia_auth') \g /dev/null
SELECT actions.trust_authenticator('ia_auth_mail', claim => 'email', note => 'Supabase') \g /dev/null
SELECT actions.trust_authenticator('ia_auth_sub', claim => 'sub') \g /dev/null
SELECT actions.set_external_id(:usr, 'b5f7c1e2-user') \g /dev/null

-- The data: actions, a note, evidence, notifications, groups, records with parties, in both workspaces.
SET SESSION AUTHORIZATION ia_owner;
SELECT actions.create_role(:ws, 'scoped viewer', '{view_actions:groups}') \g /dev/null
SELECT actions.create_group(:ws, 'Finance') AS finance \gset
SELECT actions.create_group(:ws, 'Payroll', :finance) AS payroll \gset
SELECT actions.create_record(:ws, 'Board decision', 'decision') AS decision \gset
SELECT actions.create_record(:ws, 'Finance handbook', 'document', ARRAY[:payroll]::bigint[]) AS handbook \gset
SELECT actions.create_record(:ws, 'Contractor brief', 'generic') AS brief \gset
SELECT actions.add_party(:brief, 'responsible', :access) \g /dev/null
SELECT actions.create_action(:ws, 'For the contractor', assignee_id => :access) AS a_access \gset
SELECT actions.create_action(:ws, 'For the user', assignee_id => :usr, record_id => :decision) AS a_user \gset
SELECT actions.create_action(:ws, 'Payroll run', group_ids => ARRAY[:payroll]::bigint[]) AS a_payroll \gset
SELECT actions.create_action(:ws, 'From the brief', record_id => :brief) AS a_brief \gset
SELECT actions.add_note(:a_user, 'internal remark') \g /dev/null
SELECT actions.complete(:a_access, evidence => '\x01'::bytea, evidence_name => 'proof.bin') \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT actions.add_member(:ws, :scoped, 'scoped viewer') \g /dev/null
SET SESSION AUTHORIZATION ia_owner;
SELECT actions.add_group_member(:finance, :scoped) \g /dev/null
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ia_outsider;
SELECT actions.create_action(:other_ws, 'Someone else''s business', assignee_id => :outsider) AS a_foreign \gset
SELECT actions.create_record(:other_ws, 'Foreign record') AS foreign_record \gset
RESET SESSION AUTHORIZATION;

-- Every table and view a person reads, by key, limited to this test's two workspaces.
CREATE FUNCTION pg_temp.snap(w1 bigint, w2 bigint) RETURNS text LANGUAGE sql AS $$
    SELECT concat_ws(' | ',
        'action ' || coalesce((SELECT string_agg(action_id::text, ',' ORDER BY action_id) FROM actions.action WHERE workspace_id IN (w1, w2)), ''),
        'activity ' || coalesce((SELECT string_agg(action_id || '.' || seq, ',' ORDER BY action_id, seq) FROM actions.activity WHERE workspace_id IN (w1, w2)), ''),
        'evidence ' || coalesce((SELECT string_agg(evidence_id::text, ',' ORDER BY evidence_id) FROM actions.evidence WHERE workspace_id IN (w1, w2)), ''),
        'note ' || coalesce((SELECT string_agg(note_id::text, ',' ORDER BY note_id) FROM actions.note WHERE workspace_id IN (w1, w2)), ''),
        'notification ' || coalesce((SELECT string_agg(notification_id::text, ',' ORDER BY notification_id) FROM actions.notification WHERE workspace_id IN (w1, w2)), ''),
        'group ' || coalesce((SELECT string_agg(group_id::text, ',' ORDER BY group_id) FROM actions.group WHERE workspace_id IN (w1, w2)), ''),
        'group_member ' || coalesce((SELECT string_agg(group_id || '.' || person_id, ',' ORDER BY group_id, person_id) FROM actions.group_member WHERE workspace_id IN (w1, w2)), ''),
        'workspace ' || coalesce((SELECT string_agg(workspace_id::text, ',' ORDER BY workspace_id) FROM actions.workspace WHERE workspace_id IN (w1, w2)), ''),
        'member ' || coalesce((SELECT string_agg(workspace_id || '.' || person_id, ',' ORDER BY workspace_id, person_id) FROM actions.member WHERE workspace_id IN (w1, w2)), ''),
        'role ' || coalesce((SELECT count(*)::text FROM actions.role WHERE workspace_id IN (w1, w2)), ''),
        'record_kind ' || coalesce((SELECT count(*)::text FROM actions.record_kind WHERE workspace_id IN (w1, w2)), ''),
        'record ' || coalesce((SELECT string_agg(record_id::text, ',' ORDER BY record_id) FROM actions.record WHERE workspace_id IN (w1, w2)), ''),
        'member_person ' || coalesce((SELECT string_agg(workspace_id || '.' || person_id || '.' || coalesce(email, '-'), ',' ORDER BY workspace_id, person_id)
                                        FROM actions.member_person WHERE workspace_id IN (w1, w2)), ''))
$$;
-- The same with every row empty: what a session that is nobody reads.
CREATE FUNCTION pg_temp.nothing() RETURNS text LANGUAGE sql AS $$
    SELECT 'action  | activity  | evidence  | note  | notification  | group  | group_member  | workspace  | member  | role 0 | record_kind 0 | record  | member_person ' $$;

-- What each person reads through their own login.
SET SESSION AUTHORIZATION ia_owner;   SELECT pg_temp.snap(:ws, :other_ws) AS snap_owner \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ia_user;    SELECT pg_temp.snap(:ws, :other_ws) AS snap_user \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ia_access;  SELECT pg_temp.snap(:ws, :other_ws) AS snap_access \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ia_scoped;  SELECT pg_temp.snap(:ws, :other_ws) AS snap_scoped \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ia_outsider; SELECT pg_temp.snap(:ws, :other_ws) AS snap_outsider \gset
RESET SESSION AUTHORIZATION;
SELECT pg_temp.snap(:ws, :other_ws) AS snap_all \gset

-- =============================================================================================
-- 1. What each member reads: the rows they should, nothing of other workspaces.
SELECT is(:'snap_owner', format('action %s,%s,%s,%s | activity %s | evidence %s | note %s | notification %s | group %s,%s | group_member %s.%s | workspace %s | member %s | role 6 | record_kind 5 | record %s,%s,%s | member_person %s',
        :a_access, :a_user, :a_payroll, :a_brief,
        (SELECT string_agg(action_id || '.' || seq, ',' ORDER BY action_id, seq) FROM actions.activity WHERE workspace_id = :ws),
        (SELECT string_agg(evidence_id::text, ',') FROM actions.evidence WHERE workspace_id = :ws),
        (SELECT string_agg(note_id::text, ',') FROM actions.note WHERE workspace_id = :ws),
        coalesce((SELECT string_agg(notification_id::text, ',' ORDER BY notification_id) FROM actions.notification WHERE person_id = :owner), ''),
        :finance, :payroll, :finance, :scoped, :ws,
        (SELECT string_agg(workspace_id || '.' || person_id, ',' ORDER BY person_id) FROM actions.member WHERE workspace_id = :ws),
        :decision, :handbook, :brief,
        (SELECT string_agg(:ws || '.' || person_id || '.-', ',' ORDER BY person_id) FROM actions.member WHERE workspace_id = :ws)),
    'the owner reads every row of the workspace in every table, people without e-mails, and nothing of the other workspace');
SELECT is(substring(:'snap_access' from '^action [^|]*'), format('action %s,%s ', :a_access, :a_brief),
    'actions_access reads the action assigned to it and the one of the record it is a party of');
SELECT is(substring(:'snap_access' from 'record [0-9,]*'), format('record %s', :brief),
    '... and only the record it takes part in');
SELECT is(substring(:'snap_access' from 'member_person [^|]*$'), substring(:'snap_owner' from 'member_person [^|]*$'),
    '... but the same people of the workspace as the owner');
SELECT is(substring(:'snap_scoped' from '^action [^|]*'), format('action %s ', :a_payroll),
    'a group-scoped viewer reads the actions of the groups below its own');
SELECT is(substring(:'snap_scoped' from 'record [0-9,]*'), format('record %s', :handbook),
    '... and the records of those groups');
SELECT is(:'snap_outsider', format('action %s | activity %s | evidence  | note  | notification %s | group  | group_member  | workspace %s | member %s.%s | role 5 | record_kind 5 | record %s | member_person %s.%s.-',
        :a_foreign, (SELECT string_agg(action_id || '.' || seq, ',' ORDER BY seq) FROM actions.activity WHERE workspace_id = :other_ws),
        coalesce((SELECT string_agg(notification_id::text, ',' ORDER BY notification_id) FROM actions.notification WHERE person_id = :outsider), ''),
        :other_ws, :other_ws, :outsider, :foreign_record, :other_ws, :outsider),
    'a member of another workspace reads only that workspace');
SELECT is(substring(:'snap_user' from 'notification [0-9,]*'),
    'notification ' || coalesce((SELECT string_agg(notification_id::text, ',' ORDER BY notification_id) FROM actions.notification WHERE person_id = :usr), ''),
    'a person reads their own notifications only');

-- The RLS of records agrees with what the API lets each person do with them.
SET SESSION AUTHORIZATION ia_access;
SELECT throws_ok(format('SELECT actions.update_record(%s, %L)', :decision, 'x'), 'P0002', NULL,
    'the API hides the record actions_access does not read');
RESET SESSION AUTHORIZATION;

-- E-mail addresses: only where the workspace shows them.
SET SESSION AUTHORIZATION ia_user;
SELECT is((SELECT count(email) FROM actions.member_person), 0::bigint, 'e-mails are hidden by default');
SELECT is((SELECT string_agg(display_name, ', ' ORDER BY display_name) FROM actions.member_person),
    'Axel Access, Olive Owner, Sam Scoped, Uma User', 'display names are shown');
SELECT throws_ok('SELECT email FROM actions.person', '42501', NULL, 'the person table itself stays closed');
RESET SESSION AUTHORIZATION;
SELECT actions.set_show_emails(:ws, true) \g /dev/null
SET SESSION AUTHORIZATION ia_user;
SELECT is((SELECT string_agg(email, ', ' ORDER BY email) FROM actions.member_person),
    'IA-User@example.com, ia-access@example.com, ia-owner@example.com, ia-scoped@example.com',
    'with show_emails the workspace''s members read each other''s e-mails');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ia_outsider;
SELECT is((SELECT string_agg(coalesce(email, '-'), ', ') FROM actions.member_person), '-',
    '... and another workspace still does not');
RESET SESSION AUTHORIZATION;
SELECT actions.set_show_emails(:ws, false) \g /dev/null
SELECT throws_ok('SELECT actions.set_show_emails(987654321, true)', 'P0002', 'workspace 987654321 not found',
    'set_show_emails of an unknown workspace is refused');

-- =============================================================================================
-- 2. A trusted service acting for a person reads exactly that person's rows, table by table.
SET SESSION AUTHORIZATION ia_svc;
SAVEPOINT acting;
SELECT actions.act_as(:owner) \g /dev/null
SELECT is(pg_temp.snap(:ws, :other_ws), :'snap_owner', 'service acting for the owner: exactly the owner''s rows');
ROLLBACK TO SAVEPOINT acting;
SELECT actions.act_as(:access) \g /dev/null
SELECT is(pg_temp.snap(:ws, :other_ws), :'snap_access', 'service acting for the actions_access member: exactly its rows');
ROLLBACK TO SAVEPOINT acting;
SELECT actions.act_as(:scoped) \g /dev/null
SELECT is(pg_temp.snap(:ws, :other_ws), :'snap_scoped', 'service acting for the scoped viewer: exactly its rows');
ROLLBACK TO SAVEPOINT acting;
SELECT actions.act_as(:outsider) \g /dev/null
SELECT is(pg_temp.snap(:ws, :other_ws), :'snap_outsider', 'service acting for the outsider: exactly the outsider''s rows');
ROLLBACK TO SAVEPOINT acting;
SELECT is(pg_temp.snap(:ws, :other_ws), pg_temp.nothing(), 'the default service acting for nobody reads nothing');
SELECT is(actions.service_sees_all(), false, '... service_sees_all() says so');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ia_office;
SAVEPOINT acting;
SELECT is(pg_temp.snap(:ws, :other_ws), :'snap_all', 'a service registered with sees => all reads every row while acting for nobody');
SELECT actions.act_as(:access) \g /dev/null
SELECT is(pg_temp.snap(:ws, :other_ws), :'snap_access', '... and exactly the person''s rows while acting for one');
ROLLBACK TO SAVEPOINT acting;
RESET SESSION AUTHORIZATION;

-- Direct writes reach only the rows the service sees.
GRANT SELECT, UPDATE, DELETE ON actions.action TO ia_svc;
SAVEPOINT writes;
SET SESSION AUTHORIZATION ia_svc;
UPDATE actions.action SET priority = 'high';
SELECT actions.act_as(:access) \g /dev/null
SELECT throws_ok('UPDATE actions.action SET priority = ''low''', '42501', NULL,
    'acting for a person, an UPDATE of a row the person sees but may not edit is refused, as update_action refuses it');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT string_agg(action_id || ':' || priority, ',' ORDER BY action_id) FROM actions.action WHERE workspace_id = :ws),
    format('%s:none,%s:none,%s:none,%s:none', :a_access, :a_user, :a_payroll, :a_brief),
    'a service''s UPDATE without WHERE changes nothing while acting for nobody, nor while acting for a person who may not edit');
ROLLBACK TO SAVEPOINT writes;
REVOKE SELECT, UPDATE, DELETE ON actions.action FROM ia_svc;

-- =============================================================================================
-- 3. Requests of an authenticator, exactly as PostgREST 12 runs them in one transaction:
--    select set_config('search_path', $1, true), set_config('role', $2, true),
--           set_config('request.jwt.claims', $3, true), set_config('request.method', $4, true),
--           set_config('request.path', $5, true), set_config('request.headers', $6, true),
--           set_config('request.cookies', $7, true)
-- (the Perl test 010_postgrest.pl replays them over a connection of the authenticator itself).
CREATE FUNCTION pg_temp.request(role text, claims text) RETURNS void LANGUAGE sql AS $$
    SELECT set_config('search_path', '"public"', true), set_config('role', role, true),
           set_config('request.jwt.claims', claims, true), set_config('request.method', 'GET', true),
           set_config('request.path', '/action', true), set_config('request.headers', '{"accept":"*/*"}', true),
           set_config('request.cookies', '{}', true) $$;
CREATE FUNCTION pg_temp.end_request() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RESET ROLE;
    RESET search_path;
    PERFORM set_config('request.jwt.claims', '', true);
END $$;

SET SESSION AUTHORIZATION ia_auth;
SELECT is(actions.current_actor(), NULL, 'the authenticator itself is nobody');
SELECT pg_temp.request('ia_user', '{"role":"ia_user"}') \g /dev/null
SELECT is(current_user::text, 'ia_user', 'precondition: the request''s role is set');
SELECT is(actions.current_actor(), :usr::bigint, 'claim => role: the request is the person whose login role the request set');
SELECT is(pg_temp.snap(:ws, :other_ws), :'snap_user', '... and reads exactly that person''s rows');
SELECT throws_ok(format('SELECT actions.act_as(%s)', :owner), '42501', 'permission denied to act for another person',
    'a request cannot act_as someone else');
SELECT is(actions.is_trusted_service(), false, '... nor has the standing of a trusted service');
SELECT lives_ok(format('SELECT actions.create_action(%s, %L)', :ws, 'Filed over REST'), 'the request acts through the API as its person');
SELECT pg_temp.end_request() \g /dev/null
SELECT pg_temp.request('ia_anon', '{"role":"ia_anon"}') \g /dev/null
SELECT is(actions.current_actor(), NULL, 'an anonymous request is nobody');
SELECT is(pg_temp.snap(:ws, :other_ws), pg_temp.nothing(), '... and reads nothing');
SELECT pg_temp.end_request() \g /dev/null
SAVEPOINT own_session;
SELECT lives_ok(format('SELECT actions.act_as(%s)', :access), 'the authenticator''s own session (no role set) is a trusted service');
ROLLBACK TO SAVEPOINT own_session;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ia_auth_member;
SELECT throws_ok(format('SELECT actions.act_as(%s)', :access), '42501', 'permission denied to act for another person',
    'a member of the authenticator''s role is no trusted service (unlike a member of an application''s role)');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT owner_id FROM actions.action WHERE title = 'Filed over REST'), :usr::bigint, 'the action filed over REST is the person''s');
SET SESSION AUTHORIZATION ia_user;    SELECT pg_temp.snap(:ws, :other_ws) AS snap_user \gset
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION ia_auth_mail;
SELECT pg_temp.request('ia_authenticated', '{"role":"ia_authenticated","email":"ia-USER@example.com","sub":"x"}') \g /dev/null
SELECT is(actions.current_actor(), :usr::bigint, 'claim => email: the person of that e-mail, regardless of case');
SELECT is(pg_temp.snap(:ws, :other_ws), :'snap_user', '... reads exactly that person''s rows');
SELECT pg_temp.request('ia_authenticated', '{"role":"ia_authenticated","email":"ia-access@example.com"}') \g /dev/null
SELECT is(actions.current_actor(), :access::bigint, 'new claims within the transaction name the new person');
SELECT is(pg_temp.snap(:ws, :other_ws), :'snap_access', '... and the rows follow');
SELECT pg_temp.request('ia_authenticated', '{"role":"ia_authenticated","email":["ia-access@example.com"]}') \g /dev/null
SELECT is(actions.current_actor(), NULL, 'a claim that is not a string names nobody');
SELECT pg_temp.request('ia_authenticated', '{"role":"ia_authenticated"}') \g /dev/null
SELECT is(actions.current_actor(), NULL, 'a request without the claim is nobody');
SELECT pg_temp.request('ia_authenticated', 'not json') \g /dev/null
SELECT throws_ok('SELECT actions.current_actor()', '22P02', NULL, 'claims that are not JSON are refused');
SELECT pg_temp.end_request() \g /dev/null
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION ia_auth_sub;
SELECT pg_temp.request('ia_authenticated', '{"role":"ia_authenticated","sub":"b5f7c1e2-user","email":"ia-owner@example.com"}') \g /dev/null
SELECT is(actions.current_actor(), :usr::bigint, 'claim => sub: the person whose external_id is the subject (the e-mail is ignored)');
SELECT is(pg_temp.snap(:ws, :other_ws), :'snap_user', '... reads exactly that person''s rows');
SELECT pg_temp.end_request() \g /dev/null
RESET SESSION AUTHORIZATION;

-- The same settings in any other session impersonate nobody.
SET SESSION AUTHORIZATION ia_rogue;
SELECT pg_temp.request('ia_user', '{"role":"ia_user","email":"IA-User@example.com","sub":"b5f7c1e2-user"}') \g /dev/null
SELECT is(actions.current_actor(), NULL, 'an unregistered login role setting the role and claims is nobody');
SELECT is(pg_temp.snap(:ws, :other_ws), pg_temp.nothing(), '... and reads nothing');
SELECT throws_ok(format('SELECT actions.create_action(%s, %L)', :ws, 'forged'), '42501', 'no person is acting in this session',
    '... and the API refuses it');
SELECT pg_temp.end_request() \g /dev/null
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ia_svc;
SELECT pg_temp.request('ia_user', '{"role":"ia_user","email":"IA-User@example.com","sub":"b5f7c1e2-user"}') \g /dev/null
SELECT is(actions.current_actor(), NULL, 'a trusted service that is no authenticator: the same settings name nobody');
SELECT is(pg_temp.snap(:ws, :other_ws), pg_temp.nothing(), '... and it reads nothing');
SELECT pg_temp.end_request() \g /dev/null
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ia_owner;
SELECT pg_temp.request('ia_user', '{"role":"ia_user","email":"IA-User@example.com","sub":"b5f7c1e2-user"}') \g /dev/null
SELECT is(actions.current_actor(), :owner::bigint, 'a person''s own session stays that person whatever role and claims it sets');
SELECT pg_temp.end_request() \g /dev/null
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ia_anon;
SELECT is(actions.current_actor(), NULL, 'a session of the request''s role itself is nobody');
RESET SESSION AUTHORIZATION;

-- =============================================================================================
-- 4. Registration: checks, untrust_service.
SELECT throws_ok($$SELECT actions.trust_service('ia_x', sees => 'everything')$$, '22023', 'invalid value for sees: "everything"',
    'an unknown sees is refused');
SELECT throws_ok($$SELECT actions.trust_authenticator('ia_x', claim => 'user_id')$$, '22023', 'invalid value for claim: "user_id"',
    'an unknown claim is refused');
SELECT throws_ok(format('SELECT actions.set_external_id(%s, %L)', :owner, 'b5f7c1e2-user'), '23505',
    'external id "b5f7c1e2-user" already belongs to another person', 'an external id names one person');
SELECT results_eq($$ SELECT role_name::text COLLATE "default", sees, claim FROM actions.trusted_service WHERE role_name::text LIKE 'ia\_%' ORDER BY 1 $$,
    $$ VALUES ('ia_auth'::text, 'nothing'::text, 'role'::text), ('ia_auth_mail', 'nothing', 'email'), ('ia_auth_sub', 'nothing', 'sub'),
              ('ia_office', 'all', NULL), ('ia_svc', 'nothing', NULL) $$,
    'what the registrations hold');
SELECT is(actions.untrust_service('ia_auth'), true, 'untrust_service removes a registration');
SELECT is(actions.untrust_service('ia_auth'), false, '... and says when there was none');
SET SESSION AUTHORIZATION ia_auth;
SELECT pg_temp.request('ia_user', '{"role":"ia_user"}') \g /dev/null
SELECT is(actions.current_actor(), NULL, 'requests of an authenticator no longer registered are nobody');
SELECT pg_temp.end_request() \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT actions.untrust_service('ia_office') \g /dev/null
SET SESSION AUTHORIZATION ia_office;
SELECT throws_ok(format('SELECT actions.act_as(%s)', :usr), '42501', 'permission denied to act for another person',
    'an untrusted service cannot act_as any more');
SELECT is(pg_temp.snap(:ws, :other_ws), pg_temp.nothing(), '... and reads nothing');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
