#include "fakes/apigw/apigw_errors.h"

#include <array>
#include <cassert>
#include <utility>

namespace twin::fakes::apigw {
namespace {

struct ErrorShape {
  std::string_view aws_code;
  int http_status;
  core::StatusCode status_code;
};

constexpr std::array kErrors = {
    ErrorShape{kBadRequest, 400, core::StatusCode::kInvalidArgument},
    ErrorShape{kUnauthorized, 401, core::StatusCode::kPermissionDenied},
    ErrorShape{kNotFound, 404, core::StatusCode::kNotFound},
    ErrorShape{kConflict, 409, core::StatusCode::kAlreadyExists},
    ErrorShape{kLimitExceeded, 429, core::StatusCode::kResourceExhausted},
    ErrorShape{kTooManyRequests, 429, core::StatusCode::kResourceExhausted},
};

using T = GatewayResponseType;
constexpr std::string_view kJson = "application/json";
constexpr std::array kGatewayResponses = {
    GatewayResponseShape{T::kMissingAuthenticationToken, "MISSING_AUTHENTICATION_TOKEN", 403,
                         "MissingAuthenticationTokenException",
                         R"({"message":"Missing Authentication Token"})", kJson},
    GatewayResponseShape{T::kInvalidApiKey, "INVALID_API_KEY", 403, "ForbiddenException",
                         R"({"message":"Forbidden"})", kJson},
    GatewayResponseShape{T::kThrottled, "THROTTLED", 429, "TooManyRequestsException",
                         R"({"message":"Too Many Requests"})", kJson},
    GatewayResponseShape{T::kQuotaExceeded, "QUOTA_EXCEEDED", 429, "LimitExceededException",
                         R"({"message":"Limit Exceeded"})", kJson},
    GatewayResponseShape{T::kRequestTooLarge, "REQUEST_TOO_LARGE", 413, "RequestTooLongException",
                         "HTTP content length exceeded 10485760 bytes.", "text/plain"},
    GatewayResponseShape{T::kBadGateway, "DEFAULT_5XX", 502, "InternalServerErrorException",
                         R"({"message": "Internal server error"})", kJson},
    GatewayResponseShape{T::kIntegrationFailure, "INTEGRATION_FAILURE", 500,
                         "InternalServerErrorException", R"({"message": "Internal server error"})",
                         kJson},
    GatewayResponseShape{T::kIntegrationTimeout, "INTEGRATION_TIMEOUT", 504,
                         "InternalServerErrorException",
                         R"({"message": "Endpoint request timed out"})", kJson},
};

}  // namespace

core::Status apigw_error(std::string_view aws_code, std::string message) {
  for (const auto& shape : kErrors) {
    if (shape.aws_code == aws_code) {
      return {shape.status_code, std::move(message), std::string(aws_code), shape.http_status};
    }
  }
  return {core::StatusCode::kInternal, std::move(message), std::string(aws_code), 500};
}

core::Status bad_request(std::string message) {
  return apigw_error(kBadRequest, std::move(message));
}
core::Status not_found_error(std::string message) {
  return apigw_error(kNotFound, std::move(message));
}
core::Status conflict(std::string message) { return apigw_error(kConflict, std::move(message)); }

const GatewayResponseShape& gateway_response_shape(GatewayResponseType type) {
  for (const auto& shape : kGatewayResponses) {
    if (shape.type == type) return shape;
  }
  assert(false && "every GatewayResponseType has a shape");
  return kGatewayResponses[0];
}

}  // namespace twin::fakes::apigw
