// Pools with claim and delegation with return (core/pool.hpp), and their verbs in the permission
// decision (core/permission.hpp).
#include <gtest/gtest.h>

#include <vector>

#include "pool.hpp"
#include "template_rules.hpp"

namespace pg_actions::core {
namespace {

Facts member(std::initializer_list<Permission> ps = {}) {
    Facts f;
    f.is_member = true;
    for (Permission p : ps) f.granted.set(static_cast<std::size_t>(p));
    return f;
}

TEST(PoolVerbs, NamesRoundTrip) {
    for (const char* name : {"offer", "claim", "release", "delegate", "resolve"}) {
        std::optional<Verb> v = parse_verb(name);
        ASSERT_TRUE(v) << name;
        EXPECT_EQ(verb_name(*v), name);
    }
}

TEST(PoolVerbs, OfferNeedsAssigningPermissions) {
    EXPECT_TRUE(decide(Verb::offer, member()));
    EXPECT_FALSE(decide(Verb::offer, member({Permission::assign_actions})));
    EXPECT_FALSE(decide(Verb::offer, member({Permission::reassign_actions})));
    EXPECT_FALSE(decide(Verb::offer, member({Permission::administer_actions})));
    Facts owner_only = member({Permission::create_actions, Permission::edit_own_actions});
    owner_only.is_owner = true;
    EXPECT_TRUE(decide(Verb::offer, owner_only));
}

TEST(PoolVerbs, OnlyCandidatesClaim) {
    Facts manager = member({Permission::administer_actions, Permission::assign_actions});
    std::optional<Refusal> r = decide(Verb::claim, manager);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, RefusalKind::not_permitted);
    EXPECT_NE(r->detail.find("candidates"), std::string::npos);
    Facts candidate = member();
    candidate.is_candidate = true;
    EXPECT_FALSE(decide(Verb::claim, candidate));
    EXPECT_FALSE(decide(Verb::view, candidate));
}

TEST(PoolVerbs, ReleaseByClaimantOrReassigner) {
    Facts claimant = member();
    claimant.is_assignee = true;
    EXPECT_FALSE(decide(Verb::release, claimant));
    Facts other_candidate = member();
    other_candidate.is_candidate = true;
    EXPECT_TRUE(decide(Verb::release, other_candidate));
    EXPECT_FALSE(decide(Verb::release, member({Permission::reassign_actions})));
}

TEST(PoolVerbs, DelegateAndResolveByTheAssigneeOnly) {
    Facts assignee = member();
    assignee.is_assignee = true;
    EXPECT_FALSE(decide(Verb::delegate, assignee));
    EXPECT_FALSE(decide(Verb::resolve, assignee));
    Facts admin = member({Permission::administer_actions});
    EXPECT_TRUE(decide(Verb::delegate, admin));
    EXPECT_TRUE(decide(Verb::resolve, admin));
    Facts delegator = member();
    delegator.is_delegator = true;
    EXPECT_FALSE(decide(Verb::view, delegator));  // keeps seeing what they delegated
    EXPECT_TRUE(decide(Verb::resolve, delegator));
    Facts outsider;
    outsider.is_candidate = true;
    EXPECT_TRUE(decide(Verb::claim, outsider));  // not a member: nothing
}

TEST(PoolCandidates, PersonRoleAndGroupsBelow) {
    // Groups: 1 > 2 > 3; the person is in group 3 (path {1,2,3}) and holds role 40.
    std::vector<GroupPath> paths{{1, 2, 3}};
    std::vector<OfferEntry> to_person{{CandidateKind::person, 7}};
    EXPECT_TRUE(is_candidate(to_person, 7, 40, paths));
    EXPECT_FALSE(is_candidate(to_person, 8, 40, paths));
    std::vector<OfferEntry> to_role{{CandidateKind::role, 40}};
    EXPECT_TRUE(is_candidate(to_role, 8, 40, paths));
    EXPECT_FALSE(is_candidate(to_role, 8, 41, paths));
    EXPECT_FALSE(is_candidate(to_role, 8, std::nullopt, paths));
    std::vector<OfferEntry> to_top{{CandidateKind::group, 1}};
    EXPECT_TRUE(is_candidate(to_top, 8, std::nullopt, paths));  // a group below the offered one
    std::vector<OfferEntry> to_sibling{{CandidateKind::group, 4}};
    EXPECT_FALSE(is_candidate(to_sibling, 8, std::nullopt, paths));
    std::vector<GroupPath> above_only{{1}};
    std::vector<OfferEntry> to_below{{CandidateKind::group, 3}};
    EXPECT_FALSE(is_candidate(to_below, 8, std::nullopt, above_only));  // groups above do not count
    EXPECT_FALSE(is_candidate({}, 7, 40, paths));
    EXPECT_EQ(offer_text({CandidateKind::group, 3}), "group:3");
    EXPECT_EQ(offer_text({CandidateKind::role, 2}), "role:2");
    EXPECT_EQ(offer_text({CandidateKind::person, 5}), "person:5");
}

TEST(PoolCandidates, NormalizeOffer) {
    std::vector<std::int64_t> ids{5, 3, 5};
    EXPECT_FALSE(normalize_offer(ids, false, "people"));
    EXPECT_EQ(ids, (std::vector<std::int64_t>{3, 5}));
    std::optional<Refusal> r = normalize_offer(ids, true, "people");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, RefusalKind::invalid_value);
}

