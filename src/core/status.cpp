// The status machine and overdue settling (see status.hpp).
#include "status.hpp"

#include <array>
#include <string>
#include <utility>

namespace pg_actions::core {

namespace {

constexpr std::array<Status, 5> all_statuses{Status::to_do, Status::in_progress, Status::overdue,
                                             Status::complete, Status::cancelled};

// "overdue, complete or cancelled": the legal targets, for the generic hint.
std::string allowed_targets(Status from) {
    std::string out;
    std::size_t remaining = 0;
    for (Status to : all_statuses)
        if (to != from && can_move(from, to)) ++remaining;
    for (Status to : all_statuses) {
        if (to == from || !can_move(from, to)) continue;
        out += status_name(to);
        --remaining;
        if (remaining > 1) out += ", ";
        else if (remaining == 1) out += " or ";
    }
    return out;
}

}  // namespace

std::string_view status_name(Status s) {
    switch (s) {
    case Status::to_do: return "to_do";
    case Status::in_progress: return "in_progress";
    case Status::overdue: return "overdue";
    case Status::complete: return "complete";
    case Status::cancelled: return "cancelled";
    }
    return "unknown";
}

std::optional<Status> parse_status(std::string_view text) {
    for (Status s : all_statuses)
        if (status_name(s) == text) return s;
    return std::nullopt;
}

bool is_active(Status s) {
    return s == Status::to_do || s == Status::in_progress || s == Status::overdue;
}

bool can_move(Status from, Status to) {
    if (from == to) return true;
    switch (from) {
    case Status::to_do: return true;
    // Once started, an action does not go back to to_do by itself; only the due date moves it.
    case Status::in_progress: return to != Status::to_do;
    // A moved due date takes an action out of overdue; settle() then picks to_do or in_progress.
    case Status::overdue: return true;
    // Un-completion reopens the action; cancelling a finished action would rewrite history.
    case Status::complete: return to != Status::cancelled;
    case Status::cancelled: return false;
    }
    return false;
}

std::optional<Refusal> check_move(Status from, Status to) {
    if (can_move(from, to)) return std::nullopt;
    const std::string current{status_name(from)};
    std::string hint;
    if (from == Status::cancelled)
        hint = "a cancelled action is final; create a new action instead";
    else if (from == Status::complete && to == Status::cancelled)
        hint = "un-complete the action first with actions.uncomplete()";
    else
        hint = "from " + current + " an action can move to " + allowed_targets(from);
    return Refusal{RefusalKind::wrong_state,
                   "cannot move action from status " + current + " to " + std::string{status_name(to)},
                   "the action is " + current, std::move(hint)};
}

bool becomes_overdue(Status s, std::optional<std::int64_t> due_at, std::int64_t now) {
    return is_active(s) && s != Status::overdue && due_at && *due_at < now;
}

Status settle(Status requested, bool started, bool past_due) {
    if (!is_active(requested)) return requested;
    if (past_due) return Status::overdue;
    return started ? Status::in_progress : Status::to_do;
}

}  // namespace pg_actions::core

namespace pg_actions::core {

std::optional<Refusal> check_request(Request request, Status current) {
    std::string now(status_name(current));
    auto refused = [&](std::string message, std::string hint) {
        return Refusal{RefusalKind::wrong_state, std::move(message), "the action is " + now, std::move(hint)};
    };
    switch (request) {
        case Request::start:
            if (current == Status::in_progress)
                return refused("action is already in progress", "nothing to do; complete it when the work is done");
            // Reopening a finished action is un-completion, with its own permission.
            if (current == Status::complete)
                return refused("cannot start action: it is complete",
                               "to reopen it, un-complete it with actions.uncomplete()");
            return check_move(current, Status::in_progress);
        case Request::complete:
            if (current == Status::complete)
                return refused("action is already complete",
                               "to replace the evidence, un-complete it with actions.uncomplete() and complete it again");
            return check_move(current, Status::complete);
        case Request::uncomplete:
            if (current != Status::complete)
                return refused("cannot un-complete action: it is " + now, "only a complete action can be un-completed");
            return std::nullopt;
        case Request::cancel:
            if (current == Status::cancelled)
                return refused("action is already cancelled", "a cancelled action is final; nothing to do");
            return check_move(current, Status::cancelled);
    }
    return std::nullopt;
}

std::optional<Refusal> check_open(Status current, std::string_view doing, std::int64_t action_id) {
    if (is_active(current)) return std::nullopt;
    std::string now(status_name(current));
    return Refusal{RefusalKind::wrong_state,
                   "cannot " + std::string(doing) + " action " + std::to_string(action_id) + ": it is " + now,
                   "only open actions (to_do, in_progress, overdue) can be changed this way",
                   current == Status::complete ? "un-complete it first with actions.uncomplete()"
                                               : "a cancelled action is final; create a new action instead"};
}

std::optional<Refusal> check_state(Verb verb, Status current, std::optional<std::int64_t> assignee_id,
                                   std::int64_t action_id) {
    const std::string id = std::to_string(action_id);
    switch (verb) {
        case Verb::assign:
            if (assignee_id)
                return Refusal{RefusalKind::wrong_state, "action " + id + " is already assigned",
                               "it is assigned to person " + std::to_string(*assignee_id),
                               "use actions.reassign() to change the assignee"};
            return check_open(current, "assign", action_id);
        case Verb::reassign:
            if (!assignee_id)
                return Refusal{RefusalKind::wrong_state, "action " + id + " is not assigned",
                               "only an assigned action can be reassigned",
                               "use actions.assign() to give it an assignee"};
            return check_open(current, "assign", action_id);
        case Verb::edit: return check_open(current, "edit", action_id);
        case Verb::start: return check_request(Request::start, current);
        case Verb::complete: return check_request(Request::complete, current);
        case Verb::uncomplete: return check_request(Request::uncomplete, current);
        case Verb::cancel: return check_request(Request::cancel, current);
        default: return std::nullopt;
    }
}

}  // namespace pg_actions::core
