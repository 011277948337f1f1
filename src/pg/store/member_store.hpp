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

// Whether a role of the workspace (workspace_id, role_id) is its system owner role. SQL, the
// statement's own snapshot, no lock.
bool is_owner_role(std::int64_t workspace_id, std::int64_t role_id);
// How many active members of the workspace other than this person hold its system owner role.
// SQL, the statement's own snapshot (the caller locks the workspace row first), no lock; names workspace_id.
std::int64_t count_other_active_owners(std::int64_t workspace_id, std::int64_t person_id);

}  // namespace pg_actions::pg::store
