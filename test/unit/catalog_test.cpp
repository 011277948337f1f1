// The schema's CHECKs, its notification-kind domain and the seeds of a new workspace must list
// exactly what the core's catalog lists (core/catalog.hpp): this test reads src/sql and fails on
// any difference, so an enumeration is defined once and the SQL follows it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "action_type.hpp"
#include "catalog.hpp"
#include "identity.hpp"
#include "record_rules.hpp"
#include "template_rules.hpp"

namespace pg_actions::core {
namespace {

std::string install_script() {
    std::vector<std::filesystem::path> parts;
    for (const auto& e : std::filesystem::directory_iterator(PG_ACTIONS_SQL_DIR))
        if (e.path().extension() == ".sql") parts.push_back(e.path());
    std::sort(parts.begin(), parts.end());
    std::string all;
    for (const auto& p : parts) {
        std::ifstream in(p);
        std::stringstream s;
        s << in.rdbuf();
        all += s.str();
    }
    return all;
}

// The quoted values in the parenthesised list that follows `anchor` (a regular expression).
std::vector<std::string> quoted_list(const std::string& sql, const std::string& anchor) {
    std::smatch m;
    if (!std::regex_search(sql, m, std::regex(anchor + R"(\s*\(([^)]*)\))"))) return {"<" + anchor + " not found>"};
    std::vector<std::string> out;
    std::string list = m[1];
    std::regex quoted("'([^']*)'");
    for (auto it = std::sregex_iterator(list.begin(), list.end(), quoted); it != std::sregex_iterator(); ++it)
        out.push_back((*it)[1]);
    return out;
}

std::vector<std::string> strings(const std::vector<std::string_view>& v) { return {v.begin(), v.end()}; }

class Catalog : public ::testing::Test {
protected:
    static void SetUpTestSuite() { sql = new std::string(install_script()); }
    static void TearDownTestSuite() { delete sql; }
    static std::string* sql;
};
std::string* Catalog::sql = nullptr;

TEST_F(Catalog, ChecksListTheCoreEnumerations) {
    EXPECT_EQ(quoted_list(*sql, R"(CHECK \(status IN)"), strings(status_names()));
    EXPECT_EQ(quoted_list(*sql, R"(CHECK \(priority IN)"), strings(priority_names()));
    EXPECT_EQ(quoted_list(*sql, R"(CHECK \(sees IN)"),
              strings({service_sees_name(ServiceSees::nothing), service_sees_name(ServiceSees::all)}));
    EXPECT_EQ(quoted_list(*sql, R"(CHECK \(claim IN)"),
              strings({claim_name(Claim::role), claim_name(Claim::email), claim_name(Claim::sub)}));
    EXPECT_EQ(quoted_list(*sql, R"(CHECK \(state IN)"), strings(member_state_names()));
    EXPECT_EQ(quoted_list(*sql, R"(CHECK \(capacity IN)"), strings(capacity_names()));
    EXPECT_EQ(quoted_list(*sql, R"(workflow\s+text CHECK \(workflow IN)"), strings(workflow_names()));
    EXPECT_EQ(quoted_list(*sql, R"(workflow\s+text NOT NULL CHECK \(workflow IN)"), strings(workflow_names()));
    EXPECT_EQ(quoted_list(*sql, R"(CHECK \(outcome IN)"), strings(outcome_names()));
    EXPECT_EQ(quoted_list(*sql, R"(notification_kind AS text\s+CHECK \(VALUE IN)"), strings(notification_kind_names()));
    EXPECT_EQ(quoted_list(*sql, R"(kind\s+text NOT NULL CHECK \(kind IN)"), strings(reminder_kind_names()));
    EXPECT_EQ(quoted_list(*sql, R"(CHECK \(due_unit IN)"), strings(due_unit_names()));
    EXPECT_EQ(quoted_list(*sql, R"(CHECK \(assignee_rule IN)"), strings(assignee_rule_names()));
    EXPECT_EQ(quoted_list(*sql, R"(CHECK \(assignee_capacity IN)"), strings(template_capacity_names()));
    EXPECT_EQ(quoted_list(*sql, R"(CHECK \(non_working_due IN)"), strings(non_working_due_names()));
}

// Every workspace is seeded with exactly the core's system action types, in its order, with its labels.
TEST_F(Catalog, SystemActionTypesAreSeeded) {
    std::smatch m;
    ASSERT_TRUE(std::regex_search(*sql, m, std::regex(R"(INSERT INTO actions\.action_type \(workspace_id, type_key, label, is_system\) VALUES([^;]*);)")));
    std::string rows = m[1];
    std::regex row(R"(\(NEW\.workspace_id, '([^']*)', '([^']*)', true\))");
    std::vector<std::string> keys, labels;
    for (auto it = std::sregex_iterator(rows.begin(), rows.end(), row); it != std::sregex_iterator(); ++it) {
        keys.push_back((*it)[1]);
        labels.push_back((*it)[2]);
    }
    std::vector<std::string> want_keys, want_labels;
    for (const SystemType& t : system_action_types()) {
        want_keys.emplace_back(t.key);
        want_labels.emplace_back(t.label);
    }
    EXPECT_EQ(keys, want_keys);
    EXPECT_EQ(labels, want_labels);
}

TEST(CatalogText, Listed) {
    EXPECT_EQ(listed({"a"}), "a");
    EXPECT_EQ(listed({"a", "b"}), "a or b");
    EXPECT_EQ(listed(outcome_names()), "approved, rejected, accepted, declined or acknowledged");
}

TEST_F(Catalog, SeedsAreTheCoreSeeds) {
    std::vector<std::string> kinds(system_record_kinds.begin(), system_record_kinds.end());
    std::smatch m;
    ASSERT_TRUE(std::regex_search(*sql, m, std::regex(R"(unnest\(ARRAY\[([^\]]*)\]\))")));
    std::vector<std::string> seeded;
    std::string list = m[1];
    std::regex quoted("'([^']*)'");
    for (auto it = std::sregex_iterator(list.begin(), list.end(), quoted); it != std::sregex_iterator(); ++it)
        seeded.push_back((*it)[1]);
    EXPECT_EQ(seeded, kinds);

    for (const SystemRole& role : system_roles()) {
        std::regex row("\\(NEW\\.workspace_id, '" + std::string(role.name) + R"(', true, (true|false),\s*'\{([^}]*)\}'\))");
        ASSERT_TRUE(std::regex_search(*sql, m, row)) << "no seed row for role " << role.name;
        EXPECT_EQ(m[1] == "true", role.billable) << role.name;
        std::vector<std::string> expected;
        for (std::string_view p : permission_names())
            if (role.permissions.test(static_cast<std::size_t>(*parse_permission(p)))) expected.emplace_back(p);
        std::vector<std::string> granted;
        std::stringstream codes(m[2].str());
        for (std::string code; std::getline(codes, code, ',');) granted.push_back(code);
        EXPECT_EQ(granted, expected) << role.name;
    }
}

}  // namespace
}  // namespace pg_actions::core
