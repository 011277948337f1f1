#include <gtest/gtest.h>

#include "identity.hpp"

namespace pg_actions::core {
namespace {

TEST(Identity, NamesParse) {
    EXPECT_EQ(parse_service_sees("all"), ServiceSees::all);
    EXPECT_EQ(parse_service_sees("nothing"), ServiceSees::nothing);
    EXPECT_EQ(parse_service_sees("All"), std::nullopt);
    EXPECT_EQ(parse_claim("role"), Claim::role);
    EXPECT_EQ(parse_claim("email"), Claim::email);
    EXPECT_EQ(parse_claim("sub"), Claim::sub);
    EXPECT_EQ(parse_claim("user_id"), std::nullopt);
    for (Claim c : {Claim::role, Claim::email, Claim::sub}) EXPECT_EQ(parse_claim(claim_name(c)), c);
}

TEST(Identity, OrdinarySessionsAreTheirLoginRole) {
    SessionFacts person;  // no service, no authenticator
    EXPECT_EQ(person_key(person), PersonKey::session_login_role);
    person.role_set = true;  // SET ROLE does not change who a person's session acts as
    EXPECT_EQ(person_key(person), PersonKey::session_login_role);
    EXPECT_FALSE(is_request(person));
    EXPECT_FALSE(has_service_standing(person));
}

TEST(Identity, OnlyAnAuthenticatorsSessionWithARoleSetIsARequest) {
    SessionFacts s;
    s.trusted_service = true;  // a trusted service that is no authenticator: claims name nobody
    s.role_set = true;
    EXPECT_FALSE(is_request(s));
    EXPECT_EQ(person_key(s), PersonKey::session_login_role);
    EXPECT_TRUE(has_service_standing(s));
    s.authenticator = Claim::email;
    s.role_set = false;  // the authenticator itself, no role set: not a request
    EXPECT_FALSE(is_request(s));
    EXPECT_EQ(person_key(s), PersonKey::session_login_role);
    EXPECT_TRUE(has_service_standing(s));
    s.role_set = true;
    EXPECT_TRUE(is_request(s));
    EXPECT_EQ(person_key(s), PersonKey::email);
    EXPECT_EQ(claim_field(person_key(s)), "email");
    EXPECT_FALSE(has_service_standing(s)) << "a request cannot act_as or write as the service";
    s.authenticator = Claim::sub;
    EXPECT_EQ(person_key(s), PersonKey::external_id);
    EXPECT_EQ(claim_field(person_key(s)), "sub");
    s.authenticator = Claim::role;
    EXPECT_EQ(person_key(s), PersonKey::request_role);
    EXPECT_EQ(claim_field(person_key(s)), "");
}

TEST(Identity, AServiceSeesAllOnlyWhenRegisteredSoAndNobodyActs) {
    SessionFacts s;
    s.trusted_service = true;
    EXPECT_TRUE(service_sees_all(s, false, true));
    EXPECT_FALSE(service_sees_all(s, true, true)) << "acting for a person: sees what the person sees";
    EXPECT_FALSE(service_sees_all(s, false, false)) << "sees = nothing";
    SessionFacts on_worker = s;
    on_worker.citus_worker = true;
    EXPECT_FALSE(service_sees_all(on_worker, false, true)) << "on a Citus worker the coordinator's act_as is unknown";
    EXPECT_FALSE(has_service_standing(on_worker)) << "no service standing on a Citus worker";
    s.authenticator = Claim::role;
    s.role_set = true;
    EXPECT_FALSE(service_sees_all(s, false, true)) << "a request never sees all";
    SessionFacts nobody;
    EXPECT_FALSE(service_sees_all(nobody, false, true));
}

// ---- The identity carried from a Citus coordinator to its workers.

const std::string key(32, 'k');
const DistributedTransaction txn{0, 42, 800000000000000};
constexpr std::int64_t minute = 60 * 1000000LL;

CarriedIdentity acting(std::optional<std::int64_t> person) {
    CarriedIdentity who;
    who.person = person;
    who.standing = true;
    who.role = "svc app";  // a role name may hold spaces
    who.transaction = txn;
    who.issued_at = txn.stamp + 5;
    return who;
}

std::string detail_of(const std::variant<std::optional<CarriedIdentity>, Refusal>& r) {
    const Refusal* refusal = std::get_if<Refusal>(&r);
    EXPECT_NE(refusal, nullptr);
    if (!refusal) return {};
    EXPECT_EQ(refusal->kind, RefusalKind::not_permitted);
    return refusal->detail;
}

TEST(IdentityToken, CarriesWhoActsIntoTheSameTransaction) {
    for (std::optional<std::int64_t> person : {std::optional<std::int64_t>(7), std::optional<std::int64_t>()}) {
        CarriedIdentity who = acting(person);
        who.sees_all = !person;
        std::string token = sign_identity(who, key);
        EXPECT_EQ(token.find_first_of(" '\"\\"), std::string::npos) << token;
        auto r = check_identity(token, key, "svc app", txn, who.issued_at + minute, 5 * minute);
        ASSERT_TRUE(std::holds_alternative<std::optional<CarriedIdentity>>(r)) << detail_of(r);
        EXPECT_EQ(std::get<std::optional<CarriedIdentity>>(r), who);
    }
}

TEST(IdentityToken, AForgedOrAlteredTokenIsRefused) {
    CarriedIdentity who = acting(7);
    std::string token = sign_identity(who, key);
    EXPECT_NE(detail_of(check_identity(token, std::string(32, 'x'), "svc app", txn, who.issued_at, minute)).find("forged"),
              std::string::npos);
    std::string altered = token;
    altered[50] = altered[50] == 'A' ? 'B' : 'A';
    EXPECT_NE(detail_of(check_identity(altered, key, "svc app", txn, who.issued_at, minute)).find("forged"), std::string::npos);
    // Another person's id spliced into a token signed for someone else.
    CarriedIdentity other = who;
    other.person = 8;
    std::string theirs = sign_identity(other, key);
    EXPECT_NE(theirs, token);
    for (std::string junk : {std::string(), std::string("abc"), std::string("===="), std::string(2000, 'A'), token + "AAAA"})
        EXPECT_NE(detail_of(check_identity(junk, key, "svc app", txn, who.issued_at, minute)).find("forged"), std::string::npos)
            << junk;
}

TEST(IdentityToken, AReplayedTokenIsRefused) {
    CarriedIdentity who = acting(7);
    std::string token = sign_identity(who, key);
    // Another role presents it (or is reached in the same transaction, as a SECURITY DEFINER
    // function's connections are): it carries nothing to that session.
    auto other_role = check_identity(token, key, "svc", txn, who.issued_at, minute);
    ASSERT_TRUE(std::holds_alternative<std::optional<CarriedIdentity>>(other_role));
    EXPECT_EQ(std::get<std::optional<CarriedIdentity>>(other_role), std::nullopt);
    // Another transaction, or none.
    DistributedTransaction later = txn;
    later.number++;
    EXPECT_NE(detail_of(check_identity(token, key, "svc app", later, who.issued_at, minute)).find("another distributed transaction"),
              std::string::npos);
    DistributedTransaction restamped = txn;
    restamped.stamp++;
    EXPECT_NE(detail_of(check_identity(token, key, "svc app", restamped, who.issued_at, minute)).find("another distributed"),
              std::string::npos);
    DistributedTransaction elsewhere = txn;
    elsewhere.node = 3;
    EXPECT_NE(detail_of(check_identity(token, key, "svc app", elsewhere, who.issued_at, minute)).find("another distributed"),
              std::string::npos);
    EXPECT_NE(detail_of(check_identity(token, key, "svc app", DistributedTransaction{}, who.issued_at, minute))
                  .find("in no distributed transaction"),
              std::string::npos);
}

TEST(IdentityToken, AStaleTokenIsRefused) {
    CarriedIdentity who = acting(7);
    std::string token = sign_identity(who, key);
    EXPECT_TRUE(std::holds_alternative<std::optional<CarriedIdentity>>(
        check_identity(token, key, "svc app", txn, who.issued_at + minute, minute)));
    EXPECT_NE(detail_of(check_identity(token, key, "svc app", txn, who.issued_at + minute + 1, minute)).find("older than"),
              std::string::npos);
    // Made in the future beyond the lifetime: not a clock difference.
    EXPECT_NE(detail_of(check_identity(token, key, "svc app", txn, who.issued_at - minute - 1, minute)).find("older than"),
              std::string::npos);
    EXPECT_THROW(sign_identity(who, std::string(31, 'k')), std::invalid_argument);
}

TEST(IdentityToken, OnlyAPersonsOwnLoginNeedsNone) {
    SessionFacts person;
    EXPECT_FALSE(identity_travels(person, false));
    EXPECT_TRUE(identity_travels(person, true));  // the schedule sweep's owner, an act_as
    SessionFacts service;
    service.trusted_service = true;
    EXPECT_TRUE(identity_travels(service, false));
    SessionFacts set_role;
    set_role.role_set = true;
    EXPECT_TRUE(identity_travels(set_role, false));
    SessionFacts request = set_role;
    request.authenticator = Claim::email;
    EXPECT_TRUE(identity_travels(request, false));
}

}  // namespace
}  // namespace pg_actions::core
