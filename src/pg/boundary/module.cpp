// The module: _PG_init, the pg_actions.* setting, and the transaction and subtransaction
// callbacks that reset backend state (docs/design.md, "Snapshots and locks").
#include "pg/boundary/postgres.hpp"

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

}  // namespace

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
