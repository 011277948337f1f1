// Working-time arithmetic: working hours, holidays, working days, and daylight-saving changes in
// Europe (Paris), America (New York) and zones off the whole hour (Kolkata, Adelaide).
#include <gtest/gtest.h>

#include "calendar.hpp"
#include "template_rules.hpp"

using namespace pg_actions::core;

namespace {

constexpr std::int64_t H = 3600 * micros_per_second;
constexpr std::int64_t M = 60 * micros_per_second;

// An instant given as a local time and the offset (minutes east of UTC) in force then.
std::int64_t at(int y, unsigned mo, unsigned d, int hh, int mm, int offset_minutes) {
    return ((days_from_civil(y, mo, d) * 86400) + hh * 3600 + mm * 60 - offset_minutes * 60) * micros_per_second;
}
std::int64_t day(int y, unsigned mo, unsigned d) { return days_from_civil(y, mo, d); }
std::int64_t utc_seconds(int y, unsigned mo, unsigned d, int hh, int mm) { return days_from_civil(y, mo, d) * 86400 + hh * 3600 + mm * 60; }

// 2025-2027 changes, as in the IANA database.
const OffsetTable paris(3600, {{utc_seconds(2025, 3, 30, 1, 0), 7200}, {utc_seconds(2025, 10, 26, 1, 0), 3600},
                               {utc_seconds(2026, 3, 29, 1, 0), 7200}, {utc_seconds(2026, 10, 25, 1, 0), 3600},
                               {utc_seconds(2027, 3, 28, 1, 0), 7200}, {utc_seconds(2027, 10, 31, 1, 0), 3600}});
const OffsetTable new_york(-18000, {{utc_seconds(2026, 3, 8, 7, 0), -14400}, {utc_seconds(2026, 11, 1, 6, 0), -18000}});
const OffsetTable adelaide(37800, {{utc_seconds(2026, 4, 4, 16, 30), 34200}, {utc_seconds(2026, 10, 3, 16, 30), 37800}});
const OffsetTable kolkata(19800, {});

DayHours hours(const char* text) { return std::get<DayHours>(parse_hours(text)); }

WeekHours week(const char* text, std::vector<int> days = {1, 2, 3, 4, 5}) {
    WeekHours w;
    for (int d : days) w[d - 1] = hours(text);
    return w;
}

std::int64_t add(const Calendar& c, std::int64_t from, std::int64_t days, std::int64_t micros) {
    auto r = c.add(from, WorkingDuration{days, micros});
    EXPECT_TRUE(std::holds_alternative<std::int64_t>(r));
    return std::holds_alternative<std::int64_t>(r) ? std::get<std::int64_t>(r) : 0;
}

const char* split = "09:00-12:30, 13:30-17:30";  // 7.5 hours

}  // namespace

TEST(CalendarRules, HoursAreParsedSortedAndJoined) {
    EXPECT_EQ(hours("13:30-17:30,09:00-12:30"), (DayHours{{9 * 3600, 12 * 3600 + 1800}, {13 * 3600 + 1800, 17 * 3600 + 1800}}));
    EXPECT_EQ(hours("08:00-12:00, 12:00-16:00"), (DayHours{{8 * 3600, 16 * 3600}}));
    EXPECT_EQ(hours("00:00-24:00"), (DayHours{{0, 86400}}));
    EXPECT_EQ(format_hours(hours(" 13:30-17:30 ,09:00-12:30")), "09:00-12:30, 13:30-17:30");
}

TEST(CalendarRules, BadHoursAreRefused) {
    for (const char* bad : {"", " ", "09:00-09:00", "17:00-09:00", "9-17", "09:00", "09:00-24:30", "24:00-24:00",
                            "09:00-12:30, 12:00-17:00", "09:00-17:00, 10:00-11:00", "09:00-12:00,", "25:00-26:00"}) {
        auto r = parse_hours(bad);
        ASSERT_TRUE(std::holds_alternative<Refusal>(r)) << bad;
        EXPECT_EQ(std::get<Refusal>(r).kind, RefusalKind::invalid_value) << bad;
        EXPECT_FALSE(std::get<Refusal>(r).hint.empty()) << bad;
    }
    EXPECT_EQ(std::get<Refusal>(parse_hours("09:00-12:30, 12:00-17:00")).message, "working hours overlap");
}

