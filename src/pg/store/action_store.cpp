// Actions and what hangs on them: actions.action, action_candidate, action_offer, evidence. (see action_store.hpp).
#include "pg/store/action_store.hpp"

#include "pg/boundary/spi.hpp"

namespace pg_actions::pg::store {

}  // namespace pg_actions::pg::store

#include "core/text.hpp"

namespace pg_actions::pg::store {

RowStream<ActionFactsRow> action_facts_stream(std::int64_t workspace_id) {
    static Statement q(
        "SELECT action_id, status, title, type, priority, owner_id, assignee_id, record_id, description, "
        "due_at, group_ids::text, template_id::text || '/' || template_version::text "
        "FROM actions.action WHERE workspace_id = $1 ORDER BY action_id",
        {INT8OID});
    Datum args[1] = {Int64GetDatum(workspace_id)};
    return RowStream<ActionFactsRow>(q.open_cursor(args, nullptr), [](std::uint64_t i) {
        ActionFactsRow r;
        r.action_id = get_int64(i, 1);
        r.facts.status = get_text(i, 2).value_or("");
        r.facts.title = get_text(i, 3).value_or("");
        r.facts.type = get_text(i, 4).value_or("");
        r.facts.priority = get_text(i, 5).value_or("");
        r.facts.owner_id = get_opt_int64(i, 6);
        r.facts.assignee_id = get_opt_int64(i, 7);
        r.facts.record_id = get_opt_int64(i, 8);
        r.facts.description = get_text(i, 9);
        if (auto due = get_timestamptz(i, 10)) r.facts.due_at = core::iso_utc(*due);
        r.facts.group_ids = get_text(i, 11).value_or("{}");
        r.facts.template_ref = get_text(i, 12);
        return r;
    });
}

}  // namespace pg_actions::pg::store
