// Every enumeration the schema stores as text, and the seeds of a new workspace (its system roles
// and record kinds), listed once, here. The SQL CHECKs, the notification-kind domain and the seeds
// in src/sql are checked against these lists by test/unit/catalog_test.cpp, which fails on any
// difference.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "permission.hpp"
#include "pure.hpp"

namespace pg_actions::core {

std::vector<std::string_view> status_names();
// The statuses of work still open (is_active: to_do, in_progress, overdue), and those of them an
// elapsed due date makes overdue (to_do, in_progress): the two sets every SQL statement reads
// through actions.list_vocabulary('open') and ('open_not_overdue') instead of spelling them.
std::vector<std::string_view> open_status_names();
std::vector<std::string_view> open_not_overdue_status_names();
std::vector<std::string_view> priority_names();
std::vector<std::string_view> member_state_names();
std::vector<std::string_view> capacity_names();
std::vector<std::string_view> workflow_names();
std::vector<std::string_view> outcome_names();
std::vector<std::string_view> permission_names();
std::vector<std::string_view> absence_routing_names();  // actions.workspace.absence_routing
std::vector<std::string_view> escalation_names();       // actions.escalation_rule.escalate
// Templates (core/template_rules.hpp): due units, assignee rules, placeholders of titles.
std::vector<std::string_view> due_unit_names();
std::vector<std::string_view> assignee_rule_names();
std::vector<std::string_view> placeholder_names();
// A workspace's non_working_due setting (core/calendar_rules.hpp, NonWorkingDue).
std::vector<std::string_view> non_working_due_names();

// What a notification is about; a reminder (sent once per action and due date) is due_soon or
// overdue. offered: an action was offered to a pool the person is a candidate of; delegated: the
// assignee delegated an action to the person; resolved: the delegate resolved it back to its
// assignee; substitute: an action was assigned to an absent member whose substitute you are
// (absence routing 'both'); escalated: an escalation rule notifies you of an overdue action.
enum class NotificationKind {
    assigned, reassigned, due_soon, overdue, invited, offered, delegated, resolved, substitute, escalated
};
std::string_view notification_kind_name(NotificationKind k);
std::vector<std::string_view> notification_kind_names();
std::vector<std::string_view> reminder_kind_names();

// The system roles every workspace is given.
struct SystemRole {
    std::string_view name;
    bool billable;
    Permissions permissions;
};
std::vector<SystemRole> system_roles();
// The system action types every workspace is given: system_action_types() in core/action_type.hpp.

// A schedule's choice after the sweep was stopped for a while (core/recurrence.hpp): create every
// missed occurrence, or only the latest.
enum class CatchUp { all, latest };
std::string_view catch_up_name(CatchUp c);
std::optional<CatchUp> parse_catch_up(std::string_view name);
std::vector<std::string_view> catch_up_names();

// "a, b or c": a list of names for a message or a hint, so no refusal spells an enumeration out.
std::string listed(const std::vector<std::string_view>& names);

}  // namespace pg_actions::core
