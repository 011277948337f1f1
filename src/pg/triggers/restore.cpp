// Restores (docs/operations.md, "Backups and restores"). pg_dump writes the rows of the extension's tables as
// `COPY actions.x (...) FROM stdin` after CREATE EXTENSION, so the extension's triggers already
// exist when they are copied back. During such a COPY the row triggers leave the rows as dumped
// (ids, times, actors, the log with its hashes come from the dump), and a statement trigger on
// every table refuses to mix restored rows with rows the table already holds, ending the session.
#include "pg/boundary/postgres.hpp"

extern "C" {
#include "access/relation.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "executor/tuptable.h"
#include "nodes/parsenodes.h"
#include "nodes/plannodes.h"
#include "parser/parsetree.h"
#include "tcop/pquery.h"
#include "utils/guc.h"
#include "utils/portal.h"
#include "utils/snapmgr.h"
}

#include <string>

#include "pg/boundary/boundary.hpp"
#include "pg/boundary/compat.hpp"
#include "pg/boundary/spi.hpp"
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

// Whether the plan computes a value from this sequence (an identity column left to its default).
bool draws_from(Node* node, void* seq) {
    if (node == nullptr) return false;
    if (IsA(node, NextValueExpr) && reinterpret_cast<NextValueExpr*>(node)->seqid == *static_cast<Oid*>(seq))
        return true;
    return compat::walk_expression(node, draws_from, seq);
}

bool plan_draws_from(Plan* plan, Oid seq) {
    if (plan == nullptr) return false;
    if (draws_from(reinterpret_cast<Node*>(plan->targetlist), &seq)) return true;
    if (IsA(plan, ValuesScan) && draws_from(reinterpret_cast<Node*>(reinterpret_cast<ValuesScan*>(plan)->values_lists), &seq))
        return true;
    return plan_draws_from(plan->lefttree, seq) || plan_draws_from(plan->righttree, seq);
}

// A superuser session's top-level INSERT into this table that gives its identity column a value
// instead of drawing it from the sequence (OVERRIDING SYSTEM VALUE): how a dump made with
// pg_dump --inserts or --column-inserts restores. The API and an application leave the ids to
// the sequences.
bool inserting_dumped_ids(Relation rel) {
    Portal portal = ActivePortal;
    if (portal == nullptr || list_length(portal->stmts) != 1) return false;
    Node* stmt = static_cast<Node*>(linitial(portal->stmts));
    if (!IsA(stmt, PlannedStmt)) return false;
    PlannedStmt* planned = reinterpret_cast<PlannedStmt*>(stmt);
    if (planned->commandType != CMD_INSERT || list_length(planned->resultRelations) != 1) return false;
    return guard([&]() -> bool {
        RangeTblEntry* target = rt_fetch(linitial_int(planned->resultRelations), planned->rtable);
        if (target->relid != RelationGetRelid(rel) || !superuser_arg(GetSessionUserId())) return false;
        TupleDesc desc = RelationGetDescr(rel);
        for (int i = 0; i < desc->natts; i++) {
            Form_pg_attribute att = TupleDescAttr(desc, i);
            if (att->attisdropped || att->attidentity == '\0') continue;
            Oid seq = compat::identity_sequence(rel, att->attnum);
            if (OidIsValid(seq) && !plan_draws_from(planned->planTree, seq)) return true;
        }
        return false;
    });
}

// The local transaction in which this session's restore_guard switched a restore's COPY to
// replica mode (InvalidLocalTransactionId: none). restore_done switches it back at the end of that
// statement; an error ends the transaction, which reverts the SET LOCAL anyway.
LocalTransactionId replica_for_copy = InvalidLocalTransactionId;
int role_before_copy = SESSION_REPLICATION_ROLE_ORIGIN;

