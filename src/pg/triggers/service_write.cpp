// BEFORE INSERT OR UPDATE OR DELETE on actions.action and actions.note: a direct write by a role
// other than a superuser and the tables' owner (a trusted service a DBA granted privileges, with
// BYPASSRLS or not) is decided for the
// person it acts for exactly as the API decides the matching call: the same facts (find_action,
// membership, record, groups) and the same core decisions (refusal_for, step_refusal: what can()
// answers; create and assign as create_action; the note access as add_note, edit_note and
// delete_note). Acting for nobody, a service writes only through the API.
// The API's own writes run as the extension owner: for them (and for a superuser) these triggers
// do nothing. They run as the writer (SECURITY INVOKER) to
// tell the two apart, and so, like can(), they run no SQL (NoSqlHere): every read goes through the
// index API by OID. On actions.action the trigger fires after action_guard (names sort so): it sees
// the row as the guard settled it (status, times, completed_by, the assignee routed), and the
// guard's own refusals (illegal moves, fixed columns) come first.
#include "pg/boundary/postgres.hpp"

extern "C" {
#include "utils/datum.h"
}

#include <vector>

#include "core/action_type.hpp"
#include "core/input.hpp"
#include "core/note.hpp"
#include "core/permission.hpp"
#include "pg/api/procedure_steps.hpp"
#include "pg/authz/facts.hpp"
#include "pg/boundary/compat.hpp"
#include "pg/identity/actor.hpp"
#include "pg/store/members.hpp"
#include "pg/triggers/action_row.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

// Whether the role writing this table now is bound by these triggers: every role but a superuser
// and the table's owner (the API runs as the owner). Not row-level security's own test: a role
// with BYPASSRLS, which a DBA may give a service to read everything, is bound all the same.
bool bound_by_row_security(Relation rel) {
    return guard([&]() -> bool {
        Oid role = GetUserId();
        return !superuser_arg(role) && !compat::owns_relation(RelationGetRelid(rel), role);
    });
}

[[noreturn]] void refuse_direct(const std::string& message, const std::string& detail, const std::string& hint) {
    refuse({core::RefusalKind::not_permitted, message, detail, hint});
}

std::int64_t acting_person(const char* table) {
    if (std::optional<std::int64_t> actor = current_actor()) return *actor;
    refuse_direct(std::string("a trusted service writes ") + table + " directly only while acting for a person",
                  "no actions.act_as() is in effect in this transaction",
                  "call actions.act_as(person_id) first (the person's rights then decide), or use the API functions");
}

bool same(const Tuple& a, const Tuple& b, int attnum) {
    Form_pg_attribute att = TupleDescAttr(a.desc, attnum - 1);
    return guard([&]() -> bool {
        bool null_a, null_b;
        Datum x = a.get(attnum, &null_a);
        Datum y = b.get(attnum, &null_b);
        if (null_a || null_b) return null_a == null_b;
        return datumIsEqual(x, y, att->attbyval, att->attlen);
    });
}

bool is_true(const Tuple& t, int attnum) {
    bool null;
    Datum d = t.get(attnum, &null);
    return !null && DatumGetBool(d);
}

// The action as the API reads it for a question, visible to the actor (else not found).
Action visible_action(std::int64_t action_id, std::int64_t actor) {
    std::optional<Action> a = find_action(action_id, actor, false);
    if (!a || core::decide(core::Verb::view, a->facts)) refuse_not_found(core::Target::action, action_id);
    return *a;
}

// What the API asks before the call that makes the same change: can(verb) for this person.
void allow(core::Verb verb, const Action& a, std::int64_t actor) {
    refuse_if(refusal_for(verb, a));
    refuse_if(step_refusal(a, verb));
    note_acting_for(verb, a, actor);
}

