// Records and their workflows: kinds, parties with capacities, and the system-generated actions
// (delegation request, approval, acceptance, decision role acknowledgement, document approval and
// review) with their outcomes. Which actions an event creates and what an outcome means are the
// core's (core/workflow.cpp, core/record_rules.cpp, core/eligibility.cpp); this file reads the
// facts, asks, and writes.
#include "postgres.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "../core/eligibility.hpp"
#include "../core/input.hpp"
#include "../core/record_rules.hpp"
#include "../core/workflow.hpp"
#include "actor.hpp"
#include "eligibility.hpp"
#include "facts.hpp"
#include "notify.hpp"
#include "spi.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

struct Record {
    std::int64_t workspace_id;
    std::int64_t record_id;
    std::string kind;
    std::string title;
    bool archived;
    std::optional<std::string> state;
    std::vector<std::int64_t> group_ids;
    core::Facts facts;  // the actor's, with their capacities on the record
};


// The record, locked (FOR NO KEY UPDATE: a concurrent approval holding it FOR SHARE waits), and
// the actor's facts about it; a record the actor may not see is not found. A record verb decides
// visibility on the record as committed now before it waits for the lock, so a hidden record
// another transaction holds reveals nothing; share_lock (the record of an action the actor was
// already authorized on) skips that.
Record find_record(std::int64_t record_id, std::int64_t actor, bool share_lock = false) {
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
        if (!seen.hit) not_found("record", record_id, record_hint);
        std::vector<std::int64_t> groups = seen.nulls[1] ? std::vector<std::int64_t>{} : int64_array(seen.values[1]);
        if (core::decide(core::Verb::view, record_facts(DatumGetInt64(seen.values[0]), record_id, groups, actor)))
            not_found("record", record_id, record_hint);
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
    if ((share_lock ? share : update_lock).run(args, nullptr, 0) != 1) not_found("record", record_id, record_hint);
    bool null;
    Datum groups = get_datum(0, 6, &null);
    Record r{get_int64(0, 1), record_id, get_text(0, 2).value_or(""), get_text(0, 3).value_or(""),
             get_bool(0, 4), get_text(0, 5), null ? std::vector<std::int64_t>{} : int64_array(groups), {}};
    r.facts = record_facts(r.workspace_id, record_id, r.group_ids, actor);
    if (!r.facts.is_member) not_found("record", record_id, record_hint);
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

void set_state(const Record& r, const std::optional<std::string>& state) {
    static Statement update("UPDATE actions.record SET workflow_state = $3 WHERE workspace_id = $1 AND record_id = $2",
                            {INT8OID, INT8OID, TEXTOID});
    Datum v[3] = {Int64GetDatum(r.workspace_id), Int64GetDatum(r.record_id), state ? text_datum(*state) : 0};
    char nulls[3] = {' ', ' ', state ? ' ' : 'n'};
    update.run(v, nulls, 0);
}

struct Setting {
    bool enabled = false;
    std::optional<int> due_days;
};

Setting workflow_setting(std::int64_t workspace_id, core::Workflow w) {
    static Statement q("SELECT enabled, due_days FROM actions.workflow_setting WHERE workspace_id = $1 AND workflow = $2",
                       {INT8OID, TEXTOID});
    Datum args[2] = {Int64GetDatum(workspace_id), text_datum(std::string(core::workflow_name(w)))};
    Setting s;
    if (q.run(args, nullptr, 1) == 1) {
        s.enabled = get_bool(0, 1);
        if (!is_null(0, 2)) s.due_days = get_int32(0, 2);
    }
    if (!s.due_days) s.due_days = core::default_due_days(w);
    return s;
}

// People behind the parties of these capacities: person parties, and the members of shared
// groups (and of the groups below them). Sorted, without repeats.
std::vector<std::int64_t> holders(const Record& r, const std::vector<core::Capacity>& capacities) {
    std::vector<std::int64_t> people;
    for (const Party& p : record_parties(r.workspace_id, r.record_id)) {
        if (std::find(capacities.begin(), capacities.end(), p.capacity) == capacities.end()) continue;
        if (p.person_id) {
            people.push_back(*p.person_id);
        } else if (p.group_id) {
            static Statement q(
                "SELECT DISTINCT gm.person_id FROM actions.group g JOIN actions.group_member gm "
                "ON gm.workspace_id = g.workspace_id AND gm.group_id = g.group_id "
                "WHERE g.workspace_id = $1 AND g.path @> ARRAY[$2::bigint]",
                {INT8OID, INT8OID});
            Datum args[2] = {Int64GetDatum(r.workspace_id), Int64GetDatum(*p.group_id)};
            std::uint64_t n = q.run(args, nullptr, 0);
            for (std::uint64_t i = 0; i < n; i++) people.push_back(get_int64(i, 1));
        }
    }
    std::sort(people.begin(), people.end());
    people.erase(std::unique(people.begin(), people.end()), people.end());
    return people;
}

std::string action_title(core::Workflow w, const Record& r) {
    switch (w) {
    case core::Workflow::delegation_request: return "Delegation request: " + r.title;
    case core::Workflow::delegation_approval: return "Approve delegation: " + r.title;
    case core::Workflow::delegation_acceptance: return "Accept or decline delegation: " + r.title;
    case core::Workflow::role_acknowledgement: return "Acknowledge your role on decision: " + r.title;
    case core::Workflow::document_approval: return "Approve document: " + r.title;
    case core::Workflow::document_review: return "Review document: " + r.title;
    }
    return r.title;
}

// One workflow action, linked to the record and in its groups; the triggers log it and notify
// its assignee.
std::int64_t create_workflow_action(const Record& r, core::Workflow w, const Setting& s, std::int64_t owner,
                                    std::optional<std::int64_t> assignee,
                                    const std::optional<std::string>& description = std::nullopt) {
    static Statement insert(
        "INSERT INTO actions.action (workspace_id, title, description, type, owner_id, assignee_id, due_at, "
        "record_id, group_ids, workflow) "
        "VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7::integer IS NULL THEN NULL "
        "        ELSE pg_catalog.now() + pg_catalog.make_interval(days => $7) END, $8, $9, $10) "
        "RETURNING action_id",
        {INT8OID, TEXTOID, TEXTOID, TEXTOID, INT8OID, INT8OID, INT4OID, INT8OID, INT8ARRAYOID, TEXTOID});
    std::string title = action_title(w, r);
    if (core::utf8_length(title) > 500) title = title.substr(0, 480) + "...";
    Datum v[10] = {Int64GetDatum(r.workspace_id), text_datum(title), description ? text_datum(*description) : 0,
                   text_datum(std::string(core::action_type(w))), Int64GetDatum(owner),
                   assignee ? Int64GetDatum(*assignee) : 0, s.due_days ? Int32GetDatum(*s.due_days) : 0,
                   Int64GetDatum(r.record_id), int64_array_datum(r.group_ids),
                   text_datum(std::string(core::workflow_name(w)))};
    char nulls[10] = {' ', ' ', description ? ' ' : 'n', ' ', ' ', assignee ? ' ' : 'n', s.due_days ? ' ' : 'n',
                      ' ', ' ', ' '};
    insert.run(v, nulls, 0);
    return get_int64(0, 1);
}

// Starts the workflows an event on the record starts (those switched on); returns how many
// actions were created. The approval pool is every eligible approver at this moment.
int start(const Record& r, core::RecordEvent event, std::int64_t actor, const std::vector<std::int64_t>& only = {}) {
    int created = 0;
    for (core::Workflow w : core::workflows_for(event)) {
        Setting s = workflow_setting(r.workspace_id, w);
        if (!s.enabled) continue;
        core::Recipients who;
        refuse_if(core::recipients(w, r.kind, std::nullopt, who));
        if (who.pool) {
            std::int64_t action = create_workflow_action(r, w, s, actor, std::nullopt);
            std::vector<std::int64_t> pool = eligible_approvers(load_delegation(r.record_id));
            static Statement add(
                "INSERT INTO actions.action_candidate (workspace_id, action_id, person_id) VALUES ($1, $2, $3)",
                {INT8OID, INT8OID, INT8OID});
            for (std::int64_t person : pool) {
                Datum v[3] = {Int64GetDatum(r.workspace_id), Int64GetDatum(action), Int64GetDatum(person)};
                add.run(v, nullptr, 0);
                if (person != actor) notify("assigned", r.workspace_id, person, action);
            }
            if (pool.empty())
                guard([] {
                    ereport(NOTICE, (errmsg("no eligible approver for this delegation yet"),
                                     errhint("grant approve_delegations to a role, or add an approver to one of "
                                             "the delegation's groups; eligibility is checked when someone approves")));
                });
            created++;
            continue;
        }
        std::vector<std::int64_t> people = only.empty() ? holders(r, who.capacities) : only;
        for (std::int64_t person : people) {
            create_workflow_action(r, w, s, actor, person);
            created++;
        }
    }
    return created;
}

// Locks what an approver's eligibility depends on, so a concurrent role change, group change or
// issuer change either waits for the approval or is seen by it (read committed re-reads).
void lock_eligibility(const Delegation& d, std::int64_t person) {
    static Statement member(
        "SELECT 1 FROM actions.member m JOIN actions.role r ON r.workspace_id = m.workspace_id AND r.role_id = m.role_id "
        "WHERE m.workspace_id = $1 AND m.person_id = $2 FOR SHARE OF m, r",
        {INT8OID, INT8OID});
    static Statement groups(
        "SELECT 1 FROM actions.group_member gm JOIN actions.group g ON g.workspace_id = gm.workspace_id "
        "AND g.group_id = gm.group_id WHERE gm.workspace_id = $1 AND gm.person_id = $2 FOR SHARE OF gm, g",
        {INT8OID, INT8OID});
    static Statement delegation_groups(
        "SELECT 1 FROM actions.group WHERE workspace_id = $1 AND group_id = ANY ($2) FOR SHARE", {INT8OID, INT8ARRAYOID});
    Datum v[2] = {Int64GetDatum(d.workspace_id), Int64GetDatum(person)};
    member.run(v, nullptr, 0);
    groups.run(v, nullptr, 0);
    Datum g[2] = {Int64GetDatum(d.workspace_id), int64_array_datum(d.group_ids)};
    delegation_groups.run(g, nullptr, 0);
}

std::int64_t arg_person(FunctionCallInfo fcinfo, int n) { return arg_id(fcinfo, n, "person_id"); }

}  // namespace

