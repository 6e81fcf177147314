#include "sim/replay_command.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "sim/fixture.h"
#include "sim/html_report.h"
#include "sim/json_out.h"
#include "sim/replay.h"

namespace twin::sim {
namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

std::string output_path(const std::string& pattern, const std::string& name) {
  auto at = pattern.find("{name}");
  if (at == std::string::npos) return pattern;
  return pattern.substr(0, at) + name + pattern.substr(at + 6);
}

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.flush();
  if (!out) {
    std::cerr << "twin replay: cannot write " << path << "\n";
    return false;
  }
  return true;
}

}  // namespace

int run_replay_command(const ReplayCommandOptions& options) {
  const bool several = options.fixtures.size() > 1;
  for (const auto* path : {&options.report_path, &options.trace_path, &options.html_path}) {
    if (several && !path->empty() && path->find("{name}") == std::string::npos) {
      std::cerr << "twin replay: with several fixtures, " << *path
                << " must contain {name} (replaced by each fixture's name)\n";
      return kExitUsage;
    }
  }
  std::vector<Fixture> fixtures;
  bool unusable = false;
  for (const auto& path : options.fixtures) {
    auto loaded = load_fixture(path);
    if (!loaded.is_ok()) {
      std::cerr << "twin replay: " << loaded.status().message() << "\n";
      unusable = true;
      continue;
    }
    fixtures.push_back(std::move(*loaded));
  }
  if (unusable) return kExitUsage;

  const bool show_progress = isatty(STDERR_FILENO) == 1;
  boost::json::array reports;
  bool all_ok = true;
  for (std::size_t i = 0; i < fixtures.size(); ++i) {
    const Fixture& fixture = fixtures[i];
    ReplayOptions replay_options;
    replay_options.seed = options.seed;
    replay_options.keep_trace = !options.trace_path.empty();
    replay_options.fixture_path = options.fixtures[i];
    if (show_progress) {
      replay_options.progress = [&fixture](double done) {
        std::fprintf(stderr, "\r%s %3d%%", fixture.name.c_str(), static_cast<int>(done * 100));
        if (done >= 1.0) std::fprintf(stderr, "\r\033[K");
      };
    }
    auto out = replay(fixture, replay_options);
    if (!out.is_ok()) {
      std::cerr << "twin replay: " << options.fixtures[i] << ": " << out.status().message() << "\n";
      return kExitUsage;
    }
    all_ok = all_ok && out->ok;
    if (!options.report_path.empty() && !write_file(output_path(options.report_path, fixture.name),
                                                    to_json(out->report, 2) + "\n")) {
      return kExitUsage;
    }
    if (!options.trace_path.empty() &&
        !write_file(output_path(options.trace_path, fixture.name), out->trace)) {
      return kExitUsage;
    }
    if (!options.html_path.empty() &&
        !write_file(output_path(options.html_path, fixture.name), html_report(fixture, *out))) {
      return kExitUsage;
    }
    if (options.json) {
      reports.push_back(out->report);
    } else {
      std::cout << summary_text(fixture, *out) << std::flush;
    }
  }
  if (options.json) {
    std::cout << (several ? to_json(reports, 2) : to_json(reports.at(0), 2)) << "\n";
  }
  return all_ok ? 0 : kExitFailed;
}

}  // namespace twin::sim
