// Restores (README, "Backups and restores"). pg_dump writes the rows of the extension's tables as
// `COPY actions.x (...) FROM stdin` after CREATE EXTENSION, so the extension's triggers already
// exist when they are copied back. During such a COPY the row triggers leave the rows as dumped
// (ids, times, actors, the log with its hashes come from the dump), and a statement trigger on
// every table refuses to mix restored rows with rows the table already holds.
#include "pg/boundary/postgres.hpp"

extern "C" {
#include "access/relation.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "executor/tuptable.h"
#include "nodes/parsenodes.h"
#include "nodes/plannodes.h"
#include "tcop/pquery.h"
#include "utils/portal.h"
#include "utils/snapmgr.h"
}

#include <string>

#include "pg/boundary/boundary.hpp"
#include "pg/triggers/action_row.hpp"
#include "pg/triggers/restore.hpp"

using namespace pg_actions::pg;

namespace {

// The COPY ... FROM statement the client sent, or nullptr. ActivePortal is the portal of the
// statement being executed at top level; a statement run by a function (SPI) has none of its own.
CopyStmt* top_level_copy_from() {
    Portal portal = ActivePortal;
    if (portal == nullptr || list_length(portal->stmts) != 1) return nullptr;
    Node* stmt = static_cast<Node*>(linitial(portal->stmts));
    if (!IsA(stmt, PlannedStmt)) return nullptr;
    PlannedStmt* planned = reinterpret_cast<PlannedStmt*>(stmt);
    if (planned->commandType != CMD_UTILITY || planned->utilityStmt == nullptr ||
        !IsA(planned->utilityStmt, CopyStmt))
        return nullptr;
    CopyStmt* copy = reinterpret_cast<CopyStmt*>(planned->utilityStmt);
    if (!copy->is_from || copy->relation == nullptr) return nullptr;
    return copy;
}

// Whether the table holds a row committed now or written by this transaction.
bool holds_rows(Relation rel) {
    return guard([&]() -> bool {
        Snapshot snapshot = RegisterSnapshot(GetLatestSnapshot());
        TableScanDesc scan = table_beginscan(rel, snapshot, 0, nullptr);
        TupleTableSlot* slot = table_slot_create(rel, nullptr);
        bool found = table_scan_getnextslot(scan, ForwardScanDirection, slot);
        ExecDropSingleTupleTableSlot(slot);
        table_endscan(scan);
        UnregisterSnapshot(snapshot);
        return found;
    });
}

}  // namespace

namespace pg_actions::pg {

bool restoring(Oid relid) {
    CopyStmt* copy = top_level_copy_from();
    // pg_dump names every table with its schema; an unqualified name would be resolved here under
    // the trigger function's pinned search_path, not the client's.
    if (copy == nullptr || copy->relation->schemaname == nullptr) return false;
    return guard([&]() -> bool {
        if (!superuser_arg(GetSessionUserId())) return false;
        // COPY holds its lock on the table already.
        if (RangeVarGetRelid(copy->relation, NoLock, true) != relid) return false;
        // pg_dump writes every column, the ids included; a COPY that leaves columns to their
        // defaults (an import of new rows) is not a restore and is checked and logged.
        if (copy->attlist == NIL) return true;
        Relation rel = relation_open(relid, AccessShareLock);
        TupleDesc desc = RelationGetDescr(rel);
        int columns = 0;
        for (int i = 0; i < desc->natts; i++) {
            Form_pg_attribute att = TupleDescAttr(desc, i);
            if (!att->attisdropped && att->attgenerated == '\0') columns++;
        }
        relation_close(rel, AccessShareLock);
        return list_length(copy->attlist) == columns;
    });
}

}  // namespace pg_actions::pg

extern "C" {

// actions.restoring(regclass): the same question for the PL/pgSQL triggers (the seeds of a new
// workspace).
PG_FUNCTION_INFO_V1(pg_actions_restoring);
Datum pg_actions_restoring(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        if (PG_ARGISNULL(0)) return BoolGetDatum(false);
        return BoolGetDatum(restoring(PG_GETARG_OID(0)));
    });
}

// BEFORE INSERT, once per statement, on every table of the extension: a restore's COPY into a
// table that already holds rows would mix restored rows (ids, log chains) with the ones there,
// and nothing could tell them apart afterwards. Refused before the first row.
PG_FUNCTION_INFO_V1(pg_actions_restore_guard);
Datum pg_actions_restore_guard(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        TriggerData* td = trigger_data(fcinfo, "restore_guard");
        Relation rel = td->tg_relation;
        if (!restoring(RelationGetRelid(rel)) || !holds_rows(rel)) return PointerGetDatum(nullptr);
        std::string table = std::string("actions.") + RelationGetRelationName(rel);
        throw PgError(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                      "cannot restore " + table + ": the table already holds rows",
                      "a restore copies the extension's rows back as they were dumped, with their ids and their "
                      "hash-chained log; mixed with rows already there (a data-only restore into a database that "
                      "is in use, or a second restore) they would make a history that never happened",
                      "restore into a new database: createdb NEW && pg_restore -d NEW FILE "
                      "(a plain dump: psql -d NEW -f FILE)");
    });
}

}  // extern "C"
