// Records: their kinds, and the capacities in which people and groups take part in a record
// (Aptly's owner, issuer, recipient, approver, reviewer, responsible, shared, plus a decision's
// consulted and informed roles), with what each capacity unlocks on the record's actions.
#pragma once
#include <array>
#include <optional>
#include <string_view>

#include "permission.hpp"
#include "refusal.hpp"
#include "pure.hpp"

namespace pg_actions::core {

// Kinds every workspace has; a workspace may add its own (lowercase identifiers).
inline constexpr std::array<std::string_view, 5> system_record_kinds{"decision", "delegation", "document",
                                                                     "matrix", "generic"};
bool is_system_record_kind(std::string_view kind);
// A custom kind: a lowercase identifier that is not a system kind.
std::optional<Refusal> check_custom_kind(std::string_view kind);

enum class Capacity { owner, issuer, recipient, approver, reviewer, responsible, shared, consulted, informed };
inline constexpr std::size_t capacity_count = 9;
std::string_view capacity_name(Capacity c);
std::optional<Capacity> parse_capacity(std::string_view text);

// What a capacity on a record unlocks on the record's actions, on top of the member's role:
//   owner        view, create, edit, assign and reassign them (the record is theirs to run)
//   issuer       view and create them (a delegation's issuer follows its workflow)
//   responsible  view and complete them
//   recipient, approver, reviewer, shared, consulted, informed: view them
// Restrictions go the other way: an issuer is never an eligible approver (core/eligibility.hpp).
Permissions capacity_grants(Capacity c);

// Which capacities a kind of record takes: issuer and recipient belong to delegations, consulted
// and informed to decisions; the others to every kind (a custom kind takes the general ones).
std::optional<Refusal> check_capacity(Capacity c, std::string_view kind);

}  // namespace pg_actions::core
