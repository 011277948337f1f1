// Memberships, roles, groups and invitations written by SQL: actions.role, member, group, group_member, invitation, notification_setting, notification_opt_out (index reads: members.hpp). (see member_store.hpp).
#include "pg/store/member_store.hpp"

#include "pg/boundary/spi.hpp"

namespace pg_actions::pg::store {

std::vector<std::int64_t> group_tree_members(std::int64_t workspace_id, std::int64_t group_id) {
    static Statement q(
        "SELECT DISTINCT gm.person_id FROM actions.group g JOIN actions.group_member gm "
        "ON gm.workspace_id = g.workspace_id AND gm.group_id = g.group_id "
        "WHERE g.workspace_id = $1 AND g.path @> ARRAY[$2::bigint]",
        {INT8OID, INT8OID});
    std::uint64_t n = q.exec(workspace_id, group_id);
    std::vector<std::int64_t> people;
    for (std::uint64_t i = 0; i < n; i++) people.push_back(get_int64(i, 1));
    return people;
}

bool role_name_exists(std::int64_t workspace_id, const std::string& name) {
    static Statement role("SELECT 1 FROM actions.role WHERE workspace_id = $1 AND name = $2", {INT8OID, TEXTOID});
    return role.exec_limit(1, workspace_id, name) == 1;
}

std::vector<std::int64_t> active_role_holders(std::int64_t workspace_id, const std::string& role_name) {
    static Statement q(
        "SELECT m.person_id FROM actions.member m JOIN actions.role r ON r.workspace_id = m.workspace_id "
        "AND r.role_id = m.role_id WHERE m.workspace_id = $1 AND r.name = $2 AND m.state = 'active' ORDER BY 1",
        {INT8OID, TEXTOID});
    std::uint64_t n = q.exec(workspace_id, role_name);
    std::vector<std::int64_t> out;
    for (std::uint64_t i = 0; i < n; i++) out.push_back(get_int64(i, 1));
    return out;
}
}  // namespace pg_actions::pg::store
