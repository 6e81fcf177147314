// SqsQueuePort: core's Queue port over SqsService, sending to one queue URL. send() is
// SendMessage; its OK means the message is committed to the service's database (durable as the
// service's `synchronous` setting promises, see fakes/sqlite/sqlite_db.h).
//
// Owned by the caller, which keeps the service alive; single-threaded like the service.
#pragma once

#include <string>

#include "core/ports/queue.h"
#include "fakes/sqs/sqs_service.h"

namespace twin::fakes::sqs {

class SqsQueuePort : public core::Queue {
 public:
  SqsQueuePort(SqsService& service, std::string queue_url)
      : service_(service), queue_url_(std::move(queue_url)) {}
  core::Result<std::string> send(std::string_view body) override {
    SendMessageRequest request;
    request.queue_url = queue_url_;
    request.message_body = std::string(body);
    auto sent = service_.send_message(request);
    if (!sent.is_ok()) return sent.status();
    return std::move(sent->message_id);
  }

 private:
  SqsService& service_;
  std::string queue_url_;
};

}  // namespace twin::fakes::sqs
