// On the coordinator of a Citus cluster, sends a call of a function that takes an entity's id
// (complete(action_id), add_note(action_id, ...), bulk_reassign(action_ids, ...), can(verb,
// action_id), ...) to the node holding the entity's workspace (boundary.hpp, route_to_workspace;
// docs/design.md, "Routing"). The functions taking a workspace are Citus distributed functions and
// never reach this node's code.
#include "pg/boundary/boundary.hpp"

extern "C" {
#include "catalog/namespace.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/tuplestore.h"
}

#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "pg/boundary/spi.hpp"
#include "pg/store/routing_store.hpp"
#include "pg/store/shards.hpp"

namespace pg_actions::pg {

namespace {

// How a call of a function reaches the node holding its rows through the coordinator.
enum class Route {
    here,      // run where called: a function taking a workspace (Citus routes it), or global data
    entity,    // by an entity's id: the workspace of the id, then the call sent there
    token,     // by an invitation's token, which begins with its workspace ("<workspace>.<secret>")
    gathered,  // a question about the acting person across workspaces: asked of every worker, answers joined
};

// The questions about the acting person across all their workspaces (no argument, one answer
// per node holding some of them): each node answers for the workspaces placed on it, and the
// coordinator joins the answers (ids sorted, duplicates dropped; a set's rows one after another).
constexpr const char* gathered_functions[] = {"member_workspaces", "candidate_actions", "visible_workspaces",
                                              "visible_groups", "party_records", "substituted_members"};

struct EntityArgument {
    std::string name;  // "" when the function takes none
    int index = -1;    // its position among the input arguments
    bool array = false;
    int nargs = 0;
    bool variadic = false;
    Route route = Route::here;
};

// Per function: the first bigint or bigint[] input argument named ..._id, ..._ids or ids, other
// than person_id (people are global: a reference table); none at all when the function also takes
// a workspace_id (it is routed by Citus) or is not of schema actions. Kept for the backend's life
// (a function's arguments do not change without a new OID).
std::unordered_map<Oid, EntityArgument> entity_arguments;

bool ends_with(const std::string& s, const char* tail) {
    std::string t(tail);
    return s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0;
}

EntityArgument read_entity_argument(Oid fn) {
    struct Args {
        int n = 0;
        Oid* types = nullptr;
        char** names = nullptr;
        char* modes = nullptr;
        bool ours = false;
        bool variadic = false;
        bool retset = false;
        Oid result = InvalidOid;
        char* proname = nullptr;
    };
    Args a = guard([fn]() -> Args {
        Args out;
        HeapTuple tp = SearchSysCache1(PROCOID, ObjectIdGetDatum(fn));
        if (!HeapTupleIsValid(tp)) return out;
        auto* p = reinterpret_cast<Form_pg_proc>(GETSTRUCT(tp));
        out.ours = p->pronamespace == get_namespace_oid("actions", true);
        out.variadic = OidIsValid(p->provariadic);
        out.retset = p->proretset;
        out.result = p->prorettype;
        out.proname = pstrdup(NameStr(p->proname));
        out.n = get_func_arg_info(tp, &out.types, &out.names, &out.modes);
        ReleaseSysCache(tp);
        return out;
    });
    EntityArgument found;
    if (!a.ours) return found;
    if (a.n == 0) {
        for (const char* g : gathered_functions)
            if (a.proname && std::string(a.proname) == g && (a.retset || a.result == INT8ARRAYOID)) found.route = Route::gathered;
        return found;
    }
    if (!a.names) return found;
    found.variadic = a.variadic;
    int in = 0;
    for (int i = 0; i < a.n; i++) {
        if (a.modes && a.modes[i] != PROARGMODE_IN && a.modes[i] != PROARGMODE_INOUT &&
            a.modes[i] != PROARGMODE_VARIADIC)
            continue;
        int position = in++;
        if (!a.names[i]) continue;
        std::string name = a.names[i];
        if (name == "workspace_id" || name == "in_workspace") return EntityArgument{};
        if (position == 0 && name == "token" && a.types[i] == TEXTOID) {
            found.name = name;
            found.index = position;
            found.route = Route::token;
        }
        if (a.types[i] != INT8OID && a.types[i] != INT8ARRAYOID) continue;
        if (found.name.empty() && name != "person_id" &&
            (name == "ids" || ends_with(name, "_id") || ends_with(name, "_ids"))) {
            found.name = name;
            found.index = position;
            found.array = a.types[i] == INT8ARRAYOID;
            found.route = Route::entity;
        }
    }
    found.nargs = in;
    return found;
}

TextRow argument_texts(FunctionCallInfo fcinfo, Oid fn, int nargs) {
    TextRow texts;
    for (int i = 0; i < nargs; i++) {
        if (fcinfo->args[i].isnull) {
            texts.emplace_back(std::nullopt);
            continue;
        }
        Datum value = fcinfo->args[i].value;
        char* text = guard([&] {
            // The declared type: forward() reads the text back by it on the other node.
            HeapTuple tp = SearchSysCache1(PROCOID, ObjectIdGetDatum(fn));
            if (!HeapTupleIsValid(tp)) elog(ERROR, "cache lookup failed for function %u", fn);
            Oid type = reinterpret_cast<Form_pg_proc>(GETSTRUCT(tp))->proargtypes.values[i];
            ReleaseSysCache(tp);
            Oid output;
            bool varlena;
            getTypeOutputInfo(type, &output, &varlena);
            return OidOutputFunctionCall(output, value);
        });
        texts.emplace_back(std::string(text));
        pfree(text);
    }
    return texts;
}

std::string id_array_text(const std::vector<std::int64_t>& ids) {
    std::string s = "{";
    for (std::size_t i = 0; i < ids.size(); i++) s += (i ? "," : "") + std::to_string(ids[i]);
    return s + "}";
}

// The forwarded rows as this call's result: a set (materialized), one composite value, or one
// scalar, each column read from its text by the function's result type.
Datum result_of(FunctionCallInfo fcinfo, const std::vector<TextRow>& rows) {
    return guard([&]() -> Datum {
        Oid type;
        TupleDesc desc = nullptr;
        TypeFuncClass cls = get_call_result_type(fcinfo, &type, &desc);
        auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
        bool set = fcinfo->flinfo->fn_retset;
        auto cstrings = [](const TextRow& row, int natts, std::vector<char*>& out) {
            out.assign(natts, nullptr);
            for (int c = 0; c < natts && c < static_cast<int>(row.size()); c++)
                if (row[c]) out[c] = const_cast<char*>(row[c]->c_str());
        };
        if (set) {
            Tuplestorestate* store = begin_set(fcinfo, cls == TYPEFUNC_COMPOSITE ? InvalidOid : type, &desc);
            MemoryContext old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
            AttInMetadata* meta = TupleDescGetAttInMetadata(desc);
            std::vector<char*> values;
            for (const TextRow& row : rows) {
                cstrings(row, desc->natts, values);
                tuplestore_puttuple(store, BuildTupleFromCStrings(meta, values.data()));
            }
            MemoryContextSwitchTo(old);
            return Datum(0);
        }
        if (rows.empty() || rows[0].empty() || (cls != TYPEFUNC_COMPOSITE && !rows[0][0])) {
            fcinfo->isnull = true;
            return Datum(0);
        }
        if (cls == TYPEFUNC_COMPOSITE) {
            desc = BlessTupleDesc(desc);
            std::vector<char*> values;
            cstrings(rows[0], desc->natts, values);
            return HeapTupleGetDatum(BuildTupleFromCStrings(TupleDescGetAttInMetadata(desc), values.data()));
        }
        Oid input, ioparam;
        getTypeInputInfo(type, &input, &ioparam);
        return OidInputFunctionCall(input, const_cast<char*>(rows[0][0]->c_str()), ioparam, -1);
    });
}

// The workspaces of ids, as the caller may see them, asked of one node at a time: first of the
// node that made each id (a worker allocates ids from its group << 48), which holds it unless a
// rebalance moved its workspace since; then, for the ids still unanswered (rows made on the
// coordinator before actions.distribute(), moved since, or that do not exist or are hidden), of
// each other worker in turn, until none is left. Each question is one task to one node
// (actions.workspace_of_ids(), answered from that node's shards alone), never a query of every shard.
std::vector<store::EntityHome> find_homes(const std::string& argument, const std::vector<std::int64_t>& ids) {
    std::int32_t found[256];
    int count = guard([&found] { return shards::workspace_groups(found, 256); });
    std::vector<std::int32_t> groups(found, found + count);
    std::vector<store::EntityHome> homes;
    std::unordered_set<std::int64_t> answered;
    auto ask = [&](std::int32_t group, const std::vector<std::int64_t>& which) {
        std::optional<std::int64_t> on_node = guard([group] { return shards::workspace_value_on(group); });
        if (!on_node || which.empty()) return;
        for (const store::EntityHome& h : store::homes_on_node(*on_node, argument, which))
            if (answered.insert(h.id).second) homes.push_back(h);
    };
    auto unanswered = [&](std::optional<std::int32_t> made_on) {
        std::vector<std::int64_t> out;
        for (std::int64_t id : ids)
            if (!answered.count(id) && (!made_on || static_cast<std::int32_t>(id >> 48) == *made_on)) out.push_back(id);
        return out;
    };
    std::vector<std::int32_t> asked;
    for (std::int32_t g : groups) {
        std::vector<std::int64_t> mine = unanswered(g);
        if (mine.empty()) continue;
        ask(g, mine);
        asked.push_back(g);
    }
    for (std::int32_t g : groups) {
        std::vector<std::int64_t> rest = unanswered(std::nullopt);
        if (rest.empty()) break;
        check_for_interrupts();
        // A node asked above answered for every id it holds.
        if (std::find(asked.begin(), asked.end(), g) != asked.end()) {
            std::vector<std::int64_t> others;
            for (std::int64_t id : rest)
                if (static_cast<std::int32_t>(id >> 48) != g) others.push_back(id);
            ask(g, others);
        } else {
            ask(g, rest);
        }
    }
    return homes;
}

}  // namespace

Tuplestorestate* begin_set(FunctionCallInfo fcinfo, Oid scalar_type, TupleDesc* desc) {
    auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
    if (!rsinfo || !IsA(rsinfo, ReturnSetInfo) || !(rsinfo->allowedModes & SFRM_Materialize))
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("set-valued function called in context that cannot accept a set")));
    MemoryContext old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
    TupleDesc d;
    if (OidIsValid(scalar_type)) {
        d = CreateTemplateTupleDesc(1);
        TupleDescInitEntry(d, 1, "result", scalar_type, -1, 0);
    } else {
        if (get_call_result_type(fcinfo, nullptr, &d) != TYPEFUNC_COMPOSITE) elog(ERROR, "return type must be a row type");
        d = CreateTupleDescCopy(d);
    }
    Tuplestorestate* store = tuplestore_begin_heap((rsinfo->allowedModes & SFRM_Materialize_Random) != 0, false, work_mem);
    MemoryContextSwitchTo(old);
    rsinfo->returnMode = SFRM_Materialize;
    rsinfo->setResult = store;
    rsinfo->setDesc = d;
    *desc = d;
    return store;
}

