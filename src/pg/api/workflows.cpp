// The system workflows (Aptly): submitting, requesting and publishing records, the review sweep,
// outcomes, and the workspace's switches. Which actions an event creates, for whom, with which
// title, and what an outcome means are the core's (core/workflow.cpp, core/eligibility.cpp); this
// file reads the facts, asks, and writes what it is told.
#include "pg/boundary/postgres.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/eligibility.hpp"
#include "core/input.hpp"
#include "core/record_rules.hpp"
#include "core/template_rules.hpp"
#include "core/workflow.hpp"
#include "pg/api/bulk_rows.hpp"
#include "pg/api/record.hpp"
#include "pg/api/working_days.hpp"
#include "pg/authz/approver_facts.hpp"
#include "pg/authz/facts.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/identity/actor.hpp"
#include "pg/store/action_store.hpp"
#include "pg/store/member_store.hpp"
#include "pg/store/notify.hpp"
#include "pg/store/record_store.hpp"
#include "pg/store/sweep_errors.hpp"
#include "pg/store/workflow_store.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace pg_actions::pg {

void set_state(const Record& r, const std::optional<std::string>& state) {
    store::set_record_workflow_state(r.workspace_id, r.record_id, state);
}

}  // namespace pg_actions::pg

namespace {

struct Setting {
    bool enabled = false;
    std::optional<int> due_days;
    bool working_days = false;  // due_days counts working days of the workspace's calendar
};

Setting workflow_setting(std::int64_t workspace_id, core::Workflow w) {
    Setting s;
    if (std::optional<store::WorkflowSettingRow> row =
            store::workflow_setting_row(workspace_id, std::string(core::workflow_name(w)))) {
        s.enabled = row->enabled;
        s.due_days = row->due_days;
        s.working_days = s.due_days && row->working_days;
    }
    if (!s.due_days) s.due_days = core::default_due_days(w);
    return s;
}

// People behind the parties of these capacities: person parties, and the members of shared
// groups (and of the groups below them). Sorted, without repeats.
std::vector<std::int64_t> capacity_holders(const Record& r, const std::vector<core::Capacity>& capacities) {
    std::vector<std::int64_t> people;
    for (const Party& p : record_parties(r.workspace_id, r.record_id)) {
        if (std::find(capacities.begin(), capacities.end(), p.capacity) == capacities.end()) continue;
        if (p.person_id) {
            people.push_back(*p.person_id);
        } else if (p.group_id) {
            for (std::int64_t person : store::group_tree_members(r.workspace_id, *p.group_id)) people.push_back(person);
        }
    }
    std::sort(people.begin(), people.end());
    people.erase(std::unique(people.begin(), people.end()), people.end());
    return people;
}

// One workflow action, linked to the record and in its groups; the triggers log it and notify
// its assignee.
std::int64_t create_workflow_action(const Record& r, core::Workflow w, const Setting& s, std::int64_t owner,
                                    std::optional<std::int64_t> assignee,
                                    const std::optional<std::string>& description = std::nullopt) {
    // Working days are counted on the workspace's calendar (55000 without one).
    std::optional<TimestampTz> working_due;
    if (s.working_days)
        working_due = working_days_from_now(r.workspace_id, *s.due_days, "the workflow's due days");
    store::WorkflowActionRow a;
    a.workspace_id = r.workspace_id;
    a.title = core::workflow_action_title(w, r.title);
    a.description = description;
    a.type = std::string(core::action_type(w));
    a.owner_id = owner;
    a.assignee_id = assignee;
    if (s.due_days) a.due_days = static_cast<std::int32_t>(*s.due_days);
    a.record_id = r.record_id;
    a.group_ids = r.group_ids;
    a.workflow = std::string(core::workflow_name(w));
    a.working_due = working_due;
    return store::insert_workflow_action(a);
}


}  // namespace

