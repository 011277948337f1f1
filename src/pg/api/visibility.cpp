// What a person reading the tables directly may see: the workspaces where their role lets them
// view every action, and the workspaces they belong to (where they see their own actions). The
// row-level security policies (src/sql/45_visibility.sql) compare against these arrays once per
// query, so the policy predicates stay index conditions.
#include "pg/boundary/postgres.hpp"

#include <algorithm>
#include <vector>

#include "core/permission.hpp"
#include "pg/identity/actor.hpp"
#include "pg/store/member_store.hpp"
#include "pg/store/members.hpp"
#include "pg/authz/facts.hpp"
#include "pg/boundary/spi.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

// Workspaces of the acting person; with all_actions, only those where the role alone (without
// owning or being assigned) passes the core's view decision.
std::vector<std::int64_t> counted_workspaces(std::int64_t person);

// Index reads only: this runs once per query that reads actions.action under row-level security.
Datum workspaces(bool all_actions) {
    std::vector<std::int64_t> ids;
    if (std::optional<std::int64_t> actor = current_actor()) {
        for (std::int64_t ws : counted_workspaces(*actor)) {
            if (all_actions) {
                core::Facts facts;
                facts.is_member = true;
                facts.granted = membership(ws, *actor).granted;
                if (core::decide(core::Verb::view, facts)) continue;
            }
            ids.push_back(ws);
        }
    }
    return int64_array_datum(ids);
}

// Groups whose actions the acting person sees through a group-scoped view_actions grant: in each
// workspace where only such a grant lets them view, their groups and every group below them.
Datum visible_groups() {
    std::vector<std::int64_t> ids;
    if (std::optional<std::int64_t> actor = current_actor()) {
        std::vector<std::int64_t> scoped;
        for (std::int64_t ws : counted_workspaces(*actor)) {
            Membership m = membership(ws, *actor);
            core::Facts facts;
            facts.is_member = true;
            facts.granted = m.granted;
            facts.group_granted = m.group_granted;
            if (core::scope_matters(core::Verb::view, facts)) scoped.push_back(ws);
        }
        if (!scoped.empty()) {
            SpiScope spi;
            for (std::int64_t workspace_id : scoped) {
                std::vector<std::int64_t> below = store::groups_at_or_below_person(workspace_id, *actor);
                ids.insert(ids.end(), below.begin(), below.end());
            }
            spi.finish();
        }
    }
    return int64_array_datum(ids);
}

// Workspaces the person is an active member of (an invited one sees nothing until accepting).
std::vector<std::int64_t> counted_workspaces(std::int64_t person) {
    std::vector<std::int64_t> out;
    for (const store::PersonMembership& m : store::person_memberships(person))
        if (member_acts(m.state)) out.push_back(m.workspace_id);
    return out;
}

bool contains(const std::vector<std::int64_t>& v, std::int64_t x) { return std::find(v.begin(), v.end(), x) != v.end(); }

// The ids of the rows in a workspace of `workspaces`, appended to ids.
void add_in(const std::vector<std::int64_t>& workspaces, const std::vector<store::WorkspaceRow>& rows,
            std::vector<std::int64_t>& ids) {
    for (const store::WorkspaceRow& r : rows)
        if (contains(workspaces, r.workspace_id)) ids.push_back(r.id);
}

// The groups whose offers and shared records reach a person: their groups and every group above them.
std::vector<std::int64_t> covering_groups(std::int64_t workspace_id, std::int64_t person) {
    std::vector<std::int64_t> mine = person_groups(workspace_id, person);
    std::vector<std::int64_t> covering;
    if (mine.empty()) return covering;
    for (const core::GroupPath& path : group_paths(workspace_id, mine)) covering.insert(covering.end(), path.begin(), path.end());
    std::sort(covering.begin(), covering.end());
    covering.erase(std::unique(covering.begin(), covering.end()), covering.end());
    return covering;
}

// Records on which the acting person is a party, in a workspace they are an active
// member of: as a person, or through a group shared with them (their group or one above it).
// Every capacity lets a party see the record's actions (core::capacity_grants). Index reads
// only: this runs once per query that reads actions.action under row-level security.
Datum party_records() {
    std::vector<std::int64_t> ids;
    if (std::optional<std::int64_t> actor = current_actor()) {
        std::vector<std::int64_t> workspaces = counted_workspaces(*actor);
        add_in(workspaces, store::person_party_records(*actor), ids);
        for (std::int64_t ws : workspaces) {
            for (std::int64_t group : covering_groups(ws, *actor)) {
                std::vector<std::int64_t> shared = store::group_party_records(group);
                ids.insert(ids.end(), shared.begin(), shared.end());
            }
        }
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return int64_array_datum(ids);
}

// Actions offered to the acting person: approvals as an eligible approver (they see them, and see
// them resolved), and actions whose pool names them, one of their groups or a group above it, or
// their role (core::is_candidate, decided the same way row by row in authz/facts.cpp).
Datum candidate_actions() {
    std::vector<std::int64_t> ids;
    if (std::optional<std::int64_t> actor = current_actor()) {
        std::vector<std::int64_t> workspaces = counted_workspaces(*actor);
        add_in(workspaces, store::person_candidate_actions(*actor), ids);
        add_in(workspaces, store::person_offered_actions(*actor), ids);
        auto add = [&](const std::vector<std::int64_t>& more) { ids.insert(ids.end(), more.begin(), more.end()); };
        for (std::int64_t ws : workspaces) {
            if (std::optional<std::int64_t> role = membership(ws, *actor, false).role_id)
                add(store::role_offered_actions(ws, *role));
            for (std::int64_t group : covering_groups(ws, *actor)) add(store::group_offered_actions(ws, group));
        }
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return int64_array_datum(ids);
}

}  // namespace

extern "C" {

PG_FUNCTION_INFO_V1(pg_actions_visible_workspaces);
Datum pg_actions_visible_workspaces(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum { return workspaces(true); });
}

PG_FUNCTION_INFO_V1(pg_actions_party_records);
Datum pg_actions_party_records(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum { return party_records(); });
}

PG_FUNCTION_INFO_V1(pg_actions_candidate_actions);
Datum pg_actions_candidate_actions(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum { return candidate_actions(); });
}

PG_FUNCTION_INFO_V1(pg_actions_visible_groups);
Datum pg_actions_visible_groups(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum { return visible_groups(); });
}

PG_FUNCTION_INFO_V1(pg_actions_member_workspaces);
Datum pg_actions_member_workspaces(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum { return workspaces(false); });
}

}  // extern "C"
