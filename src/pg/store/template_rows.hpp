// Templates: actions.template, template_version.
// Every function states what it reads or writes, the snapshot it reads with (the statement's own,
// spi.hpp: a VOLATILE caller sees what is committed now plus this transaction's writes, a STABLE
// one its caller's snapshot), the row locks it takes, and the workspace it names (the key Citus
// routes on; a lookup by id alone says so). Run inside an SpiScope.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pg_actions::pg::store {

// One version of a template: what an action made from it gets (also a procedure step's definition).
struct TemplateVersion {
    std::int64_t workspace_id = 0;
    std::int64_t template_id = 0;
    std::int32_t version = 0;
    bool retired = false;
    std::string type = "task";
    std::string title;
    std::optional<std::string> description;
    std::optional<std::int64_t> due_in;
    std::string due_unit = "calendar_days";
    std::string priority = "none";
    std::vector<std::int64_t> group_ids;  // empty: the record's groups
    std::string assignee_rule = "none";
    std::optional<std::int64_t> assignee_id;
    std::optional<std::string> assignee_capacity;
    // The candidates of the rule pool (core/pool.hpp; actions.set_template_pool()).
    std::vector<std::int64_t> pool_people;
    std::vector<std::int64_t> pool_groups;
    std::vector<std::string> pool_roles;
    bool has_pool() const { return !pool_people.empty() || !pool_groups.empty() || !pool_roles.empty(); }
};

// The workspace of a template, looked up by its id alone (to find the workspace); nullopt when
// there is none. Snapshot: the statement's own. Locks: none.
std::optional<std::int64_t> template_workspace(std::int64_t template_id);
// The template with its current version (workspace_id and template_id filled in from the key);
// nullopt when there is none. Names workspace_id. Snapshot: the statement's own. Locks: the
// template row FOR UPDATE when lock (not the version).
std::optional<TemplateVersion> read_template_version(std::int64_t workspace_id, std::int64_t template_id, bool lock);
// Inserts a template (no version yet) unless a template in use has the name; its id, or nullopt
// on that conflict. Names workspace_id. Snapshot: the statement's own. Locks: the new row.
std::optional<std::int64_t> insert_template_row(std::int64_t workspace_id, const std::string& name, std::int64_t actor);
// Inserts version `version` of t.template_id with t's definition. Names t.workspace_id.
// Snapshot: the statement's own. Locks: the new row (and KEY SHARE on the template by its FK).
void insert_template_version(const TemplateVersion& t, std::int32_t version, std::int64_t actor);
// Whether another template of the workspace in use has the name. Names workspace_id. Snapshot:
// the statement's own. Locks: none.
bool template_name_taken(std::int64_t workspace_id, const std::string& name, std::int64_t template_id);
// Points the template at `version`, renamed when name is given. Names workspace_id. Snapshot:
// the statement's own. Locks: the template row (FOR NO KEY UPDATE, by the UPDATE).
void set_template_current_version(std::int64_t workspace_id, std::int64_t template_id, std::int32_t version,
                                  const std::optional<std::string>& name);
// Retires the template (keeps an earlier retirement's time). Names workspace_id. Snapshot: the
// statement's own. Locks: the template row (by the UPDATE).
void retire_template_row(std::int64_t workspace_id, std::int64_t template_id);

}  // namespace pg_actions::pg::store
