-- Groups: a tree per workspace, members in groups, actions and records in groups, and grants
-- scoped to groups ("code:groups": the member's groups and every group below them).
--   * the tree: paths root..self, rename, move with the whole subtree, no cycles, delete only
--     when nothing hangs on the group; names unique per workspace; who may manage it;
--   * scoped grants in actions.can() / why_not(), which follow membership and moves at once;
--   * row-level security shows a person exactly the actions can('view') allows;
--   * set_action_groups (logged as groups_changed), the groups of a record's new actions, and a
--     trusted service's direct writes (a group of another workspace is a foreign-key violation).
-- Each person logs in with their own role (SET SESSION AUTHORIZATION), as a real client would.
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

SELECT plan(154);

CREATE ROLE gr_owner LOGIN;    -- owner of the workspace
CREATE ROLE gr_scoped LOGIN;   -- view, complete and edit, scoped to groups; in group Beta
CREATE ROLE gr_gmgr LOGIN;     -- manage_workspace scoped to groups; in group Beta
CREATE ROLE gr_mixed LOGIN;    -- views everything, completes and creates within groups; in group Beta
CREATE ROLE gr_wide LOGIN;     -- view, complete and edit role-wide; in no group
CREATE ROLE gr_user LOGIN;     -- the system role user: no manage_workspace
CREATE ROLE gr_other LOGIN;    -- owner of another workspace, no member of this one
CREATE ROLE gr_app LOGIN;      -- an application's role, registered as a trusted service
SELECT actions.create_person('gr-owner@example.com', 'Owner', 'gr_owner') AS owner,
       actions.create_person('gr-scoped@example.com', 'Scoped', 'gr_scoped') AS scoped,
       actions.create_person('gr-gmgr@example.com', 'Group manager', 'gr_gmgr') AS gmgr,
       actions.create_person('gr-mixed@example.com', 'Mixed', 'gr_mixed') AS mixed,
       actions.create_person('gr-wide@example.com', 'Wide', 'gr_wide') AS wide,
       actions.create_person('gr-user@example.com', 'User', 'gr_user') AS usr,
       actions.create_person('gr-other@example.com', 'Other', 'gr_other') AS other,
       actions.create_person('gr-stranger@example.com', 'Stranger') AS stranger,
       actions.create_person('gr-gone@example.com', 'Gone') AS gone
\gset
SELECT actions.create_workspace('Groups Co', owner_id => :owner) AS ws,
       actions.create_workspace('Other Co', owner_id => :other) AS other_ws
\gset
SELECT actions.trust_service('gr_app', 'a back office that writes directly', sees => 'all') \g /dev/null
\set missing 987654321987

SET SESSION AUTHORIZATION gr_owner;
SELECT actions.create_role(:ws, 'grouped', '{view_actions:groups,complete_any_actions:groups,edit_actions:groups}') \g /dev/null
SELECT actions.create_role(:ws, 'group admin', '{manage_workspace:groups}') \g /dev/null
SELECT actions.create_role(:ws, 'mixed', '{view_actions,complete_any_actions:groups,create_actions:groups}') \g /dev/null
SELECT actions.create_role(:ws, 'wide', '{view_actions,complete_any_actions,edit_actions}') \g /dev/null
SELECT throws_ok(format('SELECT actions.create_role(%s, %L, %L)', :ws, 'teamish', '{view_actions:team}'), '22023',
    'unknown permission "view_actions:team"', 'a grant scope other than :groups or :all is refused');
SELECT throws_ok(format('SELECT actions.create_role(%s, %L, %L)', :ws, 'flying', '{fly:groups}'), '22023',
    'unknown permission "fly:groups"', 'an unknown permission is refused with a scope too');
SELECT lives_ok(format('SELECT actions.create_role(%s, %L, %L)', :ws, 'explicit', '{view_actions:all,edit_actions:groups}'),
    'code:all and code:groups are accepted');
RESET SESSION AUTHORIZATION;
SELECT actions.add_member(:ws, :scoped, 'grouped') \g /dev/null
SELECT actions.add_member(:ws, :gmgr, 'group admin') \g /dev/null
SELECT actions.add_member(:ws, :mixed, 'mixed') \g /dev/null
SELECT actions.add_member(:ws, :wide, 'wide') \g /dev/null
SELECT actions.add_member(:ws, :usr, 'user') \g /dev/null
SELECT actions.add_member(:ws, :gone, 'user') \g /dev/null
UPDATE actions.member SET state = 'removed' WHERE workspace_id = :ws AND person_id = :gone;

-- =============================================================================================
-- 1. The tree.
-- Alpha > Beta > Gamma > Delta, Alpha > Sigma; a second root Rho with three leaves.
SET SESSION AUTHORIZATION gr_owner;
SELECT actions.create_group(:ws, 'Alpha') AS a \gset
SELECT actions.create_group(:ws, 'Beta', :a) AS b \gset
SELECT actions.create_group(:ws, 'Gamma', :b) AS c \gset
SELECT actions.create_group(:ws, 'Delta', :c) AS d \gset
SELECT actions.create_group(:ws, 'Sigma', :a) AS s \gset
SELECT actions.create_group(:ws, 'Rho') AS r \gset
SELECT actions.create_group(:ws, 'Leaf with action', :r) AS leaf_act \gset
SELECT actions.create_group(:ws, 'Leaf with record', :r) AS leaf_rec \gset
SELECT actions.create_group(:ws, 'Leaf free', :r) AS leaf_free \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION gr_other;
SELECT actions.create_group(:other_ws, 'Elsewhere') AS other_group \gset
RESET SESSION AUTHORIZATION;

-- A chain of n groups, each under the one before; returns the deepest.
CREATE FUNCTION pg_temp.chain(ws bigint, prefix text, n int) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    g bigint;
BEGIN
    FOR i IN 1..n LOOP
        g := actions.create_group(ws, prefix || i, g);
    END LOOP;
    RETURN g;
END $$;
-- name, parent and path of every group of the workspace
CREATE FUNCTION pg_temp.tree(ws bigint) RETURNS TABLE (name text, parent_id bigint, path bigint[]) LANGUAGE sql AS $$
    SELECT g.name, g.parent_id, g.path FROM actions.group g WHERE g.workspace_id = ws ORDER BY g.group_id $$;

SELECT results_eq(format('SELECT * FROM pg_temp.tree(%s)', :ws),
    format($$ VALUES ('Alpha'::text, NULL::bigint, ARRAY[%1$s]::bigint[]), ('Beta', %1$s, ARRAY[%1$s, %2$s]),
                     ('Gamma', %2$s, ARRAY[%1$s, %2$s, %3$s]), ('Delta', %3$s, ARRAY[%1$s, %2$s, %3$s, %4$s]),
                     ('Sigma', %1$s, ARRAY[%1$s, %5$s]), ('Rho', NULL, ARRAY[%6$s]),
                     ('Leaf with action', %6$s, ARRAY[%6$s, %7$s]), ('Leaf with record', %6$s, ARRAY[%6$s, %8$s]),
                     ('Leaf free', %6$s, ARRAY[%6$s, %9$s]) $$,
           :a, :b, :c, :d, :s, :r, :leaf_act, :leaf_rec, :leaf_free),
    'a four-level tree and a second root: every path runs from the top-level group down to the group');


-- Rename.
SET SESSION AUTHORIZATION gr_owner;
SELECT lives_ok(format('SELECT actions.rename_group(%s, %L)', :leaf_free, 'Leaf, free'), 'the owner renames a group');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT name FROM actions.group WHERE group_id = :leaf_free), 'Leaf, free', '... and it has the new name');

