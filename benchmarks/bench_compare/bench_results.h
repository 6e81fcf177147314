// Benchmark figures as bench_compare sees them: read from Google Benchmark's JSON output
// (libbenchmark 1.7.1, `--benchmark_out=F --benchmark_out_format=json`), one file per suite run,
// and merged into one set.
//
// Owned by the bench_compare tool (benchmarks/bench_compare/); values only, single-threaded. Every
// reader returns a kInvalidArgument Status whose message names the file and the JSON path of the
// value at fault ("results/core_bench.json: $.benchmarks[3].time_unit: ..."); the command line
// turns it into exit 2. The baseline file's reader and writer are in baseline.h.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace twin::bench {

// The workload of benchmarks/calibration.cc that every suite measures in the same run.
inline constexpr std::string_view kCalibrationName = "BM_Calibration_Sha256/bytes:65536";

// One benchmark's figures in one suite run: medians over its repetitions, times in nanoseconds
// (of several processes of the suite, see merge_runs).
struct Figure {
  std::string name;
  double real_time_ns = 0;
  double cpu_time_ns = 0;
  std::optional<double> items_per_second;
  std::optional<double> bytes_per_second;
  int repetitions = 0;
  // Baseline only: this benchmark's own threshold in percent, used when larger than the
  // command line's (for a benchmark shown to be noisier than the default allows).
  std::optional<double> tolerance_percent;
};

// A benchmark that reported error_occurred (SkipWithError) in at least one repetition.
struct Failure {
  std::string name;
  std::string message;
};

// One suite binary's run, or one suite of the baseline.
struct SuiteRun {
  std::string suite;   // the executable's file name: "core_bench"
  std::string source;  // the file it was read from, for messages
  Figure calibration;
  std::vector<Figure> benchmarks;  // in registration order; the calibration is not among them
  std::vector<Failure> failures;
  boost::json::array load_avg;  // the machine's load averages when the run started, if known
  // The machine and build: cpu_model, num_cpus, mhz_per_cpu, caches, compiler, build_type,
  // benchmark_library, date; whichever the run reported. Never a host name or a path.
  boost::json::object machine;
};

// The runs of several suites, or a whole baseline; every benchmark name appears once.
struct RunSet {
  boost::json::object machine;   // of the first suite, dated by the earliest suite's date
  std::vector<SuiteRun> suites;  // ordered by suite name
};

// Nanoseconds in one `unit` of Google Benchmark's time_unit ("ns", "us", "ms", "s"); nullopt
// for anything else.
std::optional<double> nanoseconds_per(std::string_view unit);

// One suite run from Google Benchmark's JSON. Takes each benchmark's `median` aggregate when
// the run has one, else the median of its repetitions (entries with the same run_name);
// a benchmark with error_occurred in any entry goes to `failures`. Errors: text that is not
// JSON, not Google Benchmark's shape, a time unit it does not know, no calibration figure.
core::Result<SuiteRun> read_results(std::string_view json_text, std::string_view source);
core::Result<SuiteRun> read_results_file(const std::string& path);

// How several processes of one suite give one figure per benchmark (and for the calibration).
// On this VM one process of a suite can run a benchmark 1.5x slower than the next, for the
// whole process, with the same binary on an idle machine (its memory layout and what ran before
// it, most likely); such noise only ever adds time (benchmarks/README.md, "Noise").
enum class ProcessFigure {
  kLowest,  // the lowest of the processes' medians: a run is judged by its best processes
  kMedian,  // the median of the processes' medians: the baseline's typical figure
};

// Merges suite runs into one set. Several runs of one suite (separate processes: the compare
// command runs each suite three times and more) become one run, `how` deciding each figure; the
// rates (items or bytes per second) follow the times. A benchmark that failed in any process
// is a failure. Errors: one benchmark name in two suites.
core::Result<RunSet> merge_runs(std::vector<SuiteRun> runs,
                                ProcessFigure how = ProcessFigure::kLowest);

// Reads a whole file; a kInvalidArgument naming it when it cannot be read.
core::Result<std::string> read_text_file(const std::string& path);

}  // namespace twin::bench
