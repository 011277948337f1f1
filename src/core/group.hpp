// Groups of a workspace form a tree. Each group stores its path: the ids from the root down to
// the group itself. A member's group scope is their groups and every group below them, so a
// target is in scope when one of its groups has one of the member's groups on its path.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "refusal.hpp"
#include "pure.hpp"

namespace pg_actions::core {

using GroupPath = std::vector<std::int64_t>;

// Deepest tree a workspace may build (a path holds at most this many ids).
inline constexpr std::size_t max_group_depth = 32;

// Whether any of the target's group paths passes through one of the member's groups.
bool within_groups(std::span<const GroupPath> target_paths, std::span<const std::int64_t> member_groups);

// The path of a group placed under a parent (root when parent_path is empty).
GroupPath path_under(const GroupPath& parent_path, std::int64_t group_id);

// Moving `group_id` under a parent: refused (invalid_value) when the parent is the group itself
// or one of its descendants, which would close a cycle, or when the tree would get too deep.
// subtree_height: levels below the group (0 for a leaf).
std::optional<Refusal> check_parent(std::int64_t group_id, const GroupPath& parent_path, std::size_t subtree_height);

// A group name: not blank, at most 200 characters.
std::optional<Refusal> check_group_name(std::optional<std::string_view> name);

// A list of group ids given to an action or record: no NULL entries; sorted, without repeats.
std::optional<Refusal> normalize_groups(std::vector<std::int64_t>& ids, bool had_null);

}  // namespace pg_actions::core
