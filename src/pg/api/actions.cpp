// The SQL API of actions: each entry point gathers facts, asks the core, then writes. Status
// moves and logging are left to the triggers on actions.action, so the API and an application's
// own UPDATE go through the same rules.
#include "pg/boundary/postgres.hpp"

#include "core/input.hpp"
#include "core/log_chain.hpp"
#include "core/permission.hpp"
#include "core/status.hpp"
#include "pg/identity/actor.hpp"
#include "pg/authz/approver_facts.hpp"
#include "pg/authz/facts.hpp"
#include "pg/store/action_store.hpp"
#include "pg/store/log_store.hpp"
#include "pg/boundary/module.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/api/procedure_steps.hpp"
#include "pg/api/verbs.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;


// The body of actions.create_action, also run per row by the bulk functions (bulk.cpp).
Datum pg_actions::pg::create_action_body(FunctionCallInfo fcinfo) {
    NewAction n = new_action_args(fcinfo);
    SpiScope spi;
    std::int64_t id = create_new_action(std::move(n));
    PG_RETURN_INT64(id);
}

PG_ACTIONS_FUNCTION(pg_actions_create_action) { return create_action_body(fcinfo); }

// The decision half of reassign (bulk.cpp): the acting person may reassign the action (locked) to
// assignee_id; changes is false when it is assigned to them already, which writes nothing.
pg_actions::pg::Decided pg_actions::pg::decide_reassign(FunctionCallInfo fcinfo) {
    std::int64_t person = arg_id(fcinfo, 1, "assignee_id");
    Action a = authorize_action(fcinfo, core::Verb::reassign, nullptr, person);
    check_assignee_state(a.workspace_id, person, a.new_assignee_state);
    return {a.workspace_id, a.action_id, a.assignee_id != person, a.record_id.has_value() || a.workflow.has_value()};
}

// The decision half of start, complete, uncomplete, cancel and delete (bulk.cpp).
pg_actions::pg::Decided pg_actions::pg::decide_action(FunctionCallInfo fcinfo, core::Verb verb) {
    Action a = authorize_action(fcinfo, verb);
    return {a.workspace_id, a.action_id, true, a.record_id.has_value() || a.workflow.has_value()};
}

// The write half for many actions of one workspace, decided and locked one by one: the same
// columns the single functions set, in one statement (the triggers log and notify per row).
std::uint64_t pg_actions::pg::write_many(ManyWrite what, std::int64_t workspace_id,
                                         const std::vector<std::int64_t>& ids, Datum value) {
    switch (what) {
    case ManyWrite::assignee: return store::set_actions_assignee(workspace_id, ids, DatumGetInt64(value));
    case ManyWrite::status: return store::set_actions_status(workspace_id, ids, text_of(value));
    case ManyWrite::complete: return store::complete_actions(workspace_id, ids, DatumGetInt64(value));
    case ManyWrite::cancel: return store::cancel_actions(workspace_id, ids, text_of(value));
    case ManyWrite::remove: return store::delete_actions(workspace_id, ids);
    }
    return 0;
}

extern "C" {

// assign: give an unassigned action its first assignee; reassign: change it.
static Datum set_assignee(FunctionCallInfo fcinfo, bool reassigning) {
    SpiScope spi;
    std::int64_t person = arg_id(fcinfo, 1, "assignee_id");
    Action a = authorize_action(fcinfo, reassigning ? core::Verb::reassign : core::Verb::assign, nullptr, person);
    check_assignee_state(a.workspace_id, person, a.new_assignee_state);
    if (a.assignee_id == person) {
        PG_RETURN_VOID();
    }
    store::set_action_assignee(a.workspace_id, a.action_id, person);
    PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(pg_actions_assign);
Datum pg_actions_assign(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&] { return set_assignee(fcinfo, false); });
}

}  // extern "C"

// The body of actions.reassign, also run per row by bulk_reassign (bulk.cpp).
Datum pg_actions::pg::reassign_body(FunctionCallInfo fcinfo) { return set_assignee(fcinfo, true); }

PG_ACTIONS_FUNCTION(pg_actions_reassign) { return reassign_body(fcinfo); }

