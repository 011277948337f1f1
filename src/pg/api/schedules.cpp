// The SQL API of recurring actions (src/sql/56_schedule.sql): create, pause, resume and delete a
// schedule, and list its next occurrences. The rule's checks and who may do what are the core's
// (core/recurrence.hpp); the sweep that creates the occurrences is schedule_sweep.cpp.
#include "pg/boundary/postgres.hpp"

#include <algorithm>
#include <limits>

#include "core/recurrence.hpp"
#include "core/template_rules.hpp"
#include "pg/api/schedule.hpp"
#include "pg/api/template_store.hpp"
#include "pg/authz/args.hpp"
#include "pg/authz/facts.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/identity/actor.hpp"
#include "pg/store/members.hpp"
#include "pg/store/people_store.hpp"
#include "pg/store/schedule_store.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

std::string workspace_zone(std::int64_t workspace_id) {
    std::optional<std::string> zone = store::workspace_time_zone(workspace_id);
    if (!zone) refuse_not_found(core::Target::workspace, workspace_id);
    return *zone;
}

// The template must be one of this workspace's (another workspace's is not found, like a missing
// one: load_template's rule) and not retired.
void check_template(std::int64_t workspace_id, std::int64_t template_id, std::int64_t actor) {
    TemplateVersion t = load_template(template_id, actor, false);
    if (t.workspace_id != workspace_id)
        refuse({core::RefusalKind::not_found, "template " + std::to_string(template_id) + " not found",
                "no template with that id in workspace " + std::to_string(workspace_id),
                "check the id; a schedule uses a template of its own workspace"});
    refuse_if(core::check_template_live(template_id, t.retired, false));
}

TimestampTz now_ts() { return guard([]() -> TimestampTz { return GetCurrentTransactionStartTimestamp(); }); }

// The first occurrence from now on (a new or resumed schedule creates nothing in the past).
std::optional<Occurrence> first_from_now(const Schedule& s) {
    // A day before the local now covers any zone offset; the instants then decide.
    core::LocalSeconds from = std::max(s.start, local_now(s.time_zone) - 86400);
    std::vector<Occurrence> o = occurrences_from(s, from, now_ts(), 1);
    if (o.empty()) return std::nullopt;
    return o.front();
}

// The actor's facts about a workspace's schedules: an outsider gets is_member false (so the
// schedule is not found, rather than its workspace); a grant scoped to groups does not count.
core::Facts schedule_facts(std::int64_t workspace_id, std::int64_t actor) {
    Membership m = membership(workspace_id, actor);
    core::Facts f;
    f.is_member = member_acts(m.state);
    if (f.is_member) f.granted = m.granted;
    return f;
}

// The schedule, checked for the acting person: visible (an active member of its workspace) and
// changeable by them (core::may_change_schedule); then locked.
Schedule schedule_to_change(FunctionCallInfo fcinfo) {
    std::int64_t id = arg_id(fcinfo, 0, "schedule_id");
    std::int64_t actor = require_actor();
    // Decided on the row as committed now, before waiting for its lock.
    std::optional<Schedule> seen = load_schedule(id, false);
    if (!seen) refuse(core::schedule_not_found(id));
    refuse_if(core::may_change_schedule(schedule_facts(seen->workspace_id, actor), seen->owner_id == actor, id));
    std::optional<Schedule> s = load_schedule(id, true);
    if (!s) refuse(core::schedule_not_found(id));
    return *s;
}

}  // namespace

