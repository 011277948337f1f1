// Actions and what hangs on them: actions.action, action_candidate, action_offer, evidence.
// Every function states what it reads or writes, the snapshot it reads with (the statement's own,
// spi.hpp: a VOLATILE caller sees what is committed now plus this transaction's writes, a STABLE
// one its caller's snapshot), the row locks it takes, and the workspace it names (the key Citus
// routes on; a lookup by id alone says so). Run inside an SpiScope.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pg_actions::pg::store {

}  // namespace pg_actions::pg::store

#include "core/replay.hpp"
#include "pg/store/row_stream.hpp"

namespace pg_actions::pg::store {

// An action row as its log implies it (verify_log, verify_ledger).
struct ActionFactsRow {
    std::int64_t action_id = 0;
    core::RowFacts facts;
};
// Every action row of the workspace in action_id order, through a cursor. Snapshot: the
// statement's own (the STABLE verify functions: their caller's). Locks: none. Names workspace_id.
RowStream<ActionFactsRow> action_facts_stream(std::int64_t workspace_id);

}  // namespace pg_actions::pg::store
