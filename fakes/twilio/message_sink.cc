#include "fakes/twilio/message_sink.h"

#include "fakes/twilio/webhook_builder.h"

namespace twin::fakes::twilio {

MessageSink::MessageSink(const core::Executor& clock, core::IdSource& ids,
                         MessageSinkOptions options)
    : clock_(clock), ids_(ids) {
  if (options.rate_limit_mps) {
    bucket_.emplace(apigw::rate_limit_to_milli_rps(*options.rate_limit_mps), options.burst_limit,
                    clock.now());
  }
}

core::Status MessageSink::default_failure() {
  return {core::StatusCode::kUnavailable, "Twilio: 503 Service Unavailable (injected)"};
}

void MessageSink::fail_next(int count, core::Status status) {
  fail_next_count_ = count;
  fail_next_status_ = std::move(status);
}

void MessageSink::fail_between(core::TimeUs start, core::TimeUs end, core::Status status) {
  windows_.push_back({start, end, std::move(status)});
}

core::Status MessageSink::send_invitation(const core::Invitation& invitation) {
  if (accepted_.contains(invitation.registration_id)) return core::Status::ok();
  ++attempts_;
  const core::TimeUs now = clock_.now();
  if (fail_next_count_ > 0) {
    --fail_next_count_;
    ++failed_;
    return fail_next_status_;
  }
  for (const Window& window : windows_) {
    if (now >= window.start && now < window.end) {
      ++failed_;
      return window.status;
    }
  }
  if (bucket_ && !bucket_->try_take(now)) {
    ++rate_limited_;
    return {core::StatusCode::kResourceExhausted, "Twilio: 429 Too Many Requests (error 20429)"};
  }
  accepted_.insert(invitation.registration_id);
  sent_.push_back({invitation, next_message_sid(ids_), now});
  return core::Status::ok();
}

}  // namespace twin::fakes::twilio
