// Signed text: a payload with an HMAC-SHA-256 under a server secret, as base64 (RFC 4648, padded).
// List cursors (listing.hpp) and the identity a Citus coordinator carries to its workers
// (identity.hpp) are made and checked here.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "pure.hpp"

namespace pg_actions::core {

// base64(mac + payload), mac = HMAC-SHA-256(key, payload + '\0' + bound): `bound` is what the text
// is valid for without carrying it (the filters of a list, the purpose of a token).
std::string seal(std::string_view payload, std::string_view bound, std::string_view key);

// The payload of a text seal() made with the same bound and key; nullopt for any other text
// (not base64, too short, a MAC that differs: compared in constant time) or one longer than
// max_length, which is refused unread.
std::optional<std::string> unseal(std::string_view text, std::string_view bound, std::string_view key,
                                  std::size_t max_length);

// Standard base64 with padding, as PostgreSQL's encode(..., 'base64') reads it; decode_base64
// reads only what encode_base64 writes (no line breaks, unused bits zero).
std::string encode_base64(std::string_view bytes);
std::optional<std::string> decode_base64(std::string_view text);

}  // namespace pg_actions::core
