// Who a session acts for: the rules of identity (docs/design.md, "Identity"). The glue gathers the
// facts (session_user, the role a request set, the request's claims, the registrations) and asks
// here which fact names the person and what standing the session has.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "refusal.hpp"
#include "pure.hpp"

namespace pg_actions::core {

// What a registered trusted service sees in the tables while it acts for nobody: every row (a back
// office), or nothing until it calls act_as (the default: the safe one).
enum class ServiceSees { nothing, all };
std::string_view service_sees_name(ServiceSees s);
std::optional<ServiceSees> parse_service_sees(std::string_view text);

// How the requests of a registered authenticator (PostgREST's, Supabase's login role) name their
// person: by the role each request sets (SET LOCAL ROLE, set_config('role', ...)), or by a claim
// of request.jwt.claims: the e-mail, or the subject matched against actions.person.external_id.
enum class Claim { role, email, sub };
std::string_view claim_name(Claim c);
std::optional<Claim> parse_claim(std::string_view text);

// What the glue knows about the session.
struct SessionFacts {
    bool trusted_service = false;        // session_user is (a member of) a registered trusted service
    std::optional<Claim> authenticator;  // session_user itself is registered as an authenticator
    bool role_set = false;               // a role other than session_user is set (SET ROLE)
    // The session is on a Citus worker without an identity carried from its coordinator (a token
    // below): nothing there tells a service acting for a person from one acting for nobody.
    bool citus_worker = false;
};

// A request: an authenticator's session while a role is set. Only then do the role and the claims
// name a person; in any other session the same settings impersonate nobody.
bool is_request(const SessionFacts& s);

// Whether the session has the standing of a trusted service: act_as, direct writes a DBA granted,
// and its `sees` mode. A request does not, though its session_user is the authenticator: the role
// set by the request is the client's, not the application's. Nor does a session on a Citus worker
// that carries no identity token: the person a service acts for on the coordinator is not known.
bool has_service_standing(const SessionFacts& s);

// Which fact names the person when no act_as is in force.
enum class PersonKey {
    session_login_role,  // person.login_role = session_user (a person's own login)
    request_role,        // person.login_role = the role the request set
    email,               // lower(person.email) = lower(claims ->> 'email')
    external_id,         // person.external_id = claims ->> 'sub'
};
PersonKey person_key(const SessionFacts& s);

// The claim's field in request.jwt.claims for a key that reads one ("email", "sub"), else empty.
std::string_view claim_field(PersonKey k);

// Whether a trusted service sees every row right now: with sees = all, and only while nobody is
// acting (a service acting for a person sees exactly what that person sees). Never on a Citus
// worker without a token (no standing there): a service's act_as on the coordinator is not known,
// and seeing all would show a person's query every row.
bool service_sees_all(const SessionFacts& s, bool someone_acting, bool registered_sees_all);

// ---------------------------------------------------------------------------------------------
// The identity a Citus coordinator carries to its workers (docs/security.md, "Identity on Citus").
// The coordinator resolves who acts once and sends it with the transaction as a token, signed
// with HMAC-SHA-256 under the cluster secret and bound to the role the workers are reached as, to
// the distributed transaction and to a lifetime. A worker acts as the token says, or as nobody
// without one; it refuses a token that is not the coordinator's (forged), is for another role or
// transaction (replayed) or is older than its lifetime (stale).

// Citus' distributed transaction id: the initiating node, its transaction number (0: none) and
// when it was assigned (PostgreSQL's TimestampTz, microseconds since 2000-01-01).
struct DistributedTransaction {
    std::int32_t node = 0;
    std::uint64_t number = 0;
    std::int64_t stamp = 0;
    bool operator==(const DistributedTransaction&) const = default;
};

// Who acts, as the coordinator resolved it, and what the token is valid for.
struct CarriedIdentity {
    std::optional<std::int64_t> person;  // the acting person; nullopt: nobody
    bool standing = false;                // the session has a trusted service's standing
    bool request = false;                 // it is a request of a registered authenticator
    bool sees_all = false;                // a service registered with sees = all, acting for nobody
    std::string role;                     // the role the workers are reached as (the coordinator's current user)
    DistributedTransaction transaction;   // the distributed transaction it is valid in
    std::int64_t issued_at = 0;           // when it was made (TimestampTz, the coordinator's clock)
    bool operator==(const CarriedIdentity&) const = default;
};

// The shortest cluster secret a token is signed with (bytes).
inline constexpr std::size_t cluster_key_min = 32;

// Whether a coordinator's session must carry its identity to the workers: when a worker, which
// knows only the role it is reached as, would resolve another person or standing. A person's own
// login acting for themselves needs nothing; a trusted service, a request, a role set, an act_as
// (or the schedule sweep's owner) do.
bool identity_travels(const SessionFacts& s, bool acting_for_another);

// The token of an identity (printable base64, no quotes or spaces). key: cluster_key_min bytes or more.
std::string sign_identity(const CarriedIdentity& who, std::string_view key);

// The identity a token carries, when it is valid here: signed under key, for this distributed
// transaction (number 0: none, which no token is for), made at most `lifetime` microseconds before
// `now` (and not more than that after it: the nodes' clocks may differ a little, not by a
// lifetime), and for this role. A valid token for another role carries nothing to this session
// (nullopt: it acts as its own role, as without a token; the coordinator's connections as another
// role, a SECURITY DEFINER function's, see the token too). Otherwise a not_permitted refusal
// saying which of these failed.
std::variant<std::optional<CarriedIdentity>, Refusal> check_identity(std::string_view token, std::string_view key, std::string_view role,
                                                       const DistributedTransaction& current, std::int64_t now,
                                                       std::int64_t lifetime);

}  // namespace pg_actions::core
