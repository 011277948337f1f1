// The system workflows, the record state machine and workflow action titles (see workflow.hpp).
#include "workflow.hpp"

#include "input.hpp"

#include <array>

namespace pg_actions::core {

namespace {

constexpr std::array<std::string_view, workflow_count> workflow_names{
    "delegation_request", "delegation_approval", "delegation_acceptance",
    "role_acknowledgement", "document_approval", "document_review"};
constexpr std::array<std::string_view, 5> outcome_names{"approved", "rejected", "accepted", "declined",
                                                         "acknowledged"};

Refusal wrong_kind(Workflow w, std::string_view kind, std::string_view wants) {
    return Refusal{RefusalKind::invalid_value,
                   std::string(workflow_name(w)) + " does not apply to a " + std::string(kind) + " record",
                   "it applies to " + std::string(wants), "use a record of that kind"};
}

}  // namespace

std::string_view workflow_name(Workflow w) { return workflow_names.at(static_cast<std::size_t>(w)); }

std::optional<Workflow> parse_workflow(std::string_view text) {
    for (std::size_t i = 0; i < workflow_names.size(); ++i)
        if (workflow_names[i] == text) return static_cast<Workflow>(i);
    return std::nullopt;
}

std::optional<int> default_due_days(Workflow w) {
    if (w == Workflow::delegation_acceptance) return 7;
    return std::nullopt;
}

std::string_view outcome_name(Outcome o) { return outcome_names.at(static_cast<std::size_t>(o)); }

std::optional<Outcome> parse_outcome(std::string_view text) {
    for (std::size_t i = 0; i < outcome_names.size(); ++i)
        if (outcome_names[i] == text) return static_cast<Outcome>(i);
    return std::nullopt;
}

std::string_view action_type(Workflow w) {
    switch (w) {
    case Workflow::delegation_request: return "request";
    case Workflow::delegation_approval:
    case Workflow::document_approval: return "approval";
    case Workflow::delegation_acceptance: return "acceptance";
    case Workflow::role_acknowledgement: return "acknowledgement";
    case Workflow::document_review: return "review";
    }
    return "task";
}

std::optional<Refusal> check_outcome(Workflow w, Outcome o) {
    bool ok = false;
    std::string_view allowed;
    switch (w) {
    case Workflow::delegation_request:
    case Workflow::delegation_approval:
    case Workflow::document_approval:
    case Workflow::document_review:
        ok = o == Outcome::approved || o == Outcome::rejected;
        allowed = "approved or rejected";
        break;
    case Workflow::delegation_acceptance:
        ok = o == Outcome::accepted || o == Outcome::declined;
        allowed = "accepted or declined";
        break;
    case Workflow::role_acknowledgement:
        ok = o == Outcome::acknowledged;
        allowed = "acknowledged";
        break;
    }
    if (ok) return std::nullopt;
    const std::string type{action_type(w)};
    const bool vowel = type.find_first_of("aeiou") == 0;
    return Refusal{RefusalKind::invalid_value,
                   "outcome " + std::string(outcome_name(o)) + " does not close " + (vowel ? "an " : "a ") + type +
                       " action",
                   "a " + std::string(workflow_name(w)) + " action closes as " + std::string(allowed),
                   "pass one of: " + std::string(allowed)};
}

std::optional<Route> parse_route(std::string_view text) {
    if (text == "owner") return Route::owner;
    if (text == "issuer") return Route::issuer;
    if (text == "recipient") return Route::recipient;
    if (text == "both") return Route::both;
    return std::nullopt;
}

std::optional<Refusal> recipients(Workflow w, std::string_view kind, std::optional<Route> route, Recipients& out) {
    out = {};
    switch (w) {
    case Workflow::delegation_request:
        if (kind == "decision") {
            if (route && *route != Route::owner)
                return Refusal{RefusalKind::invalid_value, "a request from a decision goes to its owner",
                               "issuer and recipient are parties of delegations", "leave the route out, or pass 'owner'"};
            out.capacities = {Capacity::owner};
            return std::nullopt;
        }
        if (kind == "delegation") {
            Route r = route.value_or(Route::issuer);
            if (r == Route::owner)
                return Refusal{RefusalKind::invalid_value, "a request from a delegation goes to its issuer or recipient",
                               "", "pass 'issuer', 'recipient' or 'both'"};
            if (r == Route::issuer || r == Route::both) out.capacities.push_back(Capacity::issuer);
            if (r == Route::recipient || r == Route::both) out.capacities.push_back(Capacity::recipient);
            return std::nullopt;
        }
        return wrong_kind(w, kind, "decisions and delegations");
    case Workflow::delegation_approval:
        if (kind != "delegation") return wrong_kind(w, kind, "delegations");
        out.pool = true;  // the eligible approvers, computed by eligibility, not by capacity
        return std::nullopt;
    case Workflow::delegation_acceptance:
        if (kind != "delegation") return wrong_kind(w, kind, "delegations");
        out.capacities = {Capacity::recipient};
        return std::nullopt;
    case Workflow::role_acknowledgement:
        if (kind != "decision") return wrong_kind(w, kind, "decisions");
        out.capacities = {Capacity::consulted, Capacity::informed};
        return std::nullopt;
    case Workflow::document_approval:
        if (kind != "document") return wrong_kind(w, kind, "documents");
        out.capacities = {Capacity::approver};
        return std::nullopt;
    case Workflow::document_review:
        if (kind != "document") return wrong_kind(w, kind, "documents");
        out.capacities = {Capacity::reviewer};
        return std::nullopt;
    }
    return std::nullopt;
}

std::vector<Workflow> workflows_for(RecordEvent e) {
    switch (e) {
    case RecordEvent::delegation_submitted: return {Workflow::delegation_approval};
    case RecordEvent::delegation_approved: return {Workflow::delegation_acceptance};
    case RecordEvent::decision_role_added: return {Workflow::role_acknowledgement};
    case RecordEvent::document_published: return {Workflow::document_approval};
    case RecordEvent::review_due: return {Workflow::document_review};
    }
    return {};
}

std::optional<std::string> state_after(Workflow w, Outcome o, bool siblings_open, bool any_sibling_refused) {
    switch (w) {
    case Workflow::delegation_approval:  // one pooled action: its outcome decides
        return std::string(outcome_name(o));
    case Workflow::document_approval:
        if (o == Outcome::rejected || any_sibling_refused) return std::string("rejected");
        if (siblings_open) return std::nullopt;
        return std::string("approved");
    case Workflow::delegation_acceptance:
        if (o == Outcome::declined || any_sibling_refused) return std::string("declined");
        if (siblings_open) return std::nullopt;
        return std::string("accepted");
    case Workflow::role_acknowledgement:
        if (siblings_open) return std::nullopt;
        return std::string("acknowledged");
    case Workflow::delegation_request:
    case Workflow::document_review: return std::nullopt;
    }
    return std::nullopt;
}

std::optional<RecordEvent> event_after(Workflow w, Outcome o) {
    if (w == Workflow::delegation_approval && o == Outcome::approved) return RecordEvent::delegation_approved;
    return std::nullopt;
}

std::optional<Refusal> check_reopen(bool workflow_action, bool reopening, std::int64_t action_id) {
    if (!workflow_action || !reopening) return std::nullopt;
    return Refusal{RefusalKind::wrong_state,
                   "action " + std::to_string(action_id) + " recorded a workflow decision and cannot be reopened",
                   "a decision recorded with actions.record_outcome() is final; the record's state follows it",
                   "start a new round instead: submit, request or publish the record again"};
}

std::string workflow_action_title(Workflow w, std::string_view record_title) {
    std::string_view prefix;
    switch (w) {
    case Workflow::delegation_request: prefix = "Delegation request: "; break;
    case Workflow::delegation_approval: prefix = "Approve delegation: "; break;
    case Workflow::delegation_acceptance: prefix = "Accept or decline delegation: "; break;
    case Workflow::role_acknowledgement: prefix = "Acknowledge your role on decision: "; break;
    case Workflow::document_approval: prefix = "Approve document: "; break;
    case Workflow::document_review: prefix = "Review document: "; break;
    }
    std::string title = std::string(prefix) + std::string(record_title);
    constexpr std::size_t max_chars = 500, kept_chars = 497;
    if (utf8_length(title) <= max_chars) return title;
    std::size_t chars = 0, end = 0;
    while (end < title.size() && chars < kept_chars) {
        ++end;
        while (end < title.size() && (static_cast<unsigned char>(title[end]) & 0xC0) == 0x80) ++end;  // continuation bytes
        ++chars;
    }
    return title.substr(0, end) + "...";
}

std::optional<Workflow> approval_workflow(std::string_view kind) {
    if (kind == "delegation") return Workflow::delegation_approval;
    if (kind == "document") return Workflow::document_approval;
    return std::nullopt;
}

std::optional<std::string> initial_record_state(std::string_view kind) {
    if (approval_workflow(kind)) return std::string("draft");
    return std::nullopt;
}

std::optional<Refusal> record_step(RecordChange change, std::string_view kind, const std::optional<std::string>& state,
                                   bool approval_on, std::int64_t record_id, RecordStep& out) {
    out = {};
    const bool delegation = kind == "delegation", document = kind == "document";
    switch (change) {
    case RecordChange::submit:
        if (!delegation) break;
        if (state == "pending_approval")
            return Refusal{RefusalKind::wrong_state,
                           "delegation " + std::to_string(record_id) + " is already waiting for approval", "",
                           "wait for an eligible approver, or cancel the open approval action first"};
        out.state = approval_on ? "pending_approval" : "approved";
        out.event = approval_on ? RecordEvent::delegation_submitted : RecordEvent::delegation_approved;
        break;
    case RecordChange::publish:
        if (!document) break;
        out.state = approval_on ? "pending_approval" : "published";
        if (approval_on) out.event = RecordEvent::document_published;
        break;
    case RecordChange::edit:
        if (!approval_on || !state) break;
        if (delegation && (*state == "approved" || *state == "accepted")) {
            out.state = "pending_approval";
            out.event = RecordEvent::delegation_submitted;
        } else if (document && *state != "draft") {
            out.state = "pending_approval";
            out.event = RecordEvent::document_published;
        }
        break;
    }
    return std::nullopt;
}

}  // namespace pg_actions::core
