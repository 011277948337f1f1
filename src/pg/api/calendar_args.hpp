// Arguments of the calendar functions (api/calendars.cpp, api/working_time.cpp), read and checked
// the same way everywhere: weekdays (integer[]), working hours (text), a day (date), a time, and
// the calendar a computation runs on (a workspace's or one named by id).
#pragma once

#include "pg/boundary/postgres.hpp"

#include <cstdint>
#include <memory>
#include <vector>

#include "core/calendar_rules.hpp"
#include "pg/store/calendars.hpp"

namespace pg_actions::pg {

// An integer[] of weekdays (22004 when NULL or holding NULL); the range is the core's to check.
std::vector<std::int32_t> arg_weekdays(FunctionCallInfo fcinfo, int n, const char* name);
// Working hours text parsed by the core (22004 when NULL, 22023 when unreadable or overlapping).
core::DayHours arg_hours(FunctionCallInfo fcinfo, int n);
// A finite date as days since 1970-01-01 (22004 when NULL, 22008 when infinite or out of range).
std::int64_t arg_day(FunctionCallInfo fcinfo, int n, const char* name);
// A finite timestamptz as microseconds since 1970 (22008 when infinite).
std::int64_t arg_instant(FunctionCallInfo fcinfo, int n, const char* name);

// The calendar a computation runs on: the one workspace_id (argument ws) uses or calendar_id
// (argument cal); exactly one given (22023). The acting person must be an active member of the
// workspace (else not found), or see the calendar (else not found); a workspace without a
// calendar is 55000. Remembered for the statement and actor (boundary/statement_memo.hpp), so a
// query computing for many rows reads each calendar once.
const LoadedCalendar& computing_calendar(FunctionCallInfo fcinfo, int ws, int cal);

}  // namespace pg_actions::pg
