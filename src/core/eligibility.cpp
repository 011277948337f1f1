// Approver eligibility (see eligibility.hpp).
#include "eligibility.hpp"

namespace pg_actions::core {

std::optional<Refusal> check_approver(const ApproverFacts& f) {
    if (!f.is_active_member)
        return Refusal{RefusalKind::not_permitted, "not an eligible approver: not an active member",
                       "only active members of the delegation's workspace approve its delegations",
                       "ask a workspace owner to add or reactivate the person"};
    if (f.is_issuer)
        return Refusal{RefusalKind::not_permitted, "not an eligible approver: the issuer of the delegation",
                       "the issuer of a delegation never approves it, whatever their role",
                       "another eligible approver must approve it"};
    Facts facts;
    facts.is_member = true;
    facts.granted = f.granted;
    facts.group_granted = f.group_granted;
    facts.in_group_scope = f.covers_delegation_groups;
    if (auto r = decide(Verb::approve, facts)) {
        r->message = "not an eligible approver: " + r->message;
        return r;
    }
    return std::nullopt;
}

}  // namespace pg_actions::core
