// The trigger's view of an action row (action_row.hpp): the columns' attribute numbers, kept per
// relation, and a row deformed once.
#include "pg/triggers/action_row.hpp"

#include "pg/boundary/module.hpp"

#include <optional>

namespace pg_actions::pg {

namespace {

Oid columns_relid = InvalidOid;
std::optional<Columns> columns;
bool columns_watched = false;

void forget_columns(Datum, Oid) { columns_relid = InvalidOid; }

}  // namespace

const Columns& columns_of(Relation rel) {
    if (!columns_watched) {
        guard([] { on_relation_invalidation(forget_columns); });
        columns_watched = true;
    }
    if (columns_relid != RelationGetRelid(rel) || !columns) {
        columns_relid = InvalidOid;  // a missing column throws: nothing half-made is kept
        columns.emplace(RelationGetDescr(rel));
        columns_relid = RelationGetRelid(rel);
    }
    return *columns;
}

void Tuple::deform() const {
    guard([&] {
        Datum* v = static_cast<Datum*>(palloc(sizeof(Datum) * desc->natts));
        bool* n = static_cast<bool*>(palloc(sizeof(bool) * desc->natts));
        heap_deform_tuple(tuple, desc, v, n);
        values = v;
        nulls = n;
    });
}

}  // namespace pg_actions::pg
