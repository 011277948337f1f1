// Business calendars: create, change, share and delete them, their working days, hours and
// holidays. The checks of what a caller gives are the core's (core/calendar_rules.hpp); changes
// need manage_workspace in the workspace that owns the calendar, and lock the calendar row so two
// changes of one calendar queue. A calendar the actor may not see is not found. On Citus calendars
// are reference data: these functions run where called (the coordinator), and ask the acting
// person's membership of the node holding the workspace (store::own_membership).
#include "pg/boundary/postgres.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "core/calendar_rules.hpp"
#include "core/catalog.hpp"
#include "core/permission.hpp"
#include "pg/api/calendar_args.hpp"
#include "pg/authz/facts.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/identity/actor.hpp"
#include "pg/store/calendar_store.hpp"
#include "pg/store/members.hpp"
#include "pg/store/people_store.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

// The calendar, visible to the actor, whose owning workspace they manage; locked FOR UPDATE once
// its visibility is known (a hidden calendar never makes the caller wait).
CalendarRow managed_calendar(std::int64_t calendar_id, std::int64_t actor) {
    std::optional<CalendarRow> seen = calendar_row(calendar_id);
    if (!seen || !calendar_visible(*seen, actor)) refuse(core::calendar_not_found(calendar_id));
    std::optional<CalendarRow> row = calendar_row(calendar_id, true);
    if (!row) refuse(core::calendar_not_found(calendar_id));
    Membership m = own_membership(row->workspace_id, actor);
    core::Facts f;
    f.is_member = member_acts(m.state);
    f.granted = m.granted;
    f.group_granted = m.group_granted;
    if (core::decide(core::Verb::manage_workspace, f)) refuse(core::calendar_not_managed(calendar_id));
    return *row;
}

core::WeekHours read_week(std::int64_t calendar_id) {
    std::unique_ptr<LoadedCalendar> c = load_calendar(calendar_id);
    if (!c) refuse(core::calendar_not_found(calendar_id));
    return c->week();
}

void write_week(std::int64_t calendar_id, const core::WeekHours& week) {
    refuse_if(core::check_week(week));
    std::vector<std::string> hours(7);
    for (int d = 0; d < 7; d++)
        if (!week[d].empty()) hours[d] = core::format_hours(week[d]);
    store::replace_calendar_hours(calendar_id, hours);
}

}  // namespace

// create_calendar(workspace_id, name, time_zone, working_days, working_hours, use_it)
PG_ACTIONS_FUNCTION(pg_actions_create_calendar) {
    std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
    std::optional<std::string> name = arg_text(fcinfo, 1);
    refuse_if(core::check_calendar_name(name));
    std::optional<std::string> zone = arg_text(fcinfo, 2);
    std::vector<std::int32_t> days = arg_weekdays(fcinfo, 3, "working_days");
    refuse_if(core::check_working_days(days));
    core::DayHours hours = arg_hours(fcinfo, 4);
    bool use_it = PG_ARGISNULL(5) || PG_GETARG_BOOL(5);
    SpiScope spi;
    require_workspace_manager(workspace_id);
    if (!zone) {
        if (std::optional<std::string> z = store::workspace_time_zone(workspace_id)) zone = z;
    }
    require_zone(zone.value_or(""));
    if (store::calendar_name_taken(workspace_id, *name))
        refuse({core::RefusalKind::invalid_value, "calendar \"" + *name + "\" already exists",
                "calendar names are unique in a workspace", "choose another name, or change that calendar"});
    std::int64_t calendar_id = store::insert_calendar(workspace_id, *name, *zone);
    core::WeekHours week;
    for (std::int32_t day : days) week[day - 1] = hours;
    write_week(calendar_id, week);
    if (use_it) store::link_workspace_calendar(workspace_id, calendar_id, std::nullopt);
    PG_RETURN_INT64(calendar_id);
}

// alter_calendar(calendar_id, name, time_zone)
PG_ACTIONS_FUNCTION(pg_actions_alter_calendar) {
    std::int64_t calendar_id = arg_id(fcinfo, 0, "calendar_id");
    std::optional<std::string> name = arg_text(fcinfo, 1);
    if (name) refuse_if(core::check_calendar_name(name));
    std::optional<std::string> zone = arg_text(fcinfo, 2);
    SpiScope spi;
    CalendarRow c = managed_calendar(calendar_id, require_actor());
    if (zone) require_zone(*zone);
    if (name && *name != c.name) {
        if (store::calendar_name_taken(c.workspace_id, *name))
            refuse({core::RefusalKind::invalid_value, "calendar \"" + *name + "\" already exists",
                    "calendar names are unique in a workspace", "choose another name"});
    }
    store::update_calendar(calendar_id, name, zone);
    PG_RETURN_VOID();
}

