// The actions list for SQL (src/sql/47_list.sql).
// - actions.list_vocabulary(name): the allowed values of a filter or sort (core/listing.hpp), so
//   the SQL never spells an enumeration again (its checks, hints and rank orders read them here).
// - actions.list_actions(workspace_id, filters..., sort, direction, page_size, cursor): reads and
//   checks its arguments (core::check_list_request), resolves a group to it and the groups below,
//   a search to a prefix tsquery under the workspace's configuration, and a cursor to its row
//   (core::decode_list_cursor, authenticated under the database's secret: store/list_secret.hpp); runs the statement the core builds from the filters given
//   (core::list_statement, every value a parameter) through a plan kept per statement text for the
//   life of the backend (there are only as many texts as combinations of filters, sorts,
//   directions and page sizes in use; at most 256 kept): generic, planned once, except for a text
//   search or a title substring, planned for its values each time (how common the words are
//   decides between their index and the sort's). The last row of a full page gets next_cursor.
#include "pg/boundary/postgres.hpp"

#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "core/catalog.hpp"
#include "core/listing.hpp"
#include "pg/authz/args.hpp"
#include "pg/boundary/boundary.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/identity/actor.hpp"
#include "pg/store/list_secret.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

// The canonical text of a filter argument for the cursor's digest: integers, booleans and arrays
// through their output functions (which depend on no setting), times as microseconds.
std::optional<std::string> filter_text(FunctionCallInfo fcinfo, int n) {
    if (PG_ARGISNULL(n)) return std::nullopt;
    Oid type = guard([&] { return get_fn_expr_argtype(fcinfo->flinfo, n); });
    Datum value = PG_GETARG_DATUM(n);
    if (type == TIMESTAMPTZOID) return std::to_string(DatumGetTimestampTz(value));
    const char* text = guard([&]() -> const char* {
        Oid out;
        bool varlena;
        getTypeOutputInfo(type, &out, &varlena);
        return OidOutputFunctionCall(out, value);
    });
    return std::string(text);
}

// A text[] argument's elements; a NULL element is refused as an unknown value would be.
std::vector<std::string> text_elements(FunctionCallInfo fcinfo, int n, const char* what) {
    if (PG_ARGISNULL(n)) return {};
    Datum d = PG_GETARG_DATUM(n);
    if (guard([&] { return array_contains_nulls(DatumGetArrayTypeP(d)); }))
        throw PgError(ERRCODE_INVALID_PARAMETER_VALUE, std::string("NULL in ") + what, "",
                      std::string("pass ") + what + " without NULL elements");
    return text_array(d);
}

bool arg_flag(FunctionCallInfo fcinfo, int n) { return !PG_ARGISNULL(n) && PG_GETARG_BOOL(n); }

void kept_or_new_plan_rows(const std::string& sql, bool keep, const Oid* types, Datum* values, char* nulls) {
    static std::unordered_map<std::string, SPIPlanPtr>* plans = new std::unordered_map<std::string, SPIPlanPtr>();
    SPIPlanPtr plan = nullptr;
    const char* text = sql.c_str();
    if (auto it = plans->find(sql); keep && it != plans->end()) {
        plan = it->second;
    } else if (!keep) {
        // Planned with the values (SPI marks them constant for the planner), used once.
        plan = guard([&] {
            SPIPlanPtr p = SPI_prepare_cursor(text, core::list_parameter_count, const_cast<Oid*>(types), CURSOR_OPT_CUSTOM_PLAN);
            if (p == nullptr) elog(ERROR, "pg_actions: SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
            return p;
        });
    } else {
        plan = guard([&] {
            SPIPlanPtr p = SPI_prepare_cursor(text, core::list_parameter_count, const_cast<Oid*>(types), CURSOR_OPT_GENERIC_PLAN);
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
    });
}

}  // namespace

extern "C" {

PG_FUNCTION_INFO_V1(pg_actions_list_vocabulary);
Datum pg_actions_list_vocabulary(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        std::optional<std::string> name = arg_text(fcinfo, 0);
        std::optional<std::vector<std::string_view>> values = core::list_vocabulary(name ? *name : "");
        if (!values)
            throw PgError(ERRCODE_INVALID_PARAMETER_VALUE, "unknown vocabulary \"" + name.value_or("") + "\"", "",
                          "use " + core::listed({"status", "priority", "open", "open_not_overdue", "sort", "direction"}));
        std::vector<Datum> texts;
        for (std::string_view v : *values) texts.push_back(text_datum(std::string(v)));
        const Datum* data = texts.data();
        int n = static_cast<int>(texts.size());
        return guard([&]() -> Datum {
            return PointerGetDatum(construct_array(const_cast<Datum*>(data), n, TEXTOID, -1, false, TYPALIGN_INT));
        });
    }, /* check_schema = */ false);  // reads no table: the planner folds it into the predicate of
                                      // action_open_due_idx, so reading actions.action before
                                      // ALTER EXTENSION ... UPDATE must not need the new schema
}

