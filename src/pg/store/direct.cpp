// Index lookups, a row lock and table writes through PostgreSQL's table and index APIs, for the
// hot paths and the questions that run no SQL (see direct.hpp).
#include "pg/boundary/module.hpp"
#include "pg/store/direct.hpp"

#include "pg/boundary/compat.hpp"

extern "C" {
#include "access/genam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "executor/executor.h"
#include "utils/datum.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/snapmgr.h"
}

namespace pg_actions::pg::direct {

namespace {

// OIDs of our tables and indexes and the attribute numbers of their columns, looked up once and
// forgotten on any relation cache invalidation (DDL, or the extension being dropped and created
// again). Open-addressed tables keyed by the name's pointer (the callers pass string literals, so
// a name is one pointer; the same text at another address is an entry of its own), so a lookup is
// a hash and a compare or two. Full at three quarters: emptied and refilled.
struct Cached {
    const char* name;  // nullptr: a free slot
    Oid oid;
};
struct CachedColumn {
    Oid relid;
    const char* name;  // nullptr: a free slot
    AttrNumber attno;
};
constexpr int relation_slots = 128;
constexpr int column_slots = 2048;
Cached relations[relation_slots];
int relation_count = 0;
CachedColumn columns[column_slots];
int column_count = 0;
bool callback_registered = false;

std::size_t slot_of(const void* p, std::uint32_t extra, int slots) {
    std::uint64_t h = reinterpret_cast<std::uintptr_t>(p) * 0x9E3779B97F4A7C15ull ^ (extra * 0xC2B2AE3D27D4EB4Full);
    return static_cast<std::size_t>(h >> 40) & static_cast<std::size_t>(slots - 1);
}

void forget(Datum, Oid) {
    if (relation_count) memset(relations, 0, sizeof(relations));
    if (column_count) memset(columns, 0, sizeof(columns));
    relation_count = 0;
    column_count = 0;
}

void watch() {
    if (callback_registered) return;
    on_relation_invalidation(forget);
    callback_registered = true;
}

}  // namespace

Oid relation(const char* name) {
    watch();
    std::size_t i = slot_of(name, 0, relation_slots);
    for (; relations[i].name != nullptr; i = (i + 1) & (relation_slots - 1))
        if (relations[i].name == name) return relations[i].oid;
    Oid oid = get_relname_relid(name, get_namespace_oid("actions", false));
    if (!OidIsValid(oid)) return oid;
    if (relation_count >= relation_slots * 3 / 4) {
        forget(0, InvalidOid);
        i = slot_of(name, 0, relation_slots);
    }
    relations[i] = {name, oid};
    relation_count++;
    return oid;
}

namespace {

Oid required(const char* name) {
    Oid oid = relation(name);
    if (!OidIsValid(oid))
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT), errmsg("actions.%s is missing", name),
                        errhint("reinstall the extension: DROP EXTENSION pg_actions; CREATE EXTENSION pg_actions")));
    return oid;
}

AttrNumber column(Oid relid, const char* name) {
    std::size_t i = slot_of(name, relid, column_slots);
    for (; columns[i].name != nullptr; i = (i + 1) & (column_slots - 1))
        if (columns[i].relid == relid && columns[i].name == name) return columns[i].attno;
    AttrNumber attno = get_attnum(relid, name);
    if (attno == InvalidAttrNumber) elog(ERROR, "pg_actions: column %s is missing", name);
    if (column_count >= column_slots * 3 / 4) {
        forget(0, InvalidOid);
        i = slot_of(name, relid, column_slots);
    }
    columns[i] = {relid, name, attno};
    column_count++;
    return attno;
}

}  // namespace

namespace {

// An index scan over the leading columns of an index, as systable_beginscan() runs one, except
// that the locks it takes stay until the transaction ends: a question asked a million times in
// one query then takes each lock once instead of a million times.
struct IndexScan {
    Relation rel;
    Relation irel;
    Snapshot snapshot;
    IndexScanDesc scan;
    TupleTableSlot* slot;

    std::int64_t shard_id = 0;  // the shard read, 0 for the table itself
    bool open = true;           // false: no local shard is left to read (a lookup by id on Citus)

