// An application table adopted as records (actions.track_table()): how one of its rows maps to a
// record. The trigger hands over the row's key, title and archived flag as plain values computed
// as the writer; actions.track_row() asks these rules what the record becomes.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "pure.hpp"

namespace pg_actions::core {

// The write that reached the tracked table (the trigger's TG_OP).
enum class TrackedWrite { insert, update, remove };
std::optional<TrackedWrite> parse_tracked_write(std::string_view op);  // INSERT, UPDATE, DELETE

// The record's title: the row's title without leading and trailing spaces; when that is absent or
// empty, "<kind> <key>". The glue then keeps at most max_title_chars characters of it (counted in
// the database's encoding).
std::string tracked_title(std::string_view kind, std::string_view key, const std::optional<std::string>& title);

// A deleted row: its record stays, archived, while actions link to it (they keep their context);
// otherwise the record goes with the row.
enum class DeletedRow { archive_record, remove_record };
DeletedRow deleted_row(bool record_has_actions);

// Whether an update moves the record to the row's new key (the key column changed).
bool rekeys(TrackedWrite write, const std::optional<std::string>& old_key, const std::optional<std::string>& new_key);

// Whether the record is archived: the row's archived test, false when it gave NULL.
bool tracked_archived(std::optional<bool> archived);

}  // namespace pg_actions::core
