// The SQS JSON 1.0 codec: request bodies (AWS's member names, reference 3.13) into the SQS
// fake's request structs, and its response structs into the bodies botocore's sqs model
// (service-2.json, protocol json) expects. Used by SqsJsonApi (sim/http/sqs_json.h).
//
// Reading is by type only: a member of the wrong JSON type, or a BinaryValue that is not
// base64, fails with an error naming the member's JSON path ("$.Entries[0].Id: expected string,
// got number"); what the values mean (ranges, required members, names) is the fake's to judge,
// so its AWS errors come out unchanged. An absent or null member reads as absent: an empty
// string for required strings (the fake reports MissingParameter), nullopt or empty otherwise.
// Unknown members are ignored, as AWS's JSON services ignore them.
//
// Writing omits optional members that are absent or empty, as AWS does (no "Messages" for an
// empty receive), and always writes the members the model marks required (a batch's
// "Successful" and "Failed", ListDeadLetterSourceQueues's "queueUrls"). Binary values go out
// as base64.
//
// Pure functions; no state.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <variant>

#include "fakes/sqs/sqs_types.h"

namespace twin::sim::http::sqs_json {

namespace sqs = fakes::sqs;

// Why a body could not be read: the member's JSON path and what was wrong with it. `refused`
// marks a well-formed value the twin will not take (StringListValues, reserved by AWS), as
// opposed to one of the wrong type.
struct ReadError {
  std::string message;
  bool refused = false;
};

template <typename T>
using Read = std::variant<T, ReadError>;

Read<sqs::CreateQueueRequest> read_create_queue(const boost::json::object& body);
Read<sqs::GetQueueUrlRequest> read_get_queue_url(const boost::json::object& body);
Read<sqs::ListQueuesRequest> read_list_queues(const boost::json::object& body);
Read<sqs::DeleteQueueRequest> read_delete_queue(const boost::json::object& body);
Read<sqs::PurgeQueueRequest> read_purge_queue(const boost::json::object& body);
Read<sqs::GetQueueAttributesRequest> read_get_queue_attributes(const boost::json::object& body);
Read<sqs::SetQueueAttributesRequest> read_set_queue_attributes(const boost::json::object& body);
Read<sqs::ListDeadLetterSourceQueuesRequest> read_list_dead_letter_source_queues(
    const boost::json::object& body);
Read<sqs::SendMessageRequest> read_send_message(const boost::json::object& body);
Read<sqs::SendMessageBatchRequest> read_send_message_batch(const boost::json::object& body);
Read<sqs::ReceiveMessageRequest> read_receive_message(const boost::json::object& body);
Read<sqs::DeleteMessageRequest> read_delete_message(const boost::json::object& body);
Read<sqs::DeleteMessageBatchRequest> read_delete_message_batch(const boost::json::object& body);
Read<sqs::ChangeMessageVisibilityRequest> read_change_message_visibility(
    const boost::json::object& body);
Read<sqs::ChangeMessageVisibilityBatchRequest> read_change_message_visibility_batch(
    const boost::json::object& body);

boost::json::object to_json(const sqs::CreateQueueResponse& r);
boost::json::object to_json(const sqs::GetQueueUrlResponse& r);
boost::json::object to_json(const sqs::ListQueuesResponse& r);
boost::json::object to_json(const sqs::GetQueueAttributesResponse& r);
boost::json::object to_json(const sqs::ListDeadLetterSourceQueuesResponse& r);
boost::json::object to_json(const sqs::SendMessageResponse& r);
boost::json::object to_json(const sqs::SendMessageBatchResponse& r);
boost::json::object to_json(const sqs::ReceiveMessageResponse& r);
boost::json::object to_json(const sqs::DeleteMessageBatchResponse& r);
boost::json::object to_json(const sqs::ChangeMessageVisibilityBatchResponse& r);

}  // namespace twin::sim::http::sqs_json
