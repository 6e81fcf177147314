// Clock and Executor: the only source of time in twin.
//
// Contract
// - Time is integer microseconds since the Unix epoch (TimeUs). No component reads the wall
//   clock on its own: in `twin replay` time is the simulator's virtual clock, in `twin serve` a
//   real clock, in tests a manual clock advanced by hand.
// - now() never goes backwards.
// - Executor::at(when, fn) runs fn once, on the executor's single thread, at `when` or as soon
//   after as the executor gets to it. Callbacks due at the same instant run in the order they
//   were scheduled. A time in the past means "as soon as possible", never "now, re-entrantly":
//   at() never runs fn before returning.
// - Everything driven by an executor runs on its one thread; nothing here takes a lock.
#pragma once

#include <cstdint>
#include <functional>

namespace twin::core {

using TimeUs = std::int64_t;      // microseconds since 1970-01-01T00:00:00Z
using DurationUs = std::int64_t;  // a span of microseconds

inline constexpr DurationUs kMicrosPerMilli = 1'000;
inline constexpr DurationUs kMicrosPerSecond = 1'000'000;
inline constexpr DurationUs kMicrosPerHour = 3'600 * kMicrosPerSecond;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimeUs now() const = 0;
};

class Executor : public Clock {
 public:
  using Callback = std::function<void()>;
  // Schedules fn to run at `when` (see the contract above).
  virtual void at(TimeUs when, Callback fn) = 0;
};

}  // namespace twin::core
