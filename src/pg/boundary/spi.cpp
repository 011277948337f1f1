// Every SQL statement the extension runs goes through Statement: planned once, run with the
// snapshot the calling function's volatility allows, results read with bounds checks (see spi.hpp).
#include "pg/boundary/spi.hpp"

#include <cstring>
#include <memory>
#include <string>

extern "C" {
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_proc.h"
#include "utils/inval.h"
#include "utils/syscache.h"
}

namespace pg_actions::pg {

Statement::Statement(const char* sql, std::initializer_list<Oid> types) : sql_(sql), nargs_(0) {
    // A static's constructor must not throw; run() refuses a statement that did not fit.
    too_many_args_ = types.size() > static_cast<std::size_t>(max_args);
    for (Oid t : types)
        if (nargs_ < max_args) types_[nargs_++] = t;
}

Statement::Statement(const char* sql, const Oid* types, int n) : sql_(sql), nargs_(0) {
    too_many_args_ = n > max_args;
    for (int i = 0; i < n && nargs_ < max_args; i++) types_[nargs_++] = types[i];
}

SPIPlanPtr Statement::plan() {
    if (plan_ == nullptr) {
        plan_ = guard([&]() -> SPIPlanPtr {
            SPIPlanPtr p = SPI_prepare(sql_, nargs_, types_);
            if (p == nullptr)
                elog(ERROR, "pg_actions: SPI_prepare failed (%s) for: %s",
                     SPI_result_code_string(SPI_result), sql_);
            if (SPI_keepplan(p) != 0) elog(ERROR, "pg_actions: SPI_keepplan failed");
            return p;
        });
    }
    return plan_;
}

namespace {
bool sql_forbidden = false;
std::optional<std::int64_t> forwarded_workspace;
constexpr const char* mark_open = "/*AND ";
}

LocalSetting::LocalSetting(const char* name, const char* value) {
    nest_ = guard([&] {
        if (!GetConfigOption(name, true, false)) return -1;
        int nest = NewGUCNestLevel();
        (void)set_config_option(name, value, PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
        return nest;
    });
}

LocalSetting::~LocalSetting() {
    if (nest_ >= 0) AtEOXact_GUC(true, nest_);
}

ForwardedCall::ForwardedCall(std::int64_t workspace_id) : outer_(forwarded_workspace) {
    forwarded_workspace = workspace_id;
}
ForwardedCall::~ForwardedCall() { forwarded_workspace = outer_; }

SPIPlanPtr Statement::forwarded_plan() {
    if (!marked_checked_) {
        marked_checked_ = true;
        // Every mark, each with the same parameter: a statement of several tables names the
        // workspace for each (so Citus restricts every one of them to its shard).
        std::string text;
        const char* rest = sql_;
        for (const char* open = strstr(rest, mark_open); open; open = strstr(rest, mark_open)) {
            const char* close = strstr(open, "*/");
            if (!close) break;
            const char* column = open + strlen(mark_open);
            text += std::string(rest, open - rest) + "AND " + std::string(column, close - column) + " = $" +
                    std::to_string(nargs_ + 1);
            rest = close + 2;
        }
        if (rest == sql_ || nargs_ >= max_args) return nullptr;
        text += rest;
        Oid types[max_args + 1];
        for (int i = 0; i < nargs_; i++) types[i] = types_[i];
        types[nargs_] = INT8OID;
        forwarded_ = guard([&]() -> SPIPlanPtr {
            SPIPlanPtr p = SPI_prepare(text.c_str(), nargs_ + 1, types);
            if (p == nullptr)
                elog(ERROR, "pg_actions: SPI_prepare failed (%s) for: %s", SPI_result_code_string(SPI_result),
                     text.c_str());
            if (SPI_keepplan(p) != 0) elog(ERROR, "pg_actions: SPI_keepplan failed");
            return p;
        });
    }
    return forwarded_;
}

AsExtensionOwner::AsExtensionOwner() {
    GetUserIdAndSecContext(&user_, &context_);
    Oid owner = guard([]() -> Oid {
        Oid schema = get_namespace_oid("actions", false);
        HeapTuple tuple = SearchSysCache1(NAMESPACEOID, ObjectIdGetDatum(schema));
        if (!HeapTupleIsValid(tuple)) elog(ERROR, "pg_actions: cache lookup failed for schema actions");
        Oid o = reinterpret_cast<Form_pg_namespace>(GETSTRUCT(tuple))->nspowner;
        ReleaseSysCache(tuple);
        return o;
    });
    SetUserIdAndSecContext(owner, context_ | SECURITY_LOCAL_USERID_CHANGE);
}

AsExtensionOwner::~AsExtensionOwner() { SetUserIdAndSecContext(user_, context_); }

AsCaller::AsCaller() {
    GetUserIdAndSecContext(&user_, &context_);
    Oid outer = GetOuterUserId();
    switched_ = outer != user_;
    if (switched_) SetUserIdAndSecContext(outer, context_ | SECURITY_LOCAL_USERID_CHANGE);
}

AsCaller::~AsCaller() {
    if (switched_) SetUserIdAndSecContext(user_, context_);
}

NoSqlHere::NoSqlHere() : outer_(sql_forbidden) { sql_forbidden = true; }
NoSqlHere::~NoSqlHere() { sql_forbidden = outer_; }

namespace {

// Volatility of the functions seen so far, forgotten when pg_proc changes (ALTER FUNCTION).
struct KnownFunction {
    Oid fn;
    bool is_volatile;
};
KnownFunction known_functions[32];
int known_count = 0;
bool proc_callback_registered = false;

void forget_functions(Datum, int, uint32) { known_count = 0; }

// Whether the running SQL-callable function is VOLATILE (see entry() in boundary.hpp); outside any
// entry point it is treated as one: never a stale read.
bool calling_function_volatile() {
    Oid fn = current_function();
    if (!OidIsValid(fn)) return true;
    for (int i = 0; i < known_count; i++)
        if (known_functions[i].fn == fn) return known_functions[i].is_volatile;
    bool is_volatile = guard([&]() -> bool {
        if (!proc_callback_registered) {
            CacheRegisterSyscacheCallback(PROCOID, forget_functions, (Datum)0);
            proc_callback_registered = true;
        }
        return func_volatile(fn) == PROVOLATILE_VOLATILE;
    });
    if (known_count < static_cast<int>(lengthof(known_functions))) known_functions[known_count++] = {fn, is_volatile};
    return is_volatile;
}

}  // namespace

std::uint64_t Statement::run(const Datum* values, const char* nulls, long limit) {
    if (sql_forbidden)
        throw PgError(ERRCODE_INTERNAL_ERROR, "pg_actions: SQL run from a function that must not run any",
                      sql_, "this is a bug in pg_actions; please report it");
    if (too_many_args_)
        throw PgError(ERRCODE_INTERNAL_ERROR, "pg_actions: statement has more parameters than it can hold", sql_,
                      "this is a bug in pg_actions; please report it");
    bool read_only = !calling_function_volatile();
    SPIPlanPtr p = plan();
    Datum forwarded_values[max_args + 1];
    char forwarded_nulls[max_args + 2];
    if (forwarded_workspace) {
        if (SPIPlanPtr f = forwarded_plan()) {
            for (int i = 0; i < nargs_; i++) {
                forwarded_values[i] = values[i];
                forwarded_nulls[i] = nulls ? nulls[i] : ' ';  // SPI reads no nulls array as none NULL
            }
            forwarded_values[nargs_] = Int64GetDatum(*forwarded_workspace);
            forwarded_nulls[nargs_] = ' ';
            forwarded_nulls[nargs_ + 1] = '\0';
            values = forwarded_values;
            nulls = forwarded_nulls;
            p = f;
        }
    }
    return guard([&]() -> std::uint64_t {
        int rc = SPI_execute_plan(p, const_cast<Datum*>(values), nulls, read_only, limit);
        if (rc < 0)
            elog(ERROR, "pg_actions: SPI_execute_plan failed (%s) for: %s",
                 SPI_result_code_string(rc), sql_);
        return SPI_processed;
    });
}

Portal Statement::open_cursor(const Datum* values, const char* nulls) {
    if (sql_forbidden || too_many_args_)
        throw PgError(ERRCODE_INTERNAL_ERROR, "pg_actions: cursor opened where no SQL may run", sql_,
                      "this is a bug in pg_actions; please report it");
    bool read_only = !calling_function_volatile();
    SPIPlanPtr p = plan();
    return guard([&]() -> Portal {
        return SPI_cursor_open(nullptr, p, const_cast<Datum*>(values), nulls, read_only);
    });
}

SpiScope::SpiScope() : errors_at_connect_(errors_caught()), unwinding_at_connect_(std::uncaught_exceptions()) {
    guard([] {
        if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "pg_actions: SPI_connect failed");
    });
    connected_ = true;
}

void SpiScope::finish() {
    if (!connected_) return;
    connected_ = false;
    guard([] { SPI_finish(); });
}

SpiScope::~SpiScope() {
    if (!connected_) return;
    // Unwinding from a PostgreSQL error: the abort that follows releases the connection.
    if (std::uncaught_exceptions() > unwinding_at_connect_ && errors_caught() != errors_at_connect_) return;
    connected_ = false;
    // SPI_finish raises nothing for a connection that is the current one; a destructor must not throw.
    try {
        guard([] { SPI_finish(); });
    } catch (...) {
    }
}

Datum get_datum(std::uint64_t row, int col, bool* isnull) {
    if (SPI_tuptable == nullptr || row >= SPI_processed || col < 1 || col > SPI_tuptable->tupdesc->natts)
        throw PgError(ERRCODE_INTERNAL_ERROR, "pg_actions: read of row " + std::to_string(row) + ", column " +
                          std::to_string(col) + " that the statement did not return",
                      "", "this is a bug in pg_actions; please report it");
    return SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col, isnull);
}

