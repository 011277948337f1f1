-- Approver eligibility for delegations (core/eligibility.cpp): who may approve, decided now.
--   Tree: Root > Parent > Child, Root > Sibling. The delegation is in group Child.
--   * role-wide approve_delegations: eligible; approve_delegations:groups: eligible from Child,
--     Parent or Root (a grant on a parent group covers child groups), not from Sibling;
--   * never the issuer (why_not says so), never a removed or invited member, never without the
--     permission; eligible_approvers() lists exactly the eligible people, sorted;
--   * group membership, group moves and role changes change the answers at once;
--   * can('approve', approval action) / why_not agree with is_eligible_approver.
BEGIN;

SELECT plan(41);

CREATE ROLE el_owner LOGIN;    -- workspace owner (role owner: approve_delegations role-wide)
CREATE ROLE el_wide LOGIN;     -- role 'approver': approve_delegations role-wide
CREATE ROLE el_root LOGIN;     -- role 'group approver', in Root
CREATE ROLE el_parent LOGIN;   -- role 'group approver', in Parent
CREATE ROLE el_child LOGIN;    -- role 'group approver', in Child
CREATE ROLE el_sibling LOGIN;  -- role 'group approver', in Sibling
CREATE ROLE el_issuer LOGIN;   -- role manager (approve_delegations), issuer of the delegation
CREATE ROLE el_user LOGIN;     -- role user: no approve_delegations, in Child
SELECT actions.create_person('el-owner@example.com', 'Owner', 'el_owner') AS owner,
       actions.create_person('el-wide@example.com', 'Wide', 'el_wide') AS wide,
       actions.create_person('el-root@example.com', 'Root approver', 'el_root') AS rootp,
       actions.create_person('el-parent@example.com', 'Parent approver', 'el_parent') AS parentp,
       actions.create_person('el-child@example.com', 'Child approver', 'el_child') AS childp,
       actions.create_person('el-sibling@example.com', 'Sibling approver', 'el_sibling') AS siblingp,
       actions.create_person('el-issuer@example.com', 'Issuer', 'el_issuer') AS issuer,
       actions.create_person('el-user@example.com', 'User', 'el_user') AS usr,
       actions.create_person('el-gone@example.com', 'Gone') AS gone,
       actions.create_person('el-invited@example.com', 'Invited') AS invited,
       actions.create_person('el-stranger@example.com', 'Stranger') AS stranger
\gset
SELECT actions.create_workspace('Eligibility Co', owner_id => :owner) AS ws \gset
SET SESSION AUTHORIZATION el_owner;
SELECT actions.create_role(:ws, 'approver', '{view_actions,approve_delegations}') \g /dev/null
SELECT actions.create_role(:ws, 'group approver', '{approve_delegations:groups}') \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT actions.add_member(:ws, :wide, 'approver') \g /dev/null
SELECT actions.add_member(:ws, :rootp, 'group approver') \g /dev/null
SELECT actions.add_member(:ws, :parentp, 'group approver') \g /dev/null
SELECT actions.add_member(:ws, :childp, 'group approver') \g /dev/null
SELECT actions.add_member(:ws, :siblingp, 'group approver') \g /dev/null
SELECT actions.add_member(:ws, :issuer, 'manager') \g /dev/null
SELECT actions.add_member(:ws, :usr, 'user') \g /dev/null
SELECT actions.add_member(:ws, :gone, 'approver') \g /dev/null
SELECT actions.add_member(:ws, :invited, 'approver') \g /dev/null
UPDATE actions.member SET state = 'invited' WHERE workspace_id = :ws AND person_id = :invited;

SET SESSION AUTHORIZATION el_owner;
SELECT actions.create_group(:ws, 'Root') AS g_root \gset
SELECT actions.create_group(:ws, 'Parent', :g_root) AS g_parent \gset
SELECT actions.create_group(:ws, 'Child', :g_parent) AS g_child \gset
SELECT actions.create_group(:ws, 'Sibling', :g_root) AS g_sibling \gset
SELECT actions.add_group_member(:g_root, :rootp) \g /dev/null
SELECT actions.add_group_member(:g_parent, :parentp) \g /dev/null
SELECT actions.add_group_member(:g_child, :childp) \g /dev/null
SELECT actions.add_group_member(:g_child, :usr) \g /dev/null
SELECT actions.add_group_member(:g_sibling, :siblingp) \g /dev/null
SELECT actions.add_group_member(:g_child, :gone) \g /dev/null
SELECT actions.create_record(:ws, 'Spend up to 10k', 'delegation', ARRAY[:g_child]::bigint[]) AS d \gset
SELECT actions.create_record(:ws, 'A decision', 'decision') AS decision \gset
SELECT actions.add_party(:d, 'issuer', :issuer) \g /dev/null
RESET SESSION AUTHORIZATION;
UPDATE actions.member SET state = 'removed' WHERE workspace_id = :ws AND person_id = :gone;

