// The SQS fake's C++ API surface: one request and one response struct per operation, with
// AWS's field names in snake_case (QueueUrl -> queue_url), and the service's named limits.
// Reference: ../shared/reference/aws-semantics.md section 3 (3.13 lists the fields).
//
// Conventions: a required string left empty counts as missing (AWS's query protocol treats an
// empty value the same way) and is reported as MissingParameter; optional numbers are
// std::optional and carry int64 so that an out-of-range value reaches validation intact.
// Binary values hold raw bytes (the JSON front decodes base64). Maps are std::map, and a
// received message's system attributes a list kept in name order, so every output is in name
// order.
//
// Values only; no threading concerns.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/ports/clock.h"

namespace twin::fakes::sqs {

// Named limits (reference 3.3, 3.4, 3.6, 3.7, 3.8, 3.12).
inline constexpr std::int64_t kVisibilityTimeoutSecondsMax = 43'200;  // 12 h
inline constexpr std::int64_t kVisibilityTimeoutSecondsDefault = 30;
inline constexpr std::int64_t kDelaySecondsMax = 900;
inline constexpr std::int64_t kMaximumMessageSizeMin = 1'024;
inline constexpr std::int64_t kMaximumMessageSizeMax = 1'048'576;
inline constexpr std::int64_t kMessageRetentionPeriodMin = 60;
inline constexpr std::int64_t kMessageRetentionPeriodMax = 1'209'600;
inline constexpr std::int64_t kMessageRetentionPeriodDefault = 345'600;
inline constexpr std::int64_t kWaitTimeSecondsMax = 20;
inline constexpr std::int64_t kMaxReceiveCountMax = 1'000;
inline constexpr std::int64_t kMaxNumberOfMessagesMax = 10;
inline constexpr std::size_t kBatchEntriesMax = 10;
inline constexpr std::size_t kBatchEntryIdLengthMax = 80;
inline constexpr std::int64_t kBatchRequestBytesMax = 1'048'576;
inline constexpr std::size_t kQueueNameLengthMax = 80;
inline constexpr std::size_t kMessageAttributesMax = 10;
inline constexpr std::size_t kAttributeNameLengthMax = 256;
inline constexpr std::size_t kDataTypeLengthMax = 256;
inline constexpr std::size_t kNumberDigitsMax = 38;
inline constexpr std::size_t kFifoIdLengthMax = 128;  // MessageGroupId, MessageDeduplicationId
inline constexpr core::DurationUs kDeduplicationInterval = 5 * 60 * core::kMicrosPerSecond;
inline constexpr core::DurationUs kPurgeInterval = 60 * core::kMicrosPerSecond;
inline constexpr core::DurationUs kQueueDeletedRecentlyInterval = 60 * core::kMicrosPerSecond;
inline constexpr std::int64_t kListQueuesResultsMax = 1'000;

// StringListValues and BinaryListValues are "Not implemented. Reserved for future use." in
// AWS's model (reference 3.13) and have no field here; the HTTP front refuses them.
struct MessageAttributeValue {
  std::string data_type;  // "String", "Number", "Binary", optionally ".custom"
  std::optional<std::string> string_value;
  std::optional<std::string> binary_value;  // raw bytes
  bool operator==(const MessageAttributeValue&) const = default;
};
using MessageAttributeMap = std::map<std::string, MessageAttributeValue, std::less<>>;
using AttributeMap = std::map<std::string, std::string, std::less<>>;
// A received message's system attributes (ApproximateReceiveCount, SentTimestamp, ...), at most
// nine, in name order: a list, not a map, because a receive writes four or more per message in
// that order anyway and the event source mapping moves the list into the Lambda event's record
// (core::SqsRecord::attributes, the same type) as it is.
using SystemAttributes = std::vector<std::pair<std::string, std::string>>;

struct BatchResultErrorEntry {
  std::string id;
  bool sender_fault = true;
  std::string code;  // the query code, as AWS puts it in the entry ("InvalidParameterValue")
  std::string message;
};

struct CreateQueueRequest {
  std::string queue_name;
  AttributeMap attributes;
  AttributeMap tags;  // accepted and ignored: no tag operations (issue 3 lists none)
};
struct CreateQueueResponse {
  std::string queue_url;
};

struct GetQueueUrlRequest {
  std::string queue_name;
  std::optional<std::string> queue_owner_aws_account_id;
};
struct GetQueueUrlResponse {
  std::string queue_url;
};

struct ListQueuesRequest {
  std::optional<std::string> queue_name_prefix;
  std::optional<std::int64_t> max_results;
  std::optional<std::string> next_token;
};
struct ListQueuesResponse {
  std::vector<std::string> queue_urls;
  std::optional<std::string> next_token;
};

struct DeleteQueueRequest {
  std::string queue_url;
};
struct PurgeQueueRequest {
  std::string queue_url;
};

struct GetQueueAttributesRequest {
  std::string queue_url;
  std::vector<std::string> attribute_names;
};
struct GetQueueAttributesResponse {
  AttributeMap attributes;
};

struct SetQueueAttributesRequest {
  std::string queue_url;
  AttributeMap attributes;
};

struct ListDeadLetterSourceQueuesRequest {
  std::string queue_url;
  std::optional<std::int64_t> max_results;
  std::optional<std::string> next_token;
};
struct ListDeadLetterSourceQueuesResponse {
  std::vector<std::string> queue_urls;
  std::optional<std::string> next_token;
};

struct SendMessageRequest {
  std::string queue_url;
  std::string message_body;
  std::optional<std::int64_t> delay_seconds;
  MessageAttributeMap message_attributes;
  MessageAttributeMap message_system_attributes;  // only AWSTraceHeader
  std::optional<std::string> message_deduplication_id;
  std::optional<std::string> message_group_id;
};
struct SendMessageResponse {
  std::string message_id;
  std::string md5_of_message_body;
  std::optional<std::string> md5_of_message_attributes;
  std::optional<std::string> md5_of_message_system_attributes;
  std::optional<std::string> sequence_number;  // FIFO only
};

struct SendMessageBatchRequestEntry {
  std::string id;
  std::string message_body;
  std::optional<std::int64_t> delay_seconds;
  MessageAttributeMap message_attributes;
  MessageAttributeMap message_system_attributes;
  std::optional<std::string> message_deduplication_id;
  std::optional<std::string> message_group_id;
};
struct SendMessageBatchRequest {
  std::string queue_url;
  std::vector<SendMessageBatchRequestEntry> entries;
};
struct SendMessageBatchResultEntry {
  std::string id;
  std::string message_id;
  std::string md5_of_message_body;
  std::optional<std::string> md5_of_message_attributes;
  std::optional<std::string> md5_of_message_system_attributes;
  std::optional<std::string> sequence_number;
};
struct SendMessageBatchResponse {
  std::vector<SendMessageBatchResultEntry> successful;
  std::vector<BatchResultErrorEntry> failed;
};

struct ReceiveMessageRequest {
  std::string queue_url;
  std::vector<std::string> attribute_names;  // deprecated name, still sent by the CLI
  std::vector<std::string> message_system_attribute_names;
  std::vector<std::string> message_attribute_names;
  std::optional<std::int64_t> max_number_of_messages;
  std::optional<std::int64_t> visibility_timeout;
  std::optional<std::int64_t> wait_time_seconds;
  std::optional<std::string> receive_request_attempt_id;  // validated, not deduplicated yet
};
struct Message {
  std::string message_id;
  std::string receipt_handle;
  std::string md5_of_body;
  std::string body;
  SystemAttributes attributes;  // system attributes asked for, in name order
  std::optional<std::string> md5_of_message_attributes;
  MessageAttributeMap message_attributes;  // user attributes asked for

