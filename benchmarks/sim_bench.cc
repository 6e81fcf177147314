// The simulator's speed.
//
// BM_SchedulerNoop/pending:N: one no-op event scheduled and run with N other events waiting in
// the heap; items/s is events per second (issue 5 target: >= 5 million/s).
// BM_ReplayPeakDay: the whole fixtures/scenarios/peak_day.json replay (a day of virtual time:
// 1,000 invitations, replies, Poisson webhooks, retries, every fault); the counter
// sim_s_per_wall_s is simulated seconds per wall second (target: >= 10,000).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>

#include "sim/fixture.h"
#include "sim/replay.h"
#include "sim/scheduler.h"

namespace twin::sim {
namespace {

constexpr core::TimeUs kStartUs = 1'767'225'600'000'000;

void BM_SchedulerNoop(benchmark::State& state) {
  Scheduler scheduler(kStartUs);
  const auto pending = state.range(0);
  // Waiting events far in the future: the heap the new events sift through.
  for (std::int64_t i = 0; i < pending; ++i) scheduler.at(kStartUs + 1'000'000'000 + i, [] {});
  std::int64_t count = 0;
  core::TimeUs t = kStartUs;
  for (auto _ : state) {
    scheduler.at(++t, [&count] { ++count; });
    scheduler.run_until(t, 1);
  }
  benchmark::DoNotOptimize(count);
  if (count != static_cast<std::int64_t>(state.iterations())) {
    std::cerr << "sim_bench: scheduler ran " << count << " of " << state.iterations() << "\n";
    std::abort();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SchedulerNoop)->ArgName("pending")->Arg(0)->Arg(1'000)->Arg(100'000);

void BM_ReplayPeakDay(benchmark::State& state) {
  auto fixture = load_fixture(std::string(TWIN_SOURCE_DIR) + "/fixtures/scenarios/peak_day.json");
  if (!fixture.is_ok()) {
    std::cerr << "sim_bench: " << fixture.status().message() << "\n";
    std::abort();
  }
  std::uint64_t events = 0;
  for (auto _ : state) {
    auto out = replay(*fixture, ReplayOptions{});
    if (!out.is_ok() || !out->ok) {
      std::cerr << "sim_bench: peak_day did not replay cleanly\n";
      std::abort();
    }
    events = static_cast<std::uint64_t>(out->report.at("events").as_uint64());
  }
  const double simulated_s = static_cast<double>(fixture->duration_us) / 1e6;
  state.counters["sim_s_per_wall_s"] = benchmark::Counter(
      simulated_s * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["events"] = static_cast<double>(events);
  state.SetItemsProcessed(static_cast<std::int64_t>(events) * state.iterations());
}
BENCHMARK(BM_ReplayPeakDay)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace twin::sim
BENCHMARK_MAIN();
