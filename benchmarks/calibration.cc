// The calibration workload every benchmark suite measures in the same run, and the description
// of the machine and build that the suite's JSON output carries.
//
// Linked into every suite as an object library (a static library would drop this file, since
// nothing refers to it by name). BM_Calibration_Sha256/bytes:65536 hashes a fixed 64 KiB buffer
// with OpenSSL's SHA-256: CPU-bound, no allocation, no system call, the same work on every
// run. bench_compare divides each benchmark's median by the calibration's median of the same
// suite run, so a machine or a moment that is uniformly slower does not read as a regression
// (benchmarks/README.md, "Regression tracking").
//
// The context entries are added while the suite's statics are built, before main() parses its
// flags; the JSON reporter writes them into "context" next to the library's own entries.
#include <benchmark/benchmark.h>
#include <openssl/sha.h>

#include <array>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace {

void BM_Calibration_Sha256(benchmark::State& state) {
  std::vector<unsigned char> buffer(static_cast<std::size_t>(state.range(0)));
  for (std::size_t i = 0; i < buffer.size(); ++i) {
    buffer[i] = static_cast<unsigned char>((i * 131 + 7) & 0xff);
  }
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  // Once before timing: OpenSSL's first call initialises the library, which is not the work.
  SHA256(buffer.data(), buffer.size(), digest.data());
  for (auto _ : state) {
    SHA256(buffer.data(), buffer.size(), digest.data());
    benchmark::DoNotOptimize(digest);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Calibration_Sha256)->ArgName("bytes")->Arg(65536);

// The first "model name" of /proc/cpuinfo; empty where there is none.
std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) != 0) continue;
    auto colon = line.find(':');
    if (colon == std::string::npos) break;
    auto start = line.find_first_not_of(" \t", colon + 1);
    return start == std::string::npos ? std::string() : line.substr(start);
  }
  return {};
}

std::string compiler() {
#if defined(__clang__)
  return std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
  return std::string("gcc ") + __VERSION__;
#else
  return "unknown";
#endif
}

const bool kContextAdded = [] {
  std::string model = cpu_model();
  if (!model.empty()) benchmark::AddCustomContext("cpu_model", model);
  benchmark::AddCustomContext("compiler", compiler());
  benchmark::AddCustomContext("build_type", TWIN_BUILD_TYPE);
  benchmark::AddCustomContext("benchmark_library", TWIN_BENCHMARK_VERSION);
  return true;
}();

}  // namespace
