// Memberships, roles, groups, parties and approval pools as committed now (see members.hpp).
#include "pg/store/members.hpp"

#include "pg/boundary/spi.hpp"
#include "pg/store/shards.hpp"

namespace pg_actions::pg {

IndexRows index_rows(const char* table, const char* index, direct::Rows rows, std::initializer_list<direct::Key> keys,
                     std::initializer_list<const char*> cols) {
    return guard([&]() -> IndexRows {
        IndexRows r{};
        r.ncols = static_cast<int>(cols.size());
        r.count = direct::scan_rows(table, index, rows, static_cast<int>(keys.size()), keys.begin(), r.ncols, cols.begin(),
                                    &r.values, &r.nulls);
        return r;
    });
}

std::vector<std::int64_t> index_ids(const char* table, const char* index, direct::Rows rows,
                                    std::initializer_list<direct::Key> keys,
                                    const char* col) {
    struct Ids {
        std::int64_t* ids;
        int count;
    };
    Ids found = guard([&]() -> Ids {
        Ids r{};
        r.count = direct::scan_int64(table, index, rows, static_cast<int>(keys.size()), keys.begin(), col, &r.ids);
        return r;
    });
    return std::vector<std::int64_t>(found.ids, found.ids + found.count);
}

void read_grants(Datum array, Membership& m) {
    for (const std::string& code : text_array(array))
        if (auto g = core::parse_grant(code))
            (g->scope == core::Scope::all ? m.granted : m.group_granted).set(static_cast<std::size_t>(g->permission));
}

std::vector<std::int64_t> person_groups(std::int64_t workspace_id, std::int64_t person_id) {
    return index_ids("group_member", "group_member_pkey", direct::of(workspace_id),
                     {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)}, {"person_id", F_INT8EQ, Int64GetDatum(person_id)}},
                     "group_id");
}

std::vector<core::GroupPath> group_paths(std::int64_t workspace_id, const std::vector<std::int64_t>& group_ids) {
    std::vector<core::GroupPath> paths;
    for (std::int64_t id : group_ids) {
        struct Found {
            bool hit;
            Datum path;
        };
        Found f = guard([&]() -> Found {
            direct::Key keys[2] = {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)},
                                   {"group_id", F_INT8EQ, Int64GetDatum(id)}};
            const char* cols[1] = {"path"};
            Found r{};
            bool null;
            r.hit = direct::lookup("group", "group_pkey", direct::of(workspace_id), 2, keys, 1, cols, &r.path, &null, nullptr) && !null;
            return r;
        });
        if (!f.hit)
            refuse({core::RefusalKind::not_found,
                    "group " + std::to_string(id) + " not found in workspace " + std::to_string(workspace_id),
                    "actions and records belong to groups of their own workspace",
                    "list the groups in actions.group, or create one with actions.create_group()"});
        paths.push_back(int64_array(f.path));
    }
    return paths;
}

bool lock_group(std::int64_t workspace_id, std::int64_t group_id) {
    static Statement q("SELECT 1 FROM actions.group WHERE workspace_id = $1 AND group_id = $2 FOR KEY SHARE",
                       {INT8OID, INT8OID});
    Datum args[2] = {Int64GetDatum(workspace_id), Int64GetDatum(group_id)};
    return q.run(args, nullptr, 0) == 1;
}

bool in_group_scope(std::int64_t workspace_id, std::int64_t person_id, const std::vector<std::int64_t>& group_ids) {
    if (group_ids.empty()) return false;
    std::vector<std::int64_t> mine = person_groups(workspace_id, person_id);
    if (mine.empty()) return false;
    return core::within_groups(group_paths(workspace_id, group_ids), mine);
}

std::vector<Party> record_parties(std::int64_t workspace_id, std::int64_t record_id) {
    std::vector<Party> parties;
    // The person index holds person parties only; group parties come from the group index.
    for (const char* index : {"record_party_person_key", "record_party_group_key"}) {
        IndexRows r = index_rows("record_party", index, direct::of(workspace_id),
                                 {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)},
                                  {"record_id", F_INT8EQ, Int64GetDatum(record_id)}},
                                 {"capacity", "person_id", "group_id"});
        for (int i = 0; i < r.count; i++) {
            std::optional<core::Capacity> c = core::parse_capacity(text_of(r.value(i, 0)));
            if (!c) continue;
            Party p{*c, std::nullopt, std::nullopt};
            if (!r.null(i, 1)) p.person_id = DatumGetInt64(r.value(i, 1));
            if (!r.null(i, 2)) p.group_id = DatumGetInt64(r.value(i, 2));
            parties.push_back(p);
        }
    }
    return parties;
}

