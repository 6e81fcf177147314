// SQS fake on a file-backed database (WAL, synchronous=NORMAL, in a temp directory): send,
// send->receive->delete cycles one message per call and in batches of 10, with an empty queue
// and with 1,000,000 messages queued, and an empty receive. Figures: benchmarks/README.md.
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "fakes/memory/manual_executor.h"
#include "fakes/memory/memory_ports.h"
#include "fakes/sqs/sqs_service.h"

namespace {

using namespace twin::fakes;
using namespace twin::fakes::sqs;

constexpr twin::core::TimeUs kStartUs = 1'767'225'600'000'000;

struct Bench {
  std::filesystem::path dir;
  std::unique_ptr<ManualExecutor> executor;
  std::unique_ptr<SeededIdSource> ids;
  std::unique_ptr<SqsService> sqs;
  std::string url;
};

// Inserts `count` messages in one transaction straight into the fake's table (the bench knows
// the schema; going through SendMessageBatch would take minutes for a million).
void fill_backlog(const std::string& path, std::int64_t count) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  std::string sql =
      "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
      std::to_string(count) +
      ") INSERT INTO sqs_messages(queue_id, message_id, body, md5_body, sent_at, visible_at) "
      "SELECT 1, printf('%036d', i), 'backlog message ' || i, "
      "'00000000000000000000000000000000', " +
      std::to_string(kStartUs) + ", " + std::to_string(kStartUs) + " FROM n; COMMIT;";
  sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  sqlite3_close(db);
}

std::unique_ptr<Bench> open_bench(std::int64_t backlog) {
  auto b = std::make_unique<Bench>();
  b->dir = std::filesystem::temp_directory_path() /
           ("twin_sqs_bench_" + std::to_string(getpid()) + "_" + std::to_string(backlog));
  std::filesystem::remove_all(b->dir);
  std::filesystem::create_directories(b->dir);
  SqsOptions options;
  options.database.path = (b->dir / "sqs.db").string();
  b->executor = std::make_unique<ManualExecutor>(kStartUs);
  b->ids = std::make_unique<SeededIdSource>(1);
  b->sqs = SqsService::open(options, *b->executor, *b->ids).value();
  b->url = b->sqs->create_queue({"bench", {}, {}})->queue_url;
  if (backlog > 0) {
    b->sqs.reset();
    fill_backlog(options.database.path, backlog);
    b->sqs = SqsService::open(options, *b->executor, *b->ids).value();
  }
  return b;
}

void send_n(Bench& b, int n) {
  if (n == 1) {
    benchmark::DoNotOptimize(b.sqs->send_message({b.url, "hello world", {}, {}, {}, {}, {}}));
    return;
  }
  SendMessageBatchRequest req{b.url, {}};
  for (int i = 0; i < n; ++i) {
    req.entries.push_back({"e" + std::to_string(i), "hello world", {}, {}, {}, {}, {}});
  }
  benchmark::DoNotOptimize(b.sqs->send_message_batch(req));
}

void BM_SqsSend(benchmark::State& state) {
  auto b = open_bench(0);
  int n = static_cast<int>(state.range(0));
  for (auto _ : state) send_n(*b, n);
  state.SetItemsProcessed(state.iterations() * n);
  std::filesystem::remove_all(b->dir);
}
BENCHMARK(BM_SqsSend)->ArgName("batch")->Arg(1)->Arg(10);

// One iteration = send n, receive n, delete n: the queue's backlog stays constant.
void BM_SqsReceiveDelete(benchmark::State& state) {
  int n = static_cast<int>(state.range(0));
  auto b = open_bench(state.range(1));
  ReceiveMessageRequest receive;
  receive.queue_url = b->url;
  receive.max_number_of_messages = n;
  for (auto _ : state) {
    send_n(*b, n);
    auto got = b->sqs->receive_message(receive);
    if (!got.is_ok() || static_cast<int>(got->messages.size()) != n) {
      state.SkipWithError("receive returned too few messages");
      break;
    }
    if (n == 1) {
      benchmark::DoNotOptimize(b->sqs->delete_message({b->url, got->messages[0].receipt_handle}));
    } else {
      DeleteMessageBatchRequest del{b->url, {}};
      for (int i = 0; i < n; ++i) {
        del.entries.push_back({"d" + std::to_string(i), got->messages[i].receipt_handle});
      }
      benchmark::DoNotOptimize(b->sqs->delete_message_batch(del));
    }
  }
  state.SetItemsProcessed(state.iterations() * n);
  std::filesystem::remove_all(b->dir);
}
BENCHMARK(BM_SqsReceiveDelete)
    ->ArgNames({"batch", "backlog"})
    ->Args({1, 0})
    ->Args({10, 0})
    ->Args({1, 1'000'000})
    ->Args({10, 1'000'000});

// ReceiveMessage alone (up to 10, VisibilityTimeout 0 so the backlog never shrinks) on an empty
// queue, on 10 messages and on 1,000,000: the last two return and update the same number of
// messages, so they compare like for like.
void BM_SqsReceive(benchmark::State& state) {
  auto b = open_bench(state.range(0));
  ReceiveMessageRequest receive;
  receive.queue_url = b->url;
  receive.max_number_of_messages = 10;
  receive.visibility_timeout = 0;  // the same messages stay visible: the backlog never shrinks
  for (auto _ : state) benchmark::DoNotOptimize(b->sqs->receive_message(receive));
  std::filesystem::remove_all(b->dir);
}
BENCHMARK(BM_SqsReceive)->ArgName("backlog")->Arg(0)->Arg(10)->Arg(1'000'000);

}  // namespace

BENCHMARK_MAIN();
