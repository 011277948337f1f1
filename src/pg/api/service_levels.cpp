// Service levels (docs/service_levels.md; the rules are in core/service_level.hpp):
// - actions.action_status_times(action_id): the time one action spent in each status, from its log;
// - actions.service_level_from_log(workspace_id): the summary rows of a workspace recomputed from
//   the log alone (actions.rebuild_service_levels() writes them; the pgTAP test compares them with
//   the rows the log trigger maintains);
// - actions.service_level_vocabulary(name): the values the report functions accept.
#include "pg/boundary/postgres.hpp"

#include <algorithm>

#include "core/catalog.hpp"
#include "core/service_level.hpp"
#include "pg/authz/args.hpp"
#include "pg/authz/facts.hpp"
#include "pg/boundary/module.hpp"
#include "pg/boundary/spi.hpp"
#include "pg/identity/actor.hpp"
#include "pg/store/service_level_store.hpp"

namespace core = pg_actions::core;
using namespace pg_actions::pg;

namespace {

Datum interval_datum(std::int64_t us) {
    return guard([&]() -> Datum {
        Interval* iv = static_cast<Interval*>(palloc0(sizeof(Interval)));
        iv->time = us;
        return IntervalPGetDatum(iv);
    });
}

void put_summary(FunctionCallInfo fcinfo, std::int64_t workspace_id, std::int64_t action_id,
                 const std::vector<core::LogStep>& steps, const core::Calendar* calendar) {
    core::ServiceFacts f = core::fold(steps);
    if (f.completions == 0) return;  // never completed: no row, as the log trigger keeps it
    Datum values[service_level_columns];
    bool nulls[service_level_columns];
    summary_values(workspace_id, action_id, f, calendar, values, nulls);
    ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
    guard([&] { tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls); });
}

}  // namespace

PG_ACTIONS_FUNCTION(pg_actions_action_status_times) {
    std::int64_t action_id = arg_id(fcinfo, 0, "action_id");
    SpiScope spi;
    std::optional<Action> a = find_action(action_id, require_actor(), false);
    // An action the person may not see reads exactly like a missing one.
    if (!a || core::decide(core::Verb::view, a->facts)) refuse_not_found(core::Target::action, action_id);
    core::ServiceFacts f = core::fold(read_chain(a->workspace_id, action_id));
    const core::Calendar* calendar = service_calendar(a->workspace_id);
    // Open stretches run up to the statement's time, so every row of one query agrees.
    std::int64_t now = GetCurrentStatementStartTimestamp();
    std::vector<core::StatusTime> times = core::time_in_status(f, now, calendar);
    spi.finish();
    guard([&] { InitMaterializedSRF(fcinfo, 0); });
    ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
    for (const core::StatusTime& t : times) {
        Datum values[4] = {text_datum(std::string(core::status_name(t.status))), Int32GetDatum(t.entered),
                           interval_datum(t.calendar_us), t.working_us ? interval_datum(*t.working_us) : (Datum)0};
        bool nulls[4] = {false, false, false, !t.working_us};
        guard([&] { tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls); });
    }
    return (Datum)0;
}

PG_ACTIONS_FUNCTION(pg_actions_service_level_from_log) {
    std::int64_t workspace_id = arg_id(fcinfo, 0, "workspace_id");
    SpiScope spi;
    const core::Calendar* calendar = service_calendar(workspace_id);
    guard([&] { InitMaterializedSRF(fcinfo, 0); });
    Portal portal = store::open_workspace_log(workspace_id);
    // Memory is bounded by the batch, not the log: the entries are fetched
    // pg_actions.sweep_batch_size at a time, and what folding and writing a batch's rows
    // allocates (datums, detoasted values) lives in a context reset after each batch; the
    // rows returned go to the tuplestore, which spills to disk past work_mem. Both contexts
    // are children of the SPI connection's, so an error frees them with it.
    MemoryContext spi_cxt = CurrentMemoryContext;
    MemoryContext batch_cxt = guard([]() -> MemoryContext {
        return AllocSetContextCreate(CurrentMemoryContext, "service level batch", ALLOCSET_DEFAULT_SIZES);
    });
    const long batch = sweep_batch_size;
    std::size_t peak = 0;
    long batches = 0;
    std::int64_t current = 0;
    std::vector<core::LogStep> steps;
    for (;;) {
        check_for_interrupts();
        std::uint64_t n = store::fetch_log_entries(portal, batch);
        if (n == 0) break;
        batches++;
        MemoryContextSwitchTo(batch_cxt);
        try {
            for (std::uint64_t i = 0; i < n; i++) {
                store::LogEntry e = store::log_entry(i);
                if (e.action_id != current && !steps.empty()) {
                    put_summary(fcinfo, workspace_id, current, steps, calendar);
                    steps.clear();
                }
                current = e.action_id;
                steps.push_back(std::move(e.step));
            }
        } catch (...) {
            MemoryContextSwitchTo(spi_cxt);
            throw;
        }
        MemoryContextSwitchTo(spi_cxt);
        // The backend's whole memory at the end of a batch, its most: reported at DEBUG1 so a
        // test can check that it does not grow with the log.
        peak = std::max(peak, guard([]() -> std::size_t { return MemoryContextMemAllocated(TopMemoryContext, true); }));
        store::free_log_entries();
        guard([&] { MemoryContextReset(batch_cxt); });
    }
    if (!steps.empty()) put_summary(fcinfo, workspace_id, current, steps, calendar);
    guard([&] {
        ereport(DEBUG1, (errmsg_internal("service_level_from_log(%lld): %ld batches of up to %ld log entries, "
                                         "peak backend memory %zu bytes",
                                         static_cast<long long>(workspace_id), batches, batch, peak)));
    });
    store::close_log(portal);
    return (Datum)0;
}

PG_ACTIONS_FUNCTION(pg_actions_service_level_vocabulary) {
    std::optional<std::string> name = arg_text(fcinfo, 0);
    std::optional<std::vector<std::string_view>> values = core::service_level_vocabulary(name ? *name : "");
    if (!values)
        throw PgError(ERRCODE_INVALID_PARAMETER_VALUE, "unknown vocabulary \"" + name.value_or("") + "\"", "",
                      "use " + core::listed({"by", "period"}));
    return text_array_datum(std::vector<std::string>(values->begin(), values->end()));
}
