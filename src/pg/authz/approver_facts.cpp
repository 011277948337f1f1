// Approver eligibility: one member at a time (is_eligible_approver, and every approval when the
// approver acts), or all of them for a delegation (eligible_approvers, the approval pool). The
// rule is core::check_approver(); this file reads the facts through the index API.
#include "pg/authz/approver_facts.hpp"

#include <algorithm>
#include <span>
#include <unordered_map>

#include "core/group.hpp"
#include "core/record_rules.hpp"
#include "pg/identity/actor.hpp"
#include "pg/authz/facts.hpp"
#include "pg/boundary/kept_memo.hpp"
#include "pg/boundary/spi.hpp"

namespace core = pg_actions::core;

namespace pg_actions::pg {

Delegation load_delegation(std::int64_t record_id) {
    std::optional<store::RecordKindRow> row = store::record_kind_row(record_id);
    if (!row) refuse_not_found(core::Target::record, record_id);
    Delegation d{row->workspace_id, record_id, row->kind, row->group_ids, {}, record_parties(row->workspace_id, record_id)};
    for (const Party& p : d.parties)
        if (p.capacity == core::Capacity::issuer && p.person_id) d.issuers.push_back(*p.person_id);
    return d;
}

namespace {

struct Grants {
    core::Permissions granted, group_granted;
};

struct Member {
    bool active = false;
    Grants grants;
};

// The facts of one workspace, each read once: its roles' grants, members, group members and
// group paths. A call keeps one for itself; the questions share one (question_reader).
class Reader {
public:
    // eager: the reader is kept across statements (question_reader), so the scoped approvers of
    // every group are read at once, from the holders' own memberships (see scoped_approvers_in).
    void reset(std::int64_t workspace_id, bool eager = false) {
        workspace_id_ = workspace_id;
        eager_ = eager;
        roles_loaded_ = false;
        roles_.clear();
        members_.clear();
        role_holders_.clear();
        paths_.clear();
        person_groups_.clear();
        scoped_approvers_.clear();
        scoped_holders_.clear();
        scoped_loaded_ = false;
    }

    const std::unordered_map<std::int64_t, Grants>& roles() {
        if (roles_loaded_) return roles_;
        for (const store::RoleGrants& g : store::workspace_role_grants(workspace_id_))
            roles_[g.role_id] = Grants{g.granted, g.group_granted};
        roles_loaded_ = true;
        return roles_;
    }

    // One index read of the member row; the role's grants come from roles().
    const Member& member(std::int64_t person) {
        auto it = members_.find(person);
        if (it != members_.end()) return it->second;
        Membership found = membership(workspace_id_, person, false);
        Member m;
        m.active = member_acts(found.state);
        if (found.role_id) {
            auto role = roles().find(*found.role_id);
            if (role != roles().end()) m.grants = role->second;
        }
        return members_.emplace(person, m).first->second;
    }

    // The members of a group whose role grants approve_delegations for groups: the group's members
    // (one index range read) that hold such a role (the holders of those roles, read once),
    // remembered per group as long as the reader. A single question reads only the
    // delegation's groups and those above them, never every approver's groups. A kept reader
    // (eager) instead reads the groups of every holder once (one index range read each), which
    // gives the scoped approvers of every group: the questions of later statements, each about
    // other groups, then read none (a group no holder is in has none).
    const std::vector<std::int64_t>& scoped_approvers_in(std::int64_t group) {
        if (!scoped_loaded_) {
            const auto approve = static_cast<std::size_t>(core::Permission::approve_delegations);
            for (const auto& [role_id, grants] : roles())
                if (grants.group_granted.test(approve))
                    for (std::int64_t person : holders_of_role(role_id)) scoped_holders_.push_back(person);
            std::sort(scoped_holders_.begin(), scoped_holders_.end());
            scoped_holders_.erase(std::unique(scoped_holders_.begin(), scoped_holders_.end()), scoped_holders_.end());
            if (eager_)
                for (std::int64_t person : scoped_holders_)
                    for (std::int64_t g : groups_of(person)) scoped_approvers_[g].push_back(person);
            scoped_loaded_ = true;
        }
        auto it = scoped_approvers_.find(group);
        if (it != scoped_approvers_.end()) return it->second;
        if (eager_) return no_one_;
        std::vector<std::int64_t> found;
        if (!scoped_holders_.empty()) {
            std::vector<std::int64_t> members = store::group_member_ids(workspace_id_, group);
            for (std::int64_t person : members)
                if (std::binary_search(scoped_holders_.begin(), scoped_holders_.end(), person)) found.push_back(person);
        }
        return scoped_approvers_.emplace(group, std::move(found)).first->second;
    }

