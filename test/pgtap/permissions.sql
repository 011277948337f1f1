-- Who may do what: the five system roles of a workspace against every verb of the API.
--   owner, manager  everything
--   user            creates, assigns and reassigns; starts only its own work, but may complete
--                   anyone's (reassign_actions); edits, cancels and deletes only what it owns
--   actions_access  non-billable: sees and works on only the actions assigned to it, never
--                   reassigns; other actions look not found (P0002)
--   inquiry         reads, never assigns; may work on an action assigned to it
-- Each person logs in with their own role (SET SESSION AUTHORIZATION), as a real client would.
BEGIN;

-- The people of the test: who -> person, in matrix order; 'boss' sets up, 'helper' receives work.
CREATE TEMP TABLE people (who text PRIMARY KEY, ord int, login name, role text, person_id bigint);
-- Fixtures: one action (or record) per person and purpose, so every cell starts from a clean state.
CREATE TEMP TABLE fx (who text, purpose text, id bigint, PRIMARY KEY (who, purpose));
GRANT SELECT, INSERT ON people, fx TO PUBLIC;

CREATE FUNCTION pg_temp.fx(who text, purpose text) RETURNS bigint LANGUAGE sql STABLE AS
    $$ SELECT id FROM fx WHERE fx.who = $1 AND fx.purpose = $2 $$;
CREATE FUNCTION pg_temp.person(who text) RETURNS bigint LANGUAGE sql STABLE AS
    $$ SELECT person_id FROM people WHERE people.who = $1 $$;

