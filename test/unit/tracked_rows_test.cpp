// How a tracked table's row maps to a record (core/tracked_rows.hpp).
#include <gtest/gtest.h>

#include "tracked_rows.hpp"

namespace pg_actions::core {
namespace {

TEST(TrackedRows, WritesParse) {
    EXPECT_EQ(parse_tracked_write("INSERT"), TrackedWrite::insert);
    EXPECT_EQ(parse_tracked_write("UPDATE"), TrackedWrite::update);
    EXPECT_EQ(parse_tracked_write("DELETE"), TrackedWrite::remove);
    EXPECT_EQ(parse_tracked_write("insert"), std::nullopt);
    EXPECT_EQ(parse_tracked_write("TRUNCATE"), std::nullopt);
}

TEST(TrackedRows, TitleIsTrimmedOrKindAndKey) {
    EXPECT_EQ(tracked_title("invoice", "42", std::string("  Invoice 42  ")), "Invoice 42");
    EXPECT_EQ(tracked_title("invoice", "42", std::string("\tTabbed\t")), "\tTabbed\t");  // spaces only, as btrim
    EXPECT_EQ(tracked_title("invoice", "42", std::string("   ")), "invoice 42");
    EXPECT_EQ(tracked_title("invoice", "42", std::string("")), "invoice 42");
    EXPECT_EQ(tracked_title("invoice", "42", std::nullopt), "invoice 42");
}

TEST(TrackedRows, DeletedRowKeepsItsRecordWhileActionsLinkToIt) {
    EXPECT_EQ(deleted_row(true), DeletedRow::archive_record);
    EXPECT_EQ(deleted_row(false), DeletedRow::remove_record);
}

TEST(TrackedRows, UpdateWithANewKeyRekeys) {
    EXPECT_TRUE(rekeys(TrackedWrite::update, std::string("1"), std::string("2")));
    EXPECT_TRUE(rekeys(TrackedWrite::update, std::nullopt, std::string("2")));
    EXPECT_FALSE(rekeys(TrackedWrite::update, std::string("1"), std::string("1")));
    EXPECT_FALSE(rekeys(TrackedWrite::insert, std::nullopt, std::string("1")));
}

TEST(TrackedRows, ArchivedDefaultsToFalse) {
    EXPECT_TRUE(tracked_archived(true));
    EXPECT_FALSE(tracked_archived(false));
    EXPECT_FALSE(tracked_archived(std::nullopt));
}

}  // namespace
}  // namespace pg_actions::core
