// Facts kept across statements: the lock and the relcache invalidations that tell when they no
// longer hold (see kept_memo.hpp; docs/design.md, "Snapshots and locks").
#include "pg/boundary/module.hpp"
#include "pg/boundary/kept_memo.hpp"

extern "C" {
#include "catalog/namespace.h"
#include "catalog/pg_extension.h"
#include "storage/lock.h"
#include "utils/inval.h"
}

#include <array>

#include "pg/boundary/boundary.hpp"

namespace pg_actions::pg {

namespace {

// The tables the kept facts are read from.
constexpr std::array<const char*, 4> kept_tables = {"role", "member", "group", "group_member"};

std::uint64_t generation = 1;
bool callback_registered = false;
std::array<Oid, kept_tables.size()> kept_oids{};  // resolved when kept facts are first used

void on_relcache_invalidation(Datum, Oid relid) {
    if (!OidIsValid(relid)) {
        generation++;
        return;
    }
    for (Oid oid : kept_oids)
        if (oid == relid) {
            generation++;
            return;
        }
}

// One lock object of this database that no PostgreSQL command takes: pg_extension's object 0,
// with a sub-id of our own.
LOCKTAG kept_lock_tag() {
    LOCKTAG tag;
    SET_LOCKTAG_OBJECT(tag, MyDatabaseId, ExtensionRelationId, InvalidOid, 0x6b65);
    return tag;
}

// The kept tables' oids, looked up again after any invalidation of them (a DROP and CREATE
// EXTENSION gives them new ones).
void resolve_kept_tables() {
    guard([] {
        Oid schema = get_namespace_oid("actions", true);
        for (std::size_t i = 0; i < kept_tables.size(); i++)
            kept_oids[i] = OidIsValid(schema) ? get_relname_relid(kept_tables[i], schema) : InvalidOid;
    });
}

}  // namespace

bool kept_facts_usable() {
    if (!callback_registered) {
        guard([] { on_relation_invalidation(on_relcache_invalidation); });
        callback_registered = true;
        generation++;
    }
    bool free = guard([] {
        LOCKTAG tag = kept_lock_tag();
        if (LockAcquire(&tag, ShareLock, false, true) == LOCKACQUIRE_NOT_AVAIL) return false;
        LockRelease(&tag, ShareLock, false);
        // Every writer that committed before the lock was free has sent its invalidation.
        AcceptInvalidationMessages();
        return true;
    });
    return free;
}

std::uint64_t kept_facts_generation() { return generation; }

void kept_facts_written(Relation rel) {
    guard([rel] {
        LOCKTAG tag = kept_lock_tag();
        (void)LockAcquire(&tag, RowExclusiveLock, false, false);
        CacheInvalidateRelcache(rel);
    });
}

bool KeptStamp::moved_on(std::int64_t for_owner) {
    if (valid && generation == kept_facts_generation() && owner == for_owner) return false;
    if (!valid || generation != kept_facts_generation()) resolve_kept_tables();
    generation = kept_facts_generation();
    owner = for_owner;
    valid = true;
    return true;
}

}  // namespace pg_actions::pg
