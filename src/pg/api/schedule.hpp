// What the schedule API (schedules.cpp) and the sweep (schedule_sweep.cpp) share: a schedule row,
// the mapping between the core's floating local time and PostgreSQL's timestamps, and the
// occurrences of a rule in absolute time. The core expands a rule in the workspace's wall clock;
// PostgreSQL places each wall-clock time in the workspace's zone (timestamp AT TIME ZONE zone:
// its tz database, the rule every other date of the workspace follows; a wall time that a DST
// switch skips is read with the offset before the switch, so 02:30 on a spring-forward day in
// Europe/Berlin becomes 03:30 CEST, and a repeated wall time is its later instant, in standard time).
#pragma once

#include "pg/boundary/postgres.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/recurrence.hpp"
#include "pg/store/schedule_store.hpp"

namespace pg_actions::pg {

// A schedule as the glue uses it: its row (store/schedule_store.hpp) with the start, the catch-up
// choice and the next occurrence in the core's terms.
struct Schedule : store::ScheduleRow {
    core::LocalSeconds start = 0;
    core::CatchUp catch_up = core::CatchUp::latest;  // the row's text, parsed
    std::optional<core::LocalSeconds> next;
};

// An occurrence: the rule's wall-clock time and the instant PostgreSQL places it at.
struct Occurrence {
    core::LocalSeconds local;
    TimestampTz at;
};

core::LocalSeconds local_of(Timestamp ts);
Timestamp timestamp_of(core::LocalSeconds s);
TimestampTz absolute(core::LocalSeconds local, const std::string& zone);
core::LocalSeconds local_now(const std::string& zone);

// Up to n occurrences of the schedule's rule at or after the wall-clock time `from` whose instant
// is not before `not_before`.
std::vector<Occurrence> occurrences_from(const Schedule& s, core::LocalSeconds from, TimestampTz not_before,
                                         std::size_t n);

// A schedule as the store reads it (store/schedule_store.hpp), with the core's times.
Schedule schedule_of(const store::ScheduleRow& row);
// The schedule row with its workspace's time zone (SPI connected); lock: FOR UPDATE.
std::optional<Schedule> load_schedule(std::int64_t schedule_id, bool lock);

// Writes the schedule's next occurrence (none: the rule has ended) and, when given, paused.
void set_next(const Schedule& s, const std::optional<Occurrence>& next, std::optional<bool> paused = std::nullopt);

// The same for many schedules in one statement (the sweep).
void set_next_many(const std::vector<std::int64_t>& schedule_ids, const std::vector<std::optional<Occurrence>>& next);

// Creates the occurrence's action from the schedule's template as the current actor; its id.
std::int64_t create_occurrence_action(const Schedule& s, const Occurrence& o);

}  // namespace pg_actions::pg
