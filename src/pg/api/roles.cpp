// Custom roles of a workspace: create, change (rename, regrant) and delete; the rules are in
// core/role_rules.cpp and need the manage_workspace permission.
#include "pg/boundary/postgres.hpp"

#include <string>
#include <vector>

#include "core/role_rules.hpp"
#include "pg/identity/actor.hpp"
#include "pg/authz/facts.hpp"
#include "pg/boundary/spi.hpp"

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


struct Role {
    std::int64_t role_id;
    bool is_system;
    long holders;
};

Role find_role(std::int64_t workspace_id, const std::string& name) {
    static Statement q(
        "SELECT r.role_id, r.is_system, (SELECT count(*) FROM actions.member m "
        "  WHERE m.workspace_id = r.workspace_id AND m.role_id = r.role_id AND m.state <> 'removed') "
        "FROM actions.role r WHERE r.workspace_id = $1 AND r.name = $2 FOR UPDATE OF r",
        {INT8OID, TEXTOID});
    Datum args[2] = {Int64GetDatum(workspace_id), text_datum(name)};
    if (q.run(args, nullptr, 0) != 1)
        refuse({core::RefusalKind::not_found, "role \"" + name + "\" not found in workspace " + std::to_string(workspace_id),
                "", "list the roles in actions.role"});
    return Role{get_int64(0, 1), get_bool(0, 2), static_cast<long>(get_int64(0, 3))};
}

void refuse_taken_role_name(std::int64_t workspace_id, const std::string& name) {
    static Statement q("SELECT 1 FROM actions.role WHERE workspace_id = $1 AND name = $2", {INT8OID, TEXTOID});
    Datum args[2] = {Int64GetDatum(workspace_id), text_datum(name)};
    if (q.run(args, nullptr, 1) == 1)
        throw PgError(ERRCODE_UNIQUE_VIOLATION, "role \"" + name + "\" already exists in workspace " + std::to_string(workspace_id),
                      "", "choose another name, or change the existing role with actions.update_role()");
}

Datum codes_datum(const std::vector<std::string>& codes) {
    std::vector<Datum> texts;
    for (const std::string& c : codes) texts.push_back(text_datum(c));
    const Datum* data = texts.data();
    int n = static_cast<int>(texts.size());
    return guard([&]() -> Datum {
        return PointerGetDatum(construct_array(const_cast<Datum*>(data), n, TEXTOID, -1, false, TYPALIGN_INT));
    });
}

}  // namespace

extern "C" {

// create_role(workspace_id, name, permissions)
PG_FUNCTION_INFO_V1(pg_actions_create_role);
Datum pg_actions_create_role(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
        std::optional<std::string> name = arg_text(fcinfo, 1);
        refuse_if(core::check_role_name(name));
        std::vector<std::string> codes = arg_codes(fcinfo, 2);
        check_codes(codes);
        SpiScope spi;
        require_workspace_manager(workspace_id);
        refuse_taken_role_name(workspace_id, *name);
        static Statement insert(
            "INSERT INTO actions.role (workspace_id, name, permissions) VALUES ($1, $2, $3) RETURNING role_id",
            {INT8OID, TEXTOID, TEXTARRAYOID});
        Datum v[3] = {Int64GetDatum(workspace_id), text_datum(*name), codes_datum(codes)};
        insert.run(v, nullptr, 0);
        std::int64_t id = get_int64(0, 1);
        PG_RETURN_INT64(id);
    });
}

// update_role(workspace_id, name, new_name, permissions): NULL leaves a field as it is.
PG_FUNCTION_INFO_V1(pg_actions_update_role);
Datum pg_actions_update_role(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
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
        Role r = find_role(workspace_id, *name);
        refuse_if(core::check_role_change(core::RoleChange::update, *name, r.is_system, r.holders));
        if (new_name && *new_name != *name) refuse_taken_role_name(workspace_id, *new_name);
        static Statement update(
            "UPDATE actions.role SET name = coalesce($3, name), permissions = CASE WHEN $4 THEN $5 ELSE permissions END "
            "WHERE workspace_id = $1 AND role_id = $2",
            {INT8OID, INT8OID, TEXTOID, BOOLOID, TEXTARRAYOID});
        Datum v[5] = {Int64GetDatum(workspace_id), Int64GetDatum(r.role_id), new_name ? text_datum(*new_name) : 0,
                      BoolGetDatum(regrant), codes_datum(codes)};
        char nulls[5] = {' ', ' ', new_name ? ' ' : 'n', ' ', ' '};
        update.run(v, nulls, 0);
        PG_RETURN_VOID();
    });
}

// delete_role(workspace_id, name)
PG_FUNCTION_INFO_V1(pg_actions_delete_role);
Datum pg_actions_delete_role(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
        std::optional<std::string> name = arg_text(fcinfo, 1);
        refuse_if(core::check_role_name(name));
        SpiScope spi;
        require_workspace_manager(workspace_id);
        Role r = find_role(workspace_id, *name);
        refuse_if(core::check_role_change(core::RoleChange::remove, *name, r.is_system, r.holders));
        // An action offered to the role keeps it (actions.offer() locks the role FOR KEY SHARE).
        static Statement offered(
            "SELECT EXISTS (SELECT 1 FROM actions.action_offer WHERE workspace_id = $1 AND role_id = $2)", {INT8OID, INT8OID});
        Datum k[2] = {Int64GetDatum(workspace_id), Int64GetDatum(r.role_id)};
        offered.run(k, nullptr, 0);
        if (get_bool(0, 1))
            refuse({core::RefusalKind::wrong_state, "role \"" + *name + "\" still has actions offered to it",
                    "deleting it would take their candidates from those pools",
                    "offer those actions to other candidates first (actions.offer())"});
        static Statement del("DELETE FROM actions.role WHERE workspace_id = $1 AND role_id = $2", {INT8OID, INT8OID});
        Datum v[2] = {Int64GetDatum(workspace_id), Int64GetDatum(r.role_id)};
        del.run(v, nullptr, 0);
        PG_RETURN_VOID();
    });
}

// set_member_role(workspace_id, person_id, role): a member's role changes at once for every
// decision that follows (an approval in progress holds the member row, so the change waits for it).
PG_FUNCTION_INFO_V1(pg_actions_set_member_role);
Datum pg_actions_set_member_role(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
        std::int64_t person_id = arg_id(fcinfo, 1, "person_id");
        std::optional<std::string> name = arg_text(fcinfo, 2);
        refuse_if(core::check_role_name(name));
        SpiScope spi;
        require_workspace_manager(workspace_id);
        Role r = find_role(workspace_id, *name);
        static Statement current("SELECT 1 FROM actions.member WHERE workspace_id = $1 AND person_id = $2",
                                 {INT8OID, INT8OID});
        Datum k[2] = {Int64GetDatum(workspace_id), Int64GetDatum(person_id)};
        if (current.run(k, nullptr, 0) != 1)
            refuse({core::RefusalKind::invalid_value,
                    "person " + std::to_string(person_id) + " is not a member of workspace " + std::to_string(workspace_id),
                    "", "add the person with actions.add_member() first"});
        // The last-owner rule is kept by the trigger on actions.member (member_keeps_owner below).
        static Statement update("UPDATE actions.member SET role_id = $3 WHERE workspace_id = $1 AND person_id = $2",
                                {INT8OID, INT8OID, INT8OID});
        Datum v[3] = {Int64GetDatum(workspace_id), Int64GetDatum(person_id), Int64GetDatum(r.role_id)};
        update.run(v, nullptr, 0);
        PG_RETURN_VOID();
    });
}

}  // extern "C"
