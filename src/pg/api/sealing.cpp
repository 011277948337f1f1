// actions.seal_ledger(), actions.seal_ledgers() and actions.ledger_digest(): a seal commits to
// the chain heads of a workspace that changed since the previous seal (found through the log's
// BRIN index on `at`, so sealing reads only what is new) and chains to that seal. Writers never
// touch the ledger: sealing takes no lock they wait for.
#include "pg/boundary/postgres.hpp"

#include "core/ledger.hpp"
#include "core/log_chain.hpp"
#include "pg/api/bulk_rows.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/store/sweep_errors.hpp"
#include "pg/store/log_store.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

struct Sealed {
    core::Seal seal;
    core::Hash hash{};
    bool found = false;
};

Sealed newest_seal(std::int64_t workspace_id) {
    static Statement q(
        "SELECT seal_no, sealed_at, horizon, leaf_count, root, prev_hash, hash FROM actions.ledger_seal "
        "WHERE workspace_id = $1 ORDER BY seal_no DESC LIMIT 1",
        {INT8OID});
    Datum args[1] = {Int64GetDatum(workspace_id)};
    Sealed s;
    s.seal.workspace_id = workspace_id;
    if (q.run(args, nullptr, 1) == 0) return s;
    s.found = true;
    s.seal.seal_no = get_int64(0, 1);
    s.seal.sealed_at_us = get_timestamptz(0, 2).value_or(0);
    s.seal.horizon_us = get_timestamptz(0, 3).value_or(0);
    s.seal.leaf_count = get_int64(0, 4);
    s.seal.root = get_hash(0, 5);
    s.seal.prev = get_hash(0, 6);
    s.hash = get_hash(0, 7);
    return s;
}

void require_workspace(std::int64_t workspace_id) {
    static Statement q("SELECT 1 FROM actions.workspace WHERE workspace_id = $1", {INT8OID});
    Datum args[1] = {Int64GetDatum(workspace_id)};
    if (q.run(args, nullptr, 1) == 0)
        throw PgError(ERRCODE_NO_DATA_FOUND, "workspace " + std::to_string(workspace_id) + " not found", "",
                      "list the workspaces in actions.workspace");
}

