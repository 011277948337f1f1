// actions.forward(workspace_id, fn, args): runs one of the functions taking an entity's id here,
// with its arguments given as text. On Citus it is a distributed function colocated with
// actions.workspace, so the coordinator sends a call through it to the node holding the workspace
// (boundary/routing.cpp). Anyone may call it: it runs fn as the caller, only if the caller may
// EXECUTE fn, and only a function of schema actions that route_to_workspace sends (taking an
// entity's id or an invitation's token, or a question about the acting person across workspaces),
// so it does nothing the caller could not do by calling fn.
#include "pg/boundary/boundary.hpp"

extern "C" {
#include "catalog/pg_proc.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
}

#include "pg/boundary/compat.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/store/routing_store.hpp"

using namespace pg_actions::pg;

PG_ACTIONS_FUNCTION(pg_actions_forward) {
    if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
        throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "actions.forward() takes a workspace, a function and its arguments",
                      "", "pass the arguments as a text array, NULL elements for NULL arguments");
    Oid fn = PG_GETARG_OID(1);
    struct Target {
        bool exists = false;
        int nargs = 0;
        bool variadic = false;
        char* name = nullptr;
    };
    Target t = guard([fn]() -> Target {
        Target out;
        HeapTuple tp = SearchSysCache1(PROCOID, ObjectIdGetDatum(fn));
        if (!HeapTupleIsValid(tp)) return out;
        auto* p = reinterpret_cast<Form_pg_proc>(GETSTRUCT(tp));
        out = Target{true, p->pronargs, OidIsValid(p->provariadic), pstrdup(NameStr(p->proname))};
        ReleaseSysCache(tp);
        return out;
    });
    bool in_workspace = true;
    if (!t.exists || !forwardable(fn, &in_workspace) || t.variadic)
        throw PgError(ERRCODE_INVALID_PARAMETER_VALUE,
                      "actions.forward() runs only the functions of schema actions that take an entity's id, an invitation's "
                      "token, or ask about the acting person across workspaces", "",
                      "call a function taking a workspace_id directly: on Citus it is routed by its workspace");
    if (!guard([fn] { return compat::may_execute(fn, GetUserId()); }))
        throw PgError(ERRCODE_INSUFFICIENT_PRIVILEGE, std::string("permission denied for function ") + t.name);
    TextRow args = text_row(PG_GETARG_DATUM(2));
    if (static_cast<int>(args.size()) != t.nargs)
        throw PgError(ERRCODE_INVALID_PARAMETER_VALUE,
                      std::string("actions.") + t.name + "() takes " + std::to_string(t.nargs) + " arguments, not " +
                          std::to_string(args.size()),
                      "", "give every argument, defaults included, in order");
    std::vector<TextRow> rows;
    {
        // A question across workspaces reads every workspace placed on this node.
        std::optional<ForwardedCall> forwarded;
        if (in_workspace) forwarded.emplace(PG_GETARG_INT64(0));
        SpiScope spi;
        rows = store::call_here(fn, args);
    }
    // One column of text[]: a RETURNS TABLE of one column is not a row type.
    TupleDesc desc = nullptr;
    Tuplestorestate* store = guard([&] { return begin_set(fcinfo, TEXTARRAYOID, &desc); });
    for (const TextRow& row : rows) {
        check_for_interrupts();
        Datum value = text_row_datum(row);
        bool null = false;
        guard([&] { tuplestore_putvalues(store, desc, &value, &null); });
    }
    return (Datum)0;
}

// actions.workspace_of_ids(workspace_id, argument, ids): on the node holding workspace_id (any
// workspace placed there: only the routing key), the workspace of each id the entity argument
// names that this node's shards hold and the caller may see (the table's row-level security, as
// a read of it would apply it): an id the caller may not see is left out exactly like an id that
// is not there, and the call is then run where it was made, where it says "not found" itself.
PG_ACTIONS_FUNCTION(pg_actions_workspace_of_ids) {
    // No argument or no ids: no rows (an empty set, never a value in place of one).
    std::string argument = PG_ARGISNULL(1) ? "" : text_of(PG_GETARG_DATUM(1));
    std::vector<std::int64_t> ids;
    if (!PG_ARGISNULL(2)) ids = int64_array(PG_GETARG_DATUM(2));
    struct Home {
        std::int64_t id, workspace_id;
    };
    std::vector<Home> homes;
    {
        SpiScope spi;
        for (std::int64_t id : ids) {
            check_for_interrupts();
            if (std::optional<std::int64_t> ws = store::visible_workspace_here(argument, id)) homes.push_back(Home{id, *ws});
        }
    }
    TupleDesc desc = nullptr;
    Tuplestorestate* store = guard([&] { return begin_set(fcinfo, InvalidOid, &desc); });
    for (const Home& h : homes) {
        Datum values[2] = {Int64GetDatum(h.id), Int64GetDatum(h.workspace_id)};
        bool nulls[2] = {false, false};
        guard([&] { tuplestore_putvalues(store, desc, values, nulls); });
    }
    return (Datum)0;
}
