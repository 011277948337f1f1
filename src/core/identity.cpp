// Identity rules (see identity.hpp).
#include "identity.hpp"

namespace pg_actions::core {

std::string_view service_sees_name(ServiceSees s) { return s == ServiceSees::all ? "all" : "nothing"; }

std::optional<ServiceSees> parse_service_sees(std::string_view text) {
    if (text == "all") return ServiceSees::all;
    if (text == "nothing") return ServiceSees::nothing;
    return std::nullopt;
}

std::string_view claim_name(Claim c) {
    switch (c) {
        case Claim::role: return "role";
        case Claim::email: return "email";
        case Claim::sub: return "sub";
    }
    return "role";
}

std::optional<Claim> parse_claim(std::string_view text) {
    if (text == "role") return Claim::role;
    if (text == "email") return Claim::email;
    if (text == "sub") return Claim::sub;
    return std::nullopt;
}

bool is_request(const SessionFacts& s) { return s.authenticator.has_value() && s.role_set; }

bool has_service_standing(const SessionFacts& s) { return s.trusted_service && !is_request(s) && !s.citus_worker; }

PersonKey person_key(const SessionFacts& s) {
    if (!is_request(s)) return PersonKey::session_login_role;
    switch (*s.authenticator) {
        case Claim::role: return PersonKey::request_role;
        case Claim::email: return PersonKey::email;
        case Claim::sub: return PersonKey::external_id;
    }
    return PersonKey::request_role;
}

std::string_view claim_field(PersonKey k) {
    if (k == PersonKey::email) return "email";
    if (k == PersonKey::external_id) return "sub";
    return {};
}

bool service_sees_all(const SessionFacts& s, bool someone_acting, bool registered_sees_all) {
    return has_service_standing(s) && !someone_acting && registered_sees_all;
}

}  // namespace pg_actions::core
