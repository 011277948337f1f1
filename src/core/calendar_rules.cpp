// Checks of calendar input (see calendar_rules.hpp).
#include "calendar_rules.hpp"

#include <algorithm>

#include "catalog.hpp"
#include "input.hpp"

namespace pg_actions::core {

namespace {

Refusal bad(std::string message, std::string detail, std::string hint) {
    return Refusal{RefusalKind::invalid_value, std::move(message), std::move(detail), std::move(hint)};
}

const char* hours_hint = "write working hours as HH:MM-HH:MM periods separated by commas, e.g. '09:00-12:30, 13:30-17:30'";

// "<before><text><after>", built by appending (g++ 12 warns wrongly about `"literal" + std::string`).
std::string quoted(std::string_view text, std::string_view after) {
    std::string s = "\"";
    s.append(text);
    s += '"';
    s.append(after);
    return s;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// "HH:MM" into seconds after midnight; 24:00 only as an end.
std::optional<std::int32_t> clock(std::string_view s, bool end) {
    s = trim(s);
    if (s.size() != 5 || s[2] != ':') return std::nullopt;
    for (int i : {0, 1, 3, 4})
        if (s[i] < '0' || s[i] > '9') return std::nullopt;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && (m != 0 || !end))) return std::nullopt;
    return h * 3600 + m * 60;
}

std::string hhmm(std::int32_t seconds) {
    const int h = seconds / 3600 % 100, m = seconds / 60 % 60;
    return std::string{char('0' + h / 10), char('0' + h % 10), ':', char('0' + m / 10), char('0' + m % 10)};
}

}  // namespace

std::variant<DayHours, Refusal> parse_hours(std::string_view text) {
    DayHours out;
    if (trim(text).empty())
        return bad("working hours are empty", "a working day needs at least one period of working time", hours_hint);
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t comma = text.find(',', pos);
        std::string_view part = text.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
        std::size_t dash = part.find('-');
        std::optional<std::int32_t> start = dash == std::string_view::npos ? std::nullopt : clock(part.substr(0, dash), false);
        std::optional<std::int32_t> end = dash == std::string_view::npos ? std::nullopt : clock(part.substr(dash + 1), true);
        if (!start || !end)
            return bad("working hours " + quoted(trim(part), " are not readable"),
                       "each period is a start and an end time of day, 00:00 to 24:00", hours_hint);
        if (*end <= *start)
            return bad("working hours " + quoted(trim(part), " are empty"),
                       "a period must end after it starts, on the same day",
                       "split a period that crosses midnight into one ending at 24:00 and one starting at 00:00 the next day");
        out.push_back({*start, *end});
        if (comma == std::string_view::npos) break;
        pos = comma + 1;
    }
    std::sort(out.begin(), out.end(), [](const Period& a, const Period& b) { return a.start < b.start; });
    DayHours joined;
    for (const Period& p : out) {
        if (!joined.empty() && p.start < joined.back().end)
            return bad("working hours overlap",
                       quoted(format_hours({joined.back()}), " and ") + quoted(format_hours({p}), " share time"),
                       "give each stretch of working time once, e.g. '09:00-12:30, 13:30-17:30'");
        if (!joined.empty() && p.start == joined.back().end)
            joined.back().end = p.end;
        else
            joined.push_back(p);
    }
    return joined;
}

std::string format_hours(const DayHours& hours) {
    std::string s;
    for (const Period& p : hours) {
        if (!s.empty()) s += ", ";
        s += hhmm(p.start) + "-" + hhmm(p.end);
    }
    return s;
}

std::optional<Refusal> check_working_days(const std::vector<std::int32_t>& days) {
    for (std::int32_t d : days)
        if (d < 1 || d > 7)
            return bad("working day " + std::to_string(d) + " is not a weekday",
                       "working days are ISO weekdays, 1 (Monday) to 7 (Sunday)", "pass e.g. '{1,2,3,4,5}' for Monday to Friday");
    if (days.empty())
        return bad("a calendar needs at least one working day", "no weekday was given as a working day",
                   "pass e.g. '{1,2,3,4,5}' for Monday to Friday");
    return std::nullopt;
}

