#include "benchmarks/bench_compare/bench_results.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <tuple>

#include "sim/json_in.h"

namespace twin::bench {
namespace {

namespace json = boost::json;
using sim::JsonInError;

constexpr std::int64_t kIntMax = std::numeric_limits<std::int64_t>::max();

// The figures of one entry of $.benchmarks, times in ns.
struct Sample {
  double real_time_ns = 0;
  double cpu_time_ns = 0;
  std::optional<double> items_per_second;
  std::optional<double> bytes_per_second;
  int repetitions = 1;
};

// Everything the file says about one benchmark (one run_name).
struct Collected {
  std::tuple<std::int64_t, std::int64_t, std::size_t> order;  // family, instance, first entry
  std::optional<Sample> median;                               // the library's aggregate
  std::vector<Sample> repetitions;
  std::optional<std::string> error;
};

double positive_time(sim::ObjectIn& entry, std::string_view key, double ns_per_unit) {
  double t = sim::read_number(entry.need(key), entry.child(key), 0, 1e300);
  if (t <= 0) throw JsonInError(entry.child(key), "must be greater than 0, got 0");
  return t * ns_per_unit;
}

Sample read_sample(sim::ObjectIn& entry) {
  std::string unit = sim::read_string(entry.need("time_unit"), entry.child("time_unit"));
  auto ns = nanoseconds_per(unit);
  if (!ns) {
    throw JsonInError(entry.child("time_unit"),
                      "unknown time unit \"" + unit + "\" (expected ns, us, ms or s)");
  }
  Sample s;
  s.real_time_ns = positive_time(entry, "real_time", *ns);
  s.cpu_time_ns = positive_time(entry, "cpu_time", *ns);
  s.items_per_second = entry.opt_number("items_per_second", 0, 1e300);
  s.bytes_per_second = entry.opt_number("bytes_per_second", 0, 1e300);
  s.repetitions = static_cast<int>(entry.opt_integer("repetitions", 1, 1'000'000).value_or(1));
  return s;
}

double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  std::size_t mid = v.size() / 2;
  return v.size() % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

// The median of a rate, when every repetition reported it.
std::optional<double> median_rate(const std::vector<Sample>& samples,
                                  std::optional<double> Sample::*rate) {
  std::vector<double> v;
  for (const auto& s : samples) {
    if (!(s.*rate)) return std::nullopt;
    v.push_back(*(s.*rate));
  }
  return median_of(std::move(v));
}

Figure figure_of(const std::string& name, const Collected& c) {
  Sample s;
  if (c.median) {
    s = *c.median;
  } else {
    std::vector<double> real;
    std::vector<double> cpu;
    for (const auto& r : c.repetitions) {
      real.push_back(r.real_time_ns);
      cpu.push_back(r.cpu_time_ns);
    }
    s.real_time_ns = median_of(real);
    s.cpu_time_ns = median_of(cpu);
    s.items_per_second = median_rate(c.repetitions, &Sample::items_per_second);
    s.bytes_per_second = median_rate(c.repetitions, &Sample::bytes_per_second);
    s.repetitions = static_cast<int>(c.repetitions.size());
  }
  return {name,          s.real_time_ns, s.cpu_time_ns, s.items_per_second, s.bytes_per_second,
          s.repetitions, std::nullopt};
}

// Reads $.benchmarks[i] into `found`; aggregates other than the median are ignored.
void collect(const json::value& v, const std::string& path, std::size_t index,
             std::map<std::string, Collected>& found) {
  sim::ObjectIn entry(v, path);
  std::string name = entry.str("name");
  std::string run_name = entry.opt_str("run_name").value_or(name);
  std::string run_type = entry.opt_str("run_type").value_or("iteration");
  if (run_type == "aggregate") {
    if (entry.opt_str("aggregate_name") != "median") return;
  } else if (run_type != "iteration") {
    throw JsonInError(entry.child("run_type"),
                      "expected \"iteration\" or \"aggregate\", got \"" + run_type + "\"");
  }
  auto [it, added] = found.try_emplace(run_name);
  Collected& c = it->second;
  if (added) {
    c.order = {entry.opt_integer("family_index", 0, kIntMax).value_or(kIntMax),
               entry.opt_integer("per_family_instance_index", 0, kIntMax).value_or(0), index};
  }
  if (entry.opt_bool("error_occurred").value_or(false)) {
    if (!c.error) c.error = entry.opt_str("error_message").value_or("error_occurred");
    return;
  }
  Sample s = read_sample(entry);
  if (run_type == "aggregate") {
    c.median = s;
  } else {
    c.repetitions.push_back(s);
  }
}

// "L2 Unified 2 MiB", "L3 Unified 300 MiB shared by 2": one line a cache, for people.
std::string describe_cache(sim::ObjectIn& cache) {
  std::string type = cache.str("type");
  std::int64_t level = cache.integer("level", 0, 100);
  std::int64_t size = cache.integer("size", 0, kIntMax);
  std::int64_t sharing = cache.integer("num_sharing", 0, 1'000'000);
  std::string text = "L" + std::to_string(level) + " " + type + " ";
  if (size % (1 << 20) == 0) {
    text += std::to_string(size >> 20) + " MiB";
  } else if (size % (1 << 10) == 0) {
    text += std::to_string(size >> 10) + " KiB";
  } else {
    text += std::to_string(size) + " bytes";
  }
  if (sharing > 1) text += " shared by " + std::to_string(sharing);
  return text;
}

json::object read_machine(sim::ObjectIn& context) {
  json::object m;
  for (const char* key : {"cpu_model", "compiler", "build_type", "benchmark_library"}) {
    if (auto s = context.opt_str(key)) m[key] = *s;
  }
  if (auto n = context.opt_integer("num_cpus", 1, 1'000'000)) m["num_cpus"] = *n;
  if (auto mhz = context.opt_number("mhz_per_cpu", 0, 1e7)) m["mhz_per_cpu"] = *mhz;
  if (const auto* caches = context.opt_array("caches")) {
    json::array out;
    for (std::size_t i = 0; i < caches->size(); ++i) {
      sim::ObjectIn cache((*caches)[i], sim::index_path(context.child("caches"), i));
      out.push_back(json::string(describe_cache(cache)));
    }
    m["caches"] = std::move(out);
  }
  if (auto date = context.opt_str("date")) m["date"] = *date;
  return m;
}

SuiteRun read_suite(const json::value& doc, std::string_view source) {
  if (!doc.is_object() || !doc.as_object().contains("benchmarks")) {
    throw JsonInError("$.benchmarks",
                      "required: not Google Benchmark's JSON output (--benchmark_out_format=json)");
  }
  sim::ObjectIn root(doc, "$");
  sim::ObjectIn context(root.need("context"), root.child("context"));
  SuiteRun run;
  run.source = std::string(source);
  std::string executable = context.str("executable");
  run.suite = executable.substr(executable.find_last_of("/\\") + 1);
  run.machine = read_machine(context);
  if (const auto* load = context.opt_array("load_avg")) {
    for (std::size_t i = 0; i < load->size(); ++i) {
      run.load_avg.push_back(
          sim::read_number((*load)[i], sim::index_path("$.context.load_avg", i), 0, 1e9));
    }
  }
  const auto& entries = root.need("benchmarks");
  if (!entries.is_array()) {
    throw JsonInError("$.benchmarks", "expected an array, got " + sim::type_name(entries));
  }
  std::map<std::string, Collected> found;
  for (std::size_t i = 0; i < entries.get_array().size(); ++i) {
    collect(entries.get_array()[i], sim::index_path("$.benchmarks", i), i, found);
  }
  std::vector<std::pair<std::string, const Collected*>> ordered;
  for (const auto& [name, c] : found) ordered.emplace_back(name, &c);
  std::sort(ordered.begin(), ordered.end(),
            [](const auto& a, const auto& b) { return a.second->order < b.second->order; });
  bool calibrated = false;
  for (const auto& [name, c] : ordered) {
    if (c->error) {
      if (name == kCalibrationName) {
        throw JsonInError("$.benchmarks", std::string(kCalibrationName) + " failed: " + *c->error);
      }
      run.failures.push_back({name, *c->error});
    } else if (name == kCalibrationName) {
      run.calibration = figure_of(name, *c);
      calibrated = true;
    } else {
      run.benchmarks.push_back(figure_of(name, *c));
    }
  }
  if (!calibrated) {
    throw JsonInError("$.benchmarks", "no " + std::string(kCalibrationName) +
                                          " figure (every suite links benchmarks/calibration.cc; a "
                                          "--benchmark_filter must let it run)");
  }
  return run;
}

}  // namespace

std::optional<double> nanoseconds_per(std::string_view unit) {
  if (unit == "ns") return 1.0;
  if (unit == "us") return 1e3;
  if (unit == "ms") return 1e6;
  if (unit == "s") return 1e9;
  return std::nullopt;
}

core::Result<SuiteRun> read_results(std::string_view json_text, std::string_view source) {
  boost::system::error_code ec;
  json::value doc = json::parse(json::string_view(json_text.data(), json_text.size()), ec);
  if (ec) {
    return core::invalid_argument(std::string(source) + ": not JSON: " + ec.message());
  }
  try {
    return read_suite(doc, source);
  } catch (const JsonInError& e) {
    return core::invalid_argument(std::string(source) + ": " + e.what());
  }
}

core::Result<SuiteRun> read_results_file(const std::string& path) {
  auto text = read_text_file(path);
  if (!text.is_ok()) return text.status();
  return read_results(*text, path);
}

namespace {

// One benchmark's figures from several processes as one: the lowest (or the median) of the
// processes' medians for each time, the rate that goes with it, the repetitions of all.
Figure combine_figures(const std::vector<const Figure*>& figures, ProcessFigure how) {
  Figure out = *figures.front();
  const auto pick = [how, &figures](auto member) {
    std::vector<double> v;
    for (const Figure* f : figures) v.push_back(f->*member);
    return how == ProcessFigure::kLowest ? *std::min_element(v.begin(), v.end())
                                         : median_of(std::move(v));
  };
  const auto pick_rate = [how, &figures](std::optional<double> Figure::*member) {
    std::vector<double> v;
    for (const Figure* f : figures) {
      if (!(f->*member)) return std::optional<double>();
      v.push_back(*(f->*member));
    }
    return std::optional<double>(how == ProcessFigure::kLowest
                                     ? *std::max_element(v.begin(), v.end())
                                     : median_of(std::move(v)));
  };
  out.real_time_ns = pick(&Figure::real_time_ns);
  out.cpu_time_ns = pick(&Figure::cpu_time_ns);
  out.items_per_second = pick_rate(&Figure::items_per_second);
  out.bytes_per_second = pick_rate(&Figure::bytes_per_second);
  out.repetitions = 0;
  for (const Figure* f : figures) out.repetitions += f->repetitions;
  return out;
}

// Several processes of one suite as one run (see merge_runs).
SuiteRun combine_processes(std::vector<SuiteRun> processes, ProcessFigure how) {
  SuiteRun out = processes.front();
  out.benchmarks.clear();
  out.failures.clear();
  std::vector<const Figure*> calibrations;
  std::vector<std::string> order;
  std::map<std::string, std::vector<const Figure*>> figures;
  for (std::size_t i = 0; i < processes.size(); ++i) {
    const SuiteRun& p = processes[i];
    if (i > 0) out.source += ", " + p.source;
    calibrations.push_back(&p.calibration);
    for (const auto& f : p.benchmarks) {
      auto& list = figures[f.name];
      if (list.empty()) order.push_back(f.name);
      list.push_back(&f);
    }
    // A benchmark that failed in any process failed; reported once, with the first message.
    for (const auto& f : p.failures) {
      const auto same = [&f](const Failure& o) { return o.name == f.name; };
      if (std::none_of(out.failures.begin(), out.failures.end(), same)) out.failures.push_back(f);
    }
    const auto* date = p.machine.if_contains("date");
    const auto* first = out.machine.if_contains("date");
    if (date && date->is_string() && first && first->is_string() &&
        date->get_string() < first->get_string()) {
      out.machine["date"] = *date;
    }
  }
  out.calibration = combine_figures(calibrations, how);
  for (const auto& name : order) {
    const auto failed = [&name](const Failure& o) { return o.name == name; };
    if (std::any_of(out.failures.begin(), out.failures.end(), failed)) continue;
    out.benchmarks.push_back(combine_figures(figures[name], how));
  }
  return out;
}

}  // namespace

core::Result<RunSet> merge_runs(std::vector<SuiteRun> runs, ProcessFigure how) {
  std::map<std::string, std::vector<SuiteRun>> by_suite;  // ordered by suite name
  for (auto& run : runs) by_suite[run.suite].push_back(std::move(run));
  std::vector<SuiteRun> suites;
  for (auto& [name, processes] : by_suite)
    suites.push_back(combine_processes(std::move(processes), how));
  std::map<std::string, const SuiteRun*> owner;
  for (const auto& suite : suites) {
    std::vector<std::string> names;
    for (const auto& f : suite.benchmarks) names.push_back(f.name);
    for (const auto& f : suite.failures) names.push_back(f.name);
    for (const auto& name : names) {
      auto [it, added] = owner.emplace(name, &suite);
      if (!added) {
        return core::invalid_argument(name + " is in two suites: " + it->second->suite + " (" +
                                      it->second->source + ") and " + suite.suite + " (" +
                                      suite.source + ")");
      }
    }
  }
  RunSet set;
  if (!suites.empty()) set.machine = suites.front().machine;
  for (const auto& suite : suites) {
    const auto* date = suite.machine.if_contains("date");
    const auto* first = set.machine.if_contains("date");
    if (date && date->is_string() &&
        (!first || (first->is_string() && date->get_string() < first->get_string()))) {
      set.machine["date"] = *date;
    }
  }
  set.suites = std::move(suites);
  return set;
}

core::Result<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::invalid_argument(path + ": cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return core::invalid_argument(path + ": cannot read the file");
  return text.str();
}

}  // namespace twin::bench
