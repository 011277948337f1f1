// Member states and what each allows (see member.hpp).
#include "member.hpp"

namespace pg_actions::core {

std::string_view member_state_name(MemberState state) {
    switch (state) {
    case MemberState::invited: return "invited";
    case MemberState::active: return "active";
    case MemberState::removed: return "removed";
    }
    return "";
}

std::optional<MemberState> parse_member_state(std::string_view text) {
    for (MemberState s : {MemberState::invited, MemberState::active, MemberState::removed})
        if (member_state_name(s) == text) return s;
    return std::nullopt;
}

bool may_act(std::optional<MemberState> state) { return state == MemberState::active; }

bool may_be_named(std::optional<MemberState> state) {
    return state == MemberState::active || state == MemberState::invited;
}

bool may_be_invited(std::optional<MemberState> state) { return state != MemberState::removed; }

MemberState state_after_add(std::optional<MemberState>) { return MemberState::active; }

namespace {
std::vector<std::string_view> states_where(bool (*rule)(std::optional<MemberState>)) {
    std::vector<std::string_view> names;
    for (MemberState s : {MemberState::invited, MemberState::active, MemberState::removed})
        if (rule(s)) names.push_back(member_state_name(s));
    return names;
}
}  // namespace

std::vector<std::string_view> acting_member_state_names() { return states_where(may_act); }
std::vector<std::string_view> named_member_state_names() { return states_where(may_be_named); }

}  // namespace pg_actions::core
