#include "benchmarks/bench_compare/bench_compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>
#include <set>

#include "sim/json_out.h"

namespace twin::bench {
namespace {

double value_of(const Figure& f, Metric m) {
  return m == Metric::kRealTime ? f.real_time_ns : f.cpu_time_ns;
}

struct Located {
  const SuiteRun* suite;
  const Figure* figure;
};

Verdict verdict_for(double ratio, double threshold_percent) {
  double limit = 1 + threshold_percent / 100;
  if (ratio > limit) return Verdict::kRegressed;
  if (ratio < 1 / limit) return Verdict::kImproved;
  return Verdict::kOk;
}

Row compared_row(const Figure& now, const SuiteRun& now_suite, const Located* base,
                 const CompareOptions& options) {
  Row r;
  r.name = now.name;
  r.now_ns = value_of(now, options.metric);
  r.threshold_percent = options.threshold_percent;
  if (base == nullptr) {
    r.verdict = Verdict::kNew;
    return r;
  }
  r.baseline_ns = value_of(*base->figure, options.metric);
  r.raw_ratio = *r.now_ns / *r.baseline_ns;
  double normalised_now = *r.now_ns / value_of(now_suite.calibration, options.metric);
  double normalised_base = *r.baseline_ns / value_of(base->suite->calibration, options.metric);
  r.ratio = normalised_now / normalised_base;
  r.threshold_percent =
      std::max(options.threshold_percent, base->figure->tolerance_percent.value_or(0));
  r.verdict = verdict_for(*r.ratio, r.threshold_percent);
  return r;
}

std::vector<std::string> machine_notes(const RunSet& baseline, const RunSet& now) {
  std::vector<std::string> notes;
  for (const char* key : {"cpu_model", "num_cpus", "compiler", "build_type", "benchmark_library"}) {
    const auto* b = baseline.machine.if_contains(key);
    const auto* n = now.machine.if_contains(key);
    if (b && n && *b != *n) {
      notes.push_back(fmt::format("machine.{} differs: baseline {}, now {}", key, sim::to_json(*b),
                                  sim::to_json(*n)));
    }
  }
  if (const auto* n = now.machine.if_contains("build_type");
      n && (!n->is_string() || n->get_string() != "Release")) {
    notes.push_back("the run is a " + sim::to_json(*n) +
                    " build: only Release figures compare with the baseline");
  }
  return notes;
}

std::string format_time(double ns) {
  const char* unit = "ns";
  double v = ns;
  if (ns >= 1e9) {
    v = ns / 1e9, unit = "s";
  } else if (ns >= 1e6) {
    v = ns / 1e6, unit = "ms";
  } else if (ns >= 1e3) {
    v = ns / 1e3, unit = "us";
  }
  int decimals = v < 10 ? 2 : v < 100 ? 1 : 0;
  return fmt::format("{:.{}f} {}", v, decimals, unit);
}

std::string optional_time(const std::optional<double>& ns) { return ns ? format_time(*ns) : "-"; }
std::string optional_ratio(const std::optional<double>& r) {
  return r ? fmt::format("{:.2f}", *r) : "-";
}

std::string verdict_text(const Row& r, const CompareOptions& options) {
  std::string text(to_string(r.verdict));
  if (r.verdict == Verdict::kFailed) text += ": " + r.message;
  if (r.ratio && r.threshold_percent != options.threshold_percent) {
    text += fmt::format(" (tolerance {}%)", r.threshold_percent);
  }
  return text;
}

}  // namespace

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::kOk:
      return "ok";
    case Verdict::kRegressed:
      return "REGRESSED";
    case Verdict::kImproved:
      return "improved";
    case Verdict::kNew:
      return "new";
    case Verdict::kMissing:
      return "MISSING";
    case Verdict::kFailed:
      return "FAILED";
  }
  return "?";
}

std::string_view to_string(Metric m) { return m == Metric::kRealTime ? "real_time" : "cpu_time"; }

std::optional<Metric> parse_metric(std::string_view text) {
  if (text == "real_time") return Metric::kRealTime;
  if (text == "cpu_time") return Metric::kCpuTime;
  return std::nullopt;
}

int Comparison::count(Verdict v) const {
  int n = 0;
  for (const auto& s : suites) {
    n += static_cast<int>(
        std::count_if(s.rows.begin(), s.rows.end(), [v](const Row& r) { return r.verdict == v; }));
  }
  return n;
}

bool Comparison::failed() const {
  return count(Verdict::kRegressed) + count(Verdict::kMissing) + count(Verdict::kFailed) > 0;
}

core::Status check_options(const CompareOptions& options) {
  if (!std::isfinite(options.threshold_percent) || options.threshold_percent < 0) {
    return core::invalid_argument(
        fmt::format("--threshold: expected a percentage >= 0, got {}", options.threshold_percent));
  }
  try {
    std::regex re(options.filter, std::regex::extended);
  } catch (const std::regex_error& e) {
    return core::invalid_argument("--filter: not a valid regular expression: " + options.filter +
                                  " (" + e.what() + ")");
  }
  return core::Status::ok();
}