-- Move: the group and everything below it get new paths; the rest of the tree stays.
SET SESSION AUTHORIZATION gr_owner;
SELECT lives_ok(format('SELECT actions.move_group(%s, %s)', :c, :s), 'the owner moves Gamma (with Delta) under Sigma');
RESET SESSION AUTHORIZATION;
SELECT results_eq(format('SELECT name, parent_id, path FROM pg_temp.tree(%s) WHERE name IN (%L, %L, %L)', :ws, 'Beta', 'Gamma', 'Delta'),
    format($$ VALUES ('Beta'::text, %1$s::bigint, ARRAY[%1$s, %2$s]::bigint[]), ('Gamma', %5$s, ARRAY[%1$s, %5$s, %3$s]),
                     ('Delta', %3$s, ARRAY[%1$s, %5$s, %3$s, %4$s]) $$, :a, :b, :c, :d, :s),
    '... Gamma''s parent and the paths of Gamma and Delta now run through Sigma; Beta is unchanged');
SET SESSION AUTHORIZATION gr_owner;
SELECT lives_ok(format('SELECT actions.move_group(%s, NULL)', :c), 'the owner moves Gamma to the top level');
RESET SESSION AUTHORIZATION;
SELECT results_eq(format('SELECT name, parent_id, path FROM pg_temp.tree(%s) WHERE name IN (%L, %L)', :ws, 'Gamma', 'Delta'),
    format($$ VALUES ('Gamma'::text, NULL::bigint, ARRAY[%1$s]::bigint[]), ('Delta', %1$s, ARRAY[%1$s, %2$s]) $$, :c, :d),
    '... a top-level group''s path is itself, and its subtree follows');
SET SESSION AUTHORIZATION gr_owner;
SELECT actions.move_group(:c, :b) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT results_eq(format('SELECT name, parent_id, path FROM pg_temp.tree(%s) WHERE name IN (%L, %L)', :ws, 'Gamma', 'Delta'),
    format($$ VALUES ('Gamma'::text, %2$s::bigint, ARRAY[%1$s, %2$s, %3$s]::bigint[]), ('Delta', %3$s, ARRAY[%1$s, %2$s, %3$s, %4$s]) $$,
           :a, :b, :c, :d),
    '... and moved back under Beta, the tree is as it was');

-- No cycles: a group moves neither under itself nor under a group below it.
SET SESSION AUTHORIZATION gr_owner;
SELECT throws_ok(format('SELECT actions.move_group(%s, %s)', :b, :b), '22023',
    format('group %s cannot be its own parent', :b), 'a group cannot move under itself');
SELECT throws_ok(format('SELECT actions.move_group(%s, %s)', :a, :d), '22023',
    format('group %s cannot move under group %s, which is inside it', :a, :d),
    'a group cannot move under its own descendant (three levels down)');
SELECT throws_ok(format('SELECT actions.move_group(%s, %s)', :b, :c), '22023',
    format('group %s cannot move under group %s, which is inside it', :b, :c),
    'a group cannot move under its own child');
SELECT isnt((pg_temp.error_of(format('SELECT actions.move_group(%s, %s)', :a, :d)))[4], NULL,
    '... and the refusal carries a hint');
RESET SESSION AUTHORIZATION;
SELECT results_eq(format('SELECT name, parent_id, path FROM pg_temp.tree(%s) WHERE name IN (%L, %L)', :ws, 'Alpha', 'Beta'),
    format($$ VALUES ('Alpha'::text, NULL::bigint, ARRAY[%1$s]::bigint[]), ('Beta', %1$s, ARRAY[%1$s, %2$s]) $$, :a, :b),
    '... and the refused moves changed nothing');

-- Delete: refused while subgroups, actions or records hang on the group.
SET SESSION AUTHORIZATION gr_owner;
SELECT actions.create_action(:ws, 'Filed in a leaf', group_ids => ARRAY[:leaf_act]::bigint[]) AS leaf_action \gset
SELECT actions.create_record(:ws, 'Record in a leaf', 'generic', ARRAY[:leaf_rec]::bigint[]) AS leaf_record \gset
SELECT throws_ok(format('SELECT actions.delete_group(%s)', :r), '55000',
    format('group %s still has subgroups', :r), 'a group with subgroups is not deleted');
SELECT throws_ok(format('SELECT actions.delete_group(%s)', :leaf_act), '55000',
    format('group %s still has actions', :leaf_act), 'a group with actions is not deleted');
SELECT throws_ok(format('SELECT actions.delete_group(%s)', :leaf_rec), '55000',
    format('group %s still has records', :leaf_rec), 'a group with records is not deleted');