// set_working_hours(calendar_id, working_hours, weekdays)
PG_ACTIONS_FUNCTION(pg_actions_set_working_hours) {
    std::int64_t calendar_id = arg_id(fcinfo, 0, "calendar_id");
    core::DayHours hours = arg_hours(fcinfo, 1);
    std::optional<std::vector<std::int32_t>> days;
    if (!PG_ARGISNULL(2)) {
        days = arg_weekdays(fcinfo, 2, "weekdays");
        refuse_if(core::check_working_days(*days));
    }
    SpiScope spi;
    managed_calendar(calendar_id, require_actor());
    core::WeekHours week = read_week(calendar_id);
    for (int d = 1; d <= 7; d++) {
        bool chosen = days ? std::find(days->begin(), days->end(), d) != days->end() : !week[d - 1].empty();
        if (chosen) week[d - 1] = hours;
    }
    write_week(calendar_id, week);
    PG_RETURN_VOID();
}

// set_working_days(calendar_id, working_days, working_hours)
PG_ACTIONS_FUNCTION(pg_actions_set_working_days) {
    std::int64_t calendar_id = arg_id(fcinfo, 0, "calendar_id");
    std::vector<std::int32_t> days = arg_weekdays(fcinfo, 1, "working_days");
    refuse_if(core::check_working_days(days));
    std::optional<core::DayHours> hours;
    if (!PG_ARGISNULL(2)) hours = arg_hours(fcinfo, 2);
    SpiScope spi;
    managed_calendar(calendar_id, require_actor());
    core::WeekHours week = read_week(calendar_id), next;
    core::DayHours first;
    for (const core::DayHours& d : week)
        if (first.empty()) first = d;
    for (std::int32_t d : days) next[d - 1] = !week[d - 1].empty() ? week[d - 1] : hours.value_or(first);
    write_week(calendar_id, next);
    PG_RETURN_VOID();
}

// add_holiday(calendar_id, name, first_day, last_day)
PG_ACTIONS_FUNCTION(pg_actions_add_holiday) {
    std::int64_t calendar_id = arg_id(fcinfo, 0, "calendar_id");
    std::optional<std::string> name = arg_text(fcinfo, 1);
    std::int64_t first = arg_day(fcinfo, 2, "first_day");
    std::int64_t last = PG_ARGISNULL(3) ? first : arg_day(fcinfo, 3, "last_day");
    refuse_if(core::check_holiday(name, first, last));
    SpiScope spi;
    managed_calendar(calendar_id, require_actor());
    std::int64_t holiday_id = store::insert_holiday(calendar_id, *name, first, last);
    PG_RETURN_INT64(holiday_id);
}

// remove_holiday(holiday_id)
PG_ACTIONS_FUNCTION(pg_actions_remove_holiday) {
    std::int64_t holiday_id = arg_id(fcinfo, 0, "holiday_id");
    SpiScope spi;
    std::int64_t actor = require_actor();
    std::optional<std::int64_t> holiday_calendar = store::holiday_calendar(holiday_id);
    if (!holiday_calendar) refuse(core::holiday_not_found(holiday_id));
    std::int64_t calendar_id = *holiday_calendar;
    std::optional<CalendarRow> c = calendar_row(calendar_id);
    if (!c || !calendar_visible(*c, actor)) refuse(core::holiday_not_found(holiday_id));
    managed_calendar(calendar_id, actor);
    store::delete_holiday(holiday_id);
    PG_RETURN_VOID();
}

// use_calendar(workspace_id, calendar_id, non_working_due)
PG_ACTIONS_FUNCTION(pg_actions_use_calendar) {
    std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
    std::optional<std::int64_t> calendar_id;
    if (!PG_ARGISNULL(1)) calendar_id = PG_GETARG_INT64(1);
    std::optional<std::string> rule = arg_text(fcinfo, 2);
    if (rule && !core::non_working_due_from(*rule))
        refuse({core::RefusalKind::invalid_value, "non_working_due \"" + *rule + "\" is not a setting",
                "a date-only due date on a non-working day may stay, or go to the previous or next working day",
                "pass " + core::listed(core::non_working_due_names()) + ", or NULL to keep the setting"});
    SpiScope spi;
    std::int64_t actor = require_actor();
    require_workspace_manager(workspace_id);
    if (!calendar_id) {
        if (rule)
            refuse({core::RefusalKind::invalid_value, "non_working_due needs a calendar",
                    "without a calendar every day is a working day", "pass a calendar_id too"});
        store::unlink_workspace_calendar(workspace_id);
    } else {
        // Sharing a calendar is decided by someone who manages both workspaces.
        managed_calendar(*calendar_id, actor);
        store::link_workspace_calendar(workspace_id, *calendar_id, rule);
    }
    PG_RETURN_VOID();
}

// delete_calendar(calendar_id)
PG_ACTIONS_FUNCTION(pg_actions_delete_calendar) {
    std::int64_t calendar_id = arg_id(fcinfo, 0, "calendar_id");
    SpiScope spi;
    CalendarRow c = managed_calendar(calendar_id, require_actor());
    if (std::int64_t others = store::calendar_users_besides(calendar_id, c.workspace_id); others > 0) refuse(core::calendar_in_use(calendar_id, others));
    store::delete_calendar(calendar_id);
    PG_RETURN_VOID();
}
