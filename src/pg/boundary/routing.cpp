// Refuses, on the coordinator of a Citus cluster, the functions this version does not send to the
// node holding their workspace (boundary.hpp, refuse_unrouted_call): those that take an entity's
// id instead of the workspace. Run on the coordinator they would find no local shard and answer
// as if the entity were not visible (can() false, why_not "not found"), or fail on Citus'
// refusal of a multi-shard FOR UPDATE: an error that says why is better than either.
#include "pg/boundary/boundary.hpp"

extern "C" {
#include "catalog/pg_proc.h"
#include "funcapi.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
}

#include <string>
#include <unordered_map>

#include "pg/store/shards.hpp"

namespace pg_actions::pg {

namespace {

// Per function, the name of the argument that makes it take an entity's id ("" when none): the
// first bigint or bigint[] argument named ..._id, ..._ids or ids, other than workspace_id (a
// function taking a workspace is routed) and person_id (people are global: a reference table);
// none at all when the function also takes a workspace_id. Kept for the backend's life (a
// function's arguments do not change without a new OID).
std::unordered_map<Oid, std::string> entity_arguments;

bool ends_with(const std::string& s, const char* tail) {
    std::string t(tail);
    return s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0;
}

std::string entity_argument(Oid fn) {
    struct Args {
        int n;
        Oid* types;
        char** names;
        char* modes;
    };
    Args a = guard([fn]() -> Args {
        Args out{0, nullptr, nullptr, nullptr};
        HeapTuple tp = SearchSysCache1(PROCOID, ObjectIdGetDatum(fn));
        if (!HeapTupleIsValid(tp)) return out;
        out.n = get_func_arg_info(tp, &out.types, &out.names, &out.modes);
        ReleaseSysCache(tp);
        return out;
    });
    if (!a.names) return "";
    std::string found;
    for (int i = 0; i < a.n; i++) {
        if (a.modes && a.modes[i] != PROARGMODE_IN && a.modes[i] != PROARGMODE_INOUT) continue;
        if (!a.names[i]) continue;
        std::string name = a.names[i];
        if (name == "workspace_id" || name == "in_workspace") return "";
        if (a.types[i] != INT8OID && a.types[i] != INT8ARRAYOID) continue;
        if (found.empty() && name != "person_id" && (name == "ids" || ends_with(name, "_id") || ends_with(name, "_ids")))
            found = name;
    }
    return found;
}

}  // namespace

void refuse_unrouted_call(Oid fn) {
    if (!OidIsValid(fn) || !guard([] { return shards::on_distributed_coordinator(); })) return;
    auto it = entity_arguments.find(fn);
    if (it == entity_arguments.end()) it = entity_arguments.emplace(fn, entity_argument(fn)).first;
    if (it->second.empty()) return;
    const char* name = guard([fn] { return get_func_name(fn); });
    throw PgError(ERRCODE_FEATURE_NOT_SUPPORTED,
                  std::string("actions.") + (name ? name : "?") + "() does not run through a Citus coordinator in this version",
                  "it takes an entity's id (" + it->second +
                      "), not a workspace: only the functions taking a workspace are sent to the node holding it "
                      "(actions.routed_functions())",
                  "see docs/install.md, \"On a Citus cluster\"");
}

}  // namespace pg_actions::pg
