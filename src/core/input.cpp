// Input rules: titles, descriptions, reasons, priorities, evidence (see input.hpp).
#include "input.hpp"

#include "catalog.hpp"

#include <string>
#include <utility>

namespace pg_actions::core {

namespace {

// A value of only spaces, tabs or newlines shows as nothing in any list, so it counts as missing.
bool is_blank(std::string_view text) {
    return text.find_first_not_of(" \t\n\r\f\v") == std::string_view::npos;
}

std::optional<Refusal> too_long(std::string_view what, std::string_view text, std::size_t limit,
                                std::string_view hint) {
    const std::size_t length = utf8_length(text);
    if (length <= limit) return std::nullopt;
    return Refusal{RefusalKind::invalid_value, std::string{what} + " is too long",
                   "the " + std::string{what} + " has " + std::to_string(length) +
                       " characters; the limit is " + std::to_string(limit),
                   std::string{hint}};
}

Refusal invalid(std::string message, std::string detail, std::string hint) {
    return Refusal{RefusalKind::invalid_value, std::move(message), std::move(detail),
                   std::move(hint)};
}

// Whether the text has a space of any kind: ASCII white space, or a Unicode space separator,
// line or paragraph separator, NEL or NBSP (whatever a locale's iswspace() may count).
bool has_space(std::string_view text) {
    if (text.find_first_of(" \t\n\r\f\v") != std::string_view::npos) return true;
    static constexpr std::string_view wide[] = {
        "\u0085", "\u00A0", "\u1680", "\u2000", "\u2001", "\u2002", "\u2003", "\u2004", "\u2005",
        "\u2006", "\u2007", "\u2008", "\u2009", "\u200A", "\u2028", "\u2029", "\u202F", "\u205F",
        "\u3000", "\uFEFF"};
    for (std::string_view w : wide)
        if (text.find(w) != std::string_view::npos) return true;
    return false;
}

}  // namespace

std::optional<Refusal> check_email(std::string_view email) {
    const std::string example = "pass an address such as ann@example.com";
    const std::size_t at = email.find('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == email.size() ||
        email.find('@', at + 1) != std::string_view::npos || has_space(email))
        return invalid("invalid value for email: \"" + std::string{email} + "\"",
                       "an e-mail address is one @ between a local part and a domain, with no spaces", example);
    return too_long("email", email, max_email_chars, example);
}

std::optional<Refusal> check_display_name(std::string_view display_name) {
    if (is_blank(display_name))
        return invalid("display_name must not be blank", "a person's display name is what other members see",
                       "pass display_name => 'Ann Example'");
    return too_long("display_name", display_name, max_display_name_chars, "shorten the display name");
}

std::size_t utf8_length(std::string_view text) {
    std::size_t count = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i++]);
        std::size_t trailing = 0;
        if ((lead & 0xE0) == 0xC0) trailing = 1;
        else if ((lead & 0xF0) == 0xE0) trailing = 2;
        else if ((lead & 0xF8) == 0xF0) trailing = 3;
        // Only continuation bytes that follow a lead byte belong to its character; a stray one
        // counts as a character of its own.
        while (trailing > 0 && i < text.size() &&
               (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) {
            ++i;
            --trailing;
        }
        ++count;
    }
    return count;
}

std::optional<Refusal> check_title(std::optional<std::string_view> title) {
    if (!title || is_blank(*title))
        return invalid("title must not be empty", "an action needs a title that says what to do",
                       "pass title => 'what needs to be done'");
    return too_long("title", *title, max_title_chars,
                    "shorten the title and put the rest in the description");
}

std::optional<Refusal> check_description(std::optional<std::string_view> description) {
    if (!description) return std::nullopt;
    return too_long("description", *description, max_description_chars,
                    "shorten the description, or attach the full text as evidence");
}

std::optional<Refusal> check_reason(std::optional<std::string_view> reason) {
    if (!reason || is_blank(*reason))
        return invalid("a cancel reason is required",
                       "cancelling an action is final and the log keeps why it was cancelled",
                       "pass reason => 'why the action is no longer needed'");
    return too_long("cancel reason", *reason, max_reason_chars, "shorten the reason");
}

std::optional<Refusal> check_priority(std::string_view priority) {
    for (std::string_view known : priority_names())
        if (priority == known) return std::nullopt;
    return invalid("invalid priority \"" + std::string{priority} + "\"",
                   "priority must be one of " + listed(priority_names()),
                   "pass priority => 'none', 'low', 'medium' or 'high'");
}

std::optional<Refusal> check_evidence(std::optional<std::string_view> name, std::size_t size,
                                      std::size_t limit_bytes) {
    // Called only when evidence content is given: even an empty file needs its name.
    if (!name || is_blank(*name))
        return invalid("evidence needs a file name",
                       "evidence content of " + std::to_string(size) +
                           " bytes was given without a file name",
                       "pass the file name together with the evidence content");
    if (utf8_length(*name) > max_evidence_name_chars)
        return invalid("evidence file name is too long",
                       "the name has " + std::to_string(utf8_length(*name)) + " characters; the limit is " +
                           std::to_string(max_evidence_name_chars),
                       "shorten the file name");
    if (size > limit_bytes)
        return invalid("evidence file is too large",
                       "the file has " + std::to_string(size) + " bytes; the limit is " +
                           std::to_string(limit_bytes) + " bytes",
                       "attach a smaller file, or ask an administrator to raise the setting "
                       "pg_actions.evidence_max_bytes");
    return std::nullopt;
}

}  // namespace pg_actions::core
