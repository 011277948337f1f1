// Triggers on actions.action: the lifecycle guard (BEFORE) and the activity log (AFTER), so that
// an application's own INSERT, UPDATE or DELETE is checked and logged exactly like an API call.
#include "postgres.hpp"

extern "C" {
#include "utils/datum.h"
}

#include <vector>

#include "../core/activity.hpp"
#include "../core/log_chain.hpp"
#include "../core/note.hpp"
#include "../core/status.hpp"
#include "../core/text.hpp"
#include "../core/group.hpp"
#include "../core/workflow.hpp"
#include "actor.hpp"
#include "direct.hpp"
#include "facts.hpp"
#include "log_store.hpp"
#include "notify.hpp"
#include "spi.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

// Attribute numbers of actions.action, looked up by name so column order does not matter.
struct Columns {
    int workspace_id, action_id, title, description, type, priority, status, owner_id, assignee_id, due_at,
        record_id, created_at, updated_at, started_at, completed_at, completed_by, cancel_reason, evidence_id,
        group_ids, workflow, outcome, outcome_comment;

    explicit Columns(TupleDesc d)
        : workspace_id(attnum(d, "workspace_id")), action_id(attnum(d, "action_id")), title(attnum(d, "title")),
          description(attnum(d, "description")), type(attnum(d, "type")), priority(attnum(d, "priority")),
          status(attnum(d, "status")), owner_id(attnum(d, "owner_id")), assignee_id(attnum(d, "assignee_id")),
          due_at(attnum(d, "due_at")), record_id(attnum(d, "record_id")), created_at(attnum(d, "created_at")),
          updated_at(attnum(d, "updated_at")), started_at(attnum(d, "started_at")),
          completed_at(attnum(d, "completed_at")), completed_by(attnum(d, "completed_by")),
          cancel_reason(attnum(d, "cancel_reason")), evidence_id(attnum(d, "evidence_id")),
          group_ids(attnum(d, "group_ids")), workflow(attnum(d, "workflow")), outcome(attnum(d, "outcome")),
          outcome_comment(attnum(d, "outcome_comment")) {}

    // A column the trigger needs must be there: SPI_fnumber answers a missing one with a negative
    // code, which read as an attribute number would address a system column or worse.
    static int attnum(TupleDesc d, const char* name) {
        int n = SPI_fnumber(d, name);
        if (n <= 0)
            throw PgError(ERRCODE_UNDEFINED_COLUMN, std::string("column ") + name + " of the table is missing",
                          "pg_actions' triggers read it by name",
                          "the table belongs to the extension; do not drop or rename its columns");
        return n;
    }
};

struct Tuple {
    HeapTuple tuple;
    TupleDesc desc;

    Datum get(int attnum, bool* isnull) const { return heap_getattr(tuple, attnum, desc, isnull); }
    bool null(int attnum) const {
        bool isnull;
        get(attnum, &isnull);
        return isnull;
    }
    std::optional<std::int64_t> bigint(int attnum) const {
        bool isnull;
        Datum d = get(attnum, &isnull);
        if (isnull) return std::nullopt;
        return DatumGetInt64(d);
    }
    std::vector<std::int64_t> ids(int attnum, bool* had_null = nullptr) const {
        bool isnull;
        Datum d = get(attnum, &isnull);
        if (isnull) return {};
        return int64_array(d, had_null);
    }
    std::optional<std::string> text(int attnum) const {
        bool isnull;
        Datum d = get(attnum, &isnull);
        if (isnull) return std::nullopt;
        return text_of(d);
    }
};

TriggerData* trigger_data(FunctionCallInfo fcinfo, const char* name) {
    if (!CALLED_AS_TRIGGER(fcinfo))
        throw PgError(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED,
                      std::string(name) + "() must be called as a trigger");
    return reinterpret_cast<TriggerData*>(fcinfo->context);
}

// Whether an UPDATE left a column as it was.
bool unchanged(HeapTuple before, HeapTuple after, TupleDesc desc, int attnum) {
    Form_pg_attribute att = TupleDescAttr(desc, attnum - 1);
    return guard([&]() -> bool {
        bool null_before, null_after;
        Datum a = heap_getattr(before, attnum, desc, &null_before);
        Datum b = heap_getattr(after, attnum, desc, &null_after);
        if (null_before || null_after) return null_before == null_after;
        return datumIsEqual(a, b, att->attbyval, att->attlen);
    });
}

