// A row of actions.action (or actions.note) as the triggers read it: columns found by name (a
// missing one is a clean error, never an attribute number below 1), typed accessors, and the
// checked trigger call.
#pragma once

#include "pg/boundary/postgres.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/catalog.hpp"
#include "core/status.hpp"
#include "pg/boundary/spi.hpp"

namespace pg_actions::pg {

// Attribute numbers of actions.action, looked up by name so column order does not matter.
struct Columns {
    int workspace_id, action_id, title, description, type, priority, status, owner_id, assignee_id, due_at,
        record_id, created_at, updated_at, started_at, completed_at, completed_by, cancel_reason, evidence_id,
        group_ids, workflow, outcome, outcome_comment, template_id, template_version, offered, claimed, delegated_by,
        delegation;

    explicit Columns(TupleDesc d)
        : workspace_id(attnum(d, "workspace_id")), action_id(attnum(d, "action_id")), title(attnum(d, "title")),
          description(attnum(d, "description")), type(attnum(d, "type")), priority(attnum(d, "priority")),
          status(attnum(d, "status")), owner_id(attnum(d, "owner_id")), assignee_id(attnum(d, "assignee_id")),
          due_at(attnum(d, "due_at")), record_id(attnum(d, "record_id")), created_at(attnum(d, "created_at")),
          updated_at(attnum(d, "updated_at")), started_at(attnum(d, "started_at")),
          completed_at(attnum(d, "completed_at")), completed_by(attnum(d, "completed_by")),
          cancel_reason(attnum(d, "cancel_reason")), evidence_id(attnum(d, "evidence_id")),
          group_ids(attnum(d, "group_ids")), workflow(attnum(d, "workflow")), outcome(attnum(d, "outcome")),
          outcome_comment(attnum(d, "outcome_comment")), template_id(attnum(d, "template_id")),
          template_version(attnum(d, "template_version")), offered(attnum(d, "offered")), claimed(attnum(d, "claimed")),
          delegated_by(attnum(d, "delegated_by")), delegation(attnum(d, "delegation")) {}

    // A column the trigger needs must be there: SPI_fnumber answers a missing one with a negative
    // code, which read as an attribute number would address a system column or worse.
    static int attnum(TupleDesc d, const char* name) {
        int n = SPI_fnumber(d, name);
        if (n <= 0)
            throw PgError(ERRCODE_UNDEFINED_COLUMN, std::string("column ") + name + " of the table is missing",
                          "pg_actions' triggers read it by name",
                          "the table belongs to the extension; do not drop or rename its columns");
        return n;
    }
};

// The attribute numbers of actions.action for the relation a trigger fired on, found by name once
// and kept until the next relation cache invalidation (finding 28 columns by name took longer
// than a trigger's decision; action_row.cpp).
const Columns& columns_of(Relation rel);

// A row, deformed into its columns on the first read (reading columns one by one walks the tuple
// from its start for each column after the first variable-length one).
struct Tuple {
    HeapTuple tuple;
    TupleDesc desc;
    mutable Datum* values = nullptr;
    mutable bool* nulls = nullptr;

    Datum get(int attnum, bool* isnull) const {
        if (values == nullptr) deform();
        *isnull = nulls[attnum - 1];
        return values[attnum - 1];
    }
    void deform() const;
    bool null(int attnum) const {
        bool isnull;
        get(attnum, &isnull);
        return isnull;
    }
    std::optional<std::int64_t> bigint(int attnum) const {
        bool isnull;
        Datum d = get(attnum, &isnull);
        if (isnull) return std::nullopt;
        return DatumGetInt64(d);
    }
    std::vector<std::int64_t> ids(int attnum, bool* had_null = nullptr) const {
        bool isnull;
        Datum d = get(attnum, &isnull);
        if (isnull) return {};
        return int64_array(d, had_null);
    }
    std::optional<std::string> text(int attnum) const {
        bool isnull;
        Datum d = get(attnum, &isnull);
        if (isnull) return std::nullopt;
        return text_of(d);
    }
};

inline TriggerData* trigger_data(FunctionCallInfo fcinfo, const char* name) {
    if (!CALLED_AS_TRIGGER(fcinfo))
        throw PgError(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED,
                      std::string(name) + "() must be called as a trigger");
    return reinterpret_cast<TriggerData*>(fcinfo->context);
}


inline core::Status status_of(const Tuple& t, const Columns& c) {
    std::optional<std::string> s = t.text(c.status);
    std::optional<core::Status> parsed = s ? core::parse_status(*s) : std::nullopt;
    if (!parsed)
        throw PgError(ERRCODE_CHECK_VIOLATION, "invalid action status \"" + s.value_or("") + "\"",
                      "", "use " + core::listed(core::status_names()));
    return *parsed;
}

}  // namespace pg_actions::pg
