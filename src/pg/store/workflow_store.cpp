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

}  // namespace pg_actions::pg::store
