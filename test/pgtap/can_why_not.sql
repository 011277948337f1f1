-- actions.can(verb, action) and actions.why_not(verb, action): the decision a mutating call would
-- make (visibility, permission, then the action's state), asked without acting.
BEGIN;
SELECT plan(20);

CREATE ROLE cw_owner LOGIN;
CREATE ROLE cw_access LOGIN;
CREATE ROLE cw_stranger LOGIN;
SELECT actions.create_person('cw-owner@example.com', 'Owner', 'cw_owner') AS owner \gset
SELECT actions.create_person('cw-access@example.com', 'Contractor', 'cw_access') AS access \gset
SELECT actions.create_person('cw-stranger@example.com', 'Stranger', 'cw_stranger') AS stranger \gset
SELECT actions.create_workspace('Can Ltd', owner_id => :owner) AS ws \gset
SELECT actions.add_member(:ws, :access, 'actions_access') \g /dev/null

SET SESSION AUTHORIZATION cw_owner;
SELECT actions.create_action(:ws, 'Theirs', assignee_id => :access) AS theirs \gset
SELECT actions.create_action(:ws, 'Not theirs') AS other \gset
SELECT actions.create_action(:ws, 'Cancelled') AS gone \gset
SELECT actions.cancel(:gone, 'no longer needed') \g /dev/null

-- The owner may do everything the state allows.
SELECT ok(actions.can('reassign', :theirs), 'owner can reassign an assigned action');
SELECT is(actions.why_not('reassign', :theirs), NULL, 'why_not is NULL when the verb is allowed');
SELECT ok(NOT actions.can('reassign', :other), 'reassign needs an assignee first');
SELECT is(actions.why_not('reassign', :other), format('action %s is not assigned: only an assigned action can be reassigned', :other),
          'why_not names the missing condition');
SELECT ok(NOT actions.can('complete', :gone), 'a cancelled action cannot be completed');
SELECT is(actions.why_not('complete', :gone), 'cannot move action from status cancelled to complete: the action is cancelled',
          'why_not names the current status');
SELECT ok(actions.can('delete', :gone), 'the owner can delete even a cancelled action');
RESET SESSION AUTHORIZATION;

-- actions_access: completes its own action, never reassigns, and does not see others.
SET SESSION AUTHORIZATION cw_access;
SELECT ok(actions.can('complete', :theirs), 'actions_access can complete its own action');
SELECT ok(actions.can('view', :theirs), 'and see it');
SELECT ok(NOT actions.can('reassign', :theirs), 'but never reassign it');
SELECT is(actions.why_not('reassign', :theirs),
          'permission denied to reassign action: reassigning needs the reassign_actions or administer_actions permission; your role grants neither',
          'why_not names the missing permission');
SELECT ok(NOT actions.can('view', :other), 'an action assigned to someone else is hidden');
SELECT is(actions.why_not('complete', :other), format('action %s not found: no action with that id is visible to you', :other),
          'and looks not found, exactly as the API reports it');
SELECT throws_ok(format('SELECT actions.complete(%s)', :other), 'P0002', format('action %s not found', :other),
          'the API refuses it the same way');
-- can() and the API agree: what can() allows succeeds.
SELECT lives_ok(format('SELECT actions.complete(%s)', :theirs), 'what can() allowed, complete() does');
SELECT ok(NOT actions.can('complete', :theirs), 'and now it is already complete');
RESET SESSION AUTHORIZATION;

-- No acting person, unknown verbs, workspace verbs.
SET SESSION AUTHORIZATION cw_stranger;
SELECT ok(NOT actions.can('view', :theirs), 'a person of another workspace sees nothing');
RESET SESSION AUTHORIZATION;
SELECT is(actions.why_not('view', :theirs), 'no person is acting in this session: session_user is not the login role of any person and no act_as() is in effect',
          'without an acting person nothing is allowed, and why_not says so');
SELECT throws_ok(format('SELECT actions.can(%L, %s)', 'fly', :theirs), '22023', '"fly" is not a verb on an action',
          'an unknown verb is an invalid parameter');
SELECT throws_ok(format('SELECT actions.can(%L, %s)', 'create', :theirs), '22023', '"create" is not a verb on an action',
          'create is decided per workspace, not per action');

SELECT * FROM finish();
ROLLBACK;
