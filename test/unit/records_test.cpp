// Records (core/record_rules), approver eligibility (core/eligibility) and the system workflows
// (core/workflow).
#include <gtest/gtest.h>

#include "eligibility.hpp"
#include "input.hpp"
#include "record_rules.hpp"
#include "workflow.hpp"

namespace pg_actions::core {
namespace {

Permissions perms(std::initializer_list<Permission> ps) {
    Permissions out;
    for (Permission p : ps) out.set(static_cast<std::size_t>(p));
    return out;
}

// --- record_rules -----------------------------------------------------------------------------

TEST(RecordKinds, SystemKinds) {
    for (auto k : {"decision", "delegation", "document", "matrix", "generic"}) EXPECT_TRUE(is_system_record_kind(k)) << k;
    EXPECT_FALSE(is_system_record_kind("policy"));
    EXPECT_FALSE(is_system_record_kind("Decision"));
    EXPECT_FALSE(is_system_record_kind(""));
}

TEST(RecordKinds, CustomKindNames) {
    EXPECT_FALSE(check_custom_kind("policy"));
    EXPECT_FALSE(check_custom_kind("p"));
    EXPECT_FALSE(check_custom_kind("risk_register_2"));
    EXPECT_FALSE(check_custom_kind(std::string(63, 'k')));
    for (std::string bad : std::initializer_list<std::string>{"", "Policy", "1policy", "_policy", "my kind", "policy-x", "pölicy", std::string(64, 'k')}) {
        auto r = check_custom_kind(bad);
        ASSERT_TRUE(r) << bad;
        EXPECT_EQ(r->kind, RefusalKind::invalid_value) << bad;
        EXPECT_EQ(r->message, "invalid record kind \"" + bad + "\"");
    }
    auto builtin = check_custom_kind("decision");
    ASSERT_TRUE(builtin);
    EXPECT_EQ(builtin->kind, RefusalKind::invalid_value);
    EXPECT_EQ(builtin->message, "record kind \"decision\" is built in");
}

TEST(Capacities, ParseAndNameRoundTrip) {
    const char* names[] = {"owner", "issuer", "recipient", "approver", "reviewer",
                           "responsible", "shared", "consulted", "informed"};
    ASSERT_EQ(std::size(names), capacity_count);
    for (std::size_t i = 0; i < capacity_count; ++i) {
        auto c = parse_capacity(names[i]);
        ASSERT_TRUE(c) << names[i];
        EXPECT_EQ(static_cast<std::size_t>(*c), i);
        EXPECT_EQ(capacity_name(*c), names[i]);
    }
    EXPECT_FALSE(parse_capacity("Owner"));
    EXPECT_FALSE(parse_capacity(""));
    EXPECT_FALSE(parse_capacity("boss"));
}

TEST(Capacities, Grants) {
    EXPECT_EQ(capacity_grants(Capacity::owner),
              perms({Permission::view_actions, Permission::create_actions, Permission::edit_actions,
                     Permission::assign_actions, Permission::reassign_actions}));
    EXPECT_EQ(capacity_grants(Capacity::issuer), perms({Permission::view_actions, Permission::create_actions}));
    EXPECT_EQ(capacity_grants(Capacity::responsible),
              perms({Permission::view_actions, Permission::complete_any_actions}));
    for (Capacity c : {Capacity::recipient, Capacity::approver, Capacity::reviewer, Capacity::shared,
                       Capacity::consulted, Capacity::informed})
        EXPECT_EQ(capacity_grants(c), perms({Permission::view_actions})) << capacity_name(c);
    // No capacity grants anything that touches the workspace or approves delegations.
    for (std::size_t i = 0; i < capacity_count; ++i) {
        Permissions g = capacity_grants(static_cast<Capacity>(i));
        EXPECT_FALSE(g.test(static_cast<std::size_t>(Permission::approve_delegations)));
        EXPECT_FALSE(g.test(static_cast<std::size_t>(Permission::manage_workspace)));
        EXPECT_FALSE(g.test(static_cast<std::size_t>(Permission::administer_actions)));
        EXPECT_FALSE(g.test(static_cast<std::size_t>(Permission::delete_actions)));
    }
}

TEST(Capacities, GrantsDecideWithTheRecord) {
    Facts f;
    f.is_member = true;  // actions_access: no grants of its own
    EXPECT_TRUE(decide(Verb::view, f));
    f.record_granted = capacity_grants(Capacity::shared);
    EXPECT_FALSE(decide(Verb::view, f));
    EXPECT_TRUE(decide(Verb::complete, f));
    f.record_granted = capacity_grants(Capacity::responsible);
    EXPECT_FALSE(decide(Verb::complete, f));
    EXPECT_TRUE(decide(Verb::edit, f));
    f.record_granted = capacity_grants(Capacity::owner);
    EXPECT_FALSE(decide(Verb::edit, f));
    EXPECT_FALSE(decide(Verb::reassign, f));
    EXPECT_FALSE(decide(Verb::edit_record, f));
    EXPECT_TRUE(decide(Verb::delete_action, f));
    EXPECT_TRUE(decide(Verb::approve, f));
}

TEST(Capacities, KindRules) {
    for (std::string kind : std::initializer_list<std::string>{"decision", "delegation", "document", "matrix", "generic", "policy"})
        for (Capacity c : {Capacity::owner, Capacity::approver, Capacity::reviewer, Capacity::responsible, Capacity::shared})
            EXPECT_FALSE(check_capacity(c, kind)) << capacity_name(c) << " on " << kind;
    EXPECT_FALSE(check_capacity(Capacity::issuer, "delegation"));
    EXPECT_FALSE(check_capacity(Capacity::recipient, "delegation"));
    EXPECT_FALSE(check_capacity(Capacity::consulted, "decision"));
    EXPECT_FALSE(check_capacity(Capacity::informed, "decision"));
    for (std::string kind : std::initializer_list<std::string>{"decision", "document", "matrix", "generic", "policy"}) {
        auto r = check_capacity(Capacity::issuer, kind);
        ASSERT_TRUE(r) << kind;
        EXPECT_EQ(r->kind, RefusalKind::invalid_value);
        EXPECT_EQ(r->message, "issuer is a capacity of delegations");
        EXPECT_TRUE(check_capacity(Capacity::recipient, kind)) << kind;
    }
    for (std::string kind : std::initializer_list<std::string>{"delegation", "document", "matrix", "generic", "policy"}) {
        auto r = check_capacity(Capacity::informed, kind);
        ASSERT_TRUE(r) << kind;
        EXPECT_EQ(r->message, "informed is a role on decisions");
        EXPECT_TRUE(check_capacity(Capacity::consulted, kind)) << kind;
    }
}

// --- eligibility ------------------------------------------------------------------------------

ApproverFacts approver() {
    ApproverFacts f;
    f.is_active_member = true;
    return f;
}

TEST(Eligibility, RoleWideGrant) {
    ApproverFacts f = approver();
    f.granted = perms({Permission::approve_delegations});
    EXPECT_FALSE(check_approver(f));
}

TEST(Eligibility, GroupGrantNeedsCoveringGroups) {
    ApproverFacts f = approver();
    f.group_granted = perms({Permission::approve_delegations});
    auto r = check_approver(f);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, RefusalKind::not_permitted);
    EXPECT_EQ(r->message.rfind("not an eligible approver: ", 0), 0u) << r->message;
    f.covers_delegation_groups = true;
    EXPECT_FALSE(check_approver(f));
}

TEST(Eligibility, CoveringGroupsWithoutTheGrantIsNotEnough) {
    ApproverFacts f = approver();
    f.covers_delegation_groups = true;
    f.granted = perms({Permission::view_actions, Permission::administer_actions, Permission::manage_workspace});
    f.group_granted = perms({Permission::edit_actions});
    auto r = check_approver(f);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, RefusalKind::not_permitted);
}