-- The answers for everyone, as the owner asks them.
CREATE FUNCTION pg_temp.eligible(d bigint, people bigint[]) RETURNS text LANGUAGE sql AS $$
    SELECT string_agg(p.display_name || '=' || actions.is_eligible_approver(p.person_id, d)::text, ', ' ORDER BY p.person_id)
      FROM actions.person p WHERE p.person_id = ANY (people)
$$;

SET SESSION AUTHORIZATION el_owner;
SELECT is(actions.is_eligible_approver(:owner, :d), true, 'the workspace owner (system role owner) is eligible');
SELECT is(actions.is_eligible_approver(:wide, :d), true, 'a role-wide approve_delegations holder is eligible');
SELECT is(actions.is_eligible_approver(:childp, :d), true, 'a group approver in the delegation''s group is eligible');
SELECT is(actions.is_eligible_approver(:parentp, :d), true, 'a group approver in the parent group is eligible (grant covers child groups)');
SELECT is(actions.is_eligible_approver(:rootp, :d), true, 'a group approver in the root group is eligible');
SELECT is(actions.is_eligible_approver(:siblingp, :d), false, 'a group approver in a sibling group is not');
SELECT is(actions.is_eligible_approver(:issuer, :d), false, 'the issuer is not, even as manager');
SELECT is(actions.is_eligible_approver(:gone, :d), false, 'a removed member is not');
SELECT is(actions.is_eligible_approver(:invited, :d), false, 'an invited member is not');
SELECT is(actions.is_eligible_approver(:usr, :d), false, 'a user without approve_delegations is not, even in the group');
SELECT is(actions.is_eligible_approver(:stranger, :d), false, 'a non-member is not');
SELECT is(actions.eligible_approvers(:d), ARRAY[:owner, :wide, :rootp, :parentp, :childp]::bigint[],
    'eligible_approvers lists exactly them, sorted');
SELECT is(actions.why_not('approve', :d, :wide), NULL, 'why_not is NULL for an eligible approver');
SELECT matches(actions.why_not('approve', :d, :issuer), 'issuer', 'why_not names the issuer');
SELECT matches(actions.why_not('approve', :d, :gone), 'active member', 'why_not: a removed member is not active');
SELECT matches(actions.why_not('approve', :d, :invited), 'active member', 'why_not: an invited member is not active');
SELECT matches(actions.why_not('approve', :d, :usr), 'approve_delegations', 'why_not: the permission is missing');
SELECT matches(actions.why_not('approve', :d, :siblingp), 'group', 'why_not: the groups do not cover the delegation');
SELECT throws_ok(format('SELECT actions.why_not(%L, %s, %s)', 'complete', :d, :wide), '22023', NULL,
    'why_not(verb, delegation, person) answers only approve');
SELECT throws_ok(format('SELECT actions.eligible_approvers(%s)', :decision), '22023', NULL,
    'eligibility of a decision: 22023');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION el_user;
SELECT is(actions.eligible_approvers(:d), ARRAY[:owner, :wide, :rootp, :parentp, :childp]::bigint[],
    'any member may ask (the same answer)');
RESET SESSION AUTHORIZATION;

-- The approval action and can('approve').
SET SESSION AUTHORIZATION el_owner;
SELECT actions.set_workflow(:ws, 'delegation_approval', true) \g /dev/null
SELECT actions.submit_delegation(:d) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT action_id AS approval FROM actions.action WHERE record_id = :d AND workflow = 'delegation_approval' \gset
SELECT set_eq(format('SELECT person_id FROM actions.action_candidate WHERE action_id = %s', :approval),
    format('VALUES (%s::bigint), (%s), (%s), (%s), (%s)', :owner, :wide, :rootp, :parentp, :childp),
    'the approval''s pool is the eligible approvers');
