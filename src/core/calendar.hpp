// Working-time arithmetic over a business calendar: add a working duration to an instant, measure
// the working time between two instants, and move a date-only due date off a non-working day.
//
// Working time is every instant whose wall-clock time, in the calendar's zone, lies in a period
// of the working hours of a working day (a weekday with hours that is not a holiday). It is
// measured in elapsed time, so a period that a daylight-saving change shortens or lengthens counts
// what really elapses. A period's start is the first instant the wall clock shows it and its end
// the last (Zone::first_instant, Zone::last_instant); a wall time the change skips maps to the
// instant of the change.
//
// A working duration is whole working days, then working time:
//  - N days (N > 0) from an instant inside a working day's hours: the instant on the Nth next
//    working day at which as much of its working time has passed (Wed 10:00 + 1 day = Thu 10:00;
//    Fri 15:00 + 1 day = Mon 15:00). An instant at or after the end of a day's hours, on a
//    non-working day, or before the first hours of a working day, is the end of the last working
//    day so far, so N days lead to the end of the Nth working day after it (Tue 07:00 + 1 day =
//    Tue 17:30; Sat + 1 day = Mon 17:30). A target day with less working time is clamped to its end.
//    With the same hours on both days this is the same wall-clock time, unless a daylight-saving
//    change falls inside the hours of one of them (round-the-clock hours: Sat 12:00 + 1 day is the
//    13:00 of the 23-hour Sunday, when twelve of its hours have passed).
//  - then the working time: the earliest instant at which that much working time has passed
//    (Mon 16:30 + 2 hours = Tue 10:00 with 09:00-17:30 hours; Mon 09:00 + 8.5 hours = Mon 17:30).
//  - a negative duration goes back the same way (the latest such instant; the start of a day
//    rather than the end of the day before).
// So '1 day' is one working day, not 24 hours nor one day's worth of hours; '8 hours' is eight
// hours of working time. working_time_between(a, b) is the working time in [a, b) (negative
// when b is before a), and add(a, working_time_between(a, b)) is b whenever b is working time.
#pragma once
#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

#include "calendar_rules.hpp"
#include "refusal.hpp"
#include "zone.hpp"
#include "pure.hpp"

namespace pg_actions::core {

inline constexpr std::int64_t micros_per_second = 1'000'000;

class Calendar {
public:
    // week and holidays as checked by calendar_rules; zone outlives the calendar.
    Calendar(WeekHours week, const std::vector<Holiday>& holidays, const ZoneRules& zone);

    // Days since 1970-01-01 in the calendar's zone.
    bool working_day(std::int64_t day) const;
    std::int64_t local_day(std::int64_t instant_micros) const;
    // The day a date-only due date on `day` is due: itself when it is a working day or `how` is
    // keep, otherwise the previous or next working day (nullopt: none within the supported range).
    std::optional<std::int64_t> due_day(std::int64_t day, NonWorkingDue how) const;
    // The nth working day after `day` (n > 0; n < 0: before it); nullopt: none within the range.
    std::optional<std::int64_t> nth_working_day(std::int64_t day, std::int64_t n) const {
        return step_working(day, n < 0 ? -1 : 1, n < 0 ? -n : n);
    }

    // Instants are microseconds since 1970-01-01 00:00 UTC. Refused (22008) when the answer would
    // leave the years 1 to 9999.
    std::variant<std::int64_t, Refusal> add(std::int64_t from, WorkingDuration d) const;
    std::int64_t between(std::int64_t a, std::int64_t b) const;

    struct Interval {
        std::int64_t start, end;  // microseconds, [start, end)
    };
    // The working time of a day as instants, in order; empty on a day without working time.
    std::vector<Interval> intervals(std::int64_t day) const;

private:
    std::variant<std::int64_t, Refusal> add_time(std::int64_t from, std::int64_t micros) const;
    std::variant<std::int64_t, Refusal> add_days(std::int64_t from, std::int64_t days) const;
    std::optional<std::int64_t> step_working(std::int64_t day, int direction, std::int64_t count) const;

    WeekHours week_;
    struct Range {
        std::int64_t first, last;
    };
    std::vector<Range> holidays_;  // sorted, merged
    Zone zone_;
};

Refusal out_of_range();

}  // namespace pg_actions::core
