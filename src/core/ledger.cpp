// Seals, their Merkle roots and the checks of the ledger (see ledger.hpp).
#include "ledger.hpp"

#include "text.hpp"

namespace pg_actions::core {

namespace {

void put_be(std::string& out, std::uint64_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

void put_hash(std::string& out, const Hash& h) { out.append(h.begin(), h.end()); }

Hash node(const Hash& left, const Hash& right) {
    std::string bytes(1, '\x01');
    put_hash(bytes, left);
    put_hash(bytes, right);
    return sha256(bytes);
}

std::string seal_name(std::int64_t no) { return "seal " + std::to_string(no); }

}  // namespace

void MerkleTree::add(const Leaf& leaf) {
    std::string bytes(1, '\x00');
    put_be(bytes, static_cast<std::uint64_t>(leaf.action_id), 8);
    put_be(bytes, static_cast<std::uint32_t>(leaf.seq), 4);
    put_hash(bytes, leaf.hash);
    stack_.emplace_back(1, sha256(bytes));
    ++size_;
    // Two complete subtrees of the same size become one: the stack mirrors size_'s binary digits.
    while (stack_.size() >= 2 && stack_[stack_.size() - 2].first == stack_.back().first) {
        auto right = stack_.back();
        stack_.pop_back();
        stack_.back() = {stack_.back().first * 2, node(stack_.back().second, right.second)};
    }
}

Hash MerkleTree::root() const {
    if (stack_.empty()) return sha256("");
    // RFC 6962 splits at the largest power of two: the smaller subtrees on the right join first.
    Hash r = stack_.back().second;
    for (std::size_t i = stack_.size() - 1; i-- > 0;) r = node(stack_[i].second, r);
    return r;
}

Hash seal_hash(const Seal& s) {
    std::string bytes = "pg_actions.seal.v1\n";
    put_be(bytes, static_cast<std::uint64_t>(s.workspace_id), 8);
    put_be(bytes, static_cast<std::uint64_t>(s.seal_no), 8);
    put_be(bytes, static_cast<std::uint64_t>(s.sealed_at_us), 8);
    put_be(bytes, static_cast<std::uint64_t>(s.horizon_us), 8);
    put_be(bytes, static_cast<std::uint64_t>(s.leaf_count), 8);
    put_hash(bytes, s.root);
    put_hash(bytes, s.prev);
    return sha256(bytes);
}

std::string digest_json(const Seal& s, const Hash& hash) {
    return "{\"workspace_id\":" + std::to_string(s.workspace_id) + ",\"seal\":" + std::to_string(s.seal_no) +
           ",\"hash\":" + json_string(to_hex(hash)) + ",\"root\":" + json_string(to_hex(s.root)) +
           ",\"sealed_at\":" + json_string(iso_utc(s.sealed_at_us)) + "}";
}

std::optional<Hash> from_hex(std::string_view hex) {
    Hash h{};
    if (hex.size() != h.size() * 2) return std::nullopt;
    auto digit = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < h.size(); ++i) {
        int hi = digit(hex[2 * i]), lo = digit(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        h[i] = static_cast<std::uint8_t>(hi * 16 + lo);
    }
    return h;
}

std::optional<std::string> SealChainCheck::seal(const Seal& stored, const Hash& stored_hash,
                                                const Hash& root_of_leaves, std::int64_t leaves_found) {
    const std::string name = seal_name(stored.seal_no);
    if (stored.seal_no != last_no_ + 1)
        return seal_name(last_no_ + 1) + " is missing: the next seal stored is " + std::to_string(stored.seal_no);
    if (stored.prev != last_hash_)
        return name + " does not chain to " + seal_name(last_no_) + ": a seal was rewritten or removed";
    if (leaves_found != stored.leaf_count || root_of_leaves != stored.root)
        return name + "'s leaves were changed: " + std::to_string(leaves_found) + " found, " +
               std::to_string(stored.leaf_count) + " sealed, or their Merkle root differs";
    if (seal_hash(stored) != stored_hash) return name + " was rewritten: its hash does not match its contents";
    last_no_ = stored.seal_no;
    last_hash_ = stored_hash;
    last_horizon_us_ = stored.horizon_us;
    hashes_[stored.seal_no] = stored_hash;
    return std::nullopt;
}

std::optional<std::string> check_digest(std::int64_t workspace_id, const Digest& d, const SealChainCheck& seals) {
    if (d.workspace_id != workspace_id)
        return "the digest of " + seal_name(d.seal_no) + " is of workspace " + std::to_string(d.workspace_id);
    auto it = seals.hashes().find(d.seal_no);
    if (it == seals.hashes().end())
        return seal_name(d.seal_no) + " of the digest is missing: the ledger holds " +
               (seals.last_seal() == 0 ? std::string("no seal") : "seals 1 to " + std::to_string(seals.last_seal()));
    if (to_hex(it->second) != d.hash_hex)
        return seal_name(d.seal_no) + " differs from the digest kept outside: the ledger was rewritten";
    return std::nullopt;
}

SealedChainCheck::SealedChainCheck(std::int64_t action_id, std::vector<SealedLeaf> leaves, std::int64_t last_seal,
                                   std::int64_t last_horizon_us)
    : action_id_(action_id), leaves_(std::move(leaves)), last_seal_(last_seal), last_horizon_us_(last_horizon_us) {}

std::optional<Broken> SealedChainCheck::entry(std::int32_t seq, const Hash& hash, std::int64_t at_us) {
    last_seq_ = seq;
    if (next_ < leaves_.size() && leaves_[next_].seq == seq) {
        const SealedLeaf& leaf = leaves_[next_++];
        if (leaf.hash != hash)
            return Broken{action_id_, seq,
                          "entry differs from " + seal_name(leaf.seal_no) +
                              ": the chain was rewritten after it was sealed"};
        return std::nullopt;
    }
    if (next_ == leaves_.size() && last_seal_ > 0 && at_us < last_horizon_us_)
        return Broken{action_id_, seq,
                      "entry dated " + iso_utc(at_us) + " is in no seal although " + seal_name(last_seal_) +
                          " covers that time: it was inserted afterwards"};
    return std::nullopt;
}

std::optional<Broken> SealedChainCheck::finish() {
    if (next_ == leaves_.size()) return std::nullopt;
    const SealedLeaf& leaf = leaves_[next_];
    if (last_seq_ == 0)
        return Broken{action_id_, leaf.seq,
                      "action is missing: " + seal_name(leaf.seal_no) + " holds its chain up to seq " +
                          std::to_string(leaf.seq) + ", the log has no entry"};
    return Broken{action_id_, leaf.seq,
                  "entries were removed: " + seal_name(leaf.seal_no) + " holds seq " + std::to_string(leaf.seq) +
                      ", the log ends at seq " + std::to_string(last_seq_)};
}

}  // namespace pg_actions::core