TEST(CalendarRules, DaysHolidaysAndDurations) {
    EXPECT_FALSE(check_working_days({1, 2, 3, 4, 5}));
    EXPECT_TRUE(check_working_days({}));
    EXPECT_TRUE(check_working_days({0, 1}));
    EXPECT_TRUE(check_working_days({8}));
    EXPECT_TRUE(check_week(WeekHours{}));
    EXPECT_FALSE(check_week(week(split, {7})));
    EXPECT_FALSE(check_holiday("Christmas", day(2026, 12, 24), day(2026, 12, 26)));
    EXPECT_FALSE(check_holiday("New year", day(2027, 1, 1), day(2027, 1, 1)));
    EXPECT_EQ(check_holiday("Oops", day(2026, 12, 26), day(2026, 12, 24))->message, "holiday ends before it starts");
    EXPECT_TRUE(check_holiday(" ", day(2026, 12, 24), day(2026, 12, 24)));
    EXPECT_TRUE(check_holiday(std::nullopt, day(2026, 12, 24), day(2026, 12, 24)));
    EXPECT_TRUE(std::holds_alternative<Refusal>(working_duration(1, 0, 0)));
    EXPECT_TRUE(std::holds_alternative<Refusal>(working_duration(0, 1, -H)));
    EXPECT_TRUE(std::holds_alternative<Refusal>(working_duration(0, -1, H)));
    EXPECT_EQ(std::get<WorkingDuration>(working_duration(0, -2, -H)).micros, -H);
    EXPECT_EQ(non_working_due_from("previous"), NonWorkingDue::previous);
    EXPECT_FALSE(non_working_due_from("nearest"));
}

TEST(Zone, SkippedAndRepeatedWallTimes) {
    Zone z(paris);
    // 2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00 UTC; 02:30 never shows.
    EXPECT_EQ(z.first_instant(utc_seconds(2026, 3, 29, 2, 30)), utc_seconds(2026, 3, 29, 1, 0));
    EXPECT_EQ(z.last_instant(utc_seconds(2026, 3, 29, 2, 30)), utc_seconds(2026, 3, 29, 1, 0));
    EXPECT_EQ(z.first_instant(utc_seconds(2026, 3, 29, 3, 0)), utc_seconds(2026, 3, 29, 1, 0));
    // 2026-10-25: 03:00 CEST becomes 02:00 CET at 01:00 UTC; 02:30 shows twice.
    EXPECT_EQ(z.first_instant(utc_seconds(2026, 10, 25, 2, 30)), utc_seconds(2026, 10, 25, 0, 30));
    EXPECT_EQ(z.last_instant(utc_seconds(2026, 10, 25, 2, 30)), utc_seconds(2026, 10, 25, 1, 30));
    EXPECT_EQ(z.first_instant(utc_seconds(2026, 7, 1, 9, 0)), utc_seconds(2026, 7, 1, 7, 0));
    EXPECT_EQ(iso_weekday(day(2026, 3, 29)), 7);
    EXPECT_EQ(iso_weekday(day(1970, 1, 1)), 4);
    CivilDate c = civil_from_days(day(2024, 2, 29));
    EXPECT_EQ(c.year, 2024);
    EXPECT_EQ(c.month, 2u);
    EXPECT_EQ(c.day, 29u);
}

