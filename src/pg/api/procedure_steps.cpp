// Procedure steps as the action verbs meet them (see procedure_steps.hpp): the facts of a step
// through the index API, the rescheduling of later steps through SQL, each moved date logged on the
// action it moved ("rescheduled", naming the step that caused it; the due date's own due_changed
// entry comes from the log trigger).
#include "pg/api/procedure_steps.hpp"

#include <algorithm>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "core/activity.hpp"
#include "core/procedure.hpp"
#include "core/status.hpp"
#include "core/text.hpp"
#include "pg/boundary/boundary.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/store/calendar_store.hpp"
#include "pg/store/direct.hpp"
#include "pg/store/log_store.hpp"

namespace core = pg_actions::core;

namespace pg_actions::pg {

namespace {

struct StepRow {
    bool found = false;
    std::int64_t run_id = 0;
    std::int32_t position = 0;
};

StepRow find_step(std::int64_t workspace_id, std::int64_t action_id) {
    StepRow row;
    guard([&] {
        direct::Key keys[2] = {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)},
                               {"action_id", F_INT8EQ, Int64GetDatum(action_id)}};
        const char* cols[2] = {"run_id", "position"};
        Datum out[2];
        bool nulls[2] = {true, true};
        if (direct::lookup("procedure_action", "procedure_action_pkey", 2, keys, 2, cols, out, nulls, nullptr)) {
            row.found = true;
            row.run_id = DatumGetInt64(out[0]);
            row.position = DatumGetInt32(out[1]);
        }
    });
    return row;
}

// A step's position, from 1 to core::max_procedure_steps (22003 otherwise: a row written around
// the CHECK of procedure_action.position).
std::int32_t checked_position(std::int32_t position) {
    if (position < 1 || static_cast<std::size_t>(position) > core::max_procedure_steps)
        throw PgError(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "step position " + std::to_string(position) + " is out of range",
                      "a procedure's steps are numbered from 1 to " + std::to_string(core::max_procedure_steps),
                      "restore actions.procedure_action's CHECK on position and correct the row");
    return position;
}

core::StepState state_of(core::Status s) {
    if (s == core::Status::complete) return core::StepState::complete;
    if (s == core::Status::cancelled) return core::StepState::cancelled;
    return core::StepState::open;
}

// The state of every step of the run, in order; `self` (at its position) as the caller read it.
std::vector<core::StepState> run_states(std::int64_t workspace_id, std::int64_t run_id, std::int32_t self_position,
                                        core::Status self) {
    struct Raw {
        int n;
        Datum* out;
        bool* nulls;
    };
    Raw raw = guard([&]() -> Raw {
        direct::Key keys[2] = {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)},
                               {"run_id", F_INT8EQ, Int64GetDatum(run_id)}};
        const char* cols[2] = {"position", "action_id"};
        Raw r{0, nullptr, nullptr};
        r.n = direct::scan_rows("procedure_action", "procedure_action_workspace_id_run_id_position_key", 2, keys, 2,
                                cols, &r.out, &r.nulls);
        return r;
    });
    // Every position indexes the vector below: checked against the bounds the CHECK of
    // procedure_action.position states, before any is used.
    checked_position(self_position);
    std::int32_t last = 0;
    for (int i = 0; i < raw.n; i++) last = std::max(last, checked_position(DatumGetInt32(raw.out[i * 2])));
    std::vector<core::StepState> states(static_cast<std::size_t>(std::max(last, self_position)), core::StepState::cancelled);
    for (int i = 0; i < raw.n; i++) {
        std::int32_t pos = DatumGetInt32(raw.out[i * 2]);
        std::int64_t action_id = DatumGetInt64(raw.out[i * 2 + 1]);
        if (pos == self_position) continue;
        // A step whose action was deleted counts as cancelled: it no longer holds anyone up.
        const char* status = guard([&]() -> const char* {
            direct::Key keys[2] = {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)},
                                   {"action_id", F_INT8EQ, Int64GetDatum(action_id)}};
            const char* cols[1] = {"status"};
            Datum v;
            bool null = true;
            if (!direct::lookup("action", "action_pkey", 2, keys, 1, cols, &v, &null, nullptr) || null)
                return nullptr;
            return TextDatumGetCString(v);
        });
        if (!status) continue;
        if (auto s = core::parse_status(status)) states[static_cast<std::size_t>(pos - 1)] = state_of(*s);
    }
    states[static_cast<std::size_t>(self_position - 1)] = state_of(self);
    return states;
}

