// The maintenance task actions.create_scheduled_actions(): every schedule that is due (next_at has
// passed, not paused) gets its due occurrences created, each exactly once:
//   - the due schedules are locked FOR UPDATE SKIP LOCKED, so a concurrent sweep skips them, and
//     one that waited re-reads next_at (READ COMMITTED) and finds it moved on;
//   - each occurrence is first claimed in actions.schedule_occurrence, whose key (schedule,
//     wall-clock occurrence) admits it once whatever else happens;
//   - after a stop, the schedule's catch_up choice (core::to_create) says which missed ones to create.
// Each action is created as the schedule's owner (OnBehalfOf) through the templates' creation
// path, in its own subtransaction: a refusal (the owner may no longer create actions, the
// template was retired) is recorded on the occurrence instead, and the sweep goes on.
#include "pg/boundary/postgres.hpp"

#include <algorithm>
#include <limits>

#include "core/recurrence.hpp"
#include "pg/api/bulk_rows.hpp"
#include "pg/api/schedule.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/identity/actor.hpp"
#include "pg/store/schedule_store.hpp"
#include "pg/store/sweep_errors.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

TimestampTz now_ts() { return guard([]() -> TimestampTz { return GetCurrentTransactionStartTimestamp(); }); }

// The due occurrences of a schedule (oldest first; for catch_up latest only the newest is kept)
// and its next one after them.
struct Due {
    std::vector<Occurrence> due;
    std::optional<Occurrence> next;
};

Due due_of(const Schedule& s, TimestampTz now) {
    Due d;
    core::LocalSeconds from = *s.next;
    // libical spends microseconds per occurrence and per call: ask for a few first (usually one
    // or two are due, and the next one ends the walk), more while they keep being due.
    std::size_t batch = 4;
    for (;;) {
        std::vector<core::LocalSeconds> some = core::occurrences(s.rrule, s.start, from, batch);
        for (core::LocalSeconds l : some) {
            Occurrence o{l, absolute(l, s.time_zone)};
            if (o.at > now || (s.catch_up == core::CatchUp::all && d.due.size() >= core::max_catch_up)) {
                d.next = o;
                return d;
            }
            if (s.catch_up == core::CatchUp::latest) d.due.clear();
            d.due.push_back(o);
        }
        if (some.size() < batch) return d;  // the rule has ended
        from = some.back() + 1;
        batch = std::min<std::size_t>(batch * 4, 256);
    }
}

// Records the occurrence: its action, or why there is none. False when it was recorded already
// (by another sweep): its key admits each occurrence once.
bool record(const Schedule& s, const Occurrence& o, std::optional<std::int64_t> action_id, const Caught* failed) {
    return store::insert_occurrence(
        s.workspace_id, s.schedule_id, timestamp_of(o.local), o.at, action_id,
        failed ? std::optional<std::string>(sqlstate_text(failed->code)) : std::nullopt,
        failed ? std::optional<std::string>(failed->message) : std::nullopt);
}

// One occurrence, in a subtransaction: its action created as the schedule's owner and recorded;
// when it was recorded already, the action is rolled back; a refusal is recorded instead.
bool create_one(const Schedule& s, const Occurrence& o) {
    Caught error{};
    bool duplicate = false;
    bool created = in_subtransaction(
        [&] {
            std::int64_t id;
            {
                OnBehalfOf owner(s.owner_id);
                id = create_occurrence_action(s, o);
            }
            if (!record(s, o, id, nullptr)) {
                duplicate = true;
                throw PgError(ERRCODE_UNIQUE_VIOLATION, "occurrence created already");
            }
        },
        &error);
    if (created) return true;
    if (!duplicate) record(s, o, std::nullopt, &error);
    return false;
}

struct DueItem {
    const Schedule* schedule;
    Occurrence occurrence;
};