TEST(Calendar, SplitHoursAndWorkingDays) {
    Calendar c(week(split), {}, paris);
    // Wed 2026-06-10, CEST (+02:00).
    EXPECT_EQ(c.between(at(2026, 6, 10, 9, 0, 120), at(2026, 6, 10, 17, 30, 120)), 7 * H + 30 * M);
    EXPECT_EQ(c.between(at(2026, 6, 10, 12, 0, 120), at(2026, 6, 10, 14, 0, 120)), H);
    EXPECT_EQ(c.between(at(2026, 6, 10, 14, 0, 120), at(2026, 6, 10, 12, 0, 120)), -H);
    // Hours: the earliest instant, so a period's end rather than the next start.
    EXPECT_EQ(add(c, at(2026, 6, 10, 9, 0, 120), 0, 3 * H + 30 * M), at(2026, 6, 10, 12, 30, 120));
    EXPECT_EQ(add(c, at(2026, 6, 10, 12, 0, 120), 0, H), at(2026, 6, 10, 14, 0, 120));
    EXPECT_EQ(add(c, at(2026, 6, 10, 16, 30, 120), 0, 2 * H), at(2026, 6, 11, 10, 0, 120));
    EXPECT_EQ(add(c, at(2026, 6, 12, 17, 0, 120), 0, H), at(2026, 6, 15, 9, 30, 120));  // Fri -> Mon
    EXPECT_EQ(add(c, at(2026, 6, 13, 11, 0, 120), 0, H), at(2026, 6, 15, 10, 0, 120));  // Sat -> Mon
    // Days: the same point of a later working day.
    EXPECT_EQ(add(c, at(2026, 6, 10, 10, 0, 120), 1, 0), at(2026, 6, 11, 10, 0, 120));
    EXPECT_EQ(add(c, at(2026, 6, 12, 15, 0, 120), 1, 0), at(2026, 6, 15, 15, 0, 120));
    EXPECT_EQ(add(c, at(2026, 6, 9, 7, 0, 120), 1, 0), at(2026, 6, 9, 17, 30, 120));   // before hours: that day's end
    EXPECT_EQ(add(c, at(2026, 6, 13, 7, 0, 120), 1, 0), at(2026, 6, 15, 17, 30, 120));  // Sat: Monday's end
    EXPECT_EQ(add(c, at(2026, 6, 8, 18, 0, 120), 1, 0), at(2026, 6, 9, 17, 30, 120));   // after hours
    EXPECT_EQ(add(c, at(2026, 6, 10, 13, 0, 120), 1, 0), at(2026, 6, 11, 12, 30, 120));  // in the break
    EXPECT_EQ(add(c, at(2026, 6, 10, 10, 0, 120), 5, 2 * H), at(2026, 6, 17, 12, 0, 120));
    EXPECT_EQ(add(c, at(2026, 6, 10, 10, 0, 120), 0, 0), at(2026, 6, 10, 10, 0, 120));
    // Back: the latest instant, a day's start rather than the previous day's end.
    EXPECT_EQ(add(c, at(2026, 6, 15, 10, 0, 120), -1, 0), at(2026, 6, 12, 10, 0, 120));
    EXPECT_EQ(add(c, at(2026, 6, 15, 10, 0, 120), 0, -H), at(2026, 6, 15, 9, 0, 120));
    EXPECT_EQ(add(c, at(2026, 6, 15, 10, 0, 120), 0, -2 * H), at(2026, 6, 12, 16, 30, 120));
    EXPECT_EQ(add(c, at(2026, 6, 15, 18, 0, 120), -1, 0), at(2026, 6, 15, 9, 0, 120));
    EXPECT_EQ(add(c, at(2026, 6, 11, 14, 30, 120), 0, -2 * H), at(2026, 6, 11, 11, 30, 120));
}