extern "C" {

// create_record(workspace_id, title, kind, group_ids): the creator becomes its owner party.
PG_FUNCTION_INFO_V1(pg_actions_create_record);
Datum pg_actions_create_record(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
        std::optional<std::string> title = arg_text(fcinfo, 1);
        refuse_if(core::check_title(title));
        std::string kind = arg_text(fcinfo, 2).value_or("generic");
        std::vector<std::int64_t> groups = arg_groups(fcinfo, 3).value_or(std::vector<std::int64_t>{});
        spi_connect();
        std::int64_t actor = require_actor();
        Workspace w = load_workspace(workspace_id, actor);
        scope_targets(workspace_id, actor, groups, w.facts);
        refuse_if(core::decide(core::Verb::create_record, w.facts));
        static Statement known("SELECT 1 FROM actions.record_kind WHERE workspace_id = $1 AND kind = $2", {INT8OID, TEXTOID});
        Datum k[2] = {Int64GetDatum(workspace_id), text_datum(kind)};
        if (known.run(k, nullptr, 1) != 1)
            refuse({core::RefusalKind::invalid_value, "unknown record kind \"" + kind + "\"",
                    "the workspace has the kinds decision, delegation, document, matrix, generic and its custom kinds",
                    "add it with actions.create_record_kind(), or use a built-in kind"});
        std::optional<std::string> state;
        if (kind == "delegation" || kind == "document") state = "draft";
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
        spi_finish();
        PG_RETURN_INT64(id);
    });
}

