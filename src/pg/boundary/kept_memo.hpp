// Facts kept across statements and transactions: what the eligibility questions read from the
// membership tables (actions.role, member, group, group_member), kept in backend memory together
// with an invalidation every writer of those tables sends (docs/design.md, "Snapshots and locks").
//
// A writer's statement-level trigger (kept_facts_written) takes the kept-facts lock in ROW
// EXCLUSIVE mode for the rest of its transaction and registers a relcache invalidation of the
// table: PostgreSQL sends it to every backend at commit, before the writer's locks are released,
// and applies it in the writer's own backend at its next command (and, undone, at a rollback).
// A reader (kept_facts_usable) first tries the lock in SHARE mode without waiting and releases it
// at once: when another transaction holds it, that transaction wrote a kept table and may have
// committed without its invalidation sent yet, so the caller reads afresh; otherwise it applies
// the pending invalidations, and kept_facts_generation() tells whether what it kept still holds.
#pragma once

#include "pg/boundary/postgres.hpp"

#include <cstdint>

namespace pg_actions::pg {

// Whether kept facts may be used for this call (see above). Applies pending invalidations.
bool kept_facts_usable();

// Advances whenever one of the kept tables' relcache entry is invalidated, and on an
// invalidation of everything (InvalidOid): facts stamped with an older value are dropped.
std::uint64_t kept_facts_generation();

// For the writers' trigger: the lock and the invalidation of `rel` (a kept table).
void kept_facts_written(Relation rel);

// What a kept memo was built for: the generation and its owner (a workspace).
struct KeptStamp {
    std::uint64_t generation = 0;
    std::int64_t owner = 0;
    bool valid = false;
    // Records where we are now; true when that differs from the last call, and what was kept must
    // be forgotten.
    bool moved_on(std::int64_t for_owner);
};

}  // namespace pg_actions::pg