TEST(Calendar, HolidayRangeAndDueDays) {
    std::vector<Holiday> h{{"Christmas", day(2026, 12, 24), day(2026, 12, 26)}, {"New year", day(2027, 1, 1), day(2027, 1, 1)}};
    Calendar c(week(split), h, paris);
    EXPECT_FALSE(c.working_day(day(2026, 12, 24)));
    EXPECT_FALSE(c.working_day(day(2026, 12, 25)));
    EXPECT_TRUE(c.working_day(day(2026, 12, 23)));
    EXPECT_TRUE(c.working_day(day(2026, 12, 28)));
    // Wed 23 + 1 day skips Thu 24 to Sat 26 and the Sunday.
    EXPECT_EQ(add(c, at(2026, 12, 23, 10, 0, 60), 1, 0), at(2026, 12, 28, 10, 0, 60));
    EXPECT_EQ(add(c, at(2026, 12, 28, 10, 0, 60), -1, 0), at(2026, 12, 23, 10, 0, 60));
    EXPECT_EQ(c.between(at(2026, 12, 23, 9, 0, 60), at(2026, 12, 29, 9, 0, 60)), 2 * (7 * H + 30 * M));
    EXPECT_EQ(add(c, at(2026, 12, 23, 17, 0, 60), 0, H), at(2026, 12, 28, 9, 30, 60));
    EXPECT_EQ(add(c, at(2026, 12, 31, 17, 0, 60), 0, H), at(2027, 1, 4, 9, 30, 60));  // Fri 1 January too
    EXPECT_EQ(c.due_day(day(2026, 12, 25), NonWorkingDue::previous), day(2026, 12, 23));
    EXPECT_EQ(c.due_day(day(2026, 12, 25), NonWorkingDue::next), day(2026, 12, 28));
    EXPECT_EQ(c.due_day(day(2026, 12, 25), NonWorkingDue::keep), day(2026, 12, 25));
    EXPECT_EQ(c.due_day(day(2026, 12, 22), NonWorkingDue::next), day(2026, 12, 22));
    EXPECT_EQ(c.due_day(day(2027, 1, 2), NonWorkingDue::previous), day(2026, 12, 31));
    // Overlapping holiday ranges are merged.
    Calendar c2(week(split), {{"A", day(2026, 12, 21), day(2026, 12, 23)}, {"B", day(2026, 12, 22), day(2026, 12, 24)}}, paris);
    EXPECT_EQ(c2.due_day(day(2026, 12, 21), NonWorkingDue::next), day(2026, 12, 25));
}

TEST(Calendar, DueRulesInWorkingDays) {
    Calendar c(week(split), {{"Christmas", day(2026, 12, 24), day(2026, 12, 26)}}, paris);
    auto due = [&](DueUnit u, std::int64_t from, std::int64_t n, const Calendar* cal) {
        auto r = rule_due_day(u, from, n, cal);
        EXPECT_TRUE(std::holds_alternative<std::int64_t>(r));
        return std::holds_alternative<std::int64_t>(r) ? std::get<std::int64_t>(r) : 0;
    };
    // Tue 22 December + 3 working days: Wed 23, Mon 28, Tue 29 (Christmas and the weekend skipped).
    EXPECT_EQ(due(DueUnit::working_days, day(2026, 12, 22), 3, &c), day(2026, 12, 29));
    EXPECT_EQ(due(DueUnit::calendar_days, day(2026, 12, 22), 3, &c), day(2026, 12, 25));
    EXPECT_EQ(due(DueUnit::calendar_days, day(2026, 12, 22), 3, nullptr), day(2026, 12, 25));
    // 0: the day itself, even a non-working one (the workspace's non_working_due moves it later).
    EXPECT_EQ(due(DueUnit::working_days, day(2026, 12, 26), 0, &c), day(2026, 12, 26));
    // From a Saturday, 1 working day is the Monday.
    EXPECT_EQ(due(DueUnit::working_days, day(2026, 12, 26), 1, &c), day(2026, 12, 28));
    auto none = rule_due_day(DueUnit::working_days, day(2026, 12, 22), 3, nullptr);
    ASSERT_TRUE(std::holds_alternative<Refusal>(none));
    EXPECT_EQ(std::get<Refusal>(none).kind, RefusalKind::wrong_state);
    EXPECT_NE(std::get<Refusal>(none).hint.find("use_calendar"), std::string::npos);
}

