// The permission decision, the verbs and hide-as-not-found (see permission.hpp).
#include "permission.hpp"

#include <array>
#include <string>

namespace pg_actions::core {

namespace {

// Index order follows the enums; these names are stored in role rows and must not change.
constexpr std::array<std::string_view, permission_count> permission_names{
    "view_actions",
    "create_actions",
    "assign_actions",
    "edit_actions",
    "edit_own_actions",
    "delete_actions",
    "delete_own_actions",
    "delete_assigned_actions",
    "reassign_actions",
    "complete_any_actions",
    "administer_actions",
    "approve_delegations",
    "manage_workspace",
};

constexpr std::array<std::string_view, 20> verb_names{
    "view",     "create",     "assign", "reassign", "start",  "complete",
    "uncomplete", "cancel",   "edit",   "delete",   "create_record", "archive_record",
    "manage_workspace", "approve", "edit_record", "offer", "claim", "release", "delegate", "resolve",
};

// What a refusal says for each verb: the object of "permission denied to ...", what the rule
// needs, and who can help.
struct Wording {
    std::string_view action;
    std::string_view needs;
    std::string_view hint;
};

Wording wording(Verb verb) {
    switch (verb) {
    case Verb::view:
        return {"view action",
                "viewing an action needs the view_actions permission (from your role, or from your "
                "capacity on its record), or owning it, being its assignee (or the substitute of its "
                "absent assignee), having delegated it, or being one of the candidates it is offered "
                "to; you have none of these",
                "ask a workspace owner or manager to grant your role view_actions"};
    case Verb::create:
        return {"create action",
                "creating actions needs the create_actions permission; your role does not grant it",
                "ask a workspace owner or manager to create it, or to grant your role create_actions"};
    case Verb::assign:
        return {"assign action",
                "assigning needs the assign_actions, reassign_actions or administer_actions "
                "permission; your role grants none of them",
                "ask a workspace owner or manager to assign it, or to grant your role assign_actions"};
    case Verb::reassign:
        return {"reassign action",
                "reassigning needs the reassign_actions or administer_actions permission; your role "
                "grants neither",
                "ask a workspace owner or manager to reassign it, or to grant your role "
                "reassign_actions"};
    case Verb::start:
        return {"start action",
                "starting needs being the assignee, or the complete_any_actions or "
                "administer_actions permission; you have none of these",
                "ask the assignee to start it, or ask a workspace owner or manager to assign it to you"};
    case Verb::complete:
        return {"complete action",
                "completing needs being the assignee, or the complete_any_actions, reassign_actions "
                "or administer_actions permission; you have none of these",
                "ask the assignee to complete it, or ask a workspace owner or manager to assign it "
                "to you"};
    case Verb::uncomplete:
        return {"uncomplete action",
                "un-completing needs the administer_actions permission, or having completed the "
                "action yourself as its assignee or with complete_any_actions",
                "ask a workspace owner or manager with administer_actions to un-complete it"};
    case Verb::cancel:
        return {"cancel action",
                "cancelling needs the edit_actions or administer_actions permission, or owning the "
                "action with edit_own_actions; you have none of these",
                "ask the action's owner or a workspace manager to cancel it"};
    case Verb::edit:
        return {"edit action",
                "editing needs the edit_actions or administer_actions permission, or owning the "
                "action with edit_own_actions; you have none of these",
                "ask the action's owner or a workspace manager to edit it"};
    case Verb::delete_action:
        return {"delete action",
                "deleting needs the delete_actions or administer_actions permission, or delete_own_actions "
                "as its owner, or delete_assigned_actions as its assignee; you have none of these",
                "ask a workspace owner or manager to delete it, or cancel it instead"};
    case Verb::create_record:
        return {"create record",
                "creating records needs the create_actions permission; your role does not grant it",
                "ask a workspace owner or manager to create it, or to grant your role create_actions"};
    case Verb::archive_record:
        return {"archive record",
                "archiving records needs the edit_actions or administer_actions permission; your "
                "role grants neither",
                "ask a workspace owner or manager to archive it, or to grant your role edit_actions"};
    case Verb::approve:
        return {"approve delegation",
                "approving delegations needs the approve_delegations permission for all groups, or for "
                "a group that is one of the delegation's groups or above one of them",
                "ask a workspace owner to grant your role approve_delegations, or to add you to one of "
                "the delegation's groups"};
    case Verb::edit_record:
        return {"edit record",
                "changing a record needs the edit_actions or administer_actions permission, or being "
                "its owner",
                "ask the record's owner or a workspace manager to make the change"};
    case Verb::manage_workspace:
        return {"manage workspace",
                "changing workspace settings needs the manage_workspace permission; your role does not "
                "grant it",
                "ask a workspace owner to change the setting"};
    case Verb::offer:
        return {"offer action",
                "offering an action to a pool needs the assign_actions, reassign_actions or "
                "administer_actions permission; your role grants none of them",
                "ask a workspace owner or manager to offer it, or to grant your role assign_actions"};
    case Verb::claim:
        return {"claim action",
                "claiming needs being one of the candidates the action is offered to (named, in an "
                "offered group or a group below one, or holding an offered role)",
                "ask whoever offered it to add you to its candidates, or a manager to assign it to you"};
    case Verb::release:
        return {"release action",
                "releasing needs being its assignee (the claimant), or the reassign_actions or "
                "administer_actions permission",
                "ask the person who claimed it to release it, or a workspace manager to do it"};
    case Verb::delegate:
        return {"delegate action",
                "delegating needs being the action's assignee; the delegate resolves it back to you",
                "ask the assignee to delegate it, or a workspace manager to reassign it"};
    case Verb::resolve:
        return {"resolve action",
                "resolving needs being the delegate the action was delegated to (its assignee while "
                "the delegation is pending)",
                "ask the delegate to resolve it; the assignee who delegated it completes it afterwards"};
    }
    return {"act on action", "", ""};
}

bool permitted(Verb verb, const Facts& f, const Permissions& granted) {
    // A substitute stands in for the absent assignee: what the assignee may, they may.
    const bool assignee = f.is_assignee || f.is_substitute;
    auto has = [&](Permission p) { return granted.test(static_cast<std::size_t>(p)); };
    const bool admin = has(Permission::administer_actions);
    const bool editor =
        has(Permission::edit_actions) || admin || (f.is_owner && has(Permission::edit_own_actions));
    switch (verb) {
    case Verb::view:
        return has(Permission::view_actions) || f.is_owner || assignee || f.is_candidate || f.is_delegator;
    case Verb::create:
    case Verb::create_record: return has(Permission::create_actions);
    case Verb::archive_record:
    case Verb::edit_record: return has(Permission::edit_actions) || admin;
    case Verb::assign:
        return has(Permission::assign_actions) || has(Permission::reassign_actions) || admin;
    // Being the assignee is deliberately not enough: actions_access members must not hand work on.
    case Verb::reassign: return has(Permission::reassign_actions) || admin;
    case Verb::start: return assignee || has(Permission::complete_any_actions) || admin;
    // Content Manager lets Reassign holders complete on someone's behalf.
    case Verb::complete:
        return assignee || has(Permission::complete_any_actions) || admin ||
               has(Permission::reassign_actions);
    case Verb::uncomplete:
        return admin || (f.completed_by_actor &&
                         (assignee || has(Permission::complete_any_actions)));
    case Verb::cancel:
    case Verb::edit: return editor;
    // Content Manager's Actions Administration may "create, modify or remove" actions.
    case Verb::delete_action:
        return has(Permission::delete_actions) || admin ||
               (f.is_owner && has(Permission::delete_own_actions)) ||
               (assignee && has(Permission::delete_assigned_actions));
    case Verb::manage_workspace: return has(Permission::manage_workspace);
    case Verb::approve: return has(Permission::approve_delegations);
    // Offering is assigning to a pool.
    case Verb::offer:
        return has(Permission::assign_actions) || has(Permission::reassign_actions) || admin;
    // Only a candidate claims; a manager who is none assigns instead.
    case Verb::claim: return f.is_candidate;
    case Verb::release: return assignee || has(Permission::reassign_actions) || admin;
    // Delegation returns to the assignee, so being the assignee is enough (unlike reassign); it
    // returns to whoever delegated, so an absent assignee's substitute does not delegate for them.
    case Verb::delegate: return f.is_assignee;
    case Verb::resolve: return assignee;
    }
    return false;
}

}  // namespace

std::string_view permission_name(Permission p) {
    return permission_names.at(static_cast<std::size_t>(p));
}

std::optional<Permission> parse_permission(std::string_view text) {
    for (std::size_t i = 0; i < permission_names.size(); ++i)
        if (permission_names[i] == text) return static_cast<Permission>(i);
    return std::nullopt;
}

std::string_view verb_name(Verb v) { return verb_names.at(static_cast<std::size_t>(v)); }

std::optional<Verb> parse_verb(std::string_view text) {
    for (std::size_t i = 0; i < verb_names.size(); ++i)
        if (verb_names[i] == text) return static_cast<Verb>(i);
    return std::nullopt;
}

std::optional<Grant> parse_grant(std::string_view text) {
    Scope scope = Scope::all;
    if (std::size_t colon = text.find(':'); colon != std::string_view::npos) {
        std::string_view suffix = text.substr(colon + 1);
        if (suffix == "groups")
            scope = Scope::groups;
        else if (suffix != "all")
            return std::nullopt;
        text = text.substr(0, colon);
    }
    std::optional<Permission> p = parse_permission(text);
    if (!p) return std::nullopt;
    return Grant{*p, scope};
}

bool scope_matters(Verb verb, const Facts& facts) {
    const Permissions held = facts.granted | facts.record_granted;
    return facts.is_member && facts.group_granted.any() && !permitted(verb, facts, held) &&
           permitted(verb, facts, held | facts.group_granted);
}

bool holds(Permission p, const Facts& facts) {
    if (!facts.is_member) return false;
    Permissions held = facts.granted | facts.record_granted;
    if (facts.in_group_scope) held |= facts.group_granted;
    return held.test(static_cast<std::size_t>(p));
}

std::optional<Refusal> decide(Verb verb, const Facts& facts) {
    const Wording w = wording(verb);
    if (!facts.is_member)
        return Refusal{RefusalKind::not_permitted,
                       "permission denied to " + std::string{w.action} +
                           ": you are not a member of this workspace",
                       "only members of a workspace can work with its actions and records",
                       "ask a workspace owner or manager to add you to the workspace"};
    const Permissions held = facts.granted | facts.record_granted;
    const Permissions in_scope = facts.in_group_scope ? held | facts.group_granted : held;
    if (permitted(verb, facts, in_scope)) return std::nullopt;
    if (permitted(verb, facts, held | facts.group_granted))
        return Refusal{RefusalKind::not_permitted,
                       "permission denied to " + std::string{w.action} + ": outside your groups",
                       "your role grants this only within your groups and their subgroups, and the "
                       "target belongs to none of them",
                       "ask a workspace owner or manager to add you to one of its groups, or to act "
                       "for you"};
    return Refusal{RefusalKind::not_permitted, "permission denied to " + std::string{w.action},
                   std::string{w.needs}, std::string{w.hint}};
}

Refusal not_found(Target what, std::int64_t id) {
    std::string_view name, hint;
    switch (what) {
    case Target::action: name = "action"; hint = "check the id; you can only act on actions you can see"; break;
    case Target::record:
        name = "record";
        hint = "check the id; you can only use records of workspaces you are a member of";
        break;
    case Target::note: name = "note"; hint = "check the id; you can only see notes of actions you can see"; break;
    case Target::group:
        name = "group";
        hint = "check the id; you can only manage groups of workspaces you are a member of";
        break;
    case Target::action_template:
        name = "template";
        hint = "check the id; you can only use templates of workspaces you are a member of";
        break;
    case Target::workspace:
        name = "workspace";
        hint = "check the id; you can only use workspaces you are a member of";
        break;
    }
    const std::string n(name);
    return Refusal{RefusalKind::not_found, n + " " + std::to_string(id) + " not found",
                   "no " + n + " with that id is visible to you", std::string(hint)};
}

std::optional<Refusal> refusal_for(Verb verb, const Facts& facts, Target what, std::int64_t id) {
    if (decide(Verb::view, facts)) return not_found(what, id);
    return decide(verb, facts);
}

}  // namespace pg_actions::core
