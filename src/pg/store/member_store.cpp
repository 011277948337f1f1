// Memberships, roles, groups and invitations written by SQL: actions.role, member, group, group_member, invitation, notification_setting, notification_opt_out (index reads: members.hpp). (see member_store.hpp).
#include "pg/store/member_store.hpp"

#include "core/member.hpp"
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
    return q.exec_ids(workspace_id, person_id);
}

std::vector<std::int64_t> group_tree_members(std::int64_t workspace_id, std::int64_t group_id) {
    static Statement q(
        "SELECT DISTINCT gm.person_id FROM actions.group g JOIN actions.group_member gm "
        "ON gm.workspace_id = g.workspace_id AND gm.group_id = g.group_id "
        "WHERE g.workspace_id = $1 AND g.path @> ARRAY[$2::bigint]",
        {INT8OID, INT8OID});
    return q.exec_ids(workspace_id, group_id);
}

bool role_name_exists(std::int64_t workspace_id, const std::string& name) {
    static Statement role("SELECT 1 FROM actions.role WHERE workspace_id = $1 AND name = $2", {INT8OID, TEXTOID});
    return role.exec_limit(1, workspace_id, name) == 1;
}

std::vector<std::int64_t> active_role_holders(std::int64_t workspace_id, const std::string& role_name) {
    static Statement q(
        "SELECT m.person_id FROM actions.member m JOIN actions.role r ON r.workspace_id = m.workspace_id "
        "AND r.role_id = m.role_id WHERE m.workspace_id = $1 AND r.name = $2 "
        "AND m.state = ANY (actions.list_vocabulary('member_acting')) ORDER BY 1",
        {INT8OID, TEXTOID});
    return q.exec_ids(workspace_id, role_name);
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
        "WHERE m.workspace_id = $1 AND m.person_id <> $2 AND m.state = ANY (actions.list_vocabulary('member_acting')) "
        "  AND r.name = 'owner' AND r.is_system",
        {INT8OID, INT8OID});
    others.exec(workspace_id, person_id);
    return get_int64(0, 1);
}

// ---- groups ----

std::optional<GroupRow> group_by_id(std::int64_t group_id, bool lock) {
    static Statement plain("SELECT workspace_id, path FROM actions.group WHERE group_id = $1 /*AND workspace_id*/", {INT8OID});
    static Statement locked("SELECT workspace_id, path FROM actions.group WHERE group_id = $1 /*AND workspace_id*/ FOR UPDATE", {INT8OID});
    if ((lock ? locked : plain).exec(group_id) != 1) return std::nullopt;
    bool null;
    return GroupRow{get_int64(0, 1), int64_array(get_datum(0, 2, &null))};
}

bool group_name_taken(std::int64_t workspace_id, const std::string& name, std::int64_t except_group_id) {
    static Statement q("SELECT 1 FROM actions.group WHERE workspace_id = $1 AND name = $2 AND group_id <> $3",
                       {INT8OID, TEXTOID, INT8OID});
    return q.exec_limit(1, workspace_id, name, except_group_id) == 1;
}

std::int64_t insert_group(std::int64_t workspace_id, const std::string& name, std::optional<std::int64_t> parent_id,
                          const std::vector<std::int64_t>& parent_path) {
    static Statement q(
        "WITH id AS (SELECT pg_catalog.nextval(pg_catalog.pg_get_serial_sequence('actions.group', 'group_id')) AS v) "
        "INSERT INTO actions.group (group_id, workspace_id, name, parent_id, path) OVERRIDING SYSTEM VALUE "
        "SELECT v, $1, $2, $3, $4 || v FROM id RETURNING group_id",
        {INT8OID, TEXTOID, INT8OID, INT8ARRAYOID});
    q.exec(workspace_id, name, parent_id, sql_datum(int64_array_datum(parent_path)));
    return get_int64(0, 1);
}

void update_group_name(std::int64_t workspace_id, std::int64_t group_id, const std::string& name) {
    static Statement q("UPDATE actions.group SET name = $3 WHERE workspace_id = $1 AND group_id = $2",
                       {INT8OID, INT8OID, TEXTOID});
    q.exec(workspace_id, group_id, name);
}

