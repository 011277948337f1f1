// Outcomes of workflow actions (record_outcome): an approval is decided by an eligible approver,
// checked again now with what eligibility depends on locked; other workflow actions by whoever
// may complete them. The record's state then follows the core's state_after().
#include "pg/boundary/postgres.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/catalog.hpp"
#include "core/eligibility.hpp"
#include "core/input.hpp"
#include "core/record_rules.hpp"
#include "core/workflow.hpp"
#include "pg/api/record.hpp"
#include "pg/authz/approver_facts.hpp"
#include "pg/authz/facts.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/identity/actor.hpp"
#include "pg/store/action_store.hpp"
#include "pg/store/member_store.hpp"
#include "pg/store/notify.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

// record_outcome(action_id, outcome, comment): closes a workflow action. An approval is decided
// by an eligible approver, checked now; other workflow actions by whoever may complete them.
PG_ACTIONS_FUNCTION(pg_actions_record_outcome) {
    std::int64_t action_id = arg_id(fcinfo, 0, "action_id");
    std::string outcome_text = arg_required_text(fcinfo, 1, "outcome", "'approved'");
    std::optional<core::Outcome> outcome = core::parse_outcome(outcome_text);
    if (!outcome)
        refuse({core::RefusalKind::invalid_value, "unknown outcome \"" + outcome_text + "\"", "",
                "use " + core::listed(core::outcome_names())});
    std::optional<std::string> comment = arg_text(fcinfo, 2);
    refuse_if(core::check_description(comment));
    SpiScope spi;
    std::int64_t actor = require_actor();
    std::optional<Action> a = find_action(action_id, actor, true);
    if (!a) refuse_not_found(core::Target::action, action_id);
    if (core::decide(core::Verb::view, a->facts))
        refuse_not_found(core::Target::action, action_id);
    std::optional<core::Workflow> w = a->workflow ? core::parse_workflow(*a->workflow) : std::nullopt;
    if (!w || !a->record_id)
        refuse({core::RefusalKind::invalid_value, "action " + std::to_string(action_id) + " belongs to no workflow",
                "outcomes close the actions the system workflows create", "use actions.complete() for other actions"});
    refuse_if(core::check_outcome(*w, *outcome));
    refuse_if(core::check_state(core::Verb::complete, a->status, a->assignee_id, action_id));
    Record r = find_record(*a->record_id, actor, true);
    if (*w == core::Workflow::delegation_approval) {
        Delegation d = load_delegation(r.record_id);
        // Locks what the approver's eligibility depends on, so a concurrent role change, group
        // change or issuer change either waits for the approval or is seen by it (read
        // committed re-reads).
        store::lock_approver_eligibility(d.workspace_id, actor, d.group_ids);
        refuse_if(approver_refusal(d, actor));
    } else {
        refuse_if(core::decide(core::Verb::complete, a->facts));
    }
    // The substitute of the absent assignee decides it for them (eligibility above was the
    // substitute's own): the log says acting_for.
    note_acting_for(core::Verb::complete, *a, actor);
    store::close_with_outcome(a->workspace_id, action_id, outcome_text, comment, actor);
    store::WorkflowSiblings siblings = store::workflow_siblings(r.workspace_id, r.record_id, *a->workflow, action_id);
    bool open = siblings.open > 0, declined = siblings.declined > 0;
    if (std::optional<std::string> state = core::state_after(*w, *outcome, open, declined)) {
        set_state(r, state);
        if (std::optional<core::RecordEvent> next = core::event_after(*w, *outcome)) start_workflows(r, *next, actor);
    }
    PG_RETURN_VOID();
}
