// Escalation rules of overdue actions: checks, when a rule is due, the log entry.
#include <gtest/gtest.h>

#include "escalation.hpp"

namespace pg_actions::core {
namespace {

constexpr std::int64_t day = 24LL * 3600 * 1000000;

RuleRequest rule(Escalate e) {
    RuleRequest r;
    r.after_days = 2;
    r.escalate = e;
    r.escalate_text = std::string(escalate_name(e));
    return r;
}

TEST(Escalation, ValidRules) {
    EXPECT_FALSE(check_rule(rule(Escalate::notify_owner)));
    RuleRequest r = rule(Escalate::notify_role);
    r.role_name = "manager";
    r.role_exists = true;
    EXPECT_FALSE(check_rule(r));
    r = rule(Escalate::reassign);
    r.person_id = 5;
    r.person_active = true;
    EXPECT_FALSE(check_rule(r));
}

TEST(Escalation, BadRules) {
    RuleRequest r = rule(Escalate::notify_owner);
    r.escalate.reset();
    r.escalate_text = "email_everyone";
    ASSERT_TRUE(check_rule(r));
    EXPECT_EQ(check_rule(r)->message, "unknown escalation \"email_everyone\"");
    r = rule(Escalate::notify_owner);
    r.after_days = -1;
    EXPECT_TRUE(check_rule(r));
    r.after_days = max_escalation_days + 1;
    EXPECT_TRUE(check_rule(r));
    r = rule(Escalate::notify_role);
    EXPECT_EQ(check_rule(r)->message, "notify_role needs a role_name");
    r.role_name = "ghosts";
    EXPECT_EQ(check_rule(r)->message, "role \"ghosts\" not found in the workspace");
    r = rule(Escalate::notify_owner);
    r.person_id = 3;
    EXPECT_EQ(check_rule(r)->message, "person_id is only for reassign");
    r = rule(Escalate::reassign);
    r.person_id = 3;
    EXPECT_EQ(check_rule(r)->message, "person 3 is not an active member of the workspace");
    EXPECT_EQ(check_rule(r)->kind, RefusalKind::invalid_value);
}

TEST(Escalation, PoolRules) {
    RuleRequest r = rule(Escalate::reassign_pool);
    EXPECT_EQ(check_rule(r)->message, "reassign_pool needs a role_name or a group_id, not both");
    r.group_id = 4;
    EXPECT_EQ(check_rule(r)->kind, RefusalKind::not_found) << "a group of another workspace";
    r.group_exists = true;
    EXPECT_FALSE(check_rule(r));
    r.role_name = "manager";
    r.role_exists = true;
    EXPECT_EQ(check_rule(r)->message, "reassign_pool needs a role_name or a group_id, not both");
    r.group_id.reset();
    EXPECT_FALSE(check_rule(r)) << "a role as the pool";
    RuleRequest owner = rule(Escalate::notify_owner);
    owner.group_id = 4;
    owner.group_exists = true;
    EXPECT_EQ(check_rule(owner)->message, "group_id is only for reassign_pool");
    Firing f{9, 2, Escalate::reassign_pool, 0, {}, std::nullopt, std::nullopt, std::nullopt, 4, 3};
    EXPECT_NE(escalation_change(f).detail_json->find("\"group_id\":4,\"candidates\":3}"), std::string::npos);
    EXPECT_EQ(escalate_names().back(), "reassign_pool");
}

TEST(Escalation, DueAfterDays) {
    EXPECT_FALSE(rule_due(0, 2, 2 * day - 1));
    EXPECT_TRUE(rule_due(0, 2, 2 * day));
    EXPECT_TRUE(rule_due(0, 0, 0)) << "after 0 days: as soon as overdue";
}

TEST(Escalation, LogEntry) {
    Firing f{7, 1, Escalate::notify_role, 0, {3, 4}, std::string("manager"), std::nullopt, std::nullopt, std::nullopt, std::nullopt};
    Change c = escalation_change(f);
    EXPECT_EQ(c.event, "escalated");
    EXPECT_EQ(c.new_value, "7");
    EXPECT_EQ(*c.detail_json,
              "{\"rule_id\":7,\"after_days\":1,\"escalate\":\"notify_role\",\"due_at\":\"2000-01-01T00:00:00.000000Z\","
              "\"role\":\"manager\",\"notified\":[3,4]}");
    Firing r{8, 3, Escalate::reassign, 0, {}, std::nullopt, 6, 5, std::nullopt, std::nullopt};
    EXPECT_NE(escalation_change(r).detail_json->find("\"person_id\":5,\"reassigned_to\":6"), std::string::npos);
}

}  // namespace
}  // namespace pg_actions::core
