-- The set-based plain-SQL baseline of actions.bulk_set_status(ids, 'complete') (bench/bulk.sh):
-- the open actions :lo..:hi of schema plain completed in one statement, writing what the
-- extension writes per action: the action (status, completed_at, completed_by, updated_at), its
-- 'completed' log entry (the extension's canonical encoding and SHA-256 chain) and the chain head.
-- Rows are locked in id order. No permission check.
WITH o AS (
    SELECT workspace_id, action_id, status AS old
      FROM plain.action WHERE action_id BETWEEN :lo AND :hi ORDER BY action_id FOR UPDATE),
u AS (
    UPDATE plain.action a SET status = 'complete', completed_at = now(), completed_by = :owner::bigint,
           updated_at = now()
      FROM o
     WHERE a.workspace_id = o.workspace_id AND a.action_id = o.action_id
       AND o.old IN ('to_do', 'in_progress', 'overdue')
    RETURNING a.workspace_id, a.action_id, o.old),
h AS (
    SELECT t.workspace_id, t.action_id, t.seq + 1 AS seq, t.hash AS prev, u.old,
           (extract(epoch FROM now()) * 1000000)::bigint - 946684800000000 AS at_us, session_user::text AS role
      FROM plain.activity_head t JOIN u ON t.workspace_id = u.workspace_id AND t.action_id = u.action_id
     ORDER BY t.action_id
       FOR UPDATE OF t),
e AS (
    SELECT h.*, sha256(prev || convert_to('pg_actions.log.v1' || chr(10) || workspace_id || ';' || action_id
               || ';' || seq || ';9:' || 'completed;' || octet_length(old) || ':' || old || ';8:' || 'complete;-;'
               || :owner::bigint || ';' || octet_length(role) || ':' || role || ';' || at_us || ';', 'UTF8')) AS hash
      FROM h),
l AS (
    INSERT INTO plain.activity (workspace_id, action_id, seq, event, old_value, new_value, actor_id,
                                db_role, at, prev_hash, hash)
    SELECT workspace_id, action_id, seq, 'completed', old, 'complete', :owner::bigint, role, now(), prev, hash
      FROM e),
hu AS (
    UPDATE plain.activity_head t SET seq = e.seq, hash = e.hash
      FROM e WHERE t.workspace_id = e.workspace_id AND t.action_id = e.action_id
    RETURNING t.action_id)
SELECT count(*) FROM hu;