    // write: the caller locks a row it found (lock_latest).
    IndexScan(const char* table, const char* index, Rows rows, int nkeys, const Key* keys, bool as_of_statement,
              bool write = false) {
        if (nkeys > 4) elog(ERROR, "pg_actions: too many lookup keys");
        // The table itself, or on Citus the workspace's local shard (for a lookup by id, the next
        // local shard: see shards.hpp); resolved again when an invalidation came in while the
        // relations were locked (a shard moved meanwhile).
        for (int attempt = 0;; attempt++) {
            std::uint64_t generation = shards::generation();
            shards::Local at = shards::resolve(required(table), table, required(index), index, rows, write);
            if (!OidIsValid(at.table)) {
                open = false;
                return;
            }
            shard_id = at.shard_id;
            if (at.shard_id && write) shards::lock_for_write(at.shard_id);
            // A row locked to be written: the table's lock for a write first, as the write will
            // take it, so that a LOCK TABLE in between (rebuild_service_levels) waits for this
            // transaction instead of deadlocking with it.
            rel = table_open(at.table, write ? RowExclusiveLock : AccessShareLock);
            irel = index_open(at.index, AccessShareLock);
            if (generation == shards::generation() || attempt == 3) break;
            index_close(irel, NoLock);
            table_close(rel, NoLock);
        }
        Oid relid = RelationGetRelid(rel);
        ScanKeyData scankeys[4];
        for (int i = 0; i < nkeys; i++) {
            if (rows.kind == Rows::workspace && keys[i].column && strcmp(keys[i].column, "workspace_id") == 0 &&
                DatumGetInt64(keys[i].value) != rows.workspace_id)
                ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                                errmsg("a read of actions.%s for workspace " INT64_FORMAT " looks up workspace " INT64_FORMAT,
                                       table, static_cast<int64>(rows.workspace_id),
                                       static_cast<int64>(DatumGetInt64(keys[i].value))),
                                errhint("this is a bug of pg_actions: each read names the workspace it reads")));
            // A null column names an expression of the index (lower(email)): the caller passes the
            // expression's value.
            if (i >= irel->rd_index->indnkeyatts ||
                irel->rd_index->indkey.values[i] != (keys[i].column ? column(relid, keys[i].column) : 0))
                elog(ERROR, "pg_actions: %s is not column %d of index %s", keys[i].column ? keys[i].column : "(expression)", i + 1, index);
            ScanKeyInit(&scankeys[i], i + 1, keys[i].strategy, keys[i].eq, keys[i].value);
            scankeys[i].sk_collation = irel->rd_indcollation[i];
        }
        snapshot = RegisterSnapshot(as_of_statement && ActiveSnapshotSet() ? GetActiveSnapshot() : GetLatestSnapshot());
        scan = compat::index_beginscan(rel, irel, snapshot, nkeys, 0);
        index_rescan(scan, scankeys, nkeys, nullptr, 0);
        slot = table_slot_create(rel, nullptr);
    }
    bool next() { return open && index_getnext_slot(scan, ForwardScanDirection, slot); }
    // Whether a lookup by id reads one more local shard after this one.
    bool more(Rows& rows) const {
        if (rows.kind != Rows::by_id || !shard_id) return false;
        rows.after_shard = shard_id;
        return true;
    }
    void end() {
        if (!open) return;
        ExecDropSingleTupleTableSlot(slot);
        index_endscan(scan);
        UnregisterSnapshot(snapshot);
        index_close(irel, NoLock);
        table_close(rel, NoLock);
    }
};

// Columns cols of the row in a slot into out/nulls, values by reference copied into the current
// memory context (the slot's buffer is released with the scan): the slot deforms the row once, up
// to the last column asked for.
void copy_columns(TupleTableSlot* slot, Relation rel, int ncols, const char* const* cols, Datum* out, bool* nulls) {
    TupleDesc desc = RelationGetDescr(rel);
    for (int i = 0; i < ncols; i++) {
        AttrNumber attno = column(RelationGetRelid(rel), cols[i]);
        Form_pg_attribute att = TupleDescAttr(desc, attno - 1);
        Datum d = slot_getattr(slot, attno, &nulls[i]);
        out[i] = nulls[i] ? (Datum)0 : datumCopy(d, att->attbyval, att->attlen);
    }
}

}  // namespace

