// Approver eligibility for delegations: the facts the core's check_approver() needs, read through
// the index API, and the list of every eligible approver of a delegation.
#pragma once

#include "pg/boundary/postgres.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/eligibility.hpp"
#include "pg/store/members.hpp"

namespace pg_actions::pg {

struct Delegation {
    std::int64_t workspace_id;
    std::int64_t record_id;
    std::string kind;
    std::vector<std::int64_t> group_ids;
    std::vector<std::int64_t> issuers;
    std::vector<Party> parties;  // every party of the record
};
// The record (P0002 when missing); kind is checked by the caller.
Delegation load_delegation(std::int64_t record_id);

// How the facts are read. fresh: as committed now, for the approval itself and for the pool an
// approval action is offered to. kept: the facts of the membership tables (roles, memberships,
// groups and paths) kept across statements and transactions while every writer's invalidation
// says they hold (boundary/kept_memo.hpp), else remembered for the running statement; for the
// questions eligible_approvers(), is_eligible_approver() and why_not(), which a query may ask for
// a thousand delegations and an application once per request.
enum class Reading { fresh, kept };

// Whether the asker may see the delegation: the view decision of every record verb
// (record_facts() in authz/facts.hpp), with the asker's membership, role and groups read as
// `reading` says and their capacities from the delegation's parties.
bool asker_sees(const Delegation& d, std::int64_t asker, Reading reading);

std::optional<core::Refusal> approver_refusal(const Delegation& d, std::int64_t person_id,
                                              Reading reading = Reading::fresh);
// Every eligible approver, sorted by person id.
std::vector<std::int64_t> eligible_approvers(const Delegation& d, Reading reading = Reading::fresh);

}  // namespace pg_actions::pg
