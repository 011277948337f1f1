-- pg_actions install script, part 08: action types. The system types (core/action_type.hpp) are
-- seeded into every workspace and never change; a workspace adds, renames and retires its own
-- (actions.create_action_type() and the functions next to it, src/sql/48_templates.sql). An
-- action keeps the type's key (actions.action.type, a foreign key), so a retired type stays on
-- its actions and in list filters while new actions are refused it (checked by the core).

CREATE TABLE actions.action_type (
    workspace_id bigint NOT NULL REFERENCES actions.workspace ON DELETE CASCADE,
    type_key     text NOT NULL CHECK (type_key ~ '^[a-z][a-z0-9_]{0,62}$'),
    label        text NOT NULL CHECK (btrim(label) <> '' AND length(label) <= 100),
    is_system    boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    retired_at   timestamptz,
    PRIMARY KEY (workspace_id, type_key),
    CHECK (NOT (is_system AND retired_at IS NOT NULL))
);
COMMENT ON TABLE actions.action_type IS 'Action types of a workspace: the system types (task, approval, review, acknowledgement, request, acceptance) are seeded, custom types are added with actions.create_action_type(), renamed and retired; members read them';
COMMENT ON COLUMN actions.action_type.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.action_type.type_key IS 'Stable key of the type, a lowercase identifier, stored in actions.action.type';
COMMENT ON COLUMN actions.action_type.label IS 'What lists show for the type; a custom type''s label is changed with actions.rename_action_type()';
COMMENT ON COLUMN actions.action_type.is_system IS 'True for the system types, which are never renamed or retired';
COMMENT ON COLUMN actions.action_type.created_at IS 'When the type was added';
COMMENT ON COLUMN actions.action_type.retired_at IS 'When the type was retired (actions.retire_action_type()): it stays on its actions, new actions and templates cannot use it; NULL while in use';

-- SECURITY DEFINER for the same reason as actions.seed_system_roles().
CREATE FUNCTION actions.seed_action_types() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    -- A restore copies the workspace's types back with it.
    IF actions.restoring(TG_RELID) THEN
        RETURN NULL;
    END IF;
    INSERT INTO actions.action_type (workspace_id, type_key, label, is_system) VALUES
        (NEW.workspace_id, 'task', 'Task', true),
        (NEW.workspace_id, 'approval', 'Approval', true),
        (NEW.workspace_id, 'review', 'Review', true),
        (NEW.workspace_id, 'acknowledgement', 'Acknowledgement', true),
        (NEW.workspace_id, 'request', 'Request', true),
        (NEW.workspace_id, 'acceptance', 'Acceptance', true);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION actions.seed_action_types() IS
    'Trigger: gives every new workspace the system action types task, approval, review, acknowledgement, request and acceptance; nothing during a restore (actions.restoring()), which brings them back';
CREATE TRIGGER workspace_action_types AFTER INSERT ON actions.workspace
    FOR EACH ROW EXECUTE FUNCTION actions.seed_action_types();
