-- reassign as one plain-SQL statement: lock the action, update it, lock the chain head, append
-- the 'reassigned' entry (same SHA-256 chain), advance the head, notification and NOTIFY. Like
-- the extension, a reassignment to the current assignee changes nothing.
\set id random(:plain_lo, :plain_hi)
\set assignee random(:mlo, :mhi)
WITH o AS (
    SELECT workspace_id, action_id, assignee_id AS old
      FROM plain.action WHERE action_id = :id::bigint FOR UPDATE),
u AS (
    UPDATE plain.action a SET assignee_id = :assignee::bigint, updated_at = now()
      FROM o
     WHERE a.workspace_id = o.workspace_id AND a.action_id = o.action_id
       AND o.old IS DISTINCT FROM :assignee::bigint
    RETURNING a.workspace_id, a.action_id, o.old),
h AS (
    SELECT t.workspace_id, t.action_id, t.seq + 1 AS seq, t.hash AS prev, u.old,
           (extract(epoch FROM now()) * 1000000)::bigint - 946684800000000 AS at_us, session_user::text AS role
      FROM plain.activity_head t JOIN u ON t.workspace_id = u.workspace_id AND t.action_id = u.action_id
       FOR UPDATE OF t),
e AS (
    SELECT h.*, sha256(prev || convert_to('pg_actions.log.v1' || chr(10) || workspace_id || ';' || action_id
               || ';' || seq || ';10:' || 'reassigned;' || octet_length(old::text) || ':' || old || ';'
               || octet_length(:assignee::text) || ':' || :assignee::bigint || ';-;' || :owner::bigint || ';'
               || octet_length(role) || ':' || role || ';' || at_us || ';', 'UTF8')) AS hash
      FROM h),
l AS (
    INSERT INTO plain.activity (workspace_id, action_id, seq, event, old_value, new_value, actor_id,
                                db_role, at, prev_hash, hash)
    SELECT workspace_id, action_id, seq, 'reassigned', old::text, :assignee::text, :owner::bigint, role, now(), prev, hash
      FROM e),
hu AS (
    UPDATE plain.activity_head t SET seq = e.seq, hash = e.hash
      FROM e WHERE t.workspace_id = e.workspace_id AND t.action_id = e.action_id),
n AS (
    INSERT INTO plain.notification (workspace_id, person_id, kind, action_id, link)
    SELECT u.workspace_id, :assignee::bigint, 'reassigned', u.action_id,
           replace(replace(w.action_url_template, '{workspace_id}', u.workspace_id::text),
                   '{action_id}', u.action_id::text)
      FROM u JOIN actions.workspace w ON w.workspace_id = u.workspace_id
    RETURNING workspace_id, person_id, action_id, notification_id, link)
SELECT n.action_id,
       pg_notify('pg_actions', '{"kind":"reassigned","workspace_id":' || workspace_id || ',"person_id":' || person_id
                 || ',"action_id":' || action_id || ',"notification_id":' || notification_id
                 || ',"link":' || to_json(link)::text || '}')
  FROM n;
