// Invitations of people assigned an action by e-mail: how long they last, when one is reused,
// and when a token may still be accepted.
#pragma once
#include <cstdint>
#include <optional>

#include "refusal.hpp"
#include "pure.hpp"

namespace pg_actions::core {

inline constexpr std::int64_t invitation_valid_days = 14;
inline constexpr std::int64_t invitation_valid_us = invitation_valid_days * 24 * 3600 * 1000000LL;

// Inviting the same person again reuses a pending invitation (same token, same expiry); an
// expired or already accepted one is replaced by a new token.
bool reuse_invitation(bool exists, bool accepted, std::int64_t expires_us, std::int64_t now_us);

// Whether a token found in the table may be accepted now (kind wrong_state otherwise).
std::optional<Refusal> check_acceptance(bool accepted, std::int64_t expires_us, std::int64_t now_us);

}  // namespace pg_actions::core
