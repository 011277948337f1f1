// Reading and writing templates and their versions (see template_store.hpp).
#include "pg/api/template_store.hpp"
#include "pg/api/working_days.hpp"

#include "core/input.hpp"
#include "core/permission.hpp"
#include "core/template_rules.hpp"
#include "pg/api/verbs.hpp"
#include "pg/authz/facts.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/store/members.hpp"

namespace core = pg_actions::core;

namespace pg_actions::pg {

// What a template refers to must hold in its workspace: a type new actions may use, a member to
// assign, groups of the workspace (locked FOR KEY SHARE, as for an action).
void check_references(const TemplateVersion& t, std::int64_t actor) {
    if (t.due_unit == core::due_unit_name(core::DueUnit::working_days))
        require_working_calendar(t.workspace_id, "the template's due rule");
    check_type_for_new(t.workspace_id, t.type, "templates");
    if (t.assignee_id)
        check_assignee_state(t.workspace_id, *t.assignee_id, membership(t.workspace_id, *t.assignee_id, false).state);
    core::Facts unused;
    scope_targets(t.workspace_id, actor, t.group_ids, unused);
}

namespace {

void insert_version_row(const TemplateVersion& t, std::int32_t version, std::int64_t actor) {
    static Statement insert(
        "INSERT INTO actions.template_version (workspace_id, template_id, version, type, title, description, due_in, "
        "due_unit, priority, group_ids, assignee_rule, assignee_id, assignee_capacity, created_by, pool_people, "
        "pool_groups, pool_roles) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
        {INT8OID, INT8OID, INT4OID, TEXTOID, TEXTOID, TEXTOID, INT4OID, TEXTOID, TEXTOID, INT8ARRAYOID, TEXTOID,
         INT8OID, TEXTOID, INT8OID, INT8ARRAYOID, INT8ARRAYOID, TEXTARRAYOID});
    Datum v[17] = {Int64GetDatum(t.workspace_id), Int64GetDatum(t.template_id), Int32GetDatum(version),
                   text_datum(t.type), text_datum(t.title), t.description ? text_datum(*t.description) : 0,
                   Int32GetDatum(static_cast<std::int32_t>(t.due_in.value_or(0))), text_datum(t.due_unit),
                   text_datum(t.priority), int64_array_datum(t.group_ids), text_datum(t.assignee_rule),
                   t.assignee_id ? Int64GetDatum(*t.assignee_id) : 0,
                   t.assignee_capacity ? text_datum(*t.assignee_capacity) : 0, Int64GetDatum(actor),
                   int64_array_datum(t.pool_people), int64_array_datum(t.pool_groups), text_array_datum(t.pool_roles)};
    char nulls[17] = {' ', ' ', ' ', ' ', ' ', t.description ? ' ' : 'n', t.due_in ? ' ' : 'n', ' ', ' ', ' ', ' ',
                      t.assignee_id ? ' ' : 'n', t.assignee_capacity ? ' ' : 'n', ' ', ' ', ' ', ' '};
    insert.run(v, nulls, 0);
}

[[noreturn]] void name_taken(const std::string& name) {
    throw PgError(ERRCODE_UNIQUE_VIOLATION, "a template named \"" + name + "\" already exists",
                  "template names are unique among a workspace's templates in use",
                  "choose another name, or edit that template (actions.update_template())");
}

}  // namespace

TemplateVersion load_template(std::int64_t template_id, std::int64_t actor, bool manage) {
    static Statement where("SELECT workspace_id FROM actions.template WHERE template_id = $1", {INT8OID});
    Datum id[1] = {Int64GetDatum(template_id)};
    if (where.run(id, nullptr, 1) != 1) refuse_not_found(core::Target::action_template, template_id);
    TemplateVersion t;
    t.workspace_id = get_int64(0, 1);
    t.template_id = template_id;
    if (!member_acts(membership(t.workspace_id, actor, false).state))
        refuse_not_found(core::Target::action_template, template_id);
    if (manage) require_workspace_manager(t.workspace_id);

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
    Datum keys[2] = {Int64GetDatum(t.workspace_id), Int64GetDatum(template_id)};
    if ((manage ? locked : plain).run(keys, nullptr, 1) != 1)
        refuse_not_found(core::Target::action_template, template_id);
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

void check_definition(const TemplateVersion& t) {
    refuse_if(core::check_title(t.title));
    refuse_if(core::check_placeholders("title", t.title));
    refuse_if(core::check_description(t.description));
    if (t.description) refuse_if(core::check_placeholders("description", *t.description));
    refuse_if(core::check_priority(t.priority));
    refuse_if(core::check_due_rule(t.due_in, t.due_unit));
    refuse_if(core::check_assignee_rule(t.assignee_rule, t.assignee_id.has_value(),
                                        t.assignee_capacity ? std::optional<std::string_view>(*t.assignee_capacity)
                                                            : std::nullopt,
                                        t.has_pool()));
}

std::int64_t insert_template(const TemplateVersion& given, const std::string& name, std::int64_t actor) {
    require_workspace_manager(given.workspace_id);
    check_references(given, actor);
    static Statement insert(
        "INSERT INTO actions.template (workspace_id, name, created_by) VALUES ($1, $2, $3) "
        "ON CONFLICT (workspace_id, name) WHERE retired_at IS NULL DO NOTHING RETURNING template_id",
        {INT8OID, TEXTOID, INT8OID});
    Datum v[3] = {Int64GetDatum(given.workspace_id), text_datum(name), Int64GetDatum(actor)};
    if (insert.run(v, nullptr, 0) != 1) name_taken(name);
    TemplateVersion t = given;
    t.template_id = get_int64(0, 1);
    insert_version_row(t, 1, actor);
    return t.template_id;
}

std::int32_t insert_version(const TemplateVersion& t, const std::optional<std::string>& name, std::int64_t actor) {
    check_references(t, actor);
    if (name) {
        static Statement taken(
            "SELECT 1 FROM actions.template WHERE workspace_id = $1 AND name = $2 AND template_id <> $3 "
            "AND retired_at IS NULL",
            {INT8OID, TEXTOID, INT8OID});
        Datum v[3] = {Int64GetDatum(t.workspace_id), text_datum(*name), Int64GetDatum(t.template_id)};
        if (taken.run(v, nullptr, 1) == 1) name_taken(*name);
    }
    const std::int32_t version = t.version + 1;
    insert_version_row(t, version, actor);
    static Statement update(
        "UPDATE actions.template SET current_version = $3, name = coalesce($4, name) "
        "WHERE workspace_id = $1 AND template_id = $2",
        {INT8OID, INT8OID, INT4OID, TEXTOID});
    Datum v[4] = {Int64GetDatum(t.workspace_id), Int64GetDatum(t.template_id), Int32GetDatum(version),
                  name ? text_datum(*name) : 0};
    char nulls[4] = {' ', ' ', ' ', name ? ' ' : 'n'};
    update.run(v, nulls, 0);
    return version;
}

void retire(const TemplateVersion& t) {
    static Statement update(
        "UPDATE actions.template SET retired_at = coalesce(retired_at, now()) WHERE workspace_id = $1 AND template_id = $2",
        {INT8OID, INT8OID});
    Datum v[2] = {Int64GetDatum(t.workspace_id), Int64GetDatum(t.template_id)};
    update.run(v, nullptr, 0);
}

}  // namespace pg_actions::pg