TEST(Calendar, EuropeanSwitchDays) {
    Calendar office(week(split), {}, paris);
    // Fri 27 March (CET) + 1 day = Mon 30 March (CEST), the same wall time: 71 hours later.
    std::int64_t fri = at(2026, 3, 27, 10, 0, 60);
    EXPECT_EQ(add(office, fri, 1, 0), at(2026, 3, 30, 10, 0, 120));
    EXPECT_EQ(add(office, fri, 1, 0) - fri, 71 * H);
    EXPECT_EQ(office.between(at(2026, 3, 27, 9, 0, 60), at(2026, 3, 30, 9, 0, 120)), 7 * H + 30 * M);
    EXPECT_EQ(add(office, at(2026, 10, 23, 17, 0, 120), 0, H), at(2026, 10, 26, 9, 30, 60));
    // Round the clock, every day: the spring Sunday has 23 hours, the autumn one 25.
    Calendar always(week("00:00-24:00", {1, 2, 3, 4, 5, 6, 7}), {}, paris);
    EXPECT_EQ(always.between(at(2026, 3, 29, 0, 0, 60), at(2026, 3, 30, 0, 0, 120)), 23 * H);
    EXPECT_EQ(always.between(at(2026, 10, 25, 0, 0, 120), at(2026, 10, 26, 0, 0, 60)), 25 * H);
    EXPECT_EQ(add(always, at(2026, 3, 29, 0, 0, 60), 0, 3 * H), at(2026, 3, 29, 4, 0, 120));
    // A day: as much of the next day's working time passed; the short Sunday's twelfth hour ends at
    // 13:00 CEST.
    EXPECT_EQ(add(always, at(2026, 3, 28, 12, 0, 60), 1, 0), at(2026, 3, 29, 13, 0, 120));
    EXPECT_EQ(add(always, at(2026, 3, 28, 1, 0, 60), 1, 0), at(2026, 3, 29, 1, 0, 60));
    // A period across the change: 01:00-04:00 lasts 2 hours in spring and 4 in autumn.
    Calendar night(week("01:00-04:00", {7}), {}, paris);
    EXPECT_EQ(night.between(at(2026, 3, 29, 0, 0, 60), at(2026, 3, 30, 0, 0, 120)), 2 * H);
    EXPECT_EQ(night.between(at(2026, 10, 25, 0, 0, 120), at(2026, 10, 26, 0, 0, 60)), 4 * H);
    // A period ending in the repeated hour ends at its second showing: 00:00-02:30 on the autumn
    // Sunday runs from 00:00 CEST to 02:30 CET, 3.5 hours; one starting there starts at its first.
    Calendar repeated(week("00:00-02:30", {7}), {}, paris);
    EXPECT_EQ(repeated.between(at(2026, 10, 24, 12, 0, 120), at(2026, 10, 26, 0, 0, 60)), 3 * H + 30 * M);
    Calendar late(week("02:30-05:00", {7}), {}, paris);
    EXPECT_EQ(late.between(at(2026, 10, 24, 12, 0, 120), at(2026, 10, 26, 0, 0, 60)), 3 * H + 30 * M);
    // A period starting in the skipped hour starts at the change.
    Calendar skipped(week("02:30-05:00", {7}), {}, paris);
    auto iv = skipped.intervals(day(2026, 3, 29));
    ASSERT_EQ(iv.size(), 1u);
    EXPECT_EQ(iv[0].start, at(2026, 3, 29, 3, 0, 120));
    EXPECT_EQ(iv[0].end, at(2026, 3, 29, 5, 0, 120));
}

TEST(Calendar, AmericanSwitchDays) {
    Calendar c(week("09:00-17:00", {1, 2, 3, 4, 5, 6, 7}), {}, new_york);
    // Sat 7 March 16:00 EST + 2 hours = Sun 8 March 10:00 EDT.
    EXPECT_EQ(add(c, at(2026, 3, 7, 16, 0, -300), 0, 2 * H), at(2026, 3, 8, 10, 0, -240));
    EXPECT_EQ(add(c, at(2026, 3, 7, 16, 0, -300), 1, 0), at(2026, 3, 8, 16, 0, -240));
    EXPECT_EQ(add(c, at(2026, 10, 31, 16, 0, -240), 1, 0), at(2026, 11, 1, 16, 0, -300));
    EXPECT_EQ(c.between(at(2026, 10, 31, 9, 0, -240), at(2026, 11, 2, 9, 0, -300)), 16 * H);
    Calendar early(week("00:00-06:00", {7}), {}, new_york);
    EXPECT_EQ(early.between(at(2026, 3, 8, 0, 0, -300), at(2026, 3, 9, 0, 0, -240)), 5 * H);
    EXPECT_EQ(early.between(at(2026, 11, 1, 0, 0, -240), at(2026, 11, 2, 0, 0, -300)), 7 * H);
    EXPECT_EQ(add(early, at(2026, 11, 1, 0, 0, -240), 0, 6 * H), at(2026, 11, 1, 5, 0, -300));
}

