// A record as the record verbs and the workflows see it, and what they share: finding it for an
// actor (visibility before locking), the checks on its kind and state, and starting the workflows
// an event on it starts. Used by api/records.cpp and api/workflows.cpp.
#pragma once

#include "pg/boundary/postgres.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/permission.hpp"
#include "core/workflow.hpp"

namespace pg_actions::pg {

struct Record {
    std::int64_t workspace_id;
    std::int64_t record_id;
    std::string kind;
    std::string title;
    bool archived;
    std::optional<std::string> state;
    std::vector<std::int64_t> group_ids;
    core::Facts facts;  // the actor's, with their capacities on the record
};

// The record, locked (FOR NO KEY UPDATE: a concurrent approval holding it FOR SHARE waits), and
// the actor's facts about it; a record the actor may not see is not found. A record verb decides
// visibility on the record as committed now before it waits for the lock, so a hidden record
// another transaction holds reveals nothing; share_lock (the record of an action the actor was
// already authorized on) skips that.
Record find_record(std::int64_t record_id, std::int64_t actor, bool share_lock = false);
// find_record() for a change: refused unless the actor may edit the record (edit_record).
Record record_to_edit(std::int64_t record_id, std::int64_t actor);
// 22023 unless the record is of this kind; 55000 when it is archived.
void require_kind(const Record& r, std::string_view kind, const char* what);
void require_open(const Record& r);
// Writes the record's workflow_state (NULL: none).
void set_state(const Record& r, const std::optional<std::string>& state);
// Submitting, publishing or editing the record: the core's record_step() decides the new
// workflow_state and the event, which are written and started here; refused as it says.
core::RecordStep change_record(const Record& r, core::RecordChange change, std::int64_t actor);
// Starts the workflows an event on the record starts (those switched on); returns how many
// actions were created. `only`: these people instead of the holders of the capacities.
int start_workflows(const Record& r, core::RecordEvent event, std::int64_t actor,
                    const std::vector<std::int64_t>& only = {});

}  // namespace pg_actions::pg
