// What a change to an action row means for the activity log: the entries to append.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "status.hpp"
#include "pure.hpp"

namespace pg_actions::core {

struct EvidenceFacts {
    std::int64_t evidence_id;
    std::string name;
    std::string sha256_hex;
    std::int64_t size_bytes;
};

// The logged fields of an action row, as the glue reads them from a tuple.
struct ActionState {
    Status status = Status::to_do;
    std::optional<std::int64_t> owner_id;  // set at creation, never changed afterwards
    std::string type;                      // likewise
    std::optional<std::int64_t> assignee_id;
    std::string title;
    std::optional<std::string> description;
    std::optional<std::int64_t> due_at_us;  // microseconds since 2000-01-01 00:00 UTC
    std::string priority;
    std::optional<std::string> cancel_reason;
    std::optional<EvidenceFacts> evidence;  // current evidence, when the glue has it
    std::optional<std::int64_t> record_id;
    std::vector<std::int64_t> group_ids;  // sorted
    std::optional<std::string> outcome;   // of a workflow action: approved, rejected, ...
    std::optional<std::string> outcome_comment;
    bool started = false;  // the action has been started at least once (logged as "started")
    std::optional<std::int64_t> template_id;  // the template and version it was made from, if any;
    std::optional<std::int64_t> template_version;  // fixed at creation
};

struct Change {
    std::string event;                     // created, assigned, reassigned, unassigned, started,
                                           // completed, uncompleted, cancelled, overdue,
                                           // no_longer_overdue, title_changed,
                                           // description_changed, due_changed,
                                           // priority_changed, groups_changed, outcome, deleted
    std::optional<std::string> old_value;
    std::optional<std::string> new_value;
    std::optional<std::string> detail_json;  // a JSON object, or nothing
};

// before == nullptr: the row was inserted; after == nullptr: deleted.
std::vector<Change> changes(const ActionState* before, const ActionState* after);

// Whether this change completes the action (the glue then reads the current evidence to log it).
bool completes(const ActionState* before, const ActionState& after);

}  // namespace pg_actions::core
