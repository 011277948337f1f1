// Escalation rules and their firings: actions.escalation_rule, escalation_fired.
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

// Inserts a rule; returns its id. Names workspace_id. Snapshot: the statement's own. Locks: the
// new row (KEY SHARE on the workspace, member and group it references, by the foreign keys).
struct EscalationRuleRow {
    std::int64_t workspace_id = 0;
    std::int32_t after_days = 0;
    std::string escalate;
    std::optional<std::string> role_name;
    std::optional<std::int64_t> person_id;
    std::int64_t created_by = 0;
    std::optional<std::int64_t> group_id;
};
std::int64_t insert_escalation_rule(const EscalationRuleRow& r);
// The workspace of a rule, looked up by its id alone (to find the workspace); nullopt when there
// is none. Snapshot: the statement's own. Locks: the rule FOR UPDATE when lock.
std::optional<std::int64_t> escalation_rule_workspace(std::int64_t rule_id, bool lock);
// Deletes a rule (its firings go with it, ON DELETE CASCADE). Names workspace_id. Snapshot: the
// statement's own. Locks: the row.
void delete_escalation_rule_row(std::int64_t workspace_id, std::int64_t rule_id);
// Records that a rule fired for an action at its due date unless it already did; whether this
// call recorded it (the primary key decides: a concurrent sweep's insert waits for ours). Names
// workspace_id. Snapshot: the statement's own. Locks: the new row.
bool record_escalation_fired(std::int64_t workspace_id, std::int64_t rule_id, std::int64_t action_id,
                             std::int64_t due_at);
// The (rule, action) pairs due to fire: open actions (the set actions.list_vocabulary('open')
// names) at least a rule's after_days past their due date, not yet fired for that due date; at
// most `limit`, by action_id, after_days, rule_id. Across workspaces (the sweep's scan: it names no
// workspace_id; each pair joins on it). Snapshot: the statement's own. Locks: each action FOR NO
// KEY UPDATE in ascending action_id; skip_locked: an action another transaction holds is skipped.
struct DueFiring {
    std::int64_t workspace_id, rule_id, action_id;
    std::int32_t after_days;
    std::string escalate;
    std::optional<std::string> role_name;
    std::optional<std::int64_t> person_id, owner_id;
    std::int64_t due_at;  // a timestamptz
    std::optional<std::int64_t> group_id;
};
std::vector<DueFiring> lock_due_firings(std::int64_t limit, bool skip_locked);
}  // namespace pg_actions::pg::store
