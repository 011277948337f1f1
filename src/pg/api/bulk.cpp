// The bulk functions: bulk_reassign, bulk_set_status, bulk_update, bulk_duplicate, bulk_delete.
// Each row runs the body of the single function (api/verbs.hpp): the same argument checks, facts,
// core decisions, locks and writes, and through the triggers the same log entries and
// notifications. No rule is written here a second time.
//
// One refused row never aborts the others and leaves nothing behind: rows run inside internal
// subtransactions, as PL/pgSQL's exception blocks do. To keep a subtransaction per row off the
// common path, rows run in chunks of up to `chunk_rows` under one subtransaction; when any row of a
// chunk fails the whole chunk is rolled back and its rows run again, each in a subtransaction of
// its own, so only the failing rows are refused. The actor, the statement memos and act_as follow
// the subtransactions (identity/actor.cpp, statement_memo.hpp).
//
// Rows are processed in ascending id order (locks are taken in id order, so two bulk calls over
// overlapping ids wait for each other instead of deadlocking); results come back in the order of
// the array. An id that appears again is not acted on twice: the repeat is reported with 22023.
// A cancel, lack of memory, or a serialization failure or deadlock (SQLSTATE classes 57, 53, 40)
// aborts the whole call, as in PL/pgSQL; every other error is the row's result.
#include "pg/boundary/postgres.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/input.hpp"
#include "core/permission.hpp"
#include "pg/api/bulk_rows.hpp"
#include "pg/api/verbs.hpp"
#include "pg/authz/args.hpp"
#include "pg/authz/facts.hpp"
#include "pg/boundary/module.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/identity/actor.hpp"
#include "pg/store/action_store.hpp"
#include "pg/store/notify.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

// The arguments of a single function's body, as its SQL signature orders them.
struct Call {
    static constexpr int max_args = 10;
    alignas(FunctionCallInfoBaseData) char storage[SizeForFunctionCallInfo(max_args)];
    explicit Call(int nargs) {
        InitFunctionCallInfoData(*get(), nullptr, nargs, InvalidOid, nullptr, nullptr);
        for (int i = 0; i < nargs; i++) set_null(i);
    }
    void set(int i, Datum v) {
        get()->args[i].value = v;
        get()->args[i].isnull = false;
    }
    void set_null(int i) {
        get()->args[i].value = 0;
        get()->args[i].isnull = true;
    }
    FunctionCallInfo get() { return reinterpret_cast<FunctionCallInfo>(storage); }
};

std::optional<Datum> opt_arg(FunctionCallInfo fcinfo, int n) {
    if (PG_ARGISNULL(n)) return std::nullopt;
    return PG_GETARG_DATUM(n);
}

TimestampTz shifted(TimestampTz t, Datum interval) {
    return guard([&]() -> TimestampTz {
        return DatumGetTimestampTz(DirectFunctionCall2(timestamptz_pl_interval, TimestampTzGetDatum(t), interval));
    });
}

// The acting person's action, locked and checked for edit as update_action does, and its due date.
std::optional<TimestampTz> locked_due(std::int64_t id) {
    Call c(1);
    c.set(0, Int64GetDatum(id));
    SpiScope spi;
    Action a = authorize_action(c.get(), core::Verb::edit);
    return store::action_due_at(a.workspace_id, a.action_id);
}

// A chunk decided row by row with the single function's decision (each row locked in id order),
// then written with one statement per workspace. A row linked to a record or made by a workflow
// runs the whole single function at once instead, so what its triggers change about the record
// is in place before the next row is decided. Any refusal or failure rolls the chunk back, and
// run_rows() runs its rows one by one with the single function.
ChunkFn decided_then_written(std::function<Decided(std::int64_t)> decide, const RowFn& row, ManyWrite what,
                             Datum value) {
    return [decide, row, what, value](const std::vector<std::int64_t>& ids) {
        std::vector<std::pair<std::int64_t, std::vector<std::int64_t>>> by_workspace;
        for (std::int64_t id : ids) {
            check_for_interrupts();
            SpiScope spi;
            Decided d = decide(id);
            spi.finish();
            if (d.immediate) {
                row(id);
                continue;
            }
            if (!d.changes) continue;
            auto w = std::find_if(by_workspace.begin(), by_workspace.end(),
                                  [&](const auto& e) { return e.first == d.workspace_id; });
            if (w == by_workspace.end()) by_workspace.push_back({d.workspace_id, {id}});
            else w->second.push_back(id);
        }
        for (const auto& [workspace_id, these] : by_workspace) {
            SpiScope spi;
            std::uint64_t n = write_many(what, workspace_id, these, value);
            spi.finish();
            if (n != these.size())
                throw PgError(ERRCODE_INTERNAL_ERROR, "pg_actions: a bulk write changed " + std::to_string(n) + " of " +
                                                          std::to_string(these.size()) + " locked actions",
                              "", "this is a bug in pg_actions; please report it");
        }
    };
}

}  // namespace

