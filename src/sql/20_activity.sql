-- pg_actions install script, part 20: the append-only, hash-chained activity log.

CREATE TABLE actions.activity (
    workspace_id bigint NOT NULL,
    action_id    bigint NOT NULL,
    seq          integer NOT NULL,
    event        text NOT NULL,
    old_value    text,
    new_value    text,
    detail       jsonb,
    actor_id     bigint,
    db_role      name NOT NULL,
    at           timestamptz NOT NULL,
    prev_hash    bytea NOT NULL,
    hash         bytea NOT NULL,
    PRIMARY KEY (workspace_id, action_id, seq)
);
COMMENT ON TABLE actions.activity IS 'Immutable activity log of every action, written by triggers; UPDATE, DELETE and TRUNCATE fail for every role';
COMMENT ON COLUMN actions.activity.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.activity.action_id IS 'Action the entry is about (kept after the action is deleted)';
COMMENT ON COLUMN actions.activity.seq IS 'Position in the action''s chain: 1, 2, 3, ...';
COMMENT ON COLUMN actions.activity.event IS 'created, assigned, reassigned, unassigned, started, completed, uncompleted, cancelled, overdue, no_longer_overdue, title_changed, description_changed, due_changed, priority_changed, record_changed, groups_changed, cancel_reason_changed, outcome, status_changed, note_added, note_edited, note_deleted, deleted, escalated (an escalation rule fired: new_value the rule id)';
COMMENT ON COLUMN actions.activity.old_value IS 'Value before the change (person ids, status names, ISO 8601 UTC times)';
COMMENT ON COLUMN actions.activity.new_value IS 'Value after the change';
COMMENT ON COLUMN actions.activity.detail IS 'Extra facts: evidence name and SHA-256 on completion, reason on cancellation, acting_for (the absent member a substitute acted for), instead_of (the absent member an assignment was routed away from), what an escalation did';
COMMENT ON COLUMN actions.activity.actor_id IS 'Person who acted, or NULL when no person could be resolved (maintenance, an application''s own UPDATE)';
COMMENT ON COLUMN actions.activity.db_role IS 'session_user of the session that made the change';
COMMENT ON COLUMN actions.activity.at IS 'Transaction time of the change';
COMMENT ON COLUMN actions.activity.prev_hash IS 'Hash of the previous entry of the same action (32 zero bytes for the first)';
COMMENT ON COLUMN actions.activity.hash IS 'SHA-256 of prev_hash and the canonical encoding of this entry';

-- The chain head lives outside the log rows so that removing the newest entries is detected.
CREATE TABLE actions.activity_head (
    workspace_id bigint NOT NULL,
    action_id    bigint NOT NULL,
    seq          integer NOT NULL,
    hash         bytea NOT NULL,
    PRIMARY KEY (workspace_id, action_id)
);
COMMENT ON TABLE actions.activity_head IS 'Newest sequence number and hash of each action''s log chain, checked by actions.verify_log()';
COMMENT ON COLUMN actions.activity_head.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.activity_head.action_id IS 'Action';
COMMENT ON COLUMN actions.activity_head.seq IS 'seq of the newest entry';
COMMENT ON COLUMN actions.activity_head.hash IS 'hash of the newest entry';

CREATE FUNCTION actions.refuse_log_change() RETURNS trigger
    LANGUAGE c SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_refuse_log_change';
COMMENT ON FUNCTION actions.refuse_log_change() IS 'Trigger: the activity log and its chain heads cannot be edited, deleted or truncated, nor actions.action truncated (its deletions would go unlogged)';

CREATE TRIGGER activity_immutable BEFORE UPDATE OR DELETE ON actions.activity
    FOR EACH ROW EXECUTE FUNCTION actions.refuse_log_change();
CREATE TRIGGER activity_no_truncate BEFORE TRUNCATE ON actions.activity
    FOR EACH STATEMENT EXECUTE FUNCTION actions.refuse_log_change();
CREATE TRIGGER activity_head_guard BEFORE UPDATE OR DELETE ON actions.activity_head
    FOR EACH ROW EXECUTE FUNCTION actions.refuse_log_change();
CREATE TRIGGER activity_head_no_truncate BEFORE TRUNCATE ON actions.activity_head
    FOR EACH STATEMENT EXECUTE FUNCTION actions.refuse_log_change();
-- Fire in replica mode too: session_replication_role is no way around the log.
ALTER TABLE actions.activity ENABLE ALWAYS TRIGGER activity_immutable;
ALTER TABLE actions.activity ENABLE ALWAYS TRIGGER activity_no_truncate;
ALTER TABLE actions.activity_head ENABLE ALWAYS TRIGGER activity_head_guard;
ALTER TABLE actions.activity_head ENABLE ALWAYS TRIGGER activity_head_no_truncate;
