// The comparison: normalisation by the calibration, the verdicts and the threshold, on
// synthetic runs (no benchmark is run, no time is measured).
#include "benchmarks/bench_compare/bench_compare.h"

#include <gtest/gtest.h>

#include "tests/benchmarks/bench_compare/synthetic_results.h"

namespace twin::bench {
namespace {

using namespace twin::bench::testing;

RunSet run_set(const std::vector<std::string>& documents) {
  std::vector<SuiteRun> runs;
  for (const auto& d : documents) {
    auto run = read_results(d, "synthetic.json");
    EXPECT_TRUE(run.is_ok()) << run.status().message();
    if (run.is_ok()) runs.push_back(*run);
  }
  auto set = merge_runs(std::move(runs));
  EXPECT_TRUE(set.is_ok()) << set.status().message();
  return set.is_ok() ? *set : RunSet{};
}

// The baseline of most tests: calibration 100 us, BM_A 10 us, BM_B 2 us.
RunSet baseline() {
  return run_set({simple_run("core_bench", 100'000, {{"BM_A", 10'000}, {"BM_B", 2'000}})});
}

const Row& row(const Comparison& c, const std::string& name) {
  for (const auto& s : c.suites) {
    for (const auto& r : s.rows) {
      if (r.name == name) return r;
    }
  }
  static const Row kNone;
  ADD_FAILURE() << name << " is not in the comparison";
  return kNone;
}

TEST(BenchCompare, ASyntheticThirtyPercentRegressionIsFlagged) {
  RunSet now = run_set({simple_run("core_bench", 100'000, {{"BM_A", 13'000}, {"BM_B", 2'000}})});
  Comparison c = compare(baseline(), now, {});
  EXPECT_EQ(row(c, "BM_A").verdict, Verdict::kRegressed);
  EXPECT_NEAR(*row(c, "BM_A").ratio, 1.3, 1e-9);
  EXPECT_EQ(row(c, "BM_B").verdict, Verdict::kOk);
  EXPECT_TRUE(c.failed());
  EXPECT_EQ(c.count(Verdict::kRegressed), 1);
}

TEST(BenchCompare, NoiseWithinTheThresholdIsNotFlagged) {
  RunSet now = run_set({simple_run("core_bench", 100'000, {{"BM_A", 11'000}, {"BM_B", 1'840}})});
  Comparison c = compare(baseline(), now, {});
  EXPECT_EQ(row(c, "BM_A").verdict, Verdict::kOk);  // +10%
  EXPECT_EQ(row(c, "BM_B").verdict, Verdict::kOk);  // -8%
  EXPECT_FALSE(c.failed());
}

TEST(BenchCompare, ASlowerMachineIsNotARegression) {
  // Everything twice as slow, the calibration included.
  RunSet now = run_set({simple_run("core_bench", 200'000, {{"BM_A", 20'000}, {"BM_B", 4'000}})});
  Comparison c = compare(baseline(), now, {});
  EXPECT_EQ(row(c, "BM_A").verdict, Verdict::kOk);
  EXPECT_NEAR(*row(c, "BM_A").raw_ratio, 2.0, 1e-9);
  EXPECT_NEAR(*row(c, "BM_A").ratio, 1.0, 1e-9);
  EXPECT_FALSE(c.failed());
  EXPECT_EQ(*c.suites[0].calibration_now_ns / *c.suites[0].calibration_baseline_ns, 2.0);
}

TEST(BenchCompare, AFasterMachineDoesNotHideARegression) {
  // The calibration runs in half the time; BM_A does not: relative to the machine it is slower.
  RunSet now = run_set({simple_run("core_bench", 50'000, {{"BM_A", 10'000}, {"BM_B", 1'000}})});
  Comparison c = compare(baseline(), now, {});
  EXPECT_EQ(row(c, "BM_A").verdict, Verdict::kRegressed);
  EXPECT_NEAR(*row(c, "BM_A").raw_ratio, 1.0, 1e-9);
  EXPECT_NEAR(*row(c, "BM_A").ratio, 2.0, 1e-9);
  EXPECT_EQ(row(c, "BM_B").verdict, Verdict::kOk);
}

TEST(BenchCompare, EachSuiteIsNormalisedByItsOwnCalibration) {
  RunSet base = run_set({simple_run("core_bench", 100'000, {{"BM_A", 10'000}}),
                         simple_run("sqs_bench", 100'000, {{"BM_Q", 50'000}})});
  // sqs_bench ran while the machine was busy: its calibration and BM_Q are both 1.5x slower.
  RunSet now = run_set({simple_run("core_bench", 100'000, {{"BM_A", 10'000}}),
                        simple_run("sqs_bench", 150'000, {{"BM_Q", 75'000}})});
  Comparison c = compare(base, now, {});
  EXPECT_EQ(row(c, "BM_Q").verdict, Verdict::kOk);
  EXPECT_FALSE(c.failed());
}

TEST(BenchCompare, AnImprovementBeyondTheThresholdIsReportedAndPasses) {
  RunSet now = run_set({simple_run("core_bench", 100'000, {{"BM_A", 7'000}, {"BM_B", 1'760}})});
  Comparison c = compare(baseline(), now, {});
  EXPECT_EQ(row(c, "BM_A").verdict, Verdict::kImproved);  // 1 / 0.7 = 1.43x as fast
  EXPECT_EQ(row(c, "BM_B").verdict, Verdict::kOk);        // 1 / 0.88 = 1.136x: within 15%
  EXPECT_FALSE(c.failed());
}

TEST(BenchCompare, AMissingBenchmarkIsReportedAndFails) {
  RunSet now = run_set({simple_run("core_bench", 100'000, {{"BM_A", 10'000}})});
  Comparison c = compare(baseline(), now, {});
  EXPECT_EQ(row(c, "BM_B").verdict, Verdict::kMissing);
  EXPECT_EQ(*row(c, "BM_B").baseline_ns, 2'000);
  EXPECT_FALSE(row(c, "BM_B").now_ns.has_value());
  EXPECT_TRUE(c.failed());
  EXPECT_NE(format_report(c, {}).find("MISSING"), std::string::npos);
}

TEST(BenchCompare, AMissingSuiteMakesAllItsBenchmarksMissing) {
  RunSet base = run_set({simple_run("core_bench", 100'000, {{"BM_A", 10'000}}),
                         simple_run("sqs_bench", 100'000, {{"BM_Q", 50'000}, {"BM_R", 1}})});
  RunSet now = run_set({simple_run("core_bench", 100'000, {{"BM_A", 10'000}})});
  Comparison c = compare(base, now, {});
  EXPECT_EQ(row(c, "BM_Q").verdict, Verdict::kMissing);
  EXPECT_EQ(row(c, "BM_R").verdict, Verdict::kMissing);
  EXPECT_EQ(c.count(Verdict::kMissing), 2);
}

TEST(BenchCompare, ANewBenchmarkIsReportedAndDoesNotFail) {
  RunSet now = run_set(
      {simple_run("core_bench", 100'000, {{"BM_A", 10'000}, {"BM_B", 2'000}, {"BM_C", 5}})});
  Comparison c = compare(baseline(), now, {});
  EXPECT_EQ(row(c, "BM_C").verdict, Verdict::kNew);
  EXPECT_FALSE(row(c, "BM_C").ratio.has_value());
  EXPECT_FALSE(c.failed());
}

TEST(BenchCompare, AFailedBenchmarkFails) {
  json::array e{iteration(std::string(kCalibrationName), 100'000, 90'000),
                iteration("BM_A", 10'000, 9'000), failed("BM_B", "stopped")};
  RunSet now = run_set({document("core_bench", e)});
  Comparison c = compare(baseline(), now, {});
  EXPECT_EQ(row(c, "BM_B").verdict, Verdict::kFailed);
  EXPECT_EQ(row(c, "BM_B").message, "stopped");
  EXPECT_EQ(c.count(Verdict::kMissing), 0);  // reported once, as FAILED
  EXPECT_TRUE(c.failed());
}

TEST(BenchCompare, TheFilterRestrictsBothSides) {
  RunSet now = run_set({simple_run("core_bench", 100'000, {{"BM_A", 13'000}})});
  CompareOptions only_b;
  only_b.filter = "^BM_B$";
  Comparison c = compare(baseline(), now, only_b);  // BM_A's regression is not looked at
  EXPECT_EQ(c.count(Verdict::kMissing), 1);         // but BM_B is still missing
  CompareOptions only_a;
  only_a.filter = "_A";
  c = compare(baseline(), now, only_a);
  EXPECT_EQ(c.count(Verdict::kRegressed), 1);
  EXPECT_EQ(c.count(Verdict::kMissing), 0);  // BM_B is filtered out on both sides
}

TEST(BenchCompare, TheThresholdDecides) {
  RunSet now = run_set({simple_run("core_bench", 100'000, {{"BM_A", 13'000}, {"BM_B", 2'000}})});
  CompareOptions loose;
  loose.threshold_percent = 40;
  EXPECT_EQ(row(compare(baseline(), now, loose), "BM_A").verdict, Verdict::kOk);
  CompareOptions tight;
  tight.threshold_percent = 25;
  EXPECT_EQ(row(compare(baseline(), now, tight), "BM_A").verdict, Verdict::kRegressed);
  CompareOptions zero;
  zero.threshold_percent = 0;
  EXPECT_EQ(row(compare(baseline(), now, zero), "BM_B").verdict, Verdict::kOk);  // exactly equal
}

TEST(BenchCompare, ABaselineToleranceWidensTheThresholdForThatBenchmarkOnly) {
  RunSet base = baseline();
  base.suites[0].benchmarks[0].tolerance_percent = 40;  // BM_A
  RunSet now = run_set({simple_run("core_bench", 100'000, {{"BM_A", 13'000}, {"BM_B", 2'600}})});
  Comparison c = compare(base, now, {});
  EXPECT_EQ(row(c, "BM_A").verdict, Verdict::kOk);
  EXPECT_EQ(row(c, "BM_A").threshold_percent, 40);
  EXPECT_EQ(row(c, "BM_B").verdict, Verdict::kRegressed);
  EXPECT_NE(format_report(c, {}).find("ok (tolerance 40%)"), std::string::npos);
}

TEST(BenchCompare, CpuTimeIsComparedWhenAsked) {
  json::array e{iteration(std::string(kCalibrationName), 100'000, 90'000),
                iteration("BM_A", 10'000, 13'000), iteration("BM_B", 2'000, 1'800)};
  RunSet now = run_set({document("core_bench", e)});
  EXPECT_EQ(row(compare(baseline(), now, {}), "BM_A").verdict, Verdict::kOk);
  CompareOptions cpu;
  cpu.metric = Metric::kCpuTime;
  EXPECT_EQ(row(compare(baseline(), now, cpu), "BM_A").verdict, Verdict::kRegressed);
}

TEST(BenchCompare, OptionsAreChecked) {
  CompareOptions o;
  o.threshold_percent = -5;
  EXPECT_EQ(check_options(o).message(), "--threshold: expected a percentage >= 0, got -5");
  o.threshold_percent = 15;
  o.filter = "BM_(";
  EXPECT_EQ(check_options(o).code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(check_options(o).message().rfind("--filter: not a valid regular expression: BM_(", 0),
            0u);
  EXPECT_EQ(parse_metric("wall"), std::nullopt);
}

TEST(BenchCompare, TheReportShowsBothRatiosAndTheMachineFactor) {
  RunSet now = run_set({simple_run("core_bench", 200'000, {{"BM_A", 26'000}, {"BM_B", 4'000}})});
  std::string report = format_report(compare(baseline(), now, {}), {});
  EXPECT_NE(report.find("core_bench: calibration BM_Calibration_Sha256/bytes:65536 200 us, "
                        "baseline 100 us (machine factor 2.00)"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("  BM_A          10.0 us     26.0 us   2.60   1.30  REGRESSED\n"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("2 benchmarks: 1 ok, 1 REGRESSED, 0 improved, 0 new, 0 MISSING, 0 FAILED"),
            std::string::npos)
      << report;
}

TEST(BenchCompare, MachineDifferencesAreNoted) {
  RunSet now = run_set({simple_run("core_bench", 100'000, {{"BM_A", 10'000}, {"BM_B", 2'000}})});
  now.machine["build_type"] = "Debug";
  Comparison c = compare(baseline(), now, {});
  ASSERT_EQ(c.notes.size(), 2u);
  EXPECT_EQ(c.notes[0], "machine.build_type differs: baseline \"Release\", now \"Debug\"");
  EXPECT_FALSE(c.failed());
}

}  // namespace
}  // namespace twin::bench
