// MessageSink: the outbound side of Twilio (the Messages API) as core's Messenger port. It
// records every invitation accepted, with the virtual time and a message SID, and can refuse
// sends the way the provider does: a rate limit (a token bucket on the executor's clock:
// rate_limit_mps messages per second, burst_limit at once; over it -> kResourceExhausted, as
// Twilio's 429 error 20429) and injected failures (the next N sends, or every send inside a
// time window -> the configured Status, kUnavailable by default, like a Twilio 503).
//
// Order of checks per send: a registration already accepted returns OK and sends nothing (the
// port's idempotency contract; it uses no rate and no injected failure), then injected
// failures, then the rate limit. A refused send leaves nothing recorded, so the retry sends it.
//
// Owned by the test or the simulator; single-threaded on the executor. Message bodies and
// numbers are recorded (they are what tests check); no secret passes through here.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/ports/clock.h"
#include "core/ports/id_source.h"
#include "core/ports/messenger.h"
#include "fakes/apigw/token_bucket.h"

namespace twin::fakes::twilio {

struct MessageSinkOptions {
  std::optional<double> rate_limit_mps;  // none: no limit
  std::int64_t burst_limit = 1;
};

struct SentMessage {
  core::Invitation invitation;
  std::string message_sid;
  core::TimeUs sent_at = 0;
};

class MessageSink : public core::Messenger {
 public:
  MessageSink(const core::Executor& clock, core::IdSource& ids, MessageSinkOptions options = {});

  core::Status send_invitation(const core::Invitation& invitation) override;

  // Fails the next `count` sends (that are not duplicates) with `status`.
  void fail_next(int count, core::Status status = default_failure());
  // Fails every send at a time in [start, end).
  void fail_between(core::TimeUs start, core::TimeUs end, core::Status status = default_failure());
  static core::Status default_failure();

  const std::vector<SentMessage>& sent() const { return sent_; }
  std::int64_t attempts() const { return attempts_; }
  std::int64_t rate_limited() const { return rate_limited_; }
  std::int64_t failed() const { return failed_; }

 private:
  const core::Executor& clock_;
  core::IdSource& ids_;
  std::optional<apigw::TokenBucket> bucket_;
  std::set<std::string, std::less<>> accepted_;
  std::vector<SentMessage> sent_;
  int fail_next_count_ = 0;
  core::Status fail_next_status_;
  struct Window {
    core::TimeUs start;
    core::TimeUs end;
    core::Status status;
  };
  std::vector<Window> windows_;
  std::int64_t attempts_ = 0;
  std::int64_t rate_limited_ = 0;
  std::int64_t failed_ = 0;
};

}  // namespace twin::fakes::twilio
