// `twin serve [--host H] [--port P] [--stack FILE] [--data-dir DIR] [--record FILE] [--seed N]`
//
// Puts the stack (the `stack` section of a fixture, or a fixture; without --stack the
// production shape: the webhook queue with its DLQ and event source mapping, no API key yet)
// behind an HTTP server on a real clock, and prints `twin serve: listening on URL` on stdout
// once it accepts connections (port 0 picks a free port; the line says which). SIGINT or
// SIGTERM stops it: no new connection is accepted, requests in flight finish (at most
// kShutdownGrace), the recording is written, SQLite is closed, exit 0.
//
// Exit: 0 after a clean stop, 2 for an unusable stack file or command line, 1 when the address
// cannot be bound or the data directory cannot be opened.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace twin::sim::http {

inline constexpr std::chrono::seconds kShutdownGrace{25};

struct ServeCommandOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 4566;
  std::optional<std::string> stack_path;
  std::optional<std::string> data_dir;
  std::optional<std::string> record_path;
  std::uint64_t seed = 1;
};

int run_serve_command(const ServeCommandOptions& options);

}  // namespace twin::sim::http
