// Schedules' recurrence rules (core/recurrence.hpp): which rules are refused, and the occurrences
// libical expands in floating local time: yearly, quarterly, monthly on a day and on the Nth
// weekday, weekly on days, INTERVAL, UNTIL, COUNT, the catch-up choice, and DST switch days.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "recurrence.hpp"

namespace pg_actions::core {
namespace {

// "2026-01-31 09:00:00" as LocalSeconds, through the core's own text form (checked below).
LocalSeconds at(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
    // days since 1970 by counting, independent of the code under test
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    auto leap = [](int yy) { return (yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0; };
    long days = 0;
    for (int yy = 1970; yy < y; yy++) days += leap(yy) ? 366 : 365;
    for (int m = 1; m < mo; m++) days += mdays[m - 1] + (m == 2 && leap(y) ? 1 : 0);
    days += d - 1;
    return days * 86400L + h * 3600 + mi * 60 + s;
}

std::vector<std::string> texts(const std::vector<LocalSeconds>& v) {
    std::vector<std::string> out;
    for (LocalSeconds t : v) out.push_back(local_text(t));
    return out;
}

std::vector<std::string> first(const char* rule, LocalSeconds start, std::size_t n, LocalSeconds from = -1) {
    return texts(occurrences(rule, start, from < 0 ? start : from, n));
}

TEST(Recurrence, LocalText) {
    EXPECT_EQ(local_text(0), "1970-01-01 00:00:00");
    EXPECT_EQ(local_text(at(2026, 3, 29, 2, 30)), "2026-03-29 02:30:00");
    EXPECT_EQ(local_text(at(2028, 2, 29, 23, 59, 59)), "2028-02-29 23:59:59");
}

TEST(Recurrence, InvalidRulesAreRefused) {
    LocalSeconds start = at(2026, 1, 31, 9);
    for (const char* bad : {"", "garbage", "FREQ=FOO", "FREQ=WEEKLY;BYDAY=XX", "FREQ=DAILY;INTERVAL=0",
                            "FREQ=DAILY;FOO=1", "RRULE:FREQ=DAILY", "BYDAY=MO"}) {
        std::optional<Refusal> r = check_rule(bad, start);
        ASSERT_TRUE(r.has_value()) << bad;
        EXPECT_EQ(r->kind, RefusalKind::invalid_value) << bad;
        EXPECT_NE(r->hint.find("RRULE"), std::string::npos) << bad;
    }
    EXPECT_TRUE(check_rule(std::string(max_rule_length + 1, 'X'), start).has_value());
    EXPECT_FALSE(check_rule("FREQ=YEARLY", start).has_value());
}

TEST(Recurrence, SubDailyFrequenciesAreRefused) {
    LocalSeconds start = at(2026, 1, 31, 9);
    for (const char* fast : {"FREQ=HOURLY", "FREQ=MINUTELY;INTERVAL=15", "FREQ=SECONDLY"}) {
        std::optional<Refusal> r = check_rule(fast, start);
        ASSERT_TRUE(r.has_value()) << fast;
        EXPECT_NE(r->message.find("within a day"), std::string::npos) << fast;
    }
    EXPECT_FALSE(check_rule("FREQ=DAILY;BYHOUR=9,15", start).has_value());
}

TEST(Recurrence, RulesWithoutOccurrencesAreRefused) {
    LocalSeconds start = at(2026, 1, 31, 9);
    std::optional<Refusal> r = check_rule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", start);
    ASSERT_TRUE(r.has_value());
    EXPECT_NE(r->message.find("no occurrence"), std::string::npos);
    EXPECT_TRUE(check_rule("FREQ=DAILY;UNTIL=20251231", start).has_value());
    EXPECT_FALSE(check_rule("FREQ=DAILY;UNTIL=20260131", start).has_value());  // the start's own day
}

TEST(Recurrence, YearlyOnADate) {
    EXPECT_EQ(first("FREQ=YEARLY", at(2026, 3, 31, 9), 3),
              (std::vector<std::string>{"2026-03-31 09:00:00", "2027-03-31 09:00:00", "2028-03-31 09:00:00"}));
    EXPECT_EQ(first("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=1", at(2026, 3, 31, 9), 2),
              (std::vector<std::string>{"2026-12-01 09:00:00", "2027-12-01 09:00:00"}));
    // 29 February: only in leap years.
    EXPECT_EQ(first("FREQ=YEARLY", at(2028, 2, 29, 9), 2),
              (std::vector<std::string>{"2028-02-29 09:00:00", "2032-02-29 09:00:00"}));
}

TEST(Recurrence, Quarterly) {
    EXPECT_EQ(first("FREQ=MONTHLY;INTERVAL=3", at(2026, 1, 15, 9), 4),
              (std::vector<std::string>{"2026-01-15 09:00:00", "2026-04-15 09:00:00", "2026-07-15 09:00:00",
                                        "2026-10-15 09:00:00"}));
    // The last day of each quarter's last month.
    EXPECT_EQ(first("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1", at(2026, 3, 1, 9), 3),
              (std::vector<std::string>{"2026-03-31 09:00:00", "2026-06-30 09:00:00", "2026-09-30 09:00:00"}));
}

TEST(Recurrence, MonthlyOnADayAndOnTheNthWeekday) {
    // The 31st: months without one are skipped (RFC 5545).
    EXPECT_EQ(first("FREQ=MONTHLY;BYMONTHDAY=31", at(2026, 1, 31, 9), 3),
              (std::vector<std::string>{"2026-01-31 09:00:00", "2026-03-31 09:00:00", "2026-05-31 09:00:00"}));
    EXPECT_EQ(first("FREQ=MONTHLY;BYDAY=2TU", at(2026, 1, 31, 9), 3),
              (std::vector<std::string>{"2026-02-10 09:00:00", "2026-03-10 09:00:00", "2026-04-14 09:00:00"}));
    EXPECT_EQ(first("FREQ=MONTHLY;BYDAY=-1FR", at(2026, 1, 1, 9), 2),
              (std::vector<std::string>{"2026-01-30 09:00:00", "2026-02-27 09:00:00"}));
    EXPECT_EQ(first("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1", at(2026, 1, 1, 9), 2),
              (std::vector<std::string>{"2026-01-05 09:00:00", "2026-02-02 09:00:00"}));
}

TEST(Recurrence, WeeklyOnDaysWithInterval) {
    EXPECT_EQ(first("FREQ=WEEKLY;BYDAY=MO,FR", at(2026, 1, 31, 9), 3),
              (std::vector<std::string>{"2026-02-02 09:00:00", "2026-02-06 09:00:00", "2026-02-09 09:00:00"}));
    EXPECT_EQ(first("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", at(2026, 1, 5, 9), 3),
              (std::vector<std::string>{"2026-01-05 09:00:00", "2026-01-19 09:00:00", "2026-02-02 09:00:00"}));
}

TEST(Recurrence, UntilAndCount) {
    EXPECT_EQ(first("FREQ=DAILY;COUNT=3", at(2026, 1, 31, 9), 10),
              (std::vector<std::string>{"2026-01-31 09:00:00", "2026-02-01 09:00:00", "2026-02-02 09:00:00"}));
    // COUNT counts from the start, also when asked from later on.
    EXPECT_EQ(first("FREQ=DAILY;COUNT=3", at(2026, 1, 31, 9), 10, at(2026, 2, 1)),
              (std::vector<std::string>{"2026-02-01 09:00:00", "2026-02-02 09:00:00"}));
    // An UNTIL date includes its whole day; an UNTIL time is the wall clock, Z or not.
    EXPECT_EQ(first("FREQ=DAILY;UNTIL=20260202", at(2026, 1, 31, 9), 10).size(), 3u);
    EXPECT_EQ(first("FREQ=DAILY;UNTIL=20260202T085959", at(2026, 1, 31, 9), 10).size(), 2u);
    EXPECT_EQ(first("FREQ=DAILY;UNTIL=20260202T090000Z", at(2026, 1, 31, 9), 10).size(), 3u);
    EXPECT_TRUE(occurrences("FREQ=DAILY;COUNT=3", at(2026, 1, 31, 9), at(2026, 2, 3), 10).empty());
}

TEST(Recurrence, JumpingAheadAgreesWithWalkingFromTheStart) {
    LocalSeconds start = at(2020, 1, 31, 9);
    for (const char* rule : {"FREQ=YEARLY", "FREQ=MONTHLY;INTERVAL=3", "FREQ=MONTHLY;BYDAY=2TU",
                             "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR", "FREQ=DAILY;INTERVAL=5", "FREQ=MONTHLY;BYMONTHDAY=-1"}) {
        std::vector<LocalSeconds> walk = occurrences(rule, start, start, 400);
        ASSERT_EQ(walk.size(), 400u) << rule;
        for (std::size_t i : {1u, 17u, 133u, 398u}) {
            LocalSeconds from = walk[i] - 1;  // just before an occurrence: that one comes first
            std::vector<LocalSeconds> jump = occurrences(rule, start, from, 2);
            ASSERT_EQ(jump.size(), 2u) << rule << " " << i;
            EXPECT_EQ(jump[0], walk[i]) << rule << " from " << local_text(from);
            EXPECT_EQ(jump[1], walk[i + 1]) << rule;
        }
    }
}

TEST(Recurrence, DstSwitchDaysKeepTheWallClock) {
    // Europe/Berlin skips 02:00-03:00 on 2026-03-29 and repeats it on 2026-10-25: in floating time
    // the rule still says 02:30 every day; the glue places such a wall time (PostgreSQL's rule).
    EXPECT_EQ(first("FREQ=DAILY", at(2026, 3, 28, 2, 30), 3),
              (std::vector<std::string>{"2026-03-28 02:30:00", "2026-03-29 02:30:00", "2026-03-30 02:30:00"}));
    EXPECT_EQ(first("FREQ=DAILY", at(2026, 10, 24, 2, 30), 3),
              (std::vector<std::string>{"2026-10-24 02:30:00", "2026-10-25 02:30:00", "2026-10-26 02:30:00"}));
    // Yearly on the switch day itself (last Sunday of March).
    EXPECT_EQ(first("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", at(2026, 1, 1, 2, 30), 2),
              (std::vector<std::string>{"2026-03-29 02:30:00", "2027-03-28 02:30:00"}));
}

TEST(Recurrence, CatchUp) {
    std::vector<LocalSeconds> due = {10, 20, 30};
    EXPECT_EQ(to_create(CatchUp::all, due), due);
    EXPECT_EQ(to_create(CatchUp::latest, due), std::vector<LocalSeconds>{30});
    EXPECT_TRUE(to_create(CatchUp::latest, {}).empty());
    std::vector<LocalSeconds> many(max_catch_up + 5);
    for (std::size_t i = 0; i < many.size(); i++) many[i] = static_cast<LocalSeconds>(i);
    std::vector<LocalSeconds> made = to_create(CatchUp::all, many);
    ASSERT_EQ(made.size(), max_catch_up);
    EXPECT_EQ(made.back(), static_cast<LocalSeconds>(max_catch_up - 1));
    EXPECT_EQ(parse_catch_up("all"), CatchUp::all);
    EXPECT_EQ(parse_catch_up("latest"), CatchUp::latest);
    EXPECT_FALSE(parse_catch_up("some").has_value());
}

TEST(Recurrence, WhoMayChangeASchedule) {
    Facts outsider;
    EXPECT_EQ(may_change_schedule(outsider, true, 7)->kind, RefusalKind::not_found);
    EXPECT_EQ(may_change_schedule(outsider, true, 7)->message, "schedule 7 not found");
    Facts member;
    member.is_member = true;
    EXPECT_EQ(may_change_schedule(member, false, 7)->kind, RefusalKind::not_permitted);
    EXPECT_EQ(may_change_schedule(member, true, 7)->kind, RefusalKind::not_permitted);  // may no longer create
    EXPECT_EQ(may_create_schedule(member)->kind, RefusalKind::not_permitted);
    Facts creator = member;
    creator.granted.set(static_cast<std::size_t>(Permission::create_actions));
    EXPECT_FALSE(may_create_schedule(creator).has_value());
    EXPECT_FALSE(may_change_schedule(creator, true, 7).has_value());
    EXPECT_EQ(may_change_schedule(creator, false, 7)->kind, RefusalKind::not_permitted);
    Facts manager = member;
    manager.granted.set(static_cast<std::size_t>(Permission::manage_workspace));
    EXPECT_FALSE(may_change_schedule(manager, false, 7).has_value());
}

TEST(Recurrence, NormalRule) {
    EXPECT_EQ(normal_rule("FREQ=MONTHLY;INTERVAL=3"), "FREQ=MONTHLY;INTERVAL=3");
    EXPECT_EQ(normal_rule("freq=yearly"), normal_rule("FREQ=YEARLY"));
}

}  // namespace
}  // namespace pg_actions::core
