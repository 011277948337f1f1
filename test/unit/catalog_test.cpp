// The schema's CHECKs, its notification-kind domain and the seeds of a new workspace must list
// exactly what the core's catalog lists (core/catalog.hpp): this test reads src/sql and fails on
// any difference, so an enumeration is defined once and the SQL follows it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "action_type.hpp"
#include "catalog.hpp"
#include "identity.hpp"
#include "pool.hpp"
#include "record_rules.hpp"
#include "schema_vocabulary.hpp"
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

std::vector<std::string> strings(const std::vector<std::string_view>& v) { return {v.begin(), v.end()}; }

class Catalog : public ::testing::Test {
protected:
    static void SetUpTestSuite() { sql = new std::string(install_script()); }
    static void TearDownTestSuite() { delete sql; }
    static std::string* sql;
};
std::string* Catalog::sql = nullptr;

// Every CHECK that restricts a column (or a domain's VALUE) to a list of names, each occurrence
// (a column spelled in two tables is checked in both), lists exactly the core's names for that
// table and column (core/schema_vocabulary.hpp), and every column the core lists has one.
TEST_F(Catalog, EveryCheckListsTheCoreEnumeration) {
    std::map<std::pair<std::string, std::string>, std::vector<std::string>> want;
    for (const EnumeratedColumn& c : enumerated_columns())
        want[{std::string(c.table), std::string(c.column)}] = strings(c.names);
    std::map<std::pair<std::string, std::string>, int> seen;
    const std::regex check(R"(CHECK\s*\((\w+)\s+(IN\s*\(|=\s*ANY\s*\(\s*ARRAY\[)([^\)\]]*)[\)\]])");
    const std::regex owner(R"((?:CREATE|ALTER)\s+(TABLE|DOMAIN)\s+actions\.\"?(\w+)\"?)");
    const std::regex quoted("'([^']*)'");
    std::string::const_iterator from = sql->begin();
    std::smatch m;
    int checks = 0;
    while (std::regex_search(from, sql->cend(), m, check)) {
        // The table or domain it belongs to: the last CREATE/ALTER TABLE or CREATE DOMAIN before it.
        std::string before(sql->cbegin(), m[0].first), table;
        for (auto it = std::sregex_iterator(before.begin(), before.end(), owner); it != std::sregex_iterator(); ++it)
            table = (*it)[2];
        std::string column = m[1];
        if (column == "VALUE") column = "value";
        std::vector<std::string> listed;
        std::string list = m[3];
        for (auto it = std::sregex_iterator(list.begin(), list.end(), quoted); it != std::sregex_iterator(); ++it)
            listed.push_back((*it)[1]);
        auto w = want.find({table, column});
        if (w == want.end())
            ADD_FAILURE() << "CHECK on actions." << table << "." << column << " lists names the core does not define "
                          << "(add it to core/schema_vocabulary.cpp)";
        else
            EXPECT_EQ(listed, w->second) << "actions." << table << "." << column;
        seen[{table, column}]++;
        checks++;
        from = m[0].second;
    }
    EXPECT_GE(checks, static_cast<int>(want.size()));
    for (const auto& [key, names] : want)
        EXPECT_GT(seen[key], 0) << "no CHECK lists the names of actions." << key.first << "." << key.second;
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
