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

Schedule schedule_of(const store::ScheduleRow& row) {
    Schedule s;
    static_cast<store::ScheduleRow&>(s) = row;
    s.start = local_of(row.starts_at);
    s.catch_up = core::parse_catch_up(row.catch_up).value_or(core::CatchUp::latest);
    if (row.next_local) s.next = local_of(*row.next_local);
    return s;
}

std::optional<Schedule> load_schedule(std::int64_t schedule_id, bool lock) {
    std::optional<store::ScheduleRow> row = store::schedule_row(schedule_id, lock);
    if (!row) return std::nullopt;
    return schedule_of(*row);
}

void set_next(const Schedule& s, const std::optional<Occurrence>& next, std::optional<bool> paused) {
    store::set_schedule_next(s.workspace_id, s.schedule_id,
                             next ? std::optional<Timestamp>(timestamp_of(next->local)) : std::nullopt,
                             next ? std::optional<TimestampTz>(next->at) : std::nullopt, paused);
}

void set_next_many(const std::vector<std::int64_t>& schedule_ids, const std::vector<std::optional<Occurrence>>& next) {
    if (schedule_ids.empty()) return;
    std::vector<std::optional<Timestamp>> locals;
    std::vector<std::optional<TimestampTz>> ats;
    for (const std::optional<Occurrence>& o : next) {
        locals.push_back(o ? std::optional<Timestamp>(timestamp_of(o->local)) : std::nullopt);
        ats.push_back(o ? std::optional<TimestampTz>(o->at) : std::nullopt);
    }
    store::set_schedules_next(schedule_ids, locals, ats);
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
