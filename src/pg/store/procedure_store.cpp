// Procedures: actions.procedure, procedure_step, procedure_setting, procedure_run, procedure_action. (see procedure_store.hpp).
#include "pg/store/procedure_store.hpp"

#include "pg/boundary/spi.hpp"
#include "pg/boundary/statement_memo.hpp"
#include "pg/store/direct.hpp"

namespace pg_actions::pg::store {

std::optional<std::int64_t> procedure_workspace(std::int64_t procedure_id, bool lock) {
    static Statement q("SELECT workspace_id FROM actions.procedure WHERE procedure_id = $1 /*AND workspace_id*/", {INT8OID});
    static Statement locked("SELECT workspace_id FROM actions.procedure WHERE procedure_id = $1 /*AND workspace_id*/ FOR UPDATE", {INT8OID});
    if ((lock ? locked : q).exec_limit(1, procedure_id) != 1) return std::nullopt;
    return get_int64(0, 1);
}

std::optional<std::int64_t> insert_procedure(std::int64_t workspace_id, const std::string& name,
                                             const std::optional<std::string>& description, std::int64_t actor) {
    static Statement insert(
        "INSERT INTO actions.procedure (workspace_id, name, description, created_by) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (workspace_id, name) DO NOTHING RETURNING procedure_id",
        {INT8OID, TEXTOID, TEXTOID, INT8OID});
    if (insert.exec(workspace_id, name, description, actor) != 1) return std::nullopt;
    return get_int64(0, 1);
}

namespace {

IntervalParts interval_parts(std::uint64_t row, int col) {
    bool null = true;
    Datum d = get_datum(row, col, &null);
    if (null) return {};
    const Interval* iv = DatumGetIntervalP(d);
    return IntervalParts{iv->month, iv->day, iv->time};
}

}  // namespace

std::vector<ProcedureStepRow> procedure_steps(std::int64_t workspace_id, std::int64_t procedure_id) {
    static Statement q(
        "SELECT title, description, type, assignee_rule, assignee_id, assignee_capacity, pool_people, pool_groups, "
        "pool_roles, duration, gap FROM actions.procedure_step WHERE workspace_id = $1 AND procedure_id = $2 "
        "ORDER BY position",
        {INT8OID, INT8OID});
    std::uint64_t n = q.exec(workspace_id, procedure_id);
    std::vector<ProcedureStepRow> steps;
    for (std::uint64_t i = 0; i < n; i++) {
        ProcedureStepRow s;
        TemplateVersion& t = s.definition;
        t.workspace_id = workspace_id;
        t.title = get_text(i, 1).value_or("");
        t.description = get_text(i, 2);
        t.type = get_text(i, 3).value_or("task");
        t.assignee_rule = get_text(i, 4).value_or("none");
        t.assignee_id = get_opt_int64(i, 5);
        t.assignee_capacity = get_text(i, 6);
        bool null = true;
        Datum d = get_datum(i, 7, &null);
        if (!null) t.pool_people = int64_array(d);
        d = get_datum(i, 8, &null);
        if (!null) t.pool_groups = int64_array(d);
        d = get_datum(i, 9, &null);
        if (!null) t.pool_roles = text_array(d);
        s.duration = interval_parts(i, 10);
        s.gap = interval_parts(i, 11);
        steps.push_back(std::move(s));
    }
    return steps;
}

std::int32_t count_procedure_steps(std::int64_t workspace_id, std::int64_t procedure_id) {
    static Statement count(
        "SELECT count(*)::integer FROM actions.procedure_step WHERE workspace_id = $1 AND procedure_id = $2",
        {INT8OID, INT8OID});
    count.exec_limit(1, workspace_id, procedure_id);
    return get_int32(0, 1);
}

void insert_procedure_step(std::int64_t procedure_id, std::int32_t position, const TemplateVersion& d,
                           std::uintptr_t duration, std::optional<std::uintptr_t> gap) {
    static Statement insert(
        "INSERT INTO actions.procedure_step (workspace_id, procedure_id, position, title, description, type, "
        "assignee_rule, assignee_id, assignee_capacity, pool_people, pool_groups, pool_roles, duration, gap) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, coalesce($14, '0'::interval))",
        {INT8OID, INT8OID, INT4OID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, INT8OID, TEXTOID, INT8ARRAYOID,
         INT8ARRAYOID, TEXTARRAYOID, INTERVALOID, INTERVALOID});
    insert.exec(d.workspace_id, procedure_id, position, d.title, d.description, d.type, d.assignee_rule, d.assignee_id,
                d.assignee_capacity, sql_datum(int64_array_datum(d.pool_people)),
                sql_datum(int64_array_datum(d.pool_groups)), sql_datum(text_array_datum(d.pool_roles)),
                sql_datum(duration), sql_datum(gap.value_or(0), !gap));
}

void upsert_procedure_setting(std::int64_t workspace_id, std::optional<bool> relaxed_dates,
                              std::optional<bool> reschedule_if_early, std::optional<bool> reschedule_if_late) {
    static Statement upsert(
        "INSERT INTO actions.procedure_setting AS s (workspace_id, relaxed_dates, reschedule_if_early, "
        "reschedule_if_late) VALUES ($1, coalesce($2, false), coalesce($3, false), coalesce($4, false)) "
        "ON CONFLICT (workspace_id) DO UPDATE SET relaxed_dates = coalesce($2, s.relaxed_dates), "
        "reschedule_if_early = coalesce($3, s.reschedule_if_early), "
        "reschedule_if_late = coalesce($4, s.reschedule_if_late)",
        {INT8OID, BOOLOID, BOOLOID, BOOLOID});
    upsert.exec(workspace_id, relaxed_dates, reschedule_if_early, reschedule_if_late);
}

std::int64_t insert_procedure_run(std::int64_t workspace_id, std::int64_t procedure_id, std::int64_t record_id,
                                  std::int64_t started_by) {
    static Statement run(
        "INSERT INTO actions.procedure_run (workspace_id, procedure_id, record_id, started_by) VALUES ($1, $2, $3, $4) "
        "RETURNING run_id",
        {INT8OID, INT8OID, INT8OID, INT8OID});
    run.exec(workspace_id, procedure_id, record_id, started_by);
    return get_int64(0, 1);
}

void insert_procedure_action(std::int64_t workspace_id, std::int64_t action_id, std::int64_t run_id,
                             std::int32_t position, std::int64_t scheduled_start) {
    static Statement step_row(
        "INSERT INTO actions.procedure_action (workspace_id, action_id, run_id, position, scheduled_start) "
        "VALUES ($1, $2, $3, $4, $5)",
        {INT8OID, INT8OID, INT8OID, INT4OID, TIMESTAMPTZOID});
    step_row.exec(workspace_id, action_id, run_id, position, scheduled_start);
}

std::optional<ProcedureRunRow> procedure_run(std::int64_t run_id, bool lock) {
    static Statement plain(
        "SELECT workspace_id, started_by, cancelled_at IS NOT NULL FROM actions.procedure_run WHERE run_id = $1 /*AND workspace_id*/",
        {INT8OID});
    static Statement locked(
        "SELECT workspace_id, started_by, cancelled_at IS NOT NULL FROM actions.procedure_run WHERE run_id = $1 /*AND workspace_id*/ "
        "FOR UPDATE",
        {INT8OID});
    if ((lock ? locked : plain).exec_limit(1, run_id) != 1) return std::nullopt;
    return ProcedureRunRow{get_int64(0, 1), get_opt_int64(0, 2), get_bool(0, 3)};
}

void mark_run_cancelled(std::int64_t workspace_id, std::int64_t run_id, std::int64_t actor, const std::string& reason) {
    static Statement mark(
        "UPDATE actions.procedure_run SET cancelled_at = pg_catalog.now(), cancelled_by = $3, cancel_reason = $4 "
        "WHERE workspace_id = $1 AND run_id = $2",
        {INT8OID, INT8OID, INT8OID, TEXTOID});
    mark.exec(workspace_id, run_id, actor, reason);
}

std::optional<StepStart> lock_step_start(std::int64_t workspace_id, std::int64_t action_id) {
    static Statement q(
        "SELECT pa.scheduled_start, a.due_at FROM actions.procedure_action pa JOIN actions.action a "
        "ON a.workspace_id = pa.workspace_id AND a.action_id = pa.action_id "
        "WHERE pa.workspace_id = $1 AND pa.action_id = $2 FOR UPDATE OF pa",
        {INT8OID, INT8OID});
    if (q.exec_limit(1, workspace_id, action_id) != 1) return std::nullopt;
    std::optional<TimestampTz> due = get_timestamptz(0, 2);
    return StepStart{get_timestamptz(0, 1).value_or(0), due ? std::optional<std::int64_t>(*due) : std::nullopt};
}

void set_step_scheduled_start(std::int64_t workspace_id, std::int64_t action_id, std::int64_t scheduled_start) {
    static Statement update(
        "UPDATE actions.procedure_action SET scheduled_start = $3 WHERE workspace_id = $1 AND action_id = $2",
        {INT8OID, INT8OID, TIMESTAMPTZOID});
    update.exec(workspace_id, action_id, scheduled_start);
}

std::optional<StepPlace> step_of_action(std::int64_t workspace_id, std::int64_t action_id) {
    return guard([&]() -> std::optional<StepPlace> {
        direct::Key keys[2] = {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)},
                               {"action_id", F_INT8EQ, Int64GetDatum(action_id)}};
        const char* cols[2] = {"run_id", "position"};
        Datum out[2];
        bool nulls[2] = {true, true};
        if (!direct::lookup("procedure_action", "procedure_action_pkey", direct::of(workspace_id), 2, keys, 2, cols, out, nulls, nullptr))
            return std::nullopt;
        return StepPlace{DatumGetInt64(out[0]), DatumGetInt32(out[1])};
    });
}

