// The log's guard: UPDATE, DELETE and TRUNCATE of actions.activity and actions.activity_head, and
// TRUNCATE of actions.action, are refused for every role (the triggers are ENABLE ALWAYS).
#include "pg/boundary/postgres.hpp"

#include <string>

#include "pg/boundary/boundary.hpp"
#include "pg/triggers/action_row.hpp"

using namespace pg_actions::pg;

// BEFORE UPDATE/DELETE/TRUNCATE on the log and its heads: always refused. The log trigger above
// writes through the table API (log_store.cpp), which fires no triggers.
PG_ACTIONS_FUNCTION(pg_actions_refuse_log_change) {
    TriggerData* td = trigger_data(fcinfo, "refuse_log_change");
    const char* table = RelationGetRelationName(td->tg_relation);
    // TRUNCATE fires no row trigger: on actions.action it would remove actions unlogged.
    if (strcmp(table, "action") == 0)
        throw PgError(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                      "cannot truncate actions.action: every deletion of an action is logged",
                      "a TRUNCATE fires no row triggers, so the activity log would not record the deletions",
                      "delete the actions instead (DELETE, or actions.delete_action()); each deletion is logged");
    const char* verb = TRIGGER_FIRED_BY_TRUNCATE(td->tg_event) ? "truncate"
                       : TRIGGER_FIRED_BY_DELETE(td->tg_event) ? "delete from"
                                                                : "update";
    if (strncmp(table, "ledger_", 7) == 0)
        throw PgError(ERRCODE_INSUFFICIENT_PRIVILEGE,
                      std::string("cannot ") + verb + " actions." + table + ": the ledger is append-only",
                      "seals and their leaves are written only by actions.seal_ledger()",
                      "a seal is never changed; the next seal follows it");
    throw PgError(ERRCODE_INSUFFICIENT_PRIVILEGE,
                  std::string("cannot ") + verb + " actions." + table + ": the activity log is append-only",
                  "entries and chain heads are written only by the triggers on actions.action",
                  "record a correction as a new change to the action; the log keeps both");
}
