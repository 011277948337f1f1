-- pg_actions install script, part 47: the actions list, text search and unread notifications.
-- actions.list_actions() returns one page of the actions the acting person sees, with the fields a
-- list shows, filtered, sorted and paged by a keyset cursor; actions.action_list is the same rows
-- for BI tools. Both read actions.action_list_rows, the one place that applies the visibility
-- predicate of the row-level security policy action_visible (src/sql/45_visibility.sql): they run
-- as the extension's owner because the display fields come from tables members cannot read
-- (people, records), so the predicate is applied by the view, and test/pgtap/list.sql checks that
-- it shows exactly the rows the policy shows. The allowed values of every filter and sort come
-- from the core (actions.list_vocabulary(), core/listing.hpp).

CREATE FUNCTION actions.list_vocabulary(name text) RETURNS text[]
    LANGUAGE c IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_list_vocabulary';
COMMENT ON FUNCTION actions.list_vocabulary(text) IS
    'The allowed values of a list filter or sort, from the core: status, priority, open (statuses of work still open), sort, direction; in rank order';

-- Stored as text, not regconfig: pg_upgrade refuses tables with regconfig columns. Read with ::regconfig.
ALTER TABLE actions.workspace ADD COLUMN text_search_config text NOT NULL DEFAULT 'simple';
COMMENT ON COLUMN actions.workspace.text_search_config IS
    'Text search configuration (a regconfig name) for searching this workspace''s actions; the index action_search_idx serves ''simple'', another one needs an index of its own (README)';

-- The searched document of an action. IMMUTABLE as to_tsvector(regconfig, text) is: the
-- configuration is an argument, never looked up, so an index on it is never stale. (Not inlined,
-- having a SET clause: a query matches the index by calling this same function.)
CREATE FUNCTION actions.action_document(config regconfig, title text, description text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN pg_catalog.to_tsvector(config, title OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) COALESCE(description, ''));
COMMENT ON FUNCTION actions.action_document(regconfig, text, text) IS
    'What text search matches: an action''s title and description under a text search configuration';

CREATE INDEX action_search_idx ON actions.action USING gin (actions.action_document('simple'::regconfig, title, description));
CREATE INDEX action_list_due_idx ON actions.action (workspace_id, (COALESCE(due_at, 'infinity'::timestamptz)), action_id);
CREATE INDEX action_list_created_idx ON actions.action (workspace_id, created_at, action_id);
CREATE INDEX action_list_updated_idx ON actions.action (workspace_id, updated_at, action_id);
CREATE INDEX action_list_title_idx ON actions.action (workspace_id, title, action_id);
CREATE INDEX action_list_owner_idx ON actions.action (workspace_id, owner_id);
CREATE INDEX action_list_priority_idx ON actions.action
    (workspace_id, (array_position(actions.list_vocabulary('priority'), priority)), action_id);
CREATE INDEX action_list_status_idx ON actions.action
    (workspace_id, (array_position(actions.list_vocabulary('status'), status)), action_id);
CREATE INDEX notification_person_list_idx ON actions.notification (person_id, notification_id);

CREATE VIEW actions.action_list_rows AS
SELECT a.workspace_id, a.action_id, a.title, a.description, a.type, a.status, a.priority, a.due_at,
       (a.due_at IS NOT NULL AND a.due_at < now() AND a.status = ANY (actions.list_vocabulary('open'))) AS overdue,
       a.assignee_id, ap.display_name AS assignee_name, a.owner_id, op.display_name AS owner_name,
       a.record_id, r.title AS record_title, r.kind AS record_kind,
       a.group_ids,
       ARRAY(SELECT g.name FROM actions."group" g
              WHERE g.workspace_id = a.workspace_id AND g.group_id = ANY (a.group_ids) ORDER BY g.name) AS group_names,
       a.created_at, a.updated_at,
       array_position(actions.list_vocabulary('priority'), a.priority) AS priority_rank,
       array_position(actions.list_vocabulary('status'), a.status) AS status_rank
  FROM actions.action a
  LEFT JOIN actions.person ap ON ap.person_id = a.assignee_id
  LEFT JOIN actions.person op ON op.person_id = a.owner_id
  LEFT JOIN actions.record r ON r.workspace_id = a.workspace_id AND r.record_id = a.record_id
 WHERE -- the predicate of the policy action_visible (45_visibility.sql), word for word
       (SELECT actions.service_sees_all())
    OR a.workspace_id = ANY ((SELECT actions.visible_workspaces())::bigint[])
    OR a.group_ids && (SELECT actions.visible_groups())
    OR a.record_id = ANY ((SELECT actions.party_records())::bigint[])
    OR a.action_id = ANY ((SELECT actions.candidate_actions())::bigint[])
    OR (a.workspace_id, a.assignee_id) IN (SELECT s.workspace_id, s.person_id FROM actions.substituted_members() s)
    OR (a.workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[])
        AND (a.assignee_id = (SELECT actions.current_actor()) OR a.owner_id = (SELECT actions.current_actor())
             OR a.delegated_by = (SELECT actions.current_actor())));
