// actions.verify_log(workspace_id) and actions.verify_ledger(workspace_id, digests): one walk over
// a workspace, action by action, merging sorted streams read through cursors (so a large log never
// sits in memory at once): the log entries with their chain heads, the action rows, and for the
// ledger the leaves sealed for each action. The core judges every step: the hash chain
// (ChainCheck), the row its log implies (Replay), the seals (SealedChainCheck, SealChainCheck).
#include "pg/boundary/postgres.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <vector>

#include "core/ledger.hpp"
#include "core/log_chain.hpp"
#include "core/replay.hpp"
#include "core/text.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/store/log_store.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

// The rows of a cursor as plain values, a batch at a time; SPI_tuptable is copied out before
// another cursor is read, so several streams can be merged.
template <typename Row>
class Rows {
public:
    Rows(Portal portal, std::function<Row(std::uint64_t)> read) : portal_(portal), read_(std::move(read)) {}
    const Row* peek() {
        if (next_ == batch_.size() && !done_) fill();
        return next_ < batch_.size() ? &batch_[next_] : nullptr;
    }
    void pop() { ++next_; }
    void close() {
        if (portal_) guard([&] { SPI_cursor_close(portal_); });
        portal_ = nullptr;
    }

private:
    void fill() {
        batch_.clear();
        next_ = 0;
        std::uint64_t n = guard([&]() -> std::uint64_t {
            SPI_cursor_fetch(portal_, true, 1000);
            return SPI_processed;
        });
        for (std::uint64_t i = 0; i < n; i++) batch_.push_back(read_(i));
        guard([] { SPI_freetuptable(SPI_tuptable); });
        if (n == 0) done_ = true;
    }
    Portal portal_;
    std::function<Row(std::uint64_t)> read_;
    std::vector<Row> batch_;
    std::size_t next_ = 0;
    bool done_ = false;
};

struct LogRow {
    std::int64_t action_id = 0;
    core::Entry entry;
    core::Hash prev{}, hash{};
    std::optional<core::CreatedFacts> created;
};

LogRow read_log_row(std::int64_t workspace_id, std::uint64_t i) {
    LogRow r;
    r.action_id = get_int64(i, 1);
    core::Entry& e = r.entry;
    e.workspace_id = workspace_id;
    e.action_id = r.action_id;
    e.seq = get_int32(i, 2);
    e.event = get_text(i, 3).value_or("");
    e.old_value = get_text(i, 4);
    e.new_value = get_text(i, 5);
    e.detail = get_text(i, 6);
    e.actor_id = get_opt_int64(i, 7);
    e.db_role = get_text(i, 8).value_or("");
    e.at_us = get_timestamptz(i, 9).value_or(0);
    r.prev = get_hash(i, 10);
    r.hash = get_hash(i, 11);
    if (e.event == "created") {
        core::CreatedFacts c;
        c.full = !is_null(i, 12) && get_bool(i, 12);
        c.owner_id = get_text(i, 13);
        c.type = get_text(i, 14);
        c.description = get_text(i, 15);
        c.due_at = get_text(i, 16);
        c.priority = get_text(i, 17);
        c.record_id = get_text(i, 18);
        c.group_ids = get_text(i, 19);
        c.template_ref = get_text(i, 20);
        r.created = c;
    }
    return r;
}

struct HeadRow {
    std::int64_t action_id = 0;
    std::int32_t seq = 0;
    core::Hash hash{};
};

struct ActionRow {
    std::int64_t action_id = 0;
    core::RowFacts facts;
};

ActionRow read_action_row(std::uint64_t i) {
    ActionRow r;
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
}

struct LeafRow {
    std::int64_t action_id = 0;
    core::SealedLeaf leaf;
};

struct Found {
    std::int64_t seal_no = 0;  // 0: not about a seal
    core::Broken broken;
};

