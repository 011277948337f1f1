#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "activity.hpp"

namespace pg_actions::core {
namespace {

constexpr std::int64_t day_us = 86'400'000'000;

ActionState base() {
    ActionState s;
    s.title = "Check fire doors";
    s.priority = "none";
    s.type = "task";
    s.owner_id = 2;
    return s;
}

// The created entry's detail: every field the row starts with (record and groups as given).
std::string created(const std::string& record = "null", const std::string& groups = "{}") {
    return "created|~|Check fire doors|{\"owner_id\":2,\"type\":\"task\",\"description\":null,\"due_at\":null,"
           "\"priority\":\"none\",\"record_id\":" + record + ",\"group_ids\":\"" + groups + "\"}";
}

// Compact form so a whole expected log fits on a line: event|old|new|detail, NULL as ~.
std::vector<std::string> summary(const std::vector<Change>& changes) {
    std::vector<std::string> out;
    auto opt = [](const std::optional<std::string>& v) { return v ? *v : std::string{"~"}; };
    for (const Change& c : changes)
        out.push_back(c.event + "|" + opt(c.old_value) + "|" + opt(c.new_value) + "|" +
                      opt(c.detail_json));
    return out;
}

using Lines = std::vector<std::string>;

TEST(Activity, InsertPlain) {
    const ActionState after = base();
    EXPECT_EQ(summary(changes(nullptr, &after)), (Lines{created()}));
}

TEST(Activity, InsertWithRecordAssigneeAndOverdue) {
    ActionState after = base();
    after.record_id = 42;
    after.assignee_id = 7;
    after.status = Status::overdue;
    after.due_at_us = 0;
    EXPECT_EQ(summary(changes(nullptr, &after)),
              (Lines{"created|~|Check fire doors|{\"owner_id\":2,\"type\":\"task\",\"description\":null,"
                     "\"due_at\":\"2000-01-01T00:00:00.000000Z\",\"priority\":\"none\",\"record_id\":42,"
                     "\"group_ids\":\"{}\"}",
                     "assigned|~|7|~",
                     "overdue|to_do|overdue|{\"due_at\":\"2000-01-01T00:00:00.000000Z\"}"}));
}

TEST(Activity, InsertAlreadyComplete) {
    ActionState after = base();
    after.status = Status::complete;
    EXPECT_EQ(summary(changes(nullptr, &after)),
              (Lines{created(), "completed|to_do|complete|~"}));
}

TEST(Activity, Delete) {
    ActionState before = base();
    before.status = Status::in_progress;
    EXPECT_EQ(summary(changes(&before, nullptr)), (Lines{"deleted|in_progress|~|~"}));
}

TEST(Activity, NoChange) {
    ActionState s = base();
    s.assignee_id = 3;
    s.description = "d";
    s.due_at_us = day_us;
    EXPECT_TRUE(changes(&s, &s).empty());
}

TEST(Activity, Assignee) {
    ActionState before = base();
    ActionState after = base();
    after.assignee_id = 5;
    EXPECT_EQ(summary(changes(&before, &after)), (Lines{"assigned|~|5|~"}));
    before.assignee_id = 5;
    after.assignee_id = 6;
    EXPECT_EQ(summary(changes(&before, &after)), (Lines{"reassigned|5|6|~"}));
    after.assignee_id.reset();
    EXPECT_EQ(summary(changes(&before, &after)), (Lines{"unassigned|5|~|~"}));
}

TEST(Activity, FieldsInOrder) {
    ActionState before = base();
    before.due_at_us = 0;
    ActionState after = base();
    after.assignee_id = 9;
    after.title = "Check all doors";
    after.description = "ground floor";
    after.due_at_us = day_us;
    after.priority = "high";
    EXPECT_EQ(summary(changes(&before, &after)),
              (Lines{"assigned|~|9|~", "title_changed|Check fire doors|Check all doors|~",
                     "description_changed|~|ground floor|~",
                     "due_changed|2000-01-01T00:00:00.000000Z|2000-01-02T00:00:00.000000Z|~",
                     "priority_changed|none|high|~"}));
    before = after;
    after.due_at_us.reset();
    after.description.reset();
    EXPECT_EQ(summary(changes(&before, &after)),
              (Lines{"description_changed|ground floor|~|~",
                     "due_changed|2000-01-02T00:00:00.000000Z|~|~"}));
}

TEST(Activity, StartedCoversToDoToInProgress) {
    ActionState before = base();
    ActionState after = base();
    after.started = true;
    after.status = Status::in_progress;
    EXPECT_EQ(summary(changes(&before, &after)), (Lines{"started|to_do|in_progress|~"}));
}

TEST(Activity, StartedWhileOverdueLogsBoth) {
    ActionState before = base();
    before.status = Status::overdue;
    ActionState after = before;
    after.started = true;
    EXPECT_EQ(summary(changes(&before, &after)), (Lines{"started|overdue|overdue|~"}));
    before.status = Status::to_do;
    before.due_at_us = 0;
    after.due_at_us = 0;
    EXPECT_EQ(summary(changes(&before, &after)),
              (Lines{"started|to_do|overdue|~",
                     "overdue|to_do|overdue|{\"due_at\":\"2000-01-01T00:00:00.000000Z\"}"}));
}

TEST(Activity, CompletedWithEvidence) {
    ActionState before = base();
    before.status = Status::in_progress;
    before.started = true;
    ActionState after = before;
    after.status = Status::complete;
    after.evidence = EvidenceFacts{11, "door \"A\".jpg", "ab12", 2048};
    EXPECT_EQ(summary(changes(&before, &after)),
              (Lines{"completed|in_progress|complete|{\"evidence_id\":11,\"name\":\"door \\\"A\\\".jpg\","
                     "\"sha256\":\"ab12\",\"size\":2048}"}));
    EXPECT_TRUE(completes(&before, after));
    EXPECT_TRUE(completes(nullptr, after));
    EXPECT_FALSE(completes(&after, after));
    EXPECT_FALSE(completes(nullptr, before));
}

TEST(Activity, Uncompleted) {
    ActionState before = base();
    before.status = Status::complete;
    before.started = true;
    ActionState after = before;
    after.status = Status::in_progress;
    EXPECT_EQ(summary(changes(&before, &after)), (Lines{"uncompleted|complete|in_progress|~"}));
    after.status = Status::overdue;
    EXPECT_EQ(summary(changes(&before, &after)), (Lines{"uncompleted|complete|overdue|~"}));
}

TEST(Activity, Cancelled) {
    ActionState before = base();
    ActionState after = base();
    after.status = Status::cancelled;
    after.cancel_reason = "duplicate\nof #4";
    EXPECT_EQ(summary(changes(&before, &after)),
              (Lines{"cancelled|to_do|cancelled|{\"reason\":\"duplicate\\nof #4\"}"}));
    after.cancel_reason.reset();
    EXPECT_EQ(summary(changes(&before, &after)), (Lines{"cancelled|to_do|cancelled|~"}));
}

TEST(Activity, OverdueAndBack) {
    ActionState before = base();
    before.status = Status::in_progress;
    before.started = true;
    ActionState after = before;
    after.status = Status::overdue;
    EXPECT_EQ(summary(changes(&before, &after)), (Lines{"overdue|in_progress|overdue|~"}));
    std::swap(before, after);
    after.due_at_us = 3 * day_us;
    EXPECT_EQ(summary(changes(&before, &after)),
              (Lines{"due_changed|~|2000-01-04T00:00:00.000000Z|~",
                     "no_longer_overdue|overdue|in_progress|~"}));
    after.status = Status::to_do;
    EXPECT_EQ(summary(changes(&before, &after))[1], "no_longer_overdue|overdue|to_do|~");
}

TEST(Activity, OtherStatusChange) {
    ActionState before = base();
    before.status = Status::in_progress;
    before.started = true;
    ActionState after = before;
    after.status = Status::to_do;
    EXPECT_EQ(summary(changes(&before, &after)), (Lines{"status_changed|in_progress|to_do|~"}));
    // to_do -> in_progress without a start (started was already set) is not a "started" event.
    std::swap(before, after);
    EXPECT_EQ(summary(changes(&before, &after)), (Lines{"status_changed|to_do|in_progress|~"}));
}

}  // namespace
}  // namespace pg_actions::core