TEST(Eligibility, IssuerNever) {
    ApproverFacts f = approver();
    f.granted = perms({Permission::approve_delegations});
    f.is_issuer = true;
    auto r = check_approver(f);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, RefusalKind::not_permitted);
    EXPECT_EQ(r->message, "not an eligible approver: the issuer of the delegation");
    f.granted.reset();
    f.group_granted = perms({Permission::approve_delegations});
    f.covers_delegation_groups = true;
    EXPECT_EQ(check_approver(f)->message, "not an eligible approver: the issuer of the delegation");
}

TEST(Eligibility, ActiveMembersOnly) {
    ApproverFacts f;
    f.granted = perms({Permission::approve_delegations});
    f.is_issuer = true;  // membership is checked first
    auto r = check_approver(f);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->message, "not an eligible approver: not an active member");
    EXPECT_EQ(r->kind, RefusalKind::not_permitted);
}

// --- workflow ---------------------------------------------------------------------------------

TEST(Workflow, NamesRoundTrip) {
    const char* names[] = {"delegation_request", "delegation_approval", "delegation_acceptance",
                           "role_acknowledgement", "document_approval", "document_review"};
    ASSERT_EQ(std::size(names), workflow_count);
    for (std::size_t i = 0; i < workflow_count; ++i) {
        auto w = parse_workflow(names[i]);
        ASSERT_TRUE(w) << names[i];
        EXPECT_EQ(workflow_name(*w), names[i]);
    }
    EXPECT_FALSE(parse_workflow("coffee_break"));
    for (auto o : {"approved", "rejected", "accepted", "declined", "acknowledged"})
        EXPECT_EQ(outcome_name(*parse_outcome(o)), o);
    EXPECT_FALSE(parse_outcome("maybe"));
    EXPECT_EQ(parse_route("owner"), Route::owner);
    EXPECT_EQ(parse_route("issuer"), Route::issuer);
    EXPECT_EQ(parse_route("recipient"), Route::recipient);
    EXPECT_EQ(parse_route("both"), Route::both);
    EXPECT_FALSE(parse_route("Both"));
}

