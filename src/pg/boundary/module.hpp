// Module-wide settings (GUCs) defined in _PG_init.
#pragma once

namespace pg_actions::pg {

// pg_actions.evidence_max_bytes: the largest evidence file complete() accepts.
extern int evidence_max_bytes;
// pg_actions.bulk_max_ids: the most ids one call of a bulk function accepts (api/bulk.cpp).
extern int bulk_max_ids;
// pg_actions.sweep_batch_size: the most items one call of a maintenance sweep takes on (its batch):
// actions, schedules, documents or workspaces, each in its own subtransaction.
extern int sweep_batch_size;
// pg_actions.sweep_skip_locked: a sweep skips the actions another transaction holds instead of
// waiting for them (actions.run_maintenance() sets it for its tasks).
extern bool sweep_skip_locked;

}  // namespace pg_actions::pg
