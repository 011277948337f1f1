// Records: actions.record_kind, record, record_party, tracked_table. (see record_store.hpp).
#include "pg/store/record_store.hpp"

#include "pg/boundary/spi.hpp"

namespace pg_actions::pg::store {

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
        "  next_review_at = CASE WHEN next_review_at IS NULL AND $3 THEN now() ELSE next_review_at END "
        "WHERE workspace_id = $1 AND record_id = $2",
        {INT8OID, INT8OID, BOOLOID});
    publish.exec(workspace_id, record_id, reviews);
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
    static Statement next(
        "UPDATE actions.record SET next_review_at = CASE WHEN review_every IS NULL THEN NULL "
        "  ELSE greatest(next_review_at + review_every, now()) END WHERE workspace_id = $1 AND record_id = $2",
        {INT8OID, INT8OID});
    next.exec(workspace_id, record_id);
}

std::vector<DueReview> lock_due_reviews(std::int64_t limit) {
    static Statement due(
        "SELECT r.record_id, r.workspace_id, r.owner_id FROM actions.record r "
        "WHERE r.next_review_at <= now() AND r.kind = 'document' AND NOT r.archived AND r.published_at IS NOT NULL "
        "ORDER BY r.next_review_at, r.record_id LIMIT $1 FOR UPDATE SKIP LOCKED",
        {INT8OID});
    std::uint64_t n = due.exec(limit);
    std::vector<DueReview> rows;
    for (std::uint64_t i = 0; i < n; i++) rows.push_back({get_int64(i, 1), get_int64(i, 2), get_opt_int64(i, 3)});
    return rows;
}
}  // namespace pg_actions::pg::store