TEST(Workflow, ActionTypesAndDueDays) {
    EXPECT_EQ(action_type(Workflow::delegation_request), "request");
    EXPECT_EQ(action_type(Workflow::delegation_approval), "approval");
    EXPECT_EQ(action_type(Workflow::document_approval), "approval");
    EXPECT_EQ(action_type(Workflow::delegation_acceptance), "acceptance");
    EXPECT_EQ(action_type(Workflow::role_acknowledgement), "acknowledgement");
    EXPECT_EQ(action_type(Workflow::document_review), "review");
    EXPECT_EQ(default_due_days(Workflow::delegation_acceptance), 7);
    for (Workflow w : {Workflow::delegation_request, Workflow::delegation_approval, Workflow::role_acknowledgement,
                       Workflow::document_approval, Workflow::document_review})
        EXPECT_FALSE(default_due_days(w)) << workflow_name(w);
}

TEST(Workflow, OutcomesThatCloseEachWorkflow) {
    const Outcome all[] = {Outcome::approved, Outcome::rejected, Outcome::accepted, Outcome::declined,
                           Outcome::acknowledged};
    auto allowed = [](Workflow w, Outcome o) -> bool {
        switch (w) {
        case Workflow::delegation_acceptance: return o == Outcome::accepted || o == Outcome::declined;
        case Workflow::role_acknowledgement: return o == Outcome::acknowledged;
        default: return o == Outcome::approved || o == Outcome::rejected;
        }
    };
    for (std::size_t i = 0; i < workflow_count; ++i) {
        Workflow w = static_cast<Workflow>(i);
        for (Outcome o : all) {
            auto r = check_outcome(w, o);
            EXPECT_EQ(!r, allowed(w, o)) << workflow_name(w) << " " << outcome_name(o);
            if (r) {
                EXPECT_EQ(r->kind, RefusalKind::invalid_value);
            }
        }
    }
    EXPECT_EQ(check_outcome(Workflow::delegation_acceptance, Outcome::approved)->message,
              "outcome approved does not close an acceptance action");
    EXPECT_EQ(check_outcome(Workflow::document_review, Outcome::accepted)->message,
              "outcome accepted does not close a review action");
}

