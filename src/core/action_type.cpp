// System and custom action types (see action_type.hpp).
#include "action_type.hpp"

#include "catalog.hpp"
#include "input.hpp"

namespace pg_actions::core {

namespace {

Refusal invalid(std::string message, std::string detail, std::string hint) {
    return Refusal{RefusalKind::invalid_value, std::move(message), std::move(detail), std::move(hint)};
}

bool is_identifier(std::string_view key) {
    if (key.empty() || key.size() > 63 || key[0] < 'a' || key[0] > 'z') return false;
    for (char c : key)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}

}  // namespace

const std::vector<SystemType>& system_action_types() {
    static const std::vector<SystemType> types{
        {"task", "Task"},         {"approval", "Approval"}, {"review", "Review"},
        {"acknowledgement", "Acknowledgement"}, {"request", "Request"}, {"acceptance", "Acceptance"},
    };
    return types;
}

std::vector<std::string_view> system_action_type_keys() {
    std::vector<std::string_view> out;
    for (const SystemType& t : system_action_types()) out.push_back(t.key);
    return out;
}

bool is_system_action_type(std::string_view key) {
    for (const SystemType& t : system_action_types())
        if (t.key == key) return true;
    return false;
}

std::optional<Refusal> check_custom_type_key(std::string_view key) {
    if (is_system_action_type(key))
        return invalid("action type \"" + std::string{key} + "\" is a system type",
                       "the system types " + listed(system_action_type_keys()) + " exist in every workspace",
                       "use it as it is, or choose another key for a custom type");
    if (!is_identifier(key))
        return invalid("invalid action type key \"" + std::string{key} + "\"",
                       "a type key is a lowercase identifier: a letter, then letters, digits or _, at most 63",
                       "pass a key such as 'annual_attestation' and put the wording in the label");
    return std::nullopt;
}

std::optional<Refusal> check_type_label(std::optional<std::string_view> label) {
    if (!label || label->find_first_not_of(" \t\n\r\f\v") == std::string_view::npos)
        return invalid("an action type needs a label", "the label is what lists show for the type",
                       "pass label => 'Annual attestation'");
    if (utf8_length(*label) > max_type_label_chars)
        return invalid("action type label is too long",
                       "the label has " + std::to_string(utf8_length(*label)) + " characters; the limit is " +
                           std::to_string(max_type_label_chars),
                       "shorten the label");
    return std::nullopt;
}

std::optional<Refusal> check_type_changeable(std::string_view key) {
    if (!is_system_action_type(key)) return std::nullopt;
    return invalid("action type \"" + std::string{key} + "\" is a system type",
                   "system types are fixed: the workflows create actions of them",
                   "rename or retire a custom type of the workspace (actions.action_type)");
}

std::optional<Refusal> check_type_for_new(std::string_view key, const std::optional<TypeState>& state,
                                          std::string_view where) {
    if (is_system_action_type(key)) return std::nullopt;
    if (!state)
        return invalid("unknown action type \"" + std::string{key} + "\"",
                       "a type is a system type (" + listed(system_action_type_keys()) +
                           ") or a custom type of the workspace (actions.action_type)",
                       "pass one of those keys, or add the type with actions.create_action_type()");
    if (state->retired)
        return Refusal{RefusalKind::wrong_state, "action type \"" + std::string{key} + "\" is retired",
                       "a retired type stays on its actions but " + std::string{where} + " cannot use it",
                       "use another type, or reinstate it with actions.reinstate_action_type()"};
    return std::nullopt;
}

}  // namespace pg_actions::core