// The body of actions.start, also run per row by the bulk functions (bulk.cpp).
Datum pg_actions::pg::start_body(FunctionCallInfo fcinfo) {
    SpiScope spi;
    Action a = authorize_action(fcinfo, core::Verb::start);
    refuse_if(step_refusal(a, core::Verb::start));  // a procedure step starts after the previous one
    store::set_action_status(a.workspace_id, a.action_id, "in_progress");
    PG_RETURN_VOID();
}

PG_ACTIONS_FUNCTION(pg_actions_start) { return start_body(fcinfo); }

// The body of actions.uncomplete, also run per row by the bulk functions (bulk.cpp).
Datum pg_actions::pg::uncomplete_body(FunctionCallInfo fcinfo) {
    SpiScope spi;
    Action a = authorize_action(fcinfo, core::Verb::uncomplete);
    // The trigger settles to_do into in_progress or overdue as the facts require.
    store::set_action_status(a.workspace_id, a.action_id, "to_do");
    after_step_uncompleted(a);  // a procedure step's move of the later ones is undone
    PG_RETURN_VOID();
}

PG_ACTIONS_FUNCTION(pg_actions_uncomplete) { return uncomplete_body(fcinfo); }

// The body of actions.complete, also run per row by the bulk functions (bulk.cpp).
Datum pg_actions::pg::complete_body(FunctionCallInfo fcinfo) { return complete_with(fcinfo, 1, std::nullopt); }

// Evidence in arguments ev, ev + 1, ev + 2 (actions.complete_step() has reschedule before them).
Datum pg_actions::pg::complete_with(FunctionCallInfo fcinfo, int ev, std::optional<bool> reschedule) {
    std::optional<std::string> name = arg_text(fcinfo, ev + 1);
    std::string content_type = arg_text(fcinfo, ev + 2).value_or("application/octet-stream");
    struct Bytes {
        const char* data;
        std::size_t size;
    };
    Bytes content{nullptr, 0};
    if (!PG_ARGISNULL(ev)) {
        Datum raw = PG_GETARG_DATUM(ev);
        content = guard([&]() -> Bytes {
            bytea* b = DatumGetByteaPP(raw);
            return Bytes{VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b)};
        });
        refuse_if(core::check_evidence(name, content.size, static_cast<std::size_t>(evidence_max_bytes)));
    } else if (name) {
        refuse({core::RefusalKind::invalid_value, "evidence_name given without evidence",
                "a file name needs the file's bytes", "pass evidence => the file content as bytea"});
    }

    SpiScope spi;
    std::int64_t actor = 0;
    Action a = authorize_action(fcinfo, core::Verb::complete, &actor);
    // A procedure step (one index probe, for both): its order, earlier steps; after the write, the
    // later steps move when it was early or late.
    const std::optional<store::StepPlace> step = store::step_of_action(a.workspace_id, a.action_id);
    refuse_if(step_refusal(a, core::Verb::complete, step));
    std::optional<std::int64_t> evidence_id;
    if (content.data) {
        core::Hash h = core::sha256(std::string_view(content.data, content.size));
        Datum sha = guard([&]() -> Datum { return hash_datum(h); });
        evidence_id = store::insert_evidence(a.workspace_id, a.action_id, *name, content_type,
                                             static_cast<std::int64_t>(content.size), sha, PG_GETARG_DATUM(ev), actor);
    }
    store::complete_action(a.workspace_id, a.action_id, actor, evidence_id);
    after_step_completed(a, reschedule, step);
    PG_RETURN_VOID();
}

PG_ACTIONS_FUNCTION(pg_actions_complete) { return complete_body(fcinfo); }

// The body of actions.cancel, also run per row by the bulk functions (bulk.cpp).
Datum pg_actions::pg::cancel_body(FunctionCallInfo fcinfo) {
    std::optional<std::string> reason = arg_text(fcinfo, 1);
    refuse_if(core::check_reason(reason));
    SpiScope spi;
    Action a = authorize_action(fcinfo, core::Verb::cancel);
    store::cancel_action(a.workspace_id, a.action_id, *reason);
    PG_RETURN_VOID();
}

PG_ACTIONS_FUNCTION(pg_actions_cancel) { return cancel_body(fcinfo); }

// update_action(action_id, title, description, due_at, due_on, priority, clear_due)

