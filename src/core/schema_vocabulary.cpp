// The schema's enumerated columns and the core's list for each (see schema_vocabulary.hpp).
#include "schema_vocabulary.hpp"

#include "catalog.hpp"
#include "identity.hpp"
#include "pool.hpp"
#include "template_rules.hpp"

namespace pg_actions::core {

std::vector<std::string_view> bulk_notification_names() { return {"each", "digest"}; }
std::vector<std::string_view> delivery_channel_names() { return {"email", "webhook"}; }
std::vector<std::string_view> delivery_state_names() { return {"pending", "delivered", "skipped", "failed"}; }
std::vector<std::string_view> maintenance_outcome_names() { return {"succeeded", "failed"}; }
std::vector<std::string_view> sweep_item_names() { return {"action", "schedule", "document", "workspace"}; }

std::vector<EnumeratedColumn> enumerated_columns() {
    const std::vector<std::string_view> sees{service_sees_name(ServiceSees::nothing), service_sees_name(ServiceSees::all)};
    const std::vector<std::string_view> claims{claim_name(Claim::role), claim_name(Claim::email), claim_name(Claim::sub)};
    return {
        {"workspace", "bulk_notification", bulk_notification_names()},
        {"workspace", "absence_routing", absence_routing_names()},
        {"workspace_calendar", "non_working_due", non_working_due_names()},
        {"member", "state", member_state_names()},
        {"trusted_service", "sees", sees},
        {"trusted_service", "claim", claims},
        {"record_party", "capacity", capacity_names()},
        {"action", "priority", priority_names()},
        {"action", "status", status_names()},
        {"action", "workflow", workflow_names()},
        {"action", "outcome", outcome_names()},
        {"action", "delegation", delegation_names()},
        {"notification_kind", "value", notification_kind_names()},
        {"workflow_setting", "workflow", workflow_names()},
        {"workflow_setting", "due_unit", due_unit_names()},
        {"template_version", "due_unit", due_unit_names()},
        {"template_version", "priority", priority_names()},
        {"template_version", "assignee_rule", assignee_rule_names()},
        {"template_version", "assignee_capacity", template_capacity_names()},
        {"reminder", "kind", reminder_kind_names()},
        {"escalation_rule", "escalate", escalation_names()},
        {"procedure_step", "assignee_rule", assignee_rule_names()},
        {"procedure_step", "assignee_capacity", template_capacity_names()},
        {"schedule", "catch_up", catch_up_names()},
        {"delivery_channel", "channel", delivery_channel_names()},
        {"notification_delivery", "state", delivery_state_names()},
        {"maintenance_run", "outcome", maintenance_outcome_names()},
        {"maintenance_error", "item", sweep_item_names()},
    };
}

}  // namespace pg_actions::core
