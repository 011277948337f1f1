-- pg_actions install script, part 47: the actions list, text search and unread notifications.
-- actions.list_actions() returns one page of the actions the acting person sees, with the fields a
-- list shows, filtered, sorted and paged by a keyset cursor; actions.action_list is the same rows
-- for BI tools. Both read actions.action_list_rows, the one place that applies the visibility
-- predicate of the row-level security policy action_visible (src/sql/45_visibility.sql): they run
-- as the extension's owner because the display fields come from tables members cannot read
-- (people, records), so the predicate is applied by the view, and test/pgtap/list.sql checks that
-- it shows exactly the rows the policy shows. The display fields are scalar subqueries, not joins:
-- PostgreSQL evaluates them only for the rows a page returns (after its sort and LIMIT), where a
-- join would be planned over every row the filters keep (a hash join reading all people). The allowed values of every filter and sort come
-- from the core (actions.list_vocabulary(), part 10, core/listing.hpp).

-- Stored as text, not regconfig: pg_upgrade refuses tables with regconfig columns. Read with ::regconfig.
ALTER TABLE actions.workspace ADD COLUMN text_search_config text NOT NULL DEFAULT 'simple';
COMMENT ON COLUMN actions.workspace.text_search_config IS
    'Text search configuration (a regconfig name) for searching this workspace''s actions; the index action_search_idx serves ''simple'', another one needs an index of its own (docs/lists.md)';

-- The searched document of an action. IMMUTABLE as to_tsvector(regconfig, text) is: the
-- configuration is an argument, never looked up, so an index on it is never stale. No SET clause:
-- the planner inlines it, into the index's expression and into a query's alike, so a query still
-- matches the index, and a write to an action computes the document without calling a SQL
-- function (with a SET clause every insert and every update that moves the row called it, a
-- configuration save and restore and a SQL body started each time). Its body is SQL-standard,
-- bound to its objects when created, every name schema-qualified, operators included: no
-- search_path is consulted when it runs (docs/security.md, section 3).
CREATE FUNCTION actions.action_document(config regconfig, title text, description text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN pg_catalog.to_tsvector(config, title OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) COALESCE(description, ''));
COMMENT ON FUNCTION actions.action_document(regconfig, text, text) IS
    'What text search matches: an action''s title and description under a text search configuration';

CREATE INDEX action_search_idx ON actions.action USING gin (actions.action_document('simple'::regconfig, title, description));
CREATE INDEX action_list_due_idx ON actions.action (workspace_id, (COALESCE(due_at, 'infinity'::timestamptz)), action_id);
CREATE INDEX action_list_created_idx ON actions.action (workspace_id, created_at, action_id);
CREATE INDEX action_list_updated_idx ON actions.action (workspace_id, updated_at, action_id);
CREATE INDEX action_list_title_idx ON actions.action (workspace_id, title, action_id);
CREATE INDEX action_list_owner_idx ON actions.action (workspace_id, owner_id);
-- The actions of one status in due order (the list compares a single status as a value, so this
-- index serves "in progress, soonest due first" without reading the other statuses).
CREATE INDEX action_list_status_due_idx ON actions.action
    (workspace_id, status, (COALESCE(due_at, 'infinity'::timestamptz)), action_id);
-- The unassigned actions in due order: few among many, so the due sort's index would read far
-- before a page of them is found; the list's "unassigned" filter is this predicate word for word.
CREATE INDEX action_list_unassigned_idx ON actions.action (workspace_id, (COALESCE(due_at, 'infinity'::timestamptz)), action_id)
    WHERE assignee_id IS NULL;
CREATE INDEX action_list_priority_idx ON actions.action
    (workspace_id, (array_position(actions.list_vocabulary('priority'), priority)), action_id);
CREATE INDEX action_list_status_idx ON actions.action
    (workspace_id, (array_position(actions.list_vocabulary('status'), status)), action_id);
CREATE INDEX notification_person_list_idx ON actions.notification (person_id, created_at, notification_id);

