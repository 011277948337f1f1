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
#include <unordered_map>
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

// (A workspace's first seal takes every chain head: log_store's heads_stream.)
// A later seal's candidates: for every chain with an entry dated at or after since_us (the
// previous seal's horizon), its newest such entry, in action_id order, through a cursor. Found
// through the log's BRIN index on `at` whatever the statistics say (install_log_planning), whose
// new full block ranges it summarizes first, never the partial last one: a ShareUpdateExclusiveLock
// on actions.activity, which writers do not conflict with, a VACUUM does. Every entry the previous
// seal did not see is dated so; a candidate that is not its chain's head is older than a head a
// seal read after since_us holds (see heads_held_since). Snapshot: the statement's own, taken when
// the stream is made. Locks: none. Names workspace_id.
RowStream<core::Leaf> moved_chain_stream(std::int64_t workspace_id, std::int64_t since_us);

// Installs (from _PG_init) the planner hook that makes moved_chain_stream read through the BRIN
// index whatever the statistics say: while it is planned, the log's other indexes are not shown
// to the planner and sequential scans are disabled.
void install_log_planning();

// The newest seq each chain has in the seals that read the log at or after since_us (read_until;
// the seals after the newest one that read before it): the heads a seal whose window begins at
// since_us may already hold, by action_id. Reads those seals' rows, their arrays whole, through a
// cursor. Snapshot: the statement's own. Locks: none. Names workspace_id.
struct HeldLeaf {
    std::int64_t action_id = 0;
    std::int32_t seq = 0;
};
std::unordered_map<std::int64_t, std::int32_t> heads_held_since(std::int64_t workspace_id, std::int64_t since_us);

// Appends one row of a seal's leaves (chunk 1, 2, ...; at most 10,000 leaves in action_id order);
// read_until: a time after the seal's candidates were read. Locks: the new row. Names workspace_id.
void insert_leaf_chunk(std::int64_t workspace_id, std::int64_t seal_no, std::int32_t chunk,
                       const std::vector<core::Leaf>& leaves, std::int64_t read_until_us);

// Every seal of the workspace in seal_no order, through a cursor. Snapshot: the statement's own
// (verify_ledger is STABLE: its caller's). Locks: none. Names workspace_id.
RowStream<StoredSeal> seals_stream(std::int64_t workspace_id);

// Every leaf of the workspace with its seal, in the order each seal holds them (seal_no, then
// its rows' and arrays' order: action_id), through a cursor.
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
