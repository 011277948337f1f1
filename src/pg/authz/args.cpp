// Arguments of the SQL-callable functions and their refusals (see args.hpp).
#include "pg/authz/args.hpp"

#include "core/group.hpp"
#include "core/refusal.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/store/calendar_store.hpp"
#include "pg/store/people_store.hpp"

namespace pg_actions::pg {

std::int64_t arg_id(FunctionCallInfo fcinfo, int n, const char* name) {
    if (PG_ARGISNULL(n))
        throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, std::string(name) + " must not be null", "",
                      std::string("pass the ") + name + " to act on");
    return PG_GETARG_INT64(n);
}

std::optional<std::string> arg_text(FunctionCallInfo fcinfo, int n) {
    if (PG_ARGISNULL(n)) return std::nullopt;
    return text_of(PG_GETARG_DATUM(n));
}

std::string arg_required_text(FunctionCallInfo fcinfo, int n, const char* name, const char* example) {
    if (PG_ARGISNULL(n))
        throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, std::string(name) + " must not be null", "",
                      std::string("pass a ") + name + " such as " + example);
    return text_of(PG_GETARG_DATUM(n));
}

std::optional<TimestampTz> arg_due(FunctionCallInfo fcinfo, int n) {
    if (PG_ARGISNULL(n)) return std::nullopt;
    TimestampTz t = PG_GETARG_TIMESTAMPTZ(n);
    if (TIMESTAMP_NOT_FINITE(t))
        refuse({core::RefusalKind::bad_date, "due date must be finite",
                "infinity and -infinity are not dates an action can be due on",
                "pass a real timestamp, or leave due_at out for an action without a due date"});
    return t;
}

// A date-only due date is the end of that day in the workspace's time zone. A day that is not a
// working day of the workspace's calendar moves to the previous or next working day first when
// the workspace says so (actions.use_calendar's non_working_due; store/calendar_store.hpp).
std::optional<TimestampTz> due_from_date(FunctionCallInfo fcinfo, int n, std::int64_t workspace_id) {
    if (PG_ARGISNULL(n)) return std::nullopt;
    return due_from_day(PG_GETARG_DATEADT(n), workspace_id);
}

TimestampTz due_from_day(DateADT d, std::int64_t workspace_id) {
    if (DATE_NOT_FINITE(d))
        refuse({core::RefusalKind::bad_date, "due date must be finite",
                "infinity and -infinity are not dates an action can be due on",
                "pass a real date, or leave due_on out for an action without a due date"});
    // The day after must still be a timestamp (PostgreSQL's range ends in 294276 AD).
    if (d >= TIMESTAMP_END_JULIAN - POSTGRES_EPOCH_JDATE - 2 || d < DATETIME_MIN_JULIAN - POSTGRES_EPOCH_JDATE)
        refuse({core::RefusalKind::bad_date, "due date is out of range",
                "a due date must be a day between 4713 BC and 294276 AD",
                "pass a date in that range, or leave due_on out for an action without a due date"});
    d = date_of(working_due_day(workspace_id, unix_day(d)));
    std::optional<TimestampTz> end = store::workspace_end_of_day(workspace_id, d);
    if (!end)
        refuse({core::RefusalKind::bad_date, "due date is out of range", "", "pass a date between 4713 BC and 294276 AD"});
    return *end;
}

std::optional<std::vector<std::int64_t>> arg_groups(FunctionCallInfo fcinfo, int n) {
    if (PG_ARGISNULL(n)) return std::nullopt;
    bool had_null = false;
    std::vector<std::int64_t> ids = int64_array(PG_GETARG_DATUM(n), &had_null);
    refuse_if(core::normalize_groups(ids, had_null));
    return ids;
}

}  // namespace pg_actions::pg