COMMENT ON VIEW actions.action_list_rows IS
    'Internal: the actions the acting person sees (the predicate of the policy action_visible) with their display fields; read through actions.action_list or actions.list_actions()';
COMMENT ON COLUMN actions.action_list_rows.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.action_list_rows.action_id IS 'Identifier of the action';
COMMENT ON COLUMN actions.action_list_rows.title IS 'What needs to be done';
COMMENT ON COLUMN actions.action_list_rows.description IS 'Details of the work (searched, not shown by actions.action_list)';
COMMENT ON COLUMN actions.action_list_rows.type IS 'task, approval, review, acknowledgement, ...';
COMMENT ON COLUMN actions.action_list_rows.status IS 'Status (actions.list_vocabulary(status))';
COMMENT ON COLUMN actions.action_list_rows.priority IS 'Priority (actions.list_vocabulary(priority))';
COMMENT ON COLUMN actions.action_list_rows.due_at IS 'When the action becomes overdue';
COMMENT ON COLUMN actions.action_list_rows.overdue IS 'Open and past its due date';
COMMENT ON COLUMN actions.action_list_rows.assignee_id IS 'Person responsible for it, or NULL';
COMMENT ON COLUMN actions.action_list_rows.assignee_name IS 'Display name of the assignee';
COMMENT ON COLUMN actions.action_list_rows.owner_id IS 'Person who created it';
COMMENT ON COLUMN actions.action_list_rows.owner_name IS 'Display name of the owner';
COMMENT ON COLUMN actions.action_list_rows.record_id IS 'Linked record, or NULL';
COMMENT ON COLUMN actions.action_list_rows.record_title IS 'Title of the linked record';
COMMENT ON COLUMN actions.action_list_rows.record_kind IS 'Kind of the linked record';
COMMENT ON COLUMN actions.action_list_rows.group_ids IS 'Groups the action belongs to';
COMMENT ON COLUMN actions.action_list_rows.group_names IS 'Names of those groups, sorted';
COMMENT ON COLUMN actions.action_list_rows.created_at IS 'When the action was created';
COMMENT ON COLUMN actions.action_list_rows.updated_at IS 'When the action last changed';
COMMENT ON COLUMN actions.action_list_rows.priority_rank IS 'Position of the priority in actions.list_vocabulary(priority): the priority sort key';
COMMENT ON COLUMN actions.action_list_rows.status_rank IS 'Position of the status in actions.list_vocabulary(status): the status sort key';
REVOKE ALL ON actions.action_list_rows FROM PUBLIC;

-- security_barrier: a caller's own functions in a WHERE clause see only rows the predicate passed.
CREATE VIEW actions.action_list WITH (security_barrier) AS
SELECT workspace_id, action_id, title, type, status, priority, due_at, overdue, assignee_id, assignee_name,
       owner_id, owner_name, record_id, record_title, record_kind, group_ids, group_names, created_at, updated_at
  FROM actions.action_list_rows;
COMMENT ON VIEW actions.action_list IS
    'The actions the acting person sees (exactly the rows row-level security shows them in actions.action) with the fields a list shows, for BI tools';
