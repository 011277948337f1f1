-- The set-based plain-SQL baseline of actions.mark_overdue() (bench/sweep.sh): every open action
-- of schema plain past its due date marked overdue in one statement, writing what the extension
-- writes per action: the action (status, updated_at), its 'overdue' log entry (the extension's
-- canonical encoding with the detail {"due_at": ...} and SHA-256 chain; no acting person, as in a
-- maintenance run), the chain head, the overdue reminder, the notification to the assignee and its
-- NOTIFY. No permission or notification-setting check.
WITH o AS (
    SELECT workspace_id, action_id, status AS old, assignee_id, due_at
      FROM plain.action
     WHERE status IN ('to_do', 'in_progress') AND due_at IS NOT NULL AND due_at < now()
       FOR UPDATE),
u AS (
    UPDATE plain.action a SET status = 'overdue', updated_at = now()
      FROM o
     WHERE a.workspace_id = o.workspace_id AND a.action_id = o.action_id
    RETURNING a.workspace_id, a.action_id, o.old, o.assignee_id, o.due_at),
h AS (
    SELECT t.workspace_id, t.action_id, t.seq + 1 AS seq, t.hash AS prev, u.old, u.assignee_id, u.due_at,
           '{"due_at":"' || to_char(u.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '"}' AS detail,
           (extract(epoch FROM now()) * 1000000)::bigint - 946684800000000 AS at_us, session_user::text AS role
      FROM plain.activity_head t JOIN u ON t.workspace_id = u.workspace_id AND t.action_id = u.action_id
       FOR UPDATE OF t),
e AS (
    SELECT h.*, sha256(prev || convert_to('pg_actions.log.v1' || chr(10) || workspace_id || ';' || action_id
               || ';' || seq || ';7:overdue;' || octet_length(old) || ':' || old || ';7:overdue;'
               || octet_length(detail) || ':' || detail || ';-;' || octet_length(role) || ':' || role || ';'
               || at_us || ';', 'UTF8')) AS hash
      FROM h),
l AS (
    INSERT INTO plain.activity (workspace_id, action_id, seq, event, old_value, new_value, detail, actor_id,
                                db_role, at, prev_hash, hash)
    SELECT workspace_id, action_id, seq, 'overdue', old, 'overdue', detail::jsonb, NULL, role, now(), prev, hash
      FROM e),
hu AS (
    UPDATE plain.activity_head t SET seq = e.seq, hash = e.hash
      FROM e WHERE t.workspace_id = e.workspace_id AND t.action_id = e.action_id),
r AS (
    INSERT INTO plain.reminder (workspace_id, action_id, kind, due_at)
    SELECT workspace_id, action_id, 'overdue', due_at FROM u
    ON CONFLICT DO NOTHING),
n AS (
    INSERT INTO plain.notification (workspace_id, person_id, kind, action_id, link)
    SELECT u.workspace_id, u.assignee_id, 'overdue', u.action_id,
           replace(replace(w.action_url_template, '{workspace_id}', u.workspace_id::text),
                   '{action_id}', u.action_id::text)
      FROM u JOIN actions.workspace w ON w.workspace_id = u.workspace_id
     WHERE u.assignee_id IS NOT NULL
    RETURNING notification_id)
SELECT count(pg_notify('pg_actions', notification_id::text)) FROM n;
