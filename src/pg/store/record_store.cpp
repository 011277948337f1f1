// Records: actions.record_kind, record, record_party, tracked_table. (see record_store.hpp).
#include "pg/store/record_store.hpp"

#include "pg/boundary/spi.hpp"

namespace pg_actions::pg::store {

TrackingWriteCheck tracking_write_check(std::optional<TableOid> source, const std::string& op) {
    static Statement q(
        "SELECT coalesce(pg_catalog.has_table_privilege(session_user, $1, $2), false) "
        "       AND EXISTS (SELECT 1 FROM pg_catalog.pg_trigger g WHERE g.tgrelid = $1 AND g.tgname = 'pg_actions_track' "
        "                     AND g.tgfoid = 'actions.track_trigger()'::pg_catalog.regprocedure), "
        "       $1::pg_catalog.regclass::pg_catalog.text, "
        "       pg_catalog.format('session user %I may not %s rows of the table', session_user, pg_catalog.lower($2))",
        {REGCLASSOID, TEXTOID});
    SqlArg rel = source ? sql_datum(ObjectIdGetDatum(*source)) : sql_datum(0, true);
    q.exec(rel, op);
    return {get_bool(0, 1), get_text(0, 2), get_text(0, 3).value_or("")};
}

std::optional<TrackedTable> tracked_table_of(TableOid source) {
    static Statement q(
        "SELECT t.workspace_id, t.kind, t.key_column::pg_catalog.text, t.owner_id, t.source::pg_catalog.text "
        "FROM actions.tracked_table t WHERE t.source = $1",
        {REGCLASSOID});
    if (q.exec(sql_datum(ObjectIdGetDatum(source))) != 1) return std::nullopt;
    return TrackedTable{get_int64(0, 1), get_text(0, 2).value_or(""), get_text(0, 3).value_or(""), get_opt_int64(0, 4),
                        get_text(0, 5).value_or("")};
}

bool tracked_record_has_actions(TableOid source, const std::optional<std::string>& key) {
    static Statement q(
        "SELECT 1 FROM actions.record r JOIN actions.action a ON a.record_id = r.record_id "
        "WHERE r.source_table = $1 AND r.source_key = $2 LIMIT 1",
        {REGCLASSOID, TEXTOID});
    return q.exec(sql_datum(ObjectIdGetDatum(source)), key) > 0;
}

void archive_tracked_record(TableOid source, const std::optional<std::string>& key) {
    static Statement q(
        "UPDATE actions.record r SET archived = true, archived_at = coalesce(r.archived_at, now()) "
        "WHERE r.source_table = $1 AND r.source_key = $2",
        {REGCLASSOID, TEXTOID});
    q.exec(sql_datum(ObjectIdGetDatum(source)), key);
}

void delete_tracked_record(TableOid source, const std::optional<std::string>& key) {
    static Statement q("DELETE FROM actions.record r WHERE r.source_table = $1 AND r.source_key = $2",
                       {REGCLASSOID, TEXTOID});
    q.exec(sql_datum(ObjectIdGetDatum(source)), key);
}

void rekey_tracked_record(TableOid source, const std::optional<std::string>& old_key, const std::string& new_key) {
    static Statement q(
        "UPDATE actions.record r SET source_key = $3 WHERE r.source_table = $1 AND r.source_key = $2",
        {REGCLASSOID, TEXTOID, TEXTOID});
    q.exec(sql_datum(ObjectIdGetDatum(source)), old_key, new_key);
}

void upsert_tracked_record(std::int64_t workspace_id, const std::string& kind, const std::string& title, bool archived,
                           std::optional<std::int64_t> owner_id, TableOid source, const std::string& key,
                           const std::optional<std::string>& workflow_state) {
    static Statement q(
        "INSERT INTO actions.record AS r (workspace_id, kind, title, archived, archived_at, owner_id, source_table, "
        "                                 source_key, workflow_state) "
        "VALUES ($1, $2, $3, $4, CASE WHEN $4 THEN now() END, $5, $6, $7, $8) "
        "ON CONFLICT (source_table, source_key) WHERE source_table IS NOT NULL DO UPDATE "
        "   SET title = EXCLUDED.title, archived = EXCLUDED.archived, "
        "       archived_at = CASE WHEN NOT EXCLUDED.archived THEN NULL ELSE coalesce(r.archived_at, now()) END",
        {INT8OID, TEXTOID, TEXTOID, BOOLOID, INT8OID, REGCLASSOID, TEXTOID, TEXTOID});
    q.exec(workspace_id, kind, title, archived, owner_id, sql_datum(ObjectIdGetDatum(source)), key, workflow_state);
}

}  // namespace pg_actions::pg::store