CREATE VIEW actions.action_list_rows AS
SELECT a.workspace_id, a.action_id, a.title, a.description, a.type, a.status, a.priority, a.due_at,
       (a.due_at IS NOT NULL AND a.due_at < now() AND a.status = ANY (actions.list_vocabulary('open'))) AS overdue,
       a.assignee_id, a.owner_id, a.record_id, a.group_ids, a.created_at, a.updated_at,
       array_position(actions.list_vocabulary('priority'), a.priority) AS priority_rank,
       array_position(actions.list_vocabulary('status'), a.status) AS status_rank
  FROM actions.action a
 WHERE -- the rule of the policy action_visible (45_visibility.sql)
       actions.may_see_action(a.workspace_id, a.action_id, a.record_id, a.group_ids, a.assignee_id, a.owner_id, a.delegated_by,
        (SELECT actions.service_sees_all()), (SELECT actions.visible_workspaces())::bigint[],
        (SELECT actions.visible_groups()), (SELECT actions.party_records())::bigint[],
        (SELECT actions.candidate_actions())::bigint[],
        (SELECT pg_catalog.array_agg(ROW(s.workspace_id, s.person_id)::actions.member_key) FROM actions.substituted_members() s),
        (SELECT actions.member_workspaces())::bigint[], (SELECT actions.current_actor()));
COMMENT ON VIEW actions.action_list_rows IS
    'Internal: the actions the acting person sees (the predicate of the policy action_visible) with the fields a list sorts and filters on; read through actions.action_list or actions.list_actions()';
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
COMMENT ON COLUMN actions.action_list_rows.owner_id IS 'Person who created it';
COMMENT ON COLUMN actions.action_list_rows.record_id IS 'Linked record, or NULL';
COMMENT ON COLUMN actions.action_list_rows.group_ids IS 'Groups the action belongs to';
COMMENT ON COLUMN actions.action_list_rows.created_at IS 'When the action was created';
COMMENT ON COLUMN actions.action_list_rows.updated_at IS 'When the action last changed';
COMMENT ON COLUMN actions.action_list_rows.priority_rank IS 'Position of the priority in actions.list_vocabulary(priority): the priority sort key';
COMMENT ON COLUMN actions.action_list_rows.status_rank IS 'Position of the status in actions.list_vocabulary(status): the status sort key';
REVOKE ALL ON actions.action_list_rows FROM PUBLIC;

