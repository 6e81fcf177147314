// ScriptedIntegration: an Integration double for tests and benchmarks. It records every call
// and answers with a fixed IntegrationResult, at once or after a delay on the executor.
//
// Owned by the test; single-threaded on the executor it is given.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/ports/clock.h"
#include "fakes/apigw/integration.h"

namespace twin::fakes::apigw {

class ScriptedIntegration : public Integration {
 public:
  explicit ScriptedIntegration(core::Executor& executor) : executor_(executor) {}

  struct Call {
    std::string function_name;
    std::string event_json;
  };

  // What every following call answers, and after how long (0: before invoke() returns;
  // negative: never).
  void answer(IntegrationResult result, core::DurationUs delay_us = 0) {
    result_ = std::move(result);
    delay_us_ = delay_us;
  }
  void answer_response(std::string payload, core::DurationUs delay_us = 0) {
    answer({IntegrationResult::Kind::kResponse, std::move(payload), {}}, delay_us);
  }
  // Keeps only the count of calls, not their events (benchmarks).
  void set_record_events(bool record) { record_events_ = record; }

  // Records the event's JSON text (written here, the gateway hands it over typed).
  void invoke(const std::string& function_name, lambda::Payload event,
              std::function<void(IntegrationResult)> done) override {
    ++call_count_;
    if (record_events_) calls_.push_back({function_name, event.json()});
    if (delay_us_ == 0) return done(result_);
    if (delay_us_ < 0) return;
    executor_.at(executor_.now() + delay_us_,
                 [done = std::move(done), result = result_] { done(result); });
  }

  const std::vector<Call>& calls() const { return calls_; }
  std::size_t call_count() const { return call_count_; }

 private:
  core::Executor& executor_;
  IntegrationResult result_{
      IntegrationResult::Kind::kResponse, R"({"statusCode":200,"body":"ok"})", {}};
  core::DurationUs delay_us_ = 0;
  bool record_events_ = true;
  std::vector<Call> calls_;
  std::size_t call_count_ = 0;
};

}  // namespace twin::fakes::apigw
