// A Gateway on a manual executor with the seed's stack: API "abc123", stage "prod",
// POST /trigger (API key required) and POST /webhook (no key), one enabled key in a usage plan of
// rateLimit 25 / burstLimit 50, and a ScriptedIntegration answering 200 at once.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "fakes/apigw/gateway.h"
#include "fakes/apigw/scripted_integration.h"
#include "fakes/memory/manual_executor.h"
#include "fakes/memory/memory_ports.h"
#include "tests/support/aws_error.h"

namespace twin::fakes::apigw {

inline constexpr core::TimeUs kStartUs = 1'767'225'600'000'000;  // 2026-01-01T00:00:00Z (Thu)
inline constexpr core::DurationUs kSecond = core::kMicrosPerSecond;
inline constexpr core::DurationUs kMilli = core::kMicrosPerMilli;
inline constexpr char kApiId[] = "abc123";

class ApigwFixture : public ::testing::Test {
 public:
  ApigwFixture() : executor_(kStartUs), ids_(11), integration_(executor_) {}

  void SetUp() override { make_gateway({}); }

  void make_gateway(GatewayOptions options, std::map<std::string, MethodSetting> settings = {}) {
    gateway_ = std::make_unique<Gateway>(executor_, ids_, integration_, std::move(options));
    RestApi api;
    api.id = kApiId;
    api.name = "registration-bot";
    api.resources = {{"res-root", "/", {}},
                     {"res-trig", "/trigger", {{"POST", {"POST", true, "bot"}}}},
                     {"res-hook", "/webhook", {{"POST", {"POST", false, "bot"}}}}};
    Stage prod;
    prod.stage_name = "prod";
    prod.deployment_id = "dep1";
    prod.method_settings = std::move(settings);
    api.stages["prod"] = prod;
    api.stages["test"] = Stage{"test", "dep2", {}, {}};
    ASSERT_TRUE(gateway_->put_rest_api(api).is_ok());
    auto key = gateway_->create_api_key({"manager", "", true, false, std::nullopt, "", {}});
    ASSERT_TRUE(key.is_ok());
    key_ = *key;
  }

  // A usage plan on abc123/prod holding key_.
  UsagePlan add_plan(std::optional<ThrottleSettings> throttle,
                     std::optional<QuotaSettings> quota = std::nullopt,
                     std::map<std::string, ThrottleSettings> method_throttle = {}) {
    CreateUsagePlanRequest req;
    req.name = "plan";
    req.throttle = throttle;
    req.quota = quota;
    req.api_stages = {{kApiId, "prod", std::move(method_throttle)}};
    auto plan = gateway_->create_usage_plan(req);
    EXPECT_TRUE(plan.is_ok()) << plan.status().to_string();
    auto pk = gateway_->create_usage_plan_key({plan->id, key_.id, "API_KEY"});
    EXPECT_TRUE(pk.is_ok()) << pk.status().to_string();
    return *plan;
  }

  HttpRequest trigger(const std::string& key_value) {
    HttpRequest r;
    r.rest_api_id = kApiId;
    r.http_method = "POST";
    r.path = "/prod/trigger";
    r.headers = {{"Content-Type", "application/json"}, {"x-api-key", key_value}};
    r.body = R"({"player":"Sam"})";
    return r;
  }
  HttpRequest trigger() { return trigger(key_.value); }

  // Handles `request` and returns the response if it came before handle() returned.
  std::optional<HttpResponse> send(HttpRequest request) {
    std::optional<HttpResponse> out;
    gateway_->handle(std::move(request), [&out](HttpResponse r) { out = std::move(r); });
    return out;
  }
  int status(HttpRequest request) {
    auto r = send(std::move(request));
    return r ? r->status_code : -1;
  }
  // Sends `count` requests now and counts answers by status.
  std::map<int, int> burst(int count) {
    std::map<int, int> by_status;
    for (int i = 0; i < count; ++i) ++by_status[status(trigger())];
    return by_status;
  }

  ManualExecutor executor_;
  SeededIdSource ids_;
  ScriptedIntegration integration_;
  std::unique_ptr<Gateway> gateway_;
  ApiKey key_;
};

}  // namespace twin::fakes::apigw
