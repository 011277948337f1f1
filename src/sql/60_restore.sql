-- pg_actions install script, part 60: backups and restores (docs/operations.md, "Backups and restores").
-- pg_dump writes the rows of the extension's tables after CREATE EXTENSION, as
-- COPY actions.x (every column) FROM stdin, so the extension's triggers already exist when the rows
-- are copied back. During such a COPY by a superuser the row triggers leave the rows as dumped
-- (ids, times, actors and the hash-chained log come from the dump; the seeds of a new workspace
-- come with it), and a statement trigger on every table ends a restore that would mix restored
-- rows with rows the table already holds, or that inserts the dumped rows (pg_dump --inserts).
-- The three C functions below run no SQL (the catalog and the relation they fire on only, by OID
-- or a schema-qualified name), so they pin no search_path: they fire on every statement that
-- writes to the extension's tables, and a SET clause would cost each of those statements a GUC
-- save and restore (docs/security.md, section 3).

CREATE FUNCTION actions.restoring(relation regclass) RETURNS boolean
    LANGUAGE c
    AS 'MODULE_PATHNAME', 'pg_actions_restoring';
COMMENT ON FUNCTION actions.restoring(regclass) IS
    'Whether the statement running at top level is a restore into this table: a superuser session''s COPY actions.x (every column) FROM ..., as pg_dump writes it. The extension''s row triggers then leave the rows as dumped';

CREATE FUNCTION actions.restore_guard() RETURNS trigger
    LANGUAGE c
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

-- pg_restore -j loads the tables side by side, in no order of their foreign keys. A restore's
-- COPY (and only it) runs in replica mode, so its foreign-key checks wait for nothing; the
-- statement trigger restore_done, ENABLE ALWAYS like restore_guard, switches back at its end.
CREATE FUNCTION actions.restore_done() RETURNS trigger
    LANGUAGE c
    AS 'MODULE_PATHNAME', 'pg_actions_restore_done';
COMMENT ON FUNCTION actions.restore_done() IS
    'Trigger: at the end of a restore''s COPY that actions.restore_guard() ran in replica mode (no foreign-key or row triggers, so pg_restore -j may load the tables in any order), switches the session back to its replication role for the rest of the transaction';
REVOKE ALL ON FUNCTION actions.restore_done() FROM PUBLIC;
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.maintenance_run
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
ALTER TABLE actions.maintenance_run ENABLE ALWAYS TRIGGER restore_guard;
COMMENT ON TRIGGER restore_guard ON actions.maintenance_run IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.maintenance_error
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
ALTER TABLE actions.maintenance_error ENABLE ALWAYS TRIGGER restore_guard;
COMMENT ON TRIGGER restore_guard ON actions.maintenance_error IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
-- One restore_done beside every restore_guard.
DO $$
DECLARE
    t regclass;
BEGIN
    FOR t IN SELECT g.tgrelid::regclass FROM pg_catalog.pg_trigger g JOIN pg_catalog.pg_class c ON c.oid = g.tgrelid
              WHERE g.tgname = 'restore_guard' AND c.relnamespace = 'actions'::regnamespace ORDER BY c.relname LOOP
        EXECUTE format('CREATE TRIGGER restore_done AFTER INSERT ON %s FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_done()', t);
        EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER restore_done', t);
        EXECUTE format('COMMENT ON TRIGGER restore_done ON %s IS %L', t,
                       'Ends the replica mode of a restore''s COPY into this table (actions.restore_done())');
    END LOOP;
END
$$;

-- A restore's COPY skips the foreign-key checks of its rows (above), so that pg_restore -j may load
-- the tables in any order; after a restore, this checks them all at once.
CREATE FUNCTION actions.verify_references()
    RETURNS TABLE (table_name regclass, constraint_name name, rows_without_target bigint)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    fk record;
    present text;
    matches text;
BEGIN
    FOR fk IN SELECT c.conrelid::regclass AS child, c.confrelid::regclass AS parent, c.conname, c.conkey, c.confkey
                FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
               WHERE c.contype = 'f' AND r.relnamespace = 'actions'::regnamespace
               ORDER BY r.relname, c.conname LOOP
        -- MATCH SIMPLE: a row with a NULL in the key refers to nothing.
        SELECT string_agg(format('c.%I IS NOT NULL', a.attname), ' AND ' ORDER BY k.i),
               string_agg(format('p.%I = c.%I', pa.attname, a.attname), ' AND ' ORDER BY k.i)
          INTO present, matches
          FROM unnest(fk.conkey, fk.confkey) WITH ORDINALITY AS k(ck, pk, i)
          JOIN pg_attribute a ON a.attrelid = fk.child AND a.attnum = k.ck
          JOIN pg_attribute pa ON pa.attrelid = fk.parent AND pa.attnum = k.pk;
        EXECUTE format('SELECT count(*) FROM ONLY %s c WHERE %s AND NOT EXISTS (SELECT FROM ONLY %s p WHERE %s)',
                       fk.child, present, fk.parent, matches)
           INTO rows_without_target;
        IF rows_without_target > 0 THEN
            table_name := fk.child;
            constraint_name := fk.conname;
            RETURN NEXT;
        END IF;
    END LOOP;
END
$$;
COMMENT ON FUNCTION actions.verify_references() IS
    'After a restore: every foreign key of the extension''s tables checked over all rows (a restore''s COPY skips the checks so that pg_restore -j may load the tables in any order); one row per constraint that rows break, with how many, or no row. For a superuser or the extension''s owner';
REVOKE ALL ON FUNCTION actions.verify_references() FROM PUBLIC;
