// Google Benchmark JSON as libbenchmark 1.7.1 writes it (--benchmark_out_format=json), built by
// tests of bench_compare: a context, iteration entries and, when asked, the aggregates.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "benchmarks/bench_compare/bench_results.h"

namespace twin::bench::testing {

namespace json = boost::json;

// The context of a run of `suite`, with the fields the library writes (host name and
// executable path included, which a baseline must drop).
inline json::object context(const std::string& suite) {
  return {{"date", "2026-11-29T14:30:35+00:00"},
          {"host_name", "ci-runner-7"},
          {"executable", "build/benchmarks/" + suite},
          {"num_cpus", 2},
          {"mhz_per_cpu", 2100},
          {"cpu_scaling_enabled", false},
          {"caches", json::array{json::object{
                         {"type", "Data"}, {"level", 1}, {"size", 49152}, {"num_sharing", 1}}}},
          {"load_avg", json::array{0.5, 1.25, 1.5}},
          {"library_build_type", "debug"},
          {"cpu_model", "Test CPU @ 2.1GHz"},
          {"compiler", "gcc 12.2.0"},
          {"build_type", "Release"},
          {"benchmark_library", "1.7.1"}};
}

inline json::object iteration(const std::string& name, double real, double cpu,
                              const std::string& unit = "ns", int repetitions = 1, int index = 0) {
  return {{"name", name},
          {"family_index", 0},
          {"per_family_instance_index", 0},
          {"run_name", name},
          {"run_type", "iteration"},
          {"repetitions", repetitions},
          {"repetition_index", index},
          {"threads", 1},
          {"iterations", 1000},
          {"real_time", real},
          {"cpu_time", cpu},
          {"time_unit", unit},
          {"items_per_second", real > 0 ? 1e9 / real : 0}};
}

inline json::object aggregate(const std::string& name, const std::string& aggregate_name,
                              double real, double cpu, int repetitions) {
  return {{"name", name + "_" + aggregate_name},
          {"family_index", 0},
          {"per_family_instance_index", 0},
          {"run_name", name},
          {"run_type", "aggregate"},
          {"repetitions", repetitions},
          {"threads", 1},
          {"aggregate_name", aggregate_name},
          {"aggregate_unit", "time"},
          {"iterations", repetitions},
          {"real_time", real},
          {"cpu_time", cpu},
          {"time_unit", "ns"},
          {"items_per_second", 1e9 / real}};
}

inline json::object failed(const std::string& name, const std::string& message) {
  return {{"name", name},
          {"family_index", 0},
          {"per_family_instance_index", 0},
          {"run_name", name},
          {"run_type", "iteration"},
          {"repetitions", 1},
          {"repetition_index", 0},
          {"threads", 1},
          {"error_occurred", true},
          {"error_message", message},
          {"iterations", 0},
          {"real_time", 0},
          {"cpu_time", 0},
          {"time_unit", "ns"}};
}

inline std::string document(const std::string& suite, const json::array& entries) {
  return json::serialize(json::object{{"context", context(suite)}, {"benchmarks", entries}});
}

struct Timing {
  std::string name;
  double ns;  // real time; CPU time is 90% of it
};

// One repetition of the calibration (calibration_ns) and of each benchmark.
inline std::string simple_run(const std::string& suite, double calibration_ns,
                              const std::vector<Timing>& timings) {
  json::array entries;
  entries.push_back(iteration(std::string(kCalibrationName), calibration_ns, calibration_ns * 0.9));
  for (const auto& t : timings) entries.push_back(iteration(t.name, t.ns, t.ns * 0.9));
  return document(suite, entries);
}

}  // namespace twin::bench::testing