bool party_is(const Party& p, std::int64_t workspace_id, std::int64_t person_id,
              std::optional<std::vector<std::int64_t>>& cache) {
    if (p.person_id) return *p.person_id == person_id;
    if (!p.group_id) return false;
    if (!cache) cache = person_groups(workspace_id, person_id);
    if (cache->empty()) return false;
    // The person is in the group or in a group below it: the group is on one of their paths.
    std::int64_t group = *p.group_id;
    return core::within_groups(group_paths(workspace_id, *cache), std::span<const std::int64_t>(&group, 1));
}

core::Permissions record_grants(std::int64_t workspace_id, std::int64_t record_id, std::int64_t person_id) {
    core::Permissions out;
    std::optional<std::vector<std::int64_t>> cache;
    for (const Party& p : record_parties(workspace_id, record_id))
        if (party_is(p, workspace_id, person_id, cache)) out |= core::capacity_grants(p.capacity);
    return out;
}

bool is_candidate(std::int64_t workspace_id, std::int64_t action_id, std::int64_t person_id) {
    return guard([&]() -> bool {
        direct::Key keys[3] = {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)},
                               {"action_id", F_INT8EQ, Int64GetDatum(action_id)},
                               {"person_id", F_INT8EQ, Int64GetDatum(person_id)}};
        return direct::lookup("action_candidate", "action_candidate_pkey", direct::of(workspace_id), 3, keys, 0, nullptr, nullptr, nullptr,
                              nullptr);
    });
}

std::vector<core::OfferEntry> offer_entries(std::int64_t workspace_id, std::int64_t action_id) {
    IndexRows r = index_rows("action_offer", "action_offer_pkey", direct::of(workspace_id),
                             {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)},
                              {"action_id", F_INT8EQ, Int64GetDatum(action_id)}},
                             {"person_id", "group_id", "role_id"});
    std::vector<core::OfferEntry> out;
    constexpr core::CandidateKind kinds[3] = {core::CandidateKind::person, core::CandidateKind::group,
                                              core::CandidateKind::role};
    for (int i = 0; i < r.count; i++)
        for (int c = 0; c < 3; c++)
            if (!r.null(i, c)) out.push_back({kinds[c], DatumGetInt64(r.value(i, c))});
    return out;
}

bool is_offer_candidate(std::int64_t workspace_id, std::int64_t action_id, std::int64_t person_id,
                        std::optional<std::int64_t> role_id) {
    std::vector<core::OfferEntry> offer = offer_entries(workspace_id, action_id);
    if (offer.empty()) return false;
    std::vector<core::GroupPath> paths;
    for (const core::OfferEntry& e : offer)
        if (e.kind == core::CandidateKind::group) {
            std::vector<std::int64_t> mine = person_groups(workspace_id, person_id);
            if (!mine.empty()) paths = group_paths(workspace_id, mine);
            break;
        }
    return core::is_candidate(offer, person_id, role_id, paths);
}

// A person's membership of a workspace and the permissions of their role, read by primary key
// with the latest committed data, so a decision uses the role as it is now.
Membership membership(std::int64_t workspace_id, std::int64_t person_id, bool with_permissions) {
    struct Raw {
        bool member, has_permissions, has_role;
        Datum state, permissions, role_id;
    };
    Raw raw = guard([&]() -> Raw {
        Raw r{};
        direct::Key member_key[2] = {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)},
                                     {"person_id", F_INT8EQ, Int64GetDatum(person_id)}};
        const char* member_cols[2] = {"state", "role_id"};
        Datum values[2];
        bool nulls[2];
        r.member = direct::lookup("member", "member_pkey", direct::of(workspace_id), 2, member_key, 2, member_cols, values, nulls, nullptr);
        if (!r.member) return r;
        r.state = values[0];
        r.role_id = values[1];
        r.has_role = !nulls[1];
        if (!with_permissions) return r;
        direct::Key role_key[2] = {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)},
                                   {"role_id", F_INT8EQ, values[1]}};
        const char* role_cols[1] = {"permissions"};
        bool null;
        r.has_permissions = direct::lookup("role", "role_pkey", direct::of(workspace_id), 2, role_key, 1, role_cols, &r.permissions, &null, nullptr) &&
                            !null;
        return r;
    });
    Membership m;
    if (raw.member) m.state = text_of(raw.state);
    if (raw.member && raw.has_role) m.role_id = DatumGetInt64(raw.role_id);
    if (raw.has_permissions) read_grants(raw.permissions, m);
    return m;
}

