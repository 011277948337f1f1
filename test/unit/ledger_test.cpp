#include <gtest/gtest.h>

#include <vector>

#include "ledger.hpp"

namespace pg_actions::core {
namespace {

Hash filled(std::uint8_t b) {
    Hash h;
    h.fill(b);
    return h;
}

std::string leaf_bytes(const Leaf& l) {
    std::string out(1, '\x00');
    for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((static_cast<std::uint64_t>(l.action_id) >> (8 * i)) & 0xFF));
    for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>((static_cast<std::uint32_t>(l.seq) >> (8 * i)) & 0xFF));
    out.append(l.hash.begin(), l.hash.end());
    return out;
}

Hash node(const Hash& l, const Hash& r) {
    std::string b(1, '\x01');
    b.append(l.begin(), l.end());
    b.append(r.begin(), r.end());
    return sha256(b);
}

// RFC 6962, section 2.1, written recursively as the RFC states it.
Hash mth(const std::vector<Leaf>& leaves, std::size_t from, std::size_t n) {
    if (n == 0) return sha256("");
    if (n == 1) return sha256(leaf_bytes(leaves[from]));
    std::size_t k = 1;
    while (k * 2 < n) k *= 2;
    return node(mth(leaves, from, k), mth(leaves, from + k, n - k));
}

std::vector<Leaf> leaves(std::size_t n) {
    std::vector<Leaf> out;
    for (std::size_t i = 0; i < n; ++i)
        out.push_back(Leaf{static_cast<std::int64_t>(i * 3 + 1), static_cast<std::int32_t>(i % 5 + 1), filled(static_cast<std::uint8_t>(i))});
    return out;
}

TEST(Ledger, MerkleRootIsRfc6962ForEverySize) {
    for (std::size_t n = 0; n <= 33; ++n) {
        std::vector<Leaf> ls = leaves(n);
        MerkleTree tree;
        for (const Leaf& l : ls) tree.add(l);
        EXPECT_EQ(tree.size(), n);
        EXPECT_EQ(to_hex(tree.root()), to_hex(mth(ls, 0, n))) << n << " leaves";
    }
}

TEST(Ledger, RootChangesWithAnyLeaf) {
    std::vector<Leaf> ls = leaves(7);
    MerkleTree a;
    for (const Leaf& l : ls) a.add(l);
    ls[4].seq += 1;
    MerkleTree b;
    for (const Leaf& l : ls) b.add(l);
    EXPECT_NE(a.root(), b.root());
}

Seal seal(std::int64_t no, const Hash& prev) {
    Seal s;
    s.workspace_id = 4;
    s.seal_no = no;
    s.sealed_at_us = 1'000'000 * no;
    s.horizon_us = 1'000'000 * no - 500;
    s.leaf_count = 1;
    s.root = filled(static_cast<std::uint8_t>(no));
    s.prev = prev;
    return s;
}

TEST(Ledger, SealChainAcceptsItsOwnSeals) {
    Seal one = seal(1, zero_hash);
    Seal two = seal(2, seal_hash(one));
    SealChainCheck check;
    EXPECT_EQ(check.seal(one, seal_hash(one), one.root, 1), std::nullopt);
    EXPECT_EQ(check.seal(two, seal_hash(two), two.root, 1), std::nullopt);
    EXPECT_EQ(check.last_seal(), 2);
    EXPECT_EQ(check.last_horizon_us(), two.horizon_us);
    EXPECT_EQ(check_digest(4, Digest{4, 1, to_hex(seal_hash(one))}, check), std::nullopt);
    EXPECT_EQ(check_digest(4, Digest{4, 2, to_hex(seal_hash(two))}, check), std::nullopt);
}

TEST(Ledger, SealChainReportsEachKindOfRewrite) {
    Seal one = seal(1, zero_hash);
    {
        SealChainCheck check;
        Seal edited = one;
        edited.sealed_at_us += 1;
        EXPECT_EQ(check.seal(edited, seal_hash(one), one.root, 1), "seal 1 was rewritten: its hash does not match its contents");
    }
    {
        SealChainCheck check;
        EXPECT_EQ(check.seal(one, seal_hash(one), filled(9), 1),
                  "seal 1's leaves were changed: 1 found, 1 sealed, or their Merkle root differs");
    }
    {
        SealChainCheck check;
        Seal two = seal(2, seal_hash(one));
        EXPECT_EQ(check.seal(two, seal_hash(two), two.root, 1), "seal 1 is missing: the next seal stored is 2");
    }
    {
        SealChainCheck check;
        ASSERT_EQ(check.seal(one, seal_hash(one), one.root, 1), std::nullopt);
        Seal two = seal(2, filled(1));
        EXPECT_EQ(check.seal(two, seal_hash(two), two.root, 1),
                  "seal 2 does not chain to seal 1: a seal was rewritten or removed");
    }
}

