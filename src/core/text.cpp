// JSON strings, ISO 8601 times and action links (see text.hpp).
#include "text.hpp"

#include <chrono>
#include <cstdio>
#include <limits>

namespace pg_actions::core {

namespace {

constexpr std::int64_t us_per_day = 86'400'000'000;
// The Gregorian calendar repeats every 400 years, which is exactly this many days.
constexpr std::int64_t days_per_400_years = 146'097;

// Division rounding toward minus infinity, written without a product that could overflow.
std::int64_t floor_div(std::int64_t a, std::int64_t b, std::int64_t& remainder) {
    std::int64_t q = a / b;
    remainder = a % b;
    if (remainder < 0) {
        remainder += b;
        --q;
    }
    return q;
}

}  // namespace

std::string iso_utc(std::int64_t us) {
    // PostgreSQL stores timestamptz 'infinity' and '-infinity' as the int64 extremes.
    if (us == std::numeric_limits<std::int64_t>::max()) return "infinity";
    if (us == std::numeric_limits<std::int64_t>::min()) return "-infinity";

    using namespace std::chrono;
    std::int64_t us_of_day = 0;
    std::int64_t day = floor_div(us, us_per_day, us_of_day);
    std::int64_t day_of_cycle = 0;
    const std::int64_t cycles = floor_div(day, days_per_400_years, day_of_cycle);
    // std::chrono::year stops at +-32767, while PostgreSQL accepts years up to 294276: compute
    // inside one 400-year cycle and add the cycles back to the year.
    const year_month_day date{sys_days{2000y / January / 1} + days{day_of_cycle}};
    const std::int64_t y = static_cast<int>(date.year()) + 400 * cycles;
    const hh_mm_ss<microseconds> time{microseconds{us_of_day}};

    char out[64];
    // ISO 8601 writes years outside 0000..9999 with an explicit sign.
    const char* sign = y < 0 ? "-" : (y > 9999 ? "+" : "");
    std::snprintf(out, sizeof out, "%s%04lld-%02u-%02u", sign,
                  static_cast<long long>(y < 0 ? -y : y), static_cast<unsigned>(date.month()),
                  static_cast<unsigned>(date.day()));
    std::string result{out};
    std::snprintf(out, sizeof out, "T%02d:%02d:%02d.%06lldZ", static_cast<int>(time.hours().count()),
                  static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()),
                  static_cast<long long>(time.subseconds().count()));
    return result + out;
}

std::string action_link(std::string_view url_template, std::int64_t workspace_id,
                        std::int64_t action_id) {
    constexpr std::string_view workspace_key = "{workspace_id}";
    constexpr std::string_view action_key = "{action_id}";
    std::string out;
    out.reserve(url_template.size() + 32);
    std::size_t i = 0;
    while (i < url_template.size()) {
        const std::string_view rest = url_template.substr(i);
        if (rest.starts_with(workspace_key)) {
            out += std::to_string(workspace_id);
            i += workspace_key.size();
        } else if (rest.starts_with(action_key)) {
            out += std::to_string(action_id);
            i += action_key.size();
        } else {
            out += url_template[i++];
        }
    }
    return out;
}

std::string json_string(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    for (char c : text) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char escaped[8];
                std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
                out += escaped;
            } else {
                out += c;  // UTF-8 bytes pass through: JSON text is UTF-8
            }
        }
    }
    out += '"';
    return out;
}

}  // namespace pg_actions::core
