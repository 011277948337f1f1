// The actions list for SQL (src/sql/47_list.sql).
// - actions.list_vocabulary(name): the allowed values of a filter or sort (core/listing.hpp), so
//   the SQL never spells an enumeration again (its checks, hints and rank orders read them here).
// - actions.list_actions(workspace_id, filters..., sort, direction, page_size, cursor): reads and
//   checks its arguments (core::check_list_request), resolves a group to it and the groups below,
//   a search to a prefix tsquery under the workspace's configuration, and a cursor to its row
//   (core::decode_list_cursor, authenticated under the database's secret: store/list_secret.hpp); runs the statement the core builds from the filters given
//   (core::list_statement, every value a parameter) through store/action_list.hpp, which keeps a
//   plan per statement text for the life of the backend (there are only as many texts as
//   combinations of filters, sorts, directions and page sizes in use; at most 256 kept): generic,
//   planned once, except for a text search or a title substring, planned for its values each time
//   (how common the words are decides between their index and the sort's). The last row of a full
//   page gets next_cursor.
#include "pg/boundary/postgres.hpp"

#include <string>
#include <variant>
#include <vector>

#include "core/catalog.hpp"
#include "core/listing.hpp"
#include "pg/authz/args.hpp"
#include "pg/boundary/boundary.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/identity/actor.hpp"
#include "pg/store/action_list.hpp"
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

// A bigint[] argument's elements (NULL elements match nothing, so they are left out); none when NULL.
std::optional<std::vector<std::int64_t>> id_elements(FunctionCallInfo fcinfo, int n) {
    if (PG_ARGISNULL(n)) return std::nullopt;
    return int64_array(PG_GETARG_DATUM(n));
}

// A text[] argument's elements (NULL elements match nothing, so they are left out); none when NULL.
std::optional<std::vector<std::string>> text_filter(FunctionCallInfo fcinfo, int n) {
    if (PG_ARGISNULL(n)) return std::nullopt;
    return text_array(PG_GETARG_DATUM(n));
}

std::optional<TimestampTz> time_filter(FunctionCallInfo fcinfo, int n) {
    if (PG_ARGISNULL(n)) return std::nullopt;
    return PG_GETARG_TIMESTAMPTZ(n);
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
                          "use " + core::listed({"status", "priority", "open", "open_not_overdue", "sort", "direction", "member_acting", "member_named"}));
        return text_array_datum(std::vector<std::string>(values->begin(), values->end()));
    }, /* check_schema = */ false);  // reads no table: the planner folds it into the predicate of
                                      // action_open_due_idx, so reading actions.action before
                                      // ALTER EXTENSION ... UPDATE must not need the new schema
}

// list_actions(workspace_id 0, statuses 1, assignees 2, assigned_to_me 3, unassigned 4, owners 5,
// due_before 6, due_after 7, only_overdue 8, linked_record 9, record_kinds 10, types 11, in_group 12,
// include_subgroups 13, priorities 14, search 15, title_contains 16, sort 17, direction 18,
// page_size 19, cursor 20)
PG_ACTIONS_FUNCTION(pg_actions_list_actions) {
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
    store::ListFilter f;
    f.workspace_id = ws;
    f.sort = r.sort;
    f.direction = r.direction;
    f.page_size = r.page_size;
    if (!PG_ARGISNULL(1)) f.statuses = statuses;
    f.assignees = id_elements(fcinfo, 2);
    f.unassigned = arg_flag(fcinfo, 4);
    f.owners = id_elements(fcinfo, 5);
    f.due_before = time_filter(fcinfo, 6);
    f.due_after = time_filter(fcinfo, 7);
    if (!PG_ARGISNULL(8)) f.only_overdue = PG_GETARG_BOOL(8);
    if (!PG_ARGISNULL(9)) f.linked_record = PG_GETARG_INT64(9);
    f.record_kinds = text_filter(fcinfo, 10);
    f.types = text_filter(fcinfo, 11);
    if (!PG_ARGISNULL(14)) f.priorities = priorities;

    std::vector<std::optional<std::string>> filters;
    for (int n = 0; n <= 16; n++) filters.push_back(filter_text(fcinfo, n));
    const std::string digest = core::list_filters_digest(filters);

    SpiScope spi;
    // Read before the page's statement, whose result the cursor is made from.
    const std::string& key = list_cursor_key();
    if (arg_flag(fcinfo, 3)) {
        std::optional<std::int64_t> me = current_actor();
        if (!me)
            throw PgError(ERRCODE_INSUFFICIENT_PRIVILEGE, "no person is acting, so \"assigned to me\" means nobody", "",
                          "call as a person's login role, or actions.act_as(person_id) first");
        f.assigned_to = *me;
    }
    if (!PG_ARGISNULL(12)) {
        f.group_ids = store::group_subtree(ws, PG_GETARG_INT64(12), PG_ARGISNULL(13) || PG_GETARG_BOOL(13));
        if (!f.group_ids)
            throw PgError(ERRCODE_INVALID_PARAMETER_VALUE,
                          "group " + std::to_string(PG_GETARG_INT64(12)) + " not found in workspace " + std::to_string(ws), "",
                          "list the groups in actions.\"group\"");
    }
    if (!PG_ARGISNULL(15)) {
        // Each word a quoted lexeme matched as a prefix (word:*); every word must match.
        f.search = store::list_search(ws, *arg_text(fcinfo, 15));
        if (f.search->words == 0)
            throw PgError(ERRCODE_INVALID_PARAMETER_VALUE, "search \"" + *arg_text(fcinfo, 15) + "\" has no words", "",
                          "search for letters or digits, or pass NULL");
    }
    if (!PG_ARGISNULL(16)) f.title_pattern = core::title_pattern(*arg_text(fcinfo, 16));
    if (!PG_ARGISNULL(20)) {
        auto decoded = core::decode_list_cursor(*arg_text(fcinfo, 20), r, digest, key);
        if (auto* refusal = std::get_if<core::Refusal>(&decoded)) refuse(*refusal);
        const core::ListCursor& c = std::get<core::ListCursor>(decoded);
        store::ListAfter after;
        switch (core::list_sort_key_kind(r.sort)) {
        case core::ListKeyKind::time: {
            // PostgreSQL's microseconds since 2000, a timestamptz's value; none: no due date
            TimestampTz t;
            if (c.key) t = c.number;
            else TIMESTAMP_NOEND(t);
            if (c.key && !IS_VALID_TIMESTAMP(t)) refuse(core::invalid_list_cursor());
            after.time = t;
            break;
        }
        case core::ListKeyKind::text: after.text = *c.key; break;
        case core::ListKeyKind::rank: after.rank = static_cast<std::int32_t>(c.number); break;
        }
        after.action_id = c.action_id;
        f.after = after;
    }
    store::list_actions_page(fcinfo, f, [&](const core::ListCursor& last) {
        return core::encode_list_cursor(last, digest, key);
    });
    spi.finish();
    return Datum(0);
}

}  // extern "C"
