// The error boundary: SQLSTATEs of the core's refusals, copying a caught PostgreSQL error, and
// raising a captured exception once every C++ frame is gone (see boundary.hpp).
#include "pg/boundary/boundary.hpp"

#include <new>

namespace pg_actions::pg {

int sqlstate_of(core::RefusalKind kind) {
    switch (kind) {
        case core::RefusalKind::not_permitted: return ERRCODE_INSUFFICIENT_PRIVILEGE;
        case core::RefusalKind::invalid_value: return ERRCODE_INVALID_PARAMETER_VALUE;
        case core::RefusalKind::bad_date: return ERRCODE_DATETIME_FIELD_OVERFLOW;
        case core::RefusalKind::not_found: return ERRCODE_NO_DATA_FOUND;
        case core::RefusalKind::wrong_state: return ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE;
    }
    return ERRCODE_INTERNAL_ERROR;
}

namespace {
unsigned long caught_count = 0;
}

unsigned long errors_caught() { return caught_count; }

ErrorData* take_error(MemoryContext into) {
    caught_count++;
    MemoryContextSwitchTo(into);
    ErrorData* e = CopyErrorData();
    FlushErrorState();
    return e;
}

namespace {

// A copy that cannot raise: on allocation failure the text is dropped, the error still stands.
const char* copy_text(const std::string& s) noexcept {
    if (s.empty()) return nullptr;
    char* p = static_cast<char*>(palloc_extended(s.size() + 1, MCXT_ALLOC_NO_OOM));
    if (p == nullptr) return nullptr;
    memcpy(p, s.c_str(), s.size() + 1);
    return p;
}

// prefix + text without a std::string (whose allocation could throw inside a noexcept function).
const char* join_text(const char* prefix, const char* text) noexcept {
    if (text == nullptr) text = "";
    std::size_t a = strlen(prefix), b = strlen(text);
    char* p = static_cast<char*>(palloc_extended(a + b + 1, MCXT_ALLOC_NO_OOM));
    if (p == nullptr) return nullptr;
    memcpy(p, prefix, a);
    memcpy(p + a, text, b + 1);
    return p;
}

Oid running_function = InvalidOid;

}  // namespace

Oid current_function() { return running_function; }
void set_current_function(Oid fn) { running_function = fn; }

void capture(PendingError& out) noexcept {
    try {
        throw;
    } catch (const PgError& e) {
        if (e.edata) {
            out.edata = e.edata;
        } else {
            out.sqlstate = e.sqlstate;
            out.message = copy_text(e.message);
            out.detail = copy_text(e.detail);
            out.hint = copy_text(e.hint);
        }
    } catch (const std::bad_alloc&) {
        out.sqlstate = ERRCODE_OUT_OF_MEMORY;
        out.message = "out of memory in pg_actions";
    } catch (const std::exception& e) {
        out.sqlstate = ERRCODE_INTERNAL_ERROR;
        out.message = join_text("pg_actions internal error: ", e.what());
    } catch (...) {
        out.sqlstate = ERRCODE_INTERNAL_ERROR;
        out.message = "pg_actions internal error: unknown exception";
    }
    if (out.sqlstate && out.message == nullptr) out.message = "pg_actions error";
}

void raise(const PendingError& e) {
    if (e.edata) ReThrowError(e.edata);
    ereport(ERROR, (errcode(e.sqlstate), errmsg_internal("%s", e.message),
                    e.detail ? errdetail_internal("%s", e.detail) : 0,
                    e.hint ? errhint("%s", e.hint) : 0));
    pg_unreachable();
}

}  // namespace pg_actions::pg
