// Memberships, roles, groups and invitations written by SQL: actions.role, member, group, group_member, invitation, notification_setting, notification_opt_out (index reads: members.hpp).
// Every function states what it reads or writes, the snapshot it reads with (the statement's own,
// spi.hpp: a VOLATILE caller sees what is committed now plus this transaction's writes, a STABLE
// one its caller's snapshot), the row locks it takes, and the workspace it names (the key Citus
// routes on; a lookup by id alone says so). Run inside an SpiScope.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pg_actions::pg::store {

// The people in a group and every group below it (its path contains the group), without repeats.
// Names workspace_id. Snapshot: the statement's own. Locks: none.
std::vector<std::int64_t> group_tree_members(std::int64_t workspace_id, std::int64_t group_id);
// Whether the workspace has a role of that name. Names workspace_id. Snapshot: the statement's own. Locks: none.
bool role_name_exists(std::int64_t workspace_id, const std::string& name);
// The active members holding the role of that name, by person id. Names workspace_id. Snapshot:
// the statement's own. Locks: none.
std::vector<std::int64_t> active_role_holders(std::int64_t workspace_id, const std::string& role_name);
}  // namespace pg_actions::pg::store
