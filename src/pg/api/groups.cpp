// Groups of a workspace: the tree (create, rename, move, delete), its members, and the groups of
// an action. The tree rules are in core/group.cpp; changes need manage_workspace, which a grant
// scoped to groups gives inside the manager's own groups. Tree changes of one workspace are
// serialized on its workspace row, so two concurrent moves cannot close a cycle.
#include "pg/boundary/postgres.hpp"

#include <string>
#include <vector>

#include "core/group.hpp"
#include "core/permission.hpp"
#include "pg/identity/actor.hpp"
#include "pg/authz/facts.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/api/verbs.hpp"
#include "pg/store/action_store.hpp"
#include "pg/store/member_store.hpp"
#include "pg/store/people_store.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

struct TreeGroup {
    std::int64_t workspace_id;
    core::GroupPath path;
};


// The group, locked; a group of a workspace the actor is not a member of is not found.
// Visibility is decided before the lock (visible_then_locked).
TreeGroup find_group(std::int64_t group_id, std::int64_t actor) {
    auto read = [&](bool lock) -> std::optional<TreeGroup> {
        std::optional<store::GroupRow> r = store::group_by_id(group_id, lock);
        if (!r) return std::nullopt;
        return TreeGroup{r->workspace_id, std::move(r->path)};
    };
    auto visible = [&](const TreeGroup& g) { return member_acts(membership(g.workspace_id, actor, false).state); };
    std::optional<TreeGroup> g = visible_then_locked(read, visible);
    if (!g) refuse_not_found(core::Target::group, group_id);
    return *g;
}

// Serializes changes to the tree of one workspace.
void lock_tree(std::int64_t workspace_id) { store::lock_workspace_row(workspace_id); }

// The group, read again once its workspace's tree is locked: as it is now that the tree is ours.
TreeGroup find_group_in_locked_tree(std::int64_t group_id, std::int64_t actor) {
    lock_tree(find_group(group_id, actor).workspace_id);
    return find_group(group_id, actor);
}

// manage_workspace, where a group-scoped grant counts when every target lies in the actor's
// groups; an empty path stands for the top level, which no group scope covers.
void require_group_manager(std::int64_t workspace_id, std::int64_t actor, const std::vector<core::GroupPath>& targets) {
    ActorFacts w = actor_facts(workspace_id, actor);
    if (w.facts.group_granted.any() && !targets.empty()) {
        std::vector<std::int64_t> mine = person_groups(workspace_id, actor);
        w.facts.in_group_scope = true;
        for (const core::GroupPath& p : targets)
            if (!core::within_groups(std::span<const core::GroupPath>(&p, 1), mine)) w.facts.in_group_scope = false;
    }
    refuse_if(core::decide(core::Verb::manage_workspace, w.facts));
}

std::string checked_name(FunctionCallInfo fcinfo, int n) {
    std::optional<std::string> name = arg_text(fcinfo, n);
    refuse_if(core::check_group_name(name));
    return *name;
}

void refuse_taken_group_name(std::int64_t workspace_id, const std::string& name, std::int64_t except) {
    if (store::group_name_taken(workspace_id, name, except))
        throw PgError(ERRCODE_UNIQUE_VIOLATION,
                      "group \"" + name + "\" already exists in workspace " + std::to_string(workspace_id), "",
                      "choose another name; group names are unique in a workspace");
}

// A bigint argument, or nullopt for NULL.
std::optional<std::int64_t> arg_opt_id(FunctionCallInfo fcinfo, int n) {
    if (PG_ARGISNULL(n)) return std::nullopt;
    return PG_GETARG_INT64(n);
}

// The path of a parent group in the workspace (empty for NULL, the top level).
core::GroupPath parent_path(FunctionCallInfo fcinfo, int n, std::int64_t workspace_id) {
    if (PG_ARGISNULL(n)) return {};
    return group_paths(workspace_id, {PG_GETARG_INT64(n)}).front();
}

}  // namespace

