// The SQL API of action templates: create, edit (each edit is a new version), retire, and
// create_action_from_template, which fills the template's placeholders, applies its due and
// assignee rules and overrides, then creates the action through create_new_action, the body
// create_action runs (new_action.cpp), recording the template and version on the action.
#include "pg/boundary/postgres.hpp"

#include <variant>

#include "core/input.hpp"
#include "core/permission.hpp"
#include "core/template_rules.hpp"
#include "pg/api/pools.hpp"
#include "pg/api/template_store.hpp"
#include "pg/api/verbs.hpp"
#include "pg/api/working_days.hpp"
#include "pg/authz/args.hpp"
#include "pg/authz/facts.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/identity/actor.hpp"
#include "pg/store/members.hpp"
#include "pg/store/people_store.hpp"
#include "pg/store/record_store.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

std::optional<std::int64_t> arg_opt_int64(FunctionCallInfo fcinfo, int n) {
    if (PG_ARGISNULL(n)) return std::nullopt;
    return PG_GETARG_INT64(n);
}

std::optional<std::int64_t> arg_opt_int32(FunctionCallInfo fcinfo, int n) {
    if (PG_ARGISNULL(n)) return std::nullopt;
    return PG_GETARG_INT32(n);
}

// The values of the placeholders when an action is made from template version t.
struct Context {
    std::string workspace, creator, created_on;
    std::optional<std::string> due_date;
    std::optional<DateADT> due_on;  // the due rule's day, when no due_at or due_on was passed
};

Context context(std::int64_t workspace_id, std::int64_t actor, std::optional<TimestampTz> due_at,
                std::optional<DateADT> due_on, std::optional<std::int64_t> due_in) {
    std::optional<std::int32_t> days;
    if (due_in) days = static_cast<std::int32_t>(*due_in);
    std::optional<store::PlaceholderContext> p = store::placeholder_context(workspace_id, actor, due_at, due_on, days);
    if (!p) refuse_not_found(core::Target::workspace, workspace_id);
    Context c;
    c.workspace = p->workspace;
    c.creator = p->creator;
    c.created_on = p->created_on;
    if (p->due_day && !due_at) c.due_on = *p->due_day;
    c.due_date = p->due_date;
    return c;
}

}  // namespace

TemplateCall pg_actions::pg::template_call_args(FunctionCallInfo fcinfo) {
    TemplateCall call;
    call.template_id = arg_id(fcinfo, 0, "template_id");
    call.record_id = arg_opt_int64(fcinfo, 1);
    call.title = arg_text(fcinfo, 2);
    call.description = arg_text(fcinfo, 3);
    call.assignee = arg_opt_int64(fcinfo, 4);
    call.due_at = arg_due(fcinfo, 5);
    if (!PG_ARGISNULL(6)) call.due_on = PG_GETARG_DATEADT(6);
    call.priority = arg_text(fcinfo, 7);
    call.groups = arg_groups(fcinfo, 8);
    return call;
}

std::int64_t pg_actions::pg::create_from_template(const TemplateCall& call, std::optional<std::int64_t> acting) {
    const std::int64_t template_id = call.template_id;
    const std::optional<std::int64_t>& record_id = call.record_id;
    const std::optional<std::string>& title = call.title;
    const std::optional<std::string>& description = call.description;
    const std::optional<TimestampTz>& due_at = call.due_at;
    const std::optional<DateADT>& due_on = call.due_on;
    std::int64_t actor = acting ? *acting : require_actor();
    // A template of a workspace the actor does not act in is not found, like a missing one.
    TemplateVersion t = load_template(template_id, actor, false);
    refuse_if(core::check_template_live(template_id, t.retired, false));

    core::PlaceholderValues values;
    std::optional<std::int64_t> record_party;
    if (record_id) {
        // The same checks create_action makes (exists in the workspace, visible to the actor, not
        // archived), then what the template reads: the record's title reaches only someone who
        // may see the record.
        check_record(t.workspace_id, *record_id, actor);
        std::string capacity = t.assignee_capacity.value_or("");
        std::optional<store::RecordTitleParty> r = store::record_title_party(
            t.workspace_id, *record_id, capacity.empty() ? std::nullopt : std::optional<std::string>(capacity));
        if (!r) refuse_not_found(core::Target::record, *record_id);
        values[static_cast<std::size_t>(core::Placeholder::record_title)] = r->title;
        values[static_cast<std::size_t>(core::Placeholder::record_kind)] = r->kind;
        record_party = r->party;
    }
    const bool due_given = due_at || due_on;
    // A rule in working days is counted on the workspace's calendar (55000 without one).
    std::optional<DateADT> rule_day;
    if (!due_given && t.due_in && t.due_unit == core::due_unit_name(core::DueUnit::working_days))
        rule_day = working_rule_day(t.workspace_id, *t.due_in, "the template's due rule");
    Context c = context(t.workspace_id, actor, due_at, due_on ? due_on : rule_day,
                        due_given || rule_day ? std::nullopt : t.due_in);
    values[static_cast<std::size_t>(core::Placeholder::workspace)] = c.workspace;
    values[static_cast<std::size_t>(core::Placeholder::creator)] = c.creator;
    values[static_cast<std::size_t>(core::Placeholder::created_on)] = c.created_on;
    values[static_cast<std::size_t>(core::Placeholder::due_date)] = c.due_date;

    NewAction n;
    n.workspace_id = t.workspace_id;
    n.title = title ? title : take(core::fill_placeholders("title", t.title, values));
    if (description) n.description = description;
    else if (t.description) n.description = take(core::fill_placeholders("description", *t.description, values));
    if (call.assignee) {
        n.assignee = call.assignee;
    } else {
        std::optional<core::AssigneeRule> rule = core::parse_assignee_rule(t.assignee_rule);
        // The table's CHECK lists the core's rules (catalog_test), so this is a library older than the schema.
        if (!rule)
            throw PgError(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                          "template " + std::to_string(template_id) + " has an assignee rule this library does not know",
                          "its rule is \"" + t.assignee_rule + "\"", "install the library that matches the schema");
        core::AssigneeFacts f;
        f.rule = *rule;
        f.person = t.assignee_id;
        f.actor = actor;
        f.has_record = record_id.has_value();
        f.record_party = record_party;
        f.capacity = t.assignee_capacity.value_or("");
        n.assignee = take(core::choose_assignee(f));
    }
    n.due_at = due_at;
    n.due_on = due_on ? due_on : c.due_on;
    n.priority = call.priority.value_or(t.priority);
    n.type = t.type;
    n.record_id = record_id;
    if (call.groups) n.groups = call.groups;
    else if (!t.group_ids.empty()) n.groups = t.group_ids;
    n.template_id = template_id;
    n.template_version = t.version;
    n.actor = actor;
    std::int64_t id = create_new_action(std::move(n));
    // The rule pool: nobody is assigned, the action is offered to the template's candidates.
    if (!call.assignee && t.assignee_rule == "pool") offer_new_action(id, actor, {t.pool_people, t.pool_groups, t.pool_roles});
    return id;
}

