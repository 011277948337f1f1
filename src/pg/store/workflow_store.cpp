// Action types and workflow settings: actions.action_type, workflow_setting. (see workflow_store.hpp).
#include "pg/store/workflow_store.hpp"

#include "pg/boundary/spi.hpp"

namespace pg_actions::pg::store {

std::optional<bool> lock_action_type_retired(std::int64_t workspace_id, const std::string& type_key) {
    static Statement q("SELECT retired_at IS NOT NULL FROM actions.action_type WHERE workspace_id = $1 AND type_key = $2 "
                       "FOR SHARE",
                       {INT8OID, TEXTOID});
    if (q.exec_limit(1, workspace_id, type_key) != 1) return std::nullopt;
    return get_bool(0, 1);
}

bool insert_action_type(std::int64_t workspace_id, const std::string& type_key, const std::string& label) {
    static Statement insert(
        "INSERT INTO actions.action_type (workspace_id, type_key, label) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        {INT8OID, TEXTOID, TEXTOID});
    return insert.exec(workspace_id, type_key, label) == 1;
}

bool rename_action_type(std::int64_t workspace_id, const std::string& type_key, const std::optional<std::string>& label) {
    static Statement update(
        "UPDATE actions.action_type SET label = $3 WHERE workspace_id = $1 AND type_key = $2 AND NOT is_system",
        {INT8OID, TEXTOID, TEXTOID});
    return update.exec(workspace_id, type_key, label) == 1;
}

bool retire_action_type(std::int64_t workspace_id, const std::string& type_key) {
    static Statement update(
        "UPDATE actions.action_type SET retired_at = coalesce(retired_at, $3) "
        "WHERE workspace_id = $1 AND type_key = $2 AND NOT is_system",
        {INT8OID, TEXTOID, TIMESTAMPTZOID});
    return update.exec(workspace_id, type_key, sql_now()) == 1;
}

bool reinstate_action_type(std::int64_t workspace_id, const std::string& type_key) {
    static Statement update(
        "UPDATE actions.action_type SET retired_at = NULL "
        "WHERE workspace_id = $1 AND type_key = $2 AND NOT is_system",
        {INT8OID, TEXTOID});
    return update.exec(workspace_id, type_key) == 1;
}

std::optional<WorkflowSettingRow> workflow_setting_row(std::int64_t workspace_id, const std::string& workflow) {
    static Statement q("SELECT enabled, due_days, due_unit = 'working_days' FROM actions.workflow_setting "
                       "WHERE workspace_id = $1 AND workflow = $2",
                       {INT8OID, TEXTOID});
    if (q.exec_limit(1, workspace_id, workflow) != 1) return std::nullopt;
    WorkflowSettingRow s;
    s.enabled = get_bool(0, 1);
    if (!is_null(0, 2)) s.due_days = get_int32(0, 2);
    s.working_days = get_bool(0, 3);
    return s;
}

void upsert_workflow_setting(std::int64_t workspace_id, const std::string& workflow, bool enabled,
                             std::optional<std::int32_t> due_days, const std::string& due_unit) {
    static Statement upsert(
        "INSERT INTO actions.workflow_setting (workspace_id, workflow, enabled, due_days, due_unit) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (workspace_id, workflow) DO UPDATE SET enabled = EXCLUDED.enabled, "
        "due_days = EXCLUDED.due_days, due_unit = EXCLUDED.due_unit",
        {INT8OID, TEXTOID, BOOLOID, INT4OID, TEXTOID});
    upsert.exec(workspace_id, workflow, enabled, due_days, due_unit);
}
}  // namespace pg_actions::pg::store
