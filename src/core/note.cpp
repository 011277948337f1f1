// Notes: access levels and their log entries (see note.hpp).
#include "note.hpp"

#include "input.hpp"
#include "text.hpp"

namespace pg_actions::core {

std::string_view note_access_name(NoteAccess access) {
    switch (access) {
        case NoteAccess::read_only: return "read_only";
        case NoteAccess::append_only: return "append_only";
        case NoteAccess::full: return "full";
    }
    return "read_only";
}

NoteAccess note_access(const Facts& facts) {
    bool writer = !decide(Verb::reassign, facts) && !decide(Verb::edit, facts);
    if (!writer) return NoteAccess::read_only;
    return facts.is_assignee ? NoteAccess::full : NoteAccess::append_only;
}

std::optional<Refusal> check_note_change(NoteChange change, NoteAccess access) {
    if (access == NoteAccess::full) return std::nullopt;
    if (change == NoteChange::add && access == NoteAccess::append_only) return std::nullopt;
    const std::string verb = change == NoteChange::add ? "add a note to" : change == NoteChange::edit ? "edit notes of" : "delete notes of";
    const std::string why = access == NoteAccess::append_only
                                ? "your notes access is append only: editing and deleting notes is for the assignee"
                                : "your notes access is read only: writing notes needs the reassign_actions and "
                                  "edit_actions (or administer_actions) permissions";
    return Refusal{RefusalKind::not_permitted, "permission denied to " + verb + " action", why,
                   access == NoteAccess::append_only ? "add a new note instead" :
                                                       "ask a workspace owner or manager to add the note"};
}

std::optional<Refusal> check_note_body(std::optional<std::string_view> body) {
    auto blank = [](std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; };
    if (!body || blank(*body))
        return Refusal{RefusalKind::invalid_value, "a note must not be empty", "the note has no text",
                       "pass body => 'what you want to say'"};
    if (utf8_length(*body) > max_note_chars)
        return Refusal{RefusalKind::invalid_value, "note is too long",
                       "the note has " + std::to_string(utf8_length(*body)) + " characters; the limit is " +
                           std::to_string(max_note_chars),
                       "split it into several notes"};
    return std::nullopt;
}

std::vector<Change> note_changes(const NoteSnapshot* before, const NoteSnapshot* after) {
    const NoteSnapshot& n = after ? *after : *before;
    const std::string detail = "{\"note_id\":" + std::to_string(n.note_id) + "}";
    if (!before) return {Change{"note_added", std::nullopt, after->body, detail}};
    if (!after) return {Change{"note_deleted", before->body, std::nullopt, detail}};
    if (before->body == after->body) return {};
    return {Change{"note_edited", before->body, after->body, detail}};
}

}  // namespace pg_actions::core
