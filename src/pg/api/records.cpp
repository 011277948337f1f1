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

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace pg_actions::pg {

Record find_record(std::int64_t record_id, std::int64_t actor, bool share_lock) {
    if (!share_lock) {
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
        if (!seen.hit) refuse_not_found(core::Target::record, record_id);
        std::vector<std::int64_t> groups = seen.nulls[1] ? std::vector<std::int64_t>{} : int64_array(seen.values[1]);
        if (core::decide(core::Verb::view, record_facts(DatumGetInt64(seen.values[0]), record_id, groups, actor)))
            refuse_not_found(core::Target::record, record_id);
    }
    static Statement update_lock(
        "SELECT workspace_id, kind, title, archived, workflow_state, group_ids FROM actions.record "
        "WHERE record_id = $1 FOR NO KEY UPDATE",
        {INT8OID});
    static Statement share(
        "SELECT workspace_id, kind, title, archived, workflow_state, group_ids FROM actions.record "
        "WHERE record_id = $1 FOR SHARE",
        {INT8OID});
    Datum args[1] = {Int64GetDatum(record_id)};
    if ((share_lock ? share : update_lock).run(args, nullptr, 0) != 1) refuse_not_found(core::Target::record, record_id);
    bool null;
    Datum groups = get_datum(0, 6, &null);
    Record r{get_int64(0, 1), record_id, get_text(0, 2).value_or(""), get_text(0, 3).value_or(""),
             get_bool(0, 4), get_text(0, 5), null ? std::vector<std::int64_t>{} : int64_array(groups), {}};
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
PG_FUNCTION_INFO_V1(pg_actions_create_record);
Datum pg_actions_create_record(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
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
        static Statement known("SELECT 1 FROM actions.record_kind WHERE workspace_id = $1 AND kind = $2", {INT8OID, TEXTOID});
        Datum k[2] = {Int64GetDatum(workspace_id), text_datum(kind)};
        if (known.run(k, nullptr, 1) != 1)
            refuse({core::RefusalKind::invalid_value, "unknown record kind \"" + kind + "\"",
                    "the workspace has the kinds decision, delegation, document, matrix, generic and its custom kinds",
                    "add it with actions.create_record_kind(), or use a built-in kind"});
        std::optional<std::string> state = core::initial_record_state(kind);
        static Statement insert(
            "INSERT INTO actions.record (workspace_id, kind, title, group_ids, owner_id, workflow_state) "
            "VALUES ($1, $2, $3, $4, $5, $6) RETURNING record_id",
            {INT8OID, TEXTOID, TEXTOID, INT8ARRAYOID, INT8OID, TEXTOID});
        Datum v[6] = {Int64GetDatum(workspace_id), text_datum(kind), text_datum(*title), int64_array_datum(groups),
                      Int64GetDatum(actor), state ? text_datum(*state) : 0};
        char nulls[6] = {' ', ' ', ' ', ' ', ' ', state ? ' ' : 'n'};
        insert.run(v, nulls, 0);
        std::int64_t id = get_int64(0, 1);
        static Statement owner(
            "INSERT INTO actions.record_party (workspace_id, record_id, capacity, person_id) VALUES ($1, $2, 'owner', $3)",
            {INT8OID, INT8OID, INT8OID});
        Datum o[3] = {Int64GetDatum(workspace_id), Int64GetDatum(id), Int64GetDatum(actor)};
        owner.run(o, nullptr, 0);
        PG_RETURN_INT64(id);
    });
}

PG_FUNCTION_INFO_V1(pg_actions_archive_record);
Datum pg_actions_archive_record(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        std::int64_t record_id = arg_id(fcinfo, 0, "record_id");
        SpiScope spi;
        Record r = find_record(record_id, require_actor());
        refuse_if(core::refusal_for(core::Verb::archive_record, r.facts, core::Target::record, record_id));
        if (r.archived)
            refuse({core::RefusalKind::wrong_state, "record " + std::to_string(record_id) + " is already archived",
                    "", "nothing to do: its actions stay active and visible"});
        static Statement update(
            "UPDATE actions.record SET archived = true, archived_at = now() WHERE workspace_id = $1 AND record_id = $2",
            {INT8OID, INT8OID});
        Datum v[2] = {Int64GetDatum(r.workspace_id), Int64GetDatum(record_id)};
        update.run(v, nullptr, 0);
        PG_RETURN_VOID();
    });
}

// create_record_kind(workspace_id, kind) / delete_record_kind(workspace_id, kind)
PG_FUNCTION_INFO_V1(pg_actions_create_record_kind);
Datum pg_actions_create_record_kind(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
        std::string kind = arg_required_text(fcinfo, 1, "kind", "'policy'");
        refuse_if(core::check_custom_kind(kind));
        SpiScope spi;
        require_workspace_manager(workspace_id);
        static Statement insert(
            "INSERT INTO actions.record_kind (workspace_id, kind) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            {INT8OID, TEXTOID});
        Datum v[2] = {Int64GetDatum(workspace_id), text_datum(kind)};
        if (insert.run(v, nullptr, 0) != 1)
            throw PgError(ERRCODE_UNIQUE_VIOLATION, "record kind \"" + kind + "\" already exists", "",
                          "use it, or choose another name");
        PG_RETURN_VOID();
    });
}

