// An SQS fake, a Lambda fake and a scripted batch function on one manual executor, for the
// event source mapping's tests.
#pragma once

#include <boost/json.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "fakes/esm/event_source_mapping.h"
#include "fakes/lambda/lambda_service.h"
#include "tests/fakes/sqs_fixture.h"

namespace twin::fakes::esm {

using sqs::kSecond;
using sqs::kStartUs;

// Parses each batch, remembers it, and answers what `respond` says (default: all succeeded).
class BatchCode : public lambda::FunctionCode {
 public:
  struct Call {
    core::TimeUs at;
    std::vector<core::SqsRecord> records;
  };
  using Respond = std::function<core::Result<std::string>(const core::SqsEvent&)>;

  core::Result<std::string> run(std::string_view event_json) override {
    auto event = core::parse_sqs_event(boost::json::parse(event_json).as_object());
    if (!event.is_ok()) return event.status();
    calls.push_back({executor->now(), event->records});
    return respond ? respond(*event) : std::string(R"({"batchItemFailures":[]})");
  }
  std::size_t received(std::string_view body) const {
    std::size_t n = 0;
    for (const auto& c : calls) {
      for (const auto& r : c.records) n += r.body == body;
    }
    return n;
  }

  const core::Executor* executor = nullptr;
  Respond respond;
  std::vector<Call> calls;
};

class EsmFixture : public sqs::SqsFixture {
 public:
  EsmFixture() : lambda_(executor_, ids_, rng::Rng(2026)) { code_.executor = &executor_; }

  lambda::FunctionConfig function(core::DurationUs duration = 100 * core::kMicrosPerMilli) {
    lambda::FunctionConfig c;
    c.function_name = "fn";
    c.duration = lambda::DurationModel::fixed(duration);
    c.init_duration_us = 0;
    return c;
  }
  void create_function(lambda::FunctionConfig c, lambda::FunctionCode* code = nullptr) {
    auto s = lambda_.create_function(std::move(c), code ? *code : code_);
    ASSERT_TRUE(s.is_ok()) << s.to_string();
  }
  std::string arn(const std::string& name) const {
    return "arn:aws:sqs:us-east-1:000000000000:" + name;
  }
  EventSourceMappingConfig mapping(const std::string& queue = "q") {
    EventSourceMappingConfig c;
    c.event_source_arn = arn(queue);
    c.function_name = "fn";
    return c;
  }
  core::Result<std::unique_ptr<EventSourceMapping>> try_start(const EventSourceMappingConfig& c,
                                                              EsmOptions o = {}) {
    return EventSourceMapping::create(c, *sqs_, lambda_, executor_, ids_, o);
  }
  void start(const EventSourceMappingConfig& c, EsmOptions o = {}) {
    auto r = try_start(c, o);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    esm_ = std::move(*r);
  }
  std::int64_t depth(const std::string& url) {
    return std::stoll(attribute(url, "ApproximateNumberOfMessages")) +
           std::stoll(attribute(url, "ApproximateNumberOfMessagesNotVisible"));
  }

  lambda::LambdaService lambda_;
  BatchCode code_;
  std::unique_ptr<EventSourceMapping> esm_;
};

}  // namespace twin::fakes::esm
