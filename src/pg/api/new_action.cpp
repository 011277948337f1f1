// A new action: create_action's arguments (new_action_args) or a template's (templates.cpp) go
// through one function, create_new_action, which checks the input, decides with the core (create,
// assign, the type a new action may have) and inserts the row; the triggers log and notify.
#include "pg/boundary/postgres.hpp"

#include "core/action_type.hpp"
#include "core/input.hpp"
#include "core/permission.hpp"
#include "pg/api/verbs.hpp"
#include "pg/authz/facts.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/identity/actor.hpp"
#include "pg/store/action_store.hpp"
#include "pg/store/members.hpp"
#include "pg/store/workflow_store.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

// The type a new action (or a template) would have: a system type, or a custom type of the
// workspace that is not retired (core::check_type_for_new). Read only for a custom key.
void pg_actions::pg::check_type_for_new(std::int64_t workspace_id, const std::string& key, const char* where) {
    if (core::is_system_action_type(key)) return;
    // FOR SHARE: a retirement waits for the creations that read the type as in use.
    std::optional<core::TypeState> state;
    if (std::optional<bool> retired = store::lock_action_type_retired(workspace_id, key))
        state = core::TypeState{*retired};
    refuse_if(core::check_type_for_new(key, state, where));
}

// create_action's arguments, checked as far as they can be without reading anything.
pg_actions::pg::NewAction pg_actions::pg::new_action_args(FunctionCallInfo fcinfo) {
    NewAction n;
    n.workspace_id = arg_id(fcinfo, 0, "workspace_id");
    n.title = arg_text(fcinfo, 1);
    n.description = arg_text(fcinfo, 2);
    if (!PG_ARGISNULL(3)) n.assignee = PG_GETARG_INT64(3);
    n.due_at = arg_due(fcinfo, 4);
    if (!PG_ARGISNULL(5)) n.due_on = PG_GETARG_DATEADT(5);
    n.priority = arg_text(fcinfo, 6).value_or("none");
    n.type = arg_text(fcinfo, 7).value_or("task");
    if (!PG_ARGISNULL(8)) n.record_id = PG_GETARG_INT64(8);
    n.groups = arg_groups(fcinfo, 9);
    return n;
}

// The rules and the write of every new action: create_action, its bulk form and templates.
std::int64_t pg_actions::pg::create_new_action(NewAction n) {
    refuse_if(core::check_title(n.title));
    refuse_if(core::check_description(n.description));
    refuse_if(core::check_priority(n.priority));
    if (n.due_at && n.due_on)
        refuse({core::RefusalKind::invalid_value, "pass due_at or due_on, not both",
                "due_at is an exact time, due_on a date ending at midnight in the workspace time zone",
                "leave one of them out"});

    std::int64_t actor = n.actor ? *n.actor : require_actor();
    const std::int64_t workspace_id = n.workspace_id;
    // Membership first: a workspace the actor is not in reveals nothing about its records, groups or types.
    ActorFacts w = actor_facts(workspace_id, actor, n.assignee);
    // Without groups of its own, an action linked to a record takes the record's groups.
    std::vector<std::int64_t> record_groups;
    if (n.record_id) {
        record_groups = check_record(workspace_id, *n.record_id, actor);
        w.facts.record_granted = record_grants(workspace_id, *n.record_id, actor);
    }
    if (!n.groups) n.groups = record_groups;
    scope_targets(workspace_id, actor, *n.groups, w.facts);
    refuse_if(core::decide(core::Verb::create, w.facts));
    check_type_for_new(workspace_id, n.type, n.template_id ? "actions from templates" : "new actions");
    if (n.assignee) {
        if (*n.assignee != actor) refuse_if(core::decide(core::Verb::assign, w.facts));
        check_assignee_state(workspace_id, *n.assignee, w.assignee_state);
    }
    if (!n.due_at && n.due_on) n.due_at = due_from_day(*n.due_on, workspace_id);

    store::NewActionRow row;
    row.workspace_id = workspace_id;
    row.title = *n.title;
    row.description = n.description;
    row.type = n.type;
    row.priority = n.priority;
    row.owner_id = actor;
    row.assignee_id = n.assignee;
    row.due_at = n.due_at;
    row.record_id = n.record_id;
    row.group_ids = *n.groups;
    row.template_id = n.template_id;
    row.template_version = n.template_version;
    return store::insert_action(row);
}

