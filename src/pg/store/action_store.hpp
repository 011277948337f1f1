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

// How action_facts_row() reads the row: with the running statement's snapshot (a question asked
// for many rows of one query), as committed now (no lock), locked FOR UPDATE (waits for a
// transaction holding it), or locked FOR UPDATE SKIP LOCKED (no row when another transaction holds it).
enum class ActionRowRead { statement, latest, locked, locked_unless_busy };
// The columns of an action the authorization decides on (authz/facts.cpp).
struct ActionFactsRow {
    std::int64_t workspace_id = 0;
    std::optional<std::string> status;
    std::optional<std::int64_t> owner_id, assignee_id, completed_by;
    std::vector<std::int64_t> group_ids;  // none when NULL
    std::optional<std::int64_t> record_id;
    std::optional<std::string> workflow;
    bool offered = false, claimed = false;  // NULL reads as false
    std::optional<std::int64_t> delegated_by;
    std::optional<std::string> delegation;
};
// An action's row by id alone, to find its workspace (it names no workspace_id). statement and
// latest: read through the index API (action_id_idx), no SQL, no lock: the statement's snapshot, or
// the latest one plus this transaction's writes; usable where no SQL may run (NoSqlHere). locked and
// locked_unless_busy: SQL (run inside an SpiScope), FOR UPDATE (SKIP LOCKED), the statement's own
// snapshot (the row's newest version once locked). nullopt: no such row (or, unless busy, held).
std::optional<ActionFactsRow> action_facts_row(std::int64_t action_id, ActionRowRead how);

// Whether an action exists, by id alone, as committed now plus this transaction's writes: an index
// read (action_id_idx), no SQL, no lock.
bool action_exists_now(std::int64_t action_id);

// An evidence row's name, sha256 as hex and size, named by workspace_id and evidence_id; nullopt when
// there is none. SQL, the statement's own snapshot, no lock.
struct EvidenceRow {
    std::string name, sha256_hex;
    std::int64_t size_bytes = 0;
};
std::optional<EvidenceRow> evidence_row(std::int64_t workspace_id, std::int64_t evidence_id);

}  // namespace pg_actions::pg::store
