-- pg_actions install script, part 10: actions, their evidence and notifications.

-- The vocabularies of statuses, priorities and the list's sorts, from the core (core/listing.hpp):
-- every statement that means "open" reads actions.list_vocabulary('open') or
-- ('open_not_overdue') instead of spelling the statuses (a constant to the planner: IMMUTABLE).
CREATE FUNCTION actions.list_vocabulary(name text) RETURNS text[]
    LANGUAGE c IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_list_vocabulary';
COMMENT ON FUNCTION actions.list_vocabulary(text) IS
    'The allowed values of a list filter or sort, from the core: status, priority, open (statuses of work still open), open_not_overdue (those a passed due date makes overdue), sort, direction; and the member states in which a member acts (member_acting) and may be named (member_named); in rank order';

-- Every column the schema restricts to a list of names, with the core's list for it
-- (core/schema_vocabulary.hpp): test/pgtap/catalog_checks.sql compares each CHECK of pg_constraint with it.
CREATE FUNCTION actions.enumerated_columns() RETURNS TABLE (table_name text, column_name text, names text[])
    LANGUAGE c IMMUTABLE SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_enumerated_columns';
COMMENT ON FUNCTION actions.enumerated_columns() IS
    'Every column the schema restricts to a list of names (a table''s column, or a domain''s value), with the core''s names for it in order: each such CHECK lists exactly these';

CREATE TABLE actions.action (
    workspace_id  bigint NOT NULL REFERENCES actions.workspace ON DELETE CASCADE,
    action_id     bigint GENERATED ALWAYS AS IDENTITY,
    title         text NOT NULL,
    description   text,
    type          text NOT NULL DEFAULT 'task',
    priority      text NOT NULL DEFAULT 'none' CHECK (priority IN ('none', 'low', 'medium', 'high')),
    status        text NOT NULL DEFAULT 'to_do'
                  CHECK (status IN ('to_do', 'in_progress', 'overdue', 'complete', 'cancelled')),
    owner_id      bigint,
    assignee_id   bigint,
    due_at        timestamptz CHECK (due_at IS NULL OR isfinite(due_at)),
    record_id     bigint,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    started_at    timestamptz,
    completed_at  timestamptz,
    completed_by  bigint,
    cancel_reason text,
    evidence_id   bigint,
    group_ids     bigint[] NOT NULL DEFAULT '{}',
    workflow      text CHECK (workflow IN ('delegation_request', 'delegation_approval', 'delegation_acceptance',
                                           'role_acknowledgement', 'document_approval', 'document_review')),
    outcome       text CHECK (outcome IN ('approved', 'rejected', 'accepted', 'declined', 'acknowledged')),
    outcome_comment text CHECK (length(outcome_comment) <= 10000),
    template_id   bigint,
    template_version integer,
    PRIMARY KEY (workspace_id, action_id),
    FOREIGN KEY (workspace_id, owner_id) REFERENCES actions.member,
    FOREIGN KEY (workspace_id, assignee_id) REFERENCES actions.member,
    FOREIGN KEY (workspace_id, record_id) REFERENCES actions.record,
    CONSTRAINT action_cancel_reason_check
        CHECK (status <> 'cancelled' OR btrim(coalesce(cancel_reason, '')) <> ''),
    CONSTRAINT action_completed_check
        CHECK ((status = 'complete') = (completed_at IS NOT NULL)),
    CONSTRAINT action_type_fkey FOREIGN KEY (workspace_id, type) REFERENCES actions.action_type,
    CONSTRAINT action_template_check CHECK ((template_id IS NULL) = (template_version IS NULL))
);
-- API calls address an action by its id alone.
CREATE INDEX action_id_idx ON actions.action (action_id);
CREATE INDEX action_assignee_idx ON actions.action (workspace_id, assignee_id, status);
CREATE INDEX action_record_idx ON actions.action (record_id) WHERE record_id IS NOT NULL;
-- Row-level security finds the actions of a member's groups through this index.
CREATE INDEX action_groups_idx ON actions.action USING gin (group_ids);
-- The overdue sweep reads only open actions with a due date.
CREATE INDEX action_open_due_idx ON actions.action (due_at)
    WHERE status = ANY (actions.list_vocabulary('open_not_overdue')) AND due_at IS NOT NULL;

