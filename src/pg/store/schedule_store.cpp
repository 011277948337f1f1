// Recurring schedules: actions.schedule, schedule_occurrence. (see schedule_store.hpp).
#include "pg/store/schedule_store.hpp"

#include "pg/boundary/spi.hpp"

namespace pg_actions::pg::store {

namespace {

// Columns 1..10 of a result: workspace_id, template_id, record_id, rrule, starts_at, catch_up,
// owner_id, paused, next_local and the workspace's time_zone.
ScheduleRow schedule_of_row(std::uint64_t row, std::int64_t schedule_id) {
    ScheduleRow s;
    s.workspace_id = get_int64(row, 1);
    s.schedule_id = schedule_id;
    s.template_id = get_int64(row, 2);
    s.record_id = get_opt_int64(row, 3);
    s.rrule = get_text(row, 4).value_or("");
    bool null;
    s.starts_at = DatumGetTimestamp(get_datum(row, 5, &null));
    s.catch_up = get_text(row, 6).value_or("");
    s.owner_id = get_int64(row, 7);
    s.paused = get_bool(row, 8);
    Datum next = get_datum(row, 9, &null);
    if (!null) s.next_local = DatumGetTimestamp(next);
    s.time_zone = get_text(row, 10).value_or("UTC");
    return s;
}

// A timestamp[] or timestamptz[] (both int64 microseconds; nullopt: a NULL element).
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

Datum time_array(const std::vector<std::int64_t>& values, Oid type) {
    return time_array(std::vector<std::optional<std::int64_t>>(values.begin(), values.end()), type);
}

}  // namespace

std::optional<ScheduleRow> schedule_row(std::int64_t schedule_id, bool lock) {
    static Statement plain(
        "SELECT s.workspace_id, s.template_id, s.record_id, s.rrule, s.starts_at, s.catch_up, s.owner_id, s.paused, "
        "s.next_local, w.time_zone FROM actions.schedule s JOIN actions.workspace w ON w.workspace_id = s.workspace_id "
        "WHERE s.schedule_id = $1 /*AND s.workspace_id*/",
        {INT8OID});
    static Statement locked(
        "SELECT s.workspace_id, s.template_id, s.record_id, s.rrule, s.starts_at, s.catch_up, s.owner_id, s.paused, "
        "s.next_local, w.time_zone FROM actions.schedule s JOIN actions.workspace w ON w.workspace_id = s.workspace_id "
        "WHERE s.schedule_id = $1 /*AND s.workspace_id*/ FOR UPDATE OF s",
        {INT8OID});
    if ((lock ? locked : plain).exec_limit(1, schedule_id) != 1) return std::nullopt;
    return schedule_of_row(0, schedule_id);
}

std::vector<ScheduleRow> lock_due_schedules(Datum limit) {
    // The due index finds them; a sweep with nothing due reads one index page.
    static Statement due(
        "SELECT s.workspace_id, s.template_id, s.record_id, s.rrule, s.starts_at, s.catch_up, s.owner_id, "
        "s.paused, s.next_local, w.time_zone, s.schedule_id "
        "FROM actions.schedule s JOIN actions.workspace w ON w.workspace_id = s.workspace_id "
        "WHERE NOT s.paused AND s.next_at IS NOT NULL AND s.next_at <= now() /*AND s.workspace_id*/ /*AND w.workspace_id*/ "
        "ORDER BY s.next_at, s.schedule_id LIMIT $1 FOR UPDATE OF s SKIP LOCKED",
        {INT8OID});
    std::uint64_t n = due.exec(sql_datum(limit));
    std::vector<ScheduleRow> rows;
    rows.reserve(n);
    for (std::uint64_t i = 0; i < n; i++) rows.push_back(schedule_of_row(i, get_int64(i, 11)));
    return rows;
}

std::int64_t insert_schedule(std::int64_t workspace_id, std::int64_t template_id, std::optional<std::int64_t> record_id,
                             const std::string& rrule, Timestamp starts_at, const std::string& catch_up,
                             std::int64_t owner_id, Timestamp next_local, TimestampTz next_at) {
    static Statement q(
        "INSERT INTO actions.schedule (workspace_id, template_id, record_id, rrule, starts_at, catch_up, owner_id, "
        "next_local, next_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING schedule_id",
        {INT8OID, INT8OID, INT8OID, TEXTOID, TIMESTAMPOID, TEXTOID, INT8OID, TIMESTAMPOID, TIMESTAMPTZOID});
    q.exec(workspace_id, template_id, record_id, rrule, sql_datum(TimestampGetDatum(starts_at)), catch_up, owner_id,
           sql_datum(TimestampGetDatum(next_local)), sql_datum(TimestampTzGetDatum(next_at)));
    return get_int64(0, 1);
}

void pause_schedule(std::int64_t workspace_id, std::int64_t schedule_id) {
    static Statement q("UPDATE actions.schedule SET paused = true WHERE workspace_id = $1 AND schedule_id = $2",
                       {INT8OID, INT8OID});
    q.exec(workspace_id, schedule_id);
}

void delete_schedule(std::int64_t workspace_id, std::int64_t schedule_id) {
    static Statement q("DELETE FROM actions.schedule WHERE workspace_id = $1 AND schedule_id = $2", {INT8OID, INT8OID});
    q.exec(workspace_id, schedule_id);
}

void set_schedule_next(std::int64_t workspace_id, std::int64_t schedule_id, std::optional<Timestamp> next_local,
                       std::optional<TimestampTz> next_at, std::optional<bool> paused) {
    static Statement q(
        "UPDATE actions.schedule SET next_local = $3, next_at = $4, paused = coalesce($5, paused) "
        "WHERE workspace_id = $1 AND schedule_id = $2",
        {INT8OID, INT8OID, TIMESTAMPOID, TIMESTAMPTZOID, BOOLOID});
    q.exec(workspace_id, schedule_id, next_local, next_at, paused);
}

void set_schedules_next(const std::vector<std::int64_t>& schedule_ids,
                        const std::vector<std::optional<Timestamp>>& next_locals,
                        const std::vector<std::optional<TimestampTz>>& next_ats) {
    static Statement q(
        "UPDATE actions.schedule s SET next_local = v.l, next_at = v.a "
        "FROM unnest($1::bigint[], $2::timestamp[], $3::timestamptz[]) AS v (id, l, a) WHERE s.schedule_id = v.id",
        {INT8ARRAYOID, TIMESTAMPARRAYOID, TIMESTAMPTZARRAYOID});
    q.exec(sql_datum(int64_array_datum(schedule_ids)), sql_datum(time_array(next_locals, TIMESTAMPOID)),
           sql_datum(time_array(next_ats, TIMESTAMPTZOID)));
}

bool insert_occurrence(std::int64_t workspace_id, std::int64_t schedule_id, Timestamp occurrence,
                       TimestampTz occurrence_at, std::optional<std::int64_t> action_id,
                       const std::optional<std::string>& sqlstate, const std::optional<std::string>& error) {
    static Statement q(
        "INSERT INTO actions.schedule_occurrence (workspace_id, schedule_id, occurrence, occurrence_at, action_id, "
        "sqlstate, error) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
        {INT8OID, INT8OID, TIMESTAMPOID, TIMESTAMPTZOID, INT8OID, TEXTOID, TEXTOID});
    return q.exec(workspace_id, schedule_id, sql_datum(TimestampGetDatum(occurrence)),
                  sql_datum(TimestampTzGetDatum(occurrence_at)), action_id, sqlstate, error) == 1;
}

std::uint64_t insert_occurrences(const std::vector<std::int64_t>& workspace_ids,
                                 const std::vector<std::int64_t>& schedule_ids,
                                 const std::vector<Timestamp>& occurrences,
                                 const std::vector<TimestampTz>& occurrence_ats,
                                 const std::vector<std::int64_t>& action_ids) {
    static Statement q(
        "INSERT INTO actions.schedule_occurrence (workspace_id, schedule_id, occurrence, occurrence_at, action_id) "
        "SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::timestamp[], $4::timestamptz[], $5::bigint[]) "
        "ON CONFLICT DO NOTHING",
        {INT8ARRAYOID, INT8ARRAYOID, TIMESTAMPARRAYOID, TIMESTAMPTZARRAYOID, INT8ARRAYOID});
    return q.exec(sql_datum(int64_array_datum(workspace_ids)), sql_datum(int64_array_datum(schedule_ids)),
                  sql_datum(time_array(occurrences, TIMESTAMPOID)), sql_datum(time_array(occurrence_ats, TIMESTAMPTZOID)),
                  sql_datum(int64_array_datum(action_ids)));
}

}  // namespace pg_actions::pg::store
