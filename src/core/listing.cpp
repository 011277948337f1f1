// The rules of the actions list (see listing.hpp).
#include "listing.hpp"

#include <charconv>
#include <stdexcept>

#include "catalog.hpp"
#include "log_chain.hpp"
#include "member.hpp"
#include "signing.hpp"
#include "status.hpp"

namespace pg_actions::core {

std::vector<std::string_view> list_sort_names() { return {"due", "priority", "created", "updated", "title", "status"}; }

std::vector<std::string_view> list_direction_names() { return {"asc", "desc"}; }

std::optional<std::vector<std::string_view>> list_vocabulary(std::string_view name) {
    if (name == "status") return status_names();
    if (name == "priority") return priority_names();
    if (name == "open") return open_status_names();
    if (name == "open_not_overdue") return open_not_overdue_status_names();
    if (name == "sort") return list_sort_names();
    if (name == "direction") return list_direction_names();
    if (name == "member_acting") return acting_member_state_names();
    if (name == "member_named") return named_member_state_names();
    return std::nullopt;
}

}  // namespace pg_actions::core

namespace pg_actions::core {

namespace {

bool among(std::string_view value, const std::vector<std::string_view>& names) {
    for (std::string_view n : names)
        if (n == value) return true;
    return false;
}

std::string joined(const std::vector<std::string_view>& names) {
    std::string out;
    for (std::string_view n : names) out += (out.empty() ? "" : ", ") + std::string(n);
    return out;
}

Refusal invalid(std::string message, std::string hint) {
    return Refusal{RefusalKind::invalid_value, std::move(message), "", std::move(hint)};
}

// The sort's expression over actions.action_list_rows v (the expressions its index is built on)
// and its key as text for a cursor.
std::string sort_expression(std::string_view sort) {
    if (sort == "due") return "COALESCE(v.due_at, 'infinity'::timestamptz)";
    if (sort == "created") return "v.created_at";
    if (sort == "updated") return "v.updated_at";
    if (sort == "title") return "v.title";
    if (sort == "priority") return "v.priority_rank";
    return "v.status_rank";
}

std::string key_expression(std::string_view sort) {
    if (sort == "due" || sort == "created" || sort == "updated")
        // numeric arithmetic, exact: every timestamptz's microseconds since 2000 fit a bigint
        return "((extract(epoch FROM v." + std::string(sort == "due" ? "due_at" : sort == "created" ? "created_at" : "updated_at") +
               ") - 946684800) * 1000000)::bigint::text";
    if (sort == "title") return "v.title";
    return sort_expression(sort) + "::text";
}

// Longer than any cursor the server makes (titles included) by far; a longer text is refused unread.
constexpr std::size_t list_cursor_max_length = 1 << 20;

// A whole decimal integer of T in range (from_chars: no sign but '-', no spaces, no overflow).
template <typename T>
std::optional<T> whole_number(std::string_view s) {
    T value{};
    auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || error != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return value;
}

// The linked record of row `row` (of the list's workspace, $1), when the acting person may see it:
// the rule of actions.action_list_rows' record_title (actions.may_see_record()).
std::string seen_record(const std::string& row) {
    return "r.workspace_id = $1 AND r.record_id = " + row +
           ".record_id AND actions.may_see_record(r.workspace_id, r.record_id, r.group_ids, (SELECT actions.service_sees_all()),"
           " (SELECT actions.visible_workspaces())::bigint[], (SELECT actions.visible_groups()), (SELECT actions.party_records())::bigint[])";
}

}  // namespace

std::optional<Refusal> check_list_request(const ListRequest& request, const std::vector<std::string>& statuses,
                                          const std::vector<std::string>& priorities) {
    if (!among(request.sort, list_sort_names()))
        return invalid("unknown sort \"" + request.sort + "\"", "use one of " + joined(list_sort_names()));
    if (!among(request.direction, list_direction_names()))
        return invalid("unknown direction \"" + request.direction + "\"", "use one of " + joined(list_direction_names()));
    for (const std::string& s : statuses)
        if (!among(s, status_names())) return invalid("unknown status \"" + s + "\"", "use statuses among " + joined(status_names()));
    for (const std::string& p : priorities)
        if (!among(p, priority_names()))
            return invalid("unknown priority \"" + p + "\"", "use priorities among " + joined(priority_names()));
    if (request.page_size < 1 || request.page_size > list_max_page_size)
        return invalid("page_size " + std::to_string(request.page_size) + " is out of range",
                       "use a page size from 1 to " + std::to_string(list_max_page_size));
    return std::nullopt;
}

std::string list_statement(const ListRequest& r) {
    const std::string sort = sort_expression(r.sort);
    const std::string dir = r.direction == "desc" ? " DESC" : "";
    std::string where = "v.workspace_id = $1";
    // One status as a value: action_list_status_due_idx then reads that status in due order.
    if (r.statuses) where += r.status_count == 1 ? " AND v.status = ($2)[1]" : " AND v.status = ANY ($2)";
    if (r.assignees || r.assigned_to_me || r.unassigned) {
        std::string any;
        auto either = [&](const char* term) { any += (any.empty() ? "" : " OR ") + std::string(term); };
        if (r.assignees) either("v.assignee_id = ANY ($3)");
        if (r.assigned_to_me) either("v.assignee_id = $4");
        if (r.unassigned) either("v.assignee_id IS NULL");
        where += " AND (" + any + ")";
    }
    if (r.owners) where += " AND v.owner_id = ANY ($5)";
    // Also stated on the due sort's key, so that sort's index scan starts and stops at the bounds.
    if (r.due_before) where += " AND v.due_at < $6 AND COALESCE(v.due_at, 'infinity'::timestamptz) < $6";
    if (r.due_after) where += " AND v.due_at >= $7 AND COALESCE(v.due_at, 'infinity'::timestamptz) >= $7";
    if (r.only_overdue) where += *r.only_overdue ? " AND v.overdue" : " AND NOT v.overdue";
    if (r.linked_record) where += " AND v.record_id = $8";
    if (r.record_kinds) where += " AND EXISTS (SELECT FROM actions.record r WHERE " + seen_record("v") + " AND r.kind = ANY ($9))";
    if (r.types) where += " AND v.type = ANY ($10)";
    if (r.groups) where += " AND v.group_ids && $11";
    if (r.priorities) where += " AND v.priority = ANY ($12)";
    // The configuration by OID (a number from the catalog, never the caller's text), so the
    // expression matches the index on actions.action_document('simple', ...).
    if (r.search)
        where += " AND actions.action_document(" + std::to_string(r.search_config) +
                 "::oid::regconfig, v.title, v.description) @@ $13";
    if (r.title_contains) where += " AND v.title ILIKE $14";
    if (r.cursor) {
        ListKeyKind kind = list_sort_key_kind(r.sort);
        where += " AND (" + sort + ", v.action_id) " + (r.direction == "desc" ? "<" : ">") + " (" +
                 (kind == ListKeyKind::time ? "$15" : kind == ListKeyKind::text ? "$16" : "$17") + ", $18)";
    }
    // The page size is written as a number (checked, not the caller's text): the kept plan is
    // generic, and a LIMIT it cannot see would make it plan for a tenth of the rows.
    const std::string page =
        "SELECT v.action_id, v.title, v.type, v.status, v.priority, v.due_at, v.overdue, v.assignee_id, v.owner_id,"
        " v.record_id, v.group_ids, v.created_at, v.updated_at, " +
        key_expression(r.sort) + " AS cursor_key, " + sort + " AS sort_key FROM actions.action_list_rows v WHERE " + where +
        " ORDER BY " + sort + dir + ", v.action_id" + dir + " LIMIT " + std::to_string(r.page_size);
    // The display fields of the page's rows: the record's and the groups' by sub-selects naming
    // the workspace as the parameter, not as the row's column, so on Citus every table the
    // statement reads is restricted to the one workspace and it runs on that workspace's shards
    // alone (a sub-select correlated by the row's workspace_id is sent to every shard). The same
    // values as actions.action_list's (test/pgtap/list.sql compares them).
    const std::string assignee_name =
        r.names ? "(SELECT ap.display_name FROM actions.person ap WHERE ap.person_id = p.assignee_id)" : "NULL::text";
    const std::string owner_name =
        r.names ? "(SELECT op.display_name FROM actions.person op WHERE op.person_id = p.owner_id)" : "NULL::text";
    return "SELECT p.action_id, p.title, p.type, p.status, p.priority, p.due_at, p.overdue, p.assignee_id, " + assignee_name +
           ", p.owner_id, " + owner_name + ", p.record_id, (SELECT r.title FROM actions.record r WHERE " + seen_record("p") +
           "), (SELECT r.kind FROM actions.record r WHERE " + seen_record("p") +
           "), p.group_ids, ARRAY(SELECT g.name FROM actions.\"group\" g WHERE g.workspace_id = $1 AND g.group_id = ANY (p.group_ids)"
           " ORDER BY g.name), p.created_at, p.updated_at, p.cursor_key FROM (" + page + ") p ORDER BY p.sort_key" + dir +
           ", p.action_id" + dir;
}

bool list_keeps_plan(const ListRequest& r) { return !r.search && !r.title_contains; }

std::string title_pattern(std::string_view contains) {
    std::string out = "%";
    for (char c : contains) {
        if (c == '\\' || c == '%' || c == '_') out += '\\';
        out += c;
    }
    return out + "%";
}

ListKeyKind list_sort_key_kind(std::string_view sort) {
    if (sort == "due" || sort == "created" || sort == "updated") return ListKeyKind::time;
    if (sort == "title") return ListKeyKind::text;
    return ListKeyKind::rank;
}

std::string list_filters_digest(const std::vector<std::optional<std::string>>& values) {
    std::string input;
    for (const std::optional<std::string>& v : values)
        input += v ? std::to_string(v->size()) + ":" + *v + ";" : std::string("-;");
    return to_hex(sha256(input));
}

Refusal invalid_list_cursor() {
    return Refusal{RefusalKind::invalid_value, "invalid cursor",
                   "the cursor was not returned by actions.list_actions() with this sort, direction and these filters, "
                   "or the list secret was rotated since",
                   "pass the next_cursor of the last row of the previous page, with the same arguments, or NULL for the "
                   "first page"};
}

// The row of a cursor: sort, direction, action_id, then "-" for no key or "=" and the key, which
// comes last so that it may hold any character.
std::string encode_list_cursor(const ListCursor& c, std::string_view filters_digest, std::string_view key) {
    if (key.size() < list_cursor_key_min) throw std::invalid_argument("list cursor key too short");
    std::string row = c.sort + ":" + c.direction + ":" + std::to_string(c.action_id) + ":" + (c.key ? "=" + *c.key : "-");
    return seal(row, filters_digest, key);
}

std::variant<ListCursor, Refusal> decode_list_cursor(std::string_view text, const ListRequest& request,
                                                     std::string_view filters_digest, std::string_view key) {
    if (key.size() < list_cursor_key_min) throw std::invalid_argument("list cursor key too short");
    std::optional<std::string> sealed = unseal(text, filters_digest, key, list_cursor_max_length);
    if (!sealed) return invalid_list_cursor();
    const std::string row = std::move(*sealed);
    // Authentic from here on: made by encode_list_cursor() under this key; parsed strictly all the same.
    ListCursor c;
    std::size_t a = row.find(':'), b = a == std::string::npos ? a : row.find(':', a + 1),
                d = b == std::string::npos ? b : row.find(':', b + 1);
    if (d == std::string::npos || d + 1 >= row.size()) return invalid_list_cursor();
    c.sort = row.substr(0, a);
    c.direction = row.substr(a + 1, b - a - 1);
    std::optional<std::int64_t> id = whole_number<std::int64_t>(std::string_view(row).substr(b + 1, d - b - 1));
    if (c.sort != request.sort || c.direction != request.direction || !id || *id < 0) return invalid_list_cursor();
    c.action_id = *id;
    if (row[d + 1] == '=') c.key = row.substr(d + 2);
    else if (row.size() != d + 2 || row[d + 1] != '-') return invalid_list_cursor();
    switch (list_sort_key_kind(c.sort)) {
    case ListKeyKind::text:
        if (!c.key) return invalid_list_cursor();
        break;
    case ListKeyKind::rank: {
        std::optional<std::int32_t> rank = c.key ? whole_number<std::int32_t>(*c.key) : std::nullopt;
        if (!rank || *rank < 0) return invalid_list_cursor();
        c.number = *rank;
        break;
    }
    case ListKeyKind::time:
        if (c.key) {
            std::optional<std::int64_t> t = whole_number<std::int64_t>(*c.key);
            if (!t) return invalid_list_cursor();
            c.number = *t;
        }
        break;
    }
    return c;
}

}  // namespace pg_actions::core
