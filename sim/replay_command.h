// `twin replay FIXTURE... [--seed N] [--report FILE] [--trace FILE] [--html FILE] [--json]`
//
// Loads every fixture first (one unusable fixture: its error, naming the JSON path, and exit 2
// before anything runs), then replays each in turn and prints its summary table on stdout, or
// with --json the JSON report (an array of reports for several fixtures). --report, --trace and
// --html write files; with several fixtures their FILE must hold "{name}", replaced by each
// fixture's name. A long replay shows its progress on stderr when stderr is a terminal.
//
// Exit: 0 when every expectation of every fixture holds, 1 when one fails (each failure named,
// with the line that reproduces it), 2 for an unusable fixture, file or command line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace twin::sim {

struct ReplayCommandOptions {
  std::vector<std::string> fixtures;
  std::optional<std::uint64_t> seed;
  std::string report_path;
  std::string trace_path;
  std::string html_path;
  bool json = false;
};

int run_replay_command(const ReplayCommandOptions& options);

}  // namespace twin::sim
