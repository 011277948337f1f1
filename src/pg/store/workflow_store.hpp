// Action types and workflow settings: actions.action_type, workflow_setting.
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

// Whether a custom action type of the workspace is retired (nullopt: no such type), for a new
// action or template of that type. Names workspace_id. Snapshot: the statement's own. Locks: the
// type row FOR SHARE, so a retirement waits for the creations that read it as in use.
std::optional<bool> lock_action_type_retired(std::int64_t workspace_id, const std::string& type_key);

}  // namespace pg_actions::pg::store
