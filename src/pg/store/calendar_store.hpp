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

// Whether the acting person is an active member of the workspace that owns the calendar or of one
// that uses it: who reads a calendar and computes with it (the row-level security of the tables
// too). Memberships as own_membership() reads them (asked of the node holding each workspace on a
// Citus coordinator).
bool calendar_visible(const CalendarRow& c, std::int64_t actor);

// The statements of the calendar verbs (api/calendars.cpp). Each states its snapshot (the
// statement's own, spi.hpp: the verbs are VOLATILE, so what is committed now plus this
// transaction's writes), its row locks, and the workspace it names. actions.calendar_hours and
// calendar_holiday have no workspace_id: they are named by their calendar, whose row the verb
// locked FOR UPDATE first (calendar_row(id, true)), which serialises every change of them.
namespace store {

// Whether the workspace has a calendar of that name. No lock. Names workspace_id.
bool calendar_name_taken(std::int64_t workspace_id, const std::string& name);
// Inserts a calendar; its id. Locks: the new row. Names workspace_id.
std::int64_t insert_calendar(std::int64_t workspace_id, const std::string& name, const std::string& time_zone);
// Changes a calendar's name and/or zone (nullopt: unchanged). Locks: the row (FOR NO KEY UPDATE
// by the UPDATE; the caller holds it FOR UPDATE). By calendar_id alone (its workspace was read
// with the lock).
void update_calendar(std::int64_t calendar_id, const std::optional<std::string>& name,
                     const std::optional<std::string>& time_zone);
// Deletes a calendar (its hours and holidays by ON DELETE CASCADE). Locks: the rows. By calendar_id alone.
void delete_calendar(std::int64_t calendar_id);
// Replaces a calendar's working hours: hours[d] is ISO weekday d + 1's (core::format_hours), an
// empty text a day off. Locks: the rows deleted and inserted. By calendar_id alone.
void replace_calendar_hours(std::int64_t calendar_id, const std::vector<std::string>& hours);
// Inserts a holiday (days since 1970-01-01); its id. Locks: the new row. By calendar_id alone.
std::int64_t insert_holiday(std::int64_t calendar_id, const std::string& name, std::int64_t first_day,
                            std::int64_t last_day);
// The calendar a holiday belongs to (nullopt: no such holiday). No lock. By holiday_id alone: it
// finds the calendar.
std::optional<std::int64_t> holiday_calendar(std::int64_t holiday_id);
// Deletes a holiday. Locks: the row. By holiday_id alone.
void delete_holiday(std::int64_t holiday_id);
// Makes the workspace use the calendar (non_working_due nullopt: 'keep' for a new link, the
// setting kept for an existing one). Locks: the workspace's row of actions.workspace_calendar
// (inserted, or FOR UPDATE by ON CONFLICT DO UPDATE). Names workspace_id.
void link_workspace_calendar(std::int64_t workspace_id, std::int64_t calendar_id,
                             const std::optional<std::string>& non_working_due);
// Makes the workspace use no calendar. Locks: its row of actions.workspace_calendar. Names workspace_id.
void unlink_workspace_calendar(std::int64_t workspace_id);
// How many workspaces other than this one use the calendar. No lock. Names workspace_id (the one
// left out) and calendar_id.
std::int64_t calendar_users_besides(std::int64_t calendar_id, std::int64_t workspace_id);

}  // namespace store

}  // namespace pg_actions::pg
