// The notification outbox and NOTIFY pg_actions, honouring workspace and personal settings (see notify.hpp).
#include "pg/store/notify.hpp"

#include "pg/store/shards.hpp"

#include "core/text.hpp"
#include "pg/store/direct.hpp"
#include "pg/boundary/spi.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace pg_actions::pg {

namespace {

// Whether the workspace has the kind on and the person has not opted out of it.
bool wanted(const char* kind, std::int64_t workspace_id, std::int64_t person_id) {
    return guard([&]() -> bool {
        Datum kind_text = CStringGetTextDatum(kind);
        direct::Key setting_key[2] = {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)},
                                      {"kind", F_TEXTEQ, kind_text}};
        const char* setting_cols[1] = {"enabled"};
        Datum enabled;
        bool null;
        if (direct::lookup("notification_setting", "notification_setting_pkey", direct::of(workspace_id), 2, setting_key, 1, setting_cols,
                           &enabled, &null, nullptr) &&
            !null && !DatumGetBool(enabled))
            return false;
        direct::Key opt_key[3] = {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)},
                                  {"person_id", F_INT8EQ, Int64GetDatum(person_id)},
                                  {"kind", F_TEXTEQ, kind_text}};
        const char* opt_cols[1] = {"kind"};
        Datum ignored;
        return !direct::lookup("notification_opt_out", "notification_opt_out_pkey", direct::of(workspace_id), 3, opt_key, 1, opt_cols,
                               &ignored, &null, nullptr);
    });
}

struct Held {
    std::int64_t workspace_id;
    std::int64_t person_id;
    core::NotificationKind kind;
    std::int64_t action_id;
};
int digest_depth = 0;
std::vector<Held> held;  // while digest_depth > 0

struct Workspace {
    bool hit;
    Datum link_template;
    bool digest;
};

Workspace workspace_of(std::int64_t workspace_id) {
    return guard([&]() -> Workspace {
        direct::Key key = {"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)};
        const char* cols[2] = {"action_url_template", "bulk_notification"};
        Datum values[2];
        bool nulls[2] = {true, true};
        bool hit = direct::lookup("workspace", "workspace_pkey", direct::of(workspace_id), 1, &key, 2, cols, values, nulls, nullptr);
        bool digest = hit && !nulls[1] && strcmp(TextDatumGetCString(values[1]), "digest") == 0;
        return Workspace{hit && !nulls[0], values[0], digest};
    });
}

// The notification queued on every open delivery channel (actions.delivery_channel, opened by the
// e-mail or webhook notifier: contrib/notifier), as it is written. No channel open, the usual
// case: one index scan of the (reference) table of channels and nothing written.
void queue_delivery(std::int64_t workspace_id, std::int64_t notification_id) {
    const bool any_open = guard([]() -> bool {
        const char* cols[1] = {"channel"};
        Datum* values;
        bool* nulls;
        return direct::scan_rows("delivery_channel", "delivery_channel_pkey", direct::global, 0, nullptr, 1, cols,
                                 &values, &nulls) > 0;
    });
    if (!any_open) return;
    static Statement queue(
        "INSERT INTO actions.notification_delivery (workspace_id, notification_id, channel) "
        "SELECT $1, $2, c.channel FROM actions.delivery_channel c",
        {INT8OID, INT8OID});
    queue.exec(workspace_id, notification_id);
}

// One notification row, its delivery rows and its NOTIFY; action_ids: the actions of a digest, or none.
std::int64_t send(const char* kind, std::int64_t workspace_id, std::int64_t person_id, std::int64_t action_id,
                  const std::string& link, const std::vector<std::int64_t>* action_ids) {
    static Statement insert(
        "INSERT INTO actions.notification (workspace_id, person_id, kind, action_id, link, action_ids, relay_pending) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING notification_id",
        {INT8OID, INT8OID, TEXTOID, INT8OID, TEXTOID, INT8ARRAYOID, BOOLOID});
    // On a Citus worker the coordinator's relay announces it (src/sql/69_relay.sql): listeners are
    // on the coordinator, and a transaction that ran NOTIFY could not PREPARE, as Citus makes every
    // node a transaction wrote do.
    const bool relayed = guard([] { return shards::on_citus_worker(); });
    Datum args[7] = {Int64GetDatum(workspace_id), Int64GetDatum(person_id), text_datum(kind),
                     Int64GetDatum(action_id), text_datum(link), action_ids ? int64_array_datum(*action_ids) : 0,
                     BoolGetDatum(relayed)};
    char nulls[7] = {' ', ' ', ' ', ' ', ' ', action_ids ? ' ' : 'n', ' '};
    insert.run(args, nulls, 0);
    std::int64_t id = get_int64(0, 1);
    queue_delivery(workspace_id, id);
    if (relayed) return id;
    // Every role may LISTEN on every channel, so the payload is the notification's id and nothing
    // else: the listener reads the rest from actions.notification, where row-level security
    // shows a person only their own.
    std::string payload = std::to_string(id);
    const char* p = payload.c_str();
    guard([&] { Async_Notify("pg_actions", p); });
    return id;
}

}  // namespace

