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
