// bench_compare: compares Google Benchmark results with benchmarks/baseline.json, writes a new
// baseline, or checks results for the CI smoke test. Usage and exit codes: cli.h and
// benchmarks/README.md ("Regression tracking").
#include <exception>
#include <iostream>

#include "benchmarks/bench_compare/cli.h"

int main(int argc, char** argv) {
  try {
    return twin::bench::run_cli(argc, argv, std::cout, std::cerr);
  } catch (const std::exception& e) {
    // The process edge: bad input is reported as a value below, so this is a bug or out of memory.
    std::cerr << "bench_compare: internal error: " << e.what() << "\n";
    return 70;
  }
}
