// What the identity a Citus coordinator carries to its workers needs from the database and from
// Citus (identity/carried.cpp, docs/security.md "Identity on Citus"): the cluster secret, Citus'
// distributed transaction id, and the SET LOCAL that Citus sends to every worker of a transaction.
#pragma once

#include "pg/boundary/postgres.hpp"

#include <optional>
#include <string>

#include "core/identity.hpp"

namespace pg_actions::pg::store {

// The cluster secret (actions.cluster_secret, a reference table on Citus: this node's copy, read
// by index, no SQL, so a worker may ask inside a query on a shard); nullopt when there is none (a
// single node, or actions.distribute() has not run) or it is shorter than core::cluster_key_min.
// Snapshot: the latest committed data. Locks: AccessShareLock on the table (or its shard).
std::optional<std::string> cluster_key();

// This backend's Citus distributed transaction (pg_catalog.get_current_transaction_id(), called
// through the function manager: no SQL); number 0 when there is none or Citus is not installed.
core::DistributedTransaction distributed_transaction();

// On the coordinator: gives this transaction its Citus distributed transaction id now, as its
// first distributed statement would (Citus' EnsureDistributedTransactionId(): the one function
// of Citus' C API the library calls, looked up by name in citus.so; 0A000 when it is not there).
void begin_distributed_transaction();

// SET LOCAL pg_actions.identity = token, made while citus.propagate_set_commands is 'local' (for
// that statement only), so Citus sends it to the workers this transaction uses, now and later.
// Takes effect only in a transaction block (Citus propagates SET LOCAL only there). Needs an SpiScope.
void carry_identity_token(const std::string& token);

}  // namespace pg_actions::pg::store