bool workspace_has_steps(std::int64_t workspace_id) {
    static StatementStamp stamp;
    static bool has = true;
    if (!stamp.moved_on(workspace_id)) return has;
    has = true;  // until the probe answers: an error in it leaves the per-action probe on
    has = guard([&]() -> bool {
        direct::Key key[1] = {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)}};
        return direct::lookup("procedure_action", "procedure_action_pkey", direct::of(workspace_id), 1, key, 0, nullptr,
                              nullptr, nullptr, nullptr, true);
    });
    return has;
}

std::vector<RunStep> run_steps(std::int64_t workspace_id, std::int64_t run_id) {
    struct Raw {
        int n;
        Datum* out;
        bool* nulls;
    };
    Raw raw = guard([&]() -> Raw {
        direct::Key keys[2] = {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)},
                               {"run_id", F_INT8EQ, Int64GetDatum(run_id)}};
        const char* cols[2] = {"position", "action_id"};
        Raw r{0, nullptr, nullptr};
        r.n = direct::scan_rows("procedure_action", "procedure_action_workspace_id_run_id_position_key",
                             direct::of(workspace_id), 2, keys, 2,
                                cols, &r.out, &r.nulls);
        return r;
    });
    std::vector<RunStep> steps;
    for (int i = 0; i < raw.n; i++)
        steps.push_back(RunStep{DatumGetInt32(raw.out[i * 2]), DatumGetInt64(raw.out[i * 2 + 1])});
    return steps;
}

