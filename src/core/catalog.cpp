// The enumerations and seeds listed once (see catalog.hpp).
#include "catalog.hpp"

#include "absence.hpp"
#include "escalation.hpp"
#include "member.hpp"
#include "record_rules.hpp"
#include "status.hpp"
#include "template_rules.hpp"
#include "workflow.hpp"

namespace pg_actions::core {

namespace {

template <typename E, typename F>
std::vector<std::string_view> names(std::size_t count, F name) {
    std::vector<std::string_view> out;
    for (std::size_t i = 0; i < count; i++) out.push_back(name(static_cast<E>(i)));
    return out;
}

Permissions all_permissions() {
    Permissions p;
    p.set();
    return p;
}

Permissions of(std::initializer_list<Permission> list) {
    Permissions p;
    for (Permission x : list) p.set(static_cast<std::size_t>(x));
    return p;
}

}  // namespace

std::vector<std::string_view> status_names() { return names<Status>(5, status_name); }

std::vector<std::string_view> open_status_names() {
    std::vector<std::string_view> out;
    for (std::string_view s : status_names())
        if (is_active(*parse_status(s))) out.push_back(s);
    return out;
}

std::vector<std::string_view> open_not_overdue_status_names() {
    std::vector<std::string_view> out;
    for (std::string_view s : status_names())
        if (Status st = *parse_status(s); is_active(st) && st != Status::overdue) out.push_back(s);
    return out;
}

std::vector<std::string_view> priority_names() { return {"none", "low", "medium", "high"}; }

std::vector<std::string_view> member_state_names() { return names<MemberState>(3, member_state_name); }

std::vector<std::string_view> capacity_names() { return names<Capacity>(capacity_count, capacity_name); }

std::vector<std::string_view> workflow_names() { return names<Workflow>(workflow_count, workflow_name); }

std::vector<std::string_view> outcome_names() { return names<Outcome>(5, outcome_name); }

std::vector<std::string_view> permission_names() { return names<Permission>(permission_count, permission_name); }

std::vector<std::string_view> absence_routing_names() {
    return names<AbsenceRouting>(absence_routing_count, absence_routing_name);
}

std::vector<std::string_view> escalation_names() { return escalate_names(); }

std::vector<std::string_view> due_unit_names() { return names<DueUnit>(due_unit_count, due_unit_name); }

std::vector<std::string_view> assignee_rule_names() {
    return names<AssigneeRule>(assignee_rule_count, assignee_rule_name);
}

std::vector<std::string_view> placeholder_names() { return names<Placeholder>(placeholder_count, placeholder_name); }
std::vector<std::string_view> non_working_due_names() { return {"keep", "previous", "next"}; }

std::string_view notification_kind_name(NotificationKind k) {
    switch (k) {
    case NotificationKind::assigned: return "assigned";
    case NotificationKind::reassigned: return "reassigned";
    case NotificationKind::invited: return "invited";
    case NotificationKind::due_soon: return "due_soon";
    case NotificationKind::overdue: return "overdue";
    case NotificationKind::substitute: return "substitute";
    case NotificationKind::escalated: return "escalated";
    case NotificationKind::offered: return "offered";
    case NotificationKind::delegated: return "delegated";
    case NotificationKind::resolved: return "resolved";
    }
    return "";
}

std::vector<std::string_view> notification_kind_names() {
    return names<NotificationKind>(10, notification_kind_name);
}

std::vector<std::string_view> reminder_kind_names() {
    return {notification_kind_name(NotificationKind::due_soon), notification_kind_name(NotificationKind::overdue)};
}

std::string listed(const std::vector<std::string_view>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); i++) {
        if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
        out += names[i];
    }
    return out;
}

std::vector<SystemRole> system_roles() {
    using P = Permission;
    return {
        {"owner", true, all_permissions()},
        {"manager", true, all_permissions()},
        {"user", true,
         of({P::view_actions, P::create_actions, P::assign_actions, P::edit_own_actions, P::delete_own_actions,
             P::reassign_actions})},
        {"actions_access", false, {}},
        {"inquiry", true, of({P::view_actions})},
    };
}

std::string_view catch_up_name(CatchUp c) { return c == CatchUp::all ? "all" : "latest"; }
std::optional<CatchUp> parse_catch_up(std::string_view name) {
    if (name == "all") return CatchUp::all;
    if (name == "latest") return CatchUp::latest;
    return std::nullopt;
}
std::vector<std::string_view> catch_up_names() { return names<CatchUp>(2, catch_up_name); }

}  // namespace pg_actions::core