TEST(PoolState, Claim) {
    PoolState offered{true, false, std::nullopt, std::nullopt, false};
    EXPECT_FALSE(check_pool_state(Verb::claim, Status::to_do, std::nullopt, offered, 9));
    EXPECT_FALSE(check_pool_state(Verb::claim, Status::overdue, std::nullopt, offered, 9));
    PoolState claimed = offered;
    claimed.claimed = true;
    std::optional<Refusal> r = check_pool_state(Verb::claim, Status::to_do, 4, claimed, 9);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, RefusalKind::wrong_state);
    EXPECT_EQ(r->message, "action 9 is already claimed");
    r = check_pool_state(Verb::claim, Status::to_do, 4, offered, 9);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->message, "action 9 is already assigned");
    r = check_pool_state(Verb::claim, Status::to_do, std::nullopt, PoolState{}, 9);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->message, "action 9 is not offered to a pool");
    r = check_pool_state(Verb::claim, Status::complete, std::nullopt, offered, 9);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, RefusalKind::wrong_state);
}

TEST(PoolState, Release) {
    PoolState claimed{true, true, std::nullopt, std::nullopt, false};
    EXPECT_FALSE(check_pool_state(Verb::release, Status::in_progress, 4, claimed, 9));
    ASSERT_TRUE(check_pool_state(Verb::release, Status::in_progress, std::nullopt, claimed, 9));
    EXPECT_EQ(check_pool_state(Verb::release, Status::in_progress, std::nullopt, claimed, 9)->message,
              "action 9 is not claimed");
    ASSERT_TRUE(check_pool_state(Verb::release, Status::in_progress, 4, PoolState{}, 9));
    PoolState delegated = claimed;
    delegated.delegation = Delegation::pending;
    delegated.delegated_by = 4;
    ASSERT_TRUE(check_pool_state(Verb::release, Status::in_progress, 5, delegated, 9));
    ASSERT_TRUE(check_pool_state(Verb::release, Status::cancelled, 4, claimed, 9));
}

TEST(PoolState, DelegationPendingThenResolved) {
    PoolState none;
    EXPECT_FALSE(check_pool_state(Verb::delegate, Status::to_do, 4, none, 9));
    EXPECT_EQ(check_pool_state(Verb::resolve, Status::to_do, 4, none, 9)->message, "action 9 is not delegated");
    PoolState pending{false, false, 4, Delegation::pending, false};
    EXPECT_EQ(check_pool_state(Verb::delegate, Status::to_do, 5, pending, 9)->message, "action 9 is already delegated");
    EXPECT_FALSE(check_pool_state(Verb::resolve, Status::in_progress, 5, pending, 9));
    std::optional<Refusal> r = check_pool_state(Verb::complete, Status::in_progress, 5, pending, 9);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, RefusalKind::wrong_state);
    EXPECT_NE(r->detail.find("returns to person 4"), std::string::npos);
    PoolState resolved{false, false, 4, Delegation::resolved, false};
    EXPECT_FALSE(check_pool_state(Verb::complete, Status::in_progress, 4, resolved, 9));
    EXPECT_FALSE(check_pool_state(Verb::delegate, Status::in_progress, 4, resolved, 9));
    EXPECT_TRUE(check_pool_state(Verb::resolve, Status::in_progress, 4, resolved, 9));
    EXPECT_TRUE(check_pool_state(Verb::resolve, Status::cancelled, 5, pending, 9));
    EXPECT_FALSE(check_pool_state(Verb::edit, Status::to_do, 5, pending, 9));
}

