// Workspace roles: which permission codes a custom role may hold, and what may change a role.
#pragma once
#include <optional>
#include <string_view>
#include <vector>

#include "permission.hpp"
#include "refusal.hpp"
#include "pure.hpp"

namespace pg_actions::core {

// Every code must be a known permission (invalid_value naming the first unknown one).
std::optional<Refusal> check_permission_codes(const std::vector<std::string_view>& codes);

// A role name: not blank, at most 100 characters.
std::optional<Refusal> check_role_name(std::optional<std::string_view> name);

// System roles (owner, manager, user, actions_access, inquiry) are neither renamed, regranted nor
// deleted: the extension relies on them (an e-mail invitation joins as actions_access). A role
// still held by members is not deleted.
enum class RoleChange { update, remove };
std::optional<Refusal> check_role_change(RoleChange change, std::string_view role, bool is_system, long holders);

// A workspace keeps at least one active owner: a change that takes the owner role (or the active
// state) from an active owner is refused when no other active owner remains. The glue asks with
// the change serialized on the workspace, so two concurrent demotions cannot both pass.
std::optional<Refusal> check_owner_kept(bool was_active_owner, bool stays_active_owner, long other_active_owners,
                                        long long workspace_id);

}  // namespace pg_actions::core
