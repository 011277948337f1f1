// The actor's facts before the API asks the core: their membership of a workspace, their facts
// about an action (read for a question, or locked for a change) or a record, and the refusals
// that come from them (hidden reads as not found). Shared by every file of api/.
#include "pg/authz/facts.hpp"

#include <unordered_map>

#include "core/input.hpp"
#include "core/member.hpp"
#include "core/workflow.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/identity/actor.hpp"
#include "pg/store/absences.hpp"
#include "pg/store/action_store.hpp"

namespace pg_actions::pg {

void scope_targets(std::int64_t workspace_id, std::int64_t actor, const std::vector<std::int64_t>& group_ids,
                   core::Facts& facts) {
    if (group_ids.empty()) return;
    for (std::int64_t id : group_ids)
        if (!lock_group(workspace_id, id)) group_paths(workspace_id, {id});  // refuses: not a group of the workspace
    std::vector<core::GroupPath> paths = group_paths(workspace_id, group_ids);
    if (facts.group_granted.any()) facts.in_group_scope = core::within_groups(paths, person_groups(workspace_id, actor));
}

core::Facts record_facts(std::int64_t workspace_id, std::int64_t record_id, const std::vector<std::int64_t>& group_ids,
                         std::int64_t person_id) {
    Membership m = membership(workspace_id, person_id);
    core::Facts f;
    f.is_member = member_acts(m.state);
    if (!f.is_member) return f;
    f.granted = m.granted;
    f.group_granted = m.group_granted;
    if (m.group_granted.any()) f.in_group_scope = in_group_scope(workspace_id, person_id, group_ids);
    f.record_granted = record_grants(workspace_id, record_id, person_id);
    return f;
}

namespace {

// What a question (can, why_not) reads about the actor, kept for the rest of one statement:
// a query asking about a million actions reads the actor's membership, role and groups once.
// Mutating calls never use it; they read everything as committed now. The key changes with
// every statement, every command of a transaction (so a write in between starts over) and
// every actor.
struct Memo {
    StatementStamp stamp;
    std::unordered_map<std::int64_t, Membership> memberships;            // by workspace
    std::unordered_map<std::int64_t, std::vector<std::int64_t>> groups;  // the actor's, by workspace
    std::unordered_map<std::int64_t, bool> in_scope;                     // by target group
    std::unordered_map<std::int64_t, core::Permissions> record_grants;   // by record
    std::unordered_map<std::int64_t, std::vector<std::int64_t>> substituted;  // absent members, by workspace
};

Memo& memo_for(std::int64_t actor) {
    static Memo memo;
    if (memo.stamp.moved_on(actor)) {
        memo.memberships.clear();
        memo.groups.clear();
        memo.in_scope.clear();
        memo.record_grants.clear();
        memo.substituted.clear();
    }
    return memo;
}

const Membership& remembered_membership(Memo& memo, std::int64_t workspace_id, std::int64_t actor) {
    auto it = memo.memberships.find(workspace_id);
    if (it == memo.memberships.end()) it = memo.memberships.emplace(workspace_id, membership(workspace_id, actor)).first;
    return it->second;
}

// The same answer as in_group_scope(), one target group at a time, remembered per group.
bool remembered_scope(Memo& memo, std::int64_t workspace_id, std::int64_t actor, const std::vector<std::int64_t>& targets) {
    auto mine = memo.groups.find(workspace_id);
    if (mine == memo.groups.end()) mine = memo.groups.emplace(workspace_id, person_groups(workspace_id, actor)).first;
    if (mine->second.empty()) return false;
    for (std::int64_t group : targets) {
        auto known = memo.in_scope.find(group);
        if (known == memo.in_scope.end())
            known = memo.in_scope.emplace(group, core::within_groups(group_paths(workspace_id, {group}), mine->second)).first;
        if (known->second) return true;
    }
    return false;
}

}  // namespace

namespace {
std::optional<core::MemberState> state_of(const std::optional<std::string>& state) {
    return state ? core::parse_member_state(*state) : std::nullopt;
}
}  // namespace

bool member_acts(const std::optional<std::string>& state) { return core::may_act(state_of(state)); }

bool member_may_be_named(const std::optional<std::string>& state) { return core::may_be_named(state_of(state)); }

bool member_may_be_invited(const std::optional<std::string>& state) { return core::may_be_invited(state_of(state)); }

[[noreturn]] void refuse_not_found(core::Target what, std::int64_t id) { refuse(core::not_found(what, id)); }

// The actor's membership (a workspace you are not a member of looks like no workspace at all)
// and the proposed assignee's.
ActorFacts actor_facts(std::int64_t workspace_id, std::int64_t actor,
                         std::optional<std::int64_t> assignee, const std::vector<std::int64_t>& target_groups) {
    Membership m = membership(workspace_id, actor);
    ActorFacts w{workspace_id, {}, std::nullopt};
    w.facts.is_member = member_acts(m.state);
    w.facts.granted = m.granted;
    w.facts.group_granted = m.group_granted;
    if (!w.facts.is_member)
        refuse_not_found(core::Target::workspace, workspace_id);
    if (m.group_granted.any()) w.facts.in_group_scope = in_group_scope(workspace_id, actor, target_groups);
    if (assignee) w.assignee_state = membership(workspace_id, *assignee, false).state;
    return w;
}


namespace {

// How an action is read: as the running statement sees it, with the actor's facts remembered for
// the statement (the questions); as committed now (the visibility check before waiting for a
// lock); locked FOR UPDATE, or only if no other transaction holds it (a mutating call, whose
// decision then holds until the transaction ends).
using ActionRead = store::ActionRowRead;

// Whether the actor stands in, now, for the action's absent assignee (core/absence.hpp): decided
// when they act, from the absences as they are now. A mutating call locks the absence FOR SHARE
// (and checks it is still under way), so ending it waits for the act or is seen by it.
void substitute_facts(Action& a, std::int64_t actor, ActionRead how) {
    TimestampTz now = GetCurrentTransactionStartTimestamp();
    if (how == ActionRead::statement) {
        Memo& memo = memo_for(actor);
        auto it = memo.substituted.find(a.workspace_id);
        if (it == memo.substituted.end()) {
            std::vector<std::int64_t> absent;
            for (const AbsenceRow& b : substituting_at(a.workspace_id, actor, now)) absent.push_back(b.person_id);
            it = memo.substituted.emplace(a.workspace_id, std::move(absent)).first;
        }
        for (std::int64_t p : it->second)
            if (p == *a.assignee_id) a.facts.is_substitute = true;
        return;
    }
    for (const AbsenceRow& b : substituting_at(a.workspace_id, actor, now)) {
        if (b.person_id != *a.assignee_id) continue;
        if (how == ActionRead::latest) {
            a.facts.is_substitute = true;
            return;
        }
        a.facts.is_substitute = store::lock_absence_under_way(a.workspace_id, b.absence_id);
        return;
    }
}

std::optional<Action> read_action(std::int64_t action_id, std::int64_t actor, ActionRead how,
                                  std::optional<std::int64_t> new_assignee) {
    std::optional<store::ActionFactsRow> row = store::action_facts_row(action_id, how);
    if (!row) return std::nullopt;
    Action a;
    a.workspace_id = row->workspace_id;
    a.action_id = action_id;
    std::optional<core::Status> s = core::parse_status(row->status.value_or(""));
    a.status = s.value_or(core::Status::to_do);
    a.assignee_id = row->assignee_id;
    a.group_ids = row->group_ids;
    a.record_id = row->record_id;
    a.workflow = row->workflow;
    a.pool.offered = row->offered;
    a.pool.claimed = row->claimed;
    a.pool.delegated_by = row->delegated_by;
    if (row->delegation) a.pool.delegation = core::parse_delegation(*row->delegation);
    a.pool.approval = a.workflow == "delegation_approval";
    a.facts.is_delegator = a.pool.delegated_by == actor;  // as the policy action_visible says
    a.facts.is_owner = row->owner_id == actor;
    a.facts.is_assignee = a.assignee_id == actor;
    a.facts.completed_by_actor = row->completed_by == actor;
    std::optional<std::int64_t> role_id;
    if (how != ActionRead::statement) {
        Membership m = membership(a.workspace_id, actor);
        role_id = m.role_id;
        a.facts.is_member = member_acts(m.state);
        a.facts.granted = m.granted;
        a.facts.group_granted = m.group_granted;
        if (a.facts.is_member && m.group_granted.any())
            a.facts.in_group_scope = in_group_scope(a.workspace_id, actor, a.group_ids);
        if (a.facts.is_member && a.record_id) a.facts.record_granted = record_grants(a.workspace_id, *a.record_id, actor);
    } else {
        Memo& memo = memo_for(actor);
        const Membership& m = remembered_membership(memo, a.workspace_id, actor);
        role_id = m.role_id;
        a.facts.is_member = member_acts(m.state);
        a.facts.granted = m.granted;
        a.facts.group_granted = m.group_granted;
        if (a.facts.is_member && m.group_granted.any())
            a.facts.in_group_scope = remembered_scope(memo, a.workspace_id, actor, a.group_ids);
        if (a.facts.is_member && a.record_id) {
            auto known = memo.record_grants.find(*a.record_id);
            if (known == memo.record_grants.end())
                known = memo.record_grants.emplace(*a.record_id, record_grants(a.workspace_id, *a.record_id, actor)).first;
            a.facts.record_granted = known->second;
        }
    }
    if (a.facts.is_member && a.workflow == "delegation_approval")
        a.facts.is_candidate = is_candidate(a.workspace_id, action_id, actor);
    // The offer is read only for an action that has one (the row says so), so a question about an
    // action without a pool costs nothing more.
    if (a.facts.is_member && a.pool.offered && !a.facts.is_candidate)
        a.facts.is_candidate = is_offer_candidate(a.workspace_id, action_id, actor, role_id);
    if (a.facts.is_member && a.assignee_id && *a.assignee_id != actor) substitute_facts(a, actor, how);
    if (new_assignee) a.new_assignee_state = membership(a.workspace_id, *new_assignee, false).state;
    return a;
}

}  // namespace

void require_workspace_manager(std::int64_t workspace_id) {
    ActorFacts w = actor_facts(workspace_id, require_actor());
    refuse_if(core::decide(core::Verb::manage_workspace, w.facts));
}

// A mutating call locks the row when no other transaction holds it (the usual case, one
// statement). When one does, visibility is decided on the row as committed now before waiting:
// a hidden action another transaction holds must not make the caller wait (or time out) and so
// reveal that it exists. Only a visible one is waited for, locked and read again.
std::optional<Action> find_action(std::int64_t action_id, std::int64_t actor, bool lock,
                                  std::optional<std::int64_t> new_assignee) {
    if (!lock) return read_action(action_id, actor, ActionRead::statement, new_assignee);
    if (auto free = read_action(action_id, actor, ActionRead::locked_unless_busy, new_assignee)) return free;
    std::optional<Action> seen = read_action(action_id, actor, ActionRead::latest, std::nullopt);
    if (!seen || core::decide(core::Verb::view, seen->facts)) return std::nullopt;
    return read_action(action_id, actor, ActionRead::locked, new_assignee);
}

// Everything that stops `verb` on this action for this actor, in the order the API checks it:
// visibility (not found), permission, then the state the action is in. The mutating functions
// and actions.can() / actions.why_not() all ask here.
std::optional<core::Refusal> refusal_for(core::Verb verb, const Action& a) {
    if (auto r = core::refusal_for(verb, a.facts, core::Target::action, a.action_id)) return r;
    if (auto r = core::check_reopen(a.workflow.has_value(), verb == core::Verb::uncomplete && a.status == core::Status::complete, a.action_id)) return r;
    if (auto r = core::check_pool_state(verb, a.status, a.assignee_id, a.pool, a.action_id)) return r;
    return core::check_state(verb, a.status, a.assignee_id, a.action_id);
}

void note_acting_for(core::Verb verb, const Action& a, std::int64_t actor) {
    if (core::acts_for_assignee(verb, a.facts) && a.assignee_id) mark_acting_for(a.action_id, actor, *a.assignee_id);
}

Action authorize_action(FunctionCallInfo fcinfo, core::Verb verb, std::int64_t* actor_out,
                        std::optional<std::int64_t> new_assignee) {
    std::int64_t action_id = arg_id(fcinfo, 0, "action_id");
    std::int64_t actor = require_actor();
    std::optional<Action> a = find_action(action_id, actor, true, new_assignee);
    if (!a) refuse_not_found(core::Target::action, action_id);
    refuse_if(refusal_for(verb, *a));
    note_acting_for(verb, *a, actor);
    if (actor_out) *actor_out = actor;
    return *a;
}

void check_member_state(std::int64_t workspace_id, std::int64_t person_id, const std::optional<std::string>& state,
                        const char* why_members) {
    if (!member_may_be_named(state))
        refuse({core::RefusalKind::invalid_value,
                "person " + std::to_string(person_id) + " is not a member of workspace " + std::to_string(workspace_id),
                state ? "the person was removed from the workspace" : why_members,
                "add the person with actions.add_member() first"});
}

// The assignee must be a member of the action's workspace.
void check_assignee_state(std::int64_t workspace_id, std::int64_t person_id,
                          const std::optional<std::string>& state) {
    check_member_state(workspace_id, person_id, state, "only members can be assigned actions");
}

std::vector<std::int64_t> check_record(std::int64_t workspace_id, std::int64_t record_id, std::int64_t actor) {
    std::optional<store::RecordStateRow> f = store::record_state_row(workspace_id, record_id);
    if (!f) refuse_not_found(core::Target::record, record_id);
    std::vector<std::int64_t> groups = f->group_ids;
    // Visibility before the record's state: an archived record one may not see is not found either.
    if (core::decide(core::Verb::view, record_facts(workspace_id, record_id, groups, actor)))
        refuse_not_found(core::Target::record, record_id);
    if (f->archived)
        refuse({core::RefusalKind::wrong_state, "record " + std::to_string(record_id) + " is archived",
                "an archived record keeps its actions but takes no new ones",
                "link the action to an active record, or create it standalone"});
    return groups;
}

void run_update(Statement& s, const Action& a, Datum v3, bool v3_null, Datum v4, bool v4_null) {
    Datum args[4] = {Int64GetDatum(a.workspace_id), Int64GetDatum(a.action_id), v3, v4};
    char nulls[4] = {' ', ' ', v3_null ? 'n' : ' ', v4_null ? 'n' : ' '};
    s.run(args, nulls, 0);
}


}  // namespace pg_actions::pg
