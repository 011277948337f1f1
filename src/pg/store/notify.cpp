// The notification outbox and NOTIFY pg_actions, honouring workspace and personal settings (see notify.hpp).
#include "pg/store/notify.hpp"

#include "core/text.hpp"
#include "pg/store/direct.hpp"
#include "pg/boundary/spi.hpp"

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
        if (direct::lookup("notification_setting", "notification_setting_pkey", 2, setting_key, 1, setting_cols,
                           &enabled, &null, nullptr) &&
            !null && !DatumGetBool(enabled))
            return false;
        direct::Key opt_key[3] = {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)},
                                  {"person_id", F_INT8EQ, Int64GetDatum(person_id)},
                                  {"kind", F_TEXTEQ, kind_text}};
        const char* opt_cols[1] = {"kind"};
        Datum ignored;
        return !direct::lookup("notification_opt_out", "notification_opt_out_pkey", 3, opt_key, 1, opt_cols,
                               &ignored, &null, nullptr);
    });
}

}  // namespace

bool notify(core::NotificationKind kind_enum, std::int64_t workspace_id, std::int64_t person_id, std::int64_t action_id) {
    std::string kind_name(core::notification_kind_name(kind_enum));
    const char* kind = kind_name.c_str();
    if (!wanted(kind, workspace_id, person_id)) return false;
    struct Template {
        bool hit;
        Datum text;
    };
    Template t = guard([&]() -> Template {
        direct::Key key = {"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)};
        const char* cols[1] = {"action_url_template"};
        Datum value;
        bool null;
        bool hit = direct::lookup("workspace", "workspace_pkey", 1, &key, 1, cols, &value, &null, nullptr);
        return Template{hit && !null, value};
    });
    std::string link = t.hit ? core::action_link(text_of(t.text), workspace_id, action_id) : std::string();
    static Statement insert(
        "INSERT INTO actions.notification (workspace_id, person_id, kind, action_id, link) "
        "VALUES ($1, $2, $3, $4, $5) RETURNING notification_id",
        {INT8OID, INT8OID, TEXTOID, INT8OID, TEXTOID});
    Datum args[5] = {Int64GetDatum(workspace_id), Int64GetDatum(person_id), text_datum(kind),
                     Int64GetDatum(action_id), text_datum(link)};
    insert.run(args, nullptr, 0);
    std::int64_t id = get_int64(0, 1);
    // Every role may LISTEN on every channel, so the payload is the notification's id and nothing
    // else: the listener reads the rest from actions.notification, where row-level security
    // shows a person only their own.
    std::string payload = std::to_string(id);
    const char* p = payload.c_str();
    guard([&] { Async_Notify("pg_actions", p); });
    return true;
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
