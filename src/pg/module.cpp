#include "postgres.hpp"

#include "module.hpp"

extern "C" {
PG_MODULE_MAGIC;
void _PG_init(void);
}

namespace pg_actions::pg {
int evidence_max_bytes = 10 * 1024 * 1024;
}

void _PG_init(void) {
    DefineCustomIntVariable("pg_actions.evidence_max_bytes",
                            "Largest evidence file, in bytes, that actions.complete() accepts.",
                            "Larger files are refused with SQLSTATE 22023.",
                            &pg_actions::pg::evidence_max_bytes, 10 * 1024 * 1024, 0, 1024 * 1024 * 1024,
                            PGC_SUSET, 0, nullptr, nullptr, nullptr);
    // No other pg_actions.* name exists: a hand-set one is refused instead of silently ignored.
    MarkGUCPrefixReserved("pg_actions");
}
