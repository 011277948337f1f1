// Which notifications are sent: workspace settings, personal opt-outs, the due-soon sweep.
#include "pg/boundary/postgres.hpp"

#include <vector>

#include "core/permission.hpp"
#include "pg/identity/actor.hpp"
#include "pg/authz/facts.hpp"
#include "pg/api/bulk_rows.hpp"
#include "pg/store/action_store.hpp"
#include "pg/store/member_store.hpp"
#include "pg/store/notify.hpp"
#include "pg/store/sweep_errors.hpp"
#include "pg/boundary/spi.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;


namespace {

std::string arg_kind(FunctionCallInfo fcinfo, int n) {
    if (PG_ARGISNULL(n))
        throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "kind must not be null", "",
                      "pass one of " + core::listed(core::notification_kind_names()));
    std::string kind = text_of(PG_GETARG_DATUM(n));
    for (std::string_view known : core::notification_kind_names())
        if (kind == known) return kind;
    throw PgError(ERRCODE_INVALID_PARAMETER_VALUE, "invalid value for kind: \"" + kind + "\"",
                  "kind is a notification kind", "pass one of " + core::listed(core::notification_kind_names()));
}

}  // namespace

// set_notification(workspace_id, kind, enabled)
PG_ACTIONS_FUNCTION(pg_actions_set_notification) {
    std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
    std::string kind = arg_kind(fcinfo, 1);
    if (PG_ARGISNULL(2))
        throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "enabled must not be null", "",
                      "pass true to turn the kind on, false to turn it off");
    bool enabled = PG_GETARG_BOOL(2);
    SpiScope spi;
    require_workspace_manager(workspace_id);
    store::upsert_notification_setting(workspace_id, kind, enabled);
    PG_RETURN_VOID();
}

// opt_out(workspace_id, kind, opted_out)
PG_ACTIONS_FUNCTION(pg_actions_opt_out) {
    std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
    std::string kind = arg_kind(fcinfo, 1);
    bool opted_out = PG_ARGISNULL(2) || PG_GETARG_BOOL(2);
    SpiScope spi;
    std::int64_t actor = require_actor();
    actor_facts(workspace_id, actor);  // members only
    store::set_notification_opt_out(workspace_id, actor, kind, opted_out);
    PG_RETURN_VOID();
}

// notify_due_soon(): the maintenance sweep's due-soon reminders.
PG_ACTIONS_FUNCTION(pg_actions_notify_due_soon) {
    SpiScope spi;
    // The partial index action_open_due_idx finds the candidates whose reminder is not sent
    // yet, at most pg_actions.sweep_batch_size per call in ascending action_id (the rest wait
    // for the next call). Each is locked FOR KEY SHARE (as a foreign key check would) so it
    // cannot be deleted before its reminder is written; one another transaction is changing
    // now is skipped and found again by the next sweep, so ordinary concurrent work never
    // fails the sweep. A second sweep at once waits on the first's reminder rows, in the same
    // order.
    std::vector<store::DueSoon> rows = store::lock_due_soon_batch(DatumGetInt64(sweep_batch_datum()));
    // Each reminder in its own subtransaction: one that fails unexpectedly is rolled back
    // alone and recorded (actions.maintenance_error), and the others are sent.
    std::int64_t sent = 0;
    SweepItems items("notify_due_soon");
    for (const store::DueSoon& d : rows) {
        check_for_interrupts();
        bool done = false;
        Caught error{};
        if (!in_subtransaction(
                [&] { done = remind(core::NotificationKind::due_soon, d.workspace_id, d.assignee_id, d.action_id, d.due_at); },
                &error)) {
            items.failed(d.workspace_id, "action", d.action_id, error.code, error.message);
            continue;
        }
        items.succeeded();
        if (done) sent++;
    }
    items.finish();
    PG_RETURN_INT64(sent);
}
