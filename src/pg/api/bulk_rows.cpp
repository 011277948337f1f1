// The row runner of the bulk functions (bulk_rows.hpp).
#include "pg/boundary/postgres.hpp"

extern "C" {
#include "utils/memutils.h"
#include "utils/resowner.h"
}

#include <algorithm>

#include "pg/api/bulk_rows.hpp"
#include "pg/boundary/module.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/store/notify.hpp"

namespace pg_actions::pg {

namespace {

constexpr std::size_t chunk_rows = 64;

bool aborts_the_call(int sqlstate) {
    char c0 = PGUNSIXBIT(sqlstate), c1 = PGUNSIXBIT(sqlstate >> 6);
    return (c0 == '5' && (c1 == '7' || c1 == '3')) || (c0 == '4' && c1 == '0');
}

Caught caught_of(const PgError& e) {
    if (e.edata) return {e.edata->sqlerrcode, e.edata->message ? e.edata->message : ""};
    return {e.sqlstate, e.message};
}

}  // namespace

std::string sqlstate_text(int code) { return std::string(unpack_sql_state(code)); }

// See bulk_rows.hpp.
bool in_subtransaction(const std::function<void()>& f, Caught* error) {
    MemoryContext outer = CurrentMemoryContext;
    ResourceOwner owner = CurrentResourceOwner;
    std::size_t held = digest_mark();  // notifications held for a digest follow the subtransaction
    auto back_to_outer = [&] {
        MemoryContextSwitchTo(outer);
        CurrentResourceOwner = owner;
    };
    auto roll_back = [&] {
        guard([] { RollbackAndReleaseCurrentSubTransaction(); });
        back_to_outer();
        digest_rollback(held);
    };
    guard([] { BeginInternalSubTransaction(nullptr); });
    MemoryContextSwitchTo(outer);
    try {
        f();
    } catch (const PgError& e) {
        *error = caught_of(e);  // copied before the rollback frees what the error points into
        roll_back();
        if (aborts_the_call(error->code)) throw PgError(error->code, error->message);
        return false;
    } catch (...) {
        roll_back();
        throw;
    }
    guard([] { ReleaseCurrentSubTransaction(); });
    back_to_outer();
    return true;
}

// The array of ids: not NULL, no NULL element, at most pg_actions.bulk_max_ids elements.
std::vector<std::int64_t> ids_arg(FunctionCallInfo fcinfo) {
    if (PG_ARGISNULL(0))
        throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "action_ids must not be null", "",
                      "pass an array of action ids, such as ARRAY[1, 2, 3]");
    Datum d = PG_GETARG_DATUM(0);
    int n = guard([&]() -> int {
        ArrayType* a = DatumGetArrayTypeP(d);
        return ARR_NDIM(a) > 1 ? -1 : ArrayGetNItems(ARR_NDIM(a), ARR_DIMS(a));
    });
    if (n < 0)
        throw PgError(ERRCODE_ARRAY_SUBSCRIPT_ERROR, "action_ids must be a one-dimensional array", "",
                      "pass a flat array of action ids");
    if (n > bulk_max_ids)
        throw PgError(ERRCODE_PROGRAM_LIMIT_EXCEEDED,
                      "action_ids holds " + std::to_string(n) + " ids, more than pg_actions.bulk_max_ids (" +
                          std::to_string(bulk_max_ids) + ")",
                      "one bulk call acts on at most pg_actions.bulk_max_ids actions",
                      "split the ids into calls of at most " + std::to_string(bulk_max_ids) +
                          " ids, or have a superuser raise pg_actions.bulk_max_ids");
    bool had_null = false;
    std::vector<std::int64_t> ids = int64_array(d, &had_null);
    if (had_null)
        throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "action_ids must not contain null", "",
                      "remove the null elements, for example with array_remove(ids, NULL)");
    return ids;
}

