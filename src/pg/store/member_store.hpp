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

// The id of the role named `name` in the workspace (actions.role's unique name), or none. Names
// workspace_id; no lock; the statement's own snapshot.
std::optional<std::int64_t> role_id_named(std::optional<std::int64_t> workspace_id, const std::optional<std::string>& name);
// add_member()'s write: inserts the membership (workspace, person, role, state), or, when the
// person is a member already (member_pkey), sets its role and state. Names workspace_id. Row
// locks: the INSERT's, or FOR UPDATE of the existing row (ON CONFLICT DO UPDATE).
void upsert_member(std::int64_t workspace_id, std::int64_t person_id, std::int64_t role_id, const std::string& state);

}  // namespace pg_actions::pg::store
