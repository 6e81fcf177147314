// SQS fake on a file-backed database (WAL, synchronous=NORMAL, in a temp directory): send,
// send->receive->delete cycles one message per call and in batches of 10, with an empty queue
// and with 1,000,000 messages queued, and receive alone. items/s are messages, except for
// BM_SqsReceive (ReceiveMessage calls). Figures: benchmarks/README.md.
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
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

void check(bool ok, const std::string& what) {
  if (!ok) {
    std::cerr << "sqs_bench: " << what << "\n";
    std::abort();
  }
}

void run_sql(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  std::string message = error != nullptr ? error : "";
  sqlite3_free(error);
  check(rc == SQLITE_OK, "backlog fill: " + message);
}

// Inserts `count` messages in one transaction straight into the fake's table (the bench knows
// the schema; going through SendMessageBatch would take minutes for a million). Nothing else
// has the file open, so it is written without a journal, unsynced, through a cache large
// enough to hold the index pages: the SqsService that opens it afterwards sets WAL again.
void fill_backlog(const std::string& path, std::int64_t count) {
  sqlite3* db = nullptr;
  check(sqlite3_open(path.c_str(), &db) == SQLITE_OK, "cannot open " + path);
  run_sql(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;");
  run_sql(db, "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
                  std::to_string(count) +
                  ") INSERT INTO sqs_messages(queue_id, message_id, body, md5_body, sent_at, "
                  "visible_at) SELECT 1, printf('%036d', i), 'backlog message ' || i, "
                  "'00000000000000000000000000000000', " +
                  std::to_string(kStartUs) + ", " + std::to_string(kStartUs) + " FROM n; COMMIT;");
  sqlite3_close(db);
}

std::filesystem::path fresh_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("twin_sqs_bench_" + std::to_string(getpid()) + "_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

SqsOptions options_for(const std::filesystem::path& dir) {
  SqsOptions options;
  options.database.path = (dir / "sqs.db").string();
  return options;
}

// A database holding the queue "bench" with `backlog` messages, built once per process and
// removed at exit: every run of a benchmark (each repetition calls it again) starts from a
// copy of the file, which takes a fraction of the fill's time.
class BacklogTemplate {
 public:
  static const std::filesystem::path& database(std::int64_t backlog) {
    static std::map<std::int64_t, BacklogTemplate> built;
    auto it = built.find(backlog);
    if (it == built.end()) it = built.emplace(backlog, BacklogTemplate(backlog)).first;
    return it->second.database_;
  }
  BacklogTemplate(BacklogTemplate&& other) noexcept
      : dir_(std::move(other.dir_)), database_(std::move(other.database_)) {
    other.dir_.clear();
  }
  ~BacklogTemplate() {
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }

 private:
  explicit BacklogTemplate(std::int64_t backlog)
      : dir_(fresh_dir("template_" + std::to_string(backlog))) {
    SqsOptions options = options_for(dir_);
    database_ = options.database.path;
    ManualExecutor executor(kStartUs);
    SeededIdSource ids(1);
    {
      auto sqs = SqsService::open(options, executor, ids);
      check(sqs.is_ok(), "cannot open the template database");
      check((*sqs)->create_queue({"bench", {}, {}}).is_ok(), "cannot create the queue");
    }  // closed: the WAL is checkpointed into the file
    fill_backlog(database_.string(), backlog);
  }
  std::filesystem::path dir_;
  std::filesystem::path database_;
};

std::unique_ptr<Bench> open_bench(std::int64_t backlog) {
  auto b = std::make_unique<Bench>();
  b->dir = fresh_dir(std::to_string(backlog));
  SqsOptions options = options_for(b->dir);
  if (backlog > 0) {
    std::filesystem::copy_file(BacklogTemplate::database(backlog), options.database.path);
  }
  b->executor = std::make_unique<ManualExecutor>(kStartUs);
  b->ids = std::make_unique<SeededIdSource>(1);
  auto sqs = SqsService::open(options, *b->executor, *b->ids);
  check(sqs.is_ok(), "cannot open the SQS fake");
  b->sqs = std::move(*sqs);
  auto created = b->sqs->create_queue({"bench", {}, {}});  // the existing queue's URL if copied
  check(created.is_ok(), "cannot create the queue");
  b->url = created->queue_url;
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
// messages, so they compare like for like. items/s are ReceiveMessage calls.
void BM_SqsReceive(benchmark::State& state) {
  const std::int64_t backlog = state.range(0);
  auto b = open_bench(backlog);
  ReceiveMessageRequest receive;
  receive.queue_url = b->url;
  receive.max_number_of_messages = 10;
  receive.visibility_timeout = 0;  // the same messages stay visible: the backlog never shrinks
  auto first = b->sqs->receive_message(receive);
  if (!first.is_ok() ||
      static_cast<std::int64_t>(first->messages.size()) != std::min<std::int64_t>(backlog, 10)) {
    state.SkipWithError("receive did not return min(backlog, 10) messages");
  } else {
    for (auto _ : state) benchmark::DoNotOptimize(b->sqs->receive_message(receive));
    state.SetItemsProcessed(state.iterations());
  }
  std::filesystem::remove_all(b->dir);
}
BENCHMARK(BM_SqsReceive)->ArgName("backlog")->Arg(0)->Arg(10)->Arg(1'000'000);

}  // namespace

BENCHMARK_MAIN();
