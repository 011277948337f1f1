-- pg_actions install script, part 00: tenants, people, roles and records.
-- Every tenant table carries workspace_id and its keys begin with it.

\echo Use "CREATE EXTENSION pg_actions" to load this file. \quit

-- The schema actions may already exist when CREATE EXTENSION runs (the control file names it):
-- made by a database owner or another role before a superuser installs the extension. Its owner
-- could then add functions and operators beside the extension's (an overload such as
-- actions.restoring(oid) is a better match for a call the extension's definer-rights code
-- makes) and so run code as the extension's owner. Only a superuser may own it or create in it.
DO $$
DECLARE
    owner name;
    creator text;
BEGIN
    SELECT r.rolname INTO owner
      FROM pg_catalog.pg_namespace n JOIN pg_catalog.pg_roles r ON r.oid = n.nspowner
     WHERE n.nspname = 'actions' AND NOT r.rolsuper;
    IF owner IS NOT NULL THEN
        RAISE EXCEPTION 'schema actions is owned by role %, which is not a superuser', owner
            USING ERRCODE = '42501',
                  DETAIL = 'The owner of the extension''s schema can add functions and operators that the extension''s own functions would call with its owner''s rights.',
                  HINT = 'Drop the schema (DROP SCHEMA actions) or give it to a superuser (ALTER SCHEMA actions OWNER TO postgres), revoke CREATE on it from other roles, then try again.';
    END IF;
    SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE r.rolname::text END INTO creator
      FROM pg_catalog.pg_namespace n, pg_catalog.aclexplode(n.nspacl) a
      LEFT JOIN pg_catalog.pg_roles r ON r.oid = a.grantee
     WHERE n.nspname = 'actions' AND a.privilege_type = 'CREATE' AND NOT coalesce(r.rolsuper, false)
     LIMIT 1;
    IF creator IS NOT NULL THEN
        RAISE EXCEPTION 'role % may create objects in schema actions', creator
            USING ERRCODE = '42501',
                  DETAIL = 'A role that creates in the extension''s schema can add functions and operators that the extension''s own functions would call with its owner''s rights.',
                  HINT = format('REVOKE CREATE ON SCHEMA actions FROM %s, then try again.', creator);
    END IF;
END
$$;

CREATE TABLE actions.workspace (
    workspace_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
    time_zone           text NOT NULL DEFAULT 'UTC',
    action_url_template text NOT NULL DEFAULT 'pg-actions://workspace/{workspace_id}/action/{action_id}'
                        CHECK (length(action_url_template) <= 2000),
    due_soon_window     interval NOT NULL DEFAULT '1 day' CHECK (due_soon_window > interval '0'),
    created_at          timestamptz NOT NULL DEFAULT now(),
    show_emails         boolean NOT NULL DEFAULT false,
    bulk_notification   text NOT NULL DEFAULT 'each' CHECK (bulk_notification IN ('each', 'digest'))
);
COMMENT ON TABLE actions.workspace IS 'A tenant: every action, member, role and record belongs to one workspace';
COMMENT ON COLUMN actions.workspace.workspace_id IS 'Identifier of the workspace';
COMMENT ON COLUMN actions.workspace.name IS 'Display name of the workspace';
COMMENT ON COLUMN actions.workspace.time_zone IS 'IANA time zone; a date-only due date ends at midnight in this zone';
COMMENT ON COLUMN actions.workspace.action_url_template IS 'Link put in notifications; {workspace_id} and {action_id} are replaced';
COMMENT ON COLUMN actions.workspace.bulk_notification IS 'How a bulk call (actions.bulk_*) notifies a person it assigns or reassigns actions to: each (one notification per action) or digest (one per person and call, listing the actions in action_ids)';
COMMENT ON COLUMN actions.workspace.due_soon_window IS 'How long before its due date an assignee gets the due_soon notification';
COMMENT ON COLUMN actions.workspace.created_at IS 'When the workspace was created';
COMMENT ON COLUMN actions.workspace.show_emails IS 'Whether members read each other''s e-mail addresses in actions.member_person (otherwise only display names)';

CREATE TABLE actions.person (
    person_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email        text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 320),
    display_name text NOT NULL CHECK (btrim(display_name) <> '' AND length(display_name) <= 200),
    login_role   name UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    external_id  text CHECK (btrim(external_id) <> '' AND length(external_id) <= 500)
);
CREATE UNIQUE INDEX person_email_key ON actions.person (lower(email));
CREATE UNIQUE INDEX person_external_id_key ON actions.person (external_id);
COMMENT ON TABLE actions.person IS 'One human across workspaces';
COMMENT ON COLUMN actions.person.person_id IS 'Identifier of the person';
COMMENT ON COLUMN actions.person.email IS 'E-mail address, unique regardless of case';
COMMENT ON COLUMN actions.person.display_name IS 'Name shown to other members';
COMMENT ON COLUMN actions.person.login_role IS 'PostgreSQL login role of this person: a session whose session_user is this role acts as this person';
COMMENT ON COLUMN actions.person.created_at IS 'When the person was added';
COMMENT ON COLUMN actions.person.external_id IS 'Identifier of the person at an identity provider (the sub claim of a JSON Web Token): an authenticator registered with claim => ''sub'' names the person of a request by it';

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
    created_at timestamptz NOT NULL DEFAULT now(),
    sees       text NOT NULL DEFAULT 'nothing' CHECK (sees IN ('nothing', 'all')),
    claim      text CHECK (claim IN ('role', 'email', 'sub')),
    CONSTRAINT trusted_service_authenticator_sees_nothing CHECK (claim IS NULL OR sees = 'nothing')
);
COMMENT ON TABLE actions.trusted_service IS 'Login roles of applications (pooled connections) allowed to act for a person with actions.act_as(), and authenticators (PostgREST, Supabase) whose requests name their person';
COMMENT ON COLUMN actions.trusted_service.role_name IS 'The application''s login role (matched against session_user and the roles it is a member of; an authenticator against session_user itself)';
COMMENT ON COLUMN actions.trusted_service.note IS 'Why this service is trusted';
COMMENT ON COLUMN actions.trusted_service.created_at IS 'When it was registered';
COMMENT ON CONSTRAINT trusted_service_authenticator_sees_nothing ON actions.trusted_service IS 'A request that names nobody (an anonymous one) sees nothing';
COMMENT ON COLUMN actions.trusted_service.sees IS 'What the service reads in the tables while it acts for nobody: nothing (the default) or all rows; while it acts for a person, exactly what that person sees';
COMMENT ON COLUMN actions.trusted_service.claim IS 'NULL for an application; for an authenticator, what names the person of a request (a session of this login role with a role set): role (person.login_role = the role set), email or sub (a claim of request.jwt.claims, matched against person.email or person.external_id)';

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
-- pg_actions install script, part 08: action types. The system types (core/action_type.hpp) are
-- seeded into every workspace and never change; a workspace adds, renames and retires its own
-- (actions.create_action_type() and the functions next to it, src/sql/48_templates.sql). An
-- action keeps the type's key (actions.action.type, a foreign key), so a retired type stays on
-- its actions and in list filters while new actions are refused it (checked by the core).

CREATE TABLE actions.action_type (
    workspace_id bigint NOT NULL REFERENCES actions.workspace ON DELETE CASCADE,
    type_key     text NOT NULL CHECK (type_key ~ '^[a-z][a-z0-9_]{0,62}$'),
    label        text NOT NULL CHECK (btrim(label) <> '' AND length(label) <= 100),
    is_system    boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    retired_at   timestamptz,
    PRIMARY KEY (workspace_id, type_key),
    CHECK (NOT (is_system AND retired_at IS NOT NULL))
);
COMMENT ON TABLE actions.action_type IS 'Action types of a workspace: the system types (task, approval, review, acknowledgement, request, acceptance) are seeded, custom types are added with actions.create_action_type(), renamed and retired; members read them';
COMMENT ON COLUMN actions.action_type.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.action_type.type_key IS 'Stable key of the type, a lowercase identifier, stored in actions.action.type';
COMMENT ON COLUMN actions.action_type.label IS 'What lists show for the type; a custom type''s label is changed with actions.rename_action_type()';
COMMENT ON COLUMN actions.action_type.is_system IS 'True for the system types, which are never renamed or retired';
COMMENT ON COLUMN actions.action_type.created_at IS 'When the type was added';
COMMENT ON COLUMN actions.action_type.retired_at IS 'When the type was retired (actions.retire_action_type()): it stays on its actions, new actions and templates cannot use it; NULL while in use';

-- SECURITY DEFINER for the same reason as actions.seed_system_roles().
CREATE FUNCTION actions.seed_action_types() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    -- A restore copies the workspace's types back with it.
    IF actions.restoring(TG_RELID) THEN
        RETURN NULL;
    END IF;
    INSERT INTO actions.action_type (workspace_id, type_key, label, is_system) VALUES
        (NEW.workspace_id, 'task', 'Task', true),
        (NEW.workspace_id, 'approval', 'Approval', true),
        (NEW.workspace_id, 'review', 'Review', true),
        (NEW.workspace_id, 'acknowledgement', 'Acknowledgement', true),
        (NEW.workspace_id, 'request', 'Request', true),
        (NEW.workspace_id, 'acceptance', 'Acceptance', true);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION actions.seed_action_types() IS
    'Trigger: gives every new workspace the system action types task, approval, review, acknowledgement, request and acceptance; nothing during a restore (actions.restoring()), which brings them back';
CREATE TRIGGER workspace_action_types AFTER INSERT ON actions.workspace
    FOR EACH ROW EXECUTE FUNCTION actions.seed_action_types();
-- pg_actions install script, part 10: actions, their evidence and notifications.

-- The vocabularies of statuses, priorities and the list's sorts, from the core (core/listing.hpp):
-- every statement that means "open" reads actions.list_vocabulary('open') or
-- ('open_not_overdue') instead of spelling the statuses (a constant to the planner: IMMUTABLE).
CREATE FUNCTION actions.list_vocabulary(name text) RETURNS text[]
    LANGUAGE c IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_list_vocabulary';
COMMENT ON FUNCTION actions.list_vocabulary(text) IS
    'The allowed values of a list filter or sort, from the core: status, priority, open (statuses of work still open), open_not_overdue (those a passed due date makes overdue), sort, direction; in rank order';

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
-- pg_actions install script, part 12: system-generated workflows (which are switched on per
-- workspace) and the pool of people an approval action is offered to.

CREATE TABLE actions.workflow_setting (
    workspace_id bigint NOT NULL REFERENCES actions.workspace ON DELETE CASCADE,
    workflow     text NOT NULL CHECK (workflow IN ('delegation_request', 'delegation_approval', 'delegation_acceptance',
                                                   'role_acknowledgement', 'document_approval', 'document_review')),
    enabled      boolean NOT NULL,
    due_days     integer CHECK (due_days BETWEEN 1 AND 3650),
    due_unit     text NOT NULL DEFAULT 'calendar_days' CHECK (due_unit IN ('calendar_days', 'working_days')),
    PRIMARY KEY (workspace_id, workflow)
);
COMMENT ON TABLE actions.workflow_setting IS 'System workflows a workspace switched on (a workflow without a row is off) and the days its actions are due in';
COMMENT ON COLUMN actions.workflow_setting.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.workflow_setting.workflow IS 'delegation_request, delegation_approval, delegation_acceptance, role_acknowledgement, document_approval or document_review';
COMMENT ON COLUMN actions.workflow_setting.enabled IS 'Whether the workflow creates its actions';
COMMENT ON COLUMN actions.workflow_setting.due_days IS 'Its actions are due this many days after creation; NULL: the default (acceptance: 7 days, others: no due date)';
COMMENT ON COLUMN actions.workflow_setting.due_unit IS 'Unit of due_days: calendar_days, or working_days of the workspace''s business calendar (Wed 10:00 + 1 working day = Thu 10:00)';

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
-- pg_actions install script, part 13: action templates. A template belongs to a workspace and has
-- versions; editing it adds a version (actions.update_template()), and an action made from it
-- (actions.create_action_from_template()) records the template and the version it came from, so
-- later edits never change it. The rules of a definition are the core's (core/template_rules.hpp).

CREATE TABLE actions.template (
    workspace_id    bigint NOT NULL REFERENCES actions.workspace ON DELETE CASCADE,
    template_id     bigint GENERATED ALWAYS AS IDENTITY,
    name            text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
    current_version integer NOT NULL DEFAULT 1 CHECK (current_version >= 1),
    created_at      timestamptz NOT NULL DEFAULT now(),
    created_by      bigint,
    retired_at      timestamptz,
    PRIMARY KEY (workspace_id, template_id),
    FOREIGN KEY (workspace_id, created_by) REFERENCES actions.member
);
-- API calls address a template by its id alone.
CREATE INDEX template_id_idx ON actions.template (template_id);
CREATE UNIQUE INDEX template_name_key ON actions.template (workspace_id, name) WHERE retired_at IS NULL;
COMMENT ON TABLE actions.template IS 'Action templates of a workspace (actions.create_template()); the definition is in actions.template_version, one row per version';
COMMENT ON COLUMN actions.template.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.template.template_id IS 'Identifier of the template (unique across workspaces)';
COMMENT ON COLUMN actions.template.name IS 'Name people pick the template by; unique among the workspace''s templates in use';
COMMENT ON COLUMN actions.template.current_version IS 'The version new actions are made from (actions.template_version.version)';
COMMENT ON COLUMN actions.template.created_at IS 'When the template was created';
COMMENT ON COLUMN actions.template.created_by IS 'Person who created it';
COMMENT ON COLUMN actions.template.retired_at IS 'When it was retired (actions.retire_template()): it makes no new actions; NULL while in use';

CREATE TABLE actions.template_version (
    workspace_id      bigint NOT NULL,
    template_id       bigint NOT NULL,
    version           integer NOT NULL CHECK (version >= 1),
    type              text NOT NULL,
    title             text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 500),
    description       text CHECK (length(description) <= 20000),
    due_in            integer CHECK (due_in >= 0),
    due_unit          text NOT NULL DEFAULT 'calendar_days' CHECK (due_unit IN ('calendar_days', 'working_days')),
    priority          text NOT NULL DEFAULT 'none' CHECK (priority IN ('none', 'low', 'medium', 'high')),
    group_ids         bigint[] NOT NULL DEFAULT '{}',
    assignee_rule     text NOT NULL DEFAULT 'none' CHECK (assignee_rule IN ('none', 'person', 'creator', 'record_party', 'pool')),
    assignee_id       bigint,
    assignee_capacity text CHECK (assignee_capacity IN ('owner', 'responsible')),
    created_at        timestamptz NOT NULL DEFAULT now(),
    created_by        bigint,
    PRIMARY KEY (workspace_id, template_id, version),
    FOREIGN KEY (workspace_id, template_id) REFERENCES actions.template ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, type) REFERENCES actions.action_type,
    FOREIGN KEY (workspace_id, assignee_id) REFERENCES actions.member,
    FOREIGN KEY (workspace_id, created_by) REFERENCES actions.member,
    CHECK ((assignee_rule = 'person') = (assignee_id IS NOT NULL)),
    CHECK ((assignee_rule = 'record_party') = (assignee_capacity IS NOT NULL))
);
COMMENT ON TABLE actions.template_version IS 'The versions of a template: each edit adds one, the actions made from a version keep it';
COMMENT ON COLUMN actions.template_version.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.template_version.template_id IS 'Template';
COMMENT ON COLUMN actions.template_version.version IS '1 for the first definition, one more for each edit';
COMMENT ON COLUMN actions.template_version.type IS 'Type of the actions made from it (actions.action_type)';
COMMENT ON COLUMN actions.template_version.title IS 'Title, with placeholders filled at creation: {workspace}, {record_title}, {record_kind}, {due_date}, {creator}, {created_on}; {{ is a literal {';
COMMENT ON COLUMN actions.template_version.description IS 'Description, with the same placeholders, or NULL';
COMMENT ON COLUMN actions.template_version.due_in IS 'Due rule: the action is due at the end of the day due_in units after the day it is created (0: the same day), in the workspace time zone; NULL: no due date';
COMMENT ON COLUMN actions.template_version.due_unit IS 'Unit of due_in: calendar_days, or working_days (of the workspace''s business calendar; 0: the day of creation)';
COMMENT ON COLUMN actions.template_version.priority IS 'none, low, medium or high';
COMMENT ON COLUMN actions.template_version.group_ids IS 'Groups of the actions made from it; empty: the linked record''s groups, as for actions.create_action()';
COMMENT ON COLUMN actions.template_version.assignee_rule IS 'Who a new action goes to when the call names nobody: none, person (assignee_id), creator (the person creating it), record_party (the person holding assignee_capacity on the linked record) or pool (nobody yet: it is offered to pool_people, pool_groups and pool_roles, actions.set_template_pool())';
COMMENT ON COLUMN actions.template_version.assignee_id IS 'The person of the rule person';
COMMENT ON COLUMN actions.template_version.assignee_capacity IS 'The capacity of the rule record_party: owner or responsible';
COMMENT ON COLUMN actions.template_version.created_at IS 'When this version was made';
COMMENT ON COLUMN actions.template_version.created_by IS 'Person who made it';

ALTER TABLE actions.action ADD CONSTRAINT action_template_fkey
    FOREIGN KEY (workspace_id, template_id, template_version) REFERENCES actions.template_version;
-- pg_actions install script, part 14: pools with claim, and delegation with return. An action may
-- be offered to candidates (actions.action_offer: people, groups with every group below them, and
-- holders of roles); one of them claims it and becomes its assignee (claimed), and may release it
-- back to the pool. The assignee may delegate an action to another active member: the delegate
-- works on it and resolves it, and it returns to the assignee who delegated it (delegated_by),
-- who completes it or delegates it again (the pending / resolved delegation of Flowable and Camunda).
-- The functions are in part 46; the rules in src/core/pool.hpp.

ALTER TABLE actions.action
    ADD COLUMN offered      boolean NOT NULL DEFAULT false,
    ADD COLUMN claimed      boolean NOT NULL DEFAULT false,
    ADD COLUMN delegated_by bigint,
    ADD COLUMN delegation   text CHECK (delegation IN ('pending', 'resolved')),
    ADD CONSTRAINT action_claimed_check CHECK (NOT claimed OR assignee_id IS NOT NULL),
    ADD CONSTRAINT action_delegation_state_check CHECK ((delegation IS NULL) = (delegated_by IS NULL)),
    ADD FOREIGN KEY (workspace_id, delegated_by) REFERENCES actions.member;
COMMENT ON COLUMN actions.action.offered IS 'Whether the action is offered to a pool (it has actions.action_offer rows); kept by actions.offer()';
COMMENT ON COLUMN actions.action.claimed IS 'Whether the assignee claimed the action from its pool (actions.claim()); any other change of assignee clears it';
COMMENT ON COLUMN actions.action.delegated_by IS 'The assignee who delegated the action (actions.delegate()) and to whom it returns when the delegate resolves it';
COMMENT ON COLUMN actions.action.delegation IS 'pending (the delegate works on it, and cannot complete it) or resolved (it returned to delegated_by); NULL: never delegated, or reassigned since';

CREATE TABLE actions.action_offer (
    workspace_id bigint NOT NULL,
    action_id    bigint NOT NULL,
    offer_id     bigint GENERATED ALWAYS AS IDENTITY,
    person_id    bigint,
    group_id     bigint,
    role_id      bigint,
    offered_by   bigint,
    offered_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, action_id, offer_id),
    UNIQUE NULLS NOT DISTINCT (workspace_id, action_id, person_id, group_id, role_id),
    CONSTRAINT action_offer_one_candidate_check CHECK (num_nonnulls(person_id, group_id, role_id) = 1),
    FOREIGN KEY (workspace_id, action_id) REFERENCES actions.action ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, person_id) REFERENCES actions.member ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, group_id) REFERENCES actions.group,
    FOREIGN KEY (workspace_id, role_id) REFERENCES actions.role
);
-- Row-level security finds the actions offered to a person through these (actions.candidate_actions()).
CREATE INDEX action_offer_person_idx ON actions.action_offer (person_id) WHERE person_id IS NOT NULL;
CREATE INDEX action_offer_group_idx ON actions.action_offer (workspace_id, group_id) WHERE group_id IS NOT NULL;
CREATE INDEX action_offer_role_idx ON actions.action_offer (workspace_id, role_id) WHERE role_id IS NOT NULL;
COMMENT ON TABLE actions.action_offer IS 'The candidates an action is offered to (actions.offer()): each row a person, a group (its members and those of the groups below it) or a role (its holders); active members among them see the action and may claim it. Every row added or removed is logged in the action''s chain';
COMMENT ON COLUMN actions.action_offer.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.action_offer.action_id IS 'The offered action';
COMMENT ON COLUMN actions.action_offer.offer_id IS 'Identifier of the entry';
COMMENT ON COLUMN actions.action_offer.person_id IS 'A candidate person, or NULL';
COMMENT ON COLUMN actions.action_offer.group_id IS 'A candidate group (with the groups below it), or NULL';
COMMENT ON COLUMN actions.action_offer.role_id IS 'A candidate role (its holders), or NULL';
COMMENT ON COLUMN actions.action_offer.offered_by IS 'Person who made the offer';
COMMENT ON COLUMN actions.action_offer.offered_at IS 'When the entry was added';

-- A template may name a pool (its assignee rule pool): an action made from it is offered to these
-- candidates (actions.set_template_pool(); core/template_rules.hpp).
ALTER TABLE actions.template_version
    ADD COLUMN pool_people bigint[] NOT NULL DEFAULT '{}',
    ADD COLUMN pool_groups bigint[] NOT NULL DEFAULT '{}',
    ADD COLUMN pool_roles  text[] NOT NULL DEFAULT '{}',
    ADD CONSTRAINT template_version_pool_check
        CHECK ((assignee_rule = 'pool') = (cardinality(pool_people) + cardinality(pool_groups) + cardinality(pool_roles) > 0));
COMMENT ON COLUMN actions.template_version.pool_people IS 'Assignee rule pool: people an action made from this version is offered to';
COMMENT ON COLUMN actions.template_version.pool_groups IS 'Assignee rule pool: groups (with the groups below them) it is offered to';
COMMENT ON COLUMN actions.template_version.pool_roles IS 'Assignee rule pool: names of roles whose holders it is offered to (looked up when the action is made)';
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
-- pg_actions install script, part 22: the ledger above the per-action chains. A seal commits to
-- the chain heads of a workspace that changed since the previous seal (a Merkle tree over them)
-- and chains to that seal; a digest of the newest seal kept outside the database pins every entry
-- sealed so far, against anyone, a superuser included.

CREATE TABLE actions.ledger_seal (
    workspace_id bigint NOT NULL,
    seal_no      bigint NOT NULL,
    sealed_at    timestamptz NOT NULL,
    horizon      timestamptz NOT NULL,
    leaf_count   bigint NOT NULL,
    root         bytea NOT NULL,
    prev_hash    bytea NOT NULL,
    hash         bytea NOT NULL,
    PRIMARY KEY (workspace_id, seal_no)
);
COMMENT ON TABLE actions.ledger_seal IS 'Seals of the ledger, one chain per workspace, written by actions.seal_ledger(); UPDATE, DELETE and TRUNCATE fail for every role';
COMMENT ON COLUMN actions.ledger_seal.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.ledger_seal.seal_no IS 'Position in the workspace''s chain of seals: 1, 2, 3, ...';
COMMENT ON COLUMN actions.ledger_seal.sealed_at IS 'Transaction time of the seal';
COMMENT ON COLUMN actions.ledger_seal.horizon IS 'Every log entry dated before it is held by this seal or an earlier one (the oldest running transaction''s start, less a second; kept from the previous seal while a prepared transaction exists)';
COMMENT ON COLUMN actions.ledger_seal.leaf_count IS 'Number of chain heads the seal holds (its rows in actions.ledger_leaf)';
COMMENT ON COLUMN actions.ledger_seal.root IS 'Merkle root (RFC 6962) over the seal''s leaves in action_id order';
COMMENT ON COLUMN actions.ledger_seal.prev_hash IS 'hash of the previous seal (32 zero bytes for the first)';
COMMENT ON COLUMN actions.ledger_seal.hash IS 'SHA-256 of the seal''s fields and prev_hash: what actions.ledger_digest() hands out';

CREATE TABLE actions.ledger_leaf (
    workspace_id bigint NOT NULL,
    seal_no      bigint NOT NULL,
    action_id    bigint NOT NULL,
    seq          integer NOT NULL,
    hash         bytea NOT NULL,
    PRIMARY KEY (workspace_id, action_id, seq)
);
-- A seal's root is recomputed from its leaves in action_id order.
CREATE INDEX ledger_leaf_seal_idx ON actions.ledger_leaf (workspace_id, seal_no, action_id);
COMMENT ON TABLE actions.ledger_leaf IS 'The chain heads each seal holds: an action''s newest entry when the seal was made';
COMMENT ON COLUMN actions.ledger_leaf.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.ledger_leaf.seal_no IS 'Seal that holds the leaf';
COMMENT ON COLUMN actions.ledger_leaf.action_id IS 'Action whose chain it is';
COMMENT ON COLUMN actions.ledger_leaf.seq IS 'seq of the chain''s newest entry at the seal';
COMMENT ON COLUMN actions.ledger_leaf.hash IS 'hash of that entry';

-- Sealing finds the chains that changed since the previous seal by the time of their entries; a
-- BRIN index costs the writers next to nothing.
CREATE INDEX activity_at_idx ON actions.activity USING brin (at);

CREATE TRIGGER ledger_seal_immutable BEFORE UPDATE OR DELETE ON actions.ledger_seal
    FOR EACH ROW EXECUTE FUNCTION actions.refuse_log_change();
CREATE TRIGGER ledger_seal_no_truncate BEFORE TRUNCATE ON actions.ledger_seal
    FOR EACH STATEMENT EXECUTE FUNCTION actions.refuse_log_change();
CREATE TRIGGER ledger_leaf_immutable BEFORE UPDATE OR DELETE ON actions.ledger_leaf
    FOR EACH ROW EXECUTE FUNCTION actions.refuse_log_change();
CREATE TRIGGER ledger_leaf_no_truncate BEFORE TRUNCATE ON actions.ledger_leaf
    FOR EACH STATEMENT EXECUTE FUNCTION actions.refuse_log_change();
ALTER TABLE actions.ledger_seal ENABLE ALWAYS TRIGGER ledger_seal_immutable;
ALTER TABLE actions.ledger_seal ENABLE ALWAYS TRIGGER ledger_seal_no_truncate;
ALTER TABLE actions.ledger_leaf ENABLE ALWAYS TRIGGER ledger_leaf_immutable;
ALTER TABLE actions.ledger_leaf ENABLE ALWAYS TRIGGER ledger_leaf_no_truncate;

CREATE FUNCTION actions.seal_ledger(workspace_id bigint) RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_seal_ledger';
COMMENT ON FUNCTION actions.seal_ledger(bigint) IS
    'Seal the workspace''s ledger: commit to every chain head that changed since the newest seal (the first seal holds them all); returns the newest seal number. Needs READ COMMITTED; never blocks writers';

