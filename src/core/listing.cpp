// The rules of the actions list (see listing.hpp).
#include "listing.hpp"

#include "catalog.hpp"
#include "status.hpp"

namespace pg_actions::core {

std::vector<std::string_view> list_sort_names() { return {"due", "priority", "created", "updated", "title", "status"}; }

std::vector<std::string_view> list_direction_names() { return {"asc", "desc"}; }

std::optional<std::vector<std::string_view>> list_vocabulary(std::string_view name) {
    if (name == "status") return status_names();
    if (name == "priority") return priority_names();
    if (name == "open") {
        std::vector<std::string_view> open;
        for (std::string_view s : status_names())
            if (is_active(*parse_status(s))) open.push_back(s);
        return open;
    }
    if (name == "sort") return list_sort_names();
    if (name == "direction") return list_direction_names();
    return std::nullopt;
}

}  // namespace pg_actions::core
