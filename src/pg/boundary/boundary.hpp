// The C++ / PostgreSQL error boundary (docs/design.md).
//
// PostgreSQL raises errors with longjmp, C++ with exceptions; neither may cross the other.
// - guard(f) runs a PostgreSQL call; an ERROR it raises is caught with PG_TRY, copied, and
//   rethrown as PgError. f itself must hold no object with a non-trivial destructor.
// - entry(fcinfo, body) is the only way an extern "C" function runs C++ (body: a lambda that
//   captures fcinfo by reference): an exception is
//   turned into plain palloc'd data inside the catch block, and ereport happens after it.
// - Expected refusals from the core travel as PgError too and become one SQLSTATE each.
#pragma once

#include "pg/boundary/postgres.hpp"

#include <exception>
#include <optional>
#include <type_traits>
#include <string>
#include <utility>
#include <variant>

#include "core/refusal.hpp"

namespace pg_actions::pg {

// A base for the scopes (SpiScope, NoSqlHere, DigestScope): what they hold is released once.
struct Uncopyable {
    Uncopyable() = default;
    Uncopyable(const Uncopyable&) = delete;
    Uncopyable& operator=(const Uncopyable&) = delete;
};

struct PgError : std::exception {
    ErrorData* edata = nullptr;  // a caught PostgreSQL error, rethrown unchanged
    int sqlstate = 0;            // or a refusal of ours
    std::string message, detail, hint;

