// The cluster secret, Citus' distributed transaction and the carried token (see identity_store.hpp),
// and actions.rotate_cluster_secret().
#include "pg/store/identity_store.hpp"

extern "C" {
#include "catalog/namespace.h"
#include "fmgr.h"
#include "funcapi.h"
#include "parser/parse_func.h"
#include "utils/fmgroids.h"
}

#include "pg/boundary/boundary.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/store/direct.hpp"

namespace core = pg_actions::core;

namespace pg_actions::pg::store {

namespace {

constexpr std::size_t secret_size = 32;
static_assert(secret_size >= core::cluster_key_min);

}  // namespace

std::optional<std::string> cluster_key() {
    struct Read {
        bool hit;
        char bytes[64];
        int length;
    };
    Read r = guard([]() -> Read {
        Read out{};
        if (!OidIsValid(direct::relation("cluster_secret"))) return out;
        direct::Key key = {nullptr, F_BOOLEQ, BoolGetDatum(true)};  // the index's expression (true)
        const char* cols[1] = {"secret"};
        Datum secret;
        bool null = true;
        if (!direct::lookup("cluster_secret", "cluster_secret_one_row", direct::global, 1, &key, 1, cols, &secret, &null,
                            nullptr) ||
            null)
            return out;
        bytea* b = DatumGetByteaPP(secret);
        std::size_t n = VARSIZE_ANY_EXHDR(b);
        if (n < core::cluster_key_min || n > sizeof(out.bytes)) return out;
        memcpy(out.bytes, VARDATA_ANY(b), n);
        out.length = static_cast<int>(n);
        out.hit = true;
        return out;
    });
    if (!r.hit) return std::nullopt;
    return std::string(r.bytes, static_cast<std::size_t>(r.length));
}

core::DistributedTransaction distributed_transaction() {
    struct Id {
        int32 node;
        uint64 number;
        int64 stamp;
    };
    Id id = guard([]() -> Id {
        Id out{};
        if (!OidIsValid(get_namespace_oid("pg_catalog", true))) return out;
        List* name = list_make2(makeString(pstrdup("pg_catalog")), makeString(pstrdup("get_current_transaction_id")));
        Oid fn = LookupFuncName(name, 0, nullptr, true);
        if (!OidIsValid(fn)) return out;  // no Citus in this database
        HeapTupleHeader row = DatumGetHeapTupleHeader(OidFunctionCall0(fn));
        bool null = false;
        out.node = DatumGetInt32(GetAttributeByNum(row, 3, &null));
        out.number = static_cast<uint64>(DatumGetInt64(GetAttributeByNum(row, 4, &null)));
        Datum stamp = GetAttributeByNum(row, 5, &null);
        out.stamp = null ? 0 : DatumGetTimestampTz(stamp);
        return out;
    });
    return core::DistributedTransaction{id.node, id.number, id.stamp};
}

void begin_distributed_transaction() {
    using Ensure = void (*)(void);
    static Ensure ensure = nullptr;
    if (!ensure) {
        ensure = guard([]() -> Ensure {
            return reinterpret_cast<Ensure>(load_external_function("$libdir/citus", "EnsureDistributedTransactionId", false, nullptr));
        });
        if (!ensure)
            throw PgError(ERRCODE_FEATURE_NOT_SUPPORTED, "this Citus has no EnsureDistributedTransactionId()",
                          "pg_actions carries the acting person to the workers bound to Citus' distributed "
                          "transaction id, which it asks Citus to assign with that function (Citus 11 to 13 have it)",
                          "install the Citus version pg_actions is built and tested with (13.2)");
    }
    guard([] { ensure(); });
}

void carry_identity_token(const std::string& token) {
    // A utility statement takes no parameters: the token is base64 (letters, digits, '+', '/', '='),
    // quoted all the same.
    std::string sql = guard([&]() -> const char* {
        return psprintf("SET LOCAL pg_actions.identity TO %s", quote_literal_cstr(token.c_str()));
    });
    LocalSetting propagate("citus.propagate_set_commands", "local");
    guard([&] {
        int rc = SPI_execute(sql.c_str(), false, 0);
        if (rc != SPI_OK_UTILITY) elog(ERROR, "pg_actions: SET LOCAL pg_actions.identity failed: %s", SPI_result_code_string(rc));
    });
}

}  // namespace pg_actions::pg::store

using namespace pg_actions::pg;

// rotate_cluster_secret(): 32 new random bytes replace the cluster secret (or make the first one);
// returns when. On Citus the table is a reference table: the write reaches every node at commit.
PG_ACTIONS_FUNCTION(pg_actions_rotate_cluster_secret) {
    Datum secret = guard([&]() -> Datum {
        bytea* b = static_cast<bytea*>(palloc(VARHDRSZ + pg_actions::pg::store::secret_size));
        SET_VARSIZE(b, VARHDRSZ + pg_actions::pg::store::secret_size);
        if (!pg_strong_random(VARDATA(b), pg_actions::pg::store::secret_size))
            ereport(ERROR, (errcode(ERRCODE_SYSTEM_ERROR), errmsg("could not generate a random cluster secret"),
                            errhint("check the server's source of random numbers (OpenSSL or /dev/urandom)")));
        return PointerGetDatum(b);
    });
    SpiScope spi;
    // Concurrent rotations queue on the row; the last one's secret stays.
    static Statement update("UPDATE actions.cluster_secret SET secret = $1, made_at = pg_catalog.statement_timestamp() "
                            "RETURNING made_at",
                            {BYTEAOID});
    static Statement insert("INSERT INTO actions.cluster_secret (secret, made_at) "
                            "VALUES ($1, pg_catalog.statement_timestamp()) RETURNING made_at",
                            {BYTEAOID});
    Datum v[1] = {secret};
    if (update.run(v, nullptr, 0) == 0) insert.run(v, nullptr, 0);
    TimestampTz made = *get_timestamptz(0, 1);
    PG_RETURN_TIMESTAMPTZ(made);
}
