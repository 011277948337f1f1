#include "direct.hpp"

extern "C" {
#include "access/genam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "executor/executor.h"
#include "utils/snapmgr.h"
}

namespace pg_actions::pg::direct {

Oid relation(const char* name) {
    return get_relname_relid(name, get_namespace_oid("actions", false));
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
    AttrNumber attno = get_attnum(relid, name);
    if (attno == InvalidAttrNumber) elog(ERROR, "pg_actions: column %s is missing", name);
    return attno;
}

}  // namespace

bool lookup(const char* table, const char* index, int nkeys, const Key* keys, int ncols,
            const char* const* cols, Datum* out, bool* nulls, ItemPointer tid) {
    Oid relid = required(table);
    Relation rel = table_open(relid, AccessShareLock);
    ScanKeyData scankeys[4];
    if (nkeys > 4) elog(ERROR, "pg_actions: too many lookup keys");
    for (int i = 0; i < nkeys; i++)
        ScanKeyInit(&scankeys[i], column(relid, keys[i].column), BTEqualStrategyNumber, keys[i].eq, keys[i].value);
    Snapshot snapshot = RegisterSnapshot(GetLatestSnapshot());
    SysScanDesc scan = systable_beginscan(rel, required(index), true, snapshot, nkeys, scankeys);
    HeapTuple found = systable_getnext(scan);
    bool hit = HeapTupleIsValid(found);
    if (hit) {
        HeapTuple copy = heap_copytuple(found);
        for (int i = 0; i < ncols; i++)
            out[i] = heap_getattr(copy, column(relid, cols[i]), RelationGetDescr(rel), &nulls[i]);
        if (tid) ItemPointerCopy(&found->t_self, tid);
    }
    systable_endscan(scan);
    UnregisterSnapshot(snapshot);
    table_close(rel, AccessShareLock);
    return hit;
}

int scan_int64(const char* table, const char* index, int nkeys, const Key* keys, const char* col,
               std::int64_t** out) {
    Oid relid = required(table);
    Relation rel = table_open(relid, AccessShareLock);
    ScanKeyData scankeys[4];
    if (nkeys > 4) elog(ERROR, "pg_actions: too many lookup keys");
    for (int i = 0; i < nkeys; i++)
        ScanKeyInit(&scankeys[i], column(relid, keys[i].column), BTEqualStrategyNumber, keys[i].eq, keys[i].value);
    AttrNumber attno = column(relid, col);
    Snapshot snapshot = RegisterSnapshot(GetLatestSnapshot());
    SysScanDesc scan = systable_beginscan(rel, required(index), true, snapshot, nkeys, scankeys);
    int capacity = 8, count = 0;
    std::int64_t* values = static_cast<std::int64_t*>(palloc(sizeof(std::int64_t) * capacity));
    for (HeapTuple t; HeapTupleIsValid(t = systable_getnext(scan));) {
        bool isnull;
        Datum d = heap_getattr(t, attno, RelationGetDescr(rel), &isnull);
        if (isnull) continue;
        if (count == capacity) {
            capacity *= 2;
            values = static_cast<std::int64_t*>(repalloc(values, sizeof(std::int64_t) * capacity));
        }
        values[count++] = DatumGetInt64(d);
    }
    systable_endscan(scan);
    UnregisterSnapshot(snapshot);
    table_close(rel, AccessShareLock);
    *out = values;
    return count;
}

void store(const char* table, int natts, Datum* values, bool* nulls, ItemPointer old_tid) {
    Relation rel = table_open(required(table), RowExclusiveLock);
    if (RelationGetDescr(rel)->natts != natts)
        ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                        errmsg("actions.%s does not have the shape pg_actions writes", table),
                        errdetail("expected %d columns, found %d", natts, RelationGetDescr(rel)->natts),
                        errhint("the table belongs to the extension; do not add or drop its columns")));
    EState* estate = CreateExecutorState();
    ResultRelInfo* rri = makeNode(ResultRelInfo);
    InitResultRelInfo(rri, rel, 1, nullptr, 0);
    ExecOpenIndices(rri, false);
    TupleTableSlot* slot = ExecInitExtraTupleSlot(estate, RelationGetDescr(rel), &TTSOpsHeapTuple);
    ExecStoreHeapTuple(heap_form_tuple(RelationGetDescr(rel), values, nulls), slot, false);
    bool update_indexes = true;
    if (old_tid)
        simple_table_tuple_update(rel, old_tid, slot, InvalidSnapshot, &update_indexes);
    else
        simple_table_tuple_insert(rel, slot);
    // update = false: the flag only feeds the "index unchanged" hint, which would need a range
    // table this bare EState does not have; the entries inserted are the same.
    if (update_indexes && rri->ri_NumIndices > 0)
        ExecInsertIndexTuples(rri, slot, estate, false, false, nullptr, NIL);
    ExecCloseIndices(rri);
    ExecDropSingleTupleTableSlot(slot);
    FreeExecutorState(estate);
    table_close(rel, NoLock);
    // Later reads in this same command (and in this transaction) see the row.
    CommandCounterIncrement();
}

}  // namespace pg_actions::pg::direct
