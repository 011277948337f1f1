-- Bulk operations (src/pg/api/bulk.cpp): each takes an array of action ids and returns one row per
-- element, in the array's order. Every row runs the single function's own code (the same rules,
-- locks, log entries and notifications) inside a subtransaction, so a refused row changes nothing
-- and never aborts the others. At most pg_actions.bulk_max_ids ids per call (54000 beyond).

CREATE FUNCTION actions.bulk_reassign(action_ids bigint[], assignee_id bigint)
    RETURNS TABLE (action_id bigint, ok boolean, sqlstate text, message text, new_id bigint)
    LANGUAGE c VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_bulk_reassign';
COMMENT ON FUNCTION actions.bulk_reassign(bigint[], bigint) IS
    'actions.reassign() for each id (one row per id: ok, or the SQLSTATE and message reassign would raise); a refused row changes nothing and does not stop the others';

CREATE FUNCTION actions.bulk_set_status(action_ids bigint[], verb text, reason text DEFAULT NULL)
    RETURNS TABLE (action_id bigint, ok boolean, sqlstate text, message text, new_id bigint)
    LANGUAGE c VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_bulk_set_status';
COMMENT ON FUNCTION actions.bulk_set_status(bigint[], text, text) IS
    'actions.start(), complete(), uncomplete() or cancel(reason) for each id, by verb; one row per id; a refused row changes nothing and does not stop the others';

CREATE FUNCTION actions.bulk_update(action_ids bigint[], due_at timestamptz DEFAULT NULL,
                                    shift_due interval DEFAULT NULL, priority text DEFAULT NULL,
                                    group_ids bigint[] DEFAULT NULL, clear_due boolean DEFAULT false)
    RETURNS TABLE (action_id bigint, ok boolean, sqlstate text, message text, new_id bigint)
    LANGUAGE c VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_bulk_update';
COMMENT ON FUNCTION actions.bulk_update(bigint[], timestamptz, interval, text, bigint[], boolean) IS
    'For each id: set or clear the due date or shift it by an interval, set the priority (as update_action()), replace the groups (as set_action_groups()); one row per id';

CREATE FUNCTION actions.bulk_duplicate(action_ids bigint[], assignee_id bigint DEFAULT NULL,
                                       shift_due interval DEFAULT NULL)
    RETURNS TABLE (action_id bigint, ok boolean, sqlstate text, message text, new_id bigint)
    LANGUAGE c VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_bulk_duplicate';
COMMENT ON FUNCTION actions.bulk_duplicate(bigint[], bigint, interval) IS
    'For each id the acting person may see: a new action created by create_action() (owned by the caller) with its title, description, type, priority, record and groups, assigned to assignee_id or the same assignee, due date shifted by shift_due; new_id is the copy';

CREATE FUNCTION actions.bulk_delete(action_ids bigint[])
    RETURNS TABLE (action_id bigint, ok boolean, sqlstate text, message text, new_id bigint)
    LANGUAGE c VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_bulk_delete';
COMMENT ON FUNCTION actions.bulk_delete(bigint[]) IS
    'actions.delete_action() for each id; one row per id; a refused row changes nothing and does not stop the others';

-- Public like the single functions: each row is decided for the acting person.
REVOKE ALL ON FUNCTION actions.bulk_reassign(bigint[], bigint), actions.bulk_set_status(bigint[], text, text),
    actions.bulk_update(bigint[], timestamptz, interval, text, bigint[], boolean),
    actions.bulk_duplicate(bigint[], bigint, interval), actions.bulk_delete(bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION actions.bulk_reassign(bigint[], bigint), actions.bulk_set_status(bigint[], text, text),
    actions.bulk_update(bigint[], timestamptz, interval, text, bigint[], boolean),
    actions.bulk_duplicate(bigint[], bigint, interval), actions.bulk_delete(bigint[]) TO PUBLIC;
