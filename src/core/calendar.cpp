// Working-time arithmetic (see calendar.hpp for the definitions).
#include "calendar.hpp"

#include <algorithm>

#include "interrupts.hpp"

namespace pg_actions::core {

namespace {

const std::int64_t min_day = days_from_civil(1, 1, 1);
const std::int64_t max_day = days_from_civil(9999, 12, 31);

std::int64_t elapsed(const std::vector<Calendar::Interval>& ivs, std::int64_t x) {
    std::int64_t sum = 0;
    for (const auto& iv : ivs)
        if (x > iv.start) sum += std::min(x, iv.end) - iv.start;
    return sum;
}

std::int64_t full(const std::vector<Calendar::Interval>& ivs) { return elapsed(ivs, ivs.back().end); }

// The instant of the day at which p of its working time has passed: the earliest one, or the
// latest (at a break: the start of the next period instead of the end of the one before).
std::int64_t at_elapsed(const std::vector<Calendar::Interval>& ivs, std::int64_t p, bool latest) {
    std::int64_t acc = 0;
    for (std::size_t i = 0; i < ivs.size(); i++) {
        std::int64_t len = ivs[i].end - ivs[i].start;
        if (p < acc + len) return ivs[i].start + (p - acc);
        if (p == acc + len) return latest && i + 1 < ivs.size() ? ivs[i + 1].start : ivs[i].end;
        acc += len;
    }
    return ivs.back().end;
}

}  // namespace

Refusal out_of_range() {
    return Refusal{RefusalKind::bad_date, "working time result is out of range",
                   "the answer would fall outside the years 1 to 9999", "use a shorter duration or an earlier start"};
}

Calendar::Calendar(WeekHours week, const std::vector<Holiday>& holidays, const ZoneRules& zone)
    : week_(std::move(week)), zone_(zone) {
    std::vector<Range> r;
    for (const Holiday& h : holidays) r.push_back({h.first, h.last});
    std::sort(r.begin(), r.end(), [](const Range& a, const Range& b) { return a.first < b.first; });
    for (const Range& h : r) {
        if (!holidays_.empty() && h.first <= holidays_.back().last + 1)
            holidays_.back().last = std::max(holidays_.back().last, h.last);
        else
            holidays_.push_back(h);
    }
}

bool Calendar::working_day(std::int64_t day) const {
    if (week_[iso_weekday(day) - 1].empty()) return false;
    auto it = std::upper_bound(holidays_.begin(), holidays_.end(), day,
                               [](std::int64_t d, const Range& h) { return d < h.first; });
    return it == holidays_.begin() || std::prev(it)->last < day;
}

std::int64_t Calendar::local_day(std::int64_t instant_micros) const {
    return floor_div(zone_.local(floor_div(instant_micros, micros_per_second)), seconds_per_day);
}

std::vector<Calendar::Interval> Calendar::intervals(std::int64_t day) const {
    std::vector<Interval> out;
    if (!working_day(day)) return out;
    const std::int64_t midnight = day * seconds_per_day;
    // The day is [first showing of its 00:00, first showing of the next 00:00): days never share time.
    std::int64_t prev = zone_.first_instant(midnight);
    const std::int64_t day_end = zone_.first_instant(midnight + seconds_per_day);
    for (const Period& p : week_[iso_weekday(day) - 1]) {
        std::int64_t s = std::max(zone_.first_instant(midnight + p.start), prev);
        std::int64_t e = std::min(zone_.last_instant(midnight + p.end), day_end);
        if (e <= s) continue;
        out.push_back({s * micros_per_second, e * micros_per_second});
        prev = e;
    }
    return out;
}

std::optional<std::int64_t> Calendar::due_day(std::int64_t day, NonWorkingDue how) const {
    if (how == NonWorkingDue::keep || working_day(day)) return day;
    int dir = how == NonWorkingDue::next ? 1 : -1;
    for (std::int64_t d = day + dir; d >= min_day && d <= max_day; d += dir) {
        check_interrupts();
        if (working_day(d)) return d;
    }
    return std::nullopt;
}

// The count-th day with working time after (direction 1) or before (-1) `day`.
std::optional<std::int64_t> Calendar::step_working(std::int64_t day, int direction, std::int64_t count) const {
    for (std::int64_t d = day + direction; d >= min_day && d <= max_day; d += direction) {
        check_interrupts();
        if (!intervals(d).empty() && --count == 0) return d;
    }
    return std::nullopt;
}

std::variant<std::int64_t, Refusal> Calendar::add(std::int64_t from, WorkingDuration d) const {
    std::int64_t x = from;
    if (d.days != 0) {
        auto r = add_days(x, d.days);
        if (auto* refusal = std::get_if<Refusal>(&r)) return *refusal;
        x = std::get<std::int64_t>(r);
    }
    if (d.micros != 0) return add_time(x, d.micros);
    return x;
}

std::variant<std::int64_t, Refusal> Calendar::add_days(std::int64_t x, std::int64_t n) const {
    const std::int64_t day = local_day(x);
    if (day < min_day || day > max_day) return out_of_range();
    const auto ivs = intervals(day);
    constexpr std::int64_t end = -1;  // "the end of the day's hours", whatever their length
    std::int64_t k, p;
    if (n > 0) {
        if (!ivs.empty() && x > ivs.front().start) {
            k = day;
            p = x >= ivs.back().end ? end : elapsed(ivs, x);
        } else {
            auto prev = step_working(day, -1, 1);
            if (!prev) return out_of_range();
            k = *prev;
            p = end;
        }
    } else {
        if (!ivs.empty() && x < ivs.back().end) {
            k = day;
            p = elapsed(ivs, x);
        } else {
            auto next = step_working(day, 1, 1);
            if (!next) return out_of_range();
            k = *next;
            p = 0;
        }
    }
    auto target = step_working(k, n > 0 ? 1 : -1, n > 0 ? n : -n);
    if (!target) return out_of_range();
    const auto t = intervals(*target);
    if (p == end || p >= full(t)) return t.back().end;
    return at_elapsed(t, p, n < 0);
}

std::variant<std::int64_t, Refusal> Calendar::add_time(std::int64_t x, std::int64_t r) const {
    if (r > 0) {
        for (std::int64_t day = local_day(x) - 1; day <= max_day; day++) {
            if (day < min_day) return out_of_range();
            check_interrupts();
            for (const Interval& iv : intervals(day)) {
                std::int64_t s = std::max(iv.start, x);
                if (iv.end <= s) continue;
                if (r <= iv.end - s) return s + r;
                r -= iv.end - s;
            }
        }
        return out_of_range();
    }
    r = -r;
    for (std::int64_t day = local_day(x) + 1; day >= min_day; day--) {
        if (day > max_day) return out_of_range();
        check_interrupts();
        const auto ivs = intervals(day);
        for (auto iv = ivs.rbegin(); iv != ivs.rend(); ++iv) {
            std::int64_t e = std::min(iv->end, x);
            if (e <= iv->start) continue;
            if (r <= e - iv->start) return e - r;
            r -= e - iv->start;
        }
    }
    return out_of_range();
}

std::int64_t Calendar::between(std::int64_t a, std::int64_t b) const {
    if (b < a) return -between(b, a);
    std::int64_t sum = 0;
    const std::int64_t last = std::min(local_day(b) + 1, max_day + 1);
    for (std::int64_t day = std::max(local_day(a) - 1, min_day - 1); day <= last; day++) {
        check_interrupts();
        for (const Interval& iv : intervals(day)) {
            std::int64_t s = std::max(iv.start, a), e = std::min(iv.end, b);
            if (e > s) sum += e - s;
        }
    }
    return sum;
}

}  // namespace pg_actions::core
