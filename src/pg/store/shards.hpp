// Where the rows of one of our tables are on this node, for the direct table and index access of
// store/direct.hpp. On a single node (no Citus, or a table Citus does not manage) it is the table
// itself. On Citus a table distributed by workspace_id holds nothing on any node (a shell): the
// rows of a workspace are in the local shard of its placement, actions.<table>_<shardid>, found
// here from Citus' own metadata (pg_dist_partition, pg_dist_shard, pg_dist_placement,
// pg_dist_local_group), read through the catalog API: the library does not link against Citus.
// What is read is cached per backend and forgotten on any relation cache invalidation (Citus sends
// one for the table when its shards or placements change: a move, a split, DROP/CREATE EXTENSION).
// Plain C calls only: meant to run inside guard().
#pragma once

#include "pg/boundary/postgres.hpp"

#include <cstdint>
#include <optional>

namespace pg_actions::pg::shards {

// Whose rows a direct access reads or writes.
struct Rows {
    enum Kind : char {
        workspace,  // a per-workspace table: the rows of workspace_id
        global,     // a table of no workspace (a reference table on Citus)
        by_id,      // a lookup by an id alone that finds the workspace: the local shards of a distributed table
    } kind;
    std::int64_t workspace_id;
    // by_id: the local shard read before (0: none yet); the next one is resolved after it.
    std::int64_t after_shard = 0;
};

// The relation and index to open for the rows: the table and index themselves, or the local
// shard's. shard_id: the shard's id, 0 when the table itself is returned.
struct Local {
    Oid table;
    Oid index;
    std::int64_t shard_id;
};

// Resolves actions.<table_name> (OID table) and its index (OID index, or InvalidOid for none) for
// the rows. write: the caller writes or locks rows; a write to a reference table is refused (it
// would skip the copies on the other nodes). Errors (SQLSTATE 55000) when the workspace's shard
// is not placed on this node, with the node that holds it in the detail; (0A000) when a write by
// id alone or a read of no workspace reaches a distributed table, or a write a reference table.
//
// A lookup by id alone (Rows::by_id) on a table distributed by workspace_id reads every shard of
// the table placed on this node, one after the other: each call returns the first local shard
// whose id is above rows.after_shard, and {InvalidOid, InvalidOid, 0} when none is left (at once
// on the coordinator, which holds no shards; never the shell). That is the right answer because
// on Citus every call for a workspace runs on the node holding the workspace (the routing of
// actions.distribute()), and row-level security is evaluated on the node of each row's shard:
// the memberships, groups, party records and offers of a person that matter for a row or a call
// are those of that row's or call's workspace, colocated with it on this node. Rows of other
// workspaces found here answer questions nobody asks of them. On a table Citus does not
// distribute, the table itself (shard_id 0: the caller stops there, as on a single node).
Local resolve(Oid table, const char* table_name, Oid index, const char* index_name, Rows rows, bool write);

// Whether this node is the coordinator of a Citus cluster over which actions.distribute() spread
// the tables (its group is 0 and actions.workspace is distributed); false without Citus. Read once
// per relation cache invalidation.
bool on_distributed_coordinator();

// On Citus: a workspace id (one that need not exist) whose shard of actions.workspace is placed on
// the node of this group, so a distributed function called with it runs there; nullopt when no
// shard is placed on that group (or the group is the coordinator's, 0, or Citus is not there).
// Each worker allocates identity values from (group << 48) + 1 on (actions.distribute()), so
// an id says which node made its row.
std::optional<std::int64_t> workspace_value_on(std::int32_t group);
// On Citus: the groups of the workers holding shards of actions.workspace, in order, into out
// (at most max of them); returns how many (0 elsewhere).
int workspace_groups(std::int32_t* out, int max);
// On Citus: a workspace value placed on the first of those groups (workspace_value_on), where a
// call may be sent that must run on some worker; nullopt without workers holding shards.
std::optional<std::int64_t> any_workspace_value();

// Whether this node is a Citus worker (its group in pg_dist_local_group above 0); false without
// Citus and on the coordinator. Read once per relation cache invalidation.
bool on_citus_worker();

// Bumped on every relation cache invalidation. A caller that resolved, then opened and locked the
// relations, compares it with the value read before resolving: a change means the placement may
// have moved meanwhile, so it resolves again.
std::uint64_t generation();

// Takes the lock Citus' executor takes before it writes to a shard (ShareLock on the shard's
// metadata), so a shard move, which takes it in ExclusiveLock mode on every node, waits for this
// transaction, and this transaction for a move under way. Held until the transaction ends.
void lock_for_write(std::int64_t shard_id);

// The name Citus gives the shard of a table or index: name_<shardid>, or, when that would not
// fit in NAMEDATALEN - 1 bytes, the name clipped, a hash of it and _<shardid> (Citus'
// AppendShardIdToName). Written into out (NAMEDATALEN bytes).
void shard_name(const char* name, std::int64_t shard_id, char* out);

}  // namespace pg_actions::pg::shards
