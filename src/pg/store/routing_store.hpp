// What a call through the coordinator of a Citus cluster needs to run on the node holding its
// workspace when the function takes an entity's id rather than the workspace (docs/design.md,
// "Routing"): the workspace of each id, and the call sent whole through actions.forward(). Run
// inside an SpiScope.
#pragma once

#include "pg/boundary/spi.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pg_actions::pg::store {

struct EntityHome {
    std::int64_t id;
    std::int64_t workspace_id;
};

// Where the rows an entity argument names (action_id, record_id, ids, ...) live.
enum class EntityTable {
    per_workspace,  // a table distributed by workspace_id: homes_on_node() finds the workspace
    everywhere,     // reference data, the same on every node (calendar_id, holiday_id): run where called
    unknown,        // an argument this version does not know
};
EntityTable entity_table(const std::string& argument);

// On a node: the workspace of the row an entity argument names with this id, read from the shards
// of the table placed here (direct index access; no other node asked, no row-level security: the
// caller decides what to answer). Snapshot: the latest committed data. Locks: none.
std::optional<std::int64_t> workspace_here(const std::string& argument, std::int64_t id);

// The same, only when the row passes the row-level security of the table's SELECT policies for the
// role the call was made as (GetOuterUserId(); a role that bypasses it sees every row): the row
// is read on this node, in the shard holding its workspace, with the policies' conditions. Run
// as the tables' owner (a SECURITY DEFINER function). A row the role may not see reads as missing.
std::optional<std::int64_t> visible_workspace_here(const std::string& argument, std::int64_t id);

// Through the coordinator: SELECT id, home FROM actions.workspace_of_ids(workspace_on_node,
// argument, ids), a distributed function, so it runs on the node holding workspace_on_node (any
// workspace placed there) and answers from that node's shards alone: one task. Each id found there
// comes back with its workspace, or 0 when the caller may not learn it; an id not there is left out.
std::vector<EntityHome> homes_on_node(std::int64_t workspace_on_node, const std::string& argument,
                                      const std::vector<std::int64_t>& ids);

// SELECT * FROM actions.forward(workspace_id, fn, args): on Citus a distributed function, so the
// call runs whole on the node holding the workspace (one task) and there runs fn with args (each
// its argument's text form, NULL for NULL). Returns fn's result rows, each column as its text.
std::vector<TextRow> forward(std::int64_t workspace_id, Oid fn, const TextRow& args);

// SELECT * FROM <fn>(args...) here, each argument read from its text by its declared type; the
// statement is planned once per function per backend. Returns the result rows, each column as its
// text. fn must be a function of schema actions taking at most 20 arguments, none variadic
// (the caller checks).
std::vector<TextRow> call_here(Oid fn, const TextRow& args);

}  // namespace pg_actions::pg::store