int result_columns() { return SPI_tuptable ? SPI_tuptable->tupdesc->natts : 0; }

std::optional<std::string> get_output_text(std::uint64_t row, int col) {
    bool isnull;
    get_datum(row, col, &isnull);  // checks the row and column
    if (isnull) return std::nullopt;
    char* v = guard([&] { return SPI_getvalue(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col); });
    std::string out = v ? v : "";
    if (v) pfree(v);
    return out;
}

bool is_null(std::uint64_t row, int col) {
    bool isnull;
    get_datum(row, col, &isnull);
    return isnull;
}

std::int64_t get_int64(std::uint64_t row, int col) {
    bool isnull;
    Datum d = get_datum(row, col, &isnull);
    return isnull ? 0 : DatumGetInt64(d);
}

std::optional<std::int64_t> get_opt_int64(std::uint64_t row, int col) {
    bool isnull;
    Datum d = get_datum(row, col, &isnull);
    if (isnull) return std::nullopt;
    return DatumGetInt64(d);
}

std::int32_t get_int32(std::uint64_t row, int col) {
    bool isnull;
    Datum d = get_datum(row, col, &isnull);
    return isnull ? 0 : DatumGetInt32(d);
}

bool get_bool(std::uint64_t row, int col) {
    bool isnull;
    Datum d = get_datum(row, col, &isnull);
    return !isnull && DatumGetBool(d);
}

