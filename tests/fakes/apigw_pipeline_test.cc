// The API Gateway fake's request pipeline: routes, API keys, quotas, the size limit, the proxy
// event, the mapping of the integration's answer and the 29 s timeout (reference 1.2-1.6).
#include <boost/json.hpp>

#include "tests/fakes/apigw_fixture.h"

namespace twin::fakes::apigw {
namespace {

namespace json = boost::json;
using ApigwPipeline = ApigwFixture;

void expect_gateway_error(const std::optional<HttpResponse>& r, int status, std::string_view body,
                          std::string_view error_type) {
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status_code, status);
  EXPECT_EQ(r->body, body);
  EXPECT_EQ(r->header("x-amzn-ErrorType"), error_type);
  EXPECT_EQ(r->header("x-amzn-RequestId"), r->request_id);
  EXPECT_EQ(r->request_id.size(), 36u);
}

TEST_F(ApigwPipeline, UnknownRoutesAreMissingAuthenticationToken) {
  add_plan(std::nullopt);
  constexpr std::string_view kBody = R"({"message":"Missing Authentication Token"})";
  HttpRequest r = trigger();
  r.path = "/prod/nope";
  expect_gateway_error(send(r), 403, kBody, "MissingAuthenticationTokenException");
  r.path = "/dev/trigger";  // unknown stage
  expect_gateway_error(send(r), 403, kBody, "MissingAuthenticationTokenException");
  r.path = "/trigger";  // no stage segment: "trigger" is taken as the stage
  expect_gateway_error(send(r), 403, kBody, "MissingAuthenticationTokenException");
  r.path = "/prod/trigger";
  r.http_method = "GET";  // wrong method on an existing resource
  expect_gateway_error(send(r), 403, kBody, "MissingAuthenticationTokenException");
  r.http_method = "POST";
  r.rest_api_id = "other";
  expect_gateway_error(send(r), 403, kBody, "MissingAuthenticationTokenException");
  EXPECT_EQ(integration_.call_count(), 0u);
  r.rest_api_id = kApiId;
  r.path = "/prod/trigger/";  // a trailing slash names the same resource
  EXPECT_EQ(status(r), 200);
}

TEST_F(ApigwPipeline, KeyRequiredCases) {
  UsagePlan plan = add_plan(std::nullopt);
  constexpr std::string_view kBody = R"({"message":"Forbidden"})";
  HttpRequest r = trigger();
  r.headers = {{"Content-Type", "application/json"}};
  expect_gateway_error(send(r), 403, kBody, "ForbiddenException");  // missing
  expect_gateway_error(send(trigger("x" + key_.value)), 403, kBody, "ForbiddenException");
  // Header names are case-insensitive.
  r.headers = {{"X-API-Key", key_.value}};
  EXPECT_EQ(status(r), 200);
  // Disabled.
  ASSERT_TRUE(gateway_->set_api_key_enabled(key_.id, false).is_ok());
  expect_gateway_error(send(trigger()), 403, kBody, "ForbiddenException");
  ASSERT_TRUE(gateway_->set_api_key_enabled(key_.id, true).is_ok());
  EXPECT_EQ(status(trigger()), 200);
  // Enabled but in no plan for this stage ("test").
  HttpRequest test_stage = trigger();
  test_stage.path = "/test/trigger";
  expect_gateway_error(send(test_stage), 403, kBody, "ForbiddenException");
  // A key in no plan at all.
  auto loose = gateway_->create_api_key({"loose", "", true, false, std::nullopt, "", {}});
  ASSERT_TRUE(loose.is_ok());
  expect_gateway_error(send(trigger(loose->value)), 403, kBody, "ForbiddenException");
  // The stage leaves the plan: the key no longer opens it.
  ASSERT_TRUE(gateway_
                  ->update_usage_plan(
                      {plan.id, {{"remove", "/apiStages", std::string(kApiId) + ":prod", {}}}})
                  .is_ok());
  expect_gateway_error(send(trigger()), 403, kBody, "ForbiddenException");
}

TEST_F(ApigwPipeline, WebhookNeedsNoKey) {
  HttpRequest r = trigger();
  r.path = "/prod/webhook";
  r.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  EXPECT_EQ(status(r), 200);
}

TEST_F(ApigwPipeline, QuotaPerDayRollsOverAtUtcMidnight) {
  UsagePlan plan = add_plan(std::nullopt, QuotaSettings{3, 0, QuotaPeriod::kDay});
  EXPECT_EQ(burst(4), (std::map<int, int>{{200, 3}, {429, 1}}));
  expect_gateway_error(send(trigger()), 429, R"({"message":"Limit Exceeded"})",
                       "LimitExceededException");
  executor_.advance_to(kStartUs + 24 * core::kMicrosPerHour - 1);
  EXPECT_EQ(status(trigger()), 429);
  executor_.advance(1);
  EXPECT_EQ(burst(4), (std::map<int, int>{{200, 3}, {429, 1}}));
  auto usage = gateway_->get_usage({plan.id, std::nullopt, "2025-12-31", "2026-01-03", {}, {}});
  ASSERT_TRUE(usage.is_ok()) << usage.status().to_string();
  const auto& days = usage->items.at(key_.id);
  ASSERT_EQ(days.size(), 4u);
  EXPECT_EQ(days[0].used, 0);
  EXPECT_EQ(days[0].remaining, 3);
  EXPECT_EQ(days[1].used, 3);
  EXPECT_EQ(days[1].remaining, 0);
  EXPECT_EQ(days[2].used, 3);
  EXPECT_EQ(days[3].used, 0);
  EXPECT_EQ(days[3].remaining, 3);
}

TEST_F(ApigwPipeline, QuotaWeekStartsOnTheOffsetWeekday) {
  // 2026-01-01 is a Thursday; offset 1 starts weeks on Monday (2026-01-05).
  add_plan(std::nullopt, QuotaSettings{2, 1, QuotaPeriod::kWeek});
  EXPECT_EQ(burst(3), (std::map<int, int>{{200, 2}, {429, 1}}));
  executor_.advance_to(kStartUs + 3 * 24 * core::kMicrosPerHour);  // Sunday 01-04
  EXPECT_EQ(status(trigger()), 429);
  executor_.advance_to(kStartUs + 4 * 24 * core::kMicrosPerHour);  // Monday 01-05
  EXPECT_EQ(burst(3), (std::map<int, int>{{200, 2}, {429, 1}}));
}

TEST_F(ApigwPipeline, QuotaMonthStartsOnTheOffsetDay) {
  add_plan(std::nullopt, QuotaSettings{1, 9, QuotaPeriod::kMonth});  // months start on the 10th
  EXPECT_EQ(status(trigger()), 200);
  executor_.advance_to(kStartUs + 8 * 24 * core::kMicrosPerHour);  // 01-09
  EXPECT_EQ(status(trigger()), 429);
  executor_.advance_to(kStartUs + 9 * 24 * core::kMicrosPerHour);  // 01-10
  EXPECT_EQ(status(trigger()), 200);
  EXPECT_EQ(status(trigger()), 429);
}

TEST_F(ApigwPipeline, QuotaOffsetAsInitialPeriodDeduction) {
  GatewayOptions options;
  options.quota_offset_meaning = QuotaOffsetMeaning::kInitialPeriodDeduction;
  make_gateway(options);
  add_plan(std::nullopt, QuotaSettings{5, 3, QuotaPeriod::kDay});
  EXPECT_EQ(burst(5), (std::map<int, int>{{200, 2}, {429, 3}}));
  executor_.advance(24 * core::kMicrosPerHour);
  EXPECT_EQ(burst(6), (std::map<int, int>{{200, 5}, {429, 1}}));
}

TEST_F(ApigwPipeline, BodyLargerThanTenMegabytesIs413) {
  add_plan(std::nullopt);
  HttpRequest r = trigger();
  r.body = std::string(kPayloadBytesMax, 'a');
  EXPECT_EQ(status(r), 200);
  r.body->push_back('a');
  auto response = send(r);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status_code, 413);
  EXPECT_EQ(response->body, "HTTP content length exceeded 10485760 bytes.");
  EXPECT_EQ(response->gateway_response, GatewayResponseType::kRequestTooLarge);
}