  // The system attribute `name`, if the message has it.
  std::optional<std::string_view> attribute(std::string_view name) const;
};
struct ReceiveMessageResponse {
  std::vector<Message> messages;  // empty: the JSON front omits "Messages"
};

struct DeleteMessageRequest {
  std::string queue_url;
  std::string receipt_handle;
};
struct DeleteMessageBatchRequestEntry {
  std::string id;
  std::string receipt_handle;
};
struct DeleteMessageBatchRequest {
  std::string queue_url;
  std::vector<DeleteMessageBatchRequestEntry> entries;
};
struct BatchResultEntry {
  std::string id;
};
struct DeleteMessageBatchResponse {
  std::vector<BatchResultEntry> successful;
  std::vector<BatchResultErrorEntry> failed;
};

struct ChangeMessageVisibilityRequest {
  std::string queue_url;
  std::string receipt_handle;
  std::optional<std::int64_t> visibility_timeout;  // required
};
struct ChangeMessageVisibilityBatchRequestEntry {
  std::string id;
  std::string receipt_handle;
  std::optional<std::int64_t> visibility_timeout;
};
struct ChangeMessageVisibilityBatchRequest {
  std::string queue_url;
  std::vector<ChangeMessageVisibilityBatchRequestEntry> entries;
};
struct ChangeMessageVisibilityBatchResponse {
  std::vector<BatchResultEntry> successful;
  std::vector<BatchResultErrorEntry> failed;
};

}  // namespace twin::fakes::sqs