PG_FUNCTION_INFO_V1(pg_actions_archive_record);
Datum pg_actions_archive_record(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        std::int64_t record_id = arg_id(fcinfo, 0, "record_id");
        spi_connect();
        Record r = find_record(record_id, require_actor());
        refuse_if(permission_refusal(core::Verb::archive_record, r.facts, "record", record_id));
        if (r.archived)
            refuse({core::RefusalKind::wrong_state, "record " + std::to_string(record_id) + " is already archived",
                    "", "nothing to do: its actions stay active and visible"});
        static Statement update(
            "UPDATE actions.record SET archived = true, archived_at = now() WHERE workspace_id = $1 AND record_id = $2",
            {INT8OID, INT8OID});
        Datum v[2] = {Int64GetDatum(r.workspace_id), Int64GetDatum(record_id)};
        update.run(v, nullptr, 0);
        spi_finish();
        PG_RETURN_VOID();
    });
}

// create_record_kind(workspace_id, kind) / delete_record_kind(workspace_id, kind)
PG_FUNCTION_INFO_V1(pg_actions_create_record_kind);
Datum pg_actions_create_record_kind(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
        std::string kind = arg_required_text(fcinfo, 1, "kind", "'policy'");
        refuse_if(core::check_custom_kind(kind));
        spi_connect();
        Workspace w = load_workspace(workspace_id, require_actor());
        refuse_if(core::decide(core::Verb::manage_workspace, w.facts));
        static Statement insert(
            "INSERT INTO actions.record_kind (workspace_id, kind) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            {INT8OID, TEXTOID});
        Datum v[2] = {Int64GetDatum(workspace_id), text_datum(kind)};
        if (insert.run(v, nullptr, 0) != 1)
            throw PgError(ERRCODE_UNIQUE_VIOLATION, "record kind \"" + kind + "\" already exists", "",
                          "use it, or choose another name");
        spi_finish();
        PG_RETURN_VOID();
    });
}