bool relaxed_dates(std::int64_t workspace_id) {
    return guard([&]() -> bool {
        direct::Key key = {"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)};
        const char* cols[1] = {"relaxed_dates"};
        Datum v;
        bool null = true;
        return direct::lookup("procedure_setting", "procedure_setting_pkey", 1, &key, 1, cols, &v, &null, nullptr) &&
               !null && DatumGetBool(v);
    });
}

struct Later {
    std::int64_t action_id;
    core::ScheduledStep dates;
    bool has_due;
};

// Moves the open steps after `position` by `shift` working time, logging each on its action.
void move_later_steps(const Action& a, std::int64_t run_id, std::int32_t position, std::int64_t shift,
                      const char* why) {
    std::optional<WorkspaceCalendar> wc = workspace_calendar(a.workspace_id);
    std::unique_ptr<LoadedCalendar> cal = wc ? load_calendar(wc->calendar_id) : nullptr;
    if (!cal)
        refuse({core::RefusalKind::wrong_state, "the later steps cannot be rescheduled: the workspace has no business calendar",
                "steps move by working time of the workspace's calendar",
                "give the workspace a calendar with actions.use_calendar(), or complete without reschedule"});
    static Statement later(
        "SELECT pa.action_id, pa.scheduled_start, a.due_at FROM actions.procedure_action pa "
        "JOIN actions.action a ON a.workspace_id = pa.workspace_id AND a.action_id = pa.action_id "
        "WHERE pa.workspace_id = $1 AND pa.run_id = $2 AND pa.position > $3 "
        "AND a.status = ANY (actions.list_vocabulary('open')) ORDER BY pa.position FOR NO KEY UPDATE OF a",
        {INT8OID, INT8OID, INT4OID});
    Datum v[3] = {Int64GetDatum(a.workspace_id), Int64GetDatum(run_id), Int32GetDatum(position)};
    std::uint64_t n = later.run(v, nullptr, 0);
    std::vector<Later> steps;
    for (std::uint64_t i = 0; i < n; i++) {
        std::optional<TimestampTz> due = get_timestamptz(i, 3);
        TimestampTz start = get_timestamptz(i, 2).value_or(0);
        steps.push_back(Later{get_int64(i, 1), {unix_micros(start), due ? unix_micros(*due) : unix_micros(start)},
                              due.has_value()});
    }
    static Statement set_due("UPDATE actions.action SET due_at = $3 WHERE workspace_id = $1 AND action_id = $2",
                             {INT8OID, INT8OID, TIMESTAMPTZOID});
    static Statement set_start(
        "UPDATE actions.procedure_action SET scheduled_start = $3 WHERE workspace_id = $1 AND action_id = $2",
        {INT8OID, INT8OID, TIMESTAMPTZOID});
    for (const Later& s : steps) {
        auto moved = core::shifted(cal->calendar(), s.dates, shift);
        if (auto* r = std::get_if<core::Refusal>(&moved)) refuse(*r);
        const core::ScheduledStep& m = std::get<core::ScheduledStep>(moved);
        TimestampTz old_start = timestamptz_of(s.dates.start), new_start = timestamptz_of(m.start);
        TimestampTz old_due = timestamptz_of(s.dates.due), new_due = timestamptz_of(m.due);
        Datum d[3] = {Int64GetDatum(a.workspace_id), Int64GetDatum(s.action_id), TimestampTzGetDatum(new_start)};
        set_start.run(d, nullptr, 0);
        if (s.has_due) {
            d[2] = TimestampTzGetDatum(new_due);
            set_due.run(d, nullptr, 0);
        }
        core::Change c;
        c.event = "rescheduled";
        c.old_value = core::iso_utc(old_start);
        c.new_value = core::iso_utc(new_start);
        c.detail_json = core::rescheduled_detail(
            a.action_id, position, shift, why,
            s.has_due ? std::optional<std::string>(core::iso_utc(old_due)) : std::nullopt,
            s.has_due ? std::optional<std::string>(core::iso_utc(new_due)) : std::nullopt);
        log_changes(a.workspace_id, s.action_id, false, {c});
    }
}

}  // namespace

