// The bench_compare command line, as a function so that tests can run it on files and read its
// exit code and output without starting a process.
//
//   bench_compare --baseline FILE [--threshold PERCENT] [--metric real_time|cpu_time]
//                 [--filter REGEX] [--update] [--regressed-out FILE] RESULT.json...
//   bench_compare --check RESULT.json...
//
// Exit 0: nothing regressed, went missing or failed (--check: every file is a usable suite run
// and no benchmark failed; --update: the baseline was written). 1: something regressed, is
// missing or failed. 2: unusable input (a file that cannot be read or is not Google Benchmark's
// JSON, no calibration figure, a bad baseline, a bad flag), with a message naming the file and
// JSON path or the flag. Several files of one suite (processes) are combined (merge_runs).
// --regressed-out lists the REGRESSED names for the compare command's confirmation runs.
// Single-threaded; writes only `out`, `err`, the --update file and the --regressed-out file.
#pragma once

#include <ostream>

namespace twin::bench {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUnusable = 2;

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace twin::bench
