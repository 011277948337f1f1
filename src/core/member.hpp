// Members of a workspace: their states and what each state allows. The one place these rules live.
#pragma once
#include <optional>
#include <string_view>
#include <vector>

#include "pure.hpp"

namespace pg_actions::core {

// invited: assigned by e-mail, has not accepted yet; active; removed: keeps history, no more.
enum class MemberState { invited, active, removed };
std::string_view member_state_name(MemberState state);
std::optional<MemberState> parse_member_state(std::string_view text);

// Only an active member acts: sees, creates, changes, approves. An invited member acts once the
// invitation is accepted; a removed member never again (only an administrator's add_member
// brings them back).
bool may_act(std::optional<MemberState> state);

// An invited or active member may be named: as an assignee, a group member, a record party.
bool may_be_named(std::optional<MemberState> state);

// Assigning by e-mail invites someone who is no member yet; a removed member stays removed.
bool may_be_invited(std::optional<MemberState> state);

// An administrator's add_member(): whatever the person's state was (no member yet, invited,
// active or removed), they are an active member with the role given afterwards. It is the one
// way back for a removed member, and it makes an invited one active without an acceptance.
MemberState state_after_add(std::optional<MemberState> before);
// The names of the states in which a member acts (may_act) and may be named (may_be_named): what
// SQL that needs the rule reads through actions.list_vocabulary('member_acting') and
// ('member_named') instead of spelling a state.
std::vector<std::string_view> acting_member_state_names();
std::vector<std::string_view> named_member_state_names();

}  // namespace pg_actions::core
