// Facts the API gathers before it asks the core, and the refusals that come from them.
#pragma once

#include "postgres.hpp"

#include <cstdint>
#include <optional>
#include <initializer_list>
#include <string>
#include <vector>

#include "../core/group.hpp"
#include "../core/permission.hpp"
#include "../core/record_rules.hpp"
#include "../core/refusal.hpp"
#include "../core/status.hpp"
#include "direct.hpp"
#include "spi.hpp"

namespace pg_actions::pg {

// Arguments: a required id (22004 when NULL), optional text, a due date that must be finite
// (22008), and a date-only due date turned into the end of that day in the workspace time zone.
std::int64_t arg_id(FunctionCallInfo fcinfo, int n, const char* name);
std::optional<std::string> arg_text(FunctionCallInfo fcinfo, int n);
// A required text argument such as a capacity or an outcome (22004 when NULL).
std::string arg_required_text(FunctionCallInfo fcinfo, int n, const char* name, const char* example);
std::optional<TimestampTz> arg_due(FunctionCallInfo fcinfo, int n);
std::optional<TimestampTz> due_from_date(FunctionCallInfo fcinfo, int n, std::int64_t workspace_id);

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

// What the questions remember lasts one statement of one transaction, one command (a write in
// between starts over) and one owner (an actor or a workspace): renew() says when to forget.
struct StatementStamp {
    LocalTransactionId lxid = InvalidLocalTransactionId;
    TimestampTz statement = 0;
    CommandId command = InvalidCommandId;
    std::uint64_t generation = 0;  // rollback_generation(): a rolled-back subtransaction starts over
    std::int64_t owner = 0;
    bool renew(std::int64_t for_owner);  // true: a new statement or owner, forget what was kept
};

struct Membership {
    std::optional<std::string> state;  // invited, active, removed; none when not a member
    core::Permissions granted;         // of the member's role, scope all
    core::Permissions group_granted;   // of the member's role, scope groups
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
bool lock_group(std::int64_t workspace_id, std::int64_t group_id);
// The groups given for a new target locked and checked (P0002 for a group of another workspace) and, when
// the facts hold group-scoped grants, facts.in_group_scope set for them.
void scope_targets(std::int64_t workspace_id, std::int64_t actor, const std::vector<std::int64_t>& group_ids,
                   core::Facts& facts);
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

// A person's facts about a record (membership, grants, group scope, capacities), as committed now:
// what every record verb and the eligibility questions decide visibility and permission with.
core::Facts record_facts(std::int64_t workspace_id, std::int64_t record_id, const std::vector<std::int64_t>& group_ids,
                         std::int64_t person_id);

// Whether the person is in the pool an approval action was offered to.
bool is_candidate(std::int64_t workspace_id, std::int64_t action_id, std::int64_t person_id);

// A bigint[] argument of group ids, NULL-free, sorted and without repeats (nullopt when NULL).
std::optional<std::vector<std::int64_t>> arg_groups(FunctionCallInfo fcinfo, int n);

// What a member's state allows (core/member.hpp): only active members act; invited and active
// ones may be named (assignee, group member, party); anyone but a removed member may be invited.
bool member_acts(const std::optional<std::string>& state);
bool member_may_be_named(const std::optional<std::string>& state);
bool member_may_be_invited(const std::optional<std::string>& state);

// The hint of every "record not found": a hidden record and a missing one read the same.
inline constexpr const char* record_hint = "check the id; you can only use records of workspaces you are a member of";

core::Refusal not_found_refusal(const char* what, std::int64_t id, const char* hint);
[[noreturn]] void not_found(const char* what, std::int64_t id, const char* hint);
// Not found when the actor may not even view the target (ids of hidden rows reveal nothing),
// otherwise the core's decision for the verb.
std::optional<core::Refusal> permission_refusal(core::Verb verb, const core::Facts& facts, const char* what,
                                                std::int64_t id);

struct Workspace {
    std::int64_t id;
    core::Facts facts;
    std::optional<std::string> assignee_state;  // membership of the proposed assignee, if any
};
// The actor's membership (a workspace they are not a member of looks like none at all), the
// proposed assignee's, and whether a target in target_groups is in the actor's group scope.
Workspace load_workspace(std::int64_t workspace_id, std::int64_t actor,
                         std::optional<std::int64_t> assignee = std::nullopt,
                         const std::vector<std::int64_t>& target_groups = {});

struct Action {
    std::int64_t workspace_id;
    std::int64_t action_id;
    core::Status status;
    std::optional<std::int64_t> assignee_id;
    std::vector<std::int64_t> group_ids;
    std::optional<std::int64_t> record_id;
    std::optional<std::string> workflow;  // the system workflow that created it
    core::Facts facts;
    std::optional<std::string> new_assignee_state;  // membership of a proposed assignee, if asked
};
// The action and the actor's facts about it; lock: FOR UPDATE, so the decision holds until the
// transaction ends. nullopt: no such action.
std::optional<Action> find_action(std::int64_t action_id, std::int64_t actor, bool lock,
                                  std::optional<std::int64_t> new_assignee = std::nullopt);
// Visibility, permission, then state: what stops `verb` on this action for this actor.
std::optional<core::Refusal> refusal_for(core::Verb verb, const Action& a);
// The acting person, the locked action of argument 0, and the verb allowed, or a refusal raised.
Action authorize_action(FunctionCallInfo fcinfo, core::Verb verb, std::int64_t* actor_out = nullptr,
                        std::optional<std::int64_t> new_assignee = std::nullopt);

// A person named as assignee, group member, party, ... must be an invited or active member
// (22023 otherwise); why_members: the detail when they are no member at all.
void check_member_state(std::int64_t workspace_id, std::int64_t person_id, const std::optional<std::string>& state,
                        const char* why_members);
// An assignee must be an invited or active member (22023 otherwise).
void check_assignee_state(std::int64_t workspace_id, std::int64_t person_id, const std::optional<std::string>& state);
// A record to link must exist in the workspace (P0002) and not be archived (55000); returns its groups.
std::vector<std::int64_t> check_record(std::int64_t workspace_id, std::int64_t record_id);

// Runs an UPDATE/DELETE whose $1, $2 are the action's keys and $3, $4 optional values.
void run_update(Statement& s, const Action& a, Datum v3 = 0, bool v3_null = true, Datum v4 = 0,
                bool v4_null = true);

}  // namespace pg_actions::pg
