-- pg_actions install script, part 50 (continued): adoption of an application's own table as
-- records (actions.track_table()), and who may run the functions of part 50.

-- --- adoption of an application's table ------------------------------------------------------

CREATE TABLE actions.tracked_table (
    source       regclass PRIMARY KEY,
    workspace_id bigint NOT NULL REFERENCES actions.workspace ON DELETE CASCADE,
    kind         text NOT NULL,
    key_column   name NOT NULL,
    title_column name NOT NULL,
    archived     text,
    owner_id     bigint,
    created_at   timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (workspace_id, kind) REFERENCES actions.record_kind
);
COMMENT ON TABLE actions.tracked_table IS 'Application tables whose rows appear as records (actions.track_table())';
COMMENT ON COLUMN actions.tracked_table.source IS 'The application''s table';
COMMENT ON COLUMN actions.tracked_table.workspace_id IS 'Workspace its records belong to';
COMMENT ON COLUMN actions.tracked_table.kind IS 'Kind of the records';
COMMENT ON COLUMN actions.tracked_table.key_column IS 'Column whose value (as text) links a row to its record';
COMMENT ON COLUMN actions.tracked_table.title_column IS 'Column giving the record''s title';
COMMENT ON COLUMN actions.tracked_table.archived IS 'Column, or simple test of one column, that archives the record (see actions.archived_condition()), or NULL';
COMMENT ON COLUMN actions.tracked_table.owner_id IS 'Member who owns the records';
COMMENT ON COLUMN actions.tracked_table.created_at IS 'When tracking started';

CREATE FUNCTION actions.initial_record_state(kind text) RETURNS text
    LANGUAGE c IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_initial_record_state';
COMMENT ON FUNCTION actions.initial_record_state(text) IS
    'The workflow_state a new record of the kind starts in (draft for delegations and documents), as the core decides; used by actions.track_row()';

-- The row trigger's work, one function for every tracked table: the key, title and archived flag
-- of the row arrive computed by the table's own trigger. What the record becomes is the core's
-- rule (src/core/tracked_rows.hpp); the function checks first that the session could have made
-- the write to the table itself (src/pg/api/track_row.cpp).
CREATE FUNCTION actions.track_row(source regclass, op text, old_key text, new_key text, title text, archived boolean)
    RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_track_row';
COMMENT ON FUNCTION actions.track_row(regclass, text, text, text, text, boolean) IS
    'Called by the trigger actions.track_table() installs, with plain values the trigger computed as the writer: insert or update the record of a row, archive it, or remove it with the row (archived instead while actions link to it). Refused (42501) unless the session user may make that write to the table';

CREATE FUNCTION actions.authorize_tracking(workspace_id bigint, owner_id bigint) RETURNS bigint
    LANGUAGE c SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_authorize_tracking';
COMMENT ON FUNCTION actions.authorize_tracking(bigint, bigint) IS
    'Part of actions.track_table(): the acting person must be a member of the workspace allowed to create records (P0002 / 42501), and the records'' owner (default: that person) a member (22023); returns the owner';

