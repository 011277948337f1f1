// Assigning an action by e-mail, and accepting the invitation that may come with it.
#include "pg/boundary/postgres.hpp"

#include "core/input.hpp"
#include "core/invitation.hpp"
#include "core/permission.hpp"
#include "pg/identity/actor.hpp"
#include "pg/authz/facts.hpp"
#include "pg/store/action_store.hpp"
#include "pg/store/member_store.hpp"
#include "pg/store/notify.hpp"
#include "pg/store/people_store.hpp"
#include "pg/store/shards.hpp"
#include "pg/boundary/spi.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;


namespace {

// The person with this e-mail (case-insensitive), created when there is none yet. On a Citus
// worker (a call sent there from the coordinator) none can be created: people are a reference
// table, which only the coordinator writes. Asked after the caller's permission was checked, so
// the refusal tells only someone who may assign the action whether the e-mail is known.
std::int64_t person_for_email(const std::string& email, const std::optional<std::string>& display_name) {
    if (std::optional<std::int64_t> found = store::person_by_email(email)) return *found;
    if (guard([] { return shards::on_citus_worker(); }))
        throw PgError(ERRCODE_FEATURE_NOT_SUPPORTED,
                      "actions.assign_by_email() on a Citus cluster assigns people pg_actions knows already",
                      "no person has the e-mail \"" + email + "\" yet, and the node holding the action cannot add one",
                      "an administrator adds them first with actions.create_person(email, display_name); see "
                      "docs/install.md, \"On a Citus cluster\"");
    return store::insert_person(email, display_name);
}

// Makes the person an invited actions_access member (unless already a member) and makes sure a
// usable invitation exists; notifies them when a new one is issued. Returns whether the person
// holds a pending invitation (false: an active member already).
bool invite(std::int64_t workspace_id, std::int64_t person_id, std::int64_t action_id, std::int64_t inviter) {
    std::optional<std::string> state = membership(workspace_id, person_id, false).state;
    if (!member_may_be_invited(state))
        refuse({core::RefusalKind::invalid_value,
                "person is not a member of workspace " + std::to_string(workspace_id),
                "the person with that e-mail was removed from the workspace; an assignment does not bring them back",
                "an administrator adds them again with actions.add_member(), or assign someone else"});
    if (member_acts(state)) return false;
    if (!state) {
        if (!store::insert_invited_member(workspace_id, person_id))
            refuse({core::RefusalKind::wrong_state, "workspace " + std::to_string(workspace_id) +
                        " has no actions_access role",
                    "people assigned by e-mail join with the system role actions_access",
                    "recreate the role: it is seeded with every workspace"});
    }
    std::optional<store::InvitationRow> current = store::lock_invitation(workspace_id, person_id);
    bool exists = current.has_value();
    bool accepted = exists && current->accepted;
    TimestampTz expires = exists ? current->expires_at : 0;
    TimestampTz now = GetCurrentTransactionStartTimestamp();
    if (core::reuse_invitation(exists, accepted, expires, now)) return true;
    store::issue_invitation(workspace_id, person_id, inviter, now + core::invitation_valid_us);
    notify(core::NotificationKind::invited, workspace_id, person_id, action_id);
    return true;
}

// assign_by_email's e-mail and display name, checked before anything is read: a person created
// for them must pass actions.person's CHECKs.
struct Invitee {
    std::string email;
    std::optional<std::string> display_name;
};
Invitee invitee(FunctionCallInfo fcinfo) {
    std::optional<std::string> email = arg_text(fcinfo, 1);
    if (!email)
        throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "email must not be null", "",
                      "pass the e-mail address of the person to assign");
    if (auto r = core::check_email(*email)) refuse(*r);
    std::optional<std::string> display_name = arg_text(fcinfo, 2);
    if (display_name)
        if (auto r = core::check_display_name(*display_name)) refuse(*r);
    return {*email, display_name};
}

}  // namespace

// assign_by_email(action_id, email, display_name)
PG_ACTIONS_FUNCTION(pg_actions_assign_by_email) {
    std::int64_t action_id = arg_id(fcinfo, 0, "action_id");
    auto [email, display_name] = invitee(fcinfo);
    SpiScope spi;
    std::int64_t actor = require_actor();
    std::optional<Action> a = find_action(action_id, actor, true);
    if (!a) refuse_not_found(core::Target::action, action_id);
    refuse_if(refusal_for(a->assignee_id ? core::Verb::reassign : core::Verb::assign, *a));
    std::int64_t person = person_for_email(email, display_name);
    // The answer is the same for an e-mail unknown until now and one known in other
    // workspaces: whether the assignee is invited, never who they are elsewhere.
    bool invited = invite(a->workspace_id, person, action_id, actor);
    if (a->assignee_id != person) {
        store::set_action_assignee(a->workspace_id, a->action_id, person);
    }
    PG_RETURN_BOOL(invited);
}

PG_ACTIONS_FUNCTION(pg_actions_accept_invitation) {
    if (PG_ARGISNULL(0))
        throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "token must not be null", "",
                      "pass the token from the invitation");
    std::string token = text_of(PG_GETARG_DATUM(0));
    SpiScope spi;
    std::optional<store::InvitationRow> found = store::lock_invitation_by_token(token);
    if (!found)
        refuse({core::RefusalKind::not_found, "invitation not found", "no invitation has this token",
                "check the link; the person who assigned the action can assign it by e-mail again"});
    refuse_if(core::check_acceptance(found->accepted, found->expires_at, GetCurrentTransactionStartTimestamp()));
    store::accept_invitation(found->workspace_id, found->person_id);
    PG_RETURN_INT64(found->person_id);
}
