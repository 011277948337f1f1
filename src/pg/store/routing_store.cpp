// The workspace of an entity's id, and calls forwarded whole to the node holding it (see
// routing_store.hpp).
#include "pg/store/routing_store.hpp"

extern "C" {
#include "catalog/namespace.h"
#include "catalog/pg_proc.h"
#include "miscadmin.h"
#include "utils/rls.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"
#include "utils/syscache.h"
}

#include <memory>
#include <unordered_map>

#include "pg/store/direct.hpp"

namespace pg_actions::pg::store {

namespace {

// Per table an entity argument can name: the argument's kind (its name less _id or _ids) and, for
// a per-workspace table, the table, its id column and the index on that column, read directly on
// a node (table nullptr: reference data, the same on every node).
struct HomeTable {
    const char* kind;
    const char* table;
    const char* column;
    const char* index;
};

std::string kind_of(const std::string& argument) {
    for (const char* tail : {"_ids", "_id"}) {
        std::size_t n = std::char_traits<char>::length(tail);
        if (argument.size() > n && argument.compare(argument.size() - n, n, tail) == 0)
            return argument.substr(0, argument.size() - n);
    }
    return argument;
}

const HomeTable* home_table(const std::string& kind) {
    static const HomeTable tables[] = {
        HomeTable{"action", "action", "action_id", "action_id_idx"},
        HomeTable{"note", "note", "note_id", "note_id_idx"},
        HomeTable{"record", "record", "record_id", "record_id_idx"},
        // a delegation is a record of kind delegation
        HomeTable{"delegation", "record", "record_id", "record_id_idx"},
        HomeTable{"group", "group", "group_id", "group_id_idx"},
        HomeTable{"template", "template", "template_id", "template_id_idx"},
        HomeTable{"absence", "absence", "absence_id", "absence_id_idx"},
        HomeTable{"rule", "escalation_rule", "rule_id", "escalation_rule_id_idx"},
        HomeTable{"procedure", "procedure", "procedure_id", "procedure_id_idx"},
        HomeTable{"run", "procedure_run", "run_id", "procedure_run_id_idx"},
        HomeTable{"schedule", "schedule", "schedule_id", "schedule_id_idx"},
        HomeTable{"calendar", nullptr, nullptr, nullptr},  // reference data
        HomeTable{"holiday", nullptr, nullptr, nullptr},
    };
    for (const HomeTable& t : tables)
        if (kind == t.kind) return &t;
    return nullptr;
}

std::vector<TextRow> result_rows(std::uint64_t n) {
    std::vector<TextRow> rows;
    int columns = result_columns();
    rows.reserve(n);
    for (std::uint64_t i = 0; i < n; i++) {
        check_for_interrupts();
        TextRow row;
        for (int c = 1; c <= columns; c++) row.push_back(get_output_text(i, c));
        rows.push_back(std::move(row));
    }
    return rows;
}

struct HereCall {
    std::string sql;
    std::unique_ptr<Statement> statement;
};

std::unique_ptr<HereCall> here_call(Oid fn) {
    auto call = std::make_unique<HereCall>();
    struct Proc {
        char* name;
        int nargs;
        char* types[FUNC_MAX_ARGS];
    };
    Proc p = guard([fn]() -> Proc {
        HeapTuple tp = SearchSysCache1(PROCOID, ObjectIdGetDatum(fn));
        if (!HeapTupleIsValid(tp)) elog(ERROR, "cache lookup failed for function %u", fn);
        auto* f = reinterpret_cast<Form_pg_proc>(GETSTRUCT(tp));
        Proc out{pstrdup(quote_identifier(NameStr(f->proname))), f->pronargs, {}};
        for (int i = 0; i < f->pronargs; i++) out.types[i] = format_type_be_qualified(f->proargtypes.values[i]);
        ReleaseSysCache(tp);
        return out;
    });
    call->sql = std::string("SELECT * FROM actions.") + p.name + "(";
    for (int i = 0; i < p.nargs; i++) call->sql += (i ? ", $1[" : "$1[") + std::to_string(i + 1) + "]::" + p.types[i];
    call->sql += ")";
    static const Oid types[] = {TEXTARRAYOID};
    call->statement = std::make_unique<Statement>(call->sql.c_str(), types, 1);
    return call;
}

}  // namespace

EntityTable entity_table(const std::string& argument) {
    const HomeTable* t = home_table(kind_of(argument));
    return !t ? EntityTable::unknown : t->table ? EntityTable::per_workspace : EntityTable::everywhere;
}

std::optional<std::int64_t> workspace_here(const std::string& argument, std::int64_t id) {
    const HomeTable* t = home_table(kind_of(argument));
    if (!t || !t->table) return std::nullopt;
    return guard([&]() -> std::optional<std::int64_t> {
        direct::Key key[1] = {{t->column, F_INT8EQ, Int64GetDatum(id)}};
        const char* cols[1] = {"workspace_id"};
        Datum value;
        bool null = true;
        if (!direct::lookup(t->table, t->index, direct::by_id, 1, key, 1, cols, &value, &null, nullptr) || null)
            return std::nullopt;
        return DatumGetInt64(value);
    });
}

namespace {

// Per (relation, role): the statement telling whether the row with an id passes the row-level
// security the table's SELECT policies apply to the role (permissive ones or'd, restrictive ones
// and'd, as PostgreSQL combines them), read on `relation` (the table or, on Citus, the shard
// holding the workspace, which has no policies of its own: the coordinator writes them into the
// queries it sends). The policies' functions are meant to run on the node of the row.
struct VisibleCheck {
    Oid relation;
    Oid role;
    std::string sql;
    std::unique_ptr<Statement> statement;
};
std::vector<std::unique_ptr<VisibleCheck>> visible_checks;

Statement& visible_check(Oid relation, Oid table, const char* column, Oid role) {
    for (auto& c : visible_checks)
        if (c->relation == relation && c->role == role) return *c->statement;
    static Statement policies(
        "SELECT coalesce(pg_catalog.string_agg('(' || pg_catalog.pg_get_expr(p.polqual, p.polrelid) || ')', ' OR ') "
        "FILTER (WHERE p.polpermissive), 'false'), "
        "coalesce(pg_catalog.string_agg('(' || pg_catalog.pg_get_expr(p.polqual, p.polrelid) || ')', ' AND ') "
        "FILTER (WHERE NOT p.polpermissive), 'true') "
        "FROM pg_catalog.pg_policy p WHERE p.polrelid = $1 AND p.polcmd IN ('r', '*') AND p.polqual IS NOT NULL "
        "AND (p.polroles OPERATOR(pg_catalog.@>) ARRAY[0::oid] OR EXISTS (SELECT FROM pg_catalog.unnest(p.polroles) r "
        "WHERE pg_catalog.pg_has_role($2, r, 'MEMBER')))",
        {OIDOID, OIDOID});
    policies.exec(sql_datum(ObjectIdGetDatum(table)), sql_datum(ObjectIdGetDatum(role)));
    std::string permissive = get_text(0, 1).value_or("false"), restrictive = get_text(0, 2).value_or("true");
    char* name = guard([relation] {
        return quote_qualified_identifier(get_namespace_name(get_rel_namespace(relation)), get_rel_name(relation));
    });
    if (visible_checks.size() >= 256) visible_checks.clear();
    auto c = std::make_unique<VisibleCheck>();
    c->relation = relation;
    c->role = role;
    c->sql = std::string("SELECT 1 FROM ") + name + " WHERE " + column + " OPERATOR(pg_catalog.=) $1 AND (" + permissive +
             ") AND (" + restrictive + ")";
    static const Oid types[] = {INT8OID};
    c->statement = std::make_unique<Statement>(c->sql.c_str(), types, 1);
    visible_checks.push_back(std::move(c));
    return *visible_checks.back()->statement;
}

}  // namespace

std::optional<std::int64_t> visible_workspace_here(const std::string& argument, std::int64_t id) {
    const HomeTable* t = home_table(kind_of(argument));
    if (!t || !t->table) return std::nullopt;
    std::optional<std::int64_t> ws = workspace_here(argument, id);
    if (!ws) return std::nullopt;
    Oid role = GetOuterUserId();
    Oid table = guard([t] { return direct::relation(t->table); });
    if (guard([table, role] { return check_enable_rls(table, role, true); }) != RLS_ENABLED) return ws;
    std::int64_t workspace_id = *ws;
    Oid relation = guard([&] {
        return shards::resolve(table, t->table, InvalidOid, nullptr, direct::of(workspace_id), false).table;
    });
    if (visible_check(relation, table, t->column, role).exec_limit(1, id) == 0) return std::nullopt;
    return ws;
}

std::vector<EntityHome> homes_on_node(std::int64_t workspace_on_node, const std::string& argument,
                                      const std::vector<std::int64_t>& ids) {
    static Statement q("SELECT id, home FROM actions.workspace_of_ids($1, $2, $3)", {INT8OID, TEXTOID, INT8ARRAYOID});
    std::uint64_t n = q.exec(workspace_on_node, argument, sql_datum(int64_array_datum(ids)));
    std::vector<EntityHome> homes;
    homes.reserve(n);
    for (std::uint64_t i = 0; i < n; i++) homes.push_back(EntityHome{get_int64(i, 1), get_opt_int64(i, 2).value_or(0)});
    return homes;
}

std::vector<TextRow> forward(std::int64_t workspace_id, Oid fn, const TextRow& args) {
    static Statement q("SELECT * FROM actions.forward($1, $2, $3)", {INT8OID, REGPROCEDUREOID, TEXTARRAYOID});
    std::uint64_t n = q.exec(workspace_id, sql_datum(ObjectIdGetDatum(fn)), sql_datum(text_row_datum(args)));
    std::vector<TextRow> rows;
    rows.reserve(n);
    for (std::uint64_t i = 0; i < n; i++) {
        bool isnull = false;
        Datum row = get_datum(i, 1, &isnull);
        rows.push_back(isnull ? TextRow{} : text_row(row));
    }
    return rows;
}

std::vector<TextRow> call_here(Oid fn, const TextRow& args) {
    static std::unordered_map<Oid, std::unique_ptr<HereCall>> calls;  // per backend, one per API function
    auto it = calls.find(fn);
    if (it == calls.end()) it = calls.emplace(fn, here_call(fn)).first;
    std::uint64_t n = it->second->statement->exec(sql_datum(text_row_datum(args)));
    return result_rows(n);
}

}  // namespace pg_actions::pg::store
