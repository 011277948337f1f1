// Action types and workflow settings: actions.action_type, workflow_setting.
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

// Whether a custom action type of the workspace is retired (nullopt: no such type), for a new
// action or template of that type. Names workspace_id. Snapshot: the statement's own. Locks: the
// type row FOR SHARE, so a retirement waits for the creations that read it as in use.
std::optional<bool> lock_action_type_retired(std::int64_t workspace_id, const std::string& type_key);

// Inserts a custom action type unless the key exists (retired or not); whether it was inserted.
// Names workspace_id. Snapshot: the statement's own. Locks: the new row.
bool insert_action_type(std::int64_t workspace_id, const std::string& type_key, const std::string& label);
// Changes a custom (not system) type of the workspace: its label; its retirement (kept when already
// retired); its reinstatement. Each: whether such a type was there. Names workspace_id. Snapshot:
// the statement's own. Locks: the type's row (by the UPDATE).
bool rename_action_type(std::int64_t workspace_id, const std::string& type_key, const std::optional<std::string>& label);
bool retire_action_type(std::int64_t workspace_id, const std::string& type_key);
bool reinstate_action_type(std::int64_t workspace_id, const std::string& type_key);

// A workflow's switch in a workspace as stored; nullopt when the workspace never set it.
// working_days: due_unit is working_days. Names workspace_id. Snapshot: the statement's own. Locks: none.
struct WorkflowSettingRow {
    bool enabled = false;
    std::optional<std::int32_t> due_days;
    bool working_days = false;
};
std::optional<WorkflowSettingRow> workflow_setting_row(std::int64_t workspace_id, const std::string& workflow);
// Inserts or replaces a workflow's switch. Names workspace_id. Snapshot: the statement's own.
// Locks: the row (inserted, or FOR UPDATE by ON CONFLICT DO UPDATE).
void upsert_workflow_setting(std::int64_t workspace_id, const std::string& workflow, bool enabled,
                             std::optional<std::int32_t> due_days, const std::string& due_unit);
}  // namespace pg_actions::pg::store
