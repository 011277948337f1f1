// Record kinds and capacities (see record_rules.hpp).
#include "record_rules.hpp"

#include <algorithm>
#include <string>

namespace pg_actions::core {

namespace {

constexpr std::array<std::string_view, capacity_count> capacity_names{
    "owner", "issuer", "recipient", "approver", "reviewer", "responsible", "shared", "consulted", "informed"};

Permissions grant(std::initializer_list<Permission> ps) {
    Permissions out;
    for (Permission p : ps) out.set(static_cast<std::size_t>(p));
    return out;
}

}  // namespace

bool is_system_record_kind(std::string_view kind) {
    return std::find(system_record_kinds.begin(), system_record_kinds.end(), kind) != system_record_kinds.end();
}

std::optional<Refusal> check_custom_kind(std::string_view kind) {
    bool identifier = !kind.empty() && kind.size() <= 63 && kind[0] >= 'a' && kind[0] <= 'z' &&
                      std::all_of(kind.begin(), kind.end(), [](char c) {
                          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                      });
    if (!identifier)
        return Refusal{RefusalKind::invalid_value, "invalid record kind \"" + std::string(kind) + "\"",
                       "a record kind is a lowercase identifier of at most 63 characters",
                       "use letters, digits and underscores, starting with a letter, e.g. 'policy'"};
    if (is_system_record_kind(kind))
        return Refusal{RefusalKind::invalid_value, "record kind \"" + std::string(kind) + "\" is built in",
                       "decision, delegation, document, matrix and generic exist in every workspace",
                       "use the built-in kind, or choose another name"};
    return std::nullopt;
}

std::string_view capacity_name(Capacity c) { return capacity_names.at(static_cast<std::size_t>(c)); }

std::optional<Capacity> parse_capacity(std::string_view text) {
    for (std::size_t i = 0; i < capacity_names.size(); ++i)
        if (capacity_names[i] == text) return static_cast<Capacity>(i);
    return std::nullopt;
}

Permissions capacity_grants(Capacity c) {
    switch (c) {
    case Capacity::owner:
        return grant({Permission::view_actions, Permission::create_actions, Permission::edit_actions,
                      Permission::assign_actions, Permission::reassign_actions});
    case Capacity::issuer: return grant({Permission::view_actions, Permission::create_actions});
    case Capacity::responsible: return grant({Permission::view_actions, Permission::complete_any_actions});
    case Capacity::recipient:
    case Capacity::approver:
    case Capacity::reviewer:
    case Capacity::shared:
    case Capacity::consulted:
    case Capacity::informed: return grant({Permission::view_actions});
    }
    return {};
}

std::optional<Refusal> check_capacity(Capacity c, std::string_view kind) {
    const std::string name{capacity_name(c)};
    if ((c == Capacity::issuer || c == Capacity::recipient) && kind != "delegation")
        return Refusal{RefusalKind::invalid_value, name + " is a capacity of delegations",
                       "a " + std::string(kind) + " record has no " + name,
                       "use owner, approver, reviewer, responsible or shared"};
    if ((c == Capacity::consulted || c == Capacity::informed) && kind != "decision")
        return Refusal{RefusalKind::invalid_value, name + " is a role on decisions",
                       "a " + std::string(kind) + " record has no " + name + " parties",
                       "use owner, approver, reviewer, responsible or shared"};
    return std::nullopt;
}

}  // namespace pg_actions::core
