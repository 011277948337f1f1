// Actions and what hangs on them: actions.action, action_candidate, action_offer, evidence.
// Every function states what it reads or writes, the snapshot it reads with (the statement's own,
// spi.hpp: a VOLATILE caller sees what is committed now plus this transaction's writes, a STABLE
// one its caller's snapshot), the row locks it takes, and the workspace it names (the key Citus
// routes on; a lookup by id alone says so). Run inside an SpiScope.
#pragma once

#include "pg/boundary/postgres.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pg_actions::pg::store {

// The writes of the single-action verbs. Each names the action by (workspace_id, action_id), the
// key Citus routes on; snapshot: the statement's own; the caller holds the row FOR UPDATE already
// (authorize_action), the UPDATE's own row lock is FOR NO KEY UPDATE (DELETE: FOR UPDATE). The
// triggers on actions.action settle the status, log and notify.
// assignee_id = person (assign, reassign).
void set_action_assignee(std::int64_t workspace_id, std::int64_t action_id, std::int64_t person_id);
// status = status (start: 'in_progress'; uncomplete: 'to_do', which the trigger settles).
void set_action_status(std::int64_t workspace_id, std::int64_t action_id, const std::string& status);
// status = 'complete', completed_by, evidence_id (NULL: none).
void complete_action(std::int64_t workspace_id, std::int64_t action_id, std::int64_t completed_by,
                     std::optional<std::int64_t> evidence_id);
// status = 'cancelled', cancel_reason.
void cancel_action(std::int64_t workspace_id, std::int64_t action_id, const std::string& reason);
// update_action's columns: title and priority when given, description when given (an empty one
// clears it), due_at when set_due (due nullopt: cleared).
void update_action_fields(std::int64_t workspace_id, std::int64_t action_id, const std::optional<std::string>& title,
                          const std::optional<std::string>& description, bool set_due,
                          std::optional<TimestampTz> due, const std::optional<std::string>& priority);
// Deletes the action (the rows that hang on it go by ON DELETE CASCADE).
void delete_action(std::int64_t workspace_id, std::int64_t action_id);
// delegate: assignee_id = the delegate, delegated_by, delegation = 'pending'.
void delegate_action(std::int64_t workspace_id, std::int64_t action_id, std::int64_t delegate_id,
                     std::int64_t delegated_by);
// resolve: assignee_id = delegated_by, delegation = 'resolved'.
void resolve_delegation(std::int64_t workspace_id, std::int64_t action_id);
// record_outcome: outcome, outcome_comment, status = 'complete', assignee_id kept or, when none,
// the deciding person.
void close_with_outcome(std::int64_t workspace_id, std::int64_t action_id, const std::string& outcome,
                        const std::optional<std::string>& comment, std::int64_t person_id);

// The same writes for many actions of one workspace (bulk functions), each already decided and
// locked FOR UPDATE in ascending action_id by the caller; one statement; returns the rows written.
// Locks as above, per row.
std::uint64_t set_actions_assignee(std::int64_t workspace_id, const std::vector<std::int64_t>& action_ids,
                                   std::int64_t person_id);
std::uint64_t set_actions_status(std::int64_t workspace_id, const std::vector<std::int64_t>& action_ids,
                                 const std::string& status);
// status = 'complete', completed_by, evidence_id = NULL.
std::uint64_t complete_actions(std::int64_t workspace_id, const std::vector<std::int64_t>& action_ids,
                               std::int64_t completed_by);
std::uint64_t cancel_actions(std::int64_t workspace_id, const std::vector<std::int64_t>& action_ids,
                             const std::string& reason);
std::uint64_t delete_actions(std::int64_t workspace_id, const std::vector<std::int64_t>& action_ids);

// A new row of actions.action (create_action, templates, procedures); returns its action_id.
// Names workspace_id. Snapshot: the statement's own. Locks: the new row; KEY SHARE on the rows
// its foreign keys name (workspace, record, template version).
struct NewActionRow {
    std::int64_t workspace_id = 0;
    std::string title;
    std::optional<std::string> description;
    std::string type, priority;
    std::int64_t owner_id = 0;
    std::optional<std::int64_t> assignee_id;
    std::optional<TimestampTz> due_at;
    std::optional<std::int64_t> record_id;
    std::vector<std::int64_t> group_ids;
    std::optional<std::int64_t> template_id;
    std::optional<std::int32_t> template_version;
};
std::int64_t insert_action(const NewActionRow& row);

