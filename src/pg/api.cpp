// The SQL API of actions: each entry point gathers facts, asks the core, then writes. Status
// moves and logging are left to the triggers on actions.action, so the API and an application's
// own UPDATE go through the same rules.
#include "postgres.hpp"

#include <vector>

#include "../core/input.hpp"
#include "../core/invitation.hpp"
#include "../core/log_chain.hpp"
#include "../core/note.hpp"
#include "../core/permission.hpp"
#include "../core/status.hpp"
#include "actor.hpp"
#include "direct.hpp"
#include "log_store.hpp"
#include "module.hpp"
#include "notify.hpp"
#include "spi.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

std::int64_t arg_id(FunctionCallInfo fcinfo, int n, const char* name) {
    if (PG_ARGISNULL(n))
        throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, std::string(name) + " must not be null", "",
                      std::string("pass the ") + name + " to act on");
    return PG_GETARG_INT64(n);
}

std::optional<std::string> arg_text(FunctionCallInfo fcinfo, int n) {
    if (PG_ARGISNULL(n)) return std::nullopt;
    return text_of(PG_GETARG_DATUM(n));
}

std::optional<TimestampTz> arg_due(FunctionCallInfo fcinfo, int n) {
    if (PG_ARGISNULL(n)) return std::nullopt;
    TimestampTz t = PG_GETARG_TIMESTAMPTZ(n);
    if (TIMESTAMP_NOT_FINITE(t))
        refuse({core::RefusalKind::bad_date, "due date must be finite",
                "infinity and -infinity are not dates an action can be due on",
                "pass a real timestamp, or leave due_at out for an action without a due date"});
    return t;
}

// A date-only due date is the end of that day in the workspace's time zone.
std::optional<TimestampTz> due_from_date(FunctionCallInfo fcinfo, int n, std::int64_t workspace_id) {
    if (PG_ARGISNULL(n)) return std::nullopt;
    DateADT d = PG_GETARG_DATEADT(n);
    if (DATE_NOT_FINITE(d))
        refuse({core::RefusalKind::bad_date, "due date must be finite",
                "infinity and -infinity are not dates an action can be due on",
                "pass a real date, or leave due_on out for an action without a due date"});
    static Statement end_of_day(
        "SELECT ((($2 + 1)::timestamp AT TIME ZONE w.time_zone) - interval '1 microsecond') "
        "FROM actions.workspace w WHERE w.workspace_id = $1",
        {INT8OID, DATEOID});
    Datum args[2] = {Int64GetDatum(workspace_id), DateADTGetDatum(d)};
    if (end_of_day.run(args, nullptr, true, 1) != 1 || is_null(0, 1))
        refuse({core::RefusalKind::bad_date, "due date is out of range", "", "pass a date between 4713 BC and 294276 AD"});
    return get_timestamptz(0, 1);
}

core::Permissions permissions_from(Datum array) {
    core::Permissions granted;
    struct Items {
        Datum* values;
        bool* nulls;
        int count;
    };
    Items items = guard([&]() -> Items {
        Items it{};
        deconstruct_array(DatumGetArrayTypeP(array), TEXTOID, -1, false, TYPALIGN_INT, &it.values, &it.nulls,
                          &it.count);
        return it;
    });
    for (int i = 0; i < items.count; i++) {
        if (items.nulls[i]) continue;
        if (auto p = core::parse_permission(text_of(items.values[i])))
            granted.set(static_cast<std::size_t>(*p));
    }
    return granted;
}

struct Membership {
    std::optional<std::string> state;  // invited, active, removed; none when not a member
    core::Permissions granted;         // of the member's role
};

// A person's membership of a workspace and the permissions of their role, read by primary key
// with the latest committed data, so a decision uses the role as it is now.
Membership membership(std::int64_t workspace_id, std::int64_t person_id, bool with_permissions = true) {
    struct Raw {
        bool member, has_permissions;
        Datum state, permissions;
    };
    Raw raw = guard([&]() -> Raw {
        Raw r{};
        direct::Key member_key[2] = {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)},
                                     {"person_id", F_INT8EQ, Int64GetDatum(person_id)}};
        const char* member_cols[2] = {"state", "role_id"};
        Datum values[2];
        bool nulls[2];
        r.member = direct::lookup("member", "member_pkey", 2, member_key, 2, member_cols, values, nulls, nullptr);
        if (!r.member) return r;
        r.state = values[0];
        if (!with_permissions) return r;
        direct::Key role_key[2] = {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)},
                                   {"role_id", F_INT8EQ, values[1]}};
        const char* role_cols[1] = {"permissions"};
        bool null;
        r.has_permissions = direct::lookup("role", "role_pkey", 2, role_key, 1, role_cols, &r.permissions, &null, nullptr) &&
                            !null;
        return r;
    });
    Membership m;
    if (raw.member) m.state = text_of(raw.state);
    if (raw.has_permissions) m.granted = permissions_from(raw.permissions);
    return m;
}

bool member_state_counts(const std::optional<std::string>& state) {
    return state && (*state == "active" || *state == "invited");
}

