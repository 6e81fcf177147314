// Crash tests: a child process works as fast as it can and reports each acknowledged operation
// on a pipe; the parent SIGKILLs it at a seeded random moment, reopens the database and checks
// that every acknowledged send is there exactly once and every acknowledged delete is gone.
// The first child only sends; the second sends, receives and deletes. Set TWIN_CRASH_SEED to
// replay a run.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "fakes/memory/manual_executor.h"
#include "fakes/memory/memory_ports.h"
#include "fakes/sqs/sqs_service.h"
#include "tests/fakes/sqs_fixture.h"

namespace twin::fakes::sqs {
namespace {

constexpr int kKills = 24;
constexpr std::uint64_t kLinesBeforeKillMax = 400;
constexpr std::uint64_t kDefaultSeed = 20260101;
constexpr std::size_t kLine = 38;  // a tag ('S', 'R' or 'D'), a UUID and '\n': one atomic write
constexpr core::DurationUs kRoundSpacing = 13 * core::kMicrosPerHour;  // > 12 h visibility

std::uint64_t splitmix(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

void report(int fd, char tag, const std::string& message_id) {
  std::string line = tag + message_id + "\n";
  if (write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(5);
}

// The first child: sends as fast as it can, reporting each acknowledged send ("S").
[[noreturn]] void child_sends(SqsService& sqs, const std::string& url, int fd) {
  for (std::uint64_t i = 0;; ++i) {
    auto sent = sqs.send_message({url, "message " + std::to_string(i), {}, {}, {}, {}, {}});
    if (!sent.is_ok()) _exit(4);
    report(fd, 'S', sent->message_id);
  }
}

// The second child: send, receive, delete, in a loop, reporting each acknowledged send ("S"),
// each message it is about to delete ("R") and each acknowledged delete ("D").
[[noreturn]] void child_cycles(SqsService& sqs, const std::string& url, int fd) {
  for (std::uint64_t i = 0;; ++i) {
    auto sent = sqs.send_message({url, "cycle " + std::to_string(i), {}, {}, {}, {}, {}});
    if (!sent.is_ok()) _exit(4);
    report(fd, 'S', sent->message_id);
    ReceiveMessageRequest r;
    r.queue_url = url;
    auto got = sqs.receive_message(r);
    if (!got.is_ok()) _exit(6);
    for (const auto& m : got->messages) {
      report(fd, 'R', m.message_id);  // a delete may now be under way when the kill lands
      if (!sqs.delete_message({url, m.receipt_handle}).is_ok()) _exit(7);
      report(fd, 'D', m.message_id);
    }
  }
}

// One crash-test run: a file database with one queue, driven by one seed.
class CrashRun {
 public:
  CrashRun(const std::string& name, std::uint64_t default_seed) : seed_(default_seed) {
    if (const char* env = std::getenv("TWIN_CRASH_SEED")) seed_ = std::strtoull(env, nullptr, 10);
    rng_ = seed_;
    dir_ = std::filesystem::temp_directory_path() /
           ("twin_sqs_" + name + "_" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    options_.database.path = (dir_ / "sqs.db").string();
    ManualExecutor executor(kStartUs);
    SeededIdSource ids(seed_);
    auto sqs = SqsService::open(options_, executor, ids);
    EXPECT_TRUE(sqs.is_ok()) << sqs.status().to_string();
    if (!sqs.is_ok()) return;
    auto created = (*sqs)->create_queue({name, {{"MessageRetentionPeriod", "1209600"}}, {}});
    EXPECT_TRUE(created.is_ok());
    if (created.is_ok()) url_ = created->queue_url;
  }
  ~CrashRun() { std::filesystem::remove_all(dir_); }

  std::uint64_t seed() const { return seed_; }
  const std::string& url() const { return url_; }

  // Forks a child that opens the database at the round's time and runs `work`; SIGKILLs it
  // after a seeded number of reported lines, hands every line reported before the kill landed
  // to `on_line`, and returns whether the child died of the kill.
  template <typename Work, typename OnLine>
  bool kill_round(int round, Work work, OnLine on_line) {
    std::size_t lines_before_kill = 1 + splitmix(rng_) % kLinesBeforeKillMax;
    int fds[2];
    if (pipe(fds) != 0) return false;
    pid_t pid = fork();
    if (pid < 0) return false;
    if (pid == 0) {
      close(fds[0]);
      ManualExecutor executor(round_start(round));
      SeededIdSource ids(seed_ * 1000 + static_cast<std::uint64_t>(round) + 1);
      auto sqs = SqsService::open(options_, executor, ids);
      if (!sqs.is_ok()) _exit(3);
      work(**sqs, url_, fds[1]);
    }
    close(fds[1]);
    std::string buffer;
    char chunk[4096];
    std::size_t lines = 0;
    bool killed = false;
    for (;;) {
      if (!killed && lines >= lines_before_kill) {
        kill(pid, SIGKILL);
        killed = true;
      }
      ssize_t n = read(fds[0], chunk, sizeof chunk);
      if (n <= 0) break;
      buffer.append(chunk, static_cast<std::size_t>(n));
      for (; buffer.size() >= kLine; ++lines) {
        on_line(buffer[0], buffer.substr(1, kLine - 2));
        buffer.erase(0, kLine);
      }
    }
    int status = 0;
    waitpid(pid, &status, 0);
    close(fds[0]);
    return killed && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  }

  // Reopens the database after a round and receives everything (12 h visibility), counting
  // each message id.
  std::map<std::string, int> drain(int round) {
    ManualExecutor executor(round_start(round) + kRoundSpacing / 2);
    SeededIdSource ids(1);
    auto sqs = SqsService::open(options_, executor, ids);
    EXPECT_TRUE(sqs.is_ok()) << sqs.status().to_string();
    std::map<std::string, int> seen;
    if (!sqs.is_ok()) return seen;
    for (;;) {
      ReceiveMessageRequest r;
      r.queue_url = url_;
      r.max_number_of_messages = 10;
      r.visibility_timeout = kVisibilityTimeoutSecondsMax;
      auto got = (*sqs)->receive_message(r);
      EXPECT_TRUE(got.is_ok()) << got.status().to_string();
      if (!got.is_ok() || got->messages.empty()) break;
      for (const auto& m : got->messages) ++seen[m.message_id];
    }
    return seen;
  }

 private:
  static core::TimeUs round_start(int round) { return kStartUs + round * kRoundSpacing; }

  std::uint64_t seed_;
  std::uint64_t rng_ = 0;
  std::filesystem::path dir_;
  SqsOptions options_;
  std::string url_;
};

TEST(SqsCrash, EveryAcknowledgedSendSurvivesSigkill) {
  CrashRun run("crash", kDefaultSeed);
  SCOPED_TRACE("replay with TWIN_CRASH_SEED=" + std::to_string(run.seed()));
  ASSERT_FALSE(run.url().empty());
  std::set<std::string> acked;
  for (int round = 0; round < kKills; ++round) {
    SCOPED_TRACE("kill " + std::to_string(round));
    ASSERT_TRUE(run.kill_round(round, child_sends,
                               [&](char, std::string id) { acked.insert(std::move(id)); }));
    auto seen = run.drain(round);
    for (const auto& id : acked)
      ASSERT_TRUE(seen.contains(id)) << "acknowledged message lost: " << id;
    for (const auto& [id, count] : seen) ASSERT_EQ(count, 1) << "message twice: " << id;
  }
}

TEST(SqsCrash, AcknowledgedSendsAndDeletesSurviveSigkillMidCycle) {
  CrashRun run("cycle", kDefaultSeed + 1);
  SCOPED_TRACE("replay with TWIN_CRASH_SEED=" + std::to_string(run.seed()));
  ASSERT_FALSE(run.url().empty());
  std::set<std::string> sent, about_to_delete, deleted;
  for (int round = 0; round < kKills; ++round) {
    SCOPED_TRACE("kill " + std::to_string(round));
    ASSERT_TRUE(run.kill_round(round, child_cycles, [&](char tag, std::string id) {
      (tag == 'S' ? sent : tag == 'R' ? about_to_delete : deleted).insert(std::move(id));
    }));
    auto seen = run.drain(round);
    for (const auto& id : deleted)
      ASSERT_FALSE(seen.contains(id)) << "deleted message back: " << id;
    std::size_t unsettled = 0;  // deletes the kill interrupted: either outcome is correct
    for (const auto& id : sent) {
      if (deleted.contains(id)) continue;
      if (about_to_delete.contains(id)) {
        ++unsettled;
        continue;
      }
      ASSERT_TRUE(seen.contains(id)) << "acknowledged message lost: " << id;
    }
    ASSERT_LE(unsettled, static_cast<std::size_t>(round) + 1);  // at most one per kill
    for (const auto& [id, count] : seen) ASSERT_EQ(count, 1) << "message twice: " << id;
  }
}

}  // namespace
}  // namespace twin::fakes::sqs
