// The act_as choice lives in backend memory only, tied to one local transaction id: there is no
// setting a client could SET, before or after the library is loaded, to impersonate anyone.
#include "pg/identity/actor.hpp"
#include "pg/boundary/compat.hpp"

#include "pg/store/direct.hpp"
#include "pg/boundary/spi.hpp"

namespace pg_actions::pg {

namespace {

struct Resolved {
    LocalTransactionId lxid = InvalidLocalTransactionId;
    Oid session_user = InvalidOid;  // SET SESSION AUTHORIZATION may change it mid-transaction
    bool found = false;
    std::int64_t person_id = 0;
};

Resolved resolved;  // cache of current_actor() for one transaction
Resolved acting_for;  // set by actions.act_as() for one transaction

// What act_as() replaced, per subtransaction that called it: ROLLBACK TO SAVEPOINT puts it back,
// RELEASE hands it to the parent. Plain data, so a fixed array; deeper nesting is refused.
struct Replaced {
    SubTransactionId in;
    Resolved previous;
};
Replaced replaced[32];
int replaced_count = 0;

std::uint64_t generation = 1;

bool same_transaction(const Resolved& r) {
    return r.lxid != InvalidLocalTransactionId && r.lxid == compat::local_xid() &&
           r.session_user == GetSessionUserId();
}

// The person whose login_role is the session user, through the unique index on login_role.
std::optional<std::int64_t> person_of_session_user() {
    struct Found {
        bool hit;
        std::int64_t person_id;
    };
    Found f = guard([]() -> Found {
        Datum role = DirectFunctionCall1(namein, CStringGetDatum(GetUserNameFromId(GetSessionUserId(), false)));
        direct::Key key = {"login_role", F_NAMEEQ, role};
        const char* cols[1] = {"person_id"};
        Datum id;
        bool null;
        bool hit = direct::lookup("person", "person_login_role_key", 1, &key, 1, cols, &id, &null, nullptr);
        return Found{hit && !null, hit && !null ? DatumGetInt64(id) : 0};
    });
    if (!f.hit) return std::nullopt;
    return f.person_id;
}

}  // namespace

std::uint64_t rollback_generation() { return generation; }

void identity_subxact(SubXactEvent event, SubTransactionId mine, SubTransactionId parent) {
    if (event == SUBXACT_EVENT_ABORT_SUB) {
        while (replaced_count > 0 && replaced[replaced_count - 1].in == mine) acting_for = replaced[--replaced_count].previous;
        resolved.lxid = InvalidLocalTransactionId;
        generation++;
    } else if (event == SUBXACT_EVENT_COMMIT_SUB) {
        for (int i = 0; i < replaced_count; i++)
            if (replaced[i].in == mine) replaced[i].in = parent;
    }
}

void identity_xact_end() {
    replaced_count = 0;
    acting_for.lxid = InvalidLocalTransactionId;
    resolved.lxid = InvalidLocalTransactionId;
    generation++;
}

std::optional<std::int64_t> current_actor() {
    if (same_transaction(acting_for)) return acting_for.person_id;
    if (!same_transaction(resolved)) {
        std::optional<std::int64_t> person = person_of_session_user();
        resolved.lxid = compat::local_xid();
        resolved.session_user = GetSessionUserId();
        resolved.found = person.has_value();
        resolved.person_id = person.value_or(0);
    }
    if (!resolved.found) return std::nullopt;
    return resolved.person_id;
}

bool session_is_trusted_service() {
    static Statement trusted(
        "SELECT 1 FROM actions.trusted_service t JOIN pg_catalog.pg_roles r "
        "ON r.rolname = t.role_name WHERE pg_catalog.pg_has_role($1, r.oid, 'MEMBER')",
        {OIDOID});
    Datum session[1] = {ObjectIdGetDatum(GetSessionUserId())};
    return trusted.run(session, nullptr, 1) == 1;
}

std::int64_t require_actor() {
    if (auto a = current_actor()) return *a;
    throw PgError(ERRCODE_INSUFFICIENT_PRIVILEGE, "no person is acting in this session",
                  "session_user \"" + session_role_name() +
                      "\" is not the login role of any person, and no trusted service called "
                      "actions.act_as() in this transaction",
                  "connect as a person's login role (actions.person.login_role), or, from a "
                  "registered trusted service, call actions.act_as(person_id) first");
}

}  // namespace pg_actions::pg

using namespace pg_actions::pg;

extern "C" {

PG_FUNCTION_INFO_V1(pg_actions_act_as);
Datum pg_actions_act_as(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        if (PG_ARGISNULL(0))
            throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "person_id must not be null", "",
                          "pass the id of the person the service acts for");
        Datum person = PG_GETARG_DATUM(0);
        spi_connect();
        if (!session_is_trusted_service())
            throw PgError(ERRCODE_INSUFFICIENT_PRIVILEGE, "permission denied to act for another person",
                          "session_user \"" + session_role_name() + "\" is not a registered trusted service",
                          "an administrator registers the application's login role with "
                          "actions.trust_service(role_name)");
        static Statement exists("SELECT 1 FROM actions.person WHERE person_id = $1", {INT8OID});
        Datum args[1] = {person};
        if (exists.run(args, nullptr, 1) == 0)
            throw PgError(ERRCODE_NO_DATA_FOUND,
                          "person " + std::to_string(DatumGetInt64(person)) + " does not exist", "",
                          "look the person up in actions.person");
        spi_finish();
        SubTransactionId sub = GetCurrentSubTransactionId();
        if (sub != TopSubTransactionId) {
            if (replaced_count == static_cast<int>(lengthof(replaced)))
                throw PgError(ERRCODE_PROGRAM_LIMIT_EXCEEDED, "too many nested act_as() calls",
                              "act_as() was called in more than 32 nested savepoints", "call it once per transaction");
            replaced[replaced_count++] = {sub, acting_for};
        }
        acting_for.lxid = compat::local_xid();
        acting_for.session_user = GetSessionUserId();
        acting_for.person_id = DatumGetInt64(person);
        resolved.lxid = InvalidLocalTransactionId;
        PG_RETURN_VOID();
    });
}

PG_FUNCTION_INFO_V1(pg_actions_current_actor);
Datum pg_actions_current_actor(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        spi_connect();
        std::optional<std::int64_t> actor = current_actor();
        spi_finish();
        if (!actor) {
            fcinfo->isnull = true;
            return 0;
        }
        return Int64GetDatum(*actor);
    });
}

PG_FUNCTION_INFO_V1(pg_actions_is_trusted_service);
Datum pg_actions_is_trusted_service(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        spi_connect();
        bool trusted = session_is_trusted_service();
        spi_finish();
        PG_RETURN_BOOL(trusted);
    });
}

}  // extern "C"