core::Refusal not_found_refusal(const char* what, std::int64_t id, const char* hint) {
    return {core::RefusalKind::not_found, std::string(what) + " " + std::to_string(id) + " not found",
            std::string("no ") + what + " with that id is visible to you", hint};
}

[[noreturn]] void not_found(const char* what, std::int64_t id, const char* hint) {
    refuse(not_found_refusal(what, id, hint));
}

// A verb the actor may not even see the target of is reported as not found, so ids of other
// workspaces and hidden actions reveal nothing.
std::optional<core::Refusal> permission_refusal(core::Verb verb, const core::Facts& facts, const char* what,
                                                std::int64_t id) {
    if (core::decide(core::Verb::view, facts))
        return not_found_refusal(what, id, "check the id; you can only act on actions you can see");
    return core::decide(verb, facts);
}

struct Workspace {
    std::int64_t id;
    core::Facts facts;
    std::optional<std::string> assignee_state;  // membership of the proposed assignee, if any
};

// The actor's membership (a workspace you are not a member of looks like no workspace at all)
// and the proposed assignee's.
Workspace load_workspace(std::int64_t workspace_id, std::int64_t actor,
                         std::optional<std::int64_t> assignee = std::nullopt) {
    Membership m = membership(workspace_id, actor);
    Workspace w{workspace_id, {}, std::nullopt};
    w.facts.is_member = member_state_counts(m.state);
    w.facts.granted = m.granted;
    if (!w.facts.is_member)
        not_found("workspace", workspace_id, "check the id; you can only use workspaces you are a member of");
    if (assignee) w.assignee_state = membership(workspace_id, *assignee, false).state;
    return w;
}

struct Action {
    std::int64_t workspace_id;
    std::int64_t action_id;
    core::Status status;
    std::optional<std::int64_t> assignee_id;
    core::Facts facts;
    std::optional<std::string> new_assignee_state;  // membership of a proposed assignee, if asked
};

// A mutating call locks the action row first, so the decision holds until the transaction ends;
// a question (can, why_not) only reads it. nullopt: no such action.
std::optional<Action> find_action(std::int64_t action_id, std::int64_t actor, bool lock,
                                  std::optional<std::int64_t> new_assignee = std::nullopt) {
    static Statement locking(
        "SELECT workspace_id, status, owner_id, assignee_id, completed_by FROM actions.action "
        "WHERE action_id = $1 FOR UPDATE",
        {INT8OID});
    static Statement reading(
        "SELECT workspace_id, status, owner_id, assignee_id, completed_by FROM actions.action "
        "WHERE action_id = $1",
        {INT8OID});
    Datum args[1] = {Int64GetDatum(action_id)};
    if ((lock ? locking : reading).run(args, nullptr, !lock, lock ? 0 : 1) != 1) return std::nullopt;
    Action a;
    a.workspace_id = get_int64(0, 1);
    a.action_id = action_id;
    std::optional<core::Status> s = core::parse_status(get_text(0, 2).value_or(""));
    a.status = s.value_or(core::Status::to_do);
    a.assignee_id = get_opt_int64(0, 4);
    a.facts.is_owner = get_opt_int64(0, 3) == actor;
    a.facts.is_assignee = a.assignee_id == actor;
    a.facts.completed_by_actor = get_opt_int64(0, 5) == actor;
    Membership m = membership(a.workspace_id, actor);
    a.facts.is_member = member_state_counts(m.state);
    a.facts.granted = m.granted;
    if (new_assignee) a.new_assignee_state = membership(a.workspace_id, *new_assignee, false).state;
    return a;
}

// Everything that stops `verb` on this action for this actor, in the order the API checks it:
// visibility (not found), permission, then the state the action is in. The mutating functions
// and actions.can() / actions.why_not() all ask here.
std::optional<core::Refusal> refusal_for(core::Verb verb, const Action& a) {
    if (auto r = permission_refusal(verb, a.facts, "action", a.action_id)) return r;
    return core::check_state(verb, a.status, a.assignee_id, a.action_id);
}

Action authorize_action(FunctionCallInfo fcinfo, core::Verb verb, std::int64_t* actor_out = nullptr,
                        std::optional<std::int64_t> new_assignee = std::nullopt) {
    std::int64_t action_id = arg_id(fcinfo, 0, "action_id");
    std::int64_t actor = require_actor();
    std::optional<Action> a = find_action(action_id, actor, true, new_assignee);
    if (!a) not_found("action", action_id, "check the id; you can only act on actions you can see");
    refuse_if(refusal_for(verb, *a));
    if (actor_out) *actor_out = actor;
    return *a;
}

// The assignee must be a member of the action's workspace.
void check_assignee_state(std::int64_t workspace_id, std::int64_t person_id,
                          const std::optional<std::string>& state) {
    if (!member_state_counts(state))
        refuse({core::RefusalKind::invalid_value,
                "person " + std::to_string(person_id) + " is not a member of workspace " +
                    std::to_string(workspace_id),
                state ? "the person was removed from the workspace" : "only members can be assigned actions",
                "add the person with actions.add_member() first"});
}

