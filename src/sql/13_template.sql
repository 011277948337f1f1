-- pg_actions install script, part 13: action templates. A template belongs to a workspace and has
-- versions; editing it adds a version (actions.update_template()), and an action made from it
-- (actions.create_action_from_template()) records the template and the version it came from, so
-- later edits never change it. The rules of a definition are the core's (core/template_rules.hpp).

CREATE TABLE actions.template (
    workspace_id    bigint NOT NULL REFERENCES actions.workspace ON DELETE CASCADE,
    template_id     bigint GENERATED ALWAYS AS IDENTITY,
    name            text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
    current_version integer NOT NULL DEFAULT 1 CHECK (current_version >= 1),
    created_at      timestamptz NOT NULL DEFAULT now(),
    created_by      bigint,
    retired_at      timestamptz,
    PRIMARY KEY (workspace_id, template_id),
    FOREIGN KEY (workspace_id, created_by) REFERENCES actions.member
);
-- API calls address a template by its id alone.
CREATE INDEX template_id_idx ON actions.template (template_id);
CREATE UNIQUE INDEX template_name_key ON actions.template (workspace_id, name) WHERE retired_at IS NULL;
COMMENT ON TABLE actions.template IS 'Action templates of a workspace (actions.create_template()); the definition is in actions.template_version, one row per version';
COMMENT ON COLUMN actions.template.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.template.template_id IS 'Identifier of the template (unique across workspaces)';
COMMENT ON COLUMN actions.template.name IS 'Name people pick the template by; unique among the workspace''s templates in use';
COMMENT ON COLUMN actions.template.current_version IS 'The version new actions are made from (actions.template_version.version)';
COMMENT ON COLUMN actions.template.created_at IS 'When the template was created';
COMMENT ON COLUMN actions.template.created_by IS 'Person who created it';
COMMENT ON COLUMN actions.template.retired_at IS 'When it was retired (actions.retire_template()): it makes no new actions; NULL while in use';

CREATE TABLE actions.template_version (
    workspace_id      bigint NOT NULL,
    template_id       bigint NOT NULL,
    version           integer NOT NULL CHECK (version >= 1),
    type              text NOT NULL,
    title             text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 500),
    description       text CHECK (length(description) <= 20000),
    due_in            integer CHECK (due_in >= 0),
    due_unit          text NOT NULL DEFAULT 'calendar_days' CHECK (due_unit IN ('calendar_days', 'working_days')),
    priority          text NOT NULL DEFAULT 'none' CHECK (priority IN ('none', 'low', 'medium', 'high')),
    group_ids         bigint[] NOT NULL DEFAULT '{}',
    assignee_rule     text NOT NULL DEFAULT 'none' CHECK (assignee_rule IN ('none', 'person', 'creator', 'record_party', 'pool')),
    assignee_id       bigint,
    assignee_capacity text CHECK (assignee_capacity IN ('owner', 'responsible')),
    created_at        timestamptz NOT NULL DEFAULT now(),
    created_by        bigint,
    PRIMARY KEY (workspace_id, template_id, version),
    FOREIGN KEY (workspace_id, template_id) REFERENCES actions.template ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, type) REFERENCES actions.action_type,
    FOREIGN KEY (workspace_id, assignee_id) REFERENCES actions.member,
    FOREIGN KEY (workspace_id, created_by) REFERENCES actions.member,
    CHECK ((assignee_rule = 'person') = (assignee_id IS NOT NULL)),
    CHECK ((assignee_rule = 'record_party') = (assignee_capacity IS NOT NULL))
);
COMMENT ON TABLE actions.template_version IS 'The versions of a template: each edit adds one, the actions made from a version keep it';
COMMENT ON COLUMN actions.template_version.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.template_version.template_id IS 'Template';
COMMENT ON COLUMN actions.template_version.version IS '1 for the first definition, one more for each edit';
COMMENT ON COLUMN actions.template_version.type IS 'Type of the actions made from it (actions.action_type)';
COMMENT ON COLUMN actions.template_version.title IS 'Title, with placeholders filled at creation: {workspace}, {record_title}, {record_kind}, {due_date}, {creator}, {created_on}; {{ is a literal {';
COMMENT ON COLUMN actions.template_version.description IS 'Description, with the same placeholders, or NULL';
COMMENT ON COLUMN actions.template_version.due_in IS 'Due rule: the action is due at the end of the day due_in units after the day it is created (0: the same day), in the workspace time zone; NULL: no due date';
COMMENT ON COLUMN actions.template_version.due_unit IS 'Unit of due_in: calendar_days, or working_days (of the workspace''s business calendar; 0: the day of creation)';
COMMENT ON COLUMN actions.template_version.priority IS 'none, low, medium or high';
COMMENT ON COLUMN actions.template_version.group_ids IS 'Groups of the actions made from it; empty: the linked record''s groups, as for actions.create_action()';
COMMENT ON COLUMN actions.template_version.assignee_rule IS 'Who a new action goes to when the call names nobody: none, person (assignee_id), creator (the person creating it), record_party (the person holding assignee_capacity on the linked record) or pool (nobody yet: it is offered to pool_people, pool_groups and pool_roles, actions.set_template_pool())';
COMMENT ON COLUMN actions.template_version.assignee_id IS 'The person of the rule person';
COMMENT ON COLUMN actions.template_version.assignee_capacity IS 'The capacity of the rule record_party: owner or responsible';
COMMENT ON COLUMN actions.template_version.created_at IS 'When this version was made';
COMMENT ON COLUMN actions.template_version.created_by IS 'Person who made it';

ALTER TABLE actions.action ADD CONSTRAINT action_template_fkey
    FOREIGN KEY (workspace_id, template_id, template_version) REFERENCES actions.template_version;