bool lookup(const char* table, const char* index, Rows rows, int nkeys, const Key* keys, int ncols,
            const char* const* cols, Datum* out, bool* nulls, ItemPointer tid, bool as_of_statement) {
    // One relation on a single node; on Citus a lookup by id reads the local shards up to the first hit.
    for (;;) {
        IndexScan s(table, index, rows, nkeys, keys, as_of_statement);
        bool hit = s.next();
        if (hit) {
            copy_columns(s.slot, s.rel, ncols, cols, out, nulls);
            if (tid) ItemPointerCopy(&s.slot->tts_tid, tid);
        }
        s.end();
        if (hit || !s.more(rows)) return hit;
    }
}

bool lock_latest(const char* table, const char* index, Rows rows, int nkeys, const Key* keys, int ncols,
                 const char* const* cols, Datum* out, bool* nulls, ItemPointer tid, bool skip_locked) {
    IndexScan s(table, index, rows, nkeys, keys, false, true);
    bool hit = s.next();
    ItemPointerData found;
    if (hit) ItemPointerCopy(&s.slot->tts_tid, &found);
    bool locked = false;
    if (hit) {
        TupleTableSlot* slot = table_slot_create(s.rel, nullptr);
        TM_FailureData tmfd;
        // Waits for a writer of the row, then follows its update chain to the newest version.
        TM_Result r = table_tuple_lock(s.rel, &found, s.snapshot, slot, GetCurrentCommandId(false), LockTupleExclusive,
                                       skip_locked ? LockWaitSkip : LockWaitBlock, TUPLE_LOCK_FLAG_FIND_LAST_VERSION, &tmfd);
        if (r == TM_Ok) {
            if (tmfd.traversed && IsolationUsesXactSnapshot())
                ereport(ERROR, (errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
                                errmsg("could not serialize access due to concurrent update")));
            locked = true;
            copy_columns(slot, s.rel, ncols, cols, out, nulls);
            ItemPointerCopy(&slot->tts_tid, tid);
        } else if (r != TM_Deleted && !(skip_locked && r == TM_WouldBlock)) {
            elog(ERROR, "pg_actions: unexpected result %d locking a row of actions.%s", static_cast<int>(r), table);
        }
        ExecDropSingleTupleTableSlot(slot);
    }
    s.end();
    return locked;
}

int scan_int64(const char* table, const char* index, Rows rows, int nkeys, const Key* keys, const char* col,
               std::int64_t** out) {
    int capacity = 8, count = 0;
    std::int64_t* values = static_cast<std::int64_t*>(palloc(sizeof(std::int64_t) * capacity));
    // One relation on a single node; on Citus a lookup by id reads every local shard.
    for (bool more = true; more;) {
        IndexScan s(table, index, rows, nkeys, keys, false);
        AttrNumber attno = s.open ? column(RelationGetRelid(s.rel), col) : InvalidAttrNumber;
        while (s.next()) {
            bool isnull;
            Datum d = slot_getattr(s.slot, attno, &isnull);
            if (isnull) continue;
            if (count == capacity) {
                capacity *= 2;
                values = static_cast<std::int64_t*>(repalloc(values, sizeof(std::int64_t) * capacity));
            }
            values[count++] = DatumGetInt64(d);
        }
        s.end();
        more = s.more(rows);
    }
    *out = values;
    return count;
}

