// Direct access to the extension's own tables through PostgreSQL's table, index and executor
// APIs, for the hot paths where running SQL would cost a parse-analyse-plan-execute cycle per row.
// Plain C calls only: every function here is meant to run inside guard().
#pragma once

#include "pg/boundary/postgres.hpp"

#include <cstdint>

#include "access/stratnum.h"

#include "pg/store/shards.hpp"

namespace pg_actions::pg::direct {

// Whose rows each call reads or writes, so that on Citus it opens the local shard holding them
// (store/shards.hpp); on a single node the table itself, as before.
using Rows = shards::Rows;
// The rows of a workspace, in a per-workspace table.
constexpr Rows of(std::int64_t workspace_id) { return {Rows::workspace, workspace_id}; }
// A table of no workspace (person, trusted_service: reference tables on Citus, read locally).
inline constexpr Rows global{Rows::global, 0};
// A lookup by an id alone in a per-workspace table, to find the workspace: on Citus, where the
// table is distributed, it reads every shard of the table placed on this node (lookup(): up to the
// first hit), which holds every row a call routed here may ask about (see shards.hpp); nothing on
// the coordinator. A write or row lock by id alone is refused there (SQLSTATE 0A000).
inline constexpr Rows by_id{Rows::by_id, 0};

// OID of actions.<name> (a table or an index); InvalidOid when missing.
Oid relation(const char* name);

struct Key {
    const char* column;  // nullptr: the index's expression at this position
    RegProcedure eq;    // comparison function, e.g. F_INT8EQ (F_INT4GT with BTGreaterStrategyNumber)
    Datum value;
    // Equality, or for scan_rows' last key a range: the rows after a value (BTGreaterStrategyNumber)
    StrategyNumber strategy = BTEqualStrategyNumber;
};

// Looks up the row that a unique index matches with the latest committed data (plus this
// transaction's earlier commands). On a hit, copies columns `cols` into out/nulls and its
// location into *tid (when tid is not null). Datums by reference live in CurrentMemoryContext.
// as_of_statement: read with the running statement's snapshot instead, as a question asked
// many times in one query does (a STABLE function's view).
bool lookup(const char* table, const char* index, Rows rows, int nkeys, const Key* keys, int ncols,
            const char* const* cols, Datum* out, bool* nulls, ItemPointer tid, bool as_of_statement = false);

// Like lookup(), but the row is locked FOR UPDATE first: waits for a transaction writing it, then
// reads the newest version (in REPEATABLE READ and above, a row changed since the snapshot is a
// serialization failure). false: no such row, or it was deleted meanwhile, or (skip_locked: FOR
// UPDATE SKIP LOCKED) another transaction holds it. *tid is where the locked version is, for store().
// The caller writes the row it locks: the table is opened with RowExclusiveLock, the write's lock.
bool lock_latest(const char* table, const char* index, Rows rows, int nkeys, const Key* keys, int ncols, const char* const* cols,
                 Datum* out, bool* nulls, ItemPointer tid, bool skip_locked = false);

// Every int8 value of column `col` in the rows an index matches on its leading columns, with the
// latest committed data; a palloc'd array in *out (NULLs skipped). Returns how many.
int scan_int64(const char* table, const char* index, Rows rows, int nkeys, const Key* keys, const char* col,
               std::int64_t** out);

// Every row an index matches on its leading columns (latest committed data): columns `cols` of
// each, copied into palloc'd arrays *out and *nulls of rows x ncols. Returns the row count.
int scan_rows(const char* table, const char* index, Rows rows, int nkeys, const Key* keys, int ncols,
              const char* const* cols, Datum** out, bool** nulls);

// A column the caller writes, in table order: its name and type.
struct Column {
    const char* name;
    Oid type;
};
// Inserts a row, or replaces the row at old_tid, maintaining every index as the executor does.
// columns: the table's columns as the caller writes them, in order; a table of another shape
// (a column added, dropped, renamed, retyped or moved) is refused before anything is written.
// Fires no triggers: only for tables whose rows no one else may write.
// On Citus the row goes into the workspace's local shard, under the lock Citus' executor takes for
// a write (a direct write to a reference table is refused).
void store(const char* table, Rows rows, int natts, const Column* columns, Datum* values, bool* nulls, ItemPointer old_tid);

}  // namespace pg_actions::pg::direct
