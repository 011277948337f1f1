-- pg_actions install script, part 70: the cluster secret a Citus coordinator signs the identity
-- it carries to its workers with (docs/security.md, "Identity on Citus"). actions.distribute()
-- makes it (a reference table: the same row on every node, copied by Citus to a node added
-- later); readable by the extension's owner (a superuser) alone; replaced by
-- actions.rotate_cluster_secret(). A single node has no row and needs none.

CREATE TABLE actions.cluster_secret (
    secret  bytea NOT NULL CHECK (octet_length(secret) >= 32),
    made_at timestamptz NOT NULL DEFAULT now()
);
-- One row at most.
CREATE UNIQUE INDEX cluster_secret_one_row ON actions.cluster_secret ((true));
COMMENT ON TABLE actions.cluster_secret IS
    'Internal, Citus: the key the coordinator signs the identity it carries to the workers with (HMAC-SHA-256), one row, the same on every node; made by actions.distribute(), readable by the extension''s owner only; replace it with actions.rotate_cluster_secret()';
COMMENT ON COLUMN actions.cluster_secret.secret IS 'The key: 32 random bytes';
COMMENT ON COLUMN actions.cluster_secret.made_at IS 'When it was made (actions.distribute() or the last rotation)';
REVOKE ALL ON actions.cluster_secret FROM PUBLIC;

-- A restore copies the dumped row back like any other table's (actions.restore_guard()).
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.cluster_secret
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
ALTER TABLE actions.cluster_secret ENABLE ALWAYS TRIGGER restore_guard;
COMMENT ON TRIGGER restore_guard ON actions.cluster_secret IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
CREATE TRIGGER restore_done AFTER INSERT ON actions.cluster_secret
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_done();
ALTER TABLE actions.cluster_secret ENABLE ALWAYS TRIGGER restore_done;
COMMENT ON TRIGGER restore_done ON actions.cluster_secret IS 'Ends the replica mode of a restore''s COPY into this table (actions.restore_done())';

CREATE FUNCTION actions.rotate_cluster_secret() RETURNS timestamptz
    LANGUAGE c VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_rotate_cluster_secret';
COMMENT ON FUNCTION actions.rotate_cluster_secret() IS
    'Administration, Citus: replaces the cluster secret (32 new random bytes, pg_strong_random) on every node at once; a transaction that carried its identity under the old one is refused on the workers from then on (42501) and is retried. Returns when the new secret was made';
REVOKE ALL ON FUNCTION actions.rotate_cluster_secret() FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('actions.cluster_secret', '');
