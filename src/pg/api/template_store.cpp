// Templates checked, read and written (see template_store.hpp; the rows: store/template_rows.cpp).
#include "pg/api/template_store.hpp"
#include "pg/api/working_days.hpp"

#include "core/input.hpp"
#include "core/permission.hpp"
#include "core/template_rules.hpp"
#include "pg/api/verbs.hpp"
#include "pg/authz/facts.hpp"
#include "pg/store/members.hpp"
#include "pg/store/template_rows.hpp"

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

[[noreturn]] void name_taken(const std::string& name) {
    throw PgError(ERRCODE_UNIQUE_VIOLATION, "a template named \"" + name + "\" already exists",
                  "template names are unique among a workspace's templates in use",
                  "choose another name, or edit that template (actions.update_template())");
}

}  // namespace

TemplateVersion load_template(std::int64_t template_id, std::int64_t actor, bool manage) {
    std::optional<std::int64_t> ws = store::template_workspace(template_id);
    if (!ws) refuse_not_found(core::Target::action_template, template_id);
    if (!member_acts(membership(*ws, actor, false).state)) refuse_not_found(core::Target::action_template, template_id);
    if (manage) require_workspace_manager(*ws);
    std::optional<TemplateVersion> t = store::read_template_version(*ws, template_id, manage);
    if (!t) refuse_not_found(core::Target::action_template, template_id);
    return *t;
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
    std::optional<std::int64_t> id = store::insert_template_row(given.workspace_id, name, actor);
    if (!id) name_taken(name);
    TemplateVersion t = given;
    t.template_id = *id;
    store::insert_template_version(t, 1, actor);
    return t.template_id;
}

std::int32_t insert_version(const TemplateVersion& t, const std::optional<std::string>& name, std::int64_t actor) {
    check_references(t, actor);
    if (name && store::template_name_taken(t.workspace_id, *name, t.template_id)) name_taken(*name);
    const std::int32_t version = t.version + 1;
    store::insert_template_version(t, version, actor);
    store::set_template_current_version(t.workspace_id, t.template_id, version, name);
    return version;
}

void retire(const TemplateVersion& t) { store::retire_template_row(t.workspace_id, t.template_id); }

}  // namespace pg_actions::pg
