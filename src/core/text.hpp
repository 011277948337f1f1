// Small text helpers shared by the core: timestamps and links.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include "pure.hpp"

namespace pg_actions::core {

// 2026-11-23T07:14:48.123456Z for microseconds since 2000-01-01 00:00 UTC.
std::string iso_utc(std::int64_t us_since_2000);

// Replace {workspace_id} and {action_id} in the workspace's action URL template.
std::string action_link(std::string_view url_template, std::int64_t workspace_id,
                        std::int64_t action_id);

// A JSON string literal (with quotes) for text.
std::string json_string(std::string_view text);

}  // namespace pg_actions::core
