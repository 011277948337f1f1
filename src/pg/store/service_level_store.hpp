// Service levels: an action's log entries read for the core's fold (core/service_level.hpp),
// and the summary of completed actions (actions.service_level) kept up to date from them.
#pragma once

#include "pg/boundary/postgres.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/service_level.hpp"
#include "pg/store/calendar_store.hpp"

namespace pg_actions::pg {

struct Appended;  // what log_changes appended (log_store.hpp)

// One log entry's stored columns (event, at, old_value, new_value, detail) as the fold needs
// them: times and ids parsed, the fields of a created entry's detail taken out. Guarded.
core::LogStep log_step(Datum event, Datum at, Datum old_value, bool old_null, Datum new_value, bool new_null,
                       Datum detail, bool detail_null);
// The same from the values an entry is written with (log_changes); detail a jsonb datum, 0 for none.
core::LogStep log_step(std::string event, TimestampTz at, const std::optional<std::string>& old_value,
                       std::optional<std::string> new_value, Datum detail);

// The chain of one action, in seq order, read through the log's primary key (latest committed
// data plus this transaction's earlier commands, as the trigger that just appended to it sees);
// after_seq > 0: only the entries after that one (one range of the index).
std::vector<core::LogStep> read_chain(std::int64_t workspace_id, std::int64_t action_id, std::int32_t after_seq = 0);

// Rewrites the action's row of actions.service_level from its log (the row exists once the
// action was ever completed): the fold of the facts the row holds (its folded_seq, last_due_at
// and report columns) over the entries after the last one that changed them; a row written
// before 0.3 (folded_seq NULL) from the whole chain. Locks the row (FOR UPDATE, latest version). Called by the log trigger after it appended entries that
// core::affects_summary() names; fires no trigger. appended: those entries (log_changes'), which
// are not read again: when the row's fold had reached the entry before them (a completion after
// a reopening, a first completion of a new chain), they are all the fold needs and the log is
// not read at all.
void refresh_service_level(std::int64_t workspace_id, std::int64_t action_id, const Appended* appended = nullptr);

// The business calendar the workspace uses (actions.use_calendar()), loaded; nullptr without one.
// Loaded once per statement (a bulk completion reads it once: within one statement a calendar is
// the one it was when the statement first needed it); valid until the next call. Runs SQL
// (inside an SpiScope), read as the caller: the log trigger and the functions here run as the
// extension's owner.
const core::Calendar* service_calendar(std::int64_t workspace_id);

// The summary row of an action's facts, in the table's column order; the working time to complete
// on the workspace's calendar when it has one (calendar nullptr: NULL); then the fold's state:
// the due date as the log last set it and the entry the facts are folded up to.
constexpr int service_level_columns = 19;
void summary_values(std::int64_t workspace_id, std::int64_t action_id, const core::ServiceFacts& f,
                    const core::Calendar* calendar, Datum* values, bool* nulls);

// A workspace's log read whole, for actions.service_level_from_log(): a cursor over
// actions.activity in (action_id, seq) order, fetched in batches so memory is bounded by the batch.
// Snapshot: the statement's own (service_level_from_log is STABLE: its caller's). No lock.
// Names workspace_id.
namespace store {

Portal open_workspace_log(std::int64_t workspace_id);
// Fetches the cursor's next up to n entries (the current SPI result); how many.
std::uint64_t fetch_log_entries(Portal portal, long n);
// Entry i of the last fetch: its action and the step the fold reads (log_step).
struct LogEntry {
    std::int64_t action_id;
    core::LogStep step;
};
LogEntry log_entry(std::uint64_t i);
// Frees the last fetch's rows.
void free_log_entries();
void close_log(Portal portal);

}  // namespace store

}  // namespace pg_actions::pg
