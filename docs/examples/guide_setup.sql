-- The set-up of the guides' examples (docs/*.md): run it with psql as a superuser, from the top of
-- the checkout, in a fresh database with the extension (CREATE EXTENSION pg_actions), then each
-- guide's sql blocks in order (test/docs_sql.sh does exactly that). It makes workspace :ws, "Acme",
-- and four people with login roles: Alice (:alice, its owner), Bob (:bob, a user), Carol (:carol,
-- actions_access) and Dan (:dan, a user), and ends acting as Alice.
SET client_min_messages = warning;
DO $$
BEGIN   -- login roles belong to the cluster: made once, kept by every database
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'alice') THEN CREATE ROLE alice LOGIN; END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bob') THEN CREATE ROLE bob LOGIN; END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'carol') THEN CREATE ROLE carol LOGIN; END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dan') THEN CREATE ROLE dan LOGIN; END IF;
END $$;
SELECT actions.create_person('alice@example.com', 'Alice', login_role => 'alice') AS alice \gset
SELECT actions.create_person('bob@example.com', 'Bob', login_role => 'bob') AS bob \gset
SELECT actions.create_person('carol@example.com', 'Carol', login_role => 'carol') AS carol \gset
SELECT actions.create_person('dan@example.com', 'Dan', login_role => 'dan') AS dan \gset
SELECT actions.create_workspace('Acme', 'Europe/Berlin',
       'https://app.example/{workspace_id}/actions/{action_id}', owner_id => :alice) AS ws \gset
SELECT actions.add_member(:ws, :bob, 'user') \g /dev/null
SELECT actions.add_member(:ws, :carol, 'actions_access') \g /dev/null
SELECT actions.add_member(:ws, :dan, 'user') \g /dev/null
RESET client_min_messages;
-- The acting person is the one whose login role is session_user: a superuser becomes Alice with
-- SET SESSION AUTHORIZATION (SET ROLE leaves session_user, and so the acting person, as it is).
SET SESSION AUTHORIZATION alice;
