// `twin serve --record` in process (sim/http/serve_app.h) on a manual executor: what a session
// changed through the management API (keys, usage plans with per-method throttles, a disabled
// key) is in the recording's stack, so `twin replay` of the recording gives the same statuses.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <string>

#include "fakes/memory/manual_executor.h"
#include "sim/fixture.h"
#include "sim/http/serve_app.h"
#include "tests/support/cli_run.h"
#include "tests/support/handler_harness.h"
#include "tests/support/sim_replay.h"

namespace twin::sim::http {
namespace {

namespace json = boost::json;

constexpr core::TimeUs kStartUs = 1'767'225'600'000'000;  // 2026-01-01T00:00:00Z

// No keys and no plans: everything the test needs is provisioned live.
constexpr std::string_view kStack = R"({
  "function": {"init_duration": "0ms", "durations": {"default": {"fixed": "10ms"}}}
})";

class ServeRecording : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string fixture_text =
        R"({"name":"serve","seed":1,"duration":"1s","traffic":[],"stack":)" + std::string(kStack) +
        "}";
    fixture_ = sim::testing::parse_or_fail(fixture_text);
    ServeOptions options;
    options.record_path = recording_path();
    options.stack_json = json::parse(kStack);
    auto created = ServeApp::create(fixture_, options, executor_, "http://127.0.0.1:4566");
    ASSERT_TRUE(created.is_ok()) << created.status().message();
    app_ = std::move(*created);
  }

  std::string recording_path() const { return (dir_.path() / "recorded.json").string(); }

  // Sends one request now and runs the executor until it is answered.
  WireResponse call(std::string method, std::string target, std::string body,
                    Headers headers = {{"Content-Type", "application/json"}}) {
    WireRequest request;
    request.method = std::move(method);
    request.target = std::move(target);
    request.headers = std::move(headers);
    request.headers.emplace_back("Host", "127.0.0.1:4566");
    request.body = std::move(body);
    request.received_at_us = executor_.now();
    std::optional<WireResponse> answer;
    app_->handle(std::move(request), [&answer](WireResponse r) { answer = std::move(r); });
    for (int i = 0; i < 100 && !answer; ++i) executor_.advance(core::kMicrosPerMilli * 10);
    EXPECT_TRUE(answer.has_value());
    return answer.value_or(WireResponse{});
  }

  json::object created(const WireResponse& r) {
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body).as_object();
  }

  // `count` keyed /trigger requests sent at the same instant; statuses counted.
  std::map<int, int> triggers_at_once(const std::string& key, int count) {
    std::map<int, int> statuses;
    std::vector<std::optional<WireResponse>> answers(static_cast<std::size_t>(count));
    for (auto& answer : answers) {
      WireRequest request;
      request.method = "POST";
      request.target = "/prod/trigger";
      request.headers = {
          {"Content-Type", "application/json"}, {"Host", "127.0.0.1:4566"}, {"x-api-key", key}};
      request.body = json::serialize(twin::testing::valid_registration());
      request.received_at_us = executor_.now();
      app_->handle(std::move(request), [&answer](WireResponse r) { answer = std::move(r); });
    }
    executor_.advance(core::kMicrosPerSecond);
    for (const auto& answer : answers) {
      EXPECT_TRUE(answer.has_value());
      if (answer) ++statuses[answer->status];
    }
    return statuses;
  }

  twin::testing::TestDir dir_;
  fakes::ManualExecutor executor_{kStartUs};
  Fixture fixture_;
  std::unique_ptr<ServeApp> app_;
};

