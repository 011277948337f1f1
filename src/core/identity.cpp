// Identity rules (see identity.hpp).
#include "identity.hpp"

#include <charconv>
#include <stdexcept>

#include "signing.hpp"

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

bool identity_travels(const SessionFacts& s, bool acting_for_another) {
    return acting_for_another || s.trusted_service || s.role_set || is_request(s);
}

namespace {

// What a token is bound to besides its payload: its purpose (a list cursor's MAC is bound to its
// filters), so no other signed text of ours is ever a token.
constexpr std::string_view token_purpose = "pg_actions identity token 1";
// Far longer than any token (a role name is at most 63 bytes); a longer text is refused unread.
constexpr std::size_t token_max_length = 1024;

Refusal token_refused(std::string detail) {
    return Refusal{RefusalKind::not_permitted, "the identity carried from the coordinator is refused", std::move(detail),
                   "a worker acts as the coordinator says only through the coordinator, in the transaction it made "
                   "the token for: connect to the coordinator, not to a worker, and do not set pg_actions.identity"};
}

template <typename T>
std::optional<T> number_of(std::string_view s) {
    T value{};
    auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || error != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return value;
}

}  // namespace

// The payload: person ("-" for nobody), the three flags, the transaction's node, number and
// stamp, when it was made, then the role, last so that it may hold any character; space-separated.
std::string sign_identity(const CarriedIdentity& who, std::string_view key) {
    if (key.size() < cluster_key_min) throw std::invalid_argument("cluster key too short");
    std::string payload = (who.person ? std::to_string(*who.person) : std::string("-")) + ' ' +
                          (who.standing ? '1' : '0') + (who.request ? '1' : '0') + (who.sees_all ? '1' : '0') + ' ' +
                          std::to_string(who.transaction.node) + ' ' + std::to_string(who.transaction.number) + ' ' +
                          std::to_string(who.transaction.stamp) + ' ' + std::to_string(who.issued_at) + ' ' + who.role;
    return seal(payload, token_purpose, key);
}

std::variant<std::optional<CarriedIdentity>, Refusal> check_identity(std::string_view token, std::string_view key, std::string_view role,
                                                       const DistributedTransaction& current, std::int64_t now,
                                                       std::int64_t lifetime) {
    if (key.size() < cluster_key_min) throw std::invalid_argument("cluster key too short");
    std::optional<std::string> payload = unseal(token, token_purpose, key, token_max_length);
    if (!payload)
        return token_refused("pg_actions.identity holds no token the coordinator signed under this cluster's secret "
                             "(forged, altered, or signed under a secret rotated since)");
    // Signed by a coordinator from here on; parsed strictly all the same.
    std::string_view rest = *payload;
    std::string_view field[6];
    for (std::string_view& f : field) {
        std::size_t space = rest.find(' ');
        if (space == std::string_view::npos) return token_refused("the identity token is malformed");
        f = rest.substr(0, space);
        rest.remove_prefix(space + 1);
    }
    CarriedIdentity who;
    if (field[0] != "-") {
        who.person = number_of<std::int64_t>(field[0]);
        if (!who.person) return token_refused("the identity token is malformed");
    }
    if (field[1].size() != 3 || field[1].find_first_not_of("01") != std::string_view::npos)
        return token_refused("the identity token is malformed");
    who.standing = field[1][0] == '1';
    who.request = field[1][1] == '1';
    who.sees_all = field[1][2] == '1';
    auto node = number_of<std::int32_t>(field[2]);
    auto number = number_of<std::uint64_t>(field[3]);
    auto stamp = number_of<std::int64_t>(field[4]);
    auto issued = number_of<std::int64_t>(field[5]);
    if (!node || !number || !stamp || !issued) return token_refused("the identity token is malformed");
    who.transaction = DistributedTransaction{*node, *number, *stamp};
    who.issued_at = *issued;
    who.role = std::string(rest);
    if (current.number == 0)
        return token_refused("this session is in no distributed transaction of a coordinator, and a token is valid only "
                             "in the distributed transaction it was made for");
    if (who.transaction != current)
        return token_refused("the token was made for another distributed transaction (" + std::to_string(who.transaction.node) +
                             ", " + std::to_string(who.transaction.number) + ") than this one (" +
                             std::to_string(current.node) + ", " + std::to_string(current.number) + ")");
    if (now - who.issued_at > lifetime || who.issued_at - now > lifetime)
        return token_refused("the token is older than pg_actions.identity_lifetime (made " +
                             std::to_string((now - who.issued_at) / 1000000) + " s ago, valid for " +
                             std::to_string(lifetime / 1000000) + " s)");
    if (who.role != role) return std::nullopt;
    return who;
}

}  // namespace pg_actions::core
