// AFTER triggers that write the activity log: every change of an action (actions.action) and of
// its notes (actions.note) becomes entries of the action's hash chain, and an assignment to
// someone else a notification. A restore's COPY (restore.hpp) brings the entries back instead.
#include "pg/boundary/postgres.hpp"

extern "C" {
#include "utils/datum.h"
}

#include <algorithm>
#include <vector>

#include "core/activity.hpp"
#include "core/group.hpp"
#include "core/note.hpp"
#include "core/status.hpp"
#include "core/workflow.hpp"
#include "pg/authz/facts.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/identity/actor.hpp"
#include "pg/store/absences.hpp"
#include "pg/store/action_store.hpp"
#include "pg/store/log_store.hpp"
#include "pg/store/service_level_store.hpp"
#include "pg/store/notify.hpp"
#include "pg/triggers/action_row.hpp"
#include "pg/triggers/restore.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {


core::ActionState action_state(const Tuple& t, const Columns& c) {
    core::ActionState s;
    s.status = status_of(t, c);
    s.owner_id = t.bigint(c.owner_id);
    s.type = t.text(c.type).value_or("");
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
    bool null;
    Datum claimed = t.get(c.claimed, &null);
    s.claimed = !null && DatumGetBool(claimed);
    s.delegated_by = t.bigint(c.delegated_by);
    s.delegation = t.text(c.delegation);
    s.template_id = t.bigint(c.template_id);
    if (!t.null(c.template_version)) {
        bool isnull;
        s.template_version = DatumGetInt32(t.get(c.template_version, &isnull));
    }
    return s;
}

std::optional<core::EvidenceFacts> evidence_facts(std::int64_t workspace_id, std::int64_t evidence_id) {
    std::optional<store::EvidenceRow> e = store::evidence_row(workspace_id, evidence_id);
    if (!e) return std::nullopt;
    return core::EvidenceFacts{evidence_id, e->name, e->sha256_hex, e->size_bytes};
}

}  // namespace

extern "C" {


// AFTER INSERT OR UPDATE OR DELETE: appends the hash-chained log entries the change means.
PG_ACTIONS_FUNCTION(pg_actions_action_log) {
    TriggerData* td = trigger_data(fcinfo, "action_log");
    // A restore copies the action's log back with it.
    if (restoring(RelationGetRelid(td->tg_relation))) return PointerGetDatum(nullptr);
    TupleDesc desc = td->tg_relation->rd_att;
    const Columns& c = columns_of(td->tg_relation);
    bool inserted = TRIGGER_FIRED_BY_INSERT(td->tg_event);
    bool deleted = TRIGGER_FIRED_BY_DELETE(td->tg_event);
    Tuple old_row{td->tg_trigtuple, desc};
    Tuple new_row{TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? td->tg_newtuple : td->tg_trigtuple, desc};
    const Tuple& key_row = deleted ? old_row : new_row;
    std::int64_t workspace_id = key_row.bigint(c.workspace_id).value_or(0);
    std::int64_t action_id = key_row.bigint(c.action_id).value_or(0);

    std::optional<core::ActionState> before, after;
    if (!inserted) before = action_state(old_row, c);
    if (!deleted) after = action_state(new_row, c);

    SpiScope spi;
    if (after && core::completes(before ? &*before : nullptr, *after)) {
        if (auto ev = new_row.bigint(c.evidence_id)) after->evidence = evidence_facts(workspace_id, *ev);
    }
    std::vector<core::Change> changes = core::changes(before ? &*before : nullptr, after ? &*after : nullptr);
    if (changes.empty()) {
        return PointerGetDatum(nullptr);
    }

    // A new assignment the guard routed for an absence: the log says instead of whom.
    std::optional<core::Routed> routed;
    if (after && after->assignee_id != (before ? before->assignee_id : std::nullopt)) routed = take_routed(action_id);
    if (routed && routed->instead_of)
        for (core::Change& ch : changes)
            if (ch.event == "assigned" || ch.event == "reassigned" || ch.event == "delegated" ||
                ch.event == "resolved")
                ch.detail_json = core::with_person(ch.detail_json, "instead_of", *routed->instead_of);

    // The summary of completed actions follows the log it is folded from: the entries appended
    // here are handed to its refresh, which then need not read them back.
    const bool complete_after = after && after->status == core::Status::complete;
    const bool summary = std::any_of(changes.begin(), changes.end(), [&](const core::Change& ch) {
        return core::affects_summary(ch.event, ch.old_value, complete_after);
    });
    Appended appended;
    log_changes(workspace_id, action_id, inserted, changes, summary ? &appended : nullptr);
    if (routed && routed->notify_substitute && *routed->notify_substitute != current_actor())
        notify(core::NotificationKind::substitute, workspace_id, *routed->notify_substitute, action_id);
    if (summary) refresh_service_level(workspace_id, action_id, &appended);

    std::optional<std::int64_t> actor = current_actor();
    for (const core::Change& ch : changes) {
        bool to_someone_else = after && after->assignee_id && after->assignee_id != actor;
        if (to_someone_else && (ch.event == "assigned" || ch.event == "reassigned"))
            notify(ch.event == "assigned" ? core::NotificationKind::assigned : core::NotificationKind::reassigned, workspace_id, *after->assignee_id,
                   action_id);
        // The delegate learns of the delegation, the assignee of the return.
        if (to_someone_else && (ch.event == "delegated" || ch.event == "resolved"))
            notify(ch.event == "delegated" ? core::NotificationKind::delegated : core::NotificationKind::resolved,
                   workspace_id, *after->assignee_id, action_id);
        if (ch.event == "overdue" && after && after->assignee_id && after->due_at_us)
            remind(core::NotificationKind::overdue, workspace_id, *after->assignee_id, action_id, *after->due_at_us);
    }
    return PointerGetDatum(nullptr);
}

// AFTER INSERT OR UPDATE OR DELETE on actions.note: the change goes into the action's chain.
PG_ACTIONS_FUNCTION(pg_actions_note_log) {
    TriggerData* td = trigger_data(fcinfo, "note_log");
    if (restoring(RelationGetRelid(td->tg_relation))) return PointerGetDatum(nullptr);
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
    if (TRIGGER_FIRED_BY_DELETE(td->tg_event) && !store::action_exists_now(key.bigint(ws_col).value_or(0), action_id))
        return PointerGetDatum(nullptr);
    SpiScope spi;
    log_changes(key.bigint(ws_col).value_or(0), action_id, false, changes);
    return PointerGetDatum(nullptr);
}

}  // extern "C"
