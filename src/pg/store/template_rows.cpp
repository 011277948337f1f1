// Templates: actions.template, template_version. (see template_rows.hpp).
#include "pg/store/template_rows.hpp"

#include "pg/boundary/spi.hpp"

namespace pg_actions::pg::store {

std::optional<std::int64_t> template_workspace(std::int64_t template_id) {
    static Statement q("SELECT workspace_id FROM actions.template WHERE template_id = $1 /*AND workspace_id*/", {INT8OID});
    if (q.exec_limit(1, template_id) != 1) return std::nullopt;
    return get_int64(0, 1);
}

std::optional<TemplateVersion> read_template_version(std::int64_t workspace_id, std::int64_t template_id, bool lock) {
    // A Statement keeps its text's pointer: both texts are literals.
#define TEMPLATE_READ \
        "SELECT t.current_version, t.retired_at IS NOT NULL, v.type, v.title, v.description, v.due_in, v.due_unit, " \
        "v.priority, v.group_ids, v.assignee_rule, v.assignee_id, v.assignee_capacity, v.pool_people, v.pool_groups, " \
        "v.pool_roles " \
        "FROM actions.template t JOIN actions.template_version v ON v.workspace_id = t.workspace_id " \
        "AND v.template_id = t.template_id AND v.version = t.current_version " \
        "WHERE t.workspace_id = $1 AND t.template_id = $2"
    static Statement plain(TEMPLATE_READ, {INT8OID, INT8OID});
    static Statement locked(TEMPLATE_READ " FOR UPDATE OF t", {INT8OID, INT8OID});
#undef TEMPLATE_READ
    if ((lock ? locked : plain).exec_limit(1, workspace_id, template_id) != 1) return std::nullopt;
    TemplateVersion t;
    t.workspace_id = workspace_id;
    t.template_id = template_id;
    t.version = get_int32(0, 1);
    t.retired = get_bool(0, 2);
    t.type = get_text(0, 3).value_or("");
    t.title = get_text(0, 4).value_or("");
    t.description = get_text(0, 5);
    if (!is_null(0, 6)) t.due_in = get_int32(0, 6);
    t.due_unit = get_text(0, 7).value_or("");
    t.priority = get_text(0, 8).value_or("");
    bool null = true;
    Datum groups = get_datum(0, 9, &null);
    if (!null) t.group_ids = int64_array(groups);
    t.assignee_rule = get_text(0, 10).value_or("none");
    t.assignee_id = get_opt_int64(0, 11);
    t.assignee_capacity = get_text(0, 12);
    Datum pool = get_datum(0, 13, &null);
    if (!null) t.pool_people = int64_array(pool);
    pool = get_datum(0, 14, &null);
    if (!null) t.pool_groups = int64_array(pool);
    pool = get_datum(0, 15, &null);
    if (!null) t.pool_roles = text_array(pool);
    return t;
}

std::optional<std::int64_t> insert_template_row(std::int64_t workspace_id, const std::string& name, std::int64_t actor) {
    static Statement insert(
        "INSERT INTO actions.template (workspace_id, name, created_by) VALUES ($1, $2, $3) "
        "ON CONFLICT (workspace_id, name) WHERE retired_at IS NULL DO NOTHING RETURNING template_id",
        {INT8OID, TEXTOID, INT8OID});
    if (insert.exec(workspace_id, name, actor) != 1) return std::nullopt;
    return get_int64(0, 1);
}

void insert_template_version(const TemplateVersion& t, std::int32_t version, std::int64_t actor) {
    static Statement insert(
        "INSERT INTO actions.template_version (workspace_id, template_id, version, type, title, description, due_in, "
        "due_unit, priority, group_ids, assignee_rule, assignee_id, assignee_capacity, created_by, pool_people, "
        "pool_groups, pool_roles) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
        {INT8OID, INT8OID, INT4OID, TEXTOID, TEXTOID, TEXTOID, INT4OID, TEXTOID, TEXTOID, INT8ARRAYOID, TEXTOID,
         INT8OID, TEXTOID, INT8OID, INT8ARRAYOID, INT8ARRAYOID, TEXTARRAYOID});
    std::optional<std::int32_t> due_in;
    if (t.due_in) due_in = static_cast<std::int32_t>(*t.due_in);
    insert.exec(t.workspace_id, t.template_id, version, t.type, t.title, t.description, due_in, t.due_unit, t.priority,
                sql_datum(int64_array_datum(t.group_ids)), t.assignee_rule, t.assignee_id, t.assignee_capacity, actor,
                sql_datum(int64_array_datum(t.pool_people)), sql_datum(int64_array_datum(t.pool_groups)),
                sql_datum(text_array_datum(t.pool_roles)));
}

bool template_name_taken(std::int64_t workspace_id, const std::string& name, std::int64_t template_id) {
    static Statement taken(
        "SELECT 1 FROM actions.template WHERE workspace_id = $1 AND name = $2 AND template_id <> $3 "
        "AND retired_at IS NULL",
        {INT8OID, TEXTOID, INT8OID});
    return taken.exec_limit(1, workspace_id, name, template_id) == 1;
}

void set_template_current_version(std::int64_t workspace_id, std::int64_t template_id, std::int32_t version,
                                  const std::optional<std::string>& name) {
    static Statement update(
        "UPDATE actions.template SET current_version = $3, name = coalesce($4, name) "
        "WHERE workspace_id = $1 AND template_id = $2",
        {INT8OID, INT8OID, INT4OID, TEXTOID});
    update.exec(workspace_id, template_id, version, name);
}

void retire_template_row(std::int64_t workspace_id, std::int64_t template_id) {
    static Statement update(
        "UPDATE actions.template SET retired_at = coalesce(retired_at, $3) WHERE workspace_id = $1 AND template_id = $2",
        {INT8OID, INT8OID, TIMESTAMPTZOID});
    update.exec(workspace_id, template_id, sql_now());
}

}  // namespace pg_actions::pg::store
