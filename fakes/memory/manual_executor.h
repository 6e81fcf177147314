// ManualExecutor: an Executor whose time moves only when a test says so.
//
// Callbacks wait in a queue ordered by (time, scheduling order). advance_to(t) runs every
// callback due at or before t, in that order, setting now() to each callback's time as it runs
// it (never backwards), then leaves now() at t. Callbacks may schedule more callbacks; those due
// by t run in the same call. run_due() runs what is due at now() without moving time.
//
// Owned by the test; single-threaded.
#pragma once

#include <cstdint>
#include <map>
#include <utility>

#include "core/ports/clock.h"

namespace twin::fakes {

class ManualExecutor : public core::Executor {
 public:
  explicit ManualExecutor(core::TimeUs start) : now_(start) {}

  core::TimeUs now() const override { return now_; }
  void at(core::TimeUs when, Callback fn) override;

  // Runs everything due at or before `when` and leaves now() at max(now(), when).
  void advance_to(core::TimeUs when);
  void advance(core::DurationUs d) { advance_to(now_ + d); }
  void run_due() { advance_to(now_); }

  std::size_t pending() const { return queue_.size(); }

 private:
  core::TimeUs now_;
  std::uint64_t next_order_ = 0;
  std::map<std::pair<core::TimeUs, std::uint64_t>, Callback> queue_;
};

}  // namespace twin::fakes