TEST_F(ApigwPipeline, ProxyEventHasEveryField) {
  add_plan(std::nullopt);
  HttpRequest r = trigger();
  r.query_string = "category=electronics&category=books&q=a+b";
  r.headers = {{"Host", "abc123.execute-api.us-east-1.amazonaws.com"},
               {"tEsT-HEADeR", "one"},
               {"x-api-key", key_.value},
               {"test-header", "two"},
               {"Content-Length", "16"},
               {"User-Agent", "curl/8.0"}};
  ASSERT_EQ(status(r), 200);
  ASSERT_EQ(integration_.calls().size(), 1u);
  EXPECT_EQ(integration_.calls()[0].function_name, "bot");
  const json::object event = json::parse(integration_.calls()[0].event_json).as_object();
  EXPECT_EQ(event.at("resource"), "/trigger");
  EXPECT_EQ(event.at("path"), "/trigger");
  EXPECT_EQ(event.at("httpMethod"), "POST");
  const auto& headers = event.at("headers").as_object();
  EXPECT_EQ(headers.at("tEsT-HEADeR"), "two");  // first casing, last value
  EXPECT_FALSE(headers.contains("Content-Length"));
  EXPECT_EQ(headers.at("X-Forwarded-For"), "203.0.113.7");
  EXPECT_EQ(headers.at("X-Forwarded-Port"), "443");
  EXPECT_EQ(headers.at("X-Forwarded-Proto"), "https");
  EXPECT_TRUE(headers.at("X-Amzn-Trace-Id").as_string().starts_with("Root=1-6955b900-"));
  EXPECT_EQ(event.at("multiValueHeaders").at("tEsT-HEADeR"), json::parse(R"(["one","two"])"));
  EXPECT_EQ(event.at("queryStringParameters"), json::parse(R"({"category":"books","q":"a b"})"));
  EXPECT_EQ(event.at("multiValueQueryStringParameters").at("category"),
            json::parse(R"(["electronics","books"])"));
  EXPECT_TRUE(event.at("pathParameters").is_null());
  EXPECT_TRUE(event.at("stageVariables").is_null());
  EXPECT_EQ(event.at("body"), R"({"player":"Sam"})");
  EXPECT_EQ(event.at("isBase64Encoded"), false);
  const auto& ctx = event.at("requestContext").as_object();
  EXPECT_EQ(ctx.at("accountId"), "123456789012");
  EXPECT_EQ(ctx.at("apiId"), kApiId);
  EXPECT_EQ(ctx.at("resourceId"), "res-trig");
  EXPECT_EQ(ctx.at("resourcePath"), "/trigger");
  EXPECT_EQ(ctx.at("httpMethod"), "POST");
  EXPECT_EQ(ctx.at("path"), "/prod/trigger");
  EXPECT_EQ(ctx.at("stage"), "prod");
  EXPECT_EQ(ctx.at("protocol"), "HTTP/1.1");
  EXPECT_EQ(ctx.at("requestId").as_string().size(), 36u);
  EXPECT_EQ(ctx.at("extendedRequestId").as_string().size(), 16u);
  EXPECT_EQ(ctx.at("requestTime"), "01/Jan/2026:00:00:00 +0000");
  EXPECT_EQ(ctx.at("requestTimeEpoch"), 1'767'225'600'000);
  EXPECT_EQ(ctx.at("domainName"), "abc123.execute-api.us-east-1.amazonaws.com");
  EXPECT_EQ(ctx.at("domainPrefix"), kApiId);
  EXPECT_EQ(ctx.at("deploymentId"), "dep1");
  const auto& identity = ctx.at("identity").as_object();
  EXPECT_EQ(identity.at("apiKey").as_string(), key_.value);
  EXPECT_EQ(identity.at("apiKeyId").as_string(), key_.id);
  EXPECT_EQ(identity.at("sourceIp"), "203.0.113.7");
  EXPECT_EQ(identity.at("userAgent"), "curl/8.0");
  for (const char* name : {"accessKey", "accountId", "caller", "cognitoAuthenticationProvider",
                           "cognitoAuthenticationType", "cognitoIdentityId",
                           "cognitoIdentityPoolId", "principalOrgId", "user", "userArn"}) {
    EXPECT_TRUE(identity.at(name).is_null()) << name;
  }
}