void check_record(std::int64_t workspace_id, std::int64_t record_id) {
    struct Found {
        bool hit;
        bool archived;
    };
    Found f = guard([&]() -> Found {
        direct::Key keys[2] = {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)},
                               {"record_id", F_INT8EQ, Int64GetDatum(record_id)}};
        const char* cols[1] = {"archived"};
        Datum archived;
        bool null;
        bool hit = direct::lookup("record", "record_pkey", 2, keys, 1, cols, &archived, &null, nullptr);
        return Found{hit, hit && !null && DatumGetBool(archived)};
    });
    if (!f.hit) not_found("record", record_id, "check the id; the record must be in the action's workspace");
    if (f.archived)
        refuse({core::RefusalKind::wrong_state, "record " + std::to_string(record_id) + " is archived",
                "an archived record keeps its actions but takes no new ones",
                "link the action to an active record, or create it standalone"});
}

void run_update(Statement& s, const Action& a, Datum v3 = 0, bool v3_null = true, Datum v4 = 0,
                bool v4_null = true) {
    Datum args[4] = {Int64GetDatum(a.workspace_id), Int64GetDatum(a.action_id), v3, v4};
    char nulls[4] = {' ', ' ', v3_null ? 'n' : ' ', v4_null ? 'n' : ' '};
    s.run(args, nulls, false, 0);
}

}  // namespace

extern "C" {

PG_FUNCTION_INFO_V1(pg_actions_create_action);
Datum pg_actions_create_action(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
        std::optional<std::string> title = arg_text(fcinfo, 1);
        std::optional<std::string> description = arg_text(fcinfo, 2);
        refuse_if(core::check_title(title));
        refuse_if(core::check_description(description));
        std::string priority = arg_text(fcinfo, 6).value_or("none");
        std::string type = arg_text(fcinfo, 7).value_or("task");
        refuse_if(core::check_priority(priority));
        refuse_if(core::check_type(type));
        std::optional<TimestampTz> due = arg_due(fcinfo, 4);
        if (due && !PG_ARGISNULL(5))
            refuse({core::RefusalKind::invalid_value, "pass due_at or due_on, not both",
                    "due_at is an exact time, due_on a date ending at midnight in the workspace time zone",
                    "leave one of them out"});

        spi_connect();
        std::int64_t actor = require_actor();
        std::optional<std::int64_t> assignee;
        if (!PG_ARGISNULL(3)) assignee = PG_GETARG_INT64(3);
        Workspace w = load_workspace(workspace_id, actor, assignee);
        refuse_if(core::decide(core::Verb::create, w.facts));
        if (assignee) {
            if (*assignee != actor) refuse_if(core::decide(core::Verb::assign, w.facts));
            check_assignee_state(workspace_id, *assignee, w.assignee_state);
        }
        if (!due) due = due_from_date(fcinfo, 5, workspace_id);
        if (!PG_ARGISNULL(8)) check_record(workspace_id, PG_GETARG_INT64(8));

        static Statement insert(
            "INSERT INTO actions.action (workspace_id, title, description, type, priority, owner_id, "
            "assignee_id, due_at, record_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
            "RETURNING action_id",
            {INT8OID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, INT8OID, INT8OID, TIMESTAMPTZOID, INT8OID});
        Datum v[9] = {Int64GetDatum(workspace_id), text_datum(*title),
                      description ? text_datum(*description) : 0, text_datum(type), text_datum(priority),
                      Int64GetDatum(actor), assignee ? Int64GetDatum(*assignee) : 0,
                      due ? TimestampTzGetDatum(*due) : 0, PG_ARGISNULL(8) ? 0 : PG_GETARG_DATUM(8)};
        char nulls[9] = {' ', ' ', description ? ' ' : 'n', ' ', ' ', ' ', assignee ? ' ' : 'n',
                         due ? ' ' : 'n', PG_ARGISNULL(8) ? 'n' : ' '};
        insert.run(v, nulls, false, 0);
        std::int64_t id = get_int64(0, 1);
        spi_finish();
        PG_RETURN_INT64(id);
    });
}

// assign: give an unassigned action its first assignee; reassign: change it.
static Datum set_assignee(FunctionCallInfo fcinfo, bool reassigning) {
    spi_connect();
    std::int64_t person = arg_id(fcinfo, 1, "assignee_id");
    Action a = authorize_action(fcinfo, reassigning ? core::Verb::reassign : core::Verb::assign, nullptr, person);
    check_assignee_state(a.workspace_id, person, a.new_assignee_state);
    if (a.assignee_id == person) {
        spi_finish();
        PG_RETURN_VOID();
    }
    static Statement update("UPDATE actions.action SET assignee_id = $3 WHERE workspace_id = $1 AND action_id = $2",
                            {INT8OID, INT8OID, INT8OID});
    run_update(update, a, Int64GetDatum(person), false);
    spi_finish();
    PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(pg_actions_assign);
Datum pg_actions_assign(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) { return set_assignee(fcinfo, false); });
}

PG_FUNCTION_INFO_V1(pg_actions_reassign);
Datum pg_actions_reassign(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) { return set_assignee(fcinfo, true); });
}

