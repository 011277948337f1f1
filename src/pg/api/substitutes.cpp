// actions.substituted_members(): the absent members (workspace, person) the acting person stands
// in for now, which the row-level security policies of actions.action read. Whether someone
// stands in is the core's rule (core::stands_in, absence.hpp): an absence under way now whose
// substitute is an active member of its workspace.
#include "pg/boundary/postgres.hpp"

extern "C" {
#include "funcapi.h"
#include "utils/array.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"
}

#include <vector>

#include "core/absence.hpp"
#include "core/member.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/identity/actor.hpp"
#include "pg/store/absences.hpp"
#include "pg/store/members.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

struct Row {
    std::int64_t workspace_id, person_id;
};

// The absent members the acting person stands in for now (none without an actor).
std::vector<Row> substituted() {
    std::vector<Row> rows;
    if (std::optional<std::int64_t> actor = current_actor()) {
        const TimestampTz now = GetCurrentTransactionStartTimestamp();  // now()
        SpiScope spi;
        std::vector<SubstituteAbsence> absences = absences_of_substitute(*actor);
        spi.finish();
        for (const SubstituteAbsence& a : absences) {
            std::optional<std::string> state = membership(a.workspace_id, *actor, false).state;
            std::optional<core::MemberState> parsed = state ? core::parse_member_state(*state) : std::nullopt;
            if (core::stands_in(a.absence.period, now, parsed))
                rows.push_back({a.workspace_id, a.absence.person_id});
        }
    }
    return rows;
}

}  // namespace

extern "C" {

PG_ACTIONS_FUNCTION(pg_actions_substituted_members) {
    std::vector<Row> rows = substituted();
    guard([&] { InitMaterializedSRF(fcinfo, 0); });
    ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
    for (const Row& r : rows) {
        Datum values[2] = {Int64GetDatum(r.workspace_id), Int64GetDatum(r.person_id)};
        bool nulls[2] = {false, false};
        guard([&] { tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls); });
    }
    return (Datum)0;
}

// The same as an array of actions.member_key, as actions.may_see_action() takes it (the policies
// ask it through actions.remembered_keys(), once per statement).
PG_ACTIONS_FUNCTION(pg_actions_substituted_member_keys) {
    std::vector<Row> rows = substituted();
    Datum result = 0;
    guard([&] {
        Oid array_type = get_func_rettype(fcinfo->flinfo->fn_oid);  // also when called without an expression
        Oid element = get_element_type(array_type);
        TupleDesc desc = lookup_rowtype_tupdesc(element, -1);
        Datum* items = static_cast<Datum*>(palloc0(sizeof(Datum) * (rows.size() + 1)));
        for (std::size_t i = 0; i < rows.size(); i++) {
            Datum values[2] = {Int64GetDatum(rows[i].workspace_id), Int64GetDatum(rows[i].person_id)};
            bool nulls[2] = {false, false};
            items[i] = HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
        }
        ReleaseTupleDesc(desc);
        int16 typlen;
        bool typbyval;
        char typalign;
        get_typlenbyvalalign(element, &typlen, &typbyval, &typalign);
        result = PointerGetDatum(construct_array(items, static_cast<int>(rows.size()), element, typlen, typbyval, typalign));
    });
    return result;
}

}  // extern "C"
