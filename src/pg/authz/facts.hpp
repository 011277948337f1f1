// The actor's facts before the API asks the core, and the refusals that come from them: a
// workspace's member (ActorFacts), an action read for a question or locked for a change, a
// record's facts, hidden-as-not-found, and the member-state checks of people named in a call.
#pragma once

#include "pg/boundary/postgres.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/group.hpp"
#include "core/permission.hpp"
#include "core/record_rules.hpp"
#include "core/refusal.hpp"
#include "core/status.hpp"
#include "pg/authz/args.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/boundary/statement_memo.hpp"
#include "pg/store/members.hpp"

namespace pg_actions::pg {

// The groups given for a new target locked and checked (P0002 for a group of another workspace) and, when
// the facts hold group-scoped grants, facts.in_group_scope set for them.
void scope_targets(std::int64_t workspace_id, std::int64_t actor, const std::vector<std::int64_t>& group_ids,
                   core::Facts& facts);

// A person's facts about a record (membership, grants, group scope, capacities), as committed now:
// what every record verb and the eligibility questions decide visibility and permission with.
core::Facts record_facts(std::int64_t workspace_id, std::int64_t record_id, const std::vector<std::int64_t>& group_ids,
                         std::int64_t person_id);


// Decide, then lock. read(false) reads the row as committed now without a lock; visible() decides
// on it whether the actor may see it. Only then read(true) locks it (and may wait for another
// transaction), and the decision is made again on the locked row. So a row the actor may not see
// never makes them wait: waiting would tell them it exists. nullopt: missing or hidden, alike.
template <class Read, class Visible>
auto visible_then_locked(Read read, Visible visible) -> decltype(read(false)) {
    auto seen = read(false);
    if (!seen || !visible(*seen)) return std::nullopt;
    auto held = read(true);
    if (!held || !visible(*held)) return std::nullopt;
    return held;
}

// What a member's state allows (core/member.hpp): only active members act; invited and active
// ones may be named (assignee, group member, party); anyone but a removed member may be invited.
bool member_acts(const std::optional<std::string>& state);
bool member_may_be_named(const std::optional<std::string>& state);
bool member_may_be_invited(const std::optional<std::string>& state);

// The refusal of an id the actor may not see or that does not exist (core::not_found), raised.
[[noreturn]] void refuse_not_found(core::Target what, std::int64_t id);

struct ActorFacts {
    std::int64_t id;
    core::Facts facts;
    std::optional<std::string> assignee_state;  // membership of the proposed assignee, if any
};
// The actor's membership (a workspace they are not a member of looks like none at all), the
// proposed assignee's, and whether a target in target_groups is in the actor's group scope.
ActorFacts actor_facts(std::int64_t workspace_id, std::int64_t actor,
                         std::optional<std::int64_t> assignee = std::nullopt,
                         const std::vector<std::int64_t>& target_groups = {});

// The acting person must be allowed to manage the workspace (manage_workspace, scope all).
void require_workspace_manager(std::int64_t workspace_id);

struct Action {
    std::int64_t workspace_id;
    std::int64_t action_id;
    core::Status status;
    std::optional<std::int64_t> assignee_id;
    std::vector<std::int64_t> group_ids;
    std::optional<std::int64_t> record_id;
    std::optional<std::string> workflow;  // the system workflow that created it
    core::PoolState pool;                 // its offer, claim and delegation (core/pool.hpp)
    core::Facts facts;
    std::optional<std::string> new_assignee_state;  // membership of a proposed assignee, if asked
};
// The action and the actor's facts about it; lock: FOR UPDATE, so the decision holds until the
// transaction ends. nullopt: no such action.
std::optional<Action> find_action(std::int64_t action_id, std::int64_t actor, bool lock,
                                  std::optional<std::int64_t> new_assignee = std::nullopt);
// Visibility, permission, then state: what stops `verb` on this action for this actor.
std::optional<core::Refusal> refusal_for(core::Verb verb, const Action& a);
// When the verb is allowed only as the substitute of the absent assignee, the log entries of the
// write that follows name the absent member as acting_for (store/absences.hpp).
void note_acting_for(core::Verb verb, const Action& a, std::int64_t actor);
// The acting person, the locked action of argument 0, and the verb allowed, or a refusal raised
// (and, for an act as the substitute of its absent assignee, noted for the log).
Action authorize_action(FunctionCallInfo fcinfo, core::Verb verb, std::int64_t* actor_out = nullptr,
                        std::optional<std::int64_t> new_assignee = std::nullopt);

// A person named as assignee, group member, party, ... must be an invited or active member
// (22023 otherwise); why_members: the detail when they are no member at all.
void check_member_state(std::int64_t workspace_id, std::int64_t person_id, const std::optional<std::string>& state,
                        const char* why_members);
// An assignee must be an invited or active member (22023 otherwise).
void check_assignee_state(std::int64_t workspace_id, std::int64_t person_id, const std::optional<std::string>& state);
// A record to link must exist in the workspace and be visible to the actor (P0002, the same refusal
// for both: a record they may not see is one they may not name), and not be archived (55000);
// returns its groups.
std::vector<std::int64_t> check_record(std::int64_t workspace_id, std::int64_t record_id, std::int64_t actor);

// Runs an UPDATE/DELETE whose $1, $2 are the action's keys and $3, $4 optional values.
void run_update(Statement& s, const Action& a, Datum v3 = 0, bool v3_null = true, Datum v4 = 0,
                bool v4_null = true);

}  // namespace pg_actions::pg
