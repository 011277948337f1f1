// Validation of caller-supplied values that no SQL type or constraint expresses.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "refusal.hpp"
#include "pure.hpp"

namespace pg_actions::core {

inline constexpr std::size_t max_title_chars = 500;
inline constexpr std::size_t max_description_chars = 20000;
inline constexpr std::size_t max_reason_chars = 2000;
inline constexpr std::size_t max_evidence_name_chars = 255;
inline constexpr std::size_t max_email_chars = 320;
inline constexpr std::size_t max_display_name_chars = 200;

// title: required, not blank, at most max_title_chars characters (UTF-8 code points).
std::optional<Refusal> check_title(std::optional<std::string_view> title);
std::optional<Refusal> check_description(std::optional<std::string_view> description);
// cancel reason: required, not blank.
std::optional<Refusal> check_reason(std::optional<std::string_view> reason);
// priority: none, low, medium, high.
std::optional<Refusal> check_priority(std::string_view priority);
// action types: core/action_type.hpp (a workspace has custom ones).
// evidence content given: a name (at most max_evidence_name_chars) is required, size at most
// limit_bytes.
std::optional<Refusal> check_evidence(std::optional<std::string_view> name, std::size_t size,
                                      std::size_t limit_bytes);

// A person's e-mail address (actions.person.email): one @ between a local part and a domain, no
// space of any kind in either, at most max_email_chars characters. Stricter than the column's
// CHECK (it also refuses Unicode spaces), so what passes here passes there.
std::optional<Refusal> check_email(std::string_view email);
// A person's display name (actions.person.display_name): not blank, at most
// max_display_name_chars characters.
std::optional<Refusal> check_display_name(std::string_view display_name);

// Number of UTF-8 code points (invalid bytes count as one each).
std::size_t utf8_length(std::string_view text);

}  // namespace pg_actions::core
