// Who a session acts for: the rules of identity (docs/design.md, "Identity"). The glue gathers the
// facts (session_user, the role a request set, the request's claims, the registrations) and asks
// here which fact names the person and what standing the session has.
#pragma once
#include <optional>
#include <string_view>

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
    // The session is on a Citus worker: the call came from a coordinator, whose act_as, request
    // claims and acting person are not carried here (yet), so nothing tells a service acting for a
    // person from one acting for nobody.
    bool citus_worker = false;
};

// A request: an authenticator's session while a role is set. Only then do the role and the claims
// name a person; in any other session the same settings impersonate nobody.
bool is_request(const SessionFacts& s);

// Whether the session has the standing of a trusted service: act_as, direct writes a DBA granted,
// and its `sees` mode. A request does not, though its session_user is the authenticator: the role
// set by the request is the client's, not the application's. Nor does any session on a Citus
// worker: the person a service acts for on the coordinator is not known there.
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
// worker (no standing there): a service's act_as on the coordinator is not known, and seeing all
// would show a person's query every row.
bool service_sees_all(const SessionFacts& s, bool someone_acting, bool registered_sees_all);

}  // namespace pg_actions::core