-- security_barrier: a caller's own functions in a WHERE clause see only rows the predicate passed.
-- The display fields are read here (as the owner: members cannot read people and records), for
-- BI tools; actions.list_actions() reads them for its page itself (core::list_statement; on Citus
-- the names apart, store::display_names), the same values (test/pgtap/list.sql compares them): on Citus
-- a statement a routed function runs may read the workspace's shards only, by the workspace as a
-- value, and no reference table beside them.
CREATE VIEW actions.action_list WITH (security_barrier) AS
SELECT v.workspace_id, v.action_id, v.title, v.type, v.status, v.priority, v.due_at, v.overdue,
       v.assignee_id, (SELECT ap.display_name FROM actions.person ap WHERE ap.person_id = v.assignee_id) AS assignee_name,
       v.owner_id, (SELECT op.display_name FROM actions.person op WHERE op.person_id = v.owner_id) AS owner_name,
       v.record_id,
       -- A record's fields only for someone who may see the record (NULL otherwise): seeing an
       -- action does not show the record it is linked to.
       (SELECT r.title FROM actions.record r WHERE r.workspace_id = v.workspace_id AND r.record_id = v.record_id
           AND actions.may_see_record(r.workspace_id, r.record_id, r.group_ids,
               (SELECT actions.service_sees_all()), (SELECT actions.visible_workspaces())::bigint[],
               (SELECT actions.visible_groups()), (SELECT actions.party_records())::bigint[])) AS record_title,
       (SELECT r.kind FROM actions.record r WHERE r.workspace_id = v.workspace_id AND r.record_id = v.record_id
           AND actions.may_see_record(r.workspace_id, r.record_id, r.group_ids,
               (SELECT actions.service_sees_all()), (SELECT actions.visible_workspaces())::bigint[],
               (SELECT actions.visible_groups()), (SELECT actions.party_records())::bigint[])) AS record_kind,
       v.group_ids,
       ARRAY(SELECT g.name FROM actions."group" g
              WHERE g.workspace_id = v.workspace_id AND g.group_id = ANY (v.group_ids) ORDER BY g.name) AS group_names,
       v.created_at, v.updated_at
  FROM actions.action_list_rows v;
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
COMMENT ON COLUMN actions.action_list.record_title IS 'Title of the linked record, or NULL when the acting person may not see the record';
COMMENT ON COLUMN actions.action_list.record_kind IS 'Kind of the linked record, or NULL when the acting person may not see the record';
COMMENT ON COLUMN actions.action_list.group_ids IS 'Groups the action belongs to';
COMMENT ON COLUMN actions.action_list.group_names IS 'Names of those groups, sorted';
COMMENT ON COLUMN actions.action_list.created_at IS 'When the action was created';
COMMENT ON COLUMN actions.action_list.updated_at IS 'When the action last changed';
GRANT SELECT ON actions.action_list TO PUBLIC;

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
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp ROWS 50
    AS 'MODULE_PATHNAME', 'pg_actions_list_actions';
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
    before_at timestamptz;
BEGIN
    IF me IS NULL THEN
        RAISE EXCEPTION 'no person is acting' USING ERRCODE = '42501',
            HINT = 'call as a person''s login role, or actions.act_as(person_id) first';
    END IF;
    IF page_size IS NULL OR page_size < 1 OR page_size > 1000 THEN
        RAISE EXCEPTION 'page_size % is out of range', page_size USING ERRCODE = '22023', HINT = 'use a page size from 1 to 1000';
    END IF;
    -- Newest first by (created_at, notification_id): ids alone are not in time order on a Citus
    -- cluster (each node draws them from its own range). The cursor is the last row's id; its
    -- place is read back, so a page goes on exactly after it. Another person's notification reads
    -- as a missing one.
    IF before_id IS NOT NULL THEN
        IF in_workspace IS NULL THEN
            SELECT n.created_at INTO before_at FROM actions.notification n
             WHERE n.notification_id = before_id AND n.person_id = me;
        ELSE
            SELECT n.created_at INTO before_at FROM actions.notification n
             WHERE n.workspace_id = in_workspace AND n.notification_id = before_id AND n.person_id = me;
        END IF;
        IF before_at IS NULL THEN
            RAISE EXCEPTION 'notification % not found', before_id USING ERRCODE = 'P0002',
                HINT = 'pass as before_id the notification_id of the last row of the page before';
        END IF;
    END IF;
    -- One statement per case of in_workspace: the workspace's filter stays a plain equality, which
    -- Citus routes to the workspace's shard (docs/design.md, "On Citus").
    IF in_workspace IS NULL THEN
        RETURN QUERY
            SELECT n.notification_id, n.workspace_id, n.kind, n.action_id, n.link, n.created_at, n.read_at
              FROM actions.notification n
             WHERE n.person_id = me
               AND (NOT unread_only OR n.read_at IS NULL)
               AND (before_id IS NULL OR (n.created_at, n.notification_id) < (before_at, before_id))
             ORDER BY n.created_at DESC, n.notification_id DESC
             LIMIT page_size;
    ELSE
        RETURN QUERY
            SELECT n.notification_id, n.workspace_id, n.kind, n.action_id, n.link, n.created_at, n.read_at
              FROM actions.notification n
             WHERE n.workspace_id = in_workspace AND n.person_id = me
               AND (NOT unread_only OR n.read_at IS NULL)
               AND (before_id IS NULL OR (n.created_at, n.notification_id) < (before_at, before_id))
             ORDER BY n.created_at DESC, n.notification_id DESC
             LIMIT page_size;
    END IF;