namespace pg_actions::pg {

core::RecordStep change_record(const Record& r, core::RecordChange change, std::int64_t actor) {
    std::optional<core::Workflow> approval = core::approval_workflow(r.kind);
    bool approval_on = approval && workflow_setting(r.workspace_id, *approval).enabled;
    core::RecordStep step;
    refuse_if(core::record_step(change, r.kind, r.state, approval_on, r.record_id, step));
    if (step.state) set_state(r, step.state);
    if (step.event) start_workflows(r, *step.event, actor);
    return step;
}

// The approval pool is every eligible approver at this moment.
int start_workflows(const Record& r, core::RecordEvent event, std::int64_t actor, const std::vector<std::int64_t>& only) {
    int created = 0;
    for (core::Workflow w : core::workflows_for(event)) {
        Setting s = workflow_setting(r.workspace_id, w);
        if (!s.enabled) continue;
        core::Recipients who;
        refuse_if(core::recipients(w, r.kind, std::nullopt, who));
        if (who.pool) {
            std::int64_t action = create_workflow_action(r, w, s, actor, std::nullopt);
            std::vector<std::int64_t> pool = eligible_approvers(load_delegation(r.record_id));
            for (std::int64_t person : pool) {
                store::insert_action_candidate(r.workspace_id, action, person);
                if (person != actor) notify(core::NotificationKind::assigned, r.workspace_id, person, action);
            }
            if (pool.empty())
                guard([] {
                    ereport(NOTICE, (errmsg("no eligible approver for this delegation yet"),
                                     errhint("grant approve_delegations to a role, or add an approver to one of "
                                             "the delegation's groups; eligibility is checked when someone approves")));
                });
            created++;
            continue;
        }
        std::vector<std::int64_t> people = only.empty() ? capacity_holders(r, who.capacities) : only;
        for (std::int64_t person : people) {
            create_workflow_action(r, w, s, actor, person);
            created++;
        }
    }
    return created;
}

}  // namespace pg_actions::pg

// submit_delegation(record_id): approval by the pool of eligible approvers, or, with approval
// switched off, approved at once (and on to acceptance).
PG_ACTIONS_FUNCTION(pg_actions_submit_delegation) {
    std::int64_t record_id = arg_id(fcinfo, 0, "record_id");
    SpiScope spi;
    std::int64_t actor = require_actor();
    Record r = record_to_edit(record_id, actor);
    require_kind(r, "delegation", "submitting for approval");
    require_open(r);
    core::RecordStep step = change_record(r, core::RecordChange::submit, actor);
    std::string state = step.state.value_or("");
    spi.finish();
    return text_datum(state);
}

// request_delegation(record_id, route, note): ask for authority from a decision or delegation.
PG_ACTIONS_FUNCTION(pg_actions_request_delegation) {
    std::int64_t record_id = arg_id(fcinfo, 0, "record_id");
    std::optional<core::Route> route;
    if (!PG_ARGISNULL(1)) {
        std::string text = text_of(PG_GETARG_DATUM(1));
        route = core::parse_route(text);
        if (!route)
            refuse({core::RefusalKind::invalid_value, "unknown route \"" + text + "\"", "",
                    "pass 'owner' for a decision, or 'issuer', 'recipient' or 'both' for a delegation"});
    }
    std::optional<std::string> note = arg_text(fcinfo, 2);
    refuse_if(core::check_description(note));
    SpiScope spi;
    std::int64_t actor = require_actor();
    Record r = find_record(record_id, actor);
    require_open(r);
    core::Recipients who;
    refuse_if(core::recipients(core::Workflow::delegation_request, r.kind, route, who));
    Setting s = workflow_setting(r.workspace_id, core::Workflow::delegation_request);
    if (!s.enabled)
        refuse({core::RefusalKind::wrong_state, "delegation requests are switched off in workspace " + std::to_string(r.workspace_id),
                "", "ask a workspace owner to switch them on with actions.set_workflow()"});
    std::vector<std::int64_t> people = capacity_holders(r, who.capacities);
    if (people.empty() && r.kind == "decision") {  // no owner party: the decision's creator
        if (auto id = store::record_owner(r.workspace_id, record_id)) people.push_back(*id);
    }
    if (people.empty())
        refuse({core::RefusalKind::wrong_state, "record " + std::to_string(record_id) + " has nobody to receive the request",
                "the request goes to the record's " + std::string(r.kind == "decision" ? "owner" : "issuer or recipient"),
                "add that party with actions.add_party() first"});
    std::int64_t first = 0;
    for (std::int64_t person : people) {
        std::int64_t id = create_workflow_action(r, core::Workflow::delegation_request, s, actor, person, note);
        if (!first) first = id;
    }
    PG_RETURN_INT64(first);
}

// publish_document(record_id): approval actions for the approvers; reviews start being due.
PG_ACTIONS_FUNCTION(pg_actions_publish_document) {
    std::int64_t record_id = arg_id(fcinfo, 0, "record_id");
    SpiScope spi;
    std::int64_t actor = require_actor();
    Record r = record_to_edit(record_id, actor);
    require_kind(r, "document", "publishing");
    require_open(r);
    // The first review is due at publication when reviews are on and none is scheduled yet.
    bool reviews = workflow_setting(r.workspace_id, core::Workflow::document_review).enabled;
    store::publish_record(r.workspace_id, record_id, reviews);
    change_record(r, core::RecordChange::publish, actor);
    PG_RETURN_VOID();
}

