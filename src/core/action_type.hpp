// Action types: the system types every workspace has (the workflows create actions of them), and
// the custom types a workspace adds, renames (its label) and retires. A type is stored by its key
// (actions.action.type, actions.action_type.type_key); the label is what a list shows. A retired
// type stays on its actions and in list filters, but no new action may use it.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "refusal.hpp"
#include "pure.hpp"

namespace pg_actions::core {

struct SystemType {
    std::string_view key;
    std::string_view label;
};
// task, approval, review, acknowledgement, request, acceptance: seeded into every workspace
// (src/sql, checked by test/unit/catalog_test.cpp), never renamed or retired.
const std::vector<SystemType>& system_action_types();
std::vector<std::string_view> system_action_type_keys();
bool is_system_action_type(std::string_view key);

inline constexpr std::size_t max_type_label_chars = 100;

// A new custom type's key: a lowercase identifier (a letter, then letters, digits or _, at most 63)
// that is not a system type's key.
std::optional<Refusal> check_custom_type_key(std::string_view key);
// A label: not blank, at most max_type_label_chars characters.
std::optional<Refusal> check_type_label(std::optional<std::string_view> label);
// Renaming or retiring: only custom types change.
std::optional<Refusal> check_type_changeable(std::string_view key);

// What the workspace knows about a type key when a new action (create_action, a template) would
// use it: nullopt for a key the workspace does not have.
struct TypeState {
    bool retired = false;
};
// nullopt: a new action may have this type. Otherwise unknown (22023) or retired (55000).
// `where` says what is being created ("an action", "a template").
std::optional<Refusal> check_type_for_new(std::string_view key, const std::optional<TypeState>& state,
                                          std::string_view where = "new actions");

}  // namespace pg_actions::core
