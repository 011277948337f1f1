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
#include "pg/store/calendar_store.hpp"
#include "pg/store/log_store.hpp"
#include "pg/store/members.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

template <typename T>
T take(std::variant<T, core::Refusal> v) {
    if (auto* r = std::get_if<core::Refusal>(&v)) refuse(*r);
    return std::get<T>(std::move(v));
}

[[noreturn]] void procedure_not_found(std::int64_t id) {
    refuse({core::RefusalKind::not_found, "procedure " + std::to_string(id) + " not found",
            "no procedure with this id exists in a workspace you are a member of",
            "list the procedures with SELECT * FROM actions.procedure"});
}

// The procedure's workspace, for an active member (else not found, like a missing id); lock: FOR UPDATE.
std::int64_t procedure_workspace(std::int64_t procedure_id, std::int64_t actor, bool lock) {
    static Statement q("SELECT workspace_id FROM actions.procedure WHERE procedure_id = $1", {INT8OID});
    static Statement locked("SELECT workspace_id FROM actions.procedure WHERE procedure_id = $1 FOR UPDATE", {INT8OID});
    auto read = [&](bool with_lock) -> std::optional<std::int64_t> {
        Datum v[1] = {Int64GetDatum(procedure_id)};
        if ((with_lock ? locked : q).run(v, nullptr, 1) != 1) return std::nullopt;
        return get_int64(0, 1);
    };
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

core::WorkingDuration interval_of(Datum d) {
    const Interval* iv = DatumGetIntervalP(d);
    return take(core::working_duration(iv->month, iv->day, iv->time));
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
    static Statement q(
        "SELECT title, description, type, assignee_rule, assignee_id, assignee_capacity, pool_people, pool_groups, "
        "pool_roles, duration, gap FROM actions.procedure_step WHERE workspace_id = $1 AND procedure_id = $2 "
        "ORDER BY position",
        {INT8OID, INT8OID});
    Datum v[2] = {Int64GetDatum(workspace_id), Int64GetDatum(procedure_id)};
    std::uint64_t n = q.run(v, nullptr, 0);
    std::vector<Step> steps;
    for (std::uint64_t i = 0; i < n; i++) {
        Step s;
        s.t.workspace_id = workspace_id;
        s.t.title = get_text(i, 1).value_or("");
        s.t.description = get_text(i, 2);
        s.t.type = get_text(i, 3).value_or("task");
        s.t.assignee_rule = get_text(i, 4).value_or("none");
        s.t.assignee_id = get_opt_int64(i, 5);
        s.t.assignee_capacity = get_text(i, 6);
        bool null = true;
        Datum d = get_datum(i, 7, &null);
        if (!null) s.t.pool_people = int64_array(d);
        d = get_datum(i, 8, &null);
        if (!null) s.t.pool_groups = int64_array(d);
        d = get_datum(i, 9, &null);
        if (!null) s.t.pool_roles = text_array(d);
        s.timing.duration = interval_of(get_datum(i, 10, &null));
        s.timing.gap = interval_of(get_datum(i, 11, &null));
        steps.push_back(std::move(s));
    }
    return steps;
}

std::optional<std::int64_t> record_party(std::int64_t workspace_id, std::int64_t record_id, const std::string& capacity) {
    static Statement q(
        "SELECT p.person_id FROM actions.record_party p WHERE p.workspace_id = $1 AND p.record_id = $2 "
        "AND p.capacity = $3 AND p.person_id IS NOT NULL ORDER BY p.added_at, p.person_id LIMIT 1",
        {INT8OID, INT8OID, TEXTOID});
    Datum v[3] = {Int64GetDatum(workspace_id), Int64GetDatum(record_id), text_datum(capacity)};
    if (q.run(v, nullptr, 1) != 1) return std::nullopt;
    return get_int64(0, 1);
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

    static Statement run(
        "INSERT INTO actions.procedure_run (workspace_id, procedure_id, record_id, started_by) VALUES ($1, $2, $3, $4) "
        "RETURNING run_id",
        {INT8OID, INT8OID, INT8OID, INT8OID});
    Datum rv[4] = {Int64GetDatum(ws), Int64GetDatum(procedure_id), Int64GetDatum(record_id), Int64GetDatum(actor)};
    run.run(rv, nullptr, 0);
    std::int64_t run_id = get_int64(0, 1);
    static Statement step_row(
        "INSERT INTO actions.procedure_action (workspace_id, action_id, run_id, position, scheduled_start) "
        "VALUES ($1, $2, $3, $4, $5)",
        {INT8OID, INT8OID, INT8OID, INT4OID, TIMESTAMPTZOID});
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
        Datum sv[5] = {Int64GetDatum(ws), Int64GetDatum(id), Int64GetDatum(run_id),
                       Int32GetDatum(static_cast<std::int32_t>(i + 1)), TimestampTzGetDatum(timestamptz_of(dates[i].start))};
        step_row.run(sv, nullptr, 0);
    }
    return run_id;
}

}  // namespace

