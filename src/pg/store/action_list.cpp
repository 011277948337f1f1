// The page of actions.list_actions() (see action_list.hpp).
#include "pg/store/action_list.hpp"

#include "pg/store/people_store.hpp"

#include <unordered_map>

namespace core = pg_actions::core;

namespace pg_actions::pg::store {

namespace {

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
            // Kept generic on a single node (planned once). With Citus the plan cache chooses: Citus
            // plans a statement that is not a plain lookup by workspace only with the values (it
            // makes a generic plan it cannot make too costly to be chosen), where a forced generic
            // plan fails ("could not create distributed plan").
            int options = get_extension_oid("citus", true) == InvalidOid ? CURSOR_OPT_GENERIC_PLAN : 0;
            SPIPlanPtr p = SPI_prepare_cursor(text, core::list_parameter_count, const_cast<Oid*>(types), options);
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

// The shape of the statement: which filters the page has, its sort and size.
core::ListRequest shape_of(const ListFilter& f) {
    core::ListRequest r;
    r.sort = f.sort;
    r.direction = f.direction;
    r.page_size = f.page_size;
    r.statuses = f.statuses.has_value();
    r.status_count = f.statuses ? f.statuses->size() : 0;
    r.assignees = f.assignees.has_value();
    r.assigned_to_me = f.assigned_to.has_value();
    r.unassigned = f.unassigned;
    r.owners = f.owners.has_value();
    r.due_before = f.due_before.has_value();
    r.due_after = f.due_after.has_value();
    r.only_overdue = f.only_overdue;
    r.linked_record = f.linked_record.has_value();
    r.record_kinds = f.record_kinds.has_value();
    r.types = f.types.has_value();
    r.groups = f.group_ids.has_value();
    r.priorities = f.priorities.has_value();
    r.search = f.search.has_value();
    if (f.search) r.search_config = f.search->config;
    r.title_contains = f.title_pattern.has_value();
    r.cursor = f.after.has_value();
    return r;
}

}  // namespace

std::optional<std::vector<std::int64_t>> group_subtree(std::int64_t workspace_id, std::int64_t group_id,
                                                       bool include_subgroups) {
    static Statement subtree("SELECT array_agg(g.group_id) FROM actions.\"group\" g WHERE g.workspace_id = $1"
                             " AND (g.group_id = $2 OR ($3 AND g.path @> ARRAY[$2]))",
                             {INT8OID, INT8OID, BOOLOID});
    subtree.exec(workspace_id, group_id, include_subgroups);
    bool none = true;
    Datum groups = get_datum(0, 1, &none);
    if (none) return std::nullopt;
    return int64_array(groups);
}

ListSearch list_search(std::int64_t workspace_id, const std::string& text) {
    static Statement query(
        "SELECT s.config::oid, cardinality(s.words), CASE WHEN cardinality(s.words) > 0 THEN pg_catalog.to_tsquery(s.config,"
        " pg_catalog.array_to_string(ARRAY(SELECT pg_catalog.quote_literal(x) || ':*' FROM unnest(s.words) x), ' & ')) END"
        " FROM (SELECT COALESCE((SELECT w.text_search_config::regconfig FROM actions.workspace w WHERE w.workspace_id = $1),"
        " 'simple'::regconfig) AS config, ARRAY(SELECT x FROM pg_catalog.regexp_split_to_table(pg_catalog.lower($2),"
        " '[^[:alnum:]_]+') x WHERE x <> '') AS words) s",
        {INT8OID, TEXTOID});
    query.exec(workspace_id, text);
    ListSearch s;
    s.words = get_int32(0, 2);
    bool null = true;
    s.config = DatumGetObjectId(get_datum(0, 1, &null));
    Datum q = get_datum(0, 3, &null);
    s.tsquery = sql_datum(q, null);
    return s;
}

void list_actions_page(FunctionCallInfo fcinfo, const ListFilter& f,
                       const std::function<std::string(const core::ListCursor& last)>& next_cursor) {
    Oid types[core::list_parameter_count] = {INT8OID, TEXTARRAYOID, INT8ARRAYOID, INT8OID, INT8ARRAYOID,
                                             TIMESTAMPTZOID, TIMESTAMPTZOID, INT8OID, TEXTARRAYOID, TEXTARRAYOID,
                                             INT8ARRAYOID, TEXTARRAYOID, TSQUERYOID, TEXTOID, TIMESTAMPTZOID,
                                             TEXTOID, INT4OID, INT8OID};
    Datum values[core::list_parameter_count] = {};
    char nulls[core::list_parameter_count];
    for (char& c : nulls) c = 'n';
    auto set = [&](int param, SqlArg a) {
        values[param - 1] = a.value;
        nulls[param - 1] = a.null ? 'n' : ' ';
    };
    auto texts = [&](int param, const std::optional<std::vector<std::string>>& v) {
        if (v) set(param, sql_datum(text_array_datum(*v)));
    };
    auto ids = [&](int param, const std::optional<std::vector<std::int64_t>>& v) {
        if (v) set(param, sql_datum(int64_array_datum(*v)));
    };
    set(1, sql_arg(f.workspace_id));
    texts(2, f.statuses);
    ids(3, f.assignees);
    set(4, sql_arg(f.assigned_to));
    ids(5, f.owners);
    if (f.due_before) set(6, sql_datum(TimestampTzGetDatum(*f.due_before)));
    if (f.due_after) set(7, sql_datum(TimestampTzGetDatum(*f.due_after)));
    set(8, sql_arg(f.linked_record));
    texts(9, f.record_kinds);
    texts(10, f.types);
    ids(11, f.group_ids);
    texts(12, f.priorities);
    if (f.search) set(13, f.search->tsquery);
    set(14, sql_arg(f.title_pattern));
    if (f.after) {
        if (f.after->time) set(15, sql_datum(TimestampTzGetDatum(*f.after->time)));
        set(16, sql_arg(f.after->text));
        set(17, sql_arg(f.after->rank));
        set(18, sql_arg(f.after->action_id));
    }

    core::ListRequest shape = shape_of(f);
    // On Citus the names are read apart (core::ListRequest::names).
    const bool names_apart = guard([] { return get_extension_oid("citus", true) != InvalidOid; });
    shape.names = !names_apart;
    kept_or_new_plan_rows(core::list_statement(shape), core::list_keeps_plan(shape), types, values, nulls);
    // The page's rows, and the cursor after the last row of a full page (a shorter page is the last).
    const std::uint64_t rows = SPI_processed;
    SPITupleTable* page = SPI_tuptable;  // kept until the SpiScope ends, past the next statement
    std::optional<std::string> cursor;
    if (rows == static_cast<std::uint64_t>(f.page_size))
        cursor = next_cursor(core::ListCursor{f.sort, f.direction, get_text(rows - 1, 19), get_int64(rows - 1, 1)});
    Datum cursor_datum = cursor ? text_datum(*cursor) : Datum(0);
    // On Citus, the assignees' and owners' names (columns 9 and 11, NULL in the statement: see
    // core::list_statement), as text datums made here, outside guard().
    std::vector<std::optional<std::int64_t>> assignees(names_apart ? rows : 0);
    std::vector<std::int64_t> owners(names_apart ? rows : 0), people;
    for (std::uint64_t i = 0; names_apart && i < rows; i++) {
        assignees[i] = get_opt_int64(i, 8);
        owners[i] = get_int64(i, 10);
        if (assignees[i]) people.push_back(*assignees[i]);
        people.push_back(owners[i]);
    }
    const std::unordered_map<std::int64_t, std::string> names = display_names(people);
    struct Name {
        Datum value = 0;
        bool null = true;
    };
    auto name_of = [&](std::optional<std::int64_t> id) {
        auto it = id ? names.find(*id) : names.end();
        return it == names.end() ? Name{} : Name{text_datum(it->second), false};
    };
    std::vector<Name> assignee_names(names_apart ? rows : 0), owner_names(names_apart ? rows : 0);
    for (std::uint64_t i = 0; names_apart && i < rows; i++) {
        assignee_names[i] = name_of(assignees[i]);
        owner_names[i] = name_of(owners[i]);
    }
    guard([&] {
        InitMaterializedSRF(fcinfo, 0);
        ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
        // The statement's 19 columns, the last (the sort key) replaced by the cursor.
        Datum out[19];
        bool out_nulls[19];
        if (page->tupdesc->natts != 19) elog(ERROR, "pg_actions: the list statement returned %d columns", page->tupdesc->natts);
        for (uint64 i = 0; i < rows; i++) {
            CHECK_FOR_INTERRUPTS();  // inside guard(): no C++ destructor is live here
            heap_deform_tuple(page->vals[i], page->tupdesc, out, out_nulls);
            if (names_apart) {
                out[8] = assignee_names[i].value;
                out_nulls[8] = assignee_names[i].null;
                out[10] = owner_names[i].value;
                out_nulls[10] = owner_names[i].null;
            }
            out[18] = cursor_datum;
            out_nulls[18] = !(cursor && i == rows - 1);
            tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, out, out_nulls);
        }
    });
}

}  // namespace pg_actions::pg::store