TEST_F(ServeRecording, LiveKeysPlansAndPerMethodThrottlesAreInTheRecordedStack) {
  const json::object key = created(call("POST", "/apikeys", R"({"name":"live","enabled":true})"));
  const std::string key_value(key.at("value").as_string());
  // A plan whose stage limits POST /trigger to a burst of 2, as
  // `aws apigateway create-usage-plan --api-stages 'apiId=...,stage=prod,throttle={...}'`.
  const json::object plan = created(call(
      "POST", "/usageplans",
      R"({"name":"live plan","throttle":{"rateLimit":25,"burstLimit":50},"apiStages":[)"
      R"({"apiId":")" +
          fixture_.stack.rest_api_id +
          R"(","stage":"prod","throttle":{"/trigger/POST":{"rateLimit":1,"burstLimit":2}}}]})"));
  const std::string plan_id(plan.at("id").as_string());
  created(
      call("POST", "/usageplans/" + plan_id + "/keys",
           R"({"keyId":")" + std::string(key.at("id").as_string()) + R"(","keyType":"API_KEY"})"));
  // A second key with the same name, and one without a name, both in the plan.
  const json::object twin_key =
      created(call("POST", "/apikeys", R"({"name":"live","enabled":true})"));
  const json::object unnamed = created(call("POST", "/apikeys", R"({"enabled":true})"));
  for (const auto* k : {&twin_key, &unnamed}) {
    created(
        call("POST", "/usageplans/" + plan_id + "/keys",
             R"({"keyId":")" + std::string(k->at("id").as_string()) + R"(","keyType":"API_KEY"})"));
  }

  EXPECT_EQ(triggers_at_once(key_value, 5), (std::map<int, int>{{200, 2}, {429, 3}}));
  // The gateway lets the unnamed key through; the function accepts only the first key created
  // (serve_app.h), so it answers 403 itself. The replay must send that same key again.
  EXPECT_EQ(triggers_at_once(std::string(unnamed.at("value").as_string()), 1),
            (std::map<int, int>{{403, 1}}));
  ASSERT_TRUE(app_->write_recording().is_ok());

  auto recorded = load_fixture(recording_path());
  ASSERT_TRUE(recorded.is_ok()) << recorded.status().message();
  ASSERT_EQ(recorded->stack.api_keys.size(), 3u);
  EXPECT_EQ(recorded->stack.api_keys[0].name, "live");
  EXPECT_NE(recorded->stack.api_keys[1].name, recorded->stack.api_keys[0].name);
  ASSERT_EQ(recorded->stack.usage_plans.size(), 1u);
  const UsagePlanSpec& p = recorded->stack.usage_plans[0];
  EXPECT_EQ(p.name, "live plan");
  ASSERT_EQ(p.method_throttles.count("/trigger/POST"), 1u);
  EXPECT_EQ(p.method_throttles.at("/trigger/POST").burst_limit, 2);
  EXPECT_EQ(p.api_keys.size(), 3u);

  const auto replayed = sim::testing::replay_or_fail(*recorded);
  EXPECT_EQ(sim::testing::figure(replayed, {"recorded_mismatches"}), 0);
}

TEST_F(ServeRecording, AKeyDisabledLiveIsRecordedDisabled) {
  const json::object key = created(call("POST", "/apikeys", R"({"name":"live","enabled":true})"));
  const json::object plan =
      created(call("POST", "/usageplans",
                   R"({"name":"plan","apiStages":[{"apiId":")" + fixture_.stack.rest_api_id +
                       R"(","stage":"prod"}]})"));
  created(
      call("POST", "/usageplans/" + std::string(plan.at("id").as_string()) + "/keys",
           R"({"keyId":")" + std::string(key.at("id").as_string()) + R"(","keyType":"API_KEY"})"));
  const std::string value(key.at("value").as_string());
  EXPECT_EQ(triggers_at_once(value, 1), (std::map<int, int>{{200, 1}}));
  ASSERT_EQ(call("PATCH", "/apikeys/" + std::string(key.at("id").as_string()),
                 R"({"patchOperations":[{"op":"replace","path":"/enabled","value":"false"}]})")
                .status,
            200);
  EXPECT_EQ(triggers_at_once(value, 1), (std::map<int, int>{{403, 1}}));
  ASSERT_TRUE(app_->write_recording().is_ok());

  auto recorded = load_fixture(recording_path());
  ASSERT_TRUE(recorded.is_ok()) << recorded.status().message();
  ASSERT_EQ(recorded->stack.api_keys.size(), 1u);
  EXPECT_FALSE(recorded->stack.api_keys[0].enabled);
}

}  // namespace
}  // namespace twin::sim::http
