// People, workspaces and trusted services: actions.person, workspace, trusted_service. (see people_store.hpp).
#include "pg/store/people_store.hpp"

#include "pg/boundary/spi.hpp"

namespace pg_actions::pg::store {

std::optional<std::string> workspace_time_zone(std::int64_t workspace_id) {
    static Statement q("SELECT time_zone FROM actions.workspace WHERE workspace_id = $1", {INT8OID});
    if (q.exec_limit(1, workspace_id) != 1) return std::nullopt;
    return get_text(0, 1).value_or("UTC");
}

std::optional<std::int32_t> workspace_today(std::int64_t workspace_id) {
    static Statement q(
        "SELECT (pg_catalog.now() AT TIME ZONE w.time_zone)::date FROM actions.workspace w WHERE w.workspace_id = $1",
        {INT8OID});
    if (q.exec_limit(1, workspace_id) != 1) return std::nullopt;
    bool null = true;
    return DatumGetDateADT(get_datum(0, 1, &null));
}

}  // namespace pg_actions::pg::store
