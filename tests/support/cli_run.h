// Runs the built `twin` binary (or any command) as a user would, from the repository's root,
// and captures its stdout and exit code (stderr too when asked); a per-test temp directory.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

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

// A fresh directory under the system's temp directory, named after the running test, removed
// with the object.
class TestDir {
 public:
  TestDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("twin_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->test_suite_name() + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TestDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }
  // Writes `text` to the file `name` in the directory; returns its path.
  std::string write(const std::string& name, const std::string& text) const {
    auto p = path_ / name;
    std::ofstream(p) << text;
    return p.string();
  }

 private:
  std::filesystem::path path_;
};

}  // namespace twin::testing
