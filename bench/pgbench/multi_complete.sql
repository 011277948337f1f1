-- complete as an application would send it: separate statements in one transaction, on the
-- next open action of the pool (the same rows as one_complete.sql, the service-level row included).
BEGIN;
SELECT workspace_id AS ws, action_id AS id, status AS old FROM plain.action
 WHERE action_id = (SELECT nextval('plain.complete_plain')) FOR UPDATE \gset
UPDATE plain.action SET status = 'complete', completed_at = now(), completed_by = :owner::bigint, updated_at = now()
 WHERE workspace_id = :ws::bigint AND action_id = :id::bigint;
INSERT INTO plain.service_level AS s (workspace_id, action_id, type, owner_id, assignee_id, record_id, template_id,
                                      group_ids, created_at, completed_at, due_at, first_due_at, on_time,
                                      met_first_due, completions)
SELECT workspace_id, action_id, type, owner_id, assignee_id, record_id, template_id, group_ids, created_at,
       completed_at, due_at, due_at, completed_at <= due_at, completed_at <= due_at, 1
  FROM plain.action WHERE workspace_id = :ws::bigint AND action_id = :id::bigint
ON CONFLICT (workspace_id, action_id) DO UPDATE
   SET assignee_id = excluded.assignee_id, completed_at = excluded.completed_at, due_at = excluded.due_at,
       on_time = excluded.on_time, completions = s.completions + 1;
SELECT seq, encode(hash, 'hex') AS prev FROM plain.activity_head
 WHERE workspace_id = :ws::bigint AND action_id = :id::bigint FOR UPDATE \gset
INSERT INTO plain.activity (workspace_id, action_id, seq, event, old_value, new_value, actor_id, db_role, at,
                            prev_hash, hash)
SELECT :ws::bigint, :id::bigint, :seq::int + 1, 'completed', :old::text, 'complete', :owner::bigint,
       session_user, now(), p,
       sha256(p || convert_to('pg_actions.log.v1' || chr(10) || :ws::bigint || ';' || :id::bigint || ';'
              || (:seq::int + 1) || ';9:' || 'completed;' || octet_length(:old::text) || ':' || :old::text
              || ';8:' || 'complete;-;' || :owner::bigint || ';'
              || octet_length(session_user::text) || ':' || session_user || ';'
              || ((extract(epoch FROM now()) * 1000000)::bigint - 946684800000000) || ';', 'UTF8'))
  FROM (SELECT decode(:prev::text, 'hex') AS p) z
RETURNING encode(hash, 'hex') AS hash \gset
UPDATE plain.activity_head SET seq = :seq::int + 1, hash = decode(:hash::text, 'hex')
 WHERE workspace_id = :ws::bigint AND action_id = :id::bigint;
END;