[[noreturn]] void refuse_column(const char* column, const char* why, const char* hint) {
    throw PgError(ERRCODE_INSUFFICIENT_PRIVILEGE, std::string("cannot change ") + column + " of an action", why, hint);
}

// Every change of an action is logged or refused. Identity, provenance and the fields the
// triggers derive are not changed by an UPDATE: no log entry could say who changed them and why.
void refuse_unlogged_changes(HeapTuple before, HeapTuple after, TupleDesc desc, const Columns& c, bool completing,
                             std::optional<std::int64_t> actor) {
    struct Fixed {
        int attnum;
        const char* name;
    };
    const Fixed fixed[] = {{c.workspace_id, "workspace_id"}, {c.action_id, "action_id"}, {c.owner_id, "owner_id"},
                           {c.type, "type"},                 {c.created_at, "created_at"}, {c.workflow, "workflow"}};
    for (const Fixed& f : fixed)
        if (!unchanged(before, after, desc, f.attnum))
            refuse_column(f.name, "it is fixed when the action is created",
                          "create a new action (and cancel or delete this one) instead");
    if (!unchanged(before, after, desc, c.started_at) || !unchanged(before, after, desc, c.completed_at))
        refuse_column(!unchanged(before, after, desc, c.started_at) ? "started_at" : "completed_at",
                      "the status triggers set it when the action starts or is completed",
                      "change status instead; the trigger records the time");
    if (!completing && !unchanged(before, after, desc, c.evidence_id))
        refuse_column("evidence_id", "evidence is attached when the action is completed, and logged with it",
                      "complete the action with actions.complete(action_id, evidence => ...)");
    if (!unchanged(before, after, desc, c.completed_by)) {
        bool null;
        Datum by = heap_getattr(after, c.completed_by, desc, &null);
        if (!completing || (!null && (!actor || DatumGetInt64(by) != *actor)))
            refuse_column("completed_by", "it names the person who completed the action, who is the actor the log records",
                          "complete the action as that person (or with actions.act_as()); leave completed_by to the trigger");
    }
}

core::Status status_of(const Tuple& t, const Columns& c) {
    std::optional<std::string> s = t.text(c.status);
    std::optional<core::Status> parsed = s ? core::parse_status(*s) : std::nullopt;
    if (!parsed)
        throw PgError(ERRCODE_CHECK_VIOLATION, "invalid action status \"" + s.value_or("") + "\"",
                      "", "use one of to_do, in_progress, overdue, complete, cancelled");
    return *parsed;
}

// The groups of a written row, sorted and without repeats; each must be a group of the action's
// workspace (23503 otherwise, like a foreign key). Returns whether the row must be rewritten.
bool check_groups(const Tuple& row, const Columns& c, std::vector<std::int64_t>& ids) {
    bool had_null = false;
    ids = row.ids(c.group_ids, &had_null);
    std::vector<std::int64_t> given = ids;
    refuse_if(core::normalize_groups(ids, had_null));
    std::int64_t workspace_id = row.bigint(c.workspace_id).value_or(0);
    for (std::int64_t id : ids) {
        spi_connect();
        bool found = lock_group(workspace_id, id);  // held to the end: a group referred to is not deleted
        spi_finish();
        if (!found)
            throw PgError(ERRCODE_FOREIGN_KEY_VIOLATION,
                          "group " + std::to_string(id) + " is not a group of workspace " + std::to_string(workspace_id),
                          "actions.action.group_ids holds ids of actions.group rows of the action's workspace",
                          "create the group with actions.create_group(), or leave it out");
    }
    return ids != given;
}

Datum status_datum(core::Status s) {
    std::string name(core::status_name(s));
    return text_datum(name);
}

}  // namespace

