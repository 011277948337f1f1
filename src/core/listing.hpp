// The rules of the actions list (actions.list_actions, src/sql/47_list.sql): which sort keys and
// directions exist, and the vocabularies a filter accepts, each named once so the SQL asks for
// them (actions.list_vocabulary()) instead of spelling them again.
#pragma once
#include <optional>
#include <string_view>
#include <vector>

#include "pure.hpp"

namespace pg_actions::core {

// The columns a list may be sorted by; every sort ends with action_id as the tie-break.
std::vector<std::string_view> list_sort_names();
std::vector<std::string_view> list_direction_names();

// A vocabulary by name: status, priority, open (the statuses of work still open, which an
// overdue flag needs), sort, direction; nullopt for an unknown name.
std::optional<std::vector<std::string_view>> list_vocabulary(std::string_view name);

}  // namespace pg_actions::core