SELECT actions.add_group_member(:leaf_free, :usr) \g /dev/null
SELECT lives_ok(format('SELECT actions.delete_group(%s)', :leaf_free), 'a leaf with only members is deleted');
RESET SESSION AUTHORIZATION;
SELECT results_eq(format($$ SELECT (SELECT count(*) FROM actions.group WHERE group_id = %1$s),
                                   (SELECT count(*) FROM actions.group_member WHERE group_id = %1$s) $$, :leaf_free),
    $$ VALUES (0::bigint, 0::bigint) $$, '... and its memberships go with it');
SELECT is((SELECT count(*) FROM actions.group WHERE group_id IN (:r, :leaf_act, :leaf_rec)), 3::bigint,
    'the refused deletes deleted nothing');

-- Names: unique in the workspace, never blank.
SET SESSION AUTHORIZATION gr_owner;
SELECT throws_ok(format('SELECT actions.create_group(%s, %L, %s)', :ws, 'Gamma', :r), '23505',
    format('group "Gamma" already exists in workspace %s', :ws), 'a group name is unique in its workspace');
SELECT throws_ok(format('SELECT actions.rename_group(%s, %L)', :s, 'Beta'), '23505',
    format('group "Beta" already exists in workspace %s', :ws), 'renaming to a taken name is refused too');
SELECT lives_ok(format('SELECT actions.rename_group(%s, %L)', :s, 'Sigma'), 'renaming a group to its own name is fine');
SELECT throws_ok(format('SELECT actions.create_group(%s, %L)', :ws, '   '), '22023',
    'group name must not be blank', 'a blank group name is refused');
SELECT throws_ok(format('SELECT actions.create_group(%s, NULL)', :ws), '22023',
    'group name must not be blank', 'a NULL group name is refused');
SELECT throws_ok(format('SELECT actions.rename_group(%s, %L)', :s, ''), '22023',
    'group name must not be blank', 'renaming to an empty name is refused');

-- Another workspace's groups look like no group at all.
SELECT throws_ok(format('SELECT actions.rename_group(%s, %L)', :other_group, 'Mine now'), 'P0002',
    format('group %s not found', :other_group), 'a group of another workspace is not found (rename)');
SELECT throws_ok(format('SELECT actions.delete_group(%s)', :other_group), 'P0002',
    format('group %s not found', :other_group), '... (delete)');
SELECT throws_ok(format('SELECT actions.move_group(%s, NULL)', :other_group), 'P0002',
    format('group %s not found', :other_group), '... (move)');
SELECT throws_ok(format('SELECT actions.add_group_member(%s, %s)', :other_group, :owner), 'P0002',
    format('group %s not found', :other_group), '... (add member)');
SELECT throws_ok(format('SELECT actions.create_group(%s, %L, %s)', :ws, 'Under a stranger', :other_group), 'P0002',
    format('group %s not found in workspace %s', :other_group, :ws), 'a parent of another workspace is not found');
SELECT throws_ok(format('SELECT actions.move_group(%s, %s)', :s, :other_group), 'P0002',
    format('group %s not found in workspace %s', :other_group, :ws), 'a move under a group of another workspace is refused');
SELECT throws_ok(format('SELECT actions.rename_group(%s, %L)', :missing, 'Nothing'), 'P0002',
    format('group %s not found', :missing), 'an unknown group id is not found');
SELECT throws_ok(format('SELECT actions.create_group(%s, %L)', :other_ws, 'Intruder'), 'P0002',
    format('workspace %s not found', :other_ws), 'no group is created in a workspace one is not a member of');

SELECT throws_ok(format('SELECT actions.create_group(%s, %L)', :ws, repeat('n', 201)), '22023',
    'group name too long', 'a group name of 201 characters is refused');
-- The limit counts characters, as the table's CHECK (length(name) <= 200) and role names do.
SELECT lives_ok(format('SELECT actions.create_group(%s, %L)', :ws, repeat('é', 200)),
    'a group name of 200 characters is accepted, also when they take 400 bytes in UTF-8');
SELECT lives_ok(format('SELECT actions.rename_group(%s, %L)', :leaf_act, repeat('ü', 120)),
    'renaming a group to 120 two-byte characters is accepted');
SELECT actions.rename_group(:leaf_act, 'Leaf with action') \g /dev/null

-- Moving a group under its own parent changes nothing.
SELECT lives_ok(format('SELECT actions.move_group(%s, %s)', :c, :b), 'a group moves under the parent it already has');
RESET SESSION AUTHORIZATION;
SELECT results_eq(format('SELECT name, parent_id, path FROM pg_temp.tree(%s) WHERE name IN (%L, %L)', :ws, 'Gamma', 'Delta'),
    format($$ VALUES ('Gamma'::text, %2$s::bigint, ARRAY[%1$s, %2$s, %3$s]::bigint[]), ('Delta', %3$s, ARRAY[%1$s, %2$s, %3$s, %4$s]) $$,
           :a, :b, :c, :d),
    '... and its subtree keeps its paths');

-- At most 32 levels, also after a move.
SET SESSION AUTHORIZATION gr_owner;
SELECT pg_temp.chain(:ws, 'Level ', 32) AS level32 \gset
SELECT group_id AS level30 FROM actions.group WHERE workspace_id = :ws AND name = 'Level 30' \gset
SELECT group_id AS level31 FROM actions.group WHERE workspace_id = :ws AND name = 'Level 31' \gset
SELECT throws_ok(format('SELECT actions.create_group(%s, %L, %s)', :ws, 'Level 33', :level32), '22023',
    'group tree too deep', 'a 33rd level is refused');
SELECT throws_ok(format('SELECT actions.move_group(%s, %s)', :c, :level31), '22023',
    'group tree too deep', 'Gamma with Delta below it does not move under level 31 (Delta would be level 33)');
SELECT lives_ok(format('SELECT actions.move_group(%s, %s)', :c, :level30), '... but under level 30 (Delta becomes level 32)');
SELECT actions.move_group(:c, :b) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT results_eq(format($$ SELECT cardinality(path), (SELECT count(*) FROM actions.group WHERE name = 'Level 33')
                              FROM actions.group WHERE group_id = %s $$, :level32),
    $$ VALUES (32, 0::bigint) $$, 'the deepest group has a path of 32 ids, and no 33rd level was created');

