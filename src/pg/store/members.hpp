// Reads of memberships, roles, groups, group members, record parties and approval pools through
// the index API (store/direct.hpp), as committed now (the latest snapshot, plus this
// transaction's earlier commands). No SQL, so the questions that run none may use them; each
// read is guarded (boundary/boundary.hpp).
#pragma once

#include "pg/boundary/postgres.hpp"

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "core/group.hpp"
#include "core/permission.hpp"
#include "core/pool.hpp"
#include "core/record_rules.hpp"
#include "pg/store/direct.hpp"

namespace pg_actions::pg {

// Index reads through direct::, guarded: every row an index matches on its leading keys, as
// committed now.
struct IndexRows {
    Datum* values = nullptr;
    bool* nulls = nullptr;
    int count = 0;
    int ncols = 0;
    Datum value(int row, int col) const { return values[row * ncols + col]; }
    bool null(int row, int col) const { return nulls[row * ncols + col]; }
};
IndexRows index_rows(const char* table, const char* index, direct::Rows rows, std::initializer_list<direct::Key> keys,
                     std::initializer_list<const char*> cols);
std::vector<std::int64_t> index_ids(const char* table, const char* index, direct::Rows rows,
                                    std::initializer_list<direct::Key> keys,
                                    const char* col);

struct Membership {
    std::optional<std::string> state;  // invited, active, removed; none when not a member
    core::Permissions granted;         // of the member's role, scope all
    core::Permissions group_granted;   // of the member's role, scope groups
    std::optional<std::int64_t> role_id;
};
// A person's membership of a workspace and their role's permissions, by primary key, as committed now.
Membership membership(std::int64_t workspace_id, std::int64_t person_id, bool with_permissions = true);
// A person's membership of a workspace wherever the workspace is placed: membership() here,
// except on the coordinator of a Citus cluster, which holds no workspace: there it is read by SQL
// (member and role by workspace_id: a query Citus sends to the node holding the workspace, one
// task). For the calls that run on the coordinator, those of the business calendars (reference
// data, written where called). role_id is not set when read through the coordinator.
Membership own_membership(std::int64_t workspace_id, std::int64_t person_id);
// The grants of a role (a text[] datum) into m.granted and m.group_granted; unknown codes are ignored.
void read_grants(Datum array, Membership& m);

// Groups: a person's groups in a workspace, and the paths of groups (P0002 when one is not a
// group of the workspace), as committed now.
std::vector<std::int64_t> person_groups(std::int64_t workspace_id, std::int64_t person_id);
std::vector<core::GroupPath> group_paths(std::int64_t workspace_id, const std::vector<std::int64_t>& group_ids);
// Locks a group of the workspace FOR KEY SHARE, as a foreign key check would, so it cannot be
// deleted before the transaction that refers to it ends; false when there is no such group.
// (The one read here that runs SQL: a row lock.)
bool lock_group(std::int64_t workspace_id, std::int64_t group_id);
// Whether a target in these groups is in the person's group scope.
bool in_group_scope(std::int64_t workspace_id, std::int64_t person_id, const std::vector<std::int64_t>& group_ids);
// The parties of a record (record_party rows).
struct Party {
    core::Capacity capacity;
    std::optional<std::int64_t> person_id;
    std::optional<std::int64_t> group_id;  // shared with a group: its members and those of the groups below
};
std::vector<Party> record_parties(std::int64_t workspace_id, std::int64_t record_id);
// Whether a party is the person: the person themselves, or a group the person is in (or below).
bool party_is(const Party& p, std::int64_t workspace_id, std::int64_t person_id,
              std::optional<std::vector<std::int64_t>>& person_groups_cache);
// What the person's capacities on the record unlock on its actions.
core::Permissions record_grants(std::int64_t workspace_id, std::int64_t record_id, std::int64_t person_id);

// Whether the person is in the pool an approval action was offered to.
bool is_candidate(std::int64_t workspace_id, std::int64_t action_id, std::int64_t person_id);

// The offer of an action (actions.action_offer), and whether a person holding role_id is one of
// its candidates (core/pool.hpp): named, holding an offered role, or in an offered group or below one.
std::vector<core::OfferEntry> offer_entries(std::int64_t workspace_id, std::int64_t action_id);
bool is_offer_candidate(std::int64_t workspace_id, std::int64_t action_id, std::int64_t person_id,
                        std::optional<std::int64_t> role_id);

namespace store {

// What row-level security lets a person see (api/visibility.cpp): index reads, no SQL, no lock,
// as committed now (the latest snapshot, plus this transaction's earlier commands). Each looks up
// by a person (or a group) alone, to FIND the workspaces, and returns the workspace of each row
// for the caller to keep only those where the person is an active member.
struct WorkspaceRow {
    std::int64_t workspace_id;
    std::int64_t id;
};
struct PersonMembership {
    std::int64_t workspace_id;
    std::string state;
};
// The person's member rows (member_person_idx).
std::vector<PersonMembership> person_memberships(std::int64_t person_id);
// The records the person is a party of, by person (record_party_person_idx): id = record_id.
std::vector<WorkspaceRow> person_party_records(std::int64_t person_id);
// The records shared with a group (record_party_group_idx; a group id is its workspace's).
std::vector<std::int64_t> group_party_records(std::int64_t group_id);
// The approval actions the person is an eligible candidate of (action_candidate_person_idx):
// id = action_id.
std::vector<WorkspaceRow> person_candidate_actions(std::int64_t person_id);
// The actions offered to the person by name (action_offer_person_idx): id = action_id.
std::vector<WorkspaceRow> person_offered_actions(std::int64_t person_id);
// The actions of a workspace offered to a role, or to a group (action_offer_role_idx,
// action_offer_group_idx); these name workspace_id.
std::vector<std::int64_t> role_offered_actions(std::int64_t workspace_id, std::int64_t role_id);
std::vector<std::int64_t> group_offered_actions(std::int64_t workspace_id, std::int64_t group_id);

}  // namespace store

// More reads through the index API for authz/ (no SQL, usable under NoSqlHere; the latest snapshot
// plus this transaction's writes; no lock; each names workspace_id unless it says otherwise).
namespace store {
// The grants of every role of a workspace (role_pkey's leading workspace_id).
struct RoleGrants {
    std::int64_t role_id;
    core::Permissions granted, group_granted;
};
std::vector<RoleGrants> workspace_role_grants(std::int64_t workspace_id);
// The members holding a role (member_role_idx), and the members of a group (group_member_group_idx).
std::vector<std::int64_t> role_holders(std::int64_t workspace_id, std::int64_t role_id);
std::vector<std::int64_t> group_member_ids(std::int64_t workspace_id, std::int64_t group_id);
// A record by id alone, to find its workspace (record_id_idx): its workspace, kind and groups.
struct RecordKindRow {
    std::int64_t workspace_id;
    std::string kind;
    std::vector<std::int64_t> group_ids;  // none when NULL
};
std::optional<RecordKindRow> record_kind_row(std::int64_t record_id);
// A record of the workspace (record_pkey): whether it is archived (NULL: not), and its groups.
struct RecordStateRow {
    bool archived;
    std::vector<std::int64_t> group_ids;  // none when NULL
};
std::optional<RecordStateRow> record_state_row(std::int64_t workspace_id, std::int64_t record_id);
// An action type of the workspace (action_type_pkey): nullopt when there is none, else whether it is
// retired (retired_at set).
std::optional<bool> action_type_retired(std::int64_t workspace_id, const std::string& type_key);
}  // namespace store

// Whether the action row of the workspace exists, read through action_pkey (direct::, guarded) as
// committed now plus this transaction's earlier commands
// (an index read, so it sits here rather than in action_store). No lock.
bool action_row_exists(std::int64_t workspace_id, std::int64_t action_id);

}  // namespace pg_actions::pg
