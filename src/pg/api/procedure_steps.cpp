// Procedure steps as the action verbs meet them (see procedure_steps.hpp): the facts of a step
// through the index API, the rescheduling of later steps (both read and written through
// store/procedure_store.hpp and store/action_store.hpp), each moved date logged on the
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
#include "pg/store/calendar_store.hpp"
#include "pg/store/action_store.hpp"
#include "pg/store/log_store.hpp"
#include "pg/store/procedure_store.hpp"

namespace core = pg_actions::core;

namespace pg_actions::pg {

namespace {

// The verbs the order of steps constrains.
bool step_rule_applies(core::Verb verb) { return verb == core::Verb::start || verb == core::Verb::complete; }

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
    std::vector<store::RunStep> steps = store::run_steps(workspace_id, run_id);
    // Every position indexes the vector below: checked against the bounds the CHECK of
    // procedure_action.position states, before any is used.
    checked_position(self_position);
    std::int32_t last = 0;
    for (const store::RunStep& s : steps) last = std::max(last, checked_position(s.position));
    std::vector<core::StepState> states(static_cast<std::size_t>(std::max(last, self_position)), core::StepState::cancelled);
    for (const store::RunStep& s : steps) {
        if (s.position == self_position) continue;
        // A step whose action was deleted counts as cancelled: it no longer holds anyone up.
        std::optional<std::string> status = store::action_status_by_index(workspace_id, s.action_id);
        if (!status) continue;
        if (auto st = core::parse_status(*status)) states[static_cast<std::size_t>(s.position - 1)] = state_of(*st);
    }
    states[static_cast<std::size_t>(self_position - 1)] = state_of(self);
    return states;
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
    std::vector<Later> steps;
    for (const store::LaterStep& l : store::lock_later_open_steps(a.workspace_id, run_id, position)) {
        std::int64_t start = l.scheduled_start.value_or(0);
        steps.push_back(Later{l.action_id, {unix_micros(start), l.due_at ? unix_micros(*l.due_at) : unix_micros(start)},
                              l.due_at.has_value()});
    }
    for (const Later& s : steps) {
        auto moved = core::shifted(cal->calendar(), s.dates, shift);
        if (auto* r = std::get_if<core::Refusal>(&moved)) refuse(*r);
        const core::ScheduledStep& m = std::get<core::ScheduledStep>(moved);
        TimestampTz old_start = timestamptz_of(s.dates.start), new_start = timestamptz_of(m.start);
        TimestampTz old_due = timestamptz_of(s.dates.due), new_due = timestamptz_of(m.due);
        store::set_step_scheduled_start(a.workspace_id, s.action_id, new_start);
        if (s.has_due) store::set_action_due(a.workspace_id, s.action_id, new_due);
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
    if (!step_rule_applies(verb)) return std::nullopt;
    return step_refusal(a, verb, store::step_of_action(a.workspace_id, a.action_id));
}

std::optional<core::Refusal> step_refusal_in_question(const Action& a, core::Verb verb) {
    if (!step_rule_applies(verb) || !store::workspace_has_steps(a.workspace_id)) return std::nullopt;
    return step_refusal(a, verb);
}

std::optional<core::Refusal> step_refusal(const Action& a, core::Verb verb, const std::optional<store::StepPlace>& row) {
    if (!step_rule_applies(verb)) return std::nullopt;
    if (!row) return std::nullopt;
    core::StepFacts f;
    f.action_id = a.action_id;
    f.position = row->position;
    f.states = run_states(a.workspace_id, row->run_id, row->position, a.status);
    f.relaxed_dates = store::procedure_relaxed_dates(a.workspace_id);
    f.may_complete_earlier = core::holds(core::Permission::administer_actions, a.facts) ||
                             core::holds(core::Permission::reassign_actions, a.facts);
    return core::check_step_act(f, verb == core::Verb::complete);
}

void after_step_completed(const Action& a, std::optional<bool> choice, const std::optional<store::StepPlace>& place) {
    auto not_a_step = [&] {
        if (choice.value_or(false))
            refuse({core::RefusalKind::invalid_value, "action " + std::to_string(a.action_id) + " is not a procedure step",
                    "reschedule => true moves the later steps of a procedure", "leave reschedule out"});
    };
    // Most completed actions are no procedure's step: the index probe answers that without a query.
    if (!place) return not_a_step();
    std::optional<store::StepCompletion> me = store::step_completion(a.workspace_id, a.action_id);
    if (!me) return not_a_step();
    std::int64_t run_id = me->run_id;
    std::int32_t position = me->position;
    std::optional<TimestampTz> due = me->due_at;
    TimestampTz completed = me->completed_at.value_or(GetCurrentTransactionStartTimestamp());
    core::CompletionFacts f;
    f.reschedule_if_early = me->reschedule_if_early;
    f.reschedule_if_late = me->reschedule_if_late;
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
    store::set_applied_shift(a.workspace_id, a.action_id, r.shift);
    move_later_steps(a, run_id, position, r.shift, "completed");
}

void after_step_uncompleted(const Action& a) {
    std::optional<store::AppliedShift> me = store::take_applied_shift(a.workspace_id, a.action_id);
    if (!me) return;
    move_later_steps(a, me->run_id, me->position, -me->shift_us, "uncompleted");
}

}  // namespace pg_actions::pg
