// Records: actions.record_kind, record, record_party, tracked_table. (see record_store.hpp).
#include "pg/store/record_store.hpp"

#include "pg/boundary/spi.hpp"
#include "pg/store/direct.hpp"

namespace pg_actions::pg::store {

std::optional<RecordSeen> record_seen(std::int64_t record_id) {
    struct Seen {
        bool hit;
        Datum values[2];
        bool nulls[2];
    };
    Seen seen = guard([&]() -> Seen {
        Seen r{};
        direct::Key key[1] = {{"record_id", F_INT8EQ, Int64GetDatum(record_id)}};
        const char* cols[2] = {"workspace_id", "group_ids"};
        r.hit = direct::lookup("record", "record_id_idx", direct::by_id, 1, key, 2, cols, r.values, r.nulls, nullptr);
        return r;
    });
    if (!seen.hit) return std::nullopt;
    return RecordSeen{DatumGetInt64(seen.values[0]),
                      seen.nulls[1] ? std::vector<std::int64_t>{} : int64_array(seen.values[1])};
}

std::optional<RecordRow> lock_record(std::int64_t record_id, bool share) {
    static Statement update_lock(
        "SELECT workspace_id, kind, title, archived, workflow_state, group_ids FROM actions.record "
        "WHERE record_id = $1 /*AND workspace_id*/ FOR NO KEY UPDATE",
        {INT8OID});
    static Statement share_lock(
        "SELECT workspace_id, kind, title, archived, workflow_state, group_ids FROM actions.record "
        "WHERE record_id = $1 /*AND workspace_id*/ FOR SHARE",
        {INT8OID});
    if ((share ? share_lock : update_lock).exec(record_id) != 1) return std::nullopt;
    bool null;
    Datum groups = get_datum(0, 6, &null);
    return RecordRow{get_int64(0, 1), get_text(0, 2).value_or(""), get_text(0, 3).value_or(""), get_bool(0, 4),
                     get_text(0, 5), null ? std::vector<std::int64_t>{} : int64_array(groups)};
}

bool record_kind_exists(std::int64_t workspace_id, const std::string& kind) {
    static Statement q("SELECT 1 FROM actions.record_kind WHERE workspace_id = $1 AND kind = $2", {INT8OID, TEXTOID});
    return q.exec_limit(1, workspace_id, kind) == 1;
}

std::int64_t insert_record(std::int64_t workspace_id, const std::string& kind, const std::string& title,
                           const std::vector<std::int64_t>& group_ids, std::int64_t owner_id,
                           const std::optional<std::string>& workflow_state) {
    static Statement q(
        "INSERT INTO actions.record (workspace_id, kind, title, group_ids, owner_id, workflow_state) "
        "VALUES ($1, $2, $3, $4, $5, $6) RETURNING record_id",
        {INT8OID, TEXTOID, TEXTOID, INT8ARRAYOID, INT8OID, TEXTOID});
    q.exec(workspace_id, kind, title, sql_datum(int64_array_datum(group_ids)), owner_id, workflow_state);
    return get_int64(0, 1);
}

void insert_record_owner(std::int64_t workspace_id, std::int64_t record_id, std::int64_t person_id) {
    static Statement q(
        "INSERT INTO actions.record_party (workspace_id, record_id, capacity, person_id) VALUES ($1, $2, 'owner', $3)",
        {INT8OID, INT8OID, INT8OID});
    q.exec(workspace_id, record_id, person_id);
}

void archive_record(std::int64_t workspace_id, std::int64_t record_id) {
    static Statement q(
        "UPDATE actions.record SET archived = true, archived_at = now() WHERE workspace_id = $1 AND record_id = $2",
        {INT8OID, INT8OID});
    q.exec(workspace_id, record_id);
}

void set_record_title(std::int64_t workspace_id, std::int64_t record_id, const std::string& title) {
    static Statement q("UPDATE actions.record SET title = $3 WHERE workspace_id = $1 AND record_id = $2",
                       {INT8OID, INT8OID, TEXTOID});
    q.exec(workspace_id, record_id, title);
}

bool insert_record_kind(std::int64_t workspace_id, const std::string& kind) {
    static Statement q("INSERT INTO actions.record_kind (workspace_id, kind) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                       {INT8OID, TEXTOID});
    return q.exec(workspace_id, kind) == 1;
}

bool record_kind_in_use(std::int64_t workspace_id, const std::string& kind) {
    static Statement q("SELECT EXISTS (SELECT 1 FROM actions.record WHERE workspace_id = $1 AND kind = $2)",
                       {INT8OID, TEXTOID});
    q.exec(workspace_id, kind);
    return get_bool(0, 1);
}

bool delete_custom_record_kind(std::int64_t workspace_id, const std::string& kind) {
    static Statement q("DELETE FROM actions.record_kind WHERE workspace_id = $1 AND kind = $2 AND NOT is_system",
                       {INT8OID, TEXTOID});
    return q.exec(workspace_id, kind) == 1;
}

bool add_record_party(std::int64_t workspace_id, std::int64_t record_id, const std::string& capacity,
                      std::int64_t party_id, bool is_group) {
    static Statement person(
        "INSERT INTO actions.record_party (workspace_id, record_id, capacity, person_id) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT DO NOTHING",
        {INT8OID, INT8OID, TEXTOID, INT8OID});
    static Statement group(
        "INSERT INTO actions.record_party (workspace_id, record_id, capacity, group_id) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT DO NOTHING",
        {INT8OID, INT8OID, TEXTOID, INT8OID});
    return (is_group ? group : person).exec(workspace_id, record_id, capacity, party_id) == 1;
}

void remove_record_party(std::int64_t workspace_id, std::int64_t record_id, const std::string& capacity,
                         std::int64_t party_id, bool is_group) {
    static Statement person(
        "DELETE FROM actions.record_party WHERE workspace_id = $1 AND record_id = $2 AND capacity = $3 AND person_id = $4",
        {INT8OID, INT8OID, TEXTOID, INT8OID});
    static Statement group(
        "DELETE FROM actions.record_party WHERE workspace_id = $1 AND record_id = $2 AND capacity = $3 AND group_id = $4",
        {INT8OID, INT8OID, TEXTOID, INT8OID});
    (is_group ? group : person).exec(workspace_id, record_id, capacity, party_id);
}

std::optional<RecordTitleParty> record_title_party(std::int64_t workspace_id, std::int64_t record_id,
                                                   const std::optional<std::string>& capacity) {
    static Statement q(
        "SELECT r.title, r.kind, (SELECT p.person_id FROM actions.record_party p WHERE p.workspace_id = r.workspace_id "
        "AND p.record_id = r.record_id AND p.capacity = $3 AND p.person_id IS NOT NULL "
        "ORDER BY p.added_at, p.person_id LIMIT 1) "
        "FROM actions.record r WHERE r.workspace_id = $1 AND r.record_id = $2",
        {INT8OID, INT8OID, TEXTOID});
    if (q.exec_limit(1, workspace_id, record_id, capacity) != 1) return std::nullopt;
    return RecordTitleParty{get_text(0, 1).value_or(""), get_text(0, 2).value_or(""), get_opt_int64(0, 3)};
}

void set_record_workflow_state(std::int64_t workspace_id, std::int64_t record_id, const std::optional<std::string>& state) {
    static Statement update("UPDATE actions.record SET workflow_state = $3 WHERE workspace_id = $1 AND record_id = $2",
                            {INT8OID, INT8OID, TEXTOID});
    update.exec(workspace_id, record_id, state);
}

std::optional<std::int64_t> record_owner(std::int64_t workspace_id, std::int64_t record_id) {
    static Statement creator("SELECT owner_id FROM actions.record WHERE workspace_id = $1 AND record_id = $2",
                             {INT8OID, INT8OID});
    if (creator.exec_limit(1, workspace_id, record_id) != 1) return std::nullopt;
    return get_opt_int64(0, 1);
}

void publish_record(std::int64_t workspace_id, std::int64_t record_id, bool reviews) {
    static Statement publish(
        "UPDATE actions.record SET published_at = now(), "
        "  next_review_at = CASE WHEN next_review_at IS NULL AND $3 THEN $4 ELSE next_review_at END "
        "WHERE workspace_id = $1 AND record_id = $2",
        {INT8OID, INT8OID, BOOLOID, TIMESTAMPTZOID});
    publish.exec(workspace_id, record_id, reviews, sql_now());
}

void set_review_every(std::int64_t workspace_id, std::int64_t record_id, std::optional<std::uintptr_t> every) {
    static Statement update(
        "UPDATE actions.record SET review_every = $3 WHERE workspace_id = $1 AND record_id = $2", {INT8OID, INT8OID, INTERVALOID});
    update.exec(workspace_id, record_id, sql_datum(every.value_or(0), !every));
}

std::optional<ReviewedRecord> record_for_review(std::int64_t workspace_id, std::int64_t record_id) {
    static Statement load(
        "SELECT kind, title, group_ids, workflow_state FROM actions.record WHERE workspace_id = $1 AND record_id = $2",
        {INT8OID, INT8OID});
    if (load.exec_limit(1, workspace_id, record_id) != 1) return std::nullopt;
    bool null;
    Datum groups = get_datum(0, 3, &null);
    return ReviewedRecord{get_text(0, 1).value_or(""), get_text(0, 2).value_or(""),
                          null ? std::vector<std::int64_t>{} : int64_array(groups), get_text(0, 4)};
}

void schedule_next_review(std::int64_t workspace_id, std::int64_t record_id) {
    // Read, then written as a value: Citus refuses an UPDATE whose SET computes with a STABLE
    // function (timestamptz + interval) over the row's columns. The row is locked already
    // (lock_due_reviews()).
    static Statement next(
        "SELECT CASE WHEN review_every IS NOT NULL THEN greatest(next_review_at + review_every, $3) END "
        "FROM actions.record WHERE workspace_id = $1 AND record_id = $2",
        {INT8OID, INT8OID, TIMESTAMPTZOID});
    static Statement set("UPDATE actions.record SET next_review_at = $3 WHERE workspace_id = $1 AND record_id = $2",
                         {INT8OID, INT8OID, TIMESTAMPTZOID});
    if (next.exec_limit(1, workspace_id, record_id, sql_now()) != 1) return;
    std::optional<TimestampTz> at = get_timestamptz(0, 1);
    set.exec(workspace_id, record_id, at);
}

std::vector<DueReview> lock_due_reviews(std::int64_t limit) {
    static Statement due(
        "SELECT r.record_id, r.workspace_id, r.owner_id FROM actions.record r "
        "WHERE r.next_review_at <= now() AND r.kind = 'document' AND NOT r.archived AND r.published_at IS NOT NULL "
        "/*AND r.workspace_id*/ ORDER BY r.next_review_at, r.record_id LIMIT $1 FOR UPDATE SKIP LOCKED",
        {INT8OID});
    std::uint64_t n = due.exec(limit);
    std::vector<DueReview> rows;
    for (std::uint64_t i = 0; i < n; i++) rows.push_back({get_int64(i, 1), get_int64(i, 2), get_opt_int64(i, 3)});
    return rows;
}
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
        "SELECT t.workspace_id, t.kind, t.key_column::pg_catalog.text, t.owner_id "
        "FROM actions.tracked_table t WHERE t.source::pg_catalog.oid = $1",
        {OIDOID});
    if (q.exec(sql_datum(ObjectIdGetDatum(source))) != 1) return std::nullopt;
    return TrackedTable{get_int64(0, 1), get_text(0, 2).value_or(""), get_text(0, 3).value_or(""), get_opt_int64(0, 4)};
}

