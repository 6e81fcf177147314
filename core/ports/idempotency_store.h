// IdempotencyStore: which inbound messages (by Twilio MessageSid) have been processed.
//
// Contract
// - record(key, expires_at) marks key processed until expires_at; recording a live key again
//   is OK and keeps the later expiry.
// - seen(key, now) is true while a record for key exists with expires_at > now. Expired records
//   behave as absent (an implementation may delete them lazily).
// - The handler applies a message's effects (each idempotent itself) before record(), so a crash
//   between the two repeats harmless work instead of losing the message.
// - Transient storage failures are kUnavailable. Not thread-safe.
#pragma once

#include <string_view>

#include "core/ports/clock.h"
#include "core/status.h"

namespace twin::core {

class IdempotencyStore {
 public:
  virtual ~IdempotencyStore() = default;
  virtual Result<bool> seen(std::string_view key, TimeUs now) = 0;
  virtual Status record(std::string_view key, TimeUs expires_at) = 0;
};

class ForwardingIdempotencyStore : public IdempotencyStore {
 public:
  explicit ForwardingIdempotencyStore(IdempotencyStore& target) : target_(target) {}
  Result<bool> seen(std::string_view key, TimeUs now) override { return target_.seen(key, now); }
  Status record(std::string_view key, TimeUs expires_at) override {
    return target_.record(key, expires_at);
  }

 private:
  IdempotencyStore& target_;
};

}  // namespace twin::core
