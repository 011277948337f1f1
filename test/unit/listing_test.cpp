#include <gtest/gtest.h>

#include "catalog.hpp"
#include "listing.hpp"

using namespace pg_actions::core;

TEST(Listing, VocabulariesComeFromTheCatalog) {
    EXPECT_EQ(*list_vocabulary("status"), status_names());
    EXPECT_EQ(*list_vocabulary("priority"), priority_names());
    EXPECT_EQ(*list_vocabulary("open"), (std::vector<std::string_view>{"to_do", "in_progress", "overdue"}));
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