// The client's own Host, X-Forwarded-* and X-Amzn-Trace-Id headers, in any casing and repeated:
// `headers` keeps the first casing and the last value, `multiValueHeaders` every value in order,
// the gateway's X-Forwarded-For appends the source IP to the client's last value, its
// X-Forwarded-Port replaces the client's, and a client trace id is kept.
TEST_F(ApigwPipeline, ProxyEventMergesTheClientsForwardingHeaders) {
  add_plan(std::nullopt);
  HttpRequest r = trigger();
  r.headers = {{"host", "example.test"},
               {"X-Forwarded-For", "198.51.100.1"},
               {"x-forwarded-port", "8443"},
               {"X-AMZN-TRACE-ID", "Root=1-abc-def"},
               {"x-api-key", key_.value},
               {"connection", "keep-alive"},
               {"x-forwarded-for", "198.51.100.2"},
               {"user-agent", "a"},
               {"User-Agent", "b"}};
  ASSERT_EQ(status(r), 200);
  const json::object event = json::parse(integration_.calls()[0].event_json).as_object();
  EXPECT_EQ(json::serialize(event.at("headers")),
            R"({"host":"example.test","X-Forwarded-For":"198.51.100.2, 203.0.113.7",)"
            R"("x-forwarded-port":"443","X-AMZN-TRACE-ID":"Root=1-abc-def",)"
            R"("x-api-key":")" +
                key_.value + R"(","user-agent":"b","X-Forwarded-Proto":"https"})");
  EXPECT_EQ(json::serialize(event.at("multiValueHeaders")),
            R"({"host":["example.test"],)"
            R"("X-Forwarded-For":["198.51.100.1","198.51.100.2","198.51.100.2, 203.0.113.7"],)"
            R"("x-forwarded-port":["8443","443"],"X-AMZN-TRACE-ID":["Root=1-abc-def"],)"
            R"("x-api-key":[")" +
                key_.value + R"("],"user-agent":["a","b"],"X-Forwarded-Proto":["https"]})");
  const auto& ctx = event.at("requestContext").as_object();
  EXPECT_EQ(ctx.at("domainName"), "abc123.execute-api.us-east-1.amazonaws.com");
  EXPECT_EQ(ctx.at("identity").at("userAgent"), "b");
}

