// Pools with claim, delegation with return (see pool.hpp).
#include "pool.hpp"

#include <algorithm>

namespace pg_actions::core {

std::string_view delegation_name(Delegation d) {
    switch (d) {
    case Delegation::pending: return "pending";
    case Delegation::resolved: return "resolved";
    }
    return "";
}

std::optional<Delegation> parse_delegation(std::string_view text) {
    for (Delegation d : {Delegation::pending, Delegation::resolved})
        if (delegation_name(d) == text) return d;
    return std::nullopt;
}

std::vector<std::string_view> delegation_names() {
    return {delegation_name(Delegation::pending), delegation_name(Delegation::resolved)};
}

std::string offer_text(const OfferEntry& e) {
    const char* kind = e.kind == CandidateKind::person ? "person:" : e.kind == CandidateKind::group ? "group:" : "role:";
    return kind + std::to_string(e.id);
}

bool is_candidate(std::span<const OfferEntry> offer, std::int64_t person_id, std::optional<std::int64_t> role_id,
                  std::span<const GroupPath> person_group_paths) {
    for (const OfferEntry& e : offer) {
        switch (e.kind) {
        case CandidateKind::person:
            if (e.id == person_id) return true;
            break;
        case CandidateKind::role:
            if (role_id == e.id) return true;
            break;
        case CandidateKind::group:
            // The offered group lies on the path of one of the person's groups: theirs or above it.
            if (within_groups(person_group_paths, std::span<const std::int64_t>(&e.id, 1))) return true;
            break;
        }
    }
    return false;
}

std::optional<Refusal> normalize_offer(std::vector<std::int64_t>& ids, bool had_null, std::string_view what) {
    if (had_null)
        return Refusal{RefusalKind::invalid_value, std::string(what) + " must not contain NULL", "",
                       "pass the ids of the candidates, or an empty array for none"};
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return std::nullopt;
}

namespace {

Refusal wrong_state(std::string message, std::string detail, std::string hint) {
    return Refusal{RefusalKind::wrong_state, std::move(message), std::move(detail), std::move(hint)};
}

}  // namespace

std::optional<Refusal> check_pool_state(Verb verb, Status status, std::optional<std::int64_t> assignee_id,
                                        const PoolState& pool, std::int64_t action_id) {
    const std::string id = std::to_string(action_id);
    const bool pending = pool.delegation == Delegation::pending;
    switch (verb) {
    case Verb::offer:
        if (pool.approval)
            return wrong_state("action " + id + " is a delegation approval",
                               "its pool is the delegation's eligible approvers, decided when someone approves",
                               "grant approve_delegations, or add approvers to the delegation's groups");
        return check_open(status, "offer", action_id);
    case Verb::claim:
        if (auto r = check_open(status, "claim", action_id)) return r;
        if (!pool.offered)
            return wrong_state("action " + id + " is not offered to a pool", "only an offered action can be claimed",
                               "ask a manager to offer it with actions.offer(), or to assign it to you");
        if (assignee_id)
            return wrong_state("action " + id + " is already " + (pool.claimed ? "claimed" : "assigned"),
                               "it is assigned to person " + std::to_string(*assignee_id),
                               "wait until it is released back to the pool (actions.release())");
        return std::nullopt;
    case Verb::release:
        if (auto r = check_open(status, "release", action_id)) return r;
        if (!pool.offered)
            return wrong_state("action " + id + " is not offered to a pool", "there is no pool to release it to",
                               "use actions.reassign() to hand it to someone else");
        if (!assignee_id)
            return wrong_state("action " + id + " is not claimed", "it is in its pool already",
                               "a candidate claims it with actions.claim()");
        if (pending)
            return wrong_state("action " + id + " is delegated", "a delegated action is resolved before it is released",
                               "the delegate resolves it with actions.resolve()");
        return std::nullopt;
    case Verb::delegate:
        if (auto r = check_open(status, "delegate", action_id)) return r;
        if (pending)
            return wrong_state("action " + id + " is already delegated",
                               "it is pending with person " + std::to_string(assignee_id.value_or(0)),
                               "the delegate resolves it with actions.resolve(); then it can be delegated again");
        return std::nullopt;
    case Verb::resolve:
        if (!pending)
            return wrong_state("action " + id + " is not delegated", "only a pending delegation can be resolved",
                               "the assignee completes it with actions.complete()");
        return check_open(status, "resolve", action_id);
    case Verb::complete:
        if (pending)
            return wrong_state("action " + id + " is delegated and cannot be completed",
                               "person " + std::to_string(assignee_id.value_or(0)) +
                                   " works on it as delegate and resolves it; it then returns to person " +
                                   std::to_string(pool.delegated_by.value_or(0)) + ", who completes it",
                               "the delegate resolves it with actions.resolve()");
        return std::nullopt;
    default: return std::nullopt;
    }
}

std::optional<Refusal> check_delegate(std::int64_t actor, std::int64_t delegate, std::int64_t workspace_id,
                                      bool delegate_acts, bool delegate_is_member) {
    if (delegate == actor)
        return Refusal{RefusalKind::invalid_value, "cannot delegate an action to yourself",
                       "a delegation hands the work to another member and returns it to you",
                       "pass the person_id of another active member"};
    if (!delegate_acts)
        return Refusal{RefusalKind::invalid_value,
                       "person " + std::to_string(delegate) + " is not an active member of workspace " +
                           std::to_string(workspace_id),
                       delegate_is_member ? "the delegate must be able to act now (an invited member accepts first; "
                                            "a removed one never acts)"
                                          : "only active members of the workspace can be delegates",
                       "delegate to an active member of the workspace"};
    return std::nullopt;
}

std::optional<Refusal> check_assignment_write(const Assignment& before, const Assignment& requested) {
    const bool markers_changed = before.claimed != requested.claimed || before.delegated_by != requested.delegated_by ||
                                 before.delegation != requested.delegation;
    auto refused = [](std::string detail) {
        return Refusal{RefusalKind::not_permitted, "cannot change claimed, delegated_by or delegation of an action",
                       std::move(detail),
                       "use actions.claim(), actions.release(), actions.delegate() or actions.resolve()"};
    };
    if (before.assignee == requested.assignee) {
        if (markers_changed) return refused("they change only with the assignee, so that the log can say who and why");
        return std::nullopt;
    }
    if (requested.claimed && !before.claimed && (before.assignee || !requested.assignee))
        return refused("a claim gives an unassigned action its assignee");
    return std::nullopt;
}

Assignment settle_assignment(const Assignment& before, const Assignment& requested) {
    if (before.assignee == requested.assignee) return requested;
    Assignment out = requested;
    out.claimed = requested.claimed && !before.claimed;
    if (requested.delegation == before.delegation && requested.delegated_by == before.delegated_by) {
        out.delegation.reset();
        out.delegated_by.reset();
    }
    return out;
}

}  // namespace pg_actions::core
