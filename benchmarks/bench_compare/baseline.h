// benchmarks/baseline.json: the committed figures bench_compare compares a run against.
//
// Owned by the bench_compare tool; values only, single-threaded. The format (documented in
// benchmarks/README.md, "Regression tracking"):
//
//   {"format": "twin-benchmark-baseline/1",
//    "machine": {"cpu_model": ..., "num_cpus": 2, "mhz_per_cpu": ..., "caches": [...],
//                "compiler": ..., "build_type": "Release", "benchmark_library": "1.7.1",
//                "date": ...},
//    "suites": {"core_bench": {
//        "load_avg": [...],
//        "calibration": {"name": "BM_Calibration_Sha256/bytes:65536", <figure>},
//        "benchmarks": {"BM_TriggerValid": <figure>, ...}}, ...}}
//
//   <figure> = "real_time_ns", "cpu_time_ns" (medians, > 0), "items_per_second" and
//   "bytes_per_second" when the benchmark reports them, "repetitions", and, hand-written only,
//   "tolerance_percent".
//
// Reading is strict: an unknown key is an error naming its JSON path, so a misspelt
// "tolerance_percent" cannot be ignored silently. Figures are written to five significant
// digits so that a new baseline's diff stays readable.
#pragma once

#include <string>
#include <string_view>

#include "benchmarks/bench_compare/bench_results.h"
#include "core/status.h"

namespace twin::bench {

inline constexpr std::string_view kBaselineFormat = "twin-benchmark-baseline/1";

core::Result<RunSet> read_baseline(std::string_view json_text, std::string_view source);
core::Result<RunSet> read_baseline_file(const std::string& path);

// The baseline text for `now`, keeping each tolerance_percent of `previous` (when given) for
// the benchmarks that are still there.
std::string write_baseline(const RunSet& now, const RunSet* previous);

}  // namespace twin::bench
