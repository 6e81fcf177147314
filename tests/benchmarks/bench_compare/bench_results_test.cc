// Reading Google Benchmark JSON: medians, units, failures, and every kind of unusable input
// with the file and JSON path named.
#include "benchmarks/bench_compare/bench_results.h"

#include <gtest/gtest.h>

#include "tests/benchmarks/bench_compare/synthetic_results.h"

namespace twin::bench {
namespace {

using namespace twin::bench::testing;

const std::string kCal(kCalibrationName);

SuiteRun read_ok(const std::string& text) {
  auto run = read_results(text, "r.json");
  EXPECT_TRUE(run.is_ok()) << run.status().message();
  return run.is_ok() ? *run : SuiteRun{};
}

std::string read_error(const std::string& text) {
  auto run = read_results(text, "r.json");
  EXPECT_FALSE(run.is_ok());
  if (run.is_ok()) return {};
  EXPECT_EQ(run.status().code(), core::StatusCode::kInvalidArgument);
  return run.status().message();
}

TEST(BenchResults, TakesTheMedianAggregateWhenPresent) {
  json::array e{iteration(kCal, 100, 90)};
  e.push_back(iteration("BM_A", 10, 9, "ns", 3, 0));
  e.push_back(iteration("BM_A", 50, 45, "ns", 3, 1));
  e.push_back(iteration("BM_A", 12, 11, "ns", 3, 2));
  e.push_back(aggregate("BM_A", "mean", 24, 21.7, 3));
  e.push_back(aggregate("BM_A", "median", 11.5, 10.5, 3));  // not the repetitions' median: taken
  e.push_back(aggregate("BM_A", "stddev", 22, 20, 3));
  SuiteRun run = read_ok(document("core_bench", e));
  ASSERT_EQ(run.benchmarks.size(), 1u);
  EXPECT_EQ(run.benchmarks[0].name, "BM_A");
  EXPECT_DOUBLE_EQ(run.benchmarks[0].real_time_ns, 11.5);
  EXPECT_DOUBLE_EQ(run.benchmarks[0].cpu_time_ns, 10.5);
  EXPECT_EQ(run.benchmarks[0].repetitions, 3);
}

TEST(BenchResults, ComputesTheMedianOfPlainRepetitions) {
  json::array e{iteration(kCal, 100, 90)};
  for (double t : {10.0, 50.0, 12.0}) e.push_back(iteration("BM_Odd", t, t));
  for (double t : {14.0, 10.0, 50.0, 12.0}) e.push_back(iteration("BM_Even", t, t / 2));
  SuiteRun run = read_ok(document("core_bench", e));
  ASSERT_EQ(run.benchmarks.size(), 2u);
  EXPECT_EQ(run.benchmarks[0].name, "BM_Odd");
  EXPECT_DOUBLE_EQ(run.benchmarks[0].real_time_ns, 12);
  EXPECT_EQ(run.benchmarks[0].repetitions, 3);
  EXPECT_DOUBLE_EQ(run.benchmarks[1].real_time_ns, 13);  // (12 + 14) / 2
  EXPECT_DOUBLE_EQ(run.benchmarks[1].cpu_time_ns, 6.5);
  EXPECT_EQ(run.benchmarks[1].repetitions, 4);
  EXPECT_DOUBLE_EQ(*run.benchmarks[1].items_per_second, (1e9 / 12 + 1e9 / 14) / 2);
}

TEST(BenchResults, ConvertsTimeUnitsToNanoseconds) {
  json::array e{iteration(kCal, 100, 90, "us")};
  e.push_back(iteration("BM_Ns", 1.5, 1.5, "ns"));
  e.push_back(iteration("BM_Us", 1.5, 1.5, "us"));
  e.push_back(iteration("BM_Ms", 1.5, 1.5, "ms"));
  e.push_back(iteration("BM_S", 1.5, 1.5, "s"));
  SuiteRun run = read_ok(document("core_bench", e));
  EXPECT_DOUBLE_EQ(run.calibration.real_time_ns, 100'000);
  ASSERT_EQ(run.benchmarks.size(), 4u);
  EXPECT_DOUBLE_EQ(run.benchmarks[0].real_time_ns, 1.5);
  EXPECT_DOUBLE_EQ(run.benchmarks[1].real_time_ns, 1'500);
  EXPECT_DOUBLE_EQ(run.benchmarks[2].real_time_ns, 1'500'000);
  EXPECT_DOUBLE_EQ(run.benchmarks[3].real_time_ns, 1'500'000'000);
}

TEST(BenchResults, KeepsRegistrationOrderWhenRepetitionsAreInterleaved) {
  auto at = [](json::object o, int family) {
    o["family_index"] = family;
    return o;
  };
  json::array e{at(iteration("BM_B", 2, 2), 2), at(iteration(kCal, 100, 90), 0),
                at(iteration("BM_A", 1, 1), 1), at(iteration("BM_B", 2, 2), 2)};
  SuiteRun run = read_ok(document("core_bench", e));
  ASSERT_EQ(run.benchmarks.size(), 2u);
  EXPECT_EQ(run.benchmarks[0].name, "BM_A");
  EXPECT_EQ(run.benchmarks[1].name, "BM_B");
}

TEST(BenchResults, NamesTheSuiteAfterTheExecutableAndKeepsNoHostOrPath) {
  SuiteRun run = read_ok(simple_run("sqs_bench", 100, {{"BM_A", 10}}));
  EXPECT_EQ(run.suite, "sqs_bench");
  EXPECT_EQ(run.machine.at("cpu_model"), "Test CPU @ 2.1GHz");
  EXPECT_EQ(run.machine.at("num_cpus"), 2);
  EXPECT_EQ(run.machine.at("benchmark_library"), "1.7.1");
  EXPECT_EQ(run.machine.at("caches"), json::array{"L1 Data 48 KiB"});
  EXPECT_FALSE(run.machine.contains("host_name"));
  EXPECT_FALSE(run.machine.contains("executable"));
  EXPECT_EQ(run.load_avg.size(), 3u);
}

TEST(BenchResults, ReportsAFailedBenchmarkWithItsMessage) {
  json::array e{iteration(kCal, 100, 90), iteration("BM_A", 10, 9),
                failed("BM_B", "the handler did not answer as the benchmark expects")};
  SuiteRun run = read_ok(document("core_bench", e));
  ASSERT_EQ(run.benchmarks.size(), 1u);
  ASSERT_EQ(run.failures.size(), 1u);
  EXPECT_EQ(run.failures[0].name, "BM_B");
  EXPECT_EQ(run.failures[0].message, "the handler did not answer as the benchmark expects");
}

TEST(BenchResults, UnusableInputNamesTheFileAndPath) {
  EXPECT_EQ(read_error("{\"context\": "), "r.json: not JSON: incomplete JSON");
  EXPECT_EQ(read_error("{\"name\": \"x\"}"),
            "r.json: $.benchmarks: required: not Google Benchmark's JSON output "
            "(--benchmark_out_format=json)");
  EXPECT_EQ(read_error("[1, 2]"),
            "r.json: $.benchmarks: required: not Google Benchmark's JSON output "
            "(--benchmark_out_format=json)");
  EXPECT_EQ(read_error(R"({"benchmarks": []})"), "r.json: $.context: required");
  EXPECT_EQ(read_error(json::serialize(
                json::object{{"context", json::object{}}, {"benchmarks", json::array{}}})),
            "r.json: $.context.executable: required");

  json::object bad_time = iteration("BM_A", 1, 1);
  bad_time["real_time"] = "fast";
  EXPECT_EQ(read_error(document("core_bench", {iteration(kCal, 1, 1), bad_time})),
            "r.json: $.benchmarks[1].real_time: expected a number, got a string");

  json::object bad_unit = iteration("BM_A", 1, 1);
  bad_unit["time_unit"] = "ps";
  EXPECT_EQ(read_error(document("core_bench", {iteration(kCal, 1, 1), bad_unit})),
            "r.json: $.benchmarks[1].time_unit: unknown time unit \"ps\" (expected ns, us, ms "
            "or s)");

  EXPECT_EQ(read_error(document("core_bench", {iteration(kCal, 1, 1), iteration("BM_A", 0, 1)})),
            "r.json: $.benchmarks[1].real_time: must be greater than 0, got 0");

  json::object bad_type = iteration("BM_A", 1, 1);
  bad_type["run_type"] = "warmup";
  EXPECT_EQ(read_error(document("core_bench", {iteration(kCal, 1, 1), bad_type})),
            "r.json: $.benchmarks[1].run_type: expected \"iteration\" or \"aggregate\", got "
            "\"warmup\"");
}

TEST(BenchResults, ARunWithoutTheCalibrationIsUnusable) {
  EXPECT_EQ(read_error(document("core_bench", {iteration("BM_A", 10, 9)})),
            "r.json: $.benchmarks: no BM_Calibration_Sha256/bytes:65536 figure (every suite "
            "links benchmarks/calibration.cc; a --benchmark_filter must let it run)");
  EXPECT_EQ(read_error(document("core_bench", {failed(kCal, "boom")})),
            "r.json: $.benchmarks: BM_Calibration_Sha256/bytes:65536 failed: boom");
}

TEST(BenchResults, AnUnreadableFileIsNamed) {
  auto run = read_results_file("no/such/dir/results.json");
  ASSERT_FALSE(run.is_ok());
  EXPECT_EQ(run.status().message(), "no/such/dir/results.json: cannot read the file");
}

TEST(BenchResults, MergeRefusesABenchmarkInTwoSuites) {
  auto a = read_results(simple_run("core_bench", 100, {{"BM_A", 10}}), "a.json");
  auto b = read_results(simple_run("sqs_bench", 100, {{"BM_A", 10}}), "b.json");
  auto c = read_results(simple_run("core_bench", 100, {{"BM_C", 10}}), "c.json");
  ASSERT_TRUE(a.is_ok() && b.is_ok() && c.is_ok());
  auto twice = merge_runs({*a, *b});
  ASSERT_FALSE(twice.is_ok());
  EXPECT_EQ(twice.status().message(),
            "BM_A is in two suites: core_bench (a.json) and sqs_bench (b.json)");
  auto fine = merge_runs({*b, *c});
  ASSERT_TRUE(fine.is_ok());
  ASSERT_EQ(fine->suites.size(), 2u);
  EXPECT_EQ(fine->suites[0].suite, "core_bench");  // ordered by suite name
}

// Three processes of one suite: per benchmark, and for the calibration, the lowest of the
// processes' medians; a process in a slow phase (the second) does not move the figures.
TEST(BenchResults, SeveralProcessesOfASuiteGiveTheLowestMedians) {
  auto first = read_results(simple_run("core_bench", 100, {{"BM_A", 10}, {"BM_B", 40}}), "1.json");
  auto slow = read_results(simple_run("core_bench", 130, {{"BM_A", 16}, {"BM_B", 60}}), "2.json");
  auto third = read_results(simple_run("core_bench", 104, {{"BM_A", 11}, {"BM_B", 38}}), "3.json");
  ASSERT_TRUE(first.is_ok() && slow.is_ok() && third.is_ok());
  auto merged = merge_runs({*first, *slow, *third});
  ASSERT_TRUE(merged.is_ok()) << merged.status().message();
  ASSERT_EQ(merged->suites.size(), 1u);
  const SuiteRun& run = merged->suites[0];
  EXPECT_EQ(run.source, "1.json, 2.json, 3.json");
  EXPECT_DOUBLE_EQ(run.calibration.real_time_ns, 100);
  EXPECT_DOUBLE_EQ(run.calibration.cpu_time_ns, 90);
  ASSERT_EQ(run.benchmarks.size(), 2u);
  EXPECT_EQ(run.benchmarks[0].name, "BM_A");
  EXPECT_DOUBLE_EQ(run.benchmarks[0].real_time_ns, 10);
  EXPECT_DOUBLE_EQ(*run.benchmarks[0].items_per_second, 1e9 / 10);
  EXPECT_EQ(run.benchmarks[0].repetitions, 3);
  EXPECT_DOUBLE_EQ(run.benchmarks[1].real_time_ns, 38);
}

// A baseline takes the typical process instead (--update): the median of the three medians.
TEST(BenchResults, ABaselineTakesTheMedianProcess) {
  auto first = read_results(simple_run("core_bench", 100, {{"BM_A", 10}}), "1.json");
  auto slow = read_results(simple_run("core_bench", 130, {{"BM_A", 16}}), "2.json");
  auto third = read_results(simple_run("core_bench", 104, {{"BM_A", 11}}), "3.json");
  ASSERT_TRUE(first.is_ok() && slow.is_ok() && third.is_ok());
  auto merged = merge_runs({*first, *slow, *third}, ProcessFigure::kMedian);
  ASSERT_TRUE(merged.is_ok()) << merged.status().message();
  const SuiteRun& run = merged->suites[0];
  EXPECT_DOUBLE_EQ(run.calibration.real_time_ns, 104);
  ASSERT_EQ(run.benchmarks.size(), 1u);
  EXPECT_DOUBLE_EQ(run.benchmarks[0].real_time_ns, 11);
  EXPECT_DOUBLE_EQ(*run.benchmarks[0].items_per_second, 1e9 / 11);
}

TEST(BenchResults, ABenchmarkThatFailedInOneProcessFailed) {
  json::array failing{iteration(kCal, 100, 90), failed("BM_A", "a batch was not deleted")};
  auto ok = read_results(simple_run("core_bench", 100, {{"BM_A", 10}}), "1.json");
  auto failed = read_results(document("core_bench", failing), "2.json");
  ASSERT_TRUE(ok.is_ok() && failed.is_ok()) << failed.status().message();
  auto merged = merge_runs({*ok, *failed});
  ASSERT_TRUE(merged.is_ok());
  const SuiteRun& run = merged->suites[0];
  EXPECT_TRUE(run.benchmarks.empty());
  ASSERT_EQ(run.failures.size(), 1u);
  EXPECT_EQ(run.failures[0].name, "BM_A");
  EXPECT_EQ(run.failures[0].message, "a batch was not deleted");
}

}  // namespace
}  // namespace twin::bench
