// The list cursors' secret (see list_secret.hpp) and actions.rotate_list_secret().
#include "pg/store/list_secret.hpp"

#include "pg/boundary/postgres.hpp"

#include "core/listing.hpp"
#include "pg/boundary/boundary.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/boundary/statement_memo.hpp"

namespace core = pg_actions::core;

namespace pg_actions::pg {

namespace {

constexpr std::size_t secret_size = 32;
static_assert(secret_size >= core::list_cursor_key_min);

[[noreturn]] void missing(const char* detail) {
    throw PgError(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, "the list cursor secret is missing", detail,
                  "an administrator makes a new one with actions.rotate_list_secret()");
}

}  // namespace

const std::string& list_cursor_key() {
    static StatementStamp stamp;
    static std::string key;
    if (!stamp.moved_on(0) && !key.empty()) return key;
    key.clear();
    static Statement read("SELECT secret FROM actions.list_secret", {});
    std::uint64_t n = read.run(nullptr, nullptr, 2);
    if (n != 1) missing("actions.list_secret holds no row");
    bool null = true;
    Datum d = get_datum(0, 1, &null);
    if (null) missing("actions.list_secret holds a NULL secret");
    const bytea* b = guard([&]() -> const bytea* { return DatumGetByteaPP(d); });
    std::string bytes(VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
    if (bytes.size() < core::list_cursor_key_min) missing("actions.list_secret holds a secret too short");
    key = std::move(bytes);
    return key;
}

}  // namespace pg_actions::pg

using namespace pg_actions::pg;

// rotate_list_secret(): 32 new random bytes replace the secret; returns when.
PG_ACTIONS_FUNCTION(pg_actions_rotate_list_secret) {
    Datum secret = guard([&]() -> Datum {
        bytea* b = static_cast<bytea*>(palloc(VARHDRSZ + secret_size));
        SET_VARSIZE(b, VARHDRSZ + secret_size);
        if (!pg_strong_random(VARDATA(b), secret_size))
            ereport(ERROR, (errcode(ERRCODE_SYSTEM_ERROR), errmsg("could not generate a random list secret"),
                            errhint("check the server's source of random numbers (OpenSSL or /dev/urandom)")));
        return PointerGetDatum(b);
    });
    SpiScope spi;
    // Concurrent rotations queue on the row; the last one's secret stays.
    static Statement update("UPDATE actions.list_secret SET secret = $1, made_at = pg_catalog.statement_timestamp() "
                            "RETURNING made_at",
                            {BYTEAOID});
    static Statement insert("INSERT INTO actions.list_secret (secret, made_at) "
                            "VALUES ($1, pg_catalog.statement_timestamp()) RETURNING made_at",
                            {BYTEAOID});
    Datum v[1] = {secret};
    if (update.run(v, nullptr, 0) == 0) insert.run(v, nullptr, 0);
    TimestampTz made = *get_timestamptz(0, 1);
    PG_RETURN_TIMESTAMPTZ(made);
}
