// Reading an action's log for service levels and keeping actions.service_level up to date (see
// service_level_store.hpp). The fold itself is the core's.
#include "pg/store/service_level_store.hpp"

#include "pg/boundary/statement_memo.hpp"

#include <cstdlib>
#include <optional>
#include <string>

#include "pg/boundary/compat.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/identity/actor.hpp"
#include "pg/store/direct.hpp"
#include "pg/store/log_store.hpp"

namespace pg_actions::pg {

namespace {

// A text field of a jsonb object; nullopt when the key is missing or its value is JSON null.
std::optional<std::string> json_text(Datum jsonb, const char* key) {
    const char* out = guard([&]() -> const char* {
        LOCAL_FCINFO(fc, 2);
        InitFunctionCallInfoData(*fc, nullptr, 2, InvalidOid, nullptr, nullptr);
        fc->args[0].value = jsonb;
        fc->args[0].isnull = false;
        fc->args[1].value = CStringGetTextDatum(key);
        fc->args[1].isnull = false;
        Datum r = jsonb_object_field_text(fc);
        if (fc->isnull) return nullptr;
        return text_to_cstring(DatumGetTextPP(r));
    });
    if (out == nullptr) return std::nullopt;
    return std::string(out);
}

bool json_has(Datum jsonb, const char* key) {
    return guard([&]() -> bool {
        return DatumGetBool(DirectFunctionCall2(jsonb_exists, jsonb, CStringGetTextDatum(key)));
    });
}

// A time as the log writes it (ISO 8601 UTC, e.g. 2026-11-23T07:14:48.123456Z): the input
// function reads that form whatever DateStyle and TimeZone are.
std::optional<std::int64_t> log_time(const std::optional<std::string>& text) {
    if (!text) return std::nullopt;
    const char* in = text->c_str();
    return guard([&]() -> std::int64_t {
        return DatumGetTimestampTz(
            DirectFunctionCall3(timestamptz_in, CStringGetDatum(in), ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
    });
}

std::optional<std::int64_t> log_id(const std::optional<std::string>& text) {
    if (!text || text->empty()) return std::nullopt;
    char* end = nullptr;
    long long v = std::strtoll(text->c_str(), &end, 10);
    if (end == text->c_str() || *end != '\0') return std::nullopt;
    return static_cast<std::int64_t>(v);
}

// "{3,7}" as the log writes group ids.
std::vector<std::int64_t> log_ids(const std::optional<std::string>& text) {
    std::vector<std::int64_t> out;
    if (!text) return out;
    std::string cur;
    for (char ch : *text) {
        if (ch >= '0' && ch <= '9') {
            cur.push_back(ch);
        } else if (!cur.empty()) {
            out.push_back(std::strtoll(cur.c_str(), nullptr, 10));
            cur.clear();
        }
    }
    if (!cur.empty()) out.push_back(std::strtoll(cur.c_str(), nullptr, 10));
    return out;
}

std::optional<std::string> opt_text(Datum d, bool isnull) {
    if (isnull) return std::nullopt;
    return text_of(d);
}

// The facts a row of actions.service_level holds (summary_values() the other way), to continue
// the fold from, without spans; nullopt for a row written before 0.3 (folded_seq NULL), which is
// folded from the whole chain instead.
constexpr int stored_columns = 14;
constexpr const char* stored_cols[stored_columns] = {
    "type",         "owner_id",     "assignee_id", "record_id", "template_id", "group_ids",  "created_at",
    "completed_at", "first_due_at", "completions", "deleted",   "last_due_at", "folded_seq", "due_at"};

std::optional<core::ServiceFacts> stored_facts(const Datum* v, const bool* z) {
    if (z[12]) return std::nullopt;
    auto id = [&](int i) { return z[i] ? std::nullopt : std::optional<std::int64_t>(DatumGetInt64(v[i])); };
    core::ServiceFacts f;
    if (!z[0]) f.type = text_of(v[0]);
    f.owner_id = id(1);
    f.assignee_id = id(2);
    f.record_id = id(3);
    f.template_id = id(4);
    if (!z[5]) f.group_ids = int64_array(v[5]);
    f.created = !z[6];
    f.created_us = id(6).value_or(0);  // timestamptz is int64
    f.completed_us = id(7);
    f.first_due_us = id(8);
    f.completions = z[9] ? 0 : DatumGetInt32(v[9]);
    f.deleted = !z[10] && DatumGetBool(v[10]);
    f.due_us = id(11);
    f.folded_seq = DatumGetInt32(v[12]);
    f.due_at_completion_us = id(13);
    return f;
}

}  // namespace

core::LogStep log_step(Datum event, Datum at, Datum old_value, bool old_null, Datum new_value, bool new_null,
                       Datum detail, bool detail_null) {
    return log_step(text_of(event), DatumGetTimestampTz(at), opt_text(old_value, old_null),
                    opt_text(new_value, new_null), detail_null ? 0 : detail);
}

core::LogStep log_step(std::string event, TimestampTz at, const std::optional<std::string>& old_text,
                       std::optional<std::string> new_value, Datum detail) {
    core::LogStep s;
    s.event = std::move(event);
    s.at_us = at;
    s.new_value = std::move(new_value);
    const std::string& e = s.event;
    if (e == "created" && detail != 0) {
        s.due_known = json_has(detail, "due_at");
        s.due_after_us = log_time(json_text(detail, "due_at"));
        s.type = json_text(detail, "type");
        s.owner_id = log_id(json_text(detail, "owner_id"));
        s.id_after = log_id(json_text(detail, "record_id"));
        s.template_id = log_id(json_text(detail, "template_id"));
        s.group_ids = log_ids(json_text(detail, "group_ids"));
    } else if (e == "due_changed") {
        s.due_before_us = log_time(old_text);
        s.due_after_us = log_time(s.new_value);
    } else if (e == "assigned" || e == "reassigned" || e == "unassigned" || e == "record_changed") {
        s.id_after = log_id(s.new_value);
    } else if (e == "groups_changed") {
        s.group_ids = log_ids(s.new_value);
    }
    return s;
}

std::vector<core::LogStep> read_chain(std::int64_t workspace_id, std::int64_t action_id, std::int32_t after_seq) {
    constexpr int ncols = 6;
    Datum* values = nullptr;
    bool* nulls = nullptr;
    int n = guard([&]() -> int {
        direct::Key keys[3] = {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)},
                               {"action_id", F_INT8EQ, Int64GetDatum(action_id)},
                               {"seq", F_INT4GT, Int32GetDatum(after_seq), BTGreaterStrategyNumber}};
        const char* cols[ncols] = {"seq", "event", "at", "old_value", "new_value", "detail"};
        return direct::scan_rows("activity", "activity_pkey", direct::of(workspace_id), after_seq > 0 ? 3 : 2, keys, ncols,
                                 cols, &values, &nulls);
    });
    std::vector<core::LogStep> steps;
    steps.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; i++) {
        const Datum* v = values + i * ncols;
        const bool* z = nulls + i * ncols;
        steps.push_back(log_step(v[1], v[2], v[3], z[3], v[4], z[4], v[5], z[5]));
        steps.back().seq = DatumGetInt32(v[0]);
    }
    return steps;
}

