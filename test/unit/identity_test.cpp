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

}  // namespace
}  // namespace pg_actions::core
