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
COMMENT ON COLUMN actions.ledger_seal.leaf_count IS 'Number of chain heads the seal holds (its leaves in actions.ledger_leaf)';
COMMENT ON COLUMN actions.ledger_seal.root IS 'Merkle root (RFC 6962) over the seal''s leaves in action_id order';
COMMENT ON COLUMN actions.ledger_seal.prev_hash IS 'hash of the previous seal (32 zero bytes for the first)';
COMMENT ON COLUMN actions.ledger_seal.hash IS 'SHA-256 of the seal''s fields and prev_hash: what actions.ledger_digest() hands out';

CREATE TABLE actions.ledger_leaf (
    workspace_id bigint NOT NULL,
    seal_no      bigint NOT NULL,
    chunk        integer NOT NULL,
    action_ids   bigint[] NOT NULL,
    seqs         integer[] NOT NULL,
    hashes       bytea[] NOT NULL,
    read_until   timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, seal_no, chunk)
);
-- Stored out of line uncompressed: hashes do not compress, and trying costs the sealer more than
-- the rest of its work.
ALTER TABLE actions.ledger_leaf ALTER COLUMN action_ids SET STORAGE EXTERNAL,
    ALTER COLUMN seqs SET STORAGE EXTERNAL, ALTER COLUMN hashes SET STORAGE EXTERNAL;
COMMENT ON TABLE actions.ledger_leaf IS 'The chain heads each seal holds (an action''s newest entry when the seal was made), in action_id order, at most 10,000 to a row';
COMMENT ON COLUMN actions.ledger_leaf.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.ledger_leaf.seal_no IS 'Seal that holds the leaves';
COMMENT ON COLUMN actions.ledger_leaf.chunk IS 'Position of the row among the seal''s rows: 1, 2, 3, ... (the leaves continue in action_id order)';
COMMENT ON COLUMN actions.ledger_leaf.action_ids IS 'Action of each leaf, ascending';
COMMENT ON COLUMN actions.ledger_leaf.seqs IS 'seq of the chain''s newest entry at the seal, for each leaf';
COMMENT ON COLUMN actions.ledger_leaf.hashes IS 'hash of that entry, for each leaf';
COMMENT ON COLUMN actions.ledger_leaf.read_until IS 'A time after the seal read the log (not sealed: the next seal skips the heads held by the seals read after its window began)';

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
