-- pg_actions upgrade script 0.2 -> 0.3 (ALTER EXTENSION pg_actions UPDATE TO '0.3').
-- Frozen once 0.3 is released; a later schema change adds pg_actions--0.3--0.4.sql instead.
-- test/tap/008_upgrade.pl checks that 0.2 (and 0.1, through 0.2) + this script equals a fresh install of 0.3.

\echo Use "ALTER EXTENSION pg_actions UPDATE" to load this file. \quit

-- ==== the ledger's leaves, a seal's in rows of up to 10,000 ====
-- One row per leaf (three index entries each) becomes one row per 10,000 leaves of a seal, in
-- action_id order: the order the seal's Merkle root was computed in, so every seal verifies as
-- before. read_until of the converted rows is the upgrade's time: the first seal after it skips
-- every head they hold (a later one only those of the seals read after its window began).
ALTER TABLE actions.ledger_leaf RENAME TO ledger_leaf_0_2;
ALTER INDEX actions.ledger_leaf_pkey RENAME TO ledger_leaf_0_2_pkey;
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
INSERT INTO actions.ledger_leaf (workspace_id, seal_no, chunk, action_ids, seqs, hashes, read_until)
SELECT workspace_id, seal_no, (n - 1) / 10000 + 1, array_agg(action_id ORDER BY action_id),
       array_agg(seq ORDER BY action_id), array_agg(hash ORDER BY action_id), pg_catalog.now()
  FROM (SELECT l.*, row_number() OVER (PARTITION BY workspace_id, seal_no ORDER BY action_id) AS n
          FROM actions.ledger_leaf_0_2 l) leaves
 GROUP BY workspace_id, seal_no, (n - 1) / 10000;
ALTER EXTENSION pg_actions DROP TABLE actions.ledger_leaf_0_2;  -- and from the tables dumped with their rows
DROP TABLE actions.ledger_leaf_0_2;
REVOKE ALL ON actions.ledger_leaf FROM PUBLIC;
COMMENT ON TABLE actions.ledger_leaf IS 'The chain heads each seal holds (an action''s newest entry when the seal was made), in action_id order, at most 10,000 to a row';
COMMENT ON COLUMN actions.ledger_leaf.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.ledger_leaf.seal_no IS 'Seal that holds the leaves';
COMMENT ON COLUMN actions.ledger_leaf.chunk IS 'Position of the row among the seal''s rows: 1, 2, 3, ... (the leaves continue in action_id order)';
COMMENT ON COLUMN actions.ledger_leaf.action_ids IS 'Action of each leaf, ascending';
COMMENT ON COLUMN actions.ledger_leaf.seqs IS 'seq of the chain''s newest entry at the seal, for each leaf';
COMMENT ON COLUMN actions.ledger_leaf.hashes IS 'hash of that entry, for each leaf';
COMMENT ON COLUMN actions.ledger_leaf.read_until IS 'A time after the seal read the log (not sealed: the next seal skips the heads held by the seals read after its window began)';
COMMENT ON COLUMN actions.ledger_seal.leaf_count IS 'Number of chain heads the seal holds (its leaves in actions.ledger_leaf)';
CREATE TRIGGER ledger_leaf_immutable BEFORE UPDATE OR DELETE ON actions.ledger_leaf
    FOR EACH ROW EXECUTE FUNCTION actions.refuse_log_change();
CREATE TRIGGER ledger_leaf_no_truncate BEFORE TRUNCATE ON actions.ledger_leaf
    FOR EACH STATEMENT EXECUTE FUNCTION actions.refuse_log_change();
ALTER TABLE actions.ledger_leaf ENABLE ALWAYS TRIGGER ledger_leaf_immutable;
ALTER TABLE actions.ledger_leaf ENABLE ALWAYS TRIGGER ledger_leaf_no_truncate;
SELECT pg_catalog.pg_extension_config_dump('actions.ledger_leaf', '');
CREATE TRIGGER restore_guard BEFORE INSERT ON actions.ledger_leaf
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_guard();
ALTER TABLE actions.ledger_leaf ENABLE ALWAYS TRIGGER restore_guard;
COMMENT ON TRIGGER restore_guard ON actions.ledger_leaf IS 'Refuses a restore''s COPY into this table while it holds rows (actions.restore_guard())';
CREATE TRIGGER restore_done AFTER INSERT ON actions.ledger_leaf
    FOR EACH STATEMENT EXECUTE FUNCTION actions.restore_done();
ALTER TABLE actions.ledger_leaf ENABLE ALWAYS TRIGGER restore_done;
COMMENT ON TRIGGER restore_done ON actions.ledger_leaf IS 'Ends the replica mode of a restore''s COPY into this table (actions.restore_done())';
