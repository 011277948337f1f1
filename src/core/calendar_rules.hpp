// What a business calendar is made of, and the checks of what a caller gives for it: working
// hours ("09:00-12:30, 13:30-17:30"), working days (ISO weekdays), holidays (named date ranges),
// the setting for date-only due dates on non-working days, and a working duration (an interval).
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "refusal.hpp"
#include "pure.hpp"

namespace pg_actions::core {

// A stretch of working time in a day: seconds after local midnight, [start, end), end at most
// 24:00. Periods do not cross midnight (a night shift is two periods on two days).
struct Period {
    std::int32_t start, end;
    bool operator==(const Period&) const = default;
};
using DayHours = std::vector<Period>;  // sorted, disjoint, each non-empty
// Index 0 is Monday (ISO weekday 1) .. 6 Sunday; a day without periods is not a working day.
using WeekHours = std::array<DayHours, 7>;

// "09:00-12:30, 13:30-17:30" (HH:MM, 24:00 allowed as an end; comma-separated) into sorted
// periods. Refused (22023): unreadable text, an empty or reversed period, overlapping periods,
// no period at all. Periods that touch are joined.
std::variant<DayHours, Refusal> parse_hours(std::string_view text);
std::string format_hours(const DayHours& hours);

// Working days given as ISO weekdays (1 Monday .. 7 Sunday): each in range; at least one.
std::optional<Refusal> check_working_days(const std::vector<std::int32_t>& days);
// The week must have at least one working day.
std::optional<Refusal> check_week(const WeekHours& week);

inline constexpr std::size_t max_calendar_name_chars = 200;
std::optional<Refusal> check_calendar_name(std::optional<std::string_view> name);

// A holiday: a name and days since 1970-01-01, first..last inclusive.
struct Holiday {
    std::string name;
    std::int64_t first, last;
};
// Name required (not blank, at most 200 characters); last not before first.
std::optional<Refusal> check_holiday(std::optional<std::string_view> name, std::int64_t first, std::int64_t last);

// Where a date-only due date that falls on a non-working day goes (the workspace's
// non_working_due setting, named in catalog.hpp): stays, or the previous or next working day.
enum class NonWorkingDue { keep, previous, next };
std::optional<NonWorkingDue> non_working_due_from(std::string_view name);

// Refusals about a calendar: one the person may not see is not found, like a missing one
// (P0002); one they see but whose owning workspace they do not manage (42501); the calendar or
// holiday a workspace or call needs missing (55000).
Refusal calendar_not_found(std::int64_t calendar_id);
Refusal holiday_not_found(std::int64_t holiday_id);
Refusal calendar_not_managed(std::int64_t calendar_id);
Refusal no_calendar(std::int64_t workspace_id);
Refusal calendar_in_use(std::int64_t calendar_id, std::int64_t other_workspaces);

// A working duration: whole working days, then working time (microseconds). Both have one sign.
struct WorkingDuration {
    std::int64_t days;
    std::int64_t micros;
    bool negative() const { return days < 0 || micros < 0; }
};
// From an interval's fields. Refused (22023): months (a month of working time means nothing), or
// days and time of opposite signs.
std::variant<WorkingDuration, Refusal> working_duration(std::int32_t months, std::int32_t days, std::int64_t micros);

}  // namespace pg_actions::core
