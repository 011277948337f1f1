// Absences as committed now, and the marks of acts for absent members (see absences.hpp).
#include "pg/store/absences.hpp"

#include <algorithm>
#include <cstring>
#include <tuple>
#include <unordered_map>

#include "pg/boundary/spi.hpp"
#include "pg/store/members.hpp"

namespace pg_actions::pg {

namespace {

std::vector<AbsenceRow> rows_of(const IndexRows& r) {
    std::vector<AbsenceRow> out;
    for (int i = 0; i < r.count; i++)
        out.push_back(AbsenceRow{DatumGetInt64(r.value(i, 0)), DatumGetInt64(r.value(i, 1)),
                                 DatumGetInt64(r.value(i, 2)),
                                 core::AbsencePeriod{DatumGetTimestampTz(r.value(i, 3)), DatumGetTimestampTz(r.value(i, 4))}});
    return out;
}

struct ActingFor {
    std::int64_t actor;
    std::int64_t absent;
};
std::unordered_map<std::int64_t, ActingFor> acting;      // by action
std::unordered_map<std::int64_t, core::Routed> routed;   // by action

}  // namespace

std::vector<AbsenceRow> person_absences(std::int64_t workspace_id, std::int64_t person_id) {
    return rows_of(index_rows("absence", "absence_person_idx", direct::of(workspace_id),
                              {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)},
                               {"person_id", F_INT8EQ, Int64GetDatum(person_id)}},
                              {"absence_id", "person_id", "substitute_id", "starts_at", "ends_at"}));
}

std::optional<AbsenceRow> absence_at(std::int64_t workspace_id, std::int64_t person_id, TimestampTz at) {
    for (const AbsenceRow& a : person_absences(workspace_id, person_id))
        if (core::contains(a.period, at)) return a;
    return std::nullopt;
}

std::vector<AbsenceRow> substituting_at(std::int64_t workspace_id, std::int64_t substitute_id, TimestampTz at) {
    std::vector<AbsenceRow> out;
    IndexRows r = index_rows("absence", "absence_substitute_idx", direct::of(workspace_id), {{"substitute_id", F_INT8EQ, Int64GetDatum(substitute_id)}},
                             {"absence_id", "person_id", "substitute_id", "starts_at", "ends_at", "workspace_id"});
    for (int i = 0; i < r.count; i++) {
        if (DatumGetInt64(r.value(i, 5)) != workspace_id) continue;
        AbsenceRow a{DatumGetInt64(r.value(i, 0)), DatumGetInt64(r.value(i, 1)), DatumGetInt64(r.value(i, 2)),
                     core::AbsencePeriod{DatumGetTimestampTz(r.value(i, 3)), DatumGetTimestampTz(r.value(i, 4))}};
        if (core::contains(a.period, at)) out.push_back(a);
    }
    return out;
}

std::optional<AbsenceRow> find_absence(std::int64_t absence_id, bool lock, std::int64_t* workspace_id) {
    static Statement seen(
        "SELECT workspace_id, person_id, substitute_id, starts_at, ends_at FROM actions.absence WHERE absence_id = $1 /*AND workspace_id*/",
        {INT8OID});
    static Statement locked(
        "SELECT workspace_id, person_id, substitute_id, starts_at, ends_at FROM actions.absence "
        "WHERE absence_id = $1 /*AND workspace_id*/ FOR UPDATE",
        {INT8OID});
    Datum id[1] = {Int64GetDatum(absence_id)};
    if ((lock ? locked : seen).run(id, nullptr, 0) != 1) return std::nullopt;
    *workspace_id = get_int64(0, 1);
    return AbsenceRow{absence_id, get_int64(0, 2), get_int64(0, 3),
                      core::AbsencePeriod{get_timestamptz(0, 4).value_or(0), get_timestamptz(0, 5).value_or(0)}};
}

