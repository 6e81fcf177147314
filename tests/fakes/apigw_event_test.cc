// The proxy event the Gateway hands its integration is built over the previous request's event
// once nobody holds that one any more (gateway_event.cc): whatever came before, every event
// must be exactly the one a gateway that never built an event before gives for that request,
// and an event still held must never change.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/encoding.h"
#include "fakes/apigw/gateway.h"
#include "fakes/apigw/scripted_integration.h"
#include "fakes/memory/manual_executor.h"
#include "fakes/memory/memory_ports.h"

namespace twin::fakes::apigw {
namespace {

constexpr core::TimeUs kStartUs = 1'767'225'600'000'000;  // 2026-01-01T00:00:00Z
constexpr std::uint64_t kSeed = 5;

// Seeded ids while a stack is set up (so two stacks get the same key), then one fixed id: an
// event then depends only on the request and the time, not on how many came before it.
class PinnedIds : public core::IdSource {
 public:
  void write_uuid(char* out) override {
    if (!pinned_) return seeded_.write_uuid(out);
    constexpr std::string_view kPinned = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
    kPinned.copy(out, kPinned.size());
  }
  void pin() { pinned_ = true; }

 private:
  SeededIdSource seeded_{kSeed};
  bool pinned_ = false;
};

// Keeps every event it is given and answers 200 at once.
class HoldingIntegration : public Integration {
 public:
  void invoke(const std::string&, lambda::Payload event,
              std::function<void(IntegrationResult)> done) override {
    held.push_back(std::move(event));
    done({IntegrationResult::Kind::kResponse, R"({"statusCode":200})", ""});
  }
  std::vector<lambda::Payload> held;
};

// A gateway on `integration` with a stack whose routes fill every optional member of the event:
// POST /trigger (key), POST /webhook, GET /players/{id} (path parameters); stage "prod" without
// variables, "beta" with some; one key in a plan on both stages.
struct Stack {
  Stack(core::Executor& executor, Integration& integration) : gateway(executor, ids, integration) {
    RestApi api;
    api.id = "abc123";
    api.resources = {{"res-trig", "/trigger", {{"POST", {"POST", true, "bot"}}}},
                     {"res-hook", "/webhook", {{"POST", {"POST", false, "bot"}}}},
                     {"res-player", "/players/{id}", {{"GET", {"GET", false, "bot"}}}}};
    api.stages["prod"] = Stage{"prod", "dep1", {}, {}};
    api.stages["beta"] = Stage{"beta", "dep2", {}, {{"env", "beta"}, {"table", "players-beta"}}};
    EXPECT_TRUE(gateway.put_rest_api(api).is_ok());
    auto key = gateway.create_api_key({"manager", "", true, false, std::nullopt, "", {}});
    CreateUsagePlanRequest plan_request;
    plan_request.name = "plan";
    plan_request.api_stages = {{"abc123", "prod", {}}, {"abc123", "beta", {}}};
    auto plan = gateway.create_usage_plan(plan_request);
    EXPECT_TRUE(gateway.create_usage_plan_key({plan->id, key->id, "API_KEY"}).is_ok());
    key_value = key->value;
    ids.pin();
  }

