// The local shard of a workspace's rows, from Citus' metadata read through the catalog API, cached
// until the next relation cache invalidation (see shards.hpp).
#include "pg/boundary/module.hpp"
#include "pg/store/shards.hpp"

extern "C" {
#include "access/genam.h"
#include "access/table.h"
#include "catalog/index.h"
#include "catalog/namespace.h"
#include "catalog/pg_namespace.h"
#include "commands/extension.h"
#include "common/hashfn.h"
#include "mb/pg_wchar.h"
#include "nodes/primnodes.h"
#include "storage/lmgr.h"
#include "storage/lock.h"
#include "utils/fmgrprotos.h"
#include "utils/inval.h"
#include "utils/memutils.h"
}

#include <algorithm>

namespace pg_actions::pg::shards {

namespace {

// Citus' lock class for a shard's metadata (ADV_LOCKTAG_CLASS_CITUS_SHARD_METADATA in its
// resource_lock.h): an advisory lock tag of (database, shard id high, shard id low, 4).
constexpr uint16 shard_metadata_lock_class = 4;
// Citus' placement state of a healthy placement (SHARD_STATE_ACTIVE).
constexpr int32 placement_active = 1;

struct Shard {
    std::int64_t id;
    int32 min, max;  // the hash range it holds
    int32 group;     // the group of a placement: this node's when it has one
    bool local;      // placed on this node
    Oid relid;       // the shard relation here, looked up on first use
};
// What Citus makes of a table: p not in its metadata (the table itself), h hash-distributed,
// r reference table, s one shard (a Citus local table, a single-shard table).
struct Table {
    Oid relid;
    char kind;
    int nshards;
    Shard* shards;  // sorted as pg_dist_shard returns them; searched by range
};
struct ShardIndex {
    Oid shard, index, shard_index;
};

MemoryContext cache_context = nullptr;
std::uint64_t invalidations = 0;
Table tables[48];
int table_count = 0;
ShardIndex shard_indexes[512];
int shard_index_count = 0;
bool callback_registered = false;

void forget(Datum, Oid) {
    invalidations++;
    table_count = 0;
    shard_index_count = 0;
    if (cache_context) MemoryContextReset(cache_context);
}

void watch() {
    if (callback_registered) return;
    cache_context = AllocSetContextCreate(CacheMemoryContext, "pg_actions shards", ALLOCSET_SMALL_SIZES);
    on_relation_invalidation(forget);
    callback_registered = true;
}

Oid catalog(const char* name) { return get_relname_relid(name, PG_CATALOG_NAMESPACE); }

// Scans a Citus catalog, by an index when one is named, for rows whose column equals value.
template <typename Row>
void scan(const char* catalog_name, const char* index_name, const char* column, RegProcedure eq, Datum value, Row row) {
    Relation rel = table_open(catalog(catalog_name), AccessShareLock);
    ScanKeyData key;
    int nkeys = 0;
    if (column) {
        ScanKeyInit(&key, get_attnum(RelationGetRelid(rel), column), BTEqualStrategyNumber, eq, value);
        nkeys = 1;
    }
    Oid index = index_name ? catalog(index_name) : InvalidOid;
    SysScanDesc s = systable_beginscan(rel, index, OidIsValid(index), nullptr, nkeys, nkeys ? &key : nullptr);
    for (HeapTuple t; HeapTupleIsValid(t = systable_getnext(s));) row(rel, t);
    systable_endscan(s);
    table_close(rel, AccessShareLock);
}

Datum field(Relation rel, HeapTuple t, const char* column, bool* isnull) {
    return heap_getattr(t, get_attnum(RelationGetRelid(rel), column), RelationGetDescr(rel), isnull);
}

// This node's group (pg_dist_local_group), or -1 when Citus is not installed in this database.
int32 local_group() {
    if (!OidIsValid(get_extension_oid("citus", true)) || !OidIsValid(catalog("pg_dist_partition"))) return -1;
    int32 group = -1;
    scan("pg_dist_local_group", nullptr, nullptr, InvalidOid, (Datum)0, [&](Relation rel, HeapTuple t) {
        bool isnull;
        Datum d = field(rel, t, "groupid", &isnull);
        if (!isnull) group = DatumGetInt32(d);
    });
    return group;
}

int32 bound(Relation rel, HeapTuple t, const char* column) {
    bool isnull;
    Datum d = field(rel, t, column, &isnull);
    return isnull ? 0 : pg_strtoint32(TextDatumGetCString(d));
}

// What Citus' metadata says of the table, in CurrentMemoryContext.
Table describe(Oid relid, const char* table_name) {
    Table t{relid, 'p', 0, nullptr};
    int32 group = local_group();
    if (group < 0) return t;
    char method = 0, model = 0;
    int16 partition_column = 0;
    scan("pg_dist_partition", "pg_dist_partition_logical_relid_index", "logicalrelid", F_OIDEQ, ObjectIdGetDatum(relid),
         [&](Relation rel, HeapTuple tuple) {
             bool isnull;
             method = DatumGetChar(field(rel, tuple, "partmethod", &isnull));
             model = DatumGetChar(field(rel, tuple, "repmodel", &isnull));
             Datum key = field(rel, tuple, "partkey", &isnull);
             if (!isnull) {
                 Node* node = static_cast<Node*>(stringToNode(TextDatumGetCString(key)));
                 if (IsA(node, Var)) partition_column = reinterpret_cast<Var*>(node)->varattno;
             }
         });
    if (method == 0) return t;  // not in Citus' metadata: the table itself holds its rows
    if (method == 'h') {
        if (partition_column != get_attnum(relid, "workspace_id"))
            ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                            errmsg("actions.%s is distributed by another column than workspace_id", table_name),
                            errhint("distribute pg_actions' tables with actions.distribute()")));
        t.kind = 'h';
    } else if (method == 'n') {
        t.kind = model == 't' ? 'r' : 's';
    } else {
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("actions.%s is distributed by range or append, which pg_actions does not support", table_name),
                        errhint("distribute pg_actions' tables with actions.distribute()")));
    }
    int capacity = 8;
    t.shards = static_cast<Shard*>(palloc(sizeof(Shard) * capacity));
    scan("pg_dist_shard", "pg_dist_shard_logical_relid_index", "logicalrelid", F_OIDEQ, ObjectIdGetDatum(relid),
         [&](Relation rel, HeapTuple tuple) {
             if (t.nshards == capacity) t.shards = static_cast<Shard*>(repalloc(t.shards, sizeof(Shard) * (capacity *= 2)));
             bool isnull;
             Shard& s = t.shards[t.nshards++];
             s = {DatumGetInt64(field(rel, tuple, "shardid", &isnull)), 0, 0, -1, false, InvalidOid};
             if (t.kind == 'h') {
                 s.min = bound(rel, tuple, "shardminvalue");
                 s.max = bound(rel, tuple, "shardmaxvalue");
             }
         });
    for (int i = 0; i < t.nshards; i++) {
        Shard& s = t.shards[i];
        scan("pg_dist_placement", "pg_dist_placement_shardid_index", "shardid", F_INT8EQ, Int64GetDatum(s.id),
             [&](Relation rel, HeapTuple tuple) {
                 bool isnull;
                 if (DatumGetInt32(field(rel, tuple, "shardstate", &isnull)) != placement_active) return;
                 int32 g = DatumGetInt32(field(rel, tuple, "groupid", &isnull));
                 if (g == group) s.local = true;
                 if (s.group < 0 || g == group) s.group = g;
             });
    }
    return t;
}

