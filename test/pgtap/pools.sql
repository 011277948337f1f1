-- Pools with claim (actions.offer, claim, release): candidates named, through a group (and the
-- groups below it) or a role see an offered action, the list agrees with row-level security, one
-- candidate claims it and may release it; who may do what follows the permission model; every
-- change is logged and new candidates are notified. Bad input: a claim of an action one cannot see
-- (not found), of one already claimed, a release by someone who did not claim it.
BEGIN;
SELECT plan(53);

CREATE ROLE pl_owner LOGIN;
CREATE ROLE pl_named LOGIN;
CREATE ROLE pl_sub LOGIN;
CREATE ROLE pl_roled LOGIN;
CREATE ROLE pl_other LOGIN;
CREATE ROLE pl_user LOGIN;
SELECT actions.create_person('pl-owner@example.com', 'Owner', 'pl_owner') AS owner \gset
SELECT actions.create_person('pl-named@example.com', 'Named', 'pl_named') AS named \gset
SELECT actions.create_person('pl-sub@example.com', 'In a subgroup', 'pl_sub') AS sub \gset
SELECT actions.create_person('pl-roled@example.com', 'Reviewer', 'pl_roled') AS roled \gset
SELECT actions.create_person('pl-other@example.com', 'Other', 'pl_other') AS other \gset
SELECT actions.create_person('pl-user@example.com', 'User', 'pl_user') AS usr \gset
SELECT actions.create_person('pl-stranger@example.com', 'Stranger', NULL) AS stranger \gset
SELECT actions.create_workspace('Pools Co', owner_id => :owner) AS ws \gset
SELECT actions.add_member(:ws, :named, 'actions_access') \g /dev/null
SELECT actions.add_member(:ws, :sub, 'actions_access') \g /dev/null
SELECT actions.add_member(:ws, :other, 'actions_access') \g /dev/null
SELECT actions.add_member(:ws, :usr, 'user') \g /dev/null

SET SESSION AUTHORIZATION pl_owner;
SELECT actions.create_role(:ws, 'reviewer', '{}') \g /dev/null
SELECT actions.create_group(:ws, 'Finance') AS finance \gset
SELECT actions.create_group(:ws, 'Payables', :finance) AS payables \gset
SELECT actions.create_group(:ws, 'Sales') AS sales \gset
SELECT actions.add_group_member(:payables, :sub) \g /dev/null
SELECT actions.add_group_member(:sales, :other) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT actions.add_member(:ws, :roled, 'reviewer') \g /dev/null

SET SESSION AUTHORIZATION pl_owner;
SELECT actions.create_action(:ws, 'Reconcile October') AS act \gset
SELECT actions.create_action(:ws, 'Not offered') AS plain \gset
SELECT is(actions.offer(:act, people => ARRAY[:named]::bigint[], groups => ARRAY[:finance]::bigint[],
                        roles => '{reviewer}'), 3, 'offered to a person, a group and a role: three candidates');
RESET SESSION AUTHORIZATION;

SELECT results_eq(format($$SELECT event, new_value FROM actions.activity WHERE action_id = %s AND event = 'offered' ORDER BY seq$$, :act),
    format($$VALUES ('offered'::text, 'person:%s'::text), ('offered', 'group:%s'), ('offered', 'role:%s')$$,
           :named, :finance, (SELECT role_id FROM actions.role WHERE workspace_id = :ws AND name = 'reviewer')),
    'each candidate of the pool is logged');
SELECT is((SELECT offered FROM actions.action WHERE action_id = :act), true, 'the action is marked offered');
SELECT set_eq(format($$SELECT person_id FROM actions.notification WHERE action_id = %s AND kind = 'offered'$$, :act),
    format('VALUES (%s), (%s), (%s)', :named, :sub, :roled), 'the candidates are notified, the group through its subgroup');

