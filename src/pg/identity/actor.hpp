// Who is acting: resolved here and nowhere else (docs/design.md, "Identity").
#pragma once

#include "pg/boundary/postgres.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace pg_actions::pg {

// 1. a person a trusted service named with actions.act_as() in this transaction;
// 2. in a request of a registered authenticator (session_user is the authenticator, a role is
//    set): the person that role, or the configured claim of request.jwt.claims, names;
// 3. otherwise the person whose login_role is session_user;
// 4. otherwise nothing.
// The answer is cached for the current transaction. Needs an SPI connection.
std::optional<std::int64_t> current_actor();

// The schedule sweep (api/schedule_sweep.cpp) creates each occurrence's action as the schedule's
// owner: while an OnBehalfOf lives, current_actor() is that person, whatever the session is, and
// every rule of the creation applies to them. Only the sweep makes one (no SQL reaches it); it
// ends with its scope, and at the latest with the transaction. Memos of the previous person are
// dropped (rollback_generation() advances).
class OnBehalfOf {
public:
    explicit OnBehalfOf(std::int64_t person_id);
    ~OnBehalfOf();
    OnBehalfOf(const OnBehalfOf&) = delete;
    OnBehalfOf& operator=(const OnBehalfOf&) = delete;

private:
    bool had_;
    std::int64_t previous_;
};

// The standing of this session as a trusted service (core/identity.hpp). Needs an SPI connection.
struct ServiceStanding {
    bool standing = false;  // a trusted service: may act_as, write directly as a DBA granted
    bool request = false;   // a request of a registered authenticator (its role and claims name the person)
    bool sees_all = false;  // a service registered with sees = all, acting for nobody now
};
ServiceStanding service_standing();

// Whether session_user is (a member of) a role registered in actions.trusted_service, and this
// session is not a request of an authenticator.
bool session_is_trusted_service();

// On the coordinator of a Citus cluster, in a transaction block: when a worker would not resolve
// the same person and standing by itself (a trusted service, act_as, a request, a role set), the
// identity resolved here travels with the transaction as a signed token (SET LOCAL
// pg_actions.identity, which Citus sends to the workers; docs/security.md, "Identity on Citus").
// Made again when who acts changes or half its lifetime is over. Run before every statement
// (an ExecutorStart hook, install_identity_carrier()) and by act_as(), which passes the standing
// it has just read (known), so the registration is not read again. Needs no SPI connection.
void carry_identity(const ServiceStanding* known = nullptr);
// Installs the ExecutorStart hook that calls carry_identity() (_PG_init).
void install_identity_carrier();

// current_actor(), or a 42501 refusal with a hint.
std::int64_t require_actor();

// Transaction lifecycle (module.cpp registers the callbacks): an act_as() made in a rolled-back
// subtransaction ends with it; nothing outlives its transaction.
void identity_subxact(SubXactEvent event, SubTransactionId mine, SubTransactionId parent);
void identity_xact_end();
// Changes whenever a (sub)transaction rolls back or ends: a memo stamped with an older value
// may hold what a rolled-back subtransaction read.
std::uint64_t rollback_generation();

}  // namespace pg_actions::pg
