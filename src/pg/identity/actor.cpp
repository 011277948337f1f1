// The act_as choice lives in backend memory only, tied to one local transaction id: there is no
// setting a client could SET, before or after the library is loaded, to impersonate anyone.
#include "pg/identity/actor.hpp"
#include "pg/boundary/compat.hpp"

extern "C" {
#include "access/parallel.h"
#include "access/xact.h"
#include "commands/extension.h"
#include "executor/executor.h"
#include "utils/timestamp.h"
}

#include "core/identity.hpp"
#include "pg/boundary/module.hpp"
#include "pg/store/identity_store.hpp"
#include "pg/store/people_store.hpp"
#include "pg/store/shards.hpp"
#include "pg/boundary/spi.hpp"

namespace core = pg_actions::core;

namespace pg_actions::pg {

namespace {

struct Resolved {
    LocalTransactionId lxid = InvalidLocalTransactionId;
    Oid session_user = InvalidOid;  // SET SESSION AUTHORIZATION may change it mid-transaction
    bool found = false;
    std::int64_t person_id = 0;
};

Resolved resolved;  // cache of current_actor() for one transaction
// What else the cached answer depends on: the role set with SET ROLE (InvalidOid: none), and, in a
// request, the claims it was read from (a request may set others within its transaction).
Oid resolved_role = InvalidOid;
std::string resolved_claims;
// ... and, in a request, the command: a registration changed earlier in the transaction counts.
CommandId resolved_command = InvalidCommandId;
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

// The person the schedule sweep acts for (OnBehalfOf), if any.
bool on_behalf = false;
std::int64_t on_behalf_of = 0;

bool same_transaction(const Resolved& r) {
    return r.lxid != InvalidLocalTransactionId && r.lxid == compat::local_xid() &&
           r.session_user == GetSessionUserId();
}

// The person whose login_role is this role (store/people_store.hpp: an index read, no SQL).
std::optional<std::int64_t> person_of_role(Oid role_oid) { return store::person_of_login_role(role_oid); }

// The person a claim of the request names: its string value `field` of the claims object, matched
// against lower(email) or external_id through their unique indexes. No SQL: can() and why_not()
// resolve the actor too, and they run none. A claim that is missing or not a string names nobody.
std::optional<std::int64_t> person_of_claim(const std::string& claims, core::PersonKey by) {
    std::string_view field = core::claim_field(by);
    struct Value {
        bool hit;
        const char* data;
        int len;
    };
    Value v = guard([&claims, field]() -> Value {
        Jsonb* jb = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(claims.c_str())));
        if (!JB_ROOT_IS_OBJECT(jb)) return Value{false, nullptr, 0};
        JsonbValue buf;
        JsonbValue* found = getKeyJsonValueFromContainer(&jb->root, field.data(), static_cast<int>(field.size()), &buf);
        if (found == nullptr || found->type != jbvString) return Value{false, nullptr, 0};
        return Value{true, found->val.string.val, found->val.string.len};
    });
    if (!v.hit) return std::nullopt;
    std::string value(v.data, static_cast<std::size_t>(v.len));
    return by == core::PersonKey::email ? store::person_of_email(value) : store::person_of_external_id(value);
}

// How an authenticator registered for session_user names its requests' person; nullopt when
// session_user itself is no registered authenticator (membership does not count: a request
// comes from the authenticator's own login).
std::optional<core::Claim> authenticator_claim() {
    std::optional<std::string> claim = store::authenticator_claim_of(GetSessionUserId());
    if (!claim) return std::nullopt;
    return core::parse_claim(*claim);
}

// The role set with SET ROLE (or set_config('role', ...)) when it is not session_user itself.
Oid role_set() {
    Oid role = GetCurrentRoleId();
    return OidIsValid(role) && role != GetSessionUserId() ? role : InvalidOid;
}

// The facts identity decides on, except whether session_user is a trusted service (SQL; only
// the service questions need it).
core::SessionFacts gather_facts() {
    core::SessionFacts facts;
    facts.role_set = OidIsValid(role_set());
    if (facts.role_set) facts.authenticator = authenticator_claim();
    facts.citus_worker = guard([] { return shards::on_citus_worker(); });
    return facts;
}

