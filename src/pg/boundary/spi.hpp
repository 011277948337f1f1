// Prepared statements kept for the life of the backend, run through the error guard.
#pragma once

#include "pg/boundary/boundary.hpp"

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace pg_actions::pg {

// One argument of a statement: a value, or SQL NULL.
struct SqlArg {
    Datum value = 0;
    bool null = false;
};
Datum text_datum(const std::string& s);
inline SqlArg sql_arg(std::int64_t v) { return {Int64GetDatum(v), false}; }  // bigint, timestamptz
inline SqlArg sql_arg(std::int32_t v) { return {Int32GetDatum(v), false}; }
inline SqlArg sql_arg(bool v) { return {BoolGetDatum(v), false}; }
inline SqlArg sql_arg(const std::string& v) { return {text_datum(v), false}; }
inline SqlArg sql_arg(const char* v) { return {text_datum(v), false}; }
inline SqlArg sql_arg(SqlArg v) { return v; }
template <typename T>
SqlArg sql_arg(const std::optional<T>& v) {
    return v ? sql_arg(*v) : SqlArg{0, true};
}
// A datum of the statement's declared type (an array, a date, an interval).
inline SqlArg sql_datum(Datum d, bool null = false) { return {d, null}; }
// now() (the transaction's start) as a timestamptz argument: for a statement that needs it inside
// CASE or coalesce(), which Citus refuses in a write to a distributed table when it is a function.
SqlArg sql_now();

// The arguments of one call as SPI takes them: values, and ' ' or 'n' (NULL) for each.
template <std::size_t N>
struct SqlArgs {
    Datum values[N + 1];
    char nulls[N + 1];
    template <typename... T>
    explicit SqlArgs(const T&... args) {
        SqlArg a[N + 1] = {sql_arg(args)...};
        for (std::size_t i = 0; i < N; i++) {
            values[i] = a[i].value;
            nulls[i] = a[i].null ? 'n' : ' ';
        }
    }
};

// One SQL statement with fixed argument types, planned once per backend (SPI_keepplan) and
// re-planned by PostgreSQL's plan cache when the tables change. Trivially destructible, so it
// can be a function-local static.
class Statement {
public:
    Statement(const char* sql, std::initializer_list<Oid> types);
    // The same for a statement made at run time (sql must outlive it; types: n of them).
    Statement(const char* sql, const Oid* types, int n);
    // Executes with values/nulls (nulls: ' ' or 'n' per argument). Returns rows processed.
    // The snapshot follows the calling function's volatility, decided here and nowhere else: a
    // VOLATILE function (every function that writes, every trigger) reads what is committed now
    // plus its own statement's writes; only a STABLE function reads its caller's snapshot.
    std::uint64_t run(const Datum* values, const char* nulls, long limit = 0);
    // The same with typed arguments (sql_arg): q.exec(workspace_id, std::optional<std::string>{}, ...).
    template <typename... T>
    std::uint64_t exec(const T&... args) {
        return exec_limit(0, args...);
    }
    template <typename... T>
    std::uint64_t exec_limit(long limit, const T&... args) {
        SqlArgs<sizeof...(T)> a(args...);
        return run(a.values, a.nulls, limit);
    }
    // open_cursor() with typed arguments (sql_arg).
    template <typename... T>
    Portal cursor(const T&... args) {
        SqlArgs<sizeof...(T)> a(args...);
        return open_cursor(a.values, a.nulls);
    }
    // The first column of every row, as bigints (a column that holds no NULL).
    template <typename... T>
    std::vector<std::int64_t> exec_ids(const T&... args);
    // The same statement as a cursor (for results too large to hold at once), same snapshot rule.
    Portal open_cursor(const Datum* values, const char* nulls);
    SPIPlanPtr plan();

private:
    const char* sql_;
    static constexpr int max_args = 20;
    Oid types_[max_args];
    int nargs_;
    bool too_many_args_ = false;
    SPIPlanPtr plan_ = nullptr;
    // The plan of the text with each /*AND column*/ mark made "AND column = $n+1" (nullptr: no mark).
    SPIPlanPtr forwarded_plan();
    SPIPlanPtr forwarded_ = nullptr;
    bool marked_checked_ = false;
};

// While a call sent by the coordinator of a Citus cluster runs (actions.forward(), for a function
// taking an entity's id), the workspace it was sent for. A statement that finds a row by its id
// alone carries a mark where the workspace belongs, /*AND workspace_id*/ (or /*AND s.workspace_id*/):
// a comment anywhere else, and in such a call "AND workspace_id = <the workspace>", so Citus finds
// the shard (a read by id alone would be a query of every shard, refused with FOR UPDATE) and the
// row of another workspace reads as missing.
class ForwardedCall : Uncopyable {
public:
    explicit ForwardedCall(std::int64_t workspace_id);
    ~ForwardedCall();

private:
    std::optional<std::int64_t> outer_;
};

// Sets a configuration parameter while it lives, as a function's SET clause does: restored when
// it ends (or by the abort of the (sub)transaction an error ends in). A parameter this server does
// not have (a Citus setting without Citus) is left alone.
class LocalSetting : Uncopyable {
public:
    LocalSetting(const char* name, const char* value);
    ~LocalSetting();

private:
    int nest_ = -1;
};

// Runs as the owner of pg_actions' objects (the owner of schema actions, the extension's owner)
// while it lives, as a SECURITY DEFINER function does, for statements made outside any of the
// extension's functions (the executor hook of identity/actor.cpp). Restored when it ends; an
// error's (sub)transaction abort restores it too.
class AsExtensionOwner : Uncopyable {
public:
    AsExtensionOwner();
    ~AsExtensionOwner();

private:
    Oid user_ = InvalidOid;
    int context_ = 0;
};

// Switches to the role the call was made as (GetOuterUserId(): a SECURITY DEFINER function runs
// as its owner) while it lives: Citus opens its connections to the workers as the current role,
// and the node that runs a call sent on from the coordinator must see the caller, exactly as when
// Citus sends a distributed function's call itself (routing.cpp).
class AsCaller : Uncopyable {
public:
    AsCaller();
    ~AsCaller();

private:
    Oid user_ = InvalidOid;
    int context_ = 0;
    bool switched_ = false;
};

// Held while a function that runs as the caller, with the caller's search_path, is working
// (actions.can(), actions.why_not()): it reads through the index API only, and running SQL then
// is a bug, refused before any statement could resolve a name the caller shadowed.
class NoSqlHere : Uncopyable {
public:
    NoSqlHere();
    ~NoSqlHere();

private:
    bool outer_;
};

// The only way to connect to SPI: a scope that connects when made and finishes when it ends,
// on a return and on a refusal alike. finish() ends it early, before a result that must outlive
// SPI's memory (a text, an array) is built. When it is unwound by an exception after a PostgreSQL
// error was caught in it, SPI's stack may still hold connections of the code that failed (a
// trigger, a nested function), so the scope leaves its own to the (sub)transaction abort that
// must follow such an error (AtEOXact_SPI / AtEOSubXact_SPI release every connection made in it)
// instead of popping one that is not its own. (An error handled inside the scope was rolled back
// to a subtransaction, which restored the stack, so a normal end always finishes.)
class SpiScope : Uncopyable {
public:
    SpiScope();
    ~SpiScope();
    void finish();

private:
    bool connected_ = false;
    unsigned long errors_at_connect_;
    int unwinding_at_connect_;
};

// Readers of the current SPI result (row `row`, 1-based column `col`). A row or column the
// result does not have is an internal error (PgError), never a read of memory it does not own.
bool is_null(std::uint64_t row, int col);
std::int64_t get_int64(std::uint64_t row, int col);

template <typename... T>
std::vector<std::int64_t> Statement::exec_ids(const T&... args) {
    std::uint64_t rows = exec(args...);
    std::vector<std::int64_t> ids;
    ids.reserve(rows);
    for (std::uint64_t i = 0; i < rows; i++) ids.push_back(get_int64(i, 1));
    return ids;
}
std::optional<std::int64_t> get_opt_int64(std::uint64_t row, int col);
std::int32_t get_int32(std::uint64_t row, int col);
bool get_bool(std::uint64_t row, int col);
std::optional<std::string> get_text(std::uint64_t row, int col);
std::optional<TimestampTz> get_timestamptz(std::uint64_t row, int col);
Datum get_datum(std::uint64_t row, int col, bool* isnull);
// The number of columns of the current SPI result, and a column of it as its type's text output.
int result_columns();
std::optional<std::string> get_output_text(std::uint64_t row, int col);

// Conversions that allocate (and so may raise) run guarded.
std::string text_of(Datum d);        // a text datum
std::vector<std::string> text_array(Datum d);  // a text[] datum, NULL elements skipped
// A bigint[] datum's elements; *had_null tells whether it held NULL elements (which are skipped).
std::vector<std::int64_t> int64_array(Datum d, bool* had_null = nullptr);
Datum int64_array_datum(const std::vector<std::int64_t>& ids);
Datum text_array_datum(const std::vector<std::string>& texts);
// text[] with NULL elements, both ways (a one-dimensional array; NULL elements kept in place).
using TextRow = std::vector<std::optional<std::string>>;
Datum text_row_datum(const TextRow& texts);
TextRow text_row(Datum d);
std::string session_role_name();

}  // namespace pg_actions::pg