// Seals the workspace if anything changed since its newest seal (or it has none); returns the
// newest seal afterwards.
Sealed seal(std::int64_t workspace_id) {
    if (IsolationUsesXactSnapshot())
        throw PgError(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                      "a ledger seal needs a READ COMMITTED transaction",
                      "its horizon is taken after the transaction's snapshot, which REPEATABLE READ fixes earlier",
                      "run it on its own (autocommit), as the maintenance job does");
    require_workspace(workspace_id);
    // One sealer per workspace at a time; writers never take this lock.
    static Statement lock("SELECT pg_catalog.pg_advisory_xact_lock(1885430113, ($1 % 2147483647)::integer)",
                          {INT8OID});
    Datum args[1] = {Int64GetDatum(workspace_id)};
    lock.run(args, nullptr);
    Sealed prev = newest_seal(workspace_id);

    // Every entry dated before the horizon is visible to the next statement's snapshot or was
    // sealed before: a transaction still running started after it. A prepared transaction's start
    // is not known, so while one exists the horizon stays where it was (NULL here).
    static Statement horizon_q(
        "SELECT CASE WHEN EXISTS (SELECT FROM pg_catalog.pg_prepared_xacts) THEN NULL ELSE "
        "LEAST(pg_catalog.now(), (SELECT pg_catalog.min(xact_start) FROM pg_catalog.pg_stat_activity)) "
        "- $1 * interval '1 microsecond' END, pg_catalog.now()",
        {INT8OID});
    Datum margin[1] = {Int64GetDatum(core::horizon_margin_us)};
    horizon_q.run(margin, nullptr, 1);
    core::Seal next;
    next.workspace_id = workspace_id;
    next.seal_no = prev.seal.seal_no + 1;
    next.horizon_us = get_timestamptz(0, 1).value_or(prev.found ? prev.seal.horizon_us : DT_NOBEGIN);
    next.sealed_at_us = get_timestamptz(0, 2).value_or(0);
    next.prev = prev.found ? prev.hash : core::zero_hash;
    if (prev.found && next.horizon_us < prev.seal.horizon_us) next.horizon_us = prev.seal.horizon_us;

    // The chains whose head moved past what the ledger holds: all of them for the first seal,
    // afterwards those with an entry dated after the previous seal's horizon.
    static Statement first_q(
        "INSERT INTO actions.ledger_leaf (workspace_id, seal_no, action_id, seq, hash) "
        "SELECT workspace_id, $2, action_id, seq, hash FROM actions.activity_head WHERE workspace_id = $1",
        {INT8OID, INT8OID});
    static Statement next_q(
        "INSERT INTO actions.ledger_leaf (workspace_id, seal_no, action_id, seq, hash) "
        "SELECT h.workspace_id, $2, h.action_id, h.seq, h.hash "
        "FROM (SELECT DISTINCT l.action_id FROM actions.activity l WHERE l.workspace_id = $1 AND l.at >= $3) c "
        "JOIN actions.activity_head h ON h.workspace_id = $1 AND h.action_id = c.action_id "
        // A head the ledger already holds (its chain did not move since) is not a new leaf.
        "ON CONFLICT (workspace_id, action_id, seq) DO NOTHING",
        {INT8OID, INT8OID, TIMESTAMPTZOID});
    Datum leaf_args[3] = {Int64GetDatum(workspace_id), Int64GetDatum(next.seal_no),
                          TimestampTzGetDatum(prev.seal.horizon_us)};
    std::uint64_t added = prev.found ? next_q.run(leaf_args, nullptr) : first_q.run(leaf_args, nullptr);
    if (prev.found && added == 0) return prev;  // nothing new: the newest seal still holds

    // The root over the leaves as stored, in the order verify_ledger reads them.
    static Statement leaves_q(
        "SELECT action_id, seq, hash FROM actions.ledger_leaf WHERE workspace_id = $1 AND seal_no = $2 "
        "ORDER BY action_id",
        {INT8OID, INT8OID});
    core::MerkleTree tree;
    Portal portal = leaves_q.open_cursor(leaf_args, nullptr);
    for (;;) {
        std::uint64_t n = guard([&]() -> std::uint64_t {
            SPI_cursor_fetch(portal, true, 10000);
            return SPI_processed;
        });
        if (n == 0) break;
        for (std::uint64_t i = 0; i < n; i++) {
            check_for_interrupts();
            tree.add(core::Leaf{get_int64(i, 1), get_int32(i, 2), get_hash(i, 3)});
        }
        guard([] { SPI_freetuptable(SPI_tuptable); });
    }
    guard([&] { SPI_cursor_close(portal); });
    next.leaf_count = static_cast<std::int64_t>(tree.size());
    next.root = tree.root();
    core::Hash hash = core::seal_hash(next);

    static Statement insert_q(
        "INSERT INTO actions.ledger_seal (workspace_id, seal_no, sealed_at, horizon, leaf_count, root, "
        "prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        {INT8OID, INT8OID, TIMESTAMPTZOID, TIMESTAMPTZOID, INT8OID, BYTEAOID, BYTEAOID, BYTEAOID});
    Datum values[8];
    guard([&] {
        values[0] = Int64GetDatum(workspace_id);
        values[1] = Int64GetDatum(next.seal_no);
        values[2] = TimestampTzGetDatum(next.sealed_at_us);
        values[3] = TimestampTzGetDatum(next.horizon_us);
        values[4] = Int64GetDatum(next.leaf_count);
        values[5] = hash_datum(next.root);
        values[6] = hash_datum(next.prev);
        values[7] = hash_datum(hash);
    });
    insert_q.run(values, nullptr);
    return Sealed{next, hash, true};
}

std::int64_t workspace_arg(FunctionCallInfo fcinfo) {
    if (PG_ARGISNULL(0))
        throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "workspace_id must not be null", "",
                      "pass the workspace to seal");
    return PG_GETARG_INT64(0);
}

}  // namespace

extern "C" {

PG_FUNCTION_INFO_V1(pg_actions_seal_ledger);
Datum pg_actions_seal_ledger(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        std::int64_t workspace_id = workspace_arg(fcinfo);
        SpiScope spi;
        Sealed s = seal(workspace_id);
        return Int64GetDatum(s.seal.seal_no);
    });
}

// Every workspace, for the maintenance job: how many new seals were made.
PG_FUNCTION_INFO_V1(pg_actions_seal_ledgers);
Datum pg_actions_seal_ledgers(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        SpiScope spi;
        static Statement q("SELECT workspace_id FROM actions.workspace ORDER BY workspace_id", {});
        std::uint64_t n = q.run(nullptr, nullptr);
        std::vector<std::int64_t> ids;
        for (std::uint64_t i = 0; i < n; i++) ids.push_back(get_int64(i, 1));
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
                        std::int64_t before = newest_seal(id).seal.seal_no;
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
    });
}

PG_FUNCTION_INFO_V1(pg_actions_ledger_digest);
Datum pg_actions_ledger_digest(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        std::int64_t workspace_id = workspace_arg(fcinfo);
        SpiScope spi;
        Sealed s = seal(workspace_id);
        spi.finish();
        std::string json = core::digest_json(s.seal, s.hash);
        const char* text = json.c_str();
        return guard([&]() -> Datum { return DirectFunctionCall1(jsonb_in, CStringGetDatum(text)); });
    });
}

}  // extern "C"
