// Actions and what hangs on them: actions.action, action_candidate, action_offer, evidence. (see action_store.hpp).
#include "pg/store/action_store.hpp"

#include "pg/boundary/spi.hpp"
#include "pg/store/direct.hpp"

namespace pg_actions::pg::store {

std::optional<ActionFactsRow> action_facts_row(std::int64_t action_id, ActionRowRead how) {
    constexpr int ncols = 12;
    struct Row {
        bool hit;
        Datum values[ncols];
        bool nulls[ncols];
    };
    Row row{};
    if (how == ActionRowRead::locked || how == ActionRowRead::locked_unless_busy) {
        static Statement locking(
            "SELECT workspace_id, status, owner_id, assignee_id, completed_by, group_ids, record_id, workflow, "
            "offered, claimed, delegated_by, delegation "
            "FROM actions.action WHERE action_id = $1 FOR UPDATE",
            {INT8OID});
        static Statement unless_locked(
            "SELECT workspace_id, status, owner_id, assignee_id, completed_by, group_ids, record_id, workflow, "
            "offered, claimed, delegated_by, delegation "
            "FROM actions.action WHERE action_id = $1 FOR UPDATE SKIP LOCKED",
            {INT8OID});
        row.hit = (how == ActionRowRead::locked ? locking : unless_locked).exec(action_id) == 1;
        for (int i = 0; row.hit && i < ncols; i++) row.values[i] = get_datum(0, i + 1, &row.nulls[i]);
    } else {
        row = guard([&]() -> Row {
            Row r{};
            direct::Key key[1] = {{"action_id", F_INT8EQ, Int64GetDatum(action_id)}};
            const char* cols[ncols] = {"workspace_id", "status",    "owner_id",  "assignee_id",
                                       "completed_by", "group_ids", "record_id", "workflow",
                                       "offered",      "claimed",   "delegated_by", "delegation"};
            r.hit = direct::lookup("action", "action_id_idx", 1, key, ncols, cols, r.values, r.nulls, nullptr,
                                   how == ActionRowRead::statement);
            return r;
        });
    }
    if (!row.hit) return std::nullopt;
    auto opt_id = [&](int i) -> std::optional<std::int64_t> {
        if (row.nulls[i]) return std::nullopt;
        return DatumGetInt64(row.values[i]);
    };
    auto opt_text = [&](int i) -> std::optional<std::string> {
        if (row.nulls[i]) return std::nullopt;
        return text_of(row.values[i]);
    };
    ActionFactsRow a;
    a.workspace_id = DatumGetInt64(row.values[0]);
    a.status = opt_text(1);
    a.owner_id = opt_id(2);
    a.assignee_id = opt_id(3);
    a.completed_by = opt_id(4);
    if (!row.nulls[5]) a.group_ids = int64_array(row.values[5]);
    a.record_id = opt_id(6);
    a.workflow = opt_text(7);
    a.offered = !row.nulls[8] && DatumGetBool(row.values[8]);
    a.claimed = !row.nulls[9] && DatumGetBool(row.values[9]);
    a.delegated_by = opt_id(10);
    a.delegation = opt_text(11);
    return a;
}

bool action_exists_now(std::int64_t action_id) {
    return guard([&]() -> bool {
        direct::Key k[1] = {{"action_id", F_INT8EQ, Int64GetDatum(action_id)}};
        return direct::lookup("action", "action_id_idx", 1, k, 0, nullptr, nullptr, nullptr, nullptr);
    });
}

std::optional<EvidenceRow> evidence_row(std::int64_t workspace_id, std::int64_t evidence_id) {
    static Statement q(
        "SELECT name, pg_catalog.encode(sha256, 'hex'), size_bytes FROM actions.evidence "
        "WHERE workspace_id = $1 AND evidence_id = $2",
        {INT8OID, INT8OID});
    if (q.exec_limit(1, workspace_id, evidence_id) == 0) return std::nullopt;
    return EvidenceRow{get_text(0, 1).value_or(""), get_text(0, 2).value_or(""), get_int64(0, 3)};
}

}  // namespace pg_actions::pg::store
