// Module-wide settings (GUCs) defined in _PG_init.
#pragma once

namespace pg_actions::pg {

// pg_actions.evidence_max_bytes: the largest evidence file complete() accepts.
extern int evidence_max_bytes;
// pg_actions.bulk_max_ids: the most ids one call of a bulk function accepts (api/bulk.cpp).
extern int bulk_max_ids;

}  // namespace pg_actions::pg
