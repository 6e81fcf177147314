// RegistrationStore: registrations and the inbound messages that answered them.
//
// Contract
// - insert() fails with kAlreadyExists when a registration with the same natural key
//   (registration_natural_key) exists; find_by_natural_key() finds it.
// - update() replaces the stored record with the same registration_id (kNotFound otherwise).
// - mark_replied(tel, received_at, now) moves every *pending* registration with this parent
//   phone created at or before received_at (the time the reply reached the webhook) to kReplied,
//   stamps it `now`, and returns how many it moved; calling it again moves none (idempotent). A
//   reply can only answer an invitation that existed when it arrived, so an old message
//   redelivered after its idempotency record expired never marks a newer registration.
// - record_inbound() stores an inbound message once per message_sid; a second call with the
//   same sid is OK and changes nothing (idempotent).
// - Transient storage failures are kUnavailable; the caller reports them so the work is retried.
// - Not thread-safe; one executor thread owns it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/registration.h"
#include "core/status.h"

namespace twin::core {

struct InboundMessage {
  std::string message_sid;
  std::string from;  // "whatsapp:+447700900123"
  std::string to;
  std::string body;
  TimeUs received_at_us = 0;
};

class RegistrationStore {
 public:
  virtual ~RegistrationStore() = default;
  virtual Result<std::optional<Registration>> find_by_natural_key(std::string_view key) = 0;
  virtual Status insert(const Registration& registration) = 0;
  virtual Status update(const Registration& registration) = 0;
  virtual Result<int> mark_replied(std::string_view parent_tel, TimeUs received_at, TimeUs now) = 0;
  virtual Status record_inbound(const InboundMessage& message) = 0;
};

class ForwardingRegistrationStore : public RegistrationStore {
 public:
  explicit ForwardingRegistrationStore(RegistrationStore& target) : target_(target) {}
  Result<std::optional<Registration>> find_by_natural_key(std::string_view key) override {
    return target_.find_by_natural_key(key);
  }
  Status insert(const Registration& registration) override { return target_.insert(registration); }
  Status update(const Registration& registration) override { return target_.update(registration); }
  Result<int> mark_replied(std::string_view parent_tel, TimeUs received_at, TimeUs now) override {
    return target_.mark_replied(parent_tel, received_at, now);
  }
  Status record_inbound(const InboundMessage& message) override {
    return target_.record_inbound(message);
  }

 private:
  RegistrationStore& target_;
};

}  // namespace twin::core