bool procedure_relaxed_dates(std::int64_t workspace_id) {
    return guard([&]() -> bool {
        direct::Key key = {"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)};
        const char* cols[1] = {"relaxed_dates"};
        Datum v;
        bool null = true;
        return direct::lookup("procedure_setting", "procedure_setting_pkey", direct::of(workspace_id), 1, &key, 1, cols, &v, &null, nullptr) &&
               !null && DatumGetBool(v);
    });
}

std::vector<LaterStep> lock_later_open_steps(std::int64_t workspace_id, std::int64_t run_id, std::int32_t position) {
    static Statement later(
        "SELECT pa.action_id, pa.scheduled_start, a.due_at FROM actions.procedure_action pa "
        "JOIN actions.action a ON a.workspace_id = pa.workspace_id AND a.action_id = pa.action_id "
        "WHERE pa.workspace_id = $1 AND pa.run_id = $2 AND pa.position > $3 "
        "AND a.status = ANY (actions.list_vocabulary('open')) ORDER BY pa.position FOR NO KEY UPDATE OF a",
        {INT8OID, INT8OID, INT4OID});
    std::uint64_t n = later.exec(workspace_id, run_id, position);
    std::vector<LaterStep> steps;
    for (std::uint64_t i = 0; i < n; i++) {
        std::optional<TimestampTz> start = get_timestamptz(i, 2), due = get_timestamptz(i, 3);
        LaterStep s;
        s.action_id = get_int64(i, 1);
        if (start) s.scheduled_start = *start;
        if (due) s.due_at = *due;
        steps.push_back(s);
    }
    return steps;
}

std::optional<StepCompletion> step_completion(std::int64_t workspace_id, std::int64_t action_id) {
    static Statement me(
        "SELECT pa.run_id, pa.position, a.due_at, a.completed_at, "
        "coalesce(s.reschedule_if_early, false), coalesce(s.reschedule_if_late, false) "
        "FROM actions.procedure_action pa JOIN actions.action a ON a.workspace_id = pa.workspace_id "
        "AND a.action_id = pa.action_id LEFT JOIN actions.procedure_setting s ON s.workspace_id = pa.workspace_id "
        "WHERE pa.workspace_id = $1 AND pa.action_id = $2",
        {INT8OID, INT8OID});
    if (me.exec_limit(1, workspace_id, action_id) != 1) return std::nullopt;
    StepCompletion c;
    c.run_id = get_int64(0, 1);
    c.position = get_int32(0, 2);
    if (std::optional<TimestampTz> due = get_timestamptz(0, 3)) c.due_at = *due;
    if (std::optional<TimestampTz> done = get_timestamptz(0, 4)) c.completed_at = *done;
    c.reschedule_if_early = get_bool(0, 5);
    c.reschedule_if_late = get_bool(0, 6);
    return c;
}

void set_applied_shift(std::int64_t workspace_id, std::int64_t action_id, std::int64_t shift_us) {
    static Statement applied(
        "UPDATE actions.procedure_action SET applied_shift_us = $3 WHERE workspace_id = $1 AND action_id = $2",
        {INT8OID, INT8OID, INT8OID});
    applied.exec(workspace_id, action_id, shift_us);
}

std::optional<AppliedShift> take_applied_shift(std::int64_t workspace_id, std::int64_t action_id) {
    static Statement me(
        "UPDATE actions.procedure_action pa SET applied_shift_us = NULL FROM actions.procedure_action old "
        "WHERE pa.workspace_id = $1 AND pa.action_id = $2 AND old.workspace_id = pa.workspace_id "
        "AND old.action_id = pa.action_id AND old.applied_shift_us IS NOT NULL "
        "RETURNING pa.run_id, pa.position, old.applied_shift_us",
        {INT8OID, INT8OID});
    if (me.exec(workspace_id, action_id) != 1) return std::nullopt;
    return AppliedShift{get_int64(0, 1), get_int32(0, 2), get_int64(0, 3)};
}
}  // namespace pg_actions::pg::store
