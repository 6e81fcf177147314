#include "sim/scheduler.h"

#include <algorithm>
#include <utility>

namespace twin::sim {

void Scheduler::at(core::TimeUs when, Callback fn) {
  heap_.push_back(Event{std::max(when, now_), next_sequence_++, std::move(fn)});
  std::push_heap(heap_.begin(), heap_.end(), later);
}

Scheduler::Stop Scheduler::run_until(core::TimeUs end, std::uint64_t max_events) {
  std::uint64_t ran = 0;
  while (!heap_.empty()) {
    if (heap_.front().when > end) {
      now_ = std::max(now_, end);
      return Stop::kReachedEnd;
    }
    if (ran == max_events) return Stop::kEventBound;
    std::pop_heap(heap_.begin(), heap_.end(), later);
    Event event = std::move(heap_.back());
    heap_.pop_back();
    now_ = event.when;
    ++ran;
    ++executed_;
    event.fn();
  }
  now_ = std::max(now_, end);
  return Stop::kSettled;
}

}  // namespace twin::sim
