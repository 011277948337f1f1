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

// What an approver's eligibility depends on (record_outcome): the person's member row and its
// role, their group_member rows and those groups, and the delegation's groups, so a concurrent
// role, group or issuer change waits for the approval or is seen by it. Names workspace_id.
// Snapshot: the statements' own. Locks: FOR SHARE on those rows, in that order.
void lock_approver_eligibility(std::int64_t workspace_id, std::int64_t person_id,
                               const std::vector<std::int64_t>& delegation_group_ids);
// The groups at or below any group the person is in (their path meets the person's groups), for
// the row-level security of group-scoped viewers. Names workspace_id. Snapshot: the statement's
// own. No lock.
std::vector<std::int64_t> groups_at_or_below_person(std::int64_t workspace_id, std::int64_t person_id);

// The people in a group and every group below it (its path contains the group), without repeats.
// Names workspace_id. Snapshot: the statement's own. Locks: none.
std::vector<std::int64_t> group_tree_members(std::int64_t workspace_id, std::int64_t group_id);
// Whether the workspace has a role of that name. Names workspace_id. Snapshot: the statement's own. Locks: none.
bool role_name_exists(std::int64_t workspace_id, const std::string& name);
// The active members holding the role of that name, by person id. Names workspace_id. Snapshot:
// the statement's own. Locks: none.
std::vector<std::int64_t> active_role_holders(std::int64_t workspace_id, const std::string& role_name);
// Whether a role of the workspace (workspace_id, role_id) is its system owner role. SQL, the
// statement's own snapshot, no lock.
bool is_owner_role(std::int64_t workspace_id, std::int64_t role_id);
// How many active members of the workspace other than this person hold its system owner role.
// SQL, the statement's own snapshot (the caller locks the workspace row first), no lock; names workspace_id.
std::int64_t count_other_active_owners(std::int64_t workspace_id, std::int64_t person_id);

}  // namespace pg_actions::pg::store
