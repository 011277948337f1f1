// People, workspaces and trusted services: actions.person, workspace, trusted_service.
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

// A workspace's time zone (nullopt: no such workspace). Snapshot: the statement's own. No lock.
// Names workspace_id.
std::optional<std::string> workspace_time_zone(std::int64_t workspace_id);
// Today's date in the workspace's time zone (now(): the transaction's start), as PostgreSQL's
// DateADT (days since 2000-01-01; nullopt: no such workspace). Snapshot: the statement's own. No
// lock. Names workspace_id.
std::optional<std::int32_t> workspace_today(std::int64_t workspace_id);

}  // namespace pg_actions::pg::store
