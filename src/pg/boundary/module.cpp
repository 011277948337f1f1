// The module: _PG_init, the pg_actions.* setting, and the transaction and subtransaction
// callbacks that reset backend state (docs/design.md, "Snapshots and locks").
#include "pg/boundary/postgres.hpp"

extern "C" {
#include "access/genam.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "catalog/objectaccess.h"
#include "catalog/pg_extension.h"
#include "commands/extension.h"
#include "utils/fmgroids.h"
#include "utils/inval.h"
#include "utils/syscache.h"
}

#include <string>

#include "core/interrupts.hpp"
#include "pg/boundary/module.hpp"

#include "pg/identity/actor.hpp"
#include "pg/store/absences.hpp"
#include "pg/store/ledger_store.hpp"
#include "pg/store/notify.hpp"
#include "pg/boundary/boundary.hpp"

extern "C" {
PG_MODULE_MAGIC;
void _PG_init(void);
}

namespace pg_actions::pg {
int evidence_max_bytes = 10 * 1024 * 1024;
int bulk_max_ids = 10000;
int sweep_batch_size = 500;
bool sweep_skip_locked = false;
char* identity_token = nullptr;
int identity_lifetime = 300;
}

namespace {

// The installed schema was found to be this library's version. Forgotten, so checked again on the
// next call, whenever something that an ALTER EXTENSION pg_actions UPDATE (run by any session, after
// a new library was installed on disk that this backend has not loaded) or a DROP and CREATE of
// another version must change is invalidated: a function (pg_proc) or a relation (relcache); and
// at once for a CREATE, ALTER or DROP EXTENSION in this session. An update that changed neither
// would change nothing this library runs. Between such events a call costs no catalog lookup.
bool schema_matches = false;

// A CREATE, ALTER (UPDATE) or DROP EXTENSION in this session forgets the check at once, also in the
// middle of a transaction.
object_access_hook_type previous_object_access = nullptr;

void on_object_access(ObjectAccessType access, Oid class_id, Oid object_id, int sub_id, void* arg) {
    if (class_id == ExtensionRelationId) schema_matches = false;
    if (previous_object_access) previous_object_access(access, class_id, object_id, sub_id, arg);
}

void on_xact(XactEvent event, void*) {
    if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_COMMIT ||
        event == XACT_EVENT_PARALLEL_ABORT || event == XACT_EVENT_PREPARE) {
        pg_actions::pg::identity_xact_end();
        pg_actions::pg::digest_reset();
        pg_actions::pg::absence_marks_reset();
        pg_actions::pg::set_current_function(InvalidOid);
    }
}

void forget_schema_check(Datum, int, uint32) { schema_matches = false; }
void forget_schema_check_rel(Datum, Oid) { schema_matches = false; }

void on_subxact(SubXactEvent event, SubTransactionId mine, SubTransactionId parent, void*) {
    pg_actions::pg::identity_subxact(event, mine, parent);
}

// The installed pg_actions: its pg_extension row's oid and extversion (palloc'd text freed), or
// an invalid oid and "" when it is not installed. One scan of pg_extension_name_index.
struct Installed {
    Oid oid = InvalidOid;
    std::string version;
};

Installed installed_extension() {
    Oid oid = InvalidOid;
    char* version = pg_actions::pg::guard([&oid]() -> char* {
        Relation rel = table_open(ExtensionRelationId, AccessShareLock);
        ScanKeyData key;
        ScanKeyInit(&key, Anum_pg_extension_extname, BTEqualStrategyNumber, F_NAMEEQ,
                    CStringGetDatum("pg_actions"));
        SysScanDesc scan = systable_beginscan(rel, ExtensionNameIndexId, true, nullptr, 1, &key);
        HeapTuple tuple = systable_getnext(scan);
        char* out = nullptr;
        if (HeapTupleIsValid(tuple)) {
            oid = reinterpret_cast<Form_pg_extension>(GETSTRUCT(tuple))->oid;
            bool isnull;
            Datum d = heap_getattr(tuple, Anum_pg_extension_extversion, RelationGetDescr(rel), &isnull);
            if (!isnull) out = text_to_cstring(DatumGetTextPP(d));
        }
        systable_endscan(scan);
        table_close(rel, AccessShareLock);
        return out;
    });
    Installed found{oid, version ? version : ""};
    if (version) pfree(version);
    return found;
}

// Whether dotted version a is older than b ("0.9" < "0.10"); a part that is not a number
// compares as text.
bool older(const std::string& a, const std::string& b) {
    std::size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        std::size_t ie = a.find('.', i), je = b.find('.', j);
        std::string pa = i < a.size() ? a.substr(i, ie == std::string::npos ? std::string::npos : ie - i) : "0";
        std::string pb = j < b.size() ? b.substr(j, je == std::string::npos ? std::string::npos : je - j) : "0";
        bool na = !pa.empty() && pa.find_first_not_of("0123456789") == std::string::npos;
        bool nb = !pb.empty() && pb.find_first_not_of("0123456789") == std::string::npos;
        if (na && nb && pa.size() != pb.size()) {
            pa.insert(0, pa.size() < pb.size() ? pb.size() - pa.size() : 0, '0');
            pb.insert(0, pb.size() < pa.size() ? pa.size() - pb.size() : 0, '0');
        }
        if (pa != pb) return pa < pb;
        i = ie == std::string::npos ? a.size() : ie + 1;
        j = je == std::string::npos ? b.size() : je + 1;
    }
    return false;
}

}  // namespace