static Statement& set_status_statement() {
    static Statement s("UPDATE actions.action SET status = $3 WHERE workspace_id = $1 AND action_id = $2",
                       {INT8OID, INT8OID, TEXTOID});
    return s;
}

PG_FUNCTION_INFO_V1(pg_actions_start);
Datum pg_actions_start(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        spi_connect();
        Action a = authorize_action(fcinfo, core::Verb::start);
        run_update(set_status_statement(), a, text_datum("in_progress"), false);
        spi_finish();
        PG_RETURN_VOID();
    });
}

PG_FUNCTION_INFO_V1(pg_actions_uncomplete);
Datum pg_actions_uncomplete(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        spi_connect();
        Action a = authorize_action(fcinfo, core::Verb::uncomplete);
        // The trigger settles to_do into in_progress or overdue as the facts require.
        run_update(set_status_statement(), a, text_datum("to_do"), false);
        spi_finish();
        PG_RETURN_VOID();
    });
}

PG_FUNCTION_INFO_V1(pg_actions_complete);
Datum pg_actions_complete(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        std::optional<std::string> name = arg_text(fcinfo, 2);
        std::string content_type = arg_text(fcinfo, 3).value_or("application/octet-stream");
        struct Bytes {
            const char* data;
            std::size_t size;
        };
        Bytes content{nullptr, 0};
        if (!PG_ARGISNULL(1)) {
            Datum raw = PG_GETARG_DATUM(1);
            content = guard([&]() -> Bytes {
                bytea* b = DatumGetByteaPP(raw);
                return Bytes{VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b)};
            });
            refuse_if(core::check_evidence(name, content.size, static_cast<std::size_t>(evidence_max_bytes)));
        } else if (name) {
            refuse({core::RefusalKind::invalid_value, "evidence_name given without evidence",
                    "a file name needs the file's bytes", "pass evidence => the file content as bytea"});
        }

        spi_connect();
        std::int64_t actor = 0;
        Action a = authorize_action(fcinfo, core::Verb::complete, &actor);
        std::optional<std::int64_t> evidence_id;
        if (content.data) {
            core::Hash h = core::sha256(std::string_view(content.data, content.size));
            Datum sha = guard([&]() -> Datum { return hash_datum(h); });
            static Statement insert(
                "INSERT INTO actions.evidence (workspace_id, action_id, name, content_type, size_bytes, "
                "sha256, content, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING evidence_id",
                {INT8OID, INT8OID, TEXTOID, TEXTOID, INT8OID, BYTEAOID, BYTEAOID, INT8OID});
            Datum v[8] = {Int64GetDatum(a.workspace_id), Int64GetDatum(a.action_id), text_datum(*name),
                          text_datum(content_type), Int64GetDatum(static_cast<std::int64_t>(content.size)),
                          sha, PG_GETARG_DATUM(1), Int64GetDatum(actor)};
            insert.run(v, nullptr, false, 0);
            evidence_id = get_int64(0, 1);
        }
        static Statement update(
            "UPDATE actions.action SET status = 'complete', completed_by = $3, "
            "evidence_id = $4 WHERE workspace_id = $1 AND action_id = $2",
            {INT8OID, INT8OID, INT8OID, INT8OID});
        run_update(update, a, Int64GetDatum(actor), false, evidence_id ? Int64GetDatum(*evidence_id) : 0,
                   !evidence_id);
        spi_finish();
        PG_RETURN_VOID();
    });
}

PG_FUNCTION_INFO_V1(pg_actions_cancel);
Datum pg_actions_cancel(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        std::optional<std::string> reason = arg_text(fcinfo, 1);
        refuse_if(core::check_reason(reason));
        spi_connect();
        Action a = authorize_action(fcinfo, core::Verb::cancel);
        static Statement update(
            "UPDATE actions.action SET status = 'cancelled', cancel_reason = $3 "
            "WHERE workspace_id = $1 AND action_id = $2",
            {INT8OID, INT8OID, TEXTOID});
        run_update(update, a, text_datum(*reason), false);
        spi_finish();
        PG_RETURN_VOID();
    });
}

