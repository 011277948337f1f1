// The ledger: actions.ledger_seal, ledger_leaf, verify_run. (see ledger_store.hpp).
#include "pg/store/ledger_store.hpp"

extern "C" {
#include "catalog/namespace.h"
#include "catalog/pg_am_d.h"
#include "optimizer/plancat.h"
}

#include <algorithm>
#include <cstring>

#include "pg/boundary/spi.hpp"
#include "pg/store/log_store.hpp"

namespace pg_actions::pg::store {

namespace {

StoredSeal read_seal(std::int64_t workspace_id, std::uint64_t i) {
    StoredSeal s;
    s.seal.workspace_id = workspace_id;
    s.seal.seal_no = get_int64(i, 1);
    s.seal.sealed_at_us = get_timestamptz(i, 2).value_or(0);
    s.seal.horizon_us = get_timestamptz(i, 3).value_or(0);
    s.seal.leaf_count = get_int64(i, 4);
    s.seal.root = get_hash(i, 5);
    s.seal.prev = get_hash(i, 6);
    s.hash = get_hash(i, 7);
    return s;
}

core::Leaf read_leaf(std::uint64_t i) { return core::Leaf{get_int64(i, 1), get_int32(i, 2), get_hash(i, 3)}; }

SqlArg hash_arg(const core::Hash& h) {
    return sql_datum(guard([&]() -> Datum { return hash_datum(h); }));
}

// While a seal's read of the log is planned (LogReadByTime): the planner is shown, of the log's
// indexes, its BRIN index on `at` alone, and no sequential scan. Left to itself, it reads the log
// through the primary key wherever its statistics make the workspace look small next to the
// window (a BitmapAnd of both indexes, or the key alone): every entry the workspace ever wrote,
// at every seal; or the whole table by a sequential scan when they are stale.
bool planning_log_by_time = false;
get_relation_info_hook_type previous_relation_info = nullptr;

// actions.activity, or a Citus shard of it on this node (actions.activity_<shard id>).
bool is_log(Oid relid) {
    Oid schema = get_namespace_oid("actions", true);
    if (!OidIsValid(schema) || get_rel_namespace(relid) != schema) return false;
    char* name = get_rel_name(relid);
    if (name == nullptr || strncmp(name, "activity", 8) != 0) return false;
    const char* rest = name + 8;
    if (*rest == '\0') return true;
    if (*rest++ != '_' || *rest == '\0') return false;
    for (; *rest; rest++)
        if (*rest < '0' || *rest > '9') return false;
    return true;
}

// A planner hook (get_relation_info_hook), called by PostgreSQL's C code: nothing here throws.
void log_by_time_only(PlannerInfo* root, Oid relid, bool inhparent, RelOptInfo* rel) {
    if (previous_relation_info) previous_relation_info(root, relid, inhparent, rel);
    if (!planning_log_by_time || !is_log(relid)) return;
    List* brin = NIL;
    ListCell* lc;
    foreach (lc, rel->indexlist) {
        IndexOptInfo* index = static_cast<IndexOptInfo*>(lfirst(lc));
        if (index->relam == BRIN_AM_OID) brin = lappend(brin, index);
    }
    // Without it (dropped by hand) the planner keeps every index: the key beats a sequential scan.
    if (brin != NIL) rel->indexlist = brin;
}

// The planning of one statement of a seal under those rules. done() ends them once the cursor is
// open (its plan made); on an error the flag is reset here and the setting by the (sub)transaction's
// abort, as for a function's SET clause.
class LogReadByTime : Uncopyable {
public:
    LogReadByTime() {
        level_ = guard([] {
            int level = NewGUCNestLevel();
            (void)set_config_option("enable_seqscan", "off", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0,
                                    false);
            return level;
        });
        planning_log_by_time = true;
    }
    void done() {
        planning_log_by_time = false;
        int level = level_;
        guard([level] { AtEOXact_GUC(true, level); });
    }
    ~LogReadByTime() { planning_log_by_time = false; }

private:
    int level_;
};

}  // namespace

void install_log_planning() {
    previous_relation_info = get_relation_info_hook;
    get_relation_info_hook = log_by_time_only;
}

std::optional<StoredSeal> newest_seal(std::int64_t workspace_id) {
    static Statement q(
        "SELECT seal_no, sealed_at, horizon, leaf_count, root, prev_hash, hash FROM actions.ledger_seal "
        "WHERE workspace_id = $1 ORDER BY seal_no DESC LIMIT 1",
        {INT8OID});
    if (q.exec_limit(1, workspace_id) == 0) return std::nullopt;
    return read_seal(workspace_id, 0);
}

bool workspace_exists(std::int64_t workspace_id) {
    static Statement q("SELECT 1 FROM actions.workspace WHERE workspace_id = $1", {INT8OID});
    return q.exec_limit(1, workspace_id) != 0;
}

std::vector<std::int64_t> all_workspace_ids() {
    static Statement q("SELECT workspace_id FROM actions.workspace WHERE true /*AND workspace_id*/ ORDER BY workspace_id", {});
    std::uint64_t n = q.exec();
    std::vector<std::int64_t> ids;
    for (std::uint64_t i = 0; i < n; i++) ids.push_back(get_int64(i, 1));
    return ids;
}

void lock_sealer(std::int64_t workspace_id) {
    static Statement q("SELECT pg_catalog.pg_advisory_xact_lock(1885430113, ($1 % 2147483647)::integer)", {INT8OID});
    q.exec(workspace_id);
}

SealClock seal_clock(std::int64_t margin_us) {
    static Statement q(
        "SELECT CASE WHEN EXISTS (SELECT FROM pg_catalog.pg_prepared_xacts) THEN NULL ELSE "
        "LEAST(pg_catalog.now(), (SELECT pg_catalog.min(xact_start) FROM pg_catalog.pg_stat_activity)) "
        "- $1 * interval '1 microsecond' END, pg_catalog.now()",
        {INT8OID});
    q.exec_limit(1, margin_us);
    return SealClock{get_timestamptz(0, 1), get_timestamptz(0, 2).value_or(0)};
}

void insert_seal(const core::Seal& s, const core::Hash& hash) {
    static Statement q(
        "INSERT INTO actions.ledger_seal (workspace_id, seal_no, sealed_at, horizon, leaf_count, root, "
        "prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        {INT8OID, INT8OID, TIMESTAMPTZOID, TIMESTAMPTZOID, INT8OID, BYTEAOID, BYTEAOID, BYTEAOID});
    q.exec(s.workspace_id, s.seal_no, s.sealed_at_us, s.horizon_us, s.leaf_count, hash_arg(s.root),
           hash_arg(s.prev), hash_arg(hash));
}

std::vector<DigestFields> digest_fields(Datum digests_jsonb) {
    static Statement q(
        "SELECT (d ->> 'workspace_id')::bigint, (d ->> 'seal')::bigint, d ->> 'hash' "
        "FROM pg_catalog.jsonb_array_elements(CASE pg_catalog.jsonb_typeof($1) WHEN 'array' THEN $1 "
        "ELSE pg_catalog.jsonb_build_array($1) END) AS d",
        {JSONBOID});
    std::uint64_t n = q.exec(sql_datum(digests_jsonb));
    std::vector<DigestFields> out;
    for (std::uint64_t i = 0; i < n; i++) out.push_back(DigestFields{get_opt_int64(i, 1), get_opt_int64(i, 2), get_text(i, 3)});
    return out;
}

RowStream<core::Leaf> moved_chain_stream(std::int64_t workspace_id, std::int64_t since_us) {
    // A block range the BRIN index has not summarized is returned by every scan, so the full ranges
    // are summarized here, newest first, until one already is (a vacuum summarizes them too). Never
    // the last, partial range the writers are appending to: once summarized, every insert into it
    // would rewrite its summary under an exclusive lock on the index page (on a 2-client load with
    // a seal every second that cost writers 8-40 us of CPU a transaction); left alone, an insert
    // only finds it unsummarized. The seal reads that range whole: at most pages_per_range pages.
    static Statement last_full(
        "SELECT i::oid::bigint, (pg_catalog.pg_relation_size(x.indrelid) / pg_catalog.current_setting('block_size')::bigint) "
        "/ r.ppr * r.ppr - r.ppr, r.ppr "
        "FROM pg_catalog.to_regclass('actions.activity_at_idx') i "
        "JOIN pg_catalog.pg_index x ON x.indexrelid = i "
        "JOIN pg_catalog.pg_class c ON c.oid = i "
        "CROSS JOIN LATERAL (SELECT coalesce((SELECT o.option_value::bigint FROM pg_catalog.pg_options_to_table(c.reloptions) o "
        "WHERE o.option_name = 'pages_per_range'), 128) AS ppr) r",
        {});
    static Statement summarize("SELECT pg_catalog.brin_summarize_range($1::oid::regclass, $2)", {INT8OID, INT8OID});
    if (last_full.exec_limit(1) != 0) {
        const std::int64_t index = get_int64(0, 1), step = get_int64(0, 3);
        for (std::int64_t block = get_int64(0, 2); block >= 0; block -= step) {
            check_for_interrupts();
            summarize.exec(index, block);
            if (get_int64(0, 1) == 0) break;
        }
    }
    static Statement q(
        "SELECT DISTINCT ON (action_id) action_id, seq, hash FROM actions.activity "
        "WHERE workspace_id = $1 AND at >= $2 ORDER BY action_id, seq DESC",
        {INT8OID, TIMESTAMPTZOID});
    LogReadByTime by_time;
    Portal portal = q.cursor(workspace_id, since_us);
    by_time.done();
    return RowStream<core::Leaf>(portal, read_leaf);
}

std::unordered_map<std::int64_t, std::int32_t> heads_held_since(std::int64_t workspace_id, std::int64_t since_us) {
    // read_until grows with seal_no: the seals after the newest that read before since_us.
    static Statement q(
        "SELECT f.action_ids, f.seqs FROM actions.ledger_leaf f "
        "WHERE f.workspace_id = $1 AND f.seal_no > coalesce((SELECT b.seal_no FROM actions.ledger_leaf b "
        "WHERE b.workspace_id = $1 AND b.read_until < $2 ORDER BY b.seal_no DESC LIMIT 1), 0)",
        {INT8OID, TIMESTAMPTZOID});
    std::unordered_map<std::int64_t, std::int32_t> held;
    // Each row's arrays read as they are (no row per leaf); a pair with a NULL is skipped.
    RowStream<std::vector<HeldLeaf>> rows(q.cursor(workspace_id, since_us), [](std::uint64_t i) {
        bool ids_null = false, seqs_null = false;
        Datum ids = get_datum(i, 1, &ids_null);
        Datum seqs = get_datum(i, 2, &seqs_null);
        std::vector<HeldLeaf> out;
        if (ids_null || seqs_null) return out;
        guard([&] {
            Datum *iv, *sv;
            bool *in, *sn;
            int ic, sc;
            deconstruct_array(DatumGetArrayTypeP(ids), INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &iv,
                              &in, &ic);
            deconstruct_array(DatumGetArrayTypeP(seqs), INT4OID, sizeof(int32), true, TYPALIGN_INT, &sv, &sn, &sc);
            for (int k = 0; k < ic && k < sc; k++)
                if (!in[k] && !sn[k]) out.push_back(HeldLeaf{DatumGetInt64(iv[k]), DatumGetInt32(sv[k])});
            pfree(iv);
            pfree(in);
            pfree(sv);
            pfree(sn);
        });
        return out;
    });
    while (const std::vector<HeldLeaf>* leaves = rows.peek()) {
        check_for_interrupts();
        for (const HeldLeaf& h : *leaves) {
            std::int32_t& seq = held[h.action_id];
            seq = std::max(seq, h.seq);
        }
        rows.pop();
    }
    rows.close();
    return held;
}

void insert_leaf_chunk(std::int64_t workspace_id, std::int64_t seal_no, std::int32_t chunk,
                       const std::vector<core::Leaf>& leaves, std::int64_t read_until_us) {
    static Statement q(
        "INSERT INTO actions.ledger_leaf (workspace_id, seal_no, chunk, action_ids, seqs, hashes, read_until) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {INT8OID, INT8OID, INT4OID, INT8ARRAYOID, INT4ARRAYOID, BYTEAARRAYOID, TIMESTAMPTZOID});
    int n = static_cast<int>(leaves.size());
    std::vector<std::int64_t> ids;
    ids.reserve(leaves.size());
    for (const core::Leaf& l : leaves) ids.push_back(l.action_id);
    Datum id_array = int64_array_datum(ids);
    const core::Leaf* data = leaves.data();
    Datum seq_array = guard([&]() -> Datum {
        Datum* elems = static_cast<Datum*>(palloc(sizeof(Datum) * (n > 0 ? n : 1)));
        for (int i = 0; i < n; i++) elems[i] = Int32GetDatum(data[i].seq);
        return PointerGetDatum(construct_array(elems, n, INT4OID, sizeof(int32), true, TYPALIGN_INT));
    });
    Datum hash_array = guard([&]() -> Datum {
        Datum* elems = static_cast<Datum*>(palloc(sizeof(Datum) * (n > 0 ? n : 1)));
        for (int i = 0; i < n; i++) elems[i] = hash_datum(data[i].hash);
        return PointerGetDatum(construct_array(elems, n, BYTEAOID, -1, false, TYPALIGN_INT));
    });
    q.exec(workspace_id, seal_no, chunk, sql_datum(id_array), sql_datum(seq_array), sql_datum(hash_array),
           read_until_us);
}

RowStream<StoredSeal> seals_stream(std::int64_t workspace_id) {
    static Statement q(
        "SELECT seal_no, sealed_at, horizon, leaf_count, root, prev_hash, hash FROM actions.ledger_seal "
        "WHERE workspace_id = $1 ORDER BY seal_no",
        {INT8OID});
    return RowStream<StoredSeal>(q.cursor(workspace_id),
                                 [workspace_id](std::uint64_t i) { return read_seal(workspace_id, i); });
}

RowStream<SealLeafRow> leaves_by_seal_stream(std::int64_t workspace_id) {
    static Statement q(
        "SELECT f.seal_no, u.action_id, u.seq, u.hash FROM actions.ledger_leaf f "
        "CROSS JOIN LATERAL ROWS FROM (pg_catalog.unnest(f.action_ids), pg_catalog.unnest(f.seqs), pg_catalog.unnest(f.hashes)) WITH ORDINALITY AS u(action_id, seq, hash, n) "
        "WHERE f.workspace_id = $1 ORDER BY f.seal_no, f.chunk, u.n",
        {INT8OID});
    return RowStream<SealLeafRow>(q.cursor(workspace_id), [](std::uint64_t i) {
        return SealLeafRow{get_int64(i, 1), core::Leaf{get_int64(i, 2), get_int32(i, 3), get_hash(i, 4)}};
    });
}

RowStream<ActionLeafRow> leaves_by_action_stream(std::int64_t workspace_id) {
    static Statement q(
        "SELECT u.action_id, f.seal_no, u.seq, u.hash FROM actions.ledger_leaf f "
        "CROSS JOIN LATERAL ROWS FROM (pg_catalog.unnest(f.action_ids), pg_catalog.unnest(f.seqs), pg_catalog.unnest(f.hashes)) AS u(action_id, seq, hash) "
        "WHERE f.workspace_id = $1 ORDER BY u.action_id, u.seq",
        {INT8OID});
    return RowStream<ActionLeafRow>(q.cursor(workspace_id), [](std::uint64_t i) {
        return ActionLeafRow{get_int64(i, 1), core::SealedLeaf{get_int64(i, 2), get_int32(i, 3), get_hash(i, 4)}};
    });
}

}  // namespace pg_actions::pg::store