// A new action: what create_action lets the person make, and nothing it never writes.
void check_new_action(const Tuple& row, const Columns& c, std::int64_t actor) {
    refuse_if(core::check_title(row.text(c.title)));
    refuse_if(core::check_description(row.text(c.description)));
    std::int64_t workspace_id = row.bigint(c.workspace_id).value_or(0);
    std::optional<std::int64_t> assignee = row.bigint(c.assignee_id);
    std::optional<std::int64_t> record = row.bigint(c.record_id);
    ActorFacts w = actor_facts(workspace_id, actor, assignee, row.ids(c.group_ids));
    if (record) {
        check_record(workspace_id, *record, actor);
        w.facts.record_granted = record_grants(workspace_id, *record, actor);
    }
    refuse_if(core::decide(core::Verb::create, w.facts));
    std::string type = row.text(c.type).value_or("task");
    if (!core::is_system_action_type(type)) {
        std::optional<core::TypeState> state;
        if (std::optional<bool> retired = store::action_type_retired(workspace_id, type)) state = core::TypeState{*retired};
        refuse_if(core::check_type_for_new(type, state, "new actions"));
    }
    if (assignee) {
        if (*assignee != actor) refuse_if(core::decide(core::Verb::assign, w.facts));
        check_assignee_state(workspace_id, *assignee, w.assignee_state);
    }
    std::optional<std::int64_t> owner = row.bigint(c.owner_id);
    if (owner && *owner != actor)
        refuse_direct("owner_id of a new action must be the acting person",
                      "the owner is the person who creates the action, as create_action records it",
                      "leave owner_id out: it is set to the acting person");
    std::string status = row.text(c.status).value_or("to_do");  // as action_guard settled it
    if ((status != "to_do" && status != "overdue") || !row.null(c.started_at) || !row.null(c.completed_at) ||
        !row.null(c.completed_by) || !row.null(c.evidence_id) || !row.null(c.cancel_reason))
        refuse_direct("a new action starts to do",
                      "started_at, completed_at, completed_by, evidence_id and cancel_reason are set by the verbs that "
                      "start, complete and cancel it, each for the person who does so",
                      "insert it to do, then start, complete or cancel it (directly or through the API)");
    if (!row.null(c.workflow) || !row.null(c.outcome) || !row.null(c.outcome_comment) || !row.null(c.template_id) ||
        is_true(row, c.offered) || is_true(row, c.claimed) || !row.null(c.delegated_by) || !row.null(c.delegation))
        refuse_direct("workflows, templates, pools and delegations are not written directly",
                      "workflow, outcome, template_id, offered, claimed, delegated_by and delegation are set by the API",
                      "use create_action_from_template(), offer(), claim(), delegate() or record_outcome()");
}

// An UPDATE: each change is the change of one API verb, allowed exactly when that verb is.
void check_changed_action(const Tuple& before, const Tuple& after, const Columns& c, std::int64_t actor) {
    const std::int64_t action_id = before.bigint(c.action_id).value_or(0);
    Action a = visible_action(action_id, actor);
    // claimed, delegated_by and delegation change only with the assignee (action_guard refuses any
    // other change of them, and settles them on a reassignment): the assign or reassign below decides.
    const int api_only[] = {c.outcome, c.outcome_comment, c.offered};
    for (int attnum : api_only)
        if (!same(before, after, attnum))
            refuse_direct("cannot change " + std::string(NameStr(TupleDescAttr(before.desc, attnum - 1)->attname)) +
                              " of an action directly",
                          "workflow decisions and pools change only through their API functions",
                          "use record_outcome() or offer()");
    core::Status from = status_of(before, c), to = status_of(after, c);
    std::vector<core::Verb> verbs;
    // The status as settled: starting an action past due leaves it overdue, with started_at set.
    bool starting = before.null(c.started_at) && !after.null(c.started_at);
    if (to == core::Status::complete && from != to) verbs.push_back(core::Verb::complete);
    else if (from == core::Status::complete && from != to) verbs.push_back(core::Verb::uncomplete);
    else if (to == core::Status::cancelled && from != to) verbs.push_back(core::Verb::cancel);
    else if (starting) verbs.push_back(core::Verb::start);
    else if (from != to) verbs.push_back(core::Verb::edit);  // to_do and overdue: the due date decides
    if (!same(before, after, c.assignee_id)) {
        verbs.push_back(before.null(c.assignee_id) ? core::Verb::assign : core::Verb::reassign);
        if (std::optional<std::int64_t> to_whom = after.bigint(c.assignee_id))
            check_assignee_state(a.workspace_id, *to_whom, membership(a.workspace_id, *to_whom, false).state);
    }
    const int edited[] = {c.title, c.description, c.priority, c.due_at, c.record_id, c.group_ids, c.cancel_reason};
    bool edits = false;
    for (int attnum : edited) edits = edits || !same(before, after, attnum);
    if (edits && to != core::Status::cancelled) verbs.push_back(core::Verb::edit);
    if (!same(before, after, c.title)) refuse_if(core::check_title(after.text(c.title)));
    if (!same(before, after, c.description)) refuse_if(core::check_description(after.text(c.description)));
    for (core::Verb verb : verbs) allow(verb, a, actor);
    if (!same(before, after, c.record_id))
        if (std::optional<std::int64_t> record = after.bigint(c.record_id)) check_record(a.workspace_id, *record, actor);
    if (!same(before, after, c.group_ids) && a.facts.group_granted.any()) {
        core::Facts moved = a.facts;  // edit the action as it will be, too (set_action_groups)
        moved.in_group_scope = in_group_scope(a.workspace_id, actor, after.ids(c.group_ids));
        refuse_if(core::decide(core::Verb::edit, moved));
    }
}

