#include <gtest/gtest.h>

#include <string>

#include "input.hpp"

namespace pg_actions::core {
namespace {

std::string repeat(std::string_view unit, std::size_t times) {
    std::string out;
    for (std::size_t i = 0; i < times; ++i) out += unit;
    return out;
}

const std::string e_acute = "\xC3\xA9";         // é, 2 bytes
const std::string euro = "\xE2\x82\xAC";        // €, 3 bytes
const std::string grinning = "\xF0\x9F\x98\x80";  // 😀, 4 bytes

TEST(Input, Utf8Length) {
    EXPECT_EQ(utf8_length(""), 0u);
    EXPECT_EQ(utf8_length("abc"), 3u);
    EXPECT_EQ(utf8_length(e_acute + euro + grinning), 3u);
    EXPECT_EQ(utf8_length("a" + grinning + "b"), 3u);
    // A stray continuation byte and a truncated sequence each count as one character.
    EXPECT_EQ(utf8_length("\x80"), 1u);
    EXPECT_EQ(utf8_length("a\xE2\x82"), 2u);
}

TEST(Input, Email) {
    EXPECT_FALSE(check_email("ann@example.com"));
    EXPECT_FALSE(check_email("a@b"));
    for (std::string bad : {"", "ann", "@example.com", "ann@", "ann@@example.com", "a@b@c", "ann @example.com",
                            "ann@example.com\n", "ann\t@example.com"}) {
        auto r = check_email(bad);
        ASSERT_TRUE(r) << bad;
        EXPECT_EQ(r->kind, RefusalKind::invalid_value);
        EXPECT_EQ(r->message, "invalid value for email: \"" + bad + "\"");
        EXPECT_NE(r->detail.find("one @ between a local part and a domain"), std::string::npos);
    }
    // Unicode spaces too (the column's CHECK may count them as spaces under the server's locale).
    EXPECT_TRUE(check_email("ann\xC2\xA0x@example.com"));
    EXPECT_TRUE(check_email("ann@example\xE3\x80\x80.com"));
    EXPECT_FALSE(check_email("ren" + e_acute + "@example.com"));
    // 320 characters, not bytes.
    EXPECT_FALSE(check_email(repeat(e_acute, 308) + "@example.com"));
    auto r = check_email(repeat("a", 309) + "@example.com");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->message, "email is too long");
    EXPECT_EQ(r->detail, "the email has 321 characters; the limit is 320");
}

TEST(Input, DisplayName) {
    EXPECT_FALSE(check_display_name("Ann"));
    EXPECT_EQ(check_display_name("")->message, "display_name must not be blank");
    EXPECT_EQ(check_display_name(" \t")->message, "display_name must not be blank");
    EXPECT_FALSE(check_display_name(repeat(euro, 200)));
    EXPECT_EQ(check_display_name(repeat("x", 201))->message, "display_name is too long");
}

TEST(Input, TitleRequired) {
    for (const auto& title : {std::optional<std::string_view>{}, std::optional<std::string_view>{""},
                              std::optional<std::string_view>{" \t\n "}}) {
        const auto r = check_title(title);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->kind, RefusalKind::invalid_value);
        EXPECT_EQ(r->message, "title must not be empty");
        EXPECT_FALSE(r->hint.empty());
    }
    EXPECT_FALSE(check_title("x"));
    EXPECT_FALSE(check_title("  padded  "));
}

TEST(Input, TitleLimitCountsCharactersNotBytes) {
    const std::string at_limit = repeat(grinning, max_title_chars);
    EXPECT_EQ(at_limit.size(), 4 * max_title_chars);
    EXPECT_FALSE(check_title(at_limit));
    const auto r = check_title(at_limit + e_acute);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, RefusalKind::invalid_value);
    EXPECT_EQ(r->message, "title is too long");
    EXPECT_EQ(r->detail, "the title has 501 characters; the limit is 500");
    EXPECT_FALSE(check_title(repeat("a", max_title_chars)));
    EXPECT_TRUE(check_title(repeat("a", max_title_chars + 1)));
}

TEST(Input, Description) {
    EXPECT_FALSE(check_description(std::nullopt));
    EXPECT_FALSE(check_description(""));
    EXPECT_FALSE(check_description(repeat(euro, max_description_chars)));
    const auto r = check_description(repeat(euro, max_description_chars + 1));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, RefusalKind::invalid_value);
    EXPECT_EQ(r->detail, "the description has 20001 characters; the limit is 20000");
}

TEST(Input, Reason) {
    for (const auto& reason : {std::optional<std::string_view>{}, std::optional<std::string_view>{""},
                               std::optional<std::string_view>{"   "}}) {
        const auto r = check_reason(reason);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->kind, RefusalKind::invalid_value);
        EXPECT_EQ(r->message, "a cancel reason is required");
        EXPECT_EQ(r->hint, "pass reason => 'why the action is no longer needed'");
    }
    EXPECT_FALSE(check_reason("duplicate of #12"));
    EXPECT_FALSE(check_reason(repeat(e_acute, max_reason_chars)));
    const auto r = check_reason(repeat(e_acute, max_reason_chars + 1));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, RefusalKind::invalid_value);
    EXPECT_EQ(r->detail, "the cancel reason has 2001 characters; the limit is 2000");
}

TEST(Input, Priority) {
    for (const char* ok : {"none", "low", "medium", "high"}) EXPECT_FALSE(check_priority(ok)) << ok;
    for (const char* bad : {"", "urgent", "High", " low"}) {
        const auto r = check_priority(bad);
        ASSERT_TRUE(r) << bad;
        EXPECT_EQ(r->kind, RefusalKind::invalid_value);
    }
    EXPECT_EQ(check_priority("urgent")->message, "invalid priority \"urgent\"");
}

TEST(Input, Evidence) {
    // Even an empty file needs its name; a name needs no bytes to be valid.
    EXPECT_TRUE(check_evidence(std::nullopt, 0, 100));
    EXPECT_FALSE(check_evidence("empty.txt", 0, 100));
    EXPECT_FALSE(check_evidence("report.pdf", 100, 100));
    EXPECT_FALSE(check_evidence(std::string(255, 'n'), 1, 100));
    const auto long_name = check_evidence(std::string(256, 'n'), 1, 100);
    ASSERT_TRUE(long_name);
    EXPECT_EQ(long_name->message, "evidence file name is too long");
    for (const auto& name : {std::optional<std::string_view>{}, std::optional<std::string_view>{""},
                             std::optional<std::string_view>{"  "}}) {
        const auto r = check_evidence(name, 10, 100);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->kind, RefusalKind::invalid_value);
        EXPECT_EQ(r->message, "evidence needs a file name");
    }
    const auto r = check_evidence("report.pdf", 101, 100);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, RefusalKind::invalid_value);
    EXPECT_EQ(r->message, "evidence file is too large");
    EXPECT_EQ(r->detail, "the file has 101 bytes; the limit is 100 bytes");
    EXPECT_NE(r->hint.find("pg_actions.evidence_max_bytes"), std::string::npos);
}

}  // namespace
}  // namespace pg_actions::core
