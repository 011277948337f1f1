// Pools with claim (core/pool.hpp): actions.offer(), claim(), release(), and the trigger that logs
// every candidate added to or removed from a pool in the action's chain. Who may do each is the
// core's permission decision (verbs offer, claim, release), the state each needs core's
// check_pool_state (both through authorize_action()).
#include "pg/boundary/postgres.hpp"

#include <algorithm>

#include "core/catalog.hpp"
#include "core/pool.hpp"
#include "core/template_rules.hpp"
#include "pg/api/pools.hpp"
#include "pg/api/template_store.hpp"
#include "pg/authz/args.hpp"
#include "pg/identity/actor.hpp"
#include "pg/store/action_store.hpp"
#include "pg/store/log_store.hpp"
#include "pg/store/member_store.hpp"
#include "pg/store/notify.hpp"
#include "pg/triggers/action_row.hpp"
#include "pg/triggers/restore.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

std::vector<std::int64_t> arg_ids(FunctionCallInfo fcinfo, int n, const char* what) {
    if (PG_ARGISNULL(n)) return {};
    bool had_null = false;
    std::vector<std::int64_t> ids = int64_array(PG_GETARG_DATUM(n), &had_null);
    refuse_if(core::normalize_offer(ids, had_null, what));
    return ids;
}

// A role of the workspace by name, locked FOR KEY SHARE (delete_role then waits and sees the offer).
std::int64_t role_named(std::int64_t workspace_id, const std::string& name) {
    std::optional<std::int64_t> role_id = store::key_share_role_by_name(workspace_id, name);
    if (!role_id)
        refuse({core::RefusalKind::not_found, "role \"" + name + "\" not found in workspace " + std::to_string(workspace_id),
                "an action is offered to roles of its own workspace", "list the roles in actions.role"});
    return *role_id;
}

// The people an offer reaches now who may act (active members): named, holding an offered role,
// or in an offered group or below one. Sorted.
std::vector<std::int64_t> reached(std::int64_t workspace_id, const std::vector<core::OfferEntry>& offer) {
    std::vector<std::int64_t> people, groups, roles;
    for (const core::OfferEntry& e : offer)
        (e.kind == core::CandidateKind::person ? people : e.kind == core::CandidateKind::group ? groups : roles).push_back(e.id);
    if (offer.empty()) return {};
    std::vector<std::int64_t> out;
    for (const store::MemberState& m : store::members_reached(workspace_id, people, roles, groups))
        if (member_acts(m.state)) out.push_back(m.person_id);
    return out;
}

bool same(const core::OfferEntry& a, const core::OfferEntry& b) { return a.kind == b.kind && a.id == b.id; }

}  // namespace

std::vector<core::OfferEntry> pg_actions::pg::offer_candidates(std::int64_t workspace_id, OfferArgs& args) {
    std::vector<core::OfferEntry> wanted;
    refuse_if(core::normalize_offer(args.people, false, "people"));
    refuse_if(core::normalize_offer(args.groups, false, "groups"));
    for (std::int64_t person : args.people) {
        check_member_state(workspace_id, person, membership(workspace_id, person, false).state,
                           "only members of the workspace can be candidates");
        wanted.push_back({core::CandidateKind::person, person});
    }
    for (std::int64_t group : args.groups) {
        if (!lock_group(workspace_id, group)) group_paths(workspace_id, {group});  // refuses: not a group here
        wanted.push_back({core::CandidateKind::group, group});
    }
    std::sort(args.roles.begin(), args.roles.end());
    args.roles.erase(std::unique(args.roles.begin(), args.roles.end()), args.roles.end());
    for (const std::string& role : args.roles) wanted.push_back({core::CandidateKind::role, role_named(workspace_id, role)});
    return wanted;
}

void pg_actions::pg::offer_new_action(std::int64_t action_id, std::int64_t actor, OfferArgs args) {
    std::optional<Action> a = find_action(action_id, actor, true);
    if (!a) refuse_not_found(core::Target::action, action_id);
    refuse_if(refusal_for(core::Verb::offer, *a));
    offer_action(*a, actor, std::move(args));
}

int pg_actions::pg::offer_action(const Action& a, std::optional<std::int64_t> actor, OfferArgs args) {
    std::vector<core::OfferEntry> wanted = offer_candidates(a.workspace_id, args);

    std::vector<core::OfferEntry> before = offer_entries(a.workspace_id, a.action_id);
    std::vector<std::int64_t> reached_before = reached(a.workspace_id, before);
    // The entry's id in the column of its kind, NULL in the other two.
    auto id_if = [](const core::OfferEntry& e, core::CandidateKind k) {
        return e.kind == k ? std::optional<std::int64_t>(e.id) : std::nullopt;
    };
    for (const core::OfferEntry& e : before)
        if (std::none_of(wanted.begin(), wanted.end(), [&](const core::OfferEntry& w) { return same(w, e); }))
            store::delete_action_offer(a.workspace_id, a.action_id, id_if(e, core::CandidateKind::person),
                                       id_if(e, core::CandidateKind::group), id_if(e, core::CandidateKind::role));
    for (const core::OfferEntry& e : wanted)
        if (std::none_of(before.begin(), before.end(), [&](const core::OfferEntry& b) { return same(b, e); }))
            store::insert_action_offer(a.workspace_id, a.action_id, id_if(e, core::CandidateKind::person),
                                       id_if(e, core::CandidateKind::group), id_if(e, core::CandidateKind::role), actor);
    if (a.pool.offered != !wanted.empty()) store::update_action_offered(a.workspace_id, a.action_id, !wanted.empty());
    std::vector<std::int64_t> now = reached(a.workspace_id, wanted);
    for (std::int64_t person : now)
        if (person != actor && !std::binary_search(reached_before.begin(), reached_before.end(), person))
            notify(core::NotificationKind::offered, a.workspace_id, person, a.action_id);
    return static_cast<int>(now.size());
}

