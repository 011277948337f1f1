// Module-wide settings (GUCs) defined in _PG_init.
#pragma once

#include "pg/boundary/postgres.hpp"

extern "C" {
#include "utils/inval.h"
}

namespace pg_actions::pg {

// Calls fn(arg, relid) on every relation cache invalidation, as CacheRegisterRelcacheCallback
// would. PostgreSQL allows a backend 10 relcache callbacks in all and Citus takes 5 of them, so
// pg_actions registers one (in _PG_init) and calls each listener from it. Registering the same fn
// twice registers it once; more than 8 listeners is an error. Plain C.
void on_relation_invalidation(RelcacheCallbackFunction fn);

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
// pg_actions.identity: on a Citus worker, the identity the coordinator carried with the
// transaction (a signed token, identity/actor.cpp); "" for none.
extern char* identity_token;
// pg_actions.identity_lifetime: how long a carried identity token is valid, in seconds.
extern int identity_lifetime;

}  // namespace pg_actions::pg