// The seals of the workspace in order, each root recomputed from its stored leaves.
std::optional<Found> check_seals(std::int64_t workspace_id, core::SealChainCheck& seals) {
    static Statement seal_q(
        "SELECT seal_no, sealed_at, horizon, leaf_count, root, prev_hash, hash FROM actions.ledger_seal "
        "WHERE workspace_id = $1 ORDER BY seal_no",
        {INT8OID});
    static Statement leaf_q(
        "SELECT seal_no, action_id, seq, hash FROM actions.ledger_leaf WHERE workspace_id = $1 "
        "ORDER BY seal_no, action_id",
        {INT8OID});
    Datum args[1] = {Int64GetDatum(workspace_id)};
    struct SealRow {
        core::Seal seal;
        core::Hash hash;
    };
    Rows<SealRow> seal_rows(seal_q.open_cursor(args, nullptr), [&](std::uint64_t i) {
        SealRow r;
        r.seal.workspace_id = workspace_id;
        r.seal.seal_no = get_int64(i, 1);
        r.seal.sealed_at_us = get_timestamptz(i, 2).value_or(0);
        r.seal.horizon_us = get_timestamptz(i, 3).value_or(0);
        r.seal.leaf_count = get_int64(i, 4);
        r.seal.root = get_hash(i, 5);
        r.seal.prev = get_hash(i, 6);
        r.hash = get_hash(i, 7);
        return r;
    });
    struct SealLeaf {
        std::int64_t seal_no;
        core::Leaf leaf;
    };
    Rows<SealLeaf> leaves(leaf_q.open_cursor(args, nullptr), [](std::uint64_t i) {
        return SealLeaf{get_int64(i, 1), core::Leaf{get_int64(i, 2), get_int32(i, 3), get_hash(i, 4)}};
    });
    std::optional<Found> found;
    while (const SealRow* s = seal_rows.peek()) {
        core::MerkleTree tree;
        while (const SealLeaf* l = leaves.peek()) {
            check_for_interrupts();
            if (l->seal_no > s->seal.seal_no) break;
            if (l->seal_no < s->seal.seal_no) {
                found = Found{l->seal_no, {l->leaf.action_id, l->leaf.seq, "leaves of seal " + std::to_string(l->seal_no) + " have no seal: a seal was removed"}};
                break;
            }
            tree.add(l->leaf);
            leaves.pop();
        }
        if (found) break;
        if (auto problem = seals.seal(s->seal, s->hash, tree.root(), static_cast<std::int64_t>(tree.size()))) {
            found = Found{s->seal.seal_no, {0, 0, *problem}};
            break;
        }
        seal_rows.pop();
    }
    if (!found)
        if (const SealLeaf* l = leaves.peek())
            found = Found{l->seal_no, {l->leaf.action_id, l->leaf.seq, "leaves of seal " + std::to_string(l->seal_no) + " have no seal: a seal was removed"}};
    seal_rows.close();
    leaves.close();
    return found;
}

// What a walk found: the broken chains and seals, then the action rows that differ from their logs,
// each in the order of the actions; at most one difference per action (the first: what follows a
// break in a chain cannot be judged).
struct Differences {
    std::vector<core::Broken> chains;
    std::vector<core::Broken> rows;
    bool empty() const { return chains.empty() && rows.empty(); }
};