    const std::vector<std::int64_t>& holders_of_role(std::int64_t role_id) {
        auto it = role_holders_.find(role_id);
        if (it != role_holders_.end()) return it->second;
        std::vector<std::int64_t> found = store::role_holders(workspace_id_, role_id);
        return role_holders_.emplace(role_id, std::move(found)).first->second;
    }

    const core::GroupPath& path(std::int64_t group) {
        auto it = paths_.find(group);
        if (it != paths_.end()) return it->second;
        return paths_.emplace(group, group_paths(workspace_id_, {group}).front()).first->second;
    }

    const std::vector<std::int64_t>& groups_of(std::int64_t person) {
        auto it = person_groups_.find(person);
        if (it != person_groups_.end()) return it->second;
        return person_groups_.emplace(person, person_groups(workspace_id_, person)).first->second;
    }

private:
    std::int64_t workspace_id_ = 0;
    bool roles_loaded_ = false;
    std::unordered_map<std::int64_t, Grants> roles_;
    std::unordered_map<std::int64_t, Member> members_;
    std::unordered_map<std::int64_t, std::vector<std::int64_t>> role_holders_;
    std::unordered_map<std::int64_t, core::GroupPath> paths_;
    std::unordered_map<std::int64_t, std::vector<std::int64_t>> person_groups_;
    std::unordered_map<std::int64_t, std::vector<std::int64_t>> scoped_approvers_;  // by group
    std::vector<std::int64_t> scoped_holders_;  // sorted
    bool scoped_loaded_ = false;
    bool eager_ = false;
    const std::vector<std::int64_t> no_one_;
};

// The questions' readers. Kept: across statements and transactions, while no kept table was
// invalidated since it was built and the kept-facts lock was free at the first call of the
// running statement (boundary/kept_memo.hpp; the lock is asked once per statement and command).
// Otherwise the statement-long one: valid for one statement, one command of the transaction (a
// write in between starts over) and one workspace.
Reader& question_reader(std::int64_t workspace_id) {
    static Reader kept_reader, statement_reader;
    static KeptStamp kept;
    static StatementStamp checked, stamp;
    static bool usable = false;
    if (checked.moved_on(workspace_id)) usable = kept_facts_usable();
    if (usable) {
        if (kept.moved_on(workspace_id)) kept_reader.reset(workspace_id, true);
        return kept_reader;
    }
    if (stamp.moved_on(workspace_id)) statement_reader.reset(workspace_id);
    return statement_reader;
}

bool is_issuer(const Delegation& d, std::int64_t person_id) {
    return std::find(d.issuers.begin(), d.issuers.end(), person_id) != d.issuers.end();
}

core::ApproverFacts facts_of(Reader& reader, const Delegation& d, std::int64_t person, std::optional<bool> covers) {
    const Member& m = reader.member(person);
    core::ApproverFacts f;
    f.is_active_member = m.active;
    f.granted = m.grants.granted;
    f.group_granted = m.grants.group_granted;
    f.is_issuer = is_issuer(d, person);
    if (covers) {
        f.covers_delegation_groups = *covers;
    } else if (f.is_active_member && m.grants.group_granted.any() && !d.group_ids.empty()) {
        std::vector<core::GroupPath> targets;
        for (std::int64_t g : d.group_ids) targets.push_back(reader.path(g));
        f.covers_delegation_groups = core::within_groups(targets, reader.groups_of(person));
    }
    return f;
}

template <typename F>
auto with_reader(const Delegation& d, Reading reading, F&& body) {
    if (reading == Reading::kept) return body(question_reader(d.workspace_id));
    Reader local;
    local.reset(d.workspace_id);
    return body(local);
}

}  // namespace

// The same facts as record_facts(): membership, grants, group scope (only with group-scoped grants)
// and the capacities of the parties that are the asker or a group they are in or below.
bool asker_sees(const Delegation& d, std::int64_t asker, Reading reading) {
    return with_reader(d, reading, [&](Reader& reader) {
        const Member& m = reader.member(asker);
        core::Facts f;
        f.is_member = m.active;
        if (f.is_member) {
            f.granted = m.grants.granted;
            f.group_granted = m.grants.group_granted;
            if (f.group_granted.any() && !d.group_ids.empty() && !reader.groups_of(asker).empty()) {
                std::vector<core::GroupPath> targets;
                for (std::int64_t g : d.group_ids) targets.push_back(reader.path(g));
                f.in_group_scope = core::within_groups(targets, reader.groups_of(asker));
            }
            for (const Party& p : d.parties) {
                bool is_asker = false;
                if (p.person_id) {
                    is_asker = *p.person_id == asker;
                } else if (p.group_id && !reader.groups_of(asker).empty()) {
                    std::vector<core::GroupPath> mine;
                    for (std::int64_t g : reader.groups_of(asker)) mine.push_back(reader.path(g));
                    std::int64_t group = *p.group_id;
                    is_asker = core::within_groups(mine, std::span<const std::int64_t>(&group, 1));
                }
                if (is_asker) f.record_granted |= core::capacity_grants(p.capacity);
            }
        }
        return !core::decide(core::Verb::view, f);
    });
}

std::optional<core::Refusal> approver_refusal(const Delegation& d, std::int64_t person_id, Reading reading) {
    return with_reader(d, reading, [&](Reader& reader) {
        return core::check_approver(facts_of(reader, d, person_id, std::nullopt));
    });
}

// Holders of a role-wide approve_delegations grant, then the members of the delegation's groups
// and of every group above them whose role grants it for groups; each candidate then goes through
// the same check as a single member, with the group fact known from how they were found.
std::vector<std::int64_t> eligible_approvers(const Delegation& d, Reading reading) {
    return with_reader(d, reading, [&](Reader& reader) {
        const auto approve = static_cast<std::size_t>(core::Permission::approve_delegations);
        bool any_scoped = false;
        std::vector<std::pair<std::int64_t, bool>> candidates;  // person, found in a covering group
        for (const auto& [role_id, grants] : reader.roles()) {
            if (grants.granted.test(approve))
                for (std::int64_t person : reader.holders_of_role(role_id)) candidates.emplace_back(person, false);
            else if (grants.group_granted.test(approve))
                any_scoped = true;
        }
        if (any_scoped)
            for (std::int64_t g : d.group_ids)  // the delegation's groups and their ancestors
                for (std::int64_t covering : reader.path(g))
                    for (std::int64_t person : reader.scoped_approvers_in(covering)) candidates.emplace_back(person, true);
        // One entry per person, found in a covering group if any entry says so.
        std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
            return a.first < b.first || (a.first == b.first && a.second > b.second);
        });
        std::vector<std::int64_t> eligible;
        for (std::size_t i = 0; i < candidates.size(); i++) {
            if (i > 0 && candidates[i].first == candidates[i - 1].first) continue;
            if (!core::check_approver(facts_of(reader, d, candidates[i].first, candidates[i].second)))
                eligible.push_back(candidates[i].first);
        }
        return eligible;  // sorted, as the candidates were
    });
}

}  // namespace pg_actions::pg