std::vector<RowResult> run_rows(const std::vector<std::int64_t>& ids, const RowFn& row, const ChunkFn& chunk) {
    std::vector<RowResult> results(ids.size());
    // Distinct ids in ascending order; a repeat is reported against the first occurrence.
    std::vector<std::size_t> order(ids.size());
    for (std::size_t i = 0; i < ids.size(); i++) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return ids[a] < ids[b]; });
    std::vector<std::size_t> work;  // positions of the first occurrences, by id
    for (std::size_t k = 0; k < order.size(); k++) {
        std::size_t i = order[k];
        results[i].action_id = ids[i];
        if (k > 0 && ids[order[k - 1]] == ids[i]) {
            results[i].sqlstate = sqlstate_text(ERRCODE_INVALID_PARAMETER_VALUE);
            results[i].message = "action " + std::to_string(ids[i]) + " appears more than once in action_ids";
            continue;
        }
        work.push_back(i);
    }
    MemoryContext rows_cxt = guard([]() -> MemoryContext {
        return AllocSetContextCreate(CurrentMemoryContext, "pg_actions bulk rows", ALLOCSET_DEFAULT_SIZES);
    });
    MemoryContext outer = MemoryContextSwitchTo(rows_cxt);
    try {
        for (std::size_t start = 0; start < work.size(); start += chunk_rows) {
            std::size_t end = std::min(work.size(), start + chunk_rows);
            Caught error{};
            bool chunk_ok = end - start > 1 && in_subtransaction(
                                                   [&] {
                                                       if (chunk) {
                                                           std::vector<std::int64_t> these;
                                                           for (std::size_t k = start; k < end; k++)
                                                               these.push_back(ids[work[k]]);
                                                           chunk(these);
                                                           return;
                                                       }
                                                       for (std::size_t k = start; k < end; k++) {
                                                           check_for_interrupts();
                                                           results[work[k]].new_id = row(ids[work[k]]);
                                                       }
                                                   },
                                                   &error);
            if (chunk_ok) {
                for (std::size_t k = start; k < end; k++) results[work[k]].ok = true;
            } else {
                for (std::size_t k = start; k < end; k++) {
                    RowResult& r = results[work[k]];
                    r.new_id.reset();
                    Caught e{};
                    // A cancel (57014) aborts the call: in_subtransaction() throws it on.
                    r.ok = in_subtransaction(
                        [&] {
                            check_for_interrupts();
                            r.new_id = row(r.action_id);
                        },
                        &e);
                    if (!r.ok) {
                        r.new_id.reset();
                        r.sqlstate = sqlstate_text(e.code);
                        r.message = e.message;
                    }
                }
            }
            MemoryContextSwitchTo(outer);
            guard([&] { MemoryContextReset(rows_cxt); });
            MemoryContextSwitchTo(rows_cxt);
        }
    } catch (...) {
        MemoryContextSwitchTo(outer);
        throw;
    }
    MemoryContextSwitchTo(outer);
    guard([&] { MemoryContextDelete(rows_cxt); });
    return results;
}

Datum return_rows(FunctionCallInfo fcinfo, const std::vector<RowResult>& results) {
    digest_flush();
    guard([&] { InitMaterializedSRF(fcinfo, 0); });
    ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
    for (const RowResult& r : results) {
        const char* state = r.sqlstate.c_str();
        const char* message = r.message.c_str();
        guard([&] {
            Datum values[5] = {Int64GetDatum(r.action_id), BoolGetDatum(r.ok), 0, 0, 0};
            bool nulls[5] = {false, false, true, true, true};
            if (!r.ok) {
                values[2] = CStringGetTextDatum(state);
                values[3] = CStringGetTextDatum(message);
                nulls[2] = nulls[3] = false;
            }
            if (r.new_id) {
                values[4] = Int64GetDatum(*r.new_id);
                nulls[4] = false;
            }
            tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
        });
    }
    return (Datum)0;
}

}  // namespace pg_actions::pg
