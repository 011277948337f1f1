// Templates as the template functions (templates.cpp) see them: a template (workspace, name,
// current version, retired) and its versions, read with the acting person's visibility and
// checked before they are written (the rows: store/template_rows.hpp).
#pragma once

#include "pg/boundary/postgres.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pg/store/template_rows.hpp"

namespace pg_actions::pg {

// One version of a template (store/template_rows.hpp).
using store::TemplateVersion;

// The current version of a template. A template of a workspace the actor does not act in is not
// found (P0002, like a missing id); manage: the actor must also hold manage_workspace, and the
// template is locked FOR UPDATE.
TemplateVersion load_template(std::int64_t template_id, std::int64_t actor, bool manage);
// The core's rules on a definition (title, description, placeholders, priority, due rule, assignee rule).
void check_definition(const TemplateVersion& t);
// What it refers to (SPI connected): a type new actions may use, an assignee who may be named, the
// groups (locked), and a calendar for a rule in working days. Procedure steps are checked the same way.
void check_references(const TemplateVersion& t, std::int64_t actor);
// A new template (version 1) in t.workspace_id; needs manage_workspace. Returns its id.
std::int64_t insert_template(const TemplateVersion& t, const std::string& name, std::int64_t actor);
// The next version of a loaded (locked) template, renamed when name is given. Returns the version.
std::int32_t insert_version(const TemplateVersion& t, const std::optional<std::string>& name, std::int64_t actor);
void retire(const TemplateVersion& t);

// create_action_from_template's arguments: the template, the record, and the overrides.
struct TemplateCall {
    std::int64_t template_id = 0;
    std::optional<std::int64_t> record_id;
    std::optional<std::string> title, description;  // as given: no placeholders
    std::optional<std::int64_t> assignee;
    std::optional<TimestampTz> due_at;
    std::optional<DateADT> due_on;
    std::optional<std::string> priority;
    std::optional<std::vector<std::int64_t>> groups;
};
TemplateCall template_call_args(FunctionCallInfo fcinfo);
// An action from the template's current version through create_new_action (SPI connected):
// what actions.create_action_from_template() runs, and a sweep may run for a resolved person
// (acting; nullopt: the session's acting person). Returns the action id.
std::int64_t create_from_template(const TemplateCall& call, std::optional<std::int64_t> acting = std::nullopt);

}  // namespace pg_actions::pg
