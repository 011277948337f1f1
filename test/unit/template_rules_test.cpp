// Template rules: names, due rules, assignee rules, placeholders checked and filled.
#include <gtest/gtest.h>

#include "catalog.hpp"
#include "template_rules.hpp"

namespace pg_actions::core {
namespace {

PlaceholderValues values() {
    PlaceholderValues v;
    v[static_cast<std::size_t>(Placeholder::workspace)] = "Acme";
    v[static_cast<std::size_t>(Placeholder::record_title)] = "Policy 7";
    v[static_cast<std::size_t>(Placeholder::record_kind)] = "document";
    v[static_cast<std::size_t>(Placeholder::due_date)] = "2027-01-31";
    v[static_cast<std::size_t>(Placeholder::creator)] = "Ann";
    v[static_cast<std::size_t>(Placeholder::created_on)] = "2027-01-01";
    return v;
}

std::string filled(std::string_view text, const PlaceholderValues& v = values()) {
    auto r = fill_placeholders("title", text, v);
    if (auto* refusal = std::get_if<Refusal>(&r)) return "refused: " + refusal->message;
    return std::get<std::string>(r);
}

TEST(TemplateRules, Names) {
    EXPECT_FALSE(check_template_name("Annual attestation"));
    EXPECT_TRUE(check_template_name(std::nullopt));
    EXPECT_TRUE(check_template_name("  "));
    EXPECT_FALSE(check_template_name(std::string(200, 'n')));
    EXPECT_TRUE(check_template_name(std::string(201, 'n')));
}

TEST(TemplateRules, DueRule) {
    EXPECT_FALSE(check_due_rule(std::nullopt, "calendar_days"));
    EXPECT_FALSE(check_due_rule(0, "calendar_days"));
    EXPECT_FALSE(check_due_rule(max_due_in, "calendar_days"));
    auto negative = check_due_rule(-1, "calendar_days");
    ASSERT_TRUE(negative);
    EXPECT_EQ(negative->kind, RefusalKind::invalid_value);
    EXPECT_EQ(negative->message, "due_in must not be negative");
    EXPECT_TRUE(check_due_rule(max_due_in + 1, "calendar_days"));
    EXPECT_FALSE(check_due_rule(5, "working_days"));
    auto unknown = check_due_rule(5, "days");
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->message, "unknown due unit \"days\"");
    EXPECT_NE(unknown->hint.find("working_days"), std::string::npos);
    EXPECT_TRUE(check_due_rule(std::nullopt, "days"));
    EXPECT_EQ(due_unit_names(), (std::vector<std::string_view>{"calendar_days", "working_days"}));
}

TEST(TemplateRules, AssigneeRule) {
    EXPECT_FALSE(check_assignee_rule("none", false, std::nullopt));
    EXPECT_FALSE(check_assignee_rule("creator", false, std::nullopt));
    EXPECT_FALSE(check_assignee_rule("person", true, std::nullopt));
    EXPECT_FALSE(check_assignee_rule("record_party", false, "owner"));
    EXPECT_FALSE(check_assignee_rule("record_party", false, "responsible"));
    EXPECT_TRUE(check_assignee_rule("person", false, std::nullopt));
    EXPECT_TRUE(check_assignee_rule("creator", true, std::nullopt));
    EXPECT_TRUE(check_assignee_rule("record_party", false, std::nullopt));
    EXPECT_TRUE(check_assignee_rule("record_party", false, "informed"));
    EXPECT_TRUE(check_assignee_rule("none", false, "owner"));
    // The rule pool needs candidates (the pools part; pool_test.cpp tests it further); a name
    // outside the list is unknown.
    auto pool = check_assignee_rule("pool", false, std::nullopt);
    ASSERT_TRUE(pool);
    EXPECT_EQ(pool->message, "assignee rule pool needs candidates");
    auto queue = check_assignee_rule("queue", false, std::nullopt);
    ASSERT_TRUE(queue);
    EXPECT_EQ(queue->message, "unknown assignee rule \"queue\"");
}

TEST(TemplateRules, ChooseAssignee) {
    AssigneeFacts f;
    f.actor = 7;
    f.person = 9;
    auto none = choose_assignee(f);
    EXPECT_EQ(std::get<std::optional<std::int64_t>>(none), std::nullopt);
    f.rule = AssigneeRule::person;
    EXPECT_EQ(std::get<std::optional<std::int64_t>>(choose_assignee(f)), 9);
    f.rule = AssigneeRule::creator;
    EXPECT_EQ(std::get<std::optional<std::int64_t>>(choose_assignee(f)), 7);
    f.rule = AssigneeRule::record_party;
    f.capacity = "responsible";
    auto no_record = choose_assignee(f);
    ASSERT_TRUE(std::holds_alternative<Refusal>(no_record));
    EXPECT_EQ(std::get<Refusal>(no_record).kind, RefusalKind::invalid_value);
    f.has_record = true;
    EXPECT_EQ(std::get<std::optional<std::int64_t>>(choose_assignee(f)), std::nullopt);  // nobody holds it
    f.record_party = 11;
    EXPECT_EQ(std::get<std::optional<std::int64_t>>(choose_assignee(f)), 11);
}

TEST(TemplateRules, PlaceholdersChecked) {
    EXPECT_FALSE(check_placeholders("title", "Attest {record_title} by {due_date}"));
    EXPECT_FALSE(check_placeholders("title", "no placeholders } at all"));
    EXPECT_FALSE(check_placeholders("title", "a literal {{brace}"));
    auto unknown = check_placeholders("description", "Hello {name}");
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->kind, RefusalKind::invalid_value);
    EXPECT_EQ(unknown->message, "unknown placeholder {name} in the description");
    EXPECT_TRUE(check_placeholders("title", "{Record_Title}"));
    EXPECT_TRUE(check_placeholders("title", "{}"));
    auto open = check_placeholders("title", "Due {due_date");
    ASSERT_TRUE(open);
    EXPECT_EQ(open->message, "the title has a \"{\" that is not closed");
}