namespace {

const EntityArgument& routed_argument(Oid fn) {
    auto it = entity_arguments.find(fn);
    if (it == entity_arguments.end()) it = entity_arguments.emplace(fn, read_entity_argument(fn)).first;
    return it->second;
}

// A question about the acting person across workspaces: asked of each worker holding workspaces
// (one task each, through actions.forward() with any workspace placed there), the answers joined.
Datum gather(FunctionCallInfo fcinfo, Oid fn) {
    std::vector<TextRow> rows;
    {
        AsCaller as_caller;
        SpiScope spi;
        std::int32_t found[256];
        int count = guard([&found] { return shards::workspace_groups(found, 256); });
        for (int i = 0; i < count; i++) {
            check_for_interrupts();
            std::optional<std::int64_t> on_node = guard([&] { return shards::workspace_value_on(found[i]); });
            if (!on_node) continue;
            std::vector<TextRow> part = store::forward(*on_node, fn, TextRow{});
            rows.insert(rows.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
        }
    }
    if (fcinfo->flinfo->fn_retset) return result_of(fcinfo, rows);
    // bigint[]: the ids of every node, sorted, each once.
    std::vector<std::int64_t> ids;
    for (const TextRow& row : rows) {
        if (row.empty() || !row[0]) continue;
        Datum array = guard([&] {
            Oid input, ioparam;
            getTypeInputInfo(INT8ARRAYOID, &input, &ioparam);
            return OidInputFunctionCall(input, const_cast<char*>(row[0]->c_str()), ioparam, -1);
        });
        std::vector<std::int64_t> part = int64_array(array);
        ids.insert(ids.end(), part.begin(), part.end());
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return int64_array_datum(ids);
}

}  // namespace

const std::string& entity_argument(Oid fn) { return routed_argument(fn).name; }


bool forwardable(Oid fn, bool* in_workspace) {
    const EntityArgument& arg = routed_argument(fn);
    *in_workspace = arg.route != Route::gathered;
    return arg.route != Route::here;
}

bool route_to_workspace(FunctionCallInfo fcinfo, Datum* result) {
    Oid fn = current_function();
    if (!OidIsValid(fn) || !guard([] { return shards::on_distributed_coordinator(); })) return false;
    const EntityArgument& arg = routed_argument(fn);
    if (arg.route == Route::here) return false;
    if (arg.route == Route::gathered) {
        *result = gather(fcinfo, fn);
        return true;
    }
    if (arg.nargs > PG_NARGS() || fcinfo->args[arg.index].isnull) return false;
    if (arg.route == Route::token) {
        // "<workspace>.<secret>": the workspace only chooses the node; the node holding it looks the
        // whole token up in that workspace. A token of another form (issued before 0.3) is looked up
        // on the first worker, which answers "not found" unless it holds it.
        std::string token = text_of(fcinfo->args[arg.index].value);
        std::optional<std::int64_t> workspace_id;
        std::size_t dot = token.find('.');
        if (dot > 0 && dot != std::string::npos && dot <= 18 &&
            std::all_of(token.begin(), token.begin() + dot, [](char c) { return c >= '0' && c <= '9'; }))
            workspace_id = std::stoll(token.substr(0, dot));
        std::vector<TextRow> rows;
        {
            AsCaller as_caller;
            SpiScope spi;
            if (!workspace_id) {
                std::int32_t first[1];
                if (guard([&first] { return shards::workspace_groups(first, 1); }) == 1)
                    workspace_id = guard([&first] { return shards::workspace_value_on(first[0]); });
            }
            if (!workspace_id) return false;
            rows = store::forward(*workspace_id, fn, argument_texts(fcinfo, fn, arg.nargs));
        }
        *result = result_of(fcinfo, rows);
        return true;
    }
    const char* name = guard([fn] { return get_func_name(fn); });
    std::string fname = std::string("actions.") + (name ? name : "?") + "()";
    switch (store::entity_table(arg.name)) {
        case store::EntityTable::everywhere:
            return false;  // reference data: this node holds it
        case store::EntityTable::unknown:
            throw PgError(ERRCODE_FEATURE_NOT_SUPPORTED, fname + " does not run through a Citus coordinator in this version",
                          "it takes an entity's id (" + arg.name + ") whose table this version cannot route by",
                          "call it on the worker holding the entity's workspace; see docs/install.md, \"On a Citus cluster\"");
        case store::EntityTable::per_workspace:
            break;
    }
    if (arg.variadic) return false;

    std::vector<std::int64_t> ids;
    if (arg.array)
        ids = int64_array(fcinfo->args[arg.index].value);
    else
        ids.push_back(DatumGetInt64(fcinfo->args[arg.index].value));

    // The workspaces, in the order of their first id; the ids no workspace holds (or the caller may
    // not see) go with the first, whose node answers for them as for any id it does not have.
    std::vector<std::pair<std::int64_t, std::vector<std::int64_t>>> groups;
    std::vector<TextRow> rows;
    {
        AsCaller as_caller;
        SpiScope spi;
        std::vector<store::EntityHome> homes = find_homes(arg.name, ids);
        std::unordered_map<std::int64_t, std::int64_t> home_of;
        for (const store::EntityHome& h : homes) home_of[h.id] = h.workspace_id;
        std::vector<std::int64_t> homeless;
        for (std::int64_t id : ids) {
            auto h = home_of.find(id);
            if (h == home_of.end()) {
                homeless.push_back(id);
                continue;
            }
            auto g = std::find_if(groups.begin(), groups.end(), [&](const auto& x) { return x.first == h->second; });
            if (g == groups.end())
                groups.emplace_back(h->second, std::vector<std::int64_t>{id});
            else
                g->second.push_back(id);
        }
        // Nothing the caller may see (missing or hidden ids): a worker answers for a workspace value
        // placed there, in the function's own words ("action N not found"); the hidden id's own
        // workspace is never named. (Here its statements by id alone would reach every shard.)
        if (groups.empty()) {
            std::optional<std::int64_t> anywhere = guard([] { return shards::any_workspace_value(); });
            if (!anywhere) return false;
            groups.emplace_back(*anywhere, std::vector<std::int64_t>{});
        }
        for (std::int64_t id : homeless) groups.front().second.push_back(id);
        if (groups.size() > 1 && !fcinfo->flinfo->fn_retset)
            throw PgError(ERRCODE_FEATURE_NOT_SUPPORTED,
                          fname + " through a Citus coordinator takes the ids of one workspace at a time",
                          "the ids given are in " + std::to_string(groups.size()) + " workspaces",
                          "call it once per workspace");

        TextRow args = argument_texts(fcinfo, fn, arg.nargs);
        for (const auto& [workspace_id, group_ids] : groups) {
            check_for_interrupts();
            if (arg.array) args[arg.index] = id_array_text(group_ids);
            std::vector<TextRow> part = store::forward(workspace_id, fn, args);
            rows.insert(rows.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
        }
    }
    *result = result_of(fcinfo, rows);
    return true;
}

}  // namespace pg_actions::pg
