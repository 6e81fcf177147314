#include "sim/http/sqs_json_codec.h"

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "core/encoding.h"
#include "core/events/json_reader.h"

namespace twin::sim::http::sqs_json {
namespace json = boost::json;
using core::Need;

namespace {

constexpr std::string_view kRoot = "$";

// core::JsonReader (which keeps the first error) plus the SQS shapes: string lists, string
// maps, message attribute maps and batch entries.
class BodyReader {
 public:
  // A string member; absent or null reads as "" (a required one is then the fake's
  // MissingParameter, as in the query protocol).
  std::string str(const json::object& o, std::string_view key, std::string_view path = kRoot) {
    return r_.string(o, key, path, Need::kOptional).value_or(std::string());
  }
  std::optional<std::string> opt_str(const json::object& o, std::string_view key,
                                     std::string_view path = kRoot) {
    return r_.string(o, key, path, Need::kOptional);
  }
  std::optional<std::int64_t> opt_int(const json::object& o, std::string_view key,
                                      std::string_view path = kRoot) {
    return r_.integer(o, key, path, Need::kOptional);
  }

  std::vector<std::string> strings(const json::object& o, std::string_view key) {
    std::vector<std::string> out;
    const json::array* a = r_.array(o, key, kRoot, Need::kOptional);
    if (a == nullptr) return out;
    std::string path = core::json_path_join(kRoot, key);
    for (std::size_t i = 0; i < a->size() && r_.ok(); ++i) {
      if (auto s = r_.as_string((*a)[i], path, i)) out.push_back(std::move(*s));
    }
    return out;
  }

  sqs::AttributeMap string_map(const json::object& o, std::string_view key) {
    sqs::AttributeMap out;
    const json::object* m = r_.object(o, key, kRoot, Need::kOptional);
    if (m == nullptr) return out;
    std::string path = core::json_path_join(kRoot, key);
    for (const auto& member : *m) {
      std::string_view name(member.key().data(), member.key().size());
      if (auto s = r_.as_string(member.value(), path, name))
        out.insert_or_assign(std::string(name), std::move(*s));
      if (!r_.ok()) break;
    }
    return out;
  }

  sqs::MessageAttributeMap message_attributes(const json::object& o, std::string_view key,
                                              std::string_view path) {
    sqs::MessageAttributeMap out;
    const json::object* m = r_.object(o, key, path, Need::kOptional);
    if (m == nullptr) return out;
    std::string map_path = core::json_path_join(path, key);
    for (const auto& member : *m) {
      std::string_view name(member.key().data(), member.key().size());
      std::string value_path = core::json_path_join(map_path, name);
      if (!member.value().is_object()) {
        r_.fail(value_path,
                "expected object, got " + std::string(core::json_kind_name(member.value())));
        break;
      }
      auto value = attribute_value(member.value().get_object(), name, value_path);
      if (!ok()) break;
      out.insert_or_assign(std::string(name), std::move(value));
    }
    return out;
  }

  // The entries of a batch request, each checked to be an object; absent reads as none (the
  // fake answers EmptyBatchRequest).
  std::vector<const json::object*> entries(const json::object& o) {
    std::vector<const json::object*> out;
    const json::array* a = r_.array(o, "Entries", kRoot, Need::kOptional);
    if (a == nullptr) return out;
    for (std::size_t i = 0; i < a->size(); ++i) {
      if (!(*a)[i].is_object()) {
        r_.fail(entry_path(i),
                "expected object, got " + std::string(core::json_kind_name((*a)[i])));
        return {};
      }
      out.push_back(&(*a)[i].get_object());
    }
    return out;
  }
  static std::string entry_path(std::size_t i) { return core::json_path_index("$.Entries", i); }

  bool ok() const { return r_.ok() && refusal_.empty(); }

  template <typename T>
  Read<T> finish(T value) const {
    if (!refusal_.empty()) return ReadError{refusal_, true};
    if (!r_.ok()) return ReadError{r_.error(), false};
    return value;
  }