COMMENT ON COLUMN actions.action_list.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.action_list.action_id IS 'Identifier of the action';
COMMENT ON COLUMN actions.action_list.title IS 'What needs to be done';
COMMENT ON COLUMN actions.action_list.type IS 'task, approval, review, acknowledgement, ...';
COMMENT ON COLUMN actions.action_list.status IS 'Status (actions.list_vocabulary(status))';
COMMENT ON COLUMN actions.action_list.priority IS 'Priority (actions.list_vocabulary(priority))';
COMMENT ON COLUMN actions.action_list.due_at IS 'When the action becomes overdue';
COMMENT ON COLUMN actions.action_list.overdue IS 'Open and past its due date';
COMMENT ON COLUMN actions.action_list.assignee_id IS 'Person responsible for it, or NULL';
COMMENT ON COLUMN actions.action_list.assignee_name IS 'Display name of the assignee';
COMMENT ON COLUMN actions.action_list.owner_id IS 'Person who created it';
COMMENT ON COLUMN actions.action_list.owner_name IS 'Display name of the owner';
COMMENT ON COLUMN actions.action_list.record_id IS 'Linked record, or NULL';
COMMENT ON COLUMN actions.action_list.record_title IS 'Title of the linked record';
COMMENT ON COLUMN actions.action_list.record_kind IS 'Kind of the linked record';
COMMENT ON COLUMN actions.action_list.group_ids IS 'Groups the action belongs to';
COMMENT ON COLUMN actions.action_list.group_names IS 'Names of those groups, sorted';
COMMENT ON COLUMN actions.action_list.created_at IS 'When the action was created';
COMMENT ON COLUMN actions.action_list.updated_at IS 'When the action last changed';
GRANT SELECT ON actions.action_list TO PUBLIC;

-- The cursor after a row: base64 of [sort, direction, key, action_id, check], where check is an
-- MD5 over those and the filters, so a cursor edited by hand or reused with other filters is
-- refused. (It is not a secret: a forged cursor only moves where the page starts, within the rows
-- the person sees anyway.)
CREATE FUNCTION actions.list_cursor(sort text, direction text, key text, action_id bigint, filters text) RETURNS text
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
    RETURN translate(encode(convert_to(jsonb_build_array(sort, direction, key, action_id,
                     md5(concat_ws('|', sort, direction, key, action_id::text, filters)))::text, 'UTF8'), 'base64'), E'\n', '');
COMMENT ON FUNCTION actions.list_cursor(text, text, text, bigint, text) IS
    'The opaque cursor actions.list_actions() returns on the last row of a full page: pass it to get the next page';

CREATE FUNCTION actions.list_run(statement text, keep_plan boolean, ws bigint, statuses text[], assignees bigint[], me bigint,
    unassigned boolean, owners bigint[], due_before timestamptz, due_after timestamptz, linked_record bigint,
    record_kinds text[], types text[], groups bigint[], priorities text[], config regconfig, tsq tsquery,
    sort text, direction text, filters text, c_time timestamptz, c_text text, c_rank integer, c_id bigint,
    page_size integer, title_pattern text)
RETURNS TABLE (action_id bigint, title text, type text, status text, priority text, due_at timestamptz,
               overdue boolean, assignee_id bigint, assignee_name text, owner_id bigint, owner_name text,
               record_id bigint, record_title text, record_kind text, group_ids bigint[], group_names text[],
               created_at timestamptz, updated_at timestamptz, next_cursor text)
    LANGUAGE c STABLE SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_list_run';
COMMENT ON FUNCTION actions.list_run(text, boolean, bigint, text[], bigint[], bigint, boolean, bigint[], timestamptz, timestamptz,
    bigint, text[], text[], bigint[], text[], regconfig, tsquery, text, text, text, timestamptz, text, integer, bigint, integer, text) IS
    'Internal to actions.list_actions(): runs the statement it assembled, with a plan kept per statement text (keep_plan) or planned for the values; not executable by PUBLIC';

CREATE FUNCTION actions.list_actions(
    workspace_id bigint,
    statuses text[] DEFAULT NULL,
    assignees bigint[] DEFAULT NULL,
    assigned_to_me boolean DEFAULT false,
    unassigned boolean DEFAULT false,
    owners bigint[] DEFAULT NULL,
    due_before timestamptz DEFAULT NULL,
    due_after timestamptz DEFAULT NULL,
    only_overdue boolean DEFAULT NULL,
    linked_record bigint DEFAULT NULL,
    record_kinds text[] DEFAULT NULL,
    types text[] DEFAULT NULL,
    in_group bigint DEFAULT NULL,
    include_subgroups boolean DEFAULT true,
    priorities text[] DEFAULT NULL,
    search text DEFAULT NULL,
    title_contains text DEFAULT NULL,
    sort text DEFAULT 'due',
    direction text DEFAULT 'asc',
    page_size integer DEFAULT 50,
    cursor text DEFAULT NULL)
