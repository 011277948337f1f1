// The last-owner guard on actions.member: a workspace keeps an active owner whichever path changes
// a member. The rule is core::check_owner_kept(); this trigger gathers the facts under a lock on
// the workspace row, so two concurrent demotions cannot both pass.
#include "pg/boundary/postgres.hpp"

#include <optional>
#include <string>

#include "core/role_rules.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/store/member_store.hpp"
#include "pg/store/people_store.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

// BEFORE UPDATE OR DELETE on actions.member: a workspace keeps an active owner, whichever path
// changes the member (set_member_role, add_member, a direct UPDATE). Changes that could remove an
// owner serialize on the workspace row; the count after the lock sees every committed change.
PG_ACTIONS_FUNCTION(pg_actions_member_keeps_owner) {
    if (!CALLED_AS_TRIGGER(fcinfo))
        throw PgError(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED, "member_keeps_owner() must be called as a trigger");
    TriggerData* td = reinterpret_cast<TriggerData*>(fcinfo->context);
    bool deleting = TRIGGER_FIRED_BY_DELETE(td->tg_event);
    HeapTuple result = deleting ? td->tg_trigtuple : td->tg_newtuple;
    TupleDesc desc = td->tg_relation->rd_att;
    struct Row {
        std::int64_t workspace_id, person_id, role_id;
        bool active;
    };
    auto read = [&](HeapTuple t) {
        bool null;
        Row r{};
        r.workspace_id = DatumGetInt64(heap_getattr(t, SPI_fnumber(desc, "workspace_id"), desc, &null));
        r.person_id = DatumGetInt64(heap_getattr(t, SPI_fnumber(desc, "person_id"), desc, &null));
        r.role_id = DatumGetInt64(heap_getattr(t, SPI_fnumber(desc, "role_id"), desc, &null));
        r.active = text_of(heap_getattr(t, SPI_fnumber(desc, "state"), desc, &null)) == "active";
        return r;
    };
    for (const char* col : {"workspace_id", "person_id", "role_id", "state"})
        if (SPI_fnumber(desc, col) <= 0)
            throw PgError(ERRCODE_UNDEFINED_COLUMN, std::string("column ") + col + " of actions.member is missing");
    Row before = read(td->tg_trigtuple);
    std::optional<Row> after;
    if (!deleting) after = read(td->tg_newtuple);
    if (!before.active || (after && after->active && after->role_id == before.role_id))
        return PointerGetDatum(result);
    SpiScope spi;
    bool was_owner = store::is_owner_role(before.workspace_id, before.role_id);
    bool stays = was_owner && after && after->active && store::is_owner_role(after->workspace_id, after->role_id);
    // The workspace itself is being deleted (its members go with it): nothing to keep.
    if (was_owner && !stays && store::lock_workspace_no_key_update(before.workspace_id))
        refuse_if(core::check_owner_kept(
            true, false, static_cast<long>(store::count_other_active_owners(before.workspace_id, before.person_id)),
            before.workspace_id));
    spi.finish();
    return PointerGetDatum(result);
}