 private:
  sqs::MessageAttributeValue attribute_value(const json::object& v, std::string_view name,
                                             const std::string& path) {
    sqs::MessageAttributeValue out;
    out.data_type = str(v, "DataType", path);
    out.string_value = opt_str(v, "StringValue", path);
    if (auto b64 = opt_str(v, "BinaryValue", path)) {
      out.binary_value = core::base64_decode(*b64);
      if (!out.binary_value) r_.fail(core::json_path_join(path, "BinaryValue"), "not base64");
    }
    for (std::string_view list : {"StringListValues", "BinaryListValues"}) {
      const json::array* a = r_.array(v, list, path, Need::kOptional);
      if (a != nullptr && !a->empty() && refusal_.empty()) {
        refusal_ = "Message attribute '" + std::string(name) + "' has " + std::string(list) +
                   ", which SQS reserves for future use; the twin does not support it.";
      }
    }
    return out;
  }

  core::JsonReader r_;
  std::string refusal_;
};

void put_if(json::object& o, std::string_view key, const std::optional<std::string>& value) {
  if (value) o[key] = *value;
}

template <typename NameValues>  // sqs::AttributeMap or sqs::SystemAttributes
json::object attributes_json(const NameValues& attributes) {
  json::object o;
  for (const auto& [name, value] : attributes) o[name] = value;
  return o;
}

json::object message_attributes_json(const sqs::MessageAttributeMap& attributes) {
  json::object o;
  for (const auto& [name, value] : attributes) {
    json::object v;
    put_if(v, "StringValue", value.string_value);
    if (value.binary_value) v["BinaryValue"] = core::base64_encode(*value.binary_value);
    v["DataType"] = value.data_type;
    o[name] = std::move(v);
  }
  return o;
}

json::array strings_json(const std::vector<std::string>& values) {
  json::array a;
  a.reserve(values.size());
  for (const auto& v : values) a.emplace_back(v);
  return a;
}

json::array failed_json(const std::vector<sqs::BatchResultErrorEntry>& failed) {
  json::array a;
  for (const auto& f : failed) {
    a.emplace_back(json::object{
        {"Id", f.id}, {"SenderFault", f.sender_fault}, {"Code", f.code}, {"Message", f.message}});
  }
  return a;
}

json::object id_batch_json(const std::vector<sqs::BatchResultEntry>& successful,
                           const std::vector<sqs::BatchResultErrorEntry>& failed) {
  json::array ok;
  for (const auto& s : successful) ok.emplace_back(json::object{{"Id", s.id}});
  return {{"Successful", std::move(ok)}, {"Failed", failed_json(failed)}};
}

}  // namespace

Read<sqs::CreateQueueRequest> read_create_queue(const json::object& body) {
  BodyReader r;
  sqs::CreateQueueRequest req;
  req.queue_name = r.str(body, "QueueName");
  req.attributes = r.string_map(body, "Attributes");
  req.tags = r.string_map(body, "tags");  // the model's own spelling
  return r.finish(std::move(req));
}

Read<sqs::GetQueueUrlRequest> read_get_queue_url(const json::object& body) {
  BodyReader r;
  sqs::GetQueueUrlRequest req;
  req.queue_name = r.str(body, "QueueName");
  req.queue_owner_aws_account_id = r.opt_str(body, "QueueOwnerAWSAccountId");
  return r.finish(std::move(req));
}

Read<sqs::ListQueuesRequest> read_list_queues(const json::object& body) {
  BodyReader r;
  sqs::ListQueuesRequest req;
  req.queue_name_prefix = r.opt_str(body, "QueueNamePrefix");
  req.max_results = r.opt_int(body, "MaxResults");
  req.next_token = r.opt_str(body, "NextToken");
  return r.finish(std::move(req));
}

Read<sqs::DeleteQueueRequest> read_delete_queue(const json::object& body) {
  BodyReader r;
  sqs::DeleteQueueRequest req{r.str(body, "QueueUrl")};
  return r.finish(std::move(req));
}

Read<sqs::PurgeQueueRequest> read_purge_queue(const json::object& body) {
  BodyReader r;
  sqs::PurgeQueueRequest req{r.str(body, "QueueUrl")};
  return r.finish(std::move(req));
}

Read<sqs::GetQueueAttributesRequest> read_get_queue_attributes(const json::object& body) {
  BodyReader r;
  sqs::GetQueueAttributesRequest req;
  req.queue_url = r.str(body, "QueueUrl");
  req.attribute_names = r.strings(body, "AttributeNames");
  return r.finish(std::move(req));
}

Read<sqs::SetQueueAttributesRequest> read_set_queue_attributes(const json::object& body) {
  BodyReader r;
  sqs::SetQueueAttributesRequest req;
  req.queue_url = r.str(body, "QueueUrl");
  req.attributes = r.string_map(body, "Attributes");
  return r.finish(std::move(req));
}

Read<sqs::ListDeadLetterSourceQueuesRequest> read_list_dead_letter_source_queues(
    const json::object& body) {
  BodyReader r;
  sqs::ListDeadLetterSourceQueuesRequest req;
  req.queue_url = r.str(body, "QueueUrl");
  req.max_results = r.opt_int(body, "MaxResults");
  req.next_token = r.opt_str(body, "NextToken");
  return r.finish(std::move(req));
}

namespace {

// SendMessage and a SendMessageBatch entry share every member but Id.
void read_send_members(BodyReader& r, const json::object& o, std::string_view path,
                       sqs::SendMessageBatchRequestEntry& e) {
  e.message_body = r.str(o, "MessageBody", path);
  e.delay_seconds = r.opt_int(o, "DelaySeconds", path);
  e.message_attributes = r.message_attributes(o, "MessageAttributes", path);
  e.message_system_attributes = r.message_attributes(o, "MessageSystemAttributes", path);
  e.message_deduplication_id = r.opt_str(o, "MessageDeduplicationId", path);
  e.message_group_id = r.opt_str(o, "MessageGroupId", path);
}

}  // namespace

Read<sqs::SendMessageRequest> read_send_message(const json::object& body) {
  BodyReader r;
  sqs::SendMessageBatchRequestEntry e;
  read_send_members(r, body, kRoot, e);
  sqs::SendMessageRequest req;
  req.queue_url = r.str(body, "QueueUrl");
  req.message_body = std::move(e.message_body);
  req.delay_seconds = e.delay_seconds;
  req.message_attributes = std::move(e.message_attributes);
  req.message_system_attributes = std::move(e.message_system_attributes);
  req.message_deduplication_id = std::move(e.message_deduplication_id);
  req.message_group_id = std::move(e.message_group_id);
  return r.finish(std::move(req));
}

Read<sqs::SendMessageBatchRequest> read_send_message_batch(const json::object& body) {
  BodyReader r;
  sqs::SendMessageBatchRequest req;
  req.queue_url = r.str(body, "QueueUrl");
  auto entries = r.entries(body);
  for (std::size_t i = 0; i < entries.size() && r.ok(); ++i) {
    std::string path = BodyReader::entry_path(i);
    sqs::SendMessageBatchRequestEntry e;
    e.id = r.str(*entries[i], "Id", path);
    read_send_members(r, *entries[i], path, e);
    req.entries.push_back(std::move(e));
  }
  return r.finish(std::move(req));
}

Read<sqs::ReceiveMessageRequest> read_receive_message(const json::object& body) {
  BodyReader r;
  sqs::ReceiveMessageRequest req;
  req.queue_url = r.str(body, "QueueUrl");
  req.attribute_names = r.strings(body, "AttributeNames");
  req.message_system_attribute_names = r.strings(body, "MessageSystemAttributeNames");
  req.message_attribute_names = r.strings(body, "MessageAttributeNames");
  req.max_number_of_messages = r.opt_int(body, "MaxNumberOfMessages");
  req.visibility_timeout = r.opt_int(body, "VisibilityTimeout");
  req.wait_time_seconds = r.opt_int(body, "WaitTimeSeconds");
  req.receive_request_attempt_id = r.opt_str(body, "ReceiveRequestAttemptId");
  return r.finish(std::move(req));
}

Read<sqs::DeleteMessageRequest> read_delete_message(const json::object& body) {
  BodyReader r;
  sqs::DeleteMessageRequest req;
  req.queue_url = r.str(body, "QueueUrl");
  req.receipt_handle = r.str(body, "ReceiptHandle");
  return r.finish(std::move(req));
}

Read<sqs::DeleteMessageBatchRequest> read_delete_message_batch(const json::object& body) {
  BodyReader r;
  sqs::DeleteMessageBatchRequest req;
  req.queue_url = r.str(body, "QueueUrl");
  auto entries = r.entries(body);
  for (std::size_t i = 0; i < entries.size() && r.ok(); ++i) {
    std::string path = BodyReader::entry_path(i);
    sqs::DeleteMessageBatchRequestEntry e;
    e.id = r.str(*entries[i], "Id", path);
    e.receipt_handle = r.str(*entries[i], "ReceiptHandle", path);
    req.entries.push_back(std::move(e));
  }
  return r.finish(std::move(req));
}

Read<sqs::ChangeMessageVisibilityRequest> read_change_message_visibility(const json::object& body) {
  BodyReader r;
  sqs::ChangeMessageVisibilityRequest req;
  req.queue_url = r.str(body, "QueueUrl");
  req.receipt_handle = r.str(body, "ReceiptHandle");
  req.visibility_timeout = r.opt_int(body, "VisibilityTimeout");
  return r.finish(std::move(req));
}

Read<sqs::ChangeMessageVisibilityBatchRequest> read_change_message_visibility_batch(
    const json::object& body) {
  BodyReader r;
  sqs::ChangeMessageVisibilityBatchRequest req;
  req.queue_url = r.str(body, "QueueUrl");
  auto entries = r.entries(body);
  for (std::size_t i = 0; i < entries.size() && r.ok(); ++i) {
    std::string path = BodyReader::entry_path(i);
    sqs::ChangeMessageVisibilityBatchRequestEntry e;
    e.id = r.str(*entries[i], "Id", path);
    e.receipt_handle = r.str(*entries[i], "ReceiptHandle", path);
    e.visibility_timeout = r.opt_int(*entries[i], "VisibilityTimeout", path);
    req.entries.push_back(std::move(e));
  }
  return r.finish(std::move(req));
}

json::object to_json(const sqs::CreateQueueResponse& r) { return {{"QueueUrl", r.queue_url}}; }

json::object to_json(const sqs::GetQueueUrlResponse& r) { return {{"QueueUrl", r.queue_url}}; }

json::object to_json(const sqs::ListQueuesResponse& r) {
  json::object o;
  if (!r.queue_urls.empty()) o["QueueUrls"] = strings_json(r.queue_urls);
  put_if(o, "NextToken", r.next_token);
  return o;
}

json::object to_json(const sqs::GetQueueAttributesResponse& r) {
  json::object o;
  if (!r.attributes.empty()) o["Attributes"] = attributes_json(r.attributes);
  return o;
}

json::object to_json(const sqs::ListDeadLetterSourceQueuesResponse& r) {
  json::object o{{"queueUrls", strings_json(r.queue_urls)}};  // required, lower-case in the model
  put_if(o, "NextToken", r.next_token);
  return o;
}

json::object to_json(const sqs::SendMessageResponse& r) {
  json::object o{{"MessageId", r.message_id}, {"MD5OfMessageBody", r.md5_of_message_body}};
  put_if(o, "MD5OfMessageAttributes", r.md5_of_message_attributes);
  put_if(o, "MD5OfMessageSystemAttributes", r.md5_of_message_system_attributes);
  put_if(o, "SequenceNumber", r.sequence_number);
  return o;
}

json::object to_json(const sqs::SendMessageBatchResponse& r) {
  json::array ok;
  for (const auto& s : r.successful) {
    json::object e{
        {"Id", s.id}, {"MessageId", s.message_id}, {"MD5OfMessageBody", s.md5_of_message_body}};
    put_if(e, "MD5OfMessageAttributes", s.md5_of_message_attributes);
    put_if(e, "MD5OfMessageSystemAttributes", s.md5_of_message_system_attributes);
    put_if(e, "SequenceNumber", s.sequence_number);
    ok.emplace_back(std::move(e));
  }
  return {{"Successful", std::move(ok)}, {"Failed", failed_json(r.failed)}};
}

json::object to_json(const sqs::ReceiveMessageResponse& r) {
  json::object o;
  if (r.messages.empty()) return o;
  json::array messages;
  messages.reserve(r.messages.size());
  for (const auto& m : r.messages) {
    json::object e{{"MessageId", m.message_id},
                   {"ReceiptHandle", m.receipt_handle},
                   {"MD5OfBody", m.md5_of_body},
                   {"Body", m.body}};
    if (!m.attributes.empty()) e["Attributes"] = attributes_json(m.attributes);
    put_if(e, "MD5OfMessageAttributes", m.md5_of_message_attributes);
    if (!m.message_attributes.empty()) {
      e["MessageAttributes"] = message_attributes_json(m.message_attributes);
    }
    messages.emplace_back(std::move(e));
  }
  o["Messages"] = std::move(messages);
  return o;
}

json::object to_json(const sqs::DeleteMessageBatchResponse& r) {
  return id_batch_json(r.successful, r.failed);
}

json::object to_json(const sqs::ChangeMessageVisibilityBatchResponse& r) {
  return id_batch_json(r.successful, r.failed);
}

}  // namespace twin::sim::http::sqs_json
