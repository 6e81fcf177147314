// The API Gateway fake's counters (Gateway::counters()): responses by route and status, and the
// gateway's own answers by type, throttles by the level that rejected, with exact counts.
#include "tests/fakes/apigw_fixture.h"

namespace twin::fakes::apigw {
namespace {

using ApigwCounters = ApigwFixture;
using ByStatus = std::map<int, std::int64_t>;

HttpRequest webhook(std::string body = "Body=hi") {
  HttpRequest r;
  r.rest_api_id = kApiId;
  r.http_method = "POST";
  r.path = "/prod/webhook";
  r.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  r.body = std::move(body);
  return r;
}

TEST_F(ApigwCounters, StartAtZero) {
  const GatewayCounters& c = gateway_->counters();
  EXPECT_EQ(c.requests, 0);
  EXPECT_TRUE(c.responses_by_route.empty());
  EXPECT_TRUE(c.responses_by_status.empty());
  EXPECT_TRUE(c.throttled.empty());
  EXPECT_EQ(c.throttled_total(), 0);
}

TEST_F(ApigwCounters, CountByRouteStatusAndGatewayAnswer) {
  add_plan(ThrottleSettings{25.0, 50});
  HttpRequest unknown = trigger();
  unknown.path = "/prod/nope";
  EXPECT_EQ(status(unknown), 403);
  unknown.path = "/dev/trigger";
  EXPECT_EQ(status(unknown), 403);
  HttpRequest no_key = trigger();
  no_key.headers = {{"Content-Type", "application/json"}};
  EXPECT_EQ(status(no_key), 403);
  EXPECT_EQ(status(trigger("wrong" + key_.value)), 403);
  EXPECT_EQ(burst(60), (std::map<int, int>{{200, 50}, {429, 10}}));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(status(webhook()), 200);

  const GatewayCounters& c = gateway_->counters();
  EXPECT_EQ(c.requests, 67);
  EXPECT_EQ(c.responses_by_status, (ByStatus{{200, 53}, {403, 4}, {429, 10}}));
  EXPECT_EQ(c.responses_by_route,
            (std::map<std::string, ByStatus>{{"POST /trigger", {{200, 50}, {403, 2}, {429, 10}}},
                                             {"POST /webhook", {{200, 3}}}}));
  EXPECT_EQ(c.missing_authentication_token, 2);
  EXPECT_EQ(c.invalid_api_key, 2);
  EXPECT_EQ(c.throttled, (std::map<ThrottleLevel, std::int64_t>{{ThrottleLevel::kUsagePlan, 10}}));
  EXPECT_EQ(c.throttled_total(), 10);
  EXPECT_EQ(c.quota_exceeded, 0);
  EXPECT_EQ(c.request_too_large, 0);
  EXPECT_EQ(c.function_errors + c.malformed_responses + c.integration_failures, 0);
  EXPECT_EQ(c.integration_timeouts, 0);
}

TEST_F(ApigwCounters, ThrottlesNameTheLevelThatRejected) {
  make_gateway({}, {{"/webhook/POST", {1.0, 2}}});
  add_plan(std::nullopt);
  ASSERT_TRUE(gateway_->set_account_throttle(1.0, 4).is_ok());
  // Webhook: the stage bucket (2) runs out first; the stage rejection takes no account token.
  EXPECT_EQ(status(webhook()), 200);
  EXPECT_EQ(status(webhook()), 200);
  EXPECT_EQ(status(webhook()), 429);
  // Trigger has no stage setting: the account bucket (4 - 2 = 2 left) says no on the third.
  EXPECT_EQ(burst(3), (std::map<int, int>{{200, 2}, {429, 1}}));
  // A plan throttle on a second key's plan rejects before the empty stage and account buckets.
  auto key = gateway_->create_api_key({"k2", "", true, false, std::nullopt, "", {}});
  ASSERT_TRUE(key.is_ok());
  CreateUsagePlanRequest req;
  req.name = "closed";
  req.throttle = ThrottleSettings{1.0, 0};
  req.api_stages = {{kApiId, "test", {}}};
  auto plan = gateway_->create_usage_plan(req);
  ASSERT_TRUE(plan.is_ok()) << plan.status().to_string();
  ASSERT_TRUE(gateway_->create_usage_plan_key({plan->id, key->id, "API_KEY"}).is_ok());
  HttpRequest r = trigger(key->value);
  r.path = "/test/trigger";
  EXPECT_EQ(status(r), 429);
  const GatewayCounters& c = gateway_->counters();
  EXPECT_EQ(c.throttled, (std::map<ThrottleLevel, std::int64_t>{{ThrottleLevel::kUsagePlan, 1},
                                                                {ThrottleLevel::kStageMethod, 1},
                                                                {ThrottleLevel::kAccount, 1}}));
  EXPECT_EQ(c.throttled_total(), 3);
  std::string levels;  // in the map's order, as a report walks it
  for (const auto& [level, count] : c.throttled) {
    levels += std::string(to_string(level)) + "=" + std::to_string(count) + " ";
  }
  EXPECT_EQ(levels, "usage_plan=1 stage_method=1 account=1 ");
  EXPECT_EQ(c.responses_by_route.at("POST /webhook"), (ByStatus{{200, 2}, {429, 1}}));
  EXPECT_EQ(c.responses_by_route.at("POST /trigger"), (ByStatus{{200, 2}, {429, 2}}));
}

TEST_F(ApigwCounters, QuotaSizeAndIntegrationOutcomes) {
  GatewayOptions options;
  options.payload_bytes_max = 16;
  make_gateway(options);
  add_plan(std::nullopt, QuotaSettings{2, 0, QuotaPeriod::kDay});
  EXPECT_EQ(burst(3), (std::map<int, int>{{200, 2}, {429, 1}}));
  EXPECT_EQ(status(webhook(std::string(17, 'x'))), 413);
  integration_.answer_response(R"({"statusCode":200,"extra":1})");
  EXPECT_EQ(status(webhook()), 502);
  integration_.answer({IntegrationResult::Kind::kFunctionError, "", "Unhandled"});
  EXPECT_EQ(status(webhook()), 502);
  integration_.answer({IntegrationResult::Kind::kThrottled, "", "Rate Exceeded."});
  EXPECT_EQ(status(webhook()), 500);
  integration_.answer({IntegrationResult::Kind::kTimeout, "", ""});
  EXPECT_EQ(status(webhook()), 504);
  // The gateway's own 29 s timeout; the function's late answer is not counted again.
  integration_.answer_response(R"({"statusCode":200})", 30 * kSecond);
  std::vector<int> late;
  gateway_->handle(webhook(), [&](HttpResponse r) { late.push_back(r.status_code); });
  EXPECT_EQ(gateway_->counters().responses_by_status.at(504), 1);
  executor_.advance(60 * kSecond);
  EXPECT_EQ(late, std::vector<int>{504});

  const GatewayCounters& c = gateway_->counters();
  EXPECT_EQ(c.requests, 9);
  EXPECT_EQ(c.quota_exceeded, 1);
  EXPECT_EQ(c.request_too_large, 1);
  EXPECT_EQ(c.malformed_responses, 1);
  EXPECT_EQ(c.function_errors, 1);
  EXPECT_EQ(c.integration_failures, 1);
  EXPECT_EQ(c.integration_timeouts, 2);
  EXPECT_EQ(c.responses_by_status,
            (ByStatus{{200, 2}, {413, 1}, {429, 1}, {500, 1}, {502, 2}, {504, 2}}));
  EXPECT_EQ(c.responses_by_route.at("POST /webhook"),
            (ByStatus{{413, 1}, {500, 1}, {502, 2}, {504, 2}}));
  EXPECT_EQ(c.responses_by_route.at("POST /trigger"), (ByStatus{{200, 2}, {429, 1}}));
}

TEST_F(ApigwCounters, RoutesAreTheConfiguredMethodAndTemplate) {
  RestApi api;
  api.id = "players";
  api.resources = {{"r-any", "/{proxy+}", {{"ANY", {"ANY", false, "f"}}}},
                   {"r-id", "/players/{id}", {{"GET", {"GET", false, "f"}}}}};
  api.stages["prod"] = Stage{"prod", "dep", {}, {}};
  ASSERT_TRUE(gateway_->put_rest_api(api).is_ok());
  auto request = [](std::string method, std::string path) {
    HttpRequest r;
    r.rest_api_id = "players";
    r.http_method = std::move(method);
    r.path = std::move(path);
    return r;
  };
  EXPECT_EQ(status(request("GET", "/prod/players/1")), 200);
  EXPECT_EQ(status(request("GET", "/prod/players/2")), 200);
  EXPECT_EQ(status(request("POST", "/prod/a")), 200);
  EXPECT_EQ(status(request("DELETE", "/prod/b/c")), 200);
  EXPECT_EQ(status(request("DELETE", "/prod/players/1")), 403);  // no route: not by route
  const GatewayCounters& c = gateway_->counters();
  EXPECT_EQ(c.responses_by_route,
            (std::map<std::string, ByStatus>{{"ANY /{proxy+}", {{200, 2}}},
                                             {"GET /players/{id}", {{200, 2}}}}));
  EXPECT_EQ(c.responses_by_status, (ByStatus{{200, 4}, {403, 1}}));
  EXPECT_EQ(c.missing_authentication_token, 1);
}

}  // namespace
}  // namespace twin::fakes::apigw
