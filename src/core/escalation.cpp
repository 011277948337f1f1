// Escalation rules of overdue actions (see escalation.hpp).
#include "escalation.hpp"

#include <array>

#include "text.hpp"

namespace pg_actions::core {

namespace {
constexpr std::array<std::string_view, escalate_count> names{"notify_owner", "notify_role", "reassign", "reassign_pool"};
constexpr std::int64_t day_us = 24LL * 3600 * 1000000;

Refusal invalid(std::string message, std::string detail, std::string hint) {
    return Refusal{RefusalKind::invalid_value, std::move(message), std::move(detail), std::move(hint)};
}
}  // namespace

std::string_view escalate_name(Escalate e) { return names.at(static_cast<std::size_t>(e)); }

std::optional<Escalate> parse_escalate(std::string_view text) {
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == text) return static_cast<Escalate>(i);
    return std::nullopt;
}

std::vector<std::string_view> escalate_names() { return {names.begin(), names.end()}; }

std::optional<Refusal> check_rule(const RuleRequest& r) {
    if (!r.escalate)
        return invalid("unknown escalation \"" + r.escalate_text + "\"", "an escalation rule notifies or reassigns",
                       "use notify_owner, notify_role, reassign or reassign_pool");
    if (r.after_days < 0 || r.after_days > max_escalation_days)
        return invalid("after_days must be between 0 and " + std::to_string(max_escalation_days),
                       "a rule fires that many days after an open action's due date",
                       "pass 0 to escalate as soon as an action is overdue");
    const Escalate e = *r.escalate;
    const bool pool = e == Escalate::reassign_pool;
    const bool wants_person = e == Escalate::reassign;
    if (e == Escalate::notify_role && !r.role_name)
        return invalid("notify_role needs a role_name", "notify_role notifies the active members holding that role",
                       "pass role_name");
    if (pool && r.role_name.has_value() == r.group_id.has_value())
        return invalid("reassign_pool needs a role_name or a group_id, not both",
                       "the pool is the holders of a role, or the members of a group and of the groups below it",
                       "pass role_name or group_id");
    if (r.role_name && e != Escalate::notify_role && !pool)
        return invalid("role_name is only for notify_role and reassign_pool", "", "leave role_name out");
    if (r.group_id && !pool)
        return invalid("group_id is only for reassign_pool", "", "leave group_id out");
    if (wants_person != r.person_id.has_value())
        return invalid(wants_person ? "reassign needs a person_id" : "person_id is only for reassign",
                       "reassign gives the action to that person", "pass person_id with reassign only");
    if (r.role_name && !r.role_exists)
        return invalid("role \"" + *r.role_name + "\" not found in the workspace", "",
                       "name a role of the workspace (actions.role)");
    if (r.group_id && !r.group_exists)
        return Refusal{RefusalKind::not_found, "group " + std::to_string(*r.group_id) + " not found in the workspace",
                       "a pool is a group of the rule's own workspace",
                       "list the groups in actions.group, or create one with actions.create_group()"};
    if (wants_person && !r.person_active)
        return invalid("person " + std::to_string(*r.person_id) + " is not an active member of the workspace",
                       "an overdue action is reassigned only to an active member",
                       "name an active member of the workspace");
    return std::nullopt;
}

std::int64_t escalation_at(std::int64_t due_at_us, int after_days) { return due_at_us + after_days * day_us; }

bool rule_due(std::int64_t due_at_us, int after_days, std::int64_t now_us) {
    return escalation_at(due_at_us, after_days) <= now_us;
}

Change escalation_change(const Firing& f) {
    std::string d = "{\"rule_id\":" + std::to_string(f.rule_id) + ",\"after_days\":" + std::to_string(f.after_days) +
                    ",\"escalate\":" + json_string(std::string(escalate_name(f.escalate))) +
                    ",\"due_at\":" + json_string(iso_utc(f.due_at_us));
    if (f.role_name) d += ",\"role\":" + json_string(*f.role_name);
    if (f.group_id) d += ",\"group_id\":" + std::to_string(*f.group_id);
    if (f.escalate == Escalate::reassign_pool) {
        d += ",\"candidates\":";
        d += f.candidates ? std::to_string(*f.candidates) : std::string("null");
    } else if (f.escalate != Escalate::reassign) {
        d += ",\"notified\":[";
        for (std::size_t i = 0; i < f.notified.size(); ++i) {
            if (i) d += ',';
            d += std::to_string(f.notified[i]);
        }
        d += "]";
    } else {
        d += ",\"person_id\":";
        d += f.person_id ? std::to_string(*f.person_id) : std::string("null");
        d += ",\"reassigned_to\":";
        d += f.reassigned_to ? std::to_string(*f.reassigned_to) : std::string("null");
    }
    d += "}";
    return Change{"escalated", std::nullopt, std::to_string(f.rule_id), d};
}

}  // namespace pg_actions::core
