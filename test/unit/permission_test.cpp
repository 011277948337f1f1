#include <gtest/gtest.h>

#include <initializer_list>
#include <set>
#include <string>

#include "permission.hpp"

namespace pg_actions::core {
namespace {

using P = Permission;

constexpr Verb all_verbs[] = {Verb::view,       Verb::create,        Verb::assign,
                              Verb::reassign,   Verb::start,         Verb::complete,
                              Verb::uncomplete, Verb::cancel,        Verb::edit,
                              Verb::delete_action, Verb::create_record, Verb::archive_record};

Permissions grant(std::initializer_list<Permission> ps) {
    Permissions out;
    for (Permission p : ps) out.set(static_cast<std::size_t>(p));
    return out;
}

Facts member(Permissions granted) {
    Facts f;
    f.is_member = true;
    f.granted = granted;
    return f;
}

std::set<std::string> allowed_verbs(const Facts& f) {
    std::set<std::string> out;
    for (Verb v : all_verbs)
        if (!decide(v, f)) out.insert(std::string{verb_name(v)});
    return out;
}

const std::set<std::string> every_verb{"view",   "create", "assign",        "reassign",
                                       "start",  "complete", "uncomplete",  "cancel",
                                       "edit",   "delete", "create_record", "archive_record"};

TEST(Permission, NamesRoundTrip) {
    EXPECT_EQ(permission_name(P::view_actions), "view_actions");
    EXPECT_EQ(permission_name(P::delete_assigned_actions), "delete_assigned_actions");
    EXPECT_EQ(permission_name(P::manage_workspace), "manage_workspace");
    for (std::size_t i = 0; i < permission_count; ++i) {
        const auto p = static_cast<Permission>(i);
        EXPECT_EQ(parse_permission(permission_name(p)), p);
    }
    EXPECT_EQ(parse_permission("root"), std::nullopt);
    EXPECT_EQ(verb_name(Verb::delete_action), "delete");
    EXPECT_EQ(verb_name(Verb::archive_record), "archive_record");
    for (Verb v : all_verbs) EXPECT_EQ(parse_verb(verb_name(v)), v);
    EXPECT_EQ(parse_verb("delete_action"), std::nullopt);
}

TEST(Permission, FullSetAllowsEverything) {
    Permissions all;
    all.set();
    EXPECT_EQ(allowed_verbs(member(all)), every_verb);
}

TEST(Permission, AdministerAloneCoversActionVerbs) {
    const Facts f = member(grant({P::administer_actions}));
    EXPECT_EQ(allowed_verbs(f),
              (std::set<std::string>{"assign", "reassign", "start", "complete", "uncomplete",
                                     "cancel", "edit", "delete", "archive_record"}));
}

TEST(Permission, UserLikeRole) {
    Facts f = member(grant({P::view_actions, P::create_actions, P::assign_actions,
                            P::edit_own_actions, P::delete_own_actions}));
    EXPECT_EQ(allowed_verbs(f), (std::set<std::string>{"view", "create", "assign", "create_record"}));
    f.is_owner = true;
    EXPECT_EQ(allowed_verbs(f), (std::set<std::string>{"view", "create", "assign", "cancel", "edit",
                                                       "delete", "create_record"}));
}

TEST(Permission, ActionsAccessAssignee) {
    Facts f = member(grant({P::view_actions}));
    f.is_assignee = true;
    EXPECT_EQ(allowed_verbs(f), (std::set<std::string>{"view", "start", "complete"}));
    f.completed_by_actor = true;
    EXPECT_EQ(allowed_verbs(f), (std::set<std::string>{"view", "start", "complete", "uncomplete"}));
}

TEST(Permission, ActionsAccessNotAssignee) {
    Facts f = member(grant({P::view_actions}));
    EXPECT_EQ(allowed_verbs(f), (std::set<std::string>{"view"}));
    // Having completed it once does not help after it was given to someone else.
    f.completed_by_actor = true;
    EXPECT_EQ(allowed_verbs(f), (std::set<std::string>{"view"}));
}

TEST(Permission, AssigneeMayNotReassign) {
    Facts f = member(grant({P::view_actions}));
    f.is_assignee = true;
    const auto r = decide(Verb::reassign, f);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, RefusalKind::not_permitted);
    EXPECT_EQ(r->message, "permission denied to reassign action");
    EXPECT_EQ(r->detail,
              "reassigning needs the reassign_actions or administer_actions permission; your role "
              "grants neither");
    EXPECT_EQ(r->hint,
              "ask a workspace owner or manager to reassign it, or to grant your role reassign_actions");
}

TEST(Permission, InquiryReadsOnly) {
    const Facts f = member(grant({P::view_actions}));
    EXPECT_EQ(allowed_verbs(f), (std::set<std::string>{"view"}));
    const auto r = decide(Verb::assign, f);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->message, "permission denied to assign action");
}

