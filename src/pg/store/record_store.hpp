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

// Tracked tables (actions.track_row()). source: the application table's OID (regclass), or none.
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
// The actions.tracked_table row of the table (by source alone: it finds the workspace), or none.
struct TrackedTable {
    std::int64_t workspace_id;
    std::string kind;
    std::string key_column;
    std::optional<std::int64_t> owner_id;
    std::string source_name;  // regclass text
};
std::optional<TrackedTable> tracked_table_of(TableOid source);
// Whether an action links to the record of (source, key) (by source and key alone, as the
// record's unique key; any workspace). No lock.
bool tracked_record_has_actions(TableOid source, const std::optional<std::string>& key);
// The record of (source, key): archived (archived_at kept when set), removed, or moved to a new
// key. Row locks: the UPDATE's or DELETE's own (FOR UPDATE of the record).
void archive_tracked_record(TableOid source, const std::optional<std::string>& key);
void delete_tracked_record(TableOid source, const std::optional<std::string>& key);
void rekey_tracked_record(TableOid source, const std::optional<std::string>& old_key, const std::string& new_key);
// Inserts the record of (source, key) in the workspace, or, when it exists (the unique
// (source_table, source_key)), sets its title and archived flag (archived_at: now() when it
// becomes archived, kept while it stays so, NULL when it is no longer). Names workspace_id. Row
// locks: the INSERT's, or FOR UPDATE of the existing record (ON CONFLICT DO UPDATE).
void upsert_tracked_record(std::int64_t workspace_id, const std::string& kind, const std::string& title, bool archived,
                           std::optional<std::int64_t> owner_id, TableOid source, const std::string& key,
                           const std::optional<std::string>& workflow_state);

}  // namespace pg_actions::pg::store
