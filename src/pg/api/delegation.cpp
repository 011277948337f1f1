// Delegation with return (core/pool.hpp): actions.delegate() hands the action to a delegate
// (pending), actions.resolve() gives it back to the assignee who delegated it (resolved). Who may
// is the core's permission decision (verbs delegate, resolve: the assignee), the state each needs
// core's check_pool_state, the delegate core's check_delegate. The triggers log both people and
// notify the one who receives the action.
#include "pg/boundary/postgres.hpp"

#include "core/pool.hpp"
#include "pg/authz/args.hpp"
#include "pg/authz/facts.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

extern "C" {

// delegate(action_id, delegate_id)
PG_FUNCTION_INFO_V1(pg_actions_delegate);
Datum pg_actions_delegate(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        std::int64_t delegate = arg_id(fcinfo, 1, "delegate_id");
        SpiScope spi;
        std::int64_t actor = 0;
        Action a = authorize_action(fcinfo, core::Verb::delegate, &actor, delegate);
        refuse_if(core::check_delegate(actor, delegate, a.workspace_id, member_acts(a.new_assignee_state),
                                       a.new_assignee_state.has_value()));
        static Statement update(
            "UPDATE actions.action SET assignee_id = $3, delegated_by = $4, delegation = 'pending' "
            "WHERE workspace_id = $1 AND action_id = $2",
            {INT8OID, INT8OID, INT8OID, INT8OID});
        run_update(update, a, Int64GetDatum(delegate), false, Int64GetDatum(actor), false);
        PG_RETURN_VOID();
    });
}

// resolve(action_id): back to delegated_by.
PG_FUNCTION_INFO_V1(pg_actions_resolve);
Datum pg_actions_resolve(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        SpiScope spi;
        Action a = authorize_action(fcinfo, core::Verb::resolve);
        static Statement update(
            "UPDATE actions.action SET assignee_id = delegated_by, delegation = 'resolved' "
            "WHERE workspace_id = $1 AND action_id = $2",
            {INT8OID, INT8OID});
        run_update(update, a);
        PG_RETURN_VOID();
    });
}

}  // extern "C"