TEST(Calendar, ZonesOffTheWholeHour) {
    Calendar in(week("09:00-17:30"), {}, kolkata);
    // Mon 2 March 2026: 09:00 IST is 03:30 UTC.
    EXPECT_EQ(add(in, at(2026, 3, 2, 9, 0, 330), 0, 8 * H + 30 * M), at(2026, 3, 2, 17, 30, 330));
    EXPECT_EQ(at(2026, 3, 2, 17, 30, 330), at(2026, 3, 2, 12, 0, 0));
    // Sunday 18:45 UTC is already Monday 00:15 in Kolkata.
    EXPECT_EQ(in.local_day(at(2026, 3, 1, 18, 45, 0)), day(2026, 3, 2));
    EXPECT_EQ(in.between(at(2026, 3, 1, 18, 45, 0), at(2026, 3, 2, 4, 0, 0)), 30 * M);
    Calendar au(week("09:00-17:00"), {}, adelaide);
    // Fri 3 April (ACDT, +10:30) + 1 day = Mon 6 April (ACST, +09:30), the same wall time.
    EXPECT_EQ(add(au, at(2026, 4, 3, 10, 0, 630), 1, 0), at(2026, 4, 6, 10, 0, 570));
    EXPECT_EQ(at(2026, 4, 6, 10, 0, 570), at(2026, 4, 6, 0, 30, 0));
    // At the very start of a day's hours, one day of work ends that evening.
    EXPECT_EQ(add(au, at(2026, 4, 3, 9, 0, 630), 1, 0), at(2026, 4, 3, 17, 0, 630));
    EXPECT_EQ(au.between(at(2026, 4, 3, 17, 0, 630), at(2026, 4, 6, 9, 0, 570)), 0);
    EXPECT_EQ(add(au, at(2026, 10, 2, 16, 0, 570), 0, 2 * H), at(2026, 10, 5, 10, 0, 630));
}

TEST(Calendar, AddingTheTimeBetweenReachesTheEnd) {
    std::vector<Holiday> h{{"Bridge", day(2026, 3, 30), day(2026, 4, 1)}};
    Calendar c(week(split, {1, 2, 3, 4, 6}), h, paris);
    std::int64_t a = at(2026, 3, 19, 11, 17, 60);  // a Thursday
    int checked = 0;
    for (std::int64_t b = a; b < at(2026, 4, 20, 0, 0, 120); b += 37 * M) {
        auto ivs = c.intervals(c.local_day(b));
        bool working = false;
        for (auto& iv : ivs) working = working || (b > iv.start && b <= iv.end);
        if (!working) continue;
        EXPECT_EQ(add(c, a, 0, c.between(a, b)), b);
        EXPECT_EQ(add(c, b, 0, -c.between(a, b)), a);
        checked++;
    }
    EXPECT_GT(checked, 100);
}

TEST(Calendar, OutOfRange) {
    Calendar c(week(split), {}, paris);
    auto r = c.add(at(9999, 12, 30, 10, 0, 60), WorkingDuration{5, 0});
    ASSERT_TRUE(std::holds_alternative<Refusal>(r));
    EXPECT_EQ(std::get<Refusal>(r).kind, RefusalKind::bad_date);
    EXPECT_TRUE(std::holds_alternative<Refusal>(c.add(at(9999, 12, 30, 10, 0, 60), WorkingDuration{0, 100 * H})));
    EXPECT_TRUE(std::holds_alternative<Refusal>(c.add(at(1, 1, 2, 10, 0, 60), WorkingDuration{0, -100 * H})));
}
