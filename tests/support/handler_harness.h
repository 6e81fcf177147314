// A Handler wired to in-memory ports, a manual clock and a log sink that keeps every line, for
// tests of the handler's behaviour. Events are built as structs and passed as JSON, the way the
// Lambda runtime would.
#pragma once

#include <spdlog/sinks/base_sink.h>

#include <boost/json.hpp>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/handler.h"
#include "fakes/memory/memory_ports.h"

namespace twin::testing {

// Keeps every formatted log line.
class CaptureSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::vector<std::string> lines;
  std::string all() const {
    std::string out;
    for (const auto& l : lines) out += l;
    return out;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t buf;
    formatter_->format(msg, buf);
    lines.emplace_back(buf.data(), buf.size());
  }
  void flush_() override {}
};

inline constexpr std::string_view kApiKey = "test-api-key-0123456789abcdef";
inline constexpr std::string_view kTwilioToken = "test_auth_token_0123456789abcdef";
inline constexpr core::TimeUs kStartUs = 1'767'225'600'000'000;  // 2026-01-01T00:00:00Z

struct HandlerHarness {
  explicit HandlerHarness(core::Config c = default_config()) : config(std::move(c)) {
    logger->set_level(spdlog::level::trace);
  }

  static core::Config default_config() {
    core::Config c;
    c.api_key = std::string(kApiKey);
    return c;
  }

  core::Handler& handler() {
    if (!handler_) {
      core::Ports ports{clock,          ids, *queue_port, *registration_port, *idempotency_port,
                        *messenger_port};
      handler_ = std::make_unique<core::Handler>(config, ports, core::Log(logger, clock));
    }
    return *handler_;
  }

  // Runs a proxy event through the JSON entry point and parses the response.
  core::ProxyResponse call(const core::ProxyEvent& event) {
    auto out = handler().invoke(boost::json::serialize(core::to_json(event)));
    EXPECT_TRUE(out.is_ok()) << out.status().to_string();
    if (!out.is_ok()) return {};
    auto parsed = core::parse_proxy_response(boost::json::parse(*out));
    EXPECT_TRUE(parsed.is_ok()) << parsed.status().to_string();
    return parsed.is_ok() ? *parsed : core::ProxyResponse{};
  }

  core::Config config;
  fakes::ManualClock clock{kStartUs};
  fakes::SeededIdSource ids{42};
  fakes::MemoryQueue queue{ids};
  fakes::MemoryRegistrationStore registrations;
  fakes::MemoryIdempotencyStore idempotency;
  fakes::MemoryMessenger messenger;
  // Tests may point these at fault-injecting wrappers before the first call.
  core::Queue* queue_port = &queue;
  core::RegistrationStore* registration_port = &registrations;
  core::IdempotencyStore* idempotency_port = &idempotency;
  core::Messenger* messenger_port = &messenger;
  std::shared_ptr<CaptureSink> sink = std::make_shared<CaptureSink>();
  std::shared_ptr<spdlog::logger> logger = core::make_json_logger("core", sink);

 private:
  std::unique_ptr<core::Handler> handler_;
};

// A proxy event as API Gateway sends it for POST /prod<resource>.
inline core::ProxyEvent proxy_event(std::string resource, std::string body,
                                    core::StringPairs headers = {}) {
  core::ProxyEvent e;
  e.resource = resource;
  e.path = resource;
  e.http_method = "POST";
  e.headers = std::move(headers);
  for (const auto& [k, v] : e.headers) e.multi_value_headers.emplace_back(k, std::vector{v});
  e.request_context.path = "/prod" + resource;
  e.request_context.stage = "prod";
  e.request_context.http_method = "POST";
  e.request_context.resource_path = resource;
  e.request_context.request_id = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef";
  e.body = std::move(body);
  return e;
}

inline boost::json::object valid_registration() {
  return {{"player_first_name", "John"},
          {"player_last_name", "Smith"},
          {"team_name", "Panthers"},
          {"age_group", "u11s"},
          {"manager_full_name", "Alex Manager"},
          {"current_registration_season", "2025-26"},
          {"parent_first_name", "Jane"},
          {"parent_last_name", "Smith"},
          {"parent_tel", "+447700900123"},
          {"membership_fee_amount", "45.00"},
          {"subscription_fee_amount", 27.5}};
}

inline boost::json::object body_json(const core::ProxyResponse& r) {
  return boost::json::parse(r.body).as_object();
}

}  // namespace twin::testing
