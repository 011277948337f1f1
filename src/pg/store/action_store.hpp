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

// A workflow's action (api/workflows.cpp): due at working_due when given, else due_days calendar
// days from now (none without either); the triggers log it and notify its assignee. Returns its id.
// Names workspace_id. Snapshot: the statement's own. Locks: the new row (KEY SHARE on what it
// references, by the foreign keys).
struct WorkflowActionRow {
    std::int64_t workspace_id = 0;
    std::string title;
    std::optional<std::string> description;
    std::string type;
    std::int64_t owner_id = 0;
    std::optional<std::int64_t> assignee_id;
    std::optional<std::int32_t> due_days;
    std::int64_t record_id = 0;
    std::vector<std::int64_t> group_ids;
    std::string workflow;
    std::optional<std::int64_t> working_due;  // a timestamptz
};
std::int64_t insert_workflow_action(const WorkflowActionRow& a);
// Adds a person to an action's candidates (its pool). Names workspace_id. Snapshot: the
// statement's own. Locks: the new row.
void insert_action_candidate(std::int64_t workspace_id, std::int64_t action_id, std::int64_t person_id);
// Escalation's reassignment: assigns the action to person if it is still open and due at due_at;
// the assignee as stored (the guard trigger may route it to a stand-in), nullopt when the action
// has moved on. Names workspace_id. Snapshot: the statement's own. Locks: the action (FOR NO KEY
// UPDATE, by the UPDATE).
std::optional<std::int64_t> reassign_if_still_due(std::int64_t workspace_id, std::int64_t action_id,
                                                  std::int64_t person_id, std::int64_t due_at);
// Locks the action FOR NO KEY UPDATE if it is still open and due at due_at; whether it is offered
// (a pool), or nullopt when it has moved on. Names workspace_id. Snapshot: the statement's own.
std::optional<bool> lock_if_still_due(std::int64_t workspace_id, std::int64_t action_id, std::int64_t due_at);
// Unassigns the action. Names workspace_id. Snapshot: the statement's own. Locks: the action (by the UPDATE).
void unassign_action(std::int64_t workspace_id, std::int64_t action_id);
// Cancels, with the reason, the open actions of a procedure run's steps (the open set is
// actions.list_vocabulary('open')); how many. Names workspace_id. Snapshot: the statement's own.
// Locks: those actions (FOR NO KEY UPDATE, by the UPDATE).
std::uint64_t cancel_open_run_actions(std::int64_t workspace_id, std::int64_t run_id, const std::string& reason);
// Sets an action's due date (a timestamptz). Names workspace_id. Snapshot: the statement's own.
// Locks: the action (by the UPDATE).
void set_action_due(std::int64_t workspace_id, std::int64_t action_id, std::int64_t due_at);
// An action's status through its primary key (the index API, no SQL: can() and why_not() read it),
// as committed now plus this transaction's writes; nullopt when there is no such action. Names
// workspace_id. Locks: none.
std::optional<std::string> action_status_by_index(std::int64_t workspace_id, std::int64_t action_id);
}  // namespace pg_actions::pg::store