TEST_F(ApigwPipeline, ProxyEventOfAKeylessMethodHasNoKeyAndNullQuery) {
  HttpRequest r = trigger();
  r.path = "/prod/webhook";
  r.body.reset();
  ASSERT_EQ(status(r), 200);
  const json::object event = json::parse(integration_.calls()[0].event_json).as_object();
  const auto& identity = event.at("requestContext").at("identity").as_object();
  EXPECT_FALSE(identity.contains("apiKey"));
  EXPECT_FALSE(identity.contains("apiKeyId"));
  EXPECT_TRUE(event.at("queryStringParameters").is_null());
  EXPECT_TRUE(event.at("multiValueQueryStringParameters").is_null());
  EXPECT_TRUE(event.at("body").is_null());
  EXPECT_EQ(event.at("headers").at("Host"), "abc123.execute-api.us-east-1.amazonaws.com");
}

TEST_F(ApigwPipeline, FunctionResponsePassesThrough) {
  add_plan(std::nullopt);
  integration_.answer_response(
      R"({"statusCode":"201","headers":{"X-Solo":"s","Set-Cookie":"c=3"},)"
      R"("multiValueHeaders":{"set-cookie":["a=1","b=2"]},"body":"made"})");
  auto r = send(trigger());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_code, 201);
  EXPECT_EQ(r->body, "made");
  EXPECT_FALSE(r->gateway_response.has_value());
  EXPECT_EQ(r->headers, (core::StringPairs{{"set-cookie", "a=1"},
                                           {"set-cookie", "b=2"},
                                           {"X-Solo", "s"},
                                           {"set-cookie", "c=3"},
                                           {"Content-Type", "application/json"},
                                           {"x-amzn-RequestId", r->request_id}}));
  integration_.answer_response("{}");
  r = send(trigger());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_code, 200);
  EXPECT_EQ(r->body, "");
}