-- The SQL a verb runs for a person, against that person's fixture.
CREATE FUNCTION pg_temp.call(who text, verb text) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT CASE verb
        WHEN 'create'          THEN format('SELECT actions.create_action(%s, %L)', current_setting('pm.ws'), who || ' created this')
        WHEN 'assign'          THEN format('SELECT actions.assign(%s, %s)', pg_temp.fx(who, 'assign'), pg_temp.person('helper'))
        WHEN 'reassign'        THEN format('SELECT actions.reassign(%s, %s)', pg_temp.fx(who, 'reassign'), pg_temp.person('helper'))
        WHEN 'start_mine'      THEN format('SELECT actions.start(%s)', pg_temp.fx(who, 'start_mine'))
        WHEN 'start_other'     THEN format('SELECT actions.start(%s)', pg_temp.fx(who, 'start_other'))
        WHEN 'complete_mine'   THEN format('SELECT actions.complete(%s)', pg_temp.fx(who, 'complete_mine'))
        WHEN 'complete_other'  THEN format('SELECT actions.complete(%s)', pg_temp.fx(who, 'complete_other'))
        WHEN 'uncomplete'      THEN format('SELECT actions.uncomplete(%s)', pg_temp.fx(who, 'uncomplete'))
        WHEN 'uncomplete_mine' THEN format('SELECT actions.uncomplete(%s)', pg_temp.fx(who, 'complete_mine'))
        WHEN 'uncomplete_other' THEN format('SELECT actions.uncomplete(%s)', pg_temp.fx(who, 'complete_other'))
        WHEN 'cancel'          THEN format('SELECT actions.cancel(%s, %L)', pg_temp.fx(who, 'cancel'), 'not needed')
        WHEN 'update'          THEN format('SELECT actions.update_action(%s, title => %L)', pg_temp.fx(who, 'update'), 'renamed')
        WHEN 'delete'          THEN format('SELECT actions.delete_action(%s)', pg_temp.fx(who, 'delete'))
        WHEN 'create_record'   THEN format('SELECT actions.create_record(%s, %L)', current_setting('pm.ws'), who || '''s record')
        WHEN 'archive_record'  THEN format('SELECT actions.archive_record(%s)', pg_temp.fx(who, 'archive_record'))
    END
$$;

-- One assertion: the call succeeds ('ok'), is refused for lack of permission ('42501', with the
-- message naming the verb), or finds nothing ('P0002', the action or record is hidden).
CREATE FUNCTION pg_temp.expect(who text, verb text, outcome text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    what text := format('%s: %s -> %s', who, verb, outcome);
    object text := CASE
        WHEN verb = 'create' THEN 'create action'
        WHEN verb = 'create_record' THEN 'create record'
        WHEN verb = 'archive_record' THEN 'archive record'
        WHEN verb = 'update' THEN 'edit action'
        ELSE split_part(verb, '_', 1) || ' action' END;
    hidden text := CASE WHEN verb = 'archive_record' THEN 'record' ELSE 'action' END;
BEGIN
    IF outcome = 'ok' THEN
        RETURN lives_ok(pg_temp.call(who, verb), what);
    ELSIF outcome = 'P0002' THEN
        RETURN throws_ok(pg_temp.call(who, verb), 'P0002',
                         format('%s %s not found', hidden, pg_temp.fx(who, verb)), what);
    ELSE
        RETURN throws_ok(pg_temp.call(who, verb), outcome, 'permission denied to ' || object, what);
    END IF;
END
$$;

SELECT plan(76);

CREATE ROLE pm_boss LOGIN;
CREATE ROLE pm_owner LOGIN;
CREATE ROLE pm_manager LOGIN;
CREATE ROLE pm_user LOGIN;
CREATE ROLE pm_access LOGIN;
CREATE ROLE pm_inquiry LOGIN;
CREATE ROLE pm_helper LOGIN;
INSERT INTO people (who, ord, login, role) VALUES
    ('owner', 1, 'pm_owner', 'owner'), ('manager', 2, 'pm_manager', 'manager'), ('user', 3, 'pm_user', 'user'),
    ('access', 4, 'pm_access', 'actions_access'), ('inquiry', 5, 'pm_inquiry', 'inquiry'),
    ('boss', 0, 'pm_boss', 'owner'), ('helper', 0, 'pm_helper', 'user');
UPDATE people SET person_id = actions.create_person(login || '@example.org', initcap(who), login);
SELECT actions.create_workspace('Permissions', 'UTC', NULL, pg_temp.person('boss')) AS ws \gset
SELECT set_config('pm.ws', :'ws', true) \gset
SELECT count(*) FROM (SELECT actions.add_member(:ws, person_id, role) FROM people WHERE who <> 'boss') AS added \gset

-- The boss (an owner) creates every fixture: most are assigned to the person under test, the
-- *_other ones to the helper; 'uncomplete' is completed by the boss.
SET SESSION AUTHORIZATION pm_boss;
INSERT INTO fx
SELECT p.who, f.purpose,
       CASE WHEN f.purpose = 'archive_record' THEN actions.create_record(:ws, p.who || ' ' || f.purpose)
            ELSE actions.create_action(:ws, p.who || ' ' || f.purpose,
                     assignee_id => CASE f.assignee WHEN 'self' THEN p.person_id
                                                    WHEN 'helper' THEN pg_temp.person('helper') END)
       END
  FROM people p
 CROSS JOIN (VALUES ('assign', NULL), ('reassign', 'self'), ('start_mine', 'self'), ('start_other', 'helper'),
                    ('complete_mine', 'self'), ('complete_other', 'helper'), ('uncomplete', 'self'),
                    ('cancel', 'self'), ('update', 'self'), ('delete', 'self'),
                    ('archive_record', NULL)) AS f (purpose, assignee)
 WHERE p.ord > 0;
SELECT count(*) FROM (SELECT actions.complete(id) FROM fx WHERE purpose = 'uncomplete') AS completed \gset
RESET SESSION AUTHORIZATION;

-- ---------------------------------------------------------------------------------------------
SET SESSION AUTHORIZATION pm_owner;
SELECT pg_temp.expect('owner', 'create',          'ok');
SELECT pg_temp.expect('owner', 'assign',          'ok');
SELECT pg_temp.expect('owner', 'reassign',        'ok');
SELECT pg_temp.expect('owner', 'start_mine',      'ok');
SELECT pg_temp.expect('owner', 'start_other',     'ok');
SELECT pg_temp.expect('owner', 'complete_mine',   'ok');
SELECT pg_temp.expect('owner', 'complete_other',  'ok');
SELECT pg_temp.expect('owner', 'uncomplete',      'ok');
SELECT pg_temp.expect('owner', 'uncomplete_mine', 'ok');
SELECT pg_temp.expect('owner', 'cancel',          'ok');
SELECT pg_temp.expect('owner', 'update',          'ok');
SELECT pg_temp.expect('owner', 'delete',          'ok');
SELECT pg_temp.expect('owner', 'create_record',   'ok');
SELECT pg_temp.expect('owner', 'archive_record',  'ok');
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION pm_manager;
SELECT pg_temp.expect('manager', 'create',          'ok');
SELECT pg_temp.expect('manager', 'assign',          'ok');
SELECT pg_temp.expect('manager', 'reassign',        'ok');
SELECT pg_temp.expect('manager', 'start_mine',      'ok');
SELECT pg_temp.expect('manager', 'start_other',     'ok');
SELECT pg_temp.expect('manager', 'complete_mine',   'ok');
SELECT pg_temp.expect('manager', 'complete_other',  'ok');
SELECT pg_temp.expect('manager', 'uncomplete',      'ok');
SELECT pg_temp.expect('manager', 'uncomplete_mine', 'ok');
SELECT pg_temp.expect('manager', 'cancel',          'ok');
SELECT pg_temp.expect('manager', 'update',          'ok');
SELECT pg_temp.expect('manager', 'delete',          'ok');
SELECT pg_temp.expect('manager', 'create_record',   'ok');
SELECT pg_temp.expect('manager', 'archive_record',  'ok');
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION pm_user;
SELECT pg_temp.expect('user', 'create',          'ok');
SELECT pg_temp.expect('user', 'assign',          'ok');
SELECT pg_temp.expect('user', 'reassign',        'ok');
SELECT pg_temp.expect('user', 'start_mine',      'ok');
SELECT pg_temp.expect('user', 'start_other',     '42501');
SELECT pg_temp.expect('user', 'complete_mine',   'ok');
SELECT pg_temp.expect('user', 'complete_other',  'ok');     -- reassign_actions lets a user complete on someone's behalf
SELECT pg_temp.expect('user', 'uncomplete',      '42501');  -- completed by someone else
SELECT pg_temp.expect('user', 'uncomplete_mine', 'ok');     -- completed by the user as assignee
SELECT pg_temp.expect('user', 'uncomplete_other', '42501'); -- completed by the user, but not its assignee
SELECT pg_temp.expect('user', 'cancel',          '42501');  -- not the user's own action
SELECT pg_temp.expect('user', 'update',          '42501');
SELECT pg_temp.expect('user', 'delete',          '42501');
SELECT pg_temp.expect('user', 'create_record',   'ok');
SELECT pg_temp.expect('user', 'archive_record',  '42501');
-- ... but a user edits, cancels and deletes the actions it owns.
SELECT actions.create_action(:ws, 'user owns this') AS own_edit,
       actions.create_action(:ws, 'user owns this too') AS own_cancel,
       actions.create_action(:ws, 'user owns this as well') AS own_delete
\gset
SELECT lives_ok(format('SELECT actions.update_action(%s, title => %L)', :own_edit, 'renamed'), 'user: update own action -> ok');
SELECT lives_ok(format('SELECT actions.cancel(%s, %L)', :own_cancel, 'not needed'), 'user: cancel own action -> ok');
SELECT lives_ok(format('SELECT actions.delete_action(%s)', :own_delete), 'user: delete own action -> ok');
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION pm_access;
SELECT pg_temp.expect('access', 'create',          '42501');
SELECT pg_temp.expect('access', 'assign',          'P0002');  -- unassigned: not theirs, so hidden
SELECT pg_temp.expect('access', 'reassign',        '42501');  -- assigned to them, still never reassigns
SELECT pg_temp.expect('access', 'start_mine',      'ok');
SELECT pg_temp.expect('access', 'start_other',     'P0002');
SELECT pg_temp.expect('access', 'complete_mine',   'ok');
SELECT pg_temp.expect('access', 'complete_other',  'P0002');
SELECT pg_temp.expect('access', 'uncomplete',      '42501');
SELECT pg_temp.expect('access', 'uncomplete_mine', 'ok');
SELECT pg_temp.expect('access', 'cancel',          '42501');
SELECT pg_temp.expect('access', 'update',          '42501');
SELECT pg_temp.expect('access', 'delete',          '42501');
SELECT pg_temp.expect('access', 'create_record',   '42501');
SELECT pg_temp.expect('access', 'archive_record',  'P0002');  -- no view_actions: records are hidden too
-- Self-assignment is no way around create_actions.
SELECT throws_ok(format('SELECT actions.create_action(%s, %L, assignee_id => %s)', :ws, 'mine', pg_temp.person('access')),
    '42501', 'permission denied to create action', 'access: create an action assigned to itself -> 42501');
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION pm_inquiry;
SELECT pg_temp.expect('inquiry', 'create',          '42501');
SELECT pg_temp.expect('inquiry', 'assign',          '42501');
SELECT pg_temp.expect('inquiry', 'reassign',        '42501');
SELECT pg_temp.expect('inquiry', 'start_mine',      'ok');
SELECT pg_temp.expect('inquiry', 'start_other',     '42501');
SELECT pg_temp.expect('inquiry', 'complete_mine',   'ok');
SELECT pg_temp.expect('inquiry', 'complete_other',  '42501');
SELECT pg_temp.expect('inquiry', 'uncomplete',      '42501');
SELECT pg_temp.expect('inquiry', 'uncomplete_mine', 'ok');
SELECT pg_temp.expect('inquiry', 'cancel',          '42501');
SELECT pg_temp.expect('inquiry', 'update',          '42501');
SELECT pg_temp.expect('inquiry', 'delete',          '42501');
SELECT pg_temp.expect('inquiry', 'create_record',   '42501');
SELECT pg_temp.expect('inquiry', 'archive_record',  '42501');
RESET SESSION AUTHORIZATION;

-- ---------------------------------------------------------------------------------------------
-- What each fixture looks like afterwards, in the order owner, manager, user, access, inquiry:
-- allowed calls took effect, refused ones changed nothing.
SELECT results_eq($$
    SELECT fx.purpose, string_agg(CASE
               WHEN fx.purpose = 'archive_record' THEN CASE WHEN r.archived THEN 'archived' ELSE 'kept' END
               WHEN a.action_id IS NULL THEN 'deleted'
               WHEN fx.purpose = 'delete' THEN 'kept'
               WHEN fx.purpose IN ('assign', 'reassign') THEN
                    CASE WHEN a.assignee_id = pg_temp.person('helper') THEN 'helper' ELSE 'unchanged' END
               WHEN fx.purpose = 'update' THEN a.title
               ELSE a.status END, ',' ORDER BY p.ord)
      FROM fx JOIN people p USING (who)
      LEFT JOIN actions.action a ON a.action_id = fx.id AND fx.purpose <> 'archive_record'
      LEFT JOIN actions.record r ON r.record_id = fx.id AND fx.purpose = 'archive_record'
     GROUP BY fx.purpose ORDER BY fx.purpose $$,
    $$ VALUES
    ('archive_record', 'archived,archived,kept,kept,kept'),
    ('assign',         'helper,helper,helper,unchanged,unchanged'),
    ('cancel',         'cancelled,cancelled,to_do,to_do,to_do'),
    ('complete_mine',  'to_do,to_do,to_do,to_do,to_do'),
    ('complete_other', 'complete,complete,complete,to_do,to_do'),
    ('delete',         'deleted,deleted,kept,kept,kept'),
    ('reassign',       'helper,helper,helper,unchanged,unchanged'),
    ('start_mine',     'in_progress,in_progress,in_progress,in_progress,in_progress'),
    ('start_other',    'in_progress,in_progress,to_do,to_do,to_do'),
    ('uncomplete',     'to_do,to_do,complete,complete,complete'),
    ('update',         'renamed,renamed,user update,access update,inquiry update') $$,
    'every allowed call took effect and every refused one changed nothing');

SELECT * FROM finish();
ROLLBACK;
