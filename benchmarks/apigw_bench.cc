// API Gateway fake hot paths: one token-bucket decision, and the whole pipeline for one keyed
// POST /prod/trigger (route, API key, three throttle levels, quota, proxy event, invoke) with an
// integration that answers at once with a fixed proxy response. Figures: benchmarks/README.md.
#include <benchmark/benchmark.h>
#include <spdlog/sinks/null_sink.h>

#include <memory>
#include <string>

#include "core/handler.h"
#include "fakes/apigw/gateway.h"
#include "fakes/apigw/scripted_integration.h"
#include "fakes/apigw/token_bucket.h"
#include "fakes/lambda/function_code.h"
#include "fakes/memory/manual_executor.h"
#include "fakes/memory/memory_ports.h"

namespace {

using namespace twin::fakes;
using namespace twin::fakes::apigw;

constexpr twin::core::TimeUs kStartUs = 1'767'225'600'000'000;

// One decision per iteration, time advancing 1 us each: the bucket refills and is taken from,
// the path every request takes at every level.
void BM_TokenBucketDecision(benchmark::State& state) {
  TokenBucket bucket(rate_limit_to_milli_rps(25), 50, kStartUs);
  twin::core::TimeUs now = kStartUs;
  for (auto _ : state) {
    benchmark::DoNotOptimize(bucket.try_take(now));
    now += state.range(0);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TokenBucketDecision)->ArgName("step_us")->Arg(1)->Arg(40'000);

// The seed's stack in front of `integration`: /trigger keyed, limits far above the load so
// that every request passes every level (the decisions are still made).
struct GatewayBench {
  explicit GatewayBench(Integration& integration) : gateway(executor, ids, integration) {
    RestApi api;
    api.id = "abc123";
    api.resources = {{"", "/trigger", {{"POST", {"POST", true, "bot"}}}},
                     {"", "/webhook", {{"POST", {"POST", false, "bot"}}}}};
    api.stages["prod"] = Stage{"prod", "", {{"*/*", {1e6, 1'000'000}}}, {}};
    (void)gateway.put_rest_api(api);
    (void)gateway.set_account_throttle(1e6, 1'000'000);
    auto key = gateway.create_api_key({"manager", "", true, false, std::nullopt, "", {}});
    CreateUsagePlanRequest plan_request;
    plan_request.name = "plan";
    plan_request.throttle = ThrottleSettings{1e6, 1'000'000};  // never the limit here
    plan_request.quota = QuotaSettings{1'000'000'000, 0, QuotaPeriod::kMonth};
    plan_request.api_stages = {{"abc123", "prod", {}}};
    auto plan = gateway.create_usage_plan(plan_request);
    (void)gateway.create_usage_plan_key({plan->id, key->id, "API_KEY"});
    key_value = key->value;
  }

  HttpRequest trigger(std::string body) const {
    HttpRequest request;
    request.rest_api_id = "abc123";
    request.http_method = "POST";
    request.path = "/prod/trigger";
    request.headers = {{"Host", "abc123.execute-api.us-east-1.amazonaws.com"},
                       {"Content-Type", "application/json"},
                       {"User-Agent", "team-tool/1.0"},
                       {"x-api-key", key_value}};
    request.body = std::move(body);
    return request;
  }

  // Runs the pipeline once per iteration; stops with an error unless every answer is 200.
  void run(benchmark::State& state, const HttpRequest& request) {
    int status = 0;
    gateway.handle(request, [&](HttpResponse r) { status = r.status_code; });
    if (status != 200) return state.SkipWithError("the pipeline did not answer 200");
    for (auto _ : state) {
      gateway.handle(request, [&](HttpResponse r) { status = r.status_code; });
      benchmark::DoNotOptimize(status);
      executor.advance(1);
    }
    if (status != 200) state.SkipWithError("the pipeline stopped answering 200");
    state.SetItemsProcessed(state.iterations());
  }

  ManualExecutor executor{kStartUs};
  SeededIdSource ids{1};
  Gateway gateway;
  std::string key_value;
};

void BM_GatewayKeyedTrigger(benchmark::State& state) {
  ManualExecutor answer_clock(kStartUs);
  ScriptedIntegration integration(answer_clock);
  integration.set_record_events(false);
  integration.answer_response(R"({"statusCode":200,"headers":{"Content-Type":"application/json"},)"
                              R"("body":"{\"status\":\"invited\"}"})");
  GatewayBench b(integration);
  b.run(state, b.trigger(R"({"player_name":"Sam Smith","parent_tel":"+447700900123"})"));
}
BENCHMARK(BM_GatewayKeyedTrigger);

// The core handler as the integration, called at once (no Lambda model) the way the Lambda fake
// calls it (HandlerFunctionCode::invoke, which takes the gateway's typed event when its text
// would read back as the same event): the gateway's work plus the handler's for one keyed
// /trigger, a retried registration as in core_bench.
class HandlerIntegration : public Integration {
 public:
  explicit HandlerIntegration(twin::core::Handler& handler) : code_(handler) {}
  void invoke(const std::string&, twin::fakes::lambda::Payload event,
              std::function<void(IntegrationResult)> done) override {
    auto out = code_.invoke(event);
    if (!out.is_ok()) return done({IntegrationResult::Kind::kFunctionError, "", ""});
    done({IntegrationResult::Kind::kResponse, std::move(*out), ""});
  }

 private:
  twin::fakes::lambda::HandlerFunctionCode code_;
};

void BM_GatewayKeyedTriggerWithHandler(benchmark::State& state) {
  ManualExecutor clock(kStartUs);
  SeededIdSource handler_ids(7);
  MemoryQueue queue(handler_ids);
  MemoryRegistrationStore registrations;
  MemoryIdempotencyStore idempotency;
  MemoryMessenger messenger;
  twin::core::Config config;
  std::unique_ptr<twin::core::Handler> handler;
  std::unique_ptr<HandlerIntegration> integration;
  // The handler needs the key the gateway generates: build the gateway on a forwarding
  // integration first, then the handler with that key.
  class Late : public Integration {
   public:
    Integration* target = nullptr;
    void invoke(const std::string& name, twin::fakes::lambda::Payload event,
                std::function<void(IntegrationResult)> done) override {
      target->invoke(name, std::move(event), std::move(done));
    }
  } late;
  GatewayBench b(late);
  config.api_key = b.key_value;
  handler = std::make_unique<twin::core::Handler>(
      config, twin::core::Ports{clock, handler_ids, queue, registrations, idempotency, messenger},
      twin::core::Log(
          twin::core::make_json_logger("core", std::make_shared<spdlog::sinks::null_sink_st>()),
          clock));
  integration = std::make_unique<HandlerIntegration>(*handler);
  late.target = integration.get();
  b.run(
      state,
      b.trigger(R"({"player_first_name":"John","player_last_name":"Smith","team_name":"Panthers",)"
                R"("age_group":"u11s","manager_full_name":"Alex Manager",)"
                R"("current_registration_season":"2025-26","parent_first_name":"Jane",)"
                R"("parent_last_name":"Smith","parent_tel":"+447700900123",)"
                R"("membership_fee_amount":"45.00","subscription_fee_amount":27.5})"));
}
BENCHMARK(BM_GatewayKeyedTriggerWithHandler);

}  // namespace

BENCHMARK_MAIN();
