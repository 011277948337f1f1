// Custom roles of a workspace: create, change (rename, regrant) and delete; the rules are in
// core/role_rules.cpp and need the manage_workspace permission.
#include "pg/boundary/postgres.hpp"

#include <string>
#include <vector>

#include "core/role_rules.hpp"
#include "pg/identity/actor.hpp"
#include "pg/authz/facts.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/store/action_store.hpp"
#include "pg/store/member_store.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

std::vector<std::string> arg_codes(FunctionCallInfo fcinfo, int n) {
    if (PG_ARGISNULL(n)) return {};
    return text_array(PG_GETARG_DATUM(n));
}

void check_codes(const std::vector<std::string>& codes) {
    std::vector<std::string_view> views(codes.begin(), codes.end());
    refuse_if(core::check_permission_codes(views));
}


// The role, locked FOR UPDATE, with how many members hold it.
store::RoleRow find_role(std::int64_t workspace_id, const std::string& name) {
    std::optional<store::RoleRow> r = store::lock_role_by_name(workspace_id, name);
    if (!r)
        refuse({core::RefusalKind::not_found, "role \"" + name + "\" not found in workspace " + std::to_string(workspace_id),
                "", "list the roles in actions.role"});
    return *r;
}

void refuse_taken_role_name(std::int64_t workspace_id, const std::string& name) {
    if (store::role_name_taken(workspace_id, name))
        throw PgError(ERRCODE_UNIQUE_VIOLATION, "role \"" + name + "\" already exists in workspace " + std::to_string(workspace_id),
                      "", "choose another name, or change the existing role with actions.update_role()");
}

}  // namespace

// create_role(workspace_id, name, permissions)
PG_ACTIONS_FUNCTION(pg_actions_create_role) {
    std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
    std::optional<std::string> name = arg_text(fcinfo, 1);
    refuse_if(core::check_role_name(name));
    std::vector<std::string> codes = arg_codes(fcinfo, 2);
    check_codes(codes);
    SpiScope spi;
    require_workspace_manager(workspace_id);
    refuse_taken_role_name(workspace_id, *name);
    std::int64_t id = store::insert_role(workspace_id, *name, codes);
    PG_RETURN_INT64(id);
}

// update_role(workspace_id, name, new_name, permissions): NULL leaves a field as it is.
PG_ACTIONS_FUNCTION(pg_actions_update_role) {
    std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
    std::optional<std::string> name = arg_text(fcinfo, 1);
    refuse_if(core::check_role_name(name));
    std::optional<std::string> new_name = arg_text(fcinfo, 2);
    if (new_name) refuse_if(core::check_role_name(new_name));
    bool regrant = !PG_ARGISNULL(3);
    std::vector<std::string> codes = arg_codes(fcinfo, 3);
    check_codes(codes);
    SpiScope spi;
    require_workspace_manager(workspace_id);
    store::RoleRow r = find_role(workspace_id, *name);
    refuse_if(core::check_role_change(core::RoleChange::update, *name, r.is_system, r.holders));
    if (new_name && *new_name != *name) refuse_taken_role_name(workspace_id, *new_name);
    store::update_role(workspace_id, r.role_id, new_name, regrant, codes);
    PG_RETURN_VOID();
}

// delete_role(workspace_id, name)
PG_ACTIONS_FUNCTION(pg_actions_delete_role) {
    std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
    std::optional<std::string> name = arg_text(fcinfo, 1);
    refuse_if(core::check_role_name(name));
    SpiScope spi;
    require_workspace_manager(workspace_id);
    store::RoleRow r = find_role(workspace_id, *name);
    refuse_if(core::check_role_change(core::RoleChange::remove, *name, r.is_system, r.holders));
    // An action offered to the role keeps it (actions.offer() locks the role FOR KEY SHARE).
    if (store::role_has_offers(workspace_id, r.role_id))
        refuse({core::RefusalKind::wrong_state, "role \"" + *name + "\" still has actions offered to it",
                "deleting it would take their candidates from those pools",
                "offer those actions to other candidates first (actions.offer())"});
    store::delete_role(workspace_id, r.role_id);
    PG_RETURN_VOID();
}

// set_member_role(workspace_id, person_id, role): a member's role changes at once for every
// decision that follows (an approval in progress holds the member row, so the change waits for it).
PG_ACTIONS_FUNCTION(pg_actions_set_member_role) {
    std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
    std::int64_t person_id = arg_id(fcinfo, 1, "person_id");
    std::optional<std::string> name = arg_text(fcinfo, 2);
    refuse_if(core::check_role_name(name));
    SpiScope spi;
    require_workspace_manager(workspace_id);
    store::RoleRow r = find_role(workspace_id, *name);
    if (!store::member_row_exists(workspace_id, person_id))
        refuse({core::RefusalKind::invalid_value,
                "person " + std::to_string(person_id) + " is not a member of workspace " + std::to_string(workspace_id),
                "", "add the person with actions.add_member() first"});
    // The last-owner rule is kept by the trigger on actions.member (member_keeps_owner below).
    store::update_member_role(workspace_id, person_id, r.role_id);
    PG_RETURN_VOID();
}