namespace pg_actions::pg {

void require_matching_schema() {
    if (schema_matches) return;
    Installed installed = installed_extension();
    // The script of CREATE EXTENSION or ALTER EXTENSION UPDATE of pg_actions itself: it is run by
    // the library installed with it, also in the steps of an update over several versions (0.1 to
    // 0.2 to 0.3: during the first step extversion is 0.2, the library is 0.3's). Not remembered.
    if (creating_extension && OidIsValid(installed.oid) && CurrentExtensionObject == installed.oid) return;
    if (installed.version == PG_ACTIONS_VERSION) {
        schema_matches = true;
        return;
    }
    std::string message = "pg_actions library " PG_ACTIONS_VERSION " does not match the installed schema " +
                           (installed.version.empty() ? std::string("(none)") : installed.version);
    if (!installed.version.empty() && older(PG_ACTIONS_VERSION, installed.version))
        throw PgError(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, message,
                      "this session runs pg_actions.so " PG_ACTIONS_VERSION
                      "; the database's extension was updated to " + installed.version,
                      "reconnect (after ALTER EXTENSION pg_actions UPDATE, sessions that started before it "
                      "must reconnect); if this persists, the server's pg_actions.so is older than the "
                      "schema: install the matching package and restart");
    throw PgError(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, message,
                  "the server loads pg_actions.so " PG_ACTIONS_VERSION
                  "; the database's extension objects were created by another version",
                  "run ALTER EXTENSION pg_actions UPDATE in this database");
}

namespace {
RelcacheCallbackFunction relation_listeners[8];
int relation_listener_count = 0;

void dispatch_relation_invalidation(Datum arg, Oid relid) {
    for (int i = 0; i < relation_listener_count; i++) relation_listeners[i](arg, relid);
}
}  // namespace

void on_relation_invalidation(RelcacheCallbackFunction fn) {
    for (int i = 0; i < relation_listener_count; i++)
        if (relation_listeners[i] == fn) return;
    if (relation_listener_count == static_cast<int>(lengthof(relation_listeners)))
        elog(ERROR, "pg_actions: too many relation cache listeners");
    relation_listeners[relation_listener_count++] = fn;
}

}  // namespace pg_actions::pg

void _PG_init(void) {
    // The core's long loops ask PostgreSQL whether to stop (boundary.hpp, check_for_interrupts).
    pg_actions::core::set_interrupt_check(pg_actions::pg::check_for_interrupts);
    RegisterXactCallback(on_xact, nullptr);
    RegisterSubXactCallback(on_subxact, nullptr);
    CacheRegisterSyscacheCallback(PROCOID, forget_schema_check, (Datum)0);
    CacheRegisterRelcacheCallback(pg_actions::pg::dispatch_relation_invalidation, (Datum)0);
    pg_actions::pg::on_relation_invalidation(forget_schema_check_rel);
    previous_object_access = object_access_hook;
    object_access_hook = on_object_access;
    DefineCustomIntVariable("pg_actions.evidence_max_bytes",
                            "Largest evidence file, in bytes, that actions.complete() accepts.",
                            "Larger files are refused with SQLSTATE 22023.",
                            &pg_actions::pg::evidence_max_bytes, 10 * 1024 * 1024, 0, 1024 * 1024 * 1024,
                            PGC_SUSET, 0, nullptr, nullptr, nullptr);
    DefineCustomIntVariable("pg_actions.bulk_max_ids",
                            "Most action ids one call of a bulk function (actions.bulk_*) accepts.",
                            "A larger array is refused with SQLSTATE 54000; split it into several calls.",
                            &pg_actions::pg::bulk_max_ids, 10000, 1, 1000000, PGC_SUSET, 0, nullptr, nullptr,
                            nullptr);
    DefineCustomIntVariable("pg_actions.sweep_batch_size",
                            "Most items one call of a maintenance sweep takes on (actions.mark_overdue() and the others).",
                            "Each call locks and works through at most this many actions, schedules, documents or "
                            "workspaces; the rest wait for the next call (actions.maintenance_status shows the backlog).",
                            &pg_actions::pg::sweep_batch_size, 500, 1, 1000000, PGC_SUSET, 0, nullptr, nullptr,
                            nullptr);
    DefineCustomBoolVariable("pg_actions.sweep_skip_locked",
                             "Whether a maintenance sweep skips the actions another transaction holds instead of waiting.",
                             "actions.run_maintenance() turns it on for its tasks: the pg_cron job then never waits "
                             "for an API call's row lock while holding its earlier tasks' locks (the skipped actions "
                             "are taken by the next run).",
                             &pg_actions::pg::sweep_skip_locked, false, PGC_USERSET, 0, nullptr, nullptr, nullptr);
    DefineCustomStringVariable("pg_actions.identity",
                               "Internal, Citus: the identity the coordinator carries to the workers with a transaction.",
                               "A token pg_actions on the coordinator signs under the cluster secret and sets with SET "
                               "LOCAL, which Citus sends to the workers. A worker acts as it says only when it is valid for "
                               "the role and the distributed transaction, and refuses it otherwise (42501): setting it "
                               "by hand impersonates nobody.",
                               &pg_actions::pg::identity_token, "", PGC_USERSET, GUC_NOT_IN_SAMPLE, nullptr, nullptr,
                               nullptr);
    DefineCustomIntVariable("pg_actions.identity_lifetime",
                            "How long the identity a Citus coordinator carries to its workers is valid.",
                            "A worker refuses a token made longer ago than this (by the coordinator's clock; the "
                            "nodes' clocks must agree well within it); the coordinator makes a new one for a "
                            "transaction once half of it is over.",
                            &pg_actions::pg::identity_lifetime, 300, 2, 86400, PGC_SUSET, GUC_UNIT_S, nullptr, nullptr,
                            nullptr);
    pg_actions::pg::install_identity_carrier();
    pg_actions::pg::store::install_log_planning();
    // No other pg_actions.* name exists: a hand-set one is refused instead of silently ignored.
    MarkGUCPrefixReserved("pg_actions");
}
