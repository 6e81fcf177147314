// The Lambda fake and the SQS event source mapping on a manual executor.
//
// BM_EsmBatch/batch:10: ten messages already on an in-memory SQS fake (sent while the timer is
// paused) go through one ESM batch: ReceiveMessage, the SQS event built and serialised, the
// Lambda fake's invoke with core::Handler processing ten queued webhooks (in-memory ports),
// the batch response read and DeleteMessageBatch. The handler's in-memory stores are emptied
// (timer paused) every kBatchesPerStoreReset batches: left to grow, they held every message of
// the run, and the figure grew with the iterations Google Benchmark chose (a std::map and a hash
// table of 150,000 messages after 15,000 batches, a fifth slower than near empty), so it
// measured how long the benchmark ran. BM_LambdaInvoke: one warm invoke round trip
// of a function that echoes its event, through the executor. items/s are messages (EsmBatch)
// and invokes (LambdaInvoke).
#include <benchmark/benchmark.h>
#include <spdlog/sinks/null_sink.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "core/handler.h"
#include "fakes/esm/event_source_mapping.h"
#include "fakes/lambda/lambda_service.h"
#include "fakes/memory/manual_executor.h"
#include "fakes/memory/memory_ports.h"
#include "fakes/sqs/sqs_service.h"

namespace twin {
namespace {

constexpr core::TimeUs kStartUs = 1'767'225'600'000'000;  // 2026-01-01T00:00:00Z
constexpr core::DurationUs kSecond = core::kMicrosPerSecond;

void check(bool ok, const char* what) {
  if (!ok) {
    std::cerr << "lambda_esm_bench: " << what << "\n";
    std::abort();
  }
}

struct Stack {
  Stack() {
    fakes::sqs::SqsOptions options;
    options.database.path = ":memory:";
    auto opened = fakes::sqs::SqsService::open(options, executor, ids);
    check(opened.is_ok(), "cannot open the SQS fake");
    sqs = std::move(*opened);
    auto created = sqs->create_queue({"q", {}, {}});
    check(created.is_ok(), "cannot create the queue");
    url = created->queue_url;
    fakes::lambda::FunctionConfig f;
    f.function_name = "fn";
    f.init_duration_us = 0;
    f.duration = fakes::lambda::DurationModel::fixed(100 * core::kMicrosPerMilli);
    check(lambda.create_function(f, code).is_ok(), "cannot create the function");
    fakes::esm::EventSourceMappingConfig c;
    c.event_source_arn = "arn:aws:sqs:us-east-1:000000000000:q";
    c.function_name = "fn";
    c.function_response_types = {"ReportBatchItemFailures"};
    auto esm_created = fakes::esm::EventSourceMapping::create(c, *sqs, lambda, executor, ids);
    check(esm_created.is_ok(), "cannot create the mapping");
    esm = std::move(*esm_created);
    executor.run_due();
  }

  void send_batch(int n) {
    fakes::sqs::SendMessageBatchRequest req;
    req.queue_url = url;
    for (int i = 0; i < n; ++i) {
      fakes::sqs::SendMessageBatchRequestEntry e;
      e.id = std::to_string(i);
      e.message_body = boost::json::serialize(
          boost::json::object{{"MessageSid", "SM" + std::to_string(next_sid++)},
                              {"From", "whatsapp:+447700900123"},
                              {"To", "whatsapp:+14155238886"},
                              {"Body", "yes"}});
      req.entries.push_back(std::move(e));
    }
    auto sent = sqs->send_message_batch(req);
    check(sent.is_ok() && sent->failed.empty(), "send failed");
  }

  // Empties the handler's registration and idempotency stores, counting the inbound messages
  // they had recorded. Every message has its own MessageSid, so nothing is seen twice after it.
  void empty_stores() {
    inbound_recorded += registrations.inbound().size();
    registrations = fakes::MemoryRegistrationStore{};
    idempotency = fakes::MemoryIdempotencyStore{};
  }
  std::size_t inbound() const { return inbound_recorded + registrations.inbound().size(); }

  fakes::ManualExecutor executor{kStartUs};
  fakes::SeededIdSource ids{7};
  fakes::MemoryQueue queue{ids};
  fakes::MemoryRegistrationStore registrations;
  fakes::MemoryIdempotencyStore idempotency;
  fakes::MemoryMessenger messenger;
  core::Handler handler{
      core::Config{},
      {executor, ids, queue, registrations, idempotency, messenger},
      core::Log(core::make_json_logger("core", std::make_shared<spdlog::sinks::null_sink_mt>()),
                executor)};
  fakes::lambda::HandlerFunctionCode code{handler};
  fakes::lambda::LambdaService lambda{executor, ids, fakes::rng::Rng(1)};
  std::unique_ptr<fakes::sqs::SqsService> sqs;
  std::string url;
  std::unique_ptr<fakes::esm::EventSourceMapping> esm;
  int next_sid = 0;
  std::size_t inbound_recorded = 0;
};

// Up to 10,000 messages in each store.
constexpr std::int64_t kBatchesPerStoreReset = 1'000;

void BM_EsmBatch(benchmark::State& state) {
  const auto batch = static_cast<int>(state.range(0));
  Stack s;
  std::int64_t batches = 0;
  for (auto _ : state) {
    state.PauseTiming();
    if (++batches % kBatchesPerStoreReset == 0) s.empty_stores();
    s.send_batch(batch);
    state.ResumeTiming();
    s.executor.advance(kSecond);
  }
  check(s.esm->metrics().deletes == s.esm->metrics().records, "a batch was not deleted");
  check(s.inbound() == static_cast<std::size_t>(s.next_sid), "a message was lost");
  state.counters["batches"] = static_cast<double>(s.esm->metrics().batches);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * batch);
}
BENCHMARK(BM_EsmBatch)->ArgName("batch")->Arg(10);

class Echo : public fakes::lambda::FunctionCode {
 public:
  core::Result<std::string> run(std::string_view event_json) override {
    return std::string(event_json);
  }
};

void BM_LambdaInvoke(benchmark::State& state) {
  fakes::ManualExecutor executor(kStartUs);
  fakes::SeededIdSource ids(7);
  fakes::lambda::LambdaService lambda(executor, ids, fakes::rng::Rng(1));
  Echo echo;
  fakes::lambda::FunctionConfig f;
  f.function_name = "fn";
  f.duration = fakes::lambda::DurationModel::log_normal(50 * core::kMicrosPerMilli, 0.3);
  check(lambda.create_function(f, echo).is_ok(), "cannot create the function");
  std::int64_t ok = 0;
  for (auto _ : state) {
    lambda.invoke("fn", R"({"resource":"/trigger","httpMethod":"POST"})",
                  [&ok](fakes::lambda::InvokeResult r) {
                    ok += r.kind == fakes::lambda::InvokeResult::Kind::kSuccess;
                  });
    executor.advance(kSecond);
  }
  check(ok == static_cast<std::int64_t>(state.iterations()), "an invoke failed");
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LambdaInvoke);

}  // namespace
}  // namespace twin

BENCHMARK_MAIN();
