// Working-time arithmetic on a business calendar: add_working_time, working_time_between,
// is_working_day. The glue reads the calendar (store/calendar_store.cpp) and the core computes
// (core/calendar.hpp); STABLE: they read with the caller's snapshot and write nothing.
#include "pg/boundary/postgres.hpp"

#include "core/calendar.hpp"
#include "pg/api/calendar_args.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/store/calendar_store.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

// add_working_time(from_at, duration, workspace_id, calendar_id)
PG_ACTIONS_FUNCTION(pg_actions_add_working_time) {
    if (PG_ARGISNULL(0) || PG_ARGISNULL(1)) PG_RETURN_NULL();
    std::int64_t from = arg_instant(fcinfo, 0, "from_at");
    const Interval* iv = PG_GETARG_INTERVAL_P(1);
    auto duration = core::working_duration(iv->month, iv->day, iv->time);
    if (auto* r = std::get_if<core::Refusal>(&duration)) refuse(*r);
    SpiScope spi;
    const LoadedCalendar& c = computing_calendar(fcinfo, 2, 3);
    auto result = c.calendar().add(from, std::get<core::WorkingDuration>(duration));
    if (auto* r = std::get_if<core::Refusal>(&result)) refuse(*r);
    PG_RETURN_TIMESTAMPTZ(timestamptz_of(std::get<std::int64_t>(result)));
}

// working_time_between(from_at, to_at, workspace_id, calendar_id)
PG_ACTIONS_FUNCTION(pg_actions_working_time_between) {
    if (PG_ARGISNULL(0) || PG_ARGISNULL(1)) PG_RETURN_NULL();
    std::int64_t a = arg_instant(fcinfo, 0, "from_at");
    std::int64_t b = arg_instant(fcinfo, 1, "to_at");
    SpiScope spi;
    const LoadedCalendar& c = computing_calendar(fcinfo, 2, 3);
    std::int64_t micros = c.calendar().between(a, b);
    spi.finish();
    Interval* out = guard([]() -> Interval* { return static_cast<Interval*>(palloc0(sizeof(Interval))); });
    out->time = micros;
    PG_RETURN_INTERVAL_P(out);
}

// is_working_day(day, workspace_id, calendar_id)
PG_ACTIONS_FUNCTION(pg_actions_is_working_day) {
    if (PG_ARGISNULL(0)) PG_RETURN_NULL();
    std::int64_t day = arg_day(fcinfo, 0, "day");
    SpiScope spi;
    const LoadedCalendar& c = computing_calendar(fcinfo, 1, 2);
    bool working = c.calendar().working_day(day);
    PG_RETURN_BOOL(working);
}