// A chunk of occurrences in one subtransaction: their actions created, then recorded in one
// statement. False when any is refused or recorded already: the chunk is rolled back, and the
// caller runs its occurrences one by one.
bool create_chunk(const std::vector<DueItem>& items, std::size_t from, std::size_t to) {
    Caught error{};
    return in_subtransaction(
        [&] {
            std::vector<std::int64_t> workspaces, schedules, actions;
            std::vector<Timestamp> locals;
            std::vector<TimestampTz> ats;
            for (std::size_t i = from; i < to; i++) {
                const Schedule& s = *items[i].schedule;
                const Occurrence& o = items[i].occurrence;
                {
                    OnBehalfOf owner(s.owner_id);
                    actions.push_back(create_occurrence_action(s, o));
                }
                workspaces.push_back(s.workspace_id);
                schedules.push_back(s.schedule_id);
                locals.push_back(timestamp_of(o.local));
                ats.push_back(o.at);
            }
            if (store::insert_occurrences(workspaces, schedules, locals, ats, actions) != to - from)
                throw PgError(ERRCODE_UNIQUE_VIOLATION, "occurrence created already");
        },
        &error);
}

// Moves each schedule on to its next occurrence: all in one statement, or, when that fails, one
// by one, so a schedule whose row cannot be written is recorded and the others move on (its
// occurrences stay recorded: the next run finds them created). When every schedule of the batch
// fails, the task fails (SweepItems).
void move_on(const std::vector<const Schedule*>& moved, const std::vector<std::optional<Occurrence>>& next,
             SweepItems& items) {
    std::vector<std::int64_t> ids;
    for (const Schedule* s : moved) ids.push_back(s->schedule_id);
    Caught error{};
    if (!ids.empty() && in_subtransaction([&] { set_next_many(ids, next); }, &error)) {
        for (std::size_t i = 0; i < ids.size(); i++) items.succeeded();
        return;
    }
    for (std::size_t i = 0; i < moved.size(); i++) {
        check_for_interrupts();
        if (in_subtransaction([&] { set_next_many({ids[i]}, {next[i]}); }, &error))
            items.succeeded();
        else
            items.failed(moved[i]->workspace_id, "schedule", ids[i], error.code, error.message);
    }
}

}  // namespace

PG_ACTIONS_FUNCTION(pg_actions_create_scheduled_actions) {
    SpiScope spi;
    TimestampTz now = now_ts();
    // At most pg_actions.sweep_batch_size per call, the longest due first (the rest wait for
    // the next call), locked FOR UPDATE SKIP LOCKED.
    std::vector<Schedule> schedules;
    for (const store::ScheduleRow& row : store::lock_due_schedules(sweep_batch_datum()))
        schedules.push_back(schedule_of(row));
    std::int64_t created = 0;
    std::vector<const Schedule*> moved;
    std::vector<std::optional<Occurrence>> next;
    std::vector<DueItem> items;
    SweepItems items_done("create_scheduled_actions");
    for (const Schedule& one : schedules) {
        check_for_interrupts();
        const Schedule* s = &one;
        if (!s->next) continue;
        // Its occurrences are worked out in a subtransaction: a schedule that fails unexpectedly
        // (a rule or time zone that no longer converts) is recorded and left for the next run,
        // and the others go on.
        Due d;
        Caught error{};
        if (!in_subtransaction([&] { d = due_of(*s, now); }, &error)) {
            items_done.failed(s->workspace_id, "schedule", s->schedule_id, error.code, error.message);
            continue;
        }
        std::vector<core::LocalSeconds> locals;
        for (const Occurrence& o : d.due) locals.push_back(o.local);
        std::vector<core::LocalSeconds> make = core::to_create(s->catch_up, locals);
        for (const Occurrence& o : d.due)
            if (std::find(make.begin(), make.end(), o.local) != make.end()) items.push_back({s, o});
        moved.push_back(s);
        next.push_back(d.next);
    }
    // In chunks, as the bulk functions write: one subtransaction and one recording statement
    // per chunk; a chunk with a refusal or a duplicate runs again occurrence by occurrence.
    constexpr std::size_t chunk = 64;
    for (std::size_t from = 0; from < items.size(); from += chunk) {
        check_for_interrupts();
        std::size_t to = std::min(items.size(), from + chunk);
        if (to - from > 1 && create_chunk(items, from, to)) {
            created += static_cast<std::int64_t>(to - from);
            continue;
        }
        for (std::size_t i = from; i < to; i++)
            if (create_one(*items[i].schedule, items[i].occurrence)) created++;
    }
    move_on(moved, next, items_done);
    items_done.finish();
    PG_RETURN_INT64(created);
}
