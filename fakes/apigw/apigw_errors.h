// API Gateway errors, both kinds, each defined in one table:
// - management API errors (reference 1.7) as core::Status values whose aws_code is the
//   rest-json error type (`x-amzn-ErrorType`) and whose http_status is AWS's;
// - gateway responses (reference 1.3): what a client of the execute-api endpoint sees when the
//   gateway itself answers (the response type, status, `x-amzn-ErrorType` and body).
//
// Choices where the reference is UNCERTAIN or silent (reference 1.3, 6.1, 6.2):
// - The 5xx bodies keep the space after the colon (`{"message": "Internal server error"}`), as
//   every capture of the timeout body has it; the 4xx bodies have none.
// - Every gateway response carries an `x-amzn-ErrorType`. For the proxy-output 502 and the
//   Lambda-rejected 500 it is `InternalServerErrorException` (LocalStack's choice; AWS's is
//   unconfirmed), for the 504 `InternalServerErrorException` too.
// - REQUEST_TOO_LARGE answers 413 with AWS's observed plain-text body
//   `HTTP content length exceeded 10485760 bytes.` and Content-Type text/plain.
// - A Lambda throttle behind API Gateway is 500 INTEGRATION_FAILURE, as AWS documents
//   (LAMBDA-APIGW-ERR). The seed project's "503 Service Unavailable" was the wording of a
//   different layer (a client library's summary), not what API Gateway sends.
//
// Pure functions; no state.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace twin::fakes::apigw {

// Management error types (reference 1.7).
inline constexpr std::string_view kBadRequest = "BadRequestException";
inline constexpr std::string_view kUnauthorized = "UnauthorizedException";
inline constexpr std::string_view kNotFound = "NotFoundException";
inline constexpr std::string_view kConflict = "ConflictException";
inline constexpr std::string_view kLimitExceeded = "LimitExceededException";
inline constexpr std::string_view kTooManyRequests = "TooManyRequestsException";

// A Status with the error type, AWS's HTTP status and the matching StatusCode.
core::Status apigw_error(std::string_view aws_code, std::string message);
core::Status bad_request(std::string message);
core::Status not_found_error(std::string message);
core::Status conflict(std::string message);

// Gateway response types (reference 1.3) that the fake produces.
enum class GatewayResponseType {
  kMissingAuthenticationToken,
  kInvalidApiKey,
  kThrottled,
  kQuotaExceeded,
  kRequestTooLarge,
  kBadGateway,  // 502: the function failed or its output was malformed (no AWS type)
  kIntegrationFailure,
  kIntegrationTimeout,
};

struct GatewayResponseShape {
  GatewayResponseType type;
  std::string_view type_name;   // "THROTTLED"
  int status_code;              // 429
  std::string_view error_type;  // x-amzn-ErrorType: "TooManyRequestsException"
  std::string_view body;        // {"message":"Too Many Requests"}
  std::string_view content_type;
};

const GatewayResponseShape& gateway_response_shape(GatewayResponseType type);

}  // namespace twin::fakes::apigw