Comparison compare(const RunSet& baseline, const RunSet& now, const CompareOptions& options) {
  std::regex filter(options.filter, std::regex::extended);
  auto kept = [&](const std::string& name) {
    return options.filter.empty() || std::regex_search(name, filter);
  };
  std::map<std::string, Located> base;
  std::map<std::string, const SuiteRun*> base_suites;
  std::map<std::string, const SuiteRun*> now_suites;
  std::set<std::string> present;  // every name the run reported, figure or failure
  for (const auto& s : baseline.suites) {
    base_suites[s.suite] = &s;
    for (const auto& f : s.benchmarks) base[f.name] = {&s, &f};
  }
  for (const auto& s : now.suites) {
    now_suites[s.suite] = &s;
    for (const auto& f : s.benchmarks) present.insert(f.name);
    for (const auto& f : s.failures) present.insert(f.name);
  }
  std::set<std::string> suite_names;
  for (const auto& [name, s] : base_suites) suite_names.insert(name);
  for (const auto& [name, s] : now_suites) suite_names.insert(name);

  Comparison out;
  out.notes = machine_notes(baseline, now);
  for (const auto& suite : suite_names) {
    SuiteComparison sc;
    sc.suite = suite;
    const SuiteRun* b = base_suites.count(suite) ? base_suites[suite] : nullptr;
    const SuiteRun* n = now_suites.count(suite) ? now_suites[suite] : nullptr;
    if (b) sc.calibration_baseline_ns = value_of(b->calibration, options.metric);
    if (n) {
      sc.calibration_now_ns = value_of(n->calibration, options.metric);
      for (const auto& f : n->benchmarks) {
        if (!kept(f.name)) continue;
        auto it = base.find(f.name);
        sc.rows.push_back(compared_row(f, *n, it == base.end() ? nullptr : &it->second, options));
      }
      for (const auto& f : n->failures) {
        if (!kept(f.name)) continue;
        Row r;
        r.name = f.name;
        r.verdict = Verdict::kFailed;
        if (auto it = base.find(f.name); it != base.end()) {
          r.baseline_ns = value_of(*it->second.figure, options.metric);
        }
        r.threshold_percent = options.threshold_percent;
        r.message = f.message;
        sc.rows.push_back(std::move(r));
      }
    }
    if (b) {
      for (const auto& f : b->benchmarks) {
        if (!kept(f.name) || present.count(f.name)) continue;
        Row r;
        r.name = f.name;
        r.verdict = Verdict::kMissing;
        r.baseline_ns = value_of(f, options.metric);
        r.threshold_percent = options.threshold_percent;
        sc.rows.push_back(std::move(r));
      }
    }
    if (!sc.rows.empty()) out.suites.push_back(std::move(sc));
  }
  return out;
}

std::string format_report(const Comparison& comparison, const CompareOptions& options) {
  std::string out = fmt::format(
      "metric {}, threshold {}%; ratio = (time / calibration time) now over the same in the "
      "baseline, raw = time now over time in the baseline\n",
      to_string(options.metric), options.threshold_percent);
  for (const auto& note : comparison.notes) out += "note: " + note + "\n";
  std::size_t width = 9;
  for (const auto& s : comparison.suites) {
    for (const auto& r : s.rows) width = std::max(width, r.name.size());
  }
  int total = 0;
  for (const auto& s : comparison.suites) {
    out +=
        fmt::format("\n{}: calibration {} {}, baseline {}", s.suite, kCalibrationName,
                    optional_time(s.calibration_now_ns), optional_time(s.calibration_baseline_ns));
    if (s.calibration_now_ns && s.calibration_baseline_ns) {
      out += fmt::format(" (machine factor {:.2f})",
                         *s.calibration_now_ns / *s.calibration_baseline_ns);
    }
    out += fmt::format("\n  {:<{}}  {:>10}  {:>10}  {:>5}  {:>5}  {}\n", "benchmark", width,
                       "baseline", "now", "raw", "ratio", "verdict");
    for (const auto& r : s.rows) {
      out += fmt::format("  {:<{}}  {:>10}  {:>10}  {:>5}  {:>5}  {}\n", r.name, width,
                         optional_time(r.baseline_ns), optional_time(r.now_ns),
                         optional_ratio(r.raw_ratio), optional_ratio(r.ratio),
                         verdict_text(r, options));
      ++total;
    }
  }
  out += fmt::format(
      "\n{} benchmarks: {} ok, {} REGRESSED, {} improved, {} new, {} MISSING, {} "
      "FAILED\n",
      total, comparison.count(Verdict::kOk), comparison.count(Verdict::kRegressed),
      comparison.count(Verdict::kImproved), comparison.count(Verdict::kNew),
      comparison.count(Verdict::kMissing), comparison.count(Verdict::kFailed));
  if (total == 0) out += "note: no benchmark on either side matches --filter\n";
  return out;
}

}  // namespace twin::bench
