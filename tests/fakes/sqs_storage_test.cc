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

TEST(SqsStorage, LockedDatabaseIsUnavailableAndChangesNothing) {
  auto dir = std::filesystem::temp_directory_path() / ("twin_sqs_lock_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  SqsOptions options;
  options.database.path = (dir / "sqs.db").string();
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
  EXPECT_EQ(got->messages[0].attributes["ApproximateReceiveCount"], "1");
  auto counts = sqs.get_queue_attributes({url, {"ApproximateNumberOfMessagesNotVisible"}});
  ASSERT_TRUE(counts.is_ok());
  EXPECT_EQ(counts->attributes["ApproximateNumberOfMessagesNotVisible"], "1");
  opened->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace twin::fakes::sqs
