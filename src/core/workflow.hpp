// System-generated workflows (Aptly): which actions an event on a record creates, for whom, of
// which type and with which due date, which outcomes close them, and the record's workflow state
// afterwards. The glue reads the parties and settings, asks here, and writes what it is told.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "record_rules.hpp"
#include "refusal.hpp"
#include "pure.hpp"

namespace pg_actions::core {

enum class Workflow {
    delegation_request,     // a member asks for authority from a decision or a delegation
    delegation_approval,    // a new or changed delegation waits for an eligible approver
    delegation_acceptance,  // each recipient accepts or declines an approved delegation
    role_acknowledgement,   // consulted and informed parties of a decision confirm their role
    document_approval,      // approvers approve a document when it is published or edited again
    document_review,        // reviewers review a document, first and then periodically
};
inline constexpr std::size_t workflow_count = 6;
std::string_view workflow_name(Workflow w);
std::optional<Workflow> parse_workflow(std::string_view text);
// Due in this many days when the workspace sets none (acceptance: 7); nullopt: no due date.
std::optional<int> default_due_days(Workflow w);

enum class Outcome { approved, rejected, accepted, declined, acknowledged };
std::string_view outcome_name(Outcome o);
std::optional<Outcome> parse_outcome(std::string_view text);

// The title of an action a workflow creates for a record ("Approve document: <title>"), at most
// 500 characters (longer ones end in "...", cut between characters, never inside one).
std::string workflow_action_title(Workflow w, std::string_view record_title);

// The action type a workflow creates (task, approval, acceptance, acknowledgement, review, request).
std::string_view action_type(Workflow w);
// The outcomes that close an action of the workflow (invalid_value otherwise).
std::optional<Refusal> check_outcome(Workflow w, Outcome o);

// Where a delegation request goes: a decision's owner (its creator when it names none), or the
// delegation's issuer, recipient, or both.
enum class Route { owner, issuer, recipient, both };
std::optional<Route> parse_route(std::string_view text);
// The capacities whose holders receive the workflow's actions, for a record of `kind`
// (invalid_value when the workflow does not apply to that kind or route).
struct Recipients {
    std::vector<Capacity> capacities;
    bool pool = false;  // one action for the whole pool (any one of them acts), else one per person
};
std::optional<Refusal> recipients(Workflow w, std::string_view kind, std::optional<Route> route, Recipients& out);

// Events on a record that start workflows, with the workflows they start (when switched on).
enum class RecordEvent {
    delegation_submitted,  // a new delegation, or a change to an approved one
    delegation_approved,   // approved, or submitted while approval is switched off
    decision_role_added,   // a consulted or informed party was added to a decision
    document_published,    // published, or edited again after publication
    review_due,            // the maintenance sweep found a document's review due
};
std::vector<Workflow> workflows_for(RecordEvent e);

// The record's workflow state once an action of workflow `w` closed with `o`; `siblings_open`:
// other actions of the same workflow and record are still open (an acceptance per recipient, an
// approval per document approver); `any_sibling_refused`: one of them was declined or rejected.
// Every recipient must accept and every document approver approve; one refusal decides.
// nullopt: the state does not change.
std::optional<std::string> state_after(Workflow w, Outcome o, bool siblings_open, bool any_sibling_refused);

// What happens next once the state changed: an approved delegation goes to its recipients.
std::optional<RecordEvent> event_after(Workflow w, Outcome o);

// The record state machine around approval. Submitting a delegation, publishing a document and
// editing a record move its workflow_state and may start workflows: with the approval workflow
// of its kind on, both wait for approval (pending_approval, and the event that creates the
// approval actions); with it off, a delegation is approved at once (and goes on to acceptance)
// and a document is published. Editing an approved or accepted delegation, or a document past
// draft, sends it back to approval when approval is on. A second submit while pending is refused
// (wrong_state).
enum class RecordChange { submit, publish, edit };
struct RecordStep {
    std::optional<std::string> state;   // the new workflow_state; nullopt: unchanged
    std::optional<RecordEvent> event;   // the event that starts workflows, if any
};
// The approval workflow of a record kind (delegation, document), if it has one.
std::optional<Workflow> approval_workflow(std::string_view kind);
// The workflow_state a new record starts in: draft for a kind with an approval workflow, else none.
std::optional<std::string> initial_record_state(std::string_view kind);
std::optional<Refusal> record_step(RecordChange change, std::string_view kind, const std::optional<std::string>& state,
                                   bool approval_on, std::int64_t record_id, RecordStep& out);

// A workflow action closes with a decision (its outcome), and the record's state follows that
// decision; as on Aptly's page, a decision once recorded is final: the action is not reopened
// (wrong_state). A new request, submission or publication starts a new round instead.
std::optional<Refusal> check_reopen(bool workflow_action, bool reopening, std::int64_t action_id);

}  // namespace pg_actions::core