PG_FUNCTION_INFO_V1(pg_actions_delete_record_kind);
Datum pg_actions_delete_record_kind(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
        std::string kind = arg_required_text(fcinfo, 1, "kind", "'policy'");
        if (core::is_system_record_kind(kind))
            refuse({core::RefusalKind::invalid_value, "record kind \"" + kind + "\" is built in",
                    "the five built-in kinds exist in every workspace", "delete a custom kind"});
        spi_connect();
        Workspace w = load_workspace(workspace_id, require_actor());
        refuse_if(core::decide(core::Verb::manage_workspace, w.facts));
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
        spi_finish();
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
                "use owner, issuer, recipient, approver, reviewer, responsible, shared, consulted or informed"});
    if (PG_ARGISNULL(2) == PG_ARGISNULL(3))
        refuse({core::RefusalKind::invalid_value, "pass either person_id or group_id", "a party is a person or a group", ""});
    if (!PG_ARGISNULL(3) && *capacity != core::Capacity::shared)
        refuse({core::RefusalKind::invalid_value, "only a shared party may be a group",
                "owner, issuer, recipient, approver, reviewer, responsible, consulted and informed are people",
                "pass person_id, or use the capacity shared"});
    spi_connect();
    std::int64_t actor = require_actor();
    Record r = find_record(record_id, actor);
    refuse_if(permission_refusal(core::Verb::edit_record, r.facts, "record", record_id));
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
            start(r, core::RecordEvent::decision_role_added, actor, {PG_GETARG_INT64(2)});
    } else {
        static Statement del_person(
            "DELETE FROM actions.record_party WHERE workspace_id = $1 AND record_id = $2 AND capacity = $3 AND person_id = $4",
            {INT8OID, INT8OID, TEXTOID, INT8OID});
        static Statement del_group(
            "DELETE FROM actions.record_party WHERE workspace_id = $1 AND record_id = $2 AND capacity = $3 AND group_id = $4",
            {INT8OID, INT8OID, TEXTOID, INT8OID});
        (person ? del_person : del_group).run(v, nullptr, 0);
    }
    spi_finish();
    PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(pg_actions_add_party);
Datum pg_actions_add_party(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) { return change_party(fcinfo, true); });
}

PG_FUNCTION_INFO_V1(pg_actions_remove_party);
Datum pg_actions_remove_party(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) { return change_party(fcinfo, false); });
}

// update_record(record_id, title): a change to an approved delegation needs approval again.
PG_FUNCTION_INFO_V1(pg_actions_update_record);
Datum pg_actions_update_record(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        std::int64_t record_id = arg_id(fcinfo, 0, "record_id");
        std::optional<std::string> title = arg_text(fcinfo, 1);
        refuse_if(core::check_title(title));
        spi_connect();
        std::int64_t actor = require_actor();
        Record r = find_record(record_id, actor);
        refuse_if(permission_refusal(core::Verb::edit_record, r.facts, "record", record_id));
        require_open(r);
        static Statement update("UPDATE actions.record SET title = $3 WHERE workspace_id = $1 AND record_id = $2",
                                {INT8OID, INT8OID, TEXTOID});
        Datum v[3] = {Int64GetDatum(r.workspace_id), Int64GetDatum(record_id), text_datum(*title)};
        update.run(v, nullptr, 0);
        r.title = *title;
        if (r.kind == "delegation" && r.state && (*r.state == "approved" || *r.state == "accepted") &&
            workflow_setting(r.workspace_id, core::Workflow::delegation_approval).enabled) {
            set_state(r, std::string("pending_approval"));
            start(r, core::RecordEvent::delegation_submitted, actor);
        }
        if (r.kind == "document" && r.state && *r.state != "draft" &&
            workflow_setting(r.workspace_id, core::Workflow::document_approval).enabled) {
            set_state(r, std::string("pending_approval"));
            start(r, core::RecordEvent::document_published, actor);
        }
        spi_finish();
        PG_RETURN_VOID();
    });
}

