// Actions and what hangs on them: actions.action, action_candidate, action_offer, evidence. (see action_store.hpp).
#include "pg/store/action_store.hpp"

#include "pg/boundary/spi.hpp"
#include "pg/store/direct.hpp"

namespace pg_actions::pg::store {

std::int64_t insert_workflow_action(const WorkflowActionRow& a) {
    static Statement insert(
        "INSERT INTO actions.action (workspace_id, title, description, type, owner_id, assignee_id, due_at, "
        "record_id, group_ids, workflow) "
        "VALUES ($1, $2, $3, $4, $5, $6, coalesce($11::timestamptz, CASE WHEN $7::integer IS NULL THEN NULL "
        "        ELSE pg_catalog.now() + pg_catalog.make_interval(days => $7) END), $8, $9, $10) "
        "RETURNING action_id",
        {INT8OID, TEXTOID, TEXTOID, TEXTOID, INT8OID, INT8OID, INT4OID, INT8OID, INT8ARRAYOID, TEXTOID, TIMESTAMPTZOID});
    insert.exec(a.workspace_id, a.title, a.description, a.type, a.owner_id, a.assignee_id, a.due_days, a.record_id,
                sql_datum(int64_array_datum(a.group_ids)), a.workflow, a.working_due);
    return get_int64(0, 1);
}

void insert_action_candidate(std::int64_t workspace_id, std::int64_t action_id, std::int64_t person_id) {
    static Statement add("INSERT INTO actions.action_candidate (workspace_id, action_id, person_id) VALUES ($1, $2, $3)",
                         {INT8OID, INT8OID, INT8OID});
    add.exec(workspace_id, action_id, person_id);
}

std::optional<std::int64_t> reassign_if_still_due(std::int64_t workspace_id, std::int64_t action_id,
                                                  std::int64_t person_id, std::int64_t due_at) {
    static Statement update(
        "UPDATE actions.action SET assignee_id = $3 WHERE workspace_id = $1 AND action_id = $2 AND due_at = $4 "
        "AND status = ANY (actions.list_vocabulary('open')) RETURNING assignee_id",
        {INT8OID, INT8OID, INT8OID, TIMESTAMPTZOID});
    if (update.exec(workspace_id, action_id, person_id, due_at) != 1) return std::nullopt;
    return get_int64(0, 1);
}

std::optional<bool> lock_if_still_due(std::int64_t workspace_id, std::int64_t action_id, std::int64_t due_at) {
    static Statement lock(
        "SELECT offered FROM actions.action WHERE workspace_id = $1 AND action_id = $2 AND due_at = $3 "
        "AND status = ANY (actions.list_vocabulary('open')) FOR NO KEY UPDATE",
        {INT8OID, INT8OID, TIMESTAMPTZOID});
    if (lock.exec(workspace_id, action_id, due_at) != 1) return std::nullopt;
    return get_bool(0, 1);
}

void unassign_action(std::int64_t workspace_id, std::int64_t action_id) {
    static Statement unassign("UPDATE actions.action SET assignee_id = NULL WHERE workspace_id = $1 AND action_id = $2",
                              {INT8OID, INT8OID});
    unassign.exec(workspace_id, action_id);
}

std::uint64_t cancel_open_run_actions(std::int64_t workspace_id, std::int64_t run_id, const std::string& reason) {
    static Statement cancel(
        "UPDATE actions.action a SET status = 'cancelled', cancel_reason = $3 FROM actions.procedure_action pa "
        "WHERE pa.workspace_id = $1 AND pa.run_id = $2 AND a.workspace_id = pa.workspace_id "
        "AND a.action_id = pa.action_id AND a.status = ANY (actions.list_vocabulary('open'))",
        {INT8OID, INT8OID, TEXTOID});
    return cancel.exec(workspace_id, run_id, reason);
}

void set_action_due(std::int64_t workspace_id, std::int64_t action_id, std::int64_t due_at) {
    static Statement set_due("UPDATE actions.action SET due_at = $3 WHERE workspace_id = $1 AND action_id = $2",
                             {INT8OID, INT8OID, TIMESTAMPTZOID});
    set_due.exec(workspace_id, action_id, due_at);
}

std::optional<std::string> action_status_by_index(std::int64_t workspace_id, std::int64_t action_id) {
    const char* status = guard([&]() -> const char* {
        direct::Key keys[2] = {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)},
                               {"action_id", F_INT8EQ, Int64GetDatum(action_id)}};
        const char* cols[1] = {"status"};
        Datum v;
        bool null = true;
        if (!direct::lookup("action", "action_pkey", 2, keys, 1, cols, &v, &null, nullptr) || null) return nullptr;
        return TextDatumGetCString(v);
    });
    if (!status) return std::nullopt;
    return std::string(status);
}
}  // namespace pg_actions::pg::store
