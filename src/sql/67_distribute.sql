-- pg_actions install script, part 67: actions.distribute(), which spreads the tables over a Citus
-- cluster (docs/design.md, "On Citus"): global tables become reference tables, actions.workspace
-- is distributed by its id, and every per-workspace table by workspace_id, colocated with it, so
-- every row of a workspace lives on one node. Node-local bookkeeping stays a plain table on each
-- node. Without Citus it refuses; a second call changes nothing.

CREATE FUNCTION actions.table_kinds() RETURNS TABLE (table_name regclass, kind text, why text)
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
    BEGIN ATOMIC
    WITH listed(name, kind, why) AS (VALUES
        ('person', 'reference', 'one human across workspaces; read by every node, written when a person is added'),
        ('trusted_service', 'reference', 'registrations of applications and authenticators, read on every call'),
        ('delivery_channel', 'reference', 'the open notifier channels, read by every notification''s trigger, written when a channel opens'),
        ('list_secret', 'reference', 'the key list cursors are signed with: the same on every node, written on rotation only'),
        ('cluster_secret', 'reference', 'the key the coordinator signs the identity it carries to the workers with: the same on every node, written by distribute() and on rotation only'),
        ('calendar', 'reference', 'business calendars are shared between workspaces (share_calendar), read by due-date arithmetic'),
        ('calendar_hours', 'reference', 'working hours of a calendar, read with it'),
        ('calendar_holiday', 'reference', 'holidays of a calendar, read with it'),
        ('maintenance_run', 'local', 'what each node''s maintenance sweep did: written by every sweep, read on that node'),
        ('maintenance_error', 'local', 'the items each node''s sweep failed on: written by that sweep, read on that node'),
        ('workspace', 'distributed', 'the tenant itself, distributed by its id: the anchor of the colocation'))
    SELECT c.oid::regclass,
           coalesce(l.kind, CASE WHEN EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'workspace_id'
                                                  AND NOT a.attisdropped) THEN 'distributed' END),
           coalesce(l.why, 'per-workspace rows, distributed by workspace_id, colocated with actions.workspace')
      FROM pg_class c LEFT JOIN listed l ON l.name = c.relname
     WHERE c.relnamespace = 'actions'::regnamespace AND c.relkind = 'r'
     ORDER BY 1;
    END;
COMMENT ON FUNCTION actions.table_kinds() IS
    'How actions.distribute() places each table of schema actions on Citus: reference (a copy on every node), distributed (by workspace_id, colocated with actions.workspace) or local (node-local bookkeeping), and why';
REVOKE ALL ON FUNCTION actions.table_kinds() FROM PUBLIC;

