// Approver eligibility: one member at a time (is_eligible_approver, and every approval when the
// approver acts), or all of them for a delegation (eligible_approvers, the approval pool). The
// rule is core::check_approver(); this file reads the facts through the index API.
#include "eligibility.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "../core/group.hpp"
#include "actor.hpp"
#include "direct.hpp"
#include "facts.hpp"
#include "spi.hpp"

namespace core = pg_actions::core;

namespace pg_actions::pg {

Delegation load_delegation(std::int64_t record_id) {
    struct Row {
        bool hit;
        Datum values[3];
        bool nulls[3];
    };
    Row row = guard([&]() -> Row {
        Row r{};
        direct::Key key[1] = {{"record_id", F_INT8EQ, Int64GetDatum(record_id)}};
        const char* cols[3] = {"workspace_id", "kind", "group_ids"};
        r.hit = direct::lookup("record", "record_id_idx", 1, key, 3, cols, r.values, r.nulls, nullptr);
        return r;
    });
    if (!row.hit) not_found("record", record_id, "check the id of the delegation");
    Delegation d{DatumGetInt64(row.values[0]), record_id, text_of(row.values[1]), {}, {}};
    if (!row.nulls[2]) d.group_ids = int64_array(row.values[2]);
    for (const Party& p : record_parties(d.workspace_id, record_id))
        if (p.capacity == core::Capacity::issuer && p.person_id) d.issuers.push_back(*p.person_id);
    return d;
}

namespace {

bool active(const Membership& m) { return m.state && *m.state == "active"; }

bool is_issuer(const Delegation& d, std::int64_t person_id) {
    return std::find(d.issuers.begin(), d.issuers.end(), person_id) != d.issuers.end();
}

}  // namespace

core::ApproverFacts approver_facts(const Delegation& d, std::int64_t person_id) {
    Membership m = membership(d.workspace_id, person_id);
    core::ApproverFacts f;
    f.is_active_member = active(m);
    f.granted = m.granted;
    f.group_granted = m.group_granted;
    f.is_issuer = is_issuer(d, person_id);
    if (f.is_active_member && m.group_granted.any())
        f.covers_delegation_groups = in_group_scope(d.workspace_id, person_id, d.group_ids);
    return f;
}

std::optional<core::Refusal> approver_refusal(const Delegation& d, std::int64_t person_id) {
    return core::check_approver(approver_facts(d, person_id));
}

// Holders of a role-wide approve_delegations grant, then the members of the delegation's groups
// and of every group above them whose role grants it for groups; each candidate is then put to
// check_approver() like a single member would be.
std::vector<std::int64_t> eligible_approvers(const Delegation& d) {
    struct Rows {
        Datum* values;
        bool* nulls;
        int count;
    };
    Rows roles = guard([&]() -> Rows {
        direct::Key key[1] = {{"workspace_id", F_INT8EQ, Int64GetDatum(d.workspace_id)}};
        const char* cols[2] = {"role_id", "permissions"};
        Rows r{};
        r.count = direct::scan_rows("role", "role_pkey", 1, key, 2, cols, &r.values, &r.nulls);
        return r;
    });
    std::vector<std::int64_t> wide_roles;
    std::unordered_set<std::int64_t> scoped_roles;
    const auto approve = static_cast<std::size_t>(core::Permission::approve_delegations);
    for (int i = 0; i < roles.count; i++) {
        if (roles.nulls[i * 2 + 1]) continue;
        Membership grants;
        read_grants(roles.values[i * 2 + 1], grants);
        std::int64_t role_id = DatumGetInt64(roles.values[i * 2]);
        if (grants.granted.test(approve)) wide_roles.push_back(role_id);
        else if (grants.group_granted.test(approve)) scoped_roles.insert(role_id);
    }

    // person -> whether they were found in one of the groups covering the delegation
    std::unordered_map<std::int64_t, bool> candidates;
    for (std::int64_t role_id : wide_roles) {
        struct Ids {
            std::int64_t* ids;
            int count;
        };
        Ids holders = guard([&]() -> Ids {
            direct::Key keys[2] = {{"workspace_id", F_INT8EQ, Int64GetDatum(d.workspace_id)},
                                   {"role_id", F_INT8EQ, Int64GetDatum(role_id)}};
            Ids r{};
            r.count = direct::scan_int64("member", "member_role_idx", 2, keys, "person_id", &r.ids);
            return r;
        });
        for (int i = 0; i < holders.count; i++) candidates.emplace(holders.ids[i], false);
    }
    if (!scoped_roles.empty() && !d.group_ids.empty()) {
        // The delegation's groups and their ancestors: a member of any of them covers it.
        std::unordered_set<std::int64_t> covering;
        for (const core::GroupPath& path : group_paths(d.workspace_id, d.group_ids))
            covering.insert(path.begin(), path.end());
        for (std::int64_t group : covering) {
            struct Ids {
                std::int64_t* ids;
                int count;
            };
            Ids members = guard([&]() -> Ids {
                direct::Key keys[2] = {{"workspace_id", F_INT8EQ, Int64GetDatum(d.workspace_id)},
                                       {"group_id", F_INT8EQ, Int64GetDatum(group)}};
                Ids r{};
                r.count = direct::scan_int64("group_member", "group_member_group_idx", 2, keys, "person_id", &r.ids);
                return r;
            });
            for (int i = 0; i < members.count; i++) candidates[members.ids[i]] = true;
        }
    }

    // Each candidate goes through the same check as a single member, with the group fact already
    // known from how they were found.
    std::vector<std::int64_t> eligible;
    for (const auto& [person, covers] : candidates) {
        Membership m = membership(d.workspace_id, person);
        core::ApproverFacts f;
        f.is_active_member = active(m);
        f.granted = m.granted;
        f.group_granted = m.group_granted;
        f.covers_delegation_groups = covers;
        f.is_issuer = is_issuer(d, person);
        if (!core::check_approver(f)) eligible.push_back(person);
    }
    std::sort(eligible.begin(), eligible.end());
    return eligible;
}

}  // namespace pg_actions::pg
