// Notes on actions, with Content Manager's access levels (the rules are in core/note.cpp).
#include "pg/boundary/postgres.hpp"

#include "core/note.hpp"
#include "pg/identity/actor.hpp"
#include "pg/authz/facts.hpp"
#include "pg/boundary/spi.hpp"

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
    static Statement q("SELECT action_id FROM actions.note WHERE note_id = $1", {INT8OID});
    Datum args[1] = {Int64GetDatum(note_id)};
    if (q.run(args, nullptr, 1) != 1)
        refuse_not_found(core::Target::note, note_id);
    return get_int64(0, 1);
}

}  // namespace

extern "C" {

PG_FUNCTION_INFO_V1(pg_actions_add_note);
Datum pg_actions_add_note(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        std::int64_t action_id = arg_id(fcinfo, 0, "action_id");
        std::optional<std::string> body = arg_text(fcinfo, 1);
        refuse_if(core::check_note_body(body));
        spi_connect();
        std::int64_t actor = require_actor();
        NoteTarget t = note_target(action_id, actor, true, core::Target::action, action_id);
        refuse_if(core::check_note_change(core::NoteChange::add, t.access));
        static Statement insert(
            "INSERT INTO actions.note (workspace_id, action_id, author_id, body) VALUES ($1, $2, $3, $4) "
            "RETURNING note_id",
            {INT8OID, INT8OID, INT8OID, TEXTOID});
        Datum v[4] = {Int64GetDatum(t.action.workspace_id), Int64GetDatum(action_id), Int64GetDatum(actor),
                      text_datum(*body)};
        insert.run(v, nullptr, 0);
        std::int64_t id = get_int64(0, 1);
        spi_finish();
        PG_RETURN_INT64(id);
    });
}

PG_FUNCTION_INFO_V1(pg_actions_edit_note);
Datum pg_actions_edit_note(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        std::int64_t note_id = arg_id(fcinfo, 0, "note_id");
        std::optional<std::string> body = arg_text(fcinfo, 1);
        refuse_if(core::check_note_body(body));
        spi_connect();
        std::int64_t actor = require_actor();
        NoteTarget t = note_target(action_of_note(note_id), actor, true, core::Target::note, note_id);
        refuse_if(core::check_note_change(core::NoteChange::edit, t.access));
        static Statement update(
            "UPDATE actions.note SET body = $3, updated_at = now() WHERE workspace_id = $1 AND note_id = $2",
            {INT8OID, INT8OID, TEXTOID});
        Datum v[3] = {Int64GetDatum(t.action.workspace_id), Int64GetDatum(note_id), text_datum(*body)};
        update.run(v, nullptr, 0);
        spi_finish();
        PG_RETURN_VOID();
    });
}

PG_FUNCTION_INFO_V1(pg_actions_delete_note);
Datum pg_actions_delete_note(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        std::int64_t note_id = arg_id(fcinfo, 0, "note_id");
        spi_connect();
        std::int64_t actor = require_actor();
        NoteTarget t = note_target(action_of_note(note_id), actor, true, core::Target::note, note_id);
        refuse_if(core::check_note_change(core::NoteChange::remove, t.access));
        static Statement del("DELETE FROM actions.note WHERE workspace_id = $1 AND note_id = $2", {INT8OID, INT8OID});
        Datum v[2] = {Int64GetDatum(t.action.workspace_id), Int64GetDatum(note_id)};
        del.run(v, nullptr, 0);
        spi_finish();
        PG_RETURN_VOID();
    });
}

PG_FUNCTION_INFO_V1(pg_actions_note_access);
Datum pg_actions_note_access(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        std::int64_t action_id = arg_id(fcinfo, 0, "action_id");
        spi_connect();
        NoteTarget t = note_target(action_id, require_actor(), false, core::Target::action, action_id);
        spi_finish();
        return text_datum(std::string(core::note_access_name(t.access)));
    });
}

}  // extern "C"
