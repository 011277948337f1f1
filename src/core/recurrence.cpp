// Schedules' recurrence rules through libical (see recurrence.hpp). libical is C: nothing here
// throws through it (the interrupt check runs between its calls), and every iterator is freed on
// the way out, also when the check throws.
#include "recurrence.hpp"

#include <libical/ical.h>

#include <cstdio>
#include <memory>

#include "interrupts.hpp"

namespace pg_actions::core {

namespace {

// Civil dates without the C library's time zone (days_from_civil / civil_from_days, H. Hinnant).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

icaltimetype to_ical(LocalSeconds t) {
    std::int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    std::int64_t secs = t - days * 86400;
    std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    icaltimetype it = icaltime_null_time();
    it.year = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
    it.month = static_cast<int>(m);
    it.day = static_cast<int>(d);
    it.hour = static_cast<int>(secs / 3600);
    it.minute = static_cast<int>(secs / 60 % 60);
    it.second = static_cast<int>(secs % 60);
    it.is_date = 0;
    it.zone = nullptr;  // floating: the workspace's wall clock
    return it;
}

LocalSeconds from_ical(const icaltimetype& t) {
    return days_from_civil(t.year, static_cast<unsigned>(t.month), static_cast<unsigned>(t.day)) * 86400 +
           t.hour * 3600 + t.minute * 60 + t.second;
}

// The rule parsed, UNTIL made floating (a date: the end of that day), or nothing.
std::optional<icalrecurrencetype> parse(std::string_view rule) {
    static const bool quiet = [] {
        icalerror_set_errors_are_fatal(0);  // libical would abort() the server otherwise
        return true;
    }();
    (void)quiet;
    if (rule.empty() || rule.size() > max_rule_length) return std::nullopt;
    std::string text(rule);
    icalerror_clear_errno();
    icalrecurrencetype r = icalrecurrencetype_from_string(text.c_str());
    if (r.freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR) {
        icalerror_clear_errno();
        return std::nullopt;
    }
    if (!icaltime_is_null_time(r.until)) {
        if (r.until.is_date) {
            r.until.is_date = 0;
            r.until.hour = 23;
            r.until.minute = 59;
            r.until.second = 59;
        }
        r.until.zone = nullptr;
    }
    return r;
}

struct IteratorFree {
    void operator()(icalrecur_iterator* i) const { icalrecur_iterator_free(i); }
};
using Iterator = std::unique_ptr<icalrecur_iterator, IteratorFree>;

// Occurrences at or after `from`, at most `limit` of them; a walk from the start is bounded.
std::vector<LocalSeconds> expand(const icalrecurrencetype& r, LocalSeconds start, LocalSeconds from,
                                 std::size_t limit) {
    std::vector<LocalSeconds> out;
    if (limit == 0) return out;
    Iterator it(icalrecur_iterator_new(r, to_ical(start)));
    if (!it) {
        icalerror_clear_errno();
        return out;
    }
    // Without COUNT, libical jumps ahead; with COUNT it must count from the start.
    if (from > start && r.count == 0) icalrecur_iterator_set_start(it.get(), to_ical(from));
    for (std::size_t steps = 0; steps < 10'000'000; steps++) {
        check_interrupts();
        icaltimetype t = icalrecur_iterator_next(it.get());
        if (icaltime_is_null_time(t)) break;
        LocalSeconds s = from_ical(t);
        if (s < from) continue;
        out.push_back(s);
        if (out.size() >= limit) break;
    }
    icalerror_clear_errno();
    return out;
}

}  // namespace

std::optional<Refusal> check_rule(std::string_view rule, LocalSeconds start) {
    const std::string hint =
        "write an RFC 5545 RRULE value such as FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31, FREQ=MONTHLY;INTERVAL=3, "
        "FREQ=MONTHLY;BYDAY=2TU or FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20271231";
    if (rule.size() > max_rule_length)
        return Refusal{RefusalKind::invalid_value, "recurrence rule is too long",
                       "a rule has at most " + std::to_string(max_rule_length) + " characters", hint};
    std::optional<icalrecurrencetype> r = parse(rule);
    if (!r)
        return Refusal{RefusalKind::invalid_value, "invalid recurrence rule \"" + std::string(rule) + "\"",
                       "libical could not read it as the value of an RRULE property (without \"RRULE:\")", hint};
    if (r->freq < ICAL_DAILY_RECURRENCE)
        return Refusal{RefusalKind::invalid_value, "recurrence rule \"" + std::string(rule) + "\" repeats within a day",
                       "a schedule recurs on calendar days: FREQ is DAILY, WEEKLY, MONTHLY or YEARLY",
                       "use FREQ=DAILY or slower; BYHOUR may still name several hours of a day"};
    if (expand(*r, start, start, 1).empty())
        return Refusal{RefusalKind::invalid_value,
                       "recurrence rule \"" + std::string(rule) + "\" has no occurrence from " + local_text(start),
                       "its UNTIL or COUNT ends it before its first occurrence, or no date matches every part",
                       "check UNTIL, COUNT and the BY parts against the start"};
    return std::nullopt;
}

std::string normal_rule(std::string_view rule) {
    std::optional<icalrecurrencetype> r = parse(rule);
    if (!r) return std::string(rule);
    // parse() made UNTIL floating; a date-only UNTIL is shown as the end of its day.
    char* s = icalrecurrencetype_as_string_r(&*r);
    if (s == nullptr) return std::string(rule);
    std::string out(s);
    icalmemory_free_buffer(s);
    return out;
}

std::vector<LocalSeconds> occurrences(std::string_view rule, LocalSeconds start, LocalSeconds from, std::size_t limit) {
    std::optional<icalrecurrencetype> r = parse(rule);
    if (!r) return {};
    return expand(*r, start, from, limit);
}

std::vector<LocalSeconds> to_create(CatchUp mode, const std::vector<LocalSeconds>& due) {
    if (due.empty()) return {};
    if (mode == CatchUp::latest) return {due.back()};
    if (due.size() <= max_catch_up) return due;
    return std::vector<LocalSeconds>(due.begin(), due.begin() + static_cast<std::ptrdiff_t>(max_catch_up));
}

std::optional<Refusal> may_create_schedule(const Facts& facts) { return decide(Verb::create, facts); }

std::optional<Refusal> may_change_schedule(const Facts& facts, bool owns, std::int64_t schedule_id) {
    if (!facts.is_member) return schedule_not_found(schedule_id);
    if (!decide(Verb::manage_workspace, facts)) return std::nullopt;
    if (owns && !decide(Verb::create, facts)) return std::nullopt;
    return Refusal{RefusalKind::not_permitted, "you may not change schedule " + std::to_string(schedule_id),
                   owns ? "its owner may change it only while allowed to create actions (create_actions)"
                        : "only its owner or a member allowed to manage the workspace (manage_workspace) may",
                   "ask the schedule's owner or a workspace manager"};
}

Refusal schedule_not_found(std::int64_t schedule_id) {
    return Refusal{RefusalKind::not_found, "schedule " + std::to_string(schedule_id) + " not found",
                   "no schedule with that id is visible to you",
                   "check the id; you can only use schedules of workspaces you are a member of"};
}

std::string local_text(LocalSeconds t) {
    icaltimetype it = to_ical(t);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", it.year, it.month, it.day, it.hour, it.minute,
                  it.second);
    return buf;
}

}  // namespace pg_actions::core
