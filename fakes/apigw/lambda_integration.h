// LambdaIntegration: the gateway's Integration port served by the Lambda fake, as API Gateway's
// Lambda proxy integration calls Lambda's Invoke (reference 1.3, 1.6, 2.2).
//
// Mapping of the Invoke outcome to what the gateway makes of it:
//   kSuccess         -> kResponse (the gateway validates the proxy output: malformed -> 502)
//   kFunctionError,
//   kTimeout         -> kFunctionError (Sandbox.Timedout is a function error to Invoke) -> 502
//   kThrottled,
//   kRequestError    -> kThrottled (Invoke refused: 500 INTEGRATION_FAILURE)
// The gateway's own 29 s integration timeout (504) still runs on the executor; a function
// timeout longer than that shows up as 504, as in AWS.
//
// Owned by whoever wires the stack; single-threaded, on the executor both fakes share.
#pragma once

#include <string>

#include "fakes/apigw/integration.h"
#include "fakes/lambda/lambda_service.h"

namespace twin::fakes::apigw {

class LambdaIntegration : public Integration {
 public:
  explicit LambdaIntegration(lambda::LambdaService& lambda) : lambda_(lambda) {}

  void invoke(const std::string& function_name, lambda::Payload event,
              std::function<void(IntegrationResult)> done) override {
    lambda_.invoke(
        function_name, std::move(event),
        [done = std::move(done)](lambda::InvokeResult r) { done(to_integration(std::move(r))); });
  }

  static IntegrationResult to_integration(lambda::InvokeResult r) {
    using Kind = lambda::InvokeResult::Kind;
    switch (r.kind) {
      case Kind::kSuccess:
        return {IntegrationResult::Kind::kResponse, std::move(r.payload), ""};
      case Kind::kFunctionError:
      case Kind::kTimeout:
        return {IntegrationResult::Kind::kFunctionError, "", r.error_type + ": " + r.error_message};
      case Kind::kThrottled:
      case Kind::kRequestError:
        break;
    }
    return {IntegrationResult::Kind::kThrottled, "", r.status.to_string()};
  }

 private:
  lambda::LambdaService& lambda_;
};

}  // namespace twin::fakes::apigw
