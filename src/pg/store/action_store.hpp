// Actions and what hangs on them: actions.action, action_candidate, action_offer, evidence.
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

// Snapshot of the functions from here to lock_due_soon_batch: the statement's own (spi.hpp).
// Sets an action's groups. Names the workspace; locks: the row (FOR NO KEY UPDATE, by the UPDATE;
// the caller holds it already).
void update_action_groups(std::int64_t workspace_id, std::int64_t action_id, const std::vector<std::int64_t>& group_ids);
// Sets an action's assignee. Names the workspace; locks: the row (as above).
void update_action_assignee(std::int64_t workspace_id, std::int64_t action_id, std::int64_t assignee_id);
// Sets action.offered. Names the workspace; locks: the row (as above).
void update_action_offered(std::int64_t workspace_id, std::int64_t action_id, bool offered);
// The candidate becomes the assignee and claimed is set (claim_action) / the assignee is cleared
// and claimed unset (release_action). Name the workspace; locks: the row (as above).
void claim_action(std::int64_t workspace_id, std::int64_t action_id, std::int64_t assignee_id);
void release_action(std::int64_t workspace_id, std::int64_t action_id);
// One candidate of an action's offer: exactly one of person_id, group_id, role_id is set.
// insert_action_offer adds it (offered_by nullopt: by nobody, the sweep), delete_action_offer
// removes it. Name the workspace; locks: the action_offer row written (the insert: KEY SHARE on
// the rows its foreign keys name).
void insert_action_offer(std::int64_t workspace_id, std::int64_t action_id, std::optional<std::int64_t> person_id,
                         std::optional<std::int64_t> group_id, std::optional<std::int64_t> role_id,
                         std::optional<std::int64_t> offered_by);
void delete_action_offer(std::int64_t workspace_id, std::int64_t action_id, std::optional<std::int64_t> person_id,
                         std::optional<std::int64_t> group_id, std::optional<std::int64_t> role_id);
// Whether any action is offered to the role. Names the workspace; no lock.
bool role_has_offers(std::int64_t workspace_id, std::int64_t role_id);
// The open actions, not overdue, assigned and due within their workspace's due_soon_window whose
// due_soon reminder (for this due_at) is not written yet: at most `limit`, ascending action_id,
// each locked FOR KEY SHARE, SKIP LOCKED (one another transaction is changing is left for the next
// sweep). Across every workspace (a sweep): joins the workspace and the reminder on workspace_id.
struct DueSoon {
    std::int64_t workspace_id, action_id, assignee_id;
    std::int64_t due_at;  // TimestampTz
};
std::vector<DueSoon> lock_due_soon_batch(std::int64_t limit);

}  // namespace pg_actions::pg::store
