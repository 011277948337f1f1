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

// The values of a template's placeholders (api/templates.cpp): the workspace's name, the actor's
// display name, today and the due day in the workspace's time zone (due_on, else today + due_in;
// as a date and as text), and due_at's day there when given. nullopt: no such workspace. Names
// workspace_id (and the person by id). Snapshot: the statement's own. Locks: none.
struct PlaceholderContext {
    std::string workspace, creator, created_on;
    std::optional<std::int32_t> due_day;  // a DateADT
    std::optional<std::string> due_date;
};
std::optional<PlaceholderContext> placeholder_context(std::int64_t workspace_id, std::int64_t actor,
                                                      std::optional<std::int64_t> due_at,
                                                      std::optional<std::int32_t> due_on,
                                                      std::optional<std::int32_t> due_in);
}  // namespace pg_actions::pg::store
