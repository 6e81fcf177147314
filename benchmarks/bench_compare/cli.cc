#include "benchmarks/bench_compare/cli.h"

#include <CLI/CLI.hpp>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "benchmarks/bench_compare/baseline.h"
#include "benchmarks/bench_compare/bench_compare.h"

namespace twin::bench {
namespace {

struct CliOptions {
  std::vector<std::string> results;
  std::string baseline;
  std::string threshold = "15";
  std::string metric = "real_time";
  std::string filter;
  bool update = false;
  bool check = false;
  std::string regressed_out;
};

// A percentage: a plain decimal number, nothing after it.
std::optional<double> parse_percent(const std::string& text) {
  double v = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return v;
}

int run_check(const CliOptions& opt, std::ostream& out, std::ostream& err) {
  int worst = kExitOk;
  std::vector<SuiteRun> runs;
  for (const auto& path : opt.results) {
    auto run = read_results_file(path);
    if (!run.is_ok()) {
      err << "bench_compare: " << run.status().message() << "\n";
      worst = kExitUnusable;
      continue;
    }
    out << path << ": " << run->suite << ", " << run->benchmarks.size()
        << " benchmarks and the calibration";
    if (run->failures.empty()) {
      out << ", none failed\n";
    } else {
      out << ", " << run->failures.size() << " FAILED\n";
      for (const auto& f : run->failures) out << "  FAILED " << f.name << ": " << f.message << "\n";
      worst = std::max(worst, kExitFailed);
    }
    runs.push_back(std::move(*run));
  }
  if (auto merged = merge_runs(std::move(runs)); !merged.is_ok()) {
    err << "bench_compare: " << merged.status().message() << "\n";
    worst = kExitUnusable;
  }
  return worst;
}

core::Result<RunSet> read_runs(const std::vector<std::string>& paths, ProcessFigure how) {
  std::vector<SuiteRun> runs;
  for (const auto& path : paths) {
    auto run = read_results_file(path);
    if (!run.is_ok()) return run.status();
    runs.push_back(std::move(*run));
  }
  return merge_runs(std::move(runs), how);
}

int run_update(const CliOptions& opt, const CompareOptions& compare_options, const RunSet& now,
               std::ostream& out, std::ostream& err) {
  for (const auto& suite : now.suites) {
    if (!suite.failures.empty()) {
      err << "bench_compare: " << suite.source << ": " << suite.failures.front().name << " failed ("
          << suite.failures.front().message << "): a baseline needs every benchmark's figure\n";
      return kExitUnusable;
    }
  }
  std::optional<RunSet> previous;
  if (std::filesystem::exists(opt.baseline)) {
    auto read = read_baseline_file(opt.baseline);
    if (!read.is_ok()) {
      err << "bench_compare: " << read.status().message()
          << " (the old baseline must read cleanly so that its tolerances carry over; remove "
             "it to start afresh)\n";
      return kExitUnusable;
    }
    previous = std::move(*read);
    out << format_report(compare(*previous, now, compare_options), compare_options) << "\n";
  }
  std::string text = write_baseline(now, previous ? &*previous : nullptr);
  std::ofstream file(opt.baseline, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) {
    err << "bench_compare: " << opt.baseline << ": cannot write the file\n";
    return kExitUnusable;
  }
  std::size_t count = 0;
  for (const auto& suite : now.suites) count += suite.benchmarks.size();
  out << "wrote " << opt.baseline << ": " << now.suites.size() << " suites, " << count
      << " benchmarks\n";
  return kExitOk;
}

int run_compare(const CliOptions& opt, std::ostream& out, std::ostream& err) {
  if (opt.baseline.empty()) {
    err << "bench_compare: --baseline FILE is required (or --check)\n";
    return kExitUnusable;
  }
  CompareOptions compare_options;
  compare_options.filter = opt.filter;
  auto metric = parse_metric(opt.metric);
  if (!metric) {
    err << "bench_compare: --metric: expected real_time or cpu_time, got \"" << opt.metric
        << "\"\n";
    return kExitUnusable;
  }
  compare_options.metric = *metric;
  auto threshold = parse_percent(opt.threshold);
  if (!threshold) {
    err << "bench_compare: --threshold: expected a percentage >= 0, got \"" << opt.threshold
        << "\"\n";
    return kExitUnusable;
  }
  compare_options.threshold_percent = *threshold;
  if (core::Status s = check_options(compare_options); !s.is_ok()) {
    err << "bench_compare: " << s.message() << "\n";
    return kExitUnusable;
  }
  if (opt.update && !opt.filter.empty()) {
    err << "bench_compare: --update writes the whole baseline and cannot take --filter\n";
    return kExitUnusable;
  }
  // A baseline records the typical figure, a run is judged by its best: flagged only when even
  // its fastest processes are slower than the baseline's typical ones by more than the
  // threshold (a baseline taken in a rare fast phase would otherwise flag every later run).
  auto now = read_runs(opt.results, opt.update ? ProcessFigure::kMedian : ProcessFigure::kLowest);
  if (!now.is_ok()) {
    err << "bench_compare: " << now.status().message() << "\n";
    return kExitUnusable;
  }
  if (opt.update) return run_update(opt, compare_options, *now, out, err);
  auto baseline = read_baseline_file(opt.baseline);
  if (!baseline.is_ok()) {
    err << "bench_compare: " << baseline.status().message();
    if (!std::filesystem::exists(opt.baseline)) err << " (write one with --update)";
    err << "\n";
    return kExitUnusable;
  }
  Comparison comparison = compare(*baseline, *now, compare_options);
  out << format_report(comparison, compare_options);
  if (!opt.regressed_out.empty()) {
    std::ofstream file(opt.regressed_out, std::ios::binary | std::ios::trunc);
    for (const auto& suite : comparison.suites) {
      for (const auto& row : suite.rows) {
        if (row.verdict == Verdict::kRegressed) file << row.name << "\n";
      }
    }
    file.close();
    if (!file) {
      err << "bench_compare: " << opt.regressed_out << ": cannot write the file\n";
      return kExitUnusable;
    }
  }
  return comparison.failed() ? kExitFailed : kExitOk;
}

}  // namespace

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CliOptions opt;
  CLI::App app{"bench_compare: compare Google Benchmark results with benchmarks/baseline.json"};
  app.add_option("results", opt.results, "Google Benchmark JSON files, one per suite run")
      ->required();
  app.add_option("--baseline", opt.baseline, "The baseline (written with --update)");
  app.add_option("--threshold", opt.threshold, "Flag a normalised slowdown above PERCENT")
      ->capture_default_str();
  app.add_option("--metric", opt.metric, "real_time or cpu_time")->capture_default_str();
  app.add_option("--filter", opt.filter, "Only benchmarks whose name matches REGEX, both sides");
  app.add_flag("--update", opt.update, "Write --baseline from the results");
  app.add_option("--regressed-out", opt.regressed_out,
                 "Write the names of the REGRESSED benchmarks to FILE, one per line");
  auto* check = app.add_flag("--check", opt.check,
                             "Only check that the results are usable and no benchmark failed");
  check->excludes("--update")->excludes("--baseline")->excludes("--regressed-out");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e, out, err);
    return code == 0 ? kExitOk : kExitUnusable;
  }
  if (opt.check) return run_check(opt, out, err);
  return run_compare(opt, out, err);
}

}  // namespace twin::bench