// submit_delegation(record_id): approval by the pool of eligible approvers, or, with approval
// switched off, approved at once (and on to acceptance).
PG_FUNCTION_INFO_V1(pg_actions_submit_delegation);
Datum pg_actions_submit_delegation(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        std::int64_t record_id = arg_id(fcinfo, 0, "record_id");
        spi_connect();
        std::int64_t actor = require_actor();
        Record r = find_record(record_id, actor);
        refuse_if(permission_refusal(core::Verb::edit_record, r.facts, "record", record_id));
        require_kind(r, "delegation", "submitting for approval");
        require_open(r);
        if (r.state && *r.state == "pending_approval")
            refuse({core::RefusalKind::wrong_state, "delegation " + std::to_string(record_id) + " is already waiting for approval",
                    "", "wait for an eligible approver, or cancel the open approval action first"});
        std::string state = "approved";
        if (workflow_setting(r.workspace_id, core::Workflow::delegation_approval).enabled) {
            state = "pending_approval";
            set_state(r, state);
            start(r, core::RecordEvent::delegation_submitted, actor);
        } else {
            set_state(r, state);
            start(r, core::RecordEvent::delegation_approved, actor);
        }
        spi_finish();
        return text_datum(state);
    });
}

// request_delegation(record_id, route, note): ask for authority from a decision or delegation.
PG_FUNCTION_INFO_V1(pg_actions_request_delegation);
Datum pg_actions_request_delegation(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        std::int64_t record_id = arg_id(fcinfo, 0, "record_id");
        std::optional<core::Route> route;
        if (!PG_ARGISNULL(1)) {
            std::string text = text_of(PG_GETARG_DATUM(1));
            route = core::parse_route(text);
            if (!route)
                refuse({core::RefusalKind::invalid_value, "unknown route \"" + text + "\"", "",
                        "pass 'owner' for a decision, or 'issuer', 'recipient' or 'both' for a delegation"});
        }
        std::optional<std::string> note = arg_text(fcinfo, 2);
        refuse_if(core::check_description(note));
        spi_connect();
        std::int64_t actor = require_actor();
        Record r = find_record(record_id, actor);
        require_open(r);
        core::Recipients who;
        refuse_if(core::recipients(core::Workflow::delegation_request, r.kind, route, who));
        Setting s = workflow_setting(r.workspace_id, core::Workflow::delegation_request);
        if (!s.enabled)
            refuse({core::RefusalKind::wrong_state, "delegation requests are switched off in workspace " + std::to_string(r.workspace_id),
                    "", "ask a workspace owner to switch them on with actions.set_workflow()"});
        std::vector<std::int64_t> people = holders(r, who.capacities);
        if (people.empty() && r.kind == "decision") {  // no owner party: the decision's creator
            static Statement creator("SELECT owner_id FROM actions.record WHERE workspace_id = $1 AND record_id = $2",
                                     {INT8OID, INT8OID});
            Datum v[2] = {Int64GetDatum(r.workspace_id), Int64GetDatum(record_id)};
            creator.run(v, nullptr, 1);
            if (auto id = get_opt_int64(0, 1)) people.push_back(*id);
        }
        if (people.empty())
            refuse({core::RefusalKind::wrong_state, "record " + std::to_string(record_id) + " has nobody to receive the request",
                    "the request goes to the record's " + std::string(r.kind == "decision" ? "owner" : "issuer or recipient"),
                    "add that party with actions.add_party() first"});
        std::int64_t first = 0;
        for (std::int64_t person : people) {
            std::int64_t id = create_workflow_action(r, core::Workflow::delegation_request, s, actor, person, note);
            if (!first) first = id;
        }
        spi_finish();
        PG_RETURN_INT64(first);
    });
}

// publish_document(record_id): approval actions for the approvers; reviews start being due.
PG_FUNCTION_INFO_V1(pg_actions_publish_document);
Datum pg_actions_publish_document(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        std::int64_t record_id = arg_id(fcinfo, 0, "record_id");
        spi_connect();
        std::int64_t actor = require_actor();
        Record r = find_record(record_id, actor);
        refuse_if(permission_refusal(core::Verb::edit_record, r.facts, "record", record_id));
        require_kind(r, "document", "publishing");
        require_open(r);
        bool approval = workflow_setting(r.workspace_id, core::Workflow::document_approval).enabled;
        // The first review is due at publication when reviews are on and none is scheduled yet.
        static Statement publish(
            "UPDATE actions.record SET published_at = now(), workflow_state = $3, "
            "  next_review_at = CASE WHEN next_review_at IS NULL AND $4 THEN now() ELSE next_review_at END "
            "WHERE workspace_id = $1 AND record_id = $2",
            {INT8OID, INT8OID, TEXTOID, BOOLOID});
        bool reviews = workflow_setting(r.workspace_id, core::Workflow::document_review).enabled;
        Datum v[4] = {Int64GetDatum(r.workspace_id), Int64GetDatum(record_id),
                      text_datum(approval ? "pending_approval" : "published"), BoolGetDatum(reviews)};
        publish.run(v, nullptr, 0);
        if (approval) start(r, core::RecordEvent::document_published, actor);
        spi_finish();
        PG_RETURN_VOID();
    });
}

