// Escalation of overdue actions: a workspace's rules ("after N days overdue, notify the owner, or
// the holders of a role, or reassign to a person, or to a pool": core/pool.hpp), what a rule must satisfy, whether it is due
// for an action, and the log entry a firing appends. Each rule fires once per action and due
// date; the glue's unique key (rule, action, due_at) makes that hold for concurrent sweeps.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "refusal.hpp"
#include "activity.hpp"
#include "pure.hpp"

namespace pg_actions::core {

// reassign_pool: the action is unassigned and offered to the holders of a role or the members of
// a group (and of the groups below it), any of whom may claim it (core/pool.hpp).
enum class Escalate { notify_owner, notify_role, reassign, reassign_pool };
inline constexpr std::size_t escalate_count = 4;
std::string_view escalate_name(Escalate e);
std::optional<Escalate> parse_escalate(std::string_view text);
std::vector<std::string_view> escalate_names();

inline constexpr int max_escalation_days = 3650;

struct RuleRequest {
    int after_days = 0;
    std::optional<Escalate> escalate;       // nullopt: an unknown name (escalate_text)
    std::string escalate_text;
    std::optional<std::string> role_name;   // notify_role, reassign_pool
    bool role_exists = false;               // a role of that name in the workspace
    std::optional<std::int64_t> group_id;   // reassign_pool
    bool group_exists = false;              // a group of the workspace
    std::optional<std::int64_t> person_id;  // reassign
    bool person_active = false;             // an active member of the workspace
};
// nullopt: the rule may be created. 22023 for an unknown escalate, days out of range, a role,
// group or person missing or given where the kind takes none; a pool is a role or a group (22023
// for both or neither); a group of another workspace is not found (P0002).
std::optional<Refusal> check_rule(const RuleRequest& r);

// A rule is due for an open action after_days × 24 hours after its due date (microseconds).
std::int64_t escalation_at(std::int64_t due_at_us, int after_days);
bool rule_due(std::int64_t due_at_us, int after_days, std::int64_t now_us);

// What one firing did, for the log.
struct Firing {
    std::int64_t rule_id;
    int after_days;
    Escalate escalate;
    std::int64_t due_at_us;
    std::vector<std::int64_t> notified;       // people notified (notify_*)
    std::optional<std::string> role_name;     // notify_role, reassign_pool
    std::optional<std::int64_t> reassigned_to;  // reassign: the new assignee (after absence routing)
    std::optional<std::int64_t> person_id;    // reassign: the rule's person
    std::optional<std::int64_t> group_id;     // reassign_pool
    std::optional<int> candidates;            // reassign_pool: how many people the offer reaches (none: not offered)
};
// The "escalated" entry: new_value the rule id, detail what it did.
Change escalation_change(const Firing& f);

}  // namespace pg_actions::core
