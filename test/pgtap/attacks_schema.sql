-- A non-superuser database owner creates the schema actions before a superuser installs the
-- extension (the control file names the schema; CREATE EXTENSION uses one that exists). As the
-- schema's owner it could then add an overload the extension's SECURITY DEFINER code calls, e.g.
-- actions.restoring(oid), a better match for restoring(TG_RELID) in the PL/pgSQL triggers than
-- restoring(regclass), and run it as the extension's owner: it became a superuser when an
-- administrator next created a workspace. CREATE EXTENSION now refuses a schema actions that a
-- role other than a superuser owns or may create in (42501); ALTER EXTENSION UPDATE too.
-- Everything here is rolled back: the extension is dropped and created again inside the test.
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(9);

CREATE ROLE as_dbo LOGIN;
DROP EXTENSION pg_actions CASCADE;
DROP SCHEMA actions CASCADE;   -- the schema outlives the extension (it is no member of it)

-- 1. The schema is the database owner's.
CREATE SCHEMA actions AUTHORIZATION as_dbo;
SET SESSION AUTHORIZATION as_dbo;
CREATE FUNCTION actions.restoring(r oid) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        EXECUTE 'ALTER ROLE as_dbo SUPERUSER';
    END IF;
    RETURN false;
END
$$;
RESET SESSION AUTHORIZATION;
SELECT throws_ok('CREATE EXTENSION pg_actions', '42501', 'schema actions is owned by role as_dbo, which is not a superuser',
    'CREATE EXTENSION refuses a schema actions owned by a role that is not a superuser');
SELECT hasnt_extension('pg_actions', 'nothing of it was installed');
DROP SCHEMA actions CASCADE;

-- 2. The schema is a superuser's, but another role may create in it (or PUBLIC may).
CREATE SCHEMA actions;
GRANT CREATE ON SCHEMA actions TO as_dbo;
SELECT throws_ok('CREATE EXTENSION pg_actions', '42501', 'role as_dbo may create objects in schema actions',
    'CREATE EXTENSION refuses a schema actions another role may create in');
REVOKE CREATE ON SCHEMA actions FROM as_dbo;
GRANT CREATE ON SCHEMA actions TO PUBLIC;
SELECT throws_ok('CREATE EXTENSION pg_actions', '42501', 'role PUBLIC may create objects in schema actions',
    '... or PUBLIC may');
REVOKE CREATE ON SCHEMA actions FROM PUBLIC;

-- 3. A superuser's schema with no such grant is used, as before.
SELECT lives_ok('CREATE EXTENSION pg_actions', 'a schema actions made by a superuser is used');
SELECT has_function('actions', 'create_workspace', 'the extension is installed there');

-- 4. The extension's schema given away afterwards cannot be used to escalate either: the owner
-- of a schema made by CREATE EXTENSION is the superuser who ran it, and nobody else creates in it.
SELECT is((SELECT r.rolsuper FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner WHERE n.nspname = 'actions'), true,
    'the schema actions is a superuser''s');
SET SESSION AUTHORIZATION as_dbo;
SELECT throws_ok('CREATE FUNCTION actions.restoring(r oid) RETURNS boolean LANGUAGE sql AS ''SELECT false''', '42501', NULL,
    'the database owner cannot add an overload to the schema');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT rolsuper FROM pg_roles WHERE rolname = 'as_dbo'), false, 'the database owner is no superuser');

SELECT * FROM finish();
ROLLBACK;
