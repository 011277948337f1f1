// actions.seal_ledger(), actions.seal_ledgers() and actions.ledger_digest(): a seal commits to
// the chain heads of a workspace that changed since the previous seal (found through the log's
// BRIN index on `at`, so sealing reads only what is new) and chains to that seal. Writers never
// touch the ledger: sealing takes no lock they wait for.
#include "pg/boundary/postgres.hpp"

#include <algorithm>
#include <unordered_map>
#include <vector>

#include "core/ledger.hpp"
#include "core/log_chain.hpp"
#include "pg/api/bulk_rows.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/store/ledger_store.hpp"
#include "pg/store/log_store.hpp"
#include "pg/store/sweep_errors.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

using store::StoredSeal;

// Leaves in one row of actions.ledger_leaf.
constexpr std::size_t leaves_per_row = 10000;

void require_workspace(std::int64_t workspace_id) {
    if (!store::workspace_exists(workspace_id))
        throw PgError(ERRCODE_NO_DATA_FOUND, "workspace " + std::to_string(workspace_id) + " not found", "",
                      "list the workspaces in actions.workspace");
}

// Seals the workspace if anything changed since its newest seal (or it has none); returns the
// newest seal afterwards (seal_no 0: none).
StoredSeal seal(std::int64_t workspace_id) {
    if (IsolationUsesXactSnapshot())
        throw PgError(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                      "a ledger seal needs a READ COMMITTED transaction",
                      "its horizon is taken after the transaction's snapshot, which REPEATABLE READ fixes earlier",
                      "run it on its own (autocommit), as the maintenance job does");
    require_workspace(workspace_id);
    // One sealer per workspace at a time; writers never take this lock.
    store::lock_sealer(workspace_id);
    std::optional<StoredSeal> prev = store::newest_seal(workspace_id);

    // Every entry dated before the horizon is visible to the next statement's snapshot or was
    // sealed before: a transaction still running started after it. A prepared transaction's start
    // is not known, so while one exists the horizon stays where it was.
    store::SealClock clock = store::seal_clock(core::horizon_margin_us);
    core::Seal next;
    next.workspace_id = workspace_id;
    next.seal_no = prev ? prev->seal.seal_no + 1 : 1;
    next.horizon_us = clock.horizon_us.value_or(prev ? prev->seal.horizon_us : DT_NOBEGIN);
    next.sealed_at_us = clock.now_us;
    next.prev = prev ? prev->hash : core::zero_hash;
    if (prev && next.horizon_us < prev->seal.horizon_us) next.horizon_us = prev->seal.horizon_us;

    // The chains whose head moved past what the ledger holds: all of them for the first seal,
    // afterwards those with an entry dated after the previous seal's horizon, less the heads a
    // seal that read the log after that horizon already holds (a chain that did not move since).
    std::optional<store::RowStream<core::Leaf>> candidates;
    if (prev) candidates.emplace(store::moved_chain_stream(workspace_id, prev->seal.horizon_us));
    else candidates.emplace(store::heads_stream(workspace_id));
    // After the candidates' snapshot: the next seals skip what this one holds by this time.
    std::int64_t read_until = guard([]() -> std::int64_t { return GetCurrentTimestamp(); });
    // The heads held are read only when a chain moved: a workspace with nothing new (most of them,
    // for the maintenance job) costs one probe of the log.
    std::unordered_map<std::int64_t, std::int32_t> held;
    if (prev && candidates->peek()) held = store::heads_held_since(workspace_id, prev->seal.horizon_us);
    // The new leaves in action_id order: the Merkle root over them, and rows of up to 10,000.
    core::MerkleTree tree;
    std::vector<core::Leaf> chunk;
    std::int32_t chunks = 0;
    while (const core::Leaf* l = candidates->peek()) {
        check_for_interrupts();
        auto h = held.find(l->action_id);
        if (h == held.end() || l->seq > h->second) {
            tree.add(*l);
            chunk.push_back(*l);
            if (chunk.size() == leaves_per_row) {
                store::insert_leaf_chunk(workspace_id, next.seal_no, ++chunks, chunk, read_until);
                chunk.clear();
            }
        }
        candidates->pop();
    }
    candidates->close();
    if (prev && tree.size() == 0) return *prev;  // nothing new: the newest seal still holds
    if (!chunk.empty()) store::insert_leaf_chunk(workspace_id, next.seal_no, ++chunks, chunk, read_until);

    next.leaf_count = static_cast<std::int64_t>(tree.size());
    next.root = tree.root();
    core::Hash hash = core::seal_hash(next);
    store::insert_seal(next, hash);
    return StoredSeal{next, hash};
}

std::int64_t workspace_arg(FunctionCallInfo fcinfo) {
    if (PG_ARGISNULL(0))
        throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "workspace_id must not be null", "",
                      "pass the workspace to seal");
    return PG_GETARG_INT64(0);
}

}  // namespace

PG_ACTIONS_FUNCTION(pg_actions_seal_ledger) {
    std::int64_t workspace_id = workspace_arg(fcinfo);
    SpiScope spi;
    StoredSeal s = seal(workspace_id);
    return Int64GetDatum(s.seal.seal_no);
}

// Every workspace, for the maintenance job: how many new seals were made.
PG_ACTIONS_FUNCTION(pg_actions_seal_ledgers) {
    SpiScope spi;
    std::vector<std::int64_t> ids = store::all_workspace_ids();
    // Each workspace in its own subtransaction: one whose seal fails unexpectedly is recorded
    // (actions.maintenance_error) and the others are sealed.
    std::int64_t made = 0;
    SweepItems items("seal_ledgers");
    for (std::int64_t id : ids) {
        check_for_interrupts();
        bool sealed = false;
        Caught error{};
        if (!in_subtransaction(
                [&] {
                    std::optional<StoredSeal> newest = store::newest_seal(id);
                    std::int64_t before = newest ? newest->seal.seal_no : 0;
                    sealed = seal(id).seal.seal_no != before;
                },
                &error)) {
            items.failed(id, "workspace", id, error.code, error.message);
            continue;
        }
        items.succeeded();
        if (sealed) made++;
    }
    items.finish();
    return Int64GetDatum(made);
}

PG_ACTIONS_FUNCTION(pg_actions_ledger_digest) {
    std::int64_t workspace_id = workspace_arg(fcinfo);
    SpiScope spi;
    StoredSeal s = seal(workspace_id);
    spi.finish();
    std::string json = core::digest_json(s.seal, s.hash);
    const char* text = json.c_str();
    return guard([&]() -> Datum { return DirectFunctionCall1(jsonb_in, CStringGetDatum(text)); });
}
