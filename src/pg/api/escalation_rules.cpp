// Escalation of overdue actions (core/escalation.hpp): a workspace's rules, and the maintenance
// task escalate_overdue() that fires each due rule once per action and due date and logs it.
#include "pg/boundary/postgres.hpp"

#include <vector>

#include "core/escalation.hpp"
#include "core/permission.hpp"
#include "pg/api/bulk_rows.hpp"
#include "pg/api/pools.hpp"
#include "pg/authz/facts.hpp"
#include "pg/boundary/module.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/identity/actor.hpp"
#include "pg/store/action_store.hpp"
#include "pg/store/escalation_store.hpp"
#include "pg/store/log_store.hpp"
#include "pg/store/member_store.hpp"
#include "pg/store/notify.hpp"
#include "pg/store/sweep_errors.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

// One due (rule, action) pair the sweep found.
using Due = store::DueFiring;

std::vector<std::int64_t> notify_all(const std::vector<std::int64_t>& people, const Due& d) {
    std::vector<std::int64_t> sent;
    for (std::int64_t p : people)
        if (notify(core::NotificationKind::escalated, d.workspace_id, p, d.action_id)) sent.push_back(p);
    return sent;
}

// Reassigns the action if it is still open and due then; the new assignee as stored (the guard
// routes an assignment to an absent member), or nothing.
std::optional<std::int64_t> reassign(const Due& d, std::int64_t person) {
    if (!member_may_be_named(membership(d.workspace_id, person, false).state)) return std::nullopt;
    return store::reassign_if_still_due(d.workspace_id, d.action_id, person, d.due_at);
}

// Reassigns the action to a pool (core/pool.hpp): offered to the rule's role or group through the
// pools' own offer_action() (which replaces a previous pool, logs each candidate and notifies
// them), then unassigned, if it is still open and due then. How many people the offer reaches, or
// nothing when the action has moved on or the pool's role is gone.
std::optional<int> reassign_to_pool(const Due& d) {
    std::optional<bool> offered = store::lock_if_still_due(d.workspace_id, d.action_id, d.due_at);
    if (!offered) return std::nullopt;
    // The role is looked up by name now: one renamed or deleted since leaves the action as it is
    // (the log says no one was offered it) instead of failing the sweep at every run.
    if (d.role_name && !store::role_name_exists(d.workspace_id, *d.role_name)) return std::nullopt;
    Action a{};
    a.workspace_id = d.workspace_id;
    a.action_id = d.action_id;
    a.pool.offered = *offered;
    OfferArgs pool;
    if (d.group_id) pool.groups.push_back(*d.group_id);
    if (d.role_name) pool.roles.push_back(*d.role_name);
    int candidates = offer_action(a, std::nullopt, std::move(pool));
    store::unassign_action(d.workspace_id, d.action_id);
    return candidates;
}

// Fires one rule for one action unless it has fired for this due date: the primary key of
// escalation_fired decides, so a concurrent sweep waits for ours and then finds it fired.
bool fire(const Due& d) {
    if (!store::record_escalation_fired(d.workspace_id, d.rule_id, d.action_id, d.due_at)) return false;
    std::optional<core::Escalate> kind = core::parse_escalate(d.escalate);
    if (!kind) return false;  // the table's CHECK lists the core's kinds
    core::Firing f{d.rule_id, d.after_days, *kind, d.due_at, {}, d.role_name, std::nullopt, d.person_id, d.group_id,
                   std::nullopt};
    switch (*kind) {
    case core::Escalate::notify_owner:
        if (d.owner_id) f.notified = notify_all({*d.owner_id}, d);
        break;
    case core::Escalate::notify_role: f.notified = notify_all(store::active_role_holders(d.workspace_id, d.role_name.value_or("")), d); break;
    case core::Escalate::reassign:
        if (d.person_id) f.reassigned_to = reassign(d, *d.person_id);
        break;
    case core::Escalate::reassign_pool: f.candidates = reassign_to_pool(d); break;
    }
    log_changes(d.workspace_id, d.action_id, false, {core::escalation_change(f)});
    return true;
}

core::Refusal rule_not_found(std::int64_t id) {
    return {core::RefusalKind::not_found, "escalation rule " + std::to_string(id) + " not found",
            "no escalation rule with that id is visible to you",
            "check the id; the rules of your workspaces are in actions.escalation_rule"};
}

}  // namespace