// request.jwt.claims as the request set it ('' when unset).
std::string request_claims() {
    const char* c = guard([]() -> const char* { return GetConfigOption("request.jwt.claims", true, false); });
    return c ? std::string(c) : std::string();
}

// ---- On a Citus worker: the identity the coordinator carried (pg_actions.identity), checked once
// per transaction, role and token.
struct Verified {
    LocalTransactionId lxid = InvalidLocalTransactionId;
    Oid session_user = InvalidOid;
    std::string token;
    std::optional<core::CarriedIdentity> who;  // nullopt: the token is for another role
};
Verified verified;

// The identity carried to this worker for this transaction, or nullptr when none was (the session
// then acts as its login role, without a service's standing). A token that is not valid here is
// refused (42501): forged, for another role or transaction, or stale.
const core::CarriedIdentity* carried_here() {
    const char* token = identity_token;
    if (token == nullptr || token[0] == '\0') return nullptr;
    if (!guard([] { return shards::on_citus_worker(); })) return nullptr;  // the coordinator's own, or a single node's
    if (verified.lxid == compat::local_xid() && verified.session_user == GetSessionUserId() && verified.token == token)
        return verified.who ? &*verified.who : nullptr;
    std::optional<std::string> key = store::cluster_key();
    if (!key)
        throw PgError(ERRCODE_INSUFFICIENT_PRIVILEGE, "the identity carried from the coordinator is refused",
                      "this node has no cluster secret (actions.cluster_secret) to check it with",
                      "run actions.distribute() on the coordinator: it makes the secret on every node");
    TimestampTz now = GetCurrentTimestamp();
    std::optional<core::CarriedIdentity> who = take(core::check_identity(token, *key, session_role_name(), store::distributed_transaction(),
                                                          now, static_cast<std::int64_t>(identity_lifetime) * USECS_PER_SEC));
    verified.lxid = compat::local_xid();
    verified.session_user = GetSessionUserId();
    verified.token = token;
    verified.who = std::move(who);
    return verified.who ? &*verified.who : nullptr;
}

// ---- On a Citus coordinator: what was carried in this transaction, and what it was decided on.
struct Carried {
    LocalTransactionId lxid = InvalidLocalTransactionId;
    std::uint64_t generation = 0;
    Oid user = InvalidOid;          // the outer user: the role the workers are reached as
    Oid session_user = InvalidOid;
    std::optional<std::int64_t> actor;
    bool any = false;               // a token was carried in this transaction
    core::CarriedIdentity who;      // the last one
};
Carried carried;
bool carrying = false;  // carry_identity() is running: its own statements carry nothing

class Carrying : Uncopyable {
public:
    Carrying() { carrying = true; }
    ~Carrying() { carrying = false; }
};

ExecutorStart_hook_type previous_executor_start = nullptr;

void carry_then_start(QueryDesc* query, int eflags) {
    PendingError pending;
    try {
        carry_identity();
    } catch (...) {
        capture(pending);
    }
    if (pending.edata || pending.sqlstate) raise(pending);
    if (previous_executor_start)
        previous_executor_start(query, eflags);
    else
        standard_ExecutorStart(query, eflags);
}

}  // namespace

void install_identity_carrier() {
    previous_executor_start = ExecutorStart_hook;
    ExecutorStart_hook = carry_then_start;
}