// bulk_reassign(action_ids, assignee_id)
PG_ACTIONS_FUNCTION(pg_actions_bulk_reassign) {
    std::vector<std::int64_t> ids = ids_arg(fcinfo);
    DigestScope digest;
    std::int64_t assignee = arg_id(fcinfo, 1, "assignee_id");
    require_actor();
    RowFn row = [&](std::int64_t id) -> std::optional<std::int64_t> {
        Call c(2);
        c.set(0, Int64GetDatum(id));
        c.set(1, Int64GetDatum(assignee));
        reassign_body(c.get());
        return std::nullopt;
    };
    auto decide = [assignee](std::int64_t id) {
        Call c(2);
        c.set(0, Int64GetDatum(id));
        c.set(1, Int64GetDatum(assignee));
        return decide_reassign(c.get());
    };
    std::vector<RowResult> results =
        run_rows(ids, row, decided_then_written(decide, row, ManyWrite::assignee, Int64GetDatum(assignee)));
    return return_rows(fcinfo, results);
}

// bulk_set_status(action_ids, verb, reason): start, complete, uncomplete, or cancel with a reason.
PG_ACTIONS_FUNCTION(pg_actions_bulk_set_status) {
    std::vector<std::int64_t> ids = ids_arg(fcinfo);
    DigestScope digest;
    std::string verb = arg_required_text(fcinfo, 1, "verb", "'complete'");
    std::optional<std::string> reason = arg_text(fcinfo, 2);
    Datum (*body)(FunctionCallInfo) = nullptr;
    int nargs = 1;
    core::Verb core_verb = core::Verb::start;
    ManyWrite what = ManyWrite::status;
    if (verb == "start") body = start_body;
    else if (verb == "complete") body = complete_body, nargs = 4, core_verb = core::Verb::complete, what = ManyWrite::complete;
    else if (verb == "uncomplete") body = uncomplete_body, core_verb = core::Verb::uncomplete;
    else if (verb == "cancel") body = cancel_body, nargs = 2, core_verb = core::Verb::cancel, what = ManyWrite::cancel;
    else
        refuse({core::RefusalKind::invalid_value, "\"" + verb + "\" is not a status verb",
                "bulk_set_status runs start, complete, uncomplete or cancel",
                "pass verb => 'start', 'complete', 'uncomplete' or 'cancel'"});
    if (verb == "cancel") refuse_if(core::check_reason(reason));
    else if (reason)
        refuse({core::RefusalKind::invalid_value, "a reason is given only with cancel", "",
                "leave reason out for " + verb});
    std::optional<Datum> reason_datum = opt_arg(fcinfo, 2);
    std::int64_t actor = require_actor();
    RowFn row = [&](std::int64_t id) -> std::optional<std::int64_t> {
        Call c(nargs);
        c.set(0, Int64GetDatum(id));
        if (nargs == 2) c.set(1, *reason_datum);
        body(c.get());
        return std::nullopt;
    };
    auto decide = [core_verb](std::int64_t id) {
        Call c(1);
        c.set(0, Int64GetDatum(id));
        return decide_action(c.get(), core_verb);
    };
    // The value each write sets: as start() ('in_progress'), uncomplete() ('to_do': the trigger
    // settles it), complete() (completed_by, the actor) and cancel() (the reason) set it.
    Datum value = what == ManyWrite::complete ? Int64GetDatum(actor)
                  : what == ManyWrite::cancel ? *reason_datum
                                              : text_datum(verb == "start" ? "in_progress" : "to_do");
    std::vector<RowResult> results = run_rows(ids, row, decided_then_written(decide, row, what, value));
    return return_rows(fcinfo, results);
}

