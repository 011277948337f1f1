-- pg_actions install script, part 00: tenants, people, roles and records.
-- Every tenant table carries workspace_id and its keys begin with it.

\echo Use "CREATE EXTENSION pg_actions" to load this file. \quit

CREATE TABLE actions.workspace (
    workspace_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
    time_zone           text NOT NULL DEFAULT 'UTC',
    action_url_template text NOT NULL DEFAULT 'pg-actions://workspace/{workspace_id}/action/{action_id}'
                        CHECK (length(action_url_template) <= 2000),
    due_soon_window     interval NOT NULL DEFAULT '1 day' CHECK (due_soon_window > interval '0'),
    created_at          timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE actions.workspace IS 'A tenant: every action, member, role and record belongs to one workspace';
COMMENT ON COLUMN actions.workspace.workspace_id IS 'Identifier of the workspace';
COMMENT ON COLUMN actions.workspace.name IS 'Display name of the workspace';
COMMENT ON COLUMN actions.workspace.time_zone IS 'IANA time zone; a date-only due date ends at midnight in this zone';
COMMENT ON COLUMN actions.workspace.action_url_template IS 'Link put in notifications; {workspace_id} and {action_id} are replaced';
COMMENT ON COLUMN actions.workspace.due_soon_window IS 'How long before its due date an assignee gets the due_soon notification';
COMMENT ON COLUMN actions.workspace.created_at IS 'When the workspace was created';

CREATE TABLE actions.person (
    person_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email        text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 320),
    display_name text NOT NULL CHECK (btrim(display_name) <> '' AND length(display_name) <= 200),
    login_role   name UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX person_email_key ON actions.person (lower(email));
COMMENT ON TABLE actions.person IS 'One human across workspaces';
COMMENT ON COLUMN actions.person.person_id IS 'Identifier of the person';
COMMENT ON COLUMN actions.person.email IS 'E-mail address, unique regardless of case';
COMMENT ON COLUMN actions.person.display_name IS 'Name shown to other members';
COMMENT ON COLUMN actions.person.login_role IS 'PostgreSQL login role of this person: a session whose session_user is this role acts as this person';
COMMENT ON COLUMN actions.person.created_at IS 'When the person was added';

CREATE TABLE actions.role (
    workspace_id bigint NOT NULL REFERENCES actions.workspace ON DELETE CASCADE,
    role_id      bigint GENERATED ALWAYS AS IDENTITY,
    name         text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 100),
    is_system    boolean NOT NULL DEFAULT false,
    billable     boolean NOT NULL DEFAULT true,
    permissions  text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (workspace_id, role_id),
    UNIQUE (workspace_id, name)
);
COMMENT ON TABLE actions.role IS 'A named bundle of permissions; owner, manager, user, actions_access and inquiry are seeded for every workspace';
COMMENT ON COLUMN actions.role.workspace_id IS 'Workspace the role belongs to';
COMMENT ON COLUMN actions.role.role_id IS 'Identifier of the role';
COMMENT ON COLUMN actions.role.name IS 'Name of the role, unique in its workspace';
COMMENT ON COLUMN actions.role.is_system IS 'True for the roles seeded with the workspace';
COMMENT ON COLUMN actions.role.billable IS 'False for roles that do not count as a paid seat (actions_access)';
COMMENT ON COLUMN actions.role.permissions IS 'Permission codes granted (see actions.permission_codes())';

CREATE TABLE actions.member (
    workspace_id bigint NOT NULL REFERENCES actions.workspace ON DELETE CASCADE,
    person_id    bigint NOT NULL REFERENCES actions.person,
    role_id      bigint NOT NULL,
    state        text NOT NULL DEFAULT 'active' CHECK (state IN ('invited', 'active', 'removed')),
    joined_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, person_id),
    FOREIGN KEY (workspace_id, role_id) REFERENCES actions.role
);
CREATE INDEX member_person_idx ON actions.member (person_id);
-- Approver eligibility finds the holders of a role through this index.
CREATE INDEX member_role_idx ON actions.member (workspace_id, role_id);
COMMENT ON TABLE actions.member IS 'A person in a workspace with one role';
COMMENT ON COLUMN actions.member.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.member.person_id IS 'Person';
COMMENT ON COLUMN actions.member.role_id IS 'Role in this workspace, which grants the permissions';
COMMENT ON COLUMN actions.member.state IS 'invited (assigned by e-mail, not yet joined), active, or removed (keeps history, may not act)';
COMMENT ON COLUMN actions.member.joined_at IS 'When the person was added to the workspace';

CREATE TABLE actions.trusted_service (
    role_name  name PRIMARY KEY,
    note       text,
    created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE actions.trusted_service IS 'Login roles of applications (pooled connections) allowed to act for a person with actions.act_as()';
COMMENT ON COLUMN actions.trusted_service.role_name IS 'The application''s login role (matched against session_user and the roles it is a member of)';
COMMENT ON COLUMN actions.trusted_service.note IS 'Why this service is trusted';
COMMENT ON COLUMN actions.trusted_service.created_at IS 'When it was registered';

CREATE TABLE actions.record_kind (
    workspace_id bigint NOT NULL REFERENCES actions.workspace ON DELETE CASCADE,
    kind         text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]{0,62}$'),
    is_system    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (workspace_id, kind)
);
COMMENT ON TABLE actions.record_kind IS 'Kinds of records of a workspace: decision, delegation, document, matrix and generic are seeded, custom kinds are added with actions.create_record_kind()';
COMMENT ON COLUMN actions.record_kind.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.record_kind.kind IS 'Name of the kind, a lowercase identifier';
COMMENT ON COLUMN actions.record_kind.is_system IS 'True for the five built-in kinds, which cannot be deleted';

CREATE TABLE actions.record (
    workspace_id   bigint NOT NULL REFERENCES actions.workspace ON DELETE CASCADE,
    record_id      bigint GENERATED ALWAYS AS IDENTITY,
    kind           text NOT NULL DEFAULT 'generic' CHECK (kind ~ '^[a-z][a-z0-9_]{0,62}$'),
    title          text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 500),
    archived       boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    archived_at    timestamptz,
    group_ids      bigint[] NOT NULL DEFAULT '{}',
    owner_id       bigint,
    workflow_state text,
    published_at   timestamptz,
    review_every   interval CHECK (review_every > interval '0'),
    next_review_at timestamptz,
    source_table   regclass,
    source_key     text,
    PRIMARY KEY (workspace_id, record_id),
    FOREIGN KEY (workspace_id, kind) REFERENCES actions.record_kind,
    CHECK ((source_table IS NULL) = (source_key IS NULL))
);
CREATE INDEX record_id_idx ON actions.record (record_id);
CREATE UNIQUE INDEX record_source_key ON actions.record (source_table, source_key) WHERE source_table IS NOT NULL;
CREATE INDEX record_review_due_idx ON actions.record (next_review_at) WHERE next_review_at IS NOT NULL;
COMMENT ON TABLE actions.record IS 'A record actions can be linked to (decision, delegation, document, ...); archiving keeps its actions active';
COMMENT ON COLUMN actions.record.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.record.record_id IS 'Identifier of the record';
COMMENT ON COLUMN actions.record.kind IS 'Kind of record (actions.record_kind): decision, delegation, document, matrix, generic or a custom kind';
COMMENT ON COLUMN actions.record.title IS 'Title of the record';
COMMENT ON COLUMN actions.record.archived IS 'Archived records keep their actions active and visible; no new actions may be linked';
COMMENT ON COLUMN actions.record.created_at IS 'When the record was created';
COMMENT ON COLUMN actions.record.archived_at IS 'When the record was archived';
COMMENT ON COLUMN actions.record.group_ids IS 'Groups the record belongs to (actions.group); its new actions take them by default';
COMMENT ON COLUMN actions.record.owner_id IS 'Person who created the record (also its first owner party)';
COMMENT ON COLUMN actions.record.workflow_state IS 'Where the record stands in its workflows: draft, pending_approval, approved, rejected, accepted, declined, published, acknowledged';
COMMENT ON COLUMN actions.record.published_at IS 'When a document was last published';
COMMENT ON COLUMN actions.record.review_every IS 'How often a document is reviewed (actions.set_review_schedule())';
COMMENT ON COLUMN actions.record.next_review_at IS 'When the maintenance sweep creates the next review actions for the document''s reviewers';
COMMENT ON COLUMN actions.record.source_table IS 'Application table the record mirrors (actions.track_table()), or NULL';
COMMENT ON COLUMN actions.record.source_key IS 'Key of the application row the record mirrors, as text';

CREATE TABLE actions.record_party (
    workspace_id bigint NOT NULL,
    record_id    bigint NOT NULL,
    capacity     text NOT NULL CHECK (capacity IN ('owner', 'issuer', 'recipient', 'approver', 'reviewer',
                                                   'responsible', 'shared', 'consulted', 'informed')),
    person_id    bigint,
    group_id     bigint,
    added_at     timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (workspace_id, record_id) REFERENCES actions.record ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, person_id) REFERENCES actions.member,
    CHECK ((person_id IS NULL) <> (group_id IS NULL)),
    CHECK (group_id IS NULL OR capacity = 'shared')
);
CREATE UNIQUE INDEX record_party_person_key ON actions.record_party (workspace_id, record_id, capacity, person_id)
    WHERE person_id IS NOT NULL;
CREATE UNIQUE INDEX record_party_group_key ON actions.record_party (workspace_id, record_id, capacity, group_id)
    WHERE group_id IS NOT NULL;