-- Who sees it: the candidates (named, below the offered group, holding the role), not the others.
SET SESSION AUTHORIZATION pl_named;
SELECT is((SELECT count(*) FROM actions.action WHERE action_id = :act), 1::bigint, 'a named candidate sees it');
SELECT is(actions.can('claim', :act), true, 'and may claim it');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION pl_sub;
SELECT is((SELECT count(*) FROM actions.action WHERE action_id = :act), 1::bigint, 'a member of a group below the offered one sees it');
SELECT is((SELECT count(*) FROM actions.action_list WHERE action_id = :act), 1::bigint, 'so does the list');
SELECT is(actions.can('view', :act), true, 'and can() agrees');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION pl_roled;
SELECT is((SELECT count(*) FROM actions.action WHERE action_id = :act), 1::bigint, 'a holder of the offered role sees it');
SELECT is((SELECT count(*) FROM actions.action_offer WHERE action_id = :act), 3::bigint, 'with its pool');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION pl_other;
SELECT is((SELECT count(*) FROM actions.action WHERE action_id = :act), 0::bigint, 'someone in another group does not');
SELECT is((SELECT count(*) FROM actions.action_list WHERE action_id = :act), 0::bigint, 'nor in the list');
SELECT is((SELECT count(*) FROM actions.action_offer WHERE action_id = :act), 0::bigint, 'nor its pool');
SELECT is(actions.why_not('claim', :act), format('action %s not found: no action with that id is visible to you', :act),
    'why_not(claim) of an action one cannot see: not found');
-- bad input: a claim of an action one cannot see is refused exactly like a missing one
SELECT throws_ok(format('SELECT actions.claim(%s)', :act), 'P0002', format('action %s not found', :act),
    'claiming an action one cannot see: not found');
SELECT throws_ok('SELECT actions.claim(-1)', 'P0002', 'action -1 not found', 'as a missing one');
RESET SESSION AUTHORIZATION;

-- A member who sees everything but is no candidate may not claim; why_not says why.
SET SESSION AUTHORIZATION pl_user;
SELECT is(actions.can('claim', :act), false, 'a user who is no candidate may not claim');
SELECT matches(actions.why_not('claim', :act), '^permission denied to claim action: claiming needs being one of the candidates',
    'why_not explains claim');
SELECT throws_ok(format('SELECT actions.claim(%s)', :act), '42501', 'permission denied to claim action', 'claim refused');
SELECT throws_ok(format('SELECT actions.claim(%s)', :plain), '42501', 'permission denied to claim action',
    'nobody is candidate of an action that is not offered');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION pl_named;
SELECT throws_ok(format('SELECT actions.offer(%s, people => ARRAY[%s]::bigint[])', :act, :named), '42501',
    'permission denied to offer action', 'a candidate without assign permissions may not offer');
RESET SESSION AUTHORIZATION;

-- Claim: the candidate becomes the assignee.
SET SESSION AUTHORIZATION pl_sub;
SELECT lives_ok(format('SELECT actions.claim(%s)', :act), 'a candidate claims');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT (assignee_id, claimed)::text FROM actions.action WHERE action_id = :act), format('(%s,t)', :sub),
    'and becomes the assignee');
SELECT is((SELECT (event, old_value, new_value, actor_id)::text FROM actions.activity WHERE action_id = :act ORDER BY seq DESC LIMIT 1),
    format('(claimed,,%s,%s)', :sub, :sub), 'the claim is logged');
-- bad input: a claim of an action already claimed
SET SESSION AUTHORIZATION pl_named;
SELECT throws_ok(format('SELECT actions.claim(%s)', :act), '55000', format('action %s is already claimed', :act),
    'a second claim is refused');
SELECT is(actions.why_not('claim', :act), format('action %s is already claimed: it is assigned to person %s', :act, :sub),
    'why_not says who has it');
-- bad input: release by a non-claimant
SELECT throws_ok(format('SELECT actions.release(%s)', :act), '42501', 'permission denied to release action',
    'another candidate may not release it');
RESET SESSION AUTHORIZATION;

-- The claimant works on it, then releases it back to the pool.
SET SESSION AUTHORIZATION pl_sub;
SELECT lives_ok(format('SELECT actions.start(%s)', :act), 'the claimant starts it');
SELECT lives_ok(format('SELECT actions.release(%s)', :act), 'and releases it');
SELECT is((SELECT count(*) FROM actions.action WHERE action_id = :act), 1::bigint, 'still seeing it as a candidate');
SELECT throws_ok(format('SELECT actions.release(%s)', :act), '42501', 'permission denied to release action',
    'no longer its assignee: cannot release again');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT (assignee_id IS NULL AND NOT claimed)::text FROM actions.action WHERE action_id = :act), 'true',
    'back in the pool, unassigned');
