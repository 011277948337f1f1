// Business calendars as the glue reads them: a calendar with its working hours and holidays, loaded
// for the core's arithmetic (core/calendar.hpp) with its zone from PostgreSQL's own time zone
// database (the one AT TIME ZONE uses), the calendar a workspace uses, who may see a calendar, and
// the conversions between PostgreSQL's times and the core's. Reads run SQL (inside an SpiScope).
// What procedures, service levels and due dates use: load_calendar() / workspace_calendar().
#pragma once

#include "pg/boundary/postgres.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.hpp"

struct pg_tz;

namespace pg_actions::pg {

// The core counts microseconds and days since 1970-01-01; PostgreSQL since 2000-01-01. The times
// are converted with overflow checks: infinity or a time out of range is refused (22008,
// time_out_of_range()).
std::int64_t unix_micros(TimestampTz t);
TimestampTz timestamptz_of(std::int64_t unix_micros);
core::Refusal time_out_of_range();
std::int64_t unix_day(DateADT d);
DateADT date_of(std::int64_t unix_day);

// A zone of PostgreSQL's time zone database: its offsets, read with pg_next_dst_boundary().
class PgZone final : public core::ZoneRules {
public:
    explicit PgZone(const pg_tz* tz) : tz_(tz) {}
    core::OffsetSpan span_from(std::int64_t instant) const override;

private:
    const pg_tz* tz_;
};

// A name of pg_timezone_names (as actions.create_workspace accepts), or 22023 with a hint: what a
// calendar is given (reading pg_timezone_names lists the zone directory: for writes only).
const pg_tz* require_zone(const std::string& name);
// The zone of a stored name, loaded once per backend by PostgreSQL (pg_tzset), or 22023.
const pg_tz* zone_of(const std::string& name);

struct CalendarRow {
    std::int64_t calendar_id;
    std::int64_t workspace_id;  // the workspace that owns it (whose managers change it)
    std::string name;
    std::string time_zone;
};

// A calendar with its hours, holidays and zone, ready for arithmetic. Not copyable: the calendar
// refers to its zone.
class LoadedCalendar {
public:
    LoadedCalendar(CalendarRow row, core::WeekHours week, const std::vector<core::Holiday>& holidays, const pg_tz* tz)
        : row_(std::move(row)), week_(week), zone_(tz), calendar_(std::move(week), holidays, zone_) {}
    LoadedCalendar(const LoadedCalendar&) = delete;
    LoadedCalendar& operator=(const LoadedCalendar&) = delete;
    const CalendarRow& row() const { return row_; }
    const core::WeekHours& week() const { return week_; }
    const core::Calendar& calendar() const { return calendar_; }

private:
    CalendarRow row_;
    core::WeekHours week_;
    PgZone zone_;
    core::Calendar calendar_;
};

// The calendar row alone (nullopt: no such calendar); lock: FOR UPDATE (a change to it).
std::optional<CalendarRow> calendar_row(std::int64_t calendar_id, bool lock = false);
// The whole calendar (nullptr: no such calendar).
std::unique_ptr<LoadedCalendar> load_calendar(std::int64_t calendar_id);

// The calendar a workspace uses and its setting for date-only due dates on non-working days.
struct WorkspaceCalendar {
    std::int64_t calendar_id;
    core::NonWorkingDue non_working_due;
};
std::optional<WorkspaceCalendar> workspace_calendar(std::int64_t workspace_id);

// The day a date-only due date given for `day` (days since 1970-01-01) falls due in the workspace:
// moved off a non-working day as the workspace's non_working_due setting says (the previous or
// next working day of its calendar); the day itself without a calendar or with keep. 22008 when
// no working day is left within the years 1 to 9999.
std::int64_t working_due_day(std::int64_t workspace_id, std::int64_t day);

// Whether the person is an active member of the workspace that owns the calendar or of one that
// uses it: who reads a calendar and computes with it (the row-level security of the tables too).
bool calendar_visible(const CalendarRow& c, std::int64_t person_id);

}  // namespace pg_actions::pg