extern "C" {

// create_procedure(workspace_id, name, description)
PG_FUNCTION_INFO_V1(pg_actions_create_procedure);
Datum pg_actions_create_procedure(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        std::int64_t ws = arg_id(fcinfo, 0, "workspace_id");
        std::optional<std::string> name = arg_text(fcinfo, 1);
        std::optional<std::string> description = arg_text(fcinfo, 2);
        refuse_if(core::check_procedure_name(name));
        refuse_if(core::check_description(description));
        SpiScope spi;
        std::int64_t actor = require_actor();
        require_workspace_manager(ws);
        static Statement insert(
            "INSERT INTO actions.procedure (workspace_id, name, description, created_by) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (workspace_id, name) DO NOTHING RETURNING procedure_id",
            {INT8OID, TEXTOID, TEXTOID, INT8OID});
        Datum v[4] = {Int64GetDatum(ws), text_datum(*name), description ? text_datum(*description) : 0,
                      Int64GetDatum(actor)};
        char nulls[4] = {' ', ' ', description ? ' ' : 'n', ' '};
        if (insert.run(v, nulls, 0) != 1)
            throw PgError(ERRCODE_UNIQUE_VIOLATION, "a procedure named \"" + *name + "\" already exists",
                          "procedure names are unique in a workspace", "choose another name");
        std::int64_t id = get_int64(0, 1);
        PG_RETURN_INT64(id);
    });
}

// add_procedure_step(procedure_id, title, duration, gap, type, description, assignee_rule,
// assignee_id, assignee_capacity, pool_people, pool_groups, pool_roles)
PG_FUNCTION_INFO_V1(pg_actions_add_procedure_step);
Datum pg_actions_add_procedure_step(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
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
        static Statement count(
            "SELECT count(*)::integer FROM actions.procedure_step WHERE workspace_id = $1 AND procedure_id = $2",
            {INT8OID, INT8OID});
        Datum c[2] = {Int64GetDatum(t.workspace_id), Int64GetDatum(procedure_id)};
        count.run(c, nullptr, 1);
        std::int32_t steps = get_int32(0, 1);
        refuse_if(core::check_step_count(static_cast<std::size_t>(steps)));
        static Statement insert(
            "INSERT INTO actions.procedure_step (workspace_id, procedure_id, position, title, description, type, "
            "assignee_rule, assignee_id, assignee_capacity, pool_people, pool_groups, pool_roles, duration, gap) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, coalesce($14, '0'::interval))",
            {INT8OID, INT8OID, INT4OID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, INT8OID, TEXTOID, INT8ARRAYOID,
             INT8ARRAYOID, TEXTARRAYOID, INTERVALOID, INTERVALOID});
        Datum v[14] = {Int64GetDatum(t.workspace_id), Int64GetDatum(procedure_id), Int32GetDatum(steps + 1),
                       text_datum(t.title), t.description ? text_datum(*t.description) : 0, text_datum(t.type),
                       text_datum(t.assignee_rule), t.assignee_id ? Int64GetDatum(*t.assignee_id) : 0,
                       t.assignee_capacity ? text_datum(*t.assignee_capacity) : 0, int64_array_datum(t.pool_people),
                       int64_array_datum(t.pool_groups), text_array_datum(t.pool_roles), PG_GETARG_DATUM(2),
                       PG_ARGISNULL(3) ? 0 : PG_GETARG_DATUM(3)};
        char nulls[14] = {' ', ' ', ' ', ' ', t.description ? ' ' : 'n', ' ', ' ', t.assignee_id ? ' ' : 'n',
                          t.assignee_capacity ? ' ' : 'n', ' ', ' ', ' ', ' ', PG_ARGISNULL(3) ? 'n' : ' '};
        insert.run(v, nulls, 0);
        PG_RETURN_INT32(steps + 1);
    });
}

