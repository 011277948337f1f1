// The SQL API of procedures: definitions (create_procedure, add_procedure_step), the workspace's
// options, attaching a procedure to a record (start_procedure: every step's action at once, through
// create_new_action, with dates the core schedules on the workspace's calendar), completing a step
// with a choice to reschedule (complete_step), moving a step's scheduled start (set_step_start) and
// cancelling a whole procedure (cancel_procedure). Steps reuse the templates' assignee rules and
// pools (template_store.hpp, pools.hpp). The rules while steps run: procedure_steps.cpp.
#include "pg/boundary/postgres.hpp"

#include <memory>
#include <variant>

#include "core/activity.hpp"
#include "core/input.hpp"
#include "core/permission.hpp"
#include "core/procedure.hpp"
#include "core/template_rules.hpp"
#include "core/text.hpp"
#include "pg/api/pools.hpp"
#include "pg/api/procedure_steps.hpp"
#include "pg/api/template_store.hpp"
#include "pg/api/verbs.hpp"
#include "pg/authz/args.hpp"
#include "pg/authz/facts.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/identity/actor.hpp"
#include "pg/store/action_store.hpp"
#include "pg/store/calendar_store.hpp"
#include "pg/store/log_store.hpp"
#include "pg/store/members.hpp"
#include "pg/store/procedure_store.hpp"
#include "pg/store/record_store.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

[[noreturn]] void procedure_not_found(std::int64_t id) {
    refuse({core::RefusalKind::not_found, "procedure " + std::to_string(id) + " not found",
            "no procedure with this id exists in a workspace you are a member of",
            "list the procedures with SELECT * FROM actions.procedure"});
}

// The procedure's workspace, for an active member (else not found, like a missing id); lock: FOR UPDATE.
std::int64_t procedure_workspace(std::int64_t procedure_id, std::int64_t actor, bool lock) {
    auto read = [&](bool with_lock) { return store::procedure_workspace(procedure_id, with_lock); };
    auto visible = [&](std::int64_t ws) { return member_acts(membership(ws, actor, false).state); };
    // With a lock, visibility is decided before it (visible_then_locked); without, on the one read.
    std::optional<std::int64_t> ws = lock ? visible_then_locked(read, visible) : read(false);
    if (!ws || !visible(*ws)) procedure_not_found(procedure_id);
    return *ws;
}

core::WorkingDuration interval_arg(FunctionCallInfo fcinfo, int n, const char* name) {
    if (PG_ARGISNULL(n)) {
        if (std::string(name) == "gap") return core::WorkingDuration{0, 0};
        throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, std::string(name) + " must not be null", "",
                      "pass duration => '2 days' or '4 hours' (working time)");
    }
    const Interval* iv = PG_GETARG_INTERVAL_P(n);
    return take(core::working_duration(iv->month, iv->day, iv->time));
}

core::WorkingDuration interval_of(const store::IntervalParts& iv) {
    return take(core::working_duration(iv.month, iv.day, iv.time));
}

std::vector<std::int64_t> ids_arg(FunctionCallInfo fcinfo, int n) {
    if (PG_ARGISNULL(n)) return {};
    return int64_array(PG_GETARG_DATUM(n));
}

// A step as stored, with what its action gets.
struct Step {
    TemplateVersion t;  // the action's definition, checked as a template's is
    core::StepTiming timing;
};

std::vector<Step> load_steps(std::int64_t workspace_id, std::int64_t procedure_id) {
    std::vector<Step> steps;
    for (store::ProcedureStepRow& row : store::procedure_steps(workspace_id, procedure_id)) {
        Step s;
        s.t = std::move(row.definition);
        s.timing.duration = interval_of(row.duration);
        s.timing.gap = interval_of(row.gap);
        steps.push_back(std::move(s));
    }
    return steps;
}

// The earliest person holding `capacity` on the record.
std::optional<std::int64_t> record_party(std::int64_t workspace_id, std::int64_t record_id, const std::string& capacity) {
    std::optional<store::RecordTitleParty> r = store::record_title_party(workspace_id, record_id, capacity);
    return r ? r->party : std::nullopt;
}

std::unique_ptr<LoadedCalendar> procedure_calendar(std::int64_t workspace_id) {
    std::optional<WorkspaceCalendar> wc = workspace_calendar(workspace_id);
    std::unique_ptr<LoadedCalendar> cal = wc ? load_calendar(wc->calendar_id) : nullptr;
    if (!cal)
        refuse({core::RefusalKind::wrong_state, "procedures need a business calendar and the workspace has none",
                "a step's duration and gap are working time of the workspace's calendar",
                "give the workspace a calendar with actions.use_calendar(workspace_id, calendar_id)"});
    return cal;
}

