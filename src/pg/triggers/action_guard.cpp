// BEFORE INSERT OR UPDATE on actions.action: the lifecycle guard. It checks the requested
// status move and settles the real one, refuses what the log could not explain, checks and
// locks the groups, and fills the times and the person the status moves imply, so that an
// application's own write is checked exactly like an API call.
#include "pg/boundary/postgres.hpp"

extern "C" {
#include "utils/datum.h"
}

#include <vector>

#include "core/activity.hpp"
#include "core/group.hpp"
#include "core/note.hpp"
#include "core/pool.hpp"
#include "core/status.hpp"
#include "core/workflow.hpp"
#include "pg/authz/facts.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/identity/actor.hpp"
#include "pg/store/absences.hpp"
#include "pg/store/members.hpp"
#include "pg/store/log_store.hpp"
#include "pg/store/notify.hpp"
#include "pg/triggers/action_row.hpp"
#include "pg/triggers/restore.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

// Whether an UPDATE left a column as it was.
bool unchanged(const Tuple& before, const Tuple& after, int attnum) {
    bool null_before, null_after;
    Datum a = before.get(attnum, &null_before);
    Datum b = after.get(attnum, &null_after);
    if (null_before || null_after) return null_before == null_after;
    Form_pg_attribute att = TupleDescAttr(after.desc, attnum - 1);
    return guard([&]() -> bool { return datumIsEqual(a, b, att->attbyval, att->attlen); });
}

[[noreturn]] void refuse_column(const char* column, const char* why, const char* hint) {
    throw PgError(ERRCODE_INSUFFICIENT_PRIVILEGE, std::string("cannot change ") + column + " of an action", why, hint);
}

// Every change of an action is logged or refused. Identity, provenance and the fields the
// triggers derive are not changed by an UPDATE: no log entry could say who changed them and why.
void refuse_unlogged_changes(const Tuple& before, const Tuple& after, const Columns& c, bool completing,
                             std::optional<std::int64_t> actor) {
    struct Fixed {
        int attnum;
        const char* name;
    };
    const Fixed fixed[] = {{c.workspace_id, "workspace_id"}, {c.action_id, "action_id"}, {c.owner_id, "owner_id"},
                           {c.type, "type"},                 {c.created_at, "created_at"}, {c.workflow, "workflow"},
                           {c.template_id, "template_id"},   {c.template_version, "template_version"}};
    for (const Fixed& f : fixed)
        if (!unchanged(before, after, f.attnum))
            refuse_column(f.name, "it is fixed when the action is created",
                          "create a new action (and cancel or delete this one) instead");
    if (!unchanged(before, after, c.started_at) || !unchanged(before, after, c.completed_at))
        refuse_column(!unchanged(before, after, c.started_at) ? "started_at" : "completed_at",
                      "the status triggers set it when the action starts or is completed",
                      "change status instead; the trigger records the time");
    if (!completing && !unchanged(before, after, c.evidence_id))
        refuse_column("evidence_id", "evidence is attached when the action is completed, and logged with it",
                      "complete the action with actions.complete(action_id, evidence => ...)");
    if (!unchanged(before, after, c.completed_by)) {
        std::optional<std::int64_t> by = after.bigint(c.completed_by);
        if (!completing || (by && (!actor || *by != *actor)))
            refuse_column("completed_by", "it names the person who completed the action, who is the actor the log records",
                          "complete the action as that person (or with actions.act_as()); leave completed_by to the trigger");
    }
}