// update_action(action_id, title, description, due_at, due_on, priority, clear_due)
PG_FUNCTION_INFO_V1(pg_actions_update_action);
Datum pg_actions_update_action(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        std::optional<std::string> title = arg_text(fcinfo, 1);
        std::optional<std::string> description = arg_text(fcinfo, 2);
        std::optional<std::string> priority = arg_text(fcinfo, 5);
        bool clear_due = !PG_ARGISNULL(6) && PG_GETARG_BOOL(6);
        if (title) refuse_if(core::check_title(title));
        refuse_if(core::check_description(description));
        if (priority) refuse_if(core::check_priority(*priority));
        std::optional<TimestampTz> due = arg_due(fcinfo, 3);
        if ((due ? 1 : 0) + (PG_ARGISNULL(4) ? 0 : 1) + (clear_due ? 1 : 0) > 1)
            refuse({core::RefusalKind::invalid_value, "pass only one of due_at, due_on and clear_due", "",
                    "due_at sets an exact time, due_on a date, clear_due => true removes the due date"});

        spi_connect();
        Action a = authorize_action(fcinfo, core::Verb::edit);
        if (!due) due = due_from_date(fcinfo, 4, a.workspace_id);
        bool set_due = due || clear_due;
        static Statement update(
            "UPDATE actions.action SET title = coalesce($3, title), "
            "description = CASE WHEN $4 THEN NULLIF($5, '') ELSE description END, "
            "due_at = CASE WHEN $6 THEN $7 ELSE due_at END, priority = coalesce($8, priority) "
            "WHERE workspace_id = $1 AND action_id = $2",
            {INT8OID, INT8OID, TEXTOID, BOOLOID, TEXTOID, BOOLOID, TIMESTAMPTZOID, TEXTOID});
        Datum v[8] = {Int64GetDatum(a.workspace_id), Int64GetDatum(a.action_id),
                      title ? text_datum(*title) : 0, BoolGetDatum(description.has_value()),
                      description ? text_datum(*description) : 0, BoolGetDatum(set_due),
                      due ? TimestampTzGetDatum(*due) : 0, priority ? text_datum(*priority) : 0};
        char nulls[8] = {' ', ' ', title ? ' ' : 'n', ' ', description ? ' ' : 'n', ' ', due ? ' ' : 'n',
                         priority ? ' ' : 'n'};
        update.run(v, nulls, false, 0);
        spi_finish();
        PG_RETURN_VOID();
    });
}

PG_FUNCTION_INFO_V1(pg_actions_delete_action);
Datum pg_actions_delete_action(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        spi_connect();
        Action a = authorize_action(fcinfo, core::Verb::delete_action);
        static Statement del("DELETE FROM actions.action WHERE workspace_id = $1 AND action_id = $2",
                             {INT8OID, INT8OID});
        run_update(del, a);
        spi_finish();
        PG_RETURN_VOID();
    });
}

PG_FUNCTION_INFO_V1(pg_actions_create_record);
Datum pg_actions_create_record(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
        std::optional<std::string> title = arg_text(fcinfo, 1);
        refuse_if(core::check_title(title));
        std::string kind = arg_text(fcinfo, 2).value_or("generic");
        spi_connect();
        std::int64_t actor = require_actor();
        Workspace w = load_workspace(workspace_id, actor);
        refuse_if(core::decide(core::Verb::create_record, w.facts));
        static Statement insert(
            "INSERT INTO actions.record (workspace_id, kind, title) VALUES ($1, $2, $3) RETURNING record_id",
            {INT8OID, TEXTOID, TEXTOID});
        Datum v[3] = {Int64GetDatum(workspace_id), text_datum(kind), text_datum(*title)};
        insert.run(v, nullptr, false, 0);
        std::int64_t id = get_int64(0, 1);
        spi_finish();
        PG_RETURN_INT64(id);
    });
}

PG_FUNCTION_INFO_V1(pg_actions_archive_record);
Datum pg_actions_archive_record(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        std::int64_t record_id = arg_id(fcinfo, 0, "record_id");
        spi_connect();
        std::int64_t actor = require_actor();
        static Statement q("SELECT workspace_id, archived FROM actions.record WHERE record_id = $1 FOR UPDATE",
                           {INT8OID});
        Datum args[1] = {Int64GetDatum(record_id)};
        if (q.run(args, nullptr, false, 0) != 1)
            not_found("record", record_id, "check the id; you can only archive records you can see");
        std::int64_t workspace_id = get_int64(0, 1);
        bool archived = get_bool(0, 2);
        Membership m = membership(workspace_id, actor);
        core::Facts facts;
        facts.is_member = member_state_counts(m.state);
        facts.granted = m.granted;
        refuse_if(permission_refusal(core::Verb::archive_record, facts, "record", record_id));
        if (archived)
            refuse({core::RefusalKind::wrong_state, "record " + std::to_string(record_id) + " is already archived",
                    "", "nothing to do: its actions stay active and visible"});
        static Statement update(
            "UPDATE actions.record SET archived = true, archived_at = now() "
            "WHERE workspace_id = $1 AND record_id = $2",
            {INT8OID, INT8OID});
        Datum v[2] = {Int64GetDatum(workspace_id), Int64GetDatum(record_id)};
        update.run(v, nullptr, false, 0);
        spi_finish();
        PG_RETURN_VOID();
    });
}

}  // extern "C"

