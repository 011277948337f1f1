// Business calendars read for the core (see calendars.hpp).
#include "pg/store/calendar_store.hpp"

#include "common/int.h"
#include "pgtime.h"

#include "pg/authz/facts.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/store/members.hpp"

namespace core = pg_actions::core;

namespace pg_actions::pg {

namespace {

// On Citus, a read of workspace_calendar by calendar alone reads every shard; Citus would do that
// over several connections per node, after which the same transaction may not change a calendar
// (a reference table other tables' foreign keys point to, which Citus changes over one connection
// per node). One connection per node for the read keeps a later change possible.
class OneConnectionPerNode : Uncopyable {
public:
    OneConnectionPerNode() : setting_("citus.multi_shard_modify_mode", "sequential") {}

private:
    LocalSetting setting_;
};

}  // namespace

namespace {

constexpr std::int64_t epoch_gap_days = POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE;  // 10957
constexpr std::int64_t epoch_gap_micros = epoch_gap_days * USECS_PER_DAY;

[[noreturn]] void corrupt(const std::string& what) {
    throw PgError(ERRCODE_DATA_CORRUPTED, "calendar data is not readable", what,
                  "change the calendar through the actions.* calendar functions, not the tables");
}

}  // namespace

// Checked: infinity, or a time whose shift overflows (past year 292,000), is refused, never wrapped.
std::int64_t unix_micros(TimestampTz t) {
    int64 out = 0;
    if (TIMESTAMP_NOT_FINITE(t) || pg_add_s64_overflow(t, epoch_gap_micros, &out)) refuse(time_out_of_range());
    return out;
}
TimestampTz timestamptz_of(std::int64_t unix_micros) {
    int64 out = 0;
    if (pg_sub_s64_overflow(unix_micros, epoch_gap_micros, &out) || !IS_VALID_TIMESTAMP(out)) refuse(time_out_of_range());
    return out;
}
core::Refusal time_out_of_range() {
    return {core::RefusalKind::bad_date, "timestamp out of range", "calendar arithmetic covers the years 1 to 9999",
            "pass a finite date and time in that range"};
}
std::int64_t unix_day(DateADT d) { return static_cast<std::int64_t>(d) + epoch_gap_days; }
DateADT date_of(std::int64_t unix_day) { return static_cast<DateADT>(unix_day - epoch_gap_days); }

core::OffsetSpan PgZone::span_from(std::int64_t instant) const {
    pg_time_t t = instant;
    long before = 0, after = 0;
    int before_dst = 0, after_dst = 0;
    pg_time_t boundary = 0;
    // Reads the zone loaded by pg_tzset(); raises nothing. The boundary is the first change after t.
    int found = pg_next_dst_boundary(&t, &before, &before_dst, &boundary, &after, &after_dst, tz_);
    if (found < 0) throw PgError(ERRCODE_INTERNAL_ERROR, "time zone offsets could not be read");
    return {static_cast<std::int32_t>(before), found == 1 ? static_cast<std::int64_t>(boundary) : core::never};
}

const pg_tz* require_zone(const std::string& name) {
    static Statement known(
        "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_timezone_names WHERE pg_timezone_names.name = $1)", {TEXTOID});
    Datum v[1] = {text_datum(name)};
    const pg_tz* tz = nullptr;
    if (known.run(v, nullptr, 1) == 1 && get_bool(0, 1)) {
        const char* cname = name.c_str();
        tz = guard([&]() -> const pg_tz* { return pg_tzset(cname); });
    }
    if (!tz)
        throw PgError(ERRCODE_INVALID_PARAMETER_VALUE, "time zone \"" + name + "\" is not recognized",
                      "a calendar's time zone is a name of PostgreSQL's time zone database",
                      "use a name from pg_timezone_names, e.g. 'Europe/Paris' or 'America/New_York'");
    return tz;
}

const pg_tz* zone_of(const std::string& name) {
    const char* cname = name.c_str();
    const pg_tz* tz = guard([&]() -> const pg_tz* { return pg_tzset(cname); });
    if (!tz)
        throw PgError(ERRCODE_INVALID_PARAMETER_VALUE, "time zone \"" + name + "\" is not recognized",
                      "PostgreSQL's time zone database no longer has the calendar's zone",
                      "a manager sets another with actions.alter_calendar(calendar_id, time_zone => ...)");
    return tz;
}

std::optional<CalendarRow> calendar_row(std::int64_t calendar_id, bool lock) {
    static Statement read("SELECT workspace_id, name, time_zone FROM actions.calendar WHERE calendar_id = $1", {INT8OID});
    static Statement locked(
        "SELECT workspace_id, name, time_zone FROM actions.calendar WHERE calendar_id = $1 FOR UPDATE", {INT8OID});
    Datum v[1] = {Int64GetDatum(calendar_id)};
    if ((lock ? locked : read).run(v, nullptr, 1) != 1) return std::nullopt;
    return CalendarRow{calendar_id, get_int64(0, 1), get_text(0, 2).value_or(""), get_text(0, 3).value_or("")};
}

std::unique_ptr<LoadedCalendar> load_calendar(std::int64_t calendar_id) {
    std::optional<CalendarRow> row = calendar_row(calendar_id);
    if (!row) return nullptr;
    static Statement hours("SELECT weekday::integer, hours FROM actions.calendar_hours WHERE calendar_id = $1", {INT8OID});
    static Statement holidays(
        "SELECT name, (first_day - DATE '1970-01-01')::integer, (last_day - DATE '1970-01-01')::integer "
        "FROM actions.calendar_holiday WHERE calendar_id = $1",
        {INT8OID});
    Datum v[1] = {Int64GetDatum(calendar_id)};
    core::WeekHours week;
    std::uint64_t n = hours.run(v, nullptr, 0);
    for (std::uint64_t i = 0; i < n; i++) {
        std::int32_t weekday = get_int32(i, 1);
        auto parsed = core::parse_hours(get_text(i, 2).value_or(""));
        if (weekday < 1 || weekday > 7 || std::holds_alternative<core::Refusal>(parsed))
            corrupt("calendar " + std::to_string(calendar_id) + " has unreadable working hours");
        week[weekday - 1] = std::get<core::DayHours>(parsed);
    }
    std::vector<core::Holiday> days;
    n = holidays.run(v, nullptr, 0);
    for (std::uint64_t i = 0; i < n; i++)
        days.push_back({get_text(i, 1).value_or(""), get_int32(i, 2), get_int32(i, 3)});
    if (core::check_week(week)) corrupt("calendar " + std::to_string(calendar_id) + " has no working day");
    const pg_tz* tz = zone_of(row->time_zone);
    return std::make_unique<LoadedCalendar>(std::move(*row), std::move(week), days, tz);
}

std::optional<WorkspaceCalendar> workspace_calendar(std::int64_t workspace_id) {
    static Statement read("SELECT calendar_id, non_working_due FROM actions.workspace_calendar WHERE workspace_id = $1",
                          {INT8OID});
    Datum v[1] = {Int64GetDatum(workspace_id)};
    if (read.run(v, nullptr, 1) != 1) return std::nullopt;
    auto rule = core::non_working_due_from(get_text(0, 2).value_or(""));
    if (!rule) corrupt("workspace " + std::to_string(workspace_id) + " has an unknown non_working_due setting");
    return WorkspaceCalendar{get_int64(0, 1), *rule};
}

std::int64_t working_due_day(std::int64_t workspace_id, std::int64_t day) {
    std::optional<WorkspaceCalendar> wc = workspace_calendar(workspace_id);
    if (!wc || wc->non_working_due == core::NonWorkingDue::keep) return day;
    std::unique_ptr<LoadedCalendar> c = load_calendar(wc->calendar_id);
    if (!c) return day;
    std::optional<std::int64_t> moved = c->calendar().due_day(day, wc->non_working_due);
    if (!moved) refuse(core::out_of_range());
    return *moved;
}

bool calendar_visible(const CalendarRow& c, std::int64_t actor) {
    if (member_acts(own_membership(c.workspace_id, actor).state)) return true;
    static Statement users("SELECT workspace_id FROM actions.workspace_calendar WHERE calendar_id = $1", {INT8OID});
    std::vector<std::int64_t> workspaces;
    {
        OneConnectionPerNode sequential;
        workspaces = users.exec_ids(c.calendar_id);
    }
    for (std::int64_t w : workspaces)
        if (member_acts(own_membership(w, actor).state)) return true;
    return false;
}

namespace store {

bool calendar_name_taken(std::int64_t workspace_id, const std::string& name) {
    static Statement q("SELECT 1 FROM actions.calendar WHERE workspace_id = $1 AND name = $2", {INT8OID, TEXTOID});
    return q.exec_limit(1, workspace_id, name) == 1;
}

std::int64_t insert_calendar(std::int64_t workspace_id, const std::string& name, const std::string& time_zone) {
    static Statement q(
        "INSERT INTO actions.calendar (workspace_id, name, time_zone) VALUES ($1, $2, $3) RETURNING calendar_id",
        {INT8OID, TEXTOID, TEXTOID});
    q.exec(workspace_id, name, time_zone);
    return get_int64(0, 1);
}

void update_calendar(std::int64_t calendar_id, const std::optional<std::string>& name,
                     const std::optional<std::string>& time_zone) {
    static Statement q(
        "UPDATE actions.calendar SET name = coalesce($2, name), time_zone = coalesce($3, time_zone) WHERE calendar_id = $1",
        {INT8OID, TEXTOID, TEXTOID});
    q.exec(calendar_id, name, time_zone);
}

void delete_calendar(std::int64_t calendar_id) {
    static Statement q("DELETE FROM actions.calendar WHERE calendar_id = $1", {INT8OID});
    q.exec(calendar_id);
}

void replace_calendar_hours(std::int64_t calendar_id, const std::vector<std::string>& hours) {
    static Statement clear("DELETE FROM actions.calendar_hours WHERE calendar_id = $1", {INT8OID});
    static Statement put("INSERT INTO actions.calendar_hours (calendar_id, weekday, hours) VALUES ($1, $2, $3)",
                         {INT8OID, INT2OID, TEXTOID});
    clear.exec(calendar_id);
    for (std::size_t d = 0; d < hours.size(); d++) {
        if (hours[d].empty()) continue;
        put.exec(calendar_id, sql_datum(Int16GetDatum(static_cast<int16>(d + 1))), hours[d]);
    }
}

std::int64_t insert_holiday(std::int64_t calendar_id, const std::string& name, std::int64_t first_day,
                            std::int64_t last_day) {
    static Statement q(
        "INSERT INTO actions.calendar_holiday (calendar_id, name, first_day, last_day) VALUES ($1, $2, $3, $4) "
        "RETURNING holiday_id",
        {INT8OID, TEXTOID, DATEOID, DATEOID});
    q.exec(calendar_id, name, sql_datum(DateADTGetDatum(date_of(first_day))),
           sql_datum(DateADTGetDatum(date_of(last_day))));
    return get_int64(0, 1);
}

std::optional<std::int64_t> holiday_calendar(std::int64_t holiday_id) {
    static Statement q("SELECT calendar_id FROM actions.calendar_holiday WHERE holiday_id = $1", {INT8OID});
    if (q.exec_limit(1, holiday_id) != 1) return std::nullopt;
    return get_int64(0, 1);
}

void delete_holiday(std::int64_t holiday_id) {
    static Statement q("DELETE FROM actions.calendar_holiday WHERE holiday_id = $1", {INT8OID});
    q.exec(holiday_id);
}

void link_workspace_calendar(std::int64_t workspace_id, std::int64_t calendar_id,
                             const std::optional<std::string>& non_working_due) {
    static Statement q(
        "INSERT INTO actions.workspace_calendar (workspace_id, calendar_id, non_working_due) "
        "VALUES ($1, $2, coalesce($3, 'keep')) ON CONFLICT (workspace_id) DO UPDATE SET calendar_id = EXCLUDED.calendar_id, "
        "non_working_due = coalesce($3, actions.workspace_calendar.non_working_due)",
        {INT8OID, INT8OID, TEXTOID});
    q.exec(workspace_id, calendar_id, non_working_due);
}

void unlink_workspace_calendar(std::int64_t workspace_id) {
    static Statement q("DELETE FROM actions.workspace_calendar WHERE workspace_id = $1", {INT8OID});
    q.exec(workspace_id);
}

std::int64_t calendar_users_besides(std::int64_t calendar_id, std::int64_t workspace_id) {
    static Statement q(
        "SELECT count(*) FROM actions.workspace_calendar WHERE calendar_id = $1 AND workspace_id <> $2", {INT8OID, INT8OID});
    OneConnectionPerNode sequential;
    q.exec_limit(1, calendar_id, workspace_id);
    return get_int64(0, 1);
}

}  // namespace store

}  // namespace pg_actions::pg
