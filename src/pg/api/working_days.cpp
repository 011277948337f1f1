// Due rules in working days: the glue reads the workspace's calendar and today in its zone, the
// core (core::rule_due_day, core::Calendar::add) counts.
#include "pg/api/working_days.hpp"

#include <memory>
#include <optional>
#include <variant>

#include "core/permission.hpp"
#include "core/template_rules.hpp"
#include "pg/boundary/boundary.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/store/calendar_store.hpp"
#include "pg/store/people_store.hpp"

namespace core = pg_actions::core;

namespace pg_actions::pg {

namespace {

std::unique_ptr<LoadedCalendar> calendar_for(std::int64_t workspace_id, const std::string& what) {
    std::optional<WorkspaceCalendar> wc = workspace_calendar(workspace_id);
    std::unique_ptr<LoadedCalendar> cal = wc ? load_calendar(wc->calendar_id) : nullptr;
    if (!cal) refuse(core::no_calendar_for_working_days(what));
    return cal;
}

}  // namespace

void require_working_calendar(std::int64_t workspace_id, const std::string& what) {
    (void)calendar_for(workspace_id, what);
}

DateADT working_rule_day(std::int64_t workspace_id, std::int64_t n, const std::string& what) {
    std::unique_ptr<LoadedCalendar> cal = calendar_for(workspace_id, what);
    std::optional<DateADT> today = store::workspace_today(workspace_id);
    if (!today) refuse(core::not_found(core::Target::workspace, workspace_id));
    std::int64_t day = take(core::rule_due_day(core::DueUnit::working_days, unix_day(*today), n, &cal->calendar()));
    return date_of(day);
}

TimestampTz working_days_from_now(std::int64_t workspace_id, std::int64_t n, const std::string& what) {
    std::unique_ptr<LoadedCalendar> cal = calendar_for(workspace_id, what);
    std::int64_t now = unix_micros(GetCurrentTransactionStartTimestamp());
    return timestamptz_of(take(cal->calendar().add(now, core::WorkingDuration{n, 0})));
}

}  // namespace pg_actions::pg