namespace {

// can / why_not: the refusal the acting person would get for `verb` on the action, without acting.
// Only action verbs are answered here; create, create_record and archive_record are decided per
// workspace or record.
std::optional<core::Refusal> would_refuse(FunctionCallInfo fcinfo) {
    if (PG_ARGISNULL(0))
        throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "verb must not be null", "",
                      "pass a verb such as 'reassign' or 'complete'");
    std::string verb_text = text_of(PG_GETARG_DATUM(0));
    std::optional<core::Verb> verb = core::parse_verb(verb_text);
    bool per_action = verb && *verb != core::Verb::create && *verb != core::Verb::create_record &&
                      *verb != core::Verb::archive_record && *verb != core::Verb::manage_workspace;
    if (!per_action)
        refuse({core::RefusalKind::invalid_value, "\"" + verb_text + "\" is not a verb on an action",
                verb ? "it is decided per workspace or record, not per action" : "no such verb",
                "use one of view, assign, reassign, start, complete, uncomplete, cancel, edit, delete"});
    std::int64_t action_id = arg_id(fcinfo, 1, "action_id");
    std::optional<std::int64_t> actor = current_actor();
    if (!actor)
        return core::Refusal{core::RefusalKind::not_permitted, "no person is acting in this session",
                             "session_user is not the login role of any person and no act_as() is in effect",
                             "connect as a person's login role, or call actions.act_as() from a trusted service"};
    std::optional<Action> a = find_action(action_id, *actor, false);
    if (!a) return not_found_refusal("action", action_id, "check the id; you can only act on actions you can see");
    return refusal_for(*verb, *a);
}

}  // namespace

extern "C" {

PG_FUNCTION_INFO_V1(pg_actions_can);
Datum pg_actions_can(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        spi_connect();
        bool allowed = !would_refuse(fcinfo);
        spi_finish();
        PG_RETURN_BOOL(allowed);
    });
}

PG_FUNCTION_INFO_V1(pg_actions_why_not);
Datum pg_actions_why_not(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        spi_connect();
        std::optional<core::Refusal> r = would_refuse(fcinfo);
        spi_finish();
        if (!r) PG_RETURN_NULL();
        std::string reason = r->detail.empty() ? r->message : r->message + ": " + r->detail;
        return text_datum(reason);
    });
}

}  // extern "C"

namespace {

// The person with this e-mail (case-insensitive), created when there is none yet.
std::int64_t person_for_email(const std::string& email, const std::optional<std::string>& display_name) {
    static Statement find("SELECT person_id FROM actions.person WHERE lower(email) = lower($1)", {TEXTOID});
    Datum args[2] = {text_datum(email), 0};
    if (find.run(args, nullptr, true, 1) == 1) return get_int64(0, 1);
    static Statement create(
        "INSERT INTO actions.person (email, display_name) "
        "VALUES ($1, coalesce($2, pg_catalog.split_part($1, '@', 1))) RETURNING person_id",
        {TEXTOID, TEXTOID});
    char nulls[2] = {' ', display_name ? ' ' : 'n'};
    if (display_name) args[1] = text_datum(*display_name);
    create.run(args, nulls, false, 0);
    return get_int64(0, 1);
}

// Makes the person an invited actions_access member (unless already a member) and makes sure a
// usable invitation exists; notifies them when a new one is issued.
void invite(std::int64_t workspace_id, std::int64_t person_id, std::int64_t action_id, std::int64_t inviter) {
    std::optional<std::string> state = membership(workspace_id, person_id, false).state;
    if (state && *state == "active") return;
    if (!state || *state == "removed") {
        static Statement join(
            "INSERT INTO actions.member (workspace_id, person_id, role_id, state) "
            "SELECT $1, $2, r.role_id, 'invited' FROM actions.role r "
            "WHERE r.workspace_id = $1 AND r.name = 'actions_access' "
            "ON CONFLICT (workspace_id, person_id) DO UPDATE SET role_id = EXCLUDED.role_id, state = 'invited'",
            {INT8OID, INT8OID});
        Datum args[2] = {Int64GetDatum(workspace_id), Int64GetDatum(person_id)};
        if (join.run(args, nullptr, false, 0) != 1)
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
    bool exists = current.run(key, nullptr, false, 0) == 1;
    bool accepted = exists && get_bool(0, 1);
    TimestampTz expires = exists ? get_timestamptz(0, 2).value_or(0) : 0;
    TimestampTz now = GetCurrentTransactionStartTimestamp();
    if (core::reuse_invitation(exists, accepted, expires, now)) return;
    static Statement issue(
        "INSERT INTO actions.invitation (workspace_id, person_id, token, invited_by, expires_at) "
        "VALUES ($1, $2, pg_catalog.replace(pg_catalog.gen_random_uuid()::text, '-', ''), $3, $4) "
        "ON CONFLICT (workspace_id, person_id) DO UPDATE SET token = EXCLUDED.token, "
        "invited_by = EXCLUDED.invited_by, created_at = now(), expires_at = EXCLUDED.expires_at, accepted_at = NULL",
        {INT8OID, INT8OID, INT8OID, TIMESTAMPTZOID});
    Datum v[4] = {key[0], key[1], Int64GetDatum(inviter), TimestampTzGetDatum(now + core::invitation_valid_us)};
    issue.run(v, nullptr, false, 0);
    notify("invited", workspace_id, person_id, action_id);
}

}  // namespace

extern "C" {

// assign_by_email(action_id, email, display_name)
PG_FUNCTION_INFO_V1(pg_actions_assign_by_email);
Datum pg_actions_assign_by_email(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        std::int64_t action_id = arg_id(fcinfo, 0, "action_id");
        std::optional<std::string> email = arg_text(fcinfo, 1);
        if (!email)
            throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "email must not be null", "",
                          "pass the e-mail address of the person to assign");
        std::optional<std::string> display_name = arg_text(fcinfo, 2);
        spi_connect();
        std::int64_t actor = require_actor();
        std::optional<Action> a = find_action(action_id, actor, true);
        if (!a) not_found("action", action_id, "check the id; you can only act on actions you can see");
        refuse_if(refusal_for(a->assignee_id ? core::Verb::reassign : core::Verb::assign, *a));
        std::int64_t person = person_for_email(*email, display_name);
        invite(a->workspace_id, person, action_id, actor);
        if (a->assignee_id != person) {
            static Statement update(
                "UPDATE actions.action SET assignee_id = $3 WHERE workspace_id = $1 AND action_id = $2",
                {INT8OID, INT8OID, INT8OID});
            run_update(update, *a, Int64GetDatum(person), false);
        }
        spi_finish();
        PG_RETURN_INT64(person);
    });
}

