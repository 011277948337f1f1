// People, workspaces and trusted services: actions.person, workspace, trusted_service. (see people_store.hpp).
#include "pg/store/people_store.hpp"

#include "pg/boundary/spi.hpp"

namespace pg_actions::pg::store {

std::optional<std::int64_t> person_by_email(const std::string& email) {
    static Statement q("SELECT person_id FROM actions.person WHERE lower(email) = lower($1)", {TEXTOID});
    if (q.exec_limit(1, email) != 1) return std::nullopt;
    return get_int64(0, 1);
}

std::int64_t insert_person(const std::string& email, const std::optional<std::string>& display_name) {
    static Statement q(
        "INSERT INTO actions.person (email, display_name) "
        "VALUES ($1, coalesce($2, pg_catalog.left(pg_catalog.split_part($1, '@', 1), 200))) RETURNING person_id",
        {TEXTOID, TEXTOID});
    q.exec(email, display_name);
    return get_int64(0, 1);
}

void lock_workspace_row(std::int64_t workspace_id) {
    static Statement q("SELECT 1 FROM actions.workspace WHERE workspace_id = $1 FOR NO KEY UPDATE", {INT8OID});
    q.exec(workspace_id);
}

void update_workspace_absence_routing(std::int64_t workspace_id, const std::string& routing) {
    static Statement q("UPDATE actions.workspace SET absence_routing = $2 WHERE workspace_id = $1", {INT8OID, TEXTOID});
    q.exec(workspace_id, routing);
}

}  // namespace pg_actions::pg::store
