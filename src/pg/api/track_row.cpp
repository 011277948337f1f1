// actions.track_row(): the work of the trigger of every tracked table (actions.track_table()).
// The trigger (SQL, src/sql/50_tracking.sql) computes the row's key, title and archived flag as
// the writer and hands them over as plain values; what the record becomes is the core's rule
// (core/tracked_rows.hpp): its title, whether a deleted row's record is archived or removed,
// when it moves to a new key. Who may call it is checked here first, as the SQL function did. Also
// actions.tracked_record(), the record of a row.
#include "pg/boundary/postgres.hpp"

extern "C" {
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
}

#include <string>

#include "core/input.hpp"
#include "core/tracked_rows.hpp"
#include "core/workflow.hpp"
#include "pg/authz/args.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/authz/facts.hpp"
#include "pg/identity/actor.hpp"
#include "pg/store/members.hpp"
#include "pg/store/record_store.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

// At most max_title_chars characters of the title, counted in the database's encoding (left()).
std::string clipped_title(const std::string& title) {
    int bytes = guard([&]() -> int {
        return pg_mbcharcliplen(title.c_str(), static_cast<int>(title.size()), static_cast<int>(core::max_title_chars));
    });
    return title.substr(0, static_cast<std::size_t>(bytes));
}

std::string quoted_ident(const std::string& name) {
    const char* q = guard([&]() -> const char* { return quote_identifier(name.c_str()); });
    return std::string(q);
}

}  // namespace

extern "C" {

// track_row(source regclass, op text, old_key text, new_key text, title text, archived boolean)
PG_ACTIONS_FUNCTION(pg_actions_track_row) {
    std::optional<Oid> source;
    if (!PG_ARGISNULL(0)) source = PG_GETARG_OID(0);
    std::optional<std::string> op = arg_text(fcinfo, 1), old_key = arg_text(fcinfo, 2),
                               new_key = arg_text(fcinfo, 3), title = arg_text(fcinfo, 4);
    std::optional<bool> archived;
    if (!PG_ARGISNULL(5)) archived = PG_GETARG_BOOL(5);
    // The values arrive computed by the table's trigger, which runs as the writer (never with
    // our rights). Anyone may call this function directly, so it believes only a session that
    // could have made the same write to the table itself.
    std::optional<core::TrackedWrite> write = op ? core::parse_tracked_write(*op) : std::nullopt;
    if (!write)
        throw PgError(ERRCODE_INVALID_PARAMETER_VALUE, "op must be INSERT, UPDATE or DELETE", "",
                      "actions.track_row() is called by the trigger actions.track_table() installs");
    SpiScope spi;
    // A table that is gone, or no longer carries our trigger, is not believed either (its row
    // in actions.tracked_table may outlive it, and an OID may be used again).
    store::TrackingWriteCheck check = store::tracking_write_check(source, *op);
    if (!check.allowed)
        throw PgError(ERRCODE_INSUFFICIENT_PRIVILEGE,
                      "permission denied to mirror a row of " + check.source_name.value_or("<NULL>"), check.detail,
                      "write the table itself; its trigger mirrors the row");
    std::optional<store::TrackedTable> t = store::tracked_table_of(*source);
    if (!t) PG_RETURN_VOID();
    if (*write == core::TrackedWrite::remove) {
        // A row with actions keeps its record, archived, so the actions keep their context.
        if (core::deleted_row(store::tracked_record_has_actions(t->workspace_id, *source, old_key)) ==
            core::DeletedRow::archive_record)
            store::archive_tracked_record(t->workspace_id, *source, old_key);
        else
            store::delete_tracked_record(t->workspace_id, *source, old_key);
        PG_RETURN_VOID();
    }
    if (!new_key)
        throw PgError(ERRCODE_NOT_NULL_VIOLATION, "tracked row of " + check.source_name.value_or("") + " has no key",
                      "column " + quoted_ident(t->key_column) + " links the row to its record in pg_actions",
                      "give the row a key");
    std::string clean_title = clipped_title(core::tracked_title(t->kind, *new_key, title));
    if (core::rekeys(*write, old_key, new_key)) store::rekey_tracked_record(t->workspace_id, *source, old_key, *new_key);
    store::upsert_tracked_record(t->workspace_id, t->kind, clean_title, core::tracked_archived(archived), t->owner_id,
                                 *source, *new_key, core::initial_record_state(t->kind));
    PG_RETURN_VOID();
}

// tracked_record(source regclass, key text): the record of an application's row, when the acting
// person is an active member of its workspace (the membership read where the workspace is:
// store::own_membership); NULL otherwise, and for an unknown row alike.
PG_ACTIONS_FUNCTION(pg_actions_tracked_record) {
    if (PG_ARGISNULL(0) || PG_ARGISNULL(1)) PG_RETURN_NULL();
    Oid source = PG_GETARG_OID(0);
    std::string key = text_of(PG_GETARG_DATUM(1));
    std::optional<std::int64_t> found;
    {
        SpiScope spi;
        if (std::optional<std::int64_t> actor = current_actor()) {
            for (const store::WorkspaceRecord& r : store::tracked_records(source, key)) {
                check_for_interrupts();
                if (member_acts(own_membership(r.workspace_id, *actor).state)) {
                    found = r.record_id;
                    break;
                }
            }
        }
    }
    if (!found) PG_RETURN_NULL();
    PG_RETURN_INT64(*found);
}

}  // extern "C"