Membership own_membership(std::int64_t workspace_id, std::int64_t person_id) {
    if (!guard([] { return shards::on_distributed_coordinator(); })) return membership(workspace_id, person_id);
    // Both tables by their distribution key: a query Citus sends to the one node holding the workspace.
    static Statement q(
        "SELECT m.state, r.permissions FROM actions.member m "
        "LEFT JOIN actions.role r ON r.workspace_id = m.workspace_id AND r.role_id = m.role_id AND r.workspace_id = $1 "
        "WHERE m.workspace_id = $1 AND m.person_id = $2",
        {INT8OID, INT8OID});
    Membership m;
    if (q.exec(workspace_id, person_id) != 1) return m;
    m.state = get_text(0, 1);
    bool null = false;
    Datum permissions = get_datum(0, 2, &null);
    if (!null) read_grants(permissions, m);
    return m;
}

namespace store {

namespace {

// Every row of `table` whose indexed column equals id: (workspace_id, column c2).
std::vector<WorkspaceRow> workspace_rows(const char* table, const char* index, const char* column, std::int64_t id,
                                         const char* c2) {
    IndexRows r = index_rows(table, index, direct::by_id, {{column, F_INT8EQ, Int64GetDatum(id)}}, {"workspace_id", c2});
    std::vector<WorkspaceRow> out;
    out.reserve(r.count);
    for (int i = 0; i < r.count; i++) out.push_back({DatumGetInt64(r.value(i, 0)), DatumGetInt64(r.value(i, 1))});
    return out;
}

}  // namespace

std::vector<PersonMembership> person_memberships(std::int64_t person_id) {
    IndexRows m = index_rows("member", "member_person_idx", direct::by_id, {{"person_id", F_INT8EQ, Int64GetDatum(person_id)}},
                             {"workspace_id", "state"});
    std::vector<PersonMembership> out;
    out.reserve(m.count);
    for (int i = 0; i < m.count; i++) out.push_back({DatumGetInt64(m.value(i, 0)), text_of(m.value(i, 1))});
    return out;
}

std::vector<WorkspaceRow> person_party_records(std::int64_t person_id) {
    return workspace_rows("record_party", "record_party_person_idx", "person_id", person_id, "record_id");
}

std::vector<std::int64_t> group_party_records(std::int64_t group_id) {
    return index_ids("record_party", "record_party_group_idx", direct::by_id, {{"group_id", F_INT8EQ, Int64GetDatum(group_id)}},
                     "record_id");
}

std::vector<WorkspaceRow> person_candidate_actions(std::int64_t person_id) {
    return workspace_rows("action_candidate", "action_candidate_person_idx", "person_id", person_id, "action_id");
}

std::vector<WorkspaceRow> person_offered_actions(std::int64_t person_id) {
    return workspace_rows("action_offer", "action_offer_person_idx", "person_id", person_id, "action_id");
}

std::vector<std::int64_t> role_offered_actions(std::int64_t workspace_id, std::int64_t role_id) {
    return index_ids("action_offer", "action_offer_role_idx", direct::of(workspace_id),
                     {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)}, {"role_id", F_INT8EQ, Int64GetDatum(role_id)}},
                     "action_id");
}

std::vector<std::int64_t> group_offered_actions(std::int64_t workspace_id, std::int64_t group_id) {
    return index_ids("action_offer", "action_offer_group_idx", direct::of(workspace_id),
                     {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)}, {"group_id", F_INT8EQ, Int64GetDatum(group_id)}},
                     "action_id");
}

}  // namespace store

