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

-- The member's state afterwards is the core's rule (core::state_after_add, src/core/member.hpp):
-- active, whether they were invited, active or removed before.
CREATE FUNCTION actions.add_member(workspace_id bigint, person_id bigint, role text DEFAULT 'user')
    RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_add_member';
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
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    DELETE FROM actions.trusted_service t WHERE t.role_name = untrust_service.role_name;
    RETURN FOUND;
END
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

-- Which actions become overdue is the core's rule (core::becomes_overdue, src/core/status.hpp);
-- the batch (pg_actions.sweep_batch_size, locked in ascending action_id, SKIP LOCKED under
-- pg_actions.sweep_skip_locked), the one UPDATE and the per-action retry in subtransactions are
-- the sweeps' mechanism (src/pg/api/overdue.cpp).
CREATE FUNCTION actions.mark_overdue() RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_mark_overdue';
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