TEST(Workflow, RecipientsPerKindAndRoute) {
    Recipients who;
    EXPECT_FALSE(recipients(Workflow::delegation_request, "decision", std::nullopt, who));
    EXPECT_EQ(who.capacities, std::vector<Capacity>{Capacity::owner});
    EXPECT_FALSE(recipients(Workflow::delegation_request, "decision", Route::owner, who));
    EXPECT_EQ(who.capacities, std::vector<Capacity>{Capacity::owner});
    EXPECT_TRUE(recipients(Workflow::delegation_request, "decision", Route::issuer, who));
    EXPECT_TRUE(recipients(Workflow::delegation_request, "decision", Route::both, who));

    EXPECT_FALSE(recipients(Workflow::delegation_request, "delegation", std::nullopt, who));
    EXPECT_EQ(who.capacities, std::vector<Capacity>{Capacity::issuer});
    EXPECT_FALSE(recipients(Workflow::delegation_request, "delegation", Route::recipient, who));
    EXPECT_EQ(who.capacities, std::vector<Capacity>{Capacity::recipient});
    EXPECT_FALSE(recipients(Workflow::delegation_request, "delegation", Route::both, who));
    EXPECT_EQ(who.capacities, (std::vector<Capacity>{Capacity::issuer, Capacity::recipient}));
    EXPECT_FALSE(who.pool);
    EXPECT_TRUE(recipients(Workflow::delegation_request, "delegation", Route::owner, who));
    EXPECT_TRUE(recipients(Workflow::delegation_request, "document", std::nullopt, who));

    EXPECT_FALSE(recipients(Workflow::delegation_approval, "delegation", std::nullopt, who));
    EXPECT_TRUE(who.pool);
    EXPECT_TRUE(who.capacities.empty());
    EXPECT_TRUE(recipients(Workflow::delegation_approval, "document", std::nullopt, who));

    EXPECT_FALSE(recipients(Workflow::delegation_acceptance, "delegation", std::nullopt, who));
    EXPECT_EQ(who.capacities, std::vector<Capacity>{Capacity::recipient});
    EXPECT_FALSE(who.pool);
    EXPECT_FALSE(recipients(Workflow::role_acknowledgement, "decision", std::nullopt, who));
    EXPECT_EQ(who.capacities, (std::vector<Capacity>{Capacity::consulted, Capacity::informed}));
    EXPECT_FALSE(recipients(Workflow::document_approval, "document", std::nullopt, who));
    EXPECT_EQ(who.capacities, std::vector<Capacity>{Capacity::approver});
    EXPECT_FALSE(recipients(Workflow::document_review, "document", std::nullopt, who));
    EXPECT_EQ(who.capacities, std::vector<Capacity>{Capacity::reviewer});

    auto wrong = recipients(Workflow::role_acknowledgement, "delegation", std::nullopt, who);
    ASSERT_TRUE(wrong);
    EXPECT_EQ(wrong->kind, RefusalKind::invalid_value);
    EXPECT_EQ(wrong->message, "role_acknowledgement does not apply to a delegation record");
    EXPECT_TRUE(recipients(Workflow::document_review, "generic", std::nullopt, who));
    EXPECT_TRUE(recipients(Workflow::delegation_acceptance, "decision", std::nullopt, who));
}

TEST(Workflow, EventsStartWorkflows) {
    EXPECT_EQ(workflows_for(RecordEvent::delegation_submitted), std::vector<Workflow>{Workflow::delegation_approval});
    EXPECT_EQ(workflows_for(RecordEvent::delegation_approved), std::vector<Workflow>{Workflow::delegation_acceptance});
    EXPECT_EQ(workflows_for(RecordEvent::decision_role_added), std::vector<Workflow>{Workflow::role_acknowledgement});
    EXPECT_EQ(workflows_for(RecordEvent::document_published), std::vector<Workflow>{Workflow::document_approval});
    EXPECT_EQ(workflows_for(RecordEvent::review_due), std::vector<Workflow>{Workflow::document_review});
}

TEST(Workflow, StateAfter) {
    EXPECT_EQ(state_after(Workflow::delegation_approval, Outcome::approved, false, false), "approved");
    EXPECT_EQ(state_after(Workflow::delegation_approval, Outcome::rejected, false, false), "rejected");
    EXPECT_EQ(state_after(Workflow::document_approval, Outcome::approved, false, false), "approved");
    EXPECT_EQ(state_after(Workflow::document_approval, Outcome::rejected, false, false), "rejected");
    // Every document approver approves: one still open keeps the state, one refusal decides.
    EXPECT_EQ(state_after(Workflow::document_approval, Outcome::approved, true, false), std::nullopt);
    EXPECT_EQ(state_after(Workflow::document_approval, Outcome::rejected, true, false), "rejected");
    EXPECT_EQ(state_after(Workflow::document_approval, Outcome::approved, false, true), "rejected");
    // acceptance: declined at once, accepted when the last one accepts
    EXPECT_EQ(state_after(Workflow::delegation_acceptance, Outcome::declined, true, false), "declined");
    EXPECT_EQ(state_after(Workflow::delegation_acceptance, Outcome::accepted, false, true), "declined");
    EXPECT_EQ(state_after(Workflow::delegation_acceptance, Outcome::accepted, true, false), std::nullopt);
    EXPECT_EQ(state_after(Workflow::delegation_acceptance, Outcome::accepted, false, false), "accepted");
    EXPECT_EQ(state_after(Workflow::role_acknowledgement, Outcome::acknowledged, true, false), std::nullopt);
    EXPECT_EQ(state_after(Workflow::role_acknowledgement, Outcome::acknowledged, false, false), "acknowledged");
    EXPECT_EQ(state_after(Workflow::delegation_request, Outcome::approved, false, false), std::nullopt);
    EXPECT_EQ(state_after(Workflow::document_review, Outcome::approved, false, false), std::nullopt);
    EXPECT_EQ(state_after(Workflow::document_review, Outcome::rejected, false, false), std::nullopt);
}