// list_actions(workspace_id 0, statuses 1, assignees 2, assigned_to_me 3, unassigned 4, owners 5,
// due_before 6, due_after 7, only_overdue 8, linked_record 9, record_kinds 10, types 11, in_group 12,
// include_subgroups 13, priorities 14, search 15, title_contains 16, sort 17, direction 18,
// page_size 19, cursor 20)
PG_FUNCTION_INFO_V1(pg_actions_list_actions);
Datum pg_actions_list_actions(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        if (PG_ARGISNULL(0))
            throw PgError(ERRCODE_INVALID_PARAMETER_VALUE, "workspace_id is required", "", "pass the workspace whose actions to list");
        const std::int64_t ws = PG_GETARG_INT64(0);
        core::ListRequest r;
        r.sort = arg_text(fcinfo, 17).value_or("(null)");
        r.direction = arg_text(fcinfo, 18).value_or("(null)");
        r.page_size = PG_ARGISNULL(19) ? 0 : PG_GETARG_INT32(19);
        std::vector<std::string> statuses = text_elements(fcinfo, 1, "statuses");
        std::vector<std::string> priorities = text_elements(fcinfo, 14, "priorities");
        refuse_if(core::check_list_request(r, statuses, priorities));
        for (int n : {6, 7})
            if (!PG_ARGISNULL(n) && TIMESTAMP_NOT_FINITE(PG_GETARG_TIMESTAMPTZ(n)))
                throw PgError(ERRCODE_INVALID_PARAMETER_VALUE, "due_before and due_after must be finite", "",
                              "pass a date and time, or NULL for no bound");
        r.statuses = !PG_ARGISNULL(1);
        r.status_count = statuses.size();
        r.assignees = !PG_ARGISNULL(2);
        r.assigned_to_me = arg_flag(fcinfo, 3);
        r.unassigned = arg_flag(fcinfo, 4);
        r.owners = !PG_ARGISNULL(5);
        r.due_before = !PG_ARGISNULL(6);
        r.due_after = !PG_ARGISNULL(7);
        if (!PG_ARGISNULL(8)) r.only_overdue = PG_GETARG_BOOL(8);
        r.linked_record = !PG_ARGISNULL(9);
        r.record_kinds = !PG_ARGISNULL(10);
        r.types = !PG_ARGISNULL(11);
        r.groups = !PG_ARGISNULL(12);
        r.priorities = !PG_ARGISNULL(14);
        r.search = !PG_ARGISNULL(15);
        r.title_contains = !PG_ARGISNULL(16);
        r.cursor = !PG_ARGISNULL(20);

        Oid types[core::list_parameter_count] = {INT8OID, TEXTARRAYOID, INT8ARRAYOID, INT8OID, INT8ARRAYOID,
                                                 TIMESTAMPTZOID, TIMESTAMPTZOID, INT8OID, TEXTARRAYOID, TEXTARRAYOID,
                                                 INT8ARRAYOID, TEXTARRAYOID, TSQUERYOID, TEXTOID, TIMESTAMPTZOID,
                                                 TEXTOID, INT4OID, INT8OID};
        Datum values[core::list_parameter_count] = {};
        char nulls[core::list_parameter_count];
        for (char& c : nulls) c = 'n';
        auto set = [&](int param, Datum d) { values[param - 1] = d, nulls[param - 1] = ' '; };
        auto pass = [&](int param, int arg) { if (!PG_ARGISNULL(arg)) set(param, PG_GETARG_DATUM(arg)); };
        set(1, Int64GetDatum(ws));
        pass(2, 1), pass(3, 2), pass(5, 5), pass(6, 6), pass(7, 7), pass(8, 9), pass(9, 10), pass(10, 11), pass(12, 14);

        std::vector<std::optional<std::string>> filters;
        for (int n = 0; n <= 16; n++) filters.push_back(filter_text(fcinfo, n));
        const std::string digest = core::list_filters_digest(filters);

        SpiScope spi;
        // Read before the page's statement, whose result the cursor is made from.
        const std::string& key = list_cursor_key();
        if (r.assigned_to_me) {
            std::optional<std::int64_t> me = current_actor();
            if (!me)
                throw PgError(ERRCODE_INSUFFICIENT_PRIVILEGE, "no person is acting, so \"assigned to me\" means nobody", "",
                              "call as a person's login role, or actions.act_as(person_id) first");
            set(4, Int64GetDatum(*me));
        }
        if (r.groups) {
            static Statement subtree("SELECT array_agg(g.group_id) FROM actions.\"group\" g WHERE g.workspace_id = $1"
                                     " AND (g.group_id = $2 OR ($3 AND g.path @> ARRAY[$2]))",
                                     {INT8OID, INT8OID, BOOLOID});
            Datum args[3] = {Int64GetDatum(ws), PG_GETARG_DATUM(12), BoolGetDatum(PG_ARGISNULL(13) || PG_GETARG_BOOL(13))};
            subtree.run(args, "   ");
            bool none = true;
            Datum groups = get_datum(0, 1, &none);
            if (none)
                throw PgError(ERRCODE_INVALID_PARAMETER_VALUE,
                              "group " + std::to_string(PG_GETARG_INT64(12)) + " not found in workspace " + std::to_string(ws), "",
                              "list the groups in actions.\"group\"");
            set(11, groups);
        }
        if (r.search) {
            // Each word a quoted lexeme matched as a prefix (word:*); every word must match.
            static Statement query(
                "SELECT s.config::oid, cardinality(s.words), CASE WHEN cardinality(s.words) > 0 THEN pg_catalog.to_tsquery(s.config,"
                " pg_catalog.array_to_string(ARRAY(SELECT pg_catalog.quote_literal(x) || ':*' FROM unnest(s.words) x), ' & ')) END"
                " FROM (SELECT COALESCE((SELECT w.text_search_config::regconfig FROM actions.workspace w WHERE w.workspace_id = $1),"
                " 'simple'::regconfig) AS config, ARRAY(SELECT x FROM pg_catalog.regexp_split_to_table(pg_catalog.lower($2),"
                " '[^[:alnum:]_]+') x WHERE x <> '') AS words) s",
                {INT8OID, TEXTOID});
            Datum args[2] = {Int64GetDatum(ws), PG_GETARG_DATUM(15)};
            query.run(args, "  ");
            if (get_int32(0, 2) == 0)
                throw PgError(ERRCODE_INVALID_PARAMETER_VALUE, "search \"" + *arg_text(fcinfo, 15) + "\" has no words", "",
                              "search for letters or digits, or pass NULL");
            bool null = true;
            r.search_config = DatumGetObjectId(get_datum(0, 1, &null));
            set(13, get_datum(0, 3, &null));
        }
        if (r.title_contains) set(14, text_datum(core::title_pattern(*arg_text(fcinfo, 16))));
        if (r.cursor) {
            auto decoded = core::decode_list_cursor(*arg_text(fcinfo, 20), r, digest, key);
            if (auto* refusal = std::get_if<core::Refusal>(&decoded)) refuse(*refusal);
            const core::ListCursor& c = std::get<core::ListCursor>(decoded);
            switch (core::list_sort_key_kind(r.sort)) {
            case core::ListKeyKind::time: {
                // PostgreSQL's microseconds since 2000, a timestamptz's value; none: no due date
                TimestampTz t;
                if (c.key) t = c.number;
                else TIMESTAMP_NOEND(t);
                if (c.key && !IS_VALID_TIMESTAMP(t)) refuse(core::invalid_list_cursor());
                set(15, TimestampTzGetDatum(t));
                break;
            }
            case core::ListKeyKind::text: set(16, text_datum(*c.key)); break;
            case core::ListKeyKind::rank: set(17, Int32GetDatum(static_cast<std::int32_t>(c.number))); break;
            }
            set(18, Int64GetDatum(c.action_id));
        }

        const std::string sql = core::list_statement(r);
        kept_or_new_plan_rows(sql, core::list_keeps_plan(r), types, values, nulls);
        // The page's rows, and the cursor after the last row of a full page (a shorter page is the last).
        const std::uint64_t rows = SPI_processed;
        std::optional<std::string> cursor;
        if (rows == static_cast<std::uint64_t>(r.page_size)) {
            core::ListCursor last{r.sort, r.direction, get_text(rows - 1, 19), get_int64(rows - 1, 1)};
            cursor = core::encode_list_cursor(last, digest, key);
        }
        Datum cursor_datum = cursor ? text_datum(*cursor) : Datum(0);
        guard([&] {
            InitMaterializedSRF(fcinfo, 0);
            ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
            // The statement's 19 columns, the last (the sort key) replaced by the cursor.
            Datum out[19];
            bool out_nulls[19];
            if (SPI_tuptable->tupdesc->natts != 19) elog(ERROR, "pg_actions: the list statement returned %d columns", SPI_tuptable->tupdesc->natts);
            for (uint64 i = 0; i < rows; i++) {
                CHECK_FOR_INTERRUPTS();  // inside guard(): no C++ destructor is live here
                heap_deform_tuple(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, out, out_nulls);
                out[18] = cursor_datum;
                out_nulls[18] = !(cursor && i == rows - 1);
                tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, out, out_nulls);
            }
        });
        spi.finish();
        return Datum(0);
    });
}

}  // extern "C"
