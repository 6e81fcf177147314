// Messenger: outbound WhatsApp messages (Twilio's Messages API in production).
//
// Contract
// - send_invitation() returns OK once the provider accepted the message. A non-OK status means
//   it was not sent; the handler leaves the registration marked "invitation not sent" so that a
//   client retry sends it then.
// - Idempotent on registration_id (production passes it to the provider as the idempotency key):
//   once an invitation for a registration was accepted, another call for the same registration
//   returns OK and sends nothing. So a retry after the send succeeded but recording it failed
//   never reaches the parent twice.
#pragma once

#include <string>

#include "core/status.h"

namespace twin::core {

struct Invitation {
  std::string registration_id;
  std::string to;    // "whatsapp:+447700900123"
  std::string body;  // the text the parent receives
};

class Messenger {
 public:
  virtual ~Messenger() = default;
  virtual Status send_invitation(const Invitation& invitation) = 0;
};

class ForwardingMessenger : public Messenger {
 public:
  explicit ForwardingMessenger(Messenger& target) : target_(target) {}
  Status send_invitation(const Invitation& invitation) override {
    return target_.send_invitation(invitation);
  }

 private:
  Messenger& target_;
};

}  // namespace twin::core