TEST(TemplateRules, PlaceholdersFilled) {
    EXPECT_EQ(filled("Attest {record_title} ({record_kind}) by {due_date}"), "Attest Policy 7 (document) by 2027-01-31");
    EXPECT_EQ(filled("{workspace}: {creator}, {created_on}"), "Acme: Ann, 2027-01-01");
    EXPECT_EQ(filled("{{workspace} {{{workspace}}"), "{workspace} {Acme}");
    EXPECT_EQ(filled("plain"), "plain");
    EXPECT_EQ(filled(""), "");
    // A value replaces its placeholder once: braces inside a value are not read again.
    PlaceholderValues tricky = values();
    tricky[static_cast<std::size_t>(Placeholder::record_title)] = "{due_date}";
    EXPECT_EQ(filled("{record_title}", tricky), "{due_date}");
    PlaceholderValues no_record = values();
    no_record[static_cast<std::size_t>(Placeholder::record_title)] = std::nullopt;
    EXPECT_EQ(filled("Attest {record_title}", no_record), "refused: the template's title uses {record_title}, which has no value here");
    EXPECT_EQ(filled("Attest", no_record), "Attest");
    EXPECT_EQ(filled("{nope}"), "refused: unknown placeholder {nope} in the title");
}

TEST(TemplateRules, UsesPlaceholder) {
    EXPECT_TRUE(uses_placeholder("x {record_title}", Placeholder::record_title));
    EXPECT_FALSE(uses_placeholder("x {{record_title}", Placeholder::record_title));
    EXPECT_FALSE(uses_placeholder("x {due_date}", Placeholder::record_title));
}

TEST(TemplateRules, RetiredTemplate) {
    EXPECT_FALSE(check_template_live(7, false, true));
    EXPECT_FALSE(check_template_live(7, false, false));
    auto edit = check_template_live(7, true, true);
    ASSERT_TRUE(edit);
    EXPECT_EQ(edit->kind, RefusalKind::wrong_state);
    EXPECT_EQ(edit->message, "template 7 is retired");
    EXPECT_EQ(edit->hint, "create a new template");
    auto use = check_template_live(7, true, false);
    ASSERT_TRUE(use);
    EXPECT_EQ(use->detail, "a retired template makes no new actions");
    EXPECT_EQ(use->hint, "use another template");
}

}  // namespace
}  // namespace pg_actions::core
