// Action types: system types, custom keys and labels, which types a new action may have.
#include <gtest/gtest.h>

#include "action_type.hpp"

namespace pg_actions::core {
namespace {

TEST(ActionType, SystemTypes) {
    for (const char* key : {"task", "approval", "review", "acknowledgement", "request", "acceptance"})
        EXPECT_TRUE(is_system_action_type(key)) << key;
    for (const char* key : {"", "Task", "acknowledgment", "meeting"}) EXPECT_FALSE(is_system_action_type(key)) << key;
    EXPECT_EQ(system_action_type_keys().size(), system_action_types().size());
}

TEST(ActionType, CustomKeys) {
    for (const std::string& ok : {std::string("attestation"), std::string("a"), std::string("matrix_review_2"),
                                  std::string(63, 'x')})
        EXPECT_FALSE(check_custom_type_key(ok)) << ok;
    for (const char* bad : {"", "Attestation", "2fa", "_x", "with space", "dash-ed", "é"}) {
        auto r = check_custom_type_key(bad);
        ASSERT_TRUE(r) << bad;
        EXPECT_EQ(r->kind, RefusalKind::invalid_value);
    }
    EXPECT_TRUE(check_custom_type_key(std::string(64, 'x')));
    auto system = check_custom_type_key("review");
    ASSERT_TRUE(system);
    EXPECT_EQ(system->message, "action type \"review\" is a system type");
}

TEST(ActionType, Labels) {
    EXPECT_FALSE(check_type_label("Annual attestation"));
    EXPECT_FALSE(check_type_label(std::string(100, 'l')));
    EXPECT_TRUE(check_type_label(std::string(101, 'l')));
    EXPECT_TRUE(check_type_label(std::nullopt));
    EXPECT_TRUE(check_type_label(" \t"));
}

TEST(ActionType, OnlyCustomTypesChange) {
    EXPECT_FALSE(check_type_changeable("attestation"));
    auto r = check_type_changeable("task");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, RefusalKind::invalid_value);
}

TEST(ActionType, WhatANewActionMayHave) {
    // System types need no lookup and are always usable.
    EXPECT_FALSE(check_type_for_new("task", std::nullopt));
    EXPECT_FALSE(check_type_for_new("attestation", TypeState{false}));
    auto unknown = check_type_for_new("attestation", std::nullopt);
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->kind, RefusalKind::invalid_value);
    EXPECT_EQ(unknown->message, "unknown action type \"attestation\"");
    auto retired = check_type_for_new("attestation", TypeState{true}, "templates");
    ASSERT_TRUE(retired);
    EXPECT_EQ(retired->kind, RefusalKind::wrong_state);
    EXPECT_EQ(retired->message, "action type \"attestation\" is retired");
    EXPECT_NE(retired->detail.find("templates cannot use it"), std::string::npos);
    EXPECT_NE(retired->hint.find("reinstate_action_type"), std::string::npos);
}

}  // namespace
}  // namespace pg_actions::core
