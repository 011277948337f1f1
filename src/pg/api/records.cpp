// Records: creating and archiving them, record kinds, parties with capacities, and editing a
// record (which may start workflows: api/workflows.cpp). What each capacity unlocks is the core's
// (core/record_rules.cpp); this file reads the facts, asks, and writes.
#include "pg/boundary/postgres.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/catalog.hpp"
#include "core/eligibility.hpp"
#include "core/input.hpp"
#include "core/record_rules.hpp"
#include "core/workflow.hpp"
#include "pg/api/record.hpp"
#include "pg/authz/approver_facts.hpp"
#include "pg/authz/facts.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/identity/actor.hpp"
#include "pg/store/notify.hpp"
#include "pg/store/record_store.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace pg_actions::pg {

Record find_record(std::int64_t record_id, std::int64_t actor, bool share_lock) {
    if (!share_lock) {
        std::optional<store::RecordSeen> seen = store::record_seen(record_id);
        if (!seen) refuse_not_found(core::Target::record, record_id);
        if (core::decide(core::Verb::view, record_facts(seen->workspace_id, record_id, seen->group_ids, actor)))
            refuse_not_found(core::Target::record, record_id);
    }
    std::optional<store::RecordRow> row = store::lock_record(record_id, share_lock);
    if (!row) refuse_not_found(core::Target::record, record_id);
    Record r{row->workspace_id, record_id, std::move(row->kind), std::move(row->title), row->archived,
             std::move(row->workflow_state), std::move(row->group_ids), {}};
    r.facts = record_facts(r.workspace_id, record_id, r.group_ids, actor);
    if (!r.facts.is_member) refuse_not_found(core::Target::record, record_id);
    return r;
}

Record record_to_edit(std::int64_t record_id, std::int64_t actor) {
    Record r = find_record(record_id, actor);
    refuse_if(core::refusal_for(core::Verb::edit_record, r.facts, core::Target::record, record_id));
    return r;
}

void require_kind(const Record& r, std::string_view kind, const char* what) {
    if (r.kind != kind)
        refuse({core::RefusalKind::invalid_value,
                "record " + std::to_string(r.record_id) + " is a " + r.kind + ", not a " + std::string(kind),
                std::string(what) + " applies to " + std::string(kind) + " records", "pass the id of a " + std::string(kind)});
}

void require_open(const Record& r) {
    if (r.archived)
        refuse({core::RefusalKind::wrong_state, "record " + std::to_string(r.record_id) + " is archived",
                "an archived record takes no new parties, workflows or actions", "work on an active record"});
}


}  // namespace pg_actions::pg