// The node of a group, for a message: host:port, or the group number when it has no node.
char* node_of(int32 group) {
    char* out = psprintf("group %d", group);
    scan("pg_dist_node", nullptr, nullptr, InvalidOid, (Datum)0, [&](Relation rel, HeapTuple t) {
        bool isnull;
        if (DatumGetInt32(field(rel, t, "groupid", &isnull)) != group) return;
        char* name = TextDatumGetCString(field(rel, t, "nodename", &isnull));
        out = psprintf("%s:%d (group %d)", name, DatumGetInt32(field(rel, t, "nodeport", &isnull)), group);
    });
    return out;
}

// The cached description of a table; described now (and cached when no invalidation came in
// while Citus' catalogs were read) when it is not cached. A copy: an invalidation may come in
// while the caller opens relations.
Table table_of(Oid relid, const char* table_name) {
    for (int i = 0; i < table_count; i++)
        if (tables[i].relid == relid) return tables[i];
    std::uint64_t before = invalidations;
    Table t = describe(relid, table_name);
    if (before == invalidations && table_count < static_cast<int>(lengthof(tables))) {
        Table kept = t;
        if (t.nshards) {
            kept.shards = static_cast<Shard*>(MemoryContextAlloc(cache_context, sizeof(Shard) * t.nshards));
            memcpy(kept.shards, t.shards, sizeof(Shard) * t.nshards);
        }
        tables[table_count++] = kept;
    }
    return t;
}