// create_schedule(workspace_id, template_id, rrule, starts_at, record_id, catch_up)
PG_ACTIONS_FUNCTION(pg_actions_create_schedule) {
    std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
    std::int64_t template_id = arg_id(fcinfo, 1, "template_id");
    std::string rule = arg_required_text(fcinfo, 2, "rrule", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31");
    if (PG_ARGISNULL(3))
        throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "starts_at must not be null",
                      "the rule's start (DTSTART): the date it counts from and the time of day of every occurrence",
                      "pass a wall-clock time in the workspace's time zone, such as '2027-03-31 09:00'");
    Timestamp starts = PG_GETARG_TIMESTAMP(3);
    if (TIMESTAMP_NOT_FINITE(starts))
        refuse({core::RefusalKind::bad_date, "starts_at must be finite", "", "pass a real date and time"});
    std::string catch_up_text = arg_text(fcinfo, 5).value_or("latest");
    std::optional<core::CatchUp> catch_up = core::parse_catch_up(catch_up_text);
    if (!catch_up)
        refuse({core::RefusalKind::invalid_value, "unknown catch_up \"" + catch_up_text + "\"",
                "after the sweep was stopped, a schedule creates every missed occurrence or only the latest",
                "pass " + core::listed(core::catch_up_names())});
    SpiScope spi;
    std::int64_t actor = require_actor();
    ActorFacts w = actor_facts(workspace_id, actor);
    if (!w.facts.is_member) refuse_not_found(core::Target::workspace, workspace_id);
    check_template(workspace_id, template_id, actor);
    if (!PG_ARGISNULL(4)) check_record(workspace_id, PG_GETARG_INT64(4), actor);
    refuse_if(core::may_create_schedule(w.facts));

    Schedule s;
    s.workspace_id = workspace_id;
    s.template_id = template_id;
    s.start = local_of(starts);
    s.time_zone = workspace_zone(workspace_id);
    refuse_if(core::check_rule(rule, s.start));
    s.rrule = core::normal_rule(rule);
    std::optional<Occurrence> next = first_from_now(s);
    if (!next)
        refuse({core::RefusalKind::invalid_value, "recurrence rule \"" + rule + "\" has no occurrence from now on",
                "its UNTIL or COUNT ended it before today", "move starts_at, UNTIL or COUNT later"});
    std::int64_t id = store::insert_schedule(
        workspace_id, template_id, PG_ARGISNULL(4) ? std::nullopt : std::optional<std::int64_t>(PG_GETARG_INT64(4)),
        s.rrule, timestamp_of(s.start), std::string(core::catch_up_name(*catch_up)), actor, timestamp_of(next->local),
        next->at);
    PG_RETURN_INT64(id);
}

// pause_schedule(schedule_id)
PG_ACTIONS_FUNCTION(pg_actions_pause_schedule) {
    SpiScope spi;
    Schedule s = schedule_to_change(fcinfo);
    if (s.paused)
        refuse({core::RefusalKind::wrong_state, "schedule " + std::to_string(s.schedule_id) + " is paused already",
                "", "resume it with actions.resume_schedule()"});
    store::pause_schedule(s.workspace_id, s.schedule_id);
    PG_RETURN_VOID();
}

// resume_schedule(schedule_id): the next occurrence is the first from now on.
PG_ACTIONS_FUNCTION(pg_actions_resume_schedule) {
    SpiScope spi;
    Schedule s = schedule_to_change(fcinfo);
    if (!s.paused)
        refuse({core::RefusalKind::wrong_state, "schedule " + std::to_string(s.schedule_id) + " is not paused", "",
                "pause it with actions.pause_schedule()"});
    set_next(s, s.next ? first_from_now(s) : std::nullopt, false);
    PG_RETURN_VOID();
}

// delete_schedule(schedule_id): its occurrences' record stays.
PG_ACTIONS_FUNCTION(pg_actions_delete_schedule) {
    SpiScope spi;
    Schedule s = schedule_to_change(fcinfo);
    store::delete_schedule(s.workspace_id, s.schedule_id);
    PG_RETURN_VOID();
}

// next_occurrences(schedule_id, n): the next n occurrences not yet created (paused: from now on).
PG_ACTIONS_FUNCTION(pg_actions_next_occurrences) {
    std::int64_t id = arg_id(fcinfo, 0, "schedule_id");
    int n = PG_ARGISNULL(1) ? 10 : PG_GETARG_INT32(1);
    if (n < 1 || n > 1000)
        refuse({core::RefusalKind::invalid_value, "n must be between 1 and 1000", "", "ask for fewer occurrences"});
    guard([&] { InitMaterializedSRF(fcinfo, 0); });
    SpiScope spi;
    std::int64_t actor = require_actor();
    std::optional<Schedule> s = load_schedule(id, false);
    if (!s || !schedule_facts(s->workspace_id, actor).is_member) refuse(core::schedule_not_found(id));
    std::vector<Occurrence> next;
    if (s->next) {
        if (s->paused) {
            std::optional<Occurrence> first = first_from_now(*s);
            if (first) next = occurrences_from(*s, first->local, first->at, static_cast<std::size_t>(n));
        } else {
            next = occurrences_from(*s, *s->next, std::numeric_limits<TimestampTz>::min(), static_cast<std::size_t>(n));
        }
    }
    spi.finish();
    ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
    for (const Occurrence& o : next)
        guard([&] {
            Datum values[2] = {TimestampGetDatum(timestamp_of(o.local)), TimestampTzGetDatum(o.at)};
            bool nulls[2] = {false, false};
            tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
        });
    return 0;
}
