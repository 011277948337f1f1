// Notes on an action with Content Manager's three access levels, and what a note change logs.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "activity.hpp"
#include "permission.hpp"
#include "refusal.hpp"
#include "pure.hpp"

namespace pg_actions::core {

enum class NoteAccess { read_only, append_only, full };
std::string_view note_access_name(NoteAccess access);

// full: may reassign, may modify the action (and so its linked record) and is the assignee;
// append_only: the same permissions without being the assignee; read_only: everyone else who
// sees the action.
NoteAccess note_access(const Facts& facts);

enum class NoteChange { add, edit, remove };
// nullopt when the access level allows the change; a not_permitted refusal otherwise.
std::optional<Refusal> check_note_change(NoteChange change, NoteAccess access);

inline constexpr std::size_t max_note_chars = 10000;
// A note says something: not blank, at most max_note_chars characters.
std::optional<Refusal> check_note_body(std::optional<std::string_view> body);

struct NoteSnapshot {
    std::int64_t note_id;
    std::string body;
};
// note_added / note_edited / note_deleted with the note's text; before == nullptr: added.
std::vector<Change> note_changes(const NoteSnapshot* before, const NoteSnapshot* after);

}  // namespace pg_actions::core
