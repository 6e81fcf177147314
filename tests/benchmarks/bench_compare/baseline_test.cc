// The baseline file: strict reading with JSON paths in errors, and what a write keeps.
#include "benchmarks/bench_compare/baseline.h"

#include <gtest/gtest.h>

#include "tests/benchmarks/bench_compare/synthetic_results.h"

namespace twin::bench {
namespace {

using namespace twin::bench::testing;

std::string a_baseline() {
  auto run = read_results(simple_run("core_bench", 100'000, {{"BM_A", 10'000}}), "r.json");
  auto set = merge_runs({*run});
  return write_baseline(*set, nullptr);
}

std::string error_of(const std::string& text) {
  auto read = read_baseline(text, "baseline.json");
  EXPECT_FALSE(read.is_ok());
  return read.is_ok() ? std::string() : read.status().message();
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(Baseline, WritesTheDocumentedShape) {
  auto read = read_baseline(a_baseline(), "baseline.json");
  ASSERT_TRUE(read.is_ok()) << read.status().message();
  EXPECT_EQ(read->suites[0].calibration.name, kCalibrationName);
  EXPECT_EQ(read->suites[0].calibration.real_time_ns, 100'000);
  EXPECT_EQ(read->suites[0].benchmarks[0].cpu_time_ns, 9'000);
  std::string text = a_baseline();
  EXPECT_EQ(text.rfind("{\n  \"format\": \"twin-benchmark-baseline/1\",\n  \"machine\": {", 0), 0u)
      << text;
  EXPECT_NE(text.find("\"BM_A\": {\n          \"real_time_ns\": 10000,\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("\"load_avg\": [0.5,1.25,1.5],\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\"caches\": [\"L1 Data 48 KiB\"],\n"), std::string::npos) << text;
}

TEST(Baseline, AnUnknownKeyIsAnErrorWithItsPath) {
  EXPECT_EQ(error_of(replaced(a_baseline(), "\"repetitions\": 1\n        }\n      }",
                              "\"repetitions\": 1, \"tolerance\": 30\n        }\n      }")),
            "baseline.json: $.suites.core_bench.benchmarks.BM_A.tolerance: unknown key");
}

TEST(Baseline, BadValuesAreErrorsWithTheirPath) {
  EXPECT_EQ(error_of(replaced(a_baseline(), "\"real_time_ns\": 10000,", "\"real_time_ns\": -1,")),
            "baseline.json: $.suites.core_bench.benchmarks.BM_A.real_time_ns: must be between 0 "
            "and 1e+300, got -1");
  EXPECT_EQ(error_of(replaced(a_baseline(), "\"real_time_ns\": 10000,", "\"real_time_ns\": 0,")),
            "baseline.json: $.suites.core_bench.benchmarks.BM_A.real_time_ns: must be greater than "
            "0, got 0");
  EXPECT_EQ(error_of(replaced(a_baseline(), "\"calibration\": {", "\"calibrated\": {")),
            "baseline.json: $.suites.core_bench.calibration: required");
  EXPECT_EQ(error_of(replaced(a_baseline(), "bytes:65536", "bytes:4096")),
            "baseline.json: $.suites.core_bench.calibration.name: the baseline was calibrated "
            "with BM_Calibration_Sha256/bytes:4096, this tool with "
            "BM_Calibration_Sha256/bytes:65536: write a new baseline (--update)");
  EXPECT_EQ(error_of("{}"), "baseline.json: $.format: required");
  EXPECT_EQ(error_of("not json"), "baseline.json: not JSON: syntax error");
}

TEST(Baseline, ABenchmarkInTwoSuitesIsAnError) {
  auto a = read_results(simple_run("core_bench", 100, {{"BM_A", 10}}), "a.json");
  auto b = read_results(simple_run("sqs_bench", 100, {{"BM_B", 10}}), "b.json");
  std::string text = write_baseline(*merge_runs({*a, *b}), nullptr);
  std::string message = error_of(replaced(text, "\"BM_B\"", "\"BM_A\""));
  EXPECT_EQ(message.rfind("baseline.json: $.suites: BM_A is in two suites: core_bench", 0), 0u)
      << message;
}

}  // namespace
}  // namespace twin::bench
