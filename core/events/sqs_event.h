// The SQS event a Lambda function receives from an event source mapping (reference 4.3) and the
// partial batch response it returns (reference 4.4).
//
// Owned by core; values and pure functions, shared with the event source mapping fake.
#pragma once

#include <boost/json/fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/events/proxy_event.h"
#include "core/status.h"

namespace twin::core {

// A new member of these structs needs its place in serialize(), in both readers and in
// json_round_trip (core/events/round_trip.cc).
struct SqsMessageAttribute {
  std::string name;
  std::string data_type;  // "String", "Number", "Binary", optionally with a ".label" suffix
  std::optional<std::string> string_value;
  std::optional<std::string> binary_value;  // base64 text, as on the wire
};

struct SqsRecord {
  std::string message_id;
  std::string receipt_handle;
  std::string body;
  StringPairs attributes;  // ApproximateReceiveCount, SentTimestamp, ...
  std::vector<SqsMessageAttribute> message_attributes;
  std::optional<std::string> md5_of_message_attributes;  // null or absent when none
  std::string md5_of_body;
  std::string event_source = "aws:sqs";
  std::string event_source_arn;
  std::string aws_region;
};

struct SqsEvent {
  std::vector<SqsRecord> records;
};

// messageId and body are required in each record; the rest may be absent but must be typed
// right when present.
Result<SqsEvent> parse_sqs_event(const boost::json::object& event);
boost::json::object to_json(const SqsEvent& event);
// The fast path, as read_proxy_event_fast: no JSON tree; false for anything it is not sure of
// (then parse with Boost.JSON and parse_sqs_event, which accepts it or names the error).
bool read_sqs_event_fast(std::string_view text, SqsEvent& out);
// The event as JSON text, written directly: the same bytes as boost::json::serialize(to_json()).
std::string serialize(const SqsEvent& event);

struct SqsBatchResponse {
  std::vector<std::string> batch_item_failures;  // message ids to retry
};

boost::json::object to_json(const SqsBatchResponse& response);
std::string serialize(const SqsBatchResponse& response);

}  // namespace twin::core
