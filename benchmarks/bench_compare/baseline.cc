#include "benchmarks/bench_compare/baseline.h"

#include <fmt/format.h>

#include <map>
#include <string>

#include "sim/json_in.h"
#include "sim/json_out.h"

namespace twin::bench {
namespace {

namespace json = boost::json;
using sim::JsonInError;

double positive(sim::ObjectIn& in, std::string_view key) {
  double v = in.number(key, 0, 1e300);
  if (v <= 0) throw JsonInError(in.child(key), "must be greater than 0, got 0");
  return v;
}

Figure read_figure(const json::value& v, const std::string& path, std::string name) {
  sim::ObjectIn in(v, path);
  Figure f;
  f.name = std::move(name);
  f.real_time_ns = positive(in, "real_time_ns");
  f.cpu_time_ns = positive(in, "cpu_time_ns");
  f.items_per_second = in.opt_number("items_per_second", 0, 1e300);
  f.bytes_per_second = in.opt_number("bytes_per_second", 0, 1e300);
  f.repetitions = static_cast<int>(in.integer("repetitions", 1, 1'000'000));
  f.tolerance_percent = in.opt_number("tolerance_percent", 0, 1e6);
  in.done();
  return f;
}

SuiteRun read_suite(const json::value& v, const std::string& path, std::string name,
                    std::string_view source) {
  sim::ObjectIn in(v, path);
  SuiteRun run;
  run.suite = std::move(name);
  run.source = std::string(source);
  if (const auto* load = in.opt_array("load_avg")) {
    for (std::size_t i = 0; i < load->size(); ++i) {
      run.load_avg.push_back(
          sim::read_number((*load)[i], sim::index_path(in.child("load_avg"), i), 0, 1e9));
    }
  }
  {
    sim::ObjectIn cal(in.need("calibration"), in.child("calibration"));
    std::string cal_name = cal.str("name");
    if (cal_name != kCalibrationName) {
      throw JsonInError(cal.child("name"), "the baseline was calibrated with " + cal_name +
                                               ", this tool with " + std::string(kCalibrationName) +
                                               ": write a new baseline (--update)");
    }
    json::object rest = cal.raw();
    rest.erase("name");
    cal.take_all();
    run.calibration = read_figure(rest, cal.path(), cal_name);
  }
  sim::ObjectIn benchmarks(in.need("benchmarks"), in.child("benchmarks"));
  benchmarks.take_all();
  for (const auto& kv : benchmarks.raw()) {
    std::string key(kv.key());
    if (key == kCalibrationName) {
      throw JsonInError(sim::member_path(benchmarks.path(), key),
                        "the calibration belongs in \"calibration\"");
    }
    run.benchmarks.push_back(
        read_figure(kv.value(), sim::member_path(benchmarks.path(), key), key));
  }
  in.done();
  return run;
}

RunSet read_set(const json::value& doc, std::string_view source) {
  sim::ObjectIn root(doc, "$");
  std::string format = root.str("format");
  if (format != kBaselineFormat) {
    throw JsonInError("$.format",
                      "expected \"" + std::string(kBaselineFormat) + "\", got \"" + format + "\"");
  }
  const auto& machine = root.need("machine");
  if (!machine.is_object()) {
    throw JsonInError("$.machine", "expected an object, got " + sim::type_name(machine));
  }
  sim::ObjectIn suites(root.need("suites"), "$.suites");
  suites.take_all();
  std::vector<SuiteRun> runs;
  for (const auto& kv : suites.raw()) {
    std::string name(kv.key());
    runs.push_back(read_suite(kv.value(), sim::member_path("$.suites", name), name, source));
  }
  root.done();
  auto merged = merge_runs(std::move(runs));
  if (!merged.is_ok()) throw JsonInError("$.suites", merged.status().message());
  merged->machine = machine.get_object();
  return std::move(*merged);
}

// Five significant digits: the noise is far larger, and the file diffs readably.
double rounded(double v) { return std::stod(fmt::format("{:.5g}", v)); }

json::object figure_json(const Figure& f, const std::map<std::string, double>& tolerances) {
  json::object o;
  o["real_time_ns"] = rounded(f.real_time_ns);
  o["cpu_time_ns"] = rounded(f.cpu_time_ns);
  if (f.items_per_second) o["items_per_second"] = rounded(*f.items_per_second);
  if (f.bytes_per_second) o["bytes_per_second"] = rounded(*f.bytes_per_second);
  o["repetitions"] = f.repetitions;
  if (auto it = tolerances.find(f.name); it != tolerances.end()) {
    o["tolerance_percent"] = it->second;
  }
  return o;
}

// Objects one member a line, arrays (of numbers or short strings) on one line.
void write_value(std::string& out, const json::value& v, int depth) {
  if (!v.is_object() || v.get_object().empty()) {
    out += sim::to_json(v);
    return;
  }
  out += "{";
  bool first = true;
  for (const auto& kv : v.get_object()) {
    out += first ? "\n" : ",\n";
    first = false;
    out.append(static_cast<std::size_t>(2 * (depth + 1)), ' ');
    out += sim::to_json(json::string(kv.key())) + ": ";
    write_value(out, kv.value(), depth + 1);
  }
  out += "\n";
  out.append(static_cast<std::size_t>(2 * depth), ' ');
  out += "}";
}

}  // namespace

core::Result<RunSet> read_baseline(std::string_view json_text, std::string_view source) {
  boost::system::error_code ec;
  json::value doc = json::parse(json::string_view(json_text.data(), json_text.size()), ec);
  if (ec) return core::invalid_argument(std::string(source) + ": not JSON: " + ec.message());
  try {
    return read_set(doc, source);
  } catch (const JsonInError& e) {
    return core::invalid_argument(std::string(source) + ": " + e.what());
  }
}

core::Result<RunSet> read_baseline_file(const std::string& path) {
  auto text = read_text_file(path);
  if (!text.is_ok()) return text.status();
  return read_baseline(*text, path);
}

std::string write_baseline(const RunSet& now, const RunSet* previous) {
  std::map<std::string, double> tolerances;
  if (previous != nullptr) {
    for (const auto& suite : previous->suites) {
      for (const auto& f : suite.benchmarks) {
        if (f.tolerance_percent) tolerances[f.name] = *f.tolerance_percent;
      }
    }
  }
  json::object suites;
  for (const auto& run : now.suites) {
    json::object suite;
    if (!run.load_avg.empty()) {
      json::array load;
      for (const auto& v : run.load_avg) load.push_back(rounded(v.to_number<double>()));
      suite["load_avg"] = std::move(load);
    }
    json::object calibration{{"name", run.calibration.name}};
    for (auto& kv : figure_json(run.calibration, {})) calibration[kv.key()] = kv.value();
    suite["calibration"] = std::move(calibration);
    json::object benchmarks;
    for (const auto& f : run.benchmarks) benchmarks[f.name] = figure_json(f, tolerances);
    suite["benchmarks"] = std::move(benchmarks);
    suites[run.suite] = std::move(suite);
  }
  json::object doc{{"format", kBaselineFormat}, {"machine", now.machine}};
  doc["suites"] = std::move(suites);
  std::string text;
  write_value(text, doc, 0);
  return text + "\n";
}

}  // namespace twin::bench
