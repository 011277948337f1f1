-- Bulk creation of actions with exactly the rows actions.create_action() writes for an action
-- with an assignee other than its owner: the action, its log entries 1 'created' and
-- 2 'assigned' (hash-chained with the extension's canonical encoding, so actions.verify_log()
-- accepts them), the chain head and the 'assigned' notification (without a NOTIFY: nobody listens
-- to a bulk load). psql variables:
--   :schema  actions or plain      :n      how many      (prints the first and last action id)
--   :ws      workspace             :owner  owner (the actor)      :role  db_role to record
--   :mlo :mhi  assignees cycle through these person ids
-- For schema actions the caller disables the triggers on actions.action around this file.
\set ON_ERROR_STOP on
WITH a AS (
    INSERT INTO :schema.action (workspace_id, title, owner_id, assignee_id)
    SELECT :ws, 'bench action', :owner, :mlo + (i % (:mhi - :mlo + 1))
      FROM generate_series(1, :n) i
    RETURNING workspace_id, action_id, title, assignee_id),
k AS (
    SELECT a.*, (extract(epoch FROM now()) * 1000000)::bigint - 946684800000000 AS at_us,
           :'role'::text AS role, decode(repeat('00', 32), 'hex') AS h0
      FROM a),
e1 AS (
    SELECT k.*, sha256(h0 || convert_to('pg_actions.log.v1' || chr(10) || workspace_id || ';' || action_id
               || ';1;7:created;-;' || octet_length(title) || ':' || title || ';-;' || :owner || ';'
               || octet_length(role) || ':' || role || ';' || at_us || ';', 'UTF8')) AS h1
      FROM k),
e2 AS (
    SELECT e1.*, sha256(h1 || convert_to('pg_actions.log.v1' || chr(10) || workspace_id || ';' || action_id
               || ';2;8:assigned;-;' || octet_length(assignee_id::text) || ':' || assignee_id || ';-;'
               || :owner || ';' || octet_length(role) || ':' || role || ';' || at_us || ';', 'UTF8')) AS h2
      FROM e1),
l AS (
    INSERT INTO :schema.activity (workspace_id, action_id, seq, event, old_value, new_value, actor_id,
                                  db_role, at, prev_hash, hash)
    SELECT workspace_id, action_id, 1, 'created', NULL, title, :owner, role, now(), h0, h1 FROM e2
    UNION ALL
    SELECT workspace_id, action_id, 2, 'assigned', NULL, assignee_id::text, :owner, role, now(), h1, h2 FROM e2),
h AS (
    INSERT INTO :schema.activity_head (workspace_id, action_id, seq, hash)
    SELECT workspace_id, action_id, 2, h2 FROM e2),
n AS (
    INSERT INTO :schema.notification (workspace_id, person_id, kind, action_id, link)
    SELECT a.workspace_id, a.assignee_id, 'assigned', a.action_id,
           replace(replace(w.action_url_template, '{workspace_id}', a.workspace_id::text),
                   '{action_id}', a.action_id::text)
      FROM a JOIN actions.workspace w ON w.workspace_id = a.workspace_id)
SELECT min(action_id) AS first_id, max(action_id) AS last_id FROM a;