// set_review_schedule(record_id, every): reviews every interval after the first.
PG_FUNCTION_INFO_V1(pg_actions_set_review_schedule);
Datum pg_actions_set_review_schedule(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        std::int64_t record_id = arg_id(fcinfo, 0, "record_id");
        if (!PG_ARGISNULL(1)) {
            bool positive = guard([&]() -> bool {
                Interval zero{};
                return DatumGetBool(DirectFunctionCall2(interval_gt, PG_GETARG_DATUM(1), PointerGetDatum(&zero)));
            });
            if (!positive)
                refuse({core::RefusalKind::invalid_value, "the review interval must be positive", "",
                        "pass e.g. interval '1 year', or NULL for the first review only"});
        }
        spi_connect();
        Record r = find_record(record_id, require_actor());
        refuse_if(permission_refusal(core::Verb::edit_record, r.facts, "record", record_id));
        require_kind(r, "document", "a review schedule");
        static Statement update(
            "UPDATE actions.record SET review_every = $3 WHERE workspace_id = $1 AND record_id = $2", {INT8OID, INT8OID, INTERVALOID});
        Datum v[3] = {Int64GetDatum(r.workspace_id), Int64GetDatum(record_id), PG_ARGISNULL(1) ? 0 : PG_GETARG_DATUM(1)};
        char nulls[3] = {' ', ' ', PG_ARGISNULL(1) ? 'n' : ' '};
        update.run(v, nulls, 0);
        spi_finish();
        PG_RETURN_VOID();
    });
}

// create_due_reviews(): the maintenance sweep's part for documents; one review action per
// reviewer for every published document whose review is due, then the next one is scheduled.
// Concurrent sweeps skip each other's documents (SKIP LOCKED), so no review is created twice.
PG_FUNCTION_INFO_V1(pg_actions_create_due_reviews);
Datum pg_actions_create_due_reviews(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo) -> Datum {
        spi_connect();
        static Statement due(
            "SELECT r.record_id, r.workspace_id, r.owner_id FROM actions.record r "
            "WHERE r.next_review_at <= now() AND r.kind = 'document' AND NOT r.archived AND r.published_at IS NOT NULL "
            "ORDER BY r.next_review_at FOR UPDATE SKIP LOCKED",
            {});
        std::uint64_t n = due.run(nullptr, nullptr, 0);
        struct Due {
            std::int64_t record_id, workspace_id;
            std::optional<std::int64_t> owner;
        };
        std::vector<Due> rows;
        for (std::uint64_t i = 0; i < n; i++) rows.push_back({get_int64(i, 1), get_int64(i, 2), get_opt_int64(i, 3)});
        std::int64_t created = 0;
        for (const Due& d : rows) {
            static Statement load(
                "SELECT kind, title, group_ids, workflow_state FROM actions.record WHERE workspace_id = $1 AND record_id = $2",
                {INT8OID, INT8OID});
            Datum k[2] = {Int64GetDatum(d.workspace_id), Int64GetDatum(d.record_id)};
            load.run(k, nullptr, 1);
            bool null;
            Datum groups = get_datum(0, 3, &null);
            Record r{d.workspace_id, d.record_id, get_text(0, 1).value_or(""), get_text(0, 2).value_or(""), false,
                     get_text(0, 4), null ? std::vector<std::int64_t>{} : int64_array(groups), {}};
            Setting s = workflow_setting(r.workspace_id, core::Workflow::document_review);
            if (s.enabled)
                for (std::int64_t person : holders(r, {core::Capacity::reviewer})) {
                    create_workflow_action(r, core::Workflow::document_review, s, d.owner.value_or(person), person);
                    created++;
                }
            static Statement next(
                "UPDATE actions.record SET next_review_at = CASE WHEN review_every IS NULL THEN NULL "
                "  ELSE greatest(next_review_at + review_every, now()) END WHERE workspace_id = $1 AND record_id = $2",
                {INT8OID, INT8OID});
            next.run(k, nullptr, 0);
        }
        spi_finish();
        PG_RETURN_INT64(created);
    });
}

