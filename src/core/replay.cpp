// Replaying an action's log into the row it implies (see replay.hpp). The inverse of changes()
// in activity.cpp: each event names the field it sets.
#include "replay.hpp"

namespace pg_actions::core {

namespace {

std::optional<std::string> id_text(const std::optional<std::int64_t>& id) {
    if (!id) return std::nullopt;
    return std::to_string(*id);
}

}  // namespace

void Replay::apply(const Entry& e, const CreatedFacts* created) {
    const std::string& ev = e.event;
    if (ev == "created") {
        created_ = true;
        title_ = e.new_value.value_or("");
        status_ = "to_do";
        assignee_id_ = std::optional<std::string>{};
        if (created) {
            record_id_ = created->record_id;
            group_ids_ = created->group_ids.value_or("{}");
            if (created->full) {
                owner_id_ = created->owner_id;
                type_ = created->type;
                description_ = created->description;
                due_at_ = created->due_at;
                priority_ = created->priority;
                template_ = created->template_ref;
            }
        }
    } else if (ev == "assigned" || ev == "reassigned" || ev == "unassigned") {
        assignee_id_ = e.new_value;
    } else if (ev == "started" || ev == "completed" || ev == "uncompleted" || ev == "cancelled" ||
               ev == "overdue" || ev == "no_longer_overdue" || ev == "status_changed") {
        status_ = e.new_value;
    } else if (ev == "title_changed") {
        title_ = e.new_value.value_or("");
    } else if (ev == "description_changed") {
        description_ = e.new_value;
    } else if (ev == "due_changed") {
        due_at_ = e.new_value;
    } else if (ev == "priority_changed") {
        priority_ = e.new_value;
    } else if (ev == "record_changed") {
        record_id_ = e.new_value;
    } else if (ev == "groups_changed") {
        group_ids_ = e.new_value.value_or("{}");
    } else if (ev == "deleted") {
        deleted_ = true;
    }
}

std::optional<std::string> Replay::differs(const RowFacts* row) const {
    if (!row) {
        if (created_ && !deleted_) return "the action row is missing but its log records no deletion";
        return std::nullopt;
    }
    if (!created_) return "the action row has no created entry in the log";
    if (deleted_) return "the log records the action's deletion but its row exists";
    auto field = [](const char* name, const auto& logged, const auto& actual) -> std::optional<std::string> {
        if (logged && *logged != actual) return std::string(name) + " of the row differs from its log";
        return std::nullopt;
    };
    for (auto r : {field("status", status_, row->status), field("title", title_, row->title),
                   field("type", type_, row->type), field("priority", priority_, row->priority),
                   field("groups", group_ids_, row->group_ids), field("owner", owner_id_, id_text(row->owner_id)),
                   field("assignee", assignee_id_, id_text(row->assignee_id)),
                   field("record", record_id_, id_text(row->record_id)),
                   field("description", description_, row->description), field("due date", due_at_, row->due_at),
                   field("template", template_, row->template_ref)})
        if (r) return r;
    return std::nullopt;
}

}  // namespace pg_actions::core
