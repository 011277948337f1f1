// What the schedule API and the sweep share (schedule.hpp): time mapping, a schedule's row and
// next occurrence, and the one call that creates an occurrence's action.
#include "pg/api/schedule.hpp"

#include <algorithm>

#include "pg/api/template_store.hpp"
#include "pg/boundary/spi.hpp"

namespace core = pg_actions::core;

namespace pg_actions::pg {

namespace {
constexpr std::int64_t unix_to_pg_seconds = 946684800;  // 2000-01-01 - 1970-01-01
constexpr std::int64_t us = 1000000;
}  // namespace

core::LocalSeconds local_of(Timestamp ts) {
    std::int64_t s = ts / us;
    if (ts % us < 0) s--;  // floor
    return s + unix_to_pg_seconds;
}

Timestamp timestamp_of(core::LocalSeconds s) { return (s - unix_to_pg_seconds) * us; }

TimestampTz absolute(core::LocalSeconds local, const std::string& zone) {
    Datum z = text_datum(zone);
    Timestamp ts = timestamp_of(local);
    return guard([&]() -> TimestampTz {
        return DatumGetTimestampTz(DirectFunctionCall2(timestamp_zone, z, TimestampGetDatum(ts)));
    });
}

core::LocalSeconds local_now(const std::string& zone) {
    Datum z = text_datum(zone);
    Timestamp t = guard([&]() -> Timestamp {
        return DatumGetTimestamp(
            DirectFunctionCall2(timestamptz_zone, z, TimestampTzGetDatum(GetCurrentTransactionStartTimestamp())));
    });
    return local_of(t);
}

std::vector<Occurrence> occurrences_from(const Schedule& s, core::LocalSeconds from, TimestampTz not_before,
                                         std::size_t n) {
    std::vector<Occurrence> out;
    std::size_t batch = std::min<std::size_t>(n + 1, 64);
    while (out.size() < n) {
        check_for_interrupts();
        std::vector<core::LocalSeconds> some = core::occurrences(s.rrule, s.start, from, batch);
        for (core::LocalSeconds l : some) {
            TimestampTz at = absolute(l, s.time_zone);
            if (at >= not_before) out.push_back({l, at});
            if (out.size() >= n) break;
        }
        if (some.size() < batch) break;
        from = some.back() + 1;
    }
    return out;
}

Schedule schedule_of_row(std::uint64_t row, std::int64_t schedule_id) {
    Schedule s;
    s.workspace_id = get_int64(row, 1);
    s.schedule_id = schedule_id;
    s.template_id = get_int64(row, 2);
    s.record_id = get_opt_int64(row, 3);
    s.rrule = get_text(row, 4).value_or("");
    bool null;
    s.start = local_of(DatumGetTimestamp(get_datum(row, 5, &null)));
    s.catch_up = core::parse_catch_up(get_text(row, 6).value_or("")).value_or(core::CatchUp::latest);
    s.owner_id = get_int64(row, 7);
    s.paused = get_bool(row, 8);
    Datum next = get_datum(row, 9, &null);
    if (!null) s.next = local_of(DatumGetTimestamp(next));
    s.time_zone = get_text(row, 10).value_or("UTC");
    return s;
}

std::optional<Schedule> load_schedule(std::int64_t schedule_id, bool lock) {
    static Statement plain(
        "SELECT s.workspace_id, s.template_id, s.record_id, s.rrule, s.starts_at, s.catch_up, s.owner_id, s.paused, "
        "s.next_local, w.time_zone FROM actions.schedule s JOIN actions.workspace w ON w.workspace_id = s.workspace_id "
        "WHERE s.schedule_id = $1",
        {INT8OID});
    static Statement locked(
        "SELECT s.workspace_id, s.template_id, s.record_id, s.rrule, s.starts_at, s.catch_up, s.owner_id, s.paused, "
        "s.next_local, w.time_zone FROM actions.schedule s JOIN actions.workspace w ON w.workspace_id = s.workspace_id "
        "WHERE s.schedule_id = $1 FOR UPDATE OF s",
        {INT8OID});
    Datum v[1] = {Int64GetDatum(schedule_id)};
    if ((lock ? locked : plain).run(v, nullptr, 1) != 1) return std::nullopt;
    return schedule_of_row(0, schedule_id);
}

void set_next(const Schedule& s, const std::optional<Occurrence>& next, std::optional<bool> paused) {
    static Statement update(
        "UPDATE actions.schedule SET next_local = $3, next_at = $4, paused = coalesce($5, paused) "
        "WHERE workspace_id = $1 AND schedule_id = $2",
        {INT8OID, INT8OID, TIMESTAMPOID, TIMESTAMPTZOID, BOOLOID});
    Datum v[5] = {Int64GetDatum(s.workspace_id), Int64GetDatum(s.schedule_id),
                  next ? TimestampGetDatum(timestamp_of(next->local)) : 0, next ? TimestampTzGetDatum(next->at) : 0,
                  BoolGetDatum(paused.value_or(false))};
    char nulls[5] = {' ', ' ', next ? ' ' : 'n', next ? ' ' : 'n', paused ? ' ' : 'n'};
    update.run(v, nulls, 0);
}

Datum time_array(const std::vector<std::optional<std::int64_t>>& values, Oid type) {
    int count = static_cast<int>(values.size());
    return guard([&]() -> Datum {
        Datum* elems = static_cast<Datum*>(palloc(sizeof(Datum) * (count > 0 ? count : 1)));
        bool* nulls = static_cast<bool*>(palloc(sizeof(bool) * (count > 0 ? count : 1)));
        for (int i = 0; i < count; i++) {
            nulls[i] = !values[i].has_value();
            elems[i] = Int64GetDatum(values[i].value_or(0));
        }
        int dims[1] = {count}, lbs[1] = {1};
        return PointerGetDatum(
            construct_md_array(elems, nulls, 1, dims, lbs, type, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
    });
}

void set_next_many(const std::vector<std::int64_t>& schedule_ids, const std::vector<std::optional<Occurrence>>& next) {
    if (schedule_ids.empty()) return;
    static Statement update(
        "UPDATE actions.schedule s SET next_local = v.l, next_at = v.a "
        "FROM unnest($1::bigint[], $2::timestamp[], $3::timestamptz[]) AS v (id, l, a) WHERE s.schedule_id = v.id",
        {INT8ARRAYOID, TIMESTAMPARRAYOID, TIMESTAMPTZARRAYOID});
    std::vector<std::optional<std::int64_t>> locals, ats;
    for (const std::optional<Occurrence>& o : next) {
        locals.push_back(o ? std::optional<std::int64_t>(timestamp_of(o->local)) : std::nullopt);
        ats.push_back(o ? std::optional<std::int64_t>(o->at) : std::nullopt);
    }
    Datum v[3] = {int64_array_datum(schedule_ids), time_array(locals, TIMESTAMPOID), time_array(ats, TIMESTAMPTZOID)};
    update.run(v, nullptr, 0);
}

// What actions.create_action_from_template(template_id, record_id) runs (templates.cpp): the
// template's current version, placeholders, due and assignee rules, and create_action's rules,
// decided for the schedule's owner (the sweep also makes the owner the acting person, so the
// triggers log them).
// Its own SPI connection, as a call of the SQL function has: what the creation read is freed with
// it, not kept until the sweep ends (an error leaves it to the subtransaction's rollback).
std::int64_t create_occurrence_action(const Schedule& s, const Occurrence&) {
    TemplateCall call;
    call.template_id = s.template_id;
    call.record_id = s.record_id;
    SpiScope spi;
    std::int64_t id = create_from_template(call, s.owner_id);
    spi.finish();
    return id;
}

}  // namespace pg_actions::pg