// record_outcome(action_id, outcome, comment): closes a workflow action. An approval is decided
// by an eligible approver, checked now; other workflow actions by whoever may complete them.
PG_FUNCTION_INFO_V1(pg_actions_record_outcome);
Datum pg_actions_record_outcome(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        std::int64_t action_id = arg_id(fcinfo, 0, "action_id");
        std::string outcome_text = arg_required_text(fcinfo, 1, "outcome", "'approved'");
        std::optional<core::Outcome> outcome = core::parse_outcome(outcome_text);
        if (!outcome)
            refuse({core::RefusalKind::invalid_value, "unknown outcome \"" + outcome_text + "\"", "",
                    "use approved, rejected, accepted, declined or acknowledged"});
        std::optional<std::string> comment = arg_text(fcinfo, 2);
        refuse_if(core::check_description(comment));
        spi_connect();
        std::int64_t actor = require_actor();
        std::optional<Action> a = find_action(action_id, actor, true);
        if (!a) not_found("action", action_id, "check the id; you can only act on actions you can see");
        if (core::decide(core::Verb::view, a->facts))
            not_found("action", action_id, "check the id; you can only act on actions you can see");
        std::optional<core::Workflow> w = a->workflow ? core::parse_workflow(*a->workflow) : std::nullopt;
        if (!w || !a->record_id)
            refuse({core::RefusalKind::invalid_value, "action " + std::to_string(action_id) + " belongs to no workflow",
                    "outcomes close the actions the system workflows create", "use actions.complete() for other actions"});
        refuse_if(core::check_outcome(*w, *outcome));
        refuse_if(core::check_state(core::Verb::complete, a->status, a->assignee_id, action_id));
        Record r = find_record(*a->record_id, actor, true);
        if (*w == core::Workflow::delegation_approval) {
            Delegation d = load_delegation(r.record_id);
            lock_eligibility(d, actor);
            refuse_if(approver_refusal(d, actor));
        } else {
            refuse_if(core::decide(core::Verb::complete, a->facts));
        }
        static Statement close(
            "UPDATE actions.action SET outcome = $3, outcome_comment = $4, status = 'complete', "
            "  assignee_id = coalesce(assignee_id, $5) WHERE workspace_id = $1 AND action_id = $2",
            {INT8OID, INT8OID, TEXTOID, TEXTOID, INT8OID});
        Datum v[5] = {Int64GetDatum(a->workspace_id), Int64GetDatum(action_id), text_datum(outcome_text),
                      comment ? text_datum(*comment) : 0, Int64GetDatum(actor)};
        char nulls[5] = {' ', ' ', ' ', comment ? ' ' : 'n', ' '};
        close.run(v, nulls, 0);

        static Statement siblings(
            "SELECT count(*) FILTER (WHERE status NOT IN ('complete', 'cancelled')), "
            "       count(*) FILTER (WHERE outcome IN ('declined', 'rejected')) "
            "FROM actions.action WHERE record_id = $1 AND workspace_id = $2 AND workflow = $3 AND action_id <> $4",
            {INT8OID, INT8OID, TEXTOID, INT8OID});
        Datum sv[4] = {Int64GetDatum(r.record_id), Int64GetDatum(r.workspace_id), text_datum(*a->workflow),
                       Int64GetDatum(action_id)};
        siblings.run(sv, nullptr, 0);
        bool open = get_int64(0, 1) > 0, declined = get_int64(0, 2) > 0;
        if (std::optional<std::string> state = core::state_after(*w, *outcome, open, declined)) {
            set_state(r, state);
            if (std::optional<core::RecordEvent> next = core::event_after(*w, *outcome)) start(r, *next, actor);
        }
        spi_finish();
        PG_RETURN_VOID();
    });
}

// set_workflow(workspace_id, workflow, enabled, due_days)
PG_FUNCTION_INFO_V1(pg_actions_set_workflow);
Datum pg_actions_set_workflow(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
        std::string name = arg_required_text(fcinfo, 1, "workflow", "'delegation_approval'");
        if (!core::parse_workflow(name))
            refuse({core::RefusalKind::invalid_value, "unknown workflow \"" + name + "\"", "",
                    "use delegation_request, delegation_approval, delegation_acceptance, role_acknowledgement, "
                    "document_approval or document_review"});
        if (PG_ARGISNULL(2))
            throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "enabled must not be null", "", "pass true or false");
        if (!PG_ARGISNULL(3) && (PG_GETARG_INT32(3) < 1 || PG_GETARG_INT32(3) > 3650))
            refuse({core::RefusalKind::invalid_value, "due_days must be between 1 and 3650", "",
                    "pass a number of days, or NULL for the default"});
        spi_connect();
        Workspace w = load_workspace(workspace_id, require_actor());
        refuse_if(core::decide(core::Verb::manage_workspace, w.facts));
        static Statement upsert(
            "INSERT INTO actions.workflow_setting (workspace_id, workflow, enabled, due_days) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (workspace_id, workflow) DO UPDATE SET enabled = EXCLUDED.enabled, due_days = EXCLUDED.due_days",
            {INT8OID, TEXTOID, BOOLOID, INT4OID});
        Datum v[4] = {Int64GetDatum(workspace_id), text_datum(name), PG_GETARG_DATUM(2), PG_ARGISNULL(3) ? 0 : PG_GETARG_DATUM(3)};
        char nulls[4] = {' ', ' ', ' ', PG_ARGISNULL(3) ? 'n' : ' '};
        upsert.run(v, nulls, 0);
        spi_finish();
        PG_RETURN_VOID();
    });
}

}  // extern "C"