extern "C" {

// create_record(workspace_id, title, kind, group_ids): the creator becomes its owner party.
PG_ACTIONS_FUNCTION(pg_actions_create_record) {
    std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
    std::optional<std::string> title = arg_text(fcinfo, 1);
    refuse_if(core::check_title(title));
    std::string kind = arg_text(fcinfo, 2).value_or("generic");
    std::vector<std::int64_t> groups = arg_groups(fcinfo, 3).value_or(std::vector<std::int64_t>{});
    SpiScope spi;
    std::int64_t actor = require_actor();
    ActorFacts w = actor_facts(workspace_id, actor);
    scope_targets(workspace_id, actor, groups, w.facts);
    refuse_if(core::decide(core::Verb::create_record, w.facts));
    if (!store::record_kind_exists(workspace_id, kind))
        refuse({core::RefusalKind::invalid_value, "unknown record kind \"" + kind + "\"",
                "the workspace has the kinds decision, delegation, document, matrix, generic and its custom kinds",
                "add it with actions.create_record_kind(), or use a built-in kind"});
    std::optional<std::string> state = core::initial_record_state(kind);
    std::int64_t id = store::insert_record(workspace_id, kind, *title, groups, actor, state);
    store::insert_record_owner(workspace_id, id, actor);
    PG_RETURN_INT64(id);
}

PG_ACTIONS_FUNCTION(pg_actions_archive_record) {
    std::int64_t record_id = arg_id(fcinfo, 0, "record_id");
    SpiScope spi;
    Record r = find_record(record_id, require_actor());
    refuse_if(core::refusal_for(core::Verb::archive_record, r.facts, core::Target::record, record_id));
    if (r.archived)
        refuse({core::RefusalKind::wrong_state, "record " + std::to_string(record_id) + " is already archived",
                "", "nothing to do: its actions stay active and visible"});
    store::archive_record(r.workspace_id, record_id);
    PG_RETURN_VOID();
}

// create_record_kind(workspace_id, kind) / delete_record_kind(workspace_id, kind)
PG_ACTIONS_FUNCTION(pg_actions_create_record_kind) {
    std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
    std::string kind = arg_required_text(fcinfo, 1, "kind", "'policy'");
    refuse_if(core::check_custom_kind(kind));
    SpiScope spi;
    require_workspace_manager(workspace_id);
    if (!store::insert_record_kind(workspace_id, kind))
        throw PgError(ERRCODE_UNIQUE_VIOLATION, "record kind \"" + kind + "\" already exists", "",
                      "use it, or choose another name");
    PG_RETURN_VOID();
}

PG_ACTIONS_FUNCTION(pg_actions_delete_record_kind) {
    std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
    std::string kind = arg_required_text(fcinfo, 1, "kind", "'policy'");
    if (core::is_system_record_kind(kind))
        refuse({core::RefusalKind::invalid_value, "record kind \"" + kind + "\" is built in",
                "the five built-in kinds exist in every workspace", "delete a custom kind"});
    SpiScope spi;
    require_workspace_manager(workspace_id);
    if (store::record_kind_in_use(workspace_id, kind))
        refuse({core::RefusalKind::wrong_state, "record kind \"" + kind + "\" is in use",
                "records of this kind exist", "archive or re-kind those records first"});
    if (!store::delete_custom_record_kind(workspace_id, kind))
        refuse({core::RefusalKind::not_found, "record kind \"" + kind + "\" not found", "",
                "list the kinds in actions.record_kind"});
    PG_RETURN_VOID();
}

// add_party(record_id, capacity, person_id, group_id) / remove_party(...)
static Datum change_party(FunctionCallInfo fcinfo, bool adding) {
    std::int64_t record_id = arg_id(fcinfo, 0, "record_id");
    std::string capacity_text = arg_required_text(fcinfo, 1, "capacity", "'approver'");
    std::optional<core::Capacity> capacity = core::parse_capacity(capacity_text);
    if (!capacity)
        refuse({core::RefusalKind::invalid_value, "unknown capacity \"" + capacity_text + "\"", "",
                "use " + core::listed(core::capacity_names())});
    if (PG_ARGISNULL(2) == PG_ARGISNULL(3))
        refuse({core::RefusalKind::invalid_value, "pass either person_id or group_id", "a party is a person or a group", ""});
    if (!PG_ARGISNULL(3) && *capacity != core::Capacity::shared)
        refuse({core::RefusalKind::invalid_value, "only a shared party may be a group",
                "owner, issuer, recipient, approver, reviewer, responsible, consulted and informed are people",
                "pass person_id, or use the capacity shared"});
    SpiScope spi;
    std::int64_t actor = require_actor();
    Record r = record_to_edit(record_id, actor);
    refuse_if(core::check_capacity(*capacity, r.kind));
    bool person = !PG_ARGISNULL(2);
    std::int64_t party_id = person ? PG_GETARG_INT64(2) : PG_GETARG_INT64(3);
    if (adding) {
        require_open(r);
        if (person) {
            check_member_state(r.workspace_id, PG_GETARG_INT64(2), membership(r.workspace_id, PG_GETARG_INT64(2), false).state,
                               "parties of a record are members of its workspace");
        } else {
            group_paths(r.workspace_id, {PG_GETARG_INT64(3)});  // P0002 for a group of another workspace
        }
        bool added = store::add_record_party(r.workspace_id, record_id, capacity_text, party_id, !person);
        // A decision's consulted or informed party confirms the role.
        if (added && person && (*capacity == core::Capacity::consulted || *capacity == core::Capacity::informed))
            start_workflows(r, core::RecordEvent::decision_role_added, actor, {PG_GETARG_INT64(2)});
    } else {
        store::remove_record_party(r.workspace_id, record_id, capacity_text, party_id, !person);
    }
    PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(pg_actions_add_party);
Datum pg_actions_add_party(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&] { return change_party(fcinfo, true); });
}

PG_FUNCTION_INFO_V1(pg_actions_remove_party);
Datum pg_actions_remove_party(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&] { return change_party(fcinfo, false); });
}

// update_record(record_id, title): a change to an approved delegation needs approval again.
PG_ACTIONS_FUNCTION(pg_actions_update_record) {
    std::int64_t record_id = arg_id(fcinfo, 0, "record_id");
    std::optional<std::string> title = arg_text(fcinfo, 1);
    refuse_if(core::check_title(title));
    SpiScope spi;
    std::int64_t actor = require_actor();
    Record r = record_to_edit(record_id, actor);
    require_open(r);
    store::set_record_title(r.workspace_id, record_id, *title);
    r.title = *title;
    change_record(r, core::RecordChange::edit, actor);
    PG_RETURN_VOID();
}

// initial_record_state(kind): what actions.track_row() gives a record it creates, from the core.
PG_ACTIONS_FUNCTION(pg_actions_initial_record_state) {
    std::optional<std::string> state = core::initial_record_state(arg_required_text(fcinfo, 0, "kind", "'document'"));
    if (!state) PG_RETURN_NULL();
    return text_datum(*state);
}

}  // extern "C"
