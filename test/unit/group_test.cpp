#include <gtest/gtest.h>

#include <vector>

#include "group.hpp"
#include "permission.hpp"

namespace pg_actions::core {
namespace {

// A tree: 1 > 2 > 3 > 4, and 5 > 6 beside it.
const GroupPath p1{1}, p2{1, 2}, p3{1, 2, 3}, p4{1, 2, 3, 4}, p5{5}, p6{5, 6};

bool within(std::vector<GroupPath> targets, std::vector<std::int64_t> mine) {
    return within_groups(targets, mine);
}

TEST(Group, ScopeCoversTheMembersGroupsAndEverythingBelow) {
    EXPECT_TRUE(within({p2}, {2}));
    EXPECT_TRUE(within({p4}, {2}));  // two levels down
    EXPECT_FALSE(within({p1}, {2}));  // a parent is not covered
    EXPECT_FALSE(within({p6}, {2}));  // another tree
    EXPECT_TRUE(within({p6, p3}, {2}));  // one covered group is enough
    EXPECT_TRUE(within({p6}, {3, 5}));
    EXPECT_FALSE(within({}, {1, 2, 3}));  // a target in no group is in nobody's group scope
    EXPECT_FALSE(within({p4}, {}));
}

TEST(Group, PathUnderAParent) {
    EXPECT_EQ(path_under(p3, 9), (GroupPath{1, 2, 3, 9}));
    EXPECT_EQ(path_under({}, 9), (GroupPath{9}));
}

TEST(Group, NoCycles) {
    auto self = check_parent(3, p3, 0);
    ASSERT_TRUE(self);
    EXPECT_EQ(self->kind, RefusalKind::invalid_value);
    EXPECT_NE(self->message.find("its own parent"), std::string::npos);
    auto below = check_parent(2, p4, 2);
    ASSERT_TRUE(below);
    EXPECT_EQ(below->kind, RefusalKind::invalid_value);
    EXPECT_NE(below->message.find("inside it"), std::string::npos);
    EXPECT_FALSE(check_parent(2, p6, 2));  // to another tree
    EXPECT_FALSE(check_parent(4, {}, 0));  // to the top level
}

TEST(Group, DepthIsBounded) {
    GroupPath deep;
    for (std::int64_t i = 1; i < static_cast<std::int64_t>(max_group_depth); ++i) deep.push_back(100 + i);
    EXPECT_FALSE(check_parent(7, deep, 0));  // lands exactly at the limit
    EXPECT_TRUE(check_parent(7, deep, 1));   // its subtree would go past it
}

TEST(Group, Names) {
    EXPECT_TRUE(check_group_name(std::nullopt));
    EXPECT_TRUE(check_group_name("  "));
    EXPECT_TRUE(check_group_name(std::string(201, 'x')));
    EXPECT_FALSE(check_group_name("Finance"));
}

TEST(Group, GroupListsAreSortedWithoutRepeats) {
    std::vector<std::int64_t> ids{3, 3, 2, 9, 2};
    EXPECT_FALSE(normalize_groups(ids, false));
    EXPECT_EQ(ids, (std::vector<std::int64_t>{2, 3, 9}));
    std::vector<std::int64_t> with_null{1};
    auto r = normalize_groups(with_null, true);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, RefusalKind::invalid_value);
}

TEST(Grant, ParsesScope) {
    auto all = parse_grant("view_actions");
    ASSERT_TRUE(all);
    EXPECT_EQ(all->permission, Permission::view_actions);
    EXPECT_EQ(all->scope, Scope::all);
    auto explicit_all = parse_grant("view_actions:all");
    ASSERT_TRUE(explicit_all);
    EXPECT_EQ(explicit_all->scope, Scope::all);
    auto groups = parse_grant("approve_delegations:groups");
    ASSERT_TRUE(groups);
    EXPECT_EQ(groups->permission, Permission::approve_delegations);
    EXPECT_EQ(groups->scope, Scope::groups);
    EXPECT_FALSE(parse_grant("view_actions:team"));
    EXPECT_FALSE(parse_grant("fly:groups"));
    EXPECT_FALSE(parse_grant(":groups"));
}

Facts scoped(std::initializer_list<Permission> ps, bool in_scope) {
    Facts f;
    f.is_member = true;
    for (Permission p : ps) f.group_granted.set(static_cast<std::size_t>(p));
    f.in_group_scope = in_scope;
    return f;
}

TEST(Grant, GroupScopedGrantsCountOnlyInScope) {
    EXPECT_FALSE(decide(Verb::complete, scoped({Permission::complete_any_actions}, true)));
    auto out = decide(Verb::complete, scoped({Permission::complete_any_actions}, false));
    ASSERT_TRUE(out);
    EXPECT_EQ(out->kind, RefusalKind::not_permitted);
    EXPECT_NE(out->message.find("outside your groups"), std::string::npos);
    // Without the permission at all, the usual wording.
    auto none = decide(Verb::complete, scoped({Permission::view_actions}, true));
    ASSERT_TRUE(none);
    EXPECT_EQ(none->message.find("outside your groups"), std::string::npos);
}

TEST(Grant, RoleWideGrantsIgnoreGroups) {
    Facts f = scoped({}, false);
    f.granted.set(static_cast<std::size_t>(Permission::complete_any_actions));
    EXPECT_FALSE(decide(Verb::complete, f));
    EXPECT_FALSE(scope_matters(Verb::complete, f));
}

TEST(Grant, ScopeMattersOnlyWhenAScopedGrantCouldDecide) {
    EXPECT_TRUE(scope_matters(Verb::view, scoped({Permission::view_actions}, false)));
    EXPECT_FALSE(scope_matters(Verb::reassign, scoped({Permission::view_actions}, false)));
    Facts assignee = scoped({Permission::complete_any_actions}, false);
    assignee.is_assignee = true;  // allowed anyway
    EXPECT_FALSE(scope_matters(Verb::complete, assignee));
    Facts outsider = scoped({Permission::view_actions}, true);
    outsider.is_member = false;
    EXPECT_FALSE(scope_matters(Verb::view, outsider));
    EXPECT_TRUE(decide(Verb::view, outsider));
}

}  // namespace
}  // namespace pg_actions::core
