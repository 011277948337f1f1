// The single place where "may this actor do this to this action" is decided.
#pragma once
#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "refusal.hpp"
#include "pure.hpp"

namespace pg_actions::core {

// Fixed permission codes; roles are bundles of them (stored as text[] of these names).
enum class Permission {
    view_actions,
    create_actions,
    assign_actions,
    edit_actions,
    edit_own_actions,        // owner variant
    delete_actions,
    delete_own_actions,      // owner variant
    delete_assigned_actions, // assignee variant
    reassign_actions,
    complete_any_actions,
    administer_actions,      // Content Manager's "Actions Administration"
    approve_delegations,
    manage_workspace,
};
inline constexpr std::size_t permission_count = 13;
using Permissions = std::bitset<permission_count>;

std::string_view permission_name(Permission p);
std::optional<Permission> parse_permission(std::string_view text);

// Each grant of a role has a scope: the whole workspace, or the member's groups and all their
// descendant groups. A role stores a grant as "code" (scope all; "code:all" also reads so) or
// "code:groups".
enum class Scope { all, groups };
struct Grant {
    Permission permission;
    Scope scope;
};
std::optional<Grant> parse_grant(std::string_view text);

enum class Verb {
    view,
    create,
    assign,      // give an unassigned action its first assignee
    reassign,    // change the assignee of an assigned action
    start,
    complete,
    uncomplete,
    cancel,
    edit,        // title, description, due date, priority
    delete_action,
    create_record,
    archive_record,
    manage_workspace,  // settings: notification kinds, ...
    approve,           // approve a delegation (approver eligibility, core/eligibility.hpp)
    edit_record,       // change a record: title, parties, submit, publish, review schedule
    offer,             // offer an action to a pool of candidates (core/pool.hpp)
    claim,             // a candidate takes an offered action: they become its assignee
    release,           // the claimant gives a claimed action back to its pool
    delegate,          // the assignee hands the action to a delegate, who resolves it back to them
    resolve,           // the delegate gives a delegated action back to the assignee who delegated it
};

std::string_view verb_name(Verb v);
std::optional<Verb> parse_verb(std::string_view text);

// What the glue knows about the actor and the action when it asks.
struct Facts {
    bool is_member = false;      // an active (or invited) member of the action's workspace
    Permissions granted;         // from the member's role, scope all
    Permissions group_granted;   // from the member's role, scope groups
    bool in_group_scope = false; // the target lies in one of the member's groups or below one
    bool is_owner = false;       // actor created / owns the action
    bool is_assignee = false;    // actor is the current assignee
    bool completed_by_actor = false;  // actor is the one who completed it (for uncomplete)
    Permissions record_granted;  // from the actor's capacities on the linked record (core/record_rules.hpp)
    bool is_candidate = false;   // in a pool the action is offered to: an approval's eligible approvers or
                                 // the candidates of an offer (core/pool.hpp); sees it, may claim an offer
    bool is_delegator = false;   // delegated the action (its delegated_by): sees it while the delegate has it
    // The actor is, now, the substitute of the action's assignee, who is absent (core/absence.hpp):
    // they may view the action and do what its assignee may (start, complete, uncomplete their
    // own completion, delete with delete_assigned_actions, release, resolve), but not delegate it
    // (a delegation returns to the assignee). Gathered when the actor acts.
    bool is_substitute = false;
};

// nullopt: allowed. Otherwise a not_permitted refusal naming the verb and what is missing.
// Group-scoped grants count only when the target is in the member's group scope.
std::optional<Refusal> decide(Verb verb, const Facts& facts);

// What an id names. An id the actor may not see and an id that does not exist get the same
// refusal (not_found, one message and hint per kind of target), so ids reveal nothing.
enum class Target { action, record, note, group, workspace, action_template };
Refusal not_found(Target what, std::int64_t id);
// Visibility first (a target the actor may not view is not found), then the permission for the verb.
std::optional<Refusal> refusal_for(Verb verb, const Facts& facts, Target what, std::int64_t id);

// Whether the actor holds the permission for this target: the role's grants, the record's
// capacities, and group-scoped grants when the target is in the actor's group scope.
bool holds(Permission p, const Facts& facts);

// Whether a group-scoped grant could change the answer, so the glue reads groups only then.
bool scope_matters(Verb verb, const Facts& facts);

}  // namespace pg_actions::core
