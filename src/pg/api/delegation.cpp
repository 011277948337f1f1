// Delegation with return (core/pool.hpp): actions.delegate() hands the action to a delegate
// (pending), actions.resolve() gives it back to the assignee who delegated it (resolved). Who may
// is the core's permission decision (verbs delegate, resolve: the assignee), the state each needs
// core's check_pool_state, the delegate core's check_delegate. The triggers log both people and
// notify the one who receives the action.
#include "pg/boundary/postgres.hpp"

#include "core/pool.hpp"
#include "pg/authz/args.hpp"
#include "pg/authz/facts.hpp"
#include "pg/store/action_store.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

// delegate(action_id, delegate_id)
PG_ACTIONS_FUNCTION(pg_actions_delegate) {
    std::int64_t delegate = arg_id(fcinfo, 1, "delegate_id");
    SpiScope spi;
    std::int64_t actor = 0;
    Action a = authorize_action(fcinfo, core::Verb::delegate, &actor, delegate);
    refuse_if(core::check_delegate(actor, delegate, a.workspace_id, member_acts(a.new_assignee_state),
                                   a.new_assignee_state.has_value()));
    store::delegate_action(a.workspace_id, a.action_id, delegate, actor);
    PG_RETURN_VOID();
}

// resolve(action_id): back to delegated_by.
PG_ACTIONS_FUNCTION(pg_actions_resolve) {
    SpiScope spi;
    Action a = authorize_action(fcinfo, core::Verb::resolve);
    store::resolve_delegation(a.workspace_id, a.action_id);
    PG_RETURN_VOID();
}
