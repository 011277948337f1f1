// Recurring schedules: actions.schedule, schedule_occurrence.
// Every function states what it reads or writes, the snapshot it reads with (the statement's own,
// spi.hpp: a VOLATILE caller sees what is committed now plus this transaction's writes, a STABLE
// one its caller's snapshot), the row locks it takes, and the workspace it names (the key Citus
// routes on; a lookup by id alone says so). Run inside an SpiScope.
// Times are PostgreSQL's: a timestamp (the rule's wall-clock time) and a timestamptz (its
// instant) are both microseconds since 2000-01-01.
#pragma once

#include "pg/boundary/postgres.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pg_actions::pg::store {

// A schedule's row with its workspace's time zone.
struct ScheduleRow {
    std::int64_t workspace_id = 0;
    std::int64_t schedule_id = 0;
    std::int64_t template_id = 0;
    std::optional<std::int64_t> record_id;
    std::string rrule;
    Timestamp starts_at = 0;
    std::string catch_up;
    std::int64_t owner_id = 0;
    bool paused = false;
    std::optional<Timestamp> next_local;
    std::string time_zone;
};

// A schedule (nullopt: none). lock: FOR UPDATE OF the schedule row (the workspace row is not
// locked); otherwise no lock. Snapshot: the statement's own (a locked row is its newest version).
// By schedule_id alone: it finds the workspace.
std::optional<ScheduleRow> schedule_row(std::int64_t schedule_id, bool lock);
// The due schedules (not paused, next_at passed), the longest due first, at most `limit`
// (pg_actions.sweep_batch_size: sweep_batch_datum()), locked FOR UPDATE OF the schedule SKIP
// LOCKED (a concurrent sweep skips them). Snapshot: the statement's own. Across workspaces (the
// sweep's due index): every row carries its workspace_id.
std::vector<ScheduleRow> lock_due_schedules(Datum limit);

// Inserts a schedule; its id. Locks: the new row. Names workspace_id.
std::int64_t insert_schedule(std::int64_t workspace_id, std::int64_t template_id, std::optional<std::int64_t> record_id,
                             const std::string& rrule, Timestamp starts_at, const std::string& catch_up,
                             std::int64_t owner_id, Timestamp next_local, TimestampTz next_at);
// Pauses a schedule. Locks: the row (FOR NO KEY UPDATE by the UPDATE). Names workspace_id.
void pause_schedule(std::int64_t workspace_id, std::int64_t schedule_id);
// Deletes a schedule (its occurrences by ON DELETE CASCADE). Locks: the row. Names workspace_id.
void delete_schedule(std::int64_t workspace_id, std::int64_t schedule_id);
// Writes a schedule's next occurrence (both nullopt: the rule has ended) and, when given, paused.
// Locks: the row (FOR NO KEY UPDATE by the UPDATE). Names workspace_id.
void set_schedule_next(std::int64_t workspace_id, std::int64_t schedule_id, std::optional<Timestamp> next_local,
                       std::optional<TimestampTz> next_at, std::optional<bool> paused);
// The same for many schedules in one statement (the sweep, which holds their rows FOR UPDATE).
// Locks: the rows. By schedule_id alone (the sweep locked them with their workspace_id).
void set_schedules_next(const std::vector<std::int64_t>& schedule_ids,
                        const std::vector<std::optional<Timestamp>>& next_locals,
                        const std::vector<std::optional<TimestampTz>>& next_ats);

// Records an occurrence: its action, or why there is none (sqlstate, error). False when it was
// recorded already (ON CONFLICT DO NOTHING on its key: another sweep's). Locks: the new row.
// Names workspace_id.
bool insert_occurrence(std::int64_t workspace_id, std::int64_t schedule_id, Timestamp occurrence,
                       TimestampTz occurrence_at, std::optional<std::int64_t> action_id,
                       const std::optional<std::string>& sqlstate, const std::optional<std::string>& error);
// Records many occurrences with their actions in one statement (the arrays run in parallel);
// how many were new (ON CONFLICT DO NOTHING). Locks: the new rows. Names each row's workspace_id.
std::uint64_t insert_occurrences(const std::vector<std::int64_t>& workspace_ids,
                                 const std::vector<std::int64_t>& schedule_ids,
                                 const std::vector<Timestamp>& occurrences,
                                 const std::vector<TimestampTz>& occurrence_ats,
                                 const std::vector<std::int64_t>& action_ids);

}  // namespace pg_actions::pg::store
