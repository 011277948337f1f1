// Memberships, roles, groups and invitations written by SQL: actions.role, member, group, group_member, invitation, notification_setting, notification_opt_out (index reads: members.hpp). (see member_store.hpp).
#include "pg/store/member_store.hpp"

#include "pg/boundary/spi.hpp"

namespace pg_actions::pg::store {

void lock_approver_eligibility(std::int64_t workspace_id, std::int64_t person_id,
                               const std::vector<std::int64_t>& delegation_group_ids) {
    static Statement member(
        "SELECT 1 FROM actions.member m JOIN actions.role r ON r.workspace_id = m.workspace_id AND r.role_id = m.role_id "
        "WHERE m.workspace_id = $1 AND m.person_id = $2 FOR SHARE OF m, r",
        {INT8OID, INT8OID});
    static Statement groups(
        "SELECT 1 FROM actions.group_member gm JOIN actions.group g ON g.workspace_id = gm.workspace_id "
        "AND g.group_id = gm.group_id WHERE gm.workspace_id = $1 AND gm.person_id = $2 FOR SHARE OF gm, g",
        {INT8OID, INT8OID});
    static Statement delegation_groups(
        "SELECT 1 FROM actions.group WHERE workspace_id = $1 AND group_id = ANY ($2) FOR SHARE", {INT8OID, INT8ARRAYOID});
    member.exec(workspace_id, person_id);
    groups.exec(workspace_id, person_id);
    delegation_groups.exec(workspace_id, sql_datum(int64_array_datum(delegation_group_ids)));
}

std::vector<std::int64_t> groups_at_or_below_person(std::int64_t workspace_id, std::int64_t person_id) {
    static Statement q(
        "SELECT g.group_id FROM actions.group g WHERE g.workspace_id = $1 AND g.path && "
        "ARRAY(SELECT gm.group_id FROM actions.group_member gm "
        "      WHERE gm.workspace_id = $1 AND gm.person_id = $2)",
        {INT8OID, INT8OID});
    std::uint64_t rows = q.exec(workspace_id, person_id);
    std::vector<std::int64_t> ids;
    for (std::uint64_t i = 0; i < rows; i++) ids.push_back(get_int64(i, 1));
    return ids;
}

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
