-- pg_actions install script, part 30: the SQL API (C functions) and the triggers that enforce the
-- lifecycle and write the log. Every function pins search_path; the API runs as the extension
-- owner (SECURITY DEFINER) and decides what the calling person may do itself.

CREATE FUNCTION actions.act_as(person_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_act_as';
COMMENT ON FUNCTION actions.act_as(bigint) IS
    'From a registered trusted service (actions.trusted_service): act for this person until the end of the current transaction';

CREATE FUNCTION actions.current_actor() RETURNS bigint
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_current_actor';
COMMENT ON FUNCTION actions.current_actor() IS
    'The person this session acts as: the act_as() choice of a trusted service in this transaction, else the person whose login_role is session_user, else NULL';

CREATE FUNCTION actions.create_action(
    workspace_id bigint,
    title        text,
    description  text DEFAULT NULL,
    assignee_id  bigint DEFAULT NULL,
    due_at       timestamptz DEFAULT NULL,
    due_on       date DEFAULT NULL,
    priority     text DEFAULT 'none',
    type         text DEFAULT 'task',
    record_id    bigint DEFAULT NULL,
    group_ids    bigint[] DEFAULT NULL)
    RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_create_action';
COMMENT ON FUNCTION actions.create_action(bigint, text, text, bigint, timestamptz, date, text, text, bigint, bigint[]) IS
    'Create an action owned by the acting person, standalone or linked to a record (record_id); due_on is a date that ends at midnight in the workspace time zone; group_ids defaults to the record''s groups. Returns the action id';

CREATE FUNCTION actions.assign(action_id bigint, assignee_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_assign';
COMMENT ON FUNCTION actions.assign(bigint, bigint) IS
    'Give an unassigned action its assignee (a member of the workspace); notifies them unless they assign themselves';

CREATE FUNCTION actions.reassign(action_id bigint, assignee_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_reassign';
COMMENT ON FUNCTION actions.reassign(bigint, bigint) IS
    'Hand an assigned action to another member (needs reassign_actions or administer_actions); the old and new assignee are logged';

CREATE FUNCTION actions.start(action_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_start';
COMMENT ON FUNCTION actions.start(bigint) IS 'Mark work on the action as started (status in_progress, or stays overdue)';

CREATE FUNCTION actions.complete(
    action_id     bigint,
    evidence      bytea DEFAULT NULL,
    evidence_name text DEFAULT NULL,
    evidence_type text DEFAULT 'application/octet-stream')
    RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_complete';
COMMENT ON FUNCTION actions.complete(bigint, bytea, text, text) IS
    'Complete the action, optionally with one evidence file (at most pg_actions.evidence_max_bytes); its name and SHA-256 go to the log';

CREATE FUNCTION actions.uncomplete(action_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_uncomplete';
COMMENT ON FUNCTION actions.uncomplete(bigint) IS
    'Reopen an action marked complete in error; it returns to to_do, in_progress or overdue as its facts say';

CREATE FUNCTION actions.cancel(action_id bigint, reason text) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_cancel';
COMMENT ON FUNCTION actions.cancel(bigint, text) IS 'Cancel an open action; a reason is required and logged; cancelled is final';

CREATE FUNCTION actions.update_action(
    action_id   bigint,
    title       text DEFAULT NULL,
    description text DEFAULT NULL,
    due_at      timestamptz DEFAULT NULL,
    due_on      date DEFAULT NULL,
    priority    text DEFAULT NULL,
    clear_due   boolean DEFAULT false)
    RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_update_action';
COMMENT ON FUNCTION actions.update_action(bigint, text, text, timestamptz, date, text, boolean) IS
    'Change title, description ('''' clears it), due date (due_at, due_on, or clear_due => true) or priority of an open action; NULL leaves a field as it is';

CREATE FUNCTION actions.delete_action(action_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_delete_action';
COMMENT ON FUNCTION actions.delete_action(bigint) IS 'Delete an action; its activity log stays, ending with a deleted entry';

CREATE FUNCTION actions.create_record(workspace_id bigint, title text, kind text DEFAULT 'generic',
                                      group_ids bigint[] DEFAULT '{}') RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_create_record';
COMMENT ON FUNCTION actions.create_record(bigint, text, text, bigint[]) IS 'Create a record actions can be linked to, in the given groups; returns its id';

CREATE FUNCTION actions.archive_record(record_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_archive_record';
COMMENT ON FUNCTION actions.archive_record(bigint) IS 'Archive a record; its actions stay active and visible, no new ones may be linked';

-- can() and why_not() run no SQL (the C code reads by OID through the index API and refuses to
-- run a statement), so they need neither SECURITY DEFINER nor a pinned search_path, whose
-- per-call cost would exceed the check itself.
CREATE FUNCTION actions.can(verb text, action_id bigint) RETURNS boolean
    LANGUAGE c STABLE
    AS 'MODULE_PATHNAME', 'pg_actions_can';
COMMENT ON FUNCTION actions.can(text, bigint) IS
    'Whether the acting person may do verb (view, assign, reassign, start, complete, uncomplete, cancel, edit, delete, offer, claim, release, delegate, resolve) to the action now; the same decision the API makes';

CREATE FUNCTION actions.why_not(verb text, action_id bigint) RETURNS text
    LANGUAGE c STABLE
    AS 'MODULE_PATHNAME', 'pg_actions_why_not';
COMMENT ON FUNCTION actions.why_not(text, bigint) IS
    'Why the acting person may not do verb to the action (the permission or condition missing), or NULL when they may';

CREATE FUNCTION actions.verify_log(workspace_id bigint)
    RETURNS TABLE (action_id bigint, seq integer, problem text)
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_verify_log';
COMMENT ON FUNCTION actions.verify_log(bigint) IS
    'Recompute every hash chain of the workspace''s activity log and compare every action row with the state its log implies; returns the first broken link or difference, or no row when the log is intact';

CREATE FUNCTION actions.action_guard() RETURNS trigger
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_action_guard';
COMMENT ON FUNCTION actions.action_guard() IS
    'Trigger: refuses illegal status moves (55000) and settles the status (overdue when past due, back when the due date moves)';

CREATE FUNCTION actions.action_log() RETURNS trigger
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_action_log';
COMMENT ON FUNCTION actions.action_log() IS
    'Trigger: appends hash-chained activity entries for every change of an action and notifies new assignees';

CREATE TRIGGER action_guard BEFORE INSERT OR UPDATE ON actions.action
    FOR EACH ROW EXECUTE FUNCTION actions.action_guard();
CREATE TRIGGER action_log AFTER INSERT OR UPDATE OR DELETE ON actions.action
    FOR EACH ROW EXECUTE FUNCTION actions.action_log();
CREATE TRIGGER action_no_truncate BEFORE TRUNCATE ON actions.action
    FOR EACH STATEMENT EXECUTE FUNCTION actions.refuse_log_change();
-- A restore writes rows in replica mode without the row triggers; nothing restores by TRUNCATE,
-- so that guard holds in replica mode too.
ALTER TABLE actions.action ENABLE ALWAYS TRIGGER action_no_truncate;
