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
