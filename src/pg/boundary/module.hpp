// Module-wide settings (GUCs) defined in _PG_init.
#pragma once

namespace pg_actions::pg {

// pg_actions.evidence_max_bytes: the largest evidence file complete() accepts.
extern int evidence_max_bytes;

}  // namespace pg_actions::pg
