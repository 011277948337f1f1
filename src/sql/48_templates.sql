-- pg_actions install script, part 48: the API of action types and templates (src/sql/08 and 13
-- hold the tables), and what members read of them. Each function decides for the acting person:
-- types and templates are managed with manage_workspace; any member who may create actions
-- creates them from a template, through create_action's rules.

CREATE FUNCTION actions.create_action_type(workspace_id bigint, type_key text, label text) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_create_action_type';
COMMENT ON FUNCTION actions.create_action_type(bigint, text, text) IS
    'Add a custom action type to the workspace (needs manage_workspace): a stable key (a lowercase identifier, not a system type) and the label lists show';

CREATE FUNCTION actions.rename_action_type(workspace_id bigint, type_key text, label text) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_rename_action_type';
COMMENT ON FUNCTION actions.rename_action_type(bigint, text, text) IS
    'Change the label of a custom action type (needs manage_workspace); the key, and so every action of the type, stays';

CREATE FUNCTION actions.retire_action_type(workspace_id bigint, type_key text) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_retire_action_type';
COMMENT ON FUNCTION actions.retire_action_type(bigint, text) IS
    'Retire a custom action type (needs manage_workspace): its actions keep it and lists still filter by it, but new actions and templates cannot use it';

CREATE FUNCTION actions.reinstate_action_type(workspace_id bigint, type_key text) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_reinstate_action_type';
COMMENT ON FUNCTION actions.reinstate_action_type(bigint, text) IS
    'Put a retired custom action type back in use (needs manage_workspace)';

CREATE FUNCTION actions.create_template(
    workspace_id      bigint,
    name              text,
    title             text,
    type              text DEFAULT 'task',
    description       text DEFAULT NULL,
    due_in            integer DEFAULT NULL,
    due_unit          text DEFAULT 'calendar_days',
    priority          text DEFAULT 'none',
    group_ids         bigint[] DEFAULT NULL,
    assignee_rule     text DEFAULT 'none',
    assignee_id       bigint DEFAULT NULL,
    assignee_capacity text DEFAULT NULL)
    RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_create_template';
COMMENT ON FUNCTION actions.create_template(bigint, text, text, text, text, integer, text, text, bigint[], text, bigint, text) IS
    'Create an action template (needs manage_workspace), version 1: type, title and description with placeholders ({workspace}, {record_title}, {record_kind}, {due_date}, {creator}, {created_on}), due in due_in days of due_unit (calendar_days, or working_days of the workspace''s business calendar), priority, groups, and the assignee rule none, person (assignee_id), creator or record_party (assignee_capacity owner or responsible). Returns its id';

CREATE FUNCTION actions.update_template(
    template_id       bigint,
    name              text DEFAULT NULL,
    title             text DEFAULT NULL,
    type              text DEFAULT NULL,
    description       text DEFAULT NULL,
    due_in            integer DEFAULT NULL,
    due_unit          text DEFAULT NULL,
    priority          text DEFAULT NULL,
    group_ids         bigint[] DEFAULT NULL,
    assignee_rule     text DEFAULT NULL,
    assignee_id       bigint DEFAULT NULL,
    assignee_capacity text DEFAULT NULL,
    clear_due         boolean DEFAULT false)
    RETURNS integer
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_update_template';
COMMENT ON FUNCTION actions.update_template(bigint, text, text, text, text, integer, text, text, bigint[], text, bigint, text, boolean) IS
    'Edit a template (needs manage_workspace): a new version with the fields given changed (NULL keeps a field, '''' clears the description, clear_due => true the due rule; an assignee rule is given as a whole). Actions already made keep their version. Returns the new version';

CREATE FUNCTION actions.retire_template(template_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_retire_template';
COMMENT ON FUNCTION actions.retire_template(bigint) IS
    'Retire a template (needs manage_workspace): it makes no new actions and frees its name; its versions and actions stay';

CREATE FUNCTION actions.create_action_from_template(
    template_id bigint,
    record_id   bigint DEFAULT NULL,
    title       text DEFAULT NULL,
    description text DEFAULT NULL,
    assignee_id bigint DEFAULT NULL,
    due_at      timestamptz DEFAULT NULL,
    due_on      date DEFAULT NULL,
    priority    text DEFAULT NULL,
    group_ids   bigint[] DEFAULT NULL)
    RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_create_action_from_template';
COMMENT ON FUNCTION actions.create_action_from_template(bigint, bigint, text, text, bigint, timestamptz, date, text, bigint[]) IS
    'Create an action from the current version of a template, linked to record_id if given, through the rules of actions.create_action(): placeholders filled, the due rule and assignee rule applied; a non-NULL argument overrides the template (title and description as given, without placeholders). The action records the template and version (template_id, template_version, and the created entry of its log). Returns the action id';

-- Members read the types and templates of the workspaces they act in.
ALTER TABLE actions.action_type ENABLE ROW LEVEL SECURITY;
CREATE POLICY action_type_visible ON actions.action_type FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY action_type_visible ON actions.action_type IS 'Members see the action types of their workspaces';
ALTER TABLE actions.template ENABLE ROW LEVEL SECURITY;
CREATE POLICY template_visible ON actions.template FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY template_visible ON actions.template IS 'Members see the templates of their workspaces';
ALTER TABLE actions.template_version ENABLE ROW LEVEL SECURITY;
CREATE POLICY template_version_visible ON actions.template_version FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY template_version_visible ON actions.template_version IS 'Members see every version of the templates of their workspaces';
GRANT SELECT ON actions.action_type, actions.template, actions.template_version TO PUBLIC;

REVOKE ALL ON FUNCTION actions.create_action_type(bigint, text, text), actions.rename_action_type(bigint, text, text),
    actions.retire_action_type(bigint, text), actions.reinstate_action_type(bigint, text),
    actions.create_template(bigint, text, text, text, text, integer, text, text, bigint[], text, bigint, text),
    actions.update_template(bigint, text, text, text, text, integer, text, text, bigint[], text, bigint, text, boolean),
    actions.retire_template(bigint),
    actions.create_action_from_template(bigint, bigint, text, text, bigint, timestamptz, date, text, bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION actions.create_action_type(bigint, text, text), actions.rename_action_type(bigint, text, text),
    actions.retire_action_type(bigint, text), actions.reinstate_action_type(bigint, text),
    actions.create_template(bigint, text, text, text, text, integer, text, text, bigint[], text, bigint, text),
    actions.update_template(bigint, text, text, text, text, integer, text, text, bigint[], text, bigint, text, boolean),
    actions.retire_template(bigint),
    actions.create_action_from_template(bigint, bigint, text, text, bigint, timestamptz, date, text, bigint[]) TO PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('actions.action_type', '');
SELECT pg_catalog.pg_extension_config_dump('actions.template', '');
SELECT pg_catalog.pg_extension_config_dump('actions.template_version', '');
SELECT pg_catalog.pg_extension_config_dump('actions.template_template_id_seq', '');