// set_procedure_options(workspace_id, relaxed_dates, reschedule_if_early, reschedule_if_late)
PG_FUNCTION_INFO_V1(pg_actions_set_procedure_options);
Datum pg_actions_set_procedure_options(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        std::int64_t ws = arg_id(fcinfo, 0, "workspace_id");
        SpiScope spi;
        require_workspace_manager(ws);
        static Statement upsert(
            "INSERT INTO actions.procedure_setting AS s (workspace_id, relaxed_dates, reschedule_if_early, "
            "reschedule_if_late) VALUES ($1, coalesce($2, false), coalesce($3, false), coalesce($4, false)) "
            "ON CONFLICT (workspace_id) DO UPDATE SET relaxed_dates = coalesce($2, s.relaxed_dates), "
            "reschedule_if_early = coalesce($3, s.reschedule_if_early), "
            "reschedule_if_late = coalesce($4, s.reschedule_if_late)",
            {INT8OID, BOOLOID, BOOLOID, BOOLOID});
        Datum v[4] = {Int64GetDatum(ws), PG_ARGISNULL(1) ? 0 : PG_GETARG_DATUM(1), PG_ARGISNULL(2) ? 0 : PG_GETARG_DATUM(2),
                      PG_ARGISNULL(3) ? 0 : PG_GETARG_DATUM(3)};
        char nulls[4] = {' ', PG_ARGISNULL(1) ? 'n' : ' ', PG_ARGISNULL(2) ? 'n' : ' ', PG_ARGISNULL(3) ? 'n' : ' '};
        upsert.run(v, nulls, 0);
        PG_RETURN_VOID();
    });
}

// start_procedure(procedure_id, record_id, start_at)
PG_FUNCTION_INFO_V1(pg_actions_start_procedure);
Datum pg_actions_start_procedure(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        std::int64_t procedure_id = arg_id(fcinfo, 0, "procedure_id");
        std::int64_t record_id = arg_id(fcinfo, 1, "record_id");
        std::optional<TimestampTz> start_at = arg_due(fcinfo, 2);
        SpiScope spi;
        std::int64_t run_id = start_procedure(procedure_id, record_id, start_at);
        PG_RETURN_INT64(run_id);
    });
}

// complete_step(action_id, reschedule, evidence, evidence_name, evidence_type)
PG_FUNCTION_INFO_V1(pg_actions_complete_step);
Datum pg_actions_complete_step(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        std::optional<bool> choice;
        if (!PG_ARGISNULL(1)) choice = PG_GETARG_BOOL(1);
        return complete_with(fcinfo, 2, choice);
    });
}

