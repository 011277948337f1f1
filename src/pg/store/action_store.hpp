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

// One action of mark_overdue()'s batch, as the locking statement read it.
struct OverdueCandidate {
    std::int64_t workspace_id;
    std::int64_t action_id;
    std::string status;
    std::optional<std::int64_t> due_at;  // TimestampTz
};
// mark_overdue()'s batch: the actions of every workspace (a sweep: it names none, it finds each
// row's workspace_id) whose status is in actions.list_vocabulary('open_not_overdue') and whose
// due_at is before now() (the transaction's start; the partial index action_open_due_idx finds
// them), at most `limit`, in ascending action_id, each locked FOR NO KEY UPDATE in that order
// before any is written. skip_locked: a row another transaction holds is skipped (SKIP LOCKED);
// otherwise it is waited for and read again (a row that no longer qualifies is left out). The
// statement's own snapshot.
std::vector<OverdueCandidate> lock_overdue_batch(std::int64_t limit, bool skip_locked);
// Sets status 'overdue' on the actions (workspace_ids[i], action_ids[i]) that are still in
// list_vocabulary('open_not_overdue') and due before now(), in one statement; how many. Names
// workspace_id. Row locks: the UPDATE's FOR NO KEY UPDATE (the batch holds them already); the
// guard and log triggers fire per row.
std::uint64_t mark_actions_overdue(const std::vector<std::int64_t>& workspace_ids,
                                   const std::vector<std::int64_t>& action_ids);
// The same for one action; 0 or 1.
std::uint64_t mark_action_overdue(std::int64_t workspace_id, std::int64_t action_id);

}  // namespace pg_actions::pg::store