-- Group members: members of the workspace only, adding twice changes nothing.
SET SESSION AUTHORIZATION gr_owner;
SELECT throws_ok(format('SELECT actions.add_group_member(%s, %s)', :b, :stranger), '22023',
    format('person %s is not a member of workspace %s', :stranger, :ws), 'a person outside the workspace joins none of its groups');
SELECT throws_ok(format('SELECT actions.add_group_member(%s, %s)', :b, :other), '22023',
    format('person %s is not a member of workspace %s', :other, :ws), '... nor does a member of another workspace');
SELECT throws_ok(format('SELECT actions.add_group_member(%s, %s)', :b, :gone), '22023',
    format('person %s is not a member of workspace %s', :gone, :ws), '... nor does a member who was removed');
SELECT actions.add_group_member(:b, :scoped) \g /dev/null
SELECT lives_ok(format('SELECT actions.add_group_member(%s, %s)', :b, :scoped), 'adding a member twice is no error');
SELECT actions.add_group_member(:b, :gmgr) \g /dev/null
SELECT actions.add_group_member(:b, :mixed) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM actions.group_member WHERE group_id = :b AND person_id = :scoped), 1::bigint,
    '... and leaves one membership');

-- Without manage_workspace nobody changes the tree.
SET SESSION AUTHORIZATION gr_user;
SELECT throws_ok(format('SELECT actions.create_group(%s, %L)', :ws, 'Users'' own'), '42501',
    'permission denied to manage workspace', 'a user cannot create a group');
SELECT throws_ok(format('SELECT actions.rename_group(%s, %L)', :b, 'Taken over'), '42501',
    'permission denied to manage workspace', 'nor rename one');
SELECT throws_ok(format('SELECT actions.move_group(%s, NULL)', :b), '42501',
    'permission denied to manage workspace', 'nor move one');
SELECT throws_ok(format('SELECT actions.delete_group(%s)', :leaf_act), '42501',
    'permission denied to manage workspace', 'nor delete one');
SELECT throws_ok(format('SELECT actions.add_group_member(%s, %s)', :b, :usr), '42501',
    'permission denied to manage workspace', 'nor put themselves into a group');
SELECT throws_ok(format('SELECT actions.remove_group_member(%s, %s)', :b, :scoped), '42501',
    'permission denied to manage workspace', 'nor take someone out of one');
RESET SESSION AUTHORIZATION;

-- manage_workspace:groups: the manager manages the groups inside their own group (Beta) only.
SET SESSION AUTHORIZATION gr_gmgr;
SELECT lives_ok(format('SELECT actions.create_group(%s, %L, %s)', :ws, 'Beta team', :b),
    'a group-scoped manager creates a subgroup under their group');
SELECT lives_ok(format('SELECT actions.create_group(%s, %L, %s)', :ws, 'Delta team', :d),
    '... and under a group three levels below it');
SELECT throws_ok(format('SELECT actions.create_group(%s, %L)', :ws, 'Top by manager'), '42501',
    'permission denied to manage workspace: outside your groups', '... but not a top-level group');
SELECT throws_ok(format('SELECT actions.create_group(%s, %L, %s)', :ws, 'Under Sigma', :s), '42501',
    'permission denied to manage workspace: outside your groups', '... nor one under a sibling tree');
SELECT throws_ok(format('SELECT actions.create_group(%s, %L, %s)', :ws, 'Under Alpha', :a), '42501',
    'permission denied to manage workspace: outside your groups', '... nor one under the parent of their group');
SELECT throws_ok(format('SELECT actions.rename_group(%s, %L)', :s, 'Sigma taken'), '42501',
    'permission denied to manage workspace: outside your groups', '... nor rename a group outside their tree');
SELECT throws_ok(format('SELECT actions.move_group(%s, %s)', :c, :s), '42501',
    'permission denied to manage workspace: outside your groups', '... nor move a group of theirs out of their tree');
SELECT throws_ok(format('SELECT actions.move_group(%s, %s)', :s, :c), '42501',
    'permission denied to manage workspace: outside your groups', '... nor move a group from outside into it');
SELECT throws_ok(format('SELECT actions.add_group_member(%s, %s)', :s, :gmgr), '42501',
    'permission denied to manage workspace: outside your groups', '... nor join a group outside their tree');
SELECT lives_ok(format('SELECT actions.add_group_member(%s, %s)', :c, :usr), '... but puts a member into a group below theirs');
SELECT lives_ok(format('SELECT actions.rename_group(%s, %L)', (SELECT group_id FROM actions.group WHERE name = 'Beta team'), 'Beta crew'),
    '... and renames a group below theirs');
-- manage_workspace:groups covers the groups, not the rest of the workspace: no roles, no settings.
SELECT throws_ok(format('SELECT actions.update_role(%s, %L, permissions => %L)', :ws, 'group admin', '{manage_workspace}'), '42501',
    'permission denied to manage workspace: outside your groups', 'a group-scoped manager cannot widen their own role');
SELECT throws_ok(format('SELECT actions.create_role(%s, %L, %L)', :ws, 'everything', '{manage_workspace,view_actions}'), '42501',
    'permission denied to manage workspace: outside your groups', '... nor create a role');
SELECT throws_ok(format('SELECT actions.set_notification(%s, %L, false)', :ws, 'overdue'), '42501',
    'permission denied to manage workspace: outside your groups', '... nor change the workspace''s notification settings');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT string_agg(name, ', ' ORDER BY group_id) FROM actions.group WHERE workspace_id = :ws AND group_id > :level32),
    'Beta crew, Delta team', 'the scoped manager''s refused calls created nothing');