CREATE FUNCTION actions.seal_ledgers() RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_seal_ledgers';
COMMENT ON FUNCTION actions.seal_ledgers() IS
    'Maintenance: seal the ledger of every workspace that changed, each in its own subtransaction (one that fails unexpectedly is recorded in actions.maintenance_error and the others are sealed); returns how many new seals were made';

CREATE FUNCTION actions.ledger_digest(workspace_id bigint) RETURNS jsonb
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_ledger_digest';
COMMENT ON FUNCTION actions.ledger_digest(bigint) IS
    'Seal the workspace''s ledger, then return the digest of its newest seal ({workspace_id, seal, hash, root, sealed_at}) to keep outside the database';

CREATE FUNCTION actions.verify_ledger(workspace_id bigint, digests jsonb DEFAULT NULL)
    RETURNS TABLE (seal_no bigint, action_id bigint, seq integer, problem text)
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_verify_ledger';
COMMENT ON FUNCTION actions.verify_ledger(bigint, jsonb) IS
    'Check the workspace against digests kept outside (one object or an array from actions.ledger_digest()): the seals, every sealed entry, the hash chains and every action row against its log; returns every difference (the seals first, then each broken chain, then each row that differs from its log, one row per action), or no row';
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
    'Whether the acting person may do verb (view, assign, reassign, start, complete, uncomplete, cancel, edit, delete, offer, claim, release, delegate, resolve) to the action now; the same decision the API makes';

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
    'Recompute every hash chain of the workspace''s activity log and compare every action row with the state its log implies; returns the first broken link or difference, or no row when the log is intact';

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

-- SECURITY DEFINER: it asks actions.restoring(), which PUBLIC may not run, whoever inserts the
-- workspace; it writes only fixed rows for NEW.workspace_id.
CREATE FUNCTION actions.seed_system_roles() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    -- A restore copies the workspace's roles back with it.
    IF actions.restoring(TG_RELID) THEN
        RETURN NULL;
    END IF;
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
    'Trigger: gives every new workspace the system roles owner, manager, user, actions_access (non-billable, only its own assigned actions) and inquiry (reads, never assigns); nothing during a restore (actions.restoring()), which brings them back';
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
    -- Every argument is checked before the row is written (actions.workspace's CHECKs, the owner).
    IF name IS NULL THEN
        RAISE EXCEPTION 'name must not be null' USING ERRCODE = '22004', HINT = 'pass the workspace''s display name';
    END IF;
    IF pg_catalog.btrim(name) = '' THEN
        RAISE EXCEPTION 'name must not be blank' USING ERRCODE = '22023', HINT = 'pass the workspace''s display name';
    END IF;
    IF pg_catalog.length(name) > 200 THEN
        RAISE EXCEPTION 'name is too long' USING ERRCODE = '22023',
            DETAIL = pg_catalog.format('the name has %s characters; the limit is 200', pg_catalog.length(name)),
            HINT = 'shorten the name';
    END IF;
    IF time_zone IS NULL THEN
        RAISE EXCEPTION 'time_zone must not be null' USING ERRCODE = '22004',
            HINT = 'use an IANA name from pg_timezone_names, e.g. Europe/Berlin, or leave it out for UTC';
    END IF;
    IF pg_catalog.length(action_url_template) > 2000 THEN
        RAISE EXCEPTION 'action_url_template is too long' USING ERRCODE = '22023',
            DETAIL = pg_catalog.format('the template has %s characters; the limit is 2000', pg_catalog.length(action_url_template)),
            HINT = 'shorten the link; {workspace_id} and {action_id} are replaced';
    END IF;
    IF owner_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM actions.person p WHERE p.person_id = create_workspace.owner_id) THEN
        RAISE EXCEPTION 'owner_id: person % not found', owner_id
            USING ERRCODE = 'P0002', HINT = 'add the person first with actions.create_person(), or leave owner_id out';
    END IF;
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
    -- Every argument is checked before the row is written, by the rules of actions.person's CHECKs
    -- (assign_by_email checks the same in src/core/input.cpp).
    IF email IS NULL THEN
        RAISE EXCEPTION 'email must not be null' USING ERRCODE = '22004', HINT = 'pass an address such as ann@example.com';
    END IF;
    IF email !~ '^[^@\s]+@[^@\s]+$' THEN
        RAISE EXCEPTION 'invalid value for email: "%"', email USING ERRCODE = '22023',
            DETAIL = 'an e-mail address is one @ between a local part and a domain, with no spaces',
            HINT = 'pass an address such as ann@example.com';
    END IF;
    IF pg_catalog.length(email) > 320 THEN
        RAISE EXCEPTION 'email is too long' USING ERRCODE = '22023',
            DETAIL = pg_catalog.format('the email has %s characters; the limit is 320', pg_catalog.length(email)),
            HINT = 'pass an address such as ann@example.com';
    END IF;
    IF display_name IS NULL THEN
        RAISE EXCEPTION 'display_name must not be null' USING ERRCODE = '22004', HINT = 'pass display_name => ''Ann Example''';
    END IF;
    IF pg_catalog.btrim(display_name, E' \t\n\r\f\v') = '' THEN
        RAISE EXCEPTION 'display_name must not be blank' USING ERRCODE = '22023',
            DETAIL = 'a person''s display name is what other members see', HINT = 'pass display_name => ''Ann Example''';
    END IF;
    IF pg_catalog.length(display_name) > 200 THEN
        RAISE EXCEPTION 'display_name is too long' USING ERRCODE = '22023',
            DETAIL = pg_catalog.format('the display_name has %s characters; the limit is 200', pg_catalog.length(display_name)),
            HINT = 'shorten the display name';
    END IF;
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

CREATE FUNCTION actions.trust_service(role_name name, note text DEFAULT NULL, sees text DEFAULT 'nothing') RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF role_name IS NULL THEN
        RAISE EXCEPTION 'role_name must not be null' USING ERRCODE = '22004', HINT = 'pass the application''s login role';
    END IF;
    IF sees IS NULL OR sees NOT IN ('nothing', 'all') THEN
        RAISE EXCEPTION 'invalid value for sees: "%"', sees
            USING ERRCODE = '22023', HINT = 'sees is ''nothing'' (rows only while acting for a person) or ''all'' (every row while acting for nobody)';
    END IF;
    -- Registering a role as an application ends its registration as an authenticator.
    INSERT INTO actions.trusted_service (role_name, note, sees, claim)
    VALUES (trust_service.role_name, trust_service.note, trust_service.sees, NULL)
    ON CONFLICT ON CONSTRAINT trusted_service_pkey DO UPDATE SET note = EXCLUDED.note, sees = EXCLUDED.sees, claim = NULL;
END
$$;
COMMENT ON FUNCTION actions.trust_service(name, text, text) IS
    'Register an application''s login role as a trusted service that may call actions.act_as(); sees: what it reads while acting for nobody, ''nothing'' (the default) or ''all''';

CREATE FUNCTION actions.trust_authenticator(role_name name, claim text DEFAULT 'role', note text DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF role_name IS NULL THEN
        RAISE EXCEPTION 'role_name must not be null' USING ERRCODE = '22004', HINT = 'pass the login role PostgREST connects with';
    END IF;
    IF claim IS NULL OR claim NOT IN ('role', 'email', 'sub') THEN
        RAISE EXCEPTION 'invalid value for claim: "%"', claim
            USING ERRCODE = '22023', HINT = 'claim is ''role'' (the role the request sets), ''email'' or ''sub'' (a claim of request.jwt.claims)';
    END IF;
    INSERT INTO actions.trusted_service (role_name, note, sees, claim)
    VALUES (trust_authenticator.role_name, trust_authenticator.note, 'nothing', trust_authenticator.claim)
    ON CONFLICT ON CONSTRAINT trusted_service_pkey DO UPDATE SET note = EXCLUDED.note, sees = 'nothing', claim = EXCLUDED.claim;
END
$$;
COMMENT ON FUNCTION actions.trust_authenticator(name, text, text) IS
    'Register the login role of PostgREST or Supabase (the authenticator): in its sessions, while a role is set, the person is the one that role (claim => ''role'') or the e-mail or sub claim of request.jwt.claims names';

CREATE FUNCTION actions.untrust_service(role_name name) RETURNS boolean
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    WITH gone AS (DELETE FROM actions.trusted_service t WHERE t.role_name = untrust_service.role_name RETURNING 1)
    SELECT count(*) > 0 FROM gone
$$;
COMMENT ON FUNCTION actions.untrust_service(name) IS
    'Remove the registration of a trusted service or authenticator; returns whether there was one. Its sessions act for nobody from their next transaction on';

CREATE FUNCTION actions.set_external_id(person_id bigint, external_id text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF person_id IS NULL THEN
        RAISE EXCEPTION 'person_id must not be null' USING ERRCODE = '22004', HINT = 'pass the person whose subject to set';
    END IF;
    IF pg_catalog.btrim(external_id) = '' THEN
        RAISE EXCEPTION 'external_id must not be blank' USING ERRCODE = '22023',
            HINT = 'pass the identity provider''s subject (the sub claim), or NULL to clear it';
    END IF;
    IF pg_catalog.length(external_id) > 500 THEN
        RAISE EXCEPTION 'external_id is too long' USING ERRCODE = '22023',
            DETAIL = pg_catalog.format('the external_id has %s characters; the limit is 500', pg_catalog.length(external_id)),
            HINT = 'pass the identity provider''s subject (the sub claim) as it comes';
    END IF;
    IF external_id IS NOT NULL AND EXISTS (SELECT 1 FROM actions.person p
                                            WHERE p.external_id = set_external_id.external_id
                                              AND p.person_id <> set_external_id.person_id) THEN
        RAISE EXCEPTION 'external id "%" already belongs to another person', external_id
            USING ERRCODE = '23505', HINT = 'an identity provider''s subject names one person';
    END IF;
    UPDATE actions.person p SET external_id = set_external_id.external_id WHERE p.person_id = set_external_id.person_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'person % not found', person_id
            USING ERRCODE = 'P0002', HINT = 'add the person first with actions.create_person()';
    END IF;
END
$$;
COMMENT ON FUNCTION actions.set_external_id(bigint, text) IS
    'Set (or, with NULL, clear) the identity provider''s subject (the sub claim) that names this person in requests of an authenticator registered with claim => ''sub''';

CREATE FUNCTION actions.set_show_emails(workspace_id bigint, show boolean) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    UPDATE actions.workspace w SET show_emails = coalesce(set_show_emails.show, false)
     WHERE w.workspace_id = set_show_emails.workspace_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'workspace % not found', workspace_id USING ERRCODE = 'P0002', HINT = 'look the workspace up in actions.workspace';
    END IF;
END
$$;
COMMENT ON FUNCTION actions.set_show_emails(bigint, boolean) IS
    'Whether the members of a workspace read each other''s e-mail addresses in actions.member_person';

CREATE FUNCTION actions.mark_overdue() RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    ids        bigint[];
    workspaces bigint[];
    i          integer;
    n          bigint := 0;
    k          bigint;
    state      text;
    message    text;
    done       integer := 0;
    first_state   text;
    first_message text;
BEGIN
    -- One batch: at most pg_actions.sweep_batch_size actions, locked in ascending action_id (the
    -- order in which every sweep and bulk call locks actions, so they queue instead of
    -- deadlocking), before any is written. A row another transaction holds is waited for and read
    -- again: a concurrent sweep's marks are not marked twice. The partial index
    -- action_open_due_idx finds the rows.
    -- Inside actions.run_maintenance() (pg_actions.sweep_skip_locked), a row another transaction
    -- holds is skipped instead: the job holds its earlier tasks' locks, so it must not wait.
    IF coalesce(pg_catalog.current_setting('pg_actions.sweep_skip_locked', true), 'off') = 'on' THEN
        SELECT pg_catalog.array_agg(d.action_id ORDER BY d.action_id), pg_catalog.array_agg(d.workspace_id ORDER BY d.action_id)
          INTO ids, workspaces
          FROM (SELECT a.action_id, a.workspace_id FROM actions.action a
                 WHERE a.status = ANY (actions.list_vocabulary('open_not_overdue')) AND a.due_at IS NOT NULL AND a.due_at < now()
                 ORDER BY a.action_id
                 LIMIT coalesce(pg_catalog.current_setting('pg_actions.sweep_batch_size', true)::integer, 500)
                   FOR NO KEY UPDATE OF a SKIP LOCKED) d;
    ELSE
        SELECT pg_catalog.array_agg(d.action_id ORDER BY d.action_id), pg_catalog.array_agg(d.workspace_id ORDER BY d.action_id)
          INTO ids, workspaces
          FROM (SELECT a.action_id, a.workspace_id FROM actions.action a
                 WHERE a.status = ANY (actions.list_vocabulary('open_not_overdue')) AND a.due_at IS NOT NULL AND a.due_at < now()
                 ORDER BY a.action_id
                 LIMIT coalesce(pg_catalog.current_setting('pg_actions.sweep_batch_size', true)::integer, 500)
                   FOR NO KEY UPDATE OF a) d;
    END IF;
    IF ids IS NULL THEN
        RETURN 0;
    END IF;
    -- The guard trigger checks each move. All in one statement; when it fails, action by action,
    -- so an action whose move fails unexpectedly is recorded (actions.maintenance_error) and the
    -- others are marked.
    BEGIN
        UPDATE actions.action a SET status = 'overdue'
         WHERE a.action_id = ANY (ids) AND a.status = ANY (actions.list_vocabulary('open_not_overdue')) AND a.due_at < now();
        GET DIAGNOSTICS n = ROW_COUNT;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE;
        IF pg_catalog.left(state, 2) IN ('40', '53', '57') THEN
            RAISE;
        END IF;
        n := 0;
        FOR i IN 1 .. pg_catalog.array_length(ids, 1) LOOP
            BEGIN
                UPDATE actions.action a SET status = 'overdue'
                 WHERE a.workspace_id = workspaces[i] AND a.action_id = ids[i]
                   AND a.status = ANY (actions.list_vocabulary('open_not_overdue')) AND a.due_at < now();
                GET DIAGNOSTICS k = ROW_COUNT;
                n := n + k;
                done := done + 1;
            EXCEPTION WHEN OTHERS THEN
                GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
                IF pg_catalog.left(state, 2) IN ('40', '53', '57') THEN
                    RAISE;
                END IF;
                first_state := coalesce(first_state, state);
                first_message := coalesce(first_message, message);
                PERFORM actions.record_maintenance_error('mark_overdue', workspaces[i], 'action', ids[i], state, message);
            END;
        END LOOP;
        -- Every action of the batch failed: the task itself fails (actions.maintenance_run says
        -- so), rather than succeeding with nothing done.
        IF done = 0 THEN
            RAISE EXCEPTION '%', first_message
                USING ERRCODE = first_state,
                      DETAIL = pg_catalog.format('every item of the batch (%s) failed', pg_catalog.array_length(ids, 1)),
                      HINT = 'SELECT * FROM actions.maintenance_status shows every task''s last run';
        END IF;
    END;
    RETURN n;
END
$$;
COMMENT ON FUNCTION actions.mark_overdue() IS
    'Maintenance: mark the open actions whose due date has passed as overdue, at most pg_actions.sweep_batch_size per call (oldest action first; the rest wait for the next call); returns how many. An action that fails unexpectedly is recorded in actions.maintenance_error and the others are marked. Safe to run twice and concurrently';

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
SELECT pg_catalog.pg_extension_config_dump('actions.action_offer', '');
SELECT pg_catalog.pg_extension_config_dump('actions.evidence', '');
SELECT pg_catalog.pg_extension_config_dump('actions.notification', '');
SELECT pg_catalog.pg_extension_config_dump('actions.invitation', '');
SELECT pg_catalog.pg_extension_config_dump('actions.notification_setting', '');
SELECT pg_catalog.pg_extension_config_dump('actions.notification_opt_out', '');
SELECT pg_catalog.pg_extension_config_dump('actions.reminder', '');
SELECT pg_catalog.pg_extension_config_dump('actions.note', '');
SELECT pg_catalog.pg_extension_config_dump('actions.activity', '');
SELECT pg_catalog.pg_extension_config_dump('actions.activity_head', '');
SELECT pg_catalog.pg_extension_config_dump('actions.ledger_seal', '');
SELECT pg_catalog.pg_extension_config_dump('actions.ledger_leaf', '');
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
SELECT pg_catalog.pg_extension_config_dump('actions.action_offer_offer_id_seq', '');
-- Bulk operations (src/pg/api/bulk.cpp): each takes an array of action ids and returns one row per
-- element, in the array's order. Every row runs the single function's own code (the same rules,
-- locks, log entries and notifications) inside a subtransaction, so a refused row changes nothing
-- and never aborts the others. At most pg_actions.bulk_max_ids ids per call (54000 beyond).

CREATE FUNCTION actions.bulk_reassign(action_ids bigint[], assignee_id bigint)
    RETURNS TABLE (action_id bigint, ok boolean, sqlstate text, message text, new_id bigint)
    LANGUAGE c VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_bulk_reassign';
COMMENT ON FUNCTION actions.bulk_reassign(bigint[], bigint) IS
    'actions.reassign() for each id (one row per id: ok, or the SQLSTATE and message reassign would raise); a refused row changes nothing and does not stop the others';

CREATE FUNCTION actions.bulk_set_status(action_ids bigint[], verb text, reason text DEFAULT NULL)
    RETURNS TABLE (action_id bigint, ok boolean, sqlstate text, message text, new_id bigint)
    LANGUAGE c VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_bulk_set_status';
COMMENT ON FUNCTION actions.bulk_set_status(bigint[], text, text) IS
    'actions.start(), complete(), uncomplete() or cancel(reason) for each id, by verb; one row per id; a refused row changes nothing and does not stop the others';

CREATE FUNCTION actions.bulk_update(action_ids bigint[], due_at timestamptz DEFAULT NULL,
                                    shift_due interval DEFAULT NULL, priority text DEFAULT NULL,
                                    group_ids bigint[] DEFAULT NULL, clear_due boolean DEFAULT false)
    RETURNS TABLE (action_id bigint, ok boolean, sqlstate text, message text, new_id bigint)
    LANGUAGE c VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_bulk_update';
COMMENT ON FUNCTION actions.bulk_update(bigint[], timestamptz, interval, text, bigint[], boolean) IS
    'For each id: set or clear the due date or shift it by an interval, set the priority (as update_action()), replace the groups (as set_action_groups()); one row per id';

CREATE FUNCTION actions.bulk_duplicate(action_ids bigint[], assignee_id bigint DEFAULT NULL,
                                       shift_due interval DEFAULT NULL)
    RETURNS TABLE (action_id bigint, ok boolean, sqlstate text, message text, new_id bigint)
    LANGUAGE c VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_bulk_duplicate';
COMMENT ON FUNCTION actions.bulk_duplicate(bigint[], bigint, interval) IS
    'For each id the acting person may see: a new action created by create_action() (owned by the caller) with its title, description, type, priority, record and groups, assigned to assignee_id or the same assignee, due date shifted by shift_due; new_id is the copy';

CREATE FUNCTION actions.bulk_delete(action_ids bigint[])
    RETURNS TABLE (action_id bigint, ok boolean, sqlstate text, message text, new_id bigint)
    LANGUAGE c VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_bulk_delete';
COMMENT ON FUNCTION actions.bulk_delete(bigint[]) IS
    'actions.delete_action() for each id; one row per id; a refused row changes nothing and does not stop the others';

-- Public like the single functions: each row is decided for the acting person.
REVOKE ALL ON FUNCTION actions.bulk_reassign(bigint[], bigint), actions.bulk_set_status(bigint[], text, text),
    actions.bulk_update(bigint[], timestamptz, interval, text, bigint[], boolean),
    actions.bulk_duplicate(bigint[], bigint, interval), actions.bulk_delete(bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION actions.bulk_reassign(bigint[], bigint), actions.bulk_set_status(bigint[], text, text),
    actions.bulk_update(bigint[], timestamptz, interval, text, bigint[], boolean),
    actions.bulk_duplicate(bigint[], bigint, interval), actions.bulk_delete(bigint[]) TO PUBLIC;
-- pg_actions install script, part 42: out-of-office. A member declares an absence (from, to,
-- substitute); while it lasts, new assignments to them go to the substitute (or, as the
-- workspace's absence_routing chooses, stay and notify the substitute), and the substitute may act
-- on the actions assigned to them, each act logged with acting_for. Whether the substitute may act
-- is decided when they act (src/pg/authz/facts.cpp, core/absence.hpp), never by a background job.
-- Row-level security (45_visibility.sql): a member reads their own absences, those they
-- substitute in, and, with view_actions for the workspace, all of the workspace's.

CREATE TABLE actions.absence (
    workspace_id  bigint NOT NULL,
    absence_id    bigint GENERATED ALWAYS AS IDENTITY,
    person_id     bigint NOT NULL,
    substitute_id bigint NOT NULL,
    starts_at     timestamptz NOT NULL,
    ends_at       timestamptz NOT NULL,
    note          text CHECK (length(note) <= 2000),
    created_by    bigint,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, absence_id),
    FOREIGN KEY (workspace_id, person_id) REFERENCES actions.member ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, substitute_id) REFERENCES actions.member ON DELETE CASCADE,
    CONSTRAINT absence_period CHECK (ends_at > starts_at),
    CONSTRAINT absence_other_substitute CHECK (substitute_id <> person_id)
);
CREATE UNIQUE INDEX absence_id_idx ON actions.absence (absence_id);
CREATE INDEX absence_person_idx ON actions.absence (workspace_id, person_id, starts_at);
CREATE INDEX absence_substitute_idx ON actions.absence (substitute_id, ends_at);
COMMENT ON TABLE actions.absence IS
    'Out-of-office: a member is absent from starts_at to ends_at and substitute_id stands in for them. Written by actions.declare_absence() and actions.end_absence(); at most one absence of a member at any time';
COMMENT ON COLUMN actions.absence.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.absence.absence_id IS 'Identifier of the absence';
COMMENT ON COLUMN actions.absence.person_id IS 'The absent member';
COMMENT ON COLUMN actions.absence.substitute_id IS 'The member who stands in: gets (or is told of) new assignments, may act on the absent member''s actions while the absence lasts and is an active member';
COMMENT ON COLUMN actions.absence.starts_at IS 'When the absence begins';
COMMENT ON COLUMN actions.absence.ends_at IS 'When it ends (exclusive); actions.end_absence() moves it to now';
COMMENT ON COLUMN actions.absence.note IS 'Free text, such as the reason or how to reach someone';
COMMENT ON COLUMN actions.absence.created_by IS 'Person who declared it (the absent member, or a manager)';
COMMENT ON COLUMN actions.absence.created_at IS 'When it was declared';

CREATE FUNCTION actions.declare_absence(workspace_id bigint, starts_at timestamptz, ends_at timestamptz,
                                        substitute_id bigint, person_id bigint DEFAULT NULL, note text DEFAULT NULL)
    RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_declare_absence';
COMMENT ON FUNCTION actions.declare_absence(bigint, timestamptz, timestamptz, bigint, bigint, text) IS
    'Declare that person_id (default: the acting person; another member needs manage_workspace) is absent from starts_at to ends_at, with substitute_id standing in. Refused (22023) when it ends before it starts or is over, the substitute is the person or not an active member, or it overlaps another absence of the person; returns the absence id';

CREATE FUNCTION actions.end_absence(absence_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_end_absence';
COMMENT ON FUNCTION actions.end_absence(bigint) IS
    'End an absence now (the absent member, or manage_workspace): an absence under way ends now, one not yet begun is removed, one already over is refused (55000). The substitute''s standing stops at once';

CREATE FUNCTION actions.set_absence_routing(workspace_id bigint, routing text) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_set_absence_routing';
COMMENT ON FUNCTION actions.set_absence_routing(bigint, text) IS
    'Where new assignments to an absent member go in the workspace (needs manage_workspace): substitute, or both (the absent member keeps them and the substitute is notified)';

REVOKE ALL ON FUNCTION actions.declare_absence(bigint, timestamptz, timestamptz, bigint, bigint, text),
    actions.end_absence(bigint), actions.set_absence_routing(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION actions.declare_absence(bigint, timestamptz, timestamptz, bigint, bigint, text),
    actions.end_absence(bigint), actions.set_absence_routing(bigint, text) TO PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('actions.absence', '');
SELECT pg_catalog.pg_extension_config_dump('actions.absence_absence_id_seq', '');
-- pg_actions install script, part 43: escalation of overdue actions. A workspace's rules say
-- "after N days overdue, notify the owner, or the holders of a role, or reassign to a person, or
-- to a pool (a role or a group: the action is unassigned and offered to it, 46_pool.sql)";
-- the maintenance task actions.escalate_overdue() (run by actions.run_maintenance()) fires each
-- rule once per action and due date, also when two sweeps run at once (the primary key of
-- actions.escalation_fired decides), and logs each firing in the action's activity log.

CREATE TABLE actions.escalation_rule (
    workspace_id bigint NOT NULL REFERENCES actions.workspace ON DELETE CASCADE,
    rule_id      bigint GENERATED ALWAYS AS IDENTITY,
    after_days   integer NOT NULL CHECK (after_days BETWEEN 0 AND 3650),
    escalate     text NOT NULL CHECK (escalate IN ('notify_owner', 'notify_role', 'reassign', 'reassign_pool')),
    role_name    text,
    person_id    bigint,
    group_id     bigint,
    created_by   bigint,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, rule_id),
    FOREIGN KEY (workspace_id, person_id) REFERENCES actions.member ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, group_id) REFERENCES actions."group" ON DELETE CASCADE,
    CONSTRAINT escalation_rule_pool CHECK (CASE escalate
        WHEN 'notify_role' THEN role_name IS NOT NULL AND group_id IS NULL
        WHEN 'reassign_pool' THEN num_nonnulls(role_name, group_id) = 1
        ELSE role_name IS NULL AND group_id IS NULL END),
    CONSTRAINT escalation_rule_person CHECK ((escalate = 'reassign') = (person_id IS NOT NULL))
);
CREATE UNIQUE INDEX escalation_rule_id_idx ON actions.escalation_rule (rule_id);
COMMENT ON TABLE actions.escalation_rule IS
    'Escalation rules of a workspace: after_days after an open action''s due date, notify its owner or the active holders of a role, or reassign it to a person or to a pool (a role or a group). Written by actions.create_escalation_rule() and actions.delete_escalation_rule()';
COMMENT ON COLUMN actions.escalation_rule.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.escalation_rule.rule_id IS 'Identifier of the rule';
COMMENT ON COLUMN actions.escalation_rule.after_days IS 'Days (of 24 hours) after the due date an open action is escalated; 0: as soon as it is overdue';
COMMENT ON COLUMN actions.escalation_rule.escalate IS 'notify_owner, notify_role (role_name), reassign (person_id) or reassign_pool (role_name or group_id)';
COMMENT ON COLUMN actions.escalation_rule.role_name IS 'notify_role: the role whose active holders are notified; reassign_pool: the role whose holders are the pool (looked up when the rule fires)';
COMMENT ON COLUMN actions.escalation_rule.person_id IS 'reassign: the member the action is reassigned to (absence routing applies)';
COMMENT ON COLUMN actions.escalation_rule.group_id IS 'reassign_pool: the group whose members (and those of the groups below it) are the pool; deleting the group deletes the rule';
COMMENT ON COLUMN actions.escalation_rule.created_by IS 'Person who created the rule';
COMMENT ON COLUMN actions.escalation_rule.created_at IS 'When it was created';

CREATE TABLE actions.escalation_fired (
    workspace_id bigint NOT NULL,
    rule_id      bigint NOT NULL,
    action_id    bigint NOT NULL,
    due_at       timestamptz NOT NULL,
    fired_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, rule_id, action_id, due_at),
    FOREIGN KEY (workspace_id, rule_id) REFERENCES actions.escalation_rule ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, action_id) REFERENCES actions.action ON DELETE CASCADE
);
CREATE INDEX escalation_fired_action_idx ON actions.escalation_fired (workspace_id, action_id);
COMMENT ON TABLE actions.escalation_fired IS
    'Each rule fires once per action and due date: a row here says it has; moving the due date lets it fire again';
