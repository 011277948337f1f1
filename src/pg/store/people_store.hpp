// People, workspaces and trusted services: actions.person, workspace, trusted_service.
// Every function states what it reads or writes, the snapshot it reads with (the statement's own,
// spi.hpp: a VOLATILE caller sees what is committed now plus this transaction's writes, a STABLE
// one its caller's snapshot), the row locks it takes, and the workspace it names (the key Citus
// routes on; a lookup by id alone says so). Run inside an SpiScope.
#pragma once

#include "pg/boundary/postgres.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
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
// The person whose login_role is this role, through the unique index on login_role (the role's
// name): an index read, no SQL (usable under NoSqlHere), the latest snapshot plus this
// transaction's writes, no lock. A person belongs to no workspace.
std::optional<std::int64_t> person_of_login_role(Oid role);
// The person whose lower(email), or external_id, is this value, through their unique indexes: an
// index read, no SQL, the latest snapshot plus this transaction's writes, no lock; no workspace.
std::optional<std::int64_t> person_of_email(const std::string& email);
std::optional<std::int64_t> person_of_external_id(const std::string& external_id);
// The claim (trusted_service.claim) a role is registered with as an authenticator, by the primary
// key role_name: an index read, no SQL, the latest snapshot, no lock; nullopt when the role is not
// registered, has no claim, or one longer than any claim there is. No workspace (a service is global).
std::optional<std::string> authenticator_claim_of(Oid role);
// The trusted services session_user belongs to (itself, a role it is a member of, or any for a
// superuser; an authenticator only for its own login): nullopt when none, else whether one of them
// sees every row. SQL, the statement's own snapshot, no lock, no workspace.
std::optional<bool> trusted_service_sees_all(Oid session_user);
// Whether a person exists, by id. SQL, the statement's own snapshot, no lock, no workspace.
bool person_exists(std::int64_t person_id);
// Locks the workspace row FOR NO KEY UPDATE (by workspace_id); false when there is none (it is
// being deleted). SQL, the statement's own snapshot, then the row's newest version.
bool lock_workspace_no_key_update(std::int64_t workspace_id);
// The last microsecond of a day in the workspace's time zone (workspace.time_zone, by
// workspace_id); nullopt when there is no such workspace or the instant is out of range. SQL, the
// statement's own snapshot, no lock.
std::optional<TimestampTz> workspace_end_of_day(std::int64_t workspace_id, DateADT day);

// Snapshot of the functions from here to update_workspace_absence_routing: the statement's own (spi.hpp).
// The person with this e-mail, case-insensitive (lower(email), unique). By the e-mail alone
// (actions.person has no workspace); no lock. nullopt: nobody has it.
std::optional<std::int64_t> person_by_email(const std::string& email);
// The display name of each person of ids that exists (the others are left out), by one statement
// on actions.person (a reference table on Citus: read on this node). The caller's snapshot (as
// Statement::run() decides), no locks, no workspace (a global table).
std::unordered_map<std::int64_t, std::string> display_names(const std::vector<std::int64_t>& ids);

// Inserts a person; display_name nullopt: the e-mail's local part (at most 200 characters).
// Returns the id. No workspace (a person belongs to none); locks: the new row.
std::int64_t insert_person(const std::string& email, const std::optional<std::string>& display_name);
// Locks the workspace row FOR NO KEY UPDATE: what serializes changes to its group tree. Names
// the workspace.
void lock_workspace_row(std::int64_t workspace_id);
// Sets the workspace's absence_routing. Names the workspace; locks: the row (FOR NO KEY UPDATE).
void update_workspace_absence_routing(std::int64_t workspace_id, const std::string& routing);


}  // namespace pg_actions::pg::store
