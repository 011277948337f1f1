// Storage of the activity log: entries and chain heads are written straight into their tables
// (heap and every index, through PostgreSQL's table and executor APIs) instead of through SQL, so
// logging costs no parse, plan or executor start-up per entry.
#pragma once

#include "pg/boundary/postgres.hpp"

#include <cstdint>
#include <vector>

#include "core/activity.hpp"
#include "core/ledger.hpp"

#include "core/log_chain.hpp"
#include "core/service_level.hpp"

namespace pg_actions::pg {

struct Head {
    bool found = false;
    std::int32_t seq = 0;
    core::Hash hash = core::zero_hash;
    ItemPointerData tid{};
};

// The chain head of one action, locked FOR UPDATE and then read: every writer of a chain (an
// action's own change, a note, a sweep) serializes on it.
Head read_head(std::int64_t workspace_id, std::int64_t action_id);

// A bytea datum holding the hash (allocates: call inside guard()).
Datum hash_datum(const core::Hash& h);

// A hash column of the current SPI result (row, 1-based col): zeros when NULL, all 0xff (which no
// hash equals) when the value has the wrong length.
core::Hash get_hash(std::uint64_t row, int col);

// Appends one entry row; detail is a jsonb datum or 0 for none.
void append_entry(const core::Entry& e, Datum detail, const core::Hash& prev, const core::Hash& hash);

// What log_changes appended, as the service-level fold reads entries: the seq of the chain's
// entry before them (0: a new chain) and one step per entry, in seq order.
struct Appended {
    std::int32_t after_seq = 0;
    std::vector<core::LogStep> steps;
};

// Appends changes to the action's chain, each entry naming the acting person (or none), the
// session role and the transaction time. new_chain: the action was just inserted, no head yet.
// appended (optional): filled with what was appended, for a caller that folds it.
void log_changes(std::int64_t workspace_id, std::int64_t action_id, bool new_chain,
                 const std::vector<core::Change>& changes, Appended* appended = nullptr);

// The entry as it is hashed: its text in UTF-8 whatever the server encoding, so a log written in
// a LATIN1 database verifies the same after a restore into a UTF8 one (no copy in a UTF8 database).
core::Entry hashed_form(const core::Entry& e);

// Creates or advances the head to (seq, hash).
void write_head(std::int64_t workspace_id, std::int64_t action_id, const Head& old, std::int32_t seq,
                const core::Hash& hash);

}  // namespace pg_actions::pg

#include <optional>
#include <string>

#include "core/replay.hpp"
#include "pg/store/row_stream.hpp"

namespace pg_actions::pg::store {

// One log entry as verify_log/verify_ledger read it, with the facts of a 'created' entry.
struct LogRow {
    std::int64_t action_id = 0;
    core::Entry entry;
    core::Hash prev{}, hash{};
    std::optional<core::CreatedFacts> created;
};
// Every log entry of the workspace in (action_id, seq) order, through a cursor (the index's
// order: no sort). Snapshot: the statement's own (the STABLE verify functions: their caller's).
// Locks: none. Names workspace_id.
RowStream<LogRow> log_entries_stream(std::int64_t workspace_id);

// Every chain head of the workspace in action_id order, through a cursor (verify_log, and the
// workspace's first seal, whose candidates are every chain). Snapshot: the statement's own.
// Locks: none. Names workspace_id.
RowStream<core::Leaf> heads_stream(std::int64_t workspace_id);

}  // namespace pg_actions::pg::store
