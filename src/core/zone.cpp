// Offsets, wall-clock conversions and civil dates (see zone.hpp).
#include "zone.hpp"

#include <algorithm>

namespace pg_actions::core {

OffsetTable::OffsetTable(std::int32_t initial, std::vector<Change> changes)
    : initial_(initial), changes_(std::move(changes)) {
    std::sort(changes_.begin(), changes_.end(), [](const Change& a, const Change& b) { return a.at < b.at; });
}

OffsetSpan OffsetTable::span_from(std::int64_t instant) const {
    auto next = std::upper_bound(changes_.begin(), changes_.end(), instant,
                                 [](std::int64_t t, const Change& c) { return t < c.at; });
    std::int32_t offset = next == changes_.begin() ? initial_ : std::prev(next)->offset;
    return {offset, next == changes_.end() ? never : next->at};
}

std::int32_t Zone::offset_at(std::int64_t instant) const {
    if (instant >= from_ && instant < until_) return offset_;
    OffsetSpan s = rules_->span_from(instant);
    from_ = instant;
    until_ = s.until;
    offset_ = s.offset;
    return offset_;
}

// Every instant whose wall clock shows local_seconds is local_seconds - o for an offset o in force
// near it; offsets change at most a few times a year, so the offsets in force within two days
// either side are all the candidates.
Zone::Candidates Zone::candidates(std::int64_t local_seconds) const {
    constexpr std::int64_t margin = 2 * seconds_per_day;
    if (until_ > from_) {
        std::int64_t u = local_seconds - offset_;
        if (u >= from_ + margin && until_ - margin > u) return {u, u};  // well inside the known span
    }
    std::int32_t offsets[5];
    int n = 0;
    for (std::int64_t probe = -margin; probe <= margin; probe += seconds_per_day) {
        std::int32_t o = offset_at(local_seconds + probe);
        if (std::find(offsets, offsets + n, o) == offsets + n) offsets[n++] = o;
    }
    std::int64_t first = never, last = std::numeric_limits<std::int64_t>::min();
    for (int i = 0; i < n; i++) {
        std::int64_t u = local_seconds - offsets[i];
        if (offset_at(u) != offsets[i]) continue;
        first = std::min(first, u);
        last = std::max(last, u);
    }
    if (first != never) return {first, last};
    // Skipped: the change whose wall time before is at most local_seconds and after is later.
    std::int64_t at = local_seconds - margin;
    for (int guard = 0; guard < 16; guard++) {
        OffsetSpan s = rules_->span_from(at);
        if (s.until == never || s.until > local_seconds + margin) break;
        std::int32_t after = rules_->span_from(s.until).offset;
        if (s.until + s.offset <= local_seconds && s.until + after > local_seconds) return {s.until, s.until};
        at = s.until;
    }
    std::int64_t u = local_seconds - offset_at(local_seconds);
    return {u, u};
}

std::int64_t Zone::first_instant(std::int64_t local_seconds) const { return candidates(local_seconds).first; }
std::int64_t Zone::last_instant(std::int64_t local_seconds) const { return candidates(local_seconds).last; }

// Howard Hinnant's algorithms (public domain), http://howardhinnant.github.io/date_algorithms.html
std::int64_t days_from_civil(std::int32_t year, unsigned month, unsigned day) {
    std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2);
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

CivilDate civil_from_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t y = yoe + era * 400;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const unsigned d = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
    const unsigned m = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
    return {static_cast<std::int32_t>(y + (m <= 2)), m, d};
}

int iso_weekday(std::int64_t days) {
    // 1970-01-01 was a Thursday (4).
    return static_cast<int>(((days % 7) + 7 + 3) % 7) + 1;
}

}  // namespace pg_actions::core