-- The archived flag of a tracked table as SQL over the row (src): a boolean column, or a simple
-- test of one column against literals. Nothing else is accepted, so the trigger never runs SQL
-- the caller wrote: the column is rebuilt with quote_ident and each literal with quote_literal,
-- joined by concatenation (no format() over text that holds the caller's literal).
CREATE FUNCTION actions.archived_condition(source regclass, spec text) RETURNS text
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    ident constant text := '([A-Za-z_][A-Za-z0-9_]*|"(?:[^"]|"")+")';
    lit constant text := '''((?:[^'']|'''')*)''';
    m1 text[];
    m2 text[];
    m3 text[];
    m4 text[];
    col text;
    prefix text := '';
    suffix text;
BEGIN
    IF spec IS NULL THEN
        RETURN 'false';
    END IF;
    m1 := regexp_match(spec, '^\s*(NOT\s+)?' || ident || '\s*$', 'i');
    m2 := regexp_match(spec, '^\s*' || ident || '\s*(=|<>|!=)\s*' || lit || '\s*$');
    m3 := regexp_match(spec, '^\s*' || ident || '\s+IS\s+(NOT\s+)?(NULL|TRUE|FALSE)\s*$', 'i');
    m4 := regexp_match(spec, '^\s*' || ident || '\s+IN\s*\(((?:\s*' || '''(?:[^'']|'''')*''' || '\s*,)*\s*'
                             || '''(?:[^'']|'''')*''' || ')\s*\)\s*$', 'i');
    IF m1 IS NOT NULL THEN
        col := m1[2];
        prefix := CASE WHEN m1[1] IS NOT NULL THEN 'NOT ' ELSE '' END;
        suffix := '';
    ELSIF m2 IS NOT NULL THEN
        col := m2[1];
        suffix := CASE WHEN m2[2] = '=' THEN ' = ' ELSE ' <> ' END || quote_literal(replace(m2[3], '''''', ''''));
    ELSIF m3 IS NOT NULL THEN
        col := m3[1];
        suffix := ' IS ' || CASE WHEN m3[2] IS NOT NULL THEN 'NOT ' ELSE '' END || upper(m3[3]);
    ELSIF m4 IS NOT NULL THEN
        col := m4[1];
        SELECT ' IN (' || string_agg(quote_literal(replace(x[1], '''''', '''')), ', ') || ')' INTO suffix
          FROM regexp_matches(m4[2], lit, 'g') AS x;
    ELSE
        RAISE EXCEPTION 'archived must be a column or a simple test of one column'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'got: ' || spec,
                  HINT = 'use e.g. ''closed'', ''NOT active'', ''status = ''''closed'''''', ''status IN (''''closed'''', ''''void'''')'' or ''ended_at IS NOT NULL''';
    END IF;
    IF col LIKE '"%' THEN
        col := replace(substr(col, 2, length(col) - 2), '""', '"');
    ELSE
        col := lower(col);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = source AND attname = col AND attnum > 0 AND NOT attisdropped) THEN
        RAISE EXCEPTION '% has no column %', source, col USING ERRCODE = 'undefined_column',
            HINT = 'name a column of the tracked table in archived';
    END IF;
    RETURN '(' || prefix || 'src.' || quote_ident(col) || suffix || ')::boolean';
END
$$;
COMMENT ON FUNCTION actions.archived_condition(regclass, text) IS
    'Validates and quotes the archived argument of actions.track_table(): a column, NOT a column, or a column compared (=, <>, IS [NOT] NULL/TRUE/FALSE, IN) with literals';

-- The one trigger function of every tracked table. It runs as whoever writes the table (SECURITY
-- INVOKER): the key, title and archived test are computed with the writer's rights, as any
-- trigger on that table would compute them, and only plain text and a boolean reach
-- actions.track_row(). Its arguments (key column, title column, archived test as rebuilt by
-- actions.archived_condition()) are set by actions.track_table_install().
CREATE FUNCTION actions.track_trigger() RETURNS trigger
    LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    v_new_key text;
    v_old_key text;
    v_title text;
    v_archived boolean;
BEGIN
    IF TG_NARGS <> 3 OR TG_LEVEL <> 'ROW' OR TG_WHEN <> 'AFTER' THEN
        RAISE EXCEPTION 'actions.track_trigger() is installed by actions.track_table() only'
            USING ERRCODE = 'trigger_protocol_violated', HINT = 'use actions.track_table() to adopt a table';
    END IF;
    IF TG_OP <> 'INSERT' THEN
        EXECUTE format('SELECT (($1).%I)::text', TG_ARGV[0]) INTO v_old_key USING OLD;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        EXECUTE format('SELECT (src.%I)::text, (src.%I)::text, %s FROM (SELECT ($1).*) AS src',
                       TG_ARGV[0], TG_ARGV[1], TG_ARGV[2])
           INTO v_new_key, v_title, v_archived USING NEW;
    END IF;
    PERFORM actions.track_row(TG_RELID::regclass, TG_OP, v_old_key, v_new_key, v_title, v_archived);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION actions.track_trigger() IS
    'Trigger of every tracked table (actions.track_table()): runs as the writer and hands the row''s key, title and archived flag, as plain values, to actions.track_row()';

-- Installing the tracking needs the extension's rights (a trigger on a table of another owner,
-- a row in actions.tracked_table); adopting the rows evaluates the table owner's column types
-- (casts, operators), so it runs in actions.track_table() below, as the table's owner, never
-- with our rights. No SQL text is built here from what the caller wrote except through
-- quote_ident / quote_literal (format's %I and %L).
CREATE FUNCTION actions.track_table_install(source regclass, workspace_id bigint, kind text, key_column name,
                                            title_column name, archived text, owner_id bigint)
    RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    archived_sql text;
    record_owner bigint;
    -- The table compared and stored as its OID: on Citus the column is one (actions.distribute(),
    -- step 0), and a regclass value would reach the workers by name.
    source_oid oid := source;
BEGIN
    IF source IS NULL
       OR NOT coalesce(pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = source), 'MEMBER'), false) THEN
        RAISE EXCEPTION 'permission denied to track %', source USING ERRCODE = 'insufficient_privilege',
            DETAIL = 'only the owner of a table (or a member of its role) may have pg_actions install triggers on it',
            HINT = 'run actions.track_table() as the table''s owner';
    END IF;
    -- The acting person creates records in the workspace; the owner of the records is a member.
    record_owner := actions.authorize_tracking(workspace_id, owner_id);
    IF NOT EXISTS (SELECT 1 FROM actions.record_kind k WHERE k.workspace_id = track_table_install.workspace_id AND k.kind = track_table_install.kind) THEN
        RAISE EXCEPTION 'unknown record kind "%" in workspace %', kind, workspace_id USING ERRCODE = 'invalid_parameter_value',
            HINT = 'use a built-in kind or add it with actions.create_record_kind()';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = source AND attname = key_column AND attnum > 0 AND NOT attisdropped)
       OR NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = source AND attname = title_column AND attnum > 0 AND NOT attisdropped) THEN
        RAISE EXCEPTION '% has no column % or %', source, key_column, title_column USING ERRCODE = 'undefined_column',
            HINT = 'name the key and title columns of the table';
    END IF;
    archived_sql := actions.archived_condition(source, archived);
    IF EXISTS (SELECT 1 FROM actions.tracked_table t WHERE t.source = source_oid) THEN
        RAISE EXCEPTION '% is already tracked', source USING ERRCODE = 'duplicate_object',
            HINT = 'call actions.untrack_table() first to change how it is tracked';
    END IF;
    INSERT INTO actions.tracked_table (source, workspace_id, kind, key_column, title_column, archived, owner_id)
    VALUES (source_oid, workspace_id, kind, key_column, title_column, archived, record_owner);
    EXECUTE format('CREATE TRIGGER pg_actions_track AFTER INSERT OR UPDATE OR DELETE ON %s '
                   'FOR EACH ROW EXECUTE FUNCTION actions.track_trigger(%L, %L, %L)',
                   source, key_column, title_column, archived_sql);
    RETURN archived_sql;
