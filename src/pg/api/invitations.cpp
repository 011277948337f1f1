// Assigning an action by e-mail, and accepting the invitation that may come with it.
#include "pg/boundary/postgres.hpp"

#include "core/input.hpp"
#include "core/invitation.hpp"
#include "core/permission.hpp"
#include "pg/identity/actor.hpp"
#include "pg/authz/facts.hpp"
#include "pg/store/notify.hpp"
#include "pg/boundary/spi.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;


namespace {

// The person with this e-mail (case-insensitive), created when there is none yet.
std::int64_t person_for_email(const std::string& email, const std::optional<std::string>& display_name) {
    static Statement find("SELECT person_id FROM actions.person WHERE lower(email) = lower($1)", {TEXTOID});
    Datum args[2] = {text_datum(email), 0};
    if (find.run(args, nullptr, 1) == 1) return get_int64(0, 1);
    static Statement create(
        "INSERT INTO actions.person (email, display_name) "
        "VALUES ($1, coalesce($2, pg_catalog.left(pg_catalog.split_part($1, '@', 1), 200))) RETURNING person_id",
        {TEXTOID, TEXTOID});
    char nulls[2] = {' ', display_name ? ' ' : 'n'};
    if (display_name) args[1] = text_datum(*display_name);
    create.run(args, nulls, 0);
    return get_int64(0, 1);
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
        static Statement join(
            "INSERT INTO actions.member (workspace_id, person_id, role_id, state) "
            "SELECT $1, $2, r.role_id, 'invited' FROM actions.role r "
            "WHERE r.workspace_id = $1 AND r.name = 'actions_access' "
            "ON CONFLICT (workspace_id, person_id) DO UPDATE SET state = actions.member.state",
            {INT8OID, INT8OID});
        Datum args[2] = {Int64GetDatum(workspace_id), Int64GetDatum(person_id)};
        if (join.run(args, nullptr, 0) != 1)
            refuse({core::RefusalKind::wrong_state, "workspace " + std::to_string(workspace_id) +
                        " has no actions_access role",
                    "people assigned by e-mail join with the system role actions_access",
                    "recreate the role: it is seeded with every workspace"});
    }
    static Statement current(
        "SELECT accepted_at IS NOT NULL, expires_at FROM actions.invitation "
        "WHERE workspace_id = $1 AND person_id = $2 FOR UPDATE",
        {INT8OID, INT8OID});
    Datum key[2] = {Int64GetDatum(workspace_id), Int64GetDatum(person_id)};
    bool exists = current.run(key, nullptr, 0) == 1;
    bool accepted = exists && get_bool(0, 1);
    TimestampTz expires = exists ? get_timestamptz(0, 2).value_or(0) : 0;
    TimestampTz now = GetCurrentTransactionStartTimestamp();
    if (core::reuse_invitation(exists, accepted, expires, now)) return true;
    static Statement issue(
        "INSERT INTO actions.invitation (workspace_id, person_id, token, invited_by, expires_at) "
        "VALUES ($1, $2, pg_catalog.replace(pg_catalog.gen_random_uuid()::text, '-', ''), $3, $4) "
        "ON CONFLICT (workspace_id, person_id) DO UPDATE SET token = EXCLUDED.token, "
        "invited_by = EXCLUDED.invited_by, created_at = now(), expires_at = EXCLUDED.expires_at, accepted_at = NULL",
        {INT8OID, INT8OID, INT8OID, TIMESTAMPTZOID});
    Datum v[4] = {key[0], key[1], Int64GetDatum(inviter), TimestampTzGetDatum(now + core::invitation_valid_us)};
    issue.run(v, nullptr, 0);
    notify(core::NotificationKind::invited, workspace_id, person_id, action_id);
    return true;
}

}  // namespace

extern "C" {

// assign_by_email(action_id, email, display_name)
PG_FUNCTION_INFO_V1(pg_actions_assign_by_email);
Datum pg_actions_assign_by_email(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        std::int64_t action_id = arg_id(fcinfo, 0, "action_id");
        std::optional<std::string> email = arg_text(fcinfo, 1);
        if (!email)
            throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "email must not be null", "",
                          "pass the e-mail address of the person to assign");
        // Checked before anything is read: a person created here must pass actions.person's CHECKs.
        if (auto r = core::check_email(*email)) refuse(*r);
        std::optional<std::string> display_name = arg_text(fcinfo, 2);
        if (display_name)
            if (auto r = core::check_display_name(*display_name)) refuse(*r);
        SpiScope spi;
        std::int64_t actor = require_actor();
        std::optional<Action> a = find_action(action_id, actor, true);
        if (!a) refuse_not_found(core::Target::action, action_id);
        refuse_if(refusal_for(a->assignee_id ? core::Verb::reassign : core::Verb::assign, *a));
        std::int64_t person = person_for_email(*email, display_name);
        // The answer is the same for an e-mail unknown until now and one known in other
        // workspaces: whether the assignee is invited, never who they are elsewhere.
        bool invited = invite(a->workspace_id, person, action_id, actor);
        if (a->assignee_id != person) {
            static Statement update(
                "UPDATE actions.action SET assignee_id = $3 WHERE workspace_id = $1 AND action_id = $2",
                {INT8OID, INT8OID, INT8OID});
            run_update(update, *a, Int64GetDatum(person), false);
        }
        PG_RETURN_BOOL(invited);
    });
}

PG_FUNCTION_INFO_V1(pg_actions_accept_invitation);
Datum pg_actions_accept_invitation(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        if (PG_ARGISNULL(0))
            throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "token must not be null", "",
                          "pass the token from the invitation");
        Datum token = PG_GETARG_DATUM(0);
        SpiScope spi;
        static Statement find(
            "SELECT workspace_id, person_id, accepted_at IS NOT NULL, expires_at FROM actions.invitation "
            "WHERE token = $1 FOR UPDATE",
            {TEXTOID});
        Datum args[1] = {token};
        if (find.run(args, nullptr, 0) != 1)
            refuse({core::RefusalKind::not_found, "invitation not found", "no invitation has this token",
                    "check the link; the person who assigned the action can assign it by e-mail again"});
        std::int64_t workspace_id = get_int64(0, 1);
        std::int64_t person_id = get_int64(0, 2);
        refuse_if(core::check_acceptance(get_bool(0, 3), get_timestamptz(0, 4).value_or(0),
                                         GetCurrentTransactionStartTimestamp()));
        static Statement accept(
            "WITH i AS (UPDATE actions.invitation SET accepted_at = now() "
            "           WHERE workspace_id = $1 AND person_id = $2) "
            "UPDATE actions.member SET state = 'active' WHERE workspace_id = $1 AND person_id = $2",
            {INT8OID, INT8OID});
        Datum key[2] = {Int64GetDatum(workspace_id), Int64GetDatum(person_id)};
        accept.run(key, nullptr, 0);
        PG_RETURN_INT64(person_id);
    });
}

}  // extern "C"
