-- pg_actions install script, part 38: custom roles of a workspace.

CREATE FUNCTION actions.create_role(workspace_id bigint, name text, permissions text[] DEFAULT '{}')
    RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_create_role';
COMMENT ON FUNCTION actions.create_role(bigint, text, text[]) IS
    'Add a custom role with permission codes from the fixed catalog (needs manage_workspace); returns its id';

CREATE FUNCTION actions.update_role(workspace_id bigint, name text, new_name text DEFAULT NULL,
                                    permissions text[] DEFAULT NULL)
    RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_update_role';
COMMENT ON FUNCTION actions.update_role(bigint, text, text, text[]) IS
    'Rename a custom role and/or replace its permissions (NULL leaves either as it is); system roles stay as they are';

CREATE FUNCTION actions.delete_role(workspace_id bigint, name text) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_delete_role';
COMMENT ON FUNCTION actions.delete_role(bigint, text) IS
    'Delete a custom role that no member holds any more; system roles cannot be deleted';

CREATE FUNCTION actions.set_member_role(workspace_id bigint, person_id bigint, role text) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_set_member_role';
COMMENT ON FUNCTION actions.set_member_role(bigint, bigint, text) IS
    'Give a member another role of the workspace (needs manage_workspace); the last active owner keeps the owner role';

-- The last-owner rule holds for every path that changes a member: the API, actions.add_member()
-- and an administrator's own UPDATE or DELETE.
CREATE FUNCTION actions.member_keeps_owner() RETURNS trigger
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_member_keeps_owner';
COMMENT ON FUNCTION actions.member_keeps_owner() IS
    'Trigger: refuses a change of actions.member that would leave its workspace without an active owner (serialized on the workspace row). SECURITY DEFINER: it reads and locks only the extension''s own tables, so an administrator''s direct UPDATE needs no privilege on them';
CREATE TRIGGER member_keeps_owner BEFORE UPDATE OR DELETE ON actions.member
    FOR EACH ROW EXECUTE FUNCTION actions.member_keeps_owner();
ALTER TABLE actions.member ENABLE ALWAYS TRIGGER member_keeps_owner;
