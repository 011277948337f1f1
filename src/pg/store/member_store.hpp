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

// Snapshot of every function below: the statement's own (spi.hpp).

// ---- groups (actions.group, group_member) ----
struct GroupRow {
    std::int64_t workspace_id;
    std::vector<std::int64_t> path;  // the ids from the top-level group down to this one
};
// A group by id alone (to FIND its workspace): as committed now without a lock (lock false), or
// locked FOR UPDATE (lock true; waits for a transaction that holds it: call only once the caller
// may see it, visible_then_locked). nullopt: no such group.
std::optional<GroupRow> group_by_id(std::int64_t group_id, bool lock);
// Whether another group of the workspace (group_id <> except_group_id) has this name. Names the
// workspace; no lock.
bool group_name_taken(std::int64_t workspace_id, const std::string& name, std::int64_t except_group_id);
// Inserts a group under a parent (nullopt, empty path: the top level); its path is the parent's
// path and its own new id. Returns the id. Names the workspace; locks: the new row.
std::int64_t insert_group(std::int64_t workspace_id, const std::string& name, std::optional<std::int64_t> parent_id,
                          const std::vector<std::int64_t>& parent_path);
// Renames a group. Names the workspace; locks: the row (FOR NO KEY UPDATE, by the UPDATE).
void update_group_name(std::int64_t workspace_id, std::int64_t group_id, const std::string& name);
// The longest path through the group (0 when none): how deep its subtree reaches. Names the
// workspace; no lock (the caller holds the tree: lock_workspace_row).
std::int32_t group_subtree_height(std::int64_t workspace_id, std::int64_t group_id);
// Moves a group with its subtree: every path through it keeps its part from the group down
// (path[depth:], depth = the group's old path length) behind parent_path; the group's parent_id
// becomes parent_id. Names the workspace; locks: the rows updated (FOR NO KEY UPDATE).
void move_group_subtree(std::int64_t workspace_id, std::int64_t group_id, const std::vector<std::int64_t>& parent_path,
                        std::int32_t depth, std::optional<std::int64_t> parent_id);
// What still refers to a group: subgroups, actions, records, current versions of templates not
// retired (their groups or pool groups), offers. Names the workspace in every part; no lock.
struct GroupUses {
    bool subgroups, actions, records, templates, offers;
};
GroupUses group_uses(std::int64_t workspace_id, std::int64_t group_id);
// Deletes a group. Names the workspace; locks: the row.
void delete_group(std::int64_t workspace_id, std::int64_t group_id);
// Adds a person to a group (member true; nothing when they are in it already) or removes them
// (false). Names the workspace; locks: the group_member row written (an insert also KEY SHARE on
// the member and group rows its foreign keys name).
void set_group_member(std::int64_t workspace_id, std::int64_t person_id, std::int64_t group_id, bool member);

// ---- roles and members (actions.role, member) ----
struct RoleRow {
    std::int64_t role_id;
    bool is_system;
    std::int64_t holders;  // members holding it who are not removed
};
// A role of the workspace by name, locked FOR UPDATE (of the role row only), with how many
// members hold it (counted in the statement's snapshot). Names the workspace. nullopt: no such role.
std::optional<RoleRow> lock_role_by_name(std::int64_t workspace_id, const std::string& name);
// A role of the workspace by name, locked FOR KEY SHARE (as a foreign key check would: a
// delete_role waits). Names the workspace. nullopt: no such role.
std::optional<std::int64_t> key_share_role_by_name(std::int64_t workspace_id, const std::string& name);
// Whether the workspace has a role of this name. Names the workspace; no lock.
bool role_name_taken(std::int64_t workspace_id, const std::string& name);
// Inserts a custom role; returns its id. Names the workspace; locks: the new row.
std::int64_t insert_role(std::int64_t workspace_id, const std::string& name, const std::vector<std::string>& permissions);
// Renames a role (new_name nullopt: keeps it) and, when regrant, replaces its permissions. Names
// the workspace; locks: the row (FOR NO KEY UPDATE, by the UPDATE).
void update_role(std::int64_t workspace_id, std::int64_t role_id, const std::optional<std::string>& new_name,
                 bool regrant, const std::vector<std::string>& permissions);
