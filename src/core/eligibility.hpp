// Approver eligibility for delegations (Aptly): who may approve a delegation, decided when the
// approver acts, not only when the approval action was created.
#pragma once
#include <optional>

#include "permission.hpp"
#include "refusal.hpp"
#include "pure.hpp"

namespace pg_actions::core {

struct ApproverFacts {
    bool is_active_member = false;  // an active member of the delegation's workspace
    Permissions granted;            // role grants, scope all
    Permissions group_granted;      // role grants, scope groups
    // One of the person's groups is one of the delegation's groups or an ancestor of one (a
    // grant on a parent group covers its child groups): core::within_groups().
    bool covers_delegation_groups = false;
    bool is_issuer = false;         // the delegation's issuer
};

// nullopt: eligible. A member is eligible when they hold approve_delegations for all groups, or
// for groups with one of their groups covering the delegation's groups; the issuer never is.
std::optional<Refusal> check_approver(const ApproverFacts& f);

}  // namespace pg_actions::core