PG_FUNCTION_INFO_V1(pg_actions_delete_record_kind);
Datum pg_actions_delete_record_kind(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
        std::string kind = arg_required_text(fcinfo, 1, "kind", "'policy'");
        if (core::is_system_record_kind(kind))
            refuse({core::RefusalKind::invalid_value, "record kind \"" + kind + "\" is built in",
                    "the five built-in kinds exist in every workspace", "delete a custom kind"});
        SpiScope spi;
        require_workspace_manager(workspace_id);
        static Statement used("SELECT EXISTS (SELECT 1 FROM actions.record WHERE workspace_id = $1 AND kind = $2)",
                              {INT8OID, TEXTOID});
        Datum v[2] = {Int64GetDatum(workspace_id), text_datum(kind)};
        used.run(v, nullptr, 0);
        if (get_bool(0, 1))
            refuse({core::RefusalKind::wrong_state, "record kind \"" + kind + "\" is in use",
                    "records of this kind exist", "archive or re-kind those records first"});
        static Statement del("DELETE FROM actions.record_kind WHERE workspace_id = $1 AND kind = $2 AND NOT is_system",
                             {INT8OID, TEXTOID});
        if (del.run(v, nullptr, 0) != 1)
            refuse({core::RefusalKind::not_found, "record kind \"" + kind + "\" not found", "",
                    "list the kinds in actions.record_kind"});
        PG_RETURN_VOID();
    });
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
    Datum v[4] = {Int64GetDatum(r.workspace_id), Int64GetDatum(record_id), text_datum(capacity_text), 0};
    bool person = !PG_ARGISNULL(2);
    v[3] = person ? PG_GETARG_DATUM(2) : PG_GETARG_DATUM(3);
    if (adding) {
        require_open(r);
        if (person) {
            check_member_state(r.workspace_id, PG_GETARG_INT64(2), membership(r.workspace_id, PG_GETARG_INT64(2), false).state,
                               "parties of a record are members of its workspace");
        } else {
            group_paths(r.workspace_id, {PG_GETARG_INT64(3)});  // P0002 for a group of another workspace
        }
        static Statement add_person(
            "INSERT INTO actions.record_party (workspace_id, record_id, capacity, person_id) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT DO NOTHING",
            {INT8OID, INT8OID, TEXTOID, INT8OID});
        static Statement add_group(
            "INSERT INTO actions.record_party (workspace_id, record_id, capacity, group_id) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT DO NOTHING",
            {INT8OID, INT8OID, TEXTOID, INT8OID});
        bool added = (person ? add_person : add_group).run(v, nullptr, 0) == 1;
        // A decision's consulted or informed party confirms the role.
        if (added && person && (*capacity == core::Capacity::consulted || *capacity == core::Capacity::informed))
            start_workflows(r, core::RecordEvent::decision_role_added, actor, {PG_GETARG_INT64(2)});
    } else {
        static Statement del_person(
            "DELETE FROM actions.record_party WHERE workspace_id = $1 AND record_id = $2 AND capacity = $3 AND person_id = $4",
            {INT8OID, INT8OID, TEXTOID, INT8OID});
        static Statement del_group(
            "DELETE FROM actions.record_party WHERE workspace_id = $1 AND record_id = $2 AND capacity = $3 AND group_id = $4",
            {INT8OID, INT8OID, TEXTOID, INT8OID});
        (person ? del_person : del_group).run(v, nullptr, 0);
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
PG_FUNCTION_INFO_V1(pg_actions_update_record);
Datum pg_actions_update_record(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        std::int64_t record_id = arg_id(fcinfo, 0, "record_id");
        std::optional<std::string> title = arg_text(fcinfo, 1);
        refuse_if(core::check_title(title));
        SpiScope spi;
        std::int64_t actor = require_actor();
        Record r = record_to_edit(record_id, actor);
        require_open(r);
        static Statement update("UPDATE actions.record SET title = $3 WHERE workspace_id = $1 AND record_id = $2",
                                {INT8OID, INT8OID, TEXTOID});
        Datum v[3] = {Int64GetDatum(r.workspace_id), Int64GetDatum(record_id), text_datum(*title)};
        update.run(v, nullptr, 0);
        r.title = *title;
        change_record(r, core::RecordChange::edit, actor);
        PG_RETURN_VOID();
    });
}

// initial_record_state(kind): what actions.track_row() gives a record it creates, from the core.
PG_FUNCTION_INFO_V1(pg_actions_initial_record_state);
Datum pg_actions_initial_record_state(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        std::optional<std::string> state = core::initial_record_state(arg_required_text(fcinfo, 0, "kind", "'document'"));
        if (!state) PG_RETURN_NULL();
        return text_datum(*state);
    });
}

}  // extern "C"