-- =============================================================================================
-- 2. Grants scoped to groups. One action per place in the tree; the scoped member is in Beta.
SET SESSION AUTHORIZATION gr_owner;
CREATE TEMP TABLE acts (title text PRIMARY KEY, id bigint NOT NULL);
GRANT SELECT ON acts TO PUBLIC;
INSERT INTO acts VALUES
    ('Filed in a leaf', :leaf_action),
    ('in Alpha', actions.create_action(:ws, 'in Alpha', group_ids => ARRAY[:a]::bigint[])),
    ('in Beta', actions.create_action(:ws, 'in Beta', group_ids => ARRAY[:b]::bigint[])),
    ('in Gamma', actions.create_action(:ws, 'in Gamma', group_ids => ARRAY[:c]::bigint[])),
    ('in Delta', actions.create_action(:ws, 'in Delta', group_ids => ARRAY[:d]::bigint[])),
    ('in Sigma', actions.create_action(:ws, 'in Sigma', group_ids => ARRAY[:s]::bigint[])),
    ('in Rho', actions.create_action(:ws, 'in Rho', group_ids => ARRAY[:r]::bigint[])),
    ('in no group', actions.create_action(:ws, 'in no group')),
    ('in Sigma, assigned', actions.create_action(:ws, 'in Sigma, assigned', assignee_id => :scoped, group_ids => ARRAY[:s]::bigint[])),
    ('in Rho and Beta', actions.create_action(:ws, 'in Rho and Beta', group_ids => ARRAY[:r, :b]::bigint[]));
SELECT actions.add_note(id, 'remark on ' || title) FROM acts WHERE title IN ('in Gamma', 'in Sigma', 'in no group') \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT id AS act_beta FROM acts WHERE title = 'in Beta' \gset
SELECT id AS act_gamma FROM acts WHERE title = 'in Gamma' \gset
SELECT id AS act_delta FROM acts WHERE title = 'in Delta' \gset
SELECT id AS act_sigma FROM acts WHERE title = 'in Sigma' \gset
SELECT id AS act_sigma_mine FROM acts WHERE title = 'in Sigma, assigned' \gset
SELECT id AS act_none FROM acts WHERE title = 'in no group' \gset
SELECT id AS act_rho FROM acts WHERE title = 'in Rho' \gset

-- what why_not() says when a grant exists but its groups do not cover the action, and for an
-- action the person cannot see
\set outside_edit 'permission denied to edit action: outside your groups: your role grants this only within your groups and their subgroups, and the target belongs to none of them'
\set outside_complete 'permission denied to complete action: outside your groups: your role grants this only within your groups and their subgroups, and the target belongs to none of them'
\set hidden 'action %s not found: no action with that id is visible to you'
-- The titles of the actions the acting person may `verb`, in the order they were created.
CREATE FUNCTION pg_temp.allowed(verb text) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(title, ', ' ORDER BY id), '') FROM acts WHERE actions.can(verb, id) $$;
-- What the person reads directly: the actions, the actions with log entries, with notes.
CREATE FUNCTION pg_temp.seen() RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(t.title, ', ' ORDER BY t.id), '') FROM acts t
     WHERE EXISTS (SELECT 1 FROM actions.action a WHERE a.action_id = t.id) $$;
CREATE FUNCTION pg_temp.logged() RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(t.title, ', ' ORDER BY t.id), '') FROM acts t
     WHERE EXISTS (SELECT 1 FROM actions.activity l WHERE l.action_id = t.id) $$;
CREATE FUNCTION pg_temp.noted() RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(t.title, ', ' ORDER BY t.id), '') FROM acts t
     WHERE EXISTS (SELECT 1 FROM actions.note n WHERE n.action_id = t.id) $$;
-- Every action of the workspace is in acts (so "all of them" below means all).
SELECT is((SELECT count(*) FROM actions.action WHERE workspace_id = :ws), (SELECT count(*) FROM acts),
    'precondition: the candidate list holds every action of the workspace');

SET SESSION AUTHORIZATION gr_scoped;
SELECT is(pg_temp.allowed('view'), 'in Beta, in Gamma, in Delta, in Sigma, assigned, in Rho and Beta',
    'scoped view: the actions of their group and of the groups one and two levels below it, plus their own assignment; not those of the parent, the sibling, the other root or of no group');
SELECT is(pg_temp.allowed('complete'), 'in Beta, in Gamma, in Delta, in Sigma, assigned, in Rho and Beta',
    'scoped complete: the same actions (the assigned one as its assignee)');
SELECT is(pg_temp.allowed('edit'), 'in Beta, in Gamma, in Delta, in Rho and Beta',
    'scoped edit: only the actions within their groups');
SELECT ok(actions.can('edit', :act_delta), 'edit is allowed two levels below the member''s group');
SELECT is(actions.why_not('edit', :act_delta), NULL, '... and why_not says nothing against it');
SELECT is(actions.why_not('edit', :act_sigma_mine), :'outside_edit',
    'why_not: an action they see (as assignee) but outside their groups is "outside your groups"');
SELECT is(actions.why_not('view', :act_sigma), format(:'hidden', :act_sigma),
    'why_not: an action outside their groups they do not see is "not found"');
SELECT is(actions.why_not('complete', :act_none), format(:'hidden', :act_none),
    '... also one in no group at all');
SELECT is(replace(actions.why_not('complete', :act_sigma), :'act_sigma', 'N'), replace(actions.why_not('complete', :missing), :'missing', 'N'),
    '... exactly like an action that does not exist');
SELECT set_eq('SELECT unnest(actions.visible_groups())',
    format($$ SELECT group_id FROM actions.group WHERE workspace_id = %s AND path @> ARRAY[%s]::bigint[] $$, :ws, :b),
    'visible_groups(): their group and every group below it');
RESET SESSION AUTHORIZATION;

-- A grant scoped to groups next to a role-wide one.
SET SESSION AUTHORIZATION gr_mixed;
SELECT is(pg_temp.allowed('view'), (SELECT string_agg(title, ', ' ORDER BY id) FROM acts),
    'mixed role: view_actions role-wide shows every action');
SELECT is(pg_temp.allowed('complete'), 'in Beta, in Gamma, in Delta, in Rho and Beta',
    'mixed role: complete_any_actions:groups completes only within their groups');
SELECT is(actions.why_not('complete', :act_sigma), :'outside_complete',
    'why_not: a visible action outside their groups is "outside your groups"');
