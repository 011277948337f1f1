// Arguments of the SQL-callable functions, read and checked the same way everywhere: a required
// id (22004 when NULL), optional and required text, a due date that must be finite and in range
// (22008), a date-only due date turned into the end of that day in the workspace time zone, and a
// bigint[] of group ids.
#pragma once

#include "pg/boundary/postgres.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pg_actions::pg {

std::int64_t arg_id(FunctionCallInfo fcinfo, int n, const char* name);
std::optional<std::string> arg_text(FunctionCallInfo fcinfo, int n);
// A required text argument such as a capacity or an outcome (22004 when NULL).
std::string arg_required_text(FunctionCallInfo fcinfo, int n, const char* name, const char* example);
std::optional<TimestampTz> arg_due(FunctionCallInfo fcinfo, int n);
std::optional<TimestampTz> due_from_date(FunctionCallInfo fcinfo, int n, std::int64_t workspace_id);
// The end of day d in the workspace time zone (22008 for a day out of range).
TimestampTz due_from_day(DateADT d, std::int64_t workspace_id);
// A bigint[] argument of group ids, NULL-free, sorted and without repeats (nullopt when NULL).
std::optional<std::vector<std::int64_t>> arg_groups(FunctionCallInfo fcinfo, int n);

}  // namespace pg_actions::pg