CREATE INDEX record_party_person_idx ON actions.record_party (person_id) WHERE person_id IS NOT NULL;
CREATE INDEX record_party_group_idx ON actions.record_party (group_id) WHERE group_id IS NOT NULL;
COMMENT ON TABLE actions.record_party IS 'People (or, for shared, groups) taking part in a record, each in a capacity that unlocks what they may do with its actions';
COMMENT ON COLUMN actions.record_party.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.record_party.record_id IS 'Record';
COMMENT ON COLUMN actions.record_party.capacity IS 'owner, issuer, recipient, approver, reviewer, responsible, shared, consulted or informed';
COMMENT ON COLUMN actions.record_party.person_id IS 'The person, or NULL for a group';
COMMENT ON COLUMN actions.record_party.group_id IS 'The group (shared only): its members and the members of the groups below it';
COMMENT ON COLUMN actions.record_party.added_at IS 'When the party was added';
-- pg_actions install script, part 05: groups. Groups of a workspace form a tree (region, entity,
-- department, ...); members belong to groups, and so do actions and records (their group_ids).
-- A role grant scoped to groups ("code:groups") covers the member's groups and every group below.

CREATE TABLE actions.group (
    workspace_id bigint NOT NULL REFERENCES actions.workspace ON DELETE CASCADE,
    group_id     bigint GENERATED ALWAYS AS IDENTITY,
    name         text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
    parent_id    bigint,
    path         bigint[] NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, group_id),
    UNIQUE (workspace_id, name),
    FOREIGN KEY (workspace_id, parent_id) REFERENCES actions.group,
    CONSTRAINT group_path_check
        CHECK (path[array_upper(path, 1)] = group_id AND cardinality(path) <= 32)
);
CREATE INDEX group_id_idx ON actions.group (group_id);
-- The descendants of a group are the groups whose path contains it.
CREATE INDEX group_path_idx ON actions.group USING gin (path);
COMMENT ON TABLE actions.group IS 'A group of a workspace (region, entity, department, ...); groups form a tree';
COMMENT ON COLUMN actions.group.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.group.group_id IS 'Identifier of the group (unique across workspaces)';
COMMENT ON COLUMN actions.group.name IS 'Name of the group, unique in its workspace';
COMMENT ON COLUMN actions.group.parent_id IS 'Parent group, or NULL for a top-level group';
COMMENT ON COLUMN actions.group.path IS 'Ids from the top-level group down to this one, kept by actions.create_group() and actions.move_group()';
COMMENT ON COLUMN actions.group.created_at IS 'When the group was created';

CREATE TABLE actions.group_member (
    workspace_id bigint NOT NULL,
    person_id    bigint NOT NULL,
    group_id     bigint NOT NULL,
    added_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, person_id, group_id),
    FOREIGN KEY (workspace_id, group_id) REFERENCES actions.group ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, person_id) REFERENCES actions.member ON DELETE CASCADE
);
CREATE INDEX group_member_group_idx ON actions.group_member (workspace_id, group_id);
COMMENT ON TABLE actions.group_member IS 'Which members belong to which groups';
COMMENT ON COLUMN actions.group_member.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.group_member.person_id IS 'The member';
COMMENT ON COLUMN actions.group_member.group_id IS 'The group';
COMMENT ON COLUMN actions.group_member.added_at IS 'When the member joined the group';

-- A record shared with a group.
ALTER TABLE actions.record_party ADD FOREIGN KEY (workspace_id, group_id) REFERENCES actions.group;
-- pg_actions install script, part 10: actions, their evidence and notifications.

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
    PRIMARY KEY (workspace_id, action_id),
    FOREIGN KEY (workspace_id, owner_id) REFERENCES actions.member,
    FOREIGN KEY (workspace_id, assignee_id) REFERENCES actions.member,
    FOREIGN KEY (workspace_id, record_id) REFERENCES actions.record,
    CONSTRAINT action_cancel_reason_check
        CHECK (status <> 'cancelled' OR btrim(coalesce(cancel_reason, '')) <> ''),
    CONSTRAINT action_completed_check
        CHECK ((status = 'complete') = (completed_at IS NOT NULL))
);
-- API calls address an action by its id alone.
CREATE INDEX action_id_idx ON actions.action (action_id);
CREATE INDEX action_assignee_idx ON actions.action (workspace_id, assignee_id, status);
CREATE INDEX action_record_idx ON actions.action (record_id) WHERE record_id IS NOT NULL;
-- Row-level security finds the actions of a member's groups through this index.
CREATE INDEX action_groups_idx ON actions.action USING gin (group_ids);
-- The overdue sweep reads only open actions with a due date.
CREATE INDEX action_open_due_idx ON actions.action (due_at)
    WHERE status IN ('to_do', 'in_progress') AND due_at IS NOT NULL;

COMMENT ON TABLE actions.action IS 'A piece of work: title, owner, assignee, due date, status; every change is written to actions.activity by triggers';
COMMENT ON COLUMN actions.action.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.action.action_id IS 'Identifier of the action (unique across workspaces)';
COMMENT ON COLUMN actions.action.title IS 'What needs to be done, in a line';
COMMENT ON COLUMN actions.action.description IS 'Details of the work';
COMMENT ON COLUMN actions.action.type IS 'task, approval, review or acknowledgement';
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
    CHECK (VALUE IN ('assigned', 'reassigned', 'due_soon', 'overdue', 'invited'));
COMMENT ON DOMAIN actions.notification_kind IS
    'assigned, reassigned, due_soon, overdue or invited (a person invited by e-mail)';

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
    PRIMARY KEY (workspace_id, notification_id)
);
CREATE INDEX notification_person_idx ON actions.notification (workspace_id, person_id) WHERE read_at IS NULL;
COMMENT ON TABLE actions.notification IS 'In-app notifications; each insert is also announced with NOTIFY pg_actions';
COMMENT ON COLUMN actions.notification.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.notification.notification_id IS 'Identifier of the notification';
COMMENT ON COLUMN actions.notification.person_id IS 'Person notified';
COMMENT ON COLUMN actions.notification.kind IS 'assigned, reassigned, due_soon, overdue, or invited (a person invited by e-mail; the token is in actions.invitation)';
COMMENT ON COLUMN actions.notification.action_id IS 'Action it is about';
COMMENT ON COLUMN actions.notification.link IS 'Direct link to the action, from the workspace action_url_template';
COMMENT ON COLUMN actions.notification.created_at IS 'When it was created';
COMMENT ON COLUMN actions.notification.read_at IS 'When the person read it';
-- pg_actions install script, part 12: system-generated workflows (which are switched on per
-- workspace) and the pool of people an approval action is offered to.

CREATE TABLE actions.workflow_setting (
    workspace_id bigint NOT NULL REFERENCES actions.workspace ON DELETE CASCADE,
    workflow     text NOT NULL CHECK (workflow IN ('delegation_request', 'delegation_approval', 'delegation_acceptance',
                                                   'role_acknowledgement', 'document_approval', 'document_review')),
    enabled      boolean NOT NULL,
    due_days     integer CHECK (due_days BETWEEN 1 AND 3650),
    PRIMARY KEY (workspace_id, workflow)
);
COMMENT ON TABLE actions.workflow_setting IS 'System workflows a workspace switched on (a workflow without a row is off) and the days its actions are due in';
COMMENT ON COLUMN actions.workflow_setting.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.workflow_setting.workflow IS 'delegation_request, delegation_approval, delegation_acceptance, role_acknowledgement, document_approval or document_review';
COMMENT ON COLUMN actions.workflow_setting.enabled IS 'Whether the workflow creates its actions';
COMMENT ON COLUMN actions.workflow_setting.due_days IS 'Its actions are due this many days after creation; NULL: the default (acceptance: 7 days, others: no due date)';

CREATE TABLE actions.action_candidate (
    workspace_id bigint NOT NULL,
    action_id    bigint NOT NULL,
    person_id    bigint NOT NULL,
    PRIMARY KEY (workspace_id, action_id, person_id),
    FOREIGN KEY (workspace_id, action_id) REFERENCES actions.action ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, person_id) REFERENCES actions.member
);
CREATE INDEX action_candidate_person_idx ON actions.action_candidate (person_id);
COMMENT ON TABLE actions.action_candidate IS 'The pool an approval action was offered to (the eligible approvers when it was created): any one of them may act, eligibility is checked again then';
COMMENT ON COLUMN actions.action_candidate.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.action_candidate.action_id IS 'The pooled action';
COMMENT ON COLUMN actions.action_candidate.person_id IS 'A member of the pool';
-- pg_actions install script, part 15: invitations of people assigned an action by e-mail.

CREATE TABLE actions.invitation (
    workspace_id bigint NOT NULL,
    person_id    bigint NOT NULL,
    token        text NOT NULL UNIQUE,
    invited_by   bigint,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    accepted_at  timestamptz,
    PRIMARY KEY (workspace_id, person_id),
    FOREIGN KEY (workspace_id, person_id) REFERENCES actions.member ON DELETE CASCADE
);
COMMENT ON TABLE actions.invitation IS 'Invitation of a person assigned an action by e-mail: they join as an invited actions_access member until they accept';
COMMENT ON COLUMN actions.invitation.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.invitation.person_id IS 'Person invited';
COMMENT ON COLUMN actions.invitation.token IS 'Secret the person presents to actions.accept_invitation(); read it from here to send it, it is never in a NOTIFY payload';
COMMENT ON COLUMN actions.invitation.invited_by IS 'Person who assigned the action by e-mail';
COMMENT ON COLUMN actions.invitation.created_at IS 'When the invitation was issued';
COMMENT ON COLUMN actions.invitation.expires_at IS 'After this the token is refused; assigning by e-mail again issues a new one';
COMMENT ON COLUMN actions.invitation.accepted_at IS 'When the person accepted and became an active member';

CREATE FUNCTION actions.assign_by_email(action_id bigint, email text, display_name text DEFAULT NULL)
    RETURNS boolean
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_assign_by_email';
COMMENT ON FUNCTION actions.assign_by_email(bigint, text, text) IS
    'Assign (or reassign) the action to the person with this e-mail; someone who is not a member is created if needed, invited as a non-billable actions_access member and sent an invited notification. Returns whether the assignee holds a pending invitation (true for anyone who is not yet an active member, whether or not the e-mail is known elsewhere: the answer tells nothing about other workspaces); a removed member is not brought back (22023)';