namespace store {

std::vector<RoleGrants> workspace_role_grants(std::int64_t workspace_id) {
    IndexRows r = index_rows("role", "role_pkey", direct::of(workspace_id), {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)}},
                             {"role_id", "permissions"});
    std::vector<RoleGrants> out;
    for (int i = 0; i < r.count; i++) {
        Membership m;
        if (!r.null(i, 1)) read_grants(r.value(i, 1), m);
        out.push_back(RoleGrants{DatumGetInt64(r.value(i, 0)), m.granted, m.group_granted});
    }
    return out;
}

std::vector<std::int64_t> role_holders(std::int64_t workspace_id, std::int64_t role_id) {
    return index_ids("member", "member_role_idx", direct::of(workspace_id),
                     {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)}, {"role_id", F_INT8EQ, Int64GetDatum(role_id)}},
                     "person_id");
}

std::vector<std::int64_t> group_member_ids(std::int64_t workspace_id, std::int64_t group_id) {
    return index_ids("group_member", "group_member_group_idx", direct::of(workspace_id),
                     {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)}, {"group_id", F_INT8EQ, Int64GetDatum(group_id)}},
                     "person_id");
}

std::optional<RecordKindRow> record_kind_row(std::int64_t record_id) {
    struct Row {
        bool hit;
        Datum values[3];
        bool nulls[3];
    };
    Row row = guard([&]() -> Row {
        Row r{};
        direct::Key key[1] = {{"record_id", F_INT8EQ, Int64GetDatum(record_id)}};
        const char* cols[3] = {"workspace_id", "kind", "group_ids"};
        r.hit = direct::lookup("record", "record_id_idx", direct::by_id, 1, key, 3, cols, r.values, r.nulls, nullptr);
        return r;
    });
    if (!row.hit) return std::nullopt;
    RecordKindRow out{DatumGetInt64(row.values[0]), text_of(row.values[1]), {}};
    if (!row.nulls[2]) out.group_ids = int64_array(row.values[2]);
    return out;
}

std::optional<RecordStateRow> record_state_row(std::int64_t workspace_id, std::int64_t record_id) {
    struct Found {
        bool hit;
        bool archived;
        Datum groups;
        bool groups_null;
    };
    Found f = guard([&]() -> Found {
        direct::Key keys[2] = {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)},
                               {"record_id", F_INT8EQ, Int64GetDatum(record_id)}};
        const char* cols[2] = {"archived", "group_ids"};
        Datum values[2];
        bool nulls[2] = {true, true};
        bool hit = direct::lookup("record", "record_pkey", direct::of(workspace_id), 2, keys, 2, cols, values, nulls, nullptr);
        return Found{hit, hit && !nulls[0] && DatumGetBool(values[0]), values[1], nulls[1]};
    });
    if (!f.hit) return std::nullopt;
    return RecordStateRow{f.archived, f.groups_null ? std::vector<std::int64_t>{} : int64_array(f.groups)};
}

std::optional<bool> action_type_retired(std::int64_t workspace_id, const std::string& type_key) {
    Datum key = text_datum(type_key);
    struct Found {
        bool hit;
        bool retired;
    };
    Found f = guard([&]() -> Found {
        direct::Key keys[2] = {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)}, {"type_key", F_TEXTEQ, key}};
        const char* cols[1] = {"retired_at"};
        Datum v;
        bool null = true;
        if (!direct::lookup("action_type", "action_type_pkey", direct::of(workspace_id), 2, keys, 1, cols, &v, &null, nullptr))
            return Found{false, false};
        return Found{true, !null};
    });
    if (!f.hit) return std::nullopt;
    return f.retired;
}

}  // namespace store

bool action_row_exists(std::int64_t workspace_id, std::int64_t action_id) {
    return guard([&]() -> bool {
        direct::Key k[2] = {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)},
                            {"action_id", F_INT8EQ, Int64GetDatum(action_id)}};
        return direct::lookup("action", "action_pkey", direct::of(workspace_id), 2, k, 0, nullptr, nullptr, nullptr,
                              nullptr);
    });
}

}  // namespace pg_actions::pg
