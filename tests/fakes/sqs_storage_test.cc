// Storage failures: when SQLite cannot write (here another connection holds the write lock),
// every operation fails with a retryable status and leaves nothing half done.
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

#include "tests/fakes/sqs_fixture.h"

namespace twin::fakes::sqs {
namespace {

// Another connection holding the database's write lock, as a second process would.
class WriteLock {
 public:
  explicit WriteLock(const std::string& path) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  }
  ~WriteLock() {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
  }

 private:
  sqlite3* db_ = nullptr;
};

// SqsOptions on a database file of its own, in a fresh directory that is removed at the end
// of the test: declared before the service, it outlives it.
class ScratchDatabase {
 public:
  explicit ScratchDatabase(const std::string& name)
      : dir_(std::filesystem::temp_directory_path() / (name + "_" + std::to_string(getpid()))) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    options_.database.path = (dir_ / "sqs.db").string();
  }
  ~ScratchDatabase() { std::filesystem::remove_all(dir_); }
  const SqsOptions& options() const { return options_; }

 private:
  std::filesystem::path dir_;
  SqsOptions options_;
};

TEST(SqsStorage, LockedDatabaseIsUnavailableAndChangesNothing) {
  const ScratchDatabase scratch("twin_sqs_lock");
  const SqsOptions& options = scratch.options();
  ManualExecutor executor(kStartUs);
  SeededIdSource ids(3);
  auto opened = SqsService::open(options, executor, ids);
  ASSERT_TRUE(opened.is_ok()) << opened.status().to_string();
  SqsService& sqs = **opened;
  auto queue = sqs.create_queue({"q", {}, {}});
  ASSERT_TRUE(queue.is_ok());
  const std::string url = queue->queue_url;
  SendMessageRequest send{url, "kept", {}, {}, {}, {}, {}};
  ASSERT_TRUE(sqs.send_message(send).is_ok());
  ReceiveMessageRequest receive;
  receive.queue_url = url;
  receive.attribute_names = {"ApproximateReceiveCount"};
  {
    WriteLock lock(options.database.path);
    auto sent = sqs.send_message({url, "lost?", {}, {}, {}, {}, {}});
    ASSERT_FALSE(sent.is_ok());
    EXPECT_EQ(sent.status().code(), core::StatusCode::kUnavailable) << sent.status().to_string();
    auto got = sqs.receive_message(receive);
    ASSERT_FALSE(got.is_ok());
    EXPECT_EQ(got.status().code(), core::StatusCode::kUnavailable);
    EXPECT_FALSE(sqs.purge_queue({url}).is_ok());
  }
  // The failed calls left nothing behind: one message, never received.
  auto got = sqs.receive_message(receive);
  ASSERT_TRUE(got.is_ok()) << got.status().to_string();
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].body, "kept");
  EXPECT_EQ(got->messages[0].attribute("ApproximateReceiveCount"), "1");
  auto counts = sqs.get_queue_attributes({url, {"ApproximateNumberOfMessagesNotVisible"}});
  ASSERT_TRUE(counts.is_ok());
  EXPECT_EQ(counts->attributes["ApproximateNumberOfMessagesNotVisible"], "1");
}

// A file written before messages held a placeholder in first_receive_at has NULL there for
// messages never received: their first receive still records its time, and later receives
// keep it.
TEST(SqsStorage, MessageOfAnEarlierFileGetsItsFirstReceiveTime) {
  const ScratchDatabase scratch("twin_sqs_first");
  const SqsOptions& options = scratch.options();
  ManualExecutor executor(kStartUs);
  SeededIdSource ids(3);
  auto opened = SqsService::open(options, executor, ids);
  ASSERT_TRUE(opened.is_ok()) << opened.status().to_string();
  auto queue = (*opened)->create_queue({"q", {{"VisibilityTimeout", "30"}}, {}});
  ASSERT_TRUE(queue.is_ok());
  const std::string url = queue->queue_url;
  for (const char* body : {"a", "b", "c"}) {
    ASSERT_TRUE((*opened)->send_message({url, body, {}, {}, {}, {}, {}}).is_ok());
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(options.database.path.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, "UPDATE sqs_messages SET first_receive_at = NULL", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto receive = [&](std::int64_t max) {
    ReceiveMessageRequest r;
    r.queue_url = url;
    r.max_number_of_messages = max;
    r.attribute_names = {"ApproximateFirstReceiveTimestamp", "ApproximateReceiveCount"};
    auto got = (*opened)->receive_message(r);
    EXPECT_TRUE(got.is_ok()) << got.status().to_string();
    return got.is_ok() ? got->messages : std::vector<Message>{};
  };
  executor.advance(kSecond);
  const std::string first = std::to_string((kStartUs + kSecond) / core::kMicrosPerMilli);
  auto got = receive(2);  // a and b, in one UPDATE
  ASSERT_EQ(got.size(), 2u);
  auto one = receive(1);  // c, in the one-row UPDATE
  ASSERT_EQ(one.size(), 1u);
  got.push_back(one[0]);
  executor.advance(30 * kSecond);
  auto again = receive(10);
  ASSERT_EQ(again.size(), 3u);
  for (auto* list : {&got, &again}) {
    for (auto& m : *list) {
      EXPECT_EQ(m.attribute("ApproximateFirstReceiveTimestamp"), first) << m.body;
      EXPECT_EQ(m.attribute("ApproximateReceiveCount"), list == &got ? "1" : "2") << m.body;
    }
  }
}

// The service learns each queue's oldest enqueue time when it opens a file: messages sent by an
// earlier run expire on time, and only those past retention.
TEST(SqsStorage, ReopenedFileExpiresMessagesOfTheEarlierRun) {
  const ScratchDatabase scratch("twin_sqs_reopen");
  const SqsOptions& options = scratch.options();
  ManualExecutor executor(kStartUs);
  SeededIdSource ids(3);
  std::string url;
  {
    auto opened = SqsService::open(options, executor, ids);
    ASSERT_TRUE(opened.is_ok()) << opened.status().to_string();
    auto queue = (*opened)->create_queue({"q", {{"MessageRetentionPeriod", "60"}}, {}});
    ASSERT_TRUE(queue.is_ok());
    url = queue->queue_url;
    ASSERT_TRUE((*opened)->create_queue({"empty", {}, {}}).is_ok());
    ASSERT_TRUE((*opened)->send_message({url, "old", {}, {}, {}, {}, {}}).is_ok());
    executor.advance(30 * kSecond);
    ASSERT_TRUE((*opened)->send_message({url, "young", {}, {}, {}, {}, {}}).is_ok());
  }
  executor.advance(31 * kSecond);  // t0 + 61: "old" is past retention, "young" is not
  auto reopened = SqsService::open(options, executor, ids);
  ASSERT_TRUE(reopened.is_ok()) << reopened.status().to_string();
  ReceiveMessageRequest receive;
  receive.queue_url = url;
  receive.max_number_of_messages = 10;
  receive.visibility_timeout = 0;
  auto got = (*reopened)->receive_message(receive);
  ASSERT_TRUE(got.is_ok()) << got.status().to_string();
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].body, "young");
  executor.advance(30 * kSecond);
  got = (*reopened)->receive_message(receive);
  ASSERT_TRUE(got.is_ok()) << got.status().to_string();
  EXPECT_TRUE(got->messages.empty());
}

}  // namespace
}  // namespace twin::fakes::sqs
