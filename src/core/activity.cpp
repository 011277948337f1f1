// The log's diff of two action states: which entries a change means (see activity.hpp).
#include "activity.hpp"

#include <utility>

#include "text.hpp"

namespace pg_actions::core {

namespace {

std::optional<std::string> due_text(const std::optional<std::int64_t>& due_at_us) {
    if (!due_at_us) return std::nullopt;
    return iso_utc(*due_at_us);
}

std::optional<std::string> evidence_detail(const ActionState& after) {
    if (!after.evidence) return std::nullopt;
    const EvidenceFacts& e = *after.evidence;
    return "{\"evidence_id\":" + std::to_string(e.evidence_id) +
           ",\"name\":" + json_string(e.name) + ",\"sha256\":" + json_string(e.sha256_hex) +
           ",\"size\":" + std::to_string(e.size_bytes) + "}";
}

std::optional<std::string> overdue_detail(const ActionState& after) {
    if (!after.due_at_us) return std::nullopt;
    return "{\"due_at\":" + json_string(iso_utc(*after.due_at_us)) + "}";
}

void add(std::vector<Change>& out, std::string event, std::optional<std::string> old_value,
         std::optional<std::string> new_value, std::optional<std::string> detail = std::nullopt) {
    out.push_back(Change{std::move(event), std::move(old_value), std::move(new_value),
                         std::move(detail)});
}

// The lifecycle part of a change. An insert goes through here too, as a move from a fresh
// to_do action, so a row born in progress, complete or cancelled is logged like an update.
void status_changes(std::vector<Change>& out, Status from, bool was_started, const ActionState& after) {
    const std::string old_name{status_name(from)};
    const std::string new_name{status_name(after.status)};
    const bool started_now = !was_started && after.started;
    if (started_now) add(out, "started", old_name, new_name);
    if (from == after.status) return;
    if (started_now && from == Status::to_do && after.status == Status::in_progress) return;

    std::string event = "status_changed";
    std::optional<std::string> detail;
    if (after.status == Status::complete) {
        event = "completed";
        detail = evidence_detail(after);
    } else if (from == Status::complete) {
        event = "uncompleted";
    } else if (after.status == Status::cancelled) {
        event = "cancelled";
        if (after.cancel_reason)
            detail = "{\"reason\":" + json_string(*after.cancel_reason) + "}";
    } else if (after.status == Status::overdue) {
        event = "overdue";
        detail = overdue_detail(after);
    } else if (from == Status::overdue) {
        event = "no_longer_overdue";
    }
    add(out, std::move(event), old_name, new_name, std::move(detail));
}

void assignee_change(std::vector<Change>& out, const std::optional<std::int64_t>& before,
                     const std::optional<std::int64_t>& after) {
    if (before == after) return;
    auto text = [](std::int64_t id) { return std::to_string(id); };
    if (!before) add(out, "assigned", std::nullopt, text(*after));
    else if (!after) add(out, "unassigned", text(*before), std::nullopt);
    else add(out, "reassigned", text(*before), text(*after));
}

// Group ids as a PostgreSQL array literal, e.g. {3,7}.
std::string groups_text(const std::vector<std::int64_t>& ids) {
    std::string out = "{";
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i) out.push_back(',');
        out.append(std::to_string(ids[i]));
    }
    out.push_back('}');
    return out;
}

template <typename T>
void field_change(std::vector<Change>& out, std::string event, const T& before, const T& after) {
    if (before != after) add(out, std::move(event), before, after);
}

}  // namespace

std::vector<Change> changes(const ActionState* before, const ActionState* after) {
    std::vector<Change> out;
    if (!after) {
        if (before) add(out, "deleted", std::string{status_name(before->status)}, std::nullopt);
        return out;
    }
    if (!before) {
        // Everything the row starts with, so that verify_log can replay the row from its log.
        auto id_json = [](const std::optional<std::int64_t>& id) { return id ? std::to_string(*id) : "null"; };
        auto text_json = [](const std::optional<std::string>& t) { return t ? json_string(*t) : "null"; };
        std::string detail = "{\"owner_id\":" + id_json(after->owner_id) + ",\"type\":" + json_string(after->type) +
                             ",\"description\":" + text_json(after->description) +
                             ",\"due_at\":" + text_json(due_text(after->due_at_us)) +
                             ",\"priority\":" + json_string(after->priority) +
                             ",\"record_id\":" + id_json(after->record_id) +
                             ",\"group_ids\":" + json_string(groups_text(after->group_ids));
        // Only an action made from a template says so: older entries keep their exact text.
        if (after->template_id)
            detail += ",\"template_id\":" + std::to_string(*after->template_id) +
                      ",\"template_version\":" + id_json(after->template_version);
        detail += "}";
        add(out, "created", std::nullopt, after->title, std::move(detail));
        assignee_change(out, std::nullopt, after->assignee_id);
        status_changes(out, Status::to_do, false, *after);
        return out;
    }
    assignee_change(out, before->assignee_id, after->assignee_id);
    field_change(out, "title_changed", before->title, after->title);
    field_change(out, "description_changed", before->description, after->description);
    field_change(out, "due_changed", due_text(before->due_at_us), due_text(after->due_at_us));
    field_change(out, "priority_changed", before->priority, after->priority);
    if (before->record_id != after->record_id)
        add(out, "record_changed", before->record_id ? std::optional<std::string>(std::to_string(*before->record_id)) : std::nullopt,
            after->record_id ? std::optional<std::string>(std::to_string(*after->record_id)) : std::nullopt);
    if (before->group_ids != after->group_ids)
        add(out, "groups_changed", groups_text(before->group_ids), groups_text(after->group_ids));
    // A cancellation logs its reason with the status change; a reason changed afterwards, or left
    // on a row that is not cancelled, is a change of its own.
    bool cancelling = after->status == Status::cancelled && before->status != Status::cancelled;
    if (!cancelling) field_change(out, "cancel_reason_changed", before->cancel_reason, after->cancel_reason);
    if (before->outcome != after->outcome || before->outcome_comment != after->outcome_comment) {
        std::optional<std::string> detail;
        if (after->outcome_comment) detail = "{\"comment\":" + json_string(*after->outcome_comment) + "}";
        add(out, "outcome", before->outcome, after->outcome, std::move(detail));
    }
    status_changes(out, before->status, before->started, *after);
    return out;
}

bool completes(const ActionState* before, const ActionState& after) {
    return after.status == Status::complete && (!before || before->status != Status::complete);
}

}  // namespace pg_actions::core
