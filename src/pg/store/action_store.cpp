// Actions and what hangs on them: actions.action, action_candidate, action_offer, evidence. (see action_store.hpp).
#include "pg/store/action_store.hpp"

#include "pg/boundary/spi.hpp"

namespace pg_actions::pg::store {

void update_action_groups(std::int64_t workspace_id, std::int64_t action_id, const std::vector<std::int64_t>& group_ids) {
    static Statement q("UPDATE actions.action SET group_ids = $3 WHERE workspace_id = $1 AND action_id = $2",
                       {INT8OID, INT8OID, INT8ARRAYOID});
    q.exec(workspace_id, action_id, sql_datum(int64_array_datum(group_ids)));
}

void update_action_assignee(std::int64_t workspace_id, std::int64_t action_id, std::int64_t assignee_id) {
    static Statement q("UPDATE actions.action SET assignee_id = $3 WHERE workspace_id = $1 AND action_id = $2",
                       {INT8OID, INT8OID, INT8OID});
    q.exec(workspace_id, action_id, assignee_id);
}

void update_action_offered(std::int64_t workspace_id, std::int64_t action_id, bool offered) {
    static Statement q("UPDATE actions.action SET offered = $3 WHERE workspace_id = $1 AND action_id = $2",
                       {INT8OID, INT8OID, BOOLOID});
    q.exec(workspace_id, action_id, offered);
}

void claim_action(std::int64_t workspace_id, std::int64_t action_id, std::int64_t assignee_id) {
    static Statement q(
        "UPDATE actions.action SET assignee_id = $3, claimed = true WHERE workspace_id = $1 AND action_id = $2",
        {INT8OID, INT8OID, INT8OID});
    q.exec(workspace_id, action_id, assignee_id);
}

void release_action(std::int64_t workspace_id, std::int64_t action_id) {
    static Statement q(
        "UPDATE actions.action SET assignee_id = NULL, claimed = false WHERE workspace_id = $1 AND action_id = $2",
        {INT8OID, INT8OID});
    q.exec(workspace_id, action_id);
}

void insert_action_offer(std::int64_t workspace_id, std::int64_t action_id, std::optional<std::int64_t> person_id,
                         std::optional<std::int64_t> group_id, std::optional<std::int64_t> role_id,
                         std::optional<std::int64_t> offered_by) {
    static Statement q(
        "INSERT INTO actions.action_offer (workspace_id, action_id, person_id, group_id, role_id, offered_by) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        {INT8OID, INT8OID, INT8OID, INT8OID, INT8OID, INT8OID});
    q.exec(workspace_id, action_id, person_id, group_id, role_id, offered_by);
}

void delete_action_offer(std::int64_t workspace_id, std::int64_t action_id, std::optional<std::int64_t> person_id,
                         std::optional<std::int64_t> group_id, std::optional<std::int64_t> role_id) {
    static Statement q(
        "DELETE FROM actions.action_offer WHERE workspace_id = $1 AND action_id = $2 "
        "AND (person_id = $3 OR group_id = $4 OR role_id = $5)",
        {INT8OID, INT8OID, INT8OID, INT8OID, INT8OID});
    q.exec(workspace_id, action_id, person_id, group_id, role_id);
}

bool role_has_offers(std::int64_t workspace_id, std::int64_t role_id) {
    static Statement q(
        "SELECT EXISTS (SELECT 1 FROM actions.action_offer WHERE workspace_id = $1 AND role_id = $2)", {INT8OID, INT8OID});
    q.exec(workspace_id, role_id);
    return get_bool(0, 1);
}

std::vector<DueSoon> lock_due_soon_batch(std::int64_t limit) {
    static Statement q(
        "SELECT a.workspace_id, a.action_id, a.assignee_id, a.due_at FROM actions.action a "
        "JOIN actions.workspace w ON w.workspace_id = a.workspace_id "
        "WHERE a.status = ANY (actions.list_vocabulary('open_not_overdue')) AND a.due_at IS NOT NULL AND a.assignee_id IS NOT NULL "
        "AND a.due_at > now() AND a.due_at <= now() + w.due_soon_window "
        "AND NOT EXISTS (SELECT 1 FROM actions.reminder r WHERE r.workspace_id = a.workspace_id "
        "AND r.action_id = a.action_id AND r.kind = 'due_soon' AND r.due_at = a.due_at) "
        "ORDER BY a.action_id LIMIT $1 FOR KEY SHARE OF a SKIP LOCKED",
        {INT8OID});
    std::uint64_t n = q.exec(limit);
    std::vector<DueSoon> rows;
    rows.reserve(n);
    for (std::uint64_t i = 0; i < n; i++)
        rows.push_back({get_int64(i, 1), get_int64(i, 2), get_int64(i, 3), get_timestamptz(i, 4).value_or(0)});
    return rows;
}

}  // namespace pg_actions::pg::store
