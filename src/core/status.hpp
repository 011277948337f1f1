// The action lifecycle: statuses, which moves a writer may make, and the status an action
// settles into once its start and due date are taken into account.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "permission.hpp"
#include "refusal.hpp"
#include "pure.hpp"

namespace pg_actions::core {

enum class Status { to_do, in_progress, overdue, complete, cancelled };

std::string_view status_name(Status s);
std::optional<Status> parse_status(std::string_view text);

// to_do, in_progress and overdue: work still open.
bool is_active(Status s);

// Whether a writer (API or an application's own UPDATE) may move an action from `from` to
// the requested `to`. Staying put is always allowed. Leaving complete for an active status is
// un-completion; cancelled is final.
bool can_move(Status from, Status to);

// The refusal for an illegal move, naming the current status (kind wrong_state); nullopt when legal.
std::optional<Refusal> check_move(Status from, Status to);

// What a caller asks for through the API; unlike can_move, asking for the status the action
// already has is refused ("action is already complete").
enum class Request { start, complete, uncomplete, cancel };
std::optional<Refusal> check_request(Request request, Status current);

// Assigning and editing need an open action (to_do, in_progress, overdue); `doing` names the verb
// for the message, e.g. "assign" or "edit".
std::optional<Refusal> check_open(Status current, std::string_view doing, std::int64_t action_id);

// The state an action must be in for a verb, beyond permissions: assign needs an unassigned open
// action, reassign an assigned open one, edit an open one; start, complete, uncomplete and cancel
// follow check_request; view and delete need nothing. nullopt: the state allows the verb.
std::optional<Refusal> check_state(Verb verb, Status current, std::optional<std::int64_t> assignee_id,
                                   std::int64_t action_id);

// The status a row really gets: an active action is overdue while past due, otherwise
// in_progress once started, otherwise to_do. complete and cancelled are kept as they are.
Status settle(Status requested, bool started, bool past_due);

// Whether the maintenance sweep (actions.mark_overdue()) marks an action overdue at `now`
// (microseconds, the clock of due_at): it is open and not overdue yet (to_do, in_progress: the
// set actions.list_vocabulary('open_not_overdue') gives SQL, so the sweep's statement and the
// partial index action_open_due_idx find these rows) and its due date is strictly before now.
bool becomes_overdue(Status s, std::optional<std::int64_t> due_at, std::int64_t now);

}  // namespace pg_actions::core
