// The writers' side of the kept facts (boundary/kept_memo.hpp): every statement that writes a
// membership table the eligibility questions keep facts of invalidates them.
#include "pg/boundary/postgres.hpp"

#include "pg/boundary/boundary.hpp"
#include "pg/boundary/kept_memo.hpp"

using namespace pg_actions::pg;

// AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE, FOR EACH STATEMENT, on actions.role, member,
// group and group_member: takes the kept-facts lock for the rest of the transaction and sends a
// relcache invalidation of the table at commit (at once to this session's next command).
PG_ACTIONS_FUNCTION(pg_actions_kept_facts_changed) {
    if (!CALLED_AS_TRIGGER(fcinfo))
        throw PgError(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED, "kept_facts_changed() must be called as a trigger");
    TriggerData* td = reinterpret_cast<TriggerData*>(fcinfo->context);
    kept_facts_written(td->tg_relation);
    return PointerGetDatum(nullptr);
}
