// bench_compare: compares a run's benchmark figures with the baseline's, each normalised by the
// calibration workload of its own suite run, and gives every benchmark a verdict.
//
// Owned by the bench_compare tool; values only, single-threaded. Normalised figure = median time
// of the benchmark / median time of BM_Calibration_Sha256 in the same suite run (same metric;
// of several processes of a suite: the lowest of their medians now, the median of their
// medians in the baseline, see merge_runs).
// ratio = normalised now / normalised baseline; raw ratio = time now / time in the baseline,
// which shows the machine factor the normalisation takes out. With t = threshold / 100:
// REGRESSED when ratio > 1 + t, improved when ratio < 1 / (1 + t) (faster by more than the
// threshold), ok in between. A baseline benchmark's tolerance_percent replaces the threshold
// when it is larger.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "benchmarks/bench_compare/bench_results.h"
#include "core/status.h"

namespace twin::bench {

// Which median is compared. real_time is the default: the queue benchmarks' cost includes the
// WAL's write(2) and fsync waits, which cpu_time leaves out (benchmarks/README.md).
enum class Metric { kRealTime, kCpuTime };

enum class Verdict {
  kOk,
  kRegressed,  // normalised slowdown above the threshold: failure
  kImproved,   // normalised speed-up above the threshold
  kNew,        // not in the baseline
  kMissing,    // in the baseline, absent from the run: failure
  kFailed,     // the benchmark reported an error in the run: failure
};

std::string_view to_string(Verdict v);
std::string_view to_string(Metric m);
std::optional<Metric> parse_metric(std::string_view text);

struct CompareOptions {
  Metric metric = Metric::kRealTime;
  double threshold_percent = 15;
  std::string filter;  // a POSIX extended regex searched in each name; empty: everything
};

struct Row {
  std::string name;
  Verdict verdict = Verdict::kOk;
  std::optional<double> baseline_ns;  // the metric's median in the baseline
  std::optional<double> now_ns;       // the metric's median in the run
  std::optional<double> raw_ratio;    // now_ns / baseline_ns
  std::optional<double> ratio;        // the same, each normalised by its calibration
  double threshold_percent = 0;       // the threshold applied to this row
  std::string message;                // kFailed: the benchmark's error message
};

struct SuiteComparison {
  std::string suite;
  std::optional<double> calibration_baseline_ns;
  std::optional<double> calibration_now_ns;
  std::vector<Row> rows;  // the run's order, then failures, then what is missing
};

struct Comparison {
  std::vector<SuiteComparison> suites;  // by suite name
  std::vector<std::string> notes;       // machine or build differences worth knowing
  int count(Verdict v) const;
  // Something regressed, is missing or failed: exit 1.
  bool failed() const;
};

// Checks the options (threshold >= 0 and finite, the filter a valid regex); kInvalidArgument
// naming the flag otherwise.
core::Status check_options(const CompareOptions& options);

// `options` must have passed check_options.
Comparison compare(const RunSet& baseline, const RunSet& now, const CompareOptions& options);

// The table a person reads: per suite its calibration, then one line per benchmark with the
// baseline and current times, both ratios and the verdict; a summary line last.
std::string format_report(const Comparison& comparison, const CompareOptions& options);

}  // namespace twin::bench
