// actions.verify_log(workspace_id): re-computes every chain of a workspace and reports the first
// broken link. Reads through a cursor so a large log never sits in memory at once.
#include "pg/boundary/postgres.hpp"

#include "core/log_chain.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/store/log_store.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

core::Hash hash_of(std::uint64_t row, int col) {
    core::Hash h{};
    bool isnull;
    Datum d = get_datum(row, col, &isnull);
    if (isnull) return h;
    bytea* b = static_cast<bytea*>(guard([&]() -> void* { return DatumGetByteaPP(d); }));
    if (VARSIZE_ANY_EXHDR(b) == h.size()) memcpy(h.data(), VARDATA_ANY(b), h.size());
    else h.fill(0xff);  // a hash of the wrong length can never match
    return h;
}

std::optional<core::Broken> verify(std::int64_t workspace_id) {
    static Statement q(
        "SELECT coalesce(l.action_id, h.action_id), h.seq, h.hash, l.seq, l.event, l.old_value, "
        "l.new_value, l.detail::text, l.actor_id, l.db_role::text, l.at, l.prev_hash, l.hash "
        "FROM (SELECT * FROM actions.activity WHERE workspace_id = $1) l "
        "FULL JOIN (SELECT * FROM actions.activity_head WHERE workspace_id = $1) h "
        "ON h.action_id = l.action_id ORDER BY 1, 4",
        {INT8OID});
    Datum args[1] = {Int64GetDatum(workspace_id)};
    Portal portal = q.open_cursor(args, nullptr);

    std::optional<core::ChainCheck> check;
    std::optional<std::int32_t> head_seq;
    std::optional<core::Hash> head_hash;
    std::int64_t current = 0;
    // The cursor is closed on every way out, so the caller may ALTER the log table afterwards.
    auto close = [&](std::optional<core::Broken> b) {
        guard([&] { SPI_cursor_close(portal); });
        return b;
    };
    auto finish = [&]() -> std::optional<core::Broken> {
        if (!check) return std::nullopt;
        return check->finish(head_seq, head_hash);
    };
    for (;;) {
        std::uint64_t n = guard([&]() -> std::uint64_t {
            SPI_cursor_fetch(portal, true, 1000);
            return SPI_processed;
        });
        if (n == 0) break;
        for (std::uint64_t i = 0; i < n; i++) {
            std::int64_t action_id = get_int64(i, 1);
            if (!check || action_id != current) {
                if (auto b = finish()) return close(b);
                check.emplace(action_id);
                current = action_id;
                head_seq = is_null(i, 2) ? std::nullopt : std::optional<std::int32_t>(get_int32(i, 2));
                head_hash = is_null(i, 3) ? std::nullopt : std::optional<core::Hash>(hash_of(i, 3));
            }
            if (is_null(i, 4)) continue;  // a head with no entries left
            core::Entry e;
            e.workspace_id = workspace_id;
            e.action_id = action_id;
            e.seq = get_int32(i, 4);
            e.event = get_text(i, 5).value_or("");
            e.old_value = get_text(i, 6);
            e.new_value = get_text(i, 7);
            e.detail = get_text(i, 8);
            e.actor_id = get_opt_int64(i, 9);
            e.db_role = get_text(i, 10).value_or("");
            e.at_us = get_timestamptz(i, 11).value_or(0);
            if (auto b = check->entry(hashed_form(e), hash_of(i, 12), hash_of(i, 13))) return close(b);
        }
        guard([] { SPI_freetuptable(SPI_tuptable); });
    }
    return close(finish());
}

}  // namespace

extern "C" {

PG_FUNCTION_INFO_V1(pg_actions_verify_log);
Datum pg_actions_verify_log(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        if (PG_ARGISNULL(0))
            throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "workspace_id must not be null", "",
                          "pass the workspace whose log to verify");
        std::int64_t workspace_id = PG_GETARG_INT64(0);
        ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
        guard([&] { InitMaterializedSRF(fcinfo, 0); });
        spi_connect();
        std::optional<core::Broken> broken = verify(workspace_id);
        spi_finish();
        if (broken) {
            std::string problem = broken->problem;
            const char* p = problem.c_str();
            std::int64_t action_id = broken->action_id;
            std::int32_t seq = broken->seq;
            guard([&] {
                Datum values[3] = {Int64GetDatum(action_id), Int32GetDatum(seq), CStringGetTextDatum(p)};
                bool nulls[3] = {false, false, false};
                tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
            });
        }
        return 0;
    });
}

}  // extern "C"
