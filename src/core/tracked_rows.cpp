// How a tracked table's row maps to a record (see tracked_rows.hpp).
#include "tracked_rows.hpp"

namespace pg_actions::core {

std::optional<TrackedWrite> parse_tracked_write(std::string_view op) {
    if (op == "INSERT") return TrackedWrite::insert;
    if (op == "UPDATE") return TrackedWrite::update;
    if (op == "DELETE") return TrackedWrite::remove;
    return std::nullopt;
}

std::string tracked_title(std::string_view kind, std::string_view key, const std::optional<std::string>& title) {
    if (title) {
        std::string_view t = *title;
        const std::size_t first = t.find_first_not_of(' ');
        if (first != std::string_view::npos) {
            const std::size_t last = t.find_last_not_of(' ');
            return std::string(t.substr(first, last - first + 1));
        }
    }
    std::string out(kind);
    out += ' ';
    out += key;
    return out;
}

DeletedRow deleted_row(bool record_has_actions) {
    return record_has_actions ? DeletedRow::archive_record : DeletedRow::remove_record;
}

bool rekeys(TrackedWrite write, const std::optional<std::string>& old_key, const std::optional<std::string>& new_key) {
    return write == TrackedWrite::update && old_key != new_key;
}

bool tracked_archived(std::optional<bool> archived) { return archived.value_or(false); }

}  // namespace pg_actions::core