std::optional<core::Refusal> step_refusal(const Action& a, core::Verb verb) {
    if (verb != core::Verb::start && verb != core::Verb::complete) return std::nullopt;
    StepRow row = find_step(a.workspace_id, a.action_id);
    if (!row.found) return std::nullopt;
    core::StepFacts f;
    f.action_id = a.action_id;
    f.position = row.position;
    f.states = run_states(a.workspace_id, row.run_id, row.position, a.status);
    f.relaxed_dates = relaxed_dates(a.workspace_id);
    f.may_complete_earlier = core::holds(core::Permission::administer_actions, a.facts) ||
                             core::holds(core::Permission::reassign_actions, a.facts);
    return core::check_step_act(f, verb == core::Verb::complete);
}

void after_step_completed(const Action& a, std::optional<bool> choice) {
    auto not_a_step = [&] {
        if (choice.value_or(false))
            refuse({core::RefusalKind::invalid_value, "action " + std::to_string(a.action_id) + " is not a procedure step",
                    "reschedule => true moves the later steps of a procedure", "leave reschedule out"});
    };
    // Most completed actions are no procedure's step: the index probe answers that without a query.
    if (!find_step(a.workspace_id, a.action_id).found) return not_a_step();
    static Statement me(
        "SELECT pa.run_id, pa.position, a.due_at, a.completed_at, "
        "coalesce(s.reschedule_if_early, false), coalesce(s.reschedule_if_late, false) "
        "FROM actions.procedure_action pa JOIN actions.action a ON a.workspace_id = pa.workspace_id "
        "AND a.action_id = pa.action_id LEFT JOIN actions.procedure_setting s ON s.workspace_id = pa.workspace_id "
        "WHERE pa.workspace_id = $1 AND pa.action_id = $2",
        {INT8OID, INT8OID});
    Datum v[2] = {Int64GetDatum(a.workspace_id), Int64GetDatum(a.action_id)};
    if (me.run(v, nullptr, 1) != 1) return not_a_step();
    std::int64_t run_id = get_int64(0, 1);
    std::int32_t position = get_int32(0, 2);
    std::optional<TimestampTz> due = get_timestamptz(0, 3);
    TimestampTz completed = get_timestamptz(0, 4).value_or(GetCurrentTransactionStartTimestamp());
    core::CompletionFacts f;
    f.reschedule_if_early = get_bool(0, 5);
    f.reschedule_if_late = get_bool(0, 6);
    if (!due) return;  // no due date: neither early nor late
    f.due = unix_micros(*due);
    f.completed_at = unix_micros(completed);
    f.administers = core::holds(core::Permission::administer_actions, a.facts);
    f.choice = choice;
    std::optional<WorkspaceCalendar> wc = workspace_calendar(a.workspace_id);
    std::unique_ptr<LoadedCalendar> cal = wc ? load_calendar(wc->calendar_id) : nullptr;
    if (!cal) return;  // the calendar was removed since: nothing can be measured in working time
    auto decided = core::reschedule_on_completion(cal->calendar(), f);
    if (auto* r = std::get_if<core::Refusal>(&decided)) refuse(*r);
    const core::Reschedule& r = std::get<core::Reschedule>(decided);
    if (!r.apply) return;
    static Statement applied(
        "UPDATE actions.procedure_action SET applied_shift_us = $3 WHERE workspace_id = $1 AND action_id = $2",
        {INT8OID, INT8OID, INT8OID});
    Datum w[3] = {Int64GetDatum(a.workspace_id), Int64GetDatum(a.action_id), Int64GetDatum(r.shift)};
    applied.run(w, nullptr, 0);
    move_later_steps(a, run_id, position, r.shift, "completed");
}

void after_step_uncompleted(const Action& a) {
    static Statement me(
        "UPDATE actions.procedure_action pa SET applied_shift_us = NULL FROM actions.procedure_action old "
        "WHERE pa.workspace_id = $1 AND pa.action_id = $2 AND old.workspace_id = pa.workspace_id "
        "AND old.action_id = pa.action_id AND old.applied_shift_us IS NOT NULL "
        "RETURNING pa.run_id, pa.position, old.applied_shift_us",
        {INT8OID, INT8OID});
    Datum v[2] = {Int64GetDatum(a.workspace_id), Int64GetDatum(a.action_id)};
    if (me.run(v, nullptr, 0) != 1) return;
    std::int64_t run_id = get_int64(0, 1);
    std::int32_t position = get_int32(0, 2);
    std::int64_t shift = get_int64(0, 3);
    move_later_steps(a, run_id, position, -shift, "uncompleted");
}

}  // namespace pg_actions::pg