std::optional<Refusal> check_week(const WeekHours& week) {
    for (const DayHours& d : week)
        if (!d.empty()) return std::nullopt;
    return bad("a calendar needs at least one working day", "every weekday would be without working hours",
               "keep working hours on at least one weekday");
}

std::optional<Refusal> check_calendar_name(std::optional<std::string_view> name) {
    if (!name || trim(*name).empty())
        return bad("calendar name is required", "a calendar needs a name people recognise", "pass a name such as 'Head office'");
    if (utf8_length(*name) > max_calendar_name_chars)
        return bad("calendar name is too long", "a calendar name has at most 200 characters", "shorten the name");
    return std::nullopt;
}

std::optional<Refusal> check_holiday(std::optional<std::string_view> name, std::int64_t first, std::int64_t last) {
    if (!name || trim(*name).empty())
        return bad("holiday name is required", "every holiday is listed by its name", "pass a name such as 'Christmas'");
    if (utf8_length(*name) > max_calendar_name_chars)
        return bad("holiday name is too long", "a holiday name has at most 200 characters", "shorten the name");
    if (last < first)
        return bad("holiday ends before it starts", "the last day of a holiday range must not be before its first day",
                   "pass the first day first, or leave last_day out for a single day");
    return std::nullopt;
}

Refusal calendar_not_found(std::int64_t calendar_id) {
    return Refusal{RefusalKind::not_found, "calendar " + std::to_string(calendar_id) + " not found",
                   "no calendar with that id is visible to you",
                   "check the id; you can only use calendars of workspaces you are a member of"};
}

Refusal holiday_not_found(std::int64_t holiday_id) {
    return Refusal{RefusalKind::not_found, "holiday " + std::to_string(holiday_id) + " not found",
                   "no holiday with that id is visible to you",
                   "check the id; you can only see holidays of calendars of your workspaces"};
}

Refusal calendar_not_managed(std::int64_t calendar_id) {
    return Refusal{RefusalKind::not_permitted, "not permitted to change calendar " + std::to_string(calendar_id),
                   "a calendar is changed by the managers (manage_workspace) of the workspace that owns it",
                   "ask a manager of the workspace that owns the calendar"};
}

Refusal no_calendar(std::int64_t workspace_id) {
    return Refusal{RefusalKind::wrong_state, "workspace " + std::to_string(workspace_id) + " has no calendar",
                   "working time is counted on a business calendar, and this workspace uses none",
                   "a manager creates one with actions.create_calendar() or shares one with actions.use_calendar()"};
}

Refusal calendar_in_use(std::int64_t calendar_id, std::int64_t other_workspaces) {
    return Refusal{RefusalKind::wrong_state, "calendar " + std::to_string(calendar_id) + " is in use",
                   std::to_string(other_workspaces) + " other workspace(s) use it",
                   "each of them must choose another calendar first (actions.use_calendar)"};
}

std::optional<NonWorkingDue> non_working_due_from(std::string_view name) {
    if (name == "keep") return NonWorkingDue::keep;
    if (name == "previous") return NonWorkingDue::previous;
    if (name == "next") return NonWorkingDue::next;
    return std::nullopt;
}

std::variant<WorkingDuration, Refusal> working_duration(std::int32_t months, std::int32_t days, std::int64_t micros) {
    if (months != 0)
        return bad("a working duration cannot be given in months or years",
                   "months have no fixed number of working days", "give the duration in days, hours and minutes, e.g. '20 days'");
    if ((days > 0 && micros < 0) || (days < 0 && micros > 0))
        return bad("a working duration has days and time of opposite signs",
                   "working days and working time are added one after the other, in one direction",
                   "give e.g. '2 days 4 hours', or '-2 days -4 hours' to go back");
    return WorkingDuration{days, micros};
}

}  // namespace pg_actions::core
