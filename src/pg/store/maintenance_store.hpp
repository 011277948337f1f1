// Maintenance runs: actions.maintenance_run (errors: sweep_errors.hpp).
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

// The statements actions.cron_schedule_elsewhere() / cron_unschedule_elsewhere() send over libpq
// to the database pg_cron keeps its jobs in (api/maintenance.cpp), with text parameters; each
// answers one value. They run there as the calling role, under that connection's own statement
// (its snapshot: READ COMMITTED there), and name no workspace (pg_cron's job is per database).
// pg_cron upserts by job name and owner: $1 job name, $2 schedule, $3 command, $4 this database;
// answers the job id.
extern const char* const cron_schedule_in_database_sql;
// Removes this database's jobs of a name: $1 job name, $2 this database; answers how many.
// Locks: the cron.job rows cron.unschedule() deletes.
extern const char* const cron_unschedule_in_database_sql;

// Runs actions.unschedule_maintenance(quiet => true) (the event trigger before pg_actions is
// dropped): a failure to remove the job is a WARNING. Snapshot: the statement's own. Locks: what
// that function takes (pg_cron's job rows). Names no workspace.
void unschedule_maintenance_quietly();

// Whether actions.<task>() is one of the maintenance tasks: a row of actions.maintenance_status
// (where the tasks and their order are defined). Snapshot: the statement's own; no locks; no
// workspace (the view counts backlogs over all of them only when they are read, and this reads
// the task names alone).
bool is_maintenance_task(const std::string& task);

// Runs actions.<task>() (a name is_maintenance_task() accepted) and returns its count. Snapshot
// and locks: the task's own; the workspace it works on: all, or in a ForwardedCall the one
// workspace its marked statements name (spi.hpp).
std::int64_t run_task(const std::string& task);

// The workspaces whose shard of actions.workspace is placed on this node, in id order: on a
// single node all of them. Read by index from the local shards (direct.hpp), latest committed
// data, no locks.
std::vector<std::int64_t> workspaces_placed_here();

}  // namespace pg_actions::pg::store
