// Invitations: reuse and acceptance (see invitation.hpp).
#include "invitation.hpp"

namespace pg_actions::core {

bool reuse_invitation(bool exists, bool accepted, std::int64_t expires_us, std::int64_t now_us) {
    return exists && !accepted && now_us < expires_us;
}

std::optional<Refusal> check_acceptance(bool accepted, std::int64_t expires_us, std::int64_t now_us) {
    if (accepted)
        return Refusal{RefusalKind::wrong_state, "invitation was already accepted",
                       "the person is an active member of the workspace", "nothing to do; sign in instead"};
    if (now_us >= expires_us)
        return Refusal{RefusalKind::wrong_state, "invitation has expired",
                       "invitations are valid for " + std::to_string(invitation_valid_days) + " days",
                       "ask the person who assigned the action to assign it by e-mail again for a new invitation"};
    return std::nullopt;
}

}  // namespace pg_actions::core
