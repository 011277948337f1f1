// Procedures: an ordered list of steps attached to a record, whose actions are created at once with
// scheduled start and due dates in working time (core/calendar.hpp), and the rules while they run:
// a step starts only after the one before it is complete (unless the workspace relaxes dates),
// completing a step early or late moves every later open step by the difference, un-completing
// it moves them back, and completing a step once a later one is complete needs administer_actions
// or reassign_actions (Content Manager's rule). The glue gathers the facts and applies the answers.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "calendar.hpp"
#include "refusal.hpp"
#include "pure.hpp"

namespace pg_actions::core {

inline constexpr std::size_t max_procedure_name_chars = 200;
inline constexpr std::size_t max_procedure_steps = 100;

// A procedure's name: not blank, at most max_procedure_name_chars.
std::optional<Refusal> check_procedure_name(std::optional<std::string_view> name);
// A step's timing: a duration of working time above zero, a gap before it of zero or more.
std::optional<Refusal> check_step_timing(const WorkingDuration& duration, const WorkingDuration& gap);
// Whether one more step may be added to a procedure of `steps` steps.
std::optional<Refusal> check_step_count(std::size_t steps);
// A procedure is attached only when it has steps.
std::optional<Refusal> check_has_steps(std::int64_t procedure_id, std::size_t steps);

struct StepTiming {
    WorkingDuration gap{0, 0};       // working time between the previous step's due date and its start
    WorkingDuration duration{0, 0};  // working time from its start to its due date
};
struct ScheduledStep {
    std::int64_t start = 0;  // microseconds since 1970-01-01 UTC
    std::int64_t due = 0;
};
// The dates of every step when attached at `start`: step 1 starts after its gap from `start`, each
// later step after its gap from the previous step's due date; each is due its duration after its
// start, all in working time. Refused (22008) when a date would leave the calendar's range.
std::variant<std::vector<ScheduledStep>, Refusal> schedule(const Calendar& calendar, std::int64_t start,
                                                           const std::vector<StepTiming>& steps);

// A step's status as the rules need it.
enum class StepState { open, complete, cancelled };

// What the glue knows when someone starts or completes step `position` (1-based) of a procedure.
struct StepFacts {
    std::int64_t action_id = 0;
    int position = 1;
    std::vector<StepState> states;  // every step of the run, in order (states[position - 1] is this one)
    bool relaxed_dates = false;     // the workspace lets a step start before the previous is complete
    bool may_complete_earlier = false;  // administer_actions or reassign_actions on the action
};
// Start (completing: false) or complete (true) the step. nullopt: allowed. Refused (55000) while
// the previous open step is not complete and dates are not relaxed; completing (42501) once a later
// step is complete without administer_actions or reassign_actions.
std::optional<Refusal> check_step_act(const StepFacts& f, bool completing);

// Whether a completion moves the later steps, and by how much working time.
struct CompletionFacts {
    std::int64_t due = 0;           // the step's due date
    std::int64_t completed_at = 0;  // when it was completed
    bool reschedule_if_early = false;  // the workspace's switches
    bool reschedule_if_late = false;
    bool administers = false;          // administer_actions on the action
    std::optional<bool> choice;        // the caller's reschedule argument (nullopt: not given)
};
struct Reschedule {
    bool apply = false;
    std::int64_t shift = 0;  // working time (microseconds): negative moves the later steps earlier
};
// The difference is the working time between the due date and the completion (negative when
// early). It moves the later steps when the matching switch is on, or, with the switch off, when a
// member with administer_actions passes reschedule => true; anyone else passing true is refused
// (42501). reschedule => false never overrides a switch that is on. No difference: nothing moves.
std::variant<Reschedule, Refusal> reschedule_on_completion(const Calendar& calendar, const CompletionFacts& f);

// A later step's dates moved by `shift` working time (the undo of a completion's move is -shift).
std::variant<ScheduledStep, Refusal> shifted(const Calendar& calendar, const ScheduledStep& s, std::int64_t shift);

// The detail of the log entry "rescheduled" on a moved step (whose old_value and new_value are its
// scheduled start): the step that caused it (its action and position), the shift in working
// seconds, why ("completed", "uncompleted") and the due date before and after (ISO 8601 texts;
// none when the step has no due date).
std::string rescheduled_detail(std::int64_t cause_action, int cause_position, std::int64_t shift, std::string_view why,
                               const std::optional<std::string>& old_due = std::nullopt,
                               const std::optional<std::string>& new_due = std::nullopt);

// Changing a step's scheduled start directly needs administer_actions; a start after its due date
// is refused (22023).
std::optional<Refusal> check_set_step_start(std::int64_t action_id, bool administers, std::int64_t start,
                                            std::optional<std::int64_t> due);

// Cancelling a whole procedure: its starter, or a member with administer_actions; not twice.
std::optional<Refusal> check_cancel_procedure(std::int64_t run_id, bool is_starter, bool administers,
                                              bool already_cancelled);

}  // namespace pg_actions::core