TEST(Ledger, DigestsAgainstTheChain) {
    Seal one = seal(1, zero_hash);
    SealChainCheck check;
    ASSERT_EQ(check.seal(one, seal_hash(one), one.root, 1), std::nullopt);
    EXPECT_EQ(check_digest(4, Digest{4, 1, to_hex(filled(3))}, check),
              "seal 1 differs from the digest kept outside: the ledger was rewritten");
    EXPECT_EQ(check_digest(4, Digest{4, 5, to_hex(seal_hash(one))}, check),
              "seal 5 of the digest is missing: the ledger holds seals 1 to 1");
    EXPECT_EQ(check_digest(4, Digest{6, 1, to_hex(seal_hash(one))}, check), "the digest of seal 1 is of workspace 6");
    SealChainCheck empty;
    EXPECT_EQ(check_digest(4, Digest{4, 1, "x"}, empty), "seal 1 of the digest is missing: the ledger holds no seal");
}

TEST(Ledger, DigestJsonAndHex) {
    Seal one = seal(1, zero_hash);
    Hash h = seal_hash(one);
    EXPECT_EQ(digest_json(one, h), "{\"workspace_id\":4,\"seal\":1,\"hash\":\"" + to_hex(h) + "\",\"root\":\"" +
                                       to_hex(one.root) + "\",\"sealed_at\":\"2000-01-01T00:00:01.000000Z\"}");
    EXPECT_EQ(from_hex(to_hex(h)), h);
    EXPECT_EQ(from_hex("zz"), std::nullopt);
    EXPECT_EQ(from_hex(std::string(64, 'g')), std::nullopt);
}

TEST(Ledger, SealedChainMatchesOrNamesTheDifference) {
    std::vector<SealedLeaf> sealed{{1, 2, filled(2)}, {3, 4, filled(4)}};
    {
        SealedChainCheck c(9, sealed, 3, 1000);
        for (std::int32_t s = 1; s <= 5; ++s) EXPECT_EQ(c.entry(s, filled(static_cast<std::uint8_t>(s)), 2000), std::nullopt);
        EXPECT_EQ(c.finish(), std::nullopt);
    }
    {
        SealedChainCheck c(9, sealed, 3, 1000);
        EXPECT_EQ(c.entry(1, filled(1), 0), std::nullopt);
        auto b = c.entry(2, filled(7), 0);
        ASSERT_TRUE(b);
        EXPECT_EQ(b->seq, 2);
        EXPECT_EQ(b->problem, "entry differs from seal 1: the chain was rewritten after it was sealed");
    }
    {
        SealedChainCheck c(9, sealed, 3, 1000);
        for (std::int32_t s = 1; s <= 3; ++s) EXPECT_EQ(c.entry(s, filled(static_cast<std::uint8_t>(s)), 0), std::nullopt);
        auto b = c.finish();
        ASSERT_TRUE(b);
        EXPECT_EQ(b->problem, "entries were removed: seal 3 holds seq 4, the log ends at seq 3");
    }
    {
        SealedChainCheck c(9, sealed, 3, 1000);
        auto b = c.finish();
        ASSERT_TRUE(b);
        EXPECT_EQ(b->problem, "action is missing: seal 1 holds its chain up to seq 2, the log has no entry");
    }
    {
        // Past the last leaf: an entry dated before the newest seal's horizon was slipped in later.
        SealedChainCheck c(9, sealed, 3, 1000);
        for (std::int32_t s = 1; s <= 4; ++s) EXPECT_EQ(c.entry(s, filled(static_cast<std::uint8_t>(s)), 0), std::nullopt);
        auto b = c.entry(5, filled(5), 999);
        ASSERT_TRUE(b);
        EXPECT_EQ(b->problem,
                  "entry dated 2000-01-01T00:00:00.000999Z is in no seal although seal 3 covers that time: it was "
                  "inserted afterwards");
    }
    {
        // An action no seal holds yet: only its dates matter.
        SealedChainCheck c(9, {}, 3, 1000);
        EXPECT_EQ(c.entry(1, filled(1), 1000), std::nullopt);
        EXPECT_TRUE(c.entry(2, filled(2), 10));
    }
}

}  // namespace
}  // namespace pg_actions::core
