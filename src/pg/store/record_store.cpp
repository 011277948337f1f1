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
        r.hit = direct::lookup("record", "record_id_idx", 1, key, 2, cols, r.values, r.nulls, nullptr);
        return r;
    });
    if (!seen.hit) return std::nullopt;
    return RecordSeen{DatumGetInt64(seen.values[0]),
                      seen.nulls[1] ? std::vector<std::int64_t>{} : int64_array(seen.values[1])};
}

std::optional<RecordRow> lock_record(std::int64_t record_id, bool share) {
    static Statement update_lock(
        "SELECT workspace_id, kind, title, archived, workflow_state, group_ids FROM actions.record "
        "WHERE record_id = $1 FOR NO KEY UPDATE",
        {INT8OID});
    static Statement share_lock(
        "SELECT workspace_id, kind, title, archived, workflow_state, group_ids FROM actions.record "
        "WHERE record_id = $1 FOR SHARE",
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

}  // namespace pg_actions::pg::store
