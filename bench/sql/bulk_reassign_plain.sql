-- The set-based plain-SQL baseline of actions.bulk_reassign() (bench/bulk.sh): the actions
-- :lo..:hi of schema plain handed to :target in one statement, writing what the extension writes
-- per action: the action (assignee, updated_at), its 'reassigned' log entry (the extension's
-- canonical encoding and SHA-256 chain), the chain head, the notification and its NOTIFY. Rows
-- are locked in id order, as bulk_reassign locks them; an action already assigned to :target
-- changes nothing. No permission check.
WITH o AS (
    SELECT workspace_id, action_id, assignee_id AS old
      FROM plain.action WHERE action_id BETWEEN :lo AND :hi ORDER BY action_id FOR UPDATE),
u AS (
    UPDATE plain.action a SET assignee_id = :target::bigint, updated_at = now()
      FROM o
     WHERE a.workspace_id = o.workspace_id AND a.action_id = o.action_id
       AND o.old IS DISTINCT FROM :target::bigint
    RETURNING a.workspace_id, a.action_id, o.old),
h AS (
    SELECT t.workspace_id, t.action_id, t.seq + 1 AS seq, t.hash AS prev, u.old,
           (extract(epoch FROM now()) * 1000000)::bigint - 946684800000000 AS at_us, session_user::text AS role
      FROM plain.activity_head t JOIN u ON t.workspace_id = u.workspace_id AND t.action_id = u.action_id
     ORDER BY t.action_id
       FOR UPDATE OF t),
e AS (
    SELECT h.*, sha256(prev || convert_to('pg_actions.log.v1' || chr(10) || workspace_id || ';' || action_id
               || ';' || seq || ';10:' || 'reassigned;' || octet_length(old::text) || ':' || old || ';'
               || octet_length(:target::text) || ':' || :target::bigint || ';-;' || :owner::bigint || ';'
               || octet_length(role) || ':' || role || ';' || at_us || ';', 'UTF8')) AS hash
      FROM h),
l AS (
    INSERT INTO plain.activity (workspace_id, action_id, seq, event, old_value, new_value, actor_id,
                                db_role, at, prev_hash, hash)
    SELECT workspace_id, action_id, seq, 'reassigned', old::text, :target::text, :owner::bigint, role, now(), prev, hash
      FROM e),
hu AS (
    UPDATE plain.activity_head t SET seq = e.seq, hash = e.hash
      FROM e WHERE t.workspace_id = e.workspace_id AND t.action_id = e.action_id),
n AS (
    INSERT INTO plain.notification (workspace_id, person_id, kind, action_id, link)
    SELECT u.workspace_id, :target::bigint, 'reassigned', u.action_id,
           replace(replace(w.action_url_template, '{workspace_id}', u.workspace_id::text),
                   '{action_id}', u.action_id::text)
      FROM u JOIN actions.workspace w ON w.workspace_id = u.workspace_id
    RETURNING notification_id)
SELECT count(pg_notify('pg_actions', notification_id::text)) FROM n;