COMMENT ON TABLE actions.action IS 'A piece of work: title, owner, assignee, due date, status; every change is written to actions.activity by triggers';
COMMENT ON COLUMN actions.action.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.action.action_id IS 'Identifier of the action (unique across workspaces)';
COMMENT ON COLUMN actions.action.title IS 'What needs to be done, in a line';
COMMENT ON COLUMN actions.action.description IS 'Details of the work';
COMMENT ON COLUMN actions.action.type IS 'Key of the action type (actions.action_type): task, approval, review, acknowledgement, request, acceptance or a custom type of the workspace; set at creation';
COMMENT ON COLUMN actions.action.priority IS 'none, low, medium or high';
COMMENT ON COLUMN actions.action.status IS 'to_do, in_progress, overdue, complete or cancelled; moves are checked by a trigger';
COMMENT ON COLUMN actions.action.owner_id IS 'Person who created the action';
COMMENT ON COLUMN actions.action.assignee_id IS 'Person responsible for completing it';
COMMENT ON COLUMN actions.action.due_at IS 'When the action becomes overdue; a date-only due date is the end of that day in the workspace time zone';
COMMENT ON COLUMN actions.action.record_id IS 'Linked record, or NULL for a standalone action';
COMMENT ON COLUMN actions.action.created_at IS 'When the action was created';
COMMENT ON COLUMN actions.action.updated_at IS 'When the row last changed';
COMMENT ON COLUMN actions.action.started_at IS 'When work started (status in_progress)';
COMMENT ON COLUMN actions.action.completed_at IS 'When it was completed; NULL unless status is complete';
COMMENT ON COLUMN actions.action.completed_by IS 'Person who completed it';
COMMENT ON COLUMN actions.action.cancel_reason IS 'Why it was cancelled; required for status cancelled';
COMMENT ON COLUMN actions.action.evidence_id IS 'Current evidence file (actions.evidence), set on completion';
COMMENT ON COLUMN actions.action.workflow IS 'The system workflow that created the action (actions.workflow_setting), or NULL for a manual one';
COMMENT ON COLUMN actions.action.outcome IS 'How a workflow action closed: approved, rejected, accepted, declined or acknowledged (actions.record_outcome())';
COMMENT ON COLUMN actions.action.outcome_comment IS 'The comment given with the outcome';
COMMENT ON COLUMN actions.action.template_id IS 'The template the action was created from (actions.create_action_from_template()), or NULL; set at creation';
COMMENT ON COLUMN actions.action.template_version IS 'The version of that template (actions.template_version); later edits of the template do not change the action';
COMMENT ON COLUMN actions.action.group_ids IS 'Groups the action belongs to (actions.group, sorted, checked by a trigger); group-scoped grants apply through them';

CREATE TABLE actions.evidence (
    workspace_id bigint NOT NULL,
    evidence_id  bigint GENERATED ALWAYS AS IDENTITY,
    action_id    bigint NOT NULL,
    name         text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 255),
    content_type text NOT NULL DEFAULT 'application/octet-stream',
    size_bytes   bigint NOT NULL CHECK (size_bytes >= 0),
    sha256       bytea NOT NULL CHECK (length(sha256) = 32),
    content      bytea NOT NULL,
    uploaded_by  bigint,
    uploaded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, evidence_id),
    FOREIGN KEY (workspace_id, action_id) REFERENCES actions.action ON DELETE CASCADE
);
CREATE INDEX evidence_action_idx ON actions.evidence (workspace_id, action_id);
COMMENT ON TABLE actions.evidence IS 'Evidence files attached on completion; the action points at its current one';
COMMENT ON COLUMN actions.evidence.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.evidence.evidence_id IS 'Identifier of the file';
COMMENT ON COLUMN actions.evidence.action_id IS 'Action it was attached to';
COMMENT ON COLUMN actions.evidence.name IS 'File name';
COMMENT ON COLUMN actions.evidence.content_type IS 'MIME type';
COMMENT ON COLUMN actions.evidence.size_bytes IS 'Size in bytes (at most pg_actions.evidence_max_bytes)';
COMMENT ON COLUMN actions.evidence.sha256 IS 'SHA-256 of the content, also written to the activity log';
COMMENT ON COLUMN actions.evidence.content IS 'The file';
COMMENT ON COLUMN actions.evidence.uploaded_by IS 'Person who attached it';
COMMENT ON COLUMN actions.evidence.uploaded_at IS 'When it was attached';

CREATE DOMAIN actions.notification_kind AS text
    CHECK (VALUE IN ('assigned', 'reassigned', 'due_soon', 'overdue', 'invited', 'offered', 'delegated', 'resolved', 'substitute', 'escalated'));
COMMENT ON DOMAIN actions.notification_kind IS
    'assigned, reassigned, due_soon, overdue, invited (a person invited by e-mail), offered (an action offered to a pool you are a candidate of), delegated (an action delegated to you), resolved (a delegate resolved an action back to you), substitute (an action assigned to an absent member you substitute) or escalated (an escalation rule of an overdue action)';

CREATE TABLE actions.notification (
    workspace_id    bigint NOT NULL REFERENCES actions.workspace ON DELETE CASCADE,
    notification_id bigint GENERATED ALWAYS AS IDENTITY,
    person_id       bigint NOT NULL,
    -- text, checked against the domain that lists the kinds (one list for every table)
    kind            text NOT NULL CHECK (kind::actions.notification_kind IS NOT NULL),
    action_id       bigint NOT NULL,
    link            text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    read_at         timestamptz,
    action_ids      bigint[],
    PRIMARY KEY (workspace_id, notification_id)
);
CREATE INDEX notification_person_idx ON actions.notification (workspace_id, person_id) WHERE read_at IS NULL;
COMMENT ON TABLE actions.notification IS 'In-app notifications; each insert is also announced with NOTIFY pg_actions';
COMMENT ON COLUMN actions.notification.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.notification.notification_id IS 'Identifier of the notification';
COMMENT ON COLUMN actions.notification.person_id IS 'Person notified';
COMMENT ON COLUMN actions.notification.kind IS 'assigned, reassigned, due_soon, overdue, invited (a person invited by e-mail; the token is in actions.invitation), offered, delegated, resolved, substitute (assigned to an absent member you substitute) or escalated (an overdue action escalated to you)';
COMMENT ON COLUMN actions.notification.action_id IS 'Action it is about';
COMMENT ON COLUMN actions.notification.link IS 'Direct link to the action, from the workspace action_url_template';
COMMENT ON COLUMN actions.notification.created_at IS 'When it was created';
COMMENT ON COLUMN actions.notification.read_at IS 'When the person read it';
COMMENT ON COLUMN actions.notification.action_ids IS 'A digest of a bulk call (workspace bulk_notification = digest): every action it is about, action_id being the first; NULL for a notification about one action';
