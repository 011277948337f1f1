// Procedures: scheduling in working time, the order of steps, who may complete an earlier step,
// and the rescheduling of later steps when a step is completed early or late (core/procedure.hpp).
#include <gtest/gtest.h>

#include "procedure.hpp"

using namespace pg_actions::core;

namespace {

constexpr std::int64_t H = 3600 * micros_per_second;

// UTC, Monday to Friday 09:00-17:00; 2026-11-30 is a Monday.
std::int64_t at(unsigned d, int hh) { return (days_from_civil(2026, 12, 1) + d - 1) * 86400 * micros_per_second + hh * H; }
const OffsetTable utc(0, {});

WeekHours weekdays() {
    WeekHours w;
    for (int d = 0; d < 5; d++) w[d] = std::get<DayHours>(parse_hours("09:00-17:00"));
    return w;
}

std::vector<ScheduledStep> three_steps(const Calendar& c, std::int64_t start) {
    auto r = schedule(c, start, {{{0, 0}, {2, 0}}, {{0, 4 * H}, {1, 0}}, {{0, 0}, {0, 8 * H}}});
    EXPECT_TRUE(std::holds_alternative<std::vector<ScheduledStep>>(r));
    return std::get<std::vector<ScheduledStep>>(r);
}

Reschedule decided(const Calendar& c, const CompletionFacts& f) {
    auto r = reschedule_on_completion(c, f);
    EXPECT_TRUE(std::holds_alternative<Reschedule>(r));
    return std::holds_alternative<Reschedule>(r) ? std::get<Reschedule>(r) : Reschedule{};
}

}  // namespace

TEST(Procedure, DefinitionChecks) {
    EXPECT_FALSE(check_procedure_name("Onboarding"));
    EXPECT_TRUE(check_procedure_name(" "));
    EXPECT_TRUE(check_procedure_name(std::nullopt));
    EXPECT_TRUE(check_procedure_name(std::string(201, 'x')));
    EXPECT_FALSE(check_step_timing({1, 0}, {0, 0}));
    EXPECT_FALSE(check_step_timing({0, H}, {0, 2 * H}));
    auto zero = check_step_timing({0, 0}, {0, 0});
    ASSERT_TRUE(zero);
    EXPECT_EQ(zero->kind, RefusalKind::invalid_value);
    EXPECT_TRUE(check_step_timing({0, -H}, {0, 0}));
    EXPECT_EQ(check_step_timing({1, 0}, {0, -H})->message, "a step's gap must not be negative");
    EXPECT_FALSE(check_step_count(99));
    EXPECT_TRUE(check_step_count(100));
    EXPECT_EQ(check_has_steps(7, 0)->kind, RefusalKind::wrong_state);
    EXPECT_FALSE(check_has_steps(7, 1));
}

TEST(Procedure, ScheduleInWorkingTime) {
    Calendar c(weekdays(), {}, utc);
    // Tue 1 December 10:00: step 1 takes 2 days (due Thu 10:00); step 2 starts 4 hours later (Thu 14:00)
    // and takes a day (Fri 14:00); step 3 takes 8 hours: Fri 14:00-17:00 and Mon 09:00-14:00.
    auto s = three_steps(c, at(1, 10));
    ASSERT_EQ(s.size(), 3u);
    EXPECT_EQ(s[0].start, at(1, 10));
    EXPECT_EQ(s[0].due, at(3, 10));
    EXPECT_EQ(s[1].start, at(3, 14));
    EXPECT_EQ(s[1].due, at(4, 14));
    EXPECT_EQ(s[2].start, at(4, 14));
    EXPECT_EQ(s[2].due, at(7, 14));
    // 09:00 is the end of the working day before (core/calendar.hpp): two days from Tue 09:00 end Wed.
    EXPECT_EQ(three_steps(c, at(1, 9))[0].due, at(2, 17));
    // Attached on a Saturday: two days from then is the end of Tuesday.
    auto w = three_steps(c, at(5, 10));
    EXPECT_EQ(w[0].due, at(8, 17));
    // A holiday on Friday 4 moves everything after it.
    Calendar h(weekdays(), {{"Holiday", days_from_civil(2026, 12, 4), days_from_civil(2026, 12, 4)}}, utc);
    EXPECT_EQ(three_steps(h, at(1, 10))[2].due, at(8, 14));
}

TEST(Procedure, StepsRunInOrder) {
    StepFacts f;
    f.action_id = 42;
    f.position = 2;
    f.states = {StepState::open, StepState::open, StepState::open};
    auto r = check_step_act(f, false);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, RefusalKind::wrong_state);
    EXPECT_EQ(r->message, "step 2 of its procedure cannot start before step 1 is complete");
    EXPECT_NE(r->hint.find("relaxed_dates"), std::string::npos);
    EXPECT_TRUE(check_step_act(f, true));
    f.relaxed_dates = true;
    EXPECT_FALSE(check_step_act(f, true));
    f.relaxed_dates = false;
    f.states[0] = StepState::complete;
    EXPECT_FALSE(check_step_act(f, false));
    // A cancelled step is passed over: step 3 waits for step 1.
    f.position = 3;
    f.states = {StepState::open, StepState::cancelled, StepState::open};
    EXPECT_EQ(check_step_act(f, false)->message, "step 3 of its procedure cannot start before step 1 is complete");
    f.states[0] = StepState::complete;
    EXPECT_FALSE(check_step_act(f, true));
    f.position = 1;
    EXPECT_FALSE(check_step_act(f, false));
}

