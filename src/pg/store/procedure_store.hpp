// Procedures: actions.procedure, procedure_step, procedure_setting, procedure_run, procedure_action.
// Every function states what it reads or writes, the snapshot it reads with (the statement's own,
// spi.hpp: a VOLATILE caller sees what is committed now plus this transaction's writes, a STABLE
// one its caller's snapshot), the row locks it takes, and the workspace it names (the key Citus
// routes on; a lookup by id alone says so). Run inside an SpiScope.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pg/store/template_rows.hpp"

namespace pg_actions::pg::store {

// The workspace of a procedure, looked up by its id alone (to find the workspace); nullopt when
// there is none. Snapshot: the statement's own. Locks: the procedure FOR UPDATE when lock.
std::optional<std::int64_t> procedure_workspace(std::int64_t procedure_id, bool lock);
// Inserts a procedure unless the workspace has one of that name; its id, or nullopt on that
// conflict. Names workspace_id. Snapshot: the statement's own. Locks: the new row.
std::optional<std::int64_t> insert_procedure(std::int64_t workspace_id, const std::string& name,
                                             const std::optional<std::string>& description, std::int64_t actor);

// An interval's fields as PostgreSQL stores them (months, days, microseconds).
struct IntervalParts {
    std::int32_t month = 0, day = 0;
    std::int64_t time = 0;
};
// A step as stored: its action's definition (type, title, description, assignee rule and pool in
// the template fields; workspace_id set) and its timing.
struct ProcedureStepRow {
    TemplateVersion definition;
    IntervalParts duration, gap;
};
// The procedure's steps in position order. Names workspace_id. Snapshot: the statement's own. Locks: none.
std::vector<ProcedureStepRow> procedure_steps(std::int64_t workspace_id, std::int64_t procedure_id);
// How many steps the procedure has. Names workspace_id. Snapshot: the statement's own. Locks: none
// (the caller holds the procedure FOR UPDATE, which serialises adding steps).
std::int32_t count_procedure_steps(std::int64_t workspace_id, std::int64_t procedure_id);
// Inserts step `position` with d's definition (d.workspace_id names the workspace); duration and
// gap are interval datums (gap nullopt: none, '0'). Snapshot: the statement's own. Locks: the new row.
void insert_procedure_step(std::int64_t procedure_id, std::int32_t position, const TemplateVersion& d,
                           std::uintptr_t duration, std::optional<std::uintptr_t> gap);
// Inserts or changes the workspace's procedure options; nullopt keeps a stored value (false when
// new). Names workspace_id. Snapshot: the statement's own. Locks: the row (inserted, or FOR UPDATE
// by ON CONFLICT DO UPDATE).
void upsert_procedure_setting(std::int64_t workspace_id, std::optional<bool> relaxed_dates,
                              std::optional<bool> reschedule_if_early, std::optional<bool> reschedule_if_late);

// Inserts a run of a procedure on a record; returns its id. Names workspace_id. Snapshot: the
// statement's own. Locks: the new row.
std::int64_t insert_procedure_run(std::int64_t workspace_id, std::int64_t procedure_id, std::int64_t record_id,
                                  std::int64_t started_by);
// Inserts a run's step action (scheduled_start a timestamptz). Names workspace_id. Snapshot: the
// statement's own. Locks: the new row.
void insert_procedure_action(std::int64_t workspace_id, std::int64_t action_id, std::int64_t run_id,
                             std::int32_t position, std::int64_t scheduled_start);
// A run as stored: its workspace, whether started_by is `actor`, whether it is cancelled; looked
// up by its id alone (to find the workspace); nullopt when there is none. Snapshot: the
// statement's own. Locks: the run FOR UPDATE when lock.
struct ProcedureRunRow {
    std::int64_t workspace_id = 0;
    std::optional<std::int64_t> started_by;
    bool cancelled = false;
};
std::optional<ProcedureRunRow> procedure_run(std::int64_t run_id, bool lock);
// Stamps a run cancelled now, by actor, with the reason. Names workspace_id. Snapshot: the
// statement's own. Locks: the run (by the UPDATE).
void mark_run_cancelled(std::int64_t workspace_id, std::int64_t run_id, std::int64_t actor, const std::string& reason);

// A step action's scheduled start and its action's due date (timestamptz), the step row locked
// FOR UPDATE (the action: none); nullopt when the action is no procedure step. Names
// workspace_id. Snapshot: the statement's own.
struct StepStart {
    std::int64_t scheduled_start = 0;
    std::optional<std::int64_t> due_at;
};
std::optional<StepStart> lock_step_start(std::int64_t workspace_id, std::int64_t action_id);
// Sets a step's scheduled start (a timestamptz). Names workspace_id. Snapshot: the statement's
// own. Locks: the step row (by the UPDATE).
void set_step_scheduled_start(std::int64_t workspace_id, std::int64_t action_id, std::int64_t scheduled_start);

// Index reads (no SQL: can() and why_not() run them), with the latest committed data plus this
// transaction's writes; each names workspace_id; locks: none.
// The run and position of an action that is a procedure step; nullopt when it is none.
struct StepPlace {
    std::int64_t run_id = 0;
    std::int32_t position = 0;
};
std::optional<StepPlace> step_of_action(std::int64_t workspace_id, std::int64_t action_id);
// Whether the workspace has any procedure step, with the running statement's snapshot (as can()
// and why_not() read the action), one probe of procedure_action_pkey's leading column, kept for
// the rest of the statement and command (StatementStamp): a query asking about many actions of a
// workspace without procedures probes once, not once per action. Only for a question whose action
// was read with the same snapshot: a step's row is written with its action, so an action that
// snapshot shows is a step only if the workspace has a step in it.
bool workspace_has_steps(std::int64_t workspace_id);
// Every step of a run: its position and action, in position order.
struct RunStep {
    std::int32_t position = 0;
    std::int64_t action_id = 0;
};
std::vector<RunStep> run_steps(std::int64_t workspace_id, std::int64_t run_id);
// The workspace's relaxed_dates option (false when it set none).
bool procedure_relaxed_dates(std::int64_t workspace_id);

// The open steps of a run after `position` (the open set is actions.list_vocabulary('open')), in
// position order: action, scheduled start, due date (timestamptz). Names workspace_id. Snapshot:
// the statement's own. Locks: those actions FOR NO KEY UPDATE (the step rows: none).
struct LaterStep {
    std::int64_t action_id = 0;
    std::optional<std::int64_t> scheduled_start, due_at;
};
std::vector<LaterStep> lock_later_open_steps(std::int64_t workspace_id, std::int64_t run_id, std::int32_t position);
// What a completed step's rescheduling needs: its run and position, its action's due and
// completion times, the workspace's reschedule options (false when unset); nullopt when the action
// is no procedure step. Names workspace_id. Snapshot: the statement's own. Locks: none.
struct StepCompletion {
    std::int64_t run_id = 0;
    std::int32_t position = 0;
    std::optional<std::int64_t> due_at, completed_at;
    bool reschedule_if_early = false, reschedule_if_late = false;
};
std::optional<StepCompletion> step_completion(std::int64_t workspace_id, std::int64_t action_id);
// Records the working time (microseconds) a step's completion moved the later steps by. Names
// workspace_id. Snapshot: the statement's own. Locks: the step row (by the UPDATE).
void set_applied_shift(std::int64_t workspace_id, std::int64_t action_id, std::int64_t shift_us);
// Clears the shift a step's completion applied and returns it with the step's run and position;
// nullopt when none was applied (or it is no step). Names workspace_id. Snapshot: the statement's
// own. Locks: the step row (by the UPDATE).
struct AppliedShift {
    std::int64_t run_id = 0;
    std::int32_t position = 0;
    std::int64_t shift_us = 0;
};
std::optional<AppliedShift> take_applied_shift(std::int64_t workspace_id, std::int64_t action_id);
}  // namespace pg_actions::pg::store
