// The ledger: actions.ledger_seal, ledger_leaf, verify_run.
// Every function states what it reads or writes, the snapshot it reads with (the statement's own,
// spi.hpp: a VOLATILE caller sees what is committed now plus this transaction's writes, a STABLE
// one its caller's snapshot), the row locks it takes, and the workspace it names (the key Citus
// routes on; a lookup by id alone says so). Run inside an SpiScope.
#pragma once

#include "pg/boundary/postgres.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ledger.hpp"
#include "pg/store/row_stream.hpp"

namespace pg_actions::pg::store {

// A seal as stored, with its hash column.
struct StoredSeal {
    core::Seal seal;
    core::Hash hash{};
};

// The newest seal of the workspace, or nullopt when it has none. Snapshot: the statement's own.
// Locks: none (the caller holds the workspace's sealer lock, lock_sealer). Names workspace_id.
std::optional<StoredSeal> newest_seal(std::int64_t workspace_id);

// Whether the workspace exists (actions.workspace, by its key). Snapshot: the statement's own.
// Locks: none. Names workspace_id.
bool workspace_exists(std::int64_t workspace_id);

// Every workspace id in order (the maintenance job's list, a scan of actions.workspace: no
// workspace named). Snapshot: the statement's own. Locks: none.
std::vector<std::int64_t> all_workspace_ids();

// One sealer per workspace at a time: a transaction-level advisory lock (1885430113, the
// workspace's id mod 2^31-1) that writers never take. Names workspace_id (in the lock key).
void lock_sealer(std::int64_t workspace_id);

// The clock of a seal: its horizon (every entry dated before it is visible to the next
// statement's snapshot or was sealed before: the oldest running transaction's start, or now,
// less margin_us; nullopt while a prepared transaction exists, whose start is not known) and
// now() (the seal's sealed_at). Reads pg_prepared_xacts and pg_stat_activity. Locks: none.
struct SealClock {
    std::optional<std::int64_t> horizon_us;
    std::int64_t now_us = 0;
};
SealClock seal_clock(std::int64_t margin_us);

// Appends a seal row. Locks: the new row. Names workspace_id.
void insert_seal(const core::Seal& seal, const core::Hash& hash);

// The fields of each digest the caller passed to verify_ledger (one jsonb object or an array of
// them), nullopt where a field is missing. Reads no table.
struct DigestFields {
    std::optional<std::int64_t> workspace_id, seal_no;
    std::optional<std::string> hash_hex;
};
std::vector<DigestFields> digest_fields(Datum digests_jsonb);

// The first seal's leaves: every chain head of the workspace (actions.activity_head), written as
// leaves of seal_no; returns how many. Snapshot: the statement's own. Locks: none on the heads
// (writers never wait for a seal); the new leaf rows. Names workspace_id.
std::uint64_t insert_leaves_of_every_head(std::int64_t workspace_id, std::int64_t seal_no);

// The leaves of a later seal: the head of every chain with an entry dated at or after since_us
// (the previous seal's horizon), but not a head the ledger already holds; returns how many were
// written. Snapshot: the statement's own. Locks: none on the log or the heads; the new leaf rows.
// Names workspace_id.
std::uint64_t insert_leaves_of_moved_heads(std::int64_t workspace_id, std::int64_t seal_no, std::int64_t since_us);

// The Merkle tree over a seal's leaves as stored, in action_id order (the order verify_ledger
// reads them in), read through a cursor. Snapshot: the statement's own. Locks: none. Names
// workspace_id.
core::MerkleTree seal_leaves_tree(std::int64_t workspace_id, std::int64_t seal_no);

// Every seal of the workspace in seal_no order, through a cursor. Snapshot: the statement's own
// (verify_ledger is STABLE: its caller's). Locks: none. Names workspace_id.
RowStream<StoredSeal> seals_stream(std::int64_t workspace_id);

// Every leaf of the workspace with its seal, in (seal_no, action_id) order, through a cursor.
// Snapshot: the statement's own. Locks: none. Names workspace_id.
struct SealLeafRow {
    std::int64_t seal_no = 0;
    core::Leaf leaf;
};
RowStream<SealLeafRow> leaves_by_seal_stream(std::int64_t workspace_id);

// Every leaf of the workspace in (action_id, seq) order, through a cursor. Snapshot: the
// statement's own. Locks: none. Names workspace_id.
struct ActionLeafRow {
    std::int64_t action_id = 0;
    core::SealedLeaf leaf;
};
RowStream<ActionLeafRow> leaves_by_action_stream(std::int64_t workspace_id);

}  // namespace pg_actions::pg::store