PG_FUNCTION_INFO_V1(pg_actions_accept_invitation);
Datum pg_actions_accept_invitation(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        if (PG_ARGISNULL(0))
            throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "token must not be null", "",
                          "pass the token from the invitation");
        Datum token = PG_GETARG_DATUM(0);
        spi_connect();
        static Statement find(
            "SELECT workspace_id, person_id, accepted_at IS NOT NULL, expires_at FROM actions.invitation "
            "WHERE token = $1 FOR UPDATE",
            {TEXTOID});
        Datum args[1] = {token};
        if (find.run(args, nullptr, false, 0) != 1)
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
        accept.run(key, nullptr, false, 0);
        spi_finish();
        PG_RETURN_INT64(person_id);
    });
}

}  // extern "C"

namespace {

std::string arg_kind(FunctionCallInfo fcinfo, int n) {
    if (PG_ARGISNULL(n))
        throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "kind must not be null", "",
                      "pass one of assigned, reassigned, due_soon, overdue, invited");
    return text_of(PG_GETARG_DATUM(n));
}

}  // namespace

extern "C" {

// set_notification(workspace_id, kind, enabled)
PG_FUNCTION_INFO_V1(pg_actions_set_notification);
Datum pg_actions_set_notification(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
        std::string kind = arg_kind(fcinfo, 1);
        if (PG_ARGISNULL(2))
            throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "enabled must not be null", "",
                          "pass true to turn the kind on, false to turn it off");
        bool enabled = PG_GETARG_BOOL(2);
        spi_connect();
        Workspace w = load_workspace(workspace_id, require_actor());
        refuse_if(core::decide(core::Verb::manage_workspace, w.facts));
        // The domain actions.notification_kind refuses an unknown kind (23514).
        static Statement upsert(
            "INSERT INTO actions.notification_setting (workspace_id, kind, enabled) VALUES ($1, $2, $3) "
            "ON CONFLICT (workspace_id, kind) DO UPDATE SET enabled = EXCLUDED.enabled",
            {INT8OID, TEXTOID, BOOLOID});
        Datum v[3] = {Int64GetDatum(workspace_id), text_datum(kind), BoolGetDatum(enabled)};
        upsert.run(v, nullptr, false, 0);
        spi_finish();
        PG_RETURN_VOID();
    });
}

// opt_out(workspace_id, kind, opted_out)
PG_FUNCTION_INFO_V1(pg_actions_opt_out);
Datum pg_actions_opt_out(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
        std::string kind = arg_kind(fcinfo, 1);
        bool opted_out = PG_ARGISNULL(2) || PG_GETARG_BOOL(2);
        spi_connect();
        std::int64_t actor = require_actor();
        load_workspace(workspace_id, actor);  // members only
        static Statement add(
            "INSERT INTO actions.notification_opt_out (workspace_id, person_id, kind) VALUES ($1, $2, $3) "
            "ON CONFLICT DO NOTHING",
            {INT8OID, INT8OID, TEXTOID});
        static Statement remove(
            "DELETE FROM actions.notification_opt_out WHERE workspace_id = $1 AND person_id = $2 AND kind = $3",
            {INT8OID, INT8OID, TEXTOID});
        Datum v[3] = {Int64GetDatum(workspace_id), Int64GetDatum(actor), text_datum(kind)};
        (opted_out ? add : remove).run(v, nullptr, false, 0);
        spi_finish();
        PG_RETURN_VOID();
    });
}