END
$fn$;
COMMENT ON FUNCTION actions.list_notifications(bigint, boolean, integer, bigint) IS
    'The acting person''s own notifications, newest first (by created_at, then notification_id); pass the last row''s notification_id as before_id for the next page (P0002 for an id not among the person''s)';

CREATE FUNCTION actions.mark_notifications_read(ids bigint[], read boolean DEFAULT true) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    me constant bigint := actions.current_actor();
    wanted bigint[] := ARRAY(SELECT DISTINCT x FROM unnest(ids) x WHERE x IS NOT NULL);
    own bigint[];
    changed integer;
    -- A value, not now() in the CASE: Citus refuses a function there in a write to a distributed table.
    at_now constant timestamptz := now();
BEGIN
    IF me IS NULL THEN
        RAISE EXCEPTION 'no person is acting' USING ERRCODE = '42501',
            HINT = 'call as a person''s login role, or actions.act_as(person_id) first';
    END IF;
    IF read IS NULL THEN
        RAISE EXCEPTION 'read must be true or false' USING ERRCODE = '22023', HINT = 'true marks read, false unread';
    END IF;
    -- No FOR UPDATE (Citus refuses one over every shard, and the ids may be in several workspaces):
    -- the UPDATE below locks what it changes, and a notification deleted in between changes nothing.
    own := ARRAY(SELECT n.notification_id FROM actions.notification n
                  WHERE n.person_id = me AND n.notification_id = ANY (wanted) ORDER BY 1);
    IF cardinality(own) <> cardinality(wanted) THEN
        -- Another person's notification reads as a missing one; nothing is changed.
        RAISE EXCEPTION 'notification % not found', (SELECT min(x) FROM unnest(wanted) x WHERE NOT x = ANY (own))
            USING ERRCODE = 'P0002', HINT = 'pass ids of your own notifications (actions.list_notifications())';
    END IF;
    UPDATE actions.notification n
       SET read_at = CASE WHEN read THEN coalesce(n.read_at, at_now) END
     WHERE n.person_id = me AND n.notification_id = ANY (own)
       AND (n.read_at IS NULL) = read;
    GET DIAGNOSTICS changed = ROW_COUNT;
    RETURN changed;
END
$fn$;
COMMENT ON FUNCTION actions.mark_notifications_read(bigint[], boolean) IS
    'Marks the acting person''s own notifications read (or unread with read => false); returns how many changed. Another person''s id is refused as not found and nothing changes';

-- PL/pgSQL, not SQL: Citus plans the statements of a PL/pgSQL function with their values, but
-- not those of an SQL function's parameters; one statement per case of workspace_id.
CREATE FUNCTION actions.unread_count(workspace_id bigint DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF unread_count.workspace_id IS NULL THEN
        RETURN (SELECT count(*) FROM actions.notification n
                 WHERE n.person_id = actions.current_actor() AND n.read_at IS NULL);
    END IF;
    RETURN (SELECT count(*) FROM actions.notification n
             WHERE n.workspace_id = unread_count.workspace_id
               AND n.person_id = actions.current_actor() AND n.read_at IS NULL);
END
$fn$;
COMMENT ON FUNCTION actions.unread_count(bigint) IS 'How many of the acting person''s own notifications are unread (in one workspace, or all)';

GRANT EXECUTE ON FUNCTION actions.list_vocabulary(text), actions.action_document(regconfig, text, text),
    actions.list_actions(bigint, text[], bigint[], boolean, boolean, bigint[], timestamptz, timestamptz,
                         boolean, bigint, text[], text[], bigint, boolean, text[], text, text, text, text, integer, text),
    actions.list_notifications(bigint, boolean, integer, bigint), actions.mark_notifications_read(bigint[], boolean),
    actions.unread_count(bigint)
    TO PUBLIC;