    explicit PgError(ErrorData* caught) : edata(caught) {}
    PgError(int code, std::string msg, std::string det = {}, std::string hnt = {})
        : sqlstate(code), message(std::move(msg)), detail(std::move(det)), hint(std::move(hnt)) {}
    const char* what() const noexcept override { return edata ? edata->message : message.c_str(); }
};

int sqlstate_of(core::RefusalKind kind);

[[noreturn]] inline void refuse(const core::Refusal& r) {
    throw PgError(sqlstate_of(r.kind), r.message, r.detail, r.hint);
}
inline void refuse_if(const std::optional<core::Refusal>& r) {
    if (r) refuse(*r);
}
// The value of a core answer that is a value or a refusal; the refusal is raised.
template <typename T>
T take(std::variant<T, core::Refusal> v) {
    if (auto* r = std::get_if<core::Refusal>(&v)) refuse(*r);
    return std::get<T>(std::move(v));
}

// Copies the pending PostgreSQL error out of ErrorContext and clears it; called right after
// PG_CATCH, before any C++ unwinding starts.
ErrorData* take_error(MemoryContext into);
// How many PostgreSQL errors take_error() has caught in this backend (SpiScope reads it).
unsigned long errors_caught();

template <typename F>
auto guard(F&& f) -> decltype(f()) {
    using R = decltype(f());
    MemoryContext cxt = CurrentMemoryContext;
    ErrorData* volatile caught = nullptr;
    if constexpr (std::is_void_v<R>) {
        PG_TRY();
        { f(); }
        PG_CATCH();
        { caught = take_error(cxt); }
        PG_END_TRY();
        if (caught) throw PgError(caught);
    } else {
        static_assert(std::is_trivially_copyable_v<R>, "guarded calls return plain values");
        // Written through a pointer so the value lives in memory, not in a register longjmp may restore.
        R result{};
        R* volatile slot = &result;
        PG_TRY();
        { *slot = f(); }
        PG_CATCH();
        { caught = take_error(cxt); }
        PG_END_TRY();
        if (caught) throw PgError(caught);
        return result;
    }
}

// CHECK_FOR_INTERRUPTS() for C++ code (docs/design.md, "Cancelling"): when an interrupt is pending,
// PostgreSQL processes it inside guard(), so the error it raises for a cancel, a statement_timeout
// or a terminate (SQLSTATE 57014, 57P01) travels as a PgError, unwinding C++ frames with their
// destructors, and entry() raises it again once none is left; an interrupt that raises nothing
// (a catch-up, a barrier) lets the work go on. Cheap when none is pending: one load and a test.
// Installed as the core's interrupt check (core/interrupts.hpp) by _PG_init. Safe anywhere C++
// runs; plain C code inside guard() calls CHECK_FOR_INTERRUPTS() itself.
inline void check_for_interrupts() {
    if (INTERRUPTS_PENDING_CONDITION()) guard([] { ProcessInterrupts(); });
}

// Raised after every C++ frame of the body is gone.
struct PendingError {
    ErrorData* edata = nullptr;
    int sqlstate = 0;
    const char* message = nullptr;
    const char* detail = nullptr;
    const char* hint = nullptr;
};
[[noreturn]] void raise(const PendingError& e);
// Fills `out` from the exception being handled; allocates without ever raising.
void capture(PendingError& out) noexcept;

// The SQL-callable function running now (InvalidOid outside any): its volatility decides the
// snapshot of every statement it runs (spi.cpp). Reset when a transaction ends.
Oid current_function();
void set_current_function(Oid fn);

// Throws unless the installed schema (pg_extension.extversion) is the version this library was
// built for; checked once per transaction, not during pg_actions' own extension scripts (module.cpp).
void require_matching_schema();

// On the coordinator of a Citus cluster (actions.distribute() ran), a call of a function that
// takes an entity's id instead of a workspace (complete(action_id), bulk_reassign(action_ids, ...))
// is sent to the node holding the entity's workspace: the workspace read by id (per-workspace
// tables), then the call sent whole through actions.forward(), once per workspace for ids of
// several (a set-returning function's rows are joined; any other refuses 0A000). Returns false,
// leaving the call to run here, anywhere else, for other functions, for reference data (calendars)
// and for ids no workspace holds (the function then says "not found" itself); true with *result
// set when the call ran on the worker (routing.cpp). accept_invitation(token) goes to the workspace
// its token begins with; the questions about the acting person across workspaces are asked of
// every worker and their answers joined. Not for a call made inside another of pg_actions' functions.
bool route_to_workspace(FunctionCallInfo fcinfo, Datum* result);
// Makes the call's result a materialized set (plain C: run it guarded): of the function's row type,
// or of one column of scalar_type when it is valid. Returns the store to put the rows in; *desc its
// descriptor. Errors where the caller cannot take a set.
Tuplestorestate* begin_set(FunctionCallInfo fcinfo, Oid scalar_type, TupleDesc* desc);
// The argument that makes fn take an entity's id, as route_to_workspace reads it ("" for none).
const std::string& entity_argument(Oid fn);
// Whether actions.forward() may run fn: a function route_to_workspace sends to another node (by an
// entity's id, by an invitation's token, or a question about the acting person asked of every node
// and joined: member_workspaces(), candidate_actions(), ...). *in_workspace: whether a forwarded call
// is for one workspace (its statements then read that workspace only), false for such a question.
bool forwardable(Oid fn, bool* in_workspace);

// check_schema is false only where refusing would trap the DBA: the event trigger that runs when
// pg_actions is dropped, which must work whatever version the installed schema is.
template <typename Body>
Datum entry(FunctionCallInfo fcinfo, Body body, bool check_schema = true) {
    PendingError pending;
    Datum result = 0;
    Oid outer = current_function();
    set_current_function(fcinfo->flinfo ? fcinfo->flinfo->fn_oid : InvalidOid);
    try {
        if (check_schema) require_matching_schema();
        // The body captures fcinfo: a parameter of that name would shadow it.
        if (!(check_schema && !OidIsValid(outer) && route_to_workspace(fcinfo, &result))) result = body();
    } catch (...) {
        capture(pending);
    }
    set_current_function(outer);
    if (pending.edata || pending.sqlstate) raise(pending);
    return result;
}

}  // namespace pg_actions::pg

// Defines the SQL-callable C function NAME (LANGUAGE c ... AS 'MODULE_PATHNAME', 'NAME') whose body,
// written after the macro in braces with `fcinfo` in scope, runs through entry(): the only way an
// extern "C" function runs C++.
#define PG_ACTIONS_FUNCTION(NAME)                                                       \
    static Datum NAME##_body(FunctionCallInfo fcinfo);                                   \
    extern "C" {                                                                         \
    PG_FUNCTION_INFO_V1(NAME);                                                           \
    Datum NAME(PG_FUNCTION_ARGS) {                                                       \
        return pg_actions::pg::entry(fcinfo, [&]() -> Datum { return NAME##_body(fcinfo); }); \
    }                                                                                    \
    }                                                                                    \
    static Datum NAME##_body([[maybe_unused]] FunctionCallInfo fcinfo)
