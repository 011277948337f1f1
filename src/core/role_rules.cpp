// Role names, permission codes, what may change a role, and the last owner (see role_rules.hpp).
#include "role_rules.hpp"

#include <string>

#include "input.hpp"

namespace pg_actions::core {

std::optional<Refusal> check_permission_codes(const std::vector<std::string_view>& codes) {
    for (std::string_view code : codes)
        if (!parse_grant(code))
            return Refusal{RefusalKind::invalid_value, "unknown permission \"" + std::string(code) + "\"",
                           "a role holds permission codes from the fixed catalog, each optionally "
                           "scoped to the member's groups with the suffix :groups",
                           "use view_actions, create_actions, assign_actions, edit_actions, edit_own_actions, "
                           "delete_actions, delete_own_actions, delete_assigned_actions, reassign_actions, "
                           "complete_any_actions, administer_actions, approve_delegations or manage_workspace"};
    return std::nullopt;
}

std::optional<Refusal> check_role_name(std::optional<std::string_view> name) {
    if (!name || name->find_first_not_of(" \t\r\n") == std::string_view::npos)
        return Refusal{RefusalKind::invalid_value, "a role name must not be empty", "", "pass name => 'reviewer'"};
    if (utf8_length(*name) > 100)
        return Refusal{RefusalKind::invalid_value, "role name is too long", "a role name has at most 100 characters",
                       "choose a shorter name"};
    return std::nullopt;
}

std::optional<Refusal> check_role_change(RoleChange change, std::string_view role, bool is_system, long holders) {
    const std::string name(role);
    if (is_system)
        return Refusal{RefusalKind::wrong_state,
                       "role \"" + name + "\" is a system role and cannot be " +
                           (change == RoleChange::remove ? "deleted" : "changed"),
                       "owner, manager, user, actions_access and inquiry come with every workspace",
                       "create a custom role with actions.create_role() and give it to members instead"};
    if (change == RoleChange::remove && holders > 0)
        return Refusal{RefusalKind::wrong_state, "role \"" + name + "\" is still held by " + std::to_string(holders) +
                           (holders == 1 ? " member" : " members"),
                       "deleting it would leave them without a role",
                       "give them another role with actions.add_member() first"};
    return std::nullopt;
}

std::optional<Refusal> check_owner_kept(bool was_active_owner, bool stays_active_owner, long other_active_owners,
                                        long long workspace_id) {
    if (!was_active_owner || stays_active_owner || other_active_owners > 0) return std::nullopt;
    return Refusal{RefusalKind::wrong_state,
                   "cannot take the owner role from the last owner of workspace " + std::to_string(workspace_id),
                   "a workspace keeps at least one active owner", "make another member owner first"};
}

}  // namespace pg_actions::core