int scan_rows(const char* table, const char* index, Rows rows, int nkeys, const Key* keys, int ncols,
              const char* const* cols, Datum** out, bool** nulls) {
    if (ncols > 8) elog(ERROR, "pg_actions: too many columns");
    int capacity = 8, count = 0;
    Datum* values = static_cast<Datum*>(palloc(sizeof(Datum) * capacity * ncols));
    bool* isnull = static_cast<bool*>(palloc(sizeof(bool) * capacity * ncols));
    // One relation on a single node; on Citus a lookup by id reads every local shard.
    for (bool more = true; more;) {
        IndexScan s(table, index, rows, nkeys, keys, false);
        AttrNumber attnos[8];
        if (s.open)
            for (int c = 0; c < ncols; c++) attnos[c] = column(RelationGetRelid(s.rel), cols[c]);
        TupleDesc desc = s.open ? RelationGetDescr(s.rel) : nullptr;
        while (s.next()) {
            if (count == capacity) {
                capacity *= 2;
                values = static_cast<Datum*>(repalloc(values, sizeof(Datum) * capacity * ncols));
                isnull = static_cast<bool*>(repalloc(isnull, sizeof(bool) * capacity * ncols));
            }
            for (int c = 0; c < ncols; c++) {
                Form_pg_attribute att = TupleDescAttr(desc, attnos[c] - 1);
                Datum d = slot_getattr(s.slot, attnos[c], &isnull[count * ncols + c]);
                values[count * ncols + c] = isnull[count * ncols + c] ? (Datum)0 : datumCopy(d, att->attbyval, att->attlen);
            }
            count++;
        }
        s.end();
        more = s.more(rows);
    }
    *out = values;
    *nulls = isnull;
    return count;
}

void store(const char* table, Rows rows, int natts, const Column* columns, Datum* values, bool* nulls,
           ItemPointer old_tid) {
    // The row's workspace is the one resolved: a row may not land in another workspace's shard.
    for (int i = 0; i < natts; i++)
        if (rows.kind == Rows::workspace && strcmp(columns[i].name, "workspace_id") == 0 &&
            (nulls[i] || DatumGetInt64(values[i]) != rows.workspace_id))
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("a row of actions.%s written for workspace " INT64_FORMAT " names another workspace",
                                   table, static_cast<int64>(rows.workspace_id)),
                            errhint("this is a bug of pg_actions: a row goes where its workspace is placed")));
    Relation rel;
    for (int attempt = 0;; attempt++) {
        std::uint64_t generation = shards::generation();
        shards::Local at = shards::resolve(required(table), table, InvalidOid, nullptr, rows, true);
        if (at.shard_id) shards::lock_for_write(at.shard_id);
        rel = table_open(at.table, RowExclusiveLock);
        if (generation == shards::generation() || attempt == 3) break;
        table_close(rel, NoLock);
    }
    TupleDesc desc = RelationGetDescr(rel);
    if (desc->natts != natts)
        ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                        errmsg("actions.%s does not have the shape pg_actions writes", table),
                        errdetail("expected %d columns, found %d", natts, desc->natts),
                        errhint("the table belongs to the extension; do not add or drop its columns")));
    for (int i = 0; i < natts; i++) {
        Form_pg_attribute att = TupleDescAttr(desc, i);
        if (att->attisdropped || strcmp(NameStr(att->attname), columns[i].name) != 0 || att->atttypid != columns[i].type)
            ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                            errmsg("actions.%s does not have the shape pg_actions writes", table),
                            errdetail("column %d is \"%s\" of type %s, expected \"%s\" of type %s", i + 1,
                                      att->attisdropped ? "(dropped)" : NameStr(att->attname),
                                      format_type_be(att->atttypid), columns[i].name, format_type_be(columns[i].type)),
                            errhint("the table belongs to the extension; do not change its columns")));
    }
    EState* estate = CreateExecutorState();
    ResultRelInfo* rri = makeNode(ResultRelInfo);
    InitResultRelInfo(rri, rel, 1, nullptr, 0);
    ExecOpenIndices(rri, false);
    TupleTableSlot* slot = ExecInitExtraTupleSlot(estate, RelationGetDescr(rel), &TTSOpsHeapTuple);
    ExecStoreHeapTuple(heap_form_tuple(RelationGetDescr(rel), values, nulls), slot, false);
    // update = false for the executor: the flag only feeds the "index unchanged" hint, which would
    // need a range table this bare EState does not have; the entries inserted are the same.
    compat::store_tuple(rel, rri, estate, slot, old_tid);
    ExecCloseIndices(rri);
    ExecDropSingleTupleTableSlot(slot);
    FreeExecutorState(estate);
    table_close(rel, NoLock);
    // Later reads in this same command (and in this transaction) see the row.
    CommandCounterIncrement();
}

}  // namespace pg_actions::pg::direct