bool notify(core::NotificationKind kind_enum, std::int64_t workspace_id, std::int64_t person_id, std::int64_t action_id) {
    std::string kind_name(core::notification_kind_name(kind_enum));
    const char* kind = kind_name.c_str();
    if (!wanted(kind, workspace_id, person_id)) return false;
    Workspace w = workspace_of(workspace_id);
    if (digest_depth > 0 && w.digest &&
        (kind_enum == core::NotificationKind::assigned || kind_enum == core::NotificationKind::reassigned)) {
        held.push_back({workspace_id, person_id, kind_enum, action_id});
        return true;
    }
    std::string link = w.hit ? core::action_link(text_of(w.link_template), workspace_id, action_id) : std::string();
    send(kind, workspace_id, person_id, action_id, link, nullptr);
    return true;
}

DigestScope::DigestScope() {
    if (digest_depth++ == 0) held.clear();
}
DigestScope::~DigestScope() {
    if (--digest_depth == 0) held.clear();
}
std::size_t digest_mark() { return held.size(); }
void digest_rollback(std::size_t mark) {
    if (held.size() > mark) held.resize(mark);
}
void digest_reset() {
    digest_depth = 0;
    held.clear();
}

void digest_flush() {
    if (digest_depth != 1 || held.empty()) return;  // an inner bulk call leaves it to the outer one
    std::vector<Held> all;
    all.swap(held);
    std::stable_sort(all.begin(), all.end(), [](const Held& a, const Held& b) {
        if (a.workspace_id != b.workspace_id) return a.workspace_id < b.workspace_id;
        if (a.person_id != b.person_id) return a.person_id < b.person_id;
        return static_cast<int>(a.kind) < static_cast<int>(b.kind);
    });
    SpiScope spi;
    for (std::size_t i = 0; i < all.size();) {
        std::size_t j = i;
        std::vector<std::int64_t> ids;
        while (j < all.size() && all[j].workspace_id == all[i].workspace_id && all[j].person_id == all[i].person_id &&
               all[j].kind == all[i].kind)
            ids.push_back(all[j++].action_id);
        std::sort(ids.begin(), ids.end());
        Workspace w = workspace_of(all[i].workspace_id);
        std::string link =
            w.hit ? core::action_link(text_of(w.link_template), all[i].workspace_id, ids.front()) : std::string();
        std::string kind(core::notification_kind_name(all[i].kind));
        send(kind.c_str(), all[i].workspace_id, all[i].person_id, ids.front(), link, &ids);
        i = j;
    }
    spi.finish();
}

bool remind(core::NotificationKind kind_enum, std::int64_t workspace_id, std::int64_t person_id, std::int64_t action_id,
            TimestampTz due_at) {
    static Statement once(
        "INSERT INTO actions.reminder (workspace_id, action_id, kind, due_at) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT DO NOTHING RETURNING 1",
        {INT8OID, INT8OID, TEXTOID, TIMESTAMPTZOID});
    Datum args[4] = {Int64GetDatum(workspace_id), Int64GetDatum(action_id),
                     text_datum(std::string(core::notification_kind_name(kind_enum))),
                     TimestampTzGetDatum(due_at)};
    if (once.run(args, nullptr, 0) != 1) return false;
    return notify(kind_enum, workspace_id, person_id, action_id);
}


}  // namespace pg_actions::pg
