// What a person reading the tables directly may see: the workspaces where their role lets them
// view every action, and the workspaces they belong to (where they see their own actions). The
// row-level security policies (src/sql/45_visibility.sql) compare against these arrays once per
// query, so the policy predicates stay index conditions.
#include "postgres.hpp"

#include <vector>

#include "../core/permission.hpp"
#include "actor.hpp"
#include "facts.hpp"
#include "spi.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

// Workspaces of the acting person; with all_actions, only those where the role alone (without
// owning or being assigned) passes the core's view decision.
Datum workspaces(bool all_actions) {
    std::vector<std::int64_t> ids;
    spi_connect();
    if (std::optional<std::int64_t> actor = current_actor()) {
        static Statement q(
            "SELECT m.workspace_id, m.state, r.permissions FROM actions.member m "
            "JOIN actions.role r ON r.workspace_id = m.workspace_id AND r.role_id = m.role_id "
            "WHERE m.person_id = $1",
            {INT8OID});
        Datum args[1] = {Int64GetDatum(*actor)};
        std::uint64_t n = q.run(args, nullptr, true, 0);
        struct Row {
            std::int64_t workspace_id;
            std::optional<std::string> state;
            Datum permissions;
            bool has_permissions;
        };
        std::vector<Row> rows;
        for (std::uint64_t i = 0; i < n; i++) {
            bool null;
            Datum p = get_datum(i, 3, &null);
            rows.push_back({get_int64(i, 1), get_text(i, 2), p, !null});
        }
        for (const Row& r : rows) {
            core::Facts facts;
            facts.is_member = member_state_counts(r.state);
            if (!facts.is_member) continue;
            if (all_actions) {
                Membership m;
                if (r.has_permissions) read_grants(r.permissions, m);
                facts.granted = m.granted;
                if (core::decide(core::Verb::view, facts)) continue;
            }
            ids.push_back(r.workspace_id);
        }
    }
    spi_finish();
    return int64_array_datum(ids);
}

// Groups whose actions the acting person sees through a group-scoped view_actions grant: in each
// workspace where only such a grant lets them view, their groups and every group below them.
Datum visible_groups() {
    std::vector<std::int64_t> ids;
    spi_connect();
    if (std::optional<std::int64_t> actor = current_actor()) {
        static Statement q(
            "SELECT m.workspace_id, m.state, r.permissions FROM actions.member m "
            "JOIN actions.role r ON r.workspace_id = m.workspace_id AND r.role_id = m.role_id "
            "WHERE m.person_id = $1",
            {INT8OID});
        static Statement below(
            "SELECT g.group_id FROM actions.group g WHERE g.workspace_id = $1 AND g.path && "
            "ARRAY(SELECT gm.group_id FROM actions.group_member gm "
            "      WHERE gm.workspace_id = $1 AND gm.person_id = $2)",
            {INT8OID, INT8OID});
        Datum args[1] = {Int64GetDatum(*actor)};
        std::uint64_t n = q.run(args, nullptr, true, 0);
        std::vector<std::int64_t> scoped;
        for (std::uint64_t i = 0; i < n; i++) {
            Membership m;
            bool null;
            Datum p = get_datum(i, 3, &null);
            if (!null) read_grants(p, m);
            core::Facts facts;
            facts.is_member = member_state_counts(get_text(i, 2));
            facts.granted = m.granted;
            facts.group_granted = m.group_granted;
            if (core::scope_matters(core::Verb::view, facts)) scoped.push_back(get_int64(i, 1));
        }
        for (std::int64_t workspace_id : scoped) {
            Datum a[2] = {Int64GetDatum(workspace_id), Int64GetDatum(*actor)};
            std::uint64_t rows = below.run(a, nullptr, true, 0);
            for (std::uint64_t i = 0; i < rows; i++) ids.push_back(get_int64(i, 1));
        }
    }
    spi_finish();
    return int64_array_datum(ids);
}

// Records on which the acting person is a party, in a workspace they are an invited or active
// member of: as a person, or through a group shared with them (their group or one above it).
// Every capacity lets a party see the record's actions (core::capacity_grants).
Datum party_records() {
    std::vector<std::int64_t> ids;
    spi_connect();
    if (std::optional<std::int64_t> actor = current_actor()) {
        static Statement q(
            "SELECT DISTINCT p.record_id FROM actions.record_party p "
            "JOIN actions.member m ON m.workspace_id = p.workspace_id AND m.person_id = $1 "
            "WHERE m.state IN ('invited', 'active') AND ("
            "  p.person_id = $1 OR p.group_id IN ("
            "    SELECT unnest(g.path) FROM actions.group_member gm "
            "    JOIN actions.group g ON g.workspace_id = gm.workspace_id AND g.group_id = gm.group_id "
            "    WHERE gm.person_id = $1))",
            {INT8OID});
        Datum args[1] = {Int64GetDatum(*actor)};
        std::uint64_t n = q.run(args, nullptr, true, 0);
        for (std::uint64_t i = 0; i < n; i++) ids.push_back(get_int64(i, 1));
    }
    spi_finish();
    return int64_array_datum(ids);
}

// Approval actions offered to the acting person (they see them, and see them resolved).
Datum candidate_actions() {
    std::vector<std::int64_t> ids;
    spi_connect();
    if (std::optional<std::int64_t> actor = current_actor()) {
        static Statement q(
            "SELECT c.action_id FROM actions.action_candidate c "
            "JOIN actions.member m ON m.workspace_id = c.workspace_id AND m.person_id = c.person_id "
            "WHERE c.person_id = $1 AND m.state IN ('invited', 'active')",
            {INT8OID});
        Datum args[1] = {Int64GetDatum(*actor)};
        std::uint64_t n = q.run(args, nullptr, true, 0);
        for (std::uint64_t i = 0; i < n; i++) ids.push_back(get_int64(i, 1));
    }
    spi_finish();
    return int64_array_datum(ids);
}

}  // namespace

extern "C" {

PG_FUNCTION_INFO_V1(pg_actions_visible_workspaces);
Datum pg_actions_visible_workspaces(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo) -> Datum { return workspaces(true); });
}

PG_FUNCTION_INFO_V1(pg_actions_party_records);
Datum pg_actions_party_records(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo) -> Datum { return party_records(); });
}

PG_FUNCTION_INFO_V1(pg_actions_candidate_actions);
Datum pg_actions_candidate_actions(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo) -> Datum { return candidate_actions(); });
}

PG_FUNCTION_INFO_V1(pg_actions_visible_groups);
Datum pg_actions_visible_groups(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo) -> Datum { return visible_groups(); });
}

PG_FUNCTION_INFO_V1(pg_actions_member_workspaces);
Datum pg_actions_member_workspaces(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [](FunctionCallInfo) -> Datum { return workspaces(false); });
}

}  // extern "C"
