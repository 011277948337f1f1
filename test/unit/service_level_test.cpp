#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "service_level.hpp"

namespace pg_actions::core {
namespace {

constexpr std::int64_t hour = 3'600'000'000LL;

LogStep created(std::int64_t at, std::optional<std::int64_t> due = std::nullopt, bool due_known = true) {
    LogStep s;
    s.event = "created";
    s.at_us = at;
    s.due_known = due_known;
    s.due_after_us = due;
    s.type = "task";
    s.owner_id = 1;
    s.group_ids = {3, 7};
    return s;
}

LogStep status(std::string event, std::int64_t at, std::string to) {
    LogStep s;
    s.event = std::move(event);
    s.at_us = at;
    s.new_value = std::move(to);
    return s;
}

LogStep due_changed(std::int64_t at, std::optional<std::int64_t> before, std::optional<std::int64_t> after) {
    LogStep s;
    s.event = "due_changed";
    s.at_us = at;
    s.due_before_us = before;
    s.due_after_us = after;
    return s;
}

LogStep keyed(std::string event, std::int64_t at, std::optional<std::int64_t> id) {
    LogStep s;
    s.event = std::move(event);
    s.at_us = at;
    s.id_after = id;
    return s;
}

std::int64_t time_of(const std::vector<StatusTime>& times, Status st) {
    for (const StatusTime& t : times)
        if (t.status == st) return t.calendar_us;
    return -1;
}

TEST(ServiceLevel, TimeInEachStatusFromTheTransitions) {
    ServiceFacts f = fold({created(0, 10 * hour), status("started", 2 * hour, "in_progress"),
                           status("completed", 5 * hour, "complete")});
    auto times = time_in_status(f, 9 * hour);
    ASSERT_EQ(times.size(), 3u);
    EXPECT_EQ(time_of(times, Status::to_do), 2 * hour);
    EXPECT_EQ(time_of(times, Status::in_progress), 3 * hour);
    EXPECT_EQ(time_of(times, Status::complete), 4 * hour);  // open stretch up to now
    EXPECT_EQ(f.time_to_complete_us(), 5 * hour);
    EXPECT_EQ(f.on_time(), true);
    EXPECT_EQ(f.completions, 1);
}

TEST(ServiceLevel, ReenteredStatusesAddUpAndCountEntries) {
    ServiceFacts f = fold({created(0), status("started", 1 * hour, "in_progress"),
                           status("completed", 2 * hour, "complete"), status("uncompleted", 4 * hour, "in_progress"),
                           status("completed", 7 * hour, "complete")});
    auto times = time_in_status(f, 8 * hour);
    EXPECT_EQ(time_of(times, Status::in_progress), 1 * hour + 3 * hour);
    EXPECT_EQ(time_of(times, Status::complete), 2 * hour + 1 * hour);
    for (const StatusTime& t : times) {
        if (t.status == Status::in_progress || t.status == Status::complete) {
            EXPECT_EQ(t.entered, 2);
        }
    }
    // The last completion counts.
    EXPECT_EQ(f.completed_us, 7 * hour);
    EXPECT_EQ(f.completions, 2);
}

TEST(ServiceLevel, EntriesOfOneInstantLeaveNoStretch) {
    // Inserted already in progress: created (to_do) and started share the transaction time.
    ServiceFacts f = fold({created(0), status("started", 0, "in_progress"), status("overdue", 3 * hour, "overdue")});
    auto times = time_in_status(f, 5 * hour);
    ASSERT_EQ(times.size(), 2u);
    EXPECT_EQ(times[0].status, Status::in_progress);
    EXPECT_EQ(times[0].calendar_us, 3 * hour);
    EXPECT_EQ(time_of(times, Status::overdue), 2 * hour);
    EXPECT_EQ(time_of(times, Status::to_do), -1);
}

TEST(ServiceLevel, LateAgainstTheDueDateAsItStoodAtCompletion) {
    ServiceFacts late = fold({created(0, 4 * hour), status("overdue", 4 * hour, "overdue"),
                              status("completed", 6 * hour, "complete")});
    EXPECT_EQ(late.on_time(), false);
    EXPECT_EQ(late.due_at_completion_us, 4 * hour);
    // Exactly at the due date is on time.
    EXPECT_EQ(fold({created(0, 4 * hour), status("completed", 4 * hour, "complete")}).on_time(), true);
}

TEST(ServiceLevel, AMovedDueDateCountsAsMovedTheFirstIsKept) {
    ServiceFacts f = fold({created(0, 4 * hour), due_changed(hour, 4 * hour, 8 * hour),
                           status("completed", 6 * hour, "complete"),
                           // moved after completion (an application's own UPDATE): no effect
                           due_changed(7 * hour, 8 * hour, 5 * hour)});
    EXPECT_EQ(f.on_time(), true);
    EXPECT_EQ(f.met_first_due(), false);
    EXPECT_EQ(f.first_due_us, 4 * hour);
    EXPECT_EQ(f.due_at_completion_us, 8 * hour);
}

TEST(ServiceLevel, NoDueDateIsNeitherOnTimeNorLate) {
    ServiceFacts f = fold({created(0), status("completed", 6 * hour, "complete")});
    EXPECT_TRUE(f.counts_as_completed());
    EXPECT_FALSE(f.on_time().has_value());
    EXPECT_FALSE(f.met_first_due().has_value());
    // A due date set later is the first one.
    ServiceFacts g = fold({created(0), due_changed(hour, std::nullopt, 2 * hour),
                           status("completed", 3 * hour, "complete")});
    EXPECT_EQ(g.first_due_us, 2 * hour);
    EXPECT_EQ(g.on_time(), false);
}

TEST(ServiceLevel, EntriesBefore02LearnTheFirstDueDateFromItsChange) {
    ServiceFacts f = fold({created(0, std::nullopt, false), due_changed(hour, 2 * hour, 9 * hour),
                           status("completed", 3 * hour, "complete")});
    EXPECT_EQ(f.first_due_us, 2 * hour);
    EXPECT_EQ(f.on_time(), true);
    EXPECT_EQ(f.met_first_due(), false);
}

TEST(ServiceLevel, UncompletedIsNotCompleted) {
    ServiceFacts f = fold({created(0, hour), status("completed", 2 * hour, "complete"),
                           status("uncompleted", 3 * hour, "overdue")});
    EXPECT_FALSE(f.counts_as_completed());
    EXPECT_FALSE(f.on_time().has_value());
    EXPECT_FALSE(f.time_to_complete_us().has_value());
}

TEST(ServiceLevel, DeletionEndsTheLastStretchAndTheCount) {
    LogStep del;
    del.event = "deleted";
    del.at_us = 5 * hour;
    del.new_value = std::nullopt;
    ServiceFacts f = fold({created(0), status("completed", 2 * hour, "complete"), del,
                           status("uncompleted", 6 * hour, "to_do")});
    EXPECT_TRUE(f.deleted);
    EXPECT_FALSE(f.counts_as_completed());
    auto times = time_in_status(f, 100 * hour);
    EXPECT_EQ(time_of(times, Status::complete), 3 * hour);
}

TEST(ServiceLevel, GroupingKeysFollowTheLog) {
    LogStep groups;
    groups.event = "groups_changed";
    groups.at_us = 2 * hour;
    groups.group_ids = {9};
    ServiceFacts f = fold({created(0), keyed("assigned", hour, 42), keyed("reassigned", hour, 43), groups,
                           keyed("record_changed", 2 * hour, 5), keyed("unassigned", 3 * hour, std::nullopt),
                           keyed("assigned", 3 * hour, 44)});
    EXPECT_EQ(f.assignee_id, 44);
    EXPECT_EQ(f.record_id, 5);
    EXPECT_EQ(f.group_ids, std::vector<std::int64_t>{9});
    EXPECT_EQ(f.type, "task");
    EXPECT_EQ(f.owner_id, 1);
}

// The summary of completed actions is kept by continuing a fold from the facts stored in the
// action's row (no spans) over the entries after the last one that changed them: at every point
// of a chain with every kind of entry, that gives the facts of the whole chain.
TEST(ServiceLevel, AFoldContinuedFromItsFactsEqualsTheWholeFold) {
    LogStep del;
    del.event = "deleted";
    del.at_us = 20 * hour;
    LogStep groups;
    groups.event = "groups_changed";
    groups.at_us = 6 * hour;
    groups.group_ids = {9};
    LogStep noted;
    noted.event = "noted";
    noted.at_us = 7 * hour;
    std::vector<LogStep> chain = {
        created(0, std::nullopt), keyed("assigned", 0, 42), status("started", hour, "in_progress"),
        noted, due_changed(2 * hour, std::nullopt, 5 * hour), status("completed", 3 * hour, "complete"),
        noted, keyed("reassigned", 4 * hour, 43), due_changed(4 * hour, 5 * hour, 2 * hour),
        status("uncompleted", 5 * hour, "overdue"), noted, groups, keyed("record_changed", 6 * hour, 8),
        due_changed(7 * hour, 2 * hour, 9 * hour), status("started", 8 * hour, "in_progress"),
        status("completed", 9 * hour, "complete"), noted, keyed("unassigned", 10 * hour, std::nullopt),
        status("uncompleted", 11 * hour, "to_do"), status("completed", 12 * hour, "complete"), noted, del,
        status("uncompleted", 21 * hour, "to_do"), noted};
    for (std::size_t i = 0; i < chain.size(); i++) chain[i].seq = static_cast<std::int32_t>(i + 1);
    const ServiceFacts whole = fold(chain);
    EXPECT_EQ(whole.completions, 3);
    EXPECT_TRUE(whole.deleted);
    EXPECT_EQ(whole.folded_seq, 22) << "the deletion is the last entry that changed the facts";
    for (std::size_t k = 0; k <= chain.size(); k++) {
        ServiceFacts stored = fold(std::vector<LogStep>(chain.begin(), chain.begin() + static_cast<std::ptrdiff_t>(k)));
        stored.spans.clear();  // the row keeps no spans
        std::vector<LogStep> after;
        for (const LogStep& s : chain)
            if (s.seq > stored.folded_seq) after.push_back(s);
        const ServiceFacts f = fold(after, stored);
        SCOPED_TRACE("split after entry " + std::to_string(k));
        EXPECT_EQ(f.created, whole.created);
        EXPECT_EQ(f.deleted, whole.deleted);
        EXPECT_EQ(f.created_us, whole.created_us);
        EXPECT_EQ(f.completed_us, whole.completed_us);
        EXPECT_EQ(f.due_at_completion_us, whole.due_at_completion_us);
        EXPECT_EQ(f.first_due_us, whole.first_due_us);
        EXPECT_EQ(f.due_us, whole.due_us);
        EXPECT_EQ(f.completions, whole.completions);
        EXPECT_EQ(f.type, whole.type);
        EXPECT_EQ(f.owner_id, whole.owner_id);
        EXPECT_EQ(f.assignee_id, whole.assignee_id);
        EXPECT_EQ(f.record_id, whole.record_id);
        EXPECT_EQ(f.template_id, whole.template_id);
        EXPECT_EQ(f.group_ids, whole.group_ids);
        EXPECT_EQ(f.folded_seq, whole.folded_seq);
    }
    // Entries that change none of the facts leave folded_seq where it was.
    std::vector<LogStep> open = {created(0, hour), status("started", hour, "in_progress"), noted};
    for (std::size_t i = 0; i < open.size(); i++) open[i].seq = static_cast<std::int32_t>(i + 1);
    EXPECT_EQ(fold(open).folded_seq, 1);
}

TEST(ServiceLevel, CancelledStaysOutOfCompletions) {
    ServiceFacts f = fold({created(0, hour), status("cancelled", 2 * hour, "cancelled")});
    EXPECT_FALSE(f.counts_as_completed());
    EXPECT_EQ(time_of(time_in_status(f, 5 * hour), Status::cancelled), 3 * hour);
}

TEST(ServiceLevel, WhichEntriesRefreshTheSummary) {
    const std::optional<std::string> none, complete{"complete"}, open{"to_do"};
    EXPECT_TRUE(affects_summary("completed", open, true));
    EXPECT_TRUE(affects_summary("uncompleted", complete, false));
    EXPECT_TRUE(affects_summary("deleted", complete, false));
    EXPECT_FALSE(affects_summary("deleted", open, false));
    EXPECT_TRUE(affects_summary("reassigned", none, true));
    EXPECT_TRUE(affects_summary("due_changed", none, true));
    // Work on open actions pays nothing.
    EXPECT_FALSE(affects_summary("reassigned", none, false));
    EXPECT_FALSE(affects_summary("started", open, false));
    EXPECT_FALSE(affects_summary("title_changed", none, true));
    EXPECT_FALSE(affects_summary("note_added", none, true));
}

TEST(ServiceLevel, Vocabularies) {
    ASSERT_TRUE(service_level_vocabulary("by"));
    EXPECT_EQ(service_level_vocabulary("by")->front(), "workspace");
    EXPECT_EQ(service_level_vocabulary("period")->size(), 5u);
    EXPECT_FALSE(service_level_vocabulary("colour"));
}

}  // namespace
}  // namespace pg_actions::core