SELECT is(actions.why_not('complete', :act_none), :'outside_complete',
    '... also one in no group');
SELECT is(split_part(actions.why_not('edit', :act_beta), ':', 1), 'permission denied to edit action',
    'a permission the role does not grant at all is refused without mentioning groups');
SELECT lives_ok(format('SELECT actions.create_action(%s, %L, group_ids => ARRAY[%s]::bigint[])', :ws, 'Mixed in Delta', :d),
    'create_actions:groups: an action in a group below theirs is created');
SELECT throws_ok(format('SELECT actions.create_action(%s, %L, group_ids => ARRAY[%s]::bigint[])', :ws, 'Mixed in Sigma', :s), '42501',
    'permission denied to create action: outside your groups', '... one in a sibling group is not');
SELECT throws_ok(format('SELECT actions.create_action(%s, %L)', :ws, 'Mixed in no group'), '42501',
    'permission denied to create action: outside your groups', '... nor one in no group');
RESET SESSION AUTHORIZATION;

-- A role-wide grant ignores groups.
SET SESSION AUTHORIZATION gr_wide;
SELECT is(pg_temp.allowed('view'), (SELECT string_agg(title, ', ' ORDER BY id) FROM acts), 'role-wide view: every action');
SELECT is(pg_temp.allowed('complete'), (SELECT string_agg(title, ', ' ORDER BY id) FROM acts), 'role-wide complete: every action');
SELECT is(pg_temp.allowed('edit'), (SELECT string_agg(title, ', ' ORDER BY id) FROM acts), 'role-wide edit: every action');
RESET SESSION AUTHORIZATION;

-- Membership changes take effect at once.
SET SESSION AUTHORIZATION gr_owner;
SELECT actions.remove_group_member(:b, :scoped) \g /dev/null
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION gr_scoped;
SELECT is(pg_temp.allowed('view'), 'in Sigma, assigned', 'out of Beta, the scoped member sees only their assignment');
SELECT is(pg_temp.allowed('edit'), '', '... and edits nothing');
SELECT is(actions.why_not('view', :act_gamma), format(:'hidden', :act_gamma), '... Gamma''s action is not found');
SELECT is(pg_temp.seen(), pg_temp.allowed('view'), '... and the table shows the same');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION gr_owner;
SELECT actions.add_group_member(:b, :scoped) \g /dev/null
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION gr_scoped;
SELECT is(pg_temp.allowed('view'), 'in Beta, in Gamma, in Delta, in Sigma, assigned, in Rho and Beta',
    'back in Beta, they see their groups'' actions again');
RESET SESSION AUTHORIZATION;

-- So do moves of the tree: Gamma (with Delta) moves out of Beta, Sigma moves into it.
SET SESSION AUTHORIZATION gr_owner;
SELECT actions.move_group(:c, :a) \g /dev/null
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION gr_scoped;
SELECT is(pg_temp.allowed('view'), 'in Beta, in Sigma, assigned, in Rho and Beta',
    'once Gamma moves out of Beta, its actions and Delta''s are out of scope');
SELECT is(pg_temp.allowed('edit'), 'in Beta, in Rho and Beta', '... for edit too');
SELECT is(pg_temp.seen(), pg_temp.allowed('view'), '... and the table shows the same');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION gr_owner;
SELECT actions.move_group(:s, :b) \g /dev/null
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION gr_scoped;
SELECT is(pg_temp.allowed('edit'), 'in Beta, in Sigma, in Sigma, assigned, in Rho and Beta',
    'once Sigma moves under Beta, its actions are in scope');
SELECT is(pg_temp.seen(), pg_temp.allowed('view'), '... and the table shows the same');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION gr_owner;
SELECT actions.move_group(:s, :a), actions.move_group(:c, :b) \g /dev/null
RESET SESSION AUTHORIZATION;

-- =============================================================================================
-- 3. Row-level security agrees with actions.can('view'), person by person.
SET SESSION AUTHORIZATION gr_scoped;
SELECT is(pg_temp.seen(), 'in Beta, in Gamma, in Delta, in Sigma, assigned, in Rho and Beta',
    'scoped member: the table shows their groups'' actions and their assignment');
SELECT is(pg_temp.seen(), pg_temp.allowed('view'), 'scoped member: the table and actions.can(view) agree');
SELECT is(pg_temp.logged(), pg_temp.allowed('view'), 'scoped member: log entries only of the actions they see');
SELECT is(pg_temp.noted(), 'in Gamma', 'scoped member: notes only of the actions they see');
CREATE FUNCTION pg_temp.must_not_see(id bigint, hidden bigint[]) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    IF id = ANY (hidden) THEN RAISE EXCEPTION 'leaked action %', id; END IF;
    RETURN true;
END $$;
SELECT lives_ok(format('SELECT count(*) FROM actions.action WHERE pg_temp.must_not_see(action_id, ARRAY[%s, %s, %s])',
                       :act_sigma, :act_none, :act_rho),
    'scoped member: a function in the WHERE clause sees no action outside their groups');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION gr_mixed;
SELECT is(pg_temp.seen(), pg_temp.allowed('view'), 'mixed role: the table and actions.can(view) agree');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION gr_wide;
SELECT is(pg_temp.seen(), pg_temp.allowed('view'), 'role-wide: the table and actions.can(view) agree');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION gr_user;
SELECT is(pg_temp.seen(), pg_temp.allowed('view'), 'user: the table and actions.can(view) agree');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION gr_gmgr;
SELECT is(pg_temp.seen(), '', 'a group manager without view_actions sees no action of their groups');
SELECT is(pg_temp.seen(), pg_temp.allowed('view'), '... as actions.can(view) says');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION gr_other;
SELECT is(pg_temp.seen(), '', 'a member of another workspace sees none of these actions');
RESET SESSION AUTHORIZATION;

-- The tree and its members are visible to the workspace's members only.
SET SESSION AUTHORIZATION gr_user;
SELECT is((SELECT count(*) FROM actions.group WHERE workspace_id = :ws),
          (SELECT count(*) FROM actions.group WHERE workspace_id = :ws), 'precondition (as a user)');
