#include <cstdint>
#include <stdexcept>

#include <gtest/gtest.h>

#include "catalog.hpp"
#include "listing.hpp"

using namespace pg_actions::core;

TEST(Listing, VocabulariesComeFromTheCatalog) {
    EXPECT_EQ(*list_vocabulary("status"), status_names());
    EXPECT_EQ(*list_vocabulary("priority"), priority_names());
    EXPECT_EQ(*list_vocabulary("open"), (std::vector<std::string_view>{"to_do", "in_progress", "overdue"}));
    EXPECT_EQ(*list_vocabulary("open_not_overdue"), (std::vector<std::string_view>{"to_do", "in_progress"}));
    EXPECT_EQ(*list_vocabulary("member_acting"), (std::vector<std::string_view>{"active"}));
    EXPECT_EQ(*list_vocabulary("member_named"), (std::vector<std::string_view>{"invited", "active"}));
    EXPECT_FALSE(list_vocabulary("colour").has_value());
}

TEST(Listing, SortKeysAndDirections) {
    std::vector<std::string_view> sorts = *list_vocabulary("sort");
    EXPECT_EQ(sorts.size(), 6u);
    EXPECT_EQ(sorts.front(), "due");
    EXPECT_EQ(*list_vocabulary("direction"), (std::vector<std::string_view>{"asc", "desc"}));
}

TEST(Listing, PriorityOrderIsRankOrder) {
    // The list sorts priority by its position in the catalog: none first, high last.
    std::vector<std::string_view> p = priority_names();
    EXPECT_EQ(p.front(), "none");
    EXPECT_EQ(p.back(), "high");
}

TEST(Listing, RequestChecks) {
    ListRequest r;
    EXPECT_FALSE(check_list_request(r, {"to_do"}, {"high"}).has_value());
    r.sort = "colour";
    EXPECT_EQ(check_list_request(r, {}, {})->message, "unknown sort \"colour\"");
    r.sort = "title";
    r.direction = "up";
    EXPECT_EQ(check_list_request(r, {}, {})->kind, RefusalKind::invalid_value);
    r.direction = "desc";
    EXPECT_EQ(check_list_request(r, {"done"}, {})->message, "unknown status \"done\"");
    EXPECT_EQ(check_list_request(r, {}, {"urgent"})->message, "unknown priority \"urgent\"");
    r.page_size = 0;
    EXPECT_TRUE(check_list_request(r, {}, {}).has_value());
    r.page_size = list_max_page_size + 1;
    EXPECT_TRUE(check_list_request(r, {}, {}).has_value());
    r.page_size = list_max_page_size;
    EXPECT_FALSE(check_list_request(r, {}, {}).has_value());
}

TEST(Listing, StatementHasOnlyTheFiltersGiven) {
    ListRequest r;
    std::string plain = list_statement(r);
    EXPECT_NE(plain.find("ORDER BY COALESCE(v.due_at, 'infinity'::timestamptz), v.action_id LIMIT 50"), std::string::npos);
    EXPECT_EQ(plain.find("$2"), std::string::npos);
    r.statuses = r.unassigned = r.assigned_to_me = true;
    r.only_overdue = false;
    r.direction = "desc";
    r.cursor = true;
    r.page_size = 7;
    std::string s = list_statement(r);
    EXPECT_NE(s.find("v.status = ANY ($2)"), std::string::npos);
    r.status_count = 1;
    EXPECT_NE(list_statement(r).find("v.status = ($2)[1]"), std::string::npos);
    r.status_count = 2;
    EXPECT_NE(s.find("(v.assignee_id = $4 OR v.assignee_id IS NULL)"), std::string::npos);
    EXPECT_NE(s.find("AND NOT v.overdue"), std::string::npos);
    EXPECT_NE(s.find("(COALESCE(v.due_at, 'infinity'::timestamptz), v.action_id) < ($15, $18)"), std::string::npos);
    EXPECT_NE(s.find("DESC, v.action_id DESC LIMIT 7"), std::string::npos);
    r.sort = "title";
    EXPECT_NE(list_statement(r).find("(v.title, v.action_id) < ($16, $18)"), std::string::npos);
    r.sort = "priority";
    EXPECT_NE(list_statement(r).find("(v.priority_rank, v.action_id) < ($17, $18)"), std::string::npos);
    EXPECT_TRUE(list_keeps_plan(r));
    r.search = true;
    r.search_config = 3748;
    EXPECT_NE(list_statement(r).find("actions.action_document(3748::oid::regconfig, v.title, v.description) @@ $13"),
              std::string::npos);
    EXPECT_FALSE(list_keeps_plan(r));
}