END
$$;
COMMENT ON FUNCTION actions.track_table_install(regclass, bigint, text, name, name, text, bigint) IS
    'Part of actions.track_table(): checks who asks (the table''s owner, a member of the workspace allowed to create records; the records'' owner a member), registers the table and installs its trigger (actions.track_trigger()); returns the archived test as SQL. Adopts nothing';

CREATE FUNCTION actions.track_table(source regclass, workspace_id bigint, kind text, key_column name,
                                    title_column name, archived text DEFAULT NULL, owner_id bigint DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    archived_sql text;
    table_owner name;
    caller_role text := pg_catalog.current_setting('role');
    adopted bigint;
BEGIN
    archived_sql := actions.track_table_install(source, workspace_id, kind, key_column, title_column, archived, owner_id);
    -- Rows already there become records now, read as the table's owner. A role set with
    -- set_config(..., true) outlives the function, so the caller's is put back afterwards (an
    -- error rolls both back with the transaction or savepoint).
    SELECT r.rolname INTO table_owner FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE c.oid = source;
    IF table_owner IS DISTINCT FROM current_user THEN
        PERFORM pg_catalog.set_config('role', table_owner, true);
    END IF;
    EXECUTE format('SELECT count(actions.track_row(%L::regclass, %L, NULL, (src.%I)::text, (src.%I)::text, %s)) FROM %s AS src',
                   source, 'INSERT', key_column, title_column, archived_sql, source) INTO adopted;
    PERFORM pg_catalog.set_config('role', caller_role, true);
    RETURN adopted;
END
$$;
COMMENT ON FUNCTION actions.track_table(regclass, bigint, text, name, name, text, bigint) IS
    'Adopt an application table: its rows appear as records of the kind (insert, update, archive by the archived column or test, delete) through a trigger, without the application calling pg_actions; returns how many existing rows were adopted. Only the table''s owner (or a member of its role) acting as a person who may create records in the workspace; owner_id (default: that person) must be a member. The existing rows are read as the table''s owner';

CREATE FUNCTION actions.untrack_table(source regclass) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    source_oid oid := source;  -- as in actions.track_table_install()
BEGIN
    IF source IS NULL
       OR NOT coalesce(pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = source), 'USAGE'), false) THEN
        RAISE EXCEPTION 'permission denied to untrack %', source USING ERRCODE = 'insufficient_privilege',
            HINT = 'run actions.untrack_table() as the table''s owner';
    END IF;
    DELETE FROM actions.tracked_table t WHERE t.source = source_oid;
    IF NOT FOUND THEN
        RAISE EXCEPTION '% is not tracked', source USING ERRCODE = 'undefined_object', HINT = 'see actions.tracked_table';
    END IF;
    EXECUTE format('DROP TRIGGER IF EXISTS pg_actions_track ON %s', source);
END
$$;
COMMENT ON FUNCTION actions.untrack_table(regclass) IS
    'Stop tracking an application table; its records stay, no longer updated';

