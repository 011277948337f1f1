// The ledger above the per-action chains. A seal commits to the chain heads that changed since
// the previous seal (a Merkle tree over them, RFC 6962) and chains to the previous seal, so a
// digest of the newest seal kept outside the database pins every entry sealed so far.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "log_chain.hpp"
#include "pure.hpp"

namespace pg_actions::core {

// An action's chain as a seal saw it: its newest entry.
struct Leaf {
    std::int64_t action_id = 0;
    std::int32_t seq = 0;
    Hash hash = zero_hash;
};

// RFC 6962 Merkle Tree Hash over leaves added in order (action_id ascending), with O(log n) memory:
// leaf = SHA-256(0x00 || action_id || seq || hash), node = SHA-256(0x01 || left || right).
class MerkleTree {
public:
    void add(const Leaf& leaf);
    Hash root() const;  // of the leaves so far; SHA-256 of nothing when there are none
    std::uint64_t size() const { return size_; }

private:
    std::vector<std::pair<std::uint64_t, Hash>> stack_;  // complete subtrees: (leaves, hash)
    std::uint64_t size_ = 0;
};

struct Seal {
    std::int64_t workspace_id = 0;
    std::int64_t seal_no = 0;        // 1, 2, 3 ... per workspace
    std::int64_t sealed_at_us = 0;   // microseconds since 2000-01-01 00:00 UTC
    std::int64_t horizon_us = 0;     // every entry dated before it is in this seal or an earlier one
    std::int64_t leaf_count = 0;
    Hash root = zero_hash;           // Merkle root of the seal's leaves
    Hash prev = zero_hash;           // hash of the previous seal (zero for the first)
};

Hash seal_hash(const Seal& s);

// The digest to keep outside the database: a small JSON object.
std::string digest_json(const Seal& s, const Hash& hash);

// Reads a hash written by to_hex; nullopt for anything else.
std::optional<Hash> from_hex(std::string_view hex);

// How much earlier than the oldest running transaction a seal's horizon is put: a transaction's
// start time (its first statement's) reaches pg_stat_activity a moment after it was taken.
inline constexpr std::int64_t horizon_margin_us = 1'000'000;

// Walks the seals of a workspace in order, each with the root recomputed from its stored leaves.
class SealChainCheck {
public:
    // stored: the seal row as stored; stored_hash its hash column; root_of_leaves recomputed.
    std::optional<std::string> seal(const Seal& stored, const Hash& stored_hash, const Hash& root_of_leaves,
                                    std::int64_t leaves_found);
    // The verified hash of every seal so far, by number.
    const std::map<std::int64_t, Hash>& hashes() const { return hashes_; }
    std::int64_t last_seal() const { return last_no_; }
    std::int64_t last_horizon_us() const { return last_horizon_us_; }

private:
    std::int64_t last_no_ = 0;
    Hash last_hash_ = zero_hash;
    std::int64_t last_horizon_us_ = 0;
    std::map<std::int64_t, Hash> hashes_;
};

// A digest kept outside, as the caller passed it back.
struct Digest {
    std::int64_t workspace_id = 0;
    std::int64_t seal_no = 0;
    std::string hash_hex;
};
// Whether the database still holds the sealed history the digest was taken of.
std::optional<std::string> check_digest(std::int64_t workspace_id, const Digest& d, const SealChainCheck& seals);

// A leaf as stored, with the seal that holds it.
struct SealedLeaf {
    std::int64_t seal_no = 0;
    std::int32_t seq = 0;
    Hash hash = zero_hash;
};

// One action's log entries (in seq order, after ChainCheck accepted them) against every leaf
// sealed for it: a rewritten or removed entry differs from its seal, an entry that no seal holds
// but is dated before the last seal's horizon was inserted afterwards.
class SealedChainCheck {
public:
    SealedChainCheck(std::int64_t action_id, std::vector<SealedLeaf> leaves, std::int64_t last_seal,
                     std::int64_t last_horizon_us);
    std::optional<Broken> entry(std::int32_t seq, const Hash& hash, std::int64_t at_us);
    std::optional<Broken> finish();

private:
    std::int64_t action_id_;
    std::vector<SealedLeaf> leaves_;  // by seq
    std::size_t next_ = 0;
    std::int64_t last_seal_;
    std::int64_t last_horizon_us_;
    std::int32_t last_seq_ = 0;
};

}  // namespace pg_actions::core
