-- Administration: people, workspaces, members and trusted services, with clear refusals.
BEGIN;
SELECT plan(12);

SELECT actions.create_person('Ada@Example.com', 'Ada', NULL) AS ada \gset
SELECT throws_ok($$ SELECT actions.create_person('ada@example.COM', 'Ada again') $$,
    '23505', 'a person with e-mail "ada@example.COM" already exists', 'e-mail addresses are unique regardless of case');
CREATE ROLE adm_login LOGIN;
SELECT actions.create_person('bo@example.com', 'Bo', 'adm_login') AS bo \gset
SELECT throws_ok($$ SELECT actions.create_person('other@example.com', 'Other', 'adm_login') $$,
    '23505', 'login role "adm_login" already belongs to another person', 'a login role belongs to one person');
SELECT throws_ok($$ SELECT actions.create_person('not an address', 'Nobody') $$,
    '22023', 'invalid value for email: "not an address"', 'an e-mail address needs an @');

SELECT throws_ok($$ SELECT actions.create_workspace('Nowhere', 'Mars/Olympus_Mons') $$,
    '22023', 'time zone "Mars/Olympus_Mons" is not recognized', 'an unknown time zone is refused');
SELECT actions.create_workspace('Admin Co', 'Asia/Tokyo', owner_id => :ada) AS ws \gset
SELECT results_eq(format('SELECT name FROM actions.role WHERE workspace_id = %s AND is_system ORDER BY role_id', :ws),
    $$ VALUES ('owner'), ('manager'), ('user'), ('actions_access'), ('inquiry') $$,
    'a new workspace has the five system roles');
SELECT is((SELECT r.name FROM actions.member m JOIN actions.role r USING (workspace_id, role_id)
            WHERE m.workspace_id = :ws AND m.person_id = :ada), 'owner', 'owner_id joins as owner');
SELECT is((SELECT billable FROM actions.role WHERE workspace_id = :ws AND name = 'actions_access'), false,
    'actions_access is not billable');

SELECT throws_ok(format('SELECT actions.add_member(%s, %s, %L)', :ws, :bo, 'emperor'),
    'P0002', format('role "emperor" not found in workspace %s', :ws), 'an unknown role is refused');
SELECT throws_ok(format('SELECT actions.add_member(%s, %s, %L)', :ws, -1, 'user'),
    'P0002', 'person -1 not found', 'an unknown person is refused');
SELECT lives_ok(format('SELECT actions.add_member(%s, %s, %L)', :ws, :bo, 'inquiry'), 'a person joins');
SELECT actions.add_member(:ws, :bo, 'manager');
SELECT is((SELECT r.name FROM actions.member m JOIN actions.role r USING (workspace_id, role_id)
            WHERE m.workspace_id = :ws AND m.person_id = :bo), 'manager', 'adding again changes the role');

SELECT actions.trust_service('adm_login', 'first note');
SELECT actions.trust_service('adm_login', 'second note');
SELECT is((SELECT note FROM actions.trusted_service WHERE role_name = 'adm_login'), 'second note',
    'registering a service again updates its note');

SELECT * FROM finish();
ROLLBACK;