COMMENT ON COLUMN actions.escalation_fired.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.escalation_fired.rule_id IS 'The rule that fired';
COMMENT ON COLUMN actions.escalation_fired.action_id IS 'The overdue action';
COMMENT ON COLUMN actions.escalation_fired.due_at IS 'The due date it was overdue from';
COMMENT ON COLUMN actions.escalation_fired.fired_at IS 'When it fired';

CREATE FUNCTION actions.create_escalation_rule(workspace_id bigint, after_days integer, escalate text,
                                               role_name text DEFAULT NULL, person_id bigint DEFAULT NULL,
                                               group_id bigint DEFAULT NULL)
    RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_create_escalation_rule';
COMMENT ON FUNCTION actions.create_escalation_rule(bigint, integer, text, text, bigint, bigint) IS
    'Add an escalation rule to the workspace (needs manage_workspace): after_days after an open action''s due date, notify_owner, notify_role (role_name), reassign (person_id, an active member) or reassign_pool (role_name or group_id: the action is unassigned and offered to that pool); returns the rule id';

CREATE FUNCTION actions.delete_escalation_rule(rule_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_delete_escalation_rule';
COMMENT ON FUNCTION actions.delete_escalation_rule(bigint) IS
    'Remove an escalation rule (needs manage_workspace); the log keeps its firings';

CREATE FUNCTION actions.escalate_overdue() RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_escalate_overdue';
COMMENT ON FUNCTION actions.escalate_overdue() IS
    'Maintenance: fire the escalation rules due for open actions (after_days past the due date), at most pg_actions.sweep_batch_size per call (oldest action first; the rest wait for the next call), once per rule, action and due date, logging an escalated entry; a firing that fails unexpectedly is recorded in actions.maintenance_error and the others go on. Returns how many fired. Safe to run twice and concurrently';

REVOKE ALL ON FUNCTION actions.create_escalation_rule(bigint, integer, text, text, bigint, bigint),
    actions.delete_escalation_rule(bigint), actions.escalate_overdue() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION actions.create_escalation_rule(bigint, integer, text, text, bigint, bigint),
    actions.delete_escalation_rule(bigint) TO PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('actions.escalation_rule', '');
SELECT pg_catalog.pg_extension_config_dump('actions.escalation_fired', '');
SELECT pg_catalog.pg_extension_config_dump('actions.escalation_rule_rule_id_seq', '');
-- pg_actions install script, part 45: row-level security. A person's login role reading the
-- tables directly sees what the API shows them: every action of a workspace where their role
-- grants view_actions, and elsewhere the actions they own or are assigned, with those actions'
-- log entries, evidence and notes; and only their own notifications. People write through the API.
-- A registered trusted service (an application's own role, given table privileges by a DBA) sees
-- what the person it acts for (act_as) sees; acting for nobody, every row if registered with
-- sees => 'all', else nothing. It writes directly the rows it sees; its changes are checked and
-- logged by the triggers like any other. A request of an authenticator (PostgREST) is its person.
-- Members also read the people (actions.member_person), memberships, roles, groups and records of
-- their workspaces, so an application or a BI tool can join them.
-- Each function is evaluated once per query (InitPlans), so every predicate is an index condition.

CREATE FUNCTION actions.is_trusted_service() RETURNS boolean
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_is_trusted_service';
COMMENT ON FUNCTION actions.is_trusted_service() IS
    'Whether this session has the standing of a registered trusted service (actions.trust_service()): it may act_as and, with privileges, write the rows it sees directly. A request of an authenticator has not';

CREATE FUNCTION actions.service_sees_all() RETURNS boolean
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_service_sees_all';
COMMENT ON FUNCTION actions.service_sees_all() IS
    'Whether this session is a trusted service registered with sees => ''all'' that acts for nobody now: it then reads every row';

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
    'Actions offered to the acting person: approvals as one of a pool of eligible approvers (actions.action_candidate), and actions whose pool (actions.action_offer) names them, one of their groups or a group above it, or their role';

CREATE FUNCTION actions.member_workspaces() RETURNS bigint[]
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_member_workspaces';
COMMENT ON FUNCTION actions.member_workspaces() IS
    'Workspaces the acting person is an active member of (an invited member sees nothing until accepting)';

CREATE FUNCTION actions.substituted_members() RETURNS TABLE (workspace_id bigint, person_id bigint)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    -- The substitute's standing as the API decides it (pg/authz/facts.cpp): an absence under way
    -- now, in a workspace where the acting person is an active member.
    SELECT b.workspace_id, b.person_id FROM actions.absence b
     WHERE b.substitute_id = actions.current_actor() AND b.ends_at > now() AND b.starts_at <= now()
       AND b.workspace_id = ANY (actions.member_workspaces())
$$;
COMMENT ON FUNCTION actions.substituted_members() IS
    'The absent members (workspace, person) the acting person stands in for now: they see and act on the actions assigned to them';

ALTER TABLE actions.action ENABLE ROW LEVEL SECURITY;
CREATE POLICY action_visible ON actions.action FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.visible_workspaces())::bigint[])
    OR group_ids && (SELECT actions.visible_groups())
    OR record_id = ANY ((SELECT actions.party_records())::bigint[])
    OR action_id = ANY ((SELECT actions.candidate_actions())::bigint[])
    OR (workspace_id, assignee_id) IN (SELECT s.workspace_id, s.person_id FROM actions.substituted_members() s)
    OR (workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[])
        AND (assignee_id = (SELECT actions.current_actor()) OR owner_id = (SELECT actions.current_actor())
             OR delegated_by = (SELECT actions.current_actor()))));
COMMENT ON POLICY action_visible ON actions.action IS
    'The actions the API shows the acting person: all of a workspace with view_actions, those of their groups (and below) with view_actions:groups, those of records they take part in, approvals and actions offered to them (as one of the candidates), those assigned to an absent member they substitute now, otherwise their own, assigned or delegated ones';

ALTER TABLE actions.activity ENABLE ROW LEVEL SECURITY;
CREATE POLICY activity_visible ON actions.activity FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.visible_workspaces())::bigint[])
    OR (workspace_id, action_id) IN (SELECT a.workspace_id, a.action_id FROM actions.action a));
COMMENT ON POLICY activity_visible ON actions.activity IS
    'Log entries of the actions the person sees (and, with view_actions, of the workspace''s deleted actions)';

ALTER TABLE actions.evidence ENABLE ROW LEVEL SECURITY;
CREATE POLICY evidence_visible ON actions.evidence FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR (workspace_id, action_id) IN (SELECT a.workspace_id, a.action_id FROM actions.action a));
COMMENT ON POLICY evidence_visible ON actions.evidence IS 'Evidence of the actions the person sees';

ALTER TABLE actions.note ENABLE ROW LEVEL SECURITY;
CREATE POLICY note_visible ON actions.note FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR (workspace_id, action_id) IN (SELECT a.workspace_id, a.action_id FROM actions.action a));
COMMENT ON POLICY note_visible ON actions.note IS 'Notes of the actions the person sees';

ALTER TABLE actions.notification ENABLE ROW LEVEL SECURITY;
CREATE POLICY notification_own ON actions.notification FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR person_id = (SELECT actions.current_actor()));
COMMENT ON POLICY notification_own ON actions.notification IS 'A person reads only their own notifications';

ALTER TABLE actions.group ENABLE ROW LEVEL SECURITY;
CREATE POLICY group_visible ON actions.group FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY group_visible ON actions.group IS 'Members see the group tree of their workspaces';

ALTER TABLE actions.group_member ENABLE ROW LEVEL SECURITY;
CREATE POLICY group_member_visible ON actions.group_member FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY group_member_visible ON actions.group_member IS 'Members see who belongs to which group in their workspaces';

-- Direct writes by a trusted service that a DBA granted the privilege: INSERT, and UPDATE and
-- DELETE of the rows it sees (the same test as action_visible, which a policy cannot name).
CREATE POLICY action_service_insert ON actions.action FOR INSERT
    WITH CHECK ((SELECT actions.is_trusted_service()));
COMMENT ON POLICY action_service_insert ON actions.action IS 'Trusted services insert actions directly; the triggers check and log every change';
CREATE POLICY action_service_update ON actions.action FOR UPDATE
    USING ((SELECT actions.is_trusted_service()) AND (
        (SELECT actions.service_sees_all())
        OR workspace_id = ANY ((SELECT actions.visible_workspaces())::bigint[])
        OR group_ids && (SELECT actions.visible_groups())
        OR record_id = ANY ((SELECT actions.party_records())::bigint[])
        OR action_id = ANY ((SELECT actions.candidate_actions())::bigint[])
        OR (workspace_id, assignee_id) IN (SELECT s.workspace_id, s.person_id FROM actions.substituted_members() s)
        OR (workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[])
            AND (assignee_id = (SELECT actions.current_actor()) OR owner_id = (SELECT actions.current_actor())
             OR delegated_by = (SELECT actions.current_actor())))))
    WITH CHECK ((SELECT actions.is_trusted_service()));
COMMENT ON POLICY action_service_update ON actions.action IS 'Trusted services update the actions they see directly; the triggers check and log every change';
CREATE POLICY action_service_delete ON actions.action FOR DELETE
    USING ((SELECT actions.is_trusted_service()) AND (
        (SELECT actions.service_sees_all())
        OR workspace_id = ANY ((SELECT actions.visible_workspaces())::bigint[])
        OR group_ids && (SELECT actions.visible_groups())
        OR record_id = ANY ((SELECT actions.party_records())::bigint[])
        OR action_id = ANY ((SELECT actions.candidate_actions())::bigint[])
        OR (workspace_id, assignee_id) IN (SELECT s.workspace_id, s.person_id FROM actions.substituted_members() s)
        OR (workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[])
            AND (assignee_id = (SELECT actions.current_actor()) OR owner_id = (SELECT actions.current_actor())
             OR delegated_by = (SELECT actions.current_actor())))));
COMMENT ON POLICY action_service_delete ON actions.action IS 'Trusted services delete the actions they see directly; the trigger logs every deletion';
CREATE POLICY note_service_insert ON actions.note FOR INSERT
    WITH CHECK ((SELECT actions.is_trusted_service()));
COMMENT ON POLICY note_service_insert ON actions.note IS 'Trusted services insert notes directly; the trigger logs every change';
CREATE POLICY note_service_update ON actions.note FOR UPDATE
    USING ((SELECT actions.is_trusted_service()) AND (
        (SELECT actions.service_sees_all())
        OR (workspace_id, action_id) IN (SELECT a.workspace_id, a.action_id FROM actions.action a)))
    WITH CHECK ((SELECT actions.is_trusted_service()));
COMMENT ON POLICY note_service_update ON actions.note IS 'Trusted services update the notes they see directly; the trigger logs every change';
CREATE POLICY note_service_delete ON actions.note FOR DELETE
    USING ((SELECT actions.is_trusted_service()) AND (
        (SELECT actions.service_sees_all())
        OR (workspace_id, action_id) IN (SELECT a.workspace_id, a.action_id FROM actions.action a)));
COMMENT ON POLICY note_service_delete ON actions.note IS 'Trusted services delete the notes they see directly; the trigger logs every deletion';
-- A direct write by a role row-level security binds (a trusted service a DBA granted the privilege)
-- is decided for the person it acts for exactly as the API decides the matching call (can(),
-- create_action, update_action, delete_action, add_note, ...); acting for nobody it is refused.
-- SECURITY INVOKER, so that they tell the API's writes (run as the extension owner, not bound by
-- row-level security) from the service's own; they run no SQL, like can(). action_service_write
-- fires after action_guard (triggers fire in the order of their names) and sees the settled row.
CREATE FUNCTION actions.action_service_write() RETURNS trigger
    LANGUAGE c SET search_path = pg_catalog, pg_temp AS 'MODULE_PATHNAME', 'pg_actions_action_service_write';
COMMENT ON FUNCTION actions.action_service_write() IS
    'Trigger: a direct INSERT, UPDATE or DELETE of an action by a role other than a superuser and the table''s owner (BYPASSRLS or not) is allowed only while acting for a person (act_as) and only when the API would allow that person the same change (create, edit, assign, reassign, start, complete, uncomplete, cancel, delete)';
CREATE FUNCTION actions.note_service_write() RETURNS trigger
    LANGUAGE c SET search_path = pg_catalog, pg_temp AS 'MODULE_PATHNAME', 'pg_actions_note_service_write';
COMMENT ON FUNCTION actions.note_service_write() IS
    'Trigger: a direct INSERT, UPDATE or DELETE of a note by a role other than a superuser and the table''s owner (BYPASSRLS or not) is allowed only while acting for a person (act_as) and only as add_note, edit_note and delete_note allow that person (its author is that person; only the body is edited)';
CREATE TRIGGER action_service_write BEFORE INSERT OR UPDATE OR DELETE ON actions.action
    FOR EACH ROW EXECUTE FUNCTION actions.action_service_write();
COMMENT ON TRIGGER action_service_write ON actions.action IS
    'Decides a trusted service''s direct write for the person it acts for, as the API would (actions.action_service_write())';
CREATE TRIGGER note_service_write BEFORE INSERT OR UPDATE OR DELETE ON actions.note
    FOR EACH ROW EXECUTE FUNCTION actions.note_service_write();
COMMENT ON TRIGGER note_service_write ON actions.note IS
    'Decides a trusted service''s direct write of a note for the person it acts for, as the API would (actions.note_service_write())';
REVOKE ALL ON FUNCTION actions.action_service_write(), actions.note_service_write() FROM PUBLIC;
-- On the log, such policies only let the append-only triggers say no in so many words; nobody
-- inserts log entries directly (no INSERT policy).
CREATE POLICY activity_service_update ON actions.activity FOR UPDATE
    USING ((SELECT actions.is_trusted_service())) WITH CHECK (false);
COMMENT ON POLICY activity_service_update ON actions.activity IS 'A trusted service''s UPDATE of the log entries it sees reaches the refusing trigger';
CREATE POLICY activity_service_delete ON actions.activity FOR DELETE
    USING ((SELECT actions.is_trusted_service()));
COMMENT ON POLICY activity_service_delete ON actions.activity IS 'A trusted service''s DELETE of the log entries it sees reaches the refusing trigger';

-- What members read to join the actions with: their workspaces, the memberships and roles of
-- those, the record kinds and the records they may see, and (through a view that leaves out the
-- e-mail unless the workspace shows it) the people.
ALTER TABLE actions.workspace ENABLE ROW LEVEL SECURITY;
CREATE POLICY workspace_visible ON actions.workspace FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY workspace_visible ON actions.workspace IS 'Members see the workspaces they are active members of';
ALTER TABLE actions.member ENABLE ROW LEVEL SECURITY;
CREATE POLICY member_visible ON actions.member FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY member_visible ON actions.member IS 'Members see the memberships of their workspaces';
ALTER TABLE actions.role ENABLE ROW LEVEL SECURITY;
CREATE POLICY role_visible ON actions.role FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY role_visible ON actions.role IS 'Members see the roles of their workspaces';
ALTER TABLE actions.record_kind ENABLE ROW LEVEL SECURITY;
CREATE POLICY record_kind_visible ON actions.record_kind FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY record_kind_visible ON actions.record_kind IS 'Members see the record kinds of their workspaces';
-- Who may see a record, said once: the policy below and the record fields of
-- actions.action_list_rows ask this function, and the API decides the same in the core (view over
-- the record's facts: pg/authz/facts.cpp record_facts, check_record). It reads nothing: the
-- session's inputs are passed as sub-selects, so the planner inlines it (SQL, IMMUTABLE, no SET
-- clause, every operator schema-qualified) and they stay InitPlans run once per query.
CREATE FUNCTION actions.may_see_record(workspace_id bigint, record_id bigint, group_ids bigint[], sees_all boolean,
                                       view_workspaces bigint[], view_groups bigint[], party_records bigint[])
    RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN sees_all
        OR workspace_id OPERATOR(pg_catalog.=) ANY (view_workspaces)
        OR group_ids OPERATOR(pg_catalog.&&) view_groups
        OR record_id OPERATOR(pg_catalog.=) ANY (party_records);
COMMENT ON FUNCTION actions.may_see_record(bigint, bigint, bigint[], boolean, bigint[], bigint[], bigint[]) IS
    'Whether a record (workspace, id, groups) is visible to the acting person, given the session''s actions.service_sees_all(), visible_workspaces(), visible_groups() and party_records(): view_actions in its workspace, view_actions:groups over one of its groups, or a party of it. The one rule of the policy record_visible and of the record fields of actions.action_list_rows';
ALTER TABLE actions.record ENABLE ROW LEVEL SECURITY;
CREATE POLICY record_visible ON actions.record FOR SELECT USING (
    actions.may_see_record(workspace_id, record_id, group_ids, (SELECT actions.service_sees_all()),
        (SELECT actions.visible_workspaces())::bigint[], (SELECT actions.visible_groups()),
        (SELECT actions.party_records())::bigint[]));
COMMENT ON POLICY record_visible ON actions.record IS
    'The records the API shows the acting person: all of a workspace with view_actions, those of their groups (and below) with view_actions:groups, those they take part in';

-- A view, not the table: row-level security cannot hide one column, and the e-mail is shown
-- only where the workspace says so. It runs as its owner and filters like the policies.
CREATE VIEW actions.member_person WITH (security_barrier) AS
    SELECT m.workspace_id, m.person_id, p.display_name,
           CASE WHEN w.show_emails THEN p.email END AS email,
           r.name AS role, m.state, m.joined_at
      FROM actions.member m
      JOIN actions.person p ON p.person_id = m.person_id
      JOIN actions.workspace w ON w.workspace_id = m.workspace_id
      JOIN actions.role r ON r.workspace_id = m.workspace_id AND r.role_id = m.role_id
     WHERE (SELECT actions.service_sees_all())
        OR m.workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]);
COMMENT ON VIEW actions.member_person IS 'The people of the workspaces the acting person is an active member of: display name, e-mail where the workspace shows e-mails (actions.workspace.show_emails), role and state';
COMMENT ON COLUMN actions.member_person.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.member_person.person_id IS 'Person';
COMMENT ON COLUMN actions.member_person.display_name IS 'Name shown to other members';
COMMENT ON COLUMN actions.member_person.email IS 'E-mail address, or NULL unless the workspace shows e-mails';
COMMENT ON COLUMN actions.member_person.role IS 'Name of the member''s role in the workspace';
COMMENT ON COLUMN actions.member_person.state IS 'invited, active or removed';
COMMENT ON COLUMN actions.member_person.joined_at IS 'When the person was added to the workspace';

GRANT EXECUTE ON FUNCTION actions.is_trusted_service(), actions.service_sees_all(), actions.visible_workspaces(),
    actions.visible_groups(), actions.party_records(), actions.candidate_actions(), actions.member_workspaces() TO PUBLIC;
GRANT SELECT ON actions.action, actions.activity, actions.evidence, actions.note, actions.notification,
    actions.group, actions.group_member, actions.workspace, actions.member, actions.role, actions.record_kind,
    actions.record, actions.member_person TO PUBLIC;

-- Absences: a member reads their own, those they substitute in, and with view_actions for the
-- whole workspace all of the workspace's (who is away and who covers is part of seeing every
-- action and its assignee). Escalation rules: every member of the workspace; their firings: those
-- of the actions the person sees.
ALTER TABLE actions.absence ENABLE ROW LEVEL SECURITY;
CREATE POLICY absence_visible ON actions.absence FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.visible_workspaces())::bigint[])
    OR (workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[])
        AND (person_id = (SELECT actions.current_actor()) OR substitute_id = (SELECT actions.current_actor()))));
COMMENT ON POLICY absence_visible ON actions.absence IS
    'A member''s own absences and those they substitute in; all of a workspace where their role grants view_actions (scope all)';
ALTER TABLE actions.escalation_rule ENABLE ROW LEVEL SECURITY;
CREATE POLICY escalation_rule_visible ON actions.escalation_rule FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY escalation_rule_visible ON actions.escalation_rule IS 'The escalation rules of the workspaces the person is an active member of';
ALTER TABLE actions.escalation_fired ENABLE ROW LEVEL SECURITY;
CREATE POLICY escalation_fired_visible ON actions.escalation_fired FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR (workspace_id, action_id) IN (SELECT a.workspace_id, a.action_id FROM actions.action a));
COMMENT ON POLICY escalation_fired_visible ON actions.escalation_fired IS 'Firings of escalation rules on the actions the person sees';
GRANT SELECT ON actions.absence, actions.escalation_rule, actions.escalation_fired TO PUBLIC;
GRANT EXECUTE ON FUNCTION actions.substituted_members() TO PUBLIC;
-- pg_actions install script, part 46: the functions of pools with claim and of delegation with
-- return (the tables are in part 14). Each is SECURITY DEFINER and decides in the core what the
-- acting person may do (src/core/permission.hpp, src/core/pool.hpp); the triggers log every change.

CREATE FUNCTION actions.offer(action_id bigint, people bigint[] DEFAULT '{}', groups bigint[] DEFAULT '{}',
                              roles text[] DEFAULT '{}') RETURNS integer
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_offer';
COMMENT ON FUNCTION actions.offer(bigint, bigint[], bigint[], text[]) IS
    'Offer an open action to a pool of candidates: people (members), groups (their members and those of the groups below them) and roles (by name: their holders); replaces the previous pool, empty arrays withdraw it. Needs assign_actions, reassign_actions or administer_actions. Candidates see the action and one may claim it; new candidates are notified (offered). Returns how many people are candidates now';

CREATE FUNCTION actions.claim(action_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_claim';
COMMENT ON FUNCTION actions.claim(bigint) IS
    'A candidate takes an offered, unassigned, open action: they become its assignee (logged as claimed). Of two claims at once exactly one wins; the other is refused (55000)';

CREATE FUNCTION actions.release(action_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_release';
COMMENT ON FUNCTION actions.release(bigint) IS
    'Give a claimed (or assigned) offered action back to its pool: it becomes unassigned and any candidate may claim it. By its assignee, or with reassign_actions or administer_actions';

CREATE FUNCTION actions.delegate(action_id bigint, delegate_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_delegate';
COMMENT ON FUNCTION actions.delegate(bigint, bigint) IS
    'The assignee hands an open action to another active member (delegation pending): the delegate works on it and resolves it, and it returns to the assignee. The delegate cannot complete it; the log shows both people; the delegate is notified (delegated)';

CREATE FUNCTION actions.resolve(action_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_resolve';
COMMENT ON FUNCTION actions.resolve(bigint) IS
    'The delegate gives a delegated action back to the assignee who delegated it (delegation resolved), who then completes it or delegates it again; that assignee is notified (resolved)';

CREATE FUNCTION actions.set_template_pool(template_id bigint, people bigint[] DEFAULT '{}', groups bigint[] DEFAULT '{}',
                                          roles text[] DEFAULT '{}') RETURNS integer
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_set_template_pool';
COMMENT ON FUNCTION actions.set_template_pool(bigint, bigint[], bigint[], text[]) IS
    'A new version of the template whose assignee rule is pool: an action made from it (without an assignee_id) is offered to these people, groups (and the groups below them) and roles (by name). Empty arrays: back to the rule none. Needs manage_workspace; returns the new version';

CREATE FUNCTION actions.offer_log() RETURNS trigger
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_offer_log';
COMMENT ON FUNCTION actions.offer_log() IS
    'Trigger: every candidate added to or removed from an action''s pool becomes an entry of the action''s log chain (offered, offer_withdrawn)';

CREATE TRIGGER offer_log AFTER INSERT OR DELETE ON actions.action_offer
    FOR EACH ROW EXECUTE FUNCTION actions.offer_log();

ALTER TABLE actions.action_offer ENABLE ROW LEVEL SECURITY;
CREATE POLICY action_offer_visible ON actions.action_offer FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR (workspace_id, action_id) IN (SELECT a.workspace_id, a.action_id FROM actions.action a));
COMMENT ON POLICY action_offer_visible ON actions.action_offer IS 'The pools of the actions the person sees';
GRANT SELECT ON actions.action_offer TO PUBLIC;

-- Public like the single functions: each decides for the acting person. The trigger is the trigger's.
REVOKE ALL ON FUNCTION actions.offer(bigint, bigint[], bigint[], text[]), actions.claim(bigint), actions.release(bigint),
    actions.delegate(bigint, bigint), actions.resolve(bigint), actions.set_template_pool(bigint, bigint[], bigint[], text[]),
    actions.offer_log() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION actions.offer(bigint, bigint[], bigint[], text[]), actions.claim(bigint), actions.release(bigint),
    actions.delegate(bigint, bigint), actions.resolve(bigint), actions.set_template_pool(bigint, bigint[], bigint[], text[])
    TO PUBLIC;
-- pg_actions install script, part 46: service levels. Every figure comes from the activity log
-- (the single source of truth; core/service_level.hpp folds an action's entries): the time an action
-- spent in each status (actions.action_status_times()), and for the reports, actions.service_level,
-- one row per action ever completed, which the log trigger rewrites from the action's log whenever
-- an entry could change it (a completion, leaving complete, a change of the due date or of a key a
-- report groups by while complete). actions.service_level_from_log() recomputes the rows from the
-- log alone and actions.rebuild_service_levels() writes them back. A person reads only the rows of
-- the actions they see (the policy is action_visible's predicate over the row's own columns), and
-- the report functions run as the caller, so they count only those.
--
-- On time: completed at or before the due date as it stood at that completion (the last due date
-- the log shows up to the `completed` entry): a due date moved before completion counts as moved.
-- The first due date the action ever had is kept too (met_first_due), so a report also shows how
-- many completions met the date first promised. The last completion counts for an action completed
-- again after being uncompleted; an action without a due date is neither on time nor late.

-- No foreign keys: like the log it is folded from, a row outlives its action (and is written
-- through the table API, which checks none).
CREATE TABLE actions.service_level (
    workspace_id  bigint NOT NULL,
    action_id     bigint NOT NULL,
    type          text,
    owner_id      bigint,
    assignee_id   bigint,
    record_id     bigint,
    template_id   bigint,
    group_ids     bigint[] NOT NULL DEFAULT '{}',
    created_at    timestamptz,
    completed_at  timestamptz,
    due_at        timestamptz,
    first_due_at  timestamptz,
    on_time       boolean,
    met_first_due boolean,
    completions   integer NOT NULL DEFAULT 0,
    deleted       boolean NOT NULL DEFAULT false,
    working_to_complete interval,
    PRIMARY KEY (workspace_id, action_id)
);
-- A period's completions of a workspace: the reports' one range read.
CREATE INDEX service_level_completed_idx ON actions.service_level (workspace_id, completed_at)
    WHERE completed_at IS NOT NULL;
COMMENT ON TABLE actions.service_level IS
    'Summary of every action ever completed, folded from its activity log and rewritten by the log trigger; recomputable from the log (actions.service_level_from_log(), actions.rebuild_service_levels())';
COMMENT ON COLUMN actions.service_level.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.service_level.action_id IS 'Action';
COMMENT ON COLUMN actions.service_level.type IS 'Action type, from the created entry (NULL for an action logged before 0.2)';
COMMENT ON COLUMN actions.service_level.owner_id IS 'Owner, from the created entry';
COMMENT ON COLUMN actions.service_level.assignee_id IS 'Assignee as the log last set it';
COMMENT ON COLUMN actions.service_level.record_id IS 'Linked record as the log last set it';
COMMENT ON COLUMN actions.service_level.template_id IS 'Template the action was made from, or NULL';
COMMENT ON COLUMN actions.service_level.group_ids IS 'Groups as the log last set them';
COMMENT ON COLUMN actions.service_level.created_at IS 'Time of the created entry';
COMMENT ON COLUMN actions.service_level.completed_at IS 'Time of the last completion while the action is complete; NULL once uncompleted or deleted';
COMMENT ON COLUMN actions.service_level.due_at IS 'Due date as it stood at that completion';
COMMENT ON COLUMN actions.service_level.first_due_at IS 'The first due date the action had';
COMMENT ON COLUMN actions.service_level.on_time IS 'completed_at <= due_at; NULL without a due date or while not complete';
COMMENT ON COLUMN actions.service_level.met_first_due IS 'completed_at <= first_due_at; NULL without a due date or while not complete';
COMMENT ON COLUMN actions.service_level.completions IS 'How many times the action was completed';
COMMENT ON COLUMN actions.service_level.deleted IS 'The action was deleted (its log ends with deleted): it no longer counts';
COMMENT ON COLUMN actions.service_level.working_to_complete IS 'Working time from creation to completion on the workspace''s business calendar as it was when the row was written (rebuild_service_levels() recomputes it with the current one); NULL without a calendar';

ALTER TABLE actions.service_level ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_level_visible ON actions.service_level FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.visible_workspaces())::bigint[])
    OR group_ids && (SELECT actions.visible_groups())
    OR record_id = ANY ((SELECT actions.party_records())::bigint[])
    OR action_id = ANY ((SELECT actions.candidate_actions())::bigint[])
    OR (workspace_id, assignee_id) IN (SELECT s.workspace_id, s.person_id FROM actions.substituted_members() s)
    OR (workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[])
        AND (assignee_id = (SELECT actions.current_actor()) OR owner_id = (SELECT actions.current_actor()))));
