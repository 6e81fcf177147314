#include "sim/http/live_executor.h"

#include <utility>

namespace twin::sim::http {

LiveExecutor::LiveExecutor(boost::asio::io_context& io)
    : io_(io),
      timer_(io),
      // The one read of the wall clock in the project: live mode is the real world.
      epoch_us_(std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count()),
      steady_start_(std::chrono::steady_clock::now()) {}

core::TimeUs LiveExecutor::now() const {
  auto elapsed = std::chrono::steady_clock::now() - steady_start_;
  return epoch_us_ + std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count();
}

void LiveExecutor::at(core::TimeUs when, Callback fn) {
  queue_.emplace(std::make_pair(when, next_sequence_++), std::move(fn));
  arm();
}

void LiveExecutor::arm() {
  if (queue_.empty()) return;
  const core::TimeUs first = queue_.begin()->first.first;
  if (armed_for_ >= 0 && armed_for_ <= first) return;  // an earlier or equal wake-up is set
  armed_for_ = first;
  const auto delay = std::chrono::microseconds(std::max<core::TimeUs>(0, first - now()));
  timer_.expires_after(delay);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec == boost::asio::error::operation_aborted) return;
    armed_for_ = -1;
    run_due();
  });
}

void LiveExecutor::run_due() {
  // Run what is due now, in (time, sequence) order; callbacks scheduled meanwhile for a time
  // already past run in this pass too, after those scheduled before them.
  while (!queue_.empty() && queue_.begin()->first.first <= now()) {
    auto node = queue_.extract(queue_.begin());
    node.mapped()();
  }
  arm();
}

void LiveExecutor::cancel_all() {
  queue_.clear();
  timer_.cancel();
  armed_for_ = -1;
}

}  // namespace twin::sim::http
