#include <gtest/gtest.h>

#include "role_rules.hpp"

namespace pg_actions::core {
namespace {

TEST(RoleRules, PermissionCodesComeFromTheCatalog) {
    EXPECT_FALSE(check_permission_codes({}));
    EXPECT_FALSE(check_permission_codes({"view_actions", "approve_delegations"}));
    auto r = check_permission_codes({"view_actions", "fly"});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, RefusalKind::invalid_value);
    EXPECT_EQ(r->message, "unknown permission \"fly\"");
}

TEST(RoleRules, Names) {
    EXPECT_TRUE(check_role_name(std::nullopt));
    EXPECT_TRUE(check_role_name("  "));
    EXPECT_FALSE(check_role_name("reviewer"));
    EXPECT_EQ(check_role_name(std::string(101, 'r'))->message, "role name is too long");
}

TEST(RoleRules, SystemRolesStayAndHeldRolesAreNotDeleted) {
    EXPECT_FALSE(check_role_change(RoleChange::update, "reviewer", false, 3));
    EXPECT_FALSE(check_role_change(RoleChange::remove, "reviewer", false, 0));
    EXPECT_EQ(check_role_change(RoleChange::remove, "reviewer", false, 2)->message,
              "role \"reviewer\" is still held by 2 members");
    EXPECT_EQ(check_role_change(RoleChange::remove, "reviewer", false, 1)->message,
              "role \"reviewer\" is still held by 1 member");
    auto sys = check_role_change(RoleChange::update, "actions_access", true, 0);
    ASSERT_TRUE(sys);
    EXPECT_EQ(sys->kind, RefusalKind::wrong_state);
    EXPECT_EQ(sys->message, "role \"actions_access\" is a system role and cannot be changed");
    EXPECT_EQ(check_role_change(RoleChange::remove, "owner", true, 0)->message,
              "role \"owner\" is a system role and cannot be deleted");
}

TEST(RoleRules, LastActiveOwnerIsKept) {
    auto r = check_owner_kept(true, false, 0, 7);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, RefusalKind::wrong_state);
    EXPECT_EQ(r->message, "cannot take the owner role from the last owner of workspace 7");
    EXPECT_FALSE(check_owner_kept(true, false, 1, 7));   // another owner remains
    EXPECT_FALSE(check_owner_kept(true, true, 0, 7));    // stays an active owner
    EXPECT_FALSE(check_owner_kept(false, false, 0, 7));  // was no active owner
}

}  // namespace
}  // namespace pg_actions::core
