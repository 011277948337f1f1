#include "member.hpp"

namespace pg_actions::core {

std::optional<MemberState> parse_member_state(std::string_view text) {
    if (text == "invited") return MemberState::invited;
    if (text == "active") return MemberState::active;
    if (text == "removed") return MemberState::removed;
    return std::nullopt;
}

bool may_act(std::optional<MemberState> state) { return state == MemberState::active; }

bool may_be_named(std::optional<MemberState> state) {
    return state == MemberState::active || state == MemberState::invited;
}

bool may_be_invited(std::optional<MemberState> state) { return state != MemberState::removed; }

}  // namespace pg_actions::core
