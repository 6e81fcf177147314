// FunctionCode: the code a fake Lambda function runs, and the adapter that runs core::Handler.
//
// Contract: run() is given the event JSON and returns the function's response JSON, or a
// non-OK Status, which the Lambda fake reports as a function error (errorType from the
// Status's aws_code, else its code name). run() may also throw; the fake catches at this edge,
// as the Lambda runtime does, and reports errorType "Exception" with what(). run() is called on
// the executor's thread, to completion, and must not block.
#pragma once

#include <string>
#include <string_view>

#include "core/handler.h"
#include "core/status.h"

namespace twin::fakes::lambda {

class FunctionCode {
 public:
  virtual ~FunctionCode() = default;
  virtual core::Result<std::string> run(std::string_view event_json) = 0;
};

// Runs the production handler. The handler is owned by the caller and outlives this adapter.
class HandlerFunctionCode : public FunctionCode {
 public:
  explicit HandlerFunctionCode(core::Handler& handler) : handler_(handler) {}
  core::Result<std::string> run(std::string_view event_json) override {
    return handler_.invoke(event_json);
  }

 private:
  core::Handler& handler_;
};

}  // namespace twin::fakes::lambda