// bulk_update(action_ids, due_at, shift_due, priority, group_ids, clear_due)
PG_ACTIONS_FUNCTION(pg_actions_bulk_update) {
    std::vector<std::int64_t> ids = ids_arg(fcinfo);
    DigestScope digest;
    std::optional<TimestampTz> due = arg_due(fcinfo, 1);
    std::optional<Datum> shift = opt_arg(fcinfo, 2);
    std::optional<std::string> priority = arg_text(fcinfo, 3);
    std::optional<std::vector<std::int64_t>> groups = arg_groups(fcinfo, 4);
    bool clear_due = !PG_ARGISNULL(5) && PG_GETARG_BOOL(5);
    if (priority) refuse_if(core::check_priority(*priority));
    if ((due ? 1 : 0) + (shift ? 1 : 0) + (clear_due ? 1 : 0) > 1)
        refuse({core::RefusalKind::invalid_value, "pass only one of due_at, shift_due and clear_due", "",
                "due_at sets a due date, shift_due moves each due date by an interval, clear_due removes it"});
    if (!due && !shift && !clear_due && !priority && !groups)
        refuse({core::RefusalKind::invalid_value, "nothing to change", "",
                "pass due_at, shift_due, clear_due, priority or group_ids"});
    std::optional<Datum> groups_datum = opt_arg(fcinfo, 4);
    require_actor();
    std::vector<RowResult> results = run_rows(ids, [&](std::int64_t id) -> std::optional<std::int64_t> {
        std::optional<TimestampTz> new_due = due;
        if (shift) {
            std::optional<TimestampTz> old = locked_due(id);  // an action without a due date keeps none
            if (old) new_due = shifted(*old, *shift);
        }
        if (new_due || clear_due || priority) {
            Call c(7);
            c.set(0, Int64GetDatum(id));
            if (new_due) c.set(3, TimestampTzGetDatum(*new_due));
            if (priority) c.set(5, PG_GETARG_DATUM(3));
            c.set(6, BoolGetDatum(clear_due));
            update_action_body(c.get());
        }
        if (groups_datum) {
            Call c(2);
            c.set(0, Int64GetDatum(id));
            c.set(1, *groups_datum);
            set_action_groups_body(c.get());
        }
        return std::nullopt;
    });
    return return_rows(fcinfo, results);
}

// bulk_duplicate(action_ids, assignee_id, shift_due): a copy of each action the acting person may
// see, created by create_action (so owned by them, with its rules), assigned to assignee_id or to
// the source's assignee, due dates shifted by shift_due.
PG_ACTIONS_FUNCTION(pg_actions_bulk_duplicate) {
    std::vector<std::int64_t> ids = ids_arg(fcinfo);
    DigestScope digest;
    std::optional<Datum> assignee = opt_arg(fcinfo, 1);
    std::optional<Datum> shift = opt_arg(fcinfo, 2);
    std::int64_t actor = require_actor();
    std::vector<RowResult> results = run_rows(ids, [&](std::int64_t id) -> std::optional<std::int64_t> {
        SpiScope spi;
        std::optional<Action> a = find_action(id, actor, false);
        if (!a) refuse_not_found(core::Target::action, id);
        if (core::decide(core::Verb::view, a->facts)) refuse_not_found(core::Target::action, id);
        std::optional<store::ActionCopy> source = store::action_copy(a->workspace_id, id);
        if (!source) refuse_not_found(core::Target::action, id);
        spi.finish();  // the copy's datums are made in the row's memory, not SPI's
        // create_action(workspace_id, title, description, assignee_id, due_at, due_on, priority,
        //               type, record_id, group_ids)
        Call c(10);
        c.set(0, Int64GetDatum(a->workspace_id));
        auto set_text = [&](int i, const std::optional<std::string>& t) {
            if (t) c.set(i, text_datum(*t));
        };
        auto set_id = [&](int i, std::optional<std::int64_t> v) {
            if (v) c.set(i, Int64GetDatum(*v));
        };
        set_text(1, source->title);
        set_text(2, source->description);
        set_id(3, assignee ? std::optional<std::int64_t>(DatumGetInt64(*assignee)) : source->assignee_id);
        std::optional<TimestampTz> due = source->due_at;
        if (shift && due) due = shifted(*due, *shift);
        if (due) c.set(4, TimestampTzGetDatum(*due));
        set_text(6, source->priority);
        set_text(7, source->type);
        set_id(8, source->record_id);
        if (source->group_ids) c.set(9, int64_array_datum(*source->group_ids));
        return DatumGetInt64(create_action_body(c.get()));
    });
    return return_rows(fcinfo, results);
}

// bulk_delete(action_ids)
PG_ACTIONS_FUNCTION(pg_actions_bulk_delete) {
    std::vector<std::int64_t> ids = ids_arg(fcinfo);
    DigestScope digest;
    require_actor();
    RowFn row = [&](std::int64_t id) -> std::optional<std::int64_t> {
        Call c(1);
        c.set(0, Int64GetDatum(id));
        delete_action_body(c.get());
        return std::nullopt;
    };
    auto decide = [](std::int64_t id) {
        Call c(1);
        c.set(0, Int64GetDatum(id));
        return decide_action(c.get(), core::Verb::delete_action);
    };
    std::vector<RowResult> results = run_rows(ids, row, decided_then_written(decide, row, ManyWrite::remove, 0));
    return return_rows(fcinfo, results);
}
