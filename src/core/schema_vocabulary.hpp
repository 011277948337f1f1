// Every column the schema restricts to a list of names, with the core's list for it: a table's
// CHECK (column IN (...)) or CHECK (column = ANY (ARRAY[...])), or a domain's CHECK (VALUE IN
// (...)). Two tests hold the SQL to it: test/unit/catalog_test.cpp reads the install scripts
// (every such CHECK, each occurrence), test/pgtap/catalog_checks.sql reads pg_constraint of the
// installed (or upgraded) schema through actions.enumerated_columns(). Each CHECK must list
// exactly these names in this order, and each column listed here must have such a CHECK.
#pragma once
#include <string_view>
#include <vector>

#include "pure.hpp"

namespace pg_actions::core {

struct EnumeratedColumn {
    std::string_view table;   // actions.<table>, or the domain's name
    std::string_view column;  // "value" for a domain
    std::vector<std::string_view> names;
};
std::vector<EnumeratedColumn> enumerated_columns();

// The enumerations of tables the glue writes with fixed values (no C++ type of their own).
// actions.workspace.bulk_notification: a bulk call's notifications one by one or as one digest.
std::vector<std::string_view> bulk_notification_names();
// actions.delivery_channel.channel and actions.notification_delivery.state (contrib/notifier).
std::vector<std::string_view> delivery_channel_names();
std::vector<std::string_view> delivery_state_names();
// actions.maintenance_run.outcome and actions.maintenance_error.item (what a sweep's item is).
std::vector<std::string_view> maintenance_outcome_names();
std::vector<std::string_view> sweep_item_names();

}  // namespace pg_actions::core
