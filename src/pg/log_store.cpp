#include "log_store.hpp"

extern "C" {
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "executor/executor.h"
#include "nodes/makefuncs.h"
}

#include "spi.hpp"

namespace pg_actions::pg {

namespace {

// Plain C below: PostgreSQL calls only, no C++ object alive, run inside guard().

Oid log_table(const char* name) {
    return get_relname_relid(name, get_namespace_oid("actions", false));
}

Datum hash_datum(const core::Hash& h) {
    bytea* b = static_cast<bytea*>(palloc(VARHDRSZ + h.size()));
    SET_VARSIZE(b, VARHDRSZ + h.size());
    memcpy(VARDATA(b), h.data(), h.size());
    return PointerGetDatum(b);
}

// Inserts a row, or replaces the row at `old_tid` when given, and maintains every index the way
// the executor does (expression and partial indexes included).
void store(const char* table, int natts, Datum* values, bool* nulls, ItemPointer old_tid) {
    Oid relid = log_table(table);
    if (!OidIsValid(relid)) elog(ERROR, "pg_actions: table actions.%s is missing", table);
    Relation rel = table_open(relid, RowExclusiveLock);
    if (RelationGetDescr(rel)->natts != natts)
        ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                        errmsg("actions.%s does not have the shape pg_actions writes", table),
                        errdetail("expected %d columns, found %d", natts, RelationGetDescr(rel)->natts),
                        errhint("the log tables belong to the extension; do not add or drop their columns")));
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
}

}  // namespace

Head read_head(std::int64_t workspace_id, std::int64_t action_id) {
    static Statement q("SELECT seq, hash, ctid FROM actions.activity_head "
                       "WHERE workspace_id = $1 AND action_id = $2",
                       {INT8OID, INT8OID});
    Datum key[2] = {Int64GetDatum(workspace_id), Int64GetDatum(action_id)};
    Head h;
    if (q.run(key, nullptr, false, 1) != 1) return h;
    h.found = true;
    h.seq = get_int32(0, 1);
    bool isnull;
    Datum hash = get_datum(0, 2, &isnull);
    Datum tid = get_datum(0, 3, &isnull);
    core::Hash* out = &h.hash;
    ItemPointer tid_out = &h.tid;
    guard([&] {
        bytea* b = DatumGetByteaPP(hash);
        if (VARSIZE_ANY_EXHDR(b) == out->size()) memcpy(out->data(), VARDATA_ANY(b), out->size());
        ItemPointerCopy(reinterpret_cast<ItemPointer>(DatumGetPointer(tid)), tid_out);
    });
    return h;
}

void append_entry(const core::Entry& e, Datum detail, const core::Hash& prev, const core::Hash& hash) {
    Datum event = text_datum(e.event);
    Datum old_value = e.old_value ? text_datum(*e.old_value) : 0;
    Datum new_value = e.new_value ? text_datum(*e.new_value) : 0;
    const char* role = e.db_role.c_str();
    guard([&] {
        Datum values[12] = {Int64GetDatum(e.workspace_id), Int64GetDatum(e.action_id), Int32GetDatum(e.seq),
                            event, old_value, new_value, detail,
                            Int64GetDatum(e.actor_id.value_or(0)),
                            DirectFunctionCall1(namein, CStringGetDatum(role)), TimestampTzGetDatum(e.at_us),
                            hash_datum(prev), hash_datum(hash)};
        bool nulls[12] = {false, false, false, false, !e.old_value, !e.new_value, detail == 0,
                          !e.actor_id, false, false, false, false};
        store("activity", 12, values, nulls, nullptr);
    });
}

void write_head(std::int64_t workspace_id, std::int64_t action_id, const Head& old, std::int32_t seq,
                const core::Hash& hash) {
    ItemPointerData tid = old.tid;
    bool replace = old.found;
    guard([&] {
        Datum values[4] = {Int64GetDatum(workspace_id), Int64GetDatum(action_id), Int32GetDatum(seq),
                           hash_datum(hash)};
        bool nulls[4] = {false, false, false, false};
        store("activity_head", 4, values, nulls, replace ? &tid : nullptr);
    });
}

}  // namespace pg_actions::pg