std::vector<WorkspaceRecord> tracked_records(TableOid source, const std::string& key) {
    static Statement q(
        "SELECT r.record_id, r.workspace_id FROM actions.record r "
        "WHERE r.source_table::pg_catalog.oid = $1 AND r.source_key = $2 ORDER BY r.record_id",
        {OIDOID, TEXTOID});
    std::uint64_t n = q.exec(sql_datum(ObjectIdGetDatum(source)), key);
    std::vector<WorkspaceRecord> rows;
    for (std::uint64_t i = 0; i < n; i++) rows.push_back({get_int64(i, 1), get_int64(i, 2)});
    return rows;
}

bool tracked_record_has_actions(std::int64_t workspace_id, TableOid source, const std::optional<std::string>& key) {
    static Statement q(
        "SELECT 1 FROM actions.record r JOIN actions.action a ON a.workspace_id = r.workspace_id AND a.record_id = r.record_id "
        "WHERE r.workspace_id = $3 AND r.source_table::pg_catalog.oid = $1 AND r.source_key = $2 LIMIT 1",
        {OIDOID, TEXTOID, INT8OID});
    return q.exec(sql_datum(ObjectIdGetDatum(source)), key, workspace_id) > 0;
}

void archive_tracked_record(std::int64_t workspace_id, TableOid source, const std::optional<std::string>& key) {
    static Statement q(
        "UPDATE actions.record r SET archived = true, archived_at = coalesce(r.archived_at, $3) "
        "WHERE r.workspace_id = $4 AND r.source_table::pg_catalog.oid = $1 AND r.source_key = $2",
        {OIDOID, TEXTOID, TIMESTAMPTZOID, INT8OID});
    q.exec(sql_datum(ObjectIdGetDatum(source)), key, sql_now(), workspace_id);
}