std::int32_t group_subtree_height(std::int64_t workspace_id, std::int64_t group_id) {
    static Statement q(
        "SELECT coalesce(max(pg_catalog.cardinality(path)), 0) FROM actions.group "
        "WHERE workspace_id = $1 AND path @> ARRAY[$2::bigint]",
        {INT8OID, INT8OID});
    q.exec(workspace_id, group_id);
    return get_int32(0, 1);
}

void move_group_subtree(std::int64_t workspace_id, std::int64_t group_id, const std::vector<std::int64_t>& parent_path,
                        std::int32_t depth, std::optional<std::int64_t> parent_id) {
    static Statement q(
        "UPDATE actions.group SET path = $3 || path[$4:], "
        "  parent_id = CASE WHEN group_id = $2 THEN $5 ELSE parent_id END "
        "WHERE workspace_id = $1 AND path @> ARRAY[$2::bigint]",
        {INT8OID, INT8OID, INT8ARRAYOID, INT4OID, INT8OID});
    q.exec(workspace_id, group_id, sql_datum(int64_array_datum(parent_path)), depth, parent_id);
}

GroupUses group_uses(std::int64_t workspace_id, std::int64_t group_id) {
    static Statement q(
        "SELECT EXISTS (SELECT 1 FROM actions.group WHERE workspace_id = $1 AND parent_id = $2), "
        "       EXISTS (SELECT 1 FROM actions.action WHERE group_ids @> ARRAY[$2::bigint] AND workspace_id = $1), "
        "       EXISTS (SELECT 1 FROM actions.record WHERE group_ids @> ARRAY[$2::bigint] AND workspace_id = $1), "
        "       EXISTS (SELECT 1 FROM actions.template t JOIN actions.template_version v USING (workspace_id, template_id) "
        "               WHERE t.workspace_id = $1 AND t.retired_at IS NULL AND v.version = t.current_version "
        "                 AND (v.group_ids @> ARRAY[$2::bigint] OR v.pool_groups @> ARRAY[$2::bigint])), "
        "       EXISTS (SELECT 1 FROM actions.action_offer WHERE workspace_id = $1 AND group_id = $2)",
        {INT8OID, INT8OID});
    q.exec(workspace_id, group_id);
    return GroupUses{get_bool(0, 1), get_bool(0, 2), get_bool(0, 3), get_bool(0, 4), get_bool(0, 5)};
}

void delete_group(std::int64_t workspace_id, std::int64_t group_id) {
    static Statement q("DELETE FROM actions.group WHERE workspace_id = $1 AND group_id = $2", {INT8OID, INT8OID});
    q.exec(workspace_id, group_id);
}

void set_group_member(std::int64_t workspace_id, std::int64_t person_id, std::int64_t group_id, bool member) {
    static Statement insert(
        "INSERT INTO actions.group_member (workspace_id, person_id, group_id) VALUES ($1, $2, $3) "
        "ON CONFLICT DO NOTHING",
        {INT8OID, INT8OID, INT8OID});
    static Statement remove(
        "DELETE FROM actions.group_member WHERE workspace_id = $1 AND person_id = $2 AND group_id = $3",
        {INT8OID, INT8OID, INT8OID});
    (member ? insert : remove).exec(workspace_id, person_id, group_id);
}

// ---- roles and members ----

std::optional<RoleRow> lock_role_by_name(std::int64_t workspace_id, const std::string& name) {
    static Statement q(
        "SELECT r.role_id, r.is_system, (SELECT count(*) FROM actions.member m "
        "  WHERE m.workspace_id = $1 AND m.role_id = r.role_id "
        "    AND m.state = ANY (actions.list_vocabulary('member_named'))) "
        "FROM actions.role r WHERE r.workspace_id = $1 AND r.name = $2 FOR UPDATE OF r",
        {INT8OID, TEXTOID});
    if (q.exec(workspace_id, name) != 1) return std::nullopt;
    return RoleRow{get_int64(0, 1), get_bool(0, 2), get_int64(0, 3)};
}

std::optional<std::int64_t> key_share_role_by_name(std::int64_t workspace_id, const std::string& name) {
    static Statement q("SELECT role_id FROM actions.role WHERE workspace_id = $1 AND name = $2 FOR KEY SHARE",
                       {INT8OID, TEXTOID});
    if (q.exec(workspace_id, name) != 1) return std::nullopt;
    return get_int64(0, 1);
}