TEST(PoolState, ApprovalsAreNotOffered) {
    PoolState approval;
    approval.approval = true;
    ASSERT_TRUE(check_pool_state(Verb::offer, Status::to_do, std::nullopt, approval, 9));
    EXPECT_FALSE(check_pool_state(Verb::offer, Status::to_do, std::nullopt, PoolState{}, 9));
    EXPECT_TRUE(check_pool_state(Verb::offer, Status::complete, std::nullopt, PoolState{}, 9));
}

TEST(Delegates, ActiveOtherMembersOnly) {
    EXPECT_FALSE(check_delegate(1, 2, 10, true, true));
    std::optional<Refusal> self = check_delegate(1, 1, 10, true, true);
    ASSERT_TRUE(self);
    EXPECT_EQ(self->kind, RefusalKind::invalid_value);
    std::optional<Refusal> stranger = check_delegate(1, 3, 10, false, false);
    ASSERT_TRUE(stranger);
    EXPECT_EQ(stranger->kind, RefusalKind::invalid_value);
    EXPECT_EQ(stranger->message, "person 3 is not an active member of workspace 10");
    std::optional<Refusal> invited = check_delegate(1, 3, 10, false, true);
    ASSERT_TRUE(invited);
    EXPECT_NE(invited->detail, stranger->detail);
}

TEST(AssignmentMarkers, ChangeOnlyWithTheAssignee) {
    Assignment open{std::nullopt, false, std::nullopt, std::nullopt};
    Assignment claim{7, true, std::nullopt, std::nullopt};
    EXPECT_FALSE(check_assignment_write(open, claim));
    EXPECT_TRUE(settle_assignment(open, claim).claimed);
    // A claim of an assigned action, or markers changed alone: the log could not explain it.
    Assignment assigned{6, false, std::nullopt, std::nullopt};
    EXPECT_TRUE(check_assignment_write(assigned, claim));
    Assignment flagged{6, true, std::nullopt, std::nullopt};
    std::optional<Refusal> r = check_assignment_write(assigned, flagged);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, RefusalKind::not_permitted);
    Assignment self_delegated{6, false, 6, Delegation::pending};
    EXPECT_TRUE(check_assignment_write(assigned, self_delegated));
    // A reassignment of a claimed action ends the claim; of a delegated one, the delegation.
    Assignment reassigned{8, true, std::nullopt, std::nullopt};
    EXPECT_FALSE(check_assignment_write(claim, reassigned));
    EXPECT_FALSE(settle_assignment(claim, reassigned).claimed);
    Assignment pending{8, false, 7, Delegation::pending};
    Assignment moved{9, false, 7, Delegation::pending};
    Assignment settled = settle_assignment(pending, moved);
    EXPECT_FALSE(settled.delegation);
    EXPECT_FALSE(settled.delegated_by);
    // delegate and resolve change the markers with the assignee, and keep them.
    Assignment delegated = settle_assignment(assigned, Assignment{8, false, 6, Delegation::pending});
    EXPECT_EQ(delegated.delegation, Delegation::pending);
    EXPECT_EQ(delegated.delegated_by, 6);
    Assignment resolved = settle_assignment(delegated, Assignment{6, false, 6, Delegation::resolved});
    EXPECT_EQ(resolved.delegation, Delegation::resolved);
    EXPECT_EQ(resolved.assignee, 6);
    // Nothing changes: kept as it is.
    EXPECT_FALSE(check_assignment_write(pending, pending));
}

TEST(DelegationNames, RoundTrip) {
    for (std::string_view n : delegation_names()) EXPECT_EQ(delegation_name(*parse_delegation(n)), n);
    EXPECT_FALSE(parse_delegation("done"));
}

TEST(TemplatePool, TheRulePoolNeedsCandidatesAndAssignsNobody) {
    EXPECT_FALSE(check_assignee_rule("pool", false, std::nullopt, true));
    std::optional<Refusal> r = check_assignee_rule("pool", false, std::nullopt, false);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, RefusalKind::invalid_value);
    EXPECT_TRUE(check_assignee_rule("creator", false, std::nullopt, true));
    EXPECT_TRUE(check_assignee_rule("pool", true, std::nullopt, true));
    AssigneeFacts f;
    f.rule = AssigneeRule::pool;
    f.actor = 3;
    auto chosen = choose_assignee(f);
    ASSERT_TRUE(std::holds_alternative<std::optional<std::int64_t>>(chosen));
    EXPECT_FALSE(std::get<std::optional<std::int64_t>>(chosen));
    EXPECT_EQ(parse_assignee_rule("pool"), AssigneeRule::pool);
}

}  // namespace
}  // namespace pg_actions::core
