// Arguments of the calendar functions (see calendar_args.hpp).
#include "pg/api/calendar_args.hpp"

#include <string>

#include "pg/authz/args.hpp"
#include "pg/authz/facts.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/boundary/statement_memo.hpp"
#include "pg/identity/actor.hpp"

namespace core = pg_actions::core;

namespace pg_actions::pg {

namespace {

struct CalendarMemo {
    StatementStamp stamp;
    struct Entry {
        bool by_workspace;
        std::int64_t key;
        std::unique_ptr<LoadedCalendar> calendar;
    };
    std::vector<Entry> entries;
};

struct Items {
    Datum* values;
    bool* nulls;
    int count;
};

}  // namespace

std::vector<std::int32_t> arg_weekdays(FunctionCallInfo fcinfo, int n, const char* name) {
    if (PG_ARGISNULL(n))
        throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, std::string(name) + " must not be null", "",
                      "pass ISO weekdays, e.g. '{1,2,3,4,5}' for Monday to Friday");
    Datum d = PG_GETARG_DATUM(n);
    Items it = guard([&]() -> Items {
        Items out{};
        deconstruct_array(DatumGetArrayTypeP(d), INT4OID, sizeof(int32), true, TYPALIGN_INT, &out.values, &out.nulls,
                          &out.count);
        return out;
    });
    std::vector<std::int32_t> days;
    for (int i = 0; i < it.count; i++) {
        if (it.nulls[i])
            throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, std::string(name) + " must not hold NULL", "",
                          "pass ISO weekdays, e.g. '{1,2,3,4,5}' for Monday to Friday");
        days.push_back(DatumGetInt32(it.values[i]));
    }
    return days;
}

core::DayHours arg_hours(FunctionCallInfo fcinfo, int n) {
    std::string text = arg_required_text(fcinfo, n, "working_hours", "'09:00-12:30, 13:30-17:30'");
    auto parsed = core::parse_hours(text);
    if (auto* r = std::get_if<core::Refusal>(&parsed)) refuse(*r);
    return std::get<core::DayHours>(parsed);
}

std::int64_t arg_day(FunctionCallInfo fcinfo, int n, const char* name) {
    if (PG_ARGISNULL(n))
        throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, std::string(name) + " must not be null", "", "pass a date");
    DateADT d = PG_GETARG_DATEADT(n);
    std::int64_t day = unix_day(d);
    if (DATE_NOT_FINITE(d) || day < core::days_from_civil(1, 1, 1) || day > core::days_from_civil(9999, 12, 31))
        refuse({core::RefusalKind::bad_date, std::string(name) + " is out of range",
                "calendar days lie between the years 1 and 9999", "pass a real date in that range"});
    return day;
}

std::int64_t arg_instant(FunctionCallInfo fcinfo, int n, const char* name) {
    TimestampTz t = PG_GETARG_TIMESTAMPTZ(n);
    if (TIMESTAMP_NOT_FINITE(t))
        refuse({core::RefusalKind::bad_date, std::string(name) + " must be finite",
                "infinity and -infinity have no working time", "pass a real timestamp"});
    // The calendar's days run from the year 1 to 9999: a time outside is refused, not counted short.
    constexpr std::int64_t micros_per_day = 86400LL * 1000000LL;
    if (t < timestamptz_of(core::days_from_civil(1, 1, 1) * micros_per_day) ||
        t >= timestamptz_of((core::days_from_civil(9999, 12, 31) + 1) * micros_per_day))
        refuse({core::RefusalKind::bad_date, std::string(name) + " is out of range",
                "calendar times lie between the years 1 and 9999", "pass a timestamp in that range"});
    return unix_micros(t);
}

const LoadedCalendar& computing_calendar(FunctionCallInfo fcinfo, int ws, int cal) {
    if (PG_ARGISNULL(ws) == PG_ARGISNULL(cal))
        throw PgError(ERRCODE_INVALID_PARAMETER_VALUE, "give either workspace_id or calendar_id",
                      "the working time is counted on the calendar of a workspace, or on a calendar named by its id",
                      "pass workspace_id => ... or calendar_id => ..., not both");
    std::int64_t actor = require_actor();
    const bool by_workspace = !PG_ARGISNULL(ws);
    const std::int64_t key = by_workspace ? PG_GETARG_INT64(ws) : PG_GETARG_INT64(cal);
    // A query computing for many rows checks and loads each calendar once per statement and actor.
    static CalendarMemo memo;
    if (memo.stamp.moved_on(actor)) memo.entries.clear();
    for (const auto& e : memo.entries)
        if (e.by_workspace == by_workspace && e.key == key) return *e.calendar;
    std::int64_t calendar_id = key;
    if (by_workspace) {
        actor_facts(key, actor);  // members only; others: not found
        std::optional<WorkspaceCalendar> wc = workspace_calendar(key);
        if (!wc) refuse(core::no_calendar(key));
        calendar_id = wc->calendar_id;
    } else {
        std::optional<CalendarRow> row = calendar_row(calendar_id);
        if (!row || !calendar_visible(*row, actor)) refuse(core::calendar_not_found(calendar_id));
    }
    std::unique_ptr<LoadedCalendar> c = load_calendar(calendar_id);
    if (!c) refuse(core::calendar_not_found(calendar_id));
    if (memo.entries.size() >= 16) memo.entries.erase(memo.entries.begin());
    memo.entries.push_back({by_workspace, key, std::move(c)});
    return *memo.entries.back().calendar;
}

}  // namespace pg_actions::pg
