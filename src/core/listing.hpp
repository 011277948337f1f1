// The rules of the actions list (actions.list_actions, src/pg/api/list.cpp): which sort keys and
// directions exist, the vocabularies a filter accepts (each named once, so SQL asks for them through
// actions.list_vocabulary() instead of spelling them again), the checks of a request, the one
// statement a request runs (built from fixed fragments, every value a parameter) and the keyset
// cursor that carries a page's last row to the next call.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "pure.hpp"
#include "refusal.hpp"

namespace pg_actions::core {

// The columns a list may be sorted by; every sort ends with action_id as the tie-break.
std::vector<std::string_view> list_sort_names();
std::vector<std::string_view> list_direction_names();

// A vocabulary by name: status, priority, open (the statuses of work still open, which an
// overdue flag needs), open_not_overdue (those an elapsed due date makes overdue), sort,
// direction; nullopt for an unknown name. Every SQL statement that means "open" reads these.
std::optional<std::vector<std::string_view>> list_vocabulary(std::string_view name);

constexpr int list_max_page_size = 1000;

// Which filters a request gives, its sort and page: everything the statement's text depends on.
// The values themselves stay parameters.
struct ListRequest {
    std::string sort = "due";
    std::string direction = "asc";
    int page_size = 50;
    bool statuses = false;  // and how many: one status is compared as a value, which an index can order by due date
    std::size_t status_count = 0;
    bool assignees = false, assigned_to_me = false, unassigned = false, owners = false;
    bool due_before = false, due_after = false;
    std::optional<bool> only_overdue;  // true: overdue only; false: not overdue; none: both
    bool linked_record = false, record_kinds = false, types = false, groups = false, priorities = false;
    bool search = false, title_contains = false, cursor = false;
    std::uint32_t search_config = 0;  // the OID of the workspace's text search configuration
    // The people's names read by the statement (a single node); false: left NULL for the caller to
    // read apart (on Citus, where the people are a reference table a routed function's statement
    // may not read beside the workspace's shards).
    bool names = true;
};

// The statement's parameters, always all of them in this order (an absent filter is NULL and not
// referred to): $1 workspace_id bigint, $2 statuses text[], $3 assignees bigint[], $4 the acting
// person bigint, $5 owners bigint[], $6 due_before timestamptz, $7 due_after timestamptz,
// $8 linked_record bigint, $9 record_kinds text[], $10 types text[], $11 group ids bigint[],
// $12 priorities text[], $13 tsquery, $14 title pattern text (title_pattern()), and the cursor's
// row: $15 timestamptz, $16 text, $17 integer (which one the sort decides), $18 action_id bigint.
constexpr int list_parameter_count = 18;

// A request's sort, direction and page size, and the statuses and priorities it filters by.
std::optional<Refusal> check_list_request(const ListRequest& request, const std::vector<std::string>& statuses,
                                          const std::vector<std::string>& priorities);

// The page: the visible actions of the request (the rows of actions.action_list_rows), sorted and
// limited, then their display fields (the names NULL without request.names); columns as
// actions.list_actions() returns them but the last, and then the row's sort key as text
// (list_sort_key_kind()).
std::string list_statement(const ListRequest& request);

// Whether the plan may be kept for the statement's text: not with a text search or a title
// substring, whose best plan depends on how common the words are.
bool list_keeps_plan(const ListRequest& request);

// A LIKE pattern matching titles containing `contains`, its wildcards taken literally.
std::string title_pattern(std::string_view contains);

// How a sort's key travels in a cursor: microseconds since 2000 (due, created, updated; none for
// a due date not set), the title, or the rank of a priority or status.
enum class ListKeyKind { time, text, rank };
ListKeyKind list_sort_key_kind(std::string_view sort);

// A digest of the filters' values (each NULL or its text in a canonical form the glue chooses), so
// a cursor is refused with other filters.
std::string list_filters_digest(const std::vector<std::optional<std::string>>& values);

// The key of a time sort travels as PostgreSQL's own microseconds since 2000-01-01 (a timestamptz's
// value, any of them fits); a rank as a non-negative int32.
struct ListCursor {
    std::string sort, direction;
    std::optional<std::string> key;  // as list_statement()'s last column gives it; none: no due date
    std::int64_t action_id = 0;
    std::int64_t number = 0;  // decoded: the key of a time or rank sort as a number
};

// The least length of the key a cursor is authenticated with (the database's actions.list_secret).
constexpr std::size_t list_cursor_key_min = 32;

// base64 of an HMAC-SHA-256 under the database's secret key and the row it authenticates, bound to
// the sort, direction and filters' digest. Only the server makes one: a cursor edited, forged,
// made for another sort or other filters, or before the key was rotated is refused (22023), the
// same refusal whatever is wrong with it. The MAC is checked (in constant time) before anything in
// the row is parsed; numbers are then parsed with range checks.
std::string encode_list_cursor(const ListCursor& cursor, std::string_view filters_digest, std::string_view key);
std::variant<ListCursor, Refusal> decode_list_cursor(std::string_view text, const ListRequest& request,
                                                     std::string_view filters_digest, std::string_view key);
// The one refusal of a cursor that is not accepted.
Refusal invalid_list_cursor();

}  // namespace pg_actions::core
