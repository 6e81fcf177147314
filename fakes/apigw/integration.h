// Integration: what the API Gateway fake calls once a request has passed routing, the API key,
// the throttles, the quota and the size limit: the Lambda proxy integration of the method.
//
// Contract
// - invoke() is given the function name of the method's integration and the proxy event v1
//   (reference 1.5) as a lambda::Payload: typed, its JSON text written only if asked for
//   (fakes/lambda/payload.h). It answers exactly once by calling `done`, either before invoke()
//   returns or later on the same executor (the Lambda fake answers after the modelled duration in
//   virtual time). Calling `done` more than once is a programmer error; the gateway ignores any
//   call after the first and any call after it gave up on the request (the 29 s timeout).
// - Results and what the client then gets (reference 1.3, 1.6):
//     kResponse       payload = the function's response (JSON text, or a typed proxy
//                     response that reads back as itself). Valid proxy output -> the
//                     function's status, headers and body; malformed -> 502.
//     kFunctionError  the function ran and failed (unhandled error, runtime exit, or its own
//                     Lambda timeout, which Invoke reports as the function error
//                     Sandbox.Timedout) -> 502.
//     kThrottled      the Lambda API rejected the invoke (TooManyRequestsException; also any
//                     other rejection such as permissions) -> 500 INTEGRATION_FAILURE.
//     kTimeout        the integration reports that the endpoint request timed out -> 504.
//   `detail` is for people (traces, test messages); the gateway never shows it to the client.
// - The gateway's own integration timeout (29 s by default) runs on the executor whatever the
//   integration does: if `done` has not been called by then, the client gets 504 and a later
//   result is ignored.
// - Single-threaded, on the gateway's executor.
#pragma once

#include <functional>
#include <string>

#include "fakes/lambda/payload.h"

namespace twin::fakes::apigw {

struct IntegrationResult {
  enum class Kind { kResponse, kFunctionError, kThrottled, kTimeout };
  Kind kind = Kind::kResponse;
  lambda::Payload payload;  // the function's response, for kResponse
  std::string detail;
};

class Integration {
 public:
  virtual ~Integration() = default;
  virtual void invoke(const std::string& function_name, lambda::Payload event,
                      std::function<void(IntegrationResult)> done) = 0;
};

}  // namespace twin::fakes::apigw