COMMENT ON POLICY service_level_visible ON actions.service_level IS
    'The rows of the actions the person sees: the predicate of action_visible over the row''s own columns (the log''s values, which verify_log checks against the action row; the row keeps no delegated_by, so a delegator sees a completed action''s row only by the other clauses)';
GRANT SELECT ON actions.service_level TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('actions.service_level', '');

CREATE FUNCTION actions.service_level_vocabulary(name text) RETURNS text[]
    LANGUAGE c IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_service_level_vocabulary';
COMMENT ON FUNCTION actions.service_level_vocabulary(text) IS
    'The values the service-level reports accept, from the core: by (workspace, assignee, type, group, template) and period (day, week, month, quarter, year)';

CREATE FUNCTION actions.action_status_times(action_id bigint)
RETURNS TABLE (status text, entered integer, calendar_time interval, working_time interval)
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp ROWS 5
    AS 'MODULE_PATHNAME', 'pg_actions_action_status_times';
COMMENT ON FUNCTION actions.action_status_times(bigint) IS
    'The time an action spent in each status, folded from its activity log: one row per status it has been in, with how often it entered it, in calendar time and in working time on the workspace''s business calendar (NULL without one); the current status counts up to now. An action the person cannot see is not found (P0002)';

CREATE FUNCTION actions.service_level_from_log(workspace_id bigint) RETURNS SETOF actions.service_level
    LANGUAGE c STABLE SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_service_level_from_log';
COMMENT ON FUNCTION actions.service_level_from_log(bigint) IS
    'The rows actions.service_level should hold for a workspace, recomputed from the activity log alone (read as the caller: for the extension''s owner or a superuser)';

CREATE FUNCTION actions.rebuild_service_levels(workspace_id bigint DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    n bigint := 0;
    k bigint;
    w bigint;
BEGIN
    -- Refused up front, not by the LOCK below: a caller granted EXECUTE without owning the tables.
    IF NOT pg_catalog.pg_has_role(current_user, (SELECT c.relowner FROM pg_catalog.pg_class c
                                                  WHERE c.oid = 'actions.service_level'::pg_catalog.regclass), 'USAGE') THEN
        RAISE EXCEPTION 'permission denied to rebuild the service levels'
            USING ERRCODE = '42501',
                  DETAIL = 'actions.rebuild_service_levels() rewrites actions.service_level from the whole activity log, which only the extension''s owner or a superuser reads and writes',
                  HINT = 'run it as a superuser or as the role that created the extension';
    END IF;
    -- Writers of the log wait for the rebuild (their trigger writes this table), so no change
    -- made meanwhile is lost: each rewrites its own row from the log once the rebuild commits.
    LOCK TABLE actions.service_level IN SHARE ROW EXCLUSIVE MODE;
    FOR w IN SELECT ws.workspace_id FROM actions.workspace ws
              WHERE rebuild_service_levels.workspace_id IS NULL OR ws.workspace_id = rebuild_service_levels.workspace_id
              ORDER BY 1 LOOP
        DELETE FROM actions.service_level s WHERE s.workspace_id = w;
        INSERT INTO actions.service_level SELECT * FROM actions.service_level_from_log(w);
        GET DIAGNOSTICS k = ROW_COUNT;
        n := n + k;
    END LOOP;
    RETURN n;
END
$fn$;
COMMENT ON FUNCTION actions.rebuild_service_levels(bigint) IS
    'Rewrites actions.service_level from the activity log (one workspace, or all); returns the rows written. For the extension''s owner or a superuser';
REVOKE ALL ON FUNCTION actions.service_level_from_log(bigint), actions.rebuild_service_levels(bigint) FROM PUBLIC;

-- The reports run as the caller: row-level security of actions.service_level and actions.action
-- decides which actions they count (a person with view_actions on the workspace: all of them).
CREATE FUNCTION actions.service_levels(
    workspace_id bigint,
    from_time timestamptz,
    to_time timestamptz,
    by text DEFAULT 'workspace',
    period text DEFAULT NULL)
RETURNS TABLE (period_start timestamptz, assignee_id bigint, type text, group_id bigint, template_id bigint,
               completed bigint, with_due bigint, on_time bigint, late bigint, on_time_rate numeric,
               met_first_due bigint, mean_to_complete interval, p50_to_complete interval, p90_to_complete interval,
               mean_working interval, p50_working interval, p90_working interval)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    ws constant bigint := service_levels.workspace_id;
    tz text;
BEGIN
    IF ws IS NULL OR from_time IS NULL OR to_time IS NULL OR NOT isfinite(from_time) OR NOT isfinite(to_time)
       OR from_time >= to_time THEN
        RAISE EXCEPTION 'a service-level report needs a workspace and a period from_time < to_time' USING ERRCODE = '22023',
            HINT = 'e.g. actions.service_levels(1, ''2026-07-01'', ''2026-10-01'')';
    END IF;
    IF by IS NULL OR NOT by = ANY (actions.service_level_vocabulary('by')) THEN
        RAISE EXCEPTION 'unknown grouping "%"', by USING ERRCODE = '22023',
            HINT = 'by is one of ' || array_to_string(actions.service_level_vocabulary('by'), ', ');
    END IF;
    IF period IS NOT NULL AND NOT period = ANY (actions.service_level_vocabulary('period')) THEN
        RAISE EXCEPTION 'unknown period "%"', period USING ERRCODE = '22023',
            HINT = 'period is NULL (the whole range) or one of ' || array_to_string(actions.service_level_vocabulary('period'), ', ');
    END IF;
    IF actions.current_actor() IS NULL AND NOT actions.service_sees_all() THEN
        RAISE EXCEPTION 'no person is acting' USING ERRCODE = '42501',
            HINT = 'call as a person''s login role, or actions.act_as(person_id) first';
    END IF;
    tz := (SELECT w.time_zone FROM actions.workspace w WHERE w.workspace_id = ws);
    IF tz IS NULL THEN
        RAISE EXCEPTION 'workspace % not found', ws USING ERRCODE = 'P0002',
            HINT = 'pass a workspace you are an active member of';
    END IF;
    IF by = 'group' THEN
        -- An action counts in each of its groups; one without a group under group_id NULL.
        RETURN QUERY
            SELECT CASE WHEN period IS NULL THEN from_time ELSE date_trunc(period, s.completed_at, tz) END,
                   NULL::bigint, NULL::text, g.group_id, NULL::bigint,
                   count(*), count(s.on_time), count(*) FILTER (WHERE s.on_time), count(*) FILTER (WHERE NOT s.on_time),
                   round((count(*) FILTER (WHERE s.on_time))::numeric / NULLIF(count(s.on_time), 0), 4),
                   count(*) FILTER (WHERE s.met_first_due),
                   avg(s.completed_at - s.created_at),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY s.completed_at - s.created_at),
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY s.completed_at - s.created_at),
                   avg(s.working_to_complete),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY s.working_to_complete),
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY s.working_to_complete)
              FROM actions.service_level s
              CROSS JOIN LATERAL unnest(CASE WHEN cardinality(s.group_ids) > 0 THEN s.group_ids
                                             ELSE ARRAY[NULL::bigint] END) AS g(group_id)
             WHERE s.workspace_id = ws AND s.completed_at >= from_time AND s.completed_at < to_time
             GROUP BY 1, 4
             ORDER BY 1, 4;
        RETURN;
    END IF;
    RETURN QUERY
        SELECT CASE WHEN period IS NULL THEN from_time ELSE date_trunc(period, s.completed_at, tz) END,
               CASE WHEN by = 'assignee' THEN s.assignee_id END,
               CASE WHEN by = 'type' THEN s.type END,
               NULL::bigint,
               CASE WHEN by = 'template' THEN s.template_id END,
               count(*), count(s.on_time), count(*) FILTER (WHERE s.on_time), count(*) FILTER (WHERE NOT s.on_time),
               round((count(*) FILTER (WHERE s.on_time))::numeric / NULLIF(count(s.on_time), 0), 4),
               count(*) FILTER (WHERE s.met_first_due),
               avg(s.completed_at - s.created_at),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY s.completed_at - s.created_at),
               percentile_cont(0.9) WITHIN GROUP (ORDER BY s.completed_at - s.created_at),
               avg(s.working_to_complete),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY s.working_to_complete),
               percentile_cont(0.9) WITHIN GROUP (ORDER BY s.working_to_complete)
          FROM actions.service_level s
         WHERE s.workspace_id = ws AND s.completed_at >= from_time AND s.completed_at < to_time
         GROUP BY 1, 2, 3, 5
         ORDER BY 1, 2, 3, 5;
END
$fn$;
COMMENT ON FUNCTION actions.service_levels(bigint, timestamptz, timestamptz, text, text) IS
    'On-time rate and time to complete (mean, p50, p90 from creation to the last completion, in calendar time and in working time on the workspace''s business calendar, NULL without one) of the actions completed in [from_time, to_time) that the caller sees, per workspace, assignee, type, group or template (by) and per day, week, month, quarter or year in the workspace''s time zone (period); on time: completed by the due date as it stood then';

CREATE FUNCTION actions.due_risk(workspace_id bigint, within interval DEFAULT '1 day', by text DEFAULT 'workspace')
RETURNS TABLE (assignee_id bigint, type text, group_id bigint, template_id bigint, open bigint, overdue bigint,
               at_risk bigint)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    ws constant bigint := due_risk.workspace_id;
BEGIN
    IF ws IS NULL OR within IS NULL OR within < interval '0' THEN
        RAISE EXCEPTION 'due_risk needs a workspace and a window of zero or more' USING ERRCODE = '22023',
            HINT = 'e.g. actions.due_risk(1, interval ''2 days'')';
    END IF;
    IF by IS NULL OR NOT by = ANY (actions.service_level_vocabulary('by')) THEN
        RAISE EXCEPTION 'unknown grouping "%"', by USING ERRCODE = '22023',
            HINT = 'by is one of ' || array_to_string(actions.service_level_vocabulary('by'), ', ');
    END IF;
    IF actions.current_actor() IS NULL AND NOT actions.service_sees_all() THEN
        RAISE EXCEPTION 'no person is acting' USING ERRCODE = '42501',
            HINT = 'call as a person''s login role, or actions.act_as(person_id) first';
    END IF;
    -- Overdue: open and past due (whether or not the sweep has marked it yet); at risk: open and
    -- due within the window from now.
    RETURN QUERY
        SELECT CASE WHEN by = 'assignee' THEN a.assignee_id END,
               CASE WHEN by = 'type' THEN a.type END,
               CASE WHEN by = 'group' THEN g.group_id END,
               CASE WHEN by = 'template' THEN a.template_id END,
               count(*),
               count(*) FILTER (WHERE a.due_at < now()),
               count(*) FILTER (WHERE a.due_at >= now() AND a.due_at < now() + within)
          FROM actions.action a
          CROSS JOIN LATERAL unnest(CASE WHEN by = 'group' AND cardinality(a.group_ids) > 0 THEN a.group_ids
                                         ELSE ARRAY[NULL::bigint] END) AS g(group_id)
         WHERE a.workspace_id = ws AND a.status = ANY (actions.list_vocabulary('open'))
         GROUP BY 1, 2, 3, 4
         ORDER BY 1, 2, 3, 4;
END
$fn$;
COMMENT ON FUNCTION actions.due_risk(bigint, interval, text) IS
    'Open actions the caller sees, how many of them are overdue (past due) and how many at risk (due within the window from now), per workspace, assignee, type, group or template (by)';

GRANT EXECUTE ON FUNCTION actions.service_level_vocabulary(text), actions.action_status_times(bigint),
    actions.service_levels(bigint, timestamptz, timestamptz, text, text), actions.due_risk(bigint, interval, text)
    TO PUBLIC;
-- pg_actions install script, part 47: the actions list, text search and unread notifications.
-- actions.list_actions() returns one page of the actions the acting person sees, with the fields a
-- list shows, filtered, sorted and paged by a keyset cursor; actions.action_list is the same rows
-- for BI tools. Both read actions.action_list_rows, the one place that applies the visibility
-- predicate of the row-level security policy action_visible (src/sql/45_visibility.sql): they run
-- as the extension's owner because the display fields come from tables members cannot read
-- (people, records), so the predicate is applied by the view, and test/pgtap/list.sql checks that
-- it shows exactly the rows the policy shows. The display fields are scalar subqueries, not joins:
-- PostgreSQL evaluates them only for the rows a page returns (after its sort and LIMIT), where a
-- join would be planned over every row the filters keep (a hash join reading all people). The allowed values of every filter and sort come
-- from the core (actions.list_vocabulary(), part 10, core/listing.hpp).

-- Stored as text, not regconfig: pg_upgrade refuses tables with regconfig columns. Read with ::regconfig.
ALTER TABLE actions.workspace ADD COLUMN text_search_config text NOT NULL DEFAULT 'simple';
COMMENT ON COLUMN actions.workspace.text_search_config IS
    'Text search configuration (a regconfig name) for searching this workspace''s actions; the index action_search_idx serves ''simple'', another one needs an index of its own (docs/lists.md)';

-- The searched document of an action. IMMUTABLE as to_tsvector(regconfig, text) is: the
-- configuration is an argument, never looked up, so an index on it is never stale. (Not inlined,
-- having a SET clause: a query matches the index by calling this same function.)
CREATE FUNCTION actions.action_document(config regconfig, title text, description text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN pg_catalog.to_tsvector(config, title OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) COALESCE(description, ''));
COMMENT ON FUNCTION actions.action_document(regconfig, text, text) IS
    'What text search matches: an action''s title and description under a text search configuration';

CREATE INDEX action_search_idx ON actions.action USING gin (actions.action_document('simple'::regconfig, title, description));
CREATE INDEX action_list_due_idx ON actions.action (workspace_id, (COALESCE(due_at, 'infinity'::timestamptz)), action_id);
CREATE INDEX action_list_created_idx ON actions.action (workspace_id, created_at, action_id);
CREATE INDEX action_list_updated_idx ON actions.action (workspace_id, updated_at, action_id);
CREATE INDEX action_list_title_idx ON actions.action (workspace_id, title, action_id);
CREATE INDEX action_list_owner_idx ON actions.action (workspace_id, owner_id);
-- The actions of one status in due order (the list compares a single status as a value, so this
-- index serves "in progress, soonest due first" without reading the other statuses).
CREATE INDEX action_list_status_due_idx ON actions.action
    (workspace_id, status, (COALESCE(due_at, 'infinity'::timestamptz)), action_id);
-- The unassigned actions in due order: few among many, so the due sort's index would read far
-- before a page of them is found; the list's "unassigned" filter is this predicate word for word.
CREATE INDEX action_list_unassigned_idx ON actions.action (workspace_id, (COALESCE(due_at, 'infinity'::timestamptz)), action_id)
    WHERE assignee_id IS NULL;
CREATE INDEX action_list_priority_idx ON actions.action
    (workspace_id, (array_position(actions.list_vocabulary('priority'), priority)), action_id);
CREATE INDEX action_list_status_idx ON actions.action
    (workspace_id, (array_position(actions.list_vocabulary('status'), status)), action_id);
CREATE INDEX notification_person_list_idx ON actions.notification (person_id, notification_id);

CREATE VIEW actions.action_list_rows AS
SELECT a.workspace_id, a.action_id, a.title, a.description, a.type, a.status, a.priority, a.due_at,
       (a.due_at IS NOT NULL AND a.due_at < now() AND a.status = ANY (actions.list_vocabulary('open'))) AS overdue,
       a.assignee_id, (SELECT ap.display_name FROM actions.person ap WHERE ap.person_id = a.assignee_id) AS assignee_name,
       a.owner_id, (SELECT op.display_name FROM actions.person op WHERE op.person_id = a.owner_id) AS owner_name,
       a.record_id,
       -- A record's fields only for someone who may see the record (NULL otherwise): seeing an
       -- action does not show the record it is linked to.
       (SELECT r.title FROM actions.record r WHERE r.workspace_id = a.workspace_id AND r.record_id = a.record_id
           AND actions.may_see_record(r.workspace_id, r.record_id, r.group_ids,
               (SELECT actions.service_sees_all()), (SELECT actions.visible_workspaces())::bigint[],
               (SELECT actions.visible_groups()), (SELECT actions.party_records())::bigint[])) AS record_title,
       (SELECT r.kind FROM actions.record r WHERE r.workspace_id = a.workspace_id AND r.record_id = a.record_id
           AND actions.may_see_record(r.workspace_id, r.record_id, r.group_ids,
               (SELECT actions.service_sees_all()), (SELECT actions.visible_workspaces())::bigint[],
               (SELECT actions.visible_groups()), (SELECT actions.party_records())::bigint[])) AS record_kind,
       a.group_ids,
       ARRAY(SELECT g.name FROM actions."group" g
              WHERE g.workspace_id = a.workspace_id AND g.group_id = ANY (a.group_ids) ORDER BY g.name) AS group_names,
       a.created_at, a.updated_at,
       array_position(actions.list_vocabulary('priority'), a.priority) AS priority_rank,
       array_position(actions.list_vocabulary('status'), a.status) AS status_rank
  FROM actions.action a
 WHERE -- the predicate of the policy action_visible (45_visibility.sql), word for word
       (SELECT actions.service_sees_all())
    OR a.workspace_id = ANY ((SELECT actions.visible_workspaces())::bigint[])
    OR a.group_ids && (SELECT actions.visible_groups())
    OR a.record_id = ANY ((SELECT actions.party_records())::bigint[])
    OR a.action_id = ANY ((SELECT actions.candidate_actions())::bigint[])
    OR (a.workspace_id, a.assignee_id) IN (SELECT s.workspace_id, s.person_id FROM actions.substituted_members() s)
    OR (a.workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[])
        AND (a.assignee_id = (SELECT actions.current_actor()) OR a.owner_id = (SELECT actions.current_actor())
             OR a.delegated_by = (SELECT actions.current_actor())));
COMMENT ON VIEW actions.action_list_rows IS
    'Internal: the actions the acting person sees (the predicate of the policy action_visible) with their display fields; read through actions.action_list or actions.list_actions()';
COMMENT ON COLUMN actions.action_list_rows.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.action_list_rows.action_id IS 'Identifier of the action';
COMMENT ON COLUMN actions.action_list_rows.title IS 'What needs to be done';
COMMENT ON COLUMN actions.action_list_rows.description IS 'Details of the work (searched, not shown by actions.action_list)';
COMMENT ON COLUMN actions.action_list_rows.type IS 'task, approval, review, acknowledgement, ...';
COMMENT ON COLUMN actions.action_list_rows.status IS 'Status (actions.list_vocabulary(status))';
COMMENT ON COLUMN actions.action_list_rows.priority IS 'Priority (actions.list_vocabulary(priority))';
COMMENT ON COLUMN actions.action_list_rows.due_at IS 'When the action becomes overdue';
COMMENT ON COLUMN actions.action_list_rows.overdue IS 'Open and past its due date';
COMMENT ON COLUMN actions.action_list_rows.assignee_id IS 'Person responsible for it, or NULL';
COMMENT ON COLUMN actions.action_list_rows.assignee_name IS 'Display name of the assignee';
COMMENT ON COLUMN actions.action_list_rows.owner_id IS 'Person who created it';
COMMENT ON COLUMN actions.action_list_rows.owner_name IS 'Display name of the owner';
COMMENT ON COLUMN actions.action_list_rows.record_id IS 'Linked record, or NULL';
COMMENT ON COLUMN actions.action_list_rows.record_title IS 'Title of the linked record, or NULL when the acting person may not see the record';
COMMENT ON COLUMN actions.action_list_rows.record_kind IS 'Kind of the linked record, or NULL when the acting person may not see the record';
COMMENT ON COLUMN actions.action_list_rows.group_ids IS 'Groups the action belongs to';
COMMENT ON COLUMN actions.action_list_rows.group_names IS 'Names of those groups, sorted';
COMMENT ON COLUMN actions.action_list_rows.created_at IS 'When the action was created';
COMMENT ON COLUMN actions.action_list_rows.updated_at IS 'When the action last changed';
COMMENT ON COLUMN actions.action_list_rows.priority_rank IS 'Position of the priority in actions.list_vocabulary(priority): the priority sort key';
COMMENT ON COLUMN actions.action_list_rows.status_rank IS 'Position of the status in actions.list_vocabulary(status): the status sort key';
REVOKE ALL ON actions.action_list_rows FROM PUBLIC;

-- security_barrier: a caller's own functions in a WHERE clause see only rows the predicate passed.
CREATE VIEW actions.action_list WITH (security_barrier) AS
SELECT workspace_id, action_id, title, type, status, priority, due_at, overdue, assignee_id, assignee_name,
       owner_id, owner_name, record_id, record_title, record_kind, group_ids, group_names, created_at, updated_at
  FROM actions.action_list_rows;
COMMENT ON VIEW actions.action_list IS
    'The actions the acting person sees (exactly the rows row-level security shows them in actions.action) with the fields a list shows, for BI tools';
COMMENT ON COLUMN actions.action_list.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.action_list.action_id IS 'Identifier of the action';
COMMENT ON COLUMN actions.action_list.title IS 'What needs to be done';
COMMENT ON COLUMN actions.action_list.type IS 'task, approval, review, acknowledgement, ...';
COMMENT ON COLUMN actions.action_list.status IS 'Status (actions.list_vocabulary(status))';
COMMENT ON COLUMN actions.action_list.priority IS 'Priority (actions.list_vocabulary(priority))';
COMMENT ON COLUMN actions.action_list.due_at IS 'When the action becomes overdue';
COMMENT ON COLUMN actions.action_list.overdue IS 'Open and past its due date';
COMMENT ON COLUMN actions.action_list.assignee_id IS 'Person responsible for it, or NULL';
COMMENT ON COLUMN actions.action_list.assignee_name IS 'Display name of the assignee';
COMMENT ON COLUMN actions.action_list.owner_id IS 'Person who created it';
COMMENT ON COLUMN actions.action_list.owner_name IS 'Display name of the owner';
COMMENT ON COLUMN actions.action_list.record_id IS 'Linked record, or NULL';
COMMENT ON COLUMN actions.action_list.record_title IS 'Title of the linked record, or NULL when the acting person may not see the record';
COMMENT ON COLUMN actions.action_list.record_kind IS 'Kind of the linked record, or NULL when the acting person may not see the record';
COMMENT ON COLUMN actions.action_list.group_ids IS 'Groups the action belongs to';
COMMENT ON COLUMN actions.action_list.group_names IS 'Names of those groups, sorted';
COMMENT ON COLUMN actions.action_list.created_at IS 'When the action was created';
COMMENT ON COLUMN actions.action_list.updated_at IS 'When the action last changed';
GRANT SELECT ON actions.action_list TO PUBLIC;

CREATE FUNCTION actions.list_actions(
    workspace_id bigint,
    statuses text[] DEFAULT NULL,
    assignees bigint[] DEFAULT NULL,
    assigned_to_me boolean DEFAULT false,
    unassigned boolean DEFAULT false,
    owners bigint[] DEFAULT NULL,
    due_before timestamptz DEFAULT NULL,
    due_after timestamptz DEFAULT NULL,
    only_overdue boolean DEFAULT NULL,
    linked_record bigint DEFAULT NULL,
    record_kinds text[] DEFAULT NULL,
    types text[] DEFAULT NULL,
    in_group bigint DEFAULT NULL,
    include_subgroups boolean DEFAULT true,
    priorities text[] DEFAULT NULL,
    search text DEFAULT NULL,
    title_contains text DEFAULT NULL,
    sort text DEFAULT 'due',
    direction text DEFAULT 'asc',
    page_size integer DEFAULT 50,
    cursor text DEFAULT NULL)
RETURNS TABLE (action_id bigint, title text, type text, status text, priority text, due_at timestamptz,
               overdue boolean, assignee_id bigint, assignee_name text, owner_id bigint, owner_name text,
               record_id bigint, record_title text, record_kind text, group_ids bigint[], group_names text[],
               created_at timestamptz, updated_at timestamptz, next_cursor text)
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp ROWS 50
    AS 'MODULE_PATHNAME', 'pg_actions_list_actions';