core::AbsenceRouting absence_routing(std::int64_t workspace_id) {
    bool both = guard([&]() -> bool {
        direct::Key key = {"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)};
        const char* cols[1] = {"absence_routing"};
        Datum value;
        bool null = true;
        bool hit = direct::lookup("workspace", "workspace_pkey", direct::of(workspace_id), 1, &key, 1, cols, &value, &null, nullptr);
        return hit && !null && strcmp(TextDatumGetCString(value), "both") == 0;
    });
    return both ? core::AbsenceRouting::both : core::AbsenceRouting::substitute;
}

void mark_acting_for(std::int64_t action_id, std::int64_t actor, std::int64_t absent) {
    acting[action_id] = ActingFor{actor, absent};
}

std::optional<std::int64_t> acting_for(std::int64_t action_id, std::optional<std::int64_t> actor) {
    auto it = acting.find(action_id);
    if (it == acting.end() || !actor || it->second.actor != *actor) return std::nullopt;
    return it->second.absent;
}

void mark_routed(std::int64_t action_id, const core::Routed& r) { routed[action_id] = r; }

std::optional<core::Routed> take_routed(std::int64_t action_id) {
    auto it = routed.find(action_id);
    if (it == routed.end()) return std::nullopt;
    core::Routed r = it->second;
    routed.erase(it);
    return r;
}

void absence_marks_reset() {
    acting.clear();
    routed.clear();
}

namespace store {

bool lock_absence_under_way(std::int64_t workspace_id, std::int64_t absence_id) {
    static Statement lock(
        "SELECT 1 FROM actions.absence WHERE workspace_id = $1 AND absence_id = $2 "
        "AND starts_at <= now() AND ends_at > now() FOR SHARE",
        {INT8OID, INT8OID});
    return lock.exec(workspace_id, absence_id) == 1;
}

}  // namespace store

namespace store {

std::int64_t insert_absence(std::int64_t workspace_id, std::int64_t person_id, std::int64_t substitute_id,
                            TimestampTz starts_at, TimestampTz ends_at, const std::optional<std::string>& note,
                            std::int64_t created_by) {
    static Statement q(
        "INSERT INTO actions.absence (workspace_id, person_id, substitute_id, starts_at, ends_at, note, created_by) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING absence_id",
        {INT8OID, INT8OID, INT8OID, TIMESTAMPTZOID, TIMESTAMPTZOID, TEXTOID, INT8OID});
    q.exec(workspace_id, person_id, substitute_id, sql_datum(TimestampTzGetDatum(starts_at)),
           sql_datum(TimestampTzGetDatum(ends_at)), note, created_by);
    return get_int64(0, 1);
}

void delete_absence(std::int64_t workspace_id, std::int64_t absence_id) {
    static Statement q("DELETE FROM actions.absence WHERE workspace_id = $1 AND absence_id = $2", {INT8OID, INT8OID});
    q.exec(workspace_id, absence_id);
}

void end_absence_now(std::int64_t workspace_id, std::int64_t absence_id) {
    static Statement q("UPDATE actions.absence SET ends_at = now() WHERE workspace_id = $1 AND absence_id = $2",
                       {INT8OID, INT8OID});
    q.exec(workspace_id, absence_id);
}

}  // namespace store

std::vector<SubstituteAbsence> absences_of_substitute(std::int64_t substitute_id) {
    // By the index on (substitute_id, ends_at), without the workspace: on Citus the local shards
    // (the workspaces this node holds; see direct::by_id), never a distributed query, which a
    // policy's question may not make inside a query on a shard.
    IndexRows r = index_rows("absence", "absence_substitute_idx", direct::by_id,
                             {{"substitute_id", F_INT8EQ, Int64GetDatum(substitute_id)}},
                             {"workspace_id", "absence_id", "person_id", "substitute_id", "starts_at", "ends_at"});
    std::vector<SubstituteAbsence> out;
    out.reserve(static_cast<std::size_t>(r.count));
    for (int i = 0; i < r.count; i++)
        out.push_back({DatumGetInt64(r.value(i, 0)),
                       AbsenceRow{DatumGetInt64(r.value(i, 1)), DatumGetInt64(r.value(i, 2)), DatumGetInt64(r.value(i, 3)),
                                  core::AbsencePeriod{r.null(i, 4) ? 0 : DatumGetTimestampTz(r.value(i, 4)),
                                                      r.null(i, 5) ? 0 : DatumGetTimestampTz(r.value(i, 5))}}});
    std::sort(out.begin(), out.end(), [](const SubstituteAbsence& a, const SubstituteAbsence& b) {
        return std::tie(a.workspace_id, a.absence.person_id, a.absence.absence_id) <
               std::tie(b.workspace_id, b.absence.person_id, b.absence.absence_id);
    });
    return out;
}

}  // namespace pg_actions::pg