// The shard relation's OID, looked up by Citus' name for it, and remembered in the cache.
Oid shard_relation(Oid relid, const char* table_name, const Shard& s) {
    if (OidIsValid(s.relid)) return s.relid;
    char name[NAMEDATALEN];
    shard_name(table_name, s.id, name);
    std::uint64_t before = invalidations;
    Oid shard = get_relname_relid(name, get_rel_namespace(relid));
    if (!OidIsValid(shard))
        ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                        errmsg("shard %s of actions.%s is placed on this node but missing", name, table_name),
                        errhint("check the placement with SELECT * FROM citus_shards WHERE shardid = " INT64_FORMAT,
                                static_cast<int64>(s.id))));
    if (before == invalidations)
        for (int i = 0; i < table_count; i++)
            if (tables[i].relid == relid)
                for (int k = 0; k < tables[i].nshards; k++)
                    if (tables[i].shards[k].id == s.id) tables[i].shards[k].relid = shard;
    return shard;
}

Oid shard_index(Oid shard, std::int64_t shard_id, Oid index, const char* index_name) {
    for (int i = 0; i < shard_index_count; i++)
        if (shard_indexes[i].shard == shard && shard_indexes[i].index == index) return shard_indexes[i].shard_index;
    char name[NAMEDATALEN];
    shard_name(index_name, shard_id, name);
    std::uint64_t before = invalidations;
    Oid found = get_relname_relid(name, get_rel_namespace(shard));
    if (!OidIsValid(found) || IndexGetRelation(found, true) != shard)
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT),
                        errmsg("index %s of shard %s is missing", name, get_rel_name(shard)),
                        errhint("the shard's indexes are Citus' copies of actions.%s's: recreate the index on the "
                                "distributed table", index_name)));
    if (before == invalidations && shard_index_count < static_cast<int>(lengthof(shard_indexes)))
        shard_indexes[shard_index_count++] = {shard, index, found};
    return found;
}

[[noreturn]] void not_placed(const char* table_name, const Rows& rows, const Shard& s) {
    char* node = node_of(s.group);
    if (rows.kind == Rows::workspace)
        ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                        errmsg("workspace " INT64_FORMAT " of actions.%s is not placed on this node",
                               static_cast<int64>(rows.workspace_id), table_name),
                        errdetail("Its shard " INT64_FORMAT " is on node %s.", static_cast<int64>(s.id), node),
                        errhint("Call pg_actions through the coordinator, which runs each call on the node holding "
                                "the workspace.")));
    ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                    errmsg("actions.%s has no placement on this node", table_name),
                    errdetail("Its shard " INT64_FORMAT " is on node %s.", static_cast<int64>(s.id), node),
                    errhint("Call pg_actions through the coordinator.")));
}

}  // namespace

Local resolve(Oid table, const char* table_name, Oid index, const char* index_name, Rows rows, bool write) {
    watch();
    Table t = table_of(table, table_name);
    if (t.kind == 'p') return {table, index, 0};
    if (t.kind == 'r' && write)
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("a direct write to actions.%s, a reference table, would skip its copies on the other nodes",
                               table_name),
                        errhint("pg_actions writes its reference tables with SQL, which Citus replicates; this is a bug "
                                "of pg_actions")));
    const Shard* s = nullptr;
    if (t.kind == 'h') {
        if (rows.kind == Rows::by_id && !write) {
            // The local shard with the least id above the one read before (see shards.hpp).
            for (int i = 0; i < t.nshards; i++)
                if (t.shards[i].local && t.shards[i].id > rows.after_shard && (!s || t.shards[i].id < s->id)) s = &t.shards[i];
            if (!s) return {InvalidOid, InvalidOid, 0};
            Shard shard = *s;  // a copy: the cache may be reset by any catalog read from here on
            Oid relid = shard_relation(table, table_name, shard);
            return {relid, OidIsValid(index) ? shard_index(relid, shard.id, index, index_name) : InvalidOid, shard.id};
        }
        if (rows.kind != Rows::workspace)
            ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                            errmsg("actions.%s is distributed by workspace_id, and this %s names no workspace", table_name,
                                   rows.kind == Rows::by_id ? "write by id" : "read"),
                            errhint("On Citus a distributed table is written by workspace, on the node holding it.")));
        int32 hash = DatumGetInt32(DirectFunctionCall1(hashint8, Int64GetDatum(rows.workspace_id)));
        for (int i = 0; i < t.nshards && !s; i++)
            if (t.shards[i].min <= hash && hash <= t.shards[i].max) s = &t.shards[i];
    } else if (rows.kind == Rows::by_id && rows.after_shard != 0) {
        return {InvalidOid, InvalidOid, 0};  // a table of one shard, read already
    } else if (t.nshards > 0) {
        s = &t.shards[0];
    }
    if (!s)
        ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                        errmsg("no shard of actions.%s holds workspace " INT64_FORMAT, table_name,
                               static_cast<int64>(rows.workspace_id)),
                        errhint("check the table's shards: SELECT * FROM citus_shards WHERE table_name = "
                                "'actions.%s'::regclass", table_name)));
    Shard shard = *s;  // a copy: the cache may be reset by any catalog read from here on
    if (!shard.local) not_placed(table_name, rows, shard);
    Oid relid = shard_relation(table, table_name, shard);
    Oid idx = OidIsValid(index) ? shard_index(relid, shard.id, index, index_name) : InvalidOid;
    return {relid, idx, shard.id};
}

