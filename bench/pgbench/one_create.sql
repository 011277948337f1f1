-- create_action as one plain-SQL statement: the same rows as the extension writes (action, log
-- entries 'created' and 'assigned' with the same SHA-256 chain, chain head, notification, NOTIFY).
\set assignee random(:mlo, :mhi)
WITH a AS (
    INSERT INTO plain.action (workspace_id, title, owner_id, assignee_id)
    VALUES (:ws::bigint, 'bench action', :owner::bigint, :assignee::bigint)
    RETURNING workspace_id, action_id, title, assignee_id),
k AS (
    SELECT a.*, (extract(epoch FROM now()) * 1000000)::bigint - 946684800000000 AS at_us,
           session_user::text AS role, decode(repeat('00', 32), 'hex') AS h0
      FROM a),
e1 AS (
    SELECT k.*, sha256(h0 || convert_to('pg_actions.log.v1' || chr(10) || workspace_id || ';' || action_id
               || ';1;7:' || 'created;-;' || octet_length(title) || ':' || title || ';-;' || :owner::bigint || ';'
               || octet_length(role) || ':' || role || ';' || at_us || ';', 'UTF8')) AS h1
      FROM k),
e2 AS (
    SELECT e1.*, sha256(h1 || convert_to('pg_actions.log.v1' || chr(10) || workspace_id || ';' || action_id
               || ';2;8:' || 'assigned;-;' || octet_length(assignee_id::text) || ':' || assignee_id || ';-;'
               || :owner::bigint || ';' || octet_length(role) || ':' || role || ';' || at_us || ';', 'UTF8')) AS h2
      FROM e1),
l AS (
    INSERT INTO plain.activity (workspace_id, action_id, seq, event, old_value, new_value, actor_id,
                                db_role, at, prev_hash, hash)
    SELECT workspace_id, action_id, 1, 'created', NULL, title, :owner::bigint, role, now(), h0, h1 FROM e2
    UNION ALL
    SELECT workspace_id, action_id, 2, 'assigned', NULL, assignee_id::text, :owner::bigint, role, now(), h1, h2 FROM e2),
h AS (
    INSERT INTO plain.activity_head (workspace_id, action_id, seq, hash)
    SELECT workspace_id, action_id, 2, h2 FROM e2),
n AS (
    INSERT INTO plain.notification (workspace_id, person_id, kind, action_id, link)
    SELECT a.workspace_id, a.assignee_id, 'assigned', a.action_id,
           replace(replace(w.action_url_template, '{workspace_id}', a.workspace_id::text),
                   '{action_id}', a.action_id::text)
      FROM a JOIN actions.workspace w ON w.workspace_id = a.workspace_id
    RETURNING workspace_id, person_id, action_id, notification_id, link)
SELECT n.action_id,
       pg_notify('pg_actions', '{"kind":"assigned","workspace_id":' || workspace_id || ',"person_id":' || person_id
                 || ',"action_id":' || action_id || ',"notification_id":' || notification_id
                 || ',"link":' || to_json(link)::text || '}')
  FROM n;
