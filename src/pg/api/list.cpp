// The actions list for SQL (src/sql/47_list.sql).
// - actions.list_vocabulary(name): the allowed values of a filter or sort (core/listing.hpp), so
//   the SQL never spells an enumeration again (its checks, hints and rank orders read them here).
// - actions.list_run(statement, keep_plan, values...): runs the statement actions.list_actions()
//   assembled from its fixed fragments, with every value a parameter. With keep_plan, through a
//   plan kept per distinct statement text for the life of the backend: the text depends only on
//   which filters are given, the sort, the direction and the page size, so there are few, and the
//   generic plan is made once, not per call. Without (a text search, whose best plan depends on how
//   common the words are), planned for the values each time. Not executable by PUBLIC: only
//   list_actions(), running as the owner, calls it.
#include "pg/boundary/postgres.hpp"

#include <string>
#include <unordered_map>
#include <vector>

#include "core/catalog.hpp"
#include "core/listing.hpp"
#include "pg/authz/args.hpp"
#include "pg/boundary/boundary.hpp"
#include "pg/boundary/spi.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

extern "C" {

PG_FUNCTION_INFO_V1(pg_actions_list_vocabulary);
Datum pg_actions_list_vocabulary(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        std::optional<std::string> name = arg_text(fcinfo, 0);
        std::optional<std::vector<std::string_view>> values = core::list_vocabulary(name ? *name : "");
        if (!values)
            throw PgError(ERRCODE_INVALID_PARAMETER_VALUE, "unknown vocabulary \"" + name.value_or("") + "\"", "",
                          "use " + core::listed({"status", "priority", "open", "sort", "direction"}));
        std::vector<Datum> texts;
        for (std::string_view v : *values) texts.push_back(text_datum(std::string(v)));
        const Datum* data = texts.data();
        int n = static_cast<int>(texts.size());
        return guard([&]() -> Datum {
            return PointerGetDatum(construct_array(const_cast<Datum*>(data), n, TEXTOID, -1, false, TYPALIGN_INT));
        });
    });
}

// list_run(statement text, keep_plan boolean, then the statement's parameters $1..$n in order)
PG_FUNCTION_INFO_V1(pg_actions_list_run);
Datum pg_actions_list_run(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        if (PG_ARGISNULL(0)) throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "the statement is required");
        std::string sql = text_of(PG_GETARG_DATUM(0));
        constexpr int max_args = 32;
        bool keep_plan = !PG_ARGISNULL(1) && PG_GETARG_BOOL(1);
        constexpr int first = 2;
        int nargs = PG_NARGS() - first;
        if (nargs > max_args) throw PgError(ERRCODE_INTERNAL_ERROR, "pg_actions: too many list parameters");
        Oid types[max_args];
        Datum values[max_args];
        char nulls[max_args];
        for (int i = 0; i < nargs; i++) {
            types[i] = guard([&] { return get_fn_expr_argtype(fcinfo->flinfo, i + first); });
            values[i] = PG_ARGISNULL(i + first) ? Datum(0) : PG_GETARG_DATUM(i + first);
            nulls[i] = PG_ARGISNULL(i + first) ? 'n' : ' ';
        }
        guard([&] { InitMaterializedSRF(fcinfo, 0); });
        // Kept plans, by statement text; bounded (a caller cannot make many shapes, but be safe).
        static std::unordered_map<std::string, SPIPlanPtr>* plans = new std::unordered_map<std::string, SPIPlanPtr>();
        spi_connect();
        SPIPlanPtr plan = nullptr;
        if (auto it = plans->find(sql); keep_plan && it != plans->end()) plan = it->second;
        if (!keep_plan) {
            // Planned with the values (SPI marks them constant for the planner), used once.
            const char* text = sql.c_str();
            plan = guard([&] {
                SPIPlanPtr p = SPI_prepare_cursor(text, nargs, types, CURSOR_OPT_CUSTOM_PLAN);
                if (p == nullptr) elog(ERROR, "pg_actions: SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
                return p;
            });
        } else if (plan == nullptr) {
            const char* text = sql.c_str();
            plan = guard([&] {
                SPIPlanPtr p = SPI_prepare_cursor(text, nargs, types, CURSOR_OPT_GENERIC_PLAN);
                if (p == nullptr) elog(ERROR, "pg_actions: SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
                if (SPI_keepplan(p) != 0) elog(ERROR, "pg_actions: SPI_keepplan failed");
                return p;
            });
            if (plans->size() >= 256) {
                for (auto& kept : *plans) {
                    SPIPlanPtr old = kept.second;
                    guard([&] { SPI_freeplan(old); });
                }
                plans->clear();
            }
            plans->emplace(sql, plan);
        }
        // STABLE: the caller's snapshot (read_only), as Statement::run() does for a STABLE function.
        guard([&] {
            int rc = SPI_execute_plan(plan, values, nulls, true, 0);
            if (rc != SPI_OK_SELECT) elog(ERROR, "pg_actions: list statement failed: %s", SPI_result_code_string(rc));
            ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
            for (uint64 i = 0; i < SPI_processed; i++) tuplestore_puttuple(rsinfo->setResult, SPI_tuptable->vals[i]);
        });
        spi_finish();
        return Datum(0);
    });
}

}  // extern "C"
