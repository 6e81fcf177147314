// LiveExecutor: core's Executor on an Asio io_context and the real clock, for `twin serve`.
//
// now() is wall-clock time in microseconds since the epoch, read once at construction and
// advanced by the steady clock from then on, so it never goes backwards when the system clock
// is stepped. at(when, fn) posts fn to the io_context (a time in the past: as soon as possible,
// never re-entrantly) or arms a steady timer for it. Callbacks due at the same instant run in
// the order they were scheduled: the timers' expiries are ordered by (time, sequence) in one
// map, and a single steady timer is armed for the earliest, so Asio's own ordering of equal
// expiries does not matter.
//
// One thread runs the io_context; everything (the fakes, the handler, the sessions) runs on it,
// with no lock. Owned by the server.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <map>

#include "core/ports/clock.h"

namespace twin::sim::http {

class LiveExecutor : public core::Executor {
 public:
  explicit LiveExecutor(boost::asio::io_context& io);

  core::TimeUs now() const override;
  void at(core::TimeUs when, Callback fn) override;

  // Drops every pending callback (at shutdown); their owners are being destroyed.
  void cancel_all();
  std::size_t pending() const { return queue_.size(); }

 private:
  void arm();
  void run_due();

  boost::asio::io_context& io_;
  boost::asio::steady_timer timer_;
  core::TimeUs epoch_us_;
  std::chrono::steady_clock::time_point steady_start_;
  std::uint64_t next_sequence_ = 0;
  std::map<std::pair<core::TimeUs, std::uint64_t>, Callback> queue_;
  core::TimeUs armed_for_ = -1;
};

}  // namespace twin::sim::http
