#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "text.hpp"

namespace pg_actions::core {
namespace {

constexpr std::int64_t second_us = 1'000'000;
constexpr std::int64_t day_us = 86'400 * second_us;

TEST(Text, IsoUtcEpochAndNeighbours) {
    EXPECT_EQ(iso_utc(0), "2000-01-01T00:00:00.000000Z");
    EXPECT_EQ(iso_utc(1), "2000-01-01T00:00:00.000001Z");
    EXPECT_EQ(iso_utc(-1), "1999-12-31T23:59:59.999999Z");
    EXPECT_EQ(iso_utc(-day_us), "1999-12-31T00:00:00.000000Z");
}

TEST(Text, IsoUtc2026) {
    // 2026-11-23 is day 9823 after 2000-01-01 (26 years with 7 leap days, then 326 days).
    const std::int64_t us = 9823 * day_us + (7 * 3600 + 14 * 60 + 48) * second_us + 123456;
    EXPECT_EQ(iso_utc(us), "2026-11-23T07:14:48.123456Z");
}

TEST(Text, IsoUtcLeapDaysAndFarDates) {
    EXPECT_EQ(iso_utc(59 * day_us), "2000-02-29T00:00:00.000000Z");
    EXPECT_EQ(iso_utc(-946'684'800 * second_us), "1970-01-01T00:00:00.000000Z");
    // 146097 days = 400 years, beyond what std::chrono::year holds when repeated often enough.
    EXPECT_EQ(iso_utc(146'097 * 200 * day_us), "+82000-01-01T00:00:00.000000Z");
    EXPECT_EQ(iso_utc(-146'097 * 5 * day_us), "0000-01-01T00:00:00.000000Z");
    EXPECT_EQ(iso_utc(std::numeric_limits<std::int64_t>::max()), "infinity");
    EXPECT_EQ(iso_utc(std::numeric_limits<std::int64_t>::min()), "-infinity");
}

TEST(Text, ActionLink) {
    EXPECT_EQ(action_link("https://x.example/w/{workspace_id}/a/{action_id}?again={action_id}", 12, 345),
              "https://x.example/w/12/a/345?again=345");
    EXPECT_EQ(action_link("no placeholders", 1, 2), "no placeholders");
    EXPECT_EQ(action_link("{action_id", 1, 2), "{action_id");
    EXPECT_EQ(action_link("", 1, 2), "");
}

TEST(Text, JsonString) {
    EXPECT_EQ(json_string(""), "\"\"");
    EXPECT_EQ(json_string("plain"), "\"plain\"");
    EXPECT_EQ(json_string("say \"hi\" \\ bye"), "\"say \\\"hi\\\" \\\\ bye\"");
    EXPECT_EQ(json_string("a\nb\tc\r"), "\"a\\nb\\tc\\r\"");
    EXPECT_EQ(json_string(std::string("\x01\x1f", 2)), "\"\\u0001\\u001f\"");
    EXPECT_EQ(json_string("caf\xC3\xA9 \xE2\x82\xAC"), "\"caf\xC3\xA9 \xE2\x82\xAC\"");
}

}  // namespace
}  // namespace pg_actions::core
