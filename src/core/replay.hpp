// The state of an action row that its log implies, replayed entry by entry, and its comparison
// with the row itself: a row changed without a log entry (say under session_replication_role =
// replica) differs from its log.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "log_chain.hpp"
#include "pure.hpp"

namespace pg_actions::core {

// What a `created` entry's detail says (the glue extracts the fields). Entries written before 0.2
// carry only record_id and group_ids: the other fields stay unknown until a change logs them.
struct CreatedFacts {
    bool full = false;  // written by 0.2 or later: every field below is present
    std::optional<std::string> owner_id, type, description, due_at, priority, record_id, group_ids;
    // "template_id/template_version" of an action made from a template; nullopt: not made from one.
    std::optional<std::string> template_ref;
};

// The row as it is (the glue reads it), due_at as ISO 8601 UTC text like the log writes it.
struct RowFacts {
    std::string status, title, type, priority;
    std::optional<std::int64_t> owner_id, assignee_id, record_id;
    std::optional<std::string> description, due_at;
    std::string group_ids;  // "{3,7}"
    std::optional<std::string> template_ref;  // "template_id/template_version", or nullopt
};

class Replay {
public:
    // created: the facts of a `created` entry (nullptr for every other entry).
    void apply(const Entry& e, const CreatedFacts* created);
    // The first field where the row and the log disagree (row == nullptr: no row).
    std::optional<std::string> differs(const RowFacts* row) const;

private:
    template <typename T>
    using Known = std::optional<T>;  // nullopt: the log does not say
    bool created_ = false, deleted_ = false;
    Known<std::string> status_, title_, type_, priority_, group_ids_;
    Known<std::optional<std::string>> owner_id_, assignee_id_, record_id_, description_, due_at_, template_;
};

}  // namespace pg_actions::core