TEST(Procedure, CompletingAnEarlierStepNeedsAdministerOrReassign) {
    StepFacts f;
    f.action_id = 42;
    f.position = 1;
    f.relaxed_dates = true;
    f.states = {StepState::open, StepState::complete, StepState::open};
    auto r = check_step_act(f, true);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, RefusalKind::not_permitted);
    // The refused step first, then the later step that holds it.
    EXPECT_EQ(r->detail.rfind("step 1 comes before step 2, which is already complete;", 0), 0u) << r->detail;
    f.position = 2;
    f.states = {StepState::complete, StepState::open, StepState::open, StepState::complete};
    EXPECT_EQ(check_step_act(f, true)->detail.rfind("step 2 comes before step 4, which is already complete;", 0), 0u);
    f.position = 1;
    f.states = {StepState::open, StepState::complete, StepState::open};
    EXPECT_FALSE(check_step_act(f, false));  // starting it is not completing it
    f.may_complete_earlier = true;
    EXPECT_FALSE(check_step_act(f, true));
    f.may_complete_earlier = false;
    f.states[1] = StepState::open;
    EXPECT_FALSE(check_step_act(f, true));
}

TEST(Procedure, ReschedulingEarlyAndLate) {
    Calendar c(weekdays(), {}, utc);
    CompletionFacts f;
    f.due = at(3, 9);  // Thu 09:00
    f.completed_at = at(3, 13);  // 4 hours late
    EXPECT_EQ(decided(c, f).apply, false);
    EXPECT_EQ(decided(c, f).shift, 4 * H);
    f.reschedule_if_late = true;
    EXPECT_TRUE(decided(c, f).apply);
    f.choice = false;  // the switch wins
    EXPECT_TRUE(decided(c, f).apply);
    // Early: Wed 09:00 is 8 working hours before Thu 09:00.
    f.completed_at = at(2, 9);
    f.choice = std::nullopt;
    EXPECT_FALSE(decided(c, f).apply);
    EXPECT_EQ(decided(c, f).shift, -8 * H);
    f.choice = true;
    auto refused = reschedule_on_completion(c, f);
    ASSERT_TRUE(std::holds_alternative<Refusal>(refused));
    EXPECT_EQ(std::get<Refusal>(refused).kind, RefusalKind::not_permitted);
    f.administers = true;
    EXPECT_TRUE(decided(c, f).apply);
    f.choice = std::nullopt;
    f.reschedule_if_early = true;
    EXPECT_TRUE(decided(c, f).apply);
    // On time: nothing moves, whatever the switches say.
    f.completed_at = f.due;
    EXPECT_FALSE(decided(c, f).apply);
    // Completed outside working hours the same working instant: no difference either.
    f.completed_at = at(2, 20);  // Wed 20:00 = Thu 09:00 in working time
    EXPECT_FALSE(decided(c, f).apply);

    // Moving a later step, and back.
    auto s = three_steps(c, at(1, 10));  // step 2: Thu 14:00 to Fri 14:00
    auto moved = std::get<ScheduledStep>(shifted(c, s[1], 4 * H));
    EXPECT_EQ(moved.start, at(4, 10));
    EXPECT_EQ(moved.due, at(7, 10));
    auto back = std::get<ScheduledStep>(shifted(c, moved, -4 * H));
    EXPECT_EQ(back.start, at(3, 14));
    EXPECT_EQ(back.due, at(4, 14));
}

TEST(Procedure, StartCancelAndLog) {
    EXPECT_EQ(check_set_step_start(5, false, 0, std::nullopt)->kind, RefusalKind::not_permitted);
    EXPECT_FALSE(check_set_step_start(5, true, 10, 20));
    EXPECT_EQ(check_set_step_start(5, true, 30, 20)->kind, RefusalKind::invalid_value);
    EXPECT_FALSE(check_cancel_procedure(1, true, false, false));
    EXPECT_FALSE(check_cancel_procedure(1, false, true, false));
    EXPECT_EQ(check_cancel_procedure(1, false, false, false)->kind, RefusalKind::not_permitted);
    EXPECT_EQ(check_cancel_procedure(1, true, false, true)->kind, RefusalKind::wrong_state);
    EXPECT_EQ(rescheduled_detail(12, 1, 4 * H, "completed"),
              "{\"caused_by\": 12, \"step\": 1, \"shift_seconds\": 14400, \"because\": \"completed\"}");
    EXPECT_EQ(rescheduled_detail(12, 1, -3600 * micros_per_second, "uncompleted", "a", "b"),
              "{\"caused_by\": 12, \"step\": 1, \"shift_seconds\": -3600, \"because\": \"uncompleted\", "
              "\"old_due\": \"a\", \"new_due\": \"b\"}");
}