bool role_name_taken(std::int64_t workspace_id, const std::string& name) {
    static Statement q("SELECT 1 FROM actions.role WHERE workspace_id = $1 AND name = $2", {INT8OID, TEXTOID});
    return q.exec_limit(1, workspace_id, name) == 1;
}

std::int64_t insert_role(std::int64_t workspace_id, const std::string& name, const std::vector<std::string>& permissions) {
    static Statement q(
        "INSERT INTO actions.role (workspace_id, name, permissions) VALUES ($1, $2, $3) RETURNING role_id",
        {INT8OID, TEXTOID, TEXTARRAYOID});
    q.exec(workspace_id, name, sql_datum(text_array_datum(permissions)));
    return get_int64(0, 1);
}

void update_role(std::int64_t workspace_id, std::int64_t role_id, const std::optional<std::string>& new_name,
                 bool regrant, const std::vector<std::string>& permissions) {
    static Statement q(
        "UPDATE actions.role SET name = coalesce($3, name), permissions = CASE WHEN $4 THEN $5 ELSE permissions END "
        "WHERE workspace_id = $1 AND role_id = $2",
        {INT8OID, INT8OID, TEXTOID, BOOLOID, TEXTARRAYOID});
    q.exec(workspace_id, role_id, new_name, regrant, sql_datum(text_array_datum(permissions)));
}

void delete_role(std::int64_t workspace_id, std::int64_t role_id) {
    static Statement q("DELETE FROM actions.role WHERE workspace_id = $1 AND role_id = $2", {INT8OID, INT8OID});
    q.exec(workspace_id, role_id);
}

bool member_row_exists(std::int64_t workspace_id, std::int64_t person_id) {
    static Statement q("SELECT 1 FROM actions.member WHERE workspace_id = $1 AND person_id = $2", {INT8OID, INT8OID});
    return q.exec(workspace_id, person_id) == 1;
}

std::optional<std::string> lock_member_state(std::int64_t workspace_id, std::int64_t person_id) {
    static Statement q("SELECT state FROM actions.member WHERE workspace_id = $1 AND person_id = $2 "
                       "FOR NO KEY UPDATE",
                       {INT8OID, INT8OID});
    if (q.exec(workspace_id, person_id) != 1) return std::nullopt;
    return get_text(0, 1);
}

void update_member_role(std::int64_t workspace_id, std::int64_t person_id, std::int64_t role_id) {
    static Statement q("UPDATE actions.member SET role_id = $3 WHERE workspace_id = $1 AND person_id = $2",
                       {INT8OID, INT8OID, INT8OID});
    q.exec(workspace_id, person_id, role_id);
}

std::vector<MemberState> members_reached(std::int64_t workspace_id, const std::vector<std::int64_t>& people,
                                         const std::vector<std::int64_t>& roles, const std::vector<std::int64_t>& groups) {
    static Statement q(
        // Every table filtered by the workspace itself, no correlated subquery: Citus routes it to
        // the workspace's shards as one query, also inside a call it delegated.
        "SELECT m.person_id, m.state FROM actions.member m WHERE m.workspace_id = $1 AND ("
        "  m.person_id = ANY ($2) OR m.role_id = ANY ($3) OR m.person_id IN ("
        "    SELECT gm.person_id FROM actions.group_member gm JOIN actions.\"group\" g "
        "        ON g.workspace_id = gm.workspace_id AND g.group_id = gm.group_id "
        "     WHERE gm.workspace_id = $1 AND g.workspace_id = $1 AND g.path && $4)) "
        "ORDER BY m.person_id",
        {INT8OID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID});
    std::uint64_t rows = q.exec(workspace_id, sql_datum(int64_array_datum(people)), sql_datum(int64_array_datum(roles)),
                                sql_datum(int64_array_datum(groups)));
    std::vector<MemberState> out;
    for (std::uint64_t i = 0; i < rows; i++) out.push_back({get_int64(i, 1), get_text(i, 2)});
    return out;
}

// ---- invitations ----