// The groups of a written row, sorted and without repeats; each must be a group of the action's
// workspace (23503 otherwise, like a foreign key), locked FOR KEY SHARE so that it cannot be
// deleted meanwhile. Returns whether the row must be rewritten.
bool check_groups(const Tuple& row, const Columns& c, std::vector<std::int64_t>& ids) {
    bool had_null = false;
    ids = row.ids(c.group_ids, &had_null);
    std::vector<std::int64_t> given = ids;
    refuse_if(core::normalize_groups(ids, had_null));
    std::int64_t workspace_id = row.bigint(c.workspace_id).value_or(0);
    for (std::int64_t id : ids) {
        SpiScope spi;
        bool found = lock_group(workspace_id, id);  // held to the end: a group referred to is not deleted
        spi.finish();
        if (!found)
            throw PgError(ERRCODE_FOREIGN_KEY_VIOLATION,
                          "group " + std::to_string(id) + " is not a group of workspace " + std::to_string(workspace_id),
                          "actions.action.group_ids holds ids of actions.group rows of the action's workspace",
                          "create the group with actions.create_group(), or leave it out");
    }
    return ids != given;
}

// A new assignment to a member who is absent now goes where the workspace's absence routing and
// the core say (core/absence.hpp): to the substitute instead, or (both) it stays and the log
// trigger notifies the substitute. Returns the assignee to write when it changes.
std::optional<std::int64_t> route_new_assignment(const Tuple& row, const Columns& c, std::optional<Tuple> old_row,
                                                 TimestampTz now) {
    std::optional<std::int64_t> assignee = row.bigint(c.assignee_id);
    if (!assignee || (old_row && old_row->bigint(c.assignee_id) == assignee)) return std::nullopt;
    std::int64_t workspace_id = row.bigint(c.workspace_id).value_or(0);
    std::optional<AbsenceRow> absence = absence_at(workspace_id, *assignee, now);
    if (!absence) return std::nullopt;
    SpiScope spi;
    std::optional<std::int64_t> actor = current_actor();
    spi.finish();
    core::AbsenceNow standing{absence->substitute_id,
                              member_acts(membership(workspace_id, absence->substitute_id, false).state)};
    core::Routed routed = core::route_assignment(*assignee, actor, standing, absence_routing(workspace_id));
    if (routed.instead_of || routed.notify_substitute) mark_routed(row.bigint(c.action_id).value_or(0), routed);
    if (routed.assignee == *assignee) return std::nullopt;
    return routed.assignee;
}

core::Assignment assignment_of(const Tuple& t, const Columns& c) {
    core::Assignment a;
    a.assignee = t.bigint(c.assignee_id);
    bool null;
    Datum claimed = t.get(c.claimed, &null);
    a.claimed = !null && DatumGetBool(claimed);
    a.delegated_by = t.bigint(c.delegated_by);
    if (std::optional<std::string> d = t.text(c.delegation)) a.delegation = core::parse_delegation(*d);
    return a;
}

Datum status_datum(core::Status s) {
    std::string name(core::status_name(s));
    return text_datum(name);
}

}  // namespace


