// Starts the built `twin serve --port 0 ...` as a child process, reads the URL it prints, and
// stops it with SIGTERM (or SIGKILL) when asked or when the object goes away. Also runs shell
// commands (curl, the AWS CLI, python3) and captures their output, and tells whether a client
// program is installed, so a test can skip itself, never pass, when one is missing.
#pragma once

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/cli_run.h"

namespace twin::testing {

using Shell = CliRun;

inline Shell sh(const std::string& command) { return capture(command, true); }

inline bool have(const std::string& program) {
  return sh("command -v " + program + " >/dev/null").exit_code == 0;
}

class ServeProcess {
 public:
  // `args` after `twin serve --port 0`.
  explicit ServeProcess(const std::string& args) { start(args); }
  ~ServeProcess() { stop(SIGKILL); }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  bool running() const { return pid_ > 0 && !url_.empty(); }
  const std::string& url() const { return url_; }
  const std::string& output() const { return output_; }
  std::chrono::microseconds time_to_ready() const { return ready_; }

  // Sends `signal` and waits for the exit; returns the exit code (-1 when killed by a signal).
  int stop(int signal = SIGTERM) {
    if (pid_ <= 0) return exit_code_;
    kill(pid_, signal);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    drain();
    if (out_ != nullptr) fclose(out_);
    out_ = nullptr;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return exit_code_;
  }

 private:
  void start(const std::string& args) {
    int fds[2];
    if (pipe(fds) != 0) return;
    const auto started = std::chrono::steady_clock::now();
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], STDOUT_FILENO);
      dup2(fds[1], STDERR_FILENO);
      close(fds[0]);
      close(fds[1]);
      std::string cmd = std::string("cd ") + TWIN_SOURCE_DIR + " && exec " + TWIN_BINARY +
                        " serve --port 0 " + args;
      execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    close(fds[1]);
    out_ = fdopen(fds[0], "r");
    char line[1024];
    const std::string marker = "listening on ";
    while (out_ != nullptr && fgets(line, sizeof line, out_) != nullptr) {
      output_ += line;
      std::string l(line);
      auto at = l.find(marker);
      if (at != std::string::npos) {
        url_ = l.substr(at + marker.size());
        while (!url_.empty() && (url_.back() == '\n' || url_.back() == '\r')) url_.pop_back();
        ready_ = std::chrono::duration_cast<std::chrono::microseconds>(
            std::chrono::steady_clock::now() - started);
        return;
      }
    }
  }

  void drain() {
    char line[1024];
    while (out_ != nullptr && fgets(line, sizeof line, out_) != nullptr) output_ += line;
  }

  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  std::string url_;
  std::string output_;
  std::chrono::microseconds ready_{0};
  int exit_code_ = -1;
};

}  // namespace twin::testing