std::optional<std::string> get_text(std::uint64_t row, int col) {
    bool isnull;
    Datum d = get_datum(row, col, &isnull);
    if (isnull) return std::nullopt;
    return text_of(d);
}

std::optional<TimestampTz> get_timestamptz(std::uint64_t row, int col) {
    bool isnull;
    Datum d = get_datum(row, col, &isnull);
    if (isnull) return std::nullopt;
    return DatumGetTimestampTz(d);
}

std::string text_of(Datum d) {
    struct Span {
        const char* data;
        int len;
    };
    // Detoasting allocates; the bytes stay valid in the current memory context.
    Span s = guard([&]() -> Span {
        text* t = DatumGetTextPP(d);
        return Span{VARDATA_ANY(t), static_cast<int>(VARSIZE_ANY_EXHDR(t))};
    });
    return std::string(s.data, static_cast<std::size_t>(s.len));
}

namespace {

// The elements of an array datum (deconstructed in the current memory context).
struct Items {
    Datum* values;
    bool* nulls;
    int count;
};
Items array_items(Datum d, Oid element, int len, bool byval, char align) {
    return guard([&]() -> Items {
        Items it{};
        deconstruct_array(DatumGetArrayTypeP(d), element, len, byval, align, &it.values, &it.nulls, &it.count);
        return it;
    });
}

}  // namespace

