// Records: actions.record_kind, record, record_party, tracked_table.
// Every function states what it reads or writes, the snapshot it reads with (the statement's own,
// spi.hpp: a VOLATILE caller sees what is committed now plus this transaction's writes, a STABLE
// one its caller's snapshot), the row locks it takes, and the workspace it names (the key Citus
// routes on; a lookup by id alone says so). Run inside an SpiScope.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pg_actions::pg::store {

// A record's workspace and groups as committed now (the latest committed data plus this
// transaction's writes, read through record_id_idx: no SQL, no snapshot of a statement). No lock.
// By record_id alone: it finds the workspace. nullopt: no such record.
struct RecordSeen {
    std::int64_t workspace_id;
    std::vector<std::int64_t> group_ids;
};
std::optional<RecordSeen> record_seen(std::int64_t record_id);

// A record's row. share: locked FOR SHARE (the record of an action already authorized on);
// otherwise FOR NO KEY UPDATE (a concurrent approval holding it FOR SHARE waits). Snapshot: the
// statement's own (a locked row is its newest version). By record_id alone: it finds the
// workspace. nullopt: no such record.
struct RecordRow {
    std::int64_t workspace_id;
    std::string kind;
    std::string title;
    bool archived;
    std::optional<std::string> workflow_state;
    std::vector<std::int64_t> group_ids;
};
std::optional<RecordRow> lock_record(std::int64_t record_id, bool share);

// Whether the workspace has the record kind. Snapshot: the statement's own. No lock. Names workspace_id.
bool record_kind_exists(std::int64_t workspace_id, const std::string& kind);
// Inserts a record; its id. Locks: the new row. Names workspace_id.
std::int64_t insert_record(std::int64_t workspace_id, const std::string& kind, const std::string& title,
                           const std::vector<std::int64_t>& group_ids, std::int64_t owner_id,
                           const std::optional<std::string>& workflow_state);
// Inserts the owner party of a new record. Locks: the new row (KEY SHARE on the record by the
// foreign key). Names workspace_id.
void insert_record_owner(std::int64_t workspace_id, std::int64_t record_id, std::int64_t person_id);
// Archives a record (archived_at now). Locks: the row (FOR NO KEY UPDATE by the UPDATE). Names workspace_id.
void archive_record(std::int64_t workspace_id, std::int64_t record_id);
// Writes a record's title. Locks: the row (FOR NO KEY UPDATE by the UPDATE). Names workspace_id.
void set_record_title(std::int64_t workspace_id, std::int64_t record_id, const std::string& title);

// Inserts a custom record kind; false when it exists (ON CONFLICT DO NOTHING). Locks: the new
// row. Names workspace_id.
bool insert_record_kind(std::int64_t workspace_id, const std::string& kind);
// Whether any record of the workspace is of the kind. Snapshot: the statement's own. No lock.
// Names workspace_id.
bool record_kind_in_use(std::int64_t workspace_id, const std::string& kind);
// Deletes a custom (not system) record kind; false when there is none. Locks: the row. Names workspace_id.
bool delete_custom_record_kind(std::int64_t workspace_id, const std::string& kind);

// Adds a party (a person, or a group when is_group) of a capacity; false when it is one already
// (ON CONFLICT DO NOTHING). Locks: the new row (KEY SHARE on the record by the foreign key).
// Names workspace_id.
bool add_record_party(std::int64_t workspace_id, std::int64_t record_id, const std::string& capacity,
                      std::int64_t party_id, bool is_group);
// Removes a party (a person, or a group when is_group) of a capacity. Locks: the row. Names workspace_id.
void remove_record_party(std::int64_t workspace_id, std::int64_t record_id, const std::string& capacity,
                         std::int64_t party_id, bool is_group);

// A record's title and kind, with the earliest person (by added_at, then id) holding `capacity`
// on it (none when capacity is nullopt). nullopt: no such record. Names workspace_id. Snapshot:
// the statement's own. Locks: none.
struct RecordTitleParty {
    std::string title, kind;
    std::optional<std::int64_t> party;
};
std::optional<RecordTitleParty> record_title_party(std::int64_t workspace_id, std::int64_t record_id,
                                                   const std::optional<std::string>& capacity);
