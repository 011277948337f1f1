// The SQL API of a workspace's custom action types: create, rename (the label), retire and
// reinstate them (manage_workspace). The rules are the core's (core/action_type.hpp); the check
// that a new action may use a type is in new_action.cpp.
#include "pg/boundary/postgres.hpp"

#include "core/action_type.hpp"
#include "pg/authz/args.hpp"
#include "pg/authz/facts.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/store/workflow_store.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

[[noreturn]] void type_not_found(const std::string& key) {
    refuse({core::RefusalKind::not_found, "action type \"" + key + "\" not found",
            "the workspace has no custom action type with that key",
            "list the types in actions.action_type, or add it with actions.create_action_type()"});
}

// rename, retire, reinstate: one change of a custom type of the workspace (store/workflow_store.hpp).
using Change = bool (*)(std::int64_t workspace_id, const std::string& key, const std::optional<std::string>& label);

Datum change_type(FunctionCallInfo fcinfo, Change change, bool with_label) {
    std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
    std::string key = arg_required_text(fcinfo, 1, "type_key", "'annual_attestation'");
    std::optional<std::string> label = with_label ? arg_text(fcinfo, 2) : std::nullopt;
    if (with_label) refuse_if(core::check_type_label(label));
    SpiScope spi;
    require_workspace_manager(workspace_id);
    refuse_if(core::check_type_changeable(key));
    if (!change(workspace_id, key, label)) type_not_found(key);
    PG_RETURN_VOID();
}

}  // namespace

// create_action_type(workspace_id, type_key, label)
PG_ACTIONS_FUNCTION(pg_actions_create_action_type) {
    std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
    std::string key = arg_required_text(fcinfo, 1, "type_key", "'annual_attestation'");
    std::optional<std::string> label = arg_text(fcinfo, 2);
    refuse_if(core::check_custom_type_key(key));
    refuse_if(core::check_type_label(label));
    SpiScope spi;
    require_workspace_manager(workspace_id);
    if (!store::insert_action_type(workspace_id, key, *label))
        throw PgError(ERRCODE_UNIQUE_VIOLATION, "action type \"" + key + "\" already exists",
                      "a type keeps its key for good, retired or not",
                      "use it (actions.reinstate_action_type() if it is retired), or choose another key");
    PG_RETURN_VOID();
}

// rename_action_type(workspace_id, type_key, label)
PG_ACTIONS_FUNCTION(pg_actions_rename_action_type) {
    return change_type(fcinfo, store::rename_action_type, true);
}

// retire_action_type(workspace_id, type_key): its actions keep it, new ones cannot have it.
PG_ACTIONS_FUNCTION(pg_actions_retire_action_type) {
    return change_type(
        fcinfo, [](std::int64_t ws, const std::string& key, const std::optional<std::string>&) {
            return store::retire_action_type(ws, key);
        },
        false);
}

// reinstate_action_type(workspace_id, type_key)
PG_ACTIONS_FUNCTION(pg_actions_reinstate_action_type) {
    return change_type(
        fcinfo, [](std::int64_t ws, const std::string& key, const std::optional<std::string>&) {
            return store::reinstate_action_type(ws, key);
        },
        false);
}
