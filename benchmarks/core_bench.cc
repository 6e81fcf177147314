// Hot paths of the production handler, end to end: event JSON in, response JSON out, with the
// in-memory ports and one INFO log line per request to a sink that discards. items/s are
// requests (BM_SqsBatch: messages); the counter event_bytes is the size of the event read.
#include <benchmark/benchmark.h>
#include <spdlog/sinks/null_sink.h>

#include <boost/json.hpp>

#include "core/handler.h"
#include "fakes/memory/memory_ports.h"

namespace {
namespace json = boost::json;
using namespace twin;

constexpr std::string_view kKey = "bench-api-key-0123456789abcdef";

core::Config bench_config(bool use_queue) {
  core::Config config;
  config.api_key = std::string(kKey);
  config.webhook_queue_enabled = use_queue;
  return config;
}

// Members are built in declaration order: the handler takes its copy of `config` after it is
// complete (an earlier version set it in the constructor body, after the handler had copied an
// empty one, and measured the 403 path).
struct Bench {
  explicit Bench(bool use_queue) : config(bench_config(use_queue)) {
    logger->set_level(spdlog::level::info);
  }
  core::Config config;
  fakes::ManualClock clock{1'767'225'600'000'000};
  fakes::SeededIdSource ids{7};
  fakes::MemoryQueue queue{ids};
  fakes::MemoryRegistrationStore registrations;
  fakes::MemoryIdempotencyStore idempotency;
  fakes::MemoryMessenger messenger;
  std::shared_ptr<spdlog::logger> logger =
      core::make_json_logger("core", std::make_shared<spdlog::sinks::null_sink_st>());
  core::Handler handler{
      config, {clock, ids, queue, registrations, idempotency, messenger}, core::Log(logger, clock)};
};

// The body as a client writes it (JSON.stringify, requests): Boost.JSON would write 27.5 as
// 2.75E1, which no client sends.
constexpr std::string_view kRegistrationBody =
    R"({"player_first_name":"John","player_last_name":"Smith","team_name":"Panthers",)"
    R"("age_group":"u11s","manager_full_name":"Alex Manager",)"
    R"("current_registration_season":"2025-26","parent_first_name":"Jane",)"
    R"("parent_last_name":"Smith","parent_tel":"+447700900123",)"
    R"("membership_fee_amount":"45.00","subscription_fee_amount":27.5})";

// Stops the benchmark when the handler did not take the path it is meant to measure.
bool answered(benchmark::State& state, const core::Result<std::string>& out,
              std::string_view expected) {
  if (out.is_ok() && out->find(expected) != std::string::npos) return true;
  state.SkipWithError("the handler did not answer as the benchmark expects");
  return false;
}

std::string proxy_event_json(std::string resource, std::string body, core::StringPairs headers) {
  core::ProxyEvent e;
  e.resource = e.path = resource;
  e.http_method = "POST";
  e.headers = std::move(headers);
  e.request_context.path = "/prod" + resource;
  e.request_context.stage = "prod";
  e.body = std::move(body);
  return json::serialize(core::to_json(e));
}

// A retried registration: the full parse/validate/lookup path without the store growing.
void BM_TriggerValid(benchmark::State& state) {
  Bench b(false);
  std::string body(kRegistrationBody);
  std::string event = proxy_event_json("/trigger", body, {{"x-api-key", std::string(kKey)}});
  if (!answered(state, b.handler.invoke(event), R"("statusCode":200)")) return;
  for (auto _ : state) {
    auto out = b.handler.invoke(event);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["event_bytes"] = static_cast<double>(event.size());
}
BENCHMARK(BM_TriggerValid);

// The same request without the JSON edges: the handler on an already-read ProxyEvent, returning
// a ProxyResponse. This is the work a Python handler does after the Lambda runtime has turned
// the event into a dict, so it is the like-for-like figure against the seed.
void BM_TriggerHandleProxy(benchmark::State& state) {
  Bench b(false);
  core::ProxyEvent event;
  event.resource = event.path = "/trigger";
  event.http_method = "POST";
  event.headers = {{"x-api-key", std::string(kKey)}};
  event.request_context.path = "/prod/trigger";
  event.request_context.stage = "prod";
  event.body = kRegistrationBody;
  if (b.handler.handle_proxy(event).status_code != 200) {
    state.SkipWithError("the handler did not answer 200");
    return;
  }
  for (auto _ : state) {
    core::ProxyResponse out = b.handler.handle_proxy(event);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TriggerHandleProxy);

void BM_WebhookEnqueue(benchmark::State& state) {
  auto b = std::make_unique<Bench>(true);
  std::string event = proxy_event_json(
      "/webhook",
      "MessageSid=SM0123456789abcdef0123456789abcdef&From=whatsapp%3A%2B447700900123&To="
      "whatsapp%3A%2B14155238886&Body=Yes",
      {{"Content-Type", "application/x-www-form-urlencoded"}});
  if (!answered(state, b->handler.invoke(event), "<Response/>") ||
      b->queue.messages().size() != 1) {
    state.SkipWithError("the webhook was not queued");
    return;
  }
  for (auto _ : state) {
    auto out = b->handler.invoke(event);
    benchmark::DoNotOptimize(out);
    if (b->queue.messages().size() > 100'000) {  // keep memory bounded on long runs
      state.PauseTiming();
      b = std::make_unique<Bench>(true);
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["event_bytes"] = static_cast<double>(event.size());
}
BENCHMARK(BM_WebhookEnqueue);

// Ten new messages per batch (distinct MessageSids, so each is really processed).
void BM_SqsBatch(benchmark::State& state) {
  Bench b(false);
  const int batch = static_cast<int>(state.range(0));
  std::vector<std::string> events;
  for (int k = 0; k < 1000; ++k) {
    core::SqsEvent e;
    for (int i = 0; i < batch; ++i) {
      core::SqsRecord r;
      r.message_id = "m" + std::to_string(k * batch + i);
      r.body = json::serialize(json::object{{"MessageSid", "SM" + std::to_string(k * batch + i)},
                                            {"From", "whatsapp:+447700900123"},
                                            {"To", "whatsapp:+14155238886"},
                                            {"Body", "ok"}});
      e.records.push_back(std::move(r));
    }
    events.push_back(json::serialize(core::to_json(e)));
  }
  std::size_t k = 0;
  core::Result<std::string> out = std::string();
  for (auto _ : state) {
    out = b.handler.invoke(events[k % events.size()]);
    benchmark::DoNotOptimize(out);
    if (++k % events.size() == 0) b.clock.advance(25LL * 3600 * 1'000'000);  // expire records
  }
  if (!answered(state, out, R"({"batchItemFailures":[]})")) return;
  state.SetItemsProcessed(state.iterations() * batch);
}
BENCHMARK(BM_SqsBatch)->Arg(10)->ArgName("batch");

}  // namespace

BENCHMARK_MAIN();
