// API Gateway fake hot paths: one token-bucket decision, and the whole pipeline for one keyed
// POST /prod/trigger (route, API key, three throttle levels, quota, proxy event, invoke) with an
// integration that answers at once with a fixed proxy response. Figures: benchmarks/README.md.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "fakes/apigw/gateway.h"
#include "fakes/apigw/scripted_integration.h"
#include "fakes/apigw/token_bucket.h"
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

void BM_GatewayKeyedTrigger(benchmark::State& state) {
  ManualExecutor executor(kStartUs);
  SeededIdSource ids(1);
  ScriptedIntegration integration(executor);
  integration.set_record_events(false);
  integration.answer_response(R"({"statusCode":200,"headers":{"Content-Type":"application/json"},)"
                              R"("body":"{\"status\":\"invited\"}"})");
  Gateway gateway(executor, ids, integration);
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
  HttpRequest request;
  request.rest_api_id = "abc123";
  request.http_method = "POST";
  request.path = "/prod/trigger";
  request.headers = {{"Host", "abc123.execute-api.us-east-1.amazonaws.com"},
                     {"Content-Type", "application/json"},
                     {"User-Agent", "team-tool/1.0"},
                     {"x-api-key", key->value}};
  request.body = R"({"player_name":"Sam Smith","parent_tel":"+447700900123","team":"U11"})";
  int status = 0;
  gateway.handle(request, [&](HttpResponse r) { status = r.status_code; });
  if (status != 200) state.SkipWithError("the pipeline did not answer 200");
  for (auto _ : state) {
    gateway.handle(request, [&](HttpResponse r) { status = r.status_code; });
    benchmark::DoNotOptimize(status);
    executor.advance(1);
  }
  if (status != 200) state.SkipWithError("the pipeline stopped answering 200");
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GatewayKeyedTrigger);

}  // namespace

BENCHMARK_MAIN();