void delete_tracked_record(std::int64_t workspace_id, TableOid source, const std::optional<std::string>& key) {
    static Statement q(
        "DELETE FROM actions.record r WHERE r.workspace_id = $3 AND r.source_table::pg_catalog.oid = $1 "
        "AND r.source_key = $2",
        {OIDOID, TEXTOID, INT8OID});
    q.exec(sql_datum(ObjectIdGetDatum(source)), key, workspace_id);
}

void rekey_tracked_record(std::int64_t workspace_id, TableOid source, const std::optional<std::string>& old_key,
                          const std::string& new_key) {
    static Statement q(
        "UPDATE actions.record r SET source_key = $3 WHERE r.workspace_id = $4 AND r.source_table::pg_catalog.oid = $1 "
        "AND r.source_key = $2",
        {OIDOID, TEXTOID, TEXTOID, INT8OID});
    q.exec(sql_datum(ObjectIdGetDatum(source)), old_key, new_key, workspace_id);
}

void upsert_tracked_record(std::int64_t workspace_id, const std::string& kind, const std::string& title, bool archived,
                           std::optional<std::int64_t> owner_id, TableOid source, const std::string& key,
                           const std::optional<std::string>& workflow_state) {
    static Statement q(
        "INSERT INTO actions.record AS r (workspace_id, kind, title, archived, archived_at, owner_id, source_table, "
        "                                 source_key, workflow_state) "
        "VALUES ($1, $2, $3, $4, CASE WHEN $4 THEN $9 END, $5, $6, $7, $8) "
        "ON CONFLICT (source_table, source_key, workspace_id) WHERE source_table IS NOT NULL DO UPDATE "
        "   SET title = EXCLUDED.title, archived = EXCLUDED.archived, "
        "       archived_at = CASE WHEN NOT EXCLUDED.archived THEN NULL ELSE coalesce(r.archived_at, $9) END",
        {INT8OID, TEXTOID, TEXTOID, BOOLOID, INT8OID, OIDOID, TEXTOID, TEXTOID, TIMESTAMPTZOID});
    q.exec(workspace_id, kind, title, archived, owner_id, sql_datum(ObjectIdGetDatum(source)), key, workflow_state,
           sql_now());
}

}  // namespace pg_actions::pg::store
