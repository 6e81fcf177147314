// The `twin` command line.
// - `twin invoke EVENT.json` runs the production handler on one Lambda event with in-memory ports
//   and prints the function's response, like `sam local invoke -e`. Exit 0 the event was handled
//   (whatever its status code), 2 the event could not be read or the command line is wrong.
// - `twin replay FIXTURE...` replays scenarios on virtual time (sim/replay_command.h).
// - `twin serve` puts the same stack behind an HTTP server on a real clock
//   (sim/http/serve_command.h).
// Exit 70 is an internal error (a bug) in every command.
#include <spdlog/sinks/stdout_sinks.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/encoding.h"
#include "core/handler.h"
#include "fakes/memory/memory_ports.h"
#include "sim/http/serve_command.h"
#include "sim/replay_command.h"

namespace {

constexpr int kExitUsage = 2;
constexpr int kExitInternal = 70;  // EX_SOFTWARE
// 2026-01-01T00:00:00Z: invoke runs on a fixed clock so its output is reproducible.
constexpr twin::core::TimeUs kDefaultTimeUs = 1'767'225'600'000'000;

std::optional<std::string> read_file(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read " + path;
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A secret file holds the secret on its first line; trailing newline and spaces are dropped.
std::optional<std::string> read_secret(const std::string& path, std::string& error) {
  auto text = read_file(path, error);
  if (!text) return std::nullopt;
  std::string_view v = twin::core::trim(std::string_view(*text).substr(0, text->find('\n')));
  if (v.empty()) {
    error = path + " is empty";
    return std::nullopt;
  }
  return std::string(v);
}

struct InvokeOptions {
  std::string event_path;
  std::string api_key;
  std::string api_key_file;
  std::string twilio_auth_token_file;
  bool queue = false;
  std::uint64_t seed = 1;
  std::int64_t time_us = kDefaultTimeUs;
  std::string log_level = "info";
};

int run_invoke(const InvokeOptions& opt) {
  using namespace twin;
  std::string error;
  core::Config config;
  config.webhook_queue_enabled = opt.queue;
  if (!opt.api_key.empty()) config.api_key = opt.api_key;
  if (!opt.api_key_file.empty()) {
    config.api_key = read_secret(opt.api_key_file, error);
    if (!config.api_key) return std::cerr << "twin invoke: " << error << "\n", kExitUsage;
  }
  if (!opt.twilio_auth_token_file.empty()) {
    config.twilio_auth_token = read_secret(opt.twilio_auth_token_file, error);
    if (!config.twilio_auth_token) return std::cerr << "twin invoke: " << error << "\n", kExitUsage;
  }
  auto event = read_file(opt.event_path, error);
  if (!event) return std::cerr << "twin invoke: " << error << "\n", kExitUsage;

  fakes::ManualClock clock(opt.time_us);
  fakes::SeededIdSource ids(opt.seed);
  fakes::MemoryQueue queue(ids);
  fakes::MemoryRegistrationStore registrations;
  fakes::MemoryIdempotencyStore idempotency;
  fakes::MemoryMessenger messenger;
  auto logger = core::make_json_logger("core", std::make_shared<spdlog::sinks::stderr_sink_st>());
  logger->set_level(spdlog::level::from_str(opt.log_level));
  core::Handler handler(config, {clock, ids, queue, registrations, idempotency, messenger},
                        core::Log(logger, clock));
  auto response = handler.invoke(*event);
  if (!response.is_ok()) {
    std::cerr << "twin invoke: " << opt.event_path << ": " << response.status().message() << "\n";
    return kExitUsage;
  }
  std::cout << *response << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"twin: a deterministic digital twin of the registration bot's AWS stack"};
  app.require_subcommand(1);
  InvokeOptions opt;
  CLI::App* invoke = app.add_subcommand("invoke", "Run the handler on one Lambda event JSON file");
  invoke->add_option("event", opt.event_path, "Event JSON (API Gateway proxy or SQS)")->required();
  auto* key = invoke->add_option("--api-key", opt.api_key, "API key /trigger accepts");
  invoke->add_option("--api-key-file", opt.api_key_file, "File holding the API key")->excludes(key);
  invoke->add_option("--twilio-auth-token-file", opt.twilio_auth_token_file,
                     "File holding the Twilio auth token (enables signature checks)");
  invoke->add_flag("--queue", opt.queue, "/webhook enqueues instead of processing at once");
  invoke->add_option("--seed", opt.seed, "Seed of the request id source")->capture_default_str();
  invoke->add_option("--time-us", opt.time_us, "Clock time, microseconds since the epoch")
      ->capture_default_str();
  invoke->add_option("--log-level", opt.log_level, "Log level on stderr")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();

  twin::sim::ReplayCommandOptions replay_opt;
  std::uint64_t seed = 0;
  CLI::App* replay = app.add_subcommand("replay", "Replay scenario fixtures on virtual time");
  replay->add_option("fixtures", replay_opt.fixtures, "Fixture JSON files")->required();
  auto* seed_opt = replay->add_option("--seed", seed, "Seed (default: each fixture's own)");
  replay->add_option("--report", replay_opt.report_path, "Write the JSON report here");
  replay->add_option("--trace", replay_opt.trace_path, "Write the JSONL trace here");
  replay->add_option("--html", replay_opt.html_path, "Write the HTML report here");
  replay->add_flag("--json", replay_opt.json, "Print the JSON report instead of the summary");
  twin::sim::http::ServeCommandOptions serve_opt;
  std::string stack_path, data_dir, record_path;
  CLI::App* serve = app.add_subcommand("serve", "Serve the stack over HTTP on a real clock");
  serve->add_option("--host", serve_opt.host, "Address to bind")->capture_default_str();
  serve->add_option("--port", serve_opt.port, "Port (0 picks a free one)")->capture_default_str();
  serve->add_option("--stack", stack_path, "A fixture, or a fixture's stack section");
  serve->add_option("--data-dir", data_dir, "Keep state in SQLite files here");
  serve->add_option("--record", record_path, "Write the execute-api requests as a fixture");
  serve->add_option("--seed", serve_opt.seed, "Seed of ids and model draws")->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : kExitUsage;
  }
  try {
    if (replay->parsed()) {
      if (seed_opt->count() > 0) replay_opt.seed = seed;
      return twin::sim::run_replay_command(replay_opt);
    }
    if (serve->parsed()) {
      if (!stack_path.empty()) serve_opt.stack_path = stack_path;
      if (!data_dir.empty()) serve_opt.data_dir = data_dir;
      if (!record_path.empty()) serve_opt.record_path = record_path;
      return twin::sim::http::run_serve_command(serve_opt);
    }
    if (!invoke->parsed()) return kExitUsage;
    return run_invoke(opt);
  } catch (const std::exception& e) {
    // The process edge: nothing below throws on bad input, so this is a bug or out of memory.
    std::cerr << "twin: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
}
