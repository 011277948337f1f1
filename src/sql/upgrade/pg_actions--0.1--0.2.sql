-- pg_actions upgrade script 0.1 -> 0.2 (ALTER EXTENSION pg_actions UPDATE TO '0.2').
-- Frozen once 0.2 is released; a later schema change adds pg_actions--0.2--0.3.sql instead.
-- test/tap/007_upgrade.pl checks that 0.1 + this script equals a fresh install of 0.2.

\echo Use "ALTER EXTENSION pg_actions UPDATE" to load this file. \quit

-- ---------------------------------------------------------------------------------------------
-- Backups and restores (issue 10, part 2): a restore with the DBA's default commands
-- (pg_dump -Fc + pg_restore, pg_dump + psql -f) reproduces every row; src/sql/60_restore.sql.
-- The seeds of a new workspace do nothing during a restore and run as the extension owner.
CREATE OR REPLACE FUNCTION actions.seed_system_roles() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    -- A restore copies the workspace's roles back with it.
    IF actions.restoring(TG_RELID) THEN
        RETURN NULL;
    END IF;
    INSERT INTO actions.role (workspace_id, name, is_system, billable, permissions) VALUES
        (NEW.workspace_id, 'owner', true, true,
         '{view_actions,create_actions,assign_actions,edit_actions,edit_own_actions,delete_actions,delete_own_actions,delete_assigned_actions,reassign_actions,complete_any_actions,administer_actions,approve_delegations,manage_workspace}'),
        (NEW.workspace_id, 'manager', true, true,
         '{view_actions,create_actions,assign_actions,edit_actions,edit_own_actions,delete_actions,delete_own_actions,delete_assigned_actions,reassign_actions,complete_any_actions,administer_actions,approve_delegations,manage_workspace}'),
        (NEW.workspace_id, 'user', true, true,
         '{view_actions,create_actions,assign_actions,edit_own_actions,delete_own_actions,reassign_actions}'),
        (NEW.workspace_id, 'actions_access', true, false, '{}'),
        (NEW.workspace_id, 'inquiry', true, true, '{view_actions}');
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION actions.seed_system_roles() IS
    'Trigger: gives every new workspace the system roles owner, manager, user, actions_access (non-billable, only its own assigned actions) and inquiry (reads, never assigns); nothing during a restore (actions.restoring()), which brings them back';

CREATE OR REPLACE FUNCTION actions.seed_record_kinds() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    -- A restore copies the workspace's record kinds back with it.
    IF actions.restoring(TG_RELID) THEN
        RETURN NULL;
    END IF;
    INSERT INTO actions.record_kind (workspace_id, kind, is_system)
    SELECT NEW.workspace_id, k, true FROM unnest(ARRAY['decision', 'delegation', 'document', 'matrix', 'generic']) AS k;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION actions.seed_record_kinds() IS
    'Trigger: gives every new workspace the record kinds decision, delegation, document, matrix and generic; nothing during a restore (actions.restoring()), which brings them back';

CREATE FUNCTION actions.restoring(relation regclass) RETURNS boolean
    LANGUAGE c SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_restoring';
COMMENT ON FUNCTION actions.restoring(regclass) IS
    'Whether the statement running at top level is a restore into this table: a superuser session''s COPY actions.x (every column) FROM ..., as pg_dump writes it. The extension''s row triggers then leave the rows as dumped';

CREATE FUNCTION actions.restore_guard() RETURNS trigger
    LANGUAGE c SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_restore_guard';
COMMENT ON FUNCTION actions.restore_guard() IS
    'Trigger: ends the session (FATAL, 55000, before the first row) of a restore into a table of the extension that already holds rows (a data-only restore into a database in use, a second restore) and of a restore by INSERT with the dumped ids (pg_dump --inserts); the hint names the restore into a new database';

REVOKE ALL ON FUNCTION actions.restoring(regclass), actions.restore_guard() FROM PUBLIC;

-- One statement trigger per table whose rows pg_dump keeps (pg_extension_config_dump). ENABLE
-- ALWAYS: a restore in replica mode is refused the same way.
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.workspace
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.person
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.role
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.member
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.trusted_service
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions."group"
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.group_member
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.record_kind
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.record
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.record_party
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.workflow_setting
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.action_candidate
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.action
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.evidence
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.notification
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.invitation
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.notification_setting
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.notification_opt_out
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.reminder
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.note
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.activity
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.activity_head
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.tracked_table
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
ALTER TABLE actions.workspace ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.person ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.role ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.member ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.trusted_service ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions."group" ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.group_member ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.record_kind ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.record ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.record_party ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.workflow_setting ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.action_candidate ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.action ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.evidence ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.notification ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.invitation ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.notification_setting ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.notification_opt_out ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.reminder ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.note ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.activity ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.activity_head ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.tracked_table ENABLE ALWAYS TRIGGER restore_guard;
COMMENT ON TRIGGER restore_guard ON actions.workspace IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.person IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.role IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.member IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.trusted_service IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions."group" IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.group_member IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.record_kind IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.record IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.record_party IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.workflow_setting IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.action_candidate IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.action IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.evidence IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.notification IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.invitation IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.notification_setting IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.notification_opt_out IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.reminder IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.note IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.activity IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.activity_head IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.tracked_table IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