extern "C" {

// BEFORE INSERT OR UPDATE: checks the requested status move and settles the real status.
PG_ACTIONS_FUNCTION(pg_actions_action_guard) {
    TriggerData* td = trigger_data(fcinfo, "action_guard");
    bool is_update = TRIGGER_FIRED_BY_UPDATE(td->tg_event);
    // A restore copies the row back as it was dumped (its groups may be restored after it).
    if (!is_update && restoring(RelationGetRelid(td->tg_relation))) return PointerGetDatum(td->tg_trigtuple);
    TupleDesc desc = td->tg_relation->rd_att;
    const Columns& c = columns_of(td->tg_relation);
    Tuple row{is_update ? td->tg_newtuple : td->tg_trigtuple, desc};
    std::optional<Tuple> old_row;
    if (is_update) old_row = Tuple{td->tg_trigtuple, desc};

    core::Status requested = status_of(row, c);
    core::Status from = core::Status::to_do;
    if (is_update) from = status_of(*old_row, c);
    refuse_if(core::check_move(from, requested));
    if (is_update)
        refuse_if(core::check_reopen(!row.null(c.workflow),
                                     from == core::Status::complete && requested != core::Status::complete,
                                     row.bigint(c.action_id).value_or(0)));

    TimestampTz now = GetCurrentTransactionStartTimestamp();
    bool isnull;
    Datum due = row.get(c.due_at, &isnull);
    bool past_due = !isnull && DatumGetTimestampTz(due) < now;
    bool starting = requested == core::Status::in_progress && row.null(c.started_at);
    bool started = !row.null(c.started_at) || starting;
    core::Status settled = core::settle(requested, started, past_due);

    int cols[11];
    Datum values[11];
    bool nulls[11] = {false, false, false, false, false, false, false, false, false, false, false};
    int n = 0;
    bool groups_changed = !is_update || !unchanged(*old_row, row, c.group_ids);
    if (groups_changed && !row.null(c.group_ids)) {
        std::vector<std::int64_t> ids;
        if (check_groups(row, c, ids)) {
            cols[n] = c.group_ids;
            values[n++] = int64_array_datum(ids);
        }
    }
    if (std::optional<std::int64_t> routed = route_new_assignment(row, c, old_row, now)) {
        cols[n] = c.assignee_id;
        values[n++] = Int64GetDatum(*routed);
    }
    if (settled != requested) {
        cols[n] = c.status;
        values[n++] = status_datum(settled);
    }
    if (starting) {
        cols[n] = c.started_at;
        values[n++] = TimestampTzGetDatum(now);
    }
    bool completing = settled == core::Status::complete && from != core::Status::complete;
    if (settled == core::Status::complete && row.null(c.completed_at)) {
        cols[n] = c.completed_at;
        values[n++] = TimestampTzGetDatum(now);
    }
    std::optional<std::int64_t> actor;
    if (completing) {
        SpiScope spi;
        actor = current_actor();
        spi.finish();
    }
    if (is_update) refuse_unlogged_changes(*old_row, row, c, completing, actor);
    // Claimed and the delegation change only with the assignee (core/pool.hpp); a delegated
    // action is resolved by its delegate, not completed.
    core::Assignment requested_assignment = assignment_of(row, c);
    core::Assignment settled_assignment = requested_assignment;
    if (is_update) {
        core::Assignment before = assignment_of(*old_row, c);
        refuse_if(core::check_assignment_write(before, requested_assignment));
        settled_assignment = core::settle_assignment(before, requested_assignment);
    }
    if (completing) {
        core::PoolState pool;
        pool.delegation = settled_assignment.delegation;
        pool.delegated_by = settled_assignment.delegated_by;
        refuse_if(core::check_pool_state(core::Verb::complete, from, settled_assignment.assignee, pool,
                                         row.bigint(c.action_id).value_or(0)));
    }
    if (settled_assignment.claimed != requested_assignment.claimed) {
        cols[n] = c.claimed;
        values[n++] = BoolGetDatum(settled_assignment.claimed);
    }
    if (!settled_assignment.delegation && requested_assignment.delegation) {
        cols[n] = c.delegated_by;
        nulls[n++] = true;
        cols[n] = c.delegation;
        nulls[n++] = true;
    }
    if (completing && row.null(c.completed_by)) {
        if (actor) {
            cols[n] = c.completed_by;
            values[n++] = Int64GetDatum(*actor);
        }
    }
    if (settled != core::Status::complete) {
        if (!row.null(c.completed_at)) {
            cols[n] = c.completed_at;
            nulls[n++] = true;
        }
        if (!row.null(c.completed_by)) {
            cols[n] = c.completed_by;
            nulls[n++] = true;
        }
    }
    if (is_update) {
        cols[n] = c.updated_at;
        values[n++] = TimestampTzGetDatum(now);
    }
    if (n == 0) return PointerGetDatum(row.tuple);
    return guard([&]() -> Datum {
        return PointerGetDatum(heap_modify_tuple_by_cols(row.tuple, desc, n, cols, values, nulls));
    });
}

}  // extern "C"