std::int64_t start_procedure(std::int64_t procedure_id, std::int64_t record_id, std::optional<TimestampTz> start_at) {
    std::int64_t actor = require_actor();
    std::int64_t ws = procedure_workspace(procedure_id, actor, false);
    check_record(ws, record_id, actor);
    std::vector<Step> steps = load_steps(ws, procedure_id);
    refuse_if(core::check_has_steps(procedure_id, steps.size()));
    std::unique_ptr<LoadedCalendar> cal = procedure_calendar(ws);
    std::vector<core::StepTiming> timings;
    for (const Step& s : steps) timings.push_back(s.timing);
    TimestampTz start = start_at.value_or(GetCurrentTransactionStartTimestamp());
    std::vector<core::ScheduledStep> dates = take(core::schedule(cal->calendar(), unix_micros(start), timings));

    std::int64_t run_id = store::insert_procedure_run(ws, procedure_id, record_id, actor);
    for (std::size_t i = 0; i < steps.size(); i++) {
        const TemplateVersion& t = steps[i].t;
        core::AssigneeFacts f;
        f.rule = core::parse_assignee_rule(t.assignee_rule).value_or(core::AssigneeRule::none);
        f.person = t.assignee_id;
        f.actor = actor;
        f.has_record = true;
        f.capacity = t.assignee_capacity.value_or("");
        if (f.rule == core::AssigneeRule::record_party) f.record_party = record_party(ws, record_id, f.capacity);
        NewAction n;
        n.workspace_id = ws;
        n.title = t.title;
        n.description = t.description;
        n.assignee = take(core::choose_assignee(f));
        n.due_at = timestamptz_of(dates[i].due);
        n.type = t.type;
        n.record_id = record_id;
        n.actor = actor;
        std::int64_t id = create_new_action(std::move(n));
        if (f.rule == core::AssigneeRule::pool) offer_new_action(id, actor, {t.pool_people, t.pool_groups, t.pool_roles});
        store::insert_procedure_action(ws, id, run_id, static_cast<std::int32_t>(i + 1), timestamptz_of(dates[i].start));
    }
    return run_id;
}

}  // namespace

// create_procedure(workspace_id, name, description)
PG_ACTIONS_FUNCTION(pg_actions_create_procedure) {
    std::int64_t ws = arg_id(fcinfo, 0, "workspace_id");
    std::optional<std::string> name = arg_text(fcinfo, 1);
    std::optional<std::string> description = arg_text(fcinfo, 2);
    refuse_if(core::check_procedure_name(name));
    refuse_if(core::check_description(description));
    SpiScope spi;
    std::int64_t actor = require_actor();
    require_workspace_manager(ws);
    std::optional<std::int64_t> id = store::insert_procedure(ws, *name, description, actor);
    if (!id)
        throw PgError(ERRCODE_UNIQUE_VIOLATION, "a procedure named \"" + *name + "\" already exists",
                      "procedure names are unique in a workspace", "choose another name");
    PG_RETURN_INT64(*id);
}

// add_procedure_step(procedure_id, title, duration, gap, type, description, assignee_rule,
// assignee_id, assignee_capacity, pool_people, pool_groups, pool_roles)
PG_ACTIONS_FUNCTION(pg_actions_add_procedure_step) {
    std::int64_t procedure_id = arg_id(fcinfo, 0, "procedure_id");
    core::WorkingDuration duration = interval_arg(fcinfo, 2, "duration");
    core::WorkingDuration gap = interval_arg(fcinfo, 3, "gap");
    refuse_if(core::check_step_timing(duration, gap));
    TemplateVersion t;
    t.title = arg_text(fcinfo, 1).value_or("");
    t.type = arg_text(fcinfo, 4).value_or("task");
    t.description = arg_text(fcinfo, 5);
    t.assignee_rule = arg_text(fcinfo, 6).value_or("none");
    if (!PG_ARGISNULL(7)) t.assignee_id = PG_GETARG_INT64(7);
    t.assignee_capacity = arg_text(fcinfo, 8);
    OfferArgs pool{ids_arg(fcinfo, 9), ids_arg(fcinfo, 10), {}};
    if (!PG_ARGISNULL(11)) pool.roles = text_array(PG_GETARG_DATUM(11));
    SpiScope spi;
    std::int64_t actor = require_actor();
    t.workspace_id = procedure_workspace(procedure_id, actor, true);
    require_workspace_manager(t.workspace_id);
    if (!pool.people.empty() || !pool.groups.empty() || !pool.roles.empty()) {
        offer_candidates(t.workspace_id, pool);  // checks them, as an offer would
        t.pool_people = pool.people;
        t.pool_groups = pool.groups;
        t.pool_roles = pool.roles;
    }
    check_definition(t);
    check_references(t, actor);
    std::int32_t steps = store::count_procedure_steps(t.workspace_id, procedure_id);
    refuse_if(core::check_step_count(static_cast<std::size_t>(steps)));
    std::optional<std::uintptr_t> gap_datum;
    if (!PG_ARGISNULL(3)) gap_datum = PG_GETARG_DATUM(3);
    store::insert_procedure_step(procedure_id, steps + 1, t, PG_GETARG_DATUM(2), gap_datum);
    PG_RETURN_INT32(steps + 1);
}