// Walks every action of the workspace; with seals, also against what they hold. `every`: on past
// the first difference to the last action (verify_ledger), else stop at the first (verify_log).
Differences walk(std::int64_t workspace_id, const core::SealChainCheck* seals, bool every) {
    // Each stream in its index's order: no sort, however large the workspace.
    static Statement log_q(
        "SELECT action_id, seq, event, old_value, new_value, detail::text, actor_id, db_role::text, at, "
        "prev_hash, hash, "
        "CASE WHEN event = 'created' THEN detail OPERATOR(pg_catalog.?) 'owner_id' END, "
        "CASE WHEN event = 'created' THEN detail ->> 'owner_id' END, "
        "CASE WHEN event = 'created' THEN detail ->> 'type' END, "
        "CASE WHEN event = 'created' THEN detail ->> 'description' END, "
        "CASE WHEN event = 'created' THEN detail ->> 'due_at' END, "
        "CASE WHEN event = 'created' THEN detail ->> 'priority' END, "
        "CASE WHEN event = 'created' THEN detail ->> 'record_id' END, "
        "CASE WHEN event = 'created' THEN detail ->> 'group_ids' END, "
        "CASE WHEN event = 'created' THEN (detail ->> 'template_id') || '/' || (detail ->> 'template_version') END "
        "FROM actions.activity WHERE workspace_id = $1 ORDER BY workspace_id, action_id, seq",
        {INT8OID});
    static Statement head_q(
        "SELECT action_id, seq, hash FROM actions.activity_head WHERE workspace_id = $1 "
        "ORDER BY workspace_id, action_id",
        {INT8OID});
    static Statement row_q(
        "SELECT action_id, status, title, type, priority, owner_id, assignee_id, record_id, description, "
        "due_at, group_ids::text, template_id::text || '/' || template_version::text "
        "FROM actions.action WHERE workspace_id = $1 ORDER BY action_id",
        {INT8OID});
    static Statement leaf_q(
        "SELECT action_id, seal_no, seq, hash FROM actions.ledger_leaf WHERE workspace_id = $1 "
        "ORDER BY action_id, seq",
        {INT8OID});
    Datum args[1] = {Int64GetDatum(workspace_id)};
    Rows<LogRow> log(log_q.open_cursor(args, nullptr),
                     [workspace_id](std::uint64_t i) { return read_log_row(workspace_id, i); });
    Rows<HeadRow> heads(head_q.open_cursor(args, nullptr), [](std::uint64_t i) {
        return HeadRow{get_int64(i, 1), get_int32(i, 2), get_hash(i, 3)};
    });
    Rows<ActionRow> rows(row_q.open_cursor(args, nullptr), read_action_row);
    std::optional<Rows<LeafRow>> leaves;
    if (seals)
        leaves.emplace(leaf_q.open_cursor(args, nullptr), [](std::uint64_t i) {
            return LeafRow{get_int64(i, 1), core::SealedLeaf{get_int64(i, 2), get_int32(i, 3), get_hash(i, 4)}};
        });

    Differences found;
    for (;;) {
        check_for_interrupts();
        std::optional<core::Broken> broken;
        const LogRow* l = log.peek();
        const HeadRow* h = heads.peek();
        const ActionRow* r = rows.peek();
        const LeafRow* f = leaves ? leaves->peek() : nullptr;
        if (!l && !h && !r && !f) break;
        std::int64_t id = INT64_MAX;
        if (l) id = std::min(id, l->action_id);
        if (h) id = std::min(id, h->action_id);
        if (r) id = std::min(id, r->action_id);
        if (f) id = std::min(id, f->action_id);

        std::vector<core::SealedLeaf> sealed;
        while (leaves && (f = leaves->peek()) && f->action_id == id) {
            sealed.push_back(f->leaf);
            leaves->pop();
        }
        std::optional<core::SealedChainCheck> ledger;
        if (seals) ledger.emplace(id, std::move(sealed), seals->last_seal(), seals->last_horizon_us());
        core::ChainCheck chain(id);
        core::Replay replay;
        bool any_log = false;
        std::optional<std::int32_t> head_seq;
        std::optional<core::Hash> head_hash;
        if ((h = heads.peek()) && h->action_id == id) {
            any_log = true;
            head_seq = h->seq;
            head_hash = h->hash;
            heads.pop();
        }
        while ((l = log.peek()) && l->action_id == id) {
            check_for_interrupts();
            any_log = true;
            if (!broken) broken = chain.entry(hashed_form(l->entry), l->prev, l->hash);
            if (!broken && ledger) broken = ledger->entry(l->entry.seq, l->hash, l->entry.at_us);
            replay.apply(l->entry, l->created ? &*l->created : nullptr);
            log.pop();
        }
        if (!broken && any_log) broken = chain.finish(head_seq, head_hash);
        if (!broken && ledger) broken = ledger->finish();
        std::optional<ActionRow> row;
        if ((r = rows.peek()) && r->action_id == id) {
            row = *r;
            rows.pop();
        }
        if (broken) {
            found.chains.push_back(std::move(*broken));
        } else if (auto problem = replay.differs(row ? &row->facts : nullptr)) {
            found.rows.push_back(core::Broken{id, 0, *problem});
        }
        if (!every && !found.empty()) break;
    }
    log.close();
    heads.close();
    rows.close();
    if (leaves) leaves->close();
    return found;
}

