// Approver eligibility for delegations: the facts the core's check_approver() needs, read as
// committed now, and the list of every eligible approver of a delegation.
#pragma once

#include "postgres.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "../core/eligibility.hpp"

namespace pg_actions::pg {

struct Delegation {
    std::int64_t workspace_id;
    std::int64_t record_id;
    std::string kind;
    std::vector<std::int64_t> group_ids;
    std::vector<std::int64_t> issuers;
};
// The record (P0002 when missing); kind is checked by the caller.
Delegation load_delegation(std::int64_t record_id);

core::ApproverFacts approver_facts(const Delegation& d, std::int64_t person_id);
std::optional<core::Refusal> approver_refusal(const Delegation& d, std::int64_t person_id);
// Every eligible approver, sorted by person id.
std::vector<std::int64_t> eligible_approvers(const Delegation& d);

}  // namespace pg_actions::pg