bool insert_invited_member(std::int64_t workspace_id, std::int64_t person_id) {
    static Statement q(
        "INSERT INTO actions.member (workspace_id, person_id, role_id, state) "
        "SELECT $1, $2, r.role_id, $3 FROM actions.role r "
        "WHERE r.workspace_id = $1 AND r.name = 'actions_access' "
        "ON CONFLICT (workspace_id, person_id) DO UPDATE SET state = actions.member.state",
        {INT8OID, INT8OID, TEXTOID});
    return q.exec(workspace_id, person_id, std::string(core::member_state_name(core::MemberState::invited))) == 1;
}

std::optional<InvitationRow> lock_invitation(std::int64_t workspace_id, std::int64_t person_id) {
    static Statement q(
        "SELECT accepted_at IS NOT NULL, expires_at FROM actions.invitation "
        "WHERE workspace_id = $1 AND person_id = $2 FOR UPDATE",
        {INT8OID, INT8OID});
    if (q.exec(workspace_id, person_id) != 1) return std::nullopt;
    return InvitationRow{workspace_id, person_id, get_bool(0, 1), get_timestamptz(0, 2).value_or(0)};
}

std::optional<InvitationRow> lock_invitation_by_token(const std::string& token) {
    static Statement q(
        "SELECT workspace_id, person_id, accepted_at IS NOT NULL, expires_at FROM actions.invitation "
        "WHERE token = $1 /*AND workspace_id*/ FOR UPDATE",
        {TEXTOID});
    if (q.exec(token) != 1) return std::nullopt;
    return InvitationRow{get_int64(0, 1), get_int64(0, 2), get_bool(0, 3), get_timestamptz(0, 4).value_or(0)};
}

void issue_invitation(std::int64_t workspace_id, std::int64_t person_id, std::int64_t invited_by,
                      std::int64_t expires_at) {
    // created_at given, not now() in DO UPDATE: Citus refuses a function there in a write to a
    // distributed table.
    static Statement q(
        "INSERT INTO actions.invitation (workspace_id, person_id, token, invited_by, created_at, expires_at) "
        "VALUES ($1, $2, $1::text OPERATOR(pg_catalog.||) '.' OPERATOR(pg_catalog.||) "
        "pg_catalog.replace(pg_catalog.gen_random_uuid()::text, '-', ''), $3, $4, $5) "
        "ON CONFLICT (workspace_id, person_id) DO UPDATE SET token = EXCLUDED.token, "
        "invited_by = EXCLUDED.invited_by, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at, "
        "accepted_at = NULL",
        {INT8OID, INT8OID, INT8OID, TIMESTAMPTZOID, TIMESTAMPTZOID});
    q.exec(workspace_id, person_id, invited_by, sql_datum(TimestampTzGetDatum(GetCurrentTransactionStartTimestamp())),
           sql_datum(TimestampTzGetDatum(expires_at)));
}

void accept_invitation(std::int64_t workspace_id, std::int64_t person_id) {
    static Statement q(
        "WITH i AS (UPDATE actions.invitation SET accepted_at = now() "
        "           WHERE workspace_id = $1 AND person_id = $2) "
        "UPDATE actions.member SET state = $3 WHERE workspace_id = $1 AND person_id = $2",
        {INT8OID, INT8OID, TEXTOID});
    q.exec(workspace_id, person_id, std::string(core::member_state_name(core::MemberState::active)));
}

// ---- notifications ----

void upsert_notification_setting(std::int64_t workspace_id, const std::string& kind, bool enabled) {
    static Statement q(
        "INSERT INTO actions.notification_setting (workspace_id, kind, enabled) VALUES ($1, $2, $3) "
        "ON CONFLICT (workspace_id, kind) DO UPDATE SET enabled = EXCLUDED.enabled",
        {INT8OID, TEXTOID, BOOLOID});
    q.exec(workspace_id, kind, enabled);
}

void set_notification_opt_out(std::int64_t workspace_id, std::int64_t person_id, const std::string& kind,
                              bool opted_out) {
    static Statement add(
        "INSERT INTO actions.notification_opt_out (workspace_id, person_id, kind) VALUES ($1, $2, $3) "
        "ON CONFLICT DO NOTHING",
        {INT8OID, INT8OID, TEXTOID});
    static Statement remove(
        "DELETE FROM actions.notification_opt_out WHERE workspace_id = $1 AND person_id = $2 AND kind = $3",
        {INT8OID, INT8OID, TEXTOID});
    (opted_out ? add : remove).exec(workspace_id, person_id, kind);
}

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
