// Actions and what hangs on them: actions.action, action_candidate, action_offer, evidence. (see action_store.hpp).
#include "pg/store/action_store.hpp"

#include "pg/boundary/spi.hpp"
#include "pg/store/direct.hpp"

namespace pg_actions::pg::store {

void set_action_assignee(std::int64_t workspace_id, std::int64_t action_id, std::int64_t person_id) {
    static Statement q("UPDATE actions.action SET assignee_id = $3 WHERE workspace_id = $1 AND action_id = $2",
                       {INT8OID, INT8OID, INT8OID});
    q.exec(workspace_id, action_id, person_id);
}

void set_action_status(std::int64_t workspace_id, std::int64_t action_id, const std::string& status) {
    static Statement q("UPDATE actions.action SET status = $3 WHERE workspace_id = $1 AND action_id = $2",
                       {INT8OID, INT8OID, TEXTOID});
    q.exec(workspace_id, action_id, status);
}

void complete_action(std::int64_t workspace_id, std::int64_t action_id, std::int64_t completed_by,
                     std::optional<std::int64_t> evidence_id) {
    static Statement q(
        "UPDATE actions.action SET status = 'complete', completed_by = $3, "
        "evidence_id = $4 WHERE workspace_id = $1 AND action_id = $2",
        {INT8OID, INT8OID, INT8OID, INT8OID});
    q.exec(workspace_id, action_id, completed_by, evidence_id);
}

void cancel_action(std::int64_t workspace_id, std::int64_t action_id, const std::string& reason) {
    static Statement q(
        "UPDATE actions.action SET status = 'cancelled', cancel_reason = $3 "
        "WHERE workspace_id = $1 AND action_id = $2",
        {INT8OID, INT8OID, TEXTOID});
    q.exec(workspace_id, action_id, reason);
}

void update_action_fields(std::int64_t workspace_id, std::int64_t action_id, const std::optional<std::string>& title,
                          const std::optional<std::string>& description, bool set_due,
                          std::optional<TimestampTz> due, const std::optional<std::string>& priority) {
    static Statement q(
        "UPDATE actions.action SET title = coalesce($3, title), "
        "description = CASE WHEN $4 THEN NULLIF($5, '') ELSE description END, "
        "due_at = CASE WHEN $6 THEN $7 ELSE due_at END, priority = coalesce($8, priority) "
        "WHERE workspace_id = $1 AND action_id = $2",
        {INT8OID, INT8OID, TEXTOID, BOOLOID, TEXTOID, BOOLOID, TIMESTAMPTZOID, TEXTOID});
    q.exec(workspace_id, action_id, title, description.has_value(), description, set_due, due, priority);
}

void delete_action(std::int64_t workspace_id, std::int64_t action_id) {
    static Statement q("DELETE FROM actions.action WHERE workspace_id = $1 AND action_id = $2", {INT8OID, INT8OID});
    q.exec(workspace_id, action_id);
}

void delegate_action(std::int64_t workspace_id, std::int64_t action_id, std::int64_t delegate_id,
                     std::int64_t delegated_by) {
    static Statement q(
        "UPDATE actions.action SET assignee_id = $3, delegated_by = $4, delegation = 'pending' "
        "WHERE workspace_id = $1 AND action_id = $2",
        {INT8OID, INT8OID, INT8OID, INT8OID});
    q.exec(workspace_id, action_id, delegate_id, delegated_by);
}

void resolve_delegation(std::int64_t workspace_id, std::int64_t action_id) {
    static Statement q(
        "UPDATE actions.action SET assignee_id = delegated_by, delegation = 'resolved' "
        "WHERE workspace_id = $1 AND action_id = $2",
        {INT8OID, INT8OID});
    q.exec(workspace_id, action_id);
}

void close_with_outcome(std::int64_t workspace_id, std::int64_t action_id, const std::string& outcome,
                        const std::optional<std::string>& comment, std::int64_t person_id) {
    static Statement q(
        "UPDATE actions.action SET outcome = $3, outcome_comment = $4, status = 'complete', "
        "  assignee_id = coalesce(assignee_id, $5) WHERE workspace_id = $1 AND action_id = $2",
        {INT8OID, INT8OID, TEXTOID, TEXTOID, INT8OID});
    q.exec(workspace_id, action_id, outcome, comment, person_id);
}

std::uint64_t set_actions_assignee(std::int64_t workspace_id, const std::vector<std::int64_t>& action_ids,
                                   std::int64_t person_id) {
    static Statement q("UPDATE actions.action SET assignee_id = $3 WHERE workspace_id = $1 AND action_id = ANY ($2)",
                       {INT8OID, INT8ARRAYOID, INT8OID});
    return q.exec(workspace_id, sql_datum(int64_array_datum(action_ids)), person_id);
}

std::uint64_t set_actions_status(std::int64_t workspace_id, const std::vector<std::int64_t>& action_ids,
                                 const std::string& status) {
    static Statement q("UPDATE actions.action SET status = $3 WHERE workspace_id = $1 AND action_id = ANY ($2)",
                       {INT8OID, INT8ARRAYOID, TEXTOID});
    return q.exec(workspace_id, sql_datum(int64_array_datum(action_ids)), status);
}

std::uint64_t complete_actions(std::int64_t workspace_id, const std::vector<std::int64_t>& action_ids,
                               std::int64_t completed_by) {
    static Statement q(
        "UPDATE actions.action SET status = 'complete', completed_by = $3, evidence_id = NULL "
        "WHERE workspace_id = $1 AND action_id = ANY ($2)",
        {INT8OID, INT8ARRAYOID, INT8OID});
    return q.exec(workspace_id, sql_datum(int64_array_datum(action_ids)), completed_by);
}

std::uint64_t cancel_actions(std::int64_t workspace_id, const std::vector<std::int64_t>& action_ids,
                             const std::string& reason) {
    static Statement q(
        "UPDATE actions.action SET status = 'cancelled', cancel_reason = $3 "
        "WHERE workspace_id = $1 AND action_id = ANY ($2)",
        {INT8OID, INT8ARRAYOID, TEXTOID});
    return q.exec(workspace_id, sql_datum(int64_array_datum(action_ids)), reason);
}

std::uint64_t delete_actions(std::int64_t workspace_id, const std::vector<std::int64_t>& action_ids) {
    static Statement q("DELETE FROM actions.action WHERE workspace_id = $1 AND action_id = ANY ($2)",
                       {INT8OID, INT8ARRAYOID});
    return q.exec(workspace_id, sql_datum(int64_array_datum(action_ids)));
}

std::int64_t insert_action(const NewActionRow& r) {
    static Statement q(
        "INSERT INTO actions.action (workspace_id, title, description, type, priority, owner_id, "
        "assignee_id, due_at, record_id, group_ids, template_id, template_version) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING action_id",
        {INT8OID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, INT8OID, INT8OID, TIMESTAMPTZOID, INT8OID, INT8ARRAYOID,
         INT8OID, INT4OID});
    q.exec(r.workspace_id, r.title, r.description, r.type, r.priority, r.owner_id, r.assignee_id, r.due_at,
           r.record_id, sql_datum(int64_array_datum(r.group_ids)), r.template_id, r.template_version);
    return get_int64(0, 1);
}

std::int64_t insert_evidence(std::int64_t workspace_id, std::int64_t action_id, const std::string& name,
                             const std::string& content_type, std::int64_t size_bytes, Datum sha256, Datum content,
                             std::int64_t uploaded_by) {
    static Statement q(
        "INSERT INTO actions.evidence (workspace_id, action_id, name, content_type, size_bytes, "
        "sha256, content, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING evidence_id",
        {INT8OID, INT8OID, TEXTOID, TEXTOID, INT8OID, BYTEAOID, BYTEAOID, INT8OID});
    q.exec(workspace_id, action_id, name, content_type, size_bytes, sql_datum(sha256), sql_datum(content),
           uploaded_by);
    return get_int64(0, 1);
}

std::optional<TimestampTz> action_due_at(std::int64_t workspace_id, std::int64_t action_id) {
    static Statement q("SELECT due_at FROM actions.action WHERE workspace_id = $1 AND action_id = $2",
                       {INT8OID, INT8OID});
    if (q.exec_limit(1, workspace_id, action_id) != 1) return std::nullopt;
    return get_timestamptz(0, 1);
}

std::optional<ActionCopy> action_copy(std::int64_t workspace_id, std::int64_t action_id) {
    static Statement q(
        "SELECT title, description, type, priority, due_at, assignee_id, record_id, group_ids "
        "FROM actions.action WHERE workspace_id = $1 AND action_id = $2",
        {INT8OID, INT8OID});
    if (q.exec_limit(1, workspace_id, action_id) != 1) return std::nullopt;
    ActionCopy c;
    c.title = get_text(0, 1);
    c.description = get_text(0, 2);
    c.type = get_text(0, 3);
    c.priority = get_text(0, 4);
    c.due_at = get_timestamptz(0, 5);
    c.assignee_id = get_opt_int64(0, 6);
    c.record_id = get_opt_int64(0, 7);
    bool null = false;
    Datum groups = get_datum(0, 8, &null);
    if (!null) c.group_ids = int64_array(groups);
    return c;
}

WorkflowSiblings workflow_siblings(std::int64_t workspace_id, std::int64_t record_id, const std::string& workflow,
                                   std::int64_t except_action_id) {
    static Statement q(
        "SELECT count(*) FILTER (WHERE status = ANY (actions.list_vocabulary('open'))), "
        "       count(*) FILTER (WHERE outcome IN ('declined', 'rejected')) "
        "FROM actions.action WHERE record_id = $1 AND workspace_id = $2 AND workflow = $3 AND action_id <> $4",
        {INT8OID, INT8OID, TEXTOID, INT8OID});
    q.exec(record_id, workspace_id, workflow, except_action_id);
    return {get_int64(0, 1), get_int64(0, 2)};
}

std::int64_t insert_workflow_action(const WorkflowActionRow& a) {
    static Statement insert(
        "INSERT INTO actions.action (workspace_id, title, description, type, owner_id, assignee_id, due_at, "
        "record_id, group_ids, workflow) "
        "VALUES ($1, $2, $3, $4, $5, $6, coalesce($11::timestamptz, CASE WHEN $7::integer IS NULL THEN NULL "
        "        ELSE pg_catalog.now() + pg_catalog.make_interval(days => $7) END), $8, $9, $10) "
        "RETURNING action_id",
        {INT8OID, TEXTOID, TEXTOID, TEXTOID, INT8OID, INT8OID, INT4OID, INT8OID, INT8ARRAYOID, TEXTOID, TIMESTAMPTZOID});
    insert.exec(a.workspace_id, a.title, a.description, a.type, a.owner_id, a.assignee_id, a.due_days, a.record_id,
                sql_datum(int64_array_datum(a.group_ids)), a.workflow, a.working_due);
    return get_int64(0, 1);
}

void insert_action_candidate(std::int64_t workspace_id, std::int64_t action_id, std::int64_t person_id) {
    static Statement add("INSERT INTO actions.action_candidate (workspace_id, action_id, person_id) VALUES ($1, $2, $3)",
                         {INT8OID, INT8OID, INT8OID});
    add.exec(workspace_id, action_id, person_id);
}

std::optional<std::int64_t> reassign_if_still_due(std::int64_t workspace_id, std::int64_t action_id,
                                                  std::int64_t person_id, std::int64_t due_at) {
    static Statement update(
        "UPDATE actions.action SET assignee_id = $3 WHERE workspace_id = $1 AND action_id = $2 AND due_at = $4 "
        "AND status = ANY (actions.list_vocabulary('open')) RETURNING assignee_id",
        {INT8OID, INT8OID, INT8OID, TIMESTAMPTZOID});
    if (update.exec(workspace_id, action_id, person_id, due_at) != 1) return std::nullopt;
    return get_int64(0, 1);
}

std::optional<bool> lock_if_still_due(std::int64_t workspace_id, std::int64_t action_id, std::int64_t due_at) {
    static Statement lock(
        "SELECT offered FROM actions.action WHERE workspace_id = $1 AND action_id = $2 AND due_at = $3 "
        "AND status = ANY (actions.list_vocabulary('open')) FOR NO KEY UPDATE",
        {INT8OID, INT8OID, TIMESTAMPTZOID});
    if (lock.exec(workspace_id, action_id, due_at) != 1) return std::nullopt;
    return get_bool(0, 1);
}

void unassign_action(std::int64_t workspace_id, std::int64_t action_id) {
    static Statement unassign("UPDATE actions.action SET assignee_id = NULL WHERE workspace_id = $1 AND action_id = $2",
                              {INT8OID, INT8OID});
    unassign.exec(workspace_id, action_id);
}

std::uint64_t cancel_open_run_actions(std::int64_t workspace_id, std::int64_t run_id, const std::string& reason) {
    static Statement cancel(
        "UPDATE actions.action a SET status = 'cancelled', cancel_reason = $3 FROM actions.procedure_action pa "
        "WHERE pa.workspace_id = $1 AND pa.run_id = $2 AND a.workspace_id = pa.workspace_id "
        "AND a.action_id = pa.action_id AND a.status = ANY (actions.list_vocabulary('open'))",
        {INT8OID, INT8OID, TEXTOID});
    return cancel.exec(workspace_id, run_id, reason);
}

void set_action_due(std::int64_t workspace_id, std::int64_t action_id, std::int64_t due_at) {
    static Statement set_due("UPDATE actions.action SET due_at = $3 WHERE workspace_id = $1 AND action_id = $2",
                             {INT8OID, INT8OID, TIMESTAMPTZOID});
    set_due.exec(workspace_id, action_id, due_at);
}

void update_action_groups(std::int64_t workspace_id, std::int64_t action_id, const std::vector<std::int64_t>& group_ids) {
    static Statement q("UPDATE actions.action SET group_ids = $3 WHERE workspace_id = $1 AND action_id = $2",
                       {INT8OID, INT8OID, INT8ARRAYOID});
    q.exec(workspace_id, action_id, sql_datum(int64_array_datum(group_ids)));
}

void update_action_offered(std::int64_t workspace_id, std::int64_t action_id, bool offered) {
    static Statement q("UPDATE actions.action SET offered = $3 WHERE workspace_id = $1 AND action_id = $2",
                       {INT8OID, INT8OID, BOOLOID});
    q.exec(workspace_id, action_id, offered);
}

void claim_action(std::int64_t workspace_id, std::int64_t action_id, std::int64_t assignee_id) {
    static Statement q(
        "UPDATE actions.action SET assignee_id = $3, claimed = true WHERE workspace_id = $1 AND action_id = $2",
        {INT8OID, INT8OID, INT8OID});
    q.exec(workspace_id, action_id, assignee_id);
}

void release_action(std::int64_t workspace_id, std::int64_t action_id) {
    static Statement q(
        "UPDATE actions.action SET assignee_id = NULL, claimed = false WHERE workspace_id = $1 AND action_id = $2",
        {INT8OID, INT8OID});
    q.exec(workspace_id, action_id);
}

void insert_action_offer(std::int64_t workspace_id, std::int64_t action_id, std::optional<std::int64_t> person_id,
                         std::optional<std::int64_t> group_id, std::optional<std::int64_t> role_id,
                         std::optional<std::int64_t> offered_by) {
    static Statement q(
        "INSERT INTO actions.action_offer (workspace_id, action_id, person_id, group_id, role_id, offered_by) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        {INT8OID, INT8OID, INT8OID, INT8OID, INT8OID, INT8OID});
    q.exec(workspace_id, action_id, person_id, group_id, role_id, offered_by);
}

void delete_action_offer(std::int64_t workspace_id, std::int64_t action_id, std::optional<std::int64_t> person_id,
                         std::optional<std::int64_t> group_id, std::optional<std::int64_t> role_id) {
    static Statement q(
        "DELETE FROM actions.action_offer WHERE workspace_id = $1 AND action_id = $2 "
        "AND (person_id = $3 OR group_id = $4 OR role_id = $5)",
        {INT8OID, INT8OID, INT8OID, INT8OID, INT8OID});
    q.exec(workspace_id, action_id, person_id, group_id, role_id);
}

bool role_has_offers(std::int64_t workspace_id, std::int64_t role_id) {
    static Statement q(
        "SELECT EXISTS (SELECT 1 FROM actions.action_offer WHERE workspace_id = $1 AND role_id = $2)", {INT8OID, INT8OID});
    q.exec(workspace_id, role_id);
    return get_bool(0, 1);
}

std::vector<DueSoon> lock_due_soon_batch(std::int64_t limit) {
    static Statement q(
        "SELECT a.workspace_id, a.action_id, a.assignee_id, a.due_at FROM actions.action a "
        "JOIN actions.workspace w ON w.workspace_id = a.workspace_id "
        "WHERE a.status = ANY (actions.list_vocabulary('open_not_overdue')) AND a.due_at IS NOT NULL AND a.assignee_id IS NOT NULL "
        "AND a.due_at > now() AND a.due_at <= now() + w.due_soon_window /*AND a.workspace_id*/ "
        "AND NOT EXISTS (SELECT 1 FROM actions.reminder r WHERE r.workspace_id = a.workspace_id /*AND r.workspace_id*/ "
        "AND r.action_id = a.action_id AND r.kind = 'due_soon' AND r.due_at = a.due_at) "
        "ORDER BY a.action_id LIMIT $1 FOR KEY SHARE OF a SKIP LOCKED",
        {INT8OID});
    std::uint64_t n = q.exec(limit);
    std::vector<DueSoon> rows;
    rows.reserve(n);
    for (std::uint64_t i = 0; i < n; i++)
        rows.push_back({get_int64(i, 1), get_int64(i, 2), get_int64(i, 3), get_timestamptz(i, 4).value_or(0)});
    return rows;
}

std::vector<OverdueCandidate> lock_overdue_batch(std::int64_t limit, bool skip_locked) {
#define OVERDUE_BATCH                                                                                        \
    "SELECT a.workspace_id, a.action_id, a.status, a.due_at FROM actions.action a "                          \
    "WHERE a.status = ANY (actions.list_vocabulary('open_not_overdue')) AND a.due_at IS NOT NULL "            \
    "  AND a.due_at < now() /*AND a.workspace_id*/ ORDER BY a.action_id LIMIT $1 FOR NO KEY UPDATE OF a"
    static Statement wait(OVERDUE_BATCH, {INT8OID});
    static Statement skip(OVERDUE_BATCH " SKIP LOCKED", {INT8OID});
#undef OVERDUE_BATCH
    std::uint64_t n = (skip_locked ? skip : wait).exec(limit);
    std::vector<OverdueCandidate> out;
    out.reserve(n);
    for (std::uint64_t i = 0; i < n; i++)
        out.push_back({get_int64(i, 1), get_int64(i, 2), get_text(i, 3).value_or(""), get_timestamptz(i, 4)});
    return out;
}

std::uint64_t mark_actions_overdue(const std::vector<std::int64_t>& workspace_ids,
                                   const std::vector<std::int64_t>& action_ids) {
    static Statement update(
        "UPDATE actions.action a SET status = 'overdue' "
        "WHERE a.workspace_id = ANY ($1) AND a.action_id = ANY ($2) "
        "  AND a.status = ANY (actions.list_vocabulary('open_not_overdue')) AND a.due_at < now()",
        {INT8ARRAYOID, INT8ARRAYOID});
    return update.exec(sql_datum(int64_array_datum(workspace_ids)), sql_datum(int64_array_datum(action_ids)));
}

std::uint64_t mark_action_overdue(std::int64_t workspace_id, std::int64_t action_id) {
    static Statement update(
        "UPDATE actions.action a SET status = 'overdue' WHERE a.workspace_id = $1 AND a.action_id = $2 "
        "  AND a.status = ANY (actions.list_vocabulary('open_not_overdue')) AND a.due_at < now()",
        {INT8OID, INT8OID});
    return update.exec(workspace_id, action_id);
}

}  // namespace pg_actions::pg::store