// The body of actions.update_action, also run per row by the bulk functions (bulk.cpp).
Datum pg_actions::pg::update_action_body(FunctionCallInfo fcinfo) {
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

    SpiScope spi;
    Action a = authorize_action(fcinfo, core::Verb::edit);
    if (!due) due = due_from_date(fcinfo, 4, a.workspace_id);
    bool set_due = due || clear_due;
    store::update_action_fields(a.workspace_id, a.action_id, title, description, set_due, due, priority);
    PG_RETURN_VOID();
}

PG_ACTIONS_FUNCTION(pg_actions_update_action) { return update_action_body(fcinfo); }

// The body of actions.delete_action, also run per row by the bulk functions (bulk.cpp).
Datum pg_actions::pg::delete_action_body(FunctionCallInfo fcinfo) {
    SpiScope spi;
    Action a = authorize_action(fcinfo, core::Verb::delete_action);
    store::delete_action(a.workspace_id, a.action_id);
    PG_RETURN_VOID();
}

PG_ACTIONS_FUNCTION(pg_actions_delete_action) { return delete_action_body(fcinfo); }

namespace {

// can / why_not: the refusal the acting person would get for `verb` on the action, without acting.
// can() and why_not() run as the caller (no SECURITY DEFINER, no SET search_path: a per-call
// configuration change costs more than the whole check) and therefore run no SQL at all: the
// action, the membership, the role and the groups are read through the index API by OID, which
// no search_path or shadowing object can redirect. NoSqlHere enforces it.
// Only action verbs are answered here; create, create_record and archive_record are decided per
// workspace or record.
std::optional<core::Refusal> would_refuse(FunctionCallInfo fcinfo) {
    if (PG_ARGISNULL(0))
        throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "verb must not be null", "",
                      "pass a verb such as 'reassign' or 'complete'");
    std::string verb_text = text_of(PG_GETARG_DATUM(0));
    std::optional<core::Verb> verb = core::parse_verb(verb_text);
    bool per_action = verb && *verb != core::Verb::create && *verb != core::Verb::create_record &&
                      *verb != core::Verb::archive_record && *verb != core::Verb::manage_workspace &&
                      *verb != core::Verb::edit_record;
    if (!per_action)
        refuse({core::RefusalKind::invalid_value, "\"" + verb_text + "\" is not a verb on an action",
                verb ? "it is decided per workspace or record, not per action" : "no such verb",
                "use one of view, assign, reassign, start, complete, uncomplete, cancel, edit, delete, approve, offer, "
                "claim, release, delegate, resolve"});
    std::int64_t action_id = arg_id(fcinfo, 1, "action_id");
    std::optional<std::int64_t> actor = current_actor();
    if (!actor)
        return core::Refusal{core::RefusalKind::not_permitted, "no person is acting in this session",
                             "session_user is not the login role of any person and no act_as() is in effect",
                             "connect as a person's login role, or call actions.act_as() from a trusted service"};
    std::optional<Action> a = find_action(action_id, *actor, false);
    if (!a) return core::not_found(core::Target::action, action_id);
    if (*verb == core::Verb::approve) {
        // Approving is deciding a delegation's approval action, as an eligible approver now.
        if (core::decide(core::Verb::view, a->facts))
            return core::not_found(core::Target::action, action_id);
        if (a->workflow != "delegation_approval" || !a->record_id)
            return core::Refusal{core::RefusalKind::invalid_value,
                                 "action " + std::to_string(action_id) + " is not a delegation approval", "",
                                 "approve is asked about the approval actions of delegations"};
        if (auto r = core::check_state(core::Verb::complete, a->status, a->assignee_id, action_id)) return r;
        return approver_refusal(load_delegation(*a->record_id), *actor);
    }
    if (auto r = refusal_for(*verb, *a)) return r;
    return step_refusal_in_question(*a, *verb);  // index reads only, like the rest of the question
}

}  // namespace

PG_ACTIONS_FUNCTION(pg_actions_can) {
    NoSqlHere no_sql;
    PG_RETURN_BOOL(!would_refuse(fcinfo));
}

PG_ACTIONS_FUNCTION(pg_actions_why_not) {
    std::optional<core::Refusal> r;
    {
        NoSqlHere no_sql;
        r = would_refuse(fcinfo);
    }
    if (!r) PG_RETURN_NULL();
    std::string reason = r->detail.empty() ? r->message : r->message + ": " + r->detail;
    return text_datum(reason);
}
