#include "sim/scheduler.h"

#include <algorithm>
#include <utility>

namespace twin::sim {

void Scheduler::at(core::TimeUs when, Callback fn) {
  std::uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.push_back(std::move(fn));
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
    slots_[slot] = std::move(fn);
  }
  heap_.push_back(Entry{std::max(when, now_), next_sequence_++, slot});
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
    const Entry entry = heap_.back();
    heap_.pop_back();
    // Move the callback out and free its slot first: it may schedule more events.
    Callback fn = std::move(slots_[entry.slot]);
    slots_[entry.slot] = nullptr;
    free_slots_.push_back(entry.slot);
    now_ = entry.when;
    ++ran;
    ++executed_;
    fn();
  }
  now_ = std::max(now_, end);
  return Stop::kSettled;
}

}  // namespace twin::sim