COMMENT ON FUNCTION actions.list_actions(bigint, text[], bigint[], boolean, boolean, bigint[], timestamptz, timestamptz,
    boolean, bigint, text[], text[], bigint, boolean, text[], text, text, text, text, integer, text) IS
    'One page of the actions the acting person sees in a workspace, with display fields, filtered, sorted (with action_id as tie-break) and paged: the last row of a full page carries next_cursor, to pass for the next page (a shorter page is the last)';

CREATE FUNCTION actions.list_notifications(in_workspace bigint DEFAULT NULL, unread_only boolean DEFAULT false,
                                           page_size integer DEFAULT 50, before_id bigint DEFAULT NULL)
RETURNS TABLE (notification_id bigint, workspace_id bigint, kind text, action_id bigint, link text,
               created_at timestamptz, read_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    me constant bigint := actions.current_actor();
BEGIN
    IF me IS NULL THEN
        RAISE EXCEPTION 'no person is acting' USING ERRCODE = '42501',
            HINT = 'call as a person''s login role, or actions.act_as(person_id) first';
    END IF;
    IF page_size IS NULL OR page_size < 1 OR page_size > 1000 THEN
        RAISE EXCEPTION 'page_size % is out of range', page_size USING ERRCODE = '22023', HINT = 'use a page size from 1 to 1000';
    END IF;
    RETURN QUERY
        SELECT n.notification_id, n.workspace_id, n.kind, n.action_id, n.link, n.created_at, n.read_at
          FROM actions.notification n
         WHERE n.person_id = me
           AND (in_workspace IS NULL OR n.workspace_id = in_workspace)
           AND (NOT unread_only OR n.read_at IS NULL)
           AND (before_id IS NULL OR n.notification_id < before_id)
         ORDER BY n.notification_id DESC
         LIMIT page_size;
END
$fn$;
COMMENT ON FUNCTION actions.list_notifications(bigint, boolean, integer, bigint) IS
    'The acting person''s own notifications, newest first; pass the last notification_id as before_id for the next page';

CREATE FUNCTION actions.mark_notifications_read(ids bigint[], read boolean DEFAULT true) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    me constant bigint := actions.current_actor();
    wanted bigint[] := ARRAY(SELECT DISTINCT x FROM unnest(ids) x WHERE x IS NOT NULL);
    own bigint[];
    changed integer;
BEGIN
    IF me IS NULL THEN
        RAISE EXCEPTION 'no person is acting' USING ERRCODE = '42501',
            HINT = 'call as a person''s login role, or actions.act_as(person_id) first';
    END IF;
    IF read IS NULL THEN
        RAISE EXCEPTION 'read must be true or false' USING ERRCODE = '22023', HINT = 'true marks read, false unread';
    END IF;
    own := ARRAY(SELECT n.notification_id FROM actions.notification n
                  WHERE n.person_id = me AND n.notification_id = ANY (wanted) ORDER BY 1 FOR UPDATE);
    IF cardinality(own) <> cardinality(wanted) THEN
        -- Another person's notification reads as a missing one; nothing is changed.
        RAISE EXCEPTION 'notification % not found', (SELECT min(x) FROM unnest(wanted) x WHERE NOT x = ANY (own))
            USING ERRCODE = 'P0002', HINT = 'pass ids of your own notifications (actions.list_notifications())';
    END IF;
    UPDATE actions.notification n
       SET read_at = CASE WHEN read THEN coalesce(n.read_at, now()) END
     WHERE n.person_id = me AND n.notification_id = ANY (own)
       AND (n.read_at IS NULL) = read;
    GET DIAGNOSTICS changed = ROW_COUNT;
    RETURN changed;
END
$fn$;
COMMENT ON FUNCTION actions.mark_notifications_read(bigint[], boolean) IS
    'Marks the acting person''s own notifications read (or unread with read => false); returns how many changed. Another person''s id is refused as not found and nothing changes';

CREATE FUNCTION actions.unread_count(workspace_id bigint DEFAULT NULL) RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
RETURN (SELECT count(*) FROM actions.notification n
         WHERE n.person_id = actions.current_actor() AND n.read_at IS NULL
           AND (unread_count.workspace_id IS NULL OR n.workspace_id = unread_count.workspace_id));
COMMENT ON FUNCTION actions.unread_count(bigint) IS 'How many of the acting person''s own notifications are unread (in one workspace, or all)';

GRANT EXECUTE ON FUNCTION actions.list_vocabulary(text), actions.action_document(regconfig, text, text),
    actions.list_actions(bigint, text[], bigint[], boolean, boolean, bigint[], timestamptz, timestamptz,
                         boolean, bigint, text[], text[], bigint, boolean, text[], text, text, text, text, integer, text),
    actions.list_notifications(bigint, boolean, integer, bigint), actions.mark_notifications_read(bigint[], boolean),
    actions.unread_count(bigint)
    TO PUBLIC;
-- pg_actions install script, part 47 (continued): the secret list cursors are authenticated with.
-- actions.list_actions() signs each next_cursor with HMAC-SHA-256 under this database's secret
-- (core/listing.hpp), so a cursor is accepted only as the server made it, with the same sort and
-- filters. The secret is made at CREATE EXTENSION, readable by the extension's owner alone,
-- kept by pg_dump (a restore keeps the cursors valid), and replaced by
-- actions.rotate_list_secret(), which invalidates every cursor given out before (docs/security.md).

CREATE TABLE actions.list_secret (
    secret  bytea NOT NULL CHECK (octet_length(secret) >= 32),
    made_at timestamptz NOT NULL DEFAULT now()
);
-- One row at most.
CREATE UNIQUE INDEX list_secret_one_row ON actions.list_secret ((true));
COMMENT ON TABLE actions.list_secret IS
    'Internal: the key list cursors are authenticated with (HMAC-SHA-256), one row; readable by the extension''s owner only; replace it with actions.rotate_list_secret()';
COMMENT ON COLUMN actions.list_secret.secret IS 'The key: 32 random bytes';
COMMENT ON COLUMN actions.list_secret.made_at IS 'When it was made (CREATE EXTENSION or the last rotation)';
REVOKE ALL ON actions.list_secret FROM PUBLIC;

-- pg_restore copies the dumped row after CREATE EXTENSION made one: the row inserted replaces the
-- one there, so the restored database keeps the dumped secret and its cursors stay valid.
CREATE FUNCTION actions.list_secret_replace() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    DELETE FROM actions.list_secret;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION actions.list_secret_replace() IS
    'Trigger: a row inserted into actions.list_secret replaces the one there (how a restore keeps the dumped secret)';
CREATE TRIGGER list_secret_replace BEFORE INSERT ON actions.list_secret
    FOR EACH ROW EXECUTE FUNCTION actions.list_secret_replace();
-- ALWAYS: a restore in replica mode replaces the secret too.
ALTER TABLE actions.list_secret ENABLE ALWAYS TRIGGER list_secret_replace;
COMMENT ON TRIGGER list_secret_replace ON actions.list_secret IS
    'A row inserted replaces the one there: one secret at a time (actions.list_secret_replace())';

CREATE FUNCTION actions.rotate_list_secret() RETURNS timestamptz
    LANGUAGE c VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_rotate_list_secret';
COMMENT ON FUNCTION actions.rotate_list_secret() IS
    'Administration: replaces the secret list cursors are authenticated with by 32 new random bytes (pg_strong_random); every next_cursor given out before is refused from then on (22023), and a client starts again from the first page. Returns when the new secret was made';
REVOKE ALL ON FUNCTION actions.list_secret_replace(), actions.rotate_list_secret() FROM PUBLIC;

SELECT actions.rotate_list_secret() IS NOT NULL AS list_secret_made;
SELECT pg_catalog.pg_extension_config_dump('actions.list_secret', '');
-- pg_actions install script, part 48: where new assignments to an absent member go
-- (actions.absence, 42_absence.sql). Added after the list's column (47_list.sql), in the order an
-- update from 0.1 adds them.
ALTER TABLE actions.workspace ADD COLUMN absence_routing text NOT NULL DEFAULT 'substitute'
    CHECK (absence_routing IN ('substitute', 'both'));
COMMENT ON COLUMN actions.workspace.absence_routing IS 'Where a new assignment to an absent member goes (actions.absence): substitute (the substitute becomes the assignee) or both (the absent member stays the assignee and the substitute is notified; the substitute may act on it while the absence lasts)';
-- pg_actions install script, part 48: the API of action types and templates (src/sql/08 and 13
-- hold the tables), and what members read of them. Each function decides for the acting person:
-- types and templates are managed with manage_workspace; any member who may create actions
-- creates them from a template, through create_action's rules.

CREATE FUNCTION actions.create_action_type(workspace_id bigint, type_key text, label text) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_create_action_type';
COMMENT ON FUNCTION actions.create_action_type(bigint, text, text) IS
    'Add a custom action type to the workspace (needs manage_workspace): a stable key (a lowercase identifier, not a system type) and the label lists show';

CREATE FUNCTION actions.rename_action_type(workspace_id bigint, type_key text, label text) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_rename_action_type';
COMMENT ON FUNCTION actions.rename_action_type(bigint, text, text) IS
    'Change the label of a custom action type (needs manage_workspace); the key, and so every action of the type, stays';

CREATE FUNCTION actions.retire_action_type(workspace_id bigint, type_key text) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_retire_action_type';
COMMENT ON FUNCTION actions.retire_action_type(bigint, text) IS
    'Retire a custom action type (needs manage_workspace): its actions keep it and lists still filter by it, but new actions and templates cannot use it';

CREATE FUNCTION actions.reinstate_action_type(workspace_id bigint, type_key text) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_reinstate_action_type';
COMMENT ON FUNCTION actions.reinstate_action_type(bigint, text) IS
    'Put a retired custom action type back in use (needs manage_workspace)';

CREATE FUNCTION actions.create_template(
    workspace_id      bigint,
    name              text,
    title             text,
    type              text DEFAULT 'task',
    description       text DEFAULT NULL,
    due_in            integer DEFAULT NULL,
    due_unit          text DEFAULT 'calendar_days',
    priority          text DEFAULT 'none',
    group_ids         bigint[] DEFAULT NULL,
    assignee_rule     text DEFAULT 'none',
    assignee_id       bigint DEFAULT NULL,
    assignee_capacity text DEFAULT NULL)
    RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_create_template';
COMMENT ON FUNCTION actions.create_template(bigint, text, text, text, text, integer, text, text, bigint[], text, bigint, text) IS
    'Create an action template (needs manage_workspace), version 1: type, title and description with placeholders ({workspace}, {record_title}, {record_kind}, {due_date}, {creator}, {created_on}), due in due_in days of due_unit (calendar_days, or working_days of the workspace''s business calendar), priority, groups, and the assignee rule none, person (assignee_id), creator or record_party (assignee_capacity owner or responsible). Returns its id';

CREATE FUNCTION actions.update_template(
    template_id       bigint,
    name              text DEFAULT NULL,
    title             text DEFAULT NULL,
    type              text DEFAULT NULL,
    description       text DEFAULT NULL,
    due_in            integer DEFAULT NULL,
    due_unit          text DEFAULT NULL,
    priority          text DEFAULT NULL,
    group_ids         bigint[] DEFAULT NULL,
    assignee_rule     text DEFAULT NULL,
    assignee_id       bigint DEFAULT NULL,
    assignee_capacity text DEFAULT NULL,
    clear_due         boolean DEFAULT false)
    RETURNS integer
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_update_template';
COMMENT ON FUNCTION actions.update_template(bigint, text, text, text, text, integer, text, text, bigint[], text, bigint, text, boolean) IS
    'Edit a template (needs manage_workspace): a new version with the fields given changed (NULL keeps a field, '''' clears the description, clear_due => true the due rule; an assignee rule is given as a whole). Actions already made keep their version. Returns the new version';

CREATE FUNCTION actions.retire_template(template_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_retire_template';
COMMENT ON FUNCTION actions.retire_template(bigint) IS
    'Retire a template (needs manage_workspace): it makes no new actions and frees its name; its versions and actions stay';

CREATE FUNCTION actions.create_action_from_template(
    template_id bigint,
    record_id   bigint DEFAULT NULL,
    title       text DEFAULT NULL,
    description text DEFAULT NULL,
    assignee_id bigint DEFAULT NULL,
    due_at      timestamptz DEFAULT NULL,
    due_on      date DEFAULT NULL,
    priority    text DEFAULT NULL,
    group_ids   bigint[] DEFAULT NULL)
    RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_create_action_from_template';
COMMENT ON FUNCTION actions.create_action_from_template(bigint, bigint, text, text, bigint, timestamptz, date, text, bigint[]) IS
    'Create an action from the current version of a template, linked to record_id if given, through the rules of actions.create_action(): placeholders filled, the due rule and assignee rule applied; a non-NULL argument overrides the template (title and description as given, without placeholders). The action records the template and version (template_id, template_version, and the created entry of its log). Returns the action id';

-- Members read the types and templates of the workspaces they act in.
ALTER TABLE actions.action_type ENABLE ROW LEVEL SECURITY;
CREATE POLICY action_type_visible ON actions.action_type FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY action_type_visible ON actions.action_type IS 'Members see the action types of their workspaces';
ALTER TABLE actions.template ENABLE ROW LEVEL SECURITY;
CREATE POLICY template_visible ON actions.template FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY template_visible ON actions.template IS 'Members see the templates of their workspaces';
ALTER TABLE actions.template_version ENABLE ROW LEVEL SECURITY;
CREATE POLICY template_version_visible ON actions.template_version FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY template_version_visible ON actions.template_version IS 'Members see every version of the templates of their workspaces';
GRANT SELECT ON actions.action_type, actions.template, actions.template_version TO PUBLIC;

REVOKE ALL ON FUNCTION actions.create_action_type(bigint, text, text), actions.rename_action_type(bigint, text, text),
    actions.retire_action_type(bigint, text), actions.reinstate_action_type(bigint, text),
    actions.create_template(bigint, text, text, text, text, integer, text, text, bigint[], text, bigint, text),
    actions.update_template(bigint, text, text, text, text, integer, text, text, bigint[], text, bigint, text, boolean),
    actions.retire_template(bigint),
    actions.create_action_from_template(bigint, bigint, text, text, bigint, timestamptz, date, text, bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION actions.create_action_type(bigint, text, text), actions.rename_action_type(bigint, text, text),
    actions.retire_action_type(bigint, text), actions.reinstate_action_type(bigint, text),
    actions.create_template(bigint, text, text, text, text, integer, text, text, bigint[], text, bigint, text),
    actions.update_template(bigint, text, text, text, text, integer, text, text, bigint[], text, bigint, text, boolean),
    actions.retire_template(bigint),
    actions.create_action_from_template(bigint, bigint, text, text, bigint, timestamptz, date, text, bigint[]) TO PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('actions.action_type', '');
SELECT pg_catalog.pg_extension_config_dump('actions.template', '');
SELECT pg_catalog.pg_extension_config_dump('actions.template_version', '');
SELECT pg_catalog.pg_extension_config_dump('actions.template_template_id_seq', '');
-- pg_actions install script, part 49: business calendars. A calendar (working days and hours,
-- holidays, a time zone) belongs to the workspace whose managers change it; a workspace uses one
-- calendar, its own or one shared by another workspace it is managed with. The arithmetic
-- (actions.add_working_time, actions.working_time_between) is the core's (src/core/calendar.hpp),
-- over the offsets of PostgreSQL's own time zone database. Members read the calendars of their
-- workspaces through row-level security; changes go through the functions.

CREATE TABLE actions.calendar (
    calendar_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id bigint NOT NULL REFERENCES actions.workspace ON DELETE CASCADE,
    name         text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
    time_zone    text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, name)
);
COMMENT ON TABLE actions.calendar IS 'A business calendar: working days and hours (actions.calendar_hours), holidays (actions.calendar_holiday) and a time zone';
COMMENT ON COLUMN actions.calendar.calendar_id IS 'Identifier of the calendar';
COMMENT ON COLUMN actions.calendar.workspace_id IS 'The workspace that owns the calendar: its managers (manage_workspace) change it and share it';
COMMENT ON COLUMN actions.calendar.name IS 'Name of the calendar, unique in its workspace';
COMMENT ON COLUMN actions.calendar.time_zone IS 'IANA time zone (a name of pg_timezone_names) in which the working hours and holidays are read';
COMMENT ON COLUMN actions.calendar.created_at IS 'When the calendar was created';

CREATE TABLE actions.calendar_hours (
    calendar_id bigint NOT NULL REFERENCES actions.calendar ON DELETE CASCADE,
    weekday     smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    hours       text NOT NULL CHECK (hours <> ''),
    PRIMARY KEY (calendar_id, weekday)
);
COMMENT ON TABLE actions.calendar_hours IS 'Working hours of each working day of a calendar; a weekday without a row is not a working day';
COMMENT ON COLUMN actions.calendar_hours.calendar_id IS 'Calendar';
COMMENT ON COLUMN actions.calendar_hours.weekday IS 'ISO weekday: 1 Monday .. 7 Sunday';
COMMENT ON COLUMN actions.calendar_hours.hours IS 'Periods of working time in local wall-clock time, e.g. ''09:00-12:30, 13:30-17:30'' (sorted, disjoint, as the core writes them)';

CREATE TABLE actions.calendar_holiday (
    holiday_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    calendar_id bigint NOT NULL REFERENCES actions.calendar ON DELETE CASCADE,
    name        text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
    first_day   date NOT NULL,
    last_day    date NOT NULL,
    CHECK (last_day >= first_day)
);
CREATE INDEX calendar_holiday_calendar_idx ON actions.calendar_holiday (calendar_id, first_day);
COMMENT ON TABLE actions.calendar_holiday IS 'Holidays of a calendar: a single day or a range of days without working time';
COMMENT ON COLUMN actions.calendar_holiday.holiday_id IS 'Identifier of the holiday';
COMMENT ON COLUMN actions.calendar_holiday.calendar_id IS 'Calendar';
COMMENT ON COLUMN actions.calendar_holiday.name IS 'Name of the holiday, e.g. Christmas';
COMMENT ON COLUMN actions.calendar_holiday.first_day IS 'First day of the holiday';
COMMENT ON COLUMN actions.calendar_holiday.last_day IS 'Last day of the holiday (the first day for a single day)';

CREATE TABLE actions.workspace_calendar (
    workspace_id    bigint PRIMARY KEY REFERENCES actions.workspace ON DELETE CASCADE,
    calendar_id     bigint NOT NULL REFERENCES actions.calendar ON DELETE CASCADE,
    non_working_due text NOT NULL DEFAULT 'keep' CHECK (non_working_due IN ('keep', 'previous', 'next'))
);
CREATE INDEX workspace_calendar_calendar_idx ON actions.workspace_calendar (calendar_id);
COMMENT ON TABLE actions.workspace_calendar IS 'The calendar each workspace uses (several workspaces may share one)';
COMMENT ON COLUMN actions.workspace_calendar.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.workspace_calendar.calendar_id IS 'The calendar it uses, its own or one another workspace shares';
COMMENT ON COLUMN actions.workspace_calendar.non_working_due IS 'A date-only due date (due_on) on a non-working day: keep (stays), previous or next (the end of the previous or next working day)';

CREATE FUNCTION actions.create_calendar(workspace_id bigint, name text, time_zone text DEFAULT NULL,
        working_days integer[] DEFAULT '{1,2,3,4,5}', working_hours text DEFAULT '09:00-17:00',
        use_it boolean DEFAULT true) RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_create_calendar';
COMMENT ON FUNCTION actions.create_calendar(bigint, text, text, integer[], text, boolean) IS
    'Create a calendar owned by the workspace (needs manage_workspace): time zone (default: the workspace''s), working days (ISO weekdays, 1 Monday .. 7 Sunday) with the same working hours (e.g. ''09:00-12:30, 13:30-17:30''); with use_it the workspace uses it from now on. Returns its id';

CREATE FUNCTION actions.alter_calendar(calendar_id bigint, name text DEFAULT NULL, time_zone text DEFAULT NULL)
    RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_alter_calendar';
COMMENT ON FUNCTION actions.alter_calendar(bigint, text, text) IS
    'Rename a calendar or change its time zone (needs manage_workspace in the workspace that owns it); NULL keeps a value';

CREATE FUNCTION actions.set_working_hours(calendar_id bigint, working_hours text, weekdays integer[] DEFAULT NULL)
    RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_set_working_hours';
COMMENT ON FUNCTION actions.set_working_hours(bigint, text, integer[]) IS
    'Set the working hours (e.g. ''09:00-12:30, 13:30-17:30'') of the given weekdays, which become working days, or of every working day when weekdays is NULL (needs manage_workspace in the workspace that owns the calendar)';

CREATE FUNCTION actions.set_working_days(calendar_id bigint, working_days integer[], working_hours text DEFAULT NULL)
    RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_set_working_days';
COMMENT ON FUNCTION actions.set_working_days(bigint, integer[], text) IS
    'Choose the working days (ISO weekdays); a day that keeps working keeps its hours, a new one takes working_hours or else the hours of the first working day now (needs manage_workspace in the workspace that owns the calendar)';

CREATE FUNCTION actions.add_holiday(calendar_id bigint, name text, first_day date, last_day date DEFAULT NULL)
    RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_add_holiday';
COMMENT ON FUNCTION actions.add_holiday(bigint, text, date, date) IS
    'Add a named holiday, one day or first_day to last_day (needs manage_workspace in the workspace that owns the calendar); returns its id';

CREATE FUNCTION actions.remove_holiday(holiday_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_remove_holiday';
COMMENT ON FUNCTION actions.remove_holiday(bigint) IS
    'Remove a holiday (needs manage_workspace in the workspace that owns the calendar)';

CREATE FUNCTION actions.use_calendar(workspace_id bigint, calendar_id bigint, non_working_due text DEFAULT NULL)
    RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_use_calendar';
COMMENT ON FUNCTION actions.use_calendar(bigint, bigint, text) IS
    'Choose the calendar a workspace uses (NULL: none) and where its date-only due dates on non-working days go: keep, previous or next (NULL keeps the setting; needs manage_workspace in the workspace and in the workspace that owns the calendar)';

CREATE FUNCTION actions.delete_calendar(calendar_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_delete_calendar';
COMMENT ON FUNCTION actions.delete_calendar(bigint) IS
    'Delete a calendar no other workspace uses, with its hours and holidays (needs manage_workspace in the workspace that owns it)';

CREATE FUNCTION actions.add_working_time(from_at timestamptz, duration interval, workspace_id bigint DEFAULT NULL,
        calendar_id bigint DEFAULT NULL) RETURNS timestamptz
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_add_working_time';
COMMENT ON FUNCTION actions.add_working_time(timestamptz, interval, bigint, bigint) IS
    'The instant a working duration after from_at, on the calendar of workspace_id or on calendar_id (give one): whole days are working days (the same point of the Nth next working day; from outside working hours, the end of the Nth working day), then hours and minutes of working time; a negative duration goes back. Months are refused. For members of a workspace that owns or uses the calendar';

CREATE FUNCTION actions.working_time_between(from_at timestamptz, to_at timestamptz, workspace_id bigint DEFAULT NULL,
        calendar_id bigint DEFAULT NULL) RETURNS interval
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_working_time_between';
COMMENT ON FUNCTION actions.working_time_between(timestamptz, timestamptz, bigint, bigint) IS
    'The working time from from_at to to_at (hours, minutes and seconds of working time; negative when to_at is earlier), on the calendar of workspace_id or on calendar_id (give one). For members of a workspace that owns or uses the calendar';

CREATE FUNCTION actions.is_working_day(day date, workspace_id bigint DEFAULT NULL, calendar_id bigint DEFAULT NULL)
    RETURNS boolean
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_is_working_day';
COMMENT ON FUNCTION actions.is_working_day(date, bigint, bigint) IS
    'Whether the day is a working day (a weekday with working hours, not a holiday) of the calendar of workspace_id or of calendar_id (give one)';

ALTER TABLE actions.calendar ENABLE ROW LEVEL SECURITY;
CREATE POLICY calendar_visible ON actions.calendar FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[])
    OR calendar_id IN (SELECT wc.calendar_id FROM actions.workspace_calendar wc));
COMMENT ON POLICY calendar_visible ON actions.calendar IS
    'Members see the calendars their workspaces own or use';
ALTER TABLE actions.workspace_calendar ENABLE ROW LEVEL SECURITY;
CREATE POLICY workspace_calendar_visible ON actions.workspace_calendar FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY workspace_calendar_visible ON actions.workspace_calendar IS
    'Members see which calendar their workspaces use';
ALTER TABLE actions.calendar_hours ENABLE ROW LEVEL SECURITY;
CREATE POLICY calendar_hours_visible ON actions.calendar_hours FOR SELECT USING (
    calendar_id IN (SELECT c.calendar_id FROM actions.calendar c));
COMMENT ON POLICY calendar_hours_visible ON actions.calendar_hours IS 'The working hours of the calendars the person sees';
ALTER TABLE actions.calendar_holiday ENABLE ROW LEVEL SECURITY;
CREATE POLICY calendar_holiday_visible ON actions.calendar_holiday FOR SELECT USING (
    calendar_id IN (SELECT c.calendar_id FROM actions.calendar c));
COMMENT ON POLICY calendar_holiday_visible ON actions.calendar_holiday IS 'The holidays of the calendars the person sees';

REVOKE ALL ON actions.calendar, actions.calendar_hours, actions.calendar_holiday, actions.workspace_calendar FROM PUBLIC;
GRANT SELECT ON actions.calendar, actions.calendar_hours, actions.calendar_holiday, actions.workspace_calendar TO PUBLIC;
REVOKE ALL ON FUNCTION actions.create_calendar(bigint, text, text, integer[], text, boolean),
    actions.alter_calendar(bigint, text, text), actions.set_working_hours(bigint, text, integer[]),
    actions.set_working_days(bigint, integer[], text), actions.add_holiday(bigint, text, date, date),
    actions.remove_holiday(bigint), actions.use_calendar(bigint, bigint, text), actions.delete_calendar(bigint),
    actions.add_working_time(timestamptz, interval, bigint, bigint),
    actions.working_time_between(timestamptz, timestamptz, bigint, bigint),
    actions.is_working_day(date, bigint, bigint) FROM PUBLIC;
-- The person-facing API: each function decides what the acting person may do.
GRANT EXECUTE ON FUNCTION actions.create_calendar(bigint, text, text, integer[], text, boolean),
    actions.alter_calendar(bigint, text, text), actions.set_working_hours(bigint, text, integer[]),
    actions.set_working_days(bigint, integer[], text), actions.add_holiday(bigint, text, date, date),
    actions.remove_holiday(bigint), actions.use_calendar(bigint, bigint, text), actions.delete_calendar(bigint),
    actions.add_working_time(timestamptz, interval, bigint, bigint),
    actions.working_time_between(timestamptz, timestamptz, bigint, bigint),
    actions.is_working_day(date, bigint, bigint) TO PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('actions.calendar', '');
SELECT pg_catalog.pg_extension_config_dump('actions.calendar_hours', '');
SELECT pg_catalog.pg_extension_config_dump('actions.calendar_holiday', '');
SELECT pg_catalog.pg_extension_config_dump('actions.workspace_calendar', '');
SELECT pg_catalog.pg_extension_config_dump('actions.calendar_calendar_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('actions.calendar_holiday_holiday_id_seq', '');
-- pg_actions install script, part 50: records (kinds, parties), approver eligibility, the system
-- workflows; adoption of an application's own table is part 50_tracking.

-- SECURITY DEFINER for the same reason as actions.seed_system_roles().
CREATE FUNCTION actions.seed_record_kinds() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    -- A restore copies the workspace's record kinds back with it.
    IF actions.restoring(TG_RELID) THEN
        RETURN NULL;
    END IF;
    INSERT INTO actions.record_kind (workspace_id, kind, is_system)
    SELECT NEW.workspace_id, k, true FROM unnest(ARRAY['decision', 'delegation', 'document', 'matrix', 'generic']) AS k;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION actions.seed_record_kinds() IS
    'Trigger: gives every new workspace the record kinds decision, delegation, document, matrix and generic; nothing during a restore (actions.restoring()), which brings them back';
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
    'Maintenance: review actions for the reviewers of the published documents whose review is due, at most pg_actions.sweep_batch_size documents per call (the longest due first; the rest wait for the next call), then schedule the next one; a document that fails unexpectedly is recorded in actions.maintenance_error and the others go on; safe to run concurrently. Returns how many actions it created';

CREATE FUNCTION actions.record_outcome(action_id bigint, outcome text, comment text DEFAULT NULL) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_record_outcome';
COMMENT ON FUNCTION actions.record_outcome(bigint, text, text) IS
    'Close a workflow action with its outcome (approved, rejected, accepted, declined, acknowledged) and a comment; an approval needs an eligible approver at this moment. The record''s workflow state follows';

CREATE FUNCTION actions.set_workflow(workspace_id bigint, workflow text, enabled boolean, due_days integer DEFAULT NULL,
                                     due_unit text DEFAULT NULL)
    RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_set_workflow';
COMMENT ON FUNCTION actions.set_workflow(bigint, text, boolean, integer, text) IS
    'Switch a system workflow on or off for the workspace, with the days its actions are due in (needs manage_workspace); due_unit calendar_days (default) or working_days (the workspace''s business calendar, 55000 without one)';

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

-- pg_actions install script, part 50 (continued): adoption of an application's own table as
-- records (actions.track_table()), and who may run the functions of part 50.

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
    actions.record_outcome(bigint, text, text), actions.set_workflow(bigint, text, boolean, integer, text),
    actions.eligible_approvers(bigint), actions.is_eligible_approver(bigint, bigint),
    actions.why_not(text, bigint, bigint), actions.tracked_record(regclass, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION actions.create_record_kind(bigint, text), actions.delete_record_kind(bigint, text),
    actions.add_party(bigint, text, bigint, bigint), actions.remove_party(bigint, text, bigint, bigint),
    actions.update_record(bigint, text), actions.submit_delegation(bigint), actions.request_delegation(bigint, text, text),
    actions.publish_document(bigint), actions.set_review_schedule(bigint, interval),
    actions.record_outcome(bigint, text, text), actions.set_workflow(bigint, text, boolean, integer, text),
    actions.eligible_approvers(bigint), actions.is_eligible_approver(bigint, bigint),
    actions.why_not(text, bigint, bigint), actions.tracked_record(regclass, text) TO PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('actions.tracked_table', '');
-- pg_actions install script, part 51: procedures. A procedure (per workspace) is an ordered list of
-- steps; attaching it to a record (actions.start_procedure()) creates every step's action at once,
-- with scheduled start and due dates in working time of the workspace's business calendar. The
-- rules (order of steps, rescheduling, who completes an earlier step) are the core's
-- (core/procedure.hpp); the glue is src/pg/api/procedures.cpp and procedure_steps.cpp.

CREATE TABLE actions.procedure (
    workspace_id bigint NOT NULL REFERENCES actions.workspace ON DELETE CASCADE,
    procedure_id bigint GENERATED ALWAYS AS IDENTITY,
    name         text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
    description  text CHECK (length(description) <= 20000),
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   bigint,
    PRIMARY KEY (workspace_id, procedure_id),
    FOREIGN KEY (workspace_id, created_by) REFERENCES actions.member
);
-- API calls address a procedure by its id alone.
CREATE INDEX procedure_id_idx ON actions.procedure (procedure_id);
CREATE UNIQUE INDEX procedure_name_key ON actions.procedure (workspace_id, name);
COMMENT ON TABLE actions.procedure IS 'Procedure definitions of a workspace (actions.create_procedure()): an ordered list of steps (actions.procedure_step) attached to records with actions.start_procedure()';
COMMENT ON COLUMN actions.procedure.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.procedure.procedure_id IS 'Identifier of the procedure (unique across workspaces)';
COMMENT ON COLUMN actions.procedure.name IS 'Name people pick the procedure by; unique in the workspace';
COMMENT ON COLUMN actions.procedure.description IS 'What the procedure is for';
COMMENT ON COLUMN actions.procedure.created_at IS 'When it was created';
COMMENT ON COLUMN actions.procedure.created_by IS 'Person who created it';

CREATE TABLE actions.procedure_step (
    workspace_id      bigint NOT NULL,
    procedure_id      bigint NOT NULL,
    position          integer NOT NULL CHECK (position BETWEEN 1 AND 100),
    title             text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 500),
    description       text CHECK (length(description) <= 20000),
    type              text NOT NULL DEFAULT 'task',
    assignee_rule     text NOT NULL DEFAULT 'none' CHECK (assignee_rule IN ('none', 'person', 'creator', 'record_party', 'pool')),
    assignee_id       bigint,
    assignee_capacity text CHECK (assignee_capacity IN ('owner', 'responsible')),
    pool_people       bigint[] NOT NULL DEFAULT '{}',
    pool_groups       bigint[] NOT NULL DEFAULT '{}',
    pool_roles        text[] NOT NULL DEFAULT '{}',
    duration          interval NOT NULL,
    gap               interval NOT NULL DEFAULT '0',
    PRIMARY KEY (workspace_id, procedure_id, position),
    FOREIGN KEY (workspace_id, procedure_id) REFERENCES actions.procedure ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, type) REFERENCES actions.action_type,
    FOREIGN KEY (workspace_id, assignee_id) REFERENCES actions.member
);
COMMENT ON TABLE actions.procedure_step IS 'The steps of a procedure, in order (actions.add_procedure_step()): what each step''s action gets';
COMMENT ON COLUMN actions.procedure_step.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.procedure_step.procedure_id IS 'The procedure';
COMMENT ON COLUMN actions.procedure_step.position IS 'Order of the step, from 1';
COMMENT ON COLUMN actions.procedure_step.title IS 'Title of the step''s action';
COMMENT ON COLUMN actions.procedure_step.description IS 'Description of the step''s action';
COMMENT ON COLUMN actions.procedure_step.type IS 'Action type of the step''s action (actions.action_type)';
COMMENT ON COLUMN actions.procedure_step.assignee_rule IS 'Who the step''s action goes to, as a template''s rule: none, person (assignee_id), creator (who attaches the procedure), record_party (the person holding assignee_capacity on the record) or pool (offered to pool_people, pool_groups and pool_roles)';
COMMENT ON COLUMN actions.procedure_step.assignee_id IS 'The person of the rule person';
COMMENT ON COLUMN actions.procedure_step.assignee_capacity IS 'The capacity of the rule record_party: owner or responsible';
COMMENT ON COLUMN actions.procedure_step.pool_people IS 'People of the rule pool';
COMMENT ON COLUMN actions.procedure_step.pool_groups IS 'Groups of the rule pool (their members and those of the groups below)';
COMMENT ON COLUMN actions.procedure_step.pool_roles IS 'Roles of the rule pool';
COMMENT ON COLUMN actions.procedure_step.duration IS 'Working time from the step''s scheduled start to its due date (days are working days, hours working hours of the calendar)';
COMMENT ON COLUMN actions.procedure_step.gap IS 'Working time between the previous step''s due date (or the attachment, for step 1) and this step''s start';

CREATE TABLE actions.procedure_setting (
    workspace_id        bigint PRIMARY KEY REFERENCES actions.workspace ON DELETE CASCADE,
    relaxed_dates       boolean NOT NULL DEFAULT false,
    reschedule_if_early boolean NOT NULL DEFAULT false,
    reschedule_if_late  boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE actions.procedure_setting IS 'A workspace''s procedure options (actions.set_procedure_options()); no row: all off';
COMMENT ON COLUMN actions.procedure_setting.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.procedure_setting.relaxed_dates IS 'Relaxed date checking: a step may start or be completed before the previous step is complete';
COMMENT ON COLUMN actions.procedure_setting.reschedule_if_early IS 'A step completed early moves the later open steps earlier by the working time it was early';
COMMENT ON COLUMN actions.procedure_setting.reschedule_if_late IS 'A step completed late moves the later open steps later by the working time it was late';

CREATE TABLE actions.procedure_run (
    workspace_id  bigint NOT NULL,
    run_id        bigint GENERATED ALWAYS AS IDENTITY,
    procedure_id  bigint NOT NULL,
    record_id     bigint NOT NULL,
    started_at    timestamptz NOT NULL DEFAULT now(),
    started_by    bigint,
    cancelled_at  timestamptz,
    cancelled_by  bigint,
    cancel_reason text CHECK (length(cancel_reason) <= 2000),
    PRIMARY KEY (workspace_id, run_id),
    FOREIGN KEY (workspace_id, procedure_id) REFERENCES actions.procedure ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, record_id) REFERENCES actions.record ON DELETE CASCADE,
    CHECK ((cancelled_at IS NULL) = (cancel_reason IS NULL))
);
CREATE INDEX procedure_run_id_idx ON actions.procedure_run (run_id);
CREATE INDEX procedure_run_record_idx ON actions.procedure_run (workspace_id, record_id);
COMMENT ON TABLE actions.procedure_run IS 'A procedure attached to a record (actions.start_procedure()): its steps'' actions are in actions.procedure_action';
COMMENT ON COLUMN actions.procedure_run.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.procedure_run.run_id IS 'Identifier of this attachment';
COMMENT ON COLUMN actions.procedure_run.procedure_id IS 'The procedure attached';
COMMENT ON COLUMN actions.procedure_run.record_id IS 'The record it is attached to';
COMMENT ON COLUMN actions.procedure_run.started_at IS 'When it was attached';
COMMENT ON COLUMN actions.procedure_run.started_by IS 'Person who attached it';
COMMENT ON COLUMN actions.procedure_run.cancelled_at IS 'When it was cancelled as a whole (actions.cancel_procedure()); NULL while it runs';
COMMENT ON COLUMN actions.procedure_run.cancelled_by IS 'Person who cancelled it';
COMMENT ON COLUMN actions.procedure_run.cancel_reason IS 'Why it was cancelled';

CREATE TABLE actions.procedure_action (
    workspace_id     bigint NOT NULL,
    action_id        bigint NOT NULL,
    run_id           bigint NOT NULL,
    position         integer NOT NULL CHECK (position BETWEEN 1 AND 100),
    scheduled_start  timestamptz NOT NULL,
    applied_shift_us bigint,
    PRIMARY KEY (workspace_id, action_id),
    UNIQUE (workspace_id, run_id, position),
    FOREIGN KEY (workspace_id, action_id) REFERENCES actions.action ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, run_id) REFERENCES actions.procedure_run ON DELETE CASCADE
);
COMMENT ON TABLE actions.procedure_action IS 'The action of each step of an attached procedure, with its scheduled start (the due date is the action''s due_at); kept beside actions.action so an action row is the same whether or not it is a step';
COMMENT ON COLUMN actions.procedure_action.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.procedure_action.action_id IS 'The step''s action';
COMMENT ON COLUMN actions.procedure_action.run_id IS 'The attached procedure (actions.procedure_run)';
COMMENT ON COLUMN actions.procedure_action.position IS 'The step''s position in the procedure';
COMMENT ON COLUMN actions.procedure_action.scheduled_start IS 'When the step is scheduled to start; moved with its due date when an earlier step is completed early or late (actions.complete_step()), or by a member with administer_actions (actions.set_step_start())';
COMMENT ON COLUMN actions.procedure_action.applied_shift_us IS 'The working time (microseconds) its completion moved the later steps by; un-completing it moves them back. NULL: its completion moved nothing';

ALTER TABLE actions.procedure ENABLE ROW LEVEL SECURITY;
CREATE POLICY procedure_visible ON actions.procedure FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY procedure_visible ON actions.procedure IS 'Members see the procedures of their workspaces';
ALTER TABLE actions.procedure_step ENABLE ROW LEVEL SECURITY;
CREATE POLICY procedure_step_visible ON actions.procedure_step FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY procedure_step_visible ON actions.procedure_step IS 'Members see the steps of their workspaces'' procedures';
ALTER TABLE actions.procedure_setting ENABLE ROW LEVEL SECURITY;
CREATE POLICY procedure_setting_visible ON actions.procedure_setting FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY procedure_setting_visible ON actions.procedure_setting IS 'Members see their workspaces'' procedure options';
ALTER TABLE actions.procedure_run ENABLE ROW LEVEL SECURITY;
CREATE POLICY procedure_run_visible ON actions.procedure_run FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY procedure_run_visible ON actions.procedure_run IS 'Members see the procedures attached in their workspaces (ids only: the record and the actions keep their own visibility)';
ALTER TABLE actions.procedure_action ENABLE ROW LEVEL SECURITY;
CREATE POLICY procedure_action_visible ON actions.procedure_action FOR SELECT USING (
    EXISTS (SELECT 1 FROM actions.action a WHERE a.workspace_id = procedure_action.workspace_id
            AND a.action_id = procedure_action.action_id));
COMMENT ON POLICY procedure_action_visible ON actions.procedure_action IS 'A step''s row is seen by whoever sees its action (the policy of actions.action applies inside)';
GRANT SELECT ON actions.procedure, actions.procedure_step, actions.procedure_setting, actions.procedure_run,
    actions.procedure_action TO PUBLIC;

CREATE FUNCTION actions.create_procedure(workspace_id bigint, name text, description text DEFAULT NULL) RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_create_procedure';
COMMENT ON FUNCTION actions.create_procedure(bigint, text, text) IS
    'Create a procedure (needs manage_workspace): a name unique in the workspace and a description; add its steps with actions.add_procedure_step(). Returns its id';

CREATE FUNCTION actions.add_procedure_step(procedure_id bigint, title text, duration interval, gap interval DEFAULT NULL,
                                           type text DEFAULT 'task', description text DEFAULT NULL,
                                           assignee_rule text DEFAULT 'none', assignee_id bigint DEFAULT NULL,
                                           assignee_capacity text DEFAULT NULL, pool_people bigint[] DEFAULT NULL,
                                           pool_groups bigint[] DEFAULT NULL, pool_roles text[] DEFAULT NULL)
    RETURNS integer
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_add_procedure_step';
COMMENT ON FUNCTION actions.add_procedure_step(bigint, text, interval, interval, text, text, text, bigint, text, bigint[], bigint[], text[]) IS
    'Append a step to a procedure (needs manage_workspace): title, duration and gap before it in working time (''2 days'', ''4 hours''), type, description, and the assignee rule of templates (none, person, creator, record_party with owner or responsible, pool with people, groups and roles). Returns its position';

CREATE FUNCTION actions.set_procedure_options(workspace_id bigint, relaxed_dates boolean DEFAULT NULL,
                                              reschedule_if_early boolean DEFAULT NULL,
                                              reschedule_if_late boolean DEFAULT NULL)
    RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_set_procedure_options';
COMMENT ON FUNCTION actions.set_procedure_options(bigint, boolean, boolean, boolean) IS
    'Set the workspace''s procedure options (needs manage_workspace; NULL keeps one as it is): relaxed date checking, and whether a step completed early or late reschedules the later steps';

CREATE FUNCTION actions.start_procedure(procedure_id bigint, record_id bigint, start_at timestamptz DEFAULT NULL)
    RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_start_procedure';
COMMENT ON FUNCTION actions.start_procedure(bigint, bigint, timestamptz) IS
    'Attach a procedure to a record: creates every step''s action at once (as actions.create_action() would, linked to the record), with its scheduled start and due date in working time of the workspace''s calendar from start_at (default now; 55000 without a calendar). Returns the run id';

CREATE FUNCTION actions.complete_step(action_id bigint, reschedule boolean DEFAULT NULL, evidence bytea DEFAULT NULL,
                                      evidence_name text DEFAULT NULL, evidence_type text DEFAULT NULL)
    RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_complete_step';
COMMENT ON FUNCTION actions.complete_step(bigint, boolean, bytea, text, text) IS
    'Complete an action as actions.complete() does; for a procedure step, reschedule => true asks to move the later steps by the working time it is early or late when the workspace''s switch is off (administer_actions only; with the switch on they always move)';

CREATE FUNCTION actions.set_step_start(action_id bigint, scheduled_start timestamptz) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_set_step_start';
COMMENT ON FUNCTION actions.set_step_start(bigint, timestamptz) IS
    'Change the scheduled start of a procedure step (needs administer_actions; not after its due date); logged as start_changed on the action';

CREATE FUNCTION actions.cancel_procedure(run_id bigint, reason text) RETURNS integer
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_cancel_procedure';
COMMENT ON FUNCTION actions.cancel_procedure(bigint, text) IS
    'Cancel an attached procedure as a whole, with a reason (its starter or administer_actions): every open step is cancelled with the reason. Returns how many steps were cancelled';

REVOKE ALL ON FUNCTION actions.create_procedure(bigint, text, text),
    actions.add_procedure_step(bigint, text, interval, interval, text, text, text, bigint, text, bigint[], bigint[], text[]),
    actions.set_procedure_options(bigint, boolean, boolean, boolean), actions.start_procedure(bigint, bigint, timestamptz),
    actions.complete_step(bigint, boolean, bytea, text, text), actions.set_step_start(bigint, timestamptz),
    actions.cancel_procedure(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION actions.create_procedure(bigint, text, text),
    actions.add_procedure_step(bigint, text, interval, interval, text, text, text, bigint, text, bigint[], bigint[], text[]),
    actions.set_procedure_options(bigint, boolean, boolean, boolean), actions.start_procedure(bigint, bigint, timestamptz),
    actions.complete_step(bigint, boolean, bytea, text, text), actions.set_step_start(bigint, timestamptz),
    actions.cancel_procedure(bigint, text) TO PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('actions.procedure', '');
SELECT pg_catalog.pg_extension_config_dump('actions.procedure_step', '');
SELECT pg_catalog.pg_extension_config_dump('actions.procedure_setting', '');
SELECT pg_catalog.pg_extension_config_dump('actions.procedure_run', '');
SELECT pg_catalog.pg_extension_config_dump('actions.procedure_action', '');
SELECT pg_catalog.pg_extension_config_dump('actions.procedure_procedure_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('actions.procedure_run_run_id_seq', '');
-- pg_actions install script, part 56: recurring actions. A schedule creates actions from a
-- template on an RFC 5545 recurrence rule (RRULE, expanded by libical in the core) in the
-- workspace's time zone; the maintenance task actions.create_scheduled_actions() creates each due
-- occurrence exactly once (actions.schedule_occurrence's key), as the schedule's owner.

CREATE TABLE actions.schedule (
    workspace_id bigint NOT NULL REFERENCES actions.workspace ON DELETE CASCADE,
    schedule_id  bigint GENERATED ALWAYS AS IDENTITY,
    template_id  bigint NOT NULL,
    record_id    bigint,
    rrule        text NOT NULL CHECK (length(rrule) <= 1000),
    starts_at    timestamp(0) NOT NULL,
    catch_up     text NOT NULL DEFAULT 'latest' CHECK (catch_up IN ('all', 'latest')),
    owner_id     bigint NOT NULL,
    paused       boolean NOT NULL DEFAULT false,
    next_local   timestamp(0),
    next_at      timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, schedule_id),
    FOREIGN KEY (workspace_id, owner_id) REFERENCES actions.member,
    FOREIGN KEY (workspace_id, record_id) REFERENCES actions.record,
    FOREIGN KEY (workspace_id, template_id) REFERENCES actions.template,
    CONSTRAINT schedule_next CHECK ((next_local IS NULL) = (next_at IS NULL))
);
CREATE UNIQUE INDEX schedule_id_idx ON actions.schedule (schedule_id);
-- What the sweep reads: the schedules due now, and nothing else (a sweep with nothing due reads
-- one index page).
CREATE INDEX schedule_due_idx ON actions.schedule (next_at) WHERE NOT paused AND next_at IS NOT NULL;
COMMENT ON TABLE actions.schedule IS
    'Recurring actions: a template instantiated on an RFC 5545 recurrence rule in the workspace''s time zone by the maintenance task actions.create_scheduled_actions(); written through create_schedule, pause_schedule, resume_schedule and delete_schedule';
COMMENT ON COLUMN actions.schedule.workspace_id IS 'Workspace (tenant)';
COMMENT ON COLUMN actions.schedule.schedule_id IS 'Identity';
COMMENT ON COLUMN actions.schedule.template_id IS 'The template each occurrence''s action is created from (actions.create_action_from_template())';
COMMENT ON COLUMN actions.schedule.record_id IS 'The record each occurrence''s action is linked to, or NULL';
COMMENT ON COLUMN actions.schedule.rrule IS 'The recurrence rule: the value of an RFC 5545 RRULE property (FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31), in libical''s normal form; DAILY or slower';
COMMENT ON COLUMN actions.schedule.starts_at IS 'The rule''s start (DTSTART) as a wall-clock time in the workspace''s time zone: the time of day of every occurrence, and the date the rule counts from';
COMMENT ON COLUMN actions.schedule.catch_up IS 'After the sweep was stopped for a while: all (create every missed occurrence, at most 1000 per sweep) or latest (only the latest; the older ones are passed over)';
COMMENT ON COLUMN actions.schedule.owner_id IS 'Who created the schedule: each occurrence''s action is created as this person, with create_action''s rules at that moment';
COMMENT ON COLUMN actions.schedule.paused IS 'Paused: no occurrence is created; resume_schedule() continues with the first occurrence from then on';
COMMENT ON COLUMN actions.schedule.next_local IS 'The next occurrence not yet created, as a wall-clock time in the workspace''s time zone (NULL: the rule has ended)';
COMMENT ON COLUMN actions.schedule.next_at IS 'next_local as an absolute time (timestamp AT TIME ZONE the workspace''s zone): when the sweep creates it';
COMMENT ON COLUMN actions.schedule.created_at IS 'When the schedule was created';

CREATE TABLE actions.schedule_occurrence (
    workspace_id  bigint NOT NULL REFERENCES actions.workspace ON DELETE CASCADE,
    schedule_id   bigint NOT NULL,
    occurrence    timestamp(0) NOT NULL,
    occurrence_at timestamptz NOT NULL,
    action_id     bigint,
    sqlstate      text,
    error         text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, schedule_id, occurrence),
    CONSTRAINT schedule_occurrence_outcome CHECK ((action_id IS NULL) = (error IS NOT NULL))
);
CREATE UNIQUE INDEX schedule_occurrence_action_idx ON actions.schedule_occurrence (action_id);
COMMENT ON TABLE actions.schedule_occurrence IS
    'Each occurrence of a schedule the sweep handled, once (its primary key makes concurrent sweeps create it exactly once): the action it created, or why none was. Kept when the schedule or the action is deleted';
COMMENT ON COLUMN actions.schedule_occurrence.workspace_id IS 'Workspace (tenant)';
COMMENT ON COLUMN actions.schedule_occurrence.schedule_id IS 'The schedule';
COMMENT ON COLUMN actions.schedule_occurrence.occurrence IS 'The occurrence, as the rule names it: a wall-clock time in the workspace''s time zone';
COMMENT ON COLUMN actions.schedule_occurrence.occurrence_at IS 'The occurrence as an absolute time';
COMMENT ON COLUMN actions.schedule_occurrence.action_id IS 'The action created for it (NULL: none, see error)';
COMMENT ON COLUMN actions.schedule_occurrence.sqlstate IS 'Why no action was created: the SQLSTATE of the refusal or error';
COMMENT ON COLUMN actions.schedule_occurrence.error IS 'Why no action was created: the message (the owner may no longer create actions, the template was retired, ...)';
COMMENT ON COLUMN actions.schedule_occurrence.created_at IS 'When the sweep handled it';

ALTER TABLE actions.schedule ENABLE ROW LEVEL SECURITY;
CREATE POLICY schedule_visible ON actions.schedule FOR SELECT USING (
    actions.service_sees_all()
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY schedule_visible ON actions.schedule IS 'Members see the schedules of their workspaces';
ALTER TABLE actions.schedule_occurrence ENABLE ROW LEVEL SECURITY;
CREATE POLICY schedule_occurrence_visible ON actions.schedule_occurrence FOR SELECT USING (
    actions.service_sees_all()
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY schedule_occurrence_visible ON actions.schedule_occurrence IS
    'Members see which occurrences of their workspaces'' schedules were created';
GRANT SELECT ON actions.schedule, actions.schedule_occurrence TO PUBLIC;

CREATE FUNCTION actions.create_schedule(workspace_id bigint, template_id bigint, rrule text, starts_at timestamp,
                                        record_id bigint DEFAULT NULL, catch_up text DEFAULT 'latest')
    RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_create_schedule';
COMMENT ON FUNCTION actions.create_schedule(bigint, bigint, text, timestamp, bigint, text) IS
    'New schedule owned by the caller (needs create_actions): actions from the template on the RFC 5545 rule (FREQ=YEARLY, FREQ=MONTHLY;INTERVAL=3, FREQ=MONTHLY;BYDAY=2TU, FREQ=WEEKLY;BYDAY=MO,TH, with INTERVAL, UNTIL, COUNT), starting at starts_at, a wall-clock time in the workspace''s time zone; catch_up all or latest. Returns its id';

CREATE FUNCTION actions.pause_schedule(schedule_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_pause_schedule';
COMMENT ON FUNCTION actions.pause_schedule(bigint) IS
    'Pause a schedule (its owner, or a member with manage_workspace): nothing is created until it is resumed';

CREATE FUNCTION actions.resume_schedule(schedule_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_resume_schedule';
COMMENT ON FUNCTION actions.resume_schedule(bigint) IS
    'Resume a paused schedule (its owner, or a member with manage_workspace): occurrences that fell in the pause are not created; the next is the first from now on';

CREATE FUNCTION actions.delete_schedule(schedule_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_delete_schedule';
COMMENT ON FUNCTION actions.delete_schedule(bigint) IS
    'Delete a schedule (its owner, or a member with manage_workspace); the actions it created and actions.schedule_occurrence stay';

CREATE FUNCTION actions.next_occurrences(schedule_id bigint, n integer DEFAULT 10)
    RETURNS TABLE (occurrence timestamp, occurrence_at timestamptz)
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_next_occurrences';
COMMENT ON FUNCTION actions.next_occurrences(bigint, integer) IS
    'The next n (at most 1000) occurrences of a schedule the caller''s workspace holds, from its next one not yet created (a paused schedule: from now on): the wall-clock time in the workspace''s time zone and the absolute time';

CREATE FUNCTION actions.create_scheduled_actions() RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_create_scheduled_actions';
COMMENT ON FUNCTION actions.create_scheduled_actions() IS
    'Maintenance: create the due occurrences of the schedules that are not paused, at most pg_actions.sweep_batch_size schedules per call (the longest due first; the rest wait for the next call), each occurrence exactly once (concurrent sweeps skip each other''s schedules, and actions.schedule_occurrence''s key holds anyway), as the schedule''s owner, after a stop every missed one or only the latest (catch_up); a schedule that fails unexpectedly is recorded in actions.maintenance_error and the others go on. Returns how many actions it created';

REVOKE ALL ON FUNCTION actions.create_scheduled_actions() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    actions.create_schedule(bigint, bigint, text, timestamp, bigint, text), actions.pause_schedule(bigint),
    actions.resume_schedule(bigint), actions.delete_schedule(bigint), actions.next_occurrences(bigint, integer)
    TO PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('actions.schedule', '');
SELECT pg_catalog.pg_extension_config_dump('actions.schedule_occurrence', '');
SELECT pg_catalog.pg_extension_config_dump('actions.schedule_schedule_id_seq', '');
-- pg_actions install script, part 60: maintenance as a DBA runs it. One function runs every
-- maintenance task (actions.run_maintenance()), each in its own subtransaction, and records each
-- run; a view shows per task the last run and the backlog (actions.maintenance_status); pg_cron
-- runs it, in this database or from the database pg_cron lives in (cron.database_name); dropping
-- the extension removes the job. Not executable or readable by PUBLIC: a DBA grants them.

CREATE TABLE actions.maintenance_run (
    run_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task          text NOT NULL,
    started_at    timestamptz NOT NULL,
    duration      interval NOT NULL,
    outcome       text NOT NULL CONSTRAINT maintenance_run_outcome CHECK (outcome = ANY (ARRAY['succeeded', 'failed'])),
    rows_affected bigint,
    sqlstate      text,
    error         text,
    CONSTRAINT maintenance_run_error CHECK ((outcome = 'failed') = (error IS NOT NULL))
);
CREATE INDEX maintenance_run_task_idx ON actions.maintenance_run (task, run_id);
COMMENT ON TABLE actions.maintenance_run IS
    'One row per maintenance task and run of actions.run_maintenance(); the newest 1440 runs of each task are kept';
COMMENT ON COLUMN actions.maintenance_run.run_id IS 'Identity, in the order the tasks ran';
COMMENT ON COLUMN actions.maintenance_run.task IS 'The task: the function actions.<task>() that ran';
COMMENT ON COLUMN actions.maintenance_run.started_at IS 'When the task started';
COMMENT ON COLUMN actions.maintenance_run.duration IS 'How long it ran';
COMMENT ON COLUMN actions.maintenance_run.outcome IS 'succeeded, or failed (its work was rolled back; the other tasks of the run went on)';
COMMENT ON COLUMN actions.maintenance_run.rows_affected IS 'What the task returned: how many rows it marked, sent or created (NULL when it failed)';
COMMENT ON COLUMN actions.maintenance_run.sqlstate IS 'The SQLSTATE of the error of a failed run';
COMMENT ON COLUMN actions.maintenance_run.error IS 'The error message of a failed run (NULL when it succeeded)';
-- Dumped with the rest (README, "Backups and restores"): the history of the runs comes back.
SELECT pg_catalog.pg_extension_config_dump('actions.maintenance_run', '');
SELECT pg_catalog.pg_extension_config_dump('actions.maintenance_run_run_id_seq', '');

-- The maintenance tasks are the rows of this view, in the order actions.run_maintenance() runs
-- them: adding a task is adding its name to the array (it is the function actions.<name>()
-- RETURNS bigint), and, optionally, a WHEN line that counts its backlog.
CREATE VIEW actions.maintenance_status AS
SELECT t.position::integer AS position,
       t.task,
       last.started_at AS last_run_at,
       last.outcome AS last_outcome,
       last.duration AS last_duration,
       last.rows_affected AS last_rows_affected,
       last.sqlstate AS last_sqlstate,
       last.error AS last_error,
       (SELECT max(s.started_at) FROM actions.maintenance_run s
         WHERE s.task = t.task AND s.outcome = 'succeeded') AS last_success_at,
       CASE t.task
           WHEN 'mark_overdue' THEN
               (SELECT count(*) FROM actions.action a
                 WHERE a.status = ANY (actions.list_vocabulary('open_not_overdue')) AND a.due_at IS NOT NULL AND a.due_at < now())
           WHEN 'notify_due_soon' THEN
               (SELECT count(*) FROM actions.action a JOIN actions.workspace w ON w.workspace_id = a.workspace_id
                 WHERE a.status = ANY (actions.list_vocabulary('open_not_overdue')) AND a.due_at IS NOT NULL AND a.assignee_id IS NOT NULL
                   AND a.due_at > now() AND a.due_at <= now() + w.due_soon_window
                   AND NOT EXISTS (SELECT 1 FROM actions.reminder r
                                    WHERE r.workspace_id = a.workspace_id AND r.action_id = a.action_id
                                      AND r.kind = 'due_soon' AND r.due_at = a.due_at))
           WHEN 'escalate_overdue' THEN
               (SELECT count(*) FROM actions.escalation_rule e
                  JOIN actions.action a ON a.workspace_id = e.workspace_id
                 WHERE a.status = ANY (actions.list_vocabulary('open')) AND a.due_at IS NOT NULL
                   AND a.due_at + e.after_days * interval '24 hours' <= now()
                   AND NOT EXISTS (SELECT 1 FROM actions.escalation_fired f
                                    WHERE f.workspace_id = e.workspace_id AND f.rule_id = e.rule_id
                                      AND f.action_id = a.action_id AND f.due_at = a.due_at))
           WHEN 'create_due_reviews' THEN
               (SELECT count(*) FROM actions.record r
                 WHERE r.next_review_at <= now() AND r.kind = 'document' AND NOT r.archived AND r.published_at IS NOT NULL)
           WHEN 'create_scheduled_actions' THEN
               (SELECT count(*) FROM actions.schedule s WHERE NOT s.paused AND s.next_at <= now())
           WHEN 'seal_ledgers' THEN
               (SELECT count(*) FROM actions.workspace w
                 WHERE EXISTS (SELECT 1 FROM actions.activity l
                                WHERE l.workspace_id = w.workspace_id
                                  AND l.at > coalesce((SELECT max(s.sealed_at) FROM actions.ledger_seal s
                                                        WHERE s.workspace_id = w.workspace_id), '-infinity')))
       END AS backlog,
       CASE t.task
           WHEN 'mark_overdue' THEN 'open actions past their due date, not yet marked overdue'
           WHEN 'notify_due_soon' THEN 'open assigned actions due soon whose due_soon reminder is not yet sent'
           WHEN 'escalate_overdue' THEN 'escalation rules due for open overdue actions, not yet fired'
           WHEN 'create_due_reviews' THEN 'published documents whose review is due'
           WHEN 'create_scheduled_actions' THEN 'schedules with an occurrence due and not yet created'
           WHEN 'seal_ledgers' THEN 'workspaces with log entries newer than their newest seal'
       END AS backlog_of
  FROM unnest(ARRAY[
           'mark_overdue',
           'notify_due_soon',
           'escalate_overdue',
           'create_due_reviews',
           'create_scheduled_actions',
           'seal_ledgers'
       ]) WITH ORDINALITY AS t(task, position)
  LEFT JOIN LATERAL (SELECT r.started_at, r.outcome, r.duration, r.rows_affected, r.sqlstate, r.error
                       FROM actions.maintenance_run r
                      WHERE r.task = t.task ORDER BY r.run_id DESC LIMIT 1) AS last ON true;
COMMENT ON VIEW actions.maintenance_status IS
    'One row per maintenance task: its last run (when, outcome, duration, error) and its backlog now. Like the pg_stat_* views, for monitoring; granted by a DBA';
COMMENT ON COLUMN actions.maintenance_status.position IS 'The order in which actions.run_maintenance() runs the tasks';
COMMENT ON COLUMN actions.maintenance_status.task IS 'The task: the function actions.<task>()';
COMMENT ON COLUMN actions.maintenance_status.last_run_at IS 'When its last run started (NULL: it never ran, or its runs were pruned)';
COMMENT ON COLUMN actions.maintenance_status.last_outcome IS 'succeeded or failed';
COMMENT ON COLUMN actions.maintenance_status.last_duration IS 'How long its last run took';
COMMENT ON COLUMN actions.maintenance_status.last_rows_affected IS 'How many rows its last run marked, sent or created';
COMMENT ON COLUMN actions.maintenance_status.last_sqlstate IS 'The SQLSTATE of the last run''s error, when it failed';
COMMENT ON COLUMN actions.maintenance_status.last_error IS 'The error message of the last run, when it failed';
COMMENT ON COLUMN actions.maintenance_status.last_success_at IS 'When its last successful run (among the runs kept) started';
COMMENT ON COLUMN actions.maintenance_status.backlog IS 'How much work the task would do if it ran now (see backlog_of); it stays above zero when the task does not run or keeps failing';
COMMENT ON COLUMN actions.maintenance_status.backlog_of IS 'What backlog counts';

CREATE FUNCTION actions.run_maintenance()
    RETURNS TABLE (task text, outcome text, rows_affected bigint, duration interval, error text)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    task_name text;
    started timestamptz;
    n       bigint;
    state   text;
    message text;
BEGIN
    -- The tasks skip the actions other transactions hold instead of waiting for them: each task
    -- locks in one order, but this transaction holds the earlier tasks' locks meanwhile, so a
    -- wait could close a cycle with an API call or a sweep. What is skipped is done next run.
    PERFORM pg_catalog.set_config('pg_actions.sweep_skip_locked', 'on', true);
    -- The tasks are the rows of actions.maintenance_status; reading only their names does not
    -- count the backlogs.
    FOR task_name IN SELECT s.task FROM actions.maintenance_status s ORDER BY s.position LOOP
        started := pg_catalog.clock_timestamp();
        n := NULL; state := NULL; message := NULL;
        BEGIN
            -- Its own subtransaction: a failing task is rolled back alone and the others run.
            EXECUTE pg_catalog.format('SELECT actions.%I()', task_name) INTO n;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
            RAISE WARNING 'pg_actions maintenance task % failed: %', task_name, message
                USING ERRCODE = state, HINT = 'SELECT * FROM actions.maintenance_status shows every task''s last run';
        END;
        task := task_name;
        outcome := CASE WHEN message IS NULL THEN 'succeeded' ELSE 'failed' END;
        rows_affected := n;
        duration := pg_catalog.clock_timestamp() - started;
        error := message;
        INSERT INTO actions.maintenance_run (task, started_at, duration, outcome, rows_affected, sqlstate, error)
        VALUES (task_name, started, run_maintenance.duration, run_maintenance.outcome, n, state, message);
        -- Bounded: the newest 1440 runs of each task (a day, run every minute) are kept.
        DELETE FROM actions.maintenance_run m
         WHERE m.task = task_name
           AND m.run_id <= (SELECT k.run_id FROM actions.maintenance_run k WHERE k.task = task_name
                             ORDER BY k.run_id DESC OFFSET 1440 LIMIT 1);
        RETURN NEXT;
    END LOOP;
    PERFORM pg_catalog.set_config('pg_actions.sweep_skip_locked', 'off', true);
END
$$;
COMMENT ON FUNCTION actions.run_maintenance() IS
    'Maintenance: run every task of actions.maintenance_status (mark_overdue, notify_due_soon, escalate_overdue, create_due_reviews, create_scheduled_actions, seal_ledgers: the last seals what the others changed), each in its own subtransaction so a failing one does not stop the others, and record each run in actions.maintenance_run; returns one row per task. The tasks skip the actions other transactions hold (pg_actions.sweep_skip_locked), so the job never waits for a row lock; the next run takes them. The pg_cron job calls it';

-- The sweeps' unexpected errors, one row per item: each sweep works through a bounded batch
-- (pg_actions.sweep_batch_size), each item in its own subtransaction, so an item whose work
-- fails with an error that is not a recorded refusal is rolled back alone, written here, and the
-- other items go on.
CREATE TABLE actions.maintenance_error (
    error_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task         text NOT NULL,
    at           timestamptz NOT NULL,
    workspace_id bigint,
    item         text NOT NULL CONSTRAINT maintenance_error_item CHECK (item = ANY (ARRAY['action', 'schedule', 'document', 'workspace'])),
    item_id      bigint NOT NULL,
    sqlstate     text NOT NULL,
    error        text NOT NULL
);
CREATE INDEX maintenance_error_task_idx ON actions.maintenance_error (task, error_id);
SELECT pg_catalog.pg_extension_config_dump('actions.maintenance_error', '');
SELECT pg_catalog.pg_extension_config_dump('actions.maintenance_error_error_id_seq', '');
COMMENT ON TABLE actions.maintenance_error IS
    'One row per item a maintenance task could not process (an unexpected error; the item was rolled back alone and the task went on); the newest 10000 of each task are kept';
COMMENT ON COLUMN actions.maintenance_error.error_id IS 'Identity, in the order the errors happened';
COMMENT ON COLUMN actions.maintenance_error.task IS 'The task: the function actions.<task>() that met the error';
COMMENT ON COLUMN actions.maintenance_error.at IS 'When it happened';
COMMENT ON COLUMN actions.maintenance_error.workspace_id IS 'The workspace of the item';
COMMENT ON COLUMN actions.maintenance_error.item IS 'What the item is: action, schedule, document (a record under review) or workspace (a ledger to seal)';
COMMENT ON COLUMN actions.maintenance_error.item_id IS 'Its id (action_id, schedule_id, record_id or workspace_id); the next run tries it again';
COMMENT ON COLUMN actions.maintenance_error.sqlstate IS 'The SQLSTATE of the error';
COMMENT ON COLUMN actions.maintenance_error.error IS 'The error message';

CREATE FUNCTION actions.record_maintenance_error(task text, workspace_id bigint, item text, item_id bigint,
                                                 sqlstate text, error text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    -- Called by the sweeps with what they hold; a DBA calling it by hand gets a checked refusal.
    IF task IS NULL OR item IS NULL OR item_id IS NULL OR sqlstate IS NULL OR error IS NULL THEN
        RAISE EXCEPTION 'record_maintenance_error: task, item, item_id, sqlstate and error are required'
            USING ERRCODE = '22004', HINT = 'only workspace_id may be NULL';
    END IF;
    IF item <> ALL (ARRAY['action', 'schedule', 'document', 'workspace']) THEN
        RAISE EXCEPTION 'record_maintenance_error: item must be action, schedule, document or workspace, not "%"', item
            USING ERRCODE = '22023', HINT = 'it names what the failed item is';
    END IF;
    INSERT INTO actions.maintenance_error (task, at, workspace_id, item, item_id, sqlstate, error)
    VALUES (task, pg_catalog.clock_timestamp(), workspace_id, item, item_id, sqlstate, error);
    -- Bounded: the newest 10000 of each task are kept.
    DELETE FROM actions.maintenance_error m
     WHERE m.task = record_maintenance_error.task
       AND m.error_id <= (SELECT k.error_id FROM actions.maintenance_error k WHERE k.task = record_maintenance_error.task
                           ORDER BY k.error_id DESC OFFSET 10000 LIMIT 1);
    RAISE WARNING 'pg_actions maintenance task % failed for % %: %', task, item, item_id, error
        USING HINT = 'SELECT * FROM actions.maintenance_error shows every such error; the other items were processed';
END
$$;
COMMENT ON FUNCTION actions.record_maintenance_error(text, bigint, text, bigint, text, text) IS
    'Internal to the maintenance tasks: records that one item failed with an unexpected error (actions.maintenance_error) and raises a WARNING';

REVOKE ALL ON TABLE actions.maintenance_error FROM PUBLIC;
REVOKE ALL ON FUNCTION actions.record_maintenance_error(text, bigint, text, bigint, text, text) FROM PUBLIC;

CREATE FUNCTION actions.maintenance_job_name() RETURNS text
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
    AS $$
    -- pg_cron's job names are of type name (63 bytes); a longer one is shortened to a hash.
    SELECT CASE WHEN pg_catalog.octet_length('pg_actions_maintenance:' || pg_catalog.current_database()) <= 63
                THEN 'pg_actions_maintenance:' || pg_catalog.current_database()
                ELSE 'pg_actions_maintenance:' || pg_catalog.md5(pg_catalog.current_database()) END
$$;
COMMENT ON FUNCTION actions.maintenance_job_name() IS
    'The name of this database''s pg_cron maintenance job: pg_actions_maintenance:<database>, unique per database';

CREATE FUNCTION actions.cron_database_name() RETURNS text
    LANGUAGE c STABLE SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_cron_database_name';
COMMENT ON FUNCTION actions.cron_database_name() IS
    'The database pg_cron keeps its jobs in (the setting cron.database_name), or NULL when pg_cron is not loaded';

CREATE FUNCTION actions.cron_schedule_elsewhere(job_name text, schedule text, command text) RETURNS bigint
    LANGUAGE c SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_cron_schedule_elsewhere';
COMMENT ON FUNCTION actions.cron_schedule_elsewhere(text, text, text) IS
    'Internal to schedule_maintenance(): schedules a job for this database with cron.schedule_in_database() in the database pg_cron lives in, over a connection to this server''s own socket as the current user; returns the job id';

CREATE FUNCTION actions.cron_unschedule_elsewhere(job_name text) RETURNS bigint
    LANGUAGE c SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_cron_unschedule_elsewhere';
COMMENT ON FUNCTION actions.cron_unschedule_elsewhere(text) IS
    'Internal to unschedule_maintenance(): removes this database''s job of that name from the database pg_cron lives in; returns how many were removed';

CREATE FUNCTION actions.schedule_maintenance(schedule text DEFAULT '* * * * *') RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    job      bigint;
    cron_db  text;
    job_name text := actions.maintenance_job_name();
    command  text := 'SELECT actions.run_maintenance()';
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
        -- The job of 0.1, named pg_actions_maintenance, is replaced by this database's own.
        EXECUTE 'SELECT count(cron.unschedule(j.jobid)) FROM cron.job j WHERE j.jobname = $1 AND j.database = $2'
          USING 'pg_actions_maintenance', pg_catalog.current_database();
        EXECUTE 'SELECT cron.schedule_in_database($1, $2, $3, $4)'
           INTO job
          USING job_name, schedule, command, pg_catalog.current_database();
        RETURN job;
    END IF;
    cron_db := actions.cron_database_name();
    IF cron_db IS NULL THEN
        RAISE EXCEPTION 'pg_cron is not loaded'
            USING ERRCODE = '55000',
                  DETAIL = 'actions.schedule_maintenance() registers SELECT actions.run_maintenance() as a pg_cron job',
                  HINT = 'add pg_cron to shared_preload_libraries and restart, or run SELECT actions.run_maintenance() from another scheduler';
    ELSIF cron_db = pg_catalog.current_database() THEN
        RAISE EXCEPTION 'pg_cron is not installed in this database'
            USING ERRCODE = '55000',
                  DETAIL = 'actions.schedule_maintenance() registers SELECT actions.run_maintenance() as a pg_cron job',
                  HINT = 'CREATE EXTENSION pg_cron in this database (its cron.database_name), or run SELECT actions.run_maintenance() from another scheduler';
    END IF;
    -- pg_cron lives in another database: the job is scheduled there, to run in this one.
    RETURN actions.cron_schedule_elsewhere(job_name, schedule, command);
END
$$;
COMMENT ON FUNCTION actions.schedule_maintenance(text) IS
    'Register SELECT actions.run_maintenance() as this database''s pg_cron job (actions.maintenance_job_name()), in this database or, when pg_cron lives in another one (cron.database_name), there with cron.schedule_in_database(); scheduling again changes the schedule. Returns the job id; fails with a hint when pg_cron is not available';

CREATE FUNCTION actions.unschedule_maintenance(quiet boolean DEFAULT false) RETURNS boolean
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    removed bigint := 0;
    cron_db text;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
        EXECUTE 'SELECT count(cron.unschedule(j.jobid)) FROM cron.job j WHERE j.jobname = ANY ($1) AND j.database = $2'
           INTO removed
          USING ARRAY[actions.maintenance_job_name(), 'pg_actions_maintenance'], pg_catalog.current_database();
    ELSE
        cron_db := actions.cron_database_name();
        IF cron_db IS NOT NULL AND cron_db <> pg_catalog.current_database() THEN
            removed := actions.cron_unschedule_elsewhere(actions.maintenance_job_name());
        END IF;
    END IF;
    RETURN removed > 0;
EXCEPTION WHEN OTHERS THEN
    IF NOT quiet THEN
        RAISE;
    END IF;
    DECLARE
        message text;
        hint    text;
    BEGIN
        GET STACKED DIAGNOSTICS message = MESSAGE_TEXT, hint = PG_EXCEPTION_HINT;
        RAISE WARNING 'the pg_cron job % could not be removed: %', actions.maintenance_job_name(), message
            USING HINT = coalesce(nullif(hint, '') || '; then ', '')
                         || 'remove it with SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname = '
                         || pg_catalog.quote_literal(actions.maintenance_job_name())
                         || ' in the database pg_cron lives in';
    END;
    RETURN false;
END
$$;
COMMENT ON FUNCTION actions.unschedule_maintenance(boolean) IS
    'Remove this database''s pg_cron maintenance job (and the 0.1 job pg_actions_maintenance), here or in the database pg_cron lives in; returns whether one was removed. quiet => true turns a failure into a WARNING (DROP EXTENSION uses it)';

-- DROP EXTENSION pg_actions (or DROP SCHEMA actions CASCADE) removes the job first: it would
-- otherwise fail every minute. ddl_command_start, while the extension still exists.
CREATE FUNCTION actions.unschedule_on_drop() RETURNS event_trigger
    LANGUAGE c SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_unschedule_on_drop';
COMMENT ON FUNCTION actions.unschedule_on_drop() IS
    'Event trigger: when the command drops pg_actions (DROP EXTENSION pg_actions, DROP SCHEMA actions CASCADE), removes the maintenance job with actions.unschedule_maintenance(quiet => true)';
CREATE EVENT TRIGGER pg_actions_unschedule_on_drop ON ddl_command_start
    WHEN TAG IN ('DROP EXTENSION', 'DROP SCHEMA')
    EXECUTE FUNCTION actions.unschedule_on_drop();
COMMENT ON EVENT TRIGGER pg_actions_unschedule_on_drop IS
    'Removes the pg_cron maintenance job before pg_actions is dropped (actions.unschedule_on_drop())';

REVOKE ALL ON TABLE actions.maintenance_run, actions.maintenance_status FROM PUBLIC;
REVOKE ALL ON FUNCTION actions.run_maintenance(), actions.maintenance_job_name(), actions.cron_database_name(),
    actions.cron_schedule_elsewhere(text, text, text), actions.cron_unschedule_elsewhere(text),
    actions.schedule_maintenance(text), actions.unschedule_maintenance(boolean), actions.unschedule_on_drop() FROM PUBLIC;
-- pg_actions install script, part 60: backups and restores (docs/operations.md, "Backups and restores").
-- pg_dump writes the rows of the extension's tables after CREATE EXTENSION, as
-- COPY actions.x (every column) FROM stdin, so the extension's triggers already exist when the rows
-- are copied back. During such a COPY by a superuser the row triggers leave the rows as dumped
-- (ids, times, actors and the hash-chained log come from the dump; the seeds of a new workspace
-- come with it), and a statement trigger on every table ends a restore that would mix restored
-- rows with rows the table already holds, or that inserts the dumped rows (pg_dump --inserts).

CREATE FUNCTION actions.restoring(relation regclass) RETURNS boolean
    LANGUAGE c SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_restoring';
COMMENT ON FUNCTION actions.restoring(regclass) IS
    'Whether the statement running at top level is a restore into this table: a superuser session''s COPY actions.x (every column) FROM ..., as pg_dump writes it. The extension''s row triggers then leave the rows as dumped';

CREATE FUNCTION actions.restore_guard() RETURNS trigger
    LANGUAGE c SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_restore_guard';
COMMENT ON FUNCTION actions.restore_guard() IS
    'Trigger: ends the session (FATAL, 55000, before the first row) of a restore into a table of the extension that already holds rows (a data-only restore into a database in use, a second restore) and of a restore by INSERT with the dumped ids (pg_dump --inserts); the hint names the restore into a new database';

REVOKE ALL ON FUNCTION actions.restoring(regclass), actions.restore_guard() FROM PUBLIC;

-- One statement trigger per table whose rows pg_dump keeps (pg_extension_config_dump). ENABLE
-- ALWAYS: a restore in replica mode is refused the same way.
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.workspace
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.person
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.role
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.member
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.trusted_service
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions."group"
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.group_member
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.record_kind
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.action_type
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.template
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.template_version
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.record
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.record_party
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.workflow_setting
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.action_candidate
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.action
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.action_offer
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.evidence
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.notification
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.invitation
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.notification_setting
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.notification_opt_out
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.reminder
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.note
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.activity
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.activity_head
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.ledger_seal
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.ledger_leaf
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.tracked_table
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.absence
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.escalation_rule
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.escalation_fired
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.service_level
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.calendar
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.calendar_hours
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.calendar_holiday
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.workspace_calendar
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.schedule
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.schedule_occurrence
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.procedure
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.procedure_step
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.procedure_setting
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.procedure_run
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.procedure_action
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
ALTER TABLE actions.workspace ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.person ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.role ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.member ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.trusted_service ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions."group" ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.group_member ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.record_kind ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.action_type ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.template ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.template_version ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.record ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.record_party ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.workflow_setting ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.action_candidate ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.action_offer ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.action ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.evidence ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.notification ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.invitation ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.notification_setting ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.notification_opt_out ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.reminder ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.note ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.activity ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.activity_head ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.ledger_seal ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.ledger_leaf ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.tracked_table ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.absence ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.escalation_rule ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.escalation_fired ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.service_level ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.calendar ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.calendar_hours ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.calendar_holiday ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.workspace_calendar ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.schedule ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.schedule_occurrence ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.procedure ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.procedure_step ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.procedure_setting ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.procedure_run ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.procedure_action ENABLE ALWAYS TRIGGER restore_guard;
COMMENT ON TRIGGER restore_guard ON actions.workspace IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.person IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.role IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.member IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.trusted_service IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions."group" IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.group_member IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.record_kind IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.action_type IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.template IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.template_version IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.record IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.record_party IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.workflow_setting IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.action_candidate IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.action_offer IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.action IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.evidence IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.notification IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.invitation IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.notification_setting IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.notification_opt_out IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.reminder IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.note IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.activity IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.activity_head IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.ledger_seal IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.ledger_leaf IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.tracked_table IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.absence IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.escalation_rule IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.escalation_fired IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.service_level IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.calendar IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.calendar_hours IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.calendar_holiday IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.workspace_calendar IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.schedule IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.schedule_occurrence IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.procedure IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.procedure_step IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.procedure_setting IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.procedure_run IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.procedure_action IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';

-- pg_restore -j loads the tables side by side, in no order of their foreign keys. A restore's
-- COPY (and only it) runs in replica mode, so its foreign-key checks wait for nothing; the
-- statement trigger restore_done, ENABLE ALWAYS like restore_guard, switches back at its end.
CREATE FUNCTION actions.restore_done() RETURNS trigger
    LANGUAGE c SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_restore_done';
COMMENT ON FUNCTION actions.restore_done() IS
    'Trigger: at the end of a restore''s COPY that actions.restore_guard() ran in replica mode (no foreign-key or row triggers, so pg_restore -j may load the tables in any order), switches the session back to its replication role for the rest of the transaction';
REVOKE ALL ON FUNCTION actions.restore_done() FROM PUBLIC;
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.maintenance_run
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
ALTER TABLE actions.maintenance_run ENABLE ALWAYS TRIGGER restore_guard;
COMMENT ON TRIGGER restore_guard ON actions.maintenance_run IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.maintenance_error
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
ALTER TABLE actions.maintenance_error ENABLE ALWAYS TRIGGER restore_guard;
COMMENT ON TRIGGER restore_guard ON actions.maintenance_error IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
-- One restore_done beside every restore_guard.
DO $$
DECLARE
    t regclass;
BEGIN
    FOR t IN SELECT g.tgrelid::regclass FROM pg_catalog.pg_trigger g JOIN pg_catalog.pg_class c ON c.oid = g.tgrelid
              WHERE g.tgname = 'restore_guard' AND c.relnamespace = 'actions'::regnamespace ORDER BY c.relname LOOP
        EXECUTE format('CREATE TRIGGER restore_done AFTER INSERT ON %s FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_done()', t);
        EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER restore_done', t);
        EXECUTE format('COMMENT ON TRIGGER restore_done ON %s IS %L', t,
                       'Ends the replica mode of a restore''s COPY into this table (actions.restore_done())');
    END LOOP;
END
$$;

-- A restore's COPY skips the foreign-key checks of its rows (above), so that pg_restore -j may load
-- the tables in any order; after a restore, this checks them all at once.
CREATE FUNCTION actions.verify_references()
    RETURNS TABLE (table_name regclass, constraint_name name, rows_without_target bigint)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    fk record;
    present text;
    matches text;
BEGIN
    FOR fk IN SELECT c.conrelid::regclass AS child, c.confrelid::regclass AS parent, c.conname, c.conkey, c.confkey
                FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
               WHERE c.contype = 'f' AND r.relnamespace = 'actions'::regnamespace
               ORDER BY r.relname, c.conname LOOP
        -- MATCH SIMPLE: a row with a NULL in the key refers to nothing.
        SELECT string_agg(format('c.%I IS NOT NULL', a.attname), ' AND ' ORDER BY k.i),
               string_agg(format('p.%I = c.%I', pa.attname, a.attname), ' AND ' ORDER BY k.i)
          INTO present, matches
          FROM unnest(fk.conkey, fk.confkey) WITH ORDINALITY AS k(ck, pk, i)
          JOIN pg_attribute a ON a.attrelid = fk.child AND a.attnum = k.ck
          JOIN pg_attribute pa ON pa.attrelid = fk.parent AND pa.attnum = k.pk;
        EXECUTE format('SELECT count(*) FROM ONLY %s c WHERE %s AND NOT EXISTS (SELECT FROM ONLY %s p WHERE %s)',
                       fk.child, present, fk.parent, matches)
           INTO rows_without_target;
        IF rows_without_target > 0 THEN
            table_name := fk.child;
            constraint_name := fk.conname;
            RETURN NEXT;
        END IF;
    END LOOP;
END
$$;
COMMENT ON FUNCTION actions.verify_references() IS
    'After a restore: every foreign key of the extension''s tables checked over all rows (a restore''s COPY skips the checks so that pg_restore -j may load the tables in any order); one row per constraint that rows break, with how many, or no row. For a superuser or the extension''s owner';
REVOKE ALL ON FUNCTION actions.verify_references() FROM PUBLIC;
-- pg_actions install script, part 62: delivery of notifications by e-mail and webhook
-- (contrib/notifier). A channel is opened once; from then on every notification gets one delivery
-- row per open channel (a trigger), which a worker takes with FOR UPDATE SKIP LOCKED, delivers and
-- marks in the same transaction. A worker that dies before its commit leaves the row pending and
-- unlocked, so another one (or the restarted one) delivers it; a death between the send and the
-- commit sends it again, under the same idempotency key (notification and channel).

CREATE TABLE actions.delivery_channel (
    channel   text PRIMARY KEY CHECK (channel IN ('email', 'webhook')),
    opened_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE actions.delivery_channel IS
    'Channels notifications are delivered on outside the database (actions.open_delivery_channel()); each notification created while a channel is open gets a delivery row for it';
COMMENT ON COLUMN actions.delivery_channel.channel IS 'email or webhook';
COMMENT ON COLUMN actions.delivery_channel.opened_at IS 'When the channel was opened: notifications created before are not delivered on it';

CREATE TABLE actions.notification_delivery (
    workspace_id    bigint NOT NULL,
    notification_id bigint NOT NULL,
    channel         text NOT NULL REFERENCES actions.delivery_channel ON DELETE CASCADE,
    state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'skipped', 'failed')),
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz,
    last_error      text,
    PRIMARY KEY (workspace_id, notification_id, channel),
    FOREIGN KEY (workspace_id, notification_id) REFERENCES actions.notification ON DELETE CASCADE,
    CHECK ((state = 'delivered') = (delivered_at IS NOT NULL))
);
CREATE INDEX notification_delivery_pending_idx ON actions.notification_delivery (channel, next_attempt_at)
    WHERE state = 'pending';
COMMENT ON TABLE actions.notification_delivery IS
    'The outbox of each open channel: one row per notification and channel, taken by a worker with actions.claim_delivery()';
COMMENT ON COLUMN actions.notification_delivery.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.notification_delivery.notification_id IS 'The notification (actions.notification)';
COMMENT ON COLUMN actions.notification_delivery.channel IS 'email or webhook';
COMMENT ON COLUMN actions.notification_delivery.state IS
    'pending (to deliver from next_attempt_at), delivered, skipped (the kind was turned off, the person opted out of it or left the workspace before delivery) or failed (gave up after the worker''s last attempt)';
COMMENT ON COLUMN actions.notification_delivery.attempts IS 'Sends that ended (delivered or failed); a send cut short by a crash is not counted';
COMMENT ON COLUMN actions.notification_delivery.next_attempt_at IS 'When a pending row may be taken: now, or later after a failed attempt (backoff)';
COMMENT ON COLUMN actions.notification_delivery.delivered_at IS 'When the worker marked it delivered';
COMMENT ON COLUMN actions.notification_delivery.last_error IS 'The error of the last failed attempt, or why it was skipped';

CREATE FUNCTION actions.queue_delivery() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    -- A restore copies the delivery rows as dumped.
    IF actions.restoring(TG_RELID) THEN
        RETURN NULL;
    END IF;
    INSERT INTO actions.notification_delivery (workspace_id, notification_id, channel)
    SELECT NEW.workspace_id, NEW.notification_id, c.channel FROM actions.delivery_channel c;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION actions.queue_delivery() IS
    'Trigger: queues a new notification on every open delivery channel (actions.notification_delivery)';
CREATE TRIGGER queue_delivery AFTER INSERT ON actions.notification
    FOR EACH ROW EXECUTE FUNCTION actions.queue_delivery();
COMMENT ON TRIGGER queue_delivery ON actions.notification IS 'Queues the notification on every open delivery channel';

CREATE FUNCTION actions.open_delivery_channel(channel text, since timestamptz DEFAULT NULL) RETURNS timestamptz
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    opened timestamptz;
BEGIN
    IF channel IS NULL OR channel NOT IN ('email', 'webhook') THEN
        RAISE EXCEPTION 'unknown delivery channel: %', coalesce(channel, 'NULL')
            USING ERRCODE = '22023', HINT = 'channel is email or webhook';
    END IF;
    INSERT INTO actions.delivery_channel AS c (channel, opened_at)
    VALUES (open_delivery_channel.channel, pg_catalog.now())
    ON CONFLICT ON CONSTRAINT delivery_channel_pkey DO NOTHING;
    SELECT c.opened_at INTO opened FROM actions.delivery_channel c
     WHERE c.channel = open_delivery_channel.channel FOR UPDATE;
    IF since IS NOT NULL AND since < opened THEN
        -- The notifications created since then are queued as well, once.
        INSERT INTO actions.notification_delivery (workspace_id, notification_id, channel)
        SELECT n.workspace_id, n.notification_id, open_delivery_channel.channel
          FROM actions.notification n
         WHERE n.created_at >= since AND n.created_at < opened
        ON CONFLICT ON CONSTRAINT notification_delivery_pkey DO NOTHING;
        UPDATE actions.delivery_channel c SET opened_at = since WHERE c.channel = open_delivery_channel.channel;
        opened := since;
    END IF;
    RETURN opened;
END
$$;
COMMENT ON FUNCTION actions.open_delivery_channel(text, timestamptz) IS
    'Open a delivery channel (email or webhook) if it is not open: every notification created from then on is queued on it; since: also queue the notifications created since then. Returns when the channel was opened. The notifier calls it at start';

CREATE FUNCTION actions.claim_delivery(channel text)
    RETURNS TABLE (workspace_id bigint, notification_id bigint, attempts integer,
                   kind text, person_id bigint, email text, display_name text, workspace_name text,
                   action_id bigint, action_title text, action_ids bigint[], link text, created_at timestamptz,
                   idempotency_key text)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    d actions.notification_delivery;
    why text;
BEGIN
    LOOP
        -- The oldest due row no other worker holds; locked until the caller's transaction ends.
        SELECT * INTO d FROM actions.notification_delivery q
         WHERE q.channel = claim_delivery.channel AND q.state = 'pending' AND q.next_attempt_at <= pg_catalog.now()
         ORDER BY q.next_attempt_at, q.notification_id
         LIMIT 1 FOR UPDATE SKIP LOCKED;
        IF NOT FOUND THEN
            RETURN;
        END IF;
        -- The person's and the workspace's settings as they are now, not when it was created.
        SELECT CASE
                   WHEN EXISTS (SELECT 1 FROM actions.notification_setting s
                                 WHERE s.workspace_id = n.workspace_id AND s.kind = n.kind AND NOT s.enabled)
                       THEN 'the workspace turned the kind ' || n.kind || ' off'
                   WHEN EXISTS (SELECT 1 FROM actions.notification_opt_out o
                                 WHERE o.workspace_id = n.workspace_id AND o.person_id = n.person_id AND o.kind = n.kind)
                       THEN 'the person opted out of ' || n.kind
                   WHEN EXISTS (SELECT 1 FROM actions.member m
                                 WHERE m.workspace_id = n.workspace_id AND m.person_id = n.person_id AND m.state = 'removed')
                       THEN 'the person left the workspace'
               END INTO why
          FROM actions.notification n
         WHERE n.workspace_id = d.workspace_id AND n.notification_id = d.notification_id;
        IF why IS NULL THEN
            EXIT;
        END IF;
        UPDATE actions.notification_delivery q SET state = 'skipped', last_error = why
         WHERE q.workspace_id = d.workspace_id AND q.notification_id = d.notification_id AND q.channel = d.channel;
    END LOOP;
    RETURN QUERY
    SELECT d.workspace_id, d.notification_id, d.attempts, n.kind, n.person_id, p.email, p.display_name,
           w.name, n.action_id, a.title, n.action_ids, n.link, n.created_at,
           'pg-actions-' || d.workspace_id || '-' || d.notification_id || '-' || d.channel
      FROM actions.notification n
      JOIN actions.person p ON p.person_id = n.person_id
      JOIN actions.workspace w ON w.workspace_id = n.workspace_id
      LEFT JOIN actions.action a ON a.workspace_id = n.workspace_id AND a.action_id = n.action_id
     WHERE n.workspace_id = d.workspace_id AND n.notification_id = d.notification_id;
END
$$;
COMMENT ON FUNCTION actions.claim_delivery(text) IS
    'Notifier: take the oldest due pending delivery of the channel that no other transaction holds (FOR UPDATE SKIP LOCKED; held until the caller''s transaction ends) and return what to send, with its idempotency key pg-actions-<workspace>-<notification>-<channel>; no row when none is due. Rows whose kind the workspace turned off, whose person opted out of the kind or left the workspace are marked skipped on the way';

CREATE FUNCTION actions.mark_delivered(workspace_id bigint, notification_id bigint, channel text) RETURNS boolean
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    WITH done AS (
        UPDATE actions.notification_delivery q
           SET state = 'delivered', delivered_at = pg_catalog.now(), attempts = q.attempts + 1
         WHERE q.workspace_id = mark_delivered.workspace_id AND q.notification_id = mark_delivered.notification_id
           AND q.channel = mark_delivered.channel AND q.state = 'pending'
        RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM done)
$$;
COMMENT ON FUNCTION actions.mark_delivered(bigint, bigint, text) IS
    'Notifier: mark a pending delivery delivered (in the transaction that claimed it); false when it was not pending';

CREATE FUNCTION actions.mark_delivery_failed(workspace_id bigint, notification_id bigint, channel text, error text,
                                             retry_base interval DEFAULT '10 seconds', max_attempts integer DEFAULT 10)
    RETURNS text
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    WITH done AS (
        UPDATE actions.notification_delivery q
           SET attempts = q.attempts + 1,
               last_error = pg_catalog.left(mark_delivery_failed.error, 2000),
               state = CASE WHEN q.attempts + 1 >= mark_delivery_failed.max_attempts THEN 'failed' ELSE 'pending' END,
               -- Exponential backoff: retry_base, then twice as long each time, at most a day.
               next_attempt_at = pg_catalog.now() + LEAST(interval '1 day',
                                   mark_delivery_failed.retry_base * pg_catalog.power(2, LEAST(q.attempts, 30)))
         WHERE q.workspace_id = mark_delivery_failed.workspace_id
           AND q.notification_id = mark_delivery_failed.notification_id
           AND q.channel = mark_delivery_failed.channel AND q.state = 'pending'
        RETURNING q.state)
    SELECT state FROM done
$$;
COMMENT ON FUNCTION actions.mark_delivery_failed(bigint, bigint, text, text, interval, integer) IS
    'Notifier: record a failed attempt of a pending delivery: retried after retry_base * 2^(attempts before), at most a day, or failed for good at max_attempts; returns the new state (pending or failed), NULL when it was not pending';

REVOKE ALL ON FUNCTION actions.queue_delivery(), actions.open_delivery_channel(text, timestamptz),
    actions.claim_delivery(text), actions.mark_delivered(bigint, bigint, text),
    actions.mark_delivery_failed(bigint, bigint, text, text, interval, integer) FROM PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('actions.delivery_channel', '');
SELECT pg_catalog.pg_extension_config_dump('actions.notification_delivery', '');
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.delivery_channel
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.notification_delivery
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
ALTER TABLE actions.delivery_channel ENABLE ALWAYS TRIGGER restore_guard;
ALTER TABLE actions.notification_delivery ENABLE ALWAYS TRIGGER restore_guard;
COMMENT ON TRIGGER restore_guard ON actions.delivery_channel IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
COMMENT ON TRIGGER restore_guard ON actions.notification_delivery IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
CREATE TRIGGER restore_done AFTER INSERT ON actions.delivery_channel
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_done();
CREATE TRIGGER restore_done AFTER INSERT ON actions.notification_delivery
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_done();
ALTER TABLE actions.delivery_channel ENABLE ALWAYS TRIGGER restore_done;
ALTER TABLE actions.notification_delivery ENABLE ALWAYS TRIGGER restore_done;
COMMENT ON TRIGGER restore_done ON actions.delivery_channel IS 'Ends the replica mode of a restore''s COPY into this table (actions.restore_done())';
COMMENT ON TRIGGER restore_done ON actions.notification_delivery IS 'Ends the replica mode of a restore''s COPY into this table (actions.restore_done())';
-- pg_actions install script, part 63: figures for monitoring (contrib/prometheus/queries.yaml).
-- Row-level security hides the actions from a monitoring role, so the counts come from functions
-- that run as the extension's owner and return numbers only (no title, no person); like
-- actions.maintenance_status they are not for PUBLIC: a DBA grants them to a monitoring role.

CREATE FUNCTION actions.metrics_actions()
    RETURNS TABLE (workspace_id bigint, status text, open bigint, overdue bigint, due_soon bigint)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT w.workspace_id, s.status,
           (SELECT count(*) FROM actions.action a
             WHERE a.workspace_id = w.workspace_id AND a.status = s.status),
           (SELECT count(*) FROM actions.action a
             WHERE a.workspace_id = w.workspace_id AND a.status = s.status
               AND a.due_at IS NOT NULL AND a.due_at < pg_catalog.now()),
           (SELECT count(*) FROM actions.action a
             WHERE a.workspace_id = w.workspace_id AND a.status = s.status
               AND a.due_at IS NOT NULL AND a.due_at >= pg_catalog.now()
               AND a.due_at <= pg_catalog.now() + w.due_soon_window)
      FROM actions.workspace w
     CROSS JOIN unnest(actions.list_vocabulary('open')) AS s(status)
     ORDER BY 1, 2
$$;
COMMENT ON FUNCTION actions.metrics_actions() IS
    'Monitoring: per workspace and open status (to_do, in_progress, overdue), how many actions are open, past their due date (overdue, whether or not mark_overdue marked them yet) and due within the workspace''s due_soon_window; counts only';

CREATE FUNCTION actions.metrics_outbox()
    RETURNS TABLE (channel text, pending bigint, retrying bigint, failed bigint, delivered bigint, skipped bigint,
                   oldest_pending_age_seconds double precision)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT c.channel,
           count(*) FILTER (WHERE d.state = 'pending'),
           count(*) FILTER (WHERE d.state = 'pending' AND d.attempts > 0),
           count(*) FILTER (WHERE d.state = 'failed'),
           count(*) FILTER (WHERE d.state = 'delivered'),
           count(*) FILTER (WHERE d.state = 'skipped'),
           coalesce(extract(epoch FROM pg_catalog.now() - min(n.created_at) FILTER (WHERE d.state = 'pending')), 0)::double precision
      FROM actions.delivery_channel c
      LEFT JOIN actions.notification_delivery d ON d.channel = c.channel
      LEFT JOIN actions.notification n ON n.workspace_id = d.workspace_id AND n.notification_id = d.notification_id
     GROUP BY c.channel
     ORDER BY c.channel
$$;
COMMENT ON FUNCTION actions.metrics_outbox() IS
    'Monitoring: per open delivery channel, how many deliveries are pending (of them retrying after a failed attempt), failed for good, delivered and skipped, and the age in seconds of the oldest pending notification (0 when none)';

CREATE FUNCTION actions.metrics_ledger()
    RETURNS TABLE (workspace_id bigint, seals bigint, seal_age_seconds double precision, unsealed boolean)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT w.workspace_id, coalesce(s.seal_no, 0),
           extract(epoch FROM pg_catalog.now() - coalesce(s.sealed_at, w.created_at))::double precision,
           EXISTS (SELECT 1 FROM actions.activity l
                    WHERE l.workspace_id = w.workspace_id AND l.at > coalesce(s.sealed_at, '-infinity'))
      FROM actions.workspace w
      LEFT JOIN LATERAL (SELECT x.seal_no, x.sealed_at FROM actions.ledger_seal x
                          WHERE x.workspace_id = w.workspace_id ORDER BY x.seal_no DESC LIMIT 1) s ON true
     ORDER BY 1
$$;
COMMENT ON FUNCTION actions.metrics_ledger() IS
    'Monitoring: per workspace, the number of its newest ledger seal (0: never sealed), the seconds since that seal (since the workspace was created when it has none) and whether log entries newer than it exist (what seal_ledgers would seal)';

REVOKE ALL ON FUNCTION actions.metrics_actions(), actions.metrics_outbox(), actions.metrics_ledger() FROM PUBLIC;
-- pg_actions install script, part 64: TRUNCATE under row-level security.
-- TRUNCATE applies no policy and fires no row trigger: a role that row-level security binds (a
-- trusted service, an application) and that a DBA granted TRUNCATE (GRANT ALL ...) would remove
-- every tenant's rows, unlogged, though its DELETE reaches only the rows it sees and the direct
-- write triggers decide it. A statement trigger on every table with row-level security refuses
-- TRUNCATE to every role but a superuser and the table's owner (as the direct write triggers
-- decide: a role with BYPASSRLS is refused too); they may DELETE every row anyway.
-- actions.action and actions.activity refuse TRUNCATE to everyone.

CREATE FUNCTION actions.refuse_bound_truncate() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    -- As the direct write triggers decide: bound unless a superuser or the table's owner (a role
    -- with BYPASSRLS is bound all the same).
    IF NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user)
       AND NOT pg_catalog.pg_has_role(current_user,
                                      (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = TG_RELID), 'USAGE') THEN
        RAISE EXCEPTION 'cannot truncate actions.%: role % is not its owner', TG_TABLE_NAME, current_user
            USING ERRCODE = '42501',
                  DETAIL = 'TRUNCATE applies no row-level security policy and fires no row trigger, so it would remove the rows of every workspace, unchecked and unlogged',
                  HINT = 'DELETE the rows instead (the policies and the direct write triggers decide which), or use the API';
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION actions.refuse_bound_truncate() IS
    'Trigger: refuses TRUNCATE (42501) of a table with row-level security to every role but a superuser and the table''s owner (a trusted service or application granted TRUNCATE, with BYPASSRLS or not); its DELETE reaches only the rows it sees';
REVOKE ALL ON FUNCTION actions.refuse_bound_truncate() FROM PUBLIC;

DO $$
DECLARE
    t name;
BEGIN
    FOR t IN SELECT c.relname FROM pg_catalog.pg_class c
              WHERE c.relnamespace = 'actions'::regnamespace AND c.relkind = 'r' AND c.relrowsecurity
                AND c.relname NOT IN ('action', 'activity')
              ORDER BY c.relname LOOP
        EXECUTE format('CREATE TRIGGER bound_no_truncate BEFORE TRUNCATE ON actions.%I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION actions.refuse_bound_truncate()', t);
        EXECUTE format('ALTER TABLE actions.%I ENABLE ALWAYS TRIGGER bound_no_truncate', t);
        EXECUTE format('COMMENT ON TRIGGER bound_no_truncate ON actions.%I IS %L', t,
                       'TRUNCATE is refused to every role but a superuser and the owner (actions.refuse_bound_truncate)');
    END LOOP;
END
$$;
-- pg_actions install script, part 65: the log verification as a scheduled job records its result,
-- so monitoring can alert on it (contrib/prometheus). actions.verify_logs() runs
-- actions.verify_log() for every workspace, each in its own subtransaction, and keeps the newest
-- result per workspace in actions.verify_run; actions.metrics_verify() returns its counts. It
-- reads the whole log, so its cost grows with the log: its own pg_cron job runs it hourly or
-- daily (docs/operations.md), not run_maintenance()'s every-minute tasks. Not for PUBLIC.

CREATE TABLE actions.verify_run (
    workspace_id  bigint PRIMARY KEY REFERENCES actions.workspace (workspace_id) ON DELETE CASCADE,
    checked_at    timestamptz NOT NULL,
    problems      bigint NOT NULL CONSTRAINT verify_run_problems CHECK (problems >= 0),
    first_problem text,
    CONSTRAINT verify_run_first_problem CHECK ((problems = 0) = (first_problem IS NULL))
);
COMMENT ON TABLE actions.verify_run IS
    'The newest result of actions.verify_logs() per workspace: when its log was checked and what actions.verify_log() found';
COMMENT ON COLUMN actions.verify_run.workspace_id IS 'The workspace whose log was checked';
COMMENT ON COLUMN actions.verify_run.checked_at IS 'When the check of this workspace started';
COMMENT ON COLUMN actions.verify_run.problems IS 'How many problems actions.verify_log() returned (0: the log is intact); an error of the check counts as one';
COMMENT ON COLUMN actions.verify_run.first_problem IS 'The first problem (action, log entry and what differs) or the error of the check; NULL when there is none';
-- Dumped with the rest (README, "Backups and restores"), guarded like every dumped table.
SELECT pg_catalog.pg_extension_config_dump('actions.verify_run', '');
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.verify_run
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
ALTER TABLE actions.verify_run ENABLE ALWAYS TRIGGER restore_guard;
COMMENT ON TRIGGER restore_guard ON actions.verify_run IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
CREATE TRIGGER restore_done AFTER INSERT ON actions.verify_run
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_done();
ALTER TABLE actions.verify_run ENABLE ALWAYS TRIGGER restore_done;
COMMENT ON TRIGGER restore_done ON actions.verify_run IS 'Ends the replica mode of a restore''s COPY into this table (actions.restore_done())';

CREATE FUNCTION actions.verify_logs() RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    ws      bigint;
    started timestamptz;
    n       bigint;
    first   text;
    state   text;
    message text;
    total   bigint := 0;
BEGIN
    FOR ws IN SELECT w.workspace_id FROM actions.workspace w ORDER BY w.workspace_id LOOP
        started := pg_catalog.clock_timestamp();
        BEGIN
            -- Its own subtransaction: an error checking one workspace is recorded for it as a
            -- problem, and the others are checked.
            SELECT pg_catalog.count(*),
                   (pg_catalog.array_agg(pg_catalog.format('action %s, entry %s: %s', v.action_id, v.seq, v.problem)
                                         ORDER BY v.action_id, v.seq))[1]
              INTO n, first
              FROM actions.verify_log(ws) v;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
            n := 1;
            first := pg_catalog.format('the check failed: %s (SQLSTATE %s)', message, state);
            RAISE WARNING 'pg_actions verify_log(%) failed: %', ws, message
                USING ERRCODE = state, HINT = 'SELECT * FROM actions.verify_run shows every workspace''s last check';
        END;
        INSERT INTO actions.verify_run AS r (workspace_id, checked_at, problems, first_problem)
        VALUES (ws, started, n, first)
        ON CONFLICT (workspace_id) DO UPDATE
           SET checked_at = excluded.checked_at, problems = excluded.problems, first_problem = excluded.first_problem;
        total := total + n;
    END LOOP;
    RETURN total;
END
$$;
COMMENT ON FUNCTION actions.verify_logs() IS
    'Maintenance: run actions.verify_log() for every workspace, each in its own subtransaction (an error is recorded as a problem of that workspace and the others are checked), keep each result in actions.verify_run and return the total number of problems. It reads the whole log, so its cost grows with the log: run it by its own pg_cron job, hourly or daily, not every minute';

CREATE FUNCTION actions.metrics_verify()
    RETURNS TABLE (workspace_id bigint, problems bigint, age_seconds double precision)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT w.workspace_id, r.problems,
           GREATEST(extract(epoch FROM pg_catalog.now() - coalesce(r.checked_at, w.created_at)), 0)::double precision
      FROM actions.workspace w
      LEFT JOIN actions.verify_run r ON r.workspace_id = w.workspace_id
     ORDER BY 1
$$;
COMMENT ON FUNCTION actions.metrics_verify() IS
    'Monitoring: per workspace, how many problems the last actions.verify_logs() found in its log (NULL: never checked) and the seconds since that check (since the workspace was created when it was never checked); counts only';

REVOKE ALL ON TABLE actions.verify_run FROM PUBLIC;
REVOKE ALL ON FUNCTION actions.verify_logs(), actions.metrics_verify() FROM PUBLIC;
