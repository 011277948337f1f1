// Who is acting: resolved here and nowhere else (DESIGN.md, "Identity and tenancy").
#pragma once

#include <cstdint>
#include <optional>

namespace pg_actions::pg {

// 1. a person a trusted service named with actions.act_as() in this transaction;
// 2. otherwise the person whose login_role is session_user;
// 3. otherwise nothing.
// The answer is cached for the current transaction. Needs an SPI connection.
std::optional<std::int64_t> current_actor();

// Whether session_user is (a member of) a role registered in actions.trusted_service.
bool session_is_trusted_service();

// current_actor(), or a 42501 refusal with a hint.
std::int64_t require_actor();

}  // namespace pg_actions::pg