// create_action_from_template(template_id, record_id, title, description, assignee_id, due_at,
// due_on, priority, group_ids)
PG_ACTIONS_FUNCTION(pg_actions_create_action_from_template) {
    SpiScope spi;
    std::int64_t id = create_from_template(template_call_args(fcinfo));
    PG_RETURN_INT64(id);
}

// create_template(workspace_id, name, title, type, description, due_in, due_unit, priority,
// group_ids, assignee_rule, assignee_id, assignee_capacity)
PG_ACTIONS_FUNCTION(pg_actions_create_template) {
    std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
    std::optional<std::string> name = arg_text(fcinfo, 1);
    TemplateVersion t;
    t.workspace_id = workspace_id;
    t.title = arg_text(fcinfo, 2).value_or("");
    t.type = arg_text(fcinfo, 3).value_or("task");
    t.description = arg_text(fcinfo, 4);
    t.due_in = arg_opt_int32(fcinfo, 5);
    t.due_unit = arg_text(fcinfo, 6).value_or("calendar_days");
    t.priority = arg_text(fcinfo, 7).value_or("none");
    t.group_ids = arg_groups(fcinfo, 8).value_or(std::vector<std::int64_t>{});
    t.assignee_rule = arg_text(fcinfo, 9).value_or("none");
    t.assignee_id = arg_opt_int64(fcinfo, 10);
    t.assignee_capacity = arg_text(fcinfo, 11);
    refuse_if(core::check_template_name(name));
    check_definition(t);
    SpiScope spi;
    std::int64_t actor = require_actor();
    std::int64_t id = insert_template(t, *name, actor);
    PG_RETURN_INT64(id);
}

// update_template(template_id, name, title, type, description, due_in, due_unit, priority,
// group_ids, assignee_rule, assignee_id, assignee_capacity, clear_due): a new version.
PG_ACTIONS_FUNCTION(pg_actions_update_template) {
    std::int64_t template_id = arg_id(fcinfo, 0, "template_id");
    std::optional<std::string> name = arg_text(fcinfo, 1);
    if (name) refuse_if(core::check_template_name(name));
    SpiScope spi;
    std::int64_t actor = require_actor();
    TemplateVersion t = load_template(template_id, actor, true);
    refuse_if(core::check_template_live(template_id, t.retired, true));
    if (auto v = arg_text(fcinfo, 2)) t.title = *v;
    if (auto v = arg_text(fcinfo, 3)) t.type = *v;
    if (auto v = arg_text(fcinfo, 4)) t.description = v->empty() ? std::nullopt : v;
    if (auto v = arg_opt_int32(fcinfo, 5)) t.due_in = v;
    if (!PG_ARGISNULL(12) && PG_GETARG_BOOL(12)) {
        if (!PG_ARGISNULL(5))
            refuse({core::RefusalKind::invalid_value, "pass due_in or clear_due, not both", "",
                    "clear_due => true removes the due rule"});
        t.due_in = std::nullopt;
    }
    if (auto v = arg_text(fcinfo, 6)) t.due_unit = *v;
    if (auto v = arg_text(fcinfo, 7)) t.priority = *v;
    if (auto v = arg_groups(fcinfo, 8)) t.group_ids = *v;
    // The assignee rule changes as a whole: a rule given takes the person and capacity given
    // with it; a person alone means the rule person, a capacity alone the rule record_party.
    std::optional<std::string> rule = arg_text(fcinfo, 9);
    std::optional<std::int64_t> person = arg_opt_int64(fcinfo, 10);
    std::optional<std::string> capacity = arg_text(fcinfo, 11);
    if (rule || person || capacity) {
        t.assignee_rule = rule ? *rule : person ? "person" : "record_party";
        t.assignee_id = person;
        t.assignee_capacity = capacity;
        if (t.assignee_rule != "pool") {  // another rule drops the pool (actions.set_template_pool() sets one)
            t.pool_people.clear();
            t.pool_groups.clear();
            t.pool_roles.clear();
        }
    }
    check_definition(t);
    std::int32_t version = insert_version(t, name, actor);
    PG_RETURN_INT32(version);
}

// retire_template(template_id)
PG_ACTIONS_FUNCTION(pg_actions_retire_template) {
    std::int64_t template_id = arg_id(fcinfo, 0, "template_id");
    SpiScope spi;
    TemplateVersion t = load_template(template_id, require_actor(), true);
    retire(t);
    PG_RETURN_VOID();
}