  PinnedIds ids;
  Gateway gateway;
  std::string key_value;
};

HttpRequest request(std::string method, std::string path, std::string query,
                    core::StringPairs headers, std::optional<std::string> body) {
  HttpRequest r;
  r.rest_api_id = "abc123";
  r.http_method = std::move(method);
  r.path = std::move(path);
  r.query_string = std::move(query);
  r.headers = std::move(headers);
  r.body = std::move(body);
  return r;
}

// Requests that set and then leave out each optional part of an event: a query, repeated and
// forwarded headers, a client trace id, a user agent, an API key, path parameters, stage
// variables, a body; more headers than before, then fewer.
std::vector<HttpRequest> varied_requests(const std::string& key) {
  std::vector<HttpRequest> out;
  out.push_back(request("POST", "/prod/trigger", "category=a&category=b&q=x+y",
                        {{"Host", "abc123.execute-api.us-east-1.amazonaws.com"},
                         {"tEsT-HEADeR", "one"},
                         {"x-api-key", key},
                         {"test-header", "two, and a value longer than a short string"},
                         {"Content-Length", "16"},
                         {"User-Agent", "curl/8.0 with a long version text after it"},
                         {"X-Forwarded-For", "198.51.100.1"},
                         {"X-Amzn-Trace-Id", "Root=1-abc-def"},
                         {"Content-Type", "application/json"}},
                        R"({"player":"Sam"})"));
  out.push_back(request("POST", "/prod/webhook", "", {{"Content-Type", "text/plain"}}, {}));
  out.back().source_ip = "198.51.100.200";
  out.back().protocol = "HTTP/2.0";
  out.push_back(request("GET", "/beta/players/7", "x=1", {{"user-agent", "a"}}, {}));
  out.push_back(request("POST", "/prod/trigger", "", {{"x-api-key", key}}, "{}"));
  out.push_back(out[0]);
  out.push_back(request("POST", "/beta/webhook", "",
                        {{"x-forwarded-port", "8443"}, {"connection", "keep-alive"}}, ""));
  out.push_back(out[1]);
  return out;
}

// The event a gateway that has built none before gives for `r` at `executor`'s time.
std::string fresh_event(ManualExecutor& executor, const HttpRequest& r) {
  ScriptedIntegration integration(executor);
  Stack stack(executor, integration);
  int status = 0;
  stack.gateway.handle(r, [&](HttpResponse response) { status = response.status_code; });
  EXPECT_EQ(status, 200);
  EXPECT_EQ(integration.calls().size(), 1u);
  return integration.calls().empty() ? "" : integration.calls()[0].event_json;
}

TEST(ApigwEvent, EveryEventInARowIsTheEventOfAFreshGateway) {
  ManualExecutor executor(kStartUs);
  ScriptedIntegration integration(executor);
  Stack stack(executor, integration);
  std::size_t sent = 0;
  for (int round = 0; round < 2; ++round) {
    for (const HttpRequest& r : varied_requests(stack.key_value)) {
      int status = 0;
      stack.gateway.handle(r, [&](HttpResponse response) { status = response.status_code; });
      ASSERT_EQ(status, 200) << r.path;
      ASSERT_EQ(integration.calls().size(), ++sent);
      EXPECT_EQ(integration.calls().back().event_json, fresh_event(executor, r))
          << "request " << sent << ": " << r.http_method << " " << r.path;
      executor.advance(1'500'000);  // another requestTime
    }
  }
}

// requestTime is formatted once a second and reused within it: the last microsecond of a second
// and the first of the next each get their own.
TEST(ApigwEvent, RequestTimeIsTheSecondOfEachRequest) {
  ManualExecutor executor(kStartUs);
  ScriptedIntegration integration(executor);
  Stack stack(executor, integration);
  const HttpRequest r = varied_requests(stack.key_value)[1];
  const core::DurationUs steps[] = {0, 1, 999'998, 1, 59'000'000, 86'400'000'000};
  for (const core::DurationUs step : steps) {
    executor.advance(step);
    stack.gateway.handle(r, [](HttpResponse) {});
    ASSERT_FALSE(integration.calls().empty());
    EXPECT_EQ(integration.calls().back().event_json, fresh_event(executor, r))
        << "at " << executor.now();
  }
  const std::string& last = integration.calls().back().event_json;
  EXPECT_NE(last.find(R"("requestTime":"02/Jan/2026:00:01:00 +0000")"), std::string::npos);
  // extendedRequestId: the first 11 hex digits of the request's second id, in base64.
  EXPECT_NE(last.find(R"("extendedRequestId":")" + core::base64_encode("0f1e2d3c4b5") + '"'),
            std::string::npos);
}

// An integration that still holds an event (a Lambda function not yet started, a recording)
// keeps it as it was: the next request's event is built elsewhere. Once it is let go, the next
// request builds over it.
TEST(ApigwEvent, AnEventStillHeldIsNotWrittenOver) {
  ManualExecutor executor(kStartUs);
  HoldingIntegration integration;
  Stack stack(executor, integration);
  const std::vector<HttpRequest> requests = varied_requests(stack.key_value);
  for (const HttpRequest& r : requests) {
    stack.gateway.handle(r, [](HttpResponse response) { EXPECT_EQ(response.status_code, 200); });
  }
  ASSERT_EQ(integration.held.size(), requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const lambda::Payload& held = integration.held[i];
    ASSERT_NE(held.proxy_event(), nullptr) << i;
    for (std::size_t j = 0; j < i; ++j)
      EXPECT_NE(held.proxy_event(), integration.held[j].proxy_event());
    // The text is written only now, from the typed event as it is after every later request.
    EXPECT_EQ(held.json(), fresh_event(executor, requests[i])) << "request " << i + 1;
  }
  const core::ProxyEvent* last = integration.held.back().proxy_event();
  integration.held.clear();
  stack.gateway.handle(requests[2], [](HttpResponse) {});
  ASSERT_EQ(integration.held.size(), 1u);
  EXPECT_EQ(integration.held[0].proxy_event(), last);
  EXPECT_EQ(integration.held[0].json(), fresh_event(executor, requests[2]));
}

}  // namespace
}  // namespace twin::fakes::apigw