// Sets a record's workflow state (NULL: none). Names workspace_id. Snapshot: the statement's own.
// Locks: the record (FOR NO KEY UPDATE, by the UPDATE).
void set_record_workflow_state(std::int64_t workspace_id, std::int64_t record_id, const std::optional<std::string>& state);
// A record's owner_id (its creator); nullopt when it has none or there is no such record. Names
// workspace_id. Snapshot: the statement's own. Locks: none.
std::optional<std::int64_t> record_owner(std::int64_t workspace_id, std::int64_t record_id);
// Stamps a document published now; its first review becomes due now when `reviews` and none is
// scheduled. Names workspace_id. Snapshot: the statement's own. Locks: the record (by the UPDATE).
void publish_record(std::int64_t workspace_id, std::int64_t record_id, bool reviews);
// Sets a document's review interval (an interval datum; nullopt: NULL). Names workspace_id.
// Snapshot: the statement's own. Locks: the record (by the UPDATE).
void set_review_every(std::int64_t workspace_id, std::int64_t record_id, std::optional<std::uintptr_t> every);
// What a review of a document needs: kind, title, groups, workflow state. nullopt: no such record.
// Names workspace_id. Snapshot: the statement's own. Locks: none.
struct ReviewedRecord {
    std::string kind, title;
    std::vector<std::int64_t> group_ids;
    std::optional<std::string> workflow_state;
};
std::optional<ReviewedRecord> record_for_review(std::int64_t workspace_id, std::int64_t record_id);
// Schedules a document's next review review_every after the last (not before now), or none
// without an interval. Names workspace_id. Snapshot: the statement's own. Locks: the record (by the UPDATE).
void schedule_next_review(std::int64_t workspace_id, std::int64_t record_id);
// Published, unarchived documents whose review is due, longest due first, at most `limit`,
// locked FOR UPDATE SKIP LOCKED (another sweep's are skipped). Across workspaces (the sweep's
// scan: it names no workspace_id). Snapshot: the statement's own.
struct DueReview {
    std::int64_t record_id, workspace_id;
    std::optional<std::int64_t> owner;
};
std::vector<DueReview> lock_due_reviews(std::int64_t limit);
// Tracked tables (actions.track_row()). source: the application table's OID (regclass), or none.
// Compared and written as an OID: on Citus, where actions.distribute() makes the columns naming an
// application's table (of the coordinator) oid, a regclass value would reach the workers by name.
using TableOid = unsigned int;  // an Oid, without the PostgreSQL headers here
// Whether the session user may make this write (op: INSERT, UPDATE or DELETE) to the table and
// the table carries the trigger actions.track_table() installs; with the table's name (regclass
// text, NULL when none) and the refusal's detail. Reads the catalogs; no lock; the statement's
// own snapshot; no workspace (the table belongs to none until tracked_table_of finds it).
struct TrackingWriteCheck {
    bool allowed = false;
    std::optional<std::string> source_name;
    std::string detail;
};
TrackingWriteCheck tracking_write_check(std::optional<TableOid> source, const std::string& op);
// The actions.tracked_table row of the table (by source alone: it finds the workspace; on a Citus
// coordinator, where the application's tables are, a read of every shard), or none.
struct TrackedTable {
    std::int64_t workspace_id;
    std::string kind;
    std::string key_column;
    std::optional<std::int64_t> owner_id;
};
std::optional<TrackedTable> tracked_table_of(TableOid source);
// The records of (source, key) with their workspaces (by source and key alone: any workspace; on a
// Citus coordinator a read of every shard). The statement's snapshot; no lock.
struct WorkspaceRecord {
    std::int64_t record_id;
    std::int64_t workspace_id;
};
std::vector<WorkspaceRecord> tracked_records(TableOid source, const std::string& key);
// Whether an action links to the record of (source, key) in the tracked table's workspace. No lock.
// Each names workspace_id (on Citus: one node, the one holding the workspace).
bool tracked_record_has_actions(std::int64_t workspace_id, TableOid source, const std::optional<std::string>& key);
// The record of (source, key) in the workspace: archived (archived_at kept when set), removed, or
// moved to a new key. Row locks: the UPDATE's or DELETE's own (FOR UPDATE of the record).
void archive_tracked_record(std::int64_t workspace_id, TableOid source, const std::optional<std::string>& key);
void delete_tracked_record(std::int64_t workspace_id, TableOid source, const std::optional<std::string>& key);
void rekey_tracked_record(std::int64_t workspace_id, TableOid source, const std::optional<std::string>& old_key,
                          const std::string& new_key);
// Inserts the record of (source, key) in the workspace, or, when it exists (the unique
// (source_table, source_key)), sets its title and archived flag (archived_at: now() when it
// becomes archived, kept while it stays so, NULL when it is no longer). Names workspace_id. Row
// locks: the INSERT's, or FOR UPDATE of the existing record (ON CONFLICT DO UPDATE).
void upsert_tracked_record(std::int64_t workspace_id, const std::string& kind, const std::string& title, bool archived,
                           std::optional<std::int64_t> owner_id, TableOid source, const std::string& key,
                           const std::optional<std::string>& workflow_state);

}  // namespace pg_actions::pg::store
