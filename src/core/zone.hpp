// A time zone as the calendar arithmetic sees it: the UTC offset in force at each instant, and the
// conversion of a local wall-clock time to an instant with a stated rule for the wall times a
// daylight-saving change skips or repeats. The offsets come from outside (the glue reads them from
// PostgreSQL's own time zone data, tests give fixed tables), so the core holds no zone database.
#pragma once
#include <cstdint>
#include <limits>
#include <vector>

#include "pure.hpp"

namespace pg_actions::core {

inline constexpr std::int64_t seconds_per_day = 86400;
inline constexpr std::int64_t never = std::numeric_limits<std::int64_t>::max();

// Offsets are seconds east of UTC; instants here are seconds since 1970-01-01 00:00 UTC; a local
// wall-clock time is written the same way, as if the zone were UTC ("local seconds").
struct OffsetSpan {
    std::int32_t offset;  // in force at the instant asked about
    std::int64_t until;   // the first later instant at which the offset changes (never: none)
};

// Where offsets come from.
class ZoneRules {
public:
    virtual ~ZoneRules() = default;
    virtual OffsetSpan span_from(std::int64_t instant) const = 0;
};

// A zone given by its changes: `initial` before the first change, then each change's offset from
// its instant on (sorted by instant). What the unit tests use; any table of changes will do.
class OffsetTable final : public ZoneRules {
public:
    struct Change {
        std::int64_t at;
        std::int32_t offset;
    };
    OffsetTable(std::int32_t initial, std::vector<Change> changes);
    OffsetSpan span_from(std::int64_t instant) const override;

private:
    std::int32_t initial_;
    std::vector<Change> changes_;
};

// A zone's offsets with the span last asked about remembered (walking forward or backward through
// days asks about neighbouring instants), and the wall-clock conversions.
class Zone {
public:
    explicit Zone(const ZoneRules& rules) : rules_(&rules) {}
    std::int32_t offset_at(std::int64_t instant) const;
    std::int64_t local(std::int64_t instant) const { return instant + offset_at(instant); }
    // The first instant at which the wall clock shows `local_seconds`; a wall time skipped by a
    // change (spring forward) maps to the instant of the change.
    std::int64_t first_instant(std::int64_t local_seconds) const;
    // The last instant at which the wall clock shows it (after a fall back, its second showing);
    // a skipped wall time maps to the instant of the change.
    std::int64_t last_instant(std::int64_t local_seconds) const;

private:
    struct Candidates {
        std::int64_t first, last;
    };
    Candidates candidates(std::int64_t local_seconds) const;
    const ZoneRules* rules_;
    mutable std::int64_t from_ = 1, until_ = 0;  // empty until first asked
    mutable std::int32_t offset_ = 0;
};

// Days since 1970-01-01 and their dates (proleptic Gregorian), ISO weekdays (1 Monday .. 7 Sunday).
struct CivilDate {
    std::int32_t year;
    unsigned month, day;
};
std::int64_t days_from_civil(std::int32_t year, unsigned month, unsigned day);
CivilDate civil_from_days(std::int64_t days);
int iso_weekday(std::int64_t days);
inline std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace pg_actions::core
