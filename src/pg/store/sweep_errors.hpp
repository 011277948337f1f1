// The maintenance sweeps' unexpected errors, one row per item: a sweep runs each item (an action,
// schedule, document or workspace) in its own subtransaction, and an error that is not a recorded
// refusal is written to actions.maintenance_error (through actions.record_maintenance_error(),
// which also keeps the table bounded and raises a WARNING for pg_cron's log) while the other
// items go on. docs/design.md, "Bounded maintenance".
#pragma once

#include "pg/boundary/postgres.hpp"

#include <cstdint>
#include <string>

namespace pg_actions::pg {

// item: 'action', 'schedule', 'document' or 'workspace' (the table's CHECK); workspace_id 0: none.
void record_sweep_error(const char* task, std::int64_t workspace_id, const char* item, std::int64_t item_id,
                        int sqlstate, const std::string& message);

// The items of one sweep call. A failed item is recorded (record_sweep_error); when every item
// the call took on failed, finish() raises the first one's error, so the task itself is reported
// as failed (actions.maintenance_run) rather than as a success that did nothing: what fails for
// every item is the task's problem, not an item's.
class SweepItems {
public:
    explicit SweepItems(const char* task) : task_(task) {}
    void succeeded() { succeeded_++; }
    void failed(std::int64_t workspace_id, const char* item, std::int64_t item_id, int sqlstate,
                const std::string& message);
    void finish() const;

private:
    const char* task_;
    long succeeded_ = 0, failed_ = 0;
    int first_sqlstate_ = 0;
    std::string first_message_;
};

// pg_actions.sweep_batch_size as a statement parameter.
Datum sweep_batch_datum();

}  // namespace pg_actions::pg