// An evidence file of an action (complete with evidence); returns its evidence_id. sha256 and
// content are bytea datums. Names workspace_id. Snapshot: the statement's own. Locks: the new
// row; KEY SHARE on the action (its foreign key), which the caller holds FOR UPDATE already.
std::int64_t insert_evidence(std::int64_t workspace_id, std::int64_t action_id, const std::string& name,
                             const std::string& content_type, std::int64_t size_bytes, Datum sha256, Datum content,
                             std::int64_t uploaded_by);

// An action's due date (nullopt: none, or no such action). Names workspace_id. Snapshot: the
// statement's own. No lock (the caller holds the row FOR UPDATE).
std::optional<TimestampTz> action_due_at(std::int64_t workspace_id, std::int64_t action_id);

// What bulk_duplicate copies of an action: its columns as create_action takes them. nullopt: no
// such action. Names workspace_id. Snapshot: the statement's own. No lock.
struct ActionCopy {
    std::optional<std::string> title, description, type, priority;
    std::optional<TimestampTz> due_at;
    std::optional<std::int64_t> assignee_id, record_id;
    std::optional<std::vector<std::int64_t>> group_ids;
};
std::optional<ActionCopy> action_copy(std::int64_t workspace_id, std::int64_t action_id);

// The other actions of a record's workflow (record_outcome): how many are still open and how many
// were declined or rejected. Names workspace_id. Snapshot: the statement's own (the caller holds
// the record and the decided action locked). No lock.
struct WorkflowSiblings {
    std::int64_t open = 0;
    std::int64_t declined = 0;
};
WorkflowSiblings workflow_siblings(std::int64_t workspace_id, std::int64_t record_id, const std::string& workflow,
                                   std::int64_t except_action_id);

// A workflow's action (api/workflows.cpp): due at working_due when given, else due_days calendar
// days from now (none without either); the triggers log it and notify its assignee. Returns its id.
// Names workspace_id. Snapshot: the statement's own. Locks: the new row (KEY SHARE on what it
// references, by the foreign keys).
struct WorkflowActionRow {
    std::int64_t workspace_id = 0;
    std::string title;
    std::optional<std::string> description;
    std::string type;
    std::int64_t owner_id = 0;
    std::optional<std::int64_t> assignee_id;
    std::optional<std::int32_t> due_days;
    std::int64_t record_id = 0;
    std::vector<std::int64_t> group_ids;
    std::string workflow;
    std::optional<std::int64_t> working_due;  // a timestamptz
};
std::int64_t insert_workflow_action(const WorkflowActionRow& a);
// Adds a person to an action's candidates (its pool). Names workspace_id. Snapshot: the
// statement's own. Locks: the new row.
void insert_action_candidate(std::int64_t workspace_id, std::int64_t action_id, std::int64_t person_id);
// Escalation's reassignment: assigns the action to person if it is still open and due at due_at;
// the assignee as stored (the guard trigger may route it to a stand-in), nullopt when the action
// has moved on. Names workspace_id. Snapshot: the statement's own. Locks: the action (FOR NO KEY
// UPDATE, by the UPDATE).
std::optional<std::int64_t> reassign_if_still_due(std::int64_t workspace_id, std::int64_t action_id,
                                                  std::int64_t person_id, std::int64_t due_at);