void put_row(FunctionCallInfo fcinfo, std::optional<std::int64_t> seal_no, const core::Broken& b, bool with_seal) {
    ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
    const char* p = b.problem.c_str();
    std::int64_t action_id = b.action_id;
    std::int32_t seq = b.seq;
    guard([&] {
        Datum values[4];
        bool nulls[4] = {false, false, false, false};
        int n = 0;
        if (with_seal) {
            values[n] = Int64GetDatum(seal_no.value_or(0));
            nulls[n++] = !seal_no;
        }
        values[n] = Int64GetDatum(action_id);
        nulls[n++] = action_id == 0;
        values[n] = Int32GetDatum(seq);
        nulls[n++] = seq == 0;
        values[n] = CStringGetTextDatum(p);
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    });
}

std::int64_t workspace_arg(FunctionCallInfo fcinfo) {
    if (PG_ARGISNULL(0))
        throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "workspace_id must not be null", "",
                      "pass the workspace whose log to verify");
    return PG_GETARG_INT64(0);
}

// The digests the caller kept: one JSON object or an array of them.
std::vector<core::Digest> digests_arg(FunctionCallInfo fcinfo) {
    std::vector<core::Digest> out;
    if (PG_NARGS() < 2 || PG_ARGISNULL(1)) return out;
    static Statement q(
        "SELECT (d ->> 'workspace_id')::bigint, (d ->> 'seal')::bigint, d ->> 'hash' "
        "FROM pg_catalog.jsonb_array_elements(CASE pg_catalog.jsonb_typeof($1) WHEN 'array' THEN $1 "
        "ELSE pg_catalog.jsonb_build_array($1) END) AS d",
        {JSONBOID});
    Datum args[1] = {PG_GETARG_DATUM(1)};
    std::uint64_t n = q.run(args, nullptr);
    for (std::uint64_t i = 0; i < n; i++) {
        if (is_null(i, 1) || is_null(i, 2) || is_null(i, 3))
            throw PgError(ERRCODE_INVALID_PARAMETER_VALUE, "a digest lacks workspace_id, seal or hash",
                          "each digest is the object actions.ledger_digest() returned",
                          "pass the digests exactly as they were kept, e.g. '[{\"workspace_id\": 1, \"seal\": 3, "
                          "\"hash\": \"...\"}]'");
        out.push_back(core::Digest{get_int64(i, 1), get_int64(i, 2), get_text(i, 3).value_or("")});
    }
    return out;
}

}  // namespace

extern "C" {

PG_FUNCTION_INFO_V1(pg_actions_verify_log);
Datum pg_actions_verify_log(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        std::int64_t workspace_id = workspace_arg(fcinfo);
        guard([&] { InitMaterializedSRF(fcinfo, 0); });
        SpiScope spi;
        Differences found = walk(workspace_id, nullptr, false);
        spi.finish();
        if (!found.chains.empty()) put_row(fcinfo, std::nullopt, found.chains.front(), false);
        else if (!found.rows.empty()) put_row(fcinfo, std::nullopt, found.rows.front(), false);
        return 0;
    });
}

PG_FUNCTION_INFO_V1(pg_actions_verify_ledger);
Datum pg_actions_verify_ledger(PG_FUNCTION_ARGS) {
    return entry(fcinfo, [&]() -> Datum {
        std::int64_t workspace_id = workspace_arg(fcinfo);
        guard([&] { InitMaterializedSRF(fcinfo, 0); });
        SpiScope spi;
        std::vector<core::Digest> digests = digests_arg(fcinfo);
        // Every difference, the seals first: the chain of seals (up to its first break, past which
        // nothing links), else each digest kept outside (a consistently rewritten ledger differs
        // only from them), then every action: its chain against the seals, then its row.
        core::SealChainCheck seals;
        std::vector<Found> found;
        if (auto f = check_seals(workspace_id, seals)) {
            found.push_back(*f);  // the digests name seals past the break, which cannot be judged
        } else {
            for (const core::Digest& d : digests) {
                check_for_interrupts();
                if (auto problem = core::check_digest(workspace_id, d, seals))
                    found.push_back(Found{d.seal_no, {0, 0, *problem}});
            }
        }
        Differences actions = walk(workspace_id, &seals, true);
        spi.finish();
        for (const Found& f : found)
            put_row(fcinfo, f.seal_no ? std::optional<std::int64_t>(f.seal_no) : std::nullopt, f.broken, true);
        for (const core::Broken& b : actions.chains) put_row(fcinfo, std::nullopt, b, true);
        for (const core::Broken& b : actions.rows) put_row(fcinfo, std::nullopt, b, true);
        return 0;
    });
}

}  // extern "C"
