// The bodies of the single-action verbs, outside their entry() boundary, so the bulk functions
// (bulk.cpp) run exactly the code the single functions run, row by row: the same argument checks,
// facts, core decisions, locks and writes (and through the triggers the same log entries and
// notifications). Each reads its arguments from fcinfo in the order of its SQL signature and
// throws PgError on a refusal; the caller runs it inside entry().
#pragma once

#include "pg/boundary/postgres.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/permission.hpp"

namespace pg_actions::pg {

// A new action as create_action's arguments or a template say it; create_new_action applies
// create_action's rules to it and inserts it (SPI connected), returning its id (new_action.cpp).
struct NewAction {
    std::int64_t workspace_id = 0;
    std::optional<std::string> title, description;
    std::optional<std::int64_t> assignee;
    std::optional<TimestampTz> due_at;
    std::optional<DateADT> due_on;  // the end of that day in the workspace time zone
    std::string priority = "none";
    std::string type = "task";
    std::optional<std::int64_t> record_id;
    std::optional<std::vector<std::int64_t>> groups;  // nullopt: the record's groups
    std::optional<std::int64_t> template_id;          // the template and version it comes from
    std::optional<std::int32_t> template_version;
    // The person creating it, already resolved by the caller (a sweep acting for a schedule's
    // owner); nullopt: the session's acting person (require_actor()).
    std::optional<std::int64_t> actor;
};
NewAction new_action_args(FunctionCallInfo fcinfo);  // create_action's argument list
std::int64_t create_new_action(NewAction n);
// A custom type must exist in the workspace and not be retired (22023, 55000); `where` names
// what is being made in the refusal.
void check_type_for_new(std::int64_t workspace_id, const std::string& key, const char* where);

Datum create_action_body(FunctionCallInfo fcinfo);      // (workspace_id, title, description, assignee_id,
                                                        //  due_at, due_on, priority, type, record_id, group_ids)
Datum reassign_body(FunctionCallInfo fcinfo);           // (action_id, assignee_id)
Datum start_body(FunctionCallInfo fcinfo);              // (action_id)
Datum uncomplete_body(FunctionCallInfo fcinfo);         // (action_id)
Datum complete_body(FunctionCallInfo fcinfo);           // (action_id, evidence, evidence_name, evidence_type)
// complete with the evidence from argument ev on, and a procedure step's reschedule choice.
Datum complete_with(FunctionCallInfo fcinfo, int ev, std::optional<bool> reschedule);
Datum cancel_body(FunctionCallInfo fcinfo);             // (action_id, reason)
Datum update_action_body(FunctionCallInfo fcinfo);      // (action_id, title, description, due_at, due_on,
                                                        //  priority, clear_due)
Datum delete_action_body(FunctionCallInfo fcinfo);      // (action_id)
Datum set_action_groups_body(FunctionCallInfo fcinfo);  // (action_id, group_ids)

// The two halves of a verb, for bulk calls that decide row by row and write many rows at once.
// A decision is exactly the single function's (authorize_action: visibility, permission, state,
// the row locked); the write sets the same columns the single function's UPDATE or DELETE sets.
struct Decided {
    std::int64_t workspace_id;
    std::int64_t action_id;
    bool changes;    // false: nothing to write (reassigned to the current assignee)
    bool immediate;  // linked to a record or made by a workflow: written alone, in order
};
Decided decide_reassign(FunctionCallInfo fcinfo);              // (action_id, assignee_id)
Decided decide_action(FunctionCallInfo fcinfo, core::Verb verb);  // (action_id)
enum class ManyWrite { assignee, status, complete, cancel, remove };
// value: the assignee (int8), the status (text), completed_by (int8), the reason (text), unused.
std::uint64_t write_many(ManyWrite what, std::int64_t workspace_id, const std::vector<std::int64_t>& ids,
                         Datum value);

}  // namespace pg_actions::pg