namespace pg_actions::core {
namespace {

TEST(Activity, GroupsInCreatedDetailAndChanges) {
    ActionState after = base();
    after.record_id = 42;
    after.group_ids = {3, 7};
    EXPECT_EQ(summary(changes(nullptr, &after)),
              (Lines{created("42", "{3,7}")}));
    ActionState only_groups = base();
    only_groups.group_ids = {5};
    EXPECT_EQ(summary(changes(nullptr, &only_groups)), (Lines{created("null", "{5}")}));
    ActionState moved = after;
    moved.group_ids = {};
    EXPECT_EQ(summary(changes(&after, &moved)), (Lines{"groups_changed|{3,7}|{}|~"}));
}

// Every column the log knows of is logged when it changes on its own: the linked record, a
// cancellation's reason edited afterwards, an outcome comment.
TEST(Activity, RecordReasonAndCommentChangesAreLogged) {
    ActionState before = base();
    before.record_id = 4;
    ActionState after = before;
    after.record_id = 9;
    EXPECT_EQ(summary(changes(&before, &after)), (Lines{"record_changed|4|9|~"}));
    after.record_id.reset();
    EXPECT_EQ(summary(changes(&before, &after)), (Lines{"record_changed|4|~|~"}));

    ActionState cancelled = base();
    cancelled.status = Status::cancelled;
    cancelled.cancel_reason = "duplicate";
    ActionState reworded = cancelled;
    reworded.cancel_reason = "not needed";
    EXPECT_EQ(summary(changes(&cancelled, &reworded)), (Lines{"cancel_reason_changed|duplicate|not needed|~"}));
    ActionState open = base();
    EXPECT_EQ(summary(changes(&open, &cancelled)), (Lines{"cancelled|to_do|cancelled|{\"reason\":\"duplicate\"}"}));

    ActionState commented = base();
    commented.outcome_comment = "later";
    EXPECT_EQ(summary(changes(&open, &commented)), (Lines{"outcome|~|~|{\"comment\":\"later\"}"}));
}

TEST(Activity, ClaimReleaseDelegateResolve) {
    ActionState pooled = base();
    ActionState claimed = pooled;
    claimed.assignee_id = 5;
    claimed.claimed = true;
    EXPECT_EQ(summary(changes(&pooled, &claimed)), (Lines{"claimed|~|5|~"}));
    EXPECT_EQ(summary(changes(&claimed, &pooled)), (Lines{"released|5|~|~"}));
    ActionState delegated = claimed;
    delegated.claimed = false;
    delegated.assignee_id = 6;
    delegated.delegated_by = 5;
    delegated.delegation = "pending";
    EXPECT_EQ(summary(changes(&claimed, &delegated)), (Lines{"delegated|5|6|{\"delegated_by\":5}"}));
    ActionState resolved = delegated;
    resolved.assignee_id = 5;
    resolved.delegation = "resolved";
    EXPECT_EQ(summary(changes(&delegated, &resolved)), (Lines{"resolved|6|5|~"}));
    // Delegated again after it returned: a new delegation.
    EXPECT_EQ(summary(changes(&resolved, &delegated)), (Lines{"delegated|5|6|{\"delegated_by\":5}"}));
    // A reassignment (the guard then clears the markers) is logged as one.
    ActionState reassigned = base();
    reassigned.assignee_id = 7;
    EXPECT_EQ(summary(changes(&delegated, &reassigned)), (Lines{"reassigned|6|7|~"}));
    ActionState assigned = base();
    assigned.assignee_id = 5;
    EXPECT_EQ(summary(changes(&pooled, &assigned)), (Lines{"assigned|~|5|~"}));
}

}  // namespace
}  // namespace pg_actions::core
