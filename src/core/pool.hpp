// Pools with claim, and delegation with return (the pending / resolved delegation of Flowable and
// Camunda). An action may be offered to candidates: people, groups (with every group below them)
// and holders of roles. One candidate claims it and becomes its assignee, and may release it back
// to the pool. The assignee may delegate it to another active member; the delegate works on it
// and resolves it, and it returns to the assignee, who completes it or delegates again. Who may
// do each is decided in permission.hpp (verbs offer, claim, release, delegate, resolve); the state
// each needs, who counts as a candidate, and what a written row may change are decided here.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "group.hpp"
#include "permission.hpp"
#include "refusal.hpp"
#include "status.hpp"
#include "pure.hpp"

namespace pg_actions::core {

// The delegation state of an action: pending while the delegate has it, resolved once it returned.
enum class Delegation { pending, resolved };
std::string_view delegation_name(Delegation d);
std::optional<Delegation> parse_delegation(std::string_view text);
std::vector<std::string_view> delegation_names();

// One entry of an offer: a person, a group (its members and those of the groups below it) or a role.
enum class CandidateKind { person, group, role };
struct OfferEntry {
    CandidateKind kind;
    std::int64_t id;
};
// How the log writes an entry: "person:5", "group:3", "role:2".
std::string offer_text(const OfferEntry& e);

// Whether a person is a candidate of an offer: named, holding an offered role, or a member of an
// offered group or of a group below one (person_group_paths: the paths of the person's groups).
bool is_candidate(std::span<const OfferEntry> offer, std::int64_t person_id, std::optional<std::int64_t> role_id,
                  std::span<const GroupPath> person_group_paths);

// An offer's arguments: no NULL ids; each list sorted, without repeats.
std::optional<Refusal> normalize_offer(std::vector<std::int64_t>& ids, bool had_null, std::string_view what);

// The pool and delegation state of an action, as the glue reads it from the row.
struct PoolState {
    bool offered = false;  // the action has an offer (actions.action_offer rows)
    bool claimed = false;  // its assignee claimed it from the pool
    std::optional<std::int64_t> delegated_by;
    std::optional<Delegation> delegation;
    bool approval = false;  // a delegation approval: its pool is the eligible approvers, not an offer
};

// The state a verb needs beyond permissions, for the pool and delegation verbs; and for complete,
// that no delegation is pending (a delegate resolves, only the assignee completes).
// nullopt: the state allows it. Other verbs: nullopt.
std::optional<Refusal> check_pool_state(Verb verb, Status status, std::optional<std::int64_t> assignee_id,
                                        const PoolState& pool, std::int64_t action_id);

// Whom the assignee (actor) may delegate to: an active member of the workspace other than themself.
// delegate_state: the delegate's membership (nullopt: none).
std::optional<Refusal> check_delegate(std::int64_t actor, std::int64_t delegate, std::int64_t workspace_id,
                                      bool delegate_acts, bool delegate_is_member);

// What the guard keeps of a written row's assignment markers (claimed, delegation). They change
// only together with the assignee: claimed is set by a claim (the assignee goes from none to a
// person) and cleared by any other change of assignee; a delegation is set by delegate and
// resolve, and ended by any other change of assignee (a reassignment, a release).
struct Assignment {
    std::optional<std::int64_t> assignee;
    bool claimed = false;
    std::optional<std::int64_t> delegated_by;
    std::optional<Delegation> delegation;
};
// A write the log could not explain (markers changed without the assignee, a claim of an assigned
// action): not_permitted.
std::optional<Refusal> check_assignment_write(const Assignment& before, const Assignment& requested);
Assignment settle_assignment(const Assignment& before, const Assignment& requested);

}  // namespace pg_actions::core
