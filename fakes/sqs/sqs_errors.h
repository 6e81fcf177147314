// SQS errors as Status values: the aws_code is the query code AWS puts in
// `x-amzn-query-error` and botocore reports as Error.Code (reference 3.2, middle column); the
// HTTP status is AWS's. sqs_error_type() gives the JSON protocol's `__type` shape for a code, so
// the HTTP front maps a Status 1:1 onto the wire.
//
// Pure functions; no state.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace twin::fakes::sqs {

// Query codes (reference 3.2).
inline constexpr std::string_view kNonExistentQueue = "AWS.SimpleQueueService.NonExistentQueue";
inline constexpr std::string_view kQueueAlreadyExists = "QueueAlreadyExists";
inline constexpr std::string_view kQueueDeletedRecently =
    "AWS.SimpleQueueService.QueueDeletedRecently";
inline constexpr std::string_view kInvalidParameterValue = "InvalidParameterValue";
inline constexpr std::string_view kMissingParameter = "MissingParameter";
inline constexpr std::string_view kInvalidAttributeName = "InvalidAttributeName";
inline constexpr std::string_view kInvalidAttributeValue = "InvalidAttributeValue";
inline constexpr std::string_view kReceiptHandleIsInvalid = "ReceiptHandleIsInvalid";
inline constexpr std::string_view kMessageNotInflight = "AWS.SimpleQueueService.MessageNotInflight";
inline constexpr std::string_view kPurgeQueueInProgress =
    "AWS.SimpleQueueService.PurgeQueueInProgress";
inline constexpr std::string_view kTooManyEntriesInBatchRequest =
    "AWS.SimpleQueueService.TooManyEntriesInBatchRequest";
inline constexpr std::string_view kEmptyBatchRequest = "AWS.SimpleQueueService.EmptyBatchRequest";
inline constexpr std::string_view kBatchEntryIdsNotDistinct =
    "AWS.SimpleQueueService.BatchEntryIdsNotDistinct";
inline constexpr std::string_view kInvalidBatchEntryId =
    "AWS.SimpleQueueService.InvalidBatchEntryId";
inline constexpr std::string_view kBatchRequestTooLong =
    "AWS.SimpleQueueService.BatchRequestTooLong";
inline constexpr std::string_view kInvalidMessageContents = "InvalidMessageContents";
inline constexpr std::string_view kOverLimit = "OverLimit";

// The JSON `__type` shape name for a query code ("QueueDoesNotExist" for
// AWS.SimpleQueueService.NonExistentQueue, "InvalidParameterValueException" for
// InvalidParameterValue); the code itself when it has no other shape.
std::string_view sqs_error_type(std::string_view aws_code);

// A Status with the code, AWS's HTTP status and the matching StatusCode.
core::Status sqs_error(std::string_view aws_code, std::string message);

core::Status queue_does_not_exist();
core::Status missing_parameter(std::string_view name);
// "Value <value> for parameter <name> is invalid. Reason: <reason>"
core::Status invalid_parameter(std::string_view name, std::string_view value,
                               std::string_view reason);
core::Status out_of_range(std::string_view name, std::int64_t value, std::string_view reason);

}  // namespace twin::fakes::sqs