// --- eligibility questions -----------------------------------------------------------------------

namespace {

// The delegation a question is about, for an asker who must be a member of its workspace.
// Delegations asked about and the asker's membership, remembered for the running statement (a
// query may ask about the same delegation for many people), like the facts in eligibility.cpp.
struct AskedMemo {
    StatementStamp stamp;
    std::unordered_map<std::int64_t, Delegation> delegations;
    std::unordered_map<std::int64_t, bool> asker_sees;  // by record
};

// Whether the asker may see the record, by the same decision as every record verb: a record they
// may not see is not found, exactly like a missing one.
bool asker_sees(const Delegation& d, std::int64_t asker) {
    return !core::decide(core::Verb::view, record_facts(d.workspace_id, d.record_id, d.group_ids, asker));
}

Delegation asked_delegation(FunctionCallInfo fcinfo, int n) {
    std::int64_t record_id = arg_id(fcinfo, n, "delegation_id");
    std::int64_t asker = require_actor();
    static AskedMemo memo;
    if (memo.stamp.renew(asker)) {
        memo.delegations.clear();
        memo.asker_sees.clear();
    }
    auto known = memo.delegations.find(record_id);
    if (known == memo.delegations.end()) known = memo.delegations.emplace(record_id, load_delegation(record_id)).first;
    const Delegation& d = known->second;
    auto sees = memo.asker_sees.find(record_id);
    if (sees == memo.asker_sees.end()) sees = memo.asker_sees.emplace(record_id, asker_sees(d, asker)).first;
    if (!sees->second) not_found("record", record_id, record_hint);
    if (d.kind != "delegation")
        refuse({core::RefusalKind::invalid_value, "record " + std::to_string(record_id) + " is a " + d.kind + ", not a delegation",
                "approver eligibility applies to delegations", "pass the id of a delegation"});
    return d;
}

}  // namespace

extern "C" {

// eligible_approvers(delegation_id) RETURNS SETOF bigint
PG_FUNCTION_INFO_V1(pg_actions_eligible_approvers);
Datum pg_actions_eligible_approvers(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        NoSqlHere no_sql;
        std::vector<std::int64_t> people = eligible_approvers(asked_delegation(fcinfo, 0), Reading::statement);
        return int64_array_datum(people);
    });
}

// is_eligible_approver(person_id, delegation_id)
PG_FUNCTION_INFO_V1(pg_actions_is_eligible_approver);
Datum pg_actions_is_eligible_approver(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        NoSqlHere no_sql;
        std::int64_t person = arg_person(fcinfo, 0);
        PG_RETURN_BOOL(!approver_refusal(asked_delegation(fcinfo, 1), person, Reading::statement));
    });
}

// why_not(verb, record_id, person_id): for 'approve', why the person is not an eligible approver.
PG_FUNCTION_INFO_V1(pg_actions_why_not_person);
Datum pg_actions_why_not_person(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        std::optional<core::Refusal> r;
        {
            NoSqlHere no_sql;
            std::string verb = PG_ARGISNULL(0) ? "" : text_of(PG_GETARG_DATUM(0));
            if (verb != "approve")
                refuse({core::RefusalKind::invalid_value, "\"" + verb + "\" is not asked about another person",
                        "why_not(verb, delegation_id, person_id) answers for 'approve'",
                        "use why_not(verb, action_id) for your own actions"});
            std::int64_t person = arg_person(fcinfo, 2);
            r = approver_refusal(asked_delegation(fcinfo, 1), person, Reading::statement);
        }
        if (!r) PG_RETURN_NULL();
        return text_datum(r->detail.empty() ? r->message : r->message + ": " + r->detail);
    });
}

}  // extern "C"