extern "C" {

// create_group(workspace_id, name, parent_id)
PG_ACTIONS_FUNCTION(pg_actions_create_group) {
    std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
    std::string name = checked_name(fcinfo, 1);
    SpiScope spi;
    std::int64_t actor = require_actor();
    actor_facts(workspace_id, actor);
    lock_tree(workspace_id);
    core::GroupPath parent = parent_path(fcinfo, 2, workspace_id);
    require_group_manager(workspace_id, actor, {parent});
    refuse_if(core::check_parent(0, parent, 0));  // a new group has no id yet, so only the depth counts
    refuse_taken_group_name(workspace_id, name, 0);
    std::int64_t id = store::insert_group(workspace_id, name, arg_opt_id(fcinfo, 2), parent);
    PG_RETURN_INT64(id);
}

PG_ACTIONS_FUNCTION(pg_actions_rename_group) {
    std::int64_t group_id = arg_id(fcinfo, 0, "group_id");
    std::string name = checked_name(fcinfo, 1);
    SpiScope spi;
    std::int64_t actor = require_actor();
    TreeGroup g = find_group(group_id, actor);
    require_group_manager(g.workspace_id, actor, {g.path});
    refuse_taken_group_name(g.workspace_id, name, group_id);
    store::update_group_name(g.workspace_id, group_id, name);
    PG_RETURN_VOID();
}

// move_group(group_id, parent_id): the group and its subtree get new paths.
PG_ACTIONS_FUNCTION(pg_actions_move_group) {
    std::int64_t group_id = arg_id(fcinfo, 0, "group_id");
    SpiScope spi;
    std::int64_t actor = require_actor();
    TreeGroup g = find_group_in_locked_tree(group_id, actor);
    core::GroupPath parent = parent_path(fcinfo, 1, g.workspace_id);
    require_group_manager(g.workspace_id, actor, {g.path, parent});
    std::size_t below = static_cast<std::size_t>(store::group_subtree_height(g.workspace_id, group_id)) - g.path.size();
    refuse_if(core::check_parent(group_id, parent, below));
    // Every path through the group keeps its part from the group down and gets the new prefix.
    store::move_group_subtree(g.workspace_id, group_id, parent, static_cast<std::int32_t>(g.path.size()),
                              arg_opt_id(fcinfo, 1));
    PG_RETURN_VOID();
}

PG_ACTIONS_FUNCTION(pg_actions_delete_group) {
    std::int64_t group_id = arg_id(fcinfo, 0, "group_id");
    SpiScope spi;
    std::int64_t actor = require_actor();
    TreeGroup g = find_group_in_locked_tree(group_id, actor);
    require_group_manager(g.workspace_id, actor, {g.path});
    store::GroupUses u = store::group_uses(g.workspace_id, group_id);
    const char* what = u.subgroups ? "subgroups" : u.actions ? "actions" : u.records ? "records"
                       : u.templates ? "templates" : u.offers ? "actions offered to it" : nullptr;
    if (what)
        refuse({core::RefusalKind::wrong_state, "group " + std::to_string(group_id) + " still has " + what,
                "deleting it would leave them without their group",
                std::string(what) == "subgroups"   ? "move or delete its subgroups first (actions.move_group())"
                : std::string(what) == "templates" ? "give those templates other groups (actions.update_template(), "
                                                     "actions.set_template_pool()) or retire them"
                : std::string(what) == "records" || std::string(what) == "actions"
                    ? "move them to other groups first (actions.set_action_groups())"
                    : "offer those actions to other candidates first (actions.offer())"});
    store::delete_group(g.workspace_id, group_id);
    PG_RETURN_VOID();
}

static Datum change_membership(FunctionCallInfo fcinfo, bool adding) {
    std::int64_t group_id = arg_id(fcinfo, 0, "group_id");
    std::int64_t person_id = arg_id(fcinfo, 1, "person_id");
    SpiScope spi;
    std::int64_t actor = require_actor();
    TreeGroup g = find_group(group_id, actor);
    require_group_manager(g.workspace_id, actor, {g.path});
    if (adding)
        check_member_state(g.workspace_id, person_id, membership(g.workspace_id, person_id, false).state,
                           "only members of the workspace join its groups");
    store::set_group_member(g.workspace_id, person_id, group_id, adding);
    PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(pg_actions_add_group_member);
Datum pg_actions_add_group_member(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&] { return change_membership(fcinfo, true); });
}

PG_FUNCTION_INFO_V1(pg_actions_remove_group_member);
Datum pg_actions_remove_group_member(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&] { return change_membership(fcinfo, false); });
}

// set_action_groups(action_id, group_ids): edit on the action as it is, and as it will be.
}  // extern "C"

// The body of actions.set_action_groups, also run per row by the bulk functions (bulk.cpp).
Datum pg_actions::pg::set_action_groups_body(FunctionCallInfo fcinfo) {
    std::optional<std::vector<std::int64_t>> groups = arg_groups(fcinfo, 1);
    if (!groups)
        throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "group_ids must not be null", "",
                      "pass an empty array to take the action out of every group");
    SpiScope spi;
    std::int64_t actor;
    Action a = authorize_action(fcinfo, core::Verb::edit, &actor);
    core::Facts after = a.facts;  // edit the action as it will be, too
    after.in_group_scope = false;
    scope_targets(a.workspace_id, actor, *groups, after);
    if (a.facts.group_granted.any()) refuse_if(core::decide(core::Verb::edit, after));
    store::update_action_groups(a.workspace_id, a.action_id, *groups);
    PG_RETURN_VOID();
}

PG_ACTIONS_FUNCTION(pg_actions_set_action_groups) { return set_action_groups_body(fcinfo); }
