// Handler: the production Lambda function. Routes one event (API Gateway proxy or SQS batch)
// to /trigger, /webhook or the webhook-queue consumer and returns the function's response.
//
// Owned by its caller (the CLI, the Lambda fake); runs on one executor thread; every effect goes
// through the ports it is given. An event that cannot be read at all is an error Status (the
// Lambda runtime reports a function error); everything else, bad bodies and store failures
// included, is a proxy response or a batch response.
#pragma once

#include <boost/json/parser.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "core/config.h"
#include "core/events/proxy_event.h"
#include "core/events/sqs_event.h"
#include "core/log.h"
#include "core/ports/clock.h"
#include "core/ports/id_source.h"
#include "core/ports/idempotency_store.h"
#include "core/ports/messenger.h"
#include "core/ports/queue.h"
#include "core/ports/registration_store.h"
#include "core/registration.h"

namespace twin::core {

struct Ports {
  const Clock& clock;
  IdSource& ids;
  Queue& queue;
  RegistrationStore& registrations;
  IdempotencyStore& idempotency;
  Messenger& messenger;
};

class Handler {
 public:
  Handler(Config config, Ports ports, Log log)
      : config_(std::move(config)), ports_(ports), log_(std::move(log)) {}

  // The Lambda entry point: event JSON in, response JSON out.
  Result<std::string> invoke(std::string_view event_json);

  ProxyResponse handle_proxy(const ProxyEvent& event);
  // Lists each record that failed (ReportBatchItemFailures); from a FIFO queue also the later
  // records of a failed record's message group, unprocessed, so they keep their order.
  SqsBatchResponse handle_sqs(const SqsEvent& event);

 private:
  // Event is ProxyEvent or ProxyEventView (core/events/proxy_event.h): the same code answers an
  // event the caller owns and one invoke() read as views of its text.
  // The answer's body is made in the form `body_form` (BodyText::kEscaped for invoke(), which
  // writes it into the Lambda response as it is).
  template <typename Event>
  ProxyResponse handle(const Event& event, BodyText body_form);
  template <typename Event>
  ProxyResponse route(const Event& event, const std::string& request_id);
  template <typename Event>
  ProxyResponse trigger(const Event& event, const std::string& request_id);
  template <typename Event>
  ProxyResponse webhook(const Event& event, const std::string& request_id);
  // Stores the registration when `found` (the store's answer for its natural key) has none,
  // and sends its invitation if it has none yet. The registration is left in `found`, used in
  // place rather than copied.
  Status register_player(const RegistrationRequest& request, const std::string& request_id,
                         Result<std::optional<Registration>>& found, bool& created);
  // Applies one inbound message once (idempotent on MessageSid).
  Status process_message(const InboundMessage& message, const std::string& request_id);

  Config config_;
  Ports ports_;
  Log log_;
  // Reused by every invoke() to parse the event without a malloc per JSON node; an event larger
  // than this spills to the heap.
  static constexpr std::size_t kParseBufferBytes = 32 * 1024;
  std::unique_ptr<unsigned char[]> parse_buffer_ =
      std::make_unique<unsigned char[]>(kParseBufferBytes);
  // The strings with escapes of the event invoke() reads as views, kept across calls for the
  // capacity (released after an event larger than kParseBufferBytes).
  std::string decoded_;
  // The last response invoke() wrote, kept for its buffers (its body's capacity and its header
  // strings), in which the next answer is made (Answers in handler.cc). Empty after
  // handle_proxy(), whose caller keeps the response.
  ProxyResponse spare_response_;
  // The form of the body of the answer being made (handle()'s body_form).
  BodyText body_form_ = BodyText::kRaw;
  // The id of the request being handled, kept for its capacity.
  std::string request_id_;
  // The queued message of the SQS record being processed, kept for its strings' capacity.
  InboundMessage inbound_;
  // The natural key of the registration being looked up, kept for its capacity.
  std::string natural_key_;
  // The parser's own working stack, kept across calls so it is not allocated per event.
  static constexpr std::size_t kParserStackBytes = 4096;
  std::unique_ptr<unsigned char[]> parser_stack_ =
      std::make_unique<unsigned char[]>(kParserStackBytes);
  boost::json::parser parser_{boost::json::storage_ptr(), boost::json::parse_options(),
                              parser_stack_.get(), kParserStackBytes};
};

}  // namespace twin::core
