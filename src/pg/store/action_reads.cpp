// Actions read for a decision or a check (see action_store.hpp): the facts' row by index or
// locked, whether an action exists, its evidence, and every action of a workspace for verify.
#include "pg/store/action_store.hpp"

#include "core/text.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/store/direct.hpp"
#include "pg/store/shards.hpp"

namespace pg_actions::pg::store {

std::optional<std::string> action_status_by_index(std::int64_t workspace_id, std::int64_t action_id) {
    const char* status = guard([&]() -> const char* {
        direct::Key keys[2] = {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)},
                               {"action_id", F_INT8EQ, Int64GetDatum(action_id)}};
        const char* cols[1] = {"status"};
        Datum v;
        bool null = true;
        if (!direct::lookup("action", "action_pkey", direct::of(workspace_id), 2, keys, 1, cols, &v, &null, nullptr) || null) return nullptr;
        return TextDatumGetCString(v);
    });
    if (!status) return std::nullopt;
    return std::string(status);
}
std::optional<ActionFactsRow> action_facts_row(std::int64_t action_id, ActionRowRead how) {
    constexpr int ncols = 12;
    struct Row {
        bool hit;
        Datum values[ncols];
        bool nulls[ncols];
    };
    Row row{};
    const char* cols[ncols] = {"workspace_id", "status",    "owner_id",  "assignee_id",
                               "completed_by", "group_ids", "record_id", "workflow",
                               "offered",      "claimed",   "delegated_by", "delegation"};
    const bool locking_read = how == ActionRowRead::locked || how == ActionRowRead::locked_unless_busy;
    if (locking_read && !IsolationUsesXactSnapshot()) {
        // READ COMMITTED (what the API runs in nearly always): through the index API, as the
        // statement below would, without a statement's start and end: the row locked (waiting for
        // a writer, or not: SKIP LOCKED) and read in its newest version. On Citus the workspace
        // first (an action never changes it), then the row by its primary key in that workspace's
        // local shard, under the lock Citus takes to write it.
        row = guard([&]() -> Row {
            Row r{};
            direct::Key by_id[1] = {{"action_id", F_INT8EQ, Int64GetDatum(action_id)}};
            ItemPointerData tid;
            const bool skip = how == ActionRowRead::locked_unless_busy;
            // On a single node the row is locked where the id finds it (one index scan); on Citus
            // a lock by id alone is refused (store/shards.hpp), so the workspace is found first.
            if (!shards::on_citus_worker() && !shards::on_distributed_coordinator()) {
                r.hit = direct::lock_latest("action", "action_id_idx", direct::by_id, 1, by_id, ncols, cols, r.values,
                                            r.nulls, &tid, skip);
                return r;
            }
            const char* where[1] = {"workspace_id"};
            Datum ws;
            bool null = true;
            if (!direct::lookup("action", "action_id_idx", direct::by_id, 1, by_id, 1, where, &ws, &null, nullptr) || null)
                return r;
            std::int64_t workspace_id = DatumGetInt64(ws);
            direct::Key key[2] = {{"workspace_id", F_INT8EQ, ws}, {"action_id", F_INT8EQ, Int64GetDatum(action_id)}};
            r.hit = direct::lock_latest("action", "action_pkey", direct::of(workspace_id), 2, key, ncols, cols, r.values,
                                        r.nulls, &tid, skip);
            return r;
        });
    } else if (locking_read) {
        // REPEATABLE READ and SERIALIZABLE: the statement, whose FOR UPDATE finds the row as of the
        // transaction's snapshot and fails on a row changed since.
        static Statement locking(
            "SELECT workspace_id, status, owner_id, assignee_id, completed_by, group_ids, record_id, workflow, "
            "offered, claimed, delegated_by, delegation "
            "FROM actions.action WHERE action_id = $1 /*AND workspace_id*/ FOR UPDATE",
            {INT8OID});
        static Statement unless_locked(
            "SELECT workspace_id, status, owner_id, assignee_id, completed_by, group_ids, record_id, workflow, "
            "offered, claimed, delegated_by, delegation "
            "FROM actions.action WHERE action_id = $1 /*AND workspace_id*/ FOR UPDATE SKIP LOCKED",
            {INT8OID});
        row.hit = (how == ActionRowRead::locked ? locking : unless_locked).exec(action_id) == 1;
        for (int i = 0; row.hit && i < ncols; i++) row.values[i] = get_datum(0, i + 1, &row.nulls[i]);
    } else {
        row = guard([&]() -> Row {
            Row r{};
            direct::Key key[1] = {{"action_id", F_INT8EQ, Int64GetDatum(action_id)}};
            r.hit = direct::lookup("action", "action_id_idx", direct::by_id, 1, key, ncols, cols, r.values, r.nulls, nullptr,
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

bool action_exists_now(std::int64_t workspace_id, std::int64_t action_id) {
    return guard([&]() -> bool {
        direct::Key k[2] = {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)},
                            {"action_id", F_INT8EQ, Int64GetDatum(action_id)}};
        return direct::lookup("action", "action_pkey", direct::of(workspace_id), 2, k, 0, nullptr, nullptr, nullptr,
                              nullptr);
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

RowStream<ActionReplayRow> action_facts_stream(std::int64_t workspace_id) {
    static Statement q(
        "SELECT action_id, status, title, type, priority, owner_id, assignee_id, record_id, description, "
        "due_at, group_ids::text, template_id::text || '/' || template_version::text "
        "FROM actions.action WHERE workspace_id = $1 ORDER BY action_id",
        {INT8OID});
    return RowStream<ActionReplayRow>(q.cursor(workspace_id), [](std::uint64_t i) {
        ActionReplayRow r;
        r.action_id = get_int64(i, 1);
        r.facts.status = get_text(i, 2).value_or("");
        r.facts.title = get_text(i, 3).value_or("");
        r.facts.type = get_text(i, 4).value_or("");
        r.facts.priority = get_text(i, 5).value_or("");
        r.facts.owner_id = get_opt_int64(i, 6);
        r.facts.assignee_id = get_opt_int64(i, 7);
        r.facts.record_id = get_opt_int64(i, 8);
        r.facts.description = get_text(i, 9);
        if (auto due = get_timestamptz(i, 10)) r.facts.due_at = core::iso_utc(*due);
        r.facts.group_ids = get_text(i, 11).value_or("{}");
        r.facts.template_ref = get_text(i, 12);
        return r;
    });
}

bool action_policy_columns(std::int64_t workspace_id, std::int64_t action_id, Datum* values, bool* nulls) {
    return guard([&]() -> bool {
        direct::Key k[2] = {{"workspace_id", F_INT8EQ, Int64GetDatum(workspace_id)},
                            {"action_id", F_INT8EQ, Int64GetDatum(action_id)}};
        const char* cols[7] = {"workspace_id", "action_id", "record_id", "group_ids", "assignee_id", "owner_id", "delegated_by"};
        return direct::lookup("action", "action_pkey", direct::of(workspace_id), 2, k, 7, cols, values, nulls, nullptr,
                              true);
    });
}

}  // namespace pg_actions::pg::store
