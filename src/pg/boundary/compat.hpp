// Every difference between the PostgreSQL versions pg_actions builds against (15, 16, 17 and 18),
// in one place, like Citus's pg_version_compat.h: the rest of the glue calls these and holds no
// version test of its own.
#pragma once

#include "pg/boundary/postgres.hpp"

extern "C" {
#include "access/genam.h"
#include "access/tableam.h"
#include "catalog/dependency.h"
#include "catalog/pg_class.h"
#include "catalog/pg_proc.h"
#include "executor/executor.h"
#include "nodes/nodeFuncs.h"
#include "utils/acl.h"
}

#if PG_VERSION_NUM < 150000 || PG_VERSION_NUM >= 190000
#error "pg_actions builds against PostgreSQL 15, 16, 17 and 18"
#endif

namespace pg_actions::pg::compat {

// This backend's local transaction id (MyProc->vxid.lxid from 17 on, commit ab355e3a88).
inline LocalTransactionId local_xid() {
#if PG_VERSION_NUM >= 170000
    return MyProc->vxid.lxid;
#else
    return MyProc->lxid;
#endif
}

// An index scan without instrumentation (18 added the argument, commit 0fbceae841).
inline IndexScanDesc index_beginscan(Relation heap, Relation index, Snapshot snapshot, int nkeys, int norderbys) {
#if PG_VERSION_NUM >= 180000
    return ::index_beginscan(heap, index, snapshot, nullptr, nkeys, norderbys);
#else
    return ::index_beginscan(heap, index, snapshot, nkeys, norderbys);
#endif
}

// Inserts the tuple in slot, or replaces the one at old_tid, and makes the index entries the
// executor would. From 16 on an update says which indexes need entries (HOT updates may still
// need the summarizing ones, commit 19d8e2308b); before, only whether any do.
inline void store_tuple(Relation rel, ResultRelInfo* rri, EState* estate, TupleTableSlot* slot, ItemPointer old_tid) {
#if PG_VERSION_NUM >= 160000
    TU_UpdateIndexes update_indexes = TU_All;
    if (old_tid)
        simple_table_tuple_update(rel, old_tid, slot, InvalidSnapshot, &update_indexes);
    else
        simple_table_tuple_insert(rel, slot);
    if (update_indexes != TU_None && rri->ri_NumIndices > 0)
        ExecInsertIndexTuples(rri, slot, estate, false, false, nullptr, NIL, update_indexes == TU_Summarizing);
#else
    bool update_indexes = true;
    if (old_tid)
        simple_table_tuple_update(rel, old_tid, slot, InvalidSnapshot, &update_indexes);
    else
        simple_table_tuple_insert(rel, slot);
    if (update_indexes && rri->ri_NumIndices > 0) ExecInsertIndexTuples(rri, slot, estate, false, false, nullptr, NIL);
#endif
}

// Whether role may EXECUTE the function (16 replaced pg_proc_aclcheck with object_aclcheck).
inline bool may_execute(Oid function, Oid role) {
#if PG_VERSION_NUM >= 160000
    return ::object_aclcheck(ProcedureRelationId, function, role, ACL_EXECUTE) == ACLCHECK_OK;
#else
    return ::pg_proc_aclcheck(function, role, ACL_EXECUTE) == ACLCHECK_OK;
#endif
}

// expression_tree_walker with a typed walker (16 made the function a macro over
// expression_tree_walker_impl, which takes one; before, the walker was a bool (*)()).
using ExpressionWalker = bool (*)(Node* node, void* context);
inline bool walk_expression(Node* node, ExpressionWalker walker, void* context) {
#if PG_VERSION_NUM >= 160000
    return ::expression_tree_walker_impl(node, walker, context);
#else
    return ::expression_tree_walker(node, reinterpret_cast<bool (*)()>(reinterpret_cast<void (*)()>(walker)), context);
#endif
}

// The sequence of an identity column (17 takes the relation, for partitioned tables; before, its OID).
inline Oid identity_sequence(Relation rel, AttrNumber attnum) {
#if PG_VERSION_NUM >= 170000
    return ::getIdentitySequence(rel, attnum, true);
#else
    return ::getIdentitySequence(RelationGetRelid(rel), attnum, true);
#endif
}

// Whether the role has the privileges of the relation's owner (16 replaced pg_class_ownercheck by
// object_ownercheck, commit afbfc02983).
inline bool owns_relation(Oid relid, Oid role) {
#if PG_VERSION_NUM >= 160000
    return ::object_ownercheck(RelationRelationId, relid, role);
#else
    return ::pg_class_ownercheck(relid, role);
#endif
}

}  // namespace pg_actions::pg::compat
