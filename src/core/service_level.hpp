// Service levels from the activity log: an action's status intervals, the time it spent in each
// status, when it was completed and whether on time, folded from its log entries (the single
// source of truth, so every figure can be recomputed). The glue reads the entries and parses
// their values (times, ids); the rules of what an entry means for service levels are here.
//
// On time: completed at or before the due date as it stood at that completion (the last due date
// the log shows before or with the `completed` entry). A due date moved before completion counts
// as moved; the first due date the action ever had is kept too, so a report can also tell the
// completions that met it. An action completed, uncompleted and completed again is judged by its
// last completion. No due date: neither on time nor late.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar.hpp"
#include "status.hpp"
#include "pure.hpp"

namespace pg_actions::core {

// One log entry as the glue hands it over: the event and its parsed values.
struct LogStep {
    std::int32_t seq = 0;                    // position in the chain (0: not given)
    std::string event;
    std::int64_t at_us = 0;                  // microseconds since 2000-01-01 00:00 UTC
    std::optional<std::string> new_value;    // a status event's new status
    // created: the due date its detail names (due_known false: an entry written before 0.2,
    // which does not say); due_changed: the due dates before and after.
    bool due_known = false;
    std::optional<std::int64_t> due_before_us, due_after_us;
    // created: the fields its detail names; assigned/reassigned/unassigned, record_changed:
    // the id after (nullopt: none); groups_changed: the groups after.
    std::optional<std::string> type;
    std::optional<std::int64_t> owner_id, id_after, template_id;
    std::vector<std::int64_t> group_ids;
};

// A stretch of time in one status; to_us nullopt: the action is in it still.
struct StatusSpan {
    Status status;
    std::int64_t from_us;
    std::optional<std::int64_t> to_us;
};

// What an action's log says for service levels.
struct ServiceFacts {
    bool created = false, deleted = false;
    std::int64_t created_us = 0;
    std::vector<StatusSpan> spans;  // in order, adjacent, each a different status from the last
    std::optional<std::int64_t> completed_us;   // set while the action is complete
    std::optional<std::int64_t> due_at_completion_us;
    std::optional<std::int64_t> first_due_us;   // the first due date the action had
    std::optional<std::int64_t> due_us;         // the due date now
    int completions = 0;                        // how often it was completed
    // The keys a report groups by, as the log last set them.
    std::optional<std::string> type;
    std::optional<std::int64_t> owner_id, assignee_id, record_id, template_id;
    std::vector<std::int64_t> group_ids;
    // The seq of the last entry that changed any of the facts above (the spans aside; 0: none).
    // Entries after it up to the chain's head changed nothing, so a fold continued from these facts
    // (without their spans) over the entries after it gives the facts of the whole chain.
    std::int32_t folded_seq = 0;

    // Complete and not deleted: the action counts among the completed ones.
    bool counts_as_completed() const { return completed_us.has_value() && !deleted; }
    // nullopt: not complete, or complete without a due date.
    std::optional<bool> on_time() const;
    std::optional<bool> met_first_due() const;
    // Completion time less creation time (nullopt unless complete).
    std::optional<std::int64_t> time_to_complete_us() const;
};

// Folds the entries of one action's chain, in seq order. Entries after `deleted` are ignored.
// from: the facts of the chain's entries up to from.folded_seq, to continue with the entries
// after it (steps then holds only those): the summary of completed actions is kept this way, so
// a completion reads the entries since the last change of its row, not the whole log. A fold
// continued from facts without spans has only the spans of the entries it read.
ServiceFacts fold(const std::vector<LogStep>& steps, ServiceFacts from = {});

// Whether a new entry can change the maintained summary of completed actions (so the glue
// refreshes the action's row from its log): a completion; leaving complete (uncompleted, or
// deleted while complete: old_value "complete"); and, while the action is complete after the
// change (complete_after), a change of its due date or of a key reports group by. Entries of
// open actions never do, so ordinary work pays nothing for the summary.
bool affects_summary(std::string_view event, const std::optional<std::string>& old_value, bool complete_after);

// The time spent in each status, open stretches counted up to now_us (a deleted action's last
// stretch ends at its deletion). One row per status the action has been in, in the catalog's
// order, with how many times it entered that status; with a business calendar, also the working
// time of those stretches (the calendar's arithmetic, core/calendar.hpp).
struct StatusTime {
    Status status;
    int entered = 0;
    std::int64_t calendar_us = 0;
    std::optional<std::int64_t> working_us;  // set when a calendar was given
};
std::vector<StatusTime> time_in_status(const ServiceFacts& facts, std::int64_t now_us,
                                       const Calendar* calendar = nullptr);

// The working time from creation to the last completion on a business calendar (nullopt unless
// complete). The log's times count from 2000-01-01, the calendar's from 1970-01-01.
std::optional<std::int64_t> working_to_complete_us(const ServiceFacts& facts, const Calendar& calendar);

// The vocabularies of the report functions: "by" (workspace, assignee, type, group, template)
// and "period" (day, week, month, quarter, year). nullopt for an unknown name.
std::optional<std::vector<std::string_view>> service_level_vocabulary(std::string_view name);

}  // namespace pg_actions::core
