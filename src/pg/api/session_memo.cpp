// actions.remembered_ids(), remembered_flag(), remembered_id(), remembered_keys(): the answer of
// one of the session's visibility questions (actions.member_workspaces(), service_sees_all(),
// current_actor(), ...: STABLE, no argument, SECURITY DEFINER) kept for the statement.
//
// The row-level security policies may hold no sub-select (Citus refuses them on distributed
// tables), so no InitPlan asks these questions once per query: the policies call them for every
// row. A SECURITY DEFINER call with a pinned search_path costs about a microsecond (the setting is
// parsed and set, then undone); these functions are neither, and ask the question itself (through
// the function manager, as its definer) only when the statement, the command, a rollback, the
// roles or the acting person changed (statement_memo.hpp). No SQL here: current_actor() reads by
// index, as can() does.
#include "pg/boundary/compat.hpp"
#include "pg/boundary/postgres.hpp"

extern "C" {
#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "utils/acl.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
}

#include <string>

#include "pg/boundary/boundary.hpp"
#include "pg/boundary/statement_memo.hpp"
#include "pg/identity/actor.hpp"

using namespace pg_actions::pg;

namespace {

struct Kept {
    Oid question = InvalidOid;
    StatementStamp stamp;
    Oid user = InvalidOid;          // GetUserId() and GetSessionUserId() it was asked as: a SET ROLE
    Oid session_user = InvalidOid;  // inside the statement asks again
    bool valid = false;
    bool isnull = true;
    Datum value = 0;  // in TopTransactionContext (pass-by-reference results), valid while stamp is
};

// The questions the policies ask: seven, so eight slots never evict in practice.
Kept kept[8];
int next_slot = 0;

Kept& slot_of(Oid question) {
    for (Kept& k : kept)
        if (k.question == question) return k;
    Kept& k = kept[next_slot];
    next_slot = (next_slot + 1) % static_cast<int>(lengthof(kept));
    k = Kept{};
    k.question = question;
    return k;
}

// Whether the caller may ask `question` directly: a function of schema actions, STABLE, without
// arguments, returning `type`, that the caller may execute. Anything else is refused, so these
// functions run nothing a caller could not run itself.
void check_question(Oid question, Oid type) {
    enum class Found { missing, unfit, fit };
    bool may_execute = false;
    Found found = guard([&] {
        HeapTuple tuple = SearchSysCache1(PROCOID, ObjectIdGetDatum(question));
        if (!HeapTupleIsValid(tuple)) return Found::missing;
        Form_pg_proc proc = reinterpret_cast<Form_pg_proc>(GETSTRUCT(tuple));
        bool fits = proc->pronamespace == get_namespace_oid("actions", false) && proc->pronargs == 0 &&
                    proc->provolatile == PROVOLATILE_STABLE && proc->prorettype == type && !proc->proretset;
        ReleaseSysCache(tuple);
        may_execute = fits && compat::may_execute(question, GetUserId());
        return fits ? Found::fit : Found::unfit;
    });
    const char* hint = "pass one of the session's visibility questions, e.g. 'actions.member_workspaces()'::regprocedure";
    if (found == Found::missing)
        throw PgError(ERRCODE_UNDEFINED_FUNCTION, "question " + std::to_string(question) + " does not exist", "", hint);
    if (found == Found::unfit)
        throw PgError(ERRCODE_INVALID_PARAMETER_VALUE,
                      "question must be a STABLE function of schema actions without arguments returning this type",
                      "", hint);
    if (!may_execute)
        throw PgError(ERRCODE_INSUFFICIENT_PRIVILEGE, "permission denied for the function named by question", "",
                      "ask it only where you may execute it yourself");
}

Datum remembered(FunctionCallInfo fcinfo, Oid type) {
    Oid question = PG_GETARG_OID(0);
    std::optional<std::int64_t> actor = current_actor();
    // The acting person (none: -1) and the roles the answer was given for.
    std::int64_t owner = actor ? *actor : -1;
    Oid user = GetUserId();
    Oid session_user = GetSessionUserId();
    Kept& k = slot_of(question);
    StatementStamp probe = k.stamp;
    if (!k.valid || probe.moved_on(owner) || k.user != user || k.session_user != session_user) {
        k.valid = false;
        check_question(question, type);
        bool isnull = false;
        Datum value = 0;
        guard([&] {
            LOCAL_FCINFO(call, 0);
            FmgrInfo info;
            fmgr_info(question, &info);
            InitFunctionCallInfoData(*call, &info, 0, InvalidOid, nullptr, nullptr);
            Datum answer = FunctionCallInvoke(call);
            isnull = call->isnull;
            if (!isnull) {
                int16 len;
                bool byval;
                get_typlenbyval(type, &len, &byval);
                value = answer;
                if (!byval) {
                    MemoryContext old = MemoryContextSwitchTo(TopTransactionContext);
                    value = datumCopy(answer, false, len);
                    MemoryContextSwitchTo(old);
                }
            }
        });
        k.isnull = isnull;
        k.value = value;
        k.stamp.moved_on(owner);
        k.user = user;
        k.session_user = session_user;
        k.valid = true;
    }
    fcinfo->isnull = k.isnull;
    return k.isnull ? 0 : k.value;
}

}  // namespace

extern "C" {

PG_ACTIONS_FUNCTION(pg_actions_remembered_ids) { return remembered(fcinfo, INT8ARRAYOID); }

PG_ACTIONS_FUNCTION(pg_actions_remembered_flag) { return remembered(fcinfo, BOOLOID); }

PG_ACTIONS_FUNCTION(pg_actions_remembered_id) { return remembered(fcinfo, INT8OID); }

PG_ACTIONS_FUNCTION(pg_actions_remembered_keys) {
    // actions.member_key[]: this function's own return type (its oid differs between databases).
    Oid type = guard([&] { return get_func_rettype(fcinfo->flinfo->fn_oid); });
    return remembered(fcinfo, type);
}

}  // extern "C"