// set_step_start(action_id, scheduled_start)
PG_FUNCTION_INFO_V1(pg_actions_set_step_start);
Datum pg_actions_set_step_start(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        std::optional<TimestampTz> start = arg_due(fcinfo, 1);
        if (!start)
            throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "scheduled_start must not be null", "",
                          "pass the new start as a timestamptz");
        SpiScope spi;
        Action a = authorize_action(fcinfo, core::Verb::view);
        static Statement q(
            "SELECT pa.scheduled_start, a.due_at FROM actions.procedure_action pa JOIN actions.action a "
            "ON a.workspace_id = pa.workspace_id AND a.action_id = pa.action_id "
            "WHERE pa.workspace_id = $1 AND pa.action_id = $2 FOR UPDATE OF pa",
            {INT8OID, INT8OID});
        Datum v[2] = {Int64GetDatum(a.workspace_id), Int64GetDatum(a.action_id)};
        if (q.run(v, nullptr, 1) != 1)
            refuse({core::RefusalKind::invalid_value, "action " + std::to_string(a.action_id) + " is not a procedure step",
                    "only the steps of an attached procedure have a scheduled start",
                    "use actions.update_action() for its due date"});
        TimestampTz old_start = get_timestamptz(0, 1).value_or(0);
        std::optional<TimestampTz> due = get_timestamptz(0, 2);
        refuse_if(core::check_set_step_start(a.action_id, core::holds(core::Permission::administer_actions, a.facts),
                                             unix_micros(*start), due ? std::optional(unix_micros(*due)) : std::nullopt));
        static Statement update(
            "UPDATE actions.procedure_action SET scheduled_start = $3 WHERE workspace_id = $1 AND action_id = $2",
            {INT8OID, INT8OID, TIMESTAMPTZOID});
        Datum u[3] = {Int64GetDatum(a.workspace_id), Int64GetDatum(a.action_id), TimestampTzGetDatum(*start)};
        update.run(u, nullptr, 0);
        if (old_start != *start) {
            core::Change c{"start_changed", core::iso_utc(old_start), core::iso_utc(*start), std::nullopt};
            log_changes(a.workspace_id, a.action_id, false, {c});
        }
        PG_RETURN_VOID();
    });
}

// cancel_procedure(run_id, reason)
PG_FUNCTION_INFO_V1(pg_actions_cancel_procedure);
Datum pg_actions_cancel_procedure(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        std::int64_t run_id = arg_id(fcinfo, 0, "run_id");
        std::optional<std::string> reason = arg_text(fcinfo, 1);
        refuse_if(core::check_reason(reason));
        SpiScope spi;
        std::int64_t actor = require_actor();
        static Statement plain(
            "SELECT workspace_id, started_by, cancelled_at IS NOT NULL FROM actions.procedure_run WHERE run_id = $1",
            {INT8OID});
        static Statement locked(
            "SELECT workspace_id, started_by, cancelled_at IS NOT NULL FROM actions.procedure_run WHERE run_id = $1 "
            "FOR UPDATE",
            {INT8OID});
        struct Run {
            std::int64_t ws;
            bool starter, cancelled;
        };
        auto read = [&](bool lock) -> std::optional<Run> {
            Datum v[1] = {Int64GetDatum(run_id)};
            if ((lock ? locked : plain).run(v, nullptr, 1) != 1) return std::nullopt;
            return Run{get_int64(0, 1), get_opt_int64(0, 2) == actor, get_bool(0, 3)};
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
        static Statement cancel(
            "UPDATE actions.action a SET status = 'cancelled', cancel_reason = $3 FROM actions.procedure_action pa "
            "WHERE pa.workspace_id = $1 AND pa.run_id = $2 AND a.workspace_id = pa.workspace_id "
            "AND a.action_id = pa.action_id AND a.status = ANY (actions.list_vocabulary('open'))",
            {INT8OID, INT8OID, TEXTOID});
        Datum c[3] = {Int64GetDatum(ws), Int64GetDatum(run_id), text_datum(*reason)};
        std::uint64_t n = cancel.run(c, nullptr, 0);
        static Statement mark(
            "UPDATE actions.procedure_run SET cancelled_at = pg_catalog.now(), cancelled_by = $3, cancel_reason = $4 "
            "WHERE workspace_id = $1 AND run_id = $2",
            {INT8OID, INT8OID, INT8OID, TEXTOID});
        Datum m[4] = {Int64GetDatum(ws), Int64GetDatum(run_id), Int64GetDatum(actor), text_datum(*reason)};
        mark.run(m, nullptr, 0);
        PG_RETURN_INT32(static_cast<std::int32_t>(n));
    });
}

}  // extern "C"
