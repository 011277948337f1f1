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

TEST(Member, RemovedMembersAreNotInvitedBack) {
    EXPECT_TRUE(may_be_invited(std::nullopt));
    EXPECT_TRUE(may_be_invited(MemberState::invited));
    EXPECT_TRUE(may_be_invited(MemberState::active));
    EXPECT_FALSE(may_be_invited(MemberState::removed));
}

}  // namespace
}  // namespace pg_actions::core
