-- pg_actions install script, part 17: which notifications are sent, and reminders sent once.

CREATE TABLE actions.notification_setting (
    workspace_id bigint NOT NULL REFERENCES actions.workspace ON DELETE CASCADE,
    kind         actions.notification_kind NOT NULL,
    enabled      boolean NOT NULL,
    PRIMARY KEY (workspace_id, kind)
);
COMMENT ON TABLE actions.notification_setting IS 'Notification kinds a workspace turned on or off; a kind without a row is on';
COMMENT ON COLUMN actions.notification_setting.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.notification_setting.kind IS 'A notification kind (actions.notification_kind): assigned, reassigned, due_soon, overdue, invited, offered, delegated, resolved, substitute or escalated';
COMMENT ON COLUMN actions.notification_setting.enabled IS 'False: no notification of this kind is sent in the workspace';

CREATE TABLE actions.notification_opt_out (
    workspace_id bigint NOT NULL,
    person_id    bigint NOT NULL,
    kind         actions.notification_kind NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, person_id, kind),
    FOREIGN KEY (workspace_id, person_id) REFERENCES actions.member ON DELETE CASCADE
);
COMMENT ON TABLE actions.notification_opt_out IS 'Notification kinds a member chose not to receive';
COMMENT ON COLUMN actions.notification_opt_out.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.notification_opt_out.person_id IS 'Member who opted out';
COMMENT ON COLUMN actions.notification_opt_out.kind IS 'Kind of notification they do not want';
COMMENT ON COLUMN actions.notification_opt_out.created_at IS 'When they opted out';

-- A due_soon or overdue reminder is sent once per action and due date: the primary key makes a
-- second sweep, even a concurrent one, find it sent.
CREATE TABLE actions.reminder (
    workspace_id bigint NOT NULL,
    action_id    bigint NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('due_soon', 'overdue')),
    due_at       timestamptz NOT NULL,
    sent_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, action_id, kind, due_at),
    FOREIGN KEY (workspace_id, action_id) REFERENCES actions.action ON DELETE CASCADE
);
COMMENT ON TABLE actions.reminder IS 'due_soon and overdue reminders already sent, one per action, kind and due date';
COMMENT ON COLUMN actions.reminder.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.reminder.action_id IS 'Action';
COMMENT ON COLUMN actions.reminder.kind IS 'due_soon or overdue';
COMMENT ON COLUMN actions.reminder.due_at IS 'The due date the reminder was about: moving the due date allows a new one';
COMMENT ON COLUMN actions.reminder.sent_at IS 'When it was sent (or suppressed by a setting)';

CREATE FUNCTION actions.set_notification(workspace_id bigint, kind text, enabled boolean) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_set_notification';
COMMENT ON FUNCTION actions.set_notification(bigint, text, boolean) IS
    'Turn a notification kind on or off for the whole workspace (needs manage_workspace)';

CREATE FUNCTION actions.opt_out(workspace_id bigint, kind text, opted_out boolean DEFAULT true) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_opt_out';
COMMENT ON FUNCTION actions.opt_out(bigint, text, boolean) IS
    'The acting person stops (or, with opted_out => false, resumes) receiving a notification kind in the workspace';

CREATE FUNCTION actions.notify_due_soon() RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_notify_due_soon';
COMMENT ON FUNCTION actions.notify_due_soon() IS
    'Maintenance: send a due_soon notification to the assignee of the open actions due within their workspace''s due_soon_window, at most pg_actions.sweep_batch_size per call (the rest wait for the next call), once per action and due date; one that fails unexpectedly is recorded in actions.maintenance_error and the others are sent. Returns how many were sent. Safe to run twice and concurrently';
