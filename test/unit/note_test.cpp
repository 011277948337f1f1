#include <gtest/gtest.h>

#include "note.hpp"

namespace pg_actions::core {
namespace {

Facts member(std::initializer_list<Permission> perms, bool assignee) {
    Facts f;
    f.is_member = true;
    f.is_assignee = assignee;
    for (Permission p : perms) f.granted.set(static_cast<std::size_t>(p));
    return f;
}

// Content Manager: reassign + modify + responsible -> full; without being responsible -> append;
// otherwise read only.
TEST(NoteAccess, ThreeLevels) {
    EXPECT_EQ(note_access(member({Permission::reassign_actions, Permission::edit_actions}, true)), NoteAccess::full);
    EXPECT_EQ(note_access(member({Permission::reassign_actions, Permission::edit_actions}, false)),
              NoteAccess::append_only);
    EXPECT_EQ(note_access(member({Permission::administer_actions}, false)), NoteAccess::append_only);
    EXPECT_EQ(note_access(member({Permission::reassign_actions}, true)), NoteAccess::read_only);  // cannot modify
    EXPECT_EQ(note_access(member({Permission::edit_actions}, true)), NoteAccess::read_only);      // cannot reassign
    EXPECT_EQ(note_access(member({}, true)), NoteAccess::read_only);  // actions_access assignee
    EXPECT_EQ(note_access(Facts{}), NoteAccess::read_only);           // not a member
}

TEST(NoteAccess, WhatEachLevelMayDo) {
    for (NoteChange c : {NoteChange::add, NoteChange::edit, NoteChange::remove})
        EXPECT_FALSE(check_note_change(c, NoteAccess::full));
    EXPECT_FALSE(check_note_change(NoteChange::add, NoteAccess::append_only));
    auto edit = check_note_change(NoteChange::edit, NoteAccess::append_only);
    ASSERT_TRUE(edit);
    EXPECT_EQ(edit->kind, RefusalKind::not_permitted);
    EXPECT_EQ(edit->message, "permission denied to edit notes of action");
    EXPECT_NE(edit->detail.find("append only"), std::string::npos);
    auto add = check_note_change(NoteChange::add, NoteAccess::read_only);
    ASSERT_TRUE(add);
    EXPECT_EQ(add->message, "permission denied to add a note to action");
    EXPECT_NE(add->detail.find("read only"), std::string::npos);
}

TEST(NoteBody, RequiredAndBounded) {
    EXPECT_TRUE(check_note_body(std::nullopt));
    EXPECT_TRUE(check_note_body(" \n"));
    EXPECT_FALSE(check_note_body("Called the vendor"));
    EXPECT_FALSE(check_note_body(std::string(max_note_chars, 'x')));
    EXPECT_EQ(check_note_body(std::string(max_note_chars + 1, 'x'))->message, "note is too long");
}

TEST(NoteChanges, AddedEditedDeleted) {
    NoteSnapshot a{7, "first"}, b{7, "second"};
    auto added = note_changes(nullptr, &a);
    ASSERT_EQ(added.size(), 1u);
    EXPECT_EQ(added[0].event, "note_added");
    EXPECT_EQ(added[0].new_value, "first");
    EXPECT_EQ(added[0].detail_json, "{\"note_id\":7}");
    auto edited = note_changes(&a, &b);
    ASSERT_EQ(edited.size(), 1u);
    EXPECT_EQ(edited[0].event, "note_edited");
    EXPECT_EQ(edited[0].old_value, "first");
    EXPECT_EQ(edited[0].new_value, "second");
    EXPECT_TRUE(note_changes(&a, &a).empty());
    auto deleted = note_changes(&b, nullptr);
    ASSERT_EQ(deleted.size(), 1u);
    EXPECT_EQ(deleted[0].event, "note_deleted");
    EXPECT_EQ(deleted[0].old_value, "second");
    EXPECT_FALSE(deleted[0].new_value);
}

}  // namespace
}  // namespace pg_actions::core
