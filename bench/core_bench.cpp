// Per-call cost of the core work a trigger or API call does on every action write.
#include <benchmark/benchmark.h>

#include "activity.hpp"
#include "log_chain.hpp"
#include "permission.hpp"
#include "status.hpp"

namespace {

using namespace pg_actions::core;

void BM_chain_hash(benchmark::State& state) {
    Entry e;
    e.workspace_id = 1;
    e.action_id = 123456;
    e.seq = 7;
    e.event = "reassigned";
    e.old_value = "41";
    e.new_value = "42";
    e.detail = "{\"reason\": \"holiday cover\"}";
    e.actor_id = 9;
    e.db_role = "app_pool";
    e.at_us = 835'000'000'000'000;
    Hash prev = zero_hash;
    for (auto _ : state) {
        prev = chain_hash(prev, e);
        benchmark::DoNotOptimize(prev);
    }
}
BENCHMARK(BM_chain_hash);

void BM_decide(benchmark::State& state) {
    Facts f;
    f.is_member = true;
    f.granted.set(static_cast<std::size_t>(Permission::view_actions));
    f.is_assignee = true;
    for (auto _ : state) {
        // One allowed and one refused verb: the refusal builds its message strings.
        benchmark::DoNotOptimize(decide(Verb::complete, f));
        benchmark::DoNotOptimize(decide(Verb::reassign, f));
    }
}
BENCHMARK(BM_decide);

void BM_changes(benchmark::State& state) {
    ActionState before;
    before.title = "Check fire doors";
    before.priority = "none";
    before.assignee_id = 41;
    before.due_at_us = 835'000'000'000'000;
    before.status = Status::in_progress;
    before.started = true;
    ActionState after = before;
    after.assignee_id = 42;
    after.status = Status::complete;
    after.evidence = EvidenceFacts{5, "photo.jpg", std::string(64, 'a'), 123456};
    for (auto _ : state) benchmark::DoNotOptimize(changes(&before, &after));
}
BENCHMARK(BM_changes);

void BM_settle(benchmark::State& state) {
    bool started = false;
    bool past_due = false;
    for (auto _ : state) {
        benchmark::DoNotOptimize(started);
        benchmark::DoNotOptimize(past_due);
        benchmark::DoNotOptimize(settle(Status::in_progress, started, past_due));
    }
}
BENCHMARK(BM_settle);

}  // namespace

BENCHMARK_MAIN();