const core::Calendar* service_calendar(std::int64_t workspace_id) {
    // Which calendar, through the index (the log trigger asks this for every completion, and most
    // workspaces have none); the calendar itself is read by store/calendars.cpp, once per
    // statement: a bulk completion reads it once, not once per action.
    Datum calendar_id = 0;
    bool isnull = true;
    bool found = guard([&]() -> bool {
        direct::Key keys[1] = {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)}};
        const char* cols[1] = {"calendar_id"};
        return direct::lookup("workspace_calendar", "workspace_calendar_pkey", direct::of(workspace_id), 1, keys, 1, cols, &calendar_id, &isnull,
                              nullptr);
    });
    if (!found || isnull) return nullptr;
    // Kept for one statement and one command (StatementStamp): a calendar changed earlier in the
    // same statement or transaction (a write moves the command on) is read again.
    struct Memo {
        StatementStamp stamp;
        std::int64_t calendar_id = 0;
        std::unique_ptr<LoadedCalendar> loaded;
    };
    static Memo memo;
    const std::int64_t id = DatumGetInt64(calendar_id);
    if (memo.stamp.moved_on(id) || !memo.loaded) {
        memo.loaded.reset();
        memo.calendar_id = id;
        memo.loaded = load_calendar(id);
    }
    return memo.loaded ? &memo.loaded->calendar() : nullptr;
}

void summary_values(std::int64_t workspace_id, std::int64_t action_id, const core::ServiceFacts& f,
                    const core::Calendar* calendar, Datum* values, bool* nulls) {
    for (int i = 0; i < service_level_columns; i++) nulls[i] = true;
    auto put_id = [&](int i, const std::optional<std::int64_t>& v) {
        if (v) {
            values[i] = Int64GetDatum(*v);
            nulls[i] = false;
        }
    };
    auto put_bool = [&](int i, const std::optional<bool>& v) {
        if (v) {
            values[i] = BoolGetDatum(*v);
            nulls[i] = false;
        }
    };
    put_id(0, workspace_id);
    put_id(1, action_id);
    if (f.type) {
        values[2] = text_datum(*f.type);
        nulls[2] = false;
    }
    put_id(3, f.owner_id);
    put_id(4, f.assignee_id);
    put_id(5, f.record_id);
    put_id(6, f.template_id);
    values[7] = int64_array_datum(f.group_ids);
    nulls[7] = false;
    put_id(8, f.created ? std::optional<std::int64_t>(f.created_us) : std::nullopt);  // timestamptz is int64
    put_id(9, f.counts_as_completed() ? f.completed_us : std::nullopt);
    put_id(10, f.counts_as_completed() ? f.due_at_completion_us : std::nullopt);
    put_id(11, f.first_due_us);
    put_bool(12, f.on_time());
    put_bool(13, f.met_first_due());
    values[14] = Int32GetDatum(f.completions);
    nulls[14] = false;
    values[15] = BoolGetDatum(f.deleted);
    nulls[15] = false;
    std::optional<std::int64_t> working = calendar ? core::working_to_complete_us(f, *calendar) : std::nullopt;
    if (working) {
        std::int64_t us = *working;
        values[16] = guard([&]() -> Datum {
            Interval* iv = static_cast<Interval*>(palloc0(sizeof(Interval)));
            iv->time = us;
            return IntervalPGetDatum(iv);
        });
        nulls[16] = false;
    }
    // The fold's state for the next refresh (folded_seq 0: no entry changed anything, no row).
    put_id(17, f.due_us);
    if (f.folded_seq > 0) {
        values[18] = Int32GetDatum(f.folded_seq);
        nulls[18] = false;
    }
}

