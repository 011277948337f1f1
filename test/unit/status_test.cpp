#include <gtest/gtest.h>

#include <string>
#include <tuple>

#include "status.hpp"

namespace pg_actions::core {
namespace {

constexpr Status all[] = {Status::to_do, Status::in_progress, Status::overdue, Status::complete,
                          Status::cancelled};

// Rows: from, columns: to, in the order of `all`.
constexpr bool allowed[5][5] = {
    //            to_do  in_prog overdue complete cancelled
    /* to_do    */ {true, true, true, true, true},
    /* in_prog  */ {false, true, true, true, true},
    /* overdue  */ {true, true, true, true, true},
    /* complete */ {true, true, true, true, false},
    /* cancelled*/ {false, false, false, false, true},
};

class MoveTable : public ::testing::TestWithParam<std::tuple<int, int>> {};

TEST_P(MoveTable, CanMoveMatchesTable) {
    const auto [f, t] = GetParam();
    const Status from = all[f];
    const Status to = all[t];
    EXPECT_EQ(can_move(from, to), allowed[f][t])
        << status_name(from) << " -> " << status_name(to);
    const auto refusal = check_move(from, to);
    EXPECT_EQ(refusal.has_value(), !allowed[f][t]);
    if (refusal) {
        EXPECT_EQ(refusal->kind, RefusalKind::wrong_state);
        EXPECT_EQ(refusal->message, "cannot move action from status " +
                                        std::string{status_name(from)} + " to " +
                                        std::string{status_name(to)});
        EXPECT_EQ(refusal->detail, "the action is " + std::string{status_name(from)});
        EXPECT_FALSE(refusal->hint.empty());
    }
}

INSTANTIATE_TEST_SUITE_P(AllPairs, MoveTable,
                         ::testing::Combine(::testing::Range(0, 5), ::testing::Range(0, 5)),
                         [](const auto& info) {
                             return std::string{status_name(all[std::get<0>(info.param)])} + "_to_" +
                                    std::string{status_name(all[std::get<1>(info.param)])};
                         });

TEST(Status, NamesRoundTrip) {
    EXPECT_EQ(status_name(Status::to_do), "to_do");
    EXPECT_EQ(status_name(Status::in_progress), "in_progress");
    EXPECT_EQ(status_name(Status::overdue), "overdue");
    EXPECT_EQ(status_name(Status::complete), "complete");
    EXPECT_EQ(status_name(Status::cancelled), "cancelled");
    for (Status s : all) EXPECT_EQ(parse_status(status_name(s)), s);
    EXPECT_EQ(parse_status("done"), std::nullopt);
    EXPECT_EQ(parse_status("TO_DO"), std::nullopt);
    EXPECT_EQ(parse_status(""), std::nullopt);
}

TEST(Status, ActiveStatuses) {
    EXPECT_TRUE(is_active(Status::to_do));
    EXPECT_TRUE(is_active(Status::in_progress));
    EXPECT_TRUE(is_active(Status::overdue));
    EXPECT_FALSE(is_active(Status::complete));
    EXPECT_FALSE(is_active(Status::cancelled));
}

TEST(Status, CheckMoveHints) {
    EXPECT_EQ(check_move(Status::cancelled, Status::to_do)->hint,
              "a cancelled action is final; create a new action instead");
    EXPECT_EQ(check_move(Status::cancelled, Status::complete)->message,
              "cannot move action from status cancelled to complete");
    const auto complete_to_cancelled = check_move(Status::complete, Status::cancelled);
    EXPECT_EQ(complete_to_cancelled->message, "cannot move action from status complete to cancelled");
    EXPECT_EQ(complete_to_cancelled->detail, "the action is complete");
    EXPECT_EQ(complete_to_cancelled->hint, "un-complete the action first with actions.uncomplete()");
    EXPECT_EQ(check_move(Status::in_progress, Status::to_do)->hint,
              "from in_progress an action can move to overdue, complete or cancelled");
}

TEST(Status, Settle) {
    for (Status s : {Status::to_do, Status::in_progress, Status::overdue}) {
        EXPECT_EQ(settle(s, false, false), Status::to_do) << status_name(s);
        EXPECT_EQ(settle(s, true, false), Status::in_progress) << status_name(s);
        EXPECT_EQ(settle(s, false, true), Status::overdue) << status_name(s);
        EXPECT_EQ(settle(s, true, true), Status::overdue) << status_name(s);
    }
    for (Status s : {Status::complete, Status::cancelled})
        for (bool started : {false, true})
            for (bool past_due : {false, true})
                EXPECT_EQ(settle(s, started, past_due), s) << status_name(s);
}

}  // namespace
}  // namespace pg_actions::core
