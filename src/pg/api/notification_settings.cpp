// Which notifications are sent: workspace settings, personal opt-outs, the due-soon sweep.
#include "pg/boundary/postgres.hpp"

#include <vector>

#include "core/permission.hpp"
#include "pg/identity/actor.hpp"
#include "pg/authz/facts.hpp"
#include "pg/api/bulk_rows.hpp"
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

extern "C" {

// set_notification(workspace_id, kind, enabled)
PG_FUNCTION_INFO_V1(pg_actions_set_notification);
Datum pg_actions_set_notification(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
        std::string kind = arg_kind(fcinfo, 1);
        if (PG_ARGISNULL(2))
            throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "enabled must not be null", "",
                          "pass true to turn the kind on, false to turn it off");
        bool enabled = PG_GETARG_BOOL(2);
        SpiScope spi;
        require_workspace_manager(workspace_id);
        static Statement upsert(
            "INSERT INTO actions.notification_setting (workspace_id, kind, enabled) VALUES ($1, $2, $3) "
            "ON CONFLICT (workspace_id, kind) DO UPDATE SET enabled = EXCLUDED.enabled",
            {INT8OID, TEXTOID, BOOLOID});
        Datum v[3] = {Int64GetDatum(workspace_id), text_datum(kind), BoolGetDatum(enabled)};
        upsert.run(v, nullptr, 0);
        PG_RETURN_VOID();
    });
}

// opt_out(workspace_id, kind, opted_out)
PG_FUNCTION_INFO_V1(pg_actions_opt_out);
Datum pg_actions_opt_out(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
        std::string kind = arg_kind(fcinfo, 1);
        bool opted_out = PG_ARGISNULL(2) || PG_GETARG_BOOL(2);
        SpiScope spi;
        std::int64_t actor = require_actor();
        actor_facts(workspace_id, actor);  // members only
        static Statement add(
            "INSERT INTO actions.notification_opt_out (workspace_id, person_id, kind) VALUES ($1, $2, $3) "
            "ON CONFLICT DO NOTHING",
            {INT8OID, INT8OID, TEXTOID});
        static Statement remove(
            "DELETE FROM actions.notification_opt_out WHERE workspace_id = $1 AND person_id = $2 AND kind = $3",
            {INT8OID, INT8OID, TEXTOID});
        Datum v[3] = {Int64GetDatum(workspace_id), Int64GetDatum(actor), text_datum(kind)};
        (opted_out ? add : remove).run(v, nullptr, 0);
        PG_RETURN_VOID();
    });
}

// notify_due_soon(): the maintenance sweep's due-soon reminders.
PG_FUNCTION_INFO_V1(pg_actions_notify_due_soon);
Datum pg_actions_notify_due_soon(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        SpiScope spi;
        // The partial index action_open_due_idx finds the candidates whose reminder is not sent
        // yet, at most pg_actions.sweep_batch_size per call in ascending action_id (the rest wait
        // for the next call). Each is locked FOR KEY SHARE (as a foreign key check would) so it
        // cannot be deleted before its reminder is written; one another transaction is changing
        // now is skipped and found again by the next sweep, so ordinary concurrent work never
        // fails the sweep. A second sweep at once waits on the first's reminder rows, in the same
        // order.
        static Statement due(
            "SELECT a.workspace_id, a.action_id, a.assignee_id, a.due_at FROM actions.action a "
            "JOIN actions.workspace w ON w.workspace_id = a.workspace_id "
            "WHERE a.status = ANY (actions.list_vocabulary('open_not_overdue')) AND a.due_at IS NOT NULL AND a.assignee_id IS NOT NULL "
            "AND a.due_at > now() AND a.due_at <= now() + w.due_soon_window "
            "AND NOT EXISTS (SELECT 1 FROM actions.reminder r WHERE r.workspace_id = a.workspace_id "
            "AND r.action_id = a.action_id AND r.kind = 'due_soon' AND r.due_at = a.due_at) "
            "ORDER BY a.action_id LIMIT $1 FOR KEY SHARE OF a SKIP LOCKED",
            {INT8OID});
        struct Due {
            std::int64_t workspace_id, action_id, assignee_id;
            TimestampTz due_at;
        };
        Datum limit[1] = {sweep_batch_datum()};
        std::uint64_t n = due.run(limit, nullptr, 0);
        std::vector<Due> rows;
        rows.reserve(n);
        for (std::uint64_t i = 0; i < n; i++)
            rows.push_back({get_int64(i, 1), get_int64(i, 2), get_int64(i, 3), get_timestamptz(i, 4).value_or(0)});
        // Each reminder in its own subtransaction: one that fails unexpectedly is rolled back
        // alone and recorded (actions.maintenance_error), and the others are sent.
        std::int64_t sent = 0;
        SweepItems items("notify_due_soon");
        for (const Due& d : rows) {
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
    });
}

}  // extern "C"