std::vector<std::string> text_array(Datum d) {
    Items items = array_items(d, TEXTOID, -1, false, TYPALIGN_INT);
    std::vector<std::string> out;
    for (int i = 0; i < items.count; i++)
        if (!items.nulls[i]) out.push_back(text_of(items.values[i]));
    return out;
}

std::vector<std::int64_t> int64_array(Datum d, bool* had_null) {
    Items items = array_items(d, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
    std::vector<std::int64_t> out;
    if (had_null) *had_null = false;
    for (int i = 0; i < items.count; i++) {
        if (items.nulls[i]) {
            if (had_null) *had_null = true;
            continue;
        }
        out.push_back(DatumGetInt64(items.values[i]));
    }
    return out;
}

Datum int64_array_datum(const std::vector<std::int64_t>& ids) {
    const std::int64_t* data = ids.data();
    int count = static_cast<int>(ids.size());
    return guard([&]() -> Datum {
        Datum* elems = static_cast<Datum*>(palloc(sizeof(Datum) * (count > 0 ? count : 1)));
        for (int i = 0; i < count; i++) elems[i] = Int64GetDatum(data[i]);
        return PointerGetDatum(construct_array(elems, count, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
    });
}

Datum text_array_datum(const std::vector<std::string>& texts) {
    std::vector<Datum> elems;
    for (const std::string& t : texts) elems.push_back(text_datum(t));
    Datum* data = elems.data();
    int count = static_cast<int>(elems.size());
    return guard([&]() -> Datum {
        return PointerGetDatum(construct_array(data, count, TEXTOID, -1, false, TYPALIGN_INT));
    });
}

Datum text_row_datum(const TextRow& texts) {
    std::vector<Datum> elems;
    std::unique_ptr<bool[]> nulls(new bool[texts.size() + 1]);
    for (std::size_t i = 0; i < texts.size(); i++) {
        nulls[i] = !texts[i];
        elems.push_back(texts[i] ? text_datum(*texts[i]) : Datum(0));
    }
    Datum* data = elems.data();
    bool* null_flags = nulls.get();
    int dims[1] = {static_cast<int>(elems.size())};
    int lbs[1] = {1};
    return guard([&]() -> Datum {
        return PointerGetDatum(construct_md_array(data, null_flags, 1, dims, lbs, TEXTOID, -1, false, TYPALIGN_INT));
    });
}

TextRow text_row(Datum d) {
    Items items = array_items(d, TEXTOID, -1, false, TYPALIGN_INT);
    TextRow out;
    for (int i = 0; i < items.count; i++)
        out.push_back(items.nulls[i] ? std::nullopt : std::optional<std::string>(text_of(items.values[i])));
    return out;
}

SqlArg sql_now() { return {TimestampTzGetDatum(GetCurrentTransactionStartTimestamp()), false}; }

Datum text_datum(const std::string& s) {
    const char* data = s.data();
    int len = static_cast<int>(s.size());
    return guard([&]() -> Datum { return PointerGetDatum(cstring_to_text_with_len(data, len)); });
}

std::string session_role_name() {
    const char* name = guard([]() -> const char* { return GetUserNameFromId(GetSessionUserId(), false); });
    return std::string(name);
}

}  // namespace pg_actions::pg
