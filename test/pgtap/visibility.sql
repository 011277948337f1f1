-- Row-level security: a person reading the tables directly sees exactly what the API shows them.
BEGIN;
SELECT plan(29);

CREATE ROLE vz_owner LOGIN;
CREATE ROLE vz_user LOGIN;
CREATE ROLE vz_access LOGIN;
CREATE ROLE vz_inquiry LOGIN;
CREATE ROLE vz_outsider LOGIN;
CREATE ROLE vz_app LOGIN;
CREATE ROLE vz_office LOGIN;
CREATE ROLE vz_nobody LOGIN;
SELECT actions.create_person('vz-owner@example.com', 'Owner', 'vz_owner') AS owner \gset
SELECT actions.create_person('vz-user@example.com', 'User', 'vz_user') AS usr \gset
SELECT actions.create_person('vz-access@example.com', 'Access', 'vz_access') AS access \gset
SELECT actions.create_person('vz-inquiry@example.com', 'Inquiry', 'vz_inquiry') AS inquiry \gset
SELECT actions.create_person('vz-outsider@example.com', 'Outsider', 'vz_outsider') AS outsider \gset
SELECT actions.create_workspace('Visible Co', owner_id => :owner) AS ws \gset
SELECT actions.create_workspace('Elsewhere', owner_id => :outsider) AS other_ws \gset
SELECT actions.add_member(:ws, :usr, 'user') \g /dev/null
SELECT actions.add_member(:ws, :access, 'actions_access') \g /dev/null
SELECT actions.add_member(:ws, :inquiry, 'inquiry') \g /dev/null
SELECT actions.trust_service('vz_app') \g /dev/null
SELECT actions.trust_service('vz_office', 'the back office', sees => 'all') \g /dev/null

SET SESSION AUTHORIZATION vz_owner;
SELECT actions.create_action(:ws, 'For the contractor', assignee_id => :access) AS mine \gset
SELECT actions.create_action(:ws, 'For the user', assignee_id => :usr) AS users \gset
SELECT actions.create_action(:ws, 'Unassigned') AS loose \gset
SELECT actions.add_note(:users, 'internal remark') \g /dev/null
SELECT actions.complete(:mine, evidence => '\x01'::bytea, evidence_name => 'proof.bin') \g /dev/null
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION vz_outsider;
SELECT actions.create_action(:other_ws, 'Someone else''s business') AS foreign_action \gset
RESET SESSION AUTHORIZATION;

-- What each person sees directly equals what actions.can('view') says, action by action.
CREATE FUNCTION pg_temp.seen() RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(title, ', ' ORDER BY action_id), '') FROM actions.action $$;
CREATE FUNCTION pg_temp.viewable(ids bigint[]) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(t.title, ', ' ORDER BY t.id), '')
      FROM unnest(ids) AS t0(id) JOIN LATERAL (SELECT t0.id, a.title FROM actions.action a WHERE a.action_id = t0.id) t ON true
     WHERE actions.can('view', t.id) $$;
SELECT ARRAY[:mine, :users, :loose, :foreign_action]::bigint[] AS everything \gset

SET SESSION AUTHORIZATION vz_owner;
SELECT is(pg_temp.seen(), 'For the contractor, For the user, Unassigned', 'the owner sees every action of the workspace, nothing else');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION vz_inquiry;
SELECT is(pg_temp.seen(), 'For the contractor, For the user, Unassigned', 'inquiry reads every action of the workspace');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION vz_access;
SELECT is(pg_temp.seen(), 'For the contractor', 'actions_access sees only the action assigned to it');
SELECT is((SELECT string_agg(DISTINCT action_id::text, ',') FROM actions.activity), :'mine', 'and only its history');
SELECT is((SELECT string_agg(name, ',') FROM actions.evidence), 'proof.bin', 'and its evidence');
SELECT is((SELECT count(*) FROM actions.note), 0::bigint, 'but no note of an action it does not see');
SELECT is((SELECT string_agg(DISTINCT person_id::text, ',') FROM actions.notification), :'access', 'and only its own notifications');
-- The leak probe: a function in the WHERE clause never gets to see a hidden row.
CREATE FUNCTION pg_temp.must_not_see(id bigint, hidden bigint[]) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    IF id = ANY (hidden) THEN RAISE EXCEPTION 'leaked action %', id; END IF;
    RETURN true;
END $$;
SELECT lives_ok(format('SELECT count(*) FROM actions.action WHERE pg_temp.must_not_see(action_id, ARRAY[%s, %s, %s])',
                       :users, :loose, :foreign_action),
    'a function in the WHERE clause sees no hidden row');
SELECT throws_ok(format('UPDATE actions.action SET title = %L WHERE action_id = %s', 'mine now', :mine), '42501', NULL,
    'a person cannot write the table directly');
RESET SESSION AUTHORIZATION;

-- RLS and the API agree for every person and every action.
SET SESSION AUTHORIZATION vz_owner;
SELECT is(pg_temp.seen(), pg_temp.viewable(:'everything'), 'owner: the table and actions.can(view) agree');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION vz_user;
SELECT is(pg_temp.seen(), pg_temp.viewable(:'everything'), 'user: the table and actions.can(view) agree');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION vz_access;
SELECT is(pg_temp.seen(), pg_temp.viewable(:'everything'), 'actions_access: the table and actions.can(view) agree');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION vz_outsider;
SELECT is(pg_temp.seen(), 'Someone else''s business', 'a member of another workspace sees only that one');
RESET SESSION AUTHORIZATION;