extern "C" {

// BEFORE INSERT OR UPDATE: checks the requested status move and settles the real status.
PG_FUNCTION_INFO_V1(pg_actions_action_guard);
Datum pg_actions_action_guard(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        TriggerData* td = trigger_data(fcinfo, "action_guard");
        bool is_update = TRIGGER_FIRED_BY_UPDATE(td->tg_event);
        TupleDesc desc = td->tg_relation->rd_att;
        Columns c(desc);
        Tuple row{is_update ? td->tg_newtuple : td->tg_trigtuple, desc};

        core::Status requested = status_of(row, c);
        core::Status from = core::Status::to_do;
        if (is_update) from = status_of(Tuple{td->tg_trigtuple, desc}, c);
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

        int cols[7];
        Datum values[7];
        bool nulls[7] = {false, false, false, false, false, false, false};
        int n = 0;
        bool groups_changed = !is_update;
        if (is_update) {
            bool old_null, new_null;
            Datum old_groups = heap_getattr(td->tg_trigtuple, c.group_ids, desc, &old_null);
            Datum new_groups = row.get(c.group_ids, &new_null);
            groups_changed = old_null != new_null ||
                             (!new_null && !guard([&]() -> bool {
                                 return datumIsEqual(old_groups, new_groups, false, -1);
                             }));
        }
        if (groups_changed && !row.null(c.group_ids)) {
            std::vector<std::int64_t> ids;
            if (check_groups(row, c, ids)) {
                cols[n] = c.group_ids;
                values[n++] = int64_array_datum(ids);
            }
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
            spi_connect();
            actor = current_actor();
            spi_finish();
        }
        if (is_update) refuse_unlogged_changes(td->tg_trigtuple, td->tg_newtuple, desc, c, completing, actor);
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
    });
}

}  // extern "C"

namespace {

core::Snapshot snapshot(const Tuple& t, const Columns& c) {
    core::Snapshot s;
    s.status = status_of(t, c);
    s.assignee_id = t.bigint(c.assignee_id);
    s.title = t.text(c.title).value_or("");
    s.description = t.text(c.description);
    s.due_at_us = t.bigint(c.due_at);  // timestamptz is int64 microseconds since 2000
    s.priority = t.text(c.priority).value_or("");
    s.cancel_reason = t.text(c.cancel_reason);
    s.record_id = t.bigint(c.record_id);
    s.group_ids = t.ids(c.group_ids);
    s.outcome = t.text(c.outcome);
    s.outcome_comment = t.text(c.outcome_comment);
    s.started = !t.null(c.started_at);
    return s;
}

std::optional<core::EvidenceFacts> evidence_facts(std::int64_t workspace_id, std::int64_t evidence_id) {
    static Statement q(
        "SELECT name, pg_catalog.encode(sha256, 'hex'), size_bytes FROM actions.evidence "
        "WHERE workspace_id = $1 AND evidence_id = $2",
        {INT8OID, INT8OID});
    Datum args[2] = {Int64GetDatum(workspace_id), Int64GetDatum(evidence_id)};
    if (q.run(args, nullptr, 1) == 0) return std::nullopt;
    return core::EvidenceFacts{evidence_id, get_text(0, 1).value_or(""), get_text(0, 2).value_or(""),
                               get_int64(0, 3)};
}

}  // namespace

extern "C" {

// AFTER INSERT OR UPDATE OR DELETE: appends the hash-chained log entries the change means.
PG_FUNCTION_INFO_V1(pg_actions_action_log);
Datum pg_actions_action_log(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        TriggerData* td = trigger_data(fcinfo, "action_log");
        TupleDesc desc = td->tg_relation->rd_att;
        Columns c(desc);
        bool inserted = TRIGGER_FIRED_BY_INSERT(td->tg_event);
        bool deleted = TRIGGER_FIRED_BY_DELETE(td->tg_event);
        Tuple old_row{td->tg_trigtuple, desc};
        Tuple new_row{TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? td->tg_newtuple : td->tg_trigtuple, desc};
        const Tuple& key_row = deleted ? old_row : new_row;
        std::int64_t workspace_id = key_row.bigint(c.workspace_id).value_or(0);
        std::int64_t action_id = key_row.bigint(c.action_id).value_or(0);

        std::optional<core::Snapshot> before, after;
        if (!inserted) before = snapshot(old_row, c);
        if (!deleted) after = snapshot(new_row, c);

        spi_connect();
        if (after && core::completes(before ? &*before : nullptr, *after)) {
            if (auto ev = new_row.bigint(c.evidence_id)) after->evidence = evidence_facts(workspace_id, *ev);
        }
        std::vector<core::Change> changes = core::changes(before ? &*before : nullptr, after ? &*after : nullptr);
        if (changes.empty()) {
            spi_finish();
            return PointerGetDatum(nullptr);
        }

        log_changes(workspace_id, action_id, inserted, changes);

        std::optional<std::int64_t> actor = current_actor();
        for (const core::Change& ch : changes) {
            bool to_someone_else = after && after->assignee_id && after->assignee_id != actor;
            if (to_someone_else && (ch.event == "assigned" || ch.event == "reassigned"))
                notify(ch.event == "assigned" ? "assigned" : "reassigned", workspace_id, *after->assignee_id,
                       action_id);
            if (ch.event == "overdue" && after && after->assignee_id && after->due_at_us)
                remind("overdue", workspace_id, *after->assignee_id, action_id, *after->due_at_us);
        }
        spi_finish();
        return PointerGetDatum(nullptr);
    });
}