// Notes: add_note, edit_note and delete_note's rule (the notes access on a visible action).
void check_note(const Tuple* before, const Tuple* after, std::int64_t actor) {
    const Tuple& row = after ? *after : *before;
    int workspace = SPI_fnumber(row.desc, "workspace_id"), action = SPI_fnumber(row.desc, "action_id"),
        author = SPI_fnumber(row.desc, "author_id"), body = SPI_fnumber(row.desc, "body");
    std::int64_t action_id = row.bigint(action).value_or(0);
    Action a = visible_action(action_id, actor);
    if (row.bigint(workspace) != a.workspace_id) refuse_not_found(core::Target::action, action_id);
    core::NoteAccess access = core::note_access(a.facts);
    if (!before) {
        refuse_if(core::check_note_body(after->text(body)));
        if (std::optional<std::int64_t> by = after->bigint(author); by && *by != actor)
            refuse_direct("author_id of a new note must be the acting person", "add_note records the person who writes it",
                          "leave author_id out: it is set to the acting person");
        refuse_if(core::check_note_change(core::NoteChange::add, access));
        return;
    }
    if (!after) {
        refuse_if(core::check_note_change(core::NoteChange::remove, access));
        return;
    }
    for (const char* fixed : {"workspace_id", "note_id", "action_id", "author_id", "created_at"})
        if (!same(*before, *after, SPI_fnumber(row.desc, fixed)))
            refuse_direct(std::string("cannot change ") + fixed + " of a note", "only a note's body is edited",
                          "delete the note and add another");
    refuse_if(core::check_note_body(after->text(body)));
    refuse_if(core::check_note_change(core::NoteChange::edit, access));
}

// The row to write with one bigint column filled in (owner_id, author_id: the acting person).
Datum with_person(HeapTuple tuple, TupleDesc desc, int attnum, std::int64_t actor) {
    return guard([&]() -> Datum {
        int cols[1] = {attnum};
        Datum values[1] = {Int64GetDatum(actor)};
        bool nulls[1] = {false};
        return PointerGetDatum(heap_modify_tuple_by_cols(tuple, desc, 1, cols, values, nulls));
    });
}

// The trigger that fired, the row it returns as it is when the writer is not bound, and the
// table's row type.
struct Fired {
    TriggerData* td;
    HeapTuple result;
    TupleDesc desc;
};
Fired fired(FunctionCallInfo fcinfo, const char* name) {
    TriggerData* td = trigger_data(fcinfo, name);
    return {td, TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? td->tg_newtuple : td->tg_trigtuple, td->tg_relation->rd_att};
}

}  // namespace

PG_ACTIONS_FUNCTION(pg_actions_action_service_write) {
    auto [td, result, desc] = fired(fcinfo, "action_service_write");
    if (!bound_by_row_security(td->tg_relation)) return PointerGetDatum(result);
    NoSqlHere no_sql;
    std::int64_t actor = acting_person("actions.action");
    const Columns& c = columns_of(td->tg_relation);
    Tuple old_row{td->tg_trigtuple, desc};
    if (TRIGGER_FIRED_BY_DELETE(td->tg_event)) {
        allow(core::Verb::delete_action, visible_action(old_row.bigint(c.action_id).value_or(0), actor), actor);
    } else if (TRIGGER_FIRED_BY_UPDATE(td->tg_event)) {
        check_changed_action(old_row, Tuple{td->tg_newtuple, desc}, c, actor);
    } else {
        check_new_action(old_row, c, actor);
        if (old_row.null(c.owner_id)) return with_person(result, desc, c.owner_id, actor);
    }
    return PointerGetDatum(result);
}

PG_ACTIONS_FUNCTION(pg_actions_note_service_write) {
    auto [td, result, desc] = fired(fcinfo, "note_service_write");
    if (!bound_by_row_security(td->tg_relation)) return PointerGetDatum(result);
    NoSqlHere no_sql;
    std::int64_t actor = acting_person("actions.note");
    Tuple first{td->tg_trigtuple, desc};
    if (TRIGGER_FIRED_BY_DELETE(td->tg_event)) {
        check_note(&first, nullptr, actor);
    } else if (TRIGGER_FIRED_BY_UPDATE(td->tg_event)) {
        Tuple second{td->tg_newtuple, desc};
        check_note(&first, &second, actor);
    } else {
        check_note(nullptr, &first, actor);
        int author = SPI_fnumber(desc, "author_id");
        if (first.null(author)) return with_person(result, desc, author, actor);
    }
    return PointerGetDatum(result);
}