// Deletes a role. Names the workspace; locks: the row.
void delete_role(std::int64_t workspace_id, std::int64_t role_id);
// Whether the person has a member row in the workspace (any state). Names the workspace; no lock.
bool member_row_exists(std::int64_t workspace_id, std::int64_t person_id);
// The member's state, the row locked FOR NO KEY UPDATE; nullopt: no member row. Names the workspace.
std::optional<std::string> lock_member_state(std::int64_t workspace_id, std::int64_t person_id);
// Gives a member another role. Names the workspace; locks: the member row (FOR NO KEY UPDATE).
void update_member_role(std::int64_t workspace_id, std::int64_t person_id, std::int64_t role_id);
// The members an offer reaches (any state), by person id: named in people, holding one of roles,
// or in a group whose path meets groups (in or below one). Sorted by person_id. Names the
// workspace in every part; no lock.
struct MemberState {
    std::int64_t person_id;
    std::optional<std::string> state;
};
std::vector<MemberState> members_reached(std::int64_t workspace_id, const std::vector<std::int64_t>& people,
                                         const std::vector<std::int64_t>& roles, const std::vector<std::int64_t>& groups);

// ---- invitations (actions.invitation, member) ----
// Makes the person an invited member holding the workspace's actions_access role; an existing
// member row stays as it is (and is locked, by ON CONFLICT DO UPDATE). false: the workspace has no
// actions_access role (nothing written). Names the workspace; locks: the member row.
bool insert_invited_member(std::int64_t workspace_id, std::int64_t person_id);
struct InvitationRow {
    std::int64_t workspace_id;
    std::int64_t person_id;
    bool accepted;
    std::int64_t expires_at;  // TimestampTz (0 when NULL)
};
// The person's invitation to the workspace, locked FOR UPDATE. Names the workspace. nullopt: none.
std::optional<InvitationRow> lock_invitation(std::int64_t workspace_id, std::int64_t person_id);
// The invitation with this token, locked FOR UPDATE. By the token alone (in a call forwarded from
// a Citus coordinator, within the workspace the token begins with).
std::optional<InvitationRow> lock_invitation_by_token(const std::string& token);
// Issues a new token, "<workspace_id>.<32 hex digits>" (a fresh invitation, or the existing one
// renewed: created now, not accepted). Names the workspace; locks: the invitation row.
void issue_invitation(std::int64_t workspace_id, std::int64_t person_id, std::int64_t invited_by,
                      std::int64_t expires_at);
// Marks the invitation accepted now and the member active, in one statement. Names the
// workspace; locks: the invitation and member rows (FOR NO KEY UPDATE).
void accept_invitation(std::int64_t workspace_id, std::int64_t person_id);

// ---- notifications (actions.notification_setting, notification_opt_out) ----
// Turns a notification kind on or off for the workspace. Names the workspace; locks: the row.
void upsert_notification_setting(std::int64_t workspace_id, const std::string& kind, bool enabled);
// A member opts out of a kind (opted_out true; nothing when they have already) or back in
// (false: the opt-out row is deleted). Names the workspace; locks: the row written.
void set_notification_opt_out(std::int64_t workspace_id, std::int64_t person_id, const std::string& kind,
                              bool opted_out);

// The id of the role named `name` in the workspace (actions.role's unique name), or none. Names
// workspace_id; no lock; the statement's own snapshot.
std::optional<std::int64_t> role_id_named(std::optional<std::int64_t> workspace_id, const std::optional<std::string>& name);
// add_member()'s write: inserts the membership (workspace, person, role, state), or, when the
// person is a member already (member_pkey), sets its role and state. Names workspace_id. Row
// locks: the INSERT's, or FOR UPDATE of the existing row (ON CONFLICT DO UPDATE).
void upsert_member(std::int64_t workspace_id, std::int64_t person_id, std::int64_t role_id, const std::string& state);

}  // namespace pg_actions::pg::store
