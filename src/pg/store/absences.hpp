// Absences as committed now, read through the index API (no SQL, so the questions may use them),
// and the marks that tell the log an act was made for an absent member or an assignment was
// redirected to a substitute (core/absence.hpp). Marks live until the transaction ends.
#pragma once

#include "pg/boundary/postgres.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/absence.hpp"

namespace pg_actions::pg {

struct AbsenceRow {
    std::int64_t absence_id;
    std::int64_t person_id;
    std::int64_t substitute_id;
    core::AbsencePeriod period;
};
// Every absence of a person in a workspace.
std::vector<AbsenceRow> person_absences(std::int64_t workspace_id, std::int64_t person_id);
// The person's absence under way at `at`, if any.
std::optional<AbsenceRow> absence_at(std::int64_t workspace_id, std::int64_t person_id, TimestampTz at);
// The absences under way at `at` in which the person is the substitute, in a workspace.
std::vector<AbsenceRow> substituting_at(std::int64_t workspace_id, std::int64_t substitute_id, TimestampTz at);
// One absence by id: as committed now (no lock: what visibility is decided on), or locked FOR
// UPDATE (waits for a transaction that holds it; call only once the caller may see it).
std::optional<AbsenceRow> find_absence(std::int64_t absence_id, bool lock, std::int64_t* workspace_id);
// The workspace's absence_routing.
core::AbsenceRouting absence_routing(std::int64_t workspace_id);

// An act on action_id by actor is one for the absent member (the log's detail says acting_for).
void mark_acting_for(std::int64_t action_id, std::int64_t actor, std::int64_t absent);
std::optional<std::int64_t> acting_for(std::int64_t action_id, std::optional<std::int64_t> actor);
// The guard redirected (or shared) a new assignment of action_id: what the log trigger adds.
void mark_routed(std::int64_t action_id, const core::Routed& routed);
std::optional<core::Routed> take_routed(std::int64_t action_id);
void absence_marks_reset();  // at transaction end

namespace store {
// Locks an absence (workspace_id, absence_id) FOR SHARE if it is under way now (starts_at <= now() <
// ends_at); false when it is not (or no longer). SQL, the statement's own snapshot, then the row's
// newest version.
bool lock_absence_under_way(std::int64_t workspace_id, std::int64_t absence_id);
}  // namespace store

// SQL writes of absences; snapshot: the statement's own (spi.hpp).
namespace store {
// Inserts an absence; returns its id. Names the workspace; locks: the new row (and KEY SHARE on
// the member rows its foreign keys name).
std::int64_t insert_absence(std::int64_t workspace_id, std::int64_t person_id, std::int64_t substitute_id,
                            TimestampTz starts_at, TimestampTz ends_at, const std::optional<std::string>& note,
                            std::int64_t created_by);
// Deletes an absence (delete_absence) / ends it now (end_absence_now: ends_at = now()). Name the
// workspace; locks: the row (the caller holds it FOR UPDATE already: find_absence).
void delete_absence(std::int64_t workspace_id, std::int64_t absence_id);
void end_absence_now(std::int64_t workspace_id, std::int64_t absence_id);
}  // namespace store

// Every absence in which the person is the substitute, in any workspace (a lookup by the
// substitute alone: it finds the workspaces; on Citus, those of this node's shards), with its
// workspace, ordered by workspace, person and absence. Read through the index on
// (substitute_id, ends_at) with the latest committed data, like the memberships it is asked with
// (the session's visibility sets, kept for the statement); no lock.
struct SubstituteAbsence {
    std::int64_t workspace_id;
    AbsenceRow absence;
};
std::vector<SubstituteAbsence> absences_of_substitute(std::int64_t substitute_id);

}  // namespace pg_actions::pg