RETURNS TABLE (action_id bigint, title text, type text, status text, priority text, due_at timestamptz,
               overdue boolean, assignee_id bigint, assignee_name text, owner_id bigint, owner_name text,
               record_id bigint, record_title text, record_kind text, group_ids bigint[], group_names text[],
               created_at timestamptz, updated_at timestamptz, next_cursor text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    ws constant bigint := list_actions.workspace_id;
    sorts constant text[] := actions.list_vocabulary('sort');
    dirs constant text[] := actions.list_vocabulary('direction');
    all_statuses constant text[] := actions.list_vocabulary('status');
    all_priorities constant text[] := actions.list_vocabulary('priority');
    sort_expr text;
    key_expr text;
    filters text;
    q text;
    groups bigint[];
    config regconfig;
    words text[];
    tsq tsquery;
    me bigint := actions.current_actor();
    c jsonb;
    c_time timestamptz;
    c_text text;
    c_rank integer;
    c_id bigint;
BEGIN
    IF ws IS NULL THEN
        RAISE EXCEPTION 'workspace_id is required' USING ERRCODE = '22023', HINT = 'pass the workspace whose actions to list';
    END IF;
    IF sort IS NULL OR NOT sort = ANY (sorts) THEN
        RAISE EXCEPTION 'unknown sort "%"', sort USING ERRCODE = '22023', HINT = 'use one of ' || array_to_string(sorts, ', ');
    END IF;
    IF direction IS NULL OR NOT direction = ANY (dirs) THEN
        RAISE EXCEPTION 'unknown direction "%"', direction USING ERRCODE = '22023', HINT = 'use one of ' || array_to_string(dirs, ', ');
    END IF;
    IF statuses IS NOT NULL AND NOT statuses <@ all_statuses THEN
        RAISE EXCEPTION 'unknown status in %', statuses USING ERRCODE = '22023', HINT = 'use statuses among ' || array_to_string(all_statuses, ', ');
    END IF;
    IF priorities IS NOT NULL AND NOT priorities <@ all_priorities THEN
        RAISE EXCEPTION 'unknown priority in %', priorities USING ERRCODE = '22023', HINT = 'use priorities among ' || array_to_string(all_priorities, ', ');
    END IF;
    IF page_size IS NULL OR page_size < 1 OR page_size > 1000 THEN
        RAISE EXCEPTION 'page_size % is out of range', page_size USING ERRCODE = '22023', HINT = 'use a page size from 1 to 1000';
    END IF;
    IF due_before IS NOT NULL AND NOT isfinite(due_before) OR due_after IS NOT NULL AND NOT isfinite(due_after) THEN
        RAISE EXCEPTION 'due_before and due_after must be finite' USING ERRCODE = '22023', HINT = 'pass a date and time, or NULL for no bound';
    END IF;
    IF assigned_to_me AND me IS NULL THEN
        RAISE EXCEPTION 'no person is acting, so "assigned to me" means nobody' USING ERRCODE = '42501',
            HINT = 'call as a person''s login role, or actions.act_as(person_id) first';
    END IF;
    IF in_group IS NOT NULL THEN
        SELECT array_agg(g.group_id) INTO groups FROM actions."group" g
         WHERE g.workspace_id = ws AND (g.group_id = in_group OR (include_subgroups AND g.path @> ARRAY[in_group]));
        IF groups IS NULL THEN
            RAISE EXCEPTION 'group % not found in workspace %', in_group, ws USING ERRCODE = '22023',
                HINT = 'list the groups in actions."group"';
        END IF;
    END IF;
    IF search IS NOT NULL THEN
        SELECT w.text_search_config::regconfig INTO config FROM actions.workspace w WHERE w.workspace_id = ws;
        words := ARRAY(SELECT x FROM regexp_split_to_table(lower(search), '[^[:alnum:]_]+') x WHERE x <> '');
        IF cardinality(words) = 0 THEN
            RAISE EXCEPTION 'search "%" has no words', search USING ERRCODE = '22023', HINT = 'search for letters or digits, or pass NULL';
        END IF;
        -- Each word is a quoted lexeme matched as a prefix (word:*); every word must match.
        tsq := to_tsquery(coalesce(config, 'simple'::regconfig),
                          array_to_string(ARRAY(SELECT quote_literal(x) || ':*' FROM unnest(words) x), ' & '));
    END IF;

    sort_expr := CASE sort
        WHEN 'due' THEN 'COALESCE(v.due_at, ''infinity''::timestamptz)'
        WHEN 'created' THEN 'v.created_at'
        WHEN 'updated' THEN 'v.updated_at'
        WHEN 'title' THEN 'v.title'
        WHEN 'priority' THEN 'v.priority_rank'
        WHEN 'status' THEN 'v.status_rank' END;
    -- The key as text: times as microseconds since 1970 (no DateStyle or time zone involved).
    key_expr := CASE sort
        WHEN 'due' THEN '(extract(epoch FROM v.due_at) * 1000000)::bigint::text'
        WHEN 'created' THEN '(extract(epoch FROM v.created_at) * 1000000)::bigint::text'
        WHEN 'updated' THEN '(extract(epoch FROM v.updated_at) * 1000000)::bigint::text'
        WHEN 'title' THEN 'v.title'
        ELSE sort_expr || '::text' END;
    filters := md5(concat_ws('|', ws, statuses::text, assignees::text, assigned_to_me, unassigned, owners::text,
                             due_before, due_after, only_overdue, linked_record, record_kinds::text, types::text, in_group,
                             include_subgroups, priorities::text, search, title_contains));

    IF cursor IS NOT NULL THEN
        BEGIN
            c := convert_from(decode(cursor, 'base64'), 'UTF8')::jsonb;
            IF jsonb_typeof(c) <> 'array' OR jsonb_array_length(c) <> 5
               OR c->>4 IS DISTINCT FROM md5(concat_ws('|', c->>0, c->>1, c->>2, c->>3, filters)) THEN
                RAISE EXCEPTION USING ERRCODE = '22P02';
            END IF;
            c_id := (c->>3)::bigint;
            IF c->>0 <> sort OR c->>1 <> direction THEN
                RAISE EXCEPTION USING ERRCODE = '22P02';
            END IF;
            IF sort IN ('due', 'created', 'updated') THEN
                c_time := CASE WHEN c->>2 IS NULL THEN 'infinity'::timestamptz
                               ELSE to_timestamp(0) + (c->>2)::bigint * interval '1 microsecond' END;
            ELSIF sort = 'title' THEN
                c_text := c->>2;
            ELSE
                c_rank := (c->>2)::integer;
            END IF;
        EXCEPTION WHEN data_exception THEN
            RAISE EXCEPTION 'invalid cursor' USING ERRCODE = '22023',
                DETAIL = 'the cursor was not returned by actions.list_actions() with this sort, direction and these filters',
                HINT = 'pass the next_cursor of the last row of the previous page, with the same arguments, or NULL for the first page';
        END;
    END IF;

    -- The page in the inner query; the outer one gives the last row of a full page its cursor (a
    -- cursor costs a few microseconds, so not on every row; a shorter page is the last one).
    q := 'SELECT v.action_id, v.title, v.type, v.status, v.priority, v.due_at, v.overdue, v.assignee_id, v.assignee_name,'
         ' v.owner_id, v.owner_name, v.record_id, v.record_title, v.record_kind, v.group_ids, v.group_names,'
         ' v.created_at, v.updated_at, ' || key_expr || ' AS sort_key'
         ' FROM actions.action_list_rows v WHERE v.workspace_id = $1';
    IF statuses IS NOT NULL THEN q := q || ' AND v.status = ANY ($2)'; END IF;
    IF assignees IS NOT NULL OR assigned_to_me OR unassigned THEN
        q := q || ' AND (' || array_to_string(ARRAY[
                 CASE WHEN assignees IS NOT NULL THEN 'v.assignee_id = ANY ($3)' END,
                 CASE WHEN assigned_to_me THEN 'v.assignee_id = $4' END,
                 CASE WHEN unassigned THEN 'v.assignee_id IS NULL' END], ' OR ') || ')';
    END IF;
    IF owners IS NOT NULL THEN q := q || ' AND v.owner_id = ANY ($6)'; END IF;
    -- Also stated on the due sort's key, so that sort's index scan starts and stops at the bounds.
    IF due_before IS NOT NULL THEN
        q := q || ' AND v.due_at < $7 AND COALESCE(v.due_at, ''infinity''::timestamptz) < $7';
    END IF;
    IF due_after IS NOT NULL THEN
        q := q || ' AND v.due_at >= $8 AND COALESCE(v.due_at, ''infinity''::timestamptz) >= $8';
    END IF;
    IF only_overdue THEN q := q || ' AND v.overdue';
    ELSIF NOT only_overdue THEN q := q || ' AND NOT v.overdue'; END IF;
    IF linked_record IS NOT NULL THEN q := q || ' AND v.record_id = $9'; END IF;
    IF record_kinds IS NOT NULL THEN q := q || ' AND v.record_kind = ANY ($10)'; END IF;
    IF types IS NOT NULL THEN q := q || ' AND v.type = ANY ($11)'; END IF;
    IF groups IS NOT NULL THEN q := q || ' AND v.group_ids && $12'; END IF;
    IF priorities IS NOT NULL THEN q := q || ' AND v.priority = ANY ($13)'; END IF;
    IF tsq IS NOT NULL THEN
        -- The configuration by OID (a number from the catalog, not the caller's text), so the
        -- kept generic plan matches the index on actions.action_document('simple', ...).
        q := q || ' AND actions.action_document(' || coalesce(config, 'simple'::regconfig)::oid
               || '::oid::regconfig, v.title, v.description) @@ $15';
    END IF;
    -- A substring of the title, LIKE's wildcards taken literally; a trigram index on title (README)
    -- serves it when the DBA has made one.
    IF title_contains IS NOT NULL THEN q := q || ' AND v.title ILIKE $24'; END IF;
    IF cursor IS NOT NULL THEN
        q := q || ' AND (' || sort_expr || ', v.action_id) ' || CASE direction WHEN 'asc' THEN '>' ELSE '<' END
               || ' (' || CASE WHEN sort IN ('due', 'created', 'updated') THEN '$19' WHEN sort = 'title' THEN '$20' ELSE '$21' END
               || ', $22)';
    END IF;
    -- The page size is written as a number (an integer checked above, not the caller's text): the
    -- kept plan is generic, and a LIMIT the planner cannot see would make it plan for 10% of the rows.
    q := q || ' ORDER BY ' || sort_expr || ' ' || direction || ', v.action_id ' || direction || ' LIMIT ' || page_size::text;
    q := 'SELECT p.action_id, p.title, p.type, p.status, p.priority, p.due_at, p.overdue, p.assignee_id, p.assignee_name,'
         ' p.owner_id, p.owner_name, p.record_id, p.record_title, p.record_kind, p.group_ids, p.group_names,'
         ' p.created_at, p.updated_at, CASE WHEN row_number() OVER () = ' || page_size::text
         || ' THEN actions.list_cursor($16, $17, p.sort_key, p.action_id, $18) END FROM (' || q || ') p';

    -- Run with a plan kept per statement text (actions.list_run), every value a parameter.
    -- A search or a substring is planned for its text each time (how common it is decides the plan).
    RETURN QUERY SELECT * FROM actions.list_run(q, tsq IS NULL AND title_contains IS NULL, ws, statuses, assignees, me, unassigned,
        owners, due_before, due_after, linked_record, record_kinds, types, groups, priorities,
        coalesce(config, 'simple'::regconfig), tsq, sort, direction, filters, c_time, c_text, c_rank, c_id, page_size,
        '%' || replace(replace(replace(title_contains, '\', '\\'), '%', '\%'), '_', '\_') || '%');
END
$fn$;
COMMENT ON FUNCTION actions.list_actions(bigint, text[], bigint[], boolean, boolean, bigint[], timestamptz, timestamptz,
    boolean, bigint, text[], text[], bigint, boolean, text[], text, text, text, text, integer, text) IS
    'One page of the actions the acting person sees in a workspace, with display fields, filtered, sorted (with action_id as tie-break) and paged: the last row of a full page carries next_cursor, to pass for the next page (a shorter page is the last)';

CREATE FUNCTION actions.list_notifications(in_workspace bigint DEFAULT NULL, unread_only boolean DEFAULT false,
                                           page_size integer DEFAULT 50, before_id bigint DEFAULT NULL)
RETURNS TABLE (notification_id bigint, workspace_id bigint, kind text, action_id bigint, link text,
               created_at timestamptz, read_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    me constant bigint := actions.current_actor();
BEGIN
    IF me IS NULL THEN
        RAISE EXCEPTION 'no person is acting' USING ERRCODE = '42501',
            HINT = 'call as a person''s login role, or actions.act_as(person_id) first';
    END IF;
    IF page_size IS NULL OR page_size < 1 OR page_size > 1000 THEN
        RAISE EXCEPTION 'page_size % is out of range', page_size USING ERRCODE = '22023', HINT = 'use a page size from 1 to 1000';
    END IF;
    RETURN QUERY
        SELECT n.notification_id, n.workspace_id, n.kind, n.action_id, n.link, n.created_at, n.read_at
          FROM actions.notification n
         WHERE n.person_id = me
           AND (in_workspace IS NULL OR n.workspace_id = in_workspace)
           AND (NOT unread_only OR n.read_at IS NULL)
           AND (before_id IS NULL OR n.notification_id < before_id)
         ORDER BY n.notification_id DESC
         LIMIT page_size;
END
$fn$;
COMMENT ON FUNCTION actions.list_notifications(bigint, boolean, integer, bigint) IS
    'The acting person''s own notifications, newest first; pass the last notification_id as before_id for the next page';

CREATE FUNCTION actions.mark_notifications_read(ids bigint[], read boolean DEFAULT true) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    me constant bigint := actions.current_actor();
    wanted bigint[] := ARRAY(SELECT DISTINCT x FROM unnest(ids) x WHERE x IS NOT NULL);
    own bigint[];
    changed integer;
BEGIN
    IF me IS NULL THEN
        RAISE EXCEPTION 'no person is acting' USING ERRCODE = '42501',
            HINT = 'call as a person''s login role, or actions.act_as(person_id) first';
    END IF;
    IF read IS NULL THEN
        RAISE EXCEPTION 'read must be true or false' USING ERRCODE = '22023', HINT = 'true marks read, false unread';
    END IF;
    own := ARRAY(SELECT n.notification_id FROM actions.notification n
                  WHERE n.person_id = me AND n.notification_id = ANY (wanted) ORDER BY 1 FOR UPDATE);
    IF cardinality(own) <> cardinality(wanted) THEN
        -- Another person's notification reads as a missing one; nothing is changed.
        RAISE EXCEPTION 'notification % not found', (SELECT min(x) FROM unnest(wanted) x WHERE NOT x = ANY (own))
            USING ERRCODE = 'P0002', HINT = 'pass ids of your own notifications (actions.list_notifications())';
    END IF;
    UPDATE actions.notification n
       SET read_at = CASE WHEN read THEN coalesce(n.read_at, now()) END
     WHERE n.person_id = me AND n.notification_id = ANY (own)
       AND (n.read_at IS NULL) = read;
    GET DIAGNOSTICS changed = ROW_COUNT;
    RETURN changed;
END
$fn$;
COMMENT ON FUNCTION actions.mark_notifications_read(bigint[], boolean) IS
    'Marks the acting person''s own notifications read (or unread with read => false); returns how many changed. Another person''s id is refused as not found and nothing changes';

CREATE FUNCTION actions.unread_count(workspace_id bigint DEFAULT NULL) RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
RETURN (SELECT count(*) FROM actions.notification n
         WHERE n.person_id = actions.current_actor() AND n.read_at IS NULL
           AND (unread_count.workspace_id IS NULL OR n.workspace_id = unread_count.workspace_id));
COMMENT ON FUNCTION actions.unread_count(bigint) IS 'How many of the acting person''s own notifications are unread (in one workspace, or all)';

REVOKE ALL ON FUNCTION actions.list_cursor(text, text, text, bigint, text), actions.list_run(text, boolean, bigint, text[], bigint[],
    bigint, boolean, bigint[], timestamptz, timestamptz, bigint, text[], text[], bigint[], text[], regconfig, tsquery,
    text, text, text, timestamptz, text, integer, bigint, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION actions.list_vocabulary(text), actions.action_document(regconfig, text, text),
    actions.list_actions(bigint, text[], bigint[], boolean, boolean, bigint[], timestamptz, timestamptz,
                         boolean, bigint, text[], text[], bigint, boolean, text[], text, text, text, text, integer, text),
    actions.list_notifications(bigint, boolean, integer, bigint), actions.mark_notifications_read(bigint[], boolean),
    actions.unread_count(bigint)
    TO PUBLIC;
