// Memberships, roles, groups and invitations written by SQL: actions.role, member, group, group_member, invitation, notification_setting, notification_opt_out (index reads: members.hpp). (see member_store.hpp).
#include "pg/store/member_store.hpp"

#include "pg/boundary/spi.hpp"

namespace pg_actions::pg::store {

bool is_owner_role(std::int64_t workspace_id, std::int64_t role_id) {
    static Statement is_owner(
        "SELECT 1 FROM actions.role WHERE workspace_id = $1 AND role_id = $2 AND name = 'owner' AND is_system",
        {INT8OID, INT8OID});
    return is_owner.exec(workspace_id, role_id) == 1;
}

std::int64_t count_other_active_owners(std::int64_t workspace_id, std::int64_t person_id) {
    static Statement others(
        "SELECT count(*) FROM actions.member m JOIN actions.role r "
        "  ON r.workspace_id = m.workspace_id AND r.role_id = m.role_id "
        "WHERE m.workspace_id = $1 AND m.person_id <> $2 AND m.state = 'active' "
        "  AND r.name = 'owner' AND r.is_system",
        {INT8OID, INT8OID});
    others.exec(workspace_id, person_id);
    return get_int64(0, 1);
}

}  // namespace pg_actions::pg::store
