#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "catalog.hpp"
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

// mark_overdue(): open, not overdue yet, due strictly before now; the statuses it takes are exactly
// the set SQL reads as actions.list_vocabulary('open_not_overdue').
TEST(Status, BecomesOverdue) {
    const std::int64_t now = 1'000'000;
    EXPECT_TRUE(becomes_overdue(Status::to_do, now - 1, now));
    EXPECT_TRUE(becomes_overdue(Status::in_progress, now - 1, now));
    EXPECT_FALSE(becomes_overdue(Status::to_do, now, now));  // due exactly now: not yet
    EXPECT_FALSE(becomes_overdue(Status::to_do, now + 1, now));
    EXPECT_FALSE(becomes_overdue(Status::to_do, std::nullopt, now));  // no due date: never
    EXPECT_FALSE(becomes_overdue(Status::overdue, now - 1, now));     // marked already
    EXPECT_FALSE(becomes_overdue(Status::complete, now - 1, now));
    EXPECT_FALSE(becomes_overdue(Status::cancelled, now - 1, now));
    std::vector<std::string_view> taken;
    for (Status s : all)
        if (becomes_overdue(s, now - 1, now)) taken.push_back(status_name(s));
    EXPECT_EQ(taken, open_not_overdue_status_names());
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


namespace pg_actions::core {
namespace {

// What an API verb may ask for, from each status: asking for the status it already has is refused,
// and start never reopens a complete action (that is un-completion, with its own permission).
TEST(CheckRequest, StartFromEachStatus) {
    EXPECT_FALSE(check_request(Request::start, Status::to_do));
    EXPECT_FALSE(check_request(Request::start, Status::overdue));
    auto again = check_request(Request::start, Status::in_progress);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->kind, RefusalKind::wrong_state);
    EXPECT_EQ(again->message, "action is already in progress");
    auto done = check_request(Request::start, Status::complete);
    ASSERT_TRUE(done);
    EXPECT_EQ(done->message, "cannot start action: it is complete");
    EXPECT_NE(done->hint.find("actions.uncomplete()"), std::string::npos);
    EXPECT_TRUE(check_request(Request::start, Status::cancelled));
}

TEST(CheckRequest, CompleteUncompleteCancel) {
    for (Status s : {Status::to_do, Status::in_progress, Status::overdue}) {
        EXPECT_FALSE(check_request(Request::complete, s)) << status_name(s);
        EXPECT_FALSE(check_request(Request::cancel, s)) << status_name(s);
        auto r = check_request(Request::uncomplete, s);
        ASSERT_TRUE(r) << status_name(s);
        EXPECT_EQ(r->message, "cannot un-complete action: it is " + std::string(status_name(s)));
    }
    EXPECT_EQ(check_request(Request::complete, Status::complete)->message, "action is already complete");
    EXPECT_FALSE(check_request(Request::uncomplete, Status::complete));
    auto cancel_done = check_request(Request::cancel, Status::complete);
    ASSERT_TRUE(cancel_done);
    EXPECT_NE(cancel_done->message.find("status complete"), std::string::npos);
    EXPECT_EQ(check_request(Request::cancel, Status::cancelled)->message, "action is already cancelled");
    auto complete_cancelled = check_request(Request::complete, Status::cancelled);
    ASSERT_TRUE(complete_cancelled);
    EXPECT_NE(complete_cancelled->message.find("status cancelled"), std::string::npos);
}

}  // namespace
}  // namespace pg_actions::core

namespace pg_actions::core {
namespace {

TEST(CheckOpen, OnlyOpenActionsChangeHands) {
    for (Status s : {Status::to_do, Status::in_progress, Status::overdue})
        EXPECT_FALSE(check_open(s, "assign", 7)) << status_name(s);
    auto done = check_open(Status::complete, "edit", 7);
    ASSERT_TRUE(done);
    EXPECT_EQ(done->kind, RefusalKind::wrong_state);
    EXPECT_EQ(done->message, "cannot edit action 7: it is complete");
    EXPECT_NE(done->hint.find("actions.uncomplete()"), std::string::npos);
    auto gone = check_open(Status::cancelled, "assign", 8);
    ASSERT_TRUE(gone);
    EXPECT_EQ(gone->message, "cannot assign action 8: it is cancelled");
    EXPECT_NE(gone->hint.find("final"), std::string::npos);
}

}  // namespace
}  // namespace pg_actions::core

namespace pg_actions::core {
namespace {

// The state part of a verb's decision, shared by the API and actions.can() / why_not().
TEST(CheckState, AssignmentNeedsTheRightAssignedness) {
    EXPECT_FALSE(check_state(Verb::assign, Status::to_do, std::nullopt, 5));
    auto taken = check_state(Verb::assign, Status::to_do, 9, 5);
    ASSERT_TRUE(taken);
    EXPECT_EQ(taken->message, "action 5 is already assigned");
    EXPECT_EQ(taken->detail, "it is assigned to person 9");
    EXPECT_FALSE(check_state(Verb::reassign, Status::overdue, 9, 5));
    EXPECT_EQ(check_state(Verb::reassign, Status::to_do, std::nullopt, 5)->message, "action 5 is not assigned");
    EXPECT_EQ(check_state(Verb::reassign, Status::cancelled, 9, 5)->message, "cannot assign action 5: it is cancelled");
}

TEST(CheckState, LifecycleVerbsFollowCheckRequest) {
    EXPECT_EQ(check_state(Verb::complete, Status::complete, std::nullopt, 1)->message, "action is already complete");
    EXPECT_FALSE(check_state(Verb::uncomplete, Status::complete, std::nullopt, 1));
    EXPECT_EQ(check_state(Verb::edit, Status::complete, std::nullopt, 1)->message, "cannot edit action 1: it is complete");
    for (Status s : all) {
        EXPECT_FALSE(check_state(Verb::view, s, std::nullopt, 1)) << status_name(s);
        EXPECT_FALSE(check_state(Verb::delete_action, s, std::nullopt, 1)) << status_name(s);
    }
}

}  // namespace
}  // namespace pg_actions::core
