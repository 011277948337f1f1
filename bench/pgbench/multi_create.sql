-- create_action as an application would send it: separate statements in one transaction, the
-- same rows as the extension writes.
\set assignee random(:mlo, :mhi)
BEGIN;
INSERT INTO plain.action (workspace_id, title, owner_id, assignee_id)
VALUES (:ws::bigint, 'bench action', :owner::bigint, :assignee::bigint)
RETURNING action_id AS id, (extract(epoch FROM now()) * 1000000)::bigint - 946684800000000 AS at_us \gset
INSERT INTO plain.activity (workspace_id, action_id, seq, event, old_value, new_value, actor_id, db_role, at,
                            prev_hash, hash)
SELECT :ws::bigint, :id::bigint, 1, 'created', NULL, 'bench action', :owner::bigint, session_user, now(), h0,
       sha256(h0 || convert_to('pg_actions.log.v1' || chr(10) || :ws::bigint || ';' || :id::bigint
              || ';1;7:' || 'created;-;' || octet_length('bench action') || ':' || 'bench action' || ';-;' || :owner::bigint || ';'
              || octet_length(session_user::text) || ':' || session_user || ';' || :at_us::bigint || ';', 'UTF8'))
  FROM (SELECT decode(repeat('00', 32), 'hex') AS h0) z
RETURNING encode(hash, 'hex') AS h1 \gset
INSERT INTO plain.activity (workspace_id, action_id, seq, event, old_value, new_value, actor_id, db_role, at,
                            prev_hash, hash)
SELECT :ws::bigint, :id::bigint, 2, 'assigned', NULL, :assignee::text, :owner::bigint, session_user, now(), p,
       sha256(p || convert_to('pg_actions.log.v1' || chr(10) || :ws::bigint || ';' || :id::bigint
              || ';2;8:' || 'assigned;-;' || octet_length(:assignee::text) || ':' || :assignee::bigint || ';-;' || :owner::bigint || ';'
              || octet_length(session_user::text) || ':' || session_user || ';' || :at_us::bigint || ';', 'UTF8'))
  FROM (SELECT decode(:h1, 'hex') AS p) z
RETURNING encode(hash, 'hex') AS h2 \gset
INSERT INTO plain.activity_head (workspace_id, action_id, seq, hash) VALUES (:ws::bigint, :id::bigint, 2, decode(:h2, 'hex'));
INSERT INTO plain.notification (workspace_id, person_id, kind, action_id, link)
SELECT :ws::bigint, :assignee::bigint, 'assigned', :id::bigint,
       replace(replace(w.action_url_template, '{workspace_id}', :ws::text), '{action_id}', :id::text)
  FROM actions.workspace w WHERE w.workspace_id = :ws::bigint
RETURNING notification_id AS nid, link \gset
SELECT pg_notify('pg_actions', '{"kind":"assigned","workspace_id":' || :ws::bigint || ',"person_id":' || :assignee::bigint
                 || ',"action_id":' || :id::bigint || ',"notification_id":' || :nid::bigint || ',"link":' || to_json(:link::text)::text || '}');
END;
