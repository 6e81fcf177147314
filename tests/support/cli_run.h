// Runs the built `twin` binary as a user would, from the repository's root, and captures its
// stdout and exit code (stderr is captured too when asked).
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace twin::testing {

struct CliRun {
  int exit_code;
  std::string out;
};

inline CliRun run_twin(const std::string& args, bool with_stderr = false) {
  std::string cmd = std::string("cd ") + TWIN_SOURCE_DIR + " && " + TWIN_BINARY + " " + args +
                    (with_stderr ? " 2>&1" : " 2>/dev/null");
  CliRun r{-1, {}};
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return r;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, pipe)) r.out.append(buf, n);
  int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace twin::testing