// On Citus a statement runs on one workspace's shards only when every table it reads is restricted
// to the workspace as a value: the display fields' sub-selects name $1, not the row's column.
TEST(Listing, EveryTableReadNamesTheWorkspaceParameter) {
    ListRequest r;
    r.record_kinds = true;
    std::string s = list_statement(r);
    auto count = [&](std::string_view what) {
        std::size_t n = 0;
        for (std::size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) n++;
        return n;
    };
    EXPECT_EQ(count("FROM actions.record r WHERE r.workspace_id = $1 AND"), 3u);  // title, kind, the kinds filter
    EXPECT_EQ(count("FROM actions.\"group\" g WHERE g.workspace_id = $1 AND"), 1u);
    EXPECT_EQ(count("FROM actions."), 7u);  // the view (by v.workspace_id = $1) and the two names
    EXPECT_EQ(s.find("v.record_kind"), std::string::npos);
    EXPECT_EQ(s.find("v.group_names"), std::string::npos);
    EXPECT_NE(s.find(") p ORDER BY p.sort_key, p.action_id"), std::string::npos);
    EXPECT_NE(s.find("FROM actions.person ap WHERE ap.person_id = p.assignee_id"), std::string::npos);
    r.names = false;  // on Citus: no reference table beside the workspace's shards
    s = list_statement(r);
    EXPECT_EQ(s.find("actions.person"), std::string::npos);
    EXPECT_NE(s.find("p.assignee_id, NULL::text, p.owner_id, NULL::text, p.record_id"), std::string::npos);
    EXPECT_EQ(count("FROM actions."), 5u);
}

