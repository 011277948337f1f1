// Appending entries to an action's hash chain under its locked head (see log_store.hpp).
#include "pg/store/log_store.hpp"

extern "C" {
#include "mb/pg_wchar.h"
}

#include "pg/identity/actor.hpp"
#include "pg/store/absences.hpp"
#include "pg/store/direct.hpp"
#include "pg/store/service_level_store.hpp"
#include "pg/boundary/spi.hpp"

namespace pg_actions::pg {

Datum hash_datum(const core::Hash& h) {
    bytea* b = static_cast<bytea*>(palloc(VARHDRSZ + h.size()));
    SET_VARSIZE(b, VARHDRSZ + h.size());
    memcpy(VARDATA(b), h.data(), h.size());
    return PointerGetDatum(b);
}

// Every writer of a chain serializes here: the head row is locked (FOR UPDATE, through the table
// API) before it is read, so a concurrent writer of the same chain waits and then appends after
// the newest entry.
Head read_head(std::int64_t workspace_id, std::int64_t action_id) {
    Head h;
    Head* out = &h;
    guard([&] {
        direct::Key keys[2] = {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)},
                               {"action_id", F_INT8EQ, Int64GetDatum(action_id)}};
        const char* cols[2] = {"seq", "hash"};
        Datum values[2];
        bool nulls[2];
        out->found = direct::lock_latest("activity_head", "activity_head_pkey", direct::of(workspace_id), 2, keys, 2, cols, values, nulls, &out->tid);
        if (out->found) {
            out->seq = DatumGetInt32(values[0]);
            bytea* b = DatumGetByteaPP(values[1]);
            if (VARSIZE_ANY_EXHDR(b) == out->hash.size()) memcpy(out->hash.data(), VARDATA_ANY(b), out->hash.size());
        }
    });
    return h;
}

void append_entry(const core::Entry& e, Datum detail, const core::Hash& prev, const core::Hash& hash) {
    Datum event = text_datum(e.event);
    Datum old_value = e.old_value ? text_datum(*e.old_value) : 0;
    Datum new_value = e.new_value ? text_datum(*e.new_value) : 0;
    const char* role = e.db_role.c_str();
    guard([&] {
        Datum values[12] = {Int64GetDatum(e.workspace_id), Int64GetDatum(e.action_id), Int32GetDatum(e.seq),
                            event, old_value, new_value, detail,
                            Int64GetDatum(e.actor_id.value_or(0)),
                            DirectFunctionCall1(namein, CStringGetDatum(role)), TimestampTzGetDatum(e.at_us),
                            hash_datum(prev), hash_datum(hash)};
        bool nulls[12] = {false, false, false, false, !e.old_value, !e.new_value, detail == 0,
                          !e.actor_id, false, false, false, false};
        static const direct::Column columns[12] = {
            {"workspace_id", INT8OID}, {"action_id", INT8OID}, {"seq", INT4OID},      {"event", TEXTOID},
            {"old_value", TEXTOID},    {"new_value", TEXTOID}, {"detail", JSONBOID},  {"actor_id", INT8OID},
            {"db_role", NAMEOID},      {"at", TIMESTAMPTZOID}, {"prev_hash", BYTEAOID}, {"hash", BYTEAOID}};
        direct::store("activity", direct::of(e.workspace_id), 12, columns, values, nulls, nullptr);
    });
}

core::Hash get_hash(std::uint64_t row, int col) {
    core::Hash h{};
    bool isnull;
    Datum d = get_datum(row, col, &isnull);
    if (isnull) return h;
    bytea* b = static_cast<bytea*>(guard([&]() -> void* { return DatumGetByteaPP(d); }));
    if (VARSIZE_ANY_EXHDR(b) == h.size()) memcpy(h.data(), VARDATA_ANY(b), h.size());
    else h.fill(0xff);
    return h;
}

void write_head(std::int64_t workspace_id, std::int64_t action_id, const Head& old, std::int32_t seq,
                const core::Hash& hash) {
    ItemPointerData tid = old.tid;
    bool replace = old.found;
    guard([&] {
        Datum values[4] = {Int64GetDatum(workspace_id), Int64GetDatum(action_id), Int32GetDatum(seq),
                           hash_datum(hash)};
        bool nulls[4] = {false, false, false, false};
        static const direct::Column columns[4] = {
            {"workspace_id", INT8OID}, {"action_id", INT8OID}, {"seq", INT4OID}, {"hash", BYTEAOID}};
        direct::store("activity_head", direct::of(workspace_id), 4, columns, values, nulls, replace ? &tid : nullptr);
    });
}

namespace {

std::string utf8_of(const std::string& text) {
    const char* data = text.data();
    int len = static_cast<int>(text.size());
    struct Converted {
        const char* data;
        int len;
    };
    Converted c = guard([&]() -> Converted {
        char* out = pg_server_to_any(data, len, PG_UTF8);
        return Converted{out, out == data ? len : static_cast<int>(strlen(out))};
    });
    return std::string(c.data, static_cast<std::size_t>(c.len));
}

std::optional<std::string> utf8_of(const std::optional<std::string>& text) {
    if (!text) return std::nullopt;
    return utf8_of(*text);
}

}  // namespace

core::Entry hashed_form(const core::Entry& e) {
    if (GetDatabaseEncoding() == PG_UTF8 || GetDatabaseEncoding() == PG_SQL_ASCII) return e;
    core::Entry u = e;
    u.event = utf8_of(e.event);
    u.old_value = utf8_of(e.old_value);
    u.new_value = utf8_of(e.new_value);
    u.detail = utf8_of(e.detail);
    u.db_role = utf8_of(e.db_role);
    return u;
}

