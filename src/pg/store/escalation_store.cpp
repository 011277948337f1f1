// Escalation rules and their firings: actions.escalation_rule, escalation_fired. (see escalation_store.hpp).
#include "pg/store/escalation_store.hpp"

#include "pg/boundary/spi.hpp"

namespace pg_actions::pg::store {

std::int64_t insert_escalation_rule(const EscalationRuleRow& r) {
    static Statement insert(
        "INSERT INTO actions.escalation_rule (workspace_id, after_days, escalate, role_name, person_id, created_by, "
        "group_id) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING rule_id",
        {INT8OID, INT4OID, TEXTOID, TEXTOID, INT8OID, INT8OID, INT8OID});
    insert.exec(r.workspace_id, r.after_days, r.escalate, r.role_name, r.person_id, r.created_by, r.group_id);
    return get_int64(0, 1);
}

std::optional<std::int64_t> escalation_rule_workspace(std::int64_t rule_id, bool lock) {
    static Statement plain("SELECT workspace_id FROM actions.escalation_rule WHERE rule_id = $1 /*AND workspace_id*/", {INT8OID});
    static Statement locked("SELECT workspace_id FROM actions.escalation_rule WHERE rule_id = $1 /*AND workspace_id*/ FOR UPDATE", {INT8OID});
    if ((lock ? locked : plain).exec(rule_id) != 1) return std::nullopt;
    return get_int64(0, 1);
}

void delete_escalation_rule_row(std::int64_t workspace_id, std::int64_t rule_id) {
    static Statement del("DELETE FROM actions.escalation_rule WHERE workspace_id = $1 AND rule_id = $2",
                         {INT8OID, INT8OID});
    del.exec(workspace_id, rule_id);
}

bool record_escalation_fired(std::int64_t workspace_id, std::int64_t rule_id, std::int64_t action_id,
                             std::int64_t due_at) {
    static Statement once(
        "INSERT INTO actions.escalation_fired (workspace_id, rule_id, action_id, due_at) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT DO NOTHING RETURNING 1",
        {INT8OID, INT8OID, INT8OID, TIMESTAMPTZOID});
    return once.exec(workspace_id, rule_id, action_id, due_at) == 1;
}

std::vector<DueFiring> lock_due_firings(std::int64_t limit, bool skip_locked) {
    // Through the list's due index (its key expression). Each action is locked FOR NO KEY UPDATE in
    // ascending action_id, the order every sweep and bulk call locks actions in.
#define DUE_FIRINGS                                                                                          \
    "SELECT e.workspace_id, e.rule_id, a.action_id, e.after_days, e.escalate, e.role_name, e.person_id, "      \
    "       a.owner_id, a.due_at, e.group_id "                                                                 \
    "FROM actions.escalation_rule e JOIN actions.action a ON a.workspace_id = e.workspace_id "                 \
    "WHERE a.status = ANY (actions.list_vocabulary('open')) AND a.due_at IS NOT NULL "                          \
    "  AND COALESCE(a.due_at, 'infinity'::timestamptz) <= now() - e.after_days * interval '24 hours' "         \
    "  /*AND e.workspace_id*/ /*AND a.workspace_id*/ "                                                         \
    "  AND NOT EXISTS (SELECT 1 FROM actions.escalation_fired f WHERE f.workspace_id = e.workspace_id "        \
    "                   /*AND f.workspace_id*/ "                                                             \
    "                   AND f.rule_id = e.rule_id AND f.action_id = a.action_id AND f.due_at = a.due_at) "     \
    "ORDER BY a.action_id, e.after_days, e.rule_id LIMIT $1 FOR NO KEY UPDATE OF a"
    static Statement due(DUE_FIRINGS, {INT8OID});
    static Statement due_skip(DUE_FIRINGS " SKIP LOCKED", {INT8OID});
#undef DUE_FIRINGS
    std::uint64_t n = (skip_locked ? due_skip : due).exec(limit);
    std::vector<DueFiring> rows;
    rows.reserve(n);
    for (std::uint64_t i = 0; i < n; i++)
        rows.push_back(DueFiring{get_int64(i, 1), get_int64(i, 2), get_int64(i, 3), get_int32(i, 4),
                                 get_text(i, 5).value_or(""), get_text(i, 6), get_opt_int64(i, 7), get_opt_int64(i, 8),
                                 get_timestamptz(i, 9).value_or(0), get_opt_int64(i, 10)});
    return rows;
}
}  // namespace pg_actions::pg::store
