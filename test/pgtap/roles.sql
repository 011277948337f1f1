-- Custom roles: a workspace adds, renames, regrants and deletes its own roles; the system roles stay.
BEGIN;
SELECT plan(20);

CREATE ROLE rl_owner LOGIN;
CREATE ROLE rl_user LOGIN;
SELECT actions.create_person('rl-owner@example.com', 'Owner', 'rl_owner') AS owner \gset
SELECT actions.create_person('rl-user@example.com', 'User', 'rl_user') AS usr \gset
SELECT actions.create_workspace('Roles Co', owner_id => :owner) AS ws \gset
SELECT actions.add_member(:ws, :usr, 'user') \g /dev/null

SET SESSION AUTHORIZATION rl_user;
SELECT throws_ok(format('SELECT actions.create_role(%s, %L)', :ws, 'reviewer'), '42501',
    'permission denied to manage workspace', 'a user may not create roles');
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION rl_owner;
SELECT lives_ok(format('SELECT actions.create_role(%s, %L, %L)', :ws, 'reviewer', '{view_actions,complete_any_actions}'),
    'the owner creates a custom role');
SELECT throws_ok(format('SELECT actions.create_role(%s, %L, %L)', :ws, 'pilot', '{view_actions,fly}'), '22023',
    'unknown permission "fly"', 'an unknown permission code is refused');
SELECT throws_ok(format('SELECT actions.create_role(%s, %L)', :ws, 'reviewer'), '23505',
    format('role "reviewer" already exists in workspace %s', :ws), 'role names are unique in a workspace');
SELECT throws_ok(format('SELECT actions.create_role(%s, %L)', :ws, '  '), '22023',
    'a role name must not be empty', 'a blank name is refused');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT permissions FROM actions.role WHERE workspace_id = :ws AND name = 'reviewer'),
    '{view_actions,complete_any_actions}'::text[], 'with the permissions given');

-- A member given the custom role gets exactly its permissions.
SELECT actions.add_member(:ws, :usr, 'reviewer') \g /dev/null
SET SESSION AUTHORIZATION rl_owner;
SELECT actions.create_action(:ws, 'Someone''s task', assignee_id => :owner) AS task \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION rl_user;
SELECT ok(actions.can('complete', :task), 'the reviewer may complete any action');
SELECT ok(NOT actions.can('reassign', :task), 'but not reassign');
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION rl_owner;
SELECT lives_ok(format('SELECT actions.update_role(%s, %L, new_name => %L, permissions => %L)', :ws, 'reviewer',
    'auditor', '{view_actions}'), 'a custom role is renamed and regranted');
SELECT throws_ok(format('SELECT actions.delete_role(%s, %L)', :ws, 'auditor'), '55000',
    'role "auditor" is still held by 1 member', 'a role still held is not deleted');
SELECT throws_ok(format('SELECT actions.update_role(%s, %L, new_name => %L)', :ws, 'actions_access', 'guests'), '55000',
    'role "actions_access" is a system role and cannot be changed', 'system roles are not renamed');
SELECT throws_ok(format('SELECT actions.delete_role(%s, %L)', :ws, 'inquiry'), '55000',
    'role "inquiry" is a system role and cannot be deleted', 'nor deleted');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION rl_user;
SELECT ok(NOT actions.can('complete', :task), 'the regrant takes effect at once');
RESET SESSION AUTHORIZATION;
SELECT actions.add_member(:ws, :usr, 'user') \g /dev/null
SET SESSION AUTHORIZATION rl_owner;
SELECT lives_ok(format('SELECT actions.delete_role(%s, %L)', :ws, 'auditor'), 'once nobody holds it, it is deleted');
RESET SESSION AUTHORIZATION;

-- set_member_role: the person-facing way to change who holds which role.
SET SESSION AUTHORIZATION rl_user;
SELECT throws_ok(format('SELECT actions.set_member_role(%s, %s, %L)', :ws, :usr, 'owner'), '42501',
    'permission denied to manage workspace', 'a member without manage_workspace may not change roles (not even their own)');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION rl_owner;
SELECT lives_ok(format('SELECT actions.set_member_role(%s, %s, %L)', :ws, :usr, 'inquiry'), 'the owner changes a member''s role');
SELECT throws_ok(format('SELECT actions.set_member_role(%s, %s, %L)', :ws, :owner, 'user'), '55000',
    format('cannot take the owner role from the last owner of workspace %s', :ws), 'the last owner stays owner');
SELECT throws_ok(format('SELECT actions.set_member_role(%s, %s, %L)', :ws, :usr, 'no such role'), 'P0002',
    format('role "no such role" not found in workspace %s', :ws), 'an unknown role is not found');
SELECT throws_ok(format('SELECT actions.set_member_role(%s, 999999, %L)', :ws, 'user'), '22023',
    format('person 999999 is not a member of workspace %s', :ws), 'only members get roles');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION rl_user;
SELECT ok(NOT actions.can('complete', :task), 'the new role (inquiry) counts at once');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
