// The note table (actions.note). Every statement names the workspace, the key Citus routes on.
// Snapshot: the statement's own (the caller is VOLATILE: committed now plus this transaction's
// writes; spi.hpp). Run inside an SpiScope.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace pg_actions::pg::store {

// The action a note is on; nullopt when there is no such note. No lock (the caller locks the
// action, which serialises every change of its notes).
std::optional<std::int64_t> note_action(std::int64_t note_id);
// Inserts a note; returns its id. Locks: the new row.
std::int64_t insert_note(std::int64_t workspace_id, std::int64_t action_id, std::int64_t author_id,
                         const std::string& body);
// Replaces a note's body and stamps updated_at. Locks: the row (FOR UPDATE by the UPDATE).
void update_note_body(std::int64_t workspace_id, std::int64_t note_id, const std::string& body);
// Deletes a note. Locks: the row.
void delete_note(std::int64_t workspace_id, std::int64_t note_id);

}  // namespace pg_actions::pg::store