CREATE FUNCTION pg_temp.can_approve(role name, action bigint) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    answer boolean;
BEGIN
    EXECUTE format('SET SESSION AUTHORIZATION %I', role);
    answer := actions.can('approve', action);
    RESET SESSION AUTHORIZATION;
    RETURN answer;
END
$$;
SELECT is(ARRAY[pg_temp.can_approve('el_owner', :approval), pg_temp.can_approve('el_wide', :approval),
                pg_temp.can_approve('el_root', :approval), pg_temp.can_approve('el_parent', :approval),
                pg_temp.can_approve('el_child', :approval)],
    ARRAY[true, true, true, true, true], 'can(approve) is true for every eligible approver');
SELECT is(ARRAY[pg_temp.can_approve('el_sibling', :approval), pg_temp.can_approve('el_issuer', :approval),
                pg_temp.can_approve('el_user', :approval)],
    ARRAY[false, false, false], 'can(approve) is false for the sibling group, the issuer and a user');
SET SESSION AUTHORIZATION el_issuer;
SELECT matches(actions.why_not('approve', :approval), 'issuer', 'why_not(approve, action) tells the issuer why');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION el_parent;
SELECT is(actions.why_not('approve', :approval), NULL, 'why_not(approve, action) is NULL for an eligible candidate');
RESET SESSION AUTHORIZATION;

-- Changes take effect at once.
SET SESSION AUTHORIZATION el_owner;
SELECT actions.remove_group_member(:g_parent, :parentp) \g /dev/null
SELECT is(actions.is_eligible_approver(:parentp, :d), false, 'after leaving the parent group: no longer eligible');
SELECT is(actions.eligible_approvers(:d), ARRAY[:owner, :wide, :rootp, :childp]::bigint[], '... and no longer listed');
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.can_approve('el_parent', :approval), false, '... and can(approve) says no, though still in the pool');
SET SESSION AUTHORIZATION el_parent;
SELECT throws_ok(format('SELECT actions.record_outcome(%s, %L)', :approval, 'approved'), '42501', NULL,
    '... and record_outcome is refused');
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION el_owner;
SELECT actions.move_group(:g_child, :g_sibling) \g /dev/null
SELECT is(actions.is_eligible_approver(:siblingp, :d), true, 'Child moved under Sibling: the sibling approver becomes eligible');
SELECT is(actions.is_eligible_approver(:rootp, :d), true, '... the root approver stays eligible');
SELECT actions.add_group_member(:g_parent, :parentp) \g /dev/null
SELECT is(actions.is_eligible_approver(:parentp, :d), false, '... Parent no longer covers the delegation');
SELECT is(actions.eligible_approvers(:d), ARRAY[:owner, :wide, :rootp, :childp, :siblingp]::bigint[], '... the list follows');
SELECT actions.move_group(:g_child, :g_parent) \g /dev/null
SELECT is(actions.eligible_approvers(:d), ARRAY[:owner, :wide, :rootp, :parentp, :childp]::bigint[], 'moved back: as before');

SELECT actions.update_role(:ws, 'approver', permissions => '{view_actions}') \g /dev/null
SELECT is(actions.is_eligible_approver(:wide, :d), false, 'role loses approve_delegations: its holder is no longer eligible');
SELECT matches(actions.why_not('approve', :d, :wide), 'approve_delegations', '... why_not names the permission');
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.can_approve('el_wide', :approval), false, '... and can(approve) agrees');
SET SESSION AUTHORIZATION el_owner;
SELECT actions.update_role(:ws, 'group approver', permissions => '{approve_delegations}') \g /dev/null
SELECT is(actions.is_eligible_approver(:siblingp, :d), true, 'a group grant made role-wide: the sibling approver is eligible');
SELECT actions.remove_party(:d, 'issuer', :issuer) \g /dev/null
SELECT is(actions.is_eligible_approver(:issuer, :d), true, 'no longer the issuer: the manager becomes eligible');
SELECT is(actions.eligible_approvers(:d), ARRAY[:owner, :rootp, :parentp, :childp, :siblingp, :issuer]::bigint[],
    'the final list');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
