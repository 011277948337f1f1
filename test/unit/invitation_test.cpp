#include <gtest/gtest.h>

#include "invitation.hpp"

namespace pg_actions::core {
namespace {

constexpr std::int64_t now = 1'000'000'000;

TEST(Invitation, PendingOneIsReused) {
    EXPECT_TRUE(reuse_invitation(true, false, now + 1, now));
    EXPECT_FALSE(reuse_invitation(false, false, now + 1, now));  // none yet
    EXPECT_FALSE(reuse_invitation(true, true, now + 1, now));    // accepted: a new one
    EXPECT_FALSE(reuse_invitation(true, false, now, now));       // expired at this instant
}

TEST(Invitation, Acceptance) {
    EXPECT_FALSE(check_acceptance(false, now + 1, now));
    auto expired = check_acceptance(false, now, now);
    ASSERT_TRUE(expired);
    EXPECT_EQ(expired->kind, RefusalKind::wrong_state);
    EXPECT_EQ(expired->message, "invitation has expired");
    EXPECT_EQ(expired->detail, "invitations are valid for 14 days");
    auto twice = check_acceptance(true, now + 1, now);
    ASSERT_TRUE(twice);
    EXPECT_EQ(twice->message, "invitation was already accepted");
}

TEST(Invitation, ValidForFourteenDays) { EXPECT_EQ(invitation_valid_us, 1'209'600'000'000LL); }

}  // namespace
}  // namespace pg_actions::core
