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
IndexRows index_rows(const char* table, const char* index, std::initializer_list<direct::Key> keys,
                     std::initializer_list<const char*> cols);
std::vector<std::int64_t> index_ids(const char* table, const char* index, std::initializer_list<direct::Key> keys,
                                    const char* col);

struct Membership {
    std::optional<std::string> state;  // invited, active, removed; none when not a member
    core::Permissions granted;         // of the member's role, scope all
    core::Permissions group_granted;   // of the member's role, scope groups
    std::optional<std::int64_t> role_id;
};
// A person's membership of a workspace and their role's permissions, by primary key, as committed now.
Membership membership(std::int64_t workspace_id, std::int64_t person_id, bool with_permissions = true);
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

// Whether the action row exists, read through action_id_idx (direct::, guarded) as committed now
// plus this transaction's earlier commands
// (an index read, so it sits here rather than in action_store). By the id alone; no lock.
bool action_row_exists(std::int64_t action_id);

}  // namespace pg_actions::pg