CREATE FUNCTION actions.accept_invitation(token text)
    RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_accept_invitation';
COMMENT ON FUNCTION actions.accept_invitation(text) IS
    'Accept an invitation with its token: the invited member becomes active. Returns the person id. A login role for the person is set by an administrator (actions.person.login_role)';
-- pg_actions install script, part 17: which notifications are sent, and reminders sent once.

CREATE TABLE actions.notification_setting (
    workspace_id bigint NOT NULL REFERENCES actions.workspace ON DELETE CASCADE,
    kind         actions.notification_kind NOT NULL,
    enabled      boolean NOT NULL,
    PRIMARY KEY (workspace_id, kind)
);
COMMENT ON TABLE actions.notification_setting IS 'Notification kinds a workspace turned on or off; a kind without a row is on';
COMMENT ON COLUMN actions.notification_setting.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.notification_setting.kind IS 'assigned, reassigned, due_soon, overdue or invited';
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
    'Maintenance: send a due_soon notification to the assignee of every open action due within its workspace''s due_soon_window, once per action and due date; returns how many were sent. Safe to run twice and concurrently';
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
COMMENT ON COLUMN actions.activity.event IS 'created, assigned, reassigned, unassigned, started, completed, uncompleted, cancelled, overdue, no_longer_overdue, title_changed, description_changed, due_changed, priority_changed, record_changed, groups_changed, cancel_reason_changed, outcome, status_changed, note_added, note_edited, note_deleted, deleted';
COMMENT ON COLUMN actions.activity.old_value IS 'Value before the change (person ids, status names, ISO 8601 UTC times)';
COMMENT ON COLUMN actions.activity.new_value IS 'Value after the change';
COMMENT ON COLUMN actions.activity.detail IS 'Extra facts: evidence name and SHA-256 on completion, reason on cancellation';
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
-- pg_actions install script, part 30: the SQL API (C functions) and the triggers that enforce the
-- lifecycle and write the log. Every function pins search_path; the API runs as the extension
-- owner (SECURITY DEFINER) and decides what the calling person may do itself.