RESET SESSION AUTHORIZATION;
SELECT count(*) AS group_count FROM actions.group WHERE workspace_id = :ws \gset
SELECT count(*) AS group_member_count FROM actions.group_member WHERE workspace_id = :ws \gset
SET SESSION AUTHORIZATION gr_user;
SELECT results_eq(format('SELECT (SELECT count(*) FROM actions.group WHERE workspace_id = %1$s), (SELECT count(*) FROM actions.group_member WHERE workspace_id = %1$s)', :ws),
    format('VALUES (%s::bigint, %s::bigint)', :group_count, :group_member_count),
    'a member of the workspace sees its whole group tree and who is in which group');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION gr_other;
SELECT results_eq('SELECT string_agg(name, '','') FROM actions.group', $$ VALUES ('Elsewhere'::text) $$,
    'a member of another workspace sees only that workspace''s groups');
SELECT is((SELECT count(*) FROM actions.group_member WHERE workspace_id = :ws), 0::bigint,
    '... and none of this workspace''s group members');
RESET SESSION AUTHORIZATION;

-- =============================================================================================
-- 4. set_action_groups.
SET SESSION AUTHORIZATION gr_owner;
SELECT actions.create_action(:ws, 'Regroup me', group_ids => ARRAY[:c]::bigint[]) AS regroup \gset
SELECT lives_ok(format('SELECT actions.set_action_groups(%s, ARRAY[%s, %s, %s]::bigint[])', :regroup, :c, :c, :b),
    'the owner sets the groups of an action');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT group_ids FROM actions.action WHERE action_id = :regroup), ARRAY[:b, :c]::bigint[],
    '... stored sorted and without repeats');
SELECT results_eq(format('SELECT event, old_value, new_value, actor_id FROM actions.activity WHERE action_id = %s ORDER BY seq DESC LIMIT 1', :regroup),
    format($$ VALUES ('groups_changed'::text, '{%s}'::text, '{%s,%s}'::text, %s::bigint) $$, :c, :b, :c, :owner),
    '... and logged as groups_changed with the old and the new groups and the person');
SELECT max(seq) AS regroup_seq FROM actions.activity WHERE action_id = :regroup \gset
SET SESSION AUTHORIZATION gr_owner;
SELECT lives_ok(format('SELECT actions.set_action_groups(%s, ARRAY[%s, %s]::bigint[])', :regroup, :c, :b),
    'setting the same groups again is no error');
SELECT throws_ok(format('SELECT actions.set_action_groups(%s, NULL)', :regroup), '22004',
    'group_ids must not be null', 'group_ids NULL is refused');
SELECT throws_ok(format('SELECT actions.set_action_groups(%s, ARRAY[%s, NULL]::bigint[])', :regroup, :b), '22023',
    'group ids must not contain NULL', 'a NULL group id is refused');
SELECT throws_ok(format('SELECT actions.set_action_groups(%s, ARRAY[%s]::bigint[])', :regroup, :missing), 'P0002',
    format('group %s not found in workspace %s', :missing, :ws), 'an unknown group is not found');
SELECT throws_ok(format('SELECT actions.set_action_groups(%s, ARRAY[%s, %s]::bigint[])', :regroup, :b, :other_group), 'P0002',
    format('group %s not found in workspace %s', :other_group, :ws), 'a group of another workspace is not found');
RESET SESSION AUTHORIZATION;
SELECT results_eq(format('SELECT (SELECT group_ids FROM actions.action WHERE action_id = %1$s), (SELECT max(seq) FROM actions.activity WHERE action_id = %1$s)', :regroup),
    format('VALUES (ARRAY[%s, %s]::bigint[], %s)', :b, :c, :regroup_seq),
    'neither the unchanged nor the refused calls changed the groups or wrote to the log');

-- A group-scoped editor regroups within their groups only.
SET SESSION AUTHORIZATION gr_owner;
SELECT actions.create_action(:ws, 'Scoped regroup', group_ids => ARRAY[:b]::bigint[]) AS scoped_regroup \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION gr_scoped;
SELECT lives_ok(format('SELECT actions.set_action_groups(%s, ARRAY[%s]::bigint[])', :scoped_regroup, :d),
    'a scoped editor moves an action to a group below theirs');
SELECT throws_ok(format('SELECT actions.set_action_groups(%s, ARRAY[%s]::bigint[])', :scoped_regroup, :s), '42501',
    'permission denied to edit action: outside your groups', '... but not out of their groups');
SELECT throws_ok(format('SELECT actions.set_action_groups(%s, %L)', :scoped_regroup, '{}'), '42501',
    'permission denied to edit action: outside your groups', '... nor out of every group');
SELECT throws_ok(format('SELECT actions.set_action_groups(%s, ARRAY[%s]::bigint[])', :act_sigma, :b), 'P0002',
    format('action %s not found', :act_sigma), '... nor pull in an action outside their groups (not found)');
SELECT throws_ok(format('SELECT actions.set_action_groups(%s, ARRAY[%s]::bigint[])', :act_sigma_mine, :b), '42501',
    'permission denied to edit action: outside your groups', '... nor one they see only as its assignee');
RESET SESSION AUTHORIZATION;
SELECT results_eq(format('SELECT event, old_value, new_value, actor_id FROM actions.activity WHERE action_id = %s ORDER BY seq DESC LIMIT 1', :scoped_regroup),
    format($$ VALUES ('groups_changed'::text, '{%s}'::text, '{%s}'::text, %s::bigint) $$, :b, :d, :scoped),
    'the scoped editor''s regroup is logged with them as actor, the refused ones not at all');
SELECT is((SELECT group_ids FROM actions.action WHERE action_id = :act_sigma_mine), ARRAY[:s]::bigint[],
    'the action they could not regroup keeps its group');

-- The scoped grants work through the API's mutating calls as they do in can().
SET SESSION AUTHORIZATION gr_scoped;
SELECT lives_ok(format('SELECT actions.update_action(%s, title => %L)', :act_delta, 'in Delta, edited'),
    'the scoped editor edits an action two levels below their group');
