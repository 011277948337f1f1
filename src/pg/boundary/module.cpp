// The module: _PG_init, the pg_actions.* setting, and the transaction and subtransaction
// callbacks that reset backend state (docs/design.md, "Snapshots and locks").
#include "pg/boundary/postgres.hpp"

extern "C" {
#include "access/genam.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "catalog/pg_extension.h"
#include "commands/extension.h"
#include "utils/fmgroids.h"
}

#include <string>

#include "pg/boundary/module.hpp"

#include "pg/identity/actor.hpp"
#include "pg/boundary/boundary.hpp"

extern "C" {
PG_MODULE_MAGIC;
void _PG_init(void);
}

namespace pg_actions::pg {
int evidence_max_bytes = 10 * 1024 * 1024;
}

namespace {

void on_xact(XactEvent event, void*) {
    if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_COMMIT ||
        event == XACT_EVENT_PARALLEL_ABORT || event == XACT_EVENT_PREPARE) {
        pg_actions::pg::identity_xact_end();
        pg_actions::pg::set_current_function(InvalidOid);
    }
}

void on_subxact(SubXactEvent event, SubTransactionId mine, SubTransactionId parent, void*) {
    pg_actions::pg::identity_subxact(event, mine, parent);
}

// extversion of the installed pg_actions, or "" when it is not installed (palloc'd text freed).
std::string installed_version() {
    char* version = pg_actions::pg::guard([]() -> char* {
        Oid ext = get_extension_oid("pg_actions", true);
        if (!OidIsValid(ext)) return nullptr;
        Relation rel = table_open(ExtensionRelationId, AccessShareLock);
        ScanKeyData key;
        ScanKeyInit(&key, Anum_pg_extension_oid, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(ext));
        SysScanDesc scan = systable_beginscan(rel, ExtensionOidIndexId, true, nullptr, 1, &key);
        HeapTuple tuple = systable_getnext(scan);
        char* out = nullptr;
        if (HeapTupleIsValid(tuple)) {
            bool isnull;
            Datum d = heap_getattr(tuple, Anum_pg_extension_extversion, RelationGetDescr(rel), &isnull);
            if (!isnull) out = text_to_cstring(DatumGetTextPP(d));
        }
        systable_endscan(scan);
        table_close(rel, AccessShareLock);
        return out;
    });
    std::string v = version ? version : "";
    if (version) pfree(version);
    return v;
}

bool schema_matches = false;  // once true, stays true for the life of the backend

}  // namespace

namespace pg_actions::pg {

void require_matching_schema() {
    if (schema_matches) return;
    std::string installed = installed_version();
    if (installed == PG_ACTIONS_VERSION) {
        schema_matches = true;
        return;
    }
    throw PgError(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                  "pg_actions library " PG_ACTIONS_VERSION " does not match the installed schema " +
                      (installed.empty() ? std::string("(none)") : installed),
                  "the server loads pg_actions.so " PG_ACTIONS_VERSION
                  "; the database's extension objects were created by another version",
                  "run ALTER EXTENSION pg_actions UPDATE in this database");
}

}  // namespace pg_actions::pg

void _PG_init(void) {
    RegisterXactCallback(on_xact, nullptr);
    RegisterSubXactCallback(on_subxact, nullptr);
    DefineCustomIntVariable("pg_actions.evidence_max_bytes",
                            "Largest evidence file, in bytes, that actions.complete() accepts.",
                            "Larger files are refused with SQLSTATE 22023.",
                            &pg_actions::pg::evidence_max_bytes, 10 * 1024 * 1024, 0, 1024 * 1024 * 1024,
                            PGC_SUSET, 0, nullptr, nullptr, nullptr);
    // No other pg_actions.* name exists: a hand-set one is refused instead of silently ignored.
    MarkGUCPrefixReserved("pg_actions");
}