namespace pg_actions::core {
namespace {

// 2026-11-30 is a Monday; the log counts from 2000-01-01, the calendar from 1970-01-01.
constexpr std::int64_t log_epoch_days = 10957;
std::int64_t log_at(int y, unsigned mo, unsigned d, int hh, int mm, int offset_minutes = 0) {
    return ((days_from_civil(y, mo, d) - log_epoch_days) * 86400 + hh * 3600 + mm * 60 - offset_minutes * 60) *
           1'000'000LL;
}

WeekHours office_week() {
    WeekHours w;
    for (int d = 0; d < 5; d++) w[d] = std::get<DayHours>(parse_hours("09:00-12:30, 13:30-17:30"));
    return w;
}

TEST(ServiceLevelWorkingTime, StatusStretchesInWorkingTime) {
    const OffsetTable utc(0, {});
    const Calendar cal(office_week(), {}, utc);
    // Created Friday 16:00, started Monday 10:00, completed Monday 14:30.
    ServiceFacts f = fold({created(log_at(2026, 11, 27, 16, 0)), status("started", log_at(2026, 11, 30, 10, 0), "in_progress"),
                           status("completed", log_at(2026, 11, 30, 14, 30), "complete")});
    auto times = time_in_status(f, log_at(2026, 11, 30, 14, 30), &cal);
    ASSERT_EQ(times.size(), 3u);
    EXPECT_EQ(times[0].calendar_us, (3 * 24 - 6) * hour);  // Fri 16:00 .. Mon 10:00
    EXPECT_EQ(times[0].working_us, 5 * hour / 2);  // Fri 16:00-17:30 (1.5 h) and Mon 09:00-10:00 (1 h)
    EXPECT_EQ(times[1].working_us, 7 * hour / 2);  // Mon 10:00-12:30 (2.5 h) and 13:30-14:30 (1 h)
    EXPECT_EQ(working_to_complete_us(f, cal), times[0].working_us.value() + times[1].working_us.value());
    // Without a calendar there is no working time.
    EXPECT_FALSE(time_in_status(f, log_at(2026, 11, 30, 14, 30))[0].working_us.has_value());
}

TEST(ServiceLevelWorkingTime, AcrossTheEuropeanSwitchInTheCalendarsZone) {
    // Paris, round-the-clock hours on every day: the 23-hour Sunday 2026-03-29 counts 23 hours.
    const OffsetTable paris(3600, {{(days_from_civil(2026, 3, 29) * 86400 + 3600), 7200}});
    WeekHours all;
    for (int d = 0; d < 7; d++) all[d] = std::get<DayHours>(parse_hours("00:00-24:00"));
    const Calendar cal(all, {}, paris);
    ServiceFacts f = fold({created(log_at(2026, 3, 29, 0, 0, 60)), status("completed", log_at(2026, 3, 30, 0, 0, 120), "complete")});
    EXPECT_EQ(working_to_complete_us(f, cal), 23 * hour);
    EXPECT_EQ(f.time_to_complete_us(), 23 * hour);
}

}  // namespace
}  // namespace pg_actions::core