TEST(Workflow, EventAfter) {
    EXPECT_EQ(event_after(Workflow::delegation_approval, Outcome::approved), RecordEvent::delegation_approved);
    EXPECT_EQ(event_after(Workflow::delegation_approval, Outcome::rejected), std::nullopt);
    EXPECT_EQ(event_after(Workflow::document_approval, Outcome::approved), std::nullopt);
    EXPECT_EQ(event_after(Workflow::delegation_acceptance, Outcome::accepted), std::nullopt);
    EXPECT_EQ(event_after(Workflow::delegation_request, Outcome::approved), std::nullopt);
}

TEST(Workflows, RecordedDecisionsAreFinal) {
    auto r = check_reopen(true, true, 12);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, RefusalKind::wrong_state);
    EXPECT_EQ(r->message, "action 12 recorded a workflow decision and cannot be reopened");
    EXPECT_FALSE(check_reopen(false, true, 12));  // a manual action is uncompleted as usual
    EXPECT_FALSE(check_reopen(true, false, 12));  // closing it is not reopening
}

TEST(Workflows, ActionTitles) {
    EXPECT_EQ(workflow_action_title(Workflow::document_approval, "Handbook"), "Approve document: Handbook");
    EXPECT_EQ(workflow_action_title(Workflow::delegation_request, "Sign"), "Delegation request: Sign");
    // 600 two-byte characters: cut after 497 characters in all (never inside one), then "...".
    std::string long_title;
    for (int i = 0; i < 600; i++) long_title += "\xc3\xa9";
    std::string t = workflow_action_title(Workflow::document_review, long_title);
    EXPECT_EQ(utf8_length(t), 500u);
    EXPECT_EQ(t.substr(t.size() - 3), "...");
    EXPECT_EQ(t.substr(0, 17), "Review document: ");
    EXPECT_EQ((t.size() - 17 - 3) % 2, 0u);  // whole two-byte characters only
}

TEST(Workflows, RecordStateMachine) {
    RecordStep step;
    // Submitting a delegation: to approval when it is on, approved at once when it is off.
    EXPECT_FALSE(record_step(RecordChange::submit, "delegation", "draft", true, 5, step));
    EXPECT_EQ(step.state, "pending_approval");
    EXPECT_EQ(step.event, RecordEvent::delegation_submitted);
    EXPECT_FALSE(record_step(RecordChange::submit, "delegation", "draft", false, 5, step));
    EXPECT_EQ(step.state, "approved");
    EXPECT_EQ(step.event, RecordEvent::delegation_approved);
    auto again = record_step(RecordChange::submit, "delegation", "pending_approval", true, 5, step);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->kind, RefusalKind::wrong_state);
    EXPECT_EQ(again->message, "delegation 5 is already waiting for approval");
    // Publishing a document.
    EXPECT_FALSE(record_step(RecordChange::publish, "document", "draft", true, 6, step));
    EXPECT_EQ(step.state, "pending_approval");
    EXPECT_EQ(step.event, RecordEvent::document_published);
    EXPECT_FALSE(record_step(RecordChange::publish, "document", "draft", false, 6, step));
    EXPECT_EQ(step.state, "published");
    EXPECT_EQ(step.event, std::nullopt);
    // Editing sends an approved delegation or a published document back to approval, only when on.
    EXPECT_FALSE(record_step(RecordChange::edit, "delegation", "accepted", true, 5, step));
    EXPECT_EQ(step.state, "pending_approval");
    EXPECT_EQ(step.event, RecordEvent::delegation_submitted);
    EXPECT_FALSE(record_step(RecordChange::edit, "delegation", "draft", true, 5, step));
    EXPECT_EQ(step.state, std::nullopt);
    EXPECT_FALSE(record_step(RecordChange::edit, "document", "approved", true, 6, step));
    EXPECT_EQ(step.event, RecordEvent::document_published);
    EXPECT_FALSE(record_step(RecordChange::edit, "document", "published", false, 6, step));
    EXPECT_EQ(step.state, std::nullopt);
    EXPECT_FALSE(record_step(RecordChange::edit, "generic", "published", true, 7, step));
    EXPECT_EQ(step.state, std::nullopt);
    EXPECT_EQ(approval_workflow("document"), Workflow::document_approval);
    EXPECT_EQ(approval_workflow("generic"), std::nullopt);
    EXPECT_EQ(initial_record_state("delegation"), "draft");
    EXPECT_EQ(initial_record_state("document"), "draft");
    EXPECT_EQ(initial_record_state("decision"), std::nullopt);
}

}  // namespace
}  // namespace pg_actions::core
