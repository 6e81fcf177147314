#include "fakes/sqs/sqs_errors.h"

#include <array>
#include <utility>

namespace twin::fakes::sqs {
namespace {

struct ErrorShape {
  std::string_view aws_code;
  std::string_view type;
  int http_status;
  core::StatusCode status_code;
};

constexpr std::array kShapes = {
    ErrorShape{kNonExistentQueue, "QueueDoesNotExist", 400, core::StatusCode::kNotFound},
    ErrorShape{kQueueAlreadyExists, "QueueNameExists", 400, core::StatusCode::kAlreadyExists},
    ErrorShape{kQueueDeletedRecently, "QueueDeletedRecently", 400,
               core::StatusCode::kFailedPrecondition},
    ErrorShape{kInvalidParameterValue, "InvalidParameterValueException", 400,
               core::StatusCode::kInvalidArgument},
    ErrorShape{kMissingParameter, "MissingRequiredParameterException", 400,
               core::StatusCode::kInvalidArgument},
    ErrorShape{kInvalidAttributeName, "InvalidAttributeName", 400,
               core::StatusCode::kInvalidArgument},
    ErrorShape{kInvalidAttributeValue, "InvalidAttributeValue", 400,
               core::StatusCode::kInvalidArgument},
    ErrorShape{kReceiptHandleIsInvalid, "ReceiptHandleIsInvalid", 400,
               core::StatusCode::kInvalidArgument},
    ErrorShape{kMessageNotInflight, "MessageNotInflight", 400,
               core::StatusCode::kFailedPrecondition},
    ErrorShape{kPurgeQueueInProgress, "PurgeQueueInProgress", 403,
               core::StatusCode::kFailedPrecondition},
    ErrorShape{kTooManyEntriesInBatchRequest, "TooManyEntriesInBatchRequest", 400,
               core::StatusCode::kInvalidArgument},
    ErrorShape{kEmptyBatchRequest, "EmptyBatchRequest", 400, core::StatusCode::kInvalidArgument},
    ErrorShape{kBatchEntryIdsNotDistinct, "BatchEntryIdsNotDistinct", 400,
               core::StatusCode::kInvalidArgument},
    ErrorShape{kInvalidBatchEntryId, "InvalidBatchEntryId", 400,
               core::StatusCode::kInvalidArgument},
    ErrorShape{kBatchRequestTooLong, "BatchRequestTooLong", 400,
               core::StatusCode::kInvalidArgument},
    ErrorShape{kInvalidMessageContents, "InvalidMessageContents", 400,
               core::StatusCode::kInvalidArgument},
    ErrorShape{kOverLimit, "OverLimit", 403, core::StatusCode::kResourceExhausted},
};

const ErrorShape* find_shape(std::string_view aws_code) {
  for (const auto& shape : kShapes) {
    if (shape.aws_code == aws_code) return &shape;
  }
  return nullptr;
}

}  // namespace

std::string_view sqs_error_type(std::string_view aws_code) {
  const ErrorShape* shape = find_shape(aws_code);
  return shape != nullptr ? shape->type : aws_code;
}

core::Status sqs_error(std::string_view aws_code, std::string message) {
  const ErrorShape* shape = find_shape(aws_code);
  if (shape == nullptr) {
    return {core::StatusCode::kInternal, std::move(message), std::string(aws_code), 500};
  }
  return {shape->status_code, std::move(message), std::string(aws_code), shape->http_status};
}

core::Status queue_does_not_exist() {
  return sqs_error(kNonExistentQueue, "The specified queue does not exist.");
}

core::Status missing_parameter(std::string_view name) {
  return sqs_error(kMissingParameter,
                   "The request must contain the parameter " + std::string(name) + ".");
}

core::Status invalid_parameter(std::string_view name, std::string_view value,
                               std::string_view reason) {
  std::string message = "Value ";
  message += value;
  message += " for parameter ";
  message += name;
  message += " is invalid. Reason: ";
  message += reason;
  return sqs_error(kInvalidParameterValue, std::move(message));
}

core::Status out_of_range(std::string_view name, std::int64_t value, std::string_view reason) {
  return invalid_parameter(name, std::to_string(value), reason);
}

}  // namespace twin::fakes::sqs