TEST(Listing, TitlePatternTakesWildcardsLiterally) {
    EXPECT_EQ(title_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
}

namespace {
const std::string key(32, 'k');
const std::string other_key(32, 'q');
}  // namespace

TEST(Listing, CursorRoundTripsAndRefusesEdits) {
    ListRequest r;
    r.sort = "title";
    std::string f = list_filters_digest({std::string("1"), std::nullopt, std::string("{3}")});
    std::string c = encode_list_cursor({"title", "asc", std::string("Boiling: a:b"), 42}, f, key);
    auto back = decode_list_cursor(c, r, f, key);
    ASSERT_TRUE(std::holds_alternative<ListCursor>(back));
    EXPECT_EQ(*std::get<ListCursor>(back).key, "Boiling: a:b");
    EXPECT_EQ(std::get<ListCursor>(back).action_id, 42);
    // other filters, another sort or direction, an edited byte, garbage, another key: refused alike
    std::string other = list_filters_digest({std::string("1"), std::string(""), std::string("{3}")});
    EXPECT_NE(f, other);
    EXPECT_TRUE(std::holds_alternative<Refusal>(decode_list_cursor(c, r, other, key)));
    ListRequest due;
    EXPECT_TRUE(std::holds_alternative<Refusal>(decode_list_cursor(c, due, f, key)));
    std::string edited = c;
    edited[40] = edited[40] == 'A' ? 'B' : 'A';
    EXPECT_TRUE(std::holds_alternative<Refusal>(decode_list_cursor(edited, r, f, key)));
    EXPECT_TRUE(std::holds_alternative<Refusal>(decode_list_cursor("not base64!", r, f, key)));
    EXPECT_EQ(std::get<Refusal>(decode_list_cursor("", r, f, key)).message, "invalid cursor");
    EXPECT_TRUE(std::holds_alternative<Refusal>(decode_list_cursor(c, r, f, other_key)));
    EXPECT_THROW(encode_list_cursor({"title", "asc", std::string("x"), 1}, f, "short"), std::invalid_argument);
}

TEST(Listing, CursorMacIsKeyedNotAPublicDigest) {
    // The old format's check was SHA-256 over public inputs: anyone could recompute it. The MAC
    // under two keys differs, and every byte truncated off a cursor makes it fail.
    std::string f = list_filters_digest({});
    ListRequest prio;
    prio.sort = "priority";
    std::string a = encode_list_cursor({"priority", "asc", std::string("2"), 7}, f, key);
    std::string b = encode_list_cursor({"priority", "asc", std::string("2"), 7}, f, other_key);
    EXPECT_NE(a, b);
    for (std::size_t n = 0; n < a.size(); n += 3)
        EXPECT_TRUE(std::holds_alternative<Refusal>(decode_list_cursor(a.substr(0, n), prio, f, key))) << n;
}

TEST(Listing, CursorNumbersAreRangeChecked) {
    std::string f = list_filters_digest({});
    ListRequest prio;
    prio.sort = "priority";
    // A 14-digit rank, a rank below zero, an id past int64, a sign or space: refused, not thrown.
    for (std::string k : {"99999999999999", "2147483648", "-1", "+1", " 1", "1 ", "0x1", ""})
        EXPECT_TRUE(std::holds_alternative<Refusal>(decode_list_cursor(encode_list_cursor({"priority", "asc", k, 1}, f, key), prio, f, key))) << k;
    auto ok = decode_list_cursor(encode_list_cursor({"priority", "asc", std::string("2147483647"), 1}, f, key), prio, f, key);
    ASSERT_TRUE(std::holds_alternative<ListCursor>(ok));
    EXPECT_EQ(std::get<ListCursor>(ok).number, 2147483647);
    ListRequest due;
    auto huge = decode_list_cursor(encode_list_cursor({"due", "asc", std::string("99999999999999999999"), 1}, f, key), due, f, key);
    EXPECT_TRUE(std::holds_alternative<Refusal>(huge));
    auto neg = decode_list_cursor(encode_list_cursor({"due", "asc", std::string("-9223372036854775808"), 9223372036854775807}, f, key), due, f, key);
    ASSERT_TRUE(std::holds_alternative<ListCursor>(neg));
    EXPECT_EQ(std::get<ListCursor>(neg).number, INT64_MIN);
    EXPECT_EQ(std::get<ListCursor>(neg).action_id, INT64_MAX);
}

TEST(Listing, CursorKeysMatchTheSort) {
    std::string f = list_filters_digest({});
    ListRequest due;
    // no due date (sorted last as infinity) and a time before 2000
    EXPECT_FALSE(std::get<ListCursor>(decode_list_cursor(encode_list_cursor({"due", "asc", std::nullopt, 1}, f, key), due, f, key)).key);
    EXPECT_EQ(std::get<ListCursor>(decode_list_cursor(encode_list_cursor({"due", "asc", std::string("-5"), 1}, f, key), due, f, key)).number,
              -5);
    EXPECT_TRUE(std::holds_alternative<Refusal>(decode_list_cursor(encode_list_cursor({"due", "asc", std::string("x"), 1}, f, key), due, f, key)));
    ListRequest prio;
    prio.sort = "priority";
    EXPECT_TRUE(std::holds_alternative<Refusal>(decode_list_cursor(encode_list_cursor({"priority", "asc", std::nullopt, 1}, f, key), prio, f, key)));
    EXPECT_TRUE(std::holds_alternative<ListCursor>(decode_list_cursor(encode_list_cursor({"priority", "asc", std::string("3"), 1}, f, key), prio, f, key)));
}
