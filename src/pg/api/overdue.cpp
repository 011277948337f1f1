// mark_overdue(): the maintenance task that marks the open actions whose due date has passed as
// overdue. Which actions become overdue is the core's rule (core::becomes_overdue, status.hpp);
// the batch, its locks and the per-item subtransactions are the sweeps' mechanism
// (in_subtransaction, SweepItems), as in escalate_overdue() and create_due_reviews().
#include "pg/boundary/postgres.hpp"

#include <vector>

#include "core/status.hpp"
#include "pg/api/bulk_rows.hpp"
#include "pg/boundary/module.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/store/action_store.hpp"
#include "pg/store/sweep_errors.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

PG_ACTIONS_FUNCTION(pg_actions_mark_overdue) {
    SpiScope spi;
    // One batch: at most pg_actions.sweep_batch_size actions, locked in ascending action_id
    // (the order in which every sweep and bulk call locks actions, so they queue instead of
    // deadlocking), before any is written. A row another transaction holds is waited for and
    // read again: a concurrent sweep's marks are not marked twice. Inside
    // actions.run_maintenance() (pg_actions.sweep_skip_locked) it is skipped instead: the job
    // holds its earlier tasks' locks, so it must not wait.
    std::vector<store::OverdueCandidate> batch = store::lock_overdue_batch(sweep_batch_size, sweep_skip_locked);
    const TimestampTz now = GetCurrentTransactionStartTimestamp();  // now()
    std::vector<std::int64_t> workspaces, ids;
    for (const store::OverdueCandidate& c : batch) {
        std::optional<core::Status> status = core::parse_status(c.status);
        if (!status || !core::becomes_overdue(*status, c.due_at, now)) continue;
        workspaces.push_back(c.workspace_id);
        ids.push_back(c.action_id);
    }
    if (ids.empty()) PG_RETURN_INT64(0);
    // The guard trigger checks each move. All in one statement; when it fails, action by
    // action, each in its own subtransaction, so an action whose move fails unexpectedly is
    // recorded (actions.maintenance_error) and the others are marked; when every one fails,
    // the task fails (SweepItems). 40xxx, 53xxx and 57xxx abort the call (in_subtransaction).
    std::uint64_t marked = 0;
    Caught error{};
    if (in_subtransaction([&] { marked = store::mark_actions_overdue(workspaces, ids); }, &error))
        PG_RETURN_INT64(static_cast<std::int64_t>(marked));
    marked = 0;
    SweepItems items("mark_overdue");
    for (std::size_t i = 0; i < ids.size(); i++) {
        check_for_interrupts();
        std::uint64_t k = 0;
        if (!in_subtransaction([&] { k = store::mark_action_overdue(workspaces[i], ids[i]); }, &error)) {
            items.failed(workspaces[i], "action", ids[i], error.code, error.message);
            continue;
        }
        items.succeeded();
        marked += k;
    }
    items.finish();
    PG_RETURN_INT64(static_cast<std::int64_t>(marked));
}