void carry_identity(const ServiceStanding* known) {
    // Citus sends a SET LOCAL to the workers only in a transaction block; outside one a worker acts
    // as the role it is reached as (the safe default: never more than that role's own person).
    if (carrying || creating_extension || !IsTransactionBlock() || IsAbortedTransactionBlockState() || IsParallelWorker())
        return;
    if (!guard([] { return shards::on_distributed_coordinator(); })) return;
    // A Citus connection from another node (a worker's write of a reference table): its session
    // carries nothing further, and may run no distributed query. (A client that names itself so
    // only loses what it would carry: a worker then gives it its role's standing alone.)
    const char* application = guard([]() -> const char* { return GetConfigOption("application_name", true, false); });
    if (application && strncmp(application, "citus_internal", strlen("citus_internal")) == 0) return;
    Carrying scope;
    const std::int64_t now = GetCurrentTimestamp();
    const std::int64_t lifetime = static_cast<std::int64_t>(identity_lifetime) * USECS_PER_SEC;
    std::optional<std::int64_t> actor = current_actor();
    // Decided already for this transaction, role and person, and not half-way to stale.
    if (carried.lxid == compat::local_xid() && carried.generation == generation && carried.user == GetOuterUserId() &&
        carried.session_user == GetSessionUserId() && carried.actor == actor &&
        (!carried.any || now - carried.who.issued_at < lifetime / 2))
        return;
    if (carried.lxid != compat::local_xid()) carried.any = false;
    carried.lxid = compat::local_xid();
    carried.generation = generation;
    carried.user = GetOuterUserId();
    carried.session_user = GetSessionUserId();
    carried.actor = actor;
    core::SessionFacts facts = gather_facts();
    facts.citus_worker = false;
    const bool acting_for_another = on_behalf || same_transaction(acting_for);
    // A person's own login acting as themselves needs no token (the workers resolve the same login
    // role); only then is the registration not read.
    if (!carried.any && !acting_for_another && !facts.role_set && actor.has_value()) return;
    const Oid role = GetOuterUserId();  // the role this session's statements reach the workers as
    // The statements below run as the extension's owner outside any function of ours: with the
    // search_path every function of pg_actions pins, never the session's.
    LocalSetting path("search_path", "pg_catalog, pg_temp");
    SpiScope spi;
    ServiceStanding standing;
    if (known) {
        standing = *known;
    } else {
        AsExtensionOwner owner;  // the registrations are the owner's to read
        standing = service_standing();
    }
    facts.trusted_service = standing.standing;
    if (!carried.any && !core::identity_travels(facts, acting_for_another)) return;
    std::optional<std::string> key = store::cluster_key();
    if (!key)
        throw PgError(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, "the cluster secret is missing",
                      "this session's identity (a trusted service, act_as, a request) must travel to the workers "
                      "signed under actions.cluster_secret, which holds no row",
                      "run actions.distribute() (or actions.rotate_cluster_secret()) on the coordinator");
    store::begin_distributed_transaction();
    core::CarriedIdentity who;
    who.person = actor;
    who.standing = standing.standing;
    who.request = standing.request;
    who.sees_all = standing.sees_all;
    who.role = guard([role]() -> const char* { return GetUserNameFromId(role, false); });
    who.transaction = store::distributed_transaction();
    who.issued_at = now;
    store::carry_identity_token(core::sign_identity(who, *key));
    carried.any = true;
    carried.who = std::move(who);
}

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

OnBehalfOf::OnBehalfOf(std::int64_t person_id) : had_(on_behalf), previous_(on_behalf_of) {
    on_behalf = true;
    on_behalf_of = person_id;
    generation++;
}

OnBehalfOf::~OnBehalfOf() {
    on_behalf = had_;
    on_behalf_of = previous_;
    generation++;
}

void identity_xact_end() {
    on_behalf = false;
    replaced_count = 0;
    acting_for.lxid = InvalidLocalTransactionId;
    resolved.lxid = InvalidLocalTransactionId;
    generation++;
}

std::optional<std::int64_t> current_actor() {
    if (on_behalf) return on_behalf_of;
    if (same_transaction(acting_for)) return acting_for.person_id;
    if (const core::CarriedIdentity* who = carried_here()) return who->person;
    Oid role = role_set();
    // Ordinary sessions (no role set) never read the claims: they cannot matter there.
    std::string claims = OidIsValid(role) ? request_claims() : std::string();
    CommandId command = OidIsValid(role) ? GetCurrentCommandId(false) : InvalidCommandId;
    if (!same_transaction(resolved) || resolved_role != role || resolved_claims != claims ||
        resolved_command != command) {
        core::SessionFacts facts = gather_facts();
        std::optional<std::int64_t> person;
        switch (core::person_key(facts)) {
            case core::PersonKey::session_login_role: person = person_of_role(GetSessionUserId()); break;
            case core::PersonKey::request_role: person = person_of_role(role); break;
            case core::PersonKey::email:
            case core::PersonKey::external_id:
                if (!claims.empty()) person = person_of_claim(claims, core::person_key(facts));
                break;
        }
        resolved.lxid = compat::local_xid();
        resolved.session_user = GetSessionUserId();
        resolved.found = person.has_value();
        resolved.person_id = person.value_or(0);
        resolved_role = role;
        resolved_claims = claims;
        resolved_command = command;
    }
    if (!resolved.found) return std::nullopt;
    return resolved.person_id;
}

