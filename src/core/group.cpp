// Group trees and group scopes (see group.hpp).
#include "group.hpp"

#include <algorithm>
#include <string>

#include "input.hpp"

namespace pg_actions::core {

bool within_groups(std::span<const GroupPath> target_paths, std::span<const std::int64_t> member_groups) {
    for (const GroupPath& path : target_paths)
        for (std::int64_t ancestor : path)
            if (std::find(member_groups.begin(), member_groups.end(), ancestor) != member_groups.end())
                return true;
    return false;
}

GroupPath path_under(const GroupPath& parent_path, std::int64_t group_id) {
    GroupPath path = parent_path;
    path.push_back(group_id);
    return path;
}

std::optional<Refusal> check_parent(std::int64_t group_id, const GroupPath& parent_path, std::size_t subtree_height) {
    const std::string id = std::to_string(group_id);
    if (!parent_path.empty() && parent_path.back() == group_id)
        return Refusal{RefusalKind::invalid_value, "group " + id + " cannot be its own parent",
                       "groups form a tree without cycles", "choose another parent, or NULL for a top-level group"};
    if (std::find(parent_path.begin(), parent_path.end(), group_id) != parent_path.end())
        return Refusal{RefusalKind::invalid_value,
                       "group " + id + " cannot move under group " + std::to_string(parent_path.back()) +
                           ", which is inside it",
                       "groups form a tree without cycles; the new parent lies below group " + id,
                       "move the subgroup out first, or choose a parent outside group " + id};
    if (parent_path.size() + 1 + subtree_height > max_group_depth)
        return Refusal{RefusalKind::invalid_value, "group tree too deep",
                       "a group may be at most " + std::to_string(max_group_depth) + " levels deep",
                       "attach the group higher up in the tree"};
    return std::nullopt;
}

std::optional<Refusal> check_group_name(std::optional<std::string_view> name) {
    if (!name || name->find_first_not_of(" \t\r\n") == std::string_view::npos)
        return Refusal{RefusalKind::invalid_value, "group name must not be blank", "", "pass a name such as 'Finance'"};
    if (utf8_length(*name) > 200)
        return Refusal{RefusalKind::invalid_value, "group name too long", "a group name has at most 200 characters",
                       "shorten the name"};
    return std::nullopt;
}

std::optional<Refusal> normalize_groups(std::vector<std::int64_t>& ids, bool had_null) {
    if (had_null)
        return Refusal{RefusalKind::invalid_value, "group ids must not contain NULL", "",
                       "pass the ids of existing groups, or an empty array for none"};
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return std::nullopt;
}

}  // namespace pg_actions::core
