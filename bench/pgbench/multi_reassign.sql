-- reassign as an application would send it: separate statements in one transaction.
\set id random(:plain_lo, :plain_hi)
\set assignee random(:mlo, :mhi)
BEGIN;
SELECT workspace_id AS ws, assignee_id AS old FROM plain.action WHERE action_id = :id::bigint FOR UPDATE \gset
\if :old != :assignee
UPDATE plain.action SET assignee_id = :assignee::bigint, updated_at = now()
 WHERE workspace_id = :ws::bigint AND action_id = :id::bigint;
SELECT seq, encode(hash, 'hex') AS prev FROM plain.activity_head
 WHERE workspace_id = :ws::bigint AND action_id = :id::bigint FOR UPDATE \gset
INSERT INTO plain.activity (workspace_id, action_id, seq, event, old_value, new_value, actor_id, db_role, at,
                            prev_hash, hash)
SELECT :ws::bigint, :id::bigint, :seq::int + 1, 'reassigned', :old::text, :assignee::text, :owner::bigint,
       session_user, now(), p,
       sha256(p || convert_to('pg_actions.log.v1' || chr(10) || :ws::bigint || ';' || :id::bigint || ';'
              || (:seq::int + 1) || ';10:' || 'reassigned;' || octet_length(:old::text) || ':' || :old::bigint || ';'
              || octet_length(:assignee::text) || ':' || :assignee::bigint || ';-;' || :owner::bigint || ';'
              || octet_length(session_user::text) || ':' || session_user || ';'
              || ((extract(epoch FROM now()) * 1000000)::bigint - 946684800000000) || ';', 'UTF8'))
  FROM (SELECT decode(:prev::text, 'hex') AS p) z
RETURNING encode(hash, 'hex') AS hash \gset
UPDATE plain.activity_head SET seq = :seq::int + 1, hash = decode(:hash::text, 'hex')
 WHERE workspace_id = :ws::bigint AND action_id = :id::bigint;
INSERT INTO plain.notification (workspace_id, person_id, kind, action_id, link)
SELECT :ws::bigint, :assignee::bigint, 'reassigned', :id::bigint,
       replace(replace(w.action_url_template, '{workspace_id}', :ws::text), '{action_id}', :id::text)
  FROM actions.workspace w WHERE w.workspace_id = :ws::bigint
RETURNING notification_id AS nid, link \gset
SELECT pg_notify('pg_actions', '{"kind":"reassigned","workspace_id":' || :ws::bigint || ',"person_id":' || :assignee::bigint
                 || ',"action_id":' || :id::bigint || ',"notification_id":' || :nid::bigint
                 || ',"link":' || to_json(:link::text)::text || '}');
\endif
END;