// set_review_schedule(record_id, every): reviews every interval after the first.
PG_ACTIONS_FUNCTION(pg_actions_set_review_schedule) {
    std::int64_t record_id = arg_id(fcinfo, 0, "record_id");
    if (!PG_ARGISNULL(1)) {
        bool positive = guard([&]() -> bool {
            Interval zero{};
            return DatumGetBool(DirectFunctionCall2(interval_gt, PG_GETARG_DATUM(1), PointerGetDatum(&zero)));
        });
        if (!positive)
            refuse({core::RefusalKind::invalid_value, "the review interval must be positive", "",
                    "pass e.g. interval '1 year', or NULL for the first review only"});
    }
    SpiScope spi;
    Record r = record_to_edit(record_id, require_actor());
    require_kind(r, "document", "a review schedule");
    std::optional<std::uintptr_t> every;
    if (!PG_ARGISNULL(1)) every = PG_GETARG_DATUM(1);
    store::set_review_every(r.workspace_id, record_id, every);
    PG_RETURN_VOID();
}

// create_due_reviews(): the maintenance sweep's part for documents; one review action per
// reviewer for every published document whose review is due, then the next one is scheduled.
// Concurrent sweeps skip each other's documents (SKIP LOCKED), so no review is created twice. At
// most pg_actions.sweep_batch_size documents per call, the longest due first; each in its own
// subtransaction, so one that fails unexpectedly is recorded (actions.maintenance_error) and the
// others get their reviews.

namespace {

void review_document(std::int64_t workspace_id, std::int64_t record_id, std::optional<std::int64_t> owner,
                     std::int64_t& created) {
    std::optional<store::ReviewedRecord> row = store::record_for_review(workspace_id, record_id);
    if (!row)
        throw PgError(ERRCODE_INTERNAL_ERROR, "pg_actions: document " + std::to_string(record_id) + " vanished while locked",
                      "", "this is a bug in pg_actions; please report it");
    Record r{workspace_id, record_id, row->kind, row->title, false, row->workflow_state, row->group_ids, {}};
    Setting s = workflow_setting(r.workspace_id, core::Workflow::document_review);
    if (s.enabled)
        for (std::int64_t person : capacity_holders(r, {core::Capacity::reviewer})) {
            create_workflow_action(r, core::Workflow::document_review, s, owner.value_or(person), person);
            created++;
        }
    store::schedule_next_review(workspace_id, record_id);
}

}  // namespace

PG_ACTIONS_FUNCTION(pg_actions_create_due_reviews) {
    SpiScope spi;
    std::vector<store::DueReview> rows = store::lock_due_reviews(DatumGetInt64(sweep_batch_datum()));
    std::int64_t created = 0;
    SweepItems items("create_due_reviews");
    for (const store::DueReview& d : rows) {
        check_for_interrupts();
        std::int64_t these = 0;
        Caught error{};
        if (!in_subtransaction([&] { review_document(d.workspace_id, d.record_id, d.owner, these); }, &error)) {
            items.failed(d.workspace_id, "document", d.record_id, error.code, error.message);
            continue;
        }
        items.succeeded();
        created += these;
    }
    items.finish();
    PG_RETURN_INT64(created);
}

// set_workflow(workspace_id, workflow, enabled, due_days, due_unit)
PG_ACTIONS_FUNCTION(pg_actions_set_workflow) {
    std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
    std::string name = arg_required_text(fcinfo, 1, "workflow", "'delegation_approval'");
    if (!core::parse_workflow(name))
        refuse({core::RefusalKind::invalid_value, "unknown workflow \"" + name + "\"", "",
                "use delegation_request, delegation_approval, delegation_acceptance, role_acknowledgement, "
                "document_approval or document_review"});
    if (PG_ARGISNULL(2))
        throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "enabled must not be null", "", "pass true or false");
    if (!PG_ARGISNULL(3) && (PG_GETARG_INT32(3) < 1 || PG_GETARG_INT32(3) > 3650))
        refuse({core::RefusalKind::invalid_value, "due_days must be between 1 and 3650", "",
                "pass a number of days, or NULL for the default"});
    std::string unit = arg_text(fcinfo, 4).value_or(std::string(core::due_unit_name(core::DueUnit::calendar_days)));
    refuse_if(core::check_due_rule(std::nullopt, unit));
    SpiScope spi;
    require_workspace_manager(workspace_id);
    if (unit == core::due_unit_name(core::DueUnit::working_days))
        require_working_calendar(workspace_id, "the workflow's due days");
    std::optional<std::int32_t> due_days;
    if (!PG_ARGISNULL(3)) due_days = PG_GETARG_INT32(3);
    store::upsert_workflow_setting(workspace_id, name, PG_GETARG_BOOL(2), due_days, unit);
    PG_RETURN_VOID();
}