// set_procedure_options(workspace_id, relaxed_dates, reschedule_if_early, reschedule_if_late)
PG_ACTIONS_FUNCTION(pg_actions_set_procedure_options) {
    std::int64_t ws = arg_id(fcinfo, 0, "workspace_id");
    SpiScope spi;
    require_workspace_manager(ws);
    auto flag = [&](int n) { return PG_ARGISNULL(n) ? std::nullopt : std::optional<bool>(PG_GETARG_BOOL(n)); };
    store::upsert_procedure_setting(ws, flag(1), flag(2), flag(3));
    PG_RETURN_VOID();
}

// start_procedure(procedure_id, record_id, start_at)
PG_ACTIONS_FUNCTION(pg_actions_start_procedure) {
    std::int64_t procedure_id = arg_id(fcinfo, 0, "procedure_id");
    std::int64_t record_id = arg_id(fcinfo, 1, "record_id");
    std::optional<TimestampTz> start_at = arg_due(fcinfo, 2);
    SpiScope spi;
    std::int64_t run_id = start_procedure(procedure_id, record_id, start_at);
    PG_RETURN_INT64(run_id);
}

// complete_step(action_id, reschedule, evidence, evidence_name, evidence_type)
PG_ACTIONS_FUNCTION(pg_actions_complete_step) {
    std::optional<bool> choice;
    if (!PG_ARGISNULL(1)) choice = PG_GETARG_BOOL(1);
    return complete_with(fcinfo, 2, choice);
}

// set_step_start(action_id, scheduled_start)
PG_ACTIONS_FUNCTION(pg_actions_set_step_start) {
    std::optional<TimestampTz> start = arg_due(fcinfo, 1);
    if (!start)
        throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "scheduled_start must not be null", "",
                      "pass the new start as a timestamptz");
    SpiScope spi;
    Action a = authorize_action(fcinfo, core::Verb::view);
    std::optional<store::StepStart> step = store::lock_step_start(a.workspace_id, a.action_id);
    if (!step)
        refuse({core::RefusalKind::invalid_value, "action " + std::to_string(a.action_id) + " is not a procedure step",
                "only the steps of an attached procedure have a scheduled start",
                "use actions.update_action() for its due date"});
    TimestampTz old_start = step->scheduled_start;
    std::optional<TimestampTz> due = step->due_at;
    refuse_if(core::check_set_step_start(a.action_id, core::holds(core::Permission::administer_actions, a.facts),
                                         unix_micros(*start), due ? std::optional(unix_micros(*due)) : std::nullopt));
    store::set_step_scheduled_start(a.workspace_id, a.action_id, *start);
    if (old_start != *start) {
        core::Change c{"start_changed", core::iso_utc(old_start), core::iso_utc(*start), std::nullopt};
        log_changes(a.workspace_id, a.action_id, false, {c});
    }
    PG_RETURN_VOID();
}

// cancel_procedure(run_id, reason)
PG_ACTIONS_FUNCTION(pg_actions_cancel_procedure) {
    std::int64_t run_id = arg_id(fcinfo, 0, "run_id");
    std::optional<std::string> reason = arg_text(fcinfo, 1);
    refuse_if(core::check_reason(reason));
    SpiScope spi;
    std::int64_t actor = require_actor();
    struct Run {
        std::int64_t ws;
        bool starter, cancelled;
    };
    auto read = [&](bool lock) -> std::optional<Run> {
        std::optional<store::ProcedureRunRow> r = store::procedure_run(run_id, lock);
        if (!r) return std::nullopt;
        return Run{r->workspace_id, r->started_by == actor, r->cancelled};
    };
    // A run of a workspace the actor is not an active member of is not found, like a missing
    // one, and decided before the run is locked.
    auto visible = [&](const Run& r) { return member_acts(membership(r.ws, actor, false).state); };
    std::optional<Run> run = visible_then_locked(read, visible);
    if (!run)
        refuse({core::RefusalKind::not_found, "procedure run " + std::to_string(run_id) + " not found",
                "no attached procedure with this id exists in a workspace you are a member of",
                "list them with SELECT * FROM actions.procedure_run"});
    std::int64_t ws = run->ws;
    bool starter = run->starter, cancelled = run->cancelled;
    ActorFacts af = actor_facts(ws, actor);
    refuse_if(core::check_cancel_procedure(run_id, starter, core::holds(core::Permission::administer_actions, af.facts),
                                           cancelled));
    std::uint64_t n = store::cancel_open_run_actions(ws, run_id, *reason);
    store::mark_run_cancelled(ws, run_id, actor, *reason);
    PG_RETURN_INT32(static_cast<std::int32_t>(n));
}