// offer(action_id, people, groups, roles): the pool becomes these candidates.
PG_ACTIONS_FUNCTION(pg_actions_offer) {
    OfferArgs args{arg_ids(fcinfo, 1, "people"), arg_ids(fcinfo, 2, "groups"), {}};
    if (!PG_ARGISNULL(3)) args.roles = text_array(PG_GETARG_DATUM(3));
    SpiScope spi;
    std::int64_t actor = 0;
    Action a = authorize_action(fcinfo, core::Verb::offer, &actor);
    int candidates = offer_action(a, actor, std::move(args));
    PG_RETURN_INT32(candidates);
}

// claim(action_id): the candidate becomes the assignee. Two claims at once: the action is locked,
// so the second waits, reads the row the first wrote, and is refused (already claimed).
PG_ACTIONS_FUNCTION(pg_actions_claim) {
    SpiScope spi;
    std::int64_t actor = 0;
    Action a = authorize_action(fcinfo, core::Verb::claim, &actor);
    store::claim_action(a.workspace_id, a.action_id, actor);
    PG_RETURN_VOID();
}

// release(action_id): back to the pool, unassigned.
PG_ACTIONS_FUNCTION(pg_actions_release) {
    SpiScope spi;
    Action a = authorize_action(fcinfo, core::Verb::release);
    store::release_action(a.workspace_id, a.action_id);
    PG_RETURN_VOID();
}

// set_template_pool(template_id, people, groups, roles): a new version with the rule pool (or,
// without candidates, none).
PG_ACTIONS_FUNCTION(pg_actions_set_template_pool) {
    std::int64_t template_id = arg_id(fcinfo, 0, "template_id");
    OfferArgs args{arg_ids(fcinfo, 1, "people"), arg_ids(fcinfo, 2, "groups"), {}};
    if (!PG_ARGISNULL(3)) args.roles = text_array(PG_GETARG_DATUM(3));
    SpiScope spi;
    std::int64_t actor = require_actor();
    TemplateVersion t = load_template(template_id, actor, true);
    refuse_if(core::check_template_live(template_id, t.retired, true));
    offer_candidates(t.workspace_id, args);  // checks them, as an offer would
    t.pool_people = args.people;
    t.pool_groups = args.groups;
    t.pool_roles = args.roles;
    t.assignee_rule = t.has_pool() ? "pool" : "none";
    t.assignee_id.reset();
    t.assignee_capacity.reset();
    check_definition(t);
    std::int32_t version = insert_version(t, std::nullopt, actor);
    PG_RETURN_INT32(version);
}

// AFTER INSERT OR DELETE on actions.action_offer: offered / offer_withdrawn in the action's chain.
PG_ACTIONS_FUNCTION(pg_actions_offer_log) {
    TriggerData* td = trigger_data(fcinfo, "offer_log");
    if (restoring(RelationGetRelid(td->tg_relation))) return PointerGetDatum(nullptr);
    TupleDesc desc = td->tg_relation->rd_att;
    Tuple t{td->tg_trigtuple, desc};
    std::int64_t workspace_id = t.bigint(Columns::attnum(desc, "workspace_id")).value_or(0);
    std::int64_t action_id = t.bigint(Columns::attnum(desc, "action_id")).value_or(0);
    core::OfferEntry e{core::CandidateKind::person, 0};
    if (auto p = t.bigint(Columns::attnum(desc, "person_id"))) e = {core::CandidateKind::person, *p};
    else if (auto g = t.bigint(Columns::attnum(desc, "group_id"))) e = {core::CandidateKind::group, *g};
    else if (auto r = t.bigint(Columns::attnum(desc, "role_id"))) e = {core::CandidateKind::role, *r};
    bool added = TRIGGER_FIRED_BY_INSERT(td->tg_event);
    // Removed with their action: its `deleted` entry closes the chain, nothing follows it.
    if (!added && !action_row_exists(workspace_id, action_id)) return PointerGetDatum(nullptr);
    std::string text = core::offer_text(e);
    std::vector<core::Change> changes{added ? core::Change{"offered", std::nullopt, text, std::nullopt}
                                            : core::Change{"offer_withdrawn", text, std::nullopt, std::nullopt}};
    SpiScope spi;
    log_changes(workspace_id, action_id, false, changes);
    return PointerGetDatum(nullptr);
}
