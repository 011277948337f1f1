-- complete as one plain-SQL statement on the next open action of the pool: lock it, update it
-- (status complete, completed_at, completed_by), lock the chain head, append the 'completed'
-- entry (same SHA-256 chain), advance the head, write the action's service-level row (the summary
-- the extension's log trigger keeps of every completed action; taken here from the action row).
WITH o AS (
    SELECT workspace_id, action_id, status AS old
      FROM plain.action WHERE action_id = (SELECT nextval('plain.complete_plain')) FOR UPDATE),
u AS (
    UPDATE plain.action a SET status = 'complete', completed_at = now(), completed_by = :owner::bigint,
           updated_at = now()
      FROM o
     WHERE a.workspace_id = o.workspace_id AND a.action_id = o.action_id
       AND o.old IN ('to_do', 'in_progress', 'overdue')
    RETURNING a.workspace_id, a.action_id, o.old, a.type, a.owner_id, a.assignee_id, a.record_id,
              a.template_id, a.group_ids, a.created_at, a.completed_at, a.due_at),
s AS (
    INSERT INTO plain.service_level AS s (workspace_id, action_id, type, owner_id, assignee_id, record_id,
                                          template_id, group_ids, created_at, completed_at, due_at,
                                          first_due_at, on_time, met_first_due, completions)
    SELECT workspace_id, action_id, type, owner_id, assignee_id, record_id, template_id, group_ids, created_at,
           completed_at, due_at, due_at, completed_at <= due_at, completed_at <= due_at, 1
      FROM u
    ON CONFLICT (workspace_id, action_id) DO UPDATE
       SET assignee_id = excluded.assignee_id, completed_at = excluded.completed_at, due_at = excluded.due_at,
           on_time = excluded.on_time, completions = s.completions + 1),
h AS (
    SELECT t.workspace_id, t.action_id, t.seq + 1 AS seq, t.hash AS prev, u.old,
           (extract(epoch FROM now()) * 1000000)::bigint - 946684800000000 AS at_us, session_user::text AS role
      FROM plain.activity_head t JOIN u ON t.workspace_id = u.workspace_id AND t.action_id = u.action_id
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
SELECT action_id FROM hu;
