// Actions and what hangs on them: actions.action, action_candidate, action_offer, evidence. (see action_store.hpp).
#include "pg/store/action_store.hpp"

#include "pg/boundary/spi.hpp"

namespace pg_actions::pg::store {

std::vector<OverdueCandidate> lock_overdue_batch(std::int64_t limit, bool skip_locked) {
#define OVERDUE_BATCH                                                                                        \
    "SELECT a.workspace_id, a.action_id, a.status, a.due_at FROM actions.action a "                          \
    "WHERE a.status = ANY (actions.list_vocabulary('open_not_overdue')) AND a.due_at IS NOT NULL "            \
    "  AND a.due_at < now() ORDER BY a.action_id LIMIT $1 FOR NO KEY UPDATE OF a"
    static Statement wait(OVERDUE_BATCH, {INT8OID});
    static Statement skip(OVERDUE_BATCH " SKIP LOCKED", {INT8OID});
#undef OVERDUE_BATCH
    std::uint64_t n = (skip_locked ? skip : wait).exec(limit);
    std::vector<OverdueCandidate> out;
    out.reserve(n);
    for (std::uint64_t i = 0; i < n; i++)
        out.push_back({get_int64(i, 1), get_int64(i, 2), get_text(i, 3).value_or(""), get_timestamptz(i, 4)});
    return out;
}

std::uint64_t mark_actions_overdue(const std::vector<std::int64_t>& workspace_ids,
                                   const std::vector<std::int64_t>& action_ids) {
    static Statement update(
        "UPDATE actions.action a SET status = 'overdue' "
        "WHERE a.workspace_id = ANY ($1) AND a.action_id = ANY ($2) "
        "  AND a.status = ANY (actions.list_vocabulary('open_not_overdue')) AND a.due_at < now()",
        {INT8ARRAYOID, INT8ARRAYOID});
    return update.exec(sql_datum(int64_array_datum(workspace_ids)), sql_datum(int64_array_datum(action_ids)));
}

std::uint64_t mark_action_overdue(std::int64_t workspace_id, std::int64_t action_id) {
    static Statement update(
        "UPDATE actions.action a SET status = 'overdue' WHERE a.workspace_id = $1 AND a.action_id = $2 "
        "  AND a.status = ANY (actions.list_vocabulary('open_not_overdue')) AND a.due_at < now()",
        {INT8OID, INT8OID});
    return update.exec(workspace_id, action_id);
}

}  // namespace pg_actions::pg::store
