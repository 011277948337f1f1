// People, workspaces and trusted services: actions.person, workspace, trusted_service. (see people_store.hpp).
#include "pg/store/people_store.hpp"

#include "pg/boundary/spi.hpp"

namespace pg_actions::pg::store {

std::optional<std::string> workspace_time_zone(std::int64_t workspace_id) {
    static Statement q("SELECT time_zone FROM actions.workspace WHERE workspace_id = $1", {INT8OID});
    if (q.exec_limit(1, workspace_id) != 1) return std::nullopt;
    return get_text(0, 1).value_or("UTC");
}

std::optional<std::int32_t> workspace_today(std::int64_t workspace_id) {
    static Statement q(
        "SELECT (pg_catalog.now() AT TIME ZONE w.time_zone)::date FROM actions.workspace w WHERE w.workspace_id = $1",
        {INT8OID});
    if (q.exec_limit(1, workspace_id) != 1) return std::nullopt;
    bool null = true;
    return DatumGetDateADT(get_datum(0, 1, &null));
}

std::optional<PlaceholderContext> placeholder_context(std::int64_t workspace_id, std::int64_t actor,
                                                      std::optional<std::int64_t> due_at,
                                                      std::optional<std::int32_t> due_on,
                                                      std::optional<std::int32_t> due_in) {
    static Statement q(
        "SELECT w.name, p.display_name, to_char(d.today, 'YYYY-MM-DD'), d.due_day, "
        "CASE WHEN $3::timestamptz IS NOT NULL THEN to_char(($3::timestamptz AT TIME ZONE w.time_zone)::date, 'YYYY-MM-DD') "
        "ELSE to_char(d.due_day, 'YYYY-MM-DD') END "
        "FROM actions.workspace w LEFT JOIN actions.person p ON p.person_id = $2 "
        "CROSS JOIN LATERAL (SELECT (now() AT TIME ZONE w.time_zone)::date AS today) t "
        "CROSS JOIN LATERAL (SELECT t.today, coalesce($4::date, t.today + $5::integer) AS due_day) d "
        "WHERE w.workspace_id = $1",
        {INT8OID, INT8OID, TIMESTAMPTZOID, DATEOID, INT4OID});
    if (q.exec_limit(1, workspace_id, actor, due_at, due_on, due_in) != 1) return std::nullopt;
    PlaceholderContext c;
    c.workspace = get_text(0, 1).value_or("");
    c.creator = get_text(0, 2).value_or("");
    c.created_on = get_text(0, 3).value_or("");
    bool null = true;
    Datum day = get_datum(0, 4, &null);
    if (!null) c.due_day = DatumGetDateADT(day);
    c.due_date = get_text(0, 5);
    return c;
}
}  // namespace pg_actions::pg::store