TEST_F(ApigwPipeline, IntegrationFailuresMapAsAwsDocuments) {
  add_plan(std::nullopt);
  constexpr std::string_view k500 = R"({"message": "Internal server error"})";
  for (const char* bad : {R"({"statusCode":200,"wrongValue":"value"})", R"({"statusCode":"test"})",
                          R"({"multiValueHeaders":{"a":"b"}})", R"("justAString")", "not json"}) {
    integration_.answer_response(bad);
    expect_gateway_error(send(trigger()), 502, k500, "InternalServerErrorException");
  }
  integration_.answer({IntegrationResult::Kind::kFunctionError, "", "Unhandled"});
  expect_gateway_error(send(trigger()), 502, k500, "InternalServerErrorException");
  integration_.answer({IntegrationResult::Kind::kThrottled, "", "Rate Exceeded."});
  auto throttled = send(trigger());
  expect_gateway_error(throttled, 500, k500, "InternalServerErrorException");
  EXPECT_EQ(throttled->gateway_response, GatewayResponseType::kIntegrationFailure);
  integration_.answer({IntegrationResult::Kind::kTimeout, "", ""});
  expect_gateway_error(send(trigger()), 504, R"({"message": "Endpoint request timed out"})",
                       "InternalServerErrorException");
}

TEST_F(ApigwPipeline, IntegrationTimesOutAtTwentyNineSeconds) {
  add_plan(std::nullopt);
  integration_.answer_response(R"({"statusCode":200})", 29 * kSecond + 1);
  std::vector<HttpResponse> answers;
  gateway_->handle(trigger(), [&](HttpResponse r) { answers.push_back(std::move(r)); });
  EXPECT_TRUE(answers.empty());
  executor_.advance(29 * kSecond - 1);
  EXPECT_TRUE(answers.empty());
  executor_.advance(1);
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].status_code, 504);
  EXPECT_EQ(answers[0].gateway_response, GatewayResponseType::kIntegrationTimeout);
  executor_.advance(kSecond);  // the late answer is ignored
  EXPECT_EQ(answers.size(), 1u);
  // An answer in time wins over the timer.
  integration_.answer_response(R"({"statusCode":202})", 29 * kSecond - 1);
  gateway_->handle(trigger(), [&](HttpResponse r) { answers.push_back(std::move(r)); });
  executor_.advance(60 * kSecond);
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_EQ(answers[1].status_code, 202);
}

TEST_F(ApigwPipeline, CallbacksAfterTheGatewayIsGoneDoNothing) {
  add_plan(std::nullopt);
  integration_.answer_response(R"({"statusCode":200})", kSecond);
  int answers = 0;
  gateway_->handle(trigger(), [&](HttpResponse) { ++answers; });
  gateway_.reset();
  executor_.advance(60 * kSecond);
  EXPECT_EQ(answers, 0);
}

}  // namespace
}  // namespace twin::fakes::apigw
