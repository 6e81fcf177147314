// Scheduler: the simulator's virtual clock and its one queue of events, as core's Executor.
//
// Events run in (time, scheduling order) order: two callbacks due at the same instant run in
// the order at() was called for them, whatever their captures or addresses. now() is the time
// of the event being run (or the time the run stopped at), never the wall clock, and never goes
// backwards: an event scheduled in the past runs at now(), after what is already due.
//
// Advance-and-settle: run_until(end) jumps from event to event, running each, and stops when
// the next event is after `end` (now() is then `end`) or the queue is empty; an event bound
// stops a run that does not settle (a callback that keeps rescheduling itself at the same
// instant, say) and reports it, instead of spinning forever.
//
// Storage is a binary heap of (time, sequence, slot) over a pool of callback slots that are
// reused, so at() and each step are O(log n) with no allocation in the steady state beyond
// std::function's own (captures up to two pointers fit inline).
// Single-threaded; owned by the replay that drives it.
#pragma once

#include <cstdint>
#include <vector>

#include "core/ports/clock.h"

namespace twin::sim {

class Scheduler : public core::Executor {
 public:
  explicit Scheduler(core::TimeUs start) : now_(start) {}

  core::TimeUs now() const override { return now_; }
  void at(core::TimeUs when, Callback fn) override;

  enum class Stop { kSettled, kReachedEnd, kEventBound };
  // Runs events due at or before `end`, at most `max_events` of them. kSettled: the queue is
  // empty (now() == max(now(), end)); kReachedEnd: the next event is after `end` (now() ==
  // max(now(), end)); kEventBound: the bound was hit with events still due by `end` (now() is
  // the last event's time).
  Stop run_until(core::TimeUs end, std::uint64_t max_events);

  std::size_t pending() const { return heap_.size(); }
  std::uint64_t executed() const { return executed_; }
  // The time of the next event; only when pending() > 0.
  core::TimeUs next_time() const { return heap_.front().when; }

 private:
  // The heap holds small trivially copyable entries; the callbacks stay put in slots_, so a
  // sift moves 24 bytes instead of a std::function.
  struct Entry {
    core::TimeUs when;
    std::uint64_t sequence;
    std::uint32_t slot;
  };
  // std::*_heap build a max-heap; "later" puts the earliest (time, sequence) at the front.
  static bool later(const Entry& a, const Entry& b) {
    return a.when != b.when ? a.when > b.when : a.sequence > b.sequence;
  }

  core::TimeUs now_;
  std::uint64_t next_sequence_ = 0;
  std::uint64_t executed_ = 0;
  std::vector<Entry> heap_;
  std::vector<Callback> slots_;
  std::vector<std::uint32_t> free_slots_;
};

}  // namespace twin::sim
