// add_member(): an administrator adds a person to a workspace with a role, or changes an existing
// member's role. The state the member ends in is the core's rule (core::state_after_add,
// member.hpp): active, whether they were invited, active or removed before.
#include "pg/boundary/postgres.hpp"

#include <string>

#include "core/member.hpp"
#include "pg/authz/args.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/store/member_store.hpp"
#include "pg/store/people_store.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

// An argument as a message shows it, NULL as <NULL> (as PL/pgSQL's RAISE did).
std::string shown(const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : "<NULL>"; }
std::optional<std::int64_t> opt_id(FunctionCallInfo fcinfo, int n) {
    if (PG_ARGISNULL(n)) return std::nullopt;
    return PG_GETARG_INT64(n);
}

}  // namespace

PG_ACTIONS_FUNCTION(pg_actions_add_member) {
    std::optional<std::int64_t> workspace_id = opt_id(fcinfo, 0), person_id = opt_id(fcinfo, 1);
    std::optional<std::string> role = arg_text(fcinfo, 2);
    SpiScope spi;
    std::optional<std::int64_t> role_id = store::role_id_named(workspace_id, role);
    if (!role_id)
        throw PgError(ERRCODE_NO_DATA_FOUND,
                      "role \"" + role.value_or("<NULL>") + "\" not found in workspace " + shown(workspace_id), "",
                      "system roles are owner, manager, user, actions_access and inquiry");
    if (!person_id || !store::person_exists(*person_id))
        throw PgError(ERRCODE_NO_DATA_FOUND, "person " + shown(person_id) + " not found", "",
                      "add the person first with actions.create_person()");
    // Whatever state the person had in the workspace, the core's rule gives the same one
    // (tested in test/unit/member_test.cpp), so the write need not read it first.
    std::string state(core::member_state_name(core::state_after_add(std::nullopt)));
    store::upsert_member(*workspace_id, *person_id, *role_id, state);
    PG_RETURN_VOID();
}
