#include "sim/http/serve_command.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "sim/fixture.h"
#include "sim/http/live_executor.h"
#include "sim/http/serve_app.h"
#include "sim/http/server.h"

namespace twin::sim::http {
namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

// The production shape, for `twin serve` without --stack: the webhook queue and its DLQ, the
// event source mapping, no API key (the seed provisions one with `aws apigateway`), no Twilio
// token (the seed's scripts post JSON webhooks).
constexpr char kDefaultStack[] = R"({
  "function": {"FunctionName": "registration-bot", "Timeout": 30,
               "durations": {"default": {"fixed": "50ms"}}},
  "queues": [
    {"QueueName": "registration-webhooks-dlq"},
    {"QueueName": "registration-webhooks", "Attributes": {"VisibilityTimeout": "60",
      "RedrivePolicy": {"deadLetterTargetArn":
        "arn:aws:sqs:us-east-1:000000000000:registration-webhooks-dlq", "maxReceiveCount": 3}}}
  ],
  "handler": {"webhook_queue": "registration-webhooks"},
  "eventSourceMapping": {"BatchSize": 10, "FunctionResponseTypes": ["ReportBatchItemFailures"]}
})";

struct LoadedStack {
  Fixture fixture;
  boost::json::value stack_json;
};

// A fixture file, or a file holding only a stack section (its errors then name paths from its
// own root).
core::Result<LoadedStack> load_stack(const std::optional<std::string>& path) {
  std::string text = kDefaultStack;
  std::string name = "(the default stack)";
  if (path) {
    std::ifstream in(*path, std::ios::binary);
    if (!in) return core::Status(core::StatusCode::kNotFound, *path + ": cannot be read");
    std::ostringstream s;
    s << in.rdbuf();
    text = s.str();
    name = *path;
  }
  boost::json::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) {
    auto parsed = parse_fixture(text);  // names the syntax error's line and column
    return core::Status(
        core::StatusCode::kInvalidArgument,
        name + ": " + (parsed.is_ok() ? "expected an object" : parsed.status().message()));
  }
  const bool whole_fixture = value.get_object().contains("stack");
  boost::json::value stack_json = whole_fixture ? value.at("stack") : value;
  std::string fixture_text = text;
  if (!whole_fixture) {
    boost::json::object wrapper{{"name", "serve"},
                                {"seed", 1},
                                {"duration", "1s"},
                                {"stack", stack_json},
                                {"traffic", boost::json::array()}};
    fixture_text = boost::json::serialize(wrapper);
  }
  auto parsed = parse_fixture(fixture_text);
  if (!parsed.is_ok()) {
    std::string message = parsed.status().message();
    if (!whole_fixture && message.starts_with("$.stack")) message = "$" + message.substr(7);
    return core::Status(core::StatusCode::kInvalidArgument, name + ": " + message);
  }
  return LoadedStack{std::move(*parsed), std::move(stack_json)};
}

}  // namespace

int run_serve_command(const ServeCommandOptions& options) {
  auto loaded = load_stack(options.stack_path);
  if (!loaded.is_ok()) {
    std::cerr << "twin serve: " << loaded.status().message() << "\n";
    return kExitUsage;
  }
  if (options.data_dir) {
    std::error_code ec;
    std::filesystem::create_directories(*options.data_dir, ec);
    if (ec) {
      std::cerr << "twin serve: --data-dir " << *options.data_dir << ": " << ec.message() << "\n";
      return kExitFailed;
    }
  }
  boost::asio::io_context io(1);
  LiveExecutor executor(io);
  std::unique_ptr<ServeApp> app;
  ServerOptions server_options;
  server_options.host = options.host;
  server_options.port = options.port;
  Server server(
      io, server_options,
      [&app](WireRequest request, Respond respond) { app->handle(std::move(request), respond); },
      executor);
  if (auto s = server.listen(); !s.is_ok()) {
    std::cerr << "twin serve: " << s.message() << "\n";
    return s.code() == core::StatusCode::kInvalidArgument ? kExitUsage : kExitFailed;
  }
  const std::string base_url = "http://" + options.host + ":" + std::to_string(server.port());
  ServeOptions serve_options;
  serve_options.data_dir = options.data_dir;
  serve_options.record_path = options.record_path;
  serve_options.seed = options.seed;
  serve_options.stack_json = loaded->stack_json;
  auto created = ServeApp::create(loaded->fixture, serve_options, executor, base_url);
  if (!created.is_ok()) {
    std::cerr << "twin serve: " << created.status().message() << "\n";
    return created.status().code() == core::StatusCode::kInvalidArgument ? kExitUsage : kExitFailed;
  }
  app = std::move(*created);

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  boost::asio::steady_timer drain_timer(io);
  const auto deadline_holder = std::make_shared<std::chrono::steady_clock::time_point>();
  std::function<void()> wait_for_drain = [&] {
    if (server.drained() || std::chrono::steady_clock::now() >= *deadline_holder) {
      executor.cancel_all();
      io.stop();
      return;
    }
    drain_timer.expires_after(std::chrono::milliseconds(10));
    drain_timer.async_wait([&](const boost::system::error_code&) { wait_for_drain(); });
  };
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec) return;
    std::cout << "twin serve: stopping" << std::endl;
    server.stop();
    *deadline_holder = std::chrono::steady_clock::now() + kShutdownGrace;
    wait_for_drain();
  });

  std::cout << "twin serve: listening on " << base_url << std::endl;
  io.run();
  int code = 0;
  if (auto s = app->write_recording(); !s.is_ok()) {
    std::cerr << "twin serve: " << s.message() << "\n";
    code = kExitFailed;
  }
  app.reset();  // closes SQLite
  std::cout << "twin serve: stopped after " << server.requests_served() << " requests" << std::endl;
  return code;
}

}  // namespace twin::sim::http
