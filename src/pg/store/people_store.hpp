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

// Snapshot of the functions from here to update_workspace_absence_routing: the statement's own (spi.hpp).
// The person with this e-mail, case-insensitive (lower(email), unique). By the e-mail alone
// (actions.person has no workspace); no lock. nullopt: nobody has it.
std::optional<std::int64_t> person_by_email(const std::string& email);
// Inserts a person; display_name nullopt: the e-mail's local part (at most 200 characters).
// Returns the id. No workspace (a person belongs to none); locks: the new row.
std::int64_t insert_person(const std::string& email, const std::optional<std::string>& display_name);
// Locks the workspace row FOR NO KEY UPDATE: what serializes changes to its group tree. Names
// the workspace.
void lock_workspace_row(std::int64_t workspace_id);
// Sets the workspace's absence_routing. Names the workspace; locks: the row (FOR NO KEY UPDATE).
void update_workspace_absence_routing(std::int64_t workspace_id, const std::string& routing);

}  // namespace pg_actions::pg::store