// BEFORE UPDATE/DELETE/TRUNCATE on the log and its heads: always refused. The log trigger above
// writes through the table API (log_store.cpp), which fires no triggers.
PG_FUNCTION_INFO_V1(pg_actions_refuse_log_change);
Datum pg_actions_refuse_log_change(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        TriggerData* td = trigger_data(fcinfo, "refuse_log_change");
        const char* table = RelationGetRelationName(td->tg_relation);
        // TRUNCATE fires no row trigger: on actions.action it would remove actions unlogged.
        if (strcmp(table, "action") == 0)
            throw PgError(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                          "cannot truncate actions.action: every deletion of an action is logged",
                          "TRUNCATE fires no row triggers, so the activity log would not record the deletions",
                          "DELETE the actions instead (or actions.delete_action()); each deletion is logged");
        const char* verb = TRIGGER_FIRED_BY_TRUNCATE(td->tg_event) ? "truncate"
                           : TRIGGER_FIRED_BY_DELETE(td->tg_event) ? "delete from"
                                                                    : "update";
        throw PgError(ERRCODE_INSUFFICIENT_PRIVILEGE,
                      std::string("cannot ") + verb + " actions." + table + ": the activity log is append-only",
                      "entries and chain heads are written only by the triggers on actions.action",
                      "record a correction as a new change to the action; the log keeps both");
    });
}

}  // extern "C"

extern "C" {

// AFTER INSERT OR UPDATE OR DELETE on actions.note: the change goes into the action's chain.
PG_FUNCTION_INFO_V1(pg_actions_note_log);
Datum pg_actions_note_log(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo fcinfo) -> Datum {
        TriggerData* td = trigger_data(fcinfo, "note_log");
        TupleDesc desc = td->tg_relation->rd_att;
        int ws_col = Columns::attnum(desc, "workspace_id"), action_col = Columns::attnum(desc, "action_id"),
            id_col = Columns::attnum(desc, "note_id"), body_col = Columns::attnum(desc, "body");
        auto note = [&](HeapTuple tuple) {
            Tuple t{tuple, desc};
            return core::NoteSnapshot{t.bigint(id_col).value_or(0), t.text(body_col).value_or("")};
        };
        std::optional<core::NoteSnapshot> before, after;
        if (!TRIGGER_FIRED_BY_INSERT(td->tg_event)) before = note(td->tg_trigtuple);
        if (TRIGGER_FIRED_BY_INSERT(td->tg_event)) after = note(td->tg_trigtuple);
        if (TRIGGER_FIRED_BY_UPDATE(td->tg_event)) after = note(td->tg_newtuple);
        Tuple key{TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? td->tg_newtuple : td->tg_trigtuple, desc};
        std::vector<core::Change> changes = core::note_changes(before ? &*before : nullptr, after ? &*after : nullptr);
        std::int64_t action_id = key.bigint(action_col).value_or(0);
        // Notes removed with their action: its `deleted` entry closes the chain, nothing follows it.
        if (TRIGGER_FIRED_BY_DELETE(td->tg_event) && !guard([&]() -> bool {
                direct::Key k[1] = {{"action_id", F_INT8EQ, Int64GetDatum(action_id)}};
                return direct::lookup("action", "action_id_idx", 1, k, 0, nullptr, nullptr, nullptr, nullptr);
            }))
            return PointerGetDatum(nullptr);
        spi_connect();
        log_changes(key.bigint(ws_col).value_or(0), action_id, false, changes);
        spi_finish();
        return PointerGetDatum(nullptr);
    });
}

}  // extern "C"
