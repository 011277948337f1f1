// The interrupt check (core/interrupts.hpp): the core's long loops call it, so an installed check
// that throws abandons them (the glue's throws on a pending cancel or timeout); without one, or
// with one that returns, the results are unchanged.
#include <gtest/gtest.h>

#include <stdexcept>

#include "calendar.hpp"
#include "interrupts.hpp"
#include "recurrence.hpp"

using namespace pg_actions::core;

namespace {

int calls = 0;
int throw_after = 0;  // 0: never throw

struct Cancelled : std::runtime_error {
    Cancelled() : std::runtime_error("cancelled") {}
};

void counting_check() {
    ++calls;
    if (throw_after > 0 && calls >= throw_after) throw Cancelled();
}

// Installs the counting check for one test and removes it after.
class Interrupts : public ::testing::Test {
protected:
    void SetUp() override {
        calls = 0;
        throw_after = 0;
        set_interrupt_check(counting_check);
    }
    void TearDown() override { set_interrupt_check(nullptr); }
};

const OffsetTable utc(0, {});

WeekHours weekdays() {
    WeekHours w;
    for (int d = 0; d < 5; d++) w[d] = std::get<DayHours>(parse_hours("09:00-17:00"));
    return w;
}

std::int64_t instant(int y, unsigned mo, unsigned d) { return days_from_civil(y, mo, d) * 86400 * micros_per_second; }

TEST_F(Interrupts, LongCalendarLoopsCheckEveryDay) {
    Calendar c(weekdays(), {}, utc);
    // 2000 years of working time: one check per day at least, and the same answer as without a check.
    std::int64_t with = c.between(instant(1, 1, 1), instant(2001, 1, 1));
    EXPECT_GE(calls, 2000 * 365);
    set_interrupt_check(nullptr);
    EXPECT_EQ(c.between(instant(1, 1, 1), instant(2001, 1, 1)), with);
}

TEST_F(Interrupts, AThrowingCheckAbandonsCalendarArithmetic) {
    Calendar c(weekdays(), {}, utc);
    throw_after = 1000;
    EXPECT_THROW(c.between(instant(1, 1, 1), instant(9999, 1, 1)), Cancelled);
    EXPECT_EQ(calls, 1000);
    calls = 0;
    EXPECT_THROW(c.add(instant(2026, 1, 1), WorkingDuration{1'000'000, 0}), Cancelled);
    calls = 0;
    EXPECT_THROW(c.add(instant(2026, 1, 1), WorkingDuration{0, 1'000'000LL * 3600 * micros_per_second}), Cancelled);
    calls = 0;
    EXPECT_THROW(c.add(instant(2026, 1, 1), WorkingDuration{0, -1'000'000LL * 3600 * micros_per_second}), Cancelled);
    // A calendar without any working day looks for one until the year 9999.
    Calendar never(WeekHours{}, {}, utc);
    calls = 0;
    EXPECT_THROW(never.due_day(days_from_civil(2026, 6, 6), NonWorkingDue::next), Cancelled);
}

TEST_F(Interrupts, AThrowingCheckAbandonsRecurrenceExpansion) {
    // COUNT makes libical walk from the start: about 365 * 8000 steps to reach the year 9999.
    const LocalSeconds start = 0;
    std::vector<LocalSeconds> few = occurrences("FREQ=DAILY;COUNT=5000000", start, start, 3);
    EXPECT_EQ(few.size(), 3u);
    EXPECT_GE(calls, 3);
    throw_after = 10000;
    calls = 0;
    EXPECT_THROW(occurrences("FREQ=DAILY;COUNT=5000000", start, 250'000'000'000LL, 1), Cancelled);
    EXPECT_EQ(calls, 10000);
}

}  // namespace
