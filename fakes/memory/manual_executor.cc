#include "fakes/memory/manual_executor.h"

namespace twin::fakes {

void ManualExecutor::at(core::TimeUs when, Callback fn) {
  // A time in the past means "as soon as possible": it runs at the next advance.
  queue_.emplace(std::make_pair(when < now_ ? now_ : when, next_order_++), std::move(fn));
}

void ManualExecutor::advance_to(core::TimeUs when) {
  while (!queue_.empty() && queue_.begin()->first.first <= when) {
    auto node = queue_.extract(queue_.begin());
    if (node.key().first > now_) now_ = node.key().first;
    node.mapped()();
  }
  if (when > now_) now_ = when;
}

}  // namespace twin::fakes
