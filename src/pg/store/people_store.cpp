// People, workspaces and trusted services: actions.person, workspace, trusted_service. (see people_store.hpp).
#include "pg/store/people_store.hpp"

#include "pg/boundary/spi.hpp"
#include "pg/store/direct.hpp"

namespace pg_actions::pg::store {

std::optional<std::string> workspace_time_zone(std::int64_t workspace_id) {
    static Statement q("SELECT time_zone FROM actions.workspace WHERE workspace_id = $1", {INT8OID});
    if (q.exec_limit(1, workspace_id) != 1) return std::nullopt;
    return get_text(0, 1).value_or("UTC");
}

std::optional<std::int32_t> workspace_today(std::int64_t workspace_id) {
    static Statement q(
        "SELECT (pg_catalog.now() AT TIME ZONE w.time_zone)::date FROM actions.workspace w WHERE w.workspace_id = $1",
        {INT8OID});
    if (q.exec_limit(1, workspace_id) != 1) return std::nullopt;
    bool null = true;
    return DatumGetDateADT(get_datum(0, 1, &null));
}

std::optional<PlaceholderContext> placeholder_context(std::int64_t workspace_id, std::int64_t actor,
                                                      std::optional<std::int64_t> due_at,
                                                      std::optional<std::int32_t> due_on,
                                                      std::optional<std::int32_t> due_in) {
    // The workspace's part and the person's apart: on Citus the first is routed to the workspace's
    // shard (its only table) and the second reads the reference table on this node. (A join of
    // the two with the LATERAL days Citus cannot route inside a call it delegated.)
    static Statement q(
        "SELECT w.name, to_char((now() AT TIME ZONE w.time_zone)::date, 'YYYY-MM-DD'), "
        "coalesce($3::date, (now() AT TIME ZONE w.time_zone)::date + $4::integer), "
        "CASE WHEN $2::timestamptz IS NOT NULL THEN to_char(($2::timestamptz AT TIME ZONE w.time_zone)::date, 'YYYY-MM-DD') "
        "ELSE to_char(coalesce($3::date, (now() AT TIME ZONE w.time_zone)::date + $4::integer), 'YYYY-MM-DD') END "
        "FROM actions.workspace w WHERE w.workspace_id = $1",
        {INT8OID, TIMESTAMPTZOID, DATEOID, INT4OID});
    static Statement name("SELECT display_name FROM actions.person WHERE person_id = $1", {INT8OID});
    std::string creator = name.exec_limit(1, actor) == 1 ? get_text(0, 1).value_or("") : "";
    if (q.exec_limit(1, workspace_id, due_at, due_on, due_in) != 1) return std::nullopt;
    PlaceholderContext c;
    c.workspace = get_text(0, 1).value_or("");
    c.creator = creator;
    c.created_on = get_text(0, 2).value_or("");
    bool null = true;
    Datum day = get_datum(0, 3, &null);
    if (!null) c.due_day = DatumGetDateADT(day);
    c.due_date = get_text(0, 4);
    return c;
}
std::unordered_map<std::int64_t, std::string> display_names(const std::vector<std::int64_t>& ids) {
    std::unordered_map<std::int64_t, std::string> names;
    if (ids.empty()) return names;
    static Statement q("SELECT person_id, display_name FROM actions.person WHERE person_id = ANY ($1)", {INT8ARRAYOID});
    std::uint64_t rows = q.exec(sql_datum(int64_array_datum(ids)));
    for (std::uint64_t i = 0; i < rows; i++) names.emplace(get_int64(i, 1), get_text(i, 2).value_or(""));
    return names;
}

namespace {

std::optional<std::int64_t> person_by(const char* index, const char* column, RegProcedure eq, Datum value) {
    struct Found {
        bool hit;
        std::int64_t person_id;
    };
    Found f = guard([&]() -> Found {
        direct::Key key = {column, eq, value};
        const char* cols[1] = {"person_id"};
        Datum id;
        bool null;
        bool hit = direct::lookup("person", index, direct::global, 1, &key, 1, cols, &id, &null, nullptr);
        return Found{hit && !null, hit && !null ? DatumGetInt64(id) : 0};
    });
    if (!f.hit) return std::nullopt;
    return f.person_id;
}

}  // namespace

std::optional<std::int64_t> person_of_login_role(Oid role_oid) {
    Datum role = guard([role_oid]() -> Datum {
        return DirectFunctionCall1(namein, CStringGetDatum(GetUserNameFromId(role_oid, false)));
    });
    return person_by("person_login_role_key", "login_role", F_NAMEEQ, role);
}

std::optional<std::int64_t> person_of_email(const std::string& email) {
    Datum value = guard([&]() -> Datum {
        Datum v = PointerGetDatum(cstring_to_text_with_len(email.data(), static_cast<int>(email.size())));
        return DirectFunctionCall1Coll(lower, DEFAULT_COLLATION_OID, v);
    });
    return person_by("person_email_key", nullptr, F_TEXTEQ, value);  // the index's expression lower(email)
}

std::optional<std::int64_t> person_of_external_id(const std::string& external_id) {
    Datum value = guard([&]() -> Datum {
        return PointerGetDatum(cstring_to_text_with_len(external_id.data(), static_cast<int>(external_id.size())));
    });
    return person_by("person_external_id_key", "external_id", F_TEXTEQ, value);
}

std::optional<std::string> authenticator_claim_of(Oid role_oid) {
    struct Reg {
        bool hit;
        char claim[8];
    };
    Reg r = guard([role_oid]() -> Reg {
        Reg out{};
        Datum role = DirectFunctionCall1(namein, CStringGetDatum(GetUserNameFromId(role_oid, false)));
        direct::Key key = {"role_name", F_NAMEEQ, role};
        const char* cols[1] = {"claim"};
        Datum claim;
        bool null;
        if (direct::lookup("trusted_service", "trusted_service_pkey", direct::global, 1, &key, 1, cols, &claim, &null, nullptr) && !null) {
            text* t = DatumGetTextPP(claim);
            size_t n = VARSIZE_ANY_EXHDR(t);
            if (n < sizeof(out.claim)) {
                memcpy(out.claim, VARDATA_ANY(t), n);
                out.claim[n] = '\0';
                out.hit = true;
            }
        }
        return out;
    });
    if (!r.hit) return std::nullopt;
    return std::string(r.claim);
}

std::optional<bool> trusted_service_sees_all(Oid session_user) {
    static Statement trusted(
        "SELECT pg_catalog.bool_or(t.sees = 'all') FROM actions.trusted_service t JOIN pg_catalog.pg_roles r "
        "ON r.rolname = t.role_name WHERE CASE WHEN t.claim IS NULL THEN pg_catalog.pg_has_role($1, r.oid, 'MEMBER') "
        "ELSE r.oid = $1 END",
        {OIDOID});
    trusted.exec_limit(1, sql_datum(ObjectIdGetDatum(session_user)));
    bool null;
    Datum any_all = get_datum(0, 1, &null);
    if (null) return std::nullopt;
    return DatumGetBool(any_all);
}

bool person_exists(std::int64_t person_id) {
    static Statement exists("SELECT 1 FROM actions.person WHERE person_id = $1", {INT8OID});
    return exists.exec_limit(1, person_id) != 0;
}

bool lock_workspace_no_key_update(std::int64_t workspace_id) {
    static Statement lock("SELECT 1 FROM actions.workspace WHERE workspace_id = $1 FOR NO KEY UPDATE", {INT8OID});
    return lock.exec(workspace_id) == 1;
}

std::optional<TimestampTz> workspace_end_of_day(std::int64_t workspace_id, DateADT day) {
    static Statement end_of_day(
        "SELECT ((($2 + 1)::timestamp AT TIME ZONE w.time_zone) - interval '1 microsecond') "
        "FROM actions.workspace w WHERE w.workspace_id = $1",
        {INT8OID, DATEOID});
    if (end_of_day.exec_limit(1, workspace_id, sql_datum(DateADTGetDatum(day))) != 1 || is_null(0, 1))
        return std::nullopt;
    return get_timestamptz(0, 1);
}

std::optional<std::int64_t> person_by_email(const std::string& email) {
    static Statement q("SELECT person_id FROM actions.person WHERE lower(email) = lower($1)", {TEXTOID});
    if (q.exec_limit(1, email) != 1) return std::nullopt;
    return get_int64(0, 1);
}

std::int64_t insert_person(const std::string& email, const std::optional<std::string>& display_name) {
    static Statement q(
        "INSERT INTO actions.person (email, display_name) "
        "VALUES ($1, coalesce($2, pg_catalog.left(pg_catalog.split_part($1, '@', 1), 200))) RETURNING person_id",
        {TEXTOID, TEXTOID});
    q.exec(email, display_name);
    return get_int64(0, 1);
}

void lock_workspace_row(std::int64_t workspace_id) {
    static Statement q("SELECT 1 FROM actions.workspace WHERE workspace_id = $1 FOR NO KEY UPDATE", {INT8OID});
    q.exec(workspace_id);
}

void update_workspace_absence_routing(std::int64_t workspace_id, const std::string& routing) {
    static Statement q("UPDATE actions.workspace SET absence_routing = $2 WHERE workspace_id = $1", {INT8OID, TEXTOID});
    q.exec(workspace_id, routing);
}

}  // namespace pg_actions::pg::store
