-- pg_actions install script, part 36: managing groups, their members, and the groups of an action.
-- Changing groups needs manage_workspace; a manager whose grant is scoped to groups manages the
-- groups inside their scope.

CREATE FUNCTION actions.create_group(workspace_id bigint, name text, parent_id bigint DEFAULT NULL)
    RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_create_group';
COMMENT ON FUNCTION actions.create_group(bigint, text, bigint) IS
    'Add a group, top-level or under parent_id (needs manage_workspace); returns its id';

CREATE FUNCTION actions.rename_group(group_id bigint, name text) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_rename_group';
COMMENT ON FUNCTION actions.rename_group(bigint, text) IS 'Rename a group (needs manage_workspace)';

CREATE FUNCTION actions.move_group(group_id bigint, parent_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_move_group';
COMMENT ON FUNCTION actions.move_group(bigint, bigint) IS
    'Move a group with everything below it under another parent, or to the top level with NULL; a move into its own subtree is refused (needs manage_workspace)';

CREATE FUNCTION actions.delete_group(group_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_delete_group';
COMMENT ON FUNCTION actions.delete_group(bigint) IS
    'Delete a group without subgroups, actions or records (needs manage_workspace); its memberships go with it';

CREATE FUNCTION actions.add_group_member(group_id bigint, person_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_add_group_member';
COMMENT ON FUNCTION actions.add_group_member(bigint, bigint) IS
    'Put a member of the workspace into a group (needs manage_workspace); adding them twice changes nothing';

CREATE FUNCTION actions.remove_group_member(group_id bigint, person_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_remove_group_member';
COMMENT ON FUNCTION actions.remove_group_member(bigint, bigint) IS
    'Take a member out of a group (needs manage_workspace); group-scoped grants stop covering that group at once';

CREATE FUNCTION actions.set_action_groups(action_id bigint, group_ids bigint[]) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_set_action_groups';
COMMENT ON FUNCTION actions.set_action_groups(bigint, bigint[]) IS
    'Replace the groups of an action (needs the edit permission for the action as it is and as it will be); logged as groups_changed';