SELECT lives_ok(format('SELECT actions.complete(%s)', :act_gamma), 'and completes one a level below it');
SELECT throws_ok(format('SELECT actions.update_action(%s, title => %L)', :act_sigma_mine, 'mine'), '42501',
    'permission denied to edit action: outside your groups', 'but edits no action outside their groups they see');
SELECT throws_ok(format('SELECT actions.complete(%s)', :act_sigma), 'P0002',
    format('action %s not found', :act_sigma), 'and completes no action outside their groups they do not see');
RESET SESSION AUTHORIZATION;

-- =============================================================================================
-- 5. A record's groups are the default groups of its new actions.
SET SESSION AUTHORIZATION gr_owner;
SELECT actions.create_record(:ws, 'Contract', 'generic', ARRAY[:s, :d, :s]::bigint[]) AS rec \gset
SELECT actions.create_action(:ws, 'From the record', record_id => :rec) AS from_rec \gset
SELECT actions.create_action(:ws, 'From the record, own groups', record_id => :rec, group_ids => ARRAY[:r]::bigint[]) AS from_rec_own \gset
SELECT actions.create_action(:ws, 'From the record, no group', record_id => :rec, group_ids => '{}') AS from_rec_none \gset
SELECT throws_ok(format('SELECT actions.create_record(%s, %L, %L, ARRAY[%s]::bigint[])', :ws, 'Foreign', 'generic', :other_group), 'P0002',
    format('group %s not found in workspace %s', :other_group, :ws), 'a record takes no group of another workspace');
SELECT throws_ok(format('SELECT actions.create_action(%s, %L, group_ids => ARRAY[%s]::bigint[])', :ws, 'Foreign', :other_group), 'P0002',
    format('group %s not found in workspace %s', :other_group, :ws), 'nor does an action');
SELECT throws_ok(format('SELECT actions.create_action(%s, %L, group_ids => ARRAY[NULL]::bigint[])', :ws, 'Null group'), '22023',
    'group ids must not contain NULL', 'a NULL group id in create_action is refused');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT group_ids FROM actions.record WHERE record_id = :rec), ARRAY[:d, :s]::bigint[],
    'a record''s groups are stored sorted and without repeats');
SELECT is((SELECT group_ids FROM actions.action WHERE action_id = :from_rec), ARRAY[:d, :s]::bigint[],
    'an action created for a record without groups of its own takes the record''s groups');
SELECT is((SELECT group_ids FROM actions.action WHERE action_id = :from_rec_own), ARRAY[:r]::bigint[],
    'groups given explicitly win over the record''s');
SELECT is((SELECT group_ids FROM actions.action WHERE action_id = :from_rec_none), '{}'::bigint[],
    'an explicit empty array means no group, not the record''s');
SET SESSION AUTHORIZATION gr_scoped;
SELECT ok(actions.can('edit', :from_rec), 'the inherited groups count for scoped grants (Delta is below Beta)');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION gr_mixed;
SELECT lives_ok(format('SELECT actions.create_action(%s, %L, record_id => %s)', :ws, 'Mixed from the record', :rec),
    'a scoped creator creates an action for a record whose groups reach into theirs');
RESET SESSION AUTHORIZATION;

-- =============================================================================================
-- 6. A trusted service's direct writes: groups of the action's own workspace only.
GRANT SELECT, INSERT, UPDATE ON actions.action TO gr_app;
SET SESSION AUTHORIZATION gr_app;
SELECT actions.act_as(:owner) \g /dev/null
SELECT throws_ok(format('INSERT INTO actions.action (workspace_id, title, owner_id, group_ids) VALUES (%s, %L, %s, ARRAY[%s]::bigint[])',
                        :ws, 'Direct, foreign group', :owner, :other_group), '23503',
    format('group %s is not a group of workspace %s', :other_group, :ws),
    'a direct INSERT with a group of another workspace is a foreign-key violation');
SELECT throws_ok(format('UPDATE actions.action SET group_ids = ARRAY[%s, %s]::bigint[] WHERE action_id = %s', :b, :other_group, :act_rho), '23503',
    format('group %s is not a group of workspace %s', :other_group, :ws),
    'so is a direct UPDATE to one');
SELECT throws_ok(format('UPDATE actions.action SET group_ids = ARRAY[%s]::bigint[] WHERE action_id = %s', :missing, :act_rho), '23503',
    format('group %s is not a group of workspace %s', :missing, :ws),
    'and to a group that does not exist');
SELECT throws_ok(format('UPDATE actions.action SET group_ids = ARRAY[NULL]::bigint[] WHERE action_id = %s', :act_rho), '22023',
    'group ids must not contain NULL', 'a direct NULL group id is refused');
INSERT INTO actions.action (workspace_id, title, owner_id, group_ids)
VALUES (:ws, 'Direct', :owner, ARRAY[:c, :b, :c]::bigint[]) RETURNING action_id AS direct \gset
UPDATE actions.action SET group_ids = ARRAY[:s, :r, :s]::bigint[] WHERE action_id = :act_rho;
RESET SESSION AUTHORIZATION;
SELECT is((SELECT group_ids FROM actions.action WHERE action_id = :direct), ARRAY[:b, :c]::bigint[],
    'a direct INSERT''s groups are stored sorted and without repeats');
SELECT results_eq(format('SELECT group_ids, (SELECT count(*) FROM actions.action WHERE title LIKE %L) FROM actions.action WHERE action_id = %s', 'Direct,%', :act_rho),
    format('VALUES (ARRAY[%s, %s]::bigint[], 0::bigint)', :s, :r),
    'the refused writes changed nothing; a direct UPDATE''s groups are normalized too');
SELECT results_eq(format('SELECT event, old_value, new_value, db_role::text COLLATE "default" FROM actions.activity WHERE action_id = %s ORDER BY seq DESC LIMIT 1', :act_rho),
    format($$ VALUES ('groups_changed'::text, '{%s}'::text, '{%s,%s}'::text, 'gr_app'::text) $$, :r, :s, :r),
    'a direct UPDATE of the groups is logged as groups_changed with the service''s role');

SELECT * FROM finish();
ROLLBACK;