// create_escalation_rule(workspace_id, after_days, escalate, role_name, person_id)
PG_ACTIONS_FUNCTION(pg_actions_create_escalation_rule) {
    std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
    if (PG_ARGISNULL(1))
        throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "after_days must not be null", "",
                      "pass how many days after the due date the rule fires, 0 for at once");
    core::RuleRequest r;
    r.after_days = PG_GETARG_INT32(1);
    r.escalate_text = arg_required_text(fcinfo, 2, "escalate", "'notify_owner'");
    r.escalate = core::parse_escalate(r.escalate_text);
    r.role_name = arg_text(fcinfo, 3);
    if (!PG_ARGISNULL(4)) r.person_id = PG_GETARG_INT64(4);
    if (!PG_ARGISNULL(5)) r.group_id = PG_GETARG_INT64(5);
    SpiScope spi;
    require_workspace_manager(workspace_id);
    std::int64_t actor = require_actor();
    if (r.role_name) r.role_exists = store::role_name_exists(workspace_id, *r.role_name);
    if (r.person_id) r.person_active = member_acts(membership(workspace_id, *r.person_id, false).state);
    if (r.group_id) r.group_exists = lock_group(workspace_id, *r.group_id);  // held: not deleted meanwhile
    refuse_if(core::check_rule(r));
    std::int64_t id = store::insert_escalation_rule(
        {workspace_id, r.after_days, r.escalate_text, r.role_name, r.person_id, actor, r.group_id});
    PG_RETURN_INT64(id);
}

// delete_escalation_rule(rule_id)
PG_ACTIONS_FUNCTION(pg_actions_delete_escalation_rule) {
    std::int64_t rule_id = arg_id(fcinfo, 0, "rule_id");
    SpiScope spi;
    std::int64_t actor = require_actor();
    auto read = [&](bool lock) { return store::escalation_rule_workspace(rule_id, lock); };
    auto visible = [&](std::int64_t ws) { return member_acts(membership(ws, actor, false).state); };
    std::optional<std::int64_t> ws = visible_then_locked(read, visible);  // decided before the lock
    if (!ws) refuse(rule_not_found(rule_id));
    std::int64_t workspace_id = *ws;
    require_workspace_manager(workspace_id);
    store::delete_escalation_rule_row(workspace_id, rule_id);
    PG_RETURN_VOID();
}

// escalate_overdue(): the maintenance task.
PG_ACTIONS_FUNCTION(pg_actions_escalate_overdue) {
    SpiScope spi;
    // Open actions past a rule's days, through the list's due index (its key expression), at
    // most pg_actions.sweep_batch_size (rule, action) pairs per call, oldest action first; the
    // rest wait for the next call. Each action is locked FOR NO KEY UPDATE in ascending
    // action_id, the order every sweep and bulk call locks actions in, before anything is
    // written: a sweep that rewrites an action (reassign) then never waits for one while holding
    // another, so it queues behind mark_overdue() or a bulk call instead of deadlocking. A
    // second sweep waits for the first's rows and then finds the rules fired. Inside
    // run_maintenance() (pg_actions.sweep_skip_locked), an action another transaction holds is
    // skipped instead: the job holds its earlier tasks' locks, so it must not wait.
    std::vector<Due> found =
        store::lock_due_firings(DatumGetInt64(sweep_batch_datum()), sweep_skip_locked);
    std::vector<Due> rows;
    rows.reserve(found.size());
    TimestampTz now = GetCurrentTransactionStartTimestamp();
    for (Due& d : found)
        if (core::rule_due(d.due_at, d.after_days, now)) rows.push_back(std::move(d));
    // Each firing in its own subtransaction: one that fails unexpectedly is rolled back alone
    // and recorded (actions.maintenance_error), and the others fire (SweepItems: when all fail,
    // the task fails).
    std::int64_t fired = 0;
    SweepItems items("escalate_overdue");
    for (const Due& d : rows) {
        check_for_interrupts();
        bool done = false;
        Caught error{};
        if (!in_subtransaction([&] { done = fire(d); }, &error)) {
            items.failed(d.workspace_id, "action", d.action_id, error.code, error.message);
            continue;
        }
        items.succeeded();
        if (done) fired++;
    }
    items.finish();
    PG_RETURN_INT64(fired);
}