// Locks the action FOR NO KEY UPDATE if it is still open and due at due_at; whether it is offered
// (a pool), or nullopt when it has moved on. Names workspace_id. Snapshot: the statement's own.
std::optional<bool> lock_if_still_due(std::int64_t workspace_id, std::int64_t action_id, std::int64_t due_at);
// Unassigns the action. Names workspace_id. Snapshot: the statement's own. Locks: the action (by the UPDATE).
void unassign_action(std::int64_t workspace_id, std::int64_t action_id);
// Cancels, with the reason, the open actions of a procedure run's steps (the open set is
// actions.list_vocabulary('open')); how many. Names workspace_id. Snapshot: the statement's own.
// Locks: those actions (FOR NO KEY UPDATE, by the UPDATE).
std::uint64_t cancel_open_run_actions(std::int64_t workspace_id, std::int64_t run_id, const std::string& reason);
// Sets an action's due date (a timestamptz). Names workspace_id. Snapshot: the statement's own.
// Locks: the action (by the UPDATE).
void set_action_due(std::int64_t workspace_id, std::int64_t action_id, std::int64_t due_at);
// An action's status through its primary key (the index API, no SQL: can() and why_not() read it),
// as committed now plus this transaction's writes; nullopt when there is no such action. Names
// workspace_id. Locks: none.
std::optional<std::string> action_status_by_index(std::int64_t workspace_id, std::int64_t action_id);
// How action_facts_row() reads the row: with the running statement's snapshot (a question asked
// for many rows of one query), as committed now (no lock), locked FOR UPDATE (waits for a
// transaction holding it), or locked FOR UPDATE SKIP LOCKED (no row when another transaction holds it).
enum class ActionRowRead { statement, latest, locked, locked_unless_busy };
// The columns of an action the authorization decides on (authz/facts.cpp).
struct ActionFactsRow {
    std::int64_t workspace_id = 0;
    std::optional<std::string> status;
    std::optional<std::int64_t> owner_id, assignee_id, completed_by;
    std::vector<std::int64_t> group_ids;  // none when NULL
    std::optional<std::int64_t> record_id;
    std::optional<std::string> workflow;
    bool offered = false, claimed = false;  // NULL reads as false
    std::optional<std::int64_t> delegated_by;
    std::optional<std::string> delegation;
};
// An action's row by id alone, to find its workspace (it names no workspace_id). statement and
// latest: read through the index API (action_id_idx), no SQL, no lock: the statement's snapshot, or
// the latest one plus this transaction's writes; usable where no SQL may run (NoSqlHere). locked and
// locked_unless_busy: FOR UPDATE (SKIP LOCKED), the row's newest version once locked; in READ
// COMMITTED through the index API (its workspace by id, then the row by its primary key, both as
// committed now), in REPEATABLE READ and above by SQL (run inside an SpiScope) with the
// transaction's snapshot. nullopt: no such row (or, unless busy, held).
std::optional<ActionFactsRow> action_facts_row(std::int64_t action_id, ActionRowRead how);

// Whether an action of the workspace exists, as committed now plus this transaction's writes: an
// index read (action_pkey), no SQL, no lock.
bool action_exists_now(std::int64_t workspace_id, std::int64_t action_id);

// An evidence row's name, sha256 as hex and size, named by workspace_id and evidence_id; nullopt when
// there is none. SQL, the statement's own snapshot, no lock.
struct EvidenceRow {
    std::string name, sha256_hex;
    std::int64_t size_bytes = 0;
};
std::optional<EvidenceRow> evidence_row(std::int64_t workspace_id, std::int64_t evidence_id);

// Snapshot of the functions from here to lock_due_soon_batch: the statement's own (spi.hpp).
// Sets an action's groups. Names the workspace; locks: the row (FOR NO KEY UPDATE, by the UPDATE;
// the caller holds it already).
void update_action_groups(std::int64_t workspace_id, std::int64_t action_id, const std::vector<std::int64_t>& group_ids);
// Sets action.offered. Names the workspace; locks: the row (as above).
void update_action_offered(std::int64_t workspace_id, std::int64_t action_id, bool offered);
// The candidate becomes the assignee and claimed is set (claim_action) / the assignee is cleared
// and claimed unset (release_action). Name the workspace; locks: the row (as above).
void claim_action(std::int64_t workspace_id, std::int64_t action_id, std::int64_t assignee_id);
void release_action(std::int64_t workspace_id, std::int64_t action_id);
// One candidate of an action's offer: exactly one of person_id, group_id, role_id is set.
// insert_action_offer adds it (offered_by nullopt: by nobody, the sweep), delete_action_offer
// removes it. Name the workspace; locks: the action_offer row written (the insert: KEY SHARE on
// the rows its foreign keys name).
void insert_action_offer(std::int64_t workspace_id, std::int64_t action_id, std::optional<std::int64_t> person_id,
                         std::optional<std::int64_t> group_id, std::optional<std::int64_t> role_id,
                         std::optional<std::int64_t> offered_by);