ServiceStanding service_standing() {
    if (const core::CarriedIdentity* who = carried_here()) {
        ServiceStanding out;
        out.standing = who->standing;
        out.request = who->request;
        out.sees_all = who->sees_all && !current_actor().has_value();
        return out;
    }
    // Registered services session_user belongs to (itself, a role it is a member of, or any for
    // a superuser), and whether one of them sees every row. An authenticator counts only for its
    // own login: membership in PostgREST's role lends nobody the right to act_as.
    core::SessionFacts facts = gather_facts();
    // On a Citus worker no session has a service's standing (core::has_service_standing), so the
    // registrations are not read there: inside a query on a shard that read would be a
    // distributed query, which Citus refuses.
    std::optional<bool> any_all =
        facts.citus_worker ? std::nullopt : store::trusted_service_sees_all(GetSessionUserId());
    facts.trusted_service = any_all.has_value();
    ServiceStanding out;
    out.request = core::is_request(facts);
    out.standing = core::has_service_standing(facts);
    out.sees_all = core::service_sees_all(facts, current_actor().has_value(), any_all.value_or(false));
    return out;
}

bool session_is_trusted_service() { return service_standing().standing; }

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

PG_ACTIONS_FUNCTION(pg_actions_act_as) {
    if (PG_ARGISNULL(0))
        throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "person_id must not be null", "",
                      "pass the id of the person the service acts for");
    Datum person = PG_GETARG_DATUM(0);
    SpiScope spi;
    ServiceStanding standing = service_standing();
    if (standing.request)
        throw PgError(ERRCODE_INSUFFICIENT_PRIVILEGE, "permission denied to act for another person",
                      "this session is a request of the registered authenticator \"" + session_role_name() +
                          "\" (a role is set): the request's role and claims name its person",
                      "act_as is for the authenticator's own session, before any role is set");
    if (!standing.standing)
        throw PgError(ERRCODE_INSUFFICIENT_PRIVILEGE, "permission denied to act for another person",
                      "session_user \"" + session_role_name() + "\" is not a registered trusted service",
                      "an administrator registers the application's login role with "
                      "actions.trust_service(role_name)");
    if (!store::person_exists(DatumGetInt64(person)))
        throw PgError(ERRCODE_NO_DATA_FOUND,
                      "person " + std::to_string(DatumGetInt64(person)) + " does not exist", "",
                      "look the person up in actions.person");
    spi.finish();
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
    // On a Citus coordinator the workers learn it now (the connections this transaction has
    // open get the SET LOCAL at once, later ones when they begin). Acting for a person now, the
    // service no longer sees every row; the rest of its standing is what was just read.
    standing.sees_all = false;
    carry_identity(&standing);
    PG_RETURN_VOID();
}

PG_ACTIONS_FUNCTION(pg_actions_current_actor) {
    SpiScope spi;
    std::optional<std::int64_t> actor = current_actor();
    spi.finish();
    if (!actor) {
        fcinfo->isnull = true;
        return 0;
    }
    return Int64GetDatum(*actor);
}

PG_ACTIONS_FUNCTION(pg_actions_service_sees_all) {
    // A person acting (act_as, a request, a person's login): no SQL needed to say no.
    if (current_actor().has_value()) PG_RETURN_BOOL(false);
    SpiScope spi;
    bool all = service_standing().sees_all;
    PG_RETURN_BOOL(all);
}

PG_ACTIONS_FUNCTION(pg_actions_is_trusted_service) {
    SpiScope spi;
    bool trusted = session_is_trusted_service();
    PG_RETURN_BOOL(trusted);
}
