// FunctionCode: the code a fake Lambda function runs, and the adapter that runs core::Handler.
//
// Contract: run() is given the event JSON and returns the function's response JSON, or a
// non-OK Status, which the Lambda fake reports as a function error (errorType from the
// Status's aws_code, else its code name). run() may also throw; the fake catches at this edge,
// as the Lambda runtime does, and reports errorType "Exception" with what(). run() is called on
// the executor's thread, to completion, and must not block.
//
// The Lambda fake calls invoke(), which by default hands the event's text to run(). A code that
// understands typed payloads (payload.h) may override invoke(); it must then answer every
// event exactly as run(event.json()) would, its answer's json() equal byte for byte to what
// run() returns (HandlerFunctionCode; tests/fakes/typed_payload_test.cc).
#pragma once

#include <string>
#include <string_view>

#include "core/handler.h"
#include "core/status.h"
#include "fakes/lambda/payload.h"

namespace twin::fakes::lambda {

class FunctionCode {
 public:
  virtual ~FunctionCode() = default;
  virtual core::Result<std::string> run(std::string_view event_json) = 0;
  virtual core::Result<Payload> invoke(const Payload& event) {
    core::Result<std::string> out = run(event.json());
    if (!out.is_ok()) return out.status();
    return Payload(std::move(*out));
  }
};

// Runs the production handler. The handler is owned by the caller and outlives this adapter.
// Typed proxy and SQS events go straight to Handler::handle_proxy and handle_sqs, which is what
// Handler::invoke does after reading the text (Payload::of hands an event over typed only when
// its text reads back as the same event); the answer is typed the same way.
class HandlerFunctionCode : public FunctionCode {
 public:
  explicit HandlerFunctionCode(core::Handler& handler) : handler_(handler) {}
  core::Result<std::string> run(std::string_view event_json) override {
    return handler_.invoke(event_json);
  }
  core::Result<Payload> invoke(const Payload& event) override {
    if (const core::ProxyEvent* proxy = event.proxy_event()) {
      return Payload::of(handler_.handle_proxy(*proxy));
    }
    if (const core::SqsEvent* sqs = event.sqs_event()) {
      return Payload::of(handler_.handle_sqs(*sqs));
    }
    return FunctionCode::invoke(event);
  }

 private:
  core::Handler& handler_;
};

}  // namespace twin::fakes::lambda
