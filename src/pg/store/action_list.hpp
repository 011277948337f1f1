// The page of actions.list_actions(): the statement the core builds from the filters' shape
// (core::list_statement: fixed fragments, every value a parameter), run with the filters' values as
// its parameters, and the two reads that prepare them (a group's subtree, a search's tsquery).
// Every statement names workspace_id. Snapshot: the caller's (list_actions is STABLE; spi.hpp). No
// row locks. Run inside an SpiScope.
#pragma once

#include "pg/boundary/postgres.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/listing.hpp"
#include "pg/boundary/spi.hpp"

namespace pg_actions::pg::store {

// The ids of a group of the workspace and, with subgroups, of every group below it (their path
// holds it); nullopt when the group is not one of the workspace's.
std::optional<std::vector<std::int64_t>> group_subtree(std::int64_t workspace_id, std::int64_t group_id,
                                                       bool include_subgroups);

// A search under the workspace's text search configuration ('simple' without a workspace): each
// word of the text (letters, digits, _; lowercased) a quoted lexeme matched as a prefix, all of
// them required. words == 0: no word; the tsquery is then NULL. The tsquery datum lives until
// the SpiScope ends.
struct ListSearch {
    std::uint32_t config = 0;  // the configuration's OID
    std::int32_t words = 0;
    SqlArg tsquery;
};
ListSearch list_search(std::int64_t workspace_id, const std::string& text);

// Where a page continues: after this row in the sort's order (the key's parameter the sort's kind decides).
struct ListAfter {
    std::optional<TimestampTz> time;  // a time sort's key; TIMESTAMP_NOEND for no due date
    std::optional<std::string> text;  // the title sort's key
    std::optional<std::int32_t> rank;  // a priority or status sort's key
    std::int64_t action_id = 0;
};

// The filters of a page, typed; an absent filter is not in the statement at all.
struct ListFilter {
    std::int64_t workspace_id = 0;
    std::string sort, direction;
    int page_size = 50;
    std::optional<std::vector<std::string>> statuses;
    std::optional<std::vector<std::int64_t>> assignees;
    std::optional<std::int64_t> assigned_to;  // assigned to me: the acting person
    bool unassigned = false;
    std::optional<std::vector<std::int64_t>> owners;
    std::optional<TimestampTz> due_before, due_after;
    std::optional<bool> only_overdue;
    std::optional<std::int64_t> linked_record;
    std::optional<std::vector<std::string>> record_kinds, types, priorities;
    std::optional<std::vector<std::int64_t>> group_ids;  // group_subtree()
    std::optional<ListSearch> search;
    std::optional<std::string> title_pattern;  // core::title_pattern()
    std::optional<ListAfter> after;
};

// Runs the page and writes its rows into fcinfo's materialized result (actions.list_actions()'s
// columns); the last row of a full page gets next_cursor(the row's sort key and action_id), the
// others NULL. Plans are kept per statement text for the life of the backend (at most 256), except
// with a search or a title substring, planned for their values each time.
void list_actions_page(FunctionCallInfo fcinfo, const ListFilter& filter,
                       const std::function<std::string(const core::ListCursor& last)>& next_cursor);

}  // namespace pg_actions::pg::store