TEST(Permission, NonMemberIsRefusedEverything) {
    Facts f;
    f.granted.set();
    f.is_owner = true;
    f.is_assignee = true;
    f.completed_by_actor = true;
    EXPECT_TRUE(allowed_verbs(f).empty());
    const auto r = decide(Verb::view, f);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, RefusalKind::not_permitted);
    EXPECT_NE(r->message.find("not a member of this workspace"), std::string::npos);
    EXPECT_NE(r->hint.find("add you to the workspace"), std::string::npos);
}

TEST(Permission, ViewByOwnershipOrAssignment) {
    Facts f = member({});
    EXPECT_TRUE(decide(Verb::view, f));
    f.is_owner = true;
    EXPECT_FALSE(decide(Verb::view, f));
    f.is_owner = false;
    f.is_assignee = true;
    EXPECT_FALSE(decide(Verb::view, f));
}

TEST(Permission, SinglePermissionRules) {
    EXPECT_FALSE(decide(Verb::assign, member(grant({P::reassign_actions}))));
    EXPECT_FALSE(decide(Verb::complete, member(grant({P::reassign_actions}))));
    EXPECT_TRUE(decide(Verb::start, member(grant({P::reassign_actions}))));
    EXPECT_FALSE(decide(Verb::start, member(grant({P::complete_any_actions}))));
    EXPECT_FALSE(decide(Verb::complete, member(grant({P::complete_any_actions}))));
    EXPECT_TRUE(decide(Verb::reassign, member(grant({P::assign_actions}))));
    EXPECT_FALSE(decide(Verb::archive_record, member(grant({P::edit_actions}))));
    EXPECT_TRUE(decide(Verb::archive_record, member(grant({P::create_actions}))));
    EXPECT_FALSE(decide(Verb::create_record, member(grant({P::create_actions}))));
    EXPECT_FALSE(decide(Verb::delete_action, member(grant({P::delete_actions}))));

    Facts completer = member(grant({P::complete_any_actions}));
    EXPECT_TRUE(decide(Verb::uncomplete, completer));
    completer.completed_by_actor = true;
    EXPECT_FALSE(decide(Verb::uncomplete, completer));

    Facts assignee = member(grant({P::delete_assigned_actions}));
    EXPECT_TRUE(decide(Verb::delete_action, assignee));
    assignee.is_assignee = true;
    EXPECT_FALSE(decide(Verb::delete_action, assignee));

    Facts owner = member(grant({P::edit_own_actions}));
    EXPECT_TRUE(decide(Verb::cancel, owner));
    owner.is_owner = true;
    EXPECT_FALSE(decide(Verb::cancel, owner));
    EXPECT_FALSE(decide(Verb::edit, owner));
    EXPECT_TRUE(decide(Verb::delete_action, owner));
}

TEST(Permission, EveryRefusalExplainsItself) {
    const Facts nobody = member({});
    for (Verb v : all_verbs) {
        const auto r = decide(v, nobody);
        ASSERT_TRUE(r) << verb_name(v);
        EXPECT_EQ(r->message.rfind("permission denied to ", 0), 0u) << verb_name(v);
        EXPECT_FALSE(r->detail.empty()) << verb_name(v);
        EXPECT_FALSE(r->hint.empty()) << verb_name(v);
        EXPECT_NE(r->message.back(), '.');
    }
}

TEST(Permission, HiddenReadsAsMissing) {
    Facts stranger;  // not a member: sees nothing
    auto hidden = refusal_for(Verb::complete, stranger, Target::action, 42);
    ASSERT_TRUE(hidden);
    Refusal missing = not_found(Target::action, 42);
    EXPECT_EQ(hidden->kind, RefusalKind::not_found);
    EXPECT_EQ(hidden->message, missing.message);
    EXPECT_EQ(hidden->detail, missing.detail);
    EXPECT_EQ(hidden->hint, missing.hint);
    EXPECT_EQ(missing.message, "action 42 not found");
    EXPECT_EQ(not_found(Target::record, 7).message, "record 7 not found");
    // A member who sees the action but may not complete it is told so.
    Facts viewer;
    viewer.is_member = true;
    viewer.granted.set(static_cast<std::size_t>(Permission::view_actions));
    auto refused = refusal_for(Verb::complete, viewer, Target::action, 42);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->kind, RefusalKind::not_permitted);
}

}  // namespace
TEST(Permission, HoldsCountsGroupScopeOnlyInScope) {
    Facts f = member(grant({P::reassign_actions}));
    EXPECT_TRUE(holds(P::reassign_actions, f));
    EXPECT_FALSE(holds(P::administer_actions, f));
    f.group_granted.set(static_cast<std::size_t>(P::administer_actions));
    EXPECT_FALSE(holds(P::administer_actions, f));
    f.in_group_scope = true;
    EXPECT_TRUE(holds(P::administer_actions, f));
    f.is_member = false;
    EXPECT_FALSE(holds(P::reassign_actions, f));
}

}  // namespace pg_actions::core