namespace {

// jsonb in, jsonb out: the stored value and the exact text that is hashed (and re-read by verify).
struct Detail {
    Datum jsonb = 0;
    std::string text;
};
Detail normalize_detail(const std::string& json) {
    const char* in = json.c_str();
    Datum j = guard([&]() -> Datum { return DirectFunctionCall1(jsonb_in, CStringGetDatum(in)); });
    const char* out = guard([&]() -> const char* { return DatumGetCString(DirectFunctionCall1(jsonb_out, j)); });
    return Detail{j, std::string(out)};
}

}  // namespace

void log_changes(std::int64_t workspace_id, std::int64_t action_id, bool new_chain,
                 const std::vector<core::Change>& changes, Appended* appended) {
    if (changes.empty()) return;
    std::optional<std::int64_t> actor = current_actor();
    // A substitute's act for an absent member names both: the actor, and acting_for in the detail.
    std::optional<std::int64_t> absent = acting_for(action_id, actor);
    std::string role = session_role_name();
    TimestampTz at = GetCurrentTransactionStartTimestamp();
    Head head;
    if (!new_chain) head = read_head(workspace_id, action_id);
    core::Hash prev = head.hash;
    std::int32_t seq = head.seq;
    if (appended) *appended = Appended{seq, {}};
    for (const core::Change& ch : changes) {
        core::Entry e;
        e.workspace_id = workspace_id;
        e.action_id = action_id;
        e.seq = ++seq;
        e.event = ch.event;
        e.old_value = ch.old_value;
        e.new_value = ch.new_value;
        Detail detail;
        std::optional<std::string> detail_json = ch.detail_json;
        if (absent) detail_json = core::with_person(detail_json, "acting_for", *absent);
        if (detail_json) {
            detail = normalize_detail(*detail_json);
            e.detail = detail.text;
        }
        e.actor_id = actor;
        e.db_role = role;
        e.at_us = at;
        core::Hash hash = core::chain_hash(prev, hashed_form(e));
        append_entry(e, detail.jsonb, prev, hash);
        if (appended) {
            appended->steps.push_back(log_step(e.event, at, e.old_value, e.new_value, detail.jsonb));
            appended->steps.back().seq = e.seq;
        }
        prev = hash;
    }
    write_head(workspace_id, action_id, head, seq, prev);
}

}  // namespace pg_actions::pg

namespace pg_actions::pg::store {

namespace {

LogRow read_log_row(std::int64_t workspace_id, std::uint64_t i) {
    LogRow r;
    r.action_id = get_int64(i, 1);
    core::Entry& e = r.entry;
    e.workspace_id = workspace_id;
    e.action_id = r.action_id;
    e.seq = get_int32(i, 2);
    e.event = get_text(i, 3).value_or("");
    e.old_value = get_text(i, 4);
    e.new_value = get_text(i, 5);
    e.detail = get_text(i, 6);
    e.actor_id = get_opt_int64(i, 7);
    e.db_role = get_text(i, 8).value_or("");
    e.at_us = get_timestamptz(i, 9).value_or(0);
    r.prev = get_hash(i, 10);
    r.hash = get_hash(i, 11);
    if (e.event == "created") {
        core::CreatedFacts c;
        c.full = !is_null(i, 12) && get_bool(i, 12);
        c.owner_id = get_text(i, 13);
        c.type = get_text(i, 14);
        c.description = get_text(i, 15);
        c.due_at = get_text(i, 16);
        c.priority = get_text(i, 17);
        c.record_id = get_text(i, 18);
        c.group_ids = get_text(i, 19);
        c.template_ref = get_text(i, 20);
        r.created = c;
    }
    return r;
}

}  // namespace

RowStream<LogRow> log_entries_stream(std::int64_t workspace_id) {
    static Statement q(
        "SELECT action_id, seq, event, old_value, new_value, detail::text, actor_id, db_role::text, at, "
        "prev_hash, hash, "
        "CASE WHEN event = 'created' THEN detail OPERATOR(pg_catalog.?) 'owner_id' END, "
        "CASE WHEN event = 'created' THEN detail ->> 'owner_id' END, "
        "CASE WHEN event = 'created' THEN detail ->> 'type' END, "
        "CASE WHEN event = 'created' THEN detail ->> 'description' END, "
        "CASE WHEN event = 'created' THEN detail ->> 'due_at' END, "
        "CASE WHEN event = 'created' THEN detail ->> 'priority' END, "
        "CASE WHEN event = 'created' THEN detail ->> 'record_id' END, "
        "CASE WHEN event = 'created' THEN detail ->> 'group_ids' END, "
        "CASE WHEN event = 'created' THEN (detail ->> 'template_id') || '/' || (detail ->> 'template_version') END "
        "FROM actions.activity WHERE workspace_id = $1 ORDER BY workspace_id, action_id, seq",
        {INT8OID});
    return RowStream<LogRow>(q.cursor(workspace_id),
                             [workspace_id](std::uint64_t i) { return read_log_row(workspace_id, i); });
}

RowStream<core::Leaf> heads_stream(std::int64_t workspace_id) {
    static Statement q(
        "SELECT action_id, seq, hash FROM actions.activity_head WHERE workspace_id = $1 "
        "ORDER BY workspace_id, action_id",
        {INT8OID});
    return RowStream<core::Leaf>(q.cursor(workspace_id), [](std::uint64_t i) {
        return core::Leaf{get_int64(i, 1), get_int32(i, 2), get_hash(i, 3)};
    });
}

}  // namespace pg_actions::pg::store
