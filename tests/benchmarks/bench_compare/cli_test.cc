// bench_compare's command line on files: exit codes 0, 1 and 2, the --update round trip, --check.
#include "benchmarks/bench_compare/cli.h"

#include <gtest/gtest.h>

#include <sstream>

#include "benchmarks/bench_compare/baseline.h"
#include "tests/benchmarks/bench_compare/synthetic_results.h"
#include "tests/support/test_dir.h"

namespace twin::bench {
namespace {

using namespace twin::bench::testing;

struct Outcome {
  int exit_code;
  std::string out;
  std::string err;
};

Outcome run(std::vector<std::string> args) {
  args.insert(args.begin(), "bench_compare");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  int code = run_cli(static_cast<int>(argv.size()), argv.data(), out, err);
  return {code, out.str(), err.str()};
}

class BenchCompareCli : public ::testing::Test {
 protected:
  // A baseline written by --update from calibration 100 us, BM_A 10 us, BM_B 2 us.
  void SetUp() override {
    std::string base = dir_.write(
        "base.json", simple_run("core_bench", 100'000, {{"BM_A", 10'000}, {"BM_B", 2'000}}));
    Outcome o = run({"--baseline", baseline_, "--update", base});
    ASSERT_EQ(o.exit_code, kExitOk) << o.err;
  }
  std::string results(const std::vector<Timing>& timings, double calibration_ns = 100'000) {
    return dir_.write("now.json", simple_run("core_bench", calibration_ns, timings));
  }

  twin::testing::TestDir dir_;
  std::string baseline_ = (dir_.path() / "baseline.json").string();
};

TEST_F(BenchCompareCli, ExitsZeroWhenNothingRegressed) {
  Outcome o = run({"--baseline", baseline_, results({{"BM_A", 10'500}, {"BM_B", 1'900}})});
  EXPECT_EQ(o.exit_code, kExitOk) << o.out << o.err;
  EXPECT_NE(o.out.find("2 benchmarks: 2 ok"), std::string::npos) << o.out;
}

TEST_F(BenchCompareCli, ExitsOneOnARegression) {
  Outcome o = run({"--baseline", baseline_, results({{"BM_A", 13'000}, {"BM_B", 2'000}})});
  EXPECT_EQ(o.exit_code, kExitFailed);
  EXPECT_NE(o.out.find("REGRESSED"), std::string::npos) << o.out;
}

std::string text_of(const std::string& path) {
  auto text = read_text_file(path);
  return text.is_ok() ? *text : "(unreadable)";
}

// What the compare command re-runs to confirm: the REGRESSED names only, one per line; a
// second process of the suite that is back to speed clears the flag (the lower median counts).
TEST_F(BenchCompareCli, RegressedOutListsTheFlaggedAndAFasterProcessClearsThem) {
  const std::string flagged = (dir_.path() / "regressed.txt").string();
  std::string slow = results({{"BM_A", 13'000}, {"BM_B", 2'000}});
  EXPECT_EQ(run({"--baseline", baseline_, "--regressed-out", flagged, slow}).exit_code,
            kExitFailed);
  EXPECT_EQ(text_of(flagged), "BM_A\n");
  std::string again =
      dir_.write("again.json", simple_run("core_bench", 100'000, {{"BM_A", 10'200}}));
  Outcome o = run({"--baseline", baseline_, "--regressed-out", flagged, slow, again});
  EXPECT_EQ(o.exit_code, kExitOk) << o.out;
  EXPECT_EQ(text_of(flagged), "");
}

TEST_F(BenchCompareCli, ExitsOneOnAMissingBenchmarkUnlessFilteredOut) {
  std::string now = results({{"BM_A", 10'000}});
  EXPECT_EQ(run({"--baseline", baseline_, now}).exit_code, kExitFailed);
  EXPECT_EQ(run({"--baseline", baseline_, "--filter", "BM_A", now}).exit_code, kExitOk);
}

TEST_F(BenchCompareCli, ThresholdFlag) {
  std::string now = results({{"BM_A", 13'000}, {"BM_B", 2'000}});
  EXPECT_EQ(run({"--baseline", baseline_, "--threshold", "40", now}).exit_code, kExitOk);
  EXPECT_EQ(run({"--baseline", baseline_, "--threshold", "25", now}).exit_code, kExitFailed);
  Outcome negative = run({"--baseline", baseline_, "--threshold=-5", now});
  EXPECT_EQ(negative.exit_code, kExitUnusable);
  EXPECT_EQ(negative.err, "bench_compare: --threshold: expected a percentage >= 0, got -5\n");
  Outcome words = run({"--baseline", baseline_, "--threshold", "lots", now});
  EXPECT_EQ(words.exit_code, kExitUnusable);
  EXPECT_EQ(words.err, "bench_compare: --threshold: expected a percentage >= 0, got \"lots\"\n");
}

TEST_F(BenchCompareCli, UnusableInputExitsTwoNamingTheFileAndPath) {
  std::string now = results({{"BM_A", 10'000}, {"BM_B", 2'000}});
  Outcome missing_file = run({"--baseline", baseline_, (dir_.path() / "nope.json").string()});
  EXPECT_EQ(missing_file.exit_code, kExitUnusable);
  EXPECT_NE(missing_file.err.find("nope.json: cannot read the file"), std::string::npos);

  std::string not_gb = dir_.write("other.json", R"({"results": []})");
  Outcome other = run({"--baseline", baseline_, not_gb});
  EXPECT_EQ(other.exit_code, kExitUnusable);
  EXPECT_NE(other.err.find("other.json: $.benchmarks: required"), std::string::npos) << other.err;

  std::string uncalibrated =
      dir_.write("uncal.json", document("core_bench", {iteration("BM_A", 10'000, 9'000)}));
  EXPECT_EQ(run({"--baseline", baseline_, uncalibrated}).exit_code, kExitUnusable);

  EXPECT_EQ(run({"--baseline", (dir_.path() / "none.json").string(), now}).exit_code,
            kExitUnusable);
  EXPECT_EQ(run({now}).exit_code, kExitUnusable);  // no baseline
  EXPECT_EQ(run({"--baseline", baseline_, "--metric", "wall", now}).exit_code, kExitUnusable);
  EXPECT_EQ(run({"--baseline", baseline_, "--filter", "BM_(", now}).exit_code, kExitUnusable);
  EXPECT_EQ(run({"--baseline", baseline_, "--no-such-flag", now}).exit_code, kExitUnusable);
  EXPECT_EQ(run({"--baseline", baseline_}).exit_code, kExitUnusable);  // no results

  std::string bad_baseline = dir_.write("bad_base.json", R"({"format": "something else"})");
  Outcome bad = run({"--baseline", bad_baseline, now});
  EXPECT_EQ(bad.exit_code, kExitUnusable);
  EXPECT_NE(bad.err.find("bad_base.json: $.format: expected \"twin-benchmark-baseline/1\""),
            std::string::npos)
      << bad.err;
}

TEST_F(BenchCompareCli, UpdateRoundTripsAsABaseline) {
  std::string now = results({{"BM_A", 12'345.678}, {"BM_B", 2'000}, {"BM_C", 7}}, 98'765.4321);
  Outcome update = run({"--baseline", baseline_, "--update", now});
  ASSERT_EQ(update.exit_code, kExitOk) << update.err;
  EXPECT_NE(update.out.find("new"), std::string::npos);  // compared with the old one first
  EXPECT_NE(update.out.find("wrote " + baseline_ + ": 1 suites, 3 benchmarks"), std::string::npos);
  auto written = read_baseline_file(baseline_);
  ASSERT_TRUE(written.is_ok()) << written.status().message();
  ASSERT_EQ(written->suites.size(), 1u);
  const SuiteRun& suite = written->suites[0];
  EXPECT_EQ(suite.suite, "core_bench");
  EXPECT_EQ(suite.calibration.real_time_ns, 98'765);  // five significant digits
  ASSERT_EQ(suite.benchmarks.size(), 3u);
  EXPECT_EQ(suite.benchmarks[0].name, "BM_A");
  EXPECT_EQ(suite.benchmarks[0].real_time_ns, 12'346);
  EXPECT_EQ(suite.benchmarks[2].real_time_ns, 7);
  EXPECT_EQ(suite.benchmarks[2].repetitions, 1);
  EXPECT_TRUE(suite.benchmarks[2].items_per_second.has_value());
  EXPECT_EQ(written->machine.at("cpu_model"), "Test CPU @ 2.1GHz");
  EXPECT_EQ(written->machine.at("build_type"), "Release");

  Outcome again = run({"--baseline", baseline_, now});
  EXPECT_EQ(again.exit_code, kExitOk) << again.out;
  EXPECT_NE(again.out.find("3 benchmarks: 3 ok"), std::string::npos) << again.out;
}

TEST_F(BenchCompareCli, UpdateWritesNoHostNameOrPathAndKeepsTolerances) {
  std::string text = *read_text_file(baseline_);
  EXPECT_EQ(text.find("host_name"), std::string::npos);
  EXPECT_EQ(text.find("ci-runner-7"), std::string::npos);
  EXPECT_EQ(text.find("build/benchmarks"), std::string::npos);
  EXPECT_EQ(text.find("executable"), std::string::npos);

  // A tolerance written by hand survives the next update.
  std::string key = "\"BM_A\": {";
  auto at = text.find(key);
  ASSERT_NE(at, std::string::npos) << text;
  text.insert(at + key.size(), "\"tolerance_percent\": 30, ");
  dir_.write("baseline.json", text);
  ASSERT_EQ(run({"--baseline", baseline_, "--update", results({{"BM_A", 10'000}, {"BM_B", 2'000}})})
                .exit_code,
            kExitOk);
  auto written = read_baseline_file(baseline_);
  ASSERT_TRUE(written.is_ok()) << written.status().message();
  EXPECT_EQ(written->suites[0].benchmarks[0].tolerance_percent, 30);
  EXPECT_FALSE(written->suites[0].benchmarks[1].tolerance_percent.has_value());
}

TEST_F(BenchCompareCli, UpdateRefusesAFilterAndAFailedBenchmark) {
  std::string now = results({{"BM_A", 10'000}, {"BM_B", 2'000}});
  EXPECT_EQ(run({"--baseline", baseline_, "--update", "--filter", "BM_A", now}).exit_code,
            kExitUnusable);
  std::string broken = dir_.write(
      "broken.json", document("core_bench", {iteration(std::string(kCalibrationName), 1, 1),
                                             failed("BM_A", "stopped")}));
  Outcome o = run({"--baseline", baseline_, "--update", broken});
  EXPECT_EQ(o.exit_code, kExitUnusable);
  EXPECT_NE(o.err.find("BM_A failed (stopped)"), std::string::npos) << o.err;
  EXPECT_TRUE(read_baseline_file(baseline_).is_ok());  // the old baseline is untouched
}

TEST_F(BenchCompareCli, CheckAcceptsAGoodRunAndRefusesFailuresAndBadFiles) {
  std::string good = results({{"BM_A", 10'000}});
  Outcome ok = run({"--check", good});
  EXPECT_EQ(ok.exit_code, kExitOk) << ok.err;
  EXPECT_NE(ok.out.find("core_bench, 1 benchmarks and the calibration, none failed"),
            std::string::npos);
  std::string broken = dir_.write(
      "broken.json", document("core_bench", {iteration(std::string(kCalibrationName), 1, 1),
                                             failed("BM_A", "stopped")}));
  Outcome failed_run = run({"--check", broken});
  EXPECT_EQ(failed_run.exit_code, kExitFailed);
  EXPECT_NE(failed_run.out.find("FAILED BM_A: stopped"), std::string::npos);
  std::string truncated = dir_.write("truncated.json", R"({"context": {"date": )");
  EXPECT_EQ(run({"--check", truncated}).exit_code, kExitUnusable);
  EXPECT_EQ(run({"--check", good, "--baseline", baseline_}).exit_code, kExitUnusable);
}

}  // namespace
}  // namespace twin::bench
