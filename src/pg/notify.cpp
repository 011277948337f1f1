#include "notify.hpp"

#include "../core/text.hpp"
#include "direct.hpp"
#include "spi.hpp"

namespace pg_actions::pg {

namespace {

std::string notification_payload(const char* kind, std::int64_t workspace_id, std::int64_t person_id,
                                 std::int64_t action_id, std::int64_t notification_id,
                                 const std::string& link) {
    return std::string("{\"kind\":") + core::json_string(kind) +
           ",\"workspace_id\":" + std::to_string(workspace_id) +
           ",\"person_id\":" + std::to_string(person_id) + ",\"action_id\":" + std::to_string(action_id) +
           ",\"notification_id\":" + std::to_string(notification_id) +
           ",\"link\":" + core::json_string(link) + "}";
}

}  // namespace

void notify(const char* kind, std::int64_t workspace_id, std::int64_t person_id,
                     std::int64_t action_id) {
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
    insert.run(args, nullptr, false, 0);
    std::int64_t id = get_int64(0, 1);
    std::string payload = notification_payload(kind, workspace_id, person_id, action_id, id, link);
    const char* p = payload.c_str();
    guard([&] { Async_Notify("pg_actions", p); });
}


}  // namespace pg_actions::pg