CREATE FUNCTION actions.act_as(person_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_act_as';
COMMENT ON FUNCTION actions.act_as(bigint) IS
    'From a registered trusted service (actions.trusted_service): act for this person until the end of the current transaction';

CREATE FUNCTION actions.current_actor() RETURNS bigint
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_current_actor';
COMMENT ON FUNCTION actions.current_actor() IS
    'The person this session acts as: the act_as() choice of a trusted service in this transaction, else the person whose login_role is session_user, else NULL';

CREATE FUNCTION actions.create_action(
    workspace_id bigint,
    title        text,
    description  text DEFAULT NULL,
    assignee_id  bigint DEFAULT NULL,
    due_at       timestamptz DEFAULT NULL,
    due_on       date DEFAULT NULL,
    priority     text DEFAULT 'none',
    type         text DEFAULT 'task',
    record_id    bigint DEFAULT NULL,
    group_ids    bigint[] DEFAULT NULL)
    RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_create_action';
COMMENT ON FUNCTION actions.create_action(bigint, text, text, bigint, timestamptz, date, text, text, bigint, bigint[]) IS
    'Create an action owned by the acting person, standalone or linked to a record (record_id); due_on is a date that ends at midnight in the workspace time zone; group_ids defaults to the record''s groups. Returns the action id';

CREATE FUNCTION actions.assign(action_id bigint, assignee_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_assign';
COMMENT ON FUNCTION actions.assign(bigint, bigint) IS
    'Give an unassigned action its assignee (a member of the workspace); notifies them unless they assign themselves';

CREATE FUNCTION actions.reassign(action_id bigint, assignee_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_reassign';
COMMENT ON FUNCTION actions.reassign(bigint, bigint) IS
    'Hand an assigned action to another member (needs reassign_actions or administer_actions); the old and new assignee are logged';

CREATE FUNCTION actions.start(action_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_start';
COMMENT ON FUNCTION actions.start(bigint) IS 'Mark work on the action as started (status in_progress, or stays overdue)';

CREATE FUNCTION actions.complete(
    action_id     bigint,
    evidence      bytea DEFAULT NULL,
    evidence_name text DEFAULT NULL,
    evidence_type text DEFAULT 'application/octet-stream')
    RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_complete';
COMMENT ON FUNCTION actions.complete(bigint, bytea, text, text) IS
    'Complete the action, optionally with one evidence file (at most pg_actions.evidence_max_bytes); its name and SHA-256 go to the log';

CREATE FUNCTION actions.uncomplete(action_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_uncomplete';
COMMENT ON FUNCTION actions.uncomplete(bigint) IS
    'Reopen an action marked complete in error; it returns to to_do, in_progress or overdue as its facts say';

CREATE FUNCTION actions.cancel(action_id bigint, reason text) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_cancel';
COMMENT ON FUNCTION actions.cancel(bigint, text) IS 'Cancel an open action; a reason is required and logged; cancelled is final';

CREATE FUNCTION actions.update_action(
    action_id   bigint,
    title       text DEFAULT NULL,
    description text DEFAULT NULL,
    due_at      timestamptz DEFAULT NULL,
    due_on      date DEFAULT NULL,
    priority    text DEFAULT NULL,
    clear_due   boolean DEFAULT false)
    RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_update_action';
COMMENT ON FUNCTION actions.update_action(bigint, text, text, timestamptz, date, text, boolean) IS
    'Change title, description ('''' clears it), due date (due_at, due_on, or clear_due => true) or priority of an open action; NULL leaves a field as it is';

CREATE FUNCTION actions.delete_action(action_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_delete_action';
COMMENT ON FUNCTION actions.delete_action(bigint) IS 'Delete an action; its activity log stays, ending with a deleted entry';

CREATE FUNCTION actions.create_record(workspace_id bigint, title text, kind text DEFAULT 'generic',
                                      group_ids bigint[] DEFAULT '{}') RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_create_record';
COMMENT ON FUNCTION actions.create_record(bigint, text, text, bigint[]) IS 'Create a record actions can be linked to, in the given groups; returns its id';

CREATE FUNCTION actions.archive_record(record_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_archive_record';
COMMENT ON FUNCTION actions.archive_record(bigint) IS 'Archive a record; its actions stay active and visible, no new ones may be linked';

-- can() and why_not() run no SQL (the C code reads by OID through the index API and refuses to
-- run a statement), so they need neither SECURITY DEFINER nor a pinned search_path, whose
-- per-call cost would exceed the check itself.
CREATE FUNCTION actions.can(verb text, action_id bigint) RETURNS boolean
    LANGUAGE c STABLE
    AS 'MODULE_PATHNAME', 'pg_actions_can';
COMMENT ON FUNCTION actions.can(text, bigint) IS
    'Whether the acting person may do verb (view, assign, reassign, start, complete, uncomplete, cancel, edit, delete) to the action now; the same decision the API makes';

CREATE FUNCTION actions.why_not(verb text, action_id bigint) RETURNS text
    LANGUAGE c STABLE
    AS 'MODULE_PATHNAME', 'pg_actions_why_not';
COMMENT ON FUNCTION actions.why_not(text, bigint) IS
    'Why the acting person may not do verb to the action (the permission or condition missing), or NULL when they may';

CREATE FUNCTION actions.verify_log(workspace_id bigint)
    RETURNS TABLE (action_id bigint, seq integer, problem text)
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_verify_log';
COMMENT ON FUNCTION actions.verify_log(bigint) IS
    'Recompute every hash chain of the workspace''s activity log; returns the first broken link, or no row when the log is intact';

CREATE FUNCTION actions.action_guard() RETURNS trigger
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_action_guard';
COMMENT ON FUNCTION actions.action_guard() IS
    'Trigger: refuses illegal status moves (55000) and settles the status (overdue when past due, back when the due date moves)';

CREATE FUNCTION actions.action_log() RETURNS trigger
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_action_log';
COMMENT ON FUNCTION actions.action_log() IS
    'Trigger: appends hash-chained activity entries for every change of an action and notifies new assignees';

CREATE TRIGGER action_guard BEFORE INSERT OR UPDATE ON actions.action
    FOR EACH ROW EXECUTE FUNCTION actions.action_guard();
CREATE TRIGGER action_log AFTER INSERT OR UPDATE OR DELETE ON actions.action
    FOR EACH ROW EXECUTE FUNCTION actions.action_log();
CREATE TRIGGER action_no_truncate BEFORE TRUNCATE ON actions.action
    FOR EACH STATEMENT EXECUTE FUNCTION actions.refuse_log_change();
-- A restore writes rows in replica mode without the row triggers; nothing restores by TRUNCATE,
-- so that guard holds in replica mode too.
ALTER TABLE actions.action ENABLE ALWAYS TRIGGER action_no_truncate;
-- pg_actions install script, part 35: notes on actions, with Content Manager's access levels.

CREATE TABLE actions.note (
    workspace_id bigint NOT NULL,
    note_id      bigint GENERATED ALWAYS AS IDENTITY,
    action_id    bigint NOT NULL,
    author_id    bigint,
    body         text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, note_id),
    FOREIGN KEY (workspace_id, action_id) REFERENCES actions.action ON DELETE CASCADE
);
CREATE INDEX note_action_idx ON actions.note (workspace_id, action_id);
-- API calls address a note by its id alone.
CREATE INDEX note_id_idx ON actions.note (note_id);
COMMENT ON TABLE actions.note IS 'Notes on an action; every change is written to the action''s activity log';
COMMENT ON COLUMN actions.note.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.note.note_id IS 'Identifier of the note';
COMMENT ON COLUMN actions.note.action_id IS 'Action the note is on';
COMMENT ON COLUMN actions.note.author_id IS 'Person who wrote it';
COMMENT ON COLUMN actions.note.body IS 'The note';
COMMENT ON COLUMN actions.note.created_at IS 'When it was written';
COMMENT ON COLUMN actions.note.updated_at IS 'When it was last edited';

CREATE FUNCTION actions.add_note(action_id bigint, body text) RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_add_note';
COMMENT ON FUNCTION actions.add_note(bigint, text) IS
    'Add a note to the action (needs notes access append_only or full, see actions.note_access()); returns its id';

CREATE FUNCTION actions.edit_note(note_id bigint, body text) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_edit_note';
COMMENT ON FUNCTION actions.edit_note(bigint, text) IS 'Change the text of a note (needs notes access full)';

CREATE FUNCTION actions.delete_note(note_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_delete_note';
COMMENT ON FUNCTION actions.delete_note(bigint) IS 'Delete a note (needs notes access full); the log keeps its text';

CREATE FUNCTION actions.note_access(action_id bigint) RETURNS text
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_note_access';
COMMENT ON FUNCTION actions.note_access(bigint) IS
    'The acting person''s access to the action''s notes: full (add, edit, delete: may reassign, may modify it and is the assignee), append_only (the same permissions, not the assignee) or read_only';

CREATE FUNCTION actions.note_log() RETURNS trigger
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_note_log';
COMMENT ON FUNCTION actions.note_log() IS 'Trigger: appends note_added, note_edited and note_deleted entries to the action''s log';
CREATE TRIGGER note_log AFTER INSERT OR UPDATE OR DELETE ON actions.note
    FOR EACH ROW EXECUTE FUNCTION actions.note_log();
-- pg_actions install script, part 36: managing groups, their members, and the groups of an action.
-- Changing groups needs manage_workspace; a manager whose grant is scoped to groups manages the
-- groups inside their scope.

CREATE FUNCTION actions.create_group(workspace_id bigint, name text, parent_id bigint DEFAULT NULL)
    RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_create_group';
COMMENT ON FUNCTION actions.create_group(bigint, text, bigint) IS
    'Add a group, top-level or under parent_id (needs manage_workspace); returns its id';

CREATE FUNCTION actions.rename_group(group_id bigint, name text) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_rename_group';
COMMENT ON FUNCTION actions.rename_group(bigint, text) IS 'Rename a group (needs manage_workspace)';

CREATE FUNCTION actions.move_group(group_id bigint, parent_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_move_group';
COMMENT ON FUNCTION actions.move_group(bigint, bigint) IS
    'Move a group with everything below it under another parent, or to the top level with NULL; a move into its own subtree is refused (needs manage_workspace)';

CREATE FUNCTION actions.delete_group(group_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_delete_group';
COMMENT ON FUNCTION actions.delete_group(bigint) IS
    'Delete a group without subgroups, actions or records (needs manage_workspace); its memberships go with it';

CREATE FUNCTION actions.add_group_member(group_id bigint, person_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_add_group_member';
COMMENT ON FUNCTION actions.add_group_member(bigint, bigint) IS
    'Put a member of the workspace into a group (needs manage_workspace); adding them twice changes nothing';

CREATE FUNCTION actions.remove_group_member(group_id bigint, person_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_remove_group_member';
COMMENT ON FUNCTION actions.remove_group_member(bigint, bigint) IS
    'Take a member out of a group (needs manage_workspace); group-scoped grants stop covering that group at once';

CREATE FUNCTION actions.set_action_groups(action_id bigint, group_ids bigint[]) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_set_action_groups';
COMMENT ON FUNCTION actions.set_action_groups(bigint, bigint[]) IS
    'Replace the groups of an action (needs the edit permission for the action as it is and as it will be); logged as groups_changed';
-- pg_actions install script, part 38: custom roles of a workspace.

CREATE FUNCTION actions.create_role(workspace_id bigint, name text, permissions text[] DEFAULT '{}')
    RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_create_role';
COMMENT ON FUNCTION actions.create_role(bigint, text, text[]) IS
    'Add a custom role with permission codes from the fixed catalog (needs manage_workspace); returns its id';

CREATE FUNCTION actions.update_role(workspace_id bigint, name text, new_name text DEFAULT NULL,
                                    permissions text[] DEFAULT NULL)
    RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_update_role';
COMMENT ON FUNCTION actions.update_role(bigint, text, text, text[]) IS
    'Rename a custom role and/or replace its permissions (NULL leaves either as it is); system roles stay as they are';

CREATE FUNCTION actions.delete_role(workspace_id bigint, name text) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_delete_role';
COMMENT ON FUNCTION actions.delete_role(bigint, text) IS
    'Delete a custom role that no member holds any more; system roles cannot be deleted';

CREATE FUNCTION actions.set_member_role(workspace_id bigint, person_id bigint, role text) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_set_member_role';
COMMENT ON FUNCTION actions.set_member_role(bigint, bigint, text) IS
    'Give a member another role of the workspace (needs manage_workspace); the last active owner keeps the owner role';

-- The last-owner rule holds for every path that changes a member: the API, actions.add_member()
-- and an administrator's own UPDATE or DELETE.
CREATE FUNCTION actions.member_keeps_owner() RETURNS trigger
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_member_keeps_owner';
COMMENT ON FUNCTION actions.member_keeps_owner() IS
    'Trigger: refuses a change of actions.member that would leave its workspace without an active owner (serialized on the workspace row). SECURITY DEFINER: it reads and locks only the extension''s own tables, so an administrator''s direct UPDATE needs no privilege on them';
CREATE TRIGGER member_keeps_owner BEFORE UPDATE OR DELETE ON actions.member
    FOR EACH ROW EXECUTE FUNCTION actions.member_keeps_owner();
ALTER TABLE actions.member ENABLE ALWAYS TRIGGER member_keeps_owner;
-- pg_actions install script, part 40: administration (workspaces, people, members, trusted
-- services) and maintenance. Not executable by PUBLIC: a DBA grants them to an administrator role.

CREATE FUNCTION actions.seed_system_roles() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    INSERT INTO actions.role (workspace_id, name, is_system, billable, permissions) VALUES
        (NEW.workspace_id, 'owner', true, true,
         '{view_actions,create_actions,assign_actions,edit_actions,edit_own_actions,delete_actions,delete_own_actions,delete_assigned_actions,reassign_actions,complete_any_actions,administer_actions,approve_delegations,manage_workspace}'),
        (NEW.workspace_id, 'manager', true, true,
         '{view_actions,create_actions,assign_actions,edit_actions,edit_own_actions,delete_actions,delete_own_actions,delete_assigned_actions,reassign_actions,complete_any_actions,administer_actions,approve_delegations,manage_workspace}'),
        (NEW.workspace_id, 'user', true, true,
         '{view_actions,create_actions,assign_actions,edit_own_actions,delete_own_actions,reassign_actions}'),
        (NEW.workspace_id, 'actions_access', true, false, '{}'),
        (NEW.workspace_id, 'inquiry', true, true, '{view_actions}');
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION actions.seed_system_roles() IS
    'Trigger: gives every new workspace the system roles owner, manager, user, actions_access (non-billable, only its own assigned actions) and inquiry (reads, never assigns)';
CREATE TRIGGER workspace_roles AFTER INSERT ON actions.workspace
    FOR EACH ROW EXECUTE FUNCTION actions.seed_system_roles();

CREATE FUNCTION actions.create_workspace(
    name                text,
    time_zone           text DEFAULT 'UTC',
    action_url_template text DEFAULT NULL,
    owner_id            bigint DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    id bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_timezone_names WHERE pg_timezone_names.name = create_workspace.time_zone) THEN
        RAISE EXCEPTION 'time zone "%" is not recognized', time_zone
            USING ERRCODE = '22023', HINT = 'use an IANA name from pg_timezone_names, e.g. Europe/Berlin';
    END IF;
    INSERT INTO actions.workspace (name, time_zone, action_url_template)
    VALUES (create_workspace.name, create_workspace.time_zone,
            coalesce(create_workspace.action_url_template,
                     'pg-actions://workspace/{workspace_id}/action/{action_id}'))
    RETURNING workspace_id INTO id;
    IF owner_id IS NOT NULL THEN
        PERFORM actions.add_member(id, owner_id, 'owner');
    END IF;
    RETURN id;
END
$$;
COMMENT ON FUNCTION actions.create_workspace(text, text, text, bigint) IS
    'Create a workspace with its system roles; owner_id, when given, joins it with the owner role. Returns the id';

CREATE FUNCTION actions.create_person(email text, display_name text, login_role name DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    id bigint;
BEGIN
    IF EXISTS (SELECT 1 FROM actions.person p WHERE lower(p.email) = lower(create_person.email)) THEN
        RAISE EXCEPTION 'a person with e-mail "%" already exists', email
            USING ERRCODE = '23505', HINT = 'e-mail addresses are unique regardless of case; look the person up in actions.person';
    END IF;
    IF login_role IS NOT NULL AND EXISTS (SELECT 1 FROM actions.person p WHERE p.login_role = create_person.login_role) THEN
        RAISE EXCEPTION 'login role "%" already belongs to another person', login_role
            USING ERRCODE = '23505', HINT = 'each person logs in with a role of their own';
    END IF;
    INSERT INTO actions.person (email, display_name, login_role)
    VALUES (create_person.email, create_person.display_name, create_person.login_role)
    RETURNING person_id INTO id;
    RETURN id;
END
$$;
COMMENT ON FUNCTION actions.create_person(text, text, name) IS
    'Add a person (e-mail unique regardless of case); login_role is the PostgreSQL role they log in with. Returns the id';

CREATE FUNCTION actions.add_member(workspace_id bigint, person_id bigint, role text DEFAULT 'user')
    RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    rid bigint;
BEGIN
    SELECT r.role_id INTO rid FROM actions.role r
     WHERE r.workspace_id = add_member.workspace_id AND r.name = add_member.role;
    IF rid IS NULL THEN
        RAISE EXCEPTION 'role "%" not found in workspace %', role, workspace_id
            USING ERRCODE = 'P0002', HINT = 'system roles are owner, manager, user, actions_access and inquiry';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM actions.person p WHERE p.person_id = add_member.person_id) THEN
        RAISE EXCEPTION 'person % not found', person_id
            USING ERRCODE = 'P0002', HINT = 'add the person first with actions.create_person()';
    END IF;
    INSERT INTO actions.member (workspace_id, person_id, role_id)
    VALUES (add_member.workspace_id, add_member.person_id, rid)
    ON CONFLICT ON CONSTRAINT member_pkey DO UPDATE SET role_id = EXCLUDED.role_id, state = 'active';
END
$$;
COMMENT ON FUNCTION actions.add_member(bigint, bigint, text) IS
    'Add a person to a workspace with a role (or change the role of an existing member)';

CREATE FUNCTION actions.trust_service(role_name name, note text DEFAULT NULL) RETURNS void
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    INSERT INTO actions.trusted_service (role_name, note) VALUES (trust_service.role_name, trust_service.note)
    ON CONFLICT (role_name) DO UPDATE SET note = EXCLUDED.note
$$;
COMMENT ON FUNCTION actions.trust_service(name, text) IS
    'Register an application''s login role as a trusted service that may call actions.act_as()';

CREATE FUNCTION actions.mark_overdue() RETURNS bigint
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    -- The guard trigger checks the move; the partial index action_open_due_idx finds the rows.
    WITH marked AS (
        UPDATE actions.action SET status = 'overdue'
         WHERE status IN ('to_do', 'in_progress') AND due_at IS NOT NULL AND due_at < now()
        RETURNING 1)
    SELECT count(*) FROM marked
$$;
COMMENT ON FUNCTION actions.mark_overdue() IS
    'Maintenance: mark every open action whose due date has passed as overdue; returns how many. Safe to run twice and concurrently';

CREATE FUNCTION actions.schedule_maintenance(schedule text DEFAULT '* * * * *') RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    job bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
        RAISE EXCEPTION 'pg_cron is not installed in this database'
            USING ERRCODE = '55000',
                  DETAIL = 'actions.schedule_maintenance() registers actions.mark_overdue() as a pg_cron job',
                  HINT = 'add pg_cron to shared_preload_libraries, CREATE EXTENSION pg_cron, or run SELECT actions.mark_overdue() from another scheduler';
    END IF;
    EXECUTE 'SELECT cron.schedule_in_database($1, $2, $3, $4)'
       INTO job
      USING 'pg_actions_maintenance', schedule,
            'SELECT actions.mark_overdue(), actions.notify_due_soon(), actions.create_due_reviews()',
            pg_catalog.current_database();
    RETURN job;
END
$$;
COMMENT ON FUNCTION actions.schedule_maintenance(text) IS
    'Register the maintenance sweep (actions.mark_overdue(), actions.notify_due_soon() and actions.create_due_reviews()) as the pg_cron job pg_actions_maintenance in this database; returns the job id. Fails with a hint when pg_cron is not installed';

REVOKE ALL ON ALL TABLES IN SCHEMA actions FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA actions FROM PUBLIC;
-- The person-facing API is public: each function decides what the acting person may do.
GRANT USAGE ON SCHEMA actions TO PUBLIC;
GRANT EXECUTE ON FUNCTION
    actions.act_as(bigint), actions.current_actor(),
    actions.create_action(bigint, text, text, bigint, timestamptz, date, text, text, bigint, bigint[]),
    actions.assign(bigint, bigint), actions.reassign(bigint, bigint), actions.start(bigint),
    actions.complete(bigint, bytea, text, text), actions.uncomplete(bigint), actions.cancel(bigint, text),
    actions.update_action(bigint, text, text, timestamptz, date, text, boolean), actions.delete_action(bigint),
    actions.create_record(bigint, text, text, bigint[]), actions.archive_record(bigint),
    actions.can(text, bigint), actions.why_not(text, bigint),
    actions.assign_by_email(bigint, text, text), actions.accept_invitation(text),
    actions.set_notification(bigint, text, boolean), actions.opt_out(bigint, text, boolean),
    actions.add_note(bigint, text), actions.edit_note(bigint, text), actions.delete_note(bigint),
    actions.note_access(bigint),
    actions.create_role(bigint, text, text[]), actions.update_role(bigint, text, text, text[]),
    actions.delete_role(bigint, text), actions.set_member_role(bigint, bigint, text),
    actions.create_group(bigint, text, bigint), actions.rename_group(bigint, text),
    actions.move_group(bigint, bigint), actions.delete_group(bigint),
    actions.add_group_member(bigint, bigint), actions.remove_group_member(bigint, bigint),
    actions.set_action_groups(bigint, bigint[])
    TO PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('actions.workspace', '');
SELECT pg_catalog.pg_extension_config_dump('actions.person', '');
SELECT pg_catalog.pg_extension_config_dump('actions.role', '');
SELECT pg_catalog.pg_extension_config_dump('actions.member', '');
SELECT pg_catalog.pg_extension_config_dump('actions.trusted_service', '');
SELECT pg_catalog.pg_extension_config_dump('actions.group', '');
SELECT pg_catalog.pg_extension_config_dump('actions.group_member', '');
SELECT pg_catalog.pg_extension_config_dump('actions.record_kind', '');
SELECT pg_catalog.pg_extension_config_dump('actions.record', '');
SELECT pg_catalog.pg_extension_config_dump('actions.record_party', '');
SELECT pg_catalog.pg_extension_config_dump('actions.workflow_setting', '');
SELECT pg_catalog.pg_extension_config_dump('actions.action_candidate', '');
SELECT pg_catalog.pg_extension_config_dump('actions.action', '');
SELECT pg_catalog.pg_extension_config_dump('actions.evidence', '');
SELECT pg_catalog.pg_extension_config_dump('actions.notification', '');
SELECT pg_catalog.pg_extension_config_dump('actions.invitation', '');
SELECT pg_catalog.pg_extension_config_dump('actions.notification_setting', '');
SELECT pg_catalog.pg_extension_config_dump('actions.notification_opt_out', '');
SELECT pg_catalog.pg_extension_config_dump('actions.reminder', '');
SELECT pg_catalog.pg_extension_config_dump('actions.note', '');
SELECT pg_catalog.pg_extension_config_dump('actions.activity', '');
SELECT pg_catalog.pg_extension_config_dump('actions.activity_head', '');
-- Identity sequences too, so that ids continue after a restore instead of colliding. One call per
-- statement: each call rewrites the pg_extension row.
SELECT pg_catalog.pg_extension_config_dump('actions.workspace_workspace_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('actions.person_person_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('actions.role_role_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('actions.record_record_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('actions.group_group_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('actions.action_action_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('actions.evidence_evidence_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('actions.notification_notification_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('actions.note_note_id_seq', '');
-- pg_actions install script, part 45: row-level security. A person's login role reading the
-- tables directly sees what the API shows them: every action of a workspace where their role
-- grants view_actions, and elsewhere the actions they own or are assigned, with those actions'
-- log entries, evidence and notes; and only their own notifications. People write through the API.
-- A registered trusted service (an application's own role, given table privileges by a DBA) sees
-- and writes every row directly; its changes are checked and logged by the triggers like any other.
-- Each function is evaluated once per query (InitPlans), so every predicate is an index condition.

CREATE FUNCTION actions.is_trusted_service() RETURNS boolean
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_is_trusted_service';
COMMENT ON FUNCTION actions.is_trusted_service() IS
    'Whether session_user is a registered trusted service (actions.trust_service()): such a role sees and, with privileges, writes every row directly';

CREATE FUNCTION actions.visible_workspaces() RETURNS bigint[]
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_visible_workspaces';
COMMENT ON FUNCTION actions.visible_workspaces() IS
    'Workspaces where the acting person''s role lets them view every action (the core''s view decision)';

CREATE FUNCTION actions.visible_groups() RETURNS bigint[]
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_visible_groups';
COMMENT ON FUNCTION actions.visible_groups() IS
    'Groups whose actions the acting person views through a group-scoped view_actions grant: their groups and every group below them';

CREATE FUNCTION actions.party_records() RETURNS bigint[]
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_party_records';
COMMENT ON FUNCTION actions.party_records() IS
    'Records the acting person takes part in (actions.record_party, directly or through a shared group): they see those records'' actions';

CREATE FUNCTION actions.candidate_actions() RETURNS bigint[]
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_candidate_actions';
COMMENT ON FUNCTION actions.candidate_actions() IS
    'Approval actions offered to the acting person as one of a pool of eligible approvers';

CREATE FUNCTION actions.member_workspaces() RETURNS bigint[]
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_member_workspaces';
COMMENT ON FUNCTION actions.member_workspaces() IS
    'Workspaces the acting person is an active member of (an invited member sees nothing until accepting)';

ALTER TABLE actions.action ENABLE ROW LEVEL SECURITY;
CREATE POLICY action_visible ON actions.action FOR SELECT USING (
    (SELECT actions.is_trusted_service())
    OR workspace_id = ANY ((SELECT actions.visible_workspaces())::bigint[])
    OR group_ids && (SELECT actions.visible_groups())
    OR record_id = ANY ((SELECT actions.party_records())::bigint[])
    OR action_id = ANY ((SELECT actions.candidate_actions())::bigint[])
    OR (workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[])
        AND (assignee_id = (SELECT actions.current_actor()) OR owner_id = (SELECT actions.current_actor()))));
COMMENT ON POLICY action_visible ON actions.action IS
    'The actions the API shows the acting person: all of a workspace with view_actions, those of their groups (and below) with view_actions:groups, those of records they take part in, approvals offered to them, otherwise their own or assigned ones';

ALTER TABLE actions.activity ENABLE ROW LEVEL SECURITY;
CREATE POLICY activity_visible ON actions.activity FOR SELECT USING (
    (SELECT actions.is_trusted_service())
    OR workspace_id = ANY ((SELECT actions.visible_workspaces())::bigint[])
    OR (workspace_id, action_id) IN (SELECT a.workspace_id, a.action_id FROM actions.action a));
COMMENT ON POLICY activity_visible ON actions.activity IS
    'Log entries of the actions the person sees (and, with view_actions, of the workspace''s deleted actions)';

ALTER TABLE actions.evidence ENABLE ROW LEVEL SECURITY;
CREATE POLICY evidence_visible ON actions.evidence FOR SELECT USING (
    (SELECT actions.is_trusted_service())
    OR (workspace_id, action_id) IN (SELECT a.workspace_id, a.action_id FROM actions.action a));
COMMENT ON POLICY evidence_visible ON actions.evidence IS 'Evidence of the actions the person sees';

ALTER TABLE actions.note ENABLE ROW LEVEL SECURITY;
CREATE POLICY note_visible ON actions.note FOR SELECT USING (
    (SELECT actions.is_trusted_service())
    OR (workspace_id, action_id) IN (SELECT a.workspace_id, a.action_id FROM actions.action a));
COMMENT ON POLICY note_visible ON actions.note IS 'Notes of the actions the person sees';

ALTER TABLE actions.notification ENABLE ROW LEVEL SECURITY;
CREATE POLICY notification_own ON actions.notification FOR SELECT USING (
    (SELECT actions.is_trusted_service())
    OR person_id = (SELECT actions.current_actor()));
COMMENT ON POLICY notification_own ON actions.notification IS 'A person reads only their own notifications';

ALTER TABLE actions.group ENABLE ROW LEVEL SECURITY;
CREATE POLICY group_visible ON actions.group FOR SELECT USING (
    (SELECT actions.is_trusted_service())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY group_visible ON actions.group IS 'Members see the group tree of their workspaces';

ALTER TABLE actions.group_member ENABLE ROW LEVEL SECURITY;
CREATE POLICY group_member_visible ON actions.group_member FOR SELECT USING (
    (SELECT actions.is_trusted_service())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY group_member_visible ON actions.group_member IS 'Members see who belongs to which group in their workspaces';

-- Direct writes (INSERT, UPDATE, DELETE) by a trusted service that a DBA granted the privilege.
CREATE POLICY action_service_writes ON actions.action FOR ALL
    USING ((SELECT actions.is_trusted_service())) WITH CHECK ((SELECT actions.is_trusted_service()));
COMMENT ON POLICY action_service_writes ON actions.action IS 'Trusted services write actions directly; the triggers check and log every change';
CREATE POLICY note_service_writes ON actions.note FOR ALL
    USING ((SELECT actions.is_trusted_service())) WITH CHECK ((SELECT actions.is_trusted_service()));
COMMENT ON POLICY note_service_writes ON actions.note IS 'Trusted services write notes directly; the trigger logs every change';
-- On the log, such a policy only lets the append-only triggers say no in so many words.
CREATE POLICY activity_service_writes ON actions.activity FOR ALL
    USING ((SELECT actions.is_trusted_service())) WITH CHECK (false);
COMMENT ON POLICY activity_service_writes ON actions.activity IS 'Nobody inserts log entries directly; a trusted service''s UPDATE or DELETE reaches the refusing trigger';

GRANT EXECUTE ON FUNCTION actions.is_trusted_service(), actions.visible_workspaces(), actions.visible_groups(),
    actions.party_records(), actions.candidate_actions(), actions.member_workspaces() TO PUBLIC;
GRANT SELECT ON actions.action, actions.activity, actions.evidence, actions.note, actions.notification,
    actions.group, actions.group_member TO PUBLIC;
-- pg_actions install script, part 50: records (kinds, parties), approver eligibility, the system
-- workflows, and adoption of an application's own table as records (actions.track_table()).

CREATE FUNCTION actions.seed_record_kinds() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    INSERT INTO actions.record_kind (workspace_id, kind, is_system)
    SELECT NEW.workspace_id, k, true FROM unnest(ARRAY['decision', 'delegation', 'document', 'matrix', 'generic']) AS k;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION actions.seed_record_kinds() IS
    'Trigger: gives every new workspace the record kinds decision, delegation, document, matrix and generic';
CREATE TRIGGER workspace_record_kinds AFTER INSERT ON actions.workspace
    FOR EACH ROW EXECUTE FUNCTION actions.seed_record_kinds();

CREATE FUNCTION actions.create_record_kind(workspace_id bigint, kind text) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_create_record_kind';
COMMENT ON FUNCTION actions.create_record_kind(bigint, text) IS
    'Add a custom record kind to the workspace (needs manage_workspace)';

CREATE FUNCTION actions.delete_record_kind(workspace_id bigint, kind text) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_delete_record_kind';
COMMENT ON FUNCTION actions.delete_record_kind(bigint, text) IS
    'Delete an unused custom record kind (needs manage_workspace); the built-in kinds stay';

CREATE FUNCTION actions.add_party(record_id bigint, capacity text, person_id bigint DEFAULT NULL,
                                  group_id bigint DEFAULT NULL) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_add_party';
COMMENT ON FUNCTION actions.add_party(bigint, text, bigint, bigint) IS
    'Add a person (or, as shared, a group) to a record in a capacity (needs edit_actions or being the record''s owner); a consulted or informed party of a decision gets an acknowledgement action when that workflow is on';

CREATE FUNCTION actions.remove_party(record_id bigint, capacity text, person_id bigint DEFAULT NULL,
                                     group_id bigint DEFAULT NULL) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_remove_party';
COMMENT ON FUNCTION actions.remove_party(bigint, text, bigint, bigint) IS
    'Take a party off a record (needs edit_actions or being the record''s owner)';

CREATE FUNCTION actions.update_record(record_id bigint, title text) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_update_record';
COMMENT ON FUNCTION actions.update_record(bigint, text) IS
    'Retitle a record; an approved delegation or a published document then goes through approval again when that workflow is on';

CREATE FUNCTION actions.submit_delegation(record_id bigint) RETURNS text
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_submit_delegation';
COMMENT ON FUNCTION actions.submit_delegation(bigint) IS
    'Submit a delegation: with delegation_approval on, an approval action goes to the pool of eligible approvers (state pending_approval); otherwise it is approved at once and acceptance starts. Returns the new state';

CREATE FUNCTION actions.request_delegation(record_id bigint, route text DEFAULT NULL, note text DEFAULT NULL)
    RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_request_delegation';
COMMENT ON FUNCTION actions.request_delegation(bigint, text, text) IS
    'Ask for authority from a decision (to its owner, else its creator) or a delegation (route issuer, recipient or both); needs the delegation_request workflow on. Returns the first request action';

CREATE FUNCTION actions.publish_document(record_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_publish_document';
COMMENT ON FUNCTION actions.publish_document(bigint) IS
    'Publish a document: approval actions for its approvers (document_approval on), and its first review becomes due (document_review on)';

CREATE FUNCTION actions.set_review_schedule(record_id bigint, every interval) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_set_review_schedule';
COMMENT ON FUNCTION actions.set_review_schedule(bigint, interval) IS
    'Review a document periodically: the maintenance sweep creates review actions for its reviewers every interval (NULL: only the first review)';

CREATE FUNCTION actions.create_due_reviews() RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_create_due_reviews';
COMMENT ON FUNCTION actions.create_due_reviews() IS
    'Maintenance: review actions for the reviewers of every published document whose review is due, then schedule the next one; safe to run concurrently. Returns how many actions it created';

CREATE FUNCTION actions.record_outcome(action_id bigint, outcome text, comment text DEFAULT NULL) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_record_outcome';
COMMENT ON FUNCTION actions.record_outcome(bigint, text, text) IS
    'Close a workflow action with its outcome (approved, rejected, accepted, declined, acknowledged) and a comment; an approval needs an eligible approver at this moment. The record''s workflow state follows';

CREATE FUNCTION actions.set_workflow(workspace_id bigint, workflow text, enabled boolean, due_days integer DEFAULT NULL)
    RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_set_workflow';
COMMENT ON FUNCTION actions.set_workflow(bigint, text, boolean, integer) IS
    'Switch a system workflow on or off for the workspace, with the days its actions are due in (needs manage_workspace)';

-- The eligibility questions run no SQL (like can() and why_not()): they run as the caller.
CREATE FUNCTION actions.eligible_approvers(delegation_id bigint) RETURNS bigint[]
    LANGUAGE c STABLE
    AS 'MODULE_PATHNAME', 'pg_actions_eligible_approvers';
COMMENT ON FUNCTION actions.eligible_approvers(bigint) IS
    'Person ids of every member eligible to approve the delegation now: approve_delegations for all groups, or for a group that is one of the delegation''s groups or above one; never its issuer';

CREATE FUNCTION actions.is_eligible_approver(person_id bigint, delegation_id bigint) RETURNS boolean
    LANGUAGE c STABLE
    AS 'MODULE_PATHNAME', 'pg_actions_is_eligible_approver';
COMMENT ON FUNCTION actions.is_eligible_approver(bigint, bigint) IS
    'Whether the person may approve the delegation now; actions.why_not(''approve'', delegation_id, person_id) says why not';

CREATE FUNCTION actions.why_not(verb text, delegation_id bigint, person_id bigint) RETURNS text
    LANGUAGE c STABLE
    AS 'MODULE_PATHNAME', 'pg_actions_why_not_person';
COMMENT ON FUNCTION actions.why_not(text, bigint, bigint) IS
    'For verb approve: why the person is not an eligible approver of the delegation (issuer, permission, groups, membership), or NULL when they are';

-- --- adoption of an application's table ------------------------------------------------------

CREATE TABLE actions.tracked_table (
    source       regclass PRIMARY KEY,
    workspace_id bigint NOT NULL REFERENCES actions.workspace ON DELETE CASCADE,
    kind         text NOT NULL,
    key_column   name NOT NULL,
    title_column name NOT NULL,
    archived     text,
    owner_id     bigint,
    created_at   timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (workspace_id, kind) REFERENCES actions.record_kind
);
COMMENT ON TABLE actions.tracked_table IS 'Application tables whose rows appear as records (actions.track_table())';
COMMENT ON COLUMN actions.tracked_table.source IS 'The application''s table';
COMMENT ON COLUMN actions.tracked_table.workspace_id IS 'Workspace its records belong to';
COMMENT ON COLUMN actions.tracked_table.kind IS 'Kind of the records';
COMMENT ON COLUMN actions.tracked_table.key_column IS 'Column whose value (as text) links a row to its record';
COMMENT ON COLUMN actions.tracked_table.title_column IS 'Column giving the record''s title';
COMMENT ON COLUMN actions.tracked_table.archived IS 'Column, or simple test of one column, that archives the record (see actions.archived_condition()), or NULL';
COMMENT ON COLUMN actions.tracked_table.owner_id IS 'Member who owns the records';
COMMENT ON COLUMN actions.tracked_table.created_at IS 'When tracking started';

CREATE FUNCTION actions.initial_record_state(kind text) RETURNS text
    LANGUAGE c IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_initial_record_state';
COMMENT ON FUNCTION actions.initial_record_state(text) IS
    'The workflow_state a new record of the kind starts in (draft for delegations and documents), as the core decides; used by actions.track_row()';

-- The row trigger's work, one function for every tracked table: the key, title and archived flag
-- of the row arrive computed by the table's own trigger.
CREATE FUNCTION actions.track_row(source regclass, op text, old_key text, new_key text, title text, archived boolean)
    RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    t actions.tracked_table%ROWTYPE;
    clean_title text;
BEGIN
    -- The values arrive computed by the table's trigger, which runs as the writer (never with our
    -- rights). Anyone may call this function directly, so it believes only a session that could
    -- have made the same write to the table itself.
    IF op IS NULL OR op NOT IN ('INSERT', 'UPDATE', 'DELETE') THEN
        RAISE EXCEPTION 'op must be INSERT, UPDATE or DELETE' USING ERRCODE = 'invalid_parameter_value',
            HINT = 'actions.track_row() is called by the trigger actions.track_table() installs';
    END IF;
    -- A table that is gone, or no longer carries our trigger, is not believed either (its row in
    -- actions.tracked_table may outlive it, and an OID may be used again).
    IF source IS NULL OR NOT coalesce(pg_catalog.has_table_privilege(session_user, source, op), false)
       OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger g
                       WHERE g.tgrelid = source AND g.tgname = 'pg_actions_track'
                         AND g.tgfoid = 'actions.track_trigger()'::pg_catalog.regprocedure) THEN
        RAISE EXCEPTION 'permission denied to mirror a row of %', source USING ERRCODE = 'insufficient_privilege',
            DETAIL = format('session user %I may not %s rows of the table', session_user, pg_catalog.lower(op)),
            HINT = 'write the table itself; its trigger mirrors the row';
    END IF;
    SELECT * INTO t FROM actions.tracked_table WHERE tracked_table.source = track_row.source;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF op = 'DELETE' THEN
        -- A row with actions keeps its record, archived, so the actions keep their context.
        IF EXISTS (SELECT 1 FROM actions.record r JOIN actions.action a ON a.record_id = r.record_id
                    WHERE r.source_table = t.source AND r.source_key = old_key) THEN
            UPDATE actions.record r SET archived = true, archived_at = coalesce(r.archived_at, now())
             WHERE r.source_table = t.source AND r.source_key = old_key;
        ELSE
            DELETE FROM actions.record r WHERE r.source_table = t.source AND r.source_key = old_key;
        END IF;
        RETURN;
    END IF;
    IF new_key IS NULL THEN
        RAISE EXCEPTION 'tracked row of % has no key', t.source
            USING ERRCODE = 'not_null_violation',
                  DETAIL = format('column %I links the row to its record in pg_actions', t.key_column),
                  HINT = 'give the row a key';
    END IF;
    clean_title := left(coalesce(nullif(btrim(title), ''), t.kind || ' ' || new_key), 500);
    IF op = 'UPDATE' AND old_key IS DISTINCT FROM new_key THEN
        UPDATE actions.record r SET source_key = new_key WHERE r.source_table = t.source AND r.source_key = old_key;
    END IF;
    INSERT INTO actions.record AS r (workspace_id, kind, title, archived, archived_at, owner_id, source_table, source_key,
                                     workflow_state)
    VALUES (t.workspace_id, t.kind, clean_title, coalesce(archived, false), CASE WHEN archived THEN now() END,
            t.owner_id, t.source, new_key, actions.initial_record_state(t.kind))
    ON CONFLICT (source_table, source_key) WHERE source_table IS NOT NULL DO UPDATE
       SET title = EXCLUDED.title, archived = EXCLUDED.archived,
           archived_at = CASE WHEN NOT EXCLUDED.archived THEN NULL ELSE coalesce(r.archived_at, now()) END;
END
$$;
COMMENT ON FUNCTION actions.track_row(regclass, text, text, text, text, boolean) IS
    'Called by the trigger actions.track_table() installs, with plain values the trigger computed as the writer: insert or update the record of a row, archive it, or remove it with the row (archived instead while actions link to it). Refused (42501) unless the session user may make that write to the table';

CREATE FUNCTION actions.authorize_tracking(workspace_id bigint, owner_id bigint) RETURNS bigint
    LANGUAGE c SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_authorize_tracking';
COMMENT ON FUNCTION actions.authorize_tracking(bigint, bigint) IS
    'Part of actions.track_table(): the acting person must be a member of the workspace allowed to create records (P0002 / 42501), and the records'' owner (default: that person) a member (22023); returns the owner';

-- The archived flag of a tracked table as SQL over the row (src): a boolean column, or a simple
-- test of one column against literals. Nothing else is accepted, so the trigger never runs SQL
-- the caller wrote: the column is rebuilt with quote_ident and each literal with quote_literal,
-- joined by concatenation (no format() over text that holds the caller's literal).
CREATE FUNCTION actions.archived_condition(source regclass, spec text) RETURNS text
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    ident constant text := '([A-Za-z_][A-Za-z0-9_]*|"(?:[^"]|"")+")';
    lit constant text := '''((?:[^'']|'''')*)''';
    m1 text[];
    m2 text[];
    m3 text[];
    m4 text[];
    col text;
    prefix text := '';
    suffix text;
BEGIN
    IF spec IS NULL THEN
        RETURN 'false';
    END IF;
    m1 := regexp_match(spec, '^\s*(NOT\s+)?' || ident || '\s*$', 'i');
    m2 := regexp_match(spec, '^\s*' || ident || '\s*(=|<>|!=)\s*' || lit || '\s*$');
    m3 := regexp_match(spec, '^\s*' || ident || '\s+IS\s+(NOT\s+)?(NULL|TRUE|FALSE)\s*$', 'i');
    m4 := regexp_match(spec, '^\s*' || ident || '\s+IN\s*\(((?:\s*' || '''(?:[^'']|'''')*''' || '\s*,)*\s*'
                             || '''(?:[^'']|'''')*''' || ')\s*\)\s*$', 'i');
    IF m1 IS NOT NULL THEN
        col := m1[2];
        prefix := CASE WHEN m1[1] IS NOT NULL THEN 'NOT ' ELSE '' END;
        suffix := '';
    ELSIF m2 IS NOT NULL THEN
        col := m2[1];
        suffix := CASE WHEN m2[2] = '=' THEN ' = ' ELSE ' <> ' END || quote_literal(replace(m2[3], '''''', ''''));
    ELSIF m3 IS NOT NULL THEN
        col := m3[1];
        suffix := ' IS ' || CASE WHEN m3[2] IS NOT NULL THEN 'NOT ' ELSE '' END || upper(m3[3]);
    ELSIF m4 IS NOT NULL THEN
        col := m4[1];
        SELECT ' IN (' || string_agg(quote_literal(replace(x[1], '''''', '''')), ', ') || ')' INTO suffix
          FROM regexp_matches(m4[2], lit, 'g') AS x;
    ELSE
        RAISE EXCEPTION 'archived must be a column or a simple test of one column'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'got: ' || spec,
                  HINT = 'use e.g. ''closed'', ''NOT active'', ''status = ''''closed'''''', ''status IN (''''closed'''', ''''void'''')'' or ''ended_at IS NOT NULL''';
    END IF;
    IF col LIKE '"%' THEN
        col := replace(substr(col, 2, length(col) - 2), '""', '"');
    ELSE
        col := lower(col);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = source AND attname = col AND attnum > 0 AND NOT attisdropped) THEN
        RAISE EXCEPTION '% has no column %', source, col USING ERRCODE = 'undefined_column',
            HINT = 'name a column of the tracked table in archived';
    END IF;
    RETURN '(' || prefix || 'src.' || quote_ident(col) || suffix || ')::boolean';
END
$$;
COMMENT ON FUNCTION actions.archived_condition(regclass, text) IS
    'Validates and quotes the archived argument of actions.track_table(): a column, NOT a column, or a column compared (=, <>, IS [NOT] NULL/TRUE/FALSE, IN) with literals';

-- The one trigger function of every tracked table. It runs as whoever writes the table (SECURITY
-- INVOKER): the key, title and archived test are computed with the writer's rights, as any
-- trigger on that table would compute them, and only plain text and a boolean reach
-- actions.track_row(). Its arguments (key column, title column, archived test as rebuilt by
-- actions.archived_condition()) are set by actions.track_table_install().
CREATE FUNCTION actions.track_trigger() RETURNS trigger
    LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    v_new_key text;
    v_old_key text;
    v_title text;
    v_archived boolean;
BEGIN
    IF TG_NARGS <> 3 OR TG_LEVEL <> 'ROW' OR TG_WHEN <> 'AFTER' THEN
        RAISE EXCEPTION 'actions.track_trigger() is installed by actions.track_table() only'
            USING ERRCODE = 'trigger_protocol_violated', HINT = 'use actions.track_table() to adopt a table';
    END IF;
    IF TG_OP <> 'INSERT' THEN
        EXECUTE format('SELECT (($1).%I)::text', TG_ARGV[0]) INTO v_old_key USING OLD;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        EXECUTE format('SELECT (src.%I)::text, (src.%I)::text, %s FROM (SELECT ($1).*) AS src',
                       TG_ARGV[0], TG_ARGV[1], TG_ARGV[2])
           INTO v_new_key, v_title, v_archived USING NEW;
    END IF;
    PERFORM actions.track_row(TG_RELID::regclass, TG_OP, v_old_key, v_new_key, v_title, v_archived);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION actions.track_trigger() IS
    'Trigger of every tracked table (actions.track_table()): runs as the writer and hands the row''s key, title and archived flag, as plain values, to actions.track_row()';

-- Installing the tracking needs the extension's rights (a trigger on a table of another owner,
-- a row in actions.tracked_table); adopting the rows evaluates the table owner's column types
-- (casts, operators), so it runs in actions.track_table() below, as the table's owner, never
-- with our rights. No SQL text is built here from what the caller wrote except through
-- quote_ident / quote_literal (format's %I and %L).
CREATE FUNCTION actions.track_table_install(source regclass, workspace_id bigint, kind text, key_column name,
                                            title_column name, archived text, owner_id bigint)
    RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    archived_sql text;
    record_owner bigint;
BEGIN
    IF source IS NULL
       OR NOT coalesce(pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = source), 'MEMBER'), false) THEN
        RAISE EXCEPTION 'permission denied to track %', source USING ERRCODE = 'insufficient_privilege',
            DETAIL = 'only the owner of a table (or a member of its role) may have pg_actions install triggers on it',
            HINT = 'run actions.track_table() as the table''s owner';
    END IF;
    -- The acting person creates records in the workspace; the owner of the records is a member.
    record_owner := actions.authorize_tracking(workspace_id, owner_id);
    IF NOT EXISTS (SELECT 1 FROM actions.record_kind k WHERE k.workspace_id = track_table_install.workspace_id AND k.kind = track_table_install.kind) THEN
        RAISE EXCEPTION 'unknown record kind "%" in workspace %', kind, workspace_id USING ERRCODE = 'invalid_parameter_value',
            HINT = 'use a built-in kind or add it with actions.create_record_kind()';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = source AND attname = key_column AND attnum > 0 AND NOT attisdropped)
       OR NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = source AND attname = title_column AND attnum > 0 AND NOT attisdropped) THEN
        RAISE EXCEPTION '% has no column % or %', source, key_column, title_column USING ERRCODE = 'undefined_column',
            HINT = 'name the key and title columns of the table';
    END IF;
    archived_sql := actions.archived_condition(source, archived);
    IF EXISTS (SELECT 1 FROM actions.tracked_table t WHERE t.source = track_table_install.source) THEN
        RAISE EXCEPTION '% is already tracked', source USING ERRCODE = 'duplicate_object',
            HINT = 'call actions.untrack_table() first to change how it is tracked';
    END IF;
    INSERT INTO actions.tracked_table (source, workspace_id, kind, key_column, title_column, archived, owner_id)
    VALUES (source, workspace_id, kind, key_column, title_column, archived, record_owner);
    EXECUTE format('CREATE TRIGGER pg_actions_track AFTER INSERT OR UPDATE OR DELETE ON %s '
                   'FOR EACH ROW EXECUTE FUNCTION actions.track_trigger(%L, %L, %L)',
                   source, key_column, title_column, archived_sql);
    RETURN archived_sql;
END
$$;
COMMENT ON FUNCTION actions.track_table_install(regclass, bigint, text, name, name, text, bigint) IS
    'Part of actions.track_table(): checks who asks (the table''s owner, a member of the workspace allowed to create records; the records'' owner a member), registers the table and installs its trigger (actions.track_trigger()); returns the archived test as SQL. Adopts nothing';

CREATE FUNCTION actions.track_table(source regclass, workspace_id bigint, kind text, key_column name,
                                    title_column name, archived text DEFAULT NULL, owner_id bigint DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    archived_sql text;
    table_owner name;
    caller_role text := pg_catalog.current_setting('role');
    adopted bigint;
BEGIN
    archived_sql := actions.track_table_install(source, workspace_id, kind, key_column, title_column, archived, owner_id);
    -- Rows already there become records now, read as the table's owner. A role set with
    -- set_config(..., true) outlives the function, so the caller's is put back afterwards (an
    -- error rolls both back with the transaction or savepoint).
    SELECT r.rolname INTO table_owner FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE c.oid = source;
    IF table_owner IS DISTINCT FROM current_user THEN
        PERFORM pg_catalog.set_config('role', table_owner, true);
    END IF;
    EXECUTE format('SELECT count(actions.track_row(%L::regclass, %L, NULL, (src.%I)::text, (src.%I)::text, %s)) FROM %s AS src',
                   source, 'INSERT', key_column, title_column, archived_sql, source) INTO adopted;
    PERFORM pg_catalog.set_config('role', caller_role, true);
    RETURN adopted;
END
$$;
COMMENT ON FUNCTION actions.track_table(regclass, bigint, text, name, name, text, bigint) IS
    'Adopt an application table: its rows appear as records of the kind (insert, update, archive by the archived column or test, delete) through a trigger, without the application calling pg_actions; returns how many existing rows were adopted. Only the table''s owner (or a member of its role) acting as a person who may create records in the workspace; owner_id (default: that person) must be a member. The existing rows are read as the table''s owner';

CREATE FUNCTION actions.untrack_table(source regclass) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF source IS NULL
       OR NOT coalesce(pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = source), 'USAGE'), false) THEN
        RAISE EXCEPTION 'permission denied to untrack %', source USING ERRCODE = 'insufficient_privilege',
            HINT = 'run actions.untrack_table() as the table''s owner';
    END IF;
    DELETE FROM actions.tracked_table t WHERE t.source = untrack_table.source;
    IF NOT FOUND THEN
        RAISE EXCEPTION '% is not tracked', source USING ERRCODE = 'undefined_object', HINT = 'see actions.tracked_table';
    END IF;
    EXECUTE format('DROP TRIGGER IF EXISTS pg_actions_track ON %s', source);
END
$$;
COMMENT ON FUNCTION actions.untrack_table(regclass) IS
    'Stop tracking an application table; its records stay, no longer updated';

CREATE FUNCTION actions.tracked_record(source regclass, key text) RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT r.record_id FROM actions.record r
     WHERE r.source_table = tracked_record.source AND r.source_key = tracked_record.key
       AND r.workspace_id = ANY (actions.member_workspaces())
$$;
COMMENT ON FUNCTION actions.tracked_record(regclass, text) IS
    'The record of an application row, by the application''s key, for linking actions to it (NULL when unknown or in a workspace you are not a member of)';

-- A dropped table stops being tracked: its row in actions.tracked_table goes with it, so an OID
-- used again by another table inherits nothing.
CREATE FUNCTION actions.forget_dropped_tables() RETURNS event_trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    DELETE FROM actions.tracked_table t
     USING pg_catalog.pg_event_trigger_dropped_objects() d
     WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = 0 AND d.objid = t.source::oid;
END
$$;
COMMENT ON FUNCTION actions.forget_dropped_tables() IS
    'Event trigger: a dropped table''s row in actions.tracked_table is removed with it';
CREATE EVENT TRIGGER pg_actions_forget_dropped_tables ON sql_drop
    EXECUTE FUNCTION actions.forget_dropped_tables();
COMMENT ON EVENT TRIGGER pg_actions_forget_dropped_tables IS
    'Removes the actions.tracked_table row of a dropped table (actions.forget_dropped_tables())';

-- Who may run what: records, parties, workflows and the eligibility questions are person-facing
-- (each function decides for the acting person); kinds of adoption and the sweep are not.
REVOKE ALL ON FUNCTION actions.seed_record_kinds(), actions.create_due_reviews(), actions.archived_condition(regclass, text),
    actions.authorize_tracking(bigint, bigint), actions.track_trigger(), actions.forget_dropped_tables(),
    actions.initial_record_state(text) FROM PUBLIC;
-- Adoption is person-facing: each function checks the table's ownership and the acting person
-- itself; track_row believes only a session that could write the table.
GRANT EXECUTE ON FUNCTION actions.track_row(regclass, text, text, text, text, boolean),
    actions.track_table_install(regclass, bigint, text, name, name, text, bigint),
    actions.track_table(regclass, bigint, text, name, name, text, bigint), actions.untrack_table(regclass) TO PUBLIC;
REVOKE ALL ON FUNCTION actions.create_record_kind(bigint, text), actions.delete_record_kind(bigint, text),
    actions.add_party(bigint, text, bigint, bigint), actions.remove_party(bigint, text, bigint, bigint),
    actions.update_record(bigint, text), actions.submit_delegation(bigint), actions.request_delegation(bigint, text, text),
    actions.publish_document(bigint), actions.set_review_schedule(bigint, interval),
    actions.record_outcome(bigint, text, text), actions.set_workflow(bigint, text, boolean, integer),
    actions.eligible_approvers(bigint), actions.is_eligible_approver(bigint, bigint),
    actions.why_not(text, bigint, bigint), actions.tracked_record(regclass, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION actions.create_record_kind(bigint, text), actions.delete_record_kind(bigint, text),
    actions.add_party(bigint, text, bigint, bigint), actions.remove_party(bigint, text, bigint, bigint),
    actions.update_record(bigint, text), actions.submit_delegation(bigint), actions.request_delegation(bigint, text, text),
    actions.publish_document(bigint), actions.set_review_schedule(bigint, interval),
    actions.record_outcome(bigint, text, text), actions.set_workflow(bigint, text, boolean, integer),
    actions.eligible_approvers(bigint), actions.is_eligible_approver(bigint, bigint),
    actions.why_not(text, bigint, bigint), actions.tracked_record(regclass, text) TO PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('actions.tracked_table', '');