void set_replication_role(const char* value) {
    guard([&]() -> int {
        (void)set_config_option("session_replication_role", value, PGC_SUSET, PGC_S_SESSION, GUC_ACTION_LOCAL,
                                true, 0, false);
        return 0;
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

// The three functions below read no table of the extension by name, only the catalog and the
// relation they fire on, and run no SQL (NoSqlHere: they pin no search_path, see
// docs/security.md, section 3), so they work against the schema of any version: a backup of an earlier
// release is restored into that release's schema with this library installed, before
// ALTER EXTENSION ... UPDATE (docs/install.md), and they fire on every COPY of that restore.

// actions.restoring(regclass): the same question for the PL/pgSQL triggers (the seeds of a new
// workspace).
PG_FUNCTION_INFO_V1(pg_actions_restoring);
Datum pg_actions_restoring(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        NoSqlHere no_sql;
        if (PG_ARGISNULL(0)) return BoolGetDatum(false);
        return BoolGetDatum(restoring(PG_GETARG_OID(0)));
    }, /* check_schema = */ false);
}

// BEFORE INSERT, once per statement, on every table of the extension: a restore's COPY into a
// table that already holds rows would mix restored rows (ids, log chains) with the ones there,
// and nothing could tell them apart afterwards; a restore by INSERT (pg_dump --inserts) would
// be logged again by the triggers. Refused before the first row, and with FATAL: pg_restore and
// psql go on after an ERROR, and what follows (the other tables, then setval() of the id
// sequences, which no trigger sees) would half-restore the database and rewind its ids.
PG_FUNCTION_INFO_V1(pg_actions_restore_guard);
Datum pg_actions_restore_guard(PG_FUNCTION_ARGS) {
    const char* into = nullptr;      // a restore's COPY into this table (palloc'd name), which holds rows
    const char* inserted = nullptr;  // or a restore by INSERT with the dumped ids
    entry(fcinfo, [&]() -> Datum {
        NoSqlHere no_sql;
        TriggerData* td = trigger_data(fcinfo, "restore_guard");
        Relation rel = td->tg_relation;
        const char* name = guard([&]() -> const char* { return pstrdup(RelationGetRelationName(rel)); });
        if (restoring(RelationGetRelid(rel))) {
            if (holds_rows(rel)) {
                into = name;
            } else if (SessionReplicationRole != SESSION_REPLICATION_ROLE_REPLICA) {
                // pg_restore -j copies the tables side by side in separate sessions, in no order of
                // their foreign keys: a row may arrive before the row it refers to is committed. For
                // the rows of this COPY only (restore_done switches back at its end), the
                // foreign-key triggers and the row triggers, which leave a restore's rows as dumped
                // anyway, do not fire: replica mode, which a superuser could set for the whole
                // session (PGOPTIONS='-c session_replication_role=replica').
                role_before_copy = SessionReplicationRole;
                set_replication_role("replica");
                replica_for_copy = compat::local_xid();
            }
        } else if (inserting_dumped_ids(rel)) {
            inserted = name;
        }
        return PointerGetDatum(nullptr);
    }, /* check_schema = */ false);
    // No C++ frame is left: the session ends here.
    if (into != nullptr)
        ereport(FATAL,
                (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                 errmsg("cannot restore actions.%s: the table already holds rows", into),
                 errdetail("A restore copies the extension's rows back as they were dumped, with their ids and "
                           "their hash-chained log; mixed with rows already there (a data-only restore into a "
                           "database in use, or a second restore) they would make a history that never happened. "
                           "The session ends so that nothing more of this restore is applied."),
                 errhint("Restore into a new database: createdb NEW && pg_restore -d NEW FILE "
                         "(a plain dump: psql -d NEW -f FILE).")));
    if (inserted != nullptr)
        ereport(FATAL,
                (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                 errmsg("cannot insert rows of actions.%s with ids of their own: a dump made with "
                        "pg_dump --inserts cannot be restored",
                        inserted),
                 errdetail("The extension's triggers check and log every INSERT, so its rows would be logged "
                           "again with new times and actors; only a restore's COPY brings them back as they "
                           "were. The session ends so that nothing more of this restore is applied."),
                 errhint("Dump with pg_dump -Fc (or plain pg_dump without --inserts) and restore into a new "
                         "database: createdb NEW && pg_restore -d NEW FILE. To add a row, leave its id to "
                         "the sequence.")));
    return PointerGetDatum(nullptr);
}

// AFTER INSERT, once per statement, on every table of the extension (ENABLE ALWAYS): the end of
// a restore's COPY that restore_guard switched to replica mode switches back, so the statements
// after it in the same transaction (pg_restore --single-transaction, psql -1) fire every trigger.
PG_FUNCTION_INFO_V1(pg_actions_restore_done);
Datum pg_actions_restore_done(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        NoSqlHere no_sql;
        (void)trigger_data(fcinfo, "restore_done");
        if (replica_for_copy != InvalidLocalTransactionId && replica_for_copy == compat::local_xid()) {
            replica_for_copy = InvalidLocalTransactionId;
            set_replication_role(role_before_copy == SESSION_REPLICATION_ROLE_LOCAL ? "local" : "origin");
        }
        return PointerGetDatum(nullptr);
    }, /* check_schema = */ false);
}

}  // extern "C"
