// Out-of-office (core/absence.hpp): declaring and ending absences, and the workspace's routing of
// new assignments to absent members. What a substitute may do is decided when they act
// (authz/facts.cpp), never here.
#include "pg/boundary/postgres.hpp"

#include "core/absence.hpp"
#include "core/catalog.hpp"
#include "core/input.hpp"
#include "core/permission.hpp"
#include "pg/authz/facts.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/identity/actor.hpp"
#include "pg/store/absences.hpp"
#include "pg/store/member_store.hpp"
#include "pg/store/people_store.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

TimestampTz arg_time(FunctionCallInfo fcinfo, int n, const char* name) {
    if (PG_ARGISNULL(n))
        throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, std::string(name) + " must not be null", "",
                      "pass when the absence begins and when it ends");
    TimestampTz t = PG_GETARG_TIMESTAMPTZ(n);
    if (TIMESTAMP_NOT_FINITE(t))
        refuse({core::RefusalKind::bad_date, std::string(name) + " must be finite",
                "an absence begins and ends at real times", "pass a real timestamp"});
    return t;
}

core::Refusal absence_not_found(std::int64_t id) {
    return {core::RefusalKind::not_found, "absence " + std::to_string(id) + " not found",
            "no absence with that id is visible to you",
            "check the id; you can end your own absences, or any of a workspace you manage (actions.absence)"};
}

}  // namespace

// declare_absence(workspace_id, starts_at, ends_at, substitute_id, person_id, note)
PG_ACTIONS_FUNCTION(pg_actions_declare_absence) {
    std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
    TimestampTz starts = arg_time(fcinfo, 1, "starts_at");
    TimestampTz ends = arg_time(fcinfo, 2, "ends_at");
    std::int64_t substitute = arg_id(fcinfo, 3, "substitute_id");
    std::optional<std::string> note = arg_text(fcinfo, 5);
    if (note && core::utf8_length(*note) > core::max_reason_chars)
        refuse({core::RefusalKind::invalid_value, "note is too long",
                "an absence's note has at most " + std::to_string(core::max_reason_chars) + " characters",
                "shorten the note"});
    SpiScope spi;
    std::int64_t actor = require_actor();
    ActorFacts w = actor_facts(workspace_id, actor);  // a workspace the actor is not in: not found
    std::int64_t person = PG_ARGISNULL(4) ? actor : PG_GETARG_INT64(4);
    if (person != actor) refuse_if(core::decide(core::Verb::manage_workspace, w.facts));
    // The absent member's row is locked, so two declarations for them are checked one after
    // the other against each other's absence (no overlap slips through).
    std::optional<std::string> state = store::lock_member_state(workspace_id, person);
    check_member_state(workspace_id, person, state, "only members of the workspace can be absent from it");
    core::AbsenceRequest r;
    r.person_id = person;
    r.substitute_id = substitute;
    r.period = {starts, ends};
    r.now = GetCurrentTransactionStartTimestamp();
    r.substitute_active = member_acts(membership(workspace_id, substitute, false).state);
    for (const AbsenceRow& a : person_absences(workspace_id, person)) r.existing.emplace_back(a.absence_id, a.period);
    refuse_if(core::check_absence(r));
    std::int64_t id = store::insert_absence(workspace_id, person, substitute, starts, ends, note, actor);
    PG_RETURN_INT64(id);
}

// end_absence(absence_id): under way, it ends now; not begun, it is removed; over, refused.
PG_ACTIONS_FUNCTION(pg_actions_end_absence) {
    std::int64_t absence_id = arg_id(fcinfo, 0, "absence_id");
    SpiScope spi;
    std::int64_t actor = require_actor();
    // Visibility is decided on the absence as committed now, before it is locked: an absence
    // the actor may not see, held by another transaction, must not make them wait (waiting
    // would tell them it exists). Only a visible one is locked, read again and decided again.
    std::int64_t workspace_id = 0;
    core::Facts f;
    auto visible = [&](bool lock) -> std::optional<AbsenceRow> {
        std::optional<AbsenceRow> b = find_absence(absence_id, lock, &workspace_id);
        if (!b) return std::nullopt;
        Membership m = membership(workspace_id, actor);
        f = core::Facts{};
        f.is_member = member_acts(m.state);
        f.granted = m.granted;
        if (!core::absence_visible(f, actor, b->person_id, b->substitute_id)) return std::nullopt;
        return b;
    };
    if (!visible(false)) refuse(absence_not_found(absence_id));
    std::optional<AbsenceRow> b = visible(true);
    if (!b) refuse(absence_not_found(absence_id));
    std::int64_t person = b->person_id;
    TimestampTz starts = b->period.starts_at, ends = b->period.ends_at;
    if (actor != person) refuse_if(core::decide(core::Verb::manage_workspace, f));
    TimestampTz now = GetCurrentTransactionStartTimestamp();
    if (ends <= now)
        refuse({core::RefusalKind::wrong_state, "absence " + std::to_string(absence_id) + " is over already",
                "it ended before this transaction began", "declare a new absence with actions.declare_absence()"});
    if (starts >= now)
        store::delete_absence(workspace_id, absence_id);
    else
        store::end_absence_now(workspace_id, absence_id);
    PG_RETURN_VOID();
}

// set_absence_routing(workspace_id, routing)
PG_ACTIONS_FUNCTION(pg_actions_set_absence_routing) {
    std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
    std::string routing = arg_required_text(fcinfo, 1, "routing", "'substitute'");
    if (!core::parse_absence_routing(routing))
        refuse({core::RefusalKind::invalid_value, "unknown absence routing \"" + routing + "\"",
                "new assignments to an absent member go to the substitute, or stay and the substitute is told",
                "use " + core::listed(core::absence_routing_names())});
    SpiScope spi;
    require_workspace_manager(workspace_id);
    store::update_workspace_absence_routing(workspace_id, routing);
    PG_RETURN_VOID();
}
