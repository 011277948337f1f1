// Procedures: definitions, scheduling in working time and the rules while steps run (procedure.hpp).
#include "procedure.hpp"

#include "input.hpp"

namespace pg_actions::core {

namespace {

Refusal invalid(std::string message, std::string detail, std::string hint) {
    return Refusal{RefusalKind::invalid_value, std::move(message), std::move(detail), std::move(hint)};
}

bool positive(const WorkingDuration& d) { return !d.negative() && (d.days > 0 || d.micros > 0); }

template <typename T>
std::optional<Refusal> refusal_of(const std::variant<T, Refusal>& v) {
    if (auto* r = std::get_if<Refusal>(&v)) return *r;
    return std::nullopt;
}

}  // namespace

std::optional<Refusal> check_procedure_name(std::optional<std::string_view> name) {
    if (!name || name->find_first_not_of(" \t\n\r\f\v") == std::string_view::npos)
        return invalid("a procedure needs a name", "the name is how people pick the procedure",
                       "pass name => 'Supplier onboarding'");
    if (utf8_length(*name) > max_procedure_name_chars)
        return invalid("procedure name is too long",
                       "the name has " + std::to_string(utf8_length(*name)) + " characters; the limit is " +
                           std::to_string(max_procedure_name_chars),
                       "shorten the name");
    return std::nullopt;
}

std::optional<Refusal> check_step_timing(const WorkingDuration& duration, const WorkingDuration& gap) {
    if (!positive(duration))
        return invalid("a step's duration must be more than zero",
                       "the duration is the working time from the step's start to its due date",
                       "pass duration => '2 days' or '4 hours' (working time of the workspace's calendar)");
    if (gap.negative())
        return invalid("a step's gap must not be negative",
                       "the gap is the working time between the previous step's due date and this step's start",
                       "pass gap => '0' or a positive interval such as '1 day'");
    return std::nullopt;
}

std::optional<Refusal> check_step_count(std::size_t steps) {
    if (steps >= max_procedure_steps)
        return invalid("a procedure has at most " + std::to_string(max_procedure_steps) + " steps", "",
                       "split the work into two procedures");
    return std::nullopt;
}

std::optional<Refusal> check_has_steps(std::int64_t procedure_id, std::size_t steps) {
    if (steps == 0)
        return Refusal{RefusalKind::wrong_state, "procedure " + std::to_string(procedure_id) + " has no steps",
                       "attaching a procedure creates an action per step",
                       "add steps with actions.add_procedure_step() first"};
    return std::nullopt;
}

std::variant<std::vector<ScheduledStep>, Refusal> schedule(const Calendar& calendar, std::int64_t start,
                                                           const std::vector<StepTiming>& steps) {
    std::vector<ScheduledStep> out;
    out.reserve(steps.size());
    std::int64_t from = start;
    for (const StepTiming& t : steps) {
        ScheduledStep s;
        auto begin = calendar.add(from, t.gap);
        if (auto r = refusal_of(begin)) return *r;
        s.start = std::get<std::int64_t>(begin);
        auto due = calendar.add(s.start, t.duration);
        if (auto r = refusal_of(due)) return *r;
        s.due = std::get<std::int64_t>(due);
        out.push_back(s);
        from = s.due;
    }
    return out;
}

std::optional<Refusal> check_step_act(const StepFacts& f, bool completing) {
    const std::size_t i = static_cast<std::size_t>(f.position - 1);
    if (!f.relaxed_dates) {
        // The nearest step before this one that is not cancelled must be complete.
        for (std::size_t k = i; k-- > 0;) {
            if (f.states[k] == StepState::cancelled) continue;
            if (f.states[k] == StepState::open)
                return Refusal{RefusalKind::wrong_state,
                               "step " + std::to_string(f.position) + " of its procedure cannot " +
                                   (completing ? "be completed" : "start") + " before step " + std::to_string(k + 1) +
                                   " is complete",
                               "action " + std::to_string(f.action_id) +
                                   " is a procedure step; the steps run in order",
                               "complete step " + std::to_string(k + 1) +
                                   " first, or ask a workspace manager to relax date checking "
                                   "(actions.set_procedure_options(relaxed_dates => true))"};
            break;
        }
    }
    if (completing && !f.may_complete_earlier) {
        for (std::size_t k = i + 1; k < f.states.size(); k++)
            if (f.states[k] == StepState::complete)
                return Refusal{RefusalKind::not_permitted,
                               "not permitted to complete an earlier step of a procedure",
                               "step " + std::to_string(f.position) + " comes before step " +
                                   std::to_string(k + 1) +
                                   ", which is already complete; completing an earlier step needs the "
                                   "administer_actions or reassign_actions permission",
                               "ask a member with administer_actions or reassign_actions to complete it"};
    }
    return std::nullopt;
}

std::variant<Reschedule, Refusal> reschedule_on_completion(const Calendar& calendar, const CompletionFacts& f) {
    const std::int64_t shift = calendar.between(f.due, f.completed_at);
    const bool early = shift < 0;
    const bool on = early ? f.reschedule_if_early : f.reschedule_if_late;
    if (!on && f.choice.value_or(false) && !f.administers)
        return Refusal{RefusalKind::not_permitted, "not permitted to reschedule the later steps",
                       std::string("the workspace does not reschedule when a step is completed ") +
                           (early ? "early" : "late") +
                           "; only a member with administer_actions may choose to",
                       "complete it without reschedule => true, or ask a member with administer_actions"};
    if (shift == 0) return Reschedule{false, 0};
    if (on) return Reschedule{true, shift};
    return Reschedule{f.choice.value_or(false), shift};
}

std::variant<ScheduledStep, Refusal> shifted(const Calendar& calendar, const ScheduledStep& s, std::int64_t shift) {
    auto start = calendar.add(s.start, WorkingDuration{0, shift});
    if (auto r = refusal_of(start)) return *r;
    auto due = calendar.add(s.due, WorkingDuration{0, shift});
    if (auto r = refusal_of(due)) return *r;
    return ScheduledStep{std::get<std::int64_t>(start), std::get<std::int64_t>(due)};
}

std::string rescheduled_detail(std::int64_t cause_action, int cause_position, std::int64_t shift, std::string_view why,
                               const std::optional<std::string>& old_due, const std::optional<std::string>& new_due) {
    std::string out = "{\"caused_by\": " + std::to_string(cause_action) + ", \"step\": " +
                      std::to_string(cause_position) + ", \"shift_seconds\": " +
                      std::to_string(shift / micros_per_second) + ", \"because\": \"" + std::string(why) + "\"";
    if (old_due && new_due) out += ", \"old_due\": \"" + *old_due + "\", \"new_due\": \"" + *new_due + "\"";
    return out + "}";
}

std::optional<Refusal> check_set_step_start(std::int64_t action_id, bool administers, std::int64_t start,
                                            std::optional<std::int64_t> due) {
    if (!administers)
        return Refusal{RefusalKind::not_permitted, "not permitted to change the scheduled start of action " +
                                                       std::to_string(action_id),
                       "changing a procedure step's scheduled start needs the administer_actions permission",
                       "ask a member with administer_actions (Actions Administration)"};
    if (due && start > *due)
        return invalid("a step cannot start after its due date", "the scheduled start would be after the due date",
                       "pass an earlier start, or move the due date first with actions.update_action()");
    return std::nullopt;
}

std::optional<Refusal> check_cancel_procedure(std::int64_t run_id, bool is_starter, bool administers,
                                              bool already_cancelled) {
    if (!is_starter && !administers)
        return Refusal{RefusalKind::not_permitted, "not permitted to cancel procedure run " + std::to_string(run_id),
                       "cancelling a whole procedure needs being the person who attached it, or the "
                       "administer_actions permission",
                       "ask the person who attached it or a member with administer_actions"};
    if (already_cancelled)
        return Refusal{RefusalKind::wrong_state, "procedure run " + std::to_string(run_id) + " is already cancelled",
                       "", "nothing to do"};
    return std::nullopt;
}

}  // namespace pg_actions::core
