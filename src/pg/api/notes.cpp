// Notes on actions, with Content Manager's access levels (the rules are in core/note.cpp).
#include "pg/boundary/postgres.hpp"

#include "core/note.hpp"
#include "pg/identity/actor.hpp"
#include "pg/authz/facts.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/store/note_store.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;


namespace {

// The action a note is on, locked, with the notes access of the acting person; a note on an
// action the person cannot see is reported as not found.
struct NoteTarget {
    Action action;
    core::NoteAccess access;
};

NoteTarget note_target(std::int64_t action_id, std::int64_t actor, bool lock, core::Target what, std::int64_t id) {
    std::optional<Action> a = find_action(action_id, actor, lock);
    if (!a || core::decide(core::Verb::view, a->facts)) refuse_not_found(what, id);
    return NoteTarget{*a, core::note_access(a->facts)};
}

// The action of a note, by the note's id (P0002 when there is none).
std::int64_t action_of_note(std::int64_t note_id) {
    std::optional<std::int64_t> action_id = store::note_action(note_id);
    if (!action_id) refuse_not_found(core::Target::note, note_id);
    return *action_id;
}

}  // namespace

PG_ACTIONS_FUNCTION(pg_actions_add_note) {
    std::int64_t action_id = arg_id(fcinfo, 0, "action_id");
    std::optional<std::string> body = arg_text(fcinfo, 1);
    refuse_if(core::check_note_body(body));
    SpiScope spi;
    std::int64_t actor = require_actor();
    NoteTarget t = note_target(action_id, actor, true, core::Target::action, action_id);
    refuse_if(core::check_note_change(core::NoteChange::add, t.access));
    std::int64_t id = store::insert_note(t.action.workspace_id, action_id, actor, *body);
    PG_RETURN_INT64(id);
}

PG_ACTIONS_FUNCTION(pg_actions_edit_note) {
    std::int64_t note_id = arg_id(fcinfo, 0, "note_id");
    std::optional<std::string> body = arg_text(fcinfo, 1);
    refuse_if(core::check_note_body(body));
    SpiScope spi;
    std::int64_t actor = require_actor();
    NoteTarget t = note_target(action_of_note(note_id), actor, true, core::Target::note, note_id);
    refuse_if(core::check_note_change(core::NoteChange::edit, t.access));
    store::update_note_body(t.action.workspace_id, note_id, *body);
    PG_RETURN_VOID();
}

PG_ACTIONS_FUNCTION(pg_actions_delete_note) {
    std::int64_t note_id = arg_id(fcinfo, 0, "note_id");
    SpiScope spi;
    std::int64_t actor = require_actor();
    NoteTarget t = note_target(action_of_note(note_id), actor, true, core::Target::note, note_id);
    refuse_if(core::check_note_change(core::NoteChange::remove, t.access));
    store::delete_note(t.action.workspace_id, note_id);
    PG_RETURN_VOID();
}

PG_ACTIONS_FUNCTION(pg_actions_note_access) {
    std::int64_t action_id = arg_id(fcinfo, 0, "action_id");
    SpiScope spi;
    NoteTarget t = note_target(action_id, require_actor(), false, core::Target::action, action_id);
    spi.finish();
    return text_datum(std::string(core::note_access_name(t.access)));
}
