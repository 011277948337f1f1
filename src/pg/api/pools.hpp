// Pools: offering an action to candidates (people, groups with the groups below them, holders of
// roles), shared by actions.offer() and what creates actions already offered (templates).
#pragma once

#include "pg/boundary/postgres.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pg/authz/facts.hpp"

namespace pg_actions::pg {

struct OfferArgs {
    std::vector<std::int64_t> people;
    std::vector<std::int64_t> groups;
    std::vector<std::string> roles;  // names
};
// Replaces the pool of an action the actor was allowed to offer (locked) with these candidates:
// checks them (members, groups and roles of the workspace, each locked as a foreign key check
// would), writes the difference (the trigger logs it), keeps action.offered, and notifies the new
// candidates. Returns how many people are candidates now. actor: nobody for the escalation sweep
// (offered_by NULL; every candidate is notified).
int offer_action(const Action& a, std::optional<std::int64_t> actor, OfferArgs args);
// The candidates checked (members, groups and roles of the workspace, locked) and normalized.
std::vector<core::OfferEntry> offer_candidates(std::int64_t workspace_id, OfferArgs& args);
// An action just made from a template whose assignee rule is pool: offered to its candidates, if
// the creator may offer it (the verb offer, as for actions.offer()).
void offer_new_action(std::int64_t action_id, std::int64_t actor, OfferArgs args);

}  // namespace pg_actions::pg
