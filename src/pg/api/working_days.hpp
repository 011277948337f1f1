// Due rules that count working days (a template's due rule, a workflow's due days): the workspace's
// business calendar, loaded when such a rule is saved or applied. Run SQL: inside an SpiScope.
#pragma once

#include "pg/boundary/postgres.hpp"

#include <cstdint>
#include <string>

namespace pg_actions::pg {

// 55000 with a hint when the workspace uses no business calendar; `what` names the rule.
void require_working_calendar(std::int64_t workspace_id, const std::string& what);

// The day `n` working days after today in the workspace's zone (0: today), core::rule_due_day.
DateADT working_rule_day(std::int64_t workspace_id, std::int64_t n, const std::string& what);

// The instant `n` working days after now on the workspace's calendar (Wed 10:00 + 1 = Thu 10:00).
TimestampTz working_days_from_now(std::int64_t workspace_id, std::int64_t n, const std::string& what);

}  // namespace pg_actions::pg
