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

// Whether the person exists (actions.person, by id: a person belongs to no workspace). No lock;
// the statement's own snapshot.
bool person_exists(std::int64_t person_id);

}  // namespace pg_actions::pg::store
