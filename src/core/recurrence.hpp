// Calendar recurrence of schedules: RFC 5545 recurrence rules (RRULE), parsed and expanded by
// libical (Debian's libical3), never by a parser of our own. The core owns which rules a schedule
// may hold and which occurrences a sweep creates (the catch-up choice); the glue turns occurrences
// into absolute times.
//
// Time: a rule is expanded in floating local time, the wall clock of the workspace's time zone
// with no zone attached (LocalSeconds: wall-clock seconds since 1970-01-01 00:00). libical sees no
// time zone at all; the glue converts each occurrence to a timestamptz with PostgreSQL's own
// `timestamp AT TIME ZONE zone` rules (its tz database, the one every other date of the workspace
// uses). So "every year on 31 March at 09:00" stays at 09:00 local across DST changes, and a wall
// time that does not exist on a DST switch day is placed as PostgreSQL places it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog.hpp"
#include "permission.hpp"
#include "pure.hpp"
#include "refusal.hpp"

namespace pg_actions::core {

// Wall-clock seconds since 1970-01-01 00:00 in the workspace's time zone (floating local time).
using LocalSeconds = std::int64_t;

// The longest rule text accepted, and the most occurrences a sweep creates for one schedule at
// once (the rest follow in the next sweeps).
inline constexpr std::size_t max_rule_length = 1000;
inline constexpr std::size_t max_catch_up = 1000;

// Whether `rule` (the value of an RRULE property, without "RRULE:") may be a schedule's rule
// starting at `start`: it parses, its frequency is DAILY or slower (a schedule is a calendar
// recurrence; the sweep is not a clock), and it has at least one occurrence at or after `start`.
// An UNTIL that is a date (UNTIL=20271231) includes that whole day; an UNTIL with a time is read
// as the workspace's wall clock, like the start.
std::optional<Refusal> check_rule(std::string_view rule, LocalSeconds start);

// The rule in libical's normal form (parts in a fixed order), for storing and showing; the input
// itself when it does not parse.
std::string normal_rule(std::string_view rule);

// The occurrences of `rule` started at `start`, those at or after `from`, in order, at most
// `limit`. Empty for a rule that does not parse.
std::vector<LocalSeconds> occurrences(std::string_view rule, LocalSeconds start, LocalSeconds from, std::size_t limit);

// Which of the due occurrences (in order, oldest first) a sweep creates: every one (at most
// max_catch_up; the rest stay due), or only the latest (the older ones are passed over).
std::vector<LocalSeconds> to_create(CatchUp mode, const std::vector<LocalSeconds>& due);

// Who may do what with schedules. Creating one needs create_actions: a schedule creates only what
// its owner could create by hand, as that owner, with create_action's rules checked again at each
// occurrence. Pausing, resuming and deleting it: its owner while they may still create actions,
// or anyone who may manage the workspace. A schedule of a workspace the actor is not an active
// member of is not found (members read every schedule of their workspaces).
std::optional<Refusal> may_create_schedule(const Facts& facts);
std::optional<Refusal> may_change_schedule(const Facts& facts, bool owns, std::int64_t schedule_id);
Refusal schedule_not_found(std::int64_t schedule_id);

// "2027-03-31 09:00:00": a local time for messages and logs.
std::string local_text(LocalSeconds t);

}  // namespace pg_actions::core
