// The note table (see note_store.hpp).
#include "pg/store/note_store.hpp"

#include "pg/boundary/spi.hpp"

namespace pg_actions::pg::store {

std::optional<std::int64_t> note_action(std::int64_t note_id) {
    static Statement q("SELECT action_id FROM actions.note WHERE note_id = $1 /*AND workspace_id*/", {INT8OID});
    if (q.exec_limit(1, note_id) != 1) return std::nullopt;
    return get_int64(0, 1);
}

std::int64_t insert_note(std::int64_t workspace_id, std::int64_t action_id, std::int64_t author_id,
                         const std::string& body) {
    static Statement q(
        "INSERT INTO actions.note (workspace_id, action_id, author_id, body) VALUES ($1, $2, $3, $4) "
        "RETURNING note_id",
        {INT8OID, INT8OID, INT8OID, TEXTOID});
    q.exec(workspace_id, action_id, author_id, body);
    return get_int64(0, 1);
}

void update_note_body(std::int64_t workspace_id, std::int64_t note_id, const std::string& body) {
    static Statement q("UPDATE actions.note SET body = $3, updated_at = now() WHERE workspace_id = $1 AND note_id = $2",
                       {INT8OID, INT8OID, TEXTOID});
    q.exec(workspace_id, note_id, body);
}

void delete_note(std::int64_t workspace_id, std::int64_t note_id) {
    static Statement q("DELETE FROM actions.note WHERE workspace_id = $1 AND note_id = $2", {INT8OID, INT8OID});
    q.exec(workspace_id, note_id);
}

}  // namespace pg_actions::pg::store