CREATE FUNCTION actions.distribute() RETURNS TABLE (table_name regclass, kind text, outcome text)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    t record;
    done regclass[] := '{}';
    pending regclass[];
    ready regclass;
    changed integer := 0;
    workers integer;
    adjusted bigint;
    routed integer;
    had_rows regclass[] := '{}';
    has_rows boolean;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        RAISE EXCEPTION 'Citus is not installed in this database'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'actions.distribute() spreads the tables of pg_actions over a Citus cluster.',
                  HINT = 'Load Citus (shared_preload_libraries = ''citus'') on the coordinator and every worker, CREATE EXTENSION citus and pg_actions on each, add the workers with citus_add_node(), then call actions.distribute() on the coordinator. A single node needs no distribution.';
    END IF;
    IF NOT citus_is_coordinator() THEN
        RAISE EXCEPTION 'actions.distribute() runs on the coordinator only'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Connect to the coordinator of the Citus cluster and call it there.';
    END IF;
    IF EXISTS (SELECT 1 FROM actions.table_kinds() k WHERE k.kind IS NULL) THEN
        RAISE EXCEPTION 'table % has no place on Citus', (SELECT k.table_name FROM actions.table_kinds() k WHERE k.kind IS NULL LIMIT 1)
            USING ERRCODE = 'internal_error', HINT = 'Add it to actions.table_kinds().';
    END IF;
    -- The log, ledger and notification triggers run on the node of the row's shard; Citus asks
    -- for this setting to distribute a table with triggers (for this transaction only).
    PERFORM set_config('citus.enable_unsafe_triggers', 'on', true);
    -- The per-workspace tables that reference a global one (member -> person, ...) are distributed
    -- right after it, in this transaction: Citus must not turn them into Citus local tables first.
    PERFORM set_config('citus.enable_local_reference_table_foreign_keys', 'off', true);
    -- A workspace's tables go to the node of its workspace (colocation): one round trip per call.

    -- A worker's own copies of the tables become the shells of the coordinator's (Citus creates
    -- none for tables an extension owns): the rows its CREATE EXTENSION made (its list secret) go
    -- while the copies are still plain tables, so every shell is empty, of 0 bytes (TRUNCATE; a
    -- DELETE would leave its page): test/citus/shells.sh finds anything written into one since.
    -- A table another one references by foreign key cannot be truncated alone: DELETE.
    PERFORM run_command_on_workers($w$DO $d$
        DECLARE t regclass;
        BEGIN
            FOR t IN SELECT k.table_name FROM actions.table_kinds() k
                      WHERE k.kind <> 'local'
                        AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition p WHERE p.logicalrelid = k.table_name) LOOP
                CONTINUE WHEN pg_catalog.pg_relation_size(t) = 0;
                IF EXISTS (SELECT 1 FROM pg_catalog.pg_constraint f
                            WHERE f.contype = 'f' AND f.confrelid = t AND f.conrelid <> t) THEN
                    EXECUTE pg_catalog.format('DELETE FROM %s', t);
                ELSE
                    EXECUTE pg_catalog.format('TRUNCATE %s', t);
                END IF;
            END LOOP;
        END $d$ $w$);

    -- 0. The application's tables actions.track_table() adopts are the coordinator's own: the
    -- columns naming one keep its OID (a regclass value would reach the workers by name, where no
    -- such table is). On a single node they stay regclass (a dump and restore keeps them by name).
    IF (SELECT a.atttypid FROM pg_attribute a
         WHERE a.attrelid = 'actions.tracked_table'::regclass AND a.attname = 'source') = 'regclass'::regtype THEN
        ALTER TABLE actions.tracked_table ALTER COLUMN source TYPE oid;
        ALTER TABLE actions.record ALTER COLUMN source_table TYPE oid;
    END IF;

    -- 1. Reference tables, referenced ones first (calendar before its hours and holidays).
    FOR t IN SELECT k.table_name, k.kind FROM actions.table_kinds() k WHERE k.kind = 'reference'
              ORDER BY EXISTS (SELECT 1 FROM pg_constraint f WHERE f.conrelid = k.table_name AND f.contype = 'f'), 1 LOOP
        table_name := t.table_name; kind := t.kind;
        IF EXISTS (SELECT 1 FROM pg_dist_partition p WHERE p.logicalrelid = t.table_name) THEN
            outcome := 'already a reference table';
        ELSE
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s)', t.table_name) INTO has_rows;
            IF has_rows THEN had_rows := had_rows || t.table_name; END IF;
            PERFORM create_reference_table(t.table_name);
            outcome := 'made a reference table';
            changed := changed + 1;
        END IF;
        RETURN NEXT;
    END LOOP;

    -- The cluster secret the coordinator signs the identity it carries to the workers with, made
    -- once (docs/security.md, "Identity on Citus").
    table_name := 'actions.cluster_secret'::regclass; kind := 'identity secret';
    IF EXISTS (SELECT 1 FROM actions.cluster_secret) THEN
        outcome := 'already made';
    ELSE
        PERFORM actions.rotate_cluster_secret();
        outcome := 'made';
        changed := changed + 1;
    END IF;
    RETURN NEXT;

    -- 2. actions.workspace by its id, then 3. every per-workspace table colocated with it, each
    -- after the tables its foreign keys reference.
    pending := ARRAY(SELECT k.table_name FROM actions.table_kinds() k WHERE k.kind = 'distributed'
                     ORDER BY k.table_name <> 'actions.workspace'::regclass, 1);
    WHILE cardinality(pending) > 0 LOOP
        SELECT p INTO ready FROM unnest(pending) WITH ORDINALITY AS u(p, n)
         WHERE NOT EXISTS (SELECT 1 FROM pg_constraint f
                            WHERE f.conrelid = u.p AND f.contype = 'f' AND f.confrelid <> u.p
                              AND f.confrelid = ANY (pending))
         ORDER BY n LIMIT 1;
        IF ready IS NULL THEN
            RAISE EXCEPTION 'the foreign keys between % form a cycle', pending USING ERRCODE = 'internal_error';
        END IF;
        table_name := ready; kind := 'distributed';
        IF EXISTS (SELECT 1 FROM pg_dist_partition p WHERE p.logicalrelid = ready) THEN
            outcome := 'already distributed by workspace_id';
        ELSE
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s)', ready) INTO has_rows;
            IF has_rows THEN had_rows := had_rows || ready; END IF;
            IF ready = 'actions.workspace'::regclass THEN
                PERFORM create_distributed_table(ready, 'workspace_id');
                outcome := 'distributed by workspace_id';
            ELSE
                PERFORM create_distributed_table(ready, 'workspace_id', colocate_with => 'actions.workspace');
                outcome := 'distributed by workspace_id, colocated with actions.workspace';
            END IF;
            changed := changed + 1;
        END IF;
        RETURN NEXT;
        pending := array_remove(pending, ready);
        done := done || ready;
    END LOOP;

    -- The coordinator's rows were copied into the shards; its own copies (the shells) are emptied
    -- where nothing else refers to them by foreign key (the list secret of a fresh install). An
    -- install that had data keeps it in the other shells, invisible: a notice names them.
    FOR t IN SELECT u.t AS table_name FROM unnest(had_rows) AS u(t)
              WHERE NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND u.t IN (f.conrelid, f.confrelid)) LOOP
        PERFORM truncate_local_data_after_distributing_table(t.table_name);
        had_rows := array_remove(had_rows, t.table_name);
    END LOOP;
    IF cardinality(had_rows) > 0 THEN
        RAISE NOTICE 'the rows of % were copied to the shards; the coordinator''s local copies remain, unread', had_rows
            USING HINT = 'Empty them with SELECT truncate_local_data_after_distributing_table(...) where no foreign key prevents it.';
    END IF;

    FOR t IN SELECT k.table_name, k.kind FROM actions.table_kinds() k WHERE k.kind = 'local' ORDER BY 1 LOOP
        table_name := t.table_name; kind := t.kind; outcome := 'kept node-local';
        RETURN NEXT;
    END LOOP;

    -- 4. Identity ranges: every worker generates the ids of the rows it inserts from its own range
    -- ((group id << 48) + 1 on, Citus' worker_adjust_identity_column_seq_ranges), which Citus does
    -- not set for tables an extension owns. The coordinator (group 0) keeps 1 .. 2^48.
    SELECT count(*) INTO workers FROM pg_dist_node n WHERE n.noderole = 'primary' AND n.groupid <> 0 AND n.isactive;
    SELECT coalesce(sum(r.result::bigint), 0) INTO adjusted
      FROM run_command_on_workers($q$SELECT count(*) FROM pg_catalog.pg_sequence s
                                       JOIN pg_catalog.pg_depend d ON d.objid = s.seqrelid AND d.deptype = 'i'
                                       JOIN pg_catalog.pg_class c ON c.oid = d.refobjid
                                      WHERE c.oid IN (SELECT k.table_name FROM actions.table_kinds() k WHERE k.kind <> 'local')
                                        AND s.seqmin <> ((SELECT groupid FROM pg_catalog.pg_dist_local_group)::bigint << 48) + 1$q$) r
     WHERE r.success;
    FOR t IN SELECT k.table_name FROM actions.table_kinds() k
              WHERE k.kind IN ('reference', 'distributed')
                AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = k.table_name AND a.attidentity <> '')
              ORDER BY 1 LOOP
        PERFORM run_command_on_workers(format('SELECT pg_catalog.worker_adjust_identity_column_seq_ranges(%L::regclass)',
                                              t.table_name::text));
    END LOOP;
    table_name := NULL; kind := 'identity ranges';
    outcome := CASE WHEN adjusted = 0 THEN format('already set on %s worker(s)', workers)
                    ELSE format('%s sequence(s) given their range on %s worker(s)', adjusted, workers) END;
    RETURN NEXT;

    -- 5. Every function taking a workspace becomes a distributed function colocated with
    -- actions.workspace, so a call runs whole on the node holding it (src/sql/68_routing.sql).
    routed := actions.distribute_functions();
    table_name := NULL; kind := 'routed functions';
    outcome := CASE WHEN routed = 0 THEN 'already distributed'
                    ELSE format('%s function(s) distributed, colocated with actions.workspace', routed) END;
    RETURN NEXT;
    IF changed = 0 AND adjusted = 0 AND routed = 0 THEN
        RAISE NOTICE 'pg_actions is distributed already: nothing changed';
    ELSE
        RAISE NOTICE 'pg_actions distributed: % table(s) placed, % identity sequence(s) given their range on % worker(s), % function(s) routed',
            changed, adjusted, workers, routed;
    END IF;
END
$$;
COMMENT ON FUNCTION actions.distribute() IS
    'Administration, Citus only, on the coordinator: makes the global tables reference tables, distributes actions.workspace by its id and every per-workspace table by workspace_id colocated with it (in foreign-key order), and gives every worker its own range of identity values; returns what it did per table. A second call changes nothing (says so). Refused (55000) where Citus is not installed';
REVOKE ALL ON FUNCTION actions.distribute() FROM PUBLIC;