SELECT is((SELECT (event, old_value, new_value)::text FROM actions.activity WHERE action_id = :act ORDER BY seq DESC LIMIT 1),
    format('(released,%s,)', :sub), 'the release is logged');

-- A manager may release what someone claimed; a reassignment ends the claim.
SET SESSION AUTHORIZATION pl_roled;
SELECT lives_ok(format('SELECT actions.claim(%s)', :act), 'another candidate claims it');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION pl_owner;
SELECT lives_ok(format('SELECT actions.reassign(%s, %s)', :act, :named), 'a manager reassigns it');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT claimed FROM actions.action WHERE action_id = :act), false, 'a reassigned action is no longer claimed');

-- Changing the pool logs the difference; the group cannot be deleted while offered to.
SET SESSION AUTHORIZATION pl_owner;
SELECT is(actions.offer(:act, groups => ARRAY[:sales]::bigint[]), 1, 'the pool replaced by another group');
SELECT throws_ok(format('SELECT actions.delete_group(%s)', :sales), '55000', format('group %s still has actions offered to it', :sales),
    'a group with offers is not deleted');
SELECT throws_ok(format('SELECT actions.delete_role(%s, %L)', :ws, 'reviewer'), '55000', NULL,
    'a role held is not deleted (held, here)');
SELECT throws_ok(format('SELECT actions.offer(%s, people => ARRAY[%s]::bigint[])', :act, :stranger), '22023',
    format('person %s is not a member of workspace %s', :stranger, :ws), 'a non-member is no candidate');
SELECT throws_ok(format('SELECT actions.offer(%s, roles => %L)', :act, '{nobody}'), 'P0002', NULL, 'an unknown role is refused');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM actions.activity WHERE action_id = :act AND event = 'offer_withdrawn'), 3::bigint,
    'the three old candidates are logged withdrawn');

-- A template names a pool (assignee rule pool): an action made from it is offered to its candidates.
SET SESSION AUTHORIZATION pl_owner;
SELECT throws_ok(format($$SELECT actions.create_template(%s, 'Close', 'Close {workspace}', assignee_rule => 'pool')$$, :ws),
    '22023', 'assignee rule pool needs candidates', 'the rule pool without candidates is refused');
SELECT actions.create_template(:ws, 'Month end', 'Close the month in {workspace}') AS tpl \gset
SELECT is(actions.set_template_pool(:tpl, groups => ARRAY[:finance]::bigint[], roles => '{reviewer}'), 2,
    'a template names a pool: a new version');
SELECT throws_ok(format('SELECT actions.set_template_pool(%s, groups => ARRAY[-5]::bigint[])', :tpl), 'P0002', NULL,
    'a group of no workspace is refused');
SELECT actions.create_action_from_template(:tpl) AS from_tpl \gset
RESET SESSION AUTHORIZATION;
SELECT is((SELECT (assignee_id IS NULL AND offered, template_version)::text FROM actions.action WHERE action_id = :from_tpl),
    '(t,2)', 'the action made from it is unassigned and offered');
SELECT results_eq(format($$SELECT new_value FROM actions.activity WHERE action_id = %s AND event = 'offered' ORDER BY seq$$, :from_tpl),
    format($$VALUES ('group:%s'::text), ('role:%s')$$, :finance,
           (SELECT role_id FROM actions.role WHERE workspace_id = :ws AND name = 'reviewer')),
    'to the template''s candidates, logged');
SET SESSION AUTHORIZATION pl_sub;
SELECT lives_ok(format('SELECT actions.claim(%s)', :from_tpl), 'a candidate of the template''s pool claims it');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION pl_owner;
SELECT actions.create_action_from_template(:tpl, assignee_id => :named) AS direct \gset
SELECT is((SELECT (assignee_id = :named AND NOT offered)::text FROM actions.action WHERE action_id = :direct), 'true',
    'an assignee given in the call wins over the pool');
SELECT is(actions.update_template(:tpl, assignee_rule => 'creator'), 3, 'another rule drops the pool');
SELECT is((SELECT cardinality(pool_groups) FROM actions.template_version WHERE template_id = :tpl AND version = 3), 0,
    'the new version has no candidates');
RESET SESSION AUTHORIZATION;

SELECT is_empty(format('SELECT * FROM actions.verify_log(%s)', :ws), 'the log verifies');

SELECT * FROM finish();
ROLLBACK;
