-- Set-up shared by docs/examples/python and docs/examples/node, run by an administrator (a
-- superuser, or a role granted the administration functions). Safe to run again: everything is
-- looked up first and created only when missing.
--   * example_app: the login role of the application's connection pool, registered as a trusted
--     service, so it may call actions.act_as(person_id) once per transaction. It is not a person
--     and owns nothing; it holds no table privileges beyond what PUBLIC has.
--   * three people who log in to the application, not to PostgreSQL (no login role of their own),
--     and a workspace where Ana is the owner and Ben and Cleo are users.
DO $$
DECLARE
    ana  bigint;
    ben  bigint;
    cleo bigint;
    ws   bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'example_app') THEN
        CREATE ROLE example_app LOGIN;
    END IF;
    -- sees => 'all': the LISTEN worker reads each notification before it knows whom it is for,
    -- acting for nobody; every request acts for its person with act_as and sees only their rows.
    PERFORM actions.trust_service('example_app', 'docs/examples: the application''s connection pool',
                                  sees => 'all');

    SELECT person_id INTO ana FROM actions.person WHERE lower(email) = 'ana@example.app';
    IF ana IS NULL THEN ana := actions.create_person('ana@example.app', 'Ana (owner)'); END IF;
    SELECT person_id INTO ben FROM actions.person WHERE lower(email) = 'ben@example.app';
    IF ben IS NULL THEN ben := actions.create_person('ben@example.app', 'Ben (user)'); END IF;
    SELECT person_id INTO cleo FROM actions.person WHERE lower(email) = 'cleo@example.app';
    IF cleo IS NULL THEN cleo := actions.create_person('cleo@example.app', 'Cleo (user)'); END IF;

    SELECT workspace_id INTO ws FROM actions.workspace WHERE name = 'Example app' ORDER BY workspace_id LIMIT 1;
    IF ws IS NULL THEN
        ws := actions.create_workspace('Example app', 'UTC',
                  'https://app.example/w/{workspace_id}/actions/{action_id}', owner_id => ana);
    END IF;
    PERFORM actions.add_member(ws, ben, 'user');
    PERFORM actions.add_member(ws, cleo, 'user');
END
$$;

-- What the application keeps in its own user directory: its users' person ids.
SELECT (SELECT workspace_id FROM actions.workspace WHERE name = 'Example app' ORDER BY workspace_id LIMIT 1) AS workspace_id,
       (SELECT person_id FROM actions.person WHERE lower(email) = 'ana@example.app') AS ana,
       (SELECT person_id FROM actions.person WHERE lower(email) = 'ben@example.app') AS ben,
       (SELECT person_id FROM actions.person WHERE lower(email) = 'cleo@example.app') AS cleo;