void refresh_service_level(std::int64_t workspace_id, std::int64_t action_id, const Appended* appended) {
    // The row as it stands, locked (the action row is locked by the change being logged, so no
    // one else writes this row now): its facts continue the fold over the entries after the last
    // one that changed them, so a completion reads a few entries however long the log is.
    Datum stored[stored_columns];
    bool stored_null[stored_columns];
    ItemPointerData tid;
    bool found = guard([&]() -> bool {
        direct::Key keys[2] = {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)},
                               {"action_id", F_INT8EQ, Int64GetDatum(action_id)}};
        return direct::lock_latest("service_level", "service_level_pkey", direct::of(workspace_id), 2, keys, stored_columns,
                                   stored_cols, stored, stored_null, &tid);
    });
    std::optional<core::ServiceFacts> from = found ? stored_facts(stored, stored_null) : std::nullopt;
    const std::int32_t after_seq = from ? from->folded_seq : 0;
    // The entries after after_seq: the ones just appended when the chain had no others after it.
    std::vector<core::LogStep> read;
    const std::vector<core::LogStep>* steps = &read;
    if (appended && appended->after_seq == after_seq) steps = &appended->steps;
    else read = read_chain(workspace_id, action_id, after_seq);
    core::ServiceFacts f = core::fold(*steps, from.value_or(core::ServiceFacts{}));
    if (f.completions == 0) return;  // never completed: no row (nor one to rewrite)
    const core::Calendar* calendar = service_calendar(workspace_id);
    Datum values[service_level_columns];
    bool nulls[service_level_columns];
    summary_values(workspace_id, action_id, f, calendar, values, nulls);
    guard([&] {
        static const direct::Column columns[service_level_columns] = {
            {"workspace_id", INT8OID}, {"action_id", INT8OID},       {"type", TEXTOID},
            {"owner_id", INT8OID},     {"assignee_id", INT8OID},     {"record_id", INT8OID},
            {"template_id", INT8OID},  {"group_ids", INT8ARRAYOID},  {"created_at", TIMESTAMPTZOID},
            {"completed_at", TIMESTAMPTZOID}, {"due_at", TIMESTAMPTZOID}, {"first_due_at", TIMESTAMPTZOID},
            {"on_time", BOOLOID},      {"met_first_due", BOOLOID},   {"completions", INT4OID},
            {"deleted", BOOLOID},      {"working_to_complete", INTERVALOID}, {"last_due_at", TIMESTAMPTZOID},
            {"folded_seq", INT4OID}};
        direct::store("service_level", direct::of(workspace_id), service_level_columns, columns, values, nulls, found ? &tid : nullptr);
    });
}

namespace store {

Portal open_workspace_log(std::int64_t workspace_id) {
    static Statement q(
        "SELECT action_id, event, at, old_value, new_value, detail, seq FROM actions.activity "
        "WHERE workspace_id = $1 ORDER BY action_id, seq",
        {INT8OID});
    return q.cursor(workspace_id);
}

std::uint64_t fetch_log_entries(Portal portal, long n) {
    return guard([&]() -> std::uint64_t {
        SPI_cursor_fetch(portal, true, n);
        return SPI_processed;
    });
}

LogEntry log_entry(std::uint64_t i) {
    bool z[7];
    std::int64_t action_id = get_int64(i, 1);
    Datum event = get_datum(i, 2, &z[1]), at = get_datum(i, 3, &z[2]), old_v = get_datum(i, 4, &z[3]),
          new_v = get_datum(i, 5, &z[4]), detail = get_datum(i, 6, &z[5]), seq = get_datum(i, 7, &z[6]);
    LogEntry e{action_id, log_step(event, at, old_v, z[3], new_v, z[4], detail, z[5])};
    e.step.seq = DatumGetInt32(seq);
    return e;
}

void free_log_entries() {
    guard([] { SPI_freetuptable(SPI_tuptable); });
}

void close_log(Portal portal) {
    guard([&] { SPI_cursor_close(portal); });
}

}  // namespace store

}  // namespace pg_actions::pg