// notify_due_soon(): the maintenance sweep's due-soon reminders.
PG_FUNCTION_INFO_V1(pg_actions_notify_due_soon);
Datum pg_actions_notify_due_soon(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo) -> Datum {
        spi_connect();
        // The partial index action_open_due_idx finds the candidates.
        static Statement due(
            "SELECT a.workspace_id, a.action_id, a.assignee_id, a.due_at FROM actions.action a "
            "JOIN actions.workspace w ON w.workspace_id = a.workspace_id "
            "WHERE a.status IN ('to_do', 'in_progress') AND a.due_at IS NOT NULL AND a.assignee_id IS NOT NULL "
            "AND a.due_at > now() AND a.due_at <= now() + w.due_soon_window",
            {});
        struct Due {
            std::int64_t workspace_id, action_id, assignee_id;
            TimestampTz due_at;
        };
        std::uint64_t n = due.run(nullptr, nullptr, false, 0);
        std::vector<Due> rows;
        rows.reserve(n);
        for (std::uint64_t i = 0; i < n; i++)
            rows.push_back({get_int64(i, 1), get_int64(i, 2), get_int64(i, 3), get_timestamptz(i, 4).value_or(0)});
        std::int64_t sent = 0;
        for (const Due& d : rows)
            if (remind("due_soon", d.workspace_id, d.assignee_id, d.action_id, d.due_at)) sent++;
        spi_finish();
        PG_RETURN_INT64(sent);
    });
}

}  // extern "C"

namespace {

// The action a note is on, locked, with the notes access of the acting person; a note on an
// action the person cannot see is reported as not found.
struct NoteTarget {
    Action action;
    core::NoteAccess access;
};

NoteTarget note_target(std::int64_t action_id, std::int64_t actor, bool lock, const char* what, std::int64_t id) {
    std::optional<Action> a = find_action(action_id, actor, lock);
    if (!a || core::decide(core::Verb::view, a->facts))
        not_found(what, id, "check the id; you can only see notes of actions you can see");
    return NoteTarget{*a, core::note_access(a->facts)};
}

// The action of a note, by the note's id (P0002 when there is none).
std::int64_t action_of_note(std::int64_t note_id) {
    static Statement q("SELECT action_id FROM actions.note WHERE note_id = $1", {INT8OID});
    Datum args[1] = {Int64GetDatum(note_id)};
    if (q.run(args, nullptr, true, 1) != 1)
        not_found("note", note_id, "check the id; you can only see notes of actions you can see");
    return get_int64(0, 1);
}

}  // namespace

extern "C" {

PG_FUNCTION_INFO_V1(pg_actions_add_note);
Datum pg_actions_add_note(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        std::int64_t action_id = arg_id(fcinfo, 0, "action_id");
        std::optional<std::string> body = arg_text(fcinfo, 1);
        refuse_if(core::check_note_body(body));
        spi_connect();
        std::int64_t actor = require_actor();
        NoteTarget t = note_target(action_id, actor, true, "action", action_id);
        refuse_if(core::check_note_change(core::NoteChange::add, t.access));
        static Statement insert(
            "INSERT INTO actions.note (workspace_id, action_id, author_id, body) VALUES ($1, $2, $3, $4) "
            "RETURNING note_id",
            {INT8OID, INT8OID, INT8OID, TEXTOID});
        Datum v[4] = {Int64GetDatum(t.action.workspace_id), Int64GetDatum(action_id), Int64GetDatum(actor),
                      text_datum(*body)};
        insert.run(v, nullptr, false, 0);
        std::int64_t id = get_int64(0, 1);
        spi_finish();
        PG_RETURN_INT64(id);
    });
}

PG_FUNCTION_INFO_V1(pg_actions_edit_note);
Datum pg_actions_edit_note(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        std::int64_t note_id = arg_id(fcinfo, 0, "note_id");
        std::optional<std::string> body = arg_text(fcinfo, 1);
        refuse_if(core::check_note_body(body));
        spi_connect();
        std::int64_t actor = require_actor();
        NoteTarget t = note_target(action_of_note(note_id), actor, true, "note", note_id);
        refuse_if(core::check_note_change(core::NoteChange::edit, t.access));
        static Statement update(
            "UPDATE actions.note SET body = $3, updated_at = now() WHERE workspace_id = $1 AND note_id = $2",
            {INT8OID, INT8OID, TEXTOID});
        Datum v[3] = {Int64GetDatum(t.action.workspace_id), Int64GetDatum(note_id), text_datum(*body)};
        update.run(v, nullptr, false, 0);
        spi_finish();
        PG_RETURN_VOID();
    });
}

PG_FUNCTION_INFO_V1(pg_actions_delete_note);
Datum pg_actions_delete_note(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        std::int64_t note_id = arg_id(fcinfo, 0, "note_id");
        spi_connect();
        std::int64_t actor = require_actor();
        NoteTarget t = note_target(action_of_note(note_id), actor, true, "note", note_id);
        refuse_if(core::check_note_change(core::NoteChange::remove, t.access));
        static Statement del("DELETE FROM actions.note WHERE workspace_id = $1 AND note_id = $2", {INT8OID, INT8OID});
        Datum v[2] = {Int64GetDatum(t.action.workspace_id), Int64GetDatum(note_id)};
        del.run(v, nullptr, false, 0);
        spi_finish();
        PG_RETURN_VOID();
    });
}

PG_FUNCTION_INFO_V1(pg_actions_note_access);
Datum pg_actions_note_access(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        std::int64_t action_id = arg_id(fcinfo, 0, "action_id");
        spi_connect();
        NoteTarget t = note_target(action_id, require_actor(), false, "action", action_id);
        spi_finish();
        return text_datum(std::string(core::note_access_name(t.access)));
    });
}

}  // extern "C"
