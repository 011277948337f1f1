// Memberships, roles, groups and invitations written by SQL: actions.role, member, group, group_member, invitation, notification_setting, notification_opt_out (index reads: members.hpp). (see member_store.hpp).
#include "pg/store/member_store.hpp"

#include "pg/boundary/spi.hpp"

namespace pg_actions::pg::store {

std::optional<std::int64_t> role_id_named(std::optional<std::int64_t> workspace_id, const std::optional<std::string>& name) {
    static Statement q("SELECT r.role_id FROM actions.role r WHERE r.workspace_id = $1 AND r.name = $2",
                       {INT8OID, TEXTOID});
    if (q.exec(workspace_id, name) != 1) return std::nullopt;
    return get_int64(0, 1);
}

void upsert_member(std::int64_t workspace_id, std::int64_t person_id, std::int64_t role_id, const std::string& state) {
    static Statement q(
        "INSERT INTO actions.member (workspace_id, person_id, role_id, state) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT ON CONSTRAINT member_pkey DO UPDATE SET role_id = EXCLUDED.role_id, state = EXCLUDED.state",
        {INT8OID, INT8OID, INT8OID, TEXTOID});
    q.exec(workspace_id, person_id, role_id, state);
}

}  // namespace pg_actions::pg::store
