#include <gtest/gtest.h>

#include "replay.hpp"

namespace pg_actions::core {
namespace {

Entry e(std::string event, std::optional<std::string> new_value = std::nullopt) {
    Entry out;
    out.event = std::move(event);
    out.new_value = std::move(new_value);
    return out;
}

CreatedFacts full() {
    CreatedFacts c;
    c.full = true;
    c.owner_id = "2";
    c.type = "task";
    c.due_at = "2030-01-01T00:00:00.000000Z";
    c.priority = "high";
    c.group_ids = "{}";
    return c;
}

RowFacts row() {
    RowFacts r;
    r.status = "to_do";
    r.title = "Plan";
    r.type = "task";
    r.priority = "high";
    r.owner_id = 2;
    r.due_at = "2030-01-01T00:00:00.000000Z";
    r.group_ids = "{}";
    return r;
}

TEST(Replay, TheRowItsLogImplies) {
    Replay r;
    CreatedFacts c = full();
    r.apply(e("created", "Plan"), &c);
    RowFacts now = row();
    EXPECT_EQ(r.differs(&now), std::nullopt);
    r.apply(e("assigned", "5"), nullptr);
    r.apply(e("started", "in_progress"), nullptr);
    r.apply(e("title_changed", "Plan B"), nullptr);
    r.apply(e("due_changed"), nullptr);
    r.apply(e("groups_changed", "{3}"), nullptr);
    r.apply(e("record_changed", "8"), nullptr);
    now.assignee_id = 5;
    now.status = "in_progress";
    now.title = "Plan B";
    now.due_at = std::nullopt;
    now.group_ids = "{3}";
    now.record_id = 8;
    EXPECT_EQ(r.differs(&now), std::nullopt);
    r.apply(e("note_added", "x"), nullptr);  // notes do not touch the row
    EXPECT_EQ(r.differs(&now), std::nullopt);
}

TEST(Replay, TheTemplateAnActionWasMadeFrom) {
    Replay r;
    CreatedFacts c = full();
    c.template_ref = "4/2";
    r.apply(e("created", "Plan"), &c);
    RowFacts now = row();
    now.template_ref = "4/2";
    EXPECT_EQ(r.differs(&now), std::nullopt);
    now.template_ref = "4/1";
    EXPECT_EQ(r.differs(&now), "template of the row differs from its log");
    now.template_ref = std::nullopt;
    EXPECT_EQ(r.differs(&now), "template of the row differs from its log");
}

TEST(Replay, EachFieldChangedWithoutTheLog) {
    Replay r;
    CreatedFacts c = full();
    r.apply(e("created", "Plan"), &c);
    auto changed = [&](auto edit) {
        RowFacts x = row();
        edit(x);
        return r.differs(&x).value_or("");
    };
    EXPECT_EQ(changed([](RowFacts& x) { x.status = "complete"; }), "status of the row differs from its log");
    EXPECT_EQ(changed([](RowFacts& x) { x.title = "T"; }), "title of the row differs from its log");
    EXPECT_EQ(changed([](RowFacts& x) { x.type = "review"; }), "type of the row differs from its log");
    EXPECT_EQ(changed([](RowFacts& x) { x.priority = "low"; }), "priority of the row differs from its log");
    EXPECT_EQ(changed([](RowFacts& x) { x.group_ids = "{1}"; }), "groups of the row differs from its log");
    EXPECT_EQ(changed([](RowFacts& x) { x.owner_id = 3; }), "owner of the row differs from its log");
    EXPECT_EQ(changed([](RowFacts& x) { x.assignee_id = 3; }), "assignee of the row differs from its log");
    EXPECT_EQ(changed([](RowFacts& x) { x.record_id = 1; }), "record of the row differs from its log");
    EXPECT_EQ(changed([](RowFacts& x) { x.description.emplace(1, 'd'); }), "description of the row differs from its log");
    EXPECT_EQ(changed([](RowFacts& x) { x.due_at = std::nullopt; }), "due date of the row differs from its log");
    EXPECT_EQ(changed([](RowFacts& x) { x.template_ref = "4/1"; }), "template of the row differs from its log");
}

TEST(Replay, DeletionAndMissingRows) {
    Replay r;
    CreatedFacts c = full();
    r.apply(e("created", "Plan"), &c);
    EXPECT_EQ(r.differs(nullptr), "the action row is missing but its log records no deletion");
    r.apply(e("deleted"), nullptr);
    EXPECT_EQ(r.differs(nullptr), std::nullopt);
    RowFacts back = row();
    EXPECT_EQ(r.differs(&back), "the log records the action's deletion but its row exists");
    Replay none;
    EXPECT_EQ(none.differs(&back), "the action row has no created entry in the log");
}

TEST(Replay, EntriesBefore02LeaveUnloggedFieldsUnknown) {
    Replay r;
    CreatedFacts old;  // 0.1 wrote only record_id and group_ids
    r.apply(e("created", "Plan"), &old);
    RowFacts x = row();
    x.owner_id = 99;
    x.priority = "low";
    x.due_at = std::nullopt;
    EXPECT_EQ(r.differs(&x), std::nullopt);
    r.apply(e("priority_changed", "medium"), nullptr);
    EXPECT_EQ(r.differs(&x), "priority of the row differs from its log");
}

}  // namespace
}  // namespace pg_actions::core
