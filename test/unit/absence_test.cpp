// Out-of-office rules: declarations, where new assignments go, and the substitute's standing.
#include <gtest/gtest.h>

#include "absence.hpp"
#include "permission.hpp"

namespace pg_actions::core {
namespace {

AbsenceRequest request() {
    AbsenceRequest r;
    r.person_id = 1;
    r.substitute_id = 2;
    r.period = {100, 200};
    r.now = 50;
    r.substitute_active = true;
    return r;
}

TEST(Absence, VisibleToTheAbsentTheSubstituteAndViewersOfTheWorkspace) {
    Facts member;
    member.is_member = true;
    EXPECT_TRUE(absence_visible(member, 1, 1, 2));   // the absent member
    EXPECT_TRUE(absence_visible(member, 2, 1, 2));   // the substitute
    EXPECT_FALSE(absence_visible(member, 3, 1, 2));  // another member
    Facts viewer = member;
    viewer.granted.set(static_cast<std::size_t>(Permission::view_actions));
    EXPECT_TRUE(absence_visible(viewer, 3, 1, 2));
    Facts scoped = member;
    scoped.group_granted.set(static_cast<std::size_t>(Permission::view_actions));
    EXPECT_FALSE(absence_visible(scoped, 3, 1, 2));  // view_actions for some groups only
    Facts gone = viewer;
    gone.is_member = false;
    EXPECT_FALSE(absence_visible(gone, 1, 1, 2));    // not an active member: sees none
}

// substituted_members(): under way now (from starts_at inclusive to ends_at exclusive) and the
// substitute an active member of the workspace.
TEST(Absence, StandsInWhileUnderWayAndActive) {
    AbsencePeriod p{100, 200};
    EXPECT_TRUE(stands_in(p, 100, MemberState::active));
    EXPECT_TRUE(stands_in(p, 199, MemberState::active));
    EXPECT_FALSE(stands_in(p, 99, MemberState::active));   // not begun
    EXPECT_FALSE(stands_in(p, 200, MemberState::active));  // ended
    EXPECT_FALSE(stands_in(p, 150, MemberState::invited));
    EXPECT_FALSE(stands_in(p, 150, MemberState::removed));
    EXPECT_FALSE(stands_in(p, 150, std::nullopt));  // not a member
}

TEST(Absence, AValidDeclarationPasses) { EXPECT_FALSE(check_absence(request())); }

TEST(Absence, EndsBeforeItStarts) {
    AbsenceRequest r = request();
    r.period = {200, 100};
    auto refusal = check_absence(r);
    ASSERT_TRUE(refusal);
    EXPECT_EQ(refusal->kind, RefusalKind::invalid_value);
    EXPECT_EQ(refusal->message, "the absence ends before it starts");
    r.period = {100, 100};
    EXPECT_TRUE(check_absence(r)) << "an empty absence is refused too";
}

TEST(Absence, OverAlready) {
    AbsenceRequest r = request();
    r.now = 200;
    ASSERT_TRUE(check_absence(r));
    EXPECT_EQ(check_absence(r)->message, "the absence is over already");
    r.now = 150;
    EXPECT_FALSE(check_absence(r)) << "an absence that has begun may still be declared";
}

TEST(Absence, SubstituteIsSelfOrNotActive) {
    AbsenceRequest r = request();
    r.substitute_id = 1;
    ASSERT_TRUE(check_absence(r));
    EXPECT_EQ(check_absence(r)->message, "a member cannot be their own substitute");
    r = request();
    r.substitute_active = false;
    ASSERT_TRUE(check_absence(r));
    EXPECT_EQ(check_absence(r)->message, "person 2 cannot be a substitute");
}

TEST(Absence, Overlap) {
    AbsenceRequest r = request();
    r.existing = {{7, {200, 300}}};  // touching: no overlap (ends are exclusive)
    EXPECT_FALSE(check_absence(r));
    r.existing = {{7, {200, 300}}, {8, {150, 160}}};
    ASSERT_TRUE(check_absence(r));
    EXPECT_EQ(check_absence(r)->message, "the absence overlaps absence 8 of person 1");
}

TEST(Absence, PeriodsAreHalfOpen) {
    AbsencePeriod p{10, 20};
    EXPECT_TRUE(contains(p, 10));
    EXPECT_TRUE(contains(p, 19));
    EXPECT_FALSE(contains(p, 20));
    EXPECT_FALSE(contains(p, 9));
}

TEST(Absence, RoutingToTheSubstitute) {
    Routed r = route_assignment(1, 9, AbsenceNow{2, true}, AbsenceRouting::substitute);
    EXPECT_EQ(r.assignee, 2);
    EXPECT_EQ(r.instead_of, 1);
    EXPECT_FALSE(r.notify_substitute);
}

TEST(Absence, RoutingToBoth) {
    Routed r = route_assignment(1, 9, AbsenceNow{2, true}, AbsenceRouting::both);
    EXPECT_EQ(r.assignee, 1);
    EXPECT_FALSE(r.instead_of);
    EXPECT_EQ(r.notify_substitute, 2);
}

TEST(Absence, NoRoutingWithoutAnAbsenceOrForAnAbsentMemberAtWork) {
    EXPECT_EQ(route_assignment(1, 9, std::nullopt, AbsenceRouting::substitute).assignee, 1);
    EXPECT_EQ(route_assignment(1, 1, AbsenceNow{2, true}, AbsenceRouting::substitute).assignee, 1)
        << "assigning oneself while absent";
    Routed inactive = route_assignment(1, 9, AbsenceNow{2, false}, AbsenceRouting::substitute);
    EXPECT_EQ(inactive.assignee, 1) << "a substitute who may not act gets nothing";
    EXPECT_FALSE(inactive.instead_of);
    EXPECT_FALSE(route_assignment(1, std::nullopt, AbsenceNow{2, false}, AbsenceRouting::both).notify_substitute);
}

Facts substitute() {
    Facts f;
    f.is_member = true;  // actions_access: no permission of its own
    f.is_substitute = true;
    return f;
}

TEST(Absence, TheSubstituteMayDoWhatTheAssigneeMay) {
    Facts f = substitute();
    EXPECT_FALSE(decide(Verb::view, f));
    EXPECT_FALSE(decide(Verb::start, f));
    EXPECT_FALSE(decide(Verb::complete, f));
    EXPECT_TRUE(decide(Verb::reassign, f)) << "the assignee may not hand work on, nor may the substitute";
    EXPECT_TRUE(decide(Verb::edit, f));
    EXPECT_TRUE(decide(Verb::uncomplete, f));
    f.completed_by_actor = true;
    EXPECT_FALSE(decide(Verb::uncomplete, f)) << "their own completion";
    f.is_substitute = false;
    EXPECT_TRUE(decide(Verb::complete, f)) << "the absence over: nothing";
    EXPECT_TRUE(decide(Verb::view, f));
}

TEST(Absence, ARemovedSubstituteMayNothing) {
    Facts f = substitute();
    f.is_member = false;
    EXPECT_TRUE(decide(Verb::view, f));
    EXPECT_TRUE(decide(Verb::complete, f));
}

TEST(Absence, ActsForTheAssignee) {
    Facts f = substitute();
    EXPECT_TRUE(acts_for_assignee(Verb::complete, f));
    EXPECT_FALSE(acts_for_assignee(Verb::view, f));
    f.is_assignee = true;
    EXPECT_FALSE(acts_for_assignee(Verb::complete, f)) << "their own action";
    f = substitute();
    f.is_substitute = false;
    EXPECT_FALSE(acts_for_assignee(Verb::complete, f));
}

TEST(Absence, DetailWithPerson) {
    EXPECT_EQ(with_person(std::nullopt, "acting_for", 4), "{\"acting_for\":4}");
    EXPECT_EQ(with_person(std::string("{}"), "acting_for", 4), "{\"acting_for\":4}");
    EXPECT_EQ(with_person(std::string("{\"reason\": \"x\"}"), "instead_of", 12),
              "{\"instead_of\":12,\"reason\": \"x\"}");
}

TEST(Absence, RoutingNames) {
    EXPECT_EQ(parse_absence_routing("both"), AbsenceRouting::both);
    EXPECT_EQ(absence_routing_name(AbsenceRouting::substitute), "substitute");
    EXPECT_FALSE(parse_absence_routing("either"));
}

}  // namespace
}  // namespace pg_actions::core