std::uint64_t generation() { return invalidations; }

namespace {

// This node's place in a Citus cluster, read once per relation cache invalidation.
struct NodeRole {
    bool worker = false;                   // a worker: its group above 0
    bool distributed_coordinator = false;  // group 0, and actions.workspace distributed
};

NodeRole node_role() {
    static std::uint64_t read_at = 0;
    static NodeRole role;
    watch();
    if (read_at != invalidations + 1) {
        role = NodeRole{};
        int32 group = local_group();
        role.worker = group > 0;
        if (group == 0) {
            Oid workspace = get_relname_relid("workspace", get_namespace_oid("actions", true));
            role.distributed_coordinator = OidIsValid(workspace) && describe(workspace, "workspace").kind == 'h';
        }
        read_at = invalidations + 1;
    }
    return role;
}

}  // namespace

bool on_distributed_coordinator() { return node_role().distributed_coordinator; }

int workspace_groups(std::int32_t* out, int max) {
    int n = 0;
    watch();
    Oid relid = get_relname_relid("workspace", get_namespace_oid("actions", true));
    if (!OidIsValid(relid)) return 0;
    Table t = table_of(relid, "workspace");
    if (t.kind != 'h') return 0;
    for (int i = 0; i < t.nshards && n < max; i++)
        if (t.shards[i].group > 0 && std::find(out, out + n, t.shards[i].group) == out + n) out[n++] = t.shards[i].group;
    std::sort(out, out + n);
    return n;
}

std::optional<std::int64_t> workspace_value_on(std::int32_t group) {
    if (group <= 0) return std::nullopt;
    watch();
    Oid relid = get_relname_relid("workspace", get_namespace_oid("actions", true));
    if (!OidIsValid(relid)) return std::nullopt;
    Table t = table_of(relid, "workspace");
    if (t.kind != 'h') return std::nullopt;
    for (int i = 0; i < t.nshards; i++) {
        const Shard& s = t.shards[i];
        if (s.group != group) continue;
        // Citus places a bigint by hashint8 (the type's standard hash function); a shard's range
        // is a 2^32 / shard count slice of it, so a value falls in it within a few tries.
        for (std::int64_t v = 1; v <= 1000000; v++) {
            int32 h = DatumGetInt32(DirectFunctionCall1(hashint8, Int64GetDatum(v)));
            if (h >= s.min && h <= s.max) return v;
        }
    }
    return std::nullopt;
}

std::optional<std::int64_t> any_workspace_value() {
    std::int32_t group = 0;
    return workspace_groups(&group, 1) == 0 ? std::nullopt : workspace_value_on(group);
}

bool on_citus_worker() { return node_role().worker; }

void lock_for_write(std::int64_t shard_id) {
    LOCKTAG tag;
    SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, static_cast<uint32>(static_cast<uint64>(shard_id) >> 32),
                         static_cast<uint32>(shard_id), shard_metadata_lock_class);
    (void)LockAcquire(&tag, ShareLock, false, false);
}

void shard_name(const char* name, std::int64_t shard_id, char* out) {
    char suffix[NAMEDATALEN];
    snprintf(suffix, sizeof(suffix), "_" UINT64_FORMAT, static_cast<uint64>(shard_id));
    int length = static_cast<int>(strlen(name));
    int suffix_length = static_cast<int>(strlen(suffix));
    if (length < NAMEDATALEN - suffix_length) {
        snprintf(out, NAMEDATALEN, "%s%s", name, suffix);
        return;
    }
    // As Citus' AppendShardIdToName: clipped at a character boundary, _, 8 hex digits of the
    // name's hash_any, then _<shardid>.
    uint32 hash = hash_bytes(reinterpret_cast<const unsigned char*>(name), length);
    int clip = pg_mbcliplen(name, length, NAMEDATALEN - suffix_length - 10);
    snprintf(out, NAMEDATALEN, "%.*s_%.8x%s", clip, name, hash, suffix);
}

}  // namespace pg_actions::pg::shards