void delete_action_offer(std::int64_t workspace_id, std::int64_t action_id, std::optional<std::int64_t> person_id,
                         std::optional<std::int64_t> group_id, std::optional<std::int64_t> role_id);
// Whether any action is offered to the role. Names the workspace; no lock.
bool role_has_offers(std::int64_t workspace_id, std::int64_t role_id);
// The open actions, not overdue, assigned and due within their workspace's due_soon_window whose
// due_soon reminder (for this due_at) is not written yet: at most `limit`, ascending action_id,
// each locked FOR KEY SHARE, SKIP LOCKED (one another transaction is changing is left for the next
// sweep). Across every workspace (a sweep): joins the workspace and the reminder on workspace_id.
struct DueSoon {
    std::int64_t workspace_id, action_id, assignee_id;
    std::int64_t due_at;  // TimestampTz
};
std::vector<DueSoon> lock_due_soon_batch(std::int64_t limit);

// One action of mark_overdue()'s batch, as the locking statement read it.
struct OverdueCandidate {
    std::int64_t workspace_id;
    std::int64_t action_id;
    std::string status;
    std::optional<std::int64_t> due_at;  // TimestampTz
};
// mark_overdue()'s batch: the actions of every workspace (a sweep: it names none, it finds each
// row's workspace_id) whose status is in actions.list_vocabulary('open_not_overdue') and whose
// due_at is before now() (the transaction's start; the partial index action_open_due_idx finds
// them), at most `limit`, in ascending action_id, each locked FOR NO KEY UPDATE in that order
// before any is written. skip_locked: a row another transaction holds is skipped (SKIP LOCKED);
// otherwise it is waited for and read again (a row that no longer qualifies is left out). The
// statement's own snapshot.
std::vector<OverdueCandidate> lock_overdue_batch(std::int64_t limit, bool skip_locked);
// Sets status 'overdue' on the actions (workspace_ids[i], action_ids[i]) that are still in
// list_vocabulary('open_not_overdue') and due before now(), in one statement; how many. Names
// workspace_id. Row locks: the UPDATE's FOR NO KEY UPDATE (the batch holds them already); the
// guard and log triggers fire per row.
std::uint64_t mark_actions_overdue(const std::vector<std::int64_t>& workspace_ids,
                                   const std::vector<std::int64_t>& action_ids);
// The same for one action; 0 or 1.
std::uint64_t mark_action_overdue(std::int64_t workspace_id, std::int64_t action_id);

}  // namespace pg_actions::pg::store

#include "core/replay.hpp"
#include "pg/store/row_stream.hpp"

namespace pg_actions::pg::store {

// An action row as its log implies it (verify_log, verify_ledger).
struct ActionReplayRow {
    std::int64_t action_id = 0;
    core::RowFacts facts;
};
// Every action row of the workspace in action_id order, through a cursor. Snapshot: the
// statement's own (the STABLE verify functions: their caller's). Locks: none. Names workspace_id.
RowStream<ActionReplayRow> action_facts_stream(std::int64_t workspace_id);

// The columns of an action the policy action_visible tests (actions.sees_action()), in its order:
// workspace_id, action_id, record_id, group_ids, assignee_id, owner_id, delegated_by, as Datums
// (group_ids an int8[] in CurrentMemoryContext) with their nulls; read through the index API
// (action_pkey) with the running statement's snapshot, no SQL, no row-level security: on Citus the
// workspace's local shard. false: no such action.
bool action_policy_columns(std::int64_t workspace_id, std::int64_t action_id, Datum* values, bool* nulls);

}  // namespace pg_actions::pg::store
