// Who may adopt an application's table (actions.track_table()): the checks that need the acting
// person and the core's decision. The installing itself is SQL (src/sql/50_tracking.sql).
#include "pg/boundary/postgres.hpp"

#include "core/permission.hpp"
#include "pg/identity/actor.hpp"
#include "pg/authz/facts.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/store/members.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

// authorize_tracking(workspace_id, owner_id): the acting person may create records in the
// workspace; the records' owner (default: that person) is a member. Returns the owner.
PG_ACTIONS_FUNCTION(pg_actions_authorize_tracking) {
    std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
    SpiScope spi;
    std::int64_t actor = require_actor();
    // Memberships wherever the workspace is placed: the application's tables, and so this check,
    // are on the coordinator of a Citus cluster (store::own_membership).
    Membership m = own_membership(workspace_id, actor);
    core::Facts f;
    f.is_member = member_acts(m.state);
    if (!f.is_member) refuse_not_found(core::Target::workspace, workspace_id);
    f.granted = m.granted;
    f.group_granted = m.group_granted;
    refuse_if(core::decide(core::Verb::create_record, f));
    std::int64_t owner = PG_ARGISNULL(1) ? actor : PG_GETARG_INT64(1);
    check_member_state(workspace_id, owner, own_membership(workspace_id, owner).state,
                       "the records of a tracked table belong to a member of its workspace");
    PG_RETURN_INT64(owner);
}
