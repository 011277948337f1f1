-- pg_actions install script, part 60: backups and restores (docs/operations.md, "Backups and restores").
-- pg_dump writes the rows of the extension's tables after CREATE EXTENSION, as
-- COPY actions.x (every column) FROM stdin, so the extension's triggers already exist when the rows
-- are copied back. During such a COPY by a superuser the row triggers leave the rows as dumped
-- (ids, times, actors and the hash-chained log come from the dump; the seeds of a new workspace
-- come with it), and a statement trigger on every table ends a restore that would mix restored
-- rows with rows the table already holds, or that inserts the dumped rows (pg_dump --inserts).

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
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.action_type
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.template
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.template_version
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
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.action_offer
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
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.ledger_seal
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.ledger_leaf
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.tracked_table
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.absence
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.escalation_rule
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.escalation_fired
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.service_level
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.calendar
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.calendar_hours
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.calendar_holiday
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.workspace_calendar
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.schedule
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.schedule_occurrence
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.procedure
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.procedure_step
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.procedure_setting
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.procedure_run
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.procedure_action
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
ALTER TABLE actions.workspace ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.person ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.role ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.member ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.trusted_service ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions."group" ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.group_member ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.record_kind ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.action_type ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.template ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.template_version ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.record ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.record_party ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.workflow_setting ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.action_candidate ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.action_offer ENABLE ALWAYS TRIGGER restore_guard;
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
ALTER TABLE actions.ledger_seal ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.ledger_leaf ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.tracked_table ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.absence ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.escalation_rule ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.escalation_fired ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.service_level ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.calendar ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.calendar_hours ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.calendar_holiday ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.workspace_calendar ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.schedule ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.schedule_occurrence ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.procedure ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.procedure_step ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.procedure_setting ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.procedure_run ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.procedure_action ENABLE ALWAYS TRIGGER restore_guard;
COMMENT ON TRIGGER restore_guard ON actions.workspace IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.person IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.role IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.member IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.trusted_service IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions."group" IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.group_member IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.record_kind IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.action_type IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.template IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.template_version IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.record IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.record_party IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.workflow_setting IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.action_candidate IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.action_offer IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
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
COMMENT ON TRIGGER restore_guard ON actions.ledger_seal IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.ledger_leaf IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.tracked_table IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.absence IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.escalation_rule IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.escalation_fired IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.service_level IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.calendar IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.calendar_hours IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.calendar_holiday IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.workspace_calendar IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.schedule IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.schedule_occurrence IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.procedure IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.procedure_step IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.procedure_setting IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.procedure_run IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.procedure_action IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
