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
#include "pg/store/action_store.hpp"
#include "pg/store/ledger_store.hpp"
#include "pg/store/log_store.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

using store::ActionReplayRow;
using store::ActionLeafRow;
using store::LogRow;
using store::RowStream;
using store::SealLeafRow;
using store::StoredSeal;

struct Found {
    std::int64_t seal_no = 0;  // 0: not about a seal
    core::Broken broken;
};

// The seals of the workspace in order, each root recomputed from its stored leaves.
std::optional<Found> check_seals(std::int64_t workspace_id, core::SealChainCheck& seals) {
    RowStream<StoredSeal> seal_rows = store::seals_stream(workspace_id);
    RowStream<SealLeafRow> leaves = store::leaves_by_seal_stream(workspace_id);
    std::optional<Found> found;
    while (const StoredSeal* s = seal_rows.peek()) {
        core::MerkleTree tree;
        while (const SealLeafRow* l = leaves.peek()) {
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
        if (const SealLeafRow* l = leaves.peek())
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
    RowStream<LogRow> log = store::log_entries_stream(workspace_id);
    RowStream<core::Leaf> heads = store::heads_stream(workspace_id);
    RowStream<ActionReplayRow> rows = store::action_facts_stream(workspace_id);
    std::optional<RowStream<ActionLeafRow>> leaves;
    if (seals) leaves.emplace(store::leaves_by_action_stream(workspace_id));

    Differences found;
    for (;;) {
        check_for_interrupts();
        std::optional<core::Broken> broken;
        const LogRow* l = log.peek();
        const core::Leaf* h = heads.peek();
        const ActionReplayRow* r = rows.peek();
        const ActionLeafRow* f = leaves ? leaves->peek() : nullptr;
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
        std::optional<ActionReplayRow> row;
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
    for (const store::DigestFields& d : store::digest_fields(PG_GETARG_DATUM(1))) {
        if (!d.workspace_id || !d.seal_no || !d.hash_hex)
            throw PgError(ERRCODE_INVALID_PARAMETER_VALUE, "a digest lacks workspace_id, seal or hash",
                          "each digest is the object actions.ledger_digest() returned",
                          "pass the digests exactly as they were kept, e.g. '[{\"workspace_id\": 1, \"seal\": 3, "
                          "\"hash\": \"...\"}]'");
        out.push_back(core::Digest{*d.workspace_id, *d.seal_no, *d.hash_hex});
    }
    return out;
}

}  // namespace

PG_ACTIONS_FUNCTION(pg_actions_verify_log) {
    std::int64_t workspace_id = workspace_arg(fcinfo);
    guard([&] { InitMaterializedSRF(fcinfo, 0); });
    SpiScope spi;
    Differences found = walk(workspace_id, nullptr, false);
    spi.finish();
    if (!found.chains.empty()) put_row(fcinfo, std::nullopt, found.chains.front(), false);
    else if (!found.rows.empty()) put_row(fcinfo, std::nullopt, found.rows.front(), false);
    return 0;
}

PG_ACTIONS_FUNCTION(pg_actions_verify_ledger) {
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
}
