// Errors of the Lambda API (Invoke, CreateEventSourceMapping...) as Status values with AWS's
// error type and HTTP status, for the Lambda fake and the event source mapping alike.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace twin::fakes::lambda {

// "1 validation error detected: Value '<value>' at '<field>' failed to satisfy constraint: ..."
inline core::Status validation_error(std::string_view field, const std::string& value,
                                     std::string_view constraint) {
  return {core::StatusCode::kInvalidArgument,
          "1 validation error detected: Value '" + value + "' at '" + std::string(field) +
              "' failed to satisfy constraint: " + std::string(constraint),
          "ValidationException", 400};
}

inline core::Status invalid_parameter(std::string message) {
  return {core::StatusCode::kInvalidArgument, std::move(message), "InvalidParameterValueException",
          400};
}

}  // namespace twin::fakes::lambda
