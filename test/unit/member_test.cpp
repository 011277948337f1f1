#include <gtest/gtest.h>

#include "member.hpp"

namespace pg_actions::core {
namespace {

TEST(Member, StatesParse) {
    EXPECT_EQ(parse_member_state("invited"), MemberState::invited);
    EXPECT_EQ(parse_member_state("active"), MemberState::active);
    EXPECT_EQ(parse_member_state("removed"), MemberState::removed);
    EXPECT_EQ(parse_member_state("Active"), std::nullopt);
}

TEST(Member, OnlyActiveMembersAct) {
    EXPECT_TRUE(may_act(MemberState::active));
    EXPECT_FALSE(may_act(MemberState::invited));  // acts once the invitation is accepted
    EXPECT_FALSE(may_act(MemberState::removed));
    EXPECT_FALSE(may_act(std::nullopt));
}

TEST(Member, InvitedAndActiveMembersMayBeNamed) {
    EXPECT_TRUE(may_be_named(MemberState::active));
    EXPECT_TRUE(may_be_named(MemberState::invited));
    EXPECT_FALSE(may_be_named(MemberState::removed));
    EXPECT_FALSE(may_be_named(std::nullopt));
}

// add_member(): a new, invited, active or removed member ends up active (a removed one comes back).
TEST(Member, AddMakesActive) {
    EXPECT_EQ(state_after_add(std::nullopt), MemberState::active);
    EXPECT_EQ(state_after_add(MemberState::invited), MemberState::active);
    EXPECT_EQ(state_after_add(MemberState::active), MemberState::active);
    EXPECT_EQ(state_after_add(MemberState::removed), MemberState::active);
}

TEST(Member, RemovedMembersAreNotInvitedBack) {
    EXPECT_TRUE(may_be_invited(std::nullopt));
    EXPECT_TRUE(may_be_invited(MemberState::invited));
    EXPECT_TRUE(may_be_invited(MemberState::active));
    EXPECT_FALSE(may_be_invited(MemberState::removed));
}

}  // namespace
}  // namespace pg_actions::core
