// The scheduler's contract (sim/scheduler.h): (time, scheduling order), the past as "now, after
// what is due", and the three ways run_until stops.
#include "sim/scheduler.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace twin::sim {
namespace {

constexpr core::TimeUs kStart = 1'000'000;
constexpr std::uint64_t kNoBound = 1'000'000;

// What ran, and when: "name@time".
class Log {
 public:
  explicit Log(const Scheduler& s) : s_(s) {}
  core::Executor::Callback note(std::string name) {
    return [this, name = std::move(name)] {
      entries_.push_back(name + "@" + std::to_string(s_.now()));
    };
  }
  const std::vector<std::string>& entries() const { return entries_; }

 private:
  const Scheduler& s_;
  std::vector<std::string> entries_;
};

TEST(Scheduler, RunsEventsByTimeThenSchedulingOrder) {
  Scheduler s(kStart);
  Log log(s);
  s.at(kStart + 30, log.note("c"));
  s.at(kStart + 10, log.note("a1"));
  s.at(kStart + 20, log.note("b"));
  s.at(kStart + 10, log.note("a2"));
  EXPECT_EQ(s.pending(), 4u);
  EXPECT_EQ(s.next_time(), kStart + 10);
  EXPECT_EQ(s.run_until(kStart + 100, kNoBound), Scheduler::Stop::kSettled);
  EXPECT_EQ(log.entries(),
            (std::vector<std::string>{"a1@1000010", "a2@1000010", "b@1000020", "c@1000030"}));
  EXPECT_EQ(s.executed(), 4u);
}

TEST(Scheduler, SameInstantEventsRunInSchedulingOrder) {
  Scheduler s(kStart);
  Log log(s);
  // Enough events that the heap reorders them internally; the sequence number still decides.
  std::vector<std::string> expected;
  for (int i = 0; i < 50; ++i) {
    s.at(kStart + 5, log.note(std::to_string(i)));
    expected.push_back(std::to_string(i) + "@1000005");
  }
  EXPECT_EQ(s.run_until(kStart + 5, kNoBound), Scheduler::Stop::kSettled);
  EXPECT_EQ(log.entries(), expected);
}

TEST(Scheduler, AtNeverRunsTheCallbackBeforeReturning) {
  Scheduler s(kStart);
  bool ran = false;
  s.at(kStart - 500, [&] { ran = true; });
  EXPECT_FALSE(ran);
  EXPECT_EQ(s.next_time(), kStart);  // the past means now
  EXPECT_EQ(s.run_until(kStart, kNoBound), Scheduler::Stop::kSettled);
  EXPECT_TRUE(ran);
}

TEST(Scheduler, AnEventInThePastRunsAtNowAfterWhatIsDue) {
  Scheduler s(kStart);
  Log log(s);
  s.at(kStart + 100, [&] {
    log.note("first")();
    s.at(kStart + 50, log.note("past"));  // 50 us before now
    s.at(kStart + 100, log.note("same instant"));
  });
  s.at(kStart + 100, log.note("already due"));
  s.at(kStart + 101, log.note("later"));
  EXPECT_EQ(s.run_until(kStart + 200, kNoBound), Scheduler::Stop::kSettled);
  EXPECT_EQ(log.entries(),
            (std::vector<std::string>{"first@1000100", "already due@1000100", "past@1000100",
                                      "same instant@1000100", "later@1000101"}));
}

TEST(Scheduler, ReachedEndLeavesNowAtTheEndAndTheLaterEventsPending) {
  Scheduler s(kStart);
  Log log(s);
  s.at(kStart + 10, log.note("a"));
  s.at(kStart + 500, log.note("b"));
  EXPECT_EQ(s.run_until(kStart + 300, kNoBound), Scheduler::Stop::kReachedEnd);
  EXPECT_EQ(s.now(), kStart + 300);
  EXPECT_EQ(s.pending(), 1u);
  EXPECT_EQ(s.next_time(), kStart + 500);
  EXPECT_EQ(log.entries(), std::vector<std::string>{"a@1000010"});
  // An event exactly at `end` is due.
  EXPECT_EQ(s.run_until(kStart + 500, kNoBound), Scheduler::Stop::kSettled);
  EXPECT_EQ(log.entries(), (std::vector<std::string>{"a@1000010", "b@1000500"}));
  EXPECT_EQ(s.now(), kStart + 500);
}

TEST(Scheduler, SettledMovesNowToTheEnd) {
  Scheduler s(kStart);
  Log log(s);
  s.at(kStart + 10, log.note("a"));
  EXPECT_EQ(s.run_until(kStart + 1'000, kNoBound), Scheduler::Stop::kSettled);
  EXPECT_EQ(s.now(), kStart + 1'000);
  EXPECT_EQ(s.pending(), 0u);
  // An empty queue settles at once and still moves the clock.
  EXPECT_EQ(s.run_until(kStart + 2'000, kNoBound), Scheduler::Stop::kSettled);
  EXPECT_EQ(s.now(), kStart + 2'000);
  // An end in the past never moves the clock back.
  EXPECT_EQ(s.run_until(kStart, kNoBound), Scheduler::Stop::kSettled);
  EXPECT_EQ(s.now(), kStart + 2'000);
  EXPECT_EQ(log.entries(), std::vector<std::string>{"a@1000010"});
}

TEST(Scheduler, EventBoundStopsACallbackThatReschedulesItselfAtTheSameInstant) {
  Scheduler s(kStart);
  std::uint64_t runs = 0;
  std::function<void()> spin = [&] {
    ++runs;
    s.at(s.now(), spin);
  };
  s.at(kStart + 7, spin);
  EXPECT_EQ(s.run_until(kStart + 1'000, 1'000), Scheduler::Stop::kEventBound);
  EXPECT_EQ(runs, 1'000u);
  EXPECT_EQ(s.executed(), 1'000u);
  EXPECT_EQ(s.now(), kStart + 7);  // time did not move past the spinning instant
  EXPECT_EQ(s.pending(), 1u);
  // The bound is per run: another run goes on where this one stopped.
  EXPECT_EQ(s.run_until(kStart + 1'000, 10), Scheduler::Stop::kEventBound);
  EXPECT_EQ(s.executed(), 1'010u);
}

TEST(Scheduler, EventBoundIsOnlyReportedWithEventsStillDue) {
  {
    Scheduler s(kStart);
    for (int i = 0; i < 3; ++i) s.at(kStart + i, [] {});
    EXPECT_EQ(s.run_until(kStart + 10, 3), Scheduler::Stop::kSettled);
  }
  {
    Scheduler s(kStart);
    for (int i = 0; i < 3; ++i) s.at(kStart + i, [] {});
    s.at(kStart + 20, [] {});
    EXPECT_EQ(s.run_until(kStart + 10, 3), Scheduler::Stop::kReachedEnd);
    EXPECT_EQ(s.now(), kStart + 10);
  }
  {
    Scheduler s(kStart);
    for (int i = 0; i < 3; ++i) s.at(kStart + i, [] {});
    EXPECT_EQ(s.run_until(kStart + 10, 2), Scheduler::Stop::kEventBound);
    EXPECT_EQ(s.now(), kStart + 1);
    EXPECT_EQ(s.pending(), 1u);
  }
}

TEST(Scheduler, CallbacksScheduleCallbacks) {
  Scheduler s(kStart);
  Log log(s);
  // A chain: each link schedules the next 10 us later, and one more at its own instant, which
  // runs after everything already due then.
  std::function<void(int)> link = [&](int n) {
    log.note("link" + std::to_string(n))();
    s.at(s.now(), log.note("tail" + std::to_string(n)));
    if (n < 3) s.at(s.now() + 10, [&link, n] { link(n + 1); });
  };
  s.at(kStart, [&] { link(1); });
  s.at(kStart + 10, log.note("fixed"));
  EXPECT_EQ(s.run_until(kStart + 100, kNoBound), Scheduler::Stop::kSettled);
  EXPECT_EQ(log.entries(), (std::vector<std::string>{
                               "link1@1000000", "tail1@1000000", "fixed@1000010", "link2@1000010",
                               "tail2@1000010", "link3@1000020", "tail3@1000020"}));
  EXPECT_EQ(s.executed(), 7u);
}

}  // namespace
}  // namespace twin::sim
