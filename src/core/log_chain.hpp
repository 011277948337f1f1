// Canonical encoding of activity-log entries and the per-action hash chain over them.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include "pure.hpp"

namespace pg_actions::core {

using Hash = std::array<std::uint8_t, 32>;
inline constexpr Hash zero_hash{};

struct Entry {
    std::int64_t workspace_id = 0;
    std::int64_t action_id = 0;
    std::int32_t seq = 0;  // 1, 2, 3 ... per action
    std::string event;
    std::optional<std::string> old_value;
    std::optional<std::string> new_value;
    std::optional<std::string> detail;   // canonical text of the jsonb detail
    std::optional<std::int64_t> actor_id;
    std::string db_role;
    std::int64_t at_us = 0;  // microseconds since 2000-01-01 00:00 UTC
};

// Unambiguous byte encoding of every field (length-prefixed, NULL distinct from empty).
std::string canonical(const Entry& e);

Hash sha256(std::string_view bytes);
// hash of an entry = sha256(prev || canonical(entry))
Hash chain_hash(const Hash& prev, const Entry& e);

std::string to_hex(const Hash& h);

struct Broken {
    std::int64_t action_id;
    std::int32_t seq;
    std::string problem;
};

// Walks one action's entries in seq order and compares the end with the stored chain head.
class ChainCheck {
public:
    explicit ChainCheck(std::int64_t action_id);
    // An entry as stored: its fields, the prev_hash and hash columns.
    std::optional<Broken> entry(const Entry& e, const Hash& stored_prev, const Hash& stored_hash);
    // The head kept outside the log rows (nullopt when no head row exists).
    std::optional<Broken> finish(std::optional<std::int32_t> head_seq, std::optional<Hash> head_hash);

private:
    std::int64_t action_id_;
    std::int32_t last_seq_ = 0;
    Hash last_hash_ = zero_hash;
};

}  // namespace pg_actions::core
