// actions.sees_action_of(workspace_id, action_id): whether the caller reads this action in
// actions.action under its row-level security, the test the policies of an action's log, evidence,
// notes, offers, escalations and procedure places follow (src/sql/66_distribution_keys.sql).
//
// Without SQL: on Citus it is called in the query a worker runs on a shard of such a table, where a
// statement on the distributed actions.action is refused ("cannot execute a distributed query
// from a query on a shard"). The action's row is read by index from the workspace's local shard
// (store::action_policy_columns(), as its own workspace's data always is on that node); then, when
// row-level security applies to the caller (check_enable_rls(): not the table's owner, a superuser
// nor a role that bypasses it), the row is tested by actions.sees_action(), the expression of the
// policy action_visible (the only permissive policy for SELECT on actions.action), compiled once
// per query: the SQL function is inlined by the planner into the remembered answers of the
// session (actions.remembered_*()) and actions.may_see_action()'s rule, so a row costs an index
// read and that expression, not a statement.
#include "pg/boundary/postgres.hpp"
extern "C" {
#include "catalog/namespace.h"
#include "executor/executor.h"
#include "nodes/makefuncs.h"
#include "optimizer/optimizer.h"
#include "parser/parse_func.h"
#include "utils/rls.h"
}

#include "pg/boundary/boundary.hpp"
#include "pg/store/action_store.hpp"

namespace pg = pg_actions::pg;
namespace store = pg_actions::pg::store;

namespace {

constexpr int policy_columns = 7;

// actions.sees_action($1, ..., $7) planned (inlined) and ready to run, for one query's calls.
struct Compiled {
    Oid action_table;
    ExprState* state;
    ExprContext* econtext;
    ParamListInfo params;
};

Compiled* compiled_for(FunctionCallInfo fcinfo) {
    if (fcinfo->flinfo->fn_extra) return static_cast<Compiled*>(fcinfo->flinfo->fn_extra);
    return pg::guard([&] {
        MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
        Oid types[policy_columns] = {INT8OID, INT8OID, INT8OID, INT8ARRAYOID, INT8OID, INT8OID, INT8OID};
        auto* c = static_cast<Compiled*>(palloc0(sizeof(Compiled)));
        Oid schema = get_namespace_oid("actions", false);
        c->action_table = get_relname_relid("action", schema);
        if (c->action_table == InvalidOid) elog(ERROR, "pg_actions: actions.action is missing");
        Oid fn = LookupFuncName(list_make2(makeString(pstrdup("actions")), makeString(pstrdup("sees_action"))),
                                policy_columns, types, false);
        List* args = NIL;
        c->params = makeParamList(policy_columns);
        c->params->numParams = policy_columns;
        for (int i = 0; i < policy_columns; i++) {
            Param* p = makeNode(Param);
            p->paramkind = PARAM_EXTERN;
            p->paramid = i + 1;
            p->paramtype = types[i];
            p->paramtypmod = -1;
            p->paramcollid = InvalidOid;
            p->location = -1;
            args = lappend(args, p);
            c->params->params[i].ptype = types[i];
            c->params->params[i].pflags = PARAM_FLAG_CONST;
            c->params->params[i].isnull = true;
        }
        Expr* call = (Expr*)makeFuncExpr(fn, BOOLOID, args, InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);
        c->state = ExecInitExprWithParams(expression_planner(call), c->params);
        c->econtext = CreateStandaloneExprContext();
        c->econtext->ecxt_param_list_info = c->params;
        MemoryContextSwitchTo(old);
        fcinfo->flinfo->fn_extra = c;
        return c;
    });
}

}  // namespace

PG_ACTIONS_FUNCTION(pg_actions_sees_action_of) {
    if (PG_ARGISNULL(0) || PG_ARGISNULL(1)) PG_RETURN_BOOL(false);
    std::int64_t workspace_id = PG_GETARG_INT64(0);
    std::int64_t action_id = PG_GETARG_INT64(1);
    Compiled* c = compiled_for(fcinfo);
    Datum values[policy_columns];
    bool nulls[policy_columns];
    if (!store::action_policy_columns(workspace_id, action_id, values, nulls)) PG_RETURN_BOOL(false);
    return pg::guard([&]() -> Datum {
        // As reading actions.action would: the caller needs SELECT on it; row-level security
        // applies unless the caller owns it, is a superuser or bypasses it (an error where
        // row_security is off and it would apply).
        if (pg_class_aclcheck(c->action_table, GetUserId(), ACL_SELECT) != ACLCHECK_OK)
            aclcheck_error(ACLCHECK_NO_PRIV, OBJECT_TABLE, "action");
        if (check_enable_rls(c->action_table, InvalidOid, false) != RLS_ENABLED) return BoolGetDatum(true);
        for (int i = 0; i < policy_columns; i++) {
            c->params->params[i].value = values[i];
            c->params->params[i].isnull = nulls[i];
        }
        ResetExprContext(c->econtext);
        bool isnull = false;
        Datum seen = ExecEvalExprSwitchContext(c->state, c->econtext, &isnull);
        return BoolGetDatum(!isnull && DatumGetBool(seen));
    });
}
