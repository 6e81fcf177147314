// Queue: the webhook queue, as seen by the handler (SQS SendMessage, nothing more).
//
// Contract
// - send() returns OK only when the message is durably accepted: after an OK it will be
//   delivered at least once. Any other status means it may not have been accepted, and the
//   caller must make the sender retry (the handler answers Twilio 500).
// - The body is UTF-8 text within SQS's limits; the handler only sends small JSON documents.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace twin::core {

class Queue {
 public:
  virtual ~Queue() = default;
  // On success, the queue's MessageId.
  virtual Result<std::string> send(std::string_view body) = 0;
};

// Forwards every call to another Queue; a fault-injecting test double overrides one method.
class ForwardingQueue : public Queue {
 public:
  explicit ForwardingQueue(Queue& target) : target_(target) {}
  Result<std::string> send(std::string_view body) override { return target_.send(body); }

 private:
  Queue& target_;
};

}  // namespace twin::core
