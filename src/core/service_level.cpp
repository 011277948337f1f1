// Service levels folded from an action's log entries (see service_level.hpp).
#include "service_level.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace pg_actions::core {

namespace {

// Microseconds from 1970-01-01 to 2000-01-01, PostgreSQL's epoch, in which the log's times count.
constexpr std::int64_t unix_us_at_log_epoch = 946'684'800'000'000;

std::int64_t working_between(const Calendar& c, std::int64_t from_us, std::int64_t to_us) {
    return c.between(from_us + unix_us_at_log_epoch, to_us + unix_us_at_log_epoch);
}

constexpr std::array<Status, 5> report_order{Status::to_do, Status::in_progress, Status::overdue,
                                             Status::complete, Status::cancelled};

// The events that move an action from one status to another (core/activity.cpp writes them with
// the new status as new_value).
bool is_status_event(std::string_view e) {
    return e == "started" || e == "completed" || e == "uncompleted" || e == "cancelled" || e == "overdue" ||
           e == "no_longer_overdue" || e == "status_changed";
}

// Enters `to` at `at`. Entries of one transaction share their time: a status left the instant it
// was entered (an action inserted in progress is logged as created, then started) leaves no
// stretch of its own.
void enter(std::vector<StatusSpan>& spans, Status to, std::int64_t at) {
    if (!spans.empty() && !spans.back().to_us && spans.back().status == to) return;
    if (!spans.empty() && !spans.back().to_us && spans.back().from_us == at) {
        spans.pop_back();
        if (!spans.empty() && spans.back().status == to && spans.back().to_us == at) {
            spans.back().to_us.reset();
            return;
        }
        spans.push_back(StatusSpan{to, at, std::nullopt});
        return;
    }
    if (!spans.empty() && !spans.back().to_us) spans.back().to_us = std::max(at, spans.back().from_us);
    spans.push_back(StatusSpan{to, at, std::nullopt});
}

}  // namespace

std::optional<bool> ServiceFacts::on_time() const {
    if (!counts_as_completed() || !due_at_completion_us) return std::nullopt;
    return *completed_us <= *due_at_completion_us;
}

std::optional<bool> ServiceFacts::met_first_due() const {
    if (!counts_as_completed() || !first_due_us) return std::nullopt;
    return *completed_us <= *first_due_us;
}

std::optional<std::int64_t> ServiceFacts::time_to_complete_us() const {
    if (!counts_as_completed() || !created) return std::nullopt;
    return std::max<std::int64_t>(0, *completed_us - created_us);
}

ServiceFacts fold(const std::vector<LogStep>& steps, ServiceFacts from) {
    ServiceFacts f = std::move(from);
    bool changed = false;
    // Sets a fact, noting whether the entry changed it.
    auto set = [&changed](auto& fact, const auto& value) {
        if (fact == value) return;
        fact = value;
        changed = true;
    };
    auto note_due = [&](const std::optional<std::int64_t>& d) {
        if (!f.first_due_us && d) set(f.first_due_us, d);
    };
    for (const LogStep& s : steps) {
        if (f.deleted) break;
        changed = false;
        const std::string_view e = s.event;
        if (e == "created") {
            set(f.created, true);
            set(f.created_us, s.at_us);
            set(f.type, s.type);
            set(f.owner_id, s.owner_id);
            set(f.record_id, s.id_after);
            set(f.template_id, s.template_id);
            set(f.group_ids, s.group_ids);
            if (s.due_known) {
                set(f.due_us, s.due_after_us);
                note_due(s.due_after_us);
            }
            enter(f.spans, Status::to_do, s.at_us);
        } else if (e == "assigned" || e == "reassigned" || e == "unassigned") {
            set(f.assignee_id, s.id_after);
        } else if (e == "record_changed") {
            set(f.record_id, s.id_after);
        } else if (e == "groups_changed") {
            set(f.group_ids, s.group_ids);
        } else if (e == "due_changed") {
            note_due(s.due_before_us);  // an entry written before 0.2 did not log the first due date
            set(f.due_us, s.due_after_us);
            note_due(s.due_after_us);
        } else if (e == "deleted") {
            set(f.deleted, true);
            if (!f.spans.empty() && !f.spans.back().to_us)
                f.spans.back().to_us = std::max(s.at_us, f.spans.back().from_us);
        } else if (is_status_event(e)) {
            std::optional<Status> to = s.new_value ? parse_status(*s.new_value) : std::nullopt;
            if (!to) continue;
            const bool was_complete = f.completed_us.has_value();
            if (*to == Status::complete && !was_complete) {
                set(f.completed_us, std::optional<std::int64_t>(s.at_us));
                set(f.due_at_completion_us, f.due_us);
                set(f.completions, f.completions + 1);
            } else if (*to != Status::complete) {
                set(f.completed_us, std::optional<std::int64_t>());
                set(f.due_at_completion_us, std::optional<std::int64_t>());
            }
            enter(f.spans, *to, s.at_us);
        }
        if (changed) f.folded_seq = s.seq;
    }
    return f;
}

bool affects_summary(std::string_view e, const std::optional<std::string>& old_value, bool complete_after) {
    if (e == "completed") return true;
    // Leaving complete (uncompleted, or deleted while complete).
    if ((is_status_event(e) || e == "deleted") && old_value && *old_value == status_name(Status::complete))
        return true;
    return complete_after && (e == "due_changed" || e == "assigned" || e == "reassigned" || e == "unassigned" ||
                              e == "record_changed" || e == "groups_changed");
}

std::vector<StatusTime> time_in_status(const ServiceFacts& facts, std::int64_t now_us, const Calendar* calendar) {
    std::vector<StatusTime> out;
    for (Status st : report_order) {
        StatusTime t{st, 0, 0, std::nullopt};
        if (calendar) t.working_us = 0;
        for (const StatusSpan& sp : facts.spans) {
            if (sp.status != st) continue;
            ++t.entered;
            const std::int64_t end = sp.to_us.value_or(now_us);
            if (end <= sp.from_us) continue;
            t.calendar_us += end - sp.from_us;
            if (calendar) *t.working_us += working_between(*calendar, sp.from_us, end);
        }
        if (t.entered > 0) out.push_back(t);
    }
    return out;
}

std::optional<std::int64_t> working_to_complete_us(const ServiceFacts& facts, const Calendar& calendar) {
    if (!facts.counts_as_completed() || !facts.created) return std::nullopt;
    if (*facts.completed_us <= facts.created_us) return 0;
    return working_between(calendar, facts.created_us, *facts.completed_us);
}

std::optional<std::vector<std::string_view>> service_level_vocabulary(std::string_view name) {
    if (name == "by") return std::vector<std::string_view>{"workspace", "assignee", "type", "group", "template"};
    if (name == "period") return std::vector<std::string_view>{"day", "week", "month", "quarter", "year"};
    return std::nullopt;
}

}  // namespace pg_actions::core