CREATE FUNCTION actions.tracked_record(source regclass, key text) RETURNS bigint
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_tracked_record';
COMMENT ON FUNCTION actions.tracked_record(regclass, text) IS
    'The record of an application row, by the application''s key, for linking actions to it (NULL when unknown or in a workspace you are not a member of)';

-- A dropped table stops being tracked: its row in actions.tracked_table goes with it, so an OID
-- used again by another table inherits nothing.
CREATE FUNCTION actions.forget_dropped_tables() RETURNS event_trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    dropped oid[];
BEGIN
    -- On Citus only the coordinator forgets, and only what a user drops there. A tracked table is
    -- a table of the coordinator's catalog (actions.track_table() runs where it is called, and
    -- its OID means nothing elsewhere); what a worker drops, and what Citus drops through its own
    -- connections (application_name citus_internal ...: the shells and shards of a dropped
    -- distributed table, the placements a shard move left behind, which its cleanup drops), is
    -- never a tracked table. Reading actions.tracked_table there, a distributed table, would be a
    -- distributed query inside Citus' own command, which Citus refuses: the drop would fail.
    IF pg_catalog.to_regclass('pg_catalog.pg_dist_local_group') IS NOT NULL THEN
        IF pg_catalog.current_setting('application_name') LIKE 'citus\_internal gpid=%'
           OR EXISTS (SELECT FROM pg_catalog.pg_dist_local_group WHERE groupid <> 0) THEN
            RETURN;
        END IF;
    END IF;
    -- The dropped relations, read here: on Citus the DELETE below runs on the workers' shards,
    -- where pg_event_trigger_dropped_objects() cannot be called.
    SELECT pg_catalog.array_agg(d.objid) INTO dropped
      FROM pg_catalog.pg_event_trigger_dropped_objects() d
     WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = 0;
    IF dropped IS NULL THEN
        RETURN;
    END IF;
    DELETE FROM actions.tracked_table t WHERE t.source::oid = ANY (dropped);
END
$$;
COMMENT ON FUNCTION actions.forget_dropped_tables() IS
    'Event trigger: a dropped table''s row in actions.tracked_table is removed with it (on Citus, on the coordinator, for what a user drops there: Citus'' own drops of shards and shells are left alone)';
CREATE EVENT TRIGGER pg_actions_forget_dropped_tables ON sql_drop
    EXECUTE FUNCTION actions.forget_dropped_tables();
COMMENT ON EVENT TRIGGER pg_actions_forget_dropped_tables IS
    'Removes the actions.tracked_table row of a dropped table (actions.forget_dropped_tables())';

-- Who may run what: records, parties, workflows and the eligibility questions are person-facing
-- (each function decides for the acting person); kinds of adoption and the sweep are not.
REVOKE ALL ON FUNCTION actions.seed_record_kinds(), actions.create_due_reviews(), actions.archived_condition(regclass, text),
    actions.authorize_tracking(bigint, bigint), actions.track_trigger(), actions.forget_dropped_tables(),
    actions.initial_record_state(text) FROM PUBLIC;
-- Adoption is person-facing: each function checks the table's ownership and the acting person
-- itself; track_row believes only a session that could write the table.
GRANT EXECUTE ON FUNCTION actions.track_row(regclass, text, text, text, text, boolean),
    actions.track_table_install(regclass, bigint, text, name, name, text, bigint),
    actions.track_table(regclass, bigint, text, name, name, text, bigint), actions.untrack_table(regclass) TO PUBLIC;
REVOKE ALL ON FUNCTION actions.create_record_kind(bigint, text), actions.delete_record_kind(bigint, text),
    actions.add_party(bigint, text, bigint, bigint), actions.remove_party(bigint, text, bigint, bigint),
    actions.update_record(bigint, text), actions.submit_delegation(bigint), actions.request_delegation(bigint, text, text),
    actions.publish_document(bigint), actions.set_review_schedule(bigint, interval),
    actions.record_outcome(bigint, text, text), actions.set_workflow(bigint, text, boolean, integer, text),
    actions.eligible_approvers(bigint), actions.is_eligible_approver(bigint, bigint),
    actions.why_not(text, bigint, bigint), actions.tracked_record(regclass, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION actions.create_record_kind(bigint, text), actions.delete_record_kind(bigint, text),
    actions.add_party(bigint, text, bigint, bigint), actions.remove_party(bigint, text, bigint, bigint),
    actions.update_record(bigint, text), actions.submit_delegation(bigint), actions.request_delegation(bigint, text, text),
    actions.publish_document(bigint), actions.set_review_schedule(bigint, interval),
    actions.record_outcome(bigint, text, text), actions.set_workflow(bigint, text, boolean, integer, text),
    actions.eligible_approvers(bigint), actions.is_eligible_approver(bigint, bigint),
    actions.why_not(text, bigint, bigint), actions.tracked_record(regclass, text) TO PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('actions.tracked_table', '');
