// Runs the built `twin` binary (or any command) as a user would, from the repository's root,
// and captures its stdout and exit code (stderr too when asked). The per-test temp directory
// the CLI tests use is in test_dir.h.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "tests/support/test_dir.h"

namespace twin::testing {

struct CliRun {
  int exit_code;
  std::string out;
};

// Runs a shell command; stdout (and stderr when asked) captured.
inline CliRun capture(const std::string& command, bool with_stderr) {
  CliRun r{-1, {}};
  FILE* pipe = popen((command + (with_stderr ? " 2>&1" : " 2>/dev/null")).c_str(), "r");
  if (pipe == nullptr) return r;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, pipe)) r.out.append(buf, n);
  int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline CliRun run_twin(const std::string& args, bool with_stderr = false) {
  return capture(std::string("cd ") + TWIN_SOURCE_DIR + " && " + TWIN_BINARY + " " + args,
                 with_stderr);
}

}  // namespace twin::testing