-- A role that is no person sees nothing; a registered trusted service sees what it was
-- registered to see while it acts for nobody (vz_app: nothing, the default; vz_office: all), and
-- exactly what the person sees while it acts for one (test/pgtap/identity_apps.sql checks every table).
SET SESSION AUTHORIZATION vz_nobody;
SELECT is(pg_temp.seen(), '', 'a role that is no person sees no action');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION vz_app;
SELECT is((SELECT count(*) FROM actions.action WHERE action_id = ANY (:'everything')), 0::bigint,
    'a trusted service registered with the default (sees nothing) sees no action while it acts for nobody');
SELECT actions.act_as(:access) \g /dev/null
SELECT is(pg_temp.seen(), 'For the contractor', 'while it acts for a person it sees exactly what that person sees');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION vz_office;
SELECT is((SELECT count(*) FROM actions.action WHERE action_id = ANY (:'everything')), 4::bigint,
    'a trusted service registered with sees => all sees every action while it acts for nobody');
SELECT actions.act_as(:access) \g /dev/null
SELECT is(pg_temp.seen(), 'For the contractor', '... and, acting for a person, only what that person sees');
RESET SESSION AUTHORIZATION;

-- ---------------------------------------------------------------------------------------------
-- Unique keys that reveal no hidden row. For a member who may not see an action, its id answers
-- exactly like an id that does not exist (same SQLSTATE, message, detail and hint but for the
-- id), and like an action of another workspace.
\set missing 987654321987
CREATE FUNCTION pg_temp.masked_error(call text, id bigint) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
    state text; message text; detail text; hint text;
BEGIN
    EXECUTE call;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                            detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
    RETURN ARRAY[state, replace(message, id::text, 'N'), replace(detail, id::text, 'N'), replace(hint, id::text, 'N')];
END
$$;
-- One call for a hidden action, a missing one and another workspace's: 'the same P0002' when all
-- three are refused alike as not found, otherwise the three refusals.
CREATE FUNCTION pg_temp.three_ways(call text, hidden bigint, missing bigint, foreign_id bigint) RETURNS text LANGUAGE sql AS $$
    SELECT CASE WHEN h[1] = 'P0002' AND h = m AND h = f THEN 'the same P0002'
                ELSE concat_ws(' / ', h::text, m::text, f::text) END
      FROM (SELECT pg_temp.masked_error(format(call, hidden), hidden) AS h,
                   pg_temp.masked_error(format(call, missing), missing) AS m,
                   pg_temp.masked_error(format(call, foreign_id), foreign_id) AS f) AS t $$;
SET SESSION AUTHORIZATION vz_access;
SELECT is(pg_temp.three_ways('SELECT actions.complete(%s)', :loose, :missing, :foreign_action), 'the same P0002',
    'complete: a hidden action, a missing one and another workspace''s get the same error but for the id');
SELECT is(pg_temp.three_ways('SELECT actions.update_action(%s, title => ''mine'')', :loose, :missing, :foreign_action), 'the same P0002',
    'edit (update_action): the same error for all three');
SELECT is(pg_temp.three_ways('SELECT actions.add_note(%s, ''probe'')', :users, :missing, :foreign_action), 'the same P0002',
    'add_note: the same error for all three');
SELECT is(pg_temp.three_ways('SELECT actions.set_action_groups(%s, ''{}'')', :loose, :missing, :foreign_action), 'the same P0002',
    'set_action_groups: the same error for all three');
SELECT is(ARRAY[replace(actions.why_not('complete', :loose), :'loose', 'N'),
                replace(actions.why_not('complete', :foreign_action), :'foreign_action', 'N')],
          ARRAY[replace(actions.why_not('complete', :missing), :'missing', 'N'),
                replace(actions.why_not('complete', :missing), :'missing', 'N')],
    'why_not: the same answer for all three');
-- Nor can a person probe keys by writing: they have no privilege to insert, whatever the key.
SELECT throws_ok(format('INSERT INTO actions.action (workspace_id, action_id, title) OVERRIDING SYSTEM VALUE VALUES (%s, %s, %L)',
                        :ws, :loose, 'probe'), '42501', 'permission denied for table action',
    'a person cannot INSERT into actions.action (an existing hidden id gets no unique violation)');
SELECT throws_ok(format('INSERT INTO actions.action (workspace_id, title) VALUES (%s, %L)', :ws, 'probe'), '42501',
    'permission denied for table action', '... nor any action');
SELECT throws_ok(format('INSERT INTO actions.group (workspace_id, name, path) VALUES (%s, %L, %L)', :other_ws, 'Finance', '{1}'), '42501',
    'permission denied for table group', '... nor a group');
RESET SESSION AUTHORIZATION;

-- Names are unique per workspace only: another tenant's group and role names are no secret to
-- probe for, because taking them in one's own workspace simply works.
SET SESSION AUTHORIZATION vz_outsider;
SELECT actions.create_group(:other_ws, 'Finance') \g /dev/null
SELECT actions.create_role(:other_ws, 'auditor', '{view_actions}') \g /dev/null
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION vz_owner;
SELECT lives_ok(format('SELECT actions.create_group(%s, %L)', :ws, 'Finance'),
    'a group named like one of another workspace is created');
SELECT lives_ok(format('SELECT actions.create_role(%s, %L, %L)', :ws, 'auditor', '{view_actions}'),
    'a role named like one of another workspace is created');
SELECT throws_ok(format('SELECT actions.create_group(%s, %L)', :ws, 'Finance'), '23505',
    format('group "Finance" already exists in workspace %s', :ws), 'only a name taken in one''s own workspace is refused');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
