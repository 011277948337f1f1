#include <gtest/gtest.h>

#include <vector>

#include "log_chain.hpp"

namespace pg_actions::core {
namespace {

Entry entry(std::int32_t seq, std::string event) {
    Entry e;
    e.workspace_id = 1;
    e.action_id = 10;
    e.seq = seq;
    e.event = std::move(event);
    e.actor_id = 3;
    e.db_role = "app";
    e.at_us = 1000 * seq;
    return e;
}

struct Stored {
    Entry e;
    Hash prev;
    Hash hash;
};

// A log of n entries as the triggers would have written it.
std::vector<Stored> log_of(int n) {
    std::vector<Stored> out;
    Hash prev = zero_hash;
    for (int i = 1; i <= n; ++i) {
        Entry e = entry(i, i == 1 ? "created" : "title_changed");
        const Hash h = chain_hash(prev, e);
        out.push_back({e, prev, h});
        prev = h;
    }
    return out;
}

std::optional<Broken> verify(const std::vector<Stored>& rows, std::optional<std::int32_t> head_seq,
                             std::optional<Hash> head_hash) {
    ChainCheck check(10);
    for (const Stored& s : rows)
        if (auto broken = check.entry(s.e, s.prev, s.hash)) return broken;
    return check.finish(head_seq, head_hash);
}

TEST(LogChain, Sha256KnownVectors) {
    EXPECT_EQ(to_hex(sha256("abc")),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(to_hex(sha256("")),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(LogChain, CanonicalLayout) {
    Entry e = entry(2, "assigned");
    e.new_value = "7";
    EXPECT_EQ(canonical(e), "pg_actions.log.v1\n1;10;2;8:assigned;-;1:7;-;3;3:app;2000;");
}

TEST(LogChain, CanonicalNullDiffersFromEmpty) {
    Entry a = entry(1, "created");
    Entry b = a;
    b.old_value = "";
    EXPECT_NE(canonical(a), canonical(b));
    Entry c = a;
    c.actor_id.reset();
    EXPECT_NE(canonical(a), canonical(c));
    Entry d = a;
    d.detail = "";
    EXPECT_NE(canonical(b), canonical(d));  // same empty text, different field
}

TEST(LogChain, CanonicalFieldBoundaries) {
    Entry a = entry(1, "ab");
    a.old_value = "c";
    Entry b = entry(1, "a");
    b.old_value = "bc";
    EXPECT_NE(canonical(a), canonical(b));
    Entry c = entry(1, "x");
    c.old_value = "1:y;";
    Entry d = entry(1, "x");
    d.new_value = "y";
    EXPECT_NE(canonical(c), canonical(d));
}

TEST(LogChain, ChainHashDependsOnPrevAndContent) {
    const Entry e = entry(1, "created");
    Hash other = zero_hash;
    other[0] = 1;
    EXPECT_NE(chain_hash(zero_hash, e), chain_hash(other, e));
    Entry f = e;
    f.at_us += 1;
    EXPECT_NE(chain_hash(zero_hash, e), chain_hash(zero_hash, f));
    std::string bytes(zero_hash.begin(), zero_hash.end());
    EXPECT_EQ(chain_hash(zero_hash, e), sha256(bytes + canonical(e)));
}

TEST(LogChain, IntactChainVerifies) {
    const auto rows = log_of(3);
    EXPECT_FALSE(verify(rows, 3, rows.back().hash));
}

TEST(LogChain, DetectsAlteredEntry) {
    auto rows = log_of(3);
    rows[1].e.new_value = "tampered";
    const auto broken = verify(rows, 3, rows.back().hash);
    ASSERT_TRUE(broken);
    EXPECT_EQ(broken->action_id, 10);
    EXPECT_EQ(broken->seq, 2);
    EXPECT_EQ(broken->problem, "entry was altered: hash does not match its contents");
}

TEST(LogChain, DetectsRewrittenHash) {
    // Recomputing the altered entry's own hash still breaks the next entry's prev_hash.
    auto rows = log_of(3);
    rows[1].e.new_value = "tampered";
    rows[1].hash = chain_hash(rows[1].prev, rows[1].e);
    const auto broken = verify(rows, 3, rows.back().hash);
    ASSERT_TRUE(broken);
    EXPECT_EQ(broken->seq, 3);
    EXPECT_EQ(broken->problem, "prev_hash does not match the previous entry");
}

TEST(LogChain, DetectsRemovedMiddleEntry) {
    auto rows = log_of(3);
    rows.erase(rows.begin() + 1);
    const auto broken = verify(rows, 3, rows.back().hash);
    ASSERT_TRUE(broken);
    EXPECT_EQ(broken->seq, 3);
    EXPECT_EQ(broken->problem, "sequence gap: expected 2, found 3");
}

TEST(LogChain, DetectsRemovedTail) {
    const auto full = log_of(3);
    const std::vector<Stored> rows(full.begin(), full.begin() + 2);
    const auto broken = verify(rows, 3, full.back().hash);
    ASSERT_TRUE(broken);
    EXPECT_EQ(broken->seq, 3);
    EXPECT_EQ(broken->problem,
              "log ends at seq 2 but the chain head records seq 3: entries were removed");
}

TEST(LogChain, DetectsHeadBehind) {
    const auto rows = log_of(3);
    const auto broken = verify(rows, 2, rows[1].hash);
    ASSERT_TRUE(broken);
    EXPECT_EQ(broken->seq, 3);
    EXPECT_EQ(broken->problem,
              "log ends at seq 3 but the chain head records seq 2: the chain head is behind the log");
}

TEST(LogChain, DetectsMissingHead) {
    const auto rows = log_of(2);
    const auto broken = verify(rows, std::nullopt, std::nullopt);
    ASSERT_TRUE(broken);
    EXPECT_EQ(broken->seq, 2);
    EXPECT_EQ(broken->problem, "chain head is missing");
}

TEST(LogChain, DetectsHeadHashMismatch) {
    const auto rows = log_of(2);
    const auto broken = verify(rows, 2, rows[0].hash);
    ASSERT_TRUE(broken);
    EXPECT_EQ(broken->seq, 2);
    EXPECT_EQ(broken->problem, "chain head hash does not match the last entry");
}

TEST(LogChain, HexIsLowercase) {
    Hash h = zero_hash;
    h[0] = 0xAB;
    h[31] = 0x0F;
    EXPECT_EQ(to_hex(h), "ab" + std::string(60, '0') + "0f");
}

}  // namespace
}  // namespace pg_actions::core
