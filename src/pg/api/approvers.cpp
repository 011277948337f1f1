// The approver-eligibility questions: eligible_approvers(), is_eligible_approver() and
// why_not('approve', ...). They run no SQL (the facts come through the index API) and answer
// about delegations the asker may see; a hidden one is not found, like a missing one.
#include "pg/boundary/postgres.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/eligibility.hpp"
#include "core/input.hpp"
#include "core/record_rules.hpp"
#include "core/workflow.hpp"
#include "pg/api/record.hpp"
#include "pg/authz/approver_facts.hpp"
#include "pg/authz/facts.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/identity/actor.hpp"
#include "pg/store/notify.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

std::int64_t arg_person(FunctionCallInfo fcinfo, int n) { return arg_id(fcinfo, n, "person_id"); }

// The delegations asked about and whether the asker sees them, remembered for the running
// statement (a query may ask about the same delegation for many people), like the facts in
// authz/approver_facts.cpp.
struct AskedMemo {
    StatementStamp stamp;
    std::unordered_map<std::int64_t, Delegation> delegations;
    std::unordered_map<std::int64_t, bool> asker_sees;  // by record
};

Delegation asked_delegation(FunctionCallInfo fcinfo, int n) {
    std::int64_t record_id = arg_id(fcinfo, n, "delegation_id");
    std::int64_t asker = require_actor();
    static AskedMemo memo;
    if (memo.stamp.moved_on(asker)) {
        memo.delegations.clear();
        memo.asker_sees.clear();
    }
    auto known = memo.delegations.find(record_id);
    if (known == memo.delegations.end()) known = memo.delegations.emplace(record_id, load_delegation(record_id)).first;
    const Delegation& d = known->second;
    auto sees = memo.asker_sees.find(record_id);
    if (sees == memo.asker_sees.end()) sees = memo.asker_sees.emplace(record_id, asker_sees(d, asker, Reading::kept)).first;
    if (!sees->second) refuse_not_found(core::Target::record, record_id);
    if (d.kind != "delegation")
        refuse({core::RefusalKind::invalid_value, "record " + std::to_string(record_id) + " is a " + d.kind + ", not a delegation",
                "approver eligibility applies to delegations", "pass the id of a delegation"});
    return d;
}

}  // namespace

// eligible_approvers(delegation_id) RETURNS SETOF bigint
PG_ACTIONS_FUNCTION(pg_actions_eligible_approvers) {
    NoSqlHere no_sql;
    std::vector<std::int64_t> people = eligible_approvers(asked_delegation(fcinfo, 0), Reading::kept);
    return int64_array_datum(people);
}

// is_eligible_approver(person_id, delegation_id)
PG_ACTIONS_FUNCTION(pg_actions_is_eligible_approver) {
    NoSqlHere no_sql;
    std::int64_t person = arg_person(fcinfo, 0);
    PG_RETURN_BOOL(!approver_refusal(asked_delegation(fcinfo, 1), person, Reading::kept));
}

// why_not(verb, record_id, person_id): for 'approve', why the person is not an eligible approver.
PG_ACTIONS_FUNCTION(pg_actions_why_not_person) {
    std::optional<core::Refusal> r;
    {
        NoSqlHere no_sql;
        std::string verb = PG_ARGISNULL(0) ? "" : text_of(PG_GETARG_DATUM(0));
        if (verb != "approve")
            refuse({core::RefusalKind::invalid_value, "\"" + verb + "\" is not asked about another person",
                    "why_not(verb, delegation_id, person_id) answers for 'approve'",
                    "use why_not(verb, action_id) for your own actions"});
        std::int64_t person = arg_person(fcinfo, 2);
        r = approver_refusal(asked_delegation(fcinfo, 1), person, Reading::kept);
    }
    if (!r) PG_RETURN_NULL();
    return text_datum(r->detail.empty() ? r->message : r->message + ": " + r->detail);
}
