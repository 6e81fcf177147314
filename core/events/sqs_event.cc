#include "core/events/sqs_event.h"

#include <boost/json.hpp>

#include "core/events/json_reader.h"

namespace twin::core {
namespace json = boost::json;
namespace {

void read_message_attributes(JsonReader& r, const json::object& rec, const std::string& path,
                             std::vector<SqsMessageAttribute>& out) {
  const json::object* attrs = r.object(rec, "messageAttributes", path, Need::kOptional);
  if (attrs == nullptr) return;
  std::string attrs_path = json_path_join(path, "messageAttributes");
  for (const auto& [name, value] : *attrs) {
    std::string_view n(name.data(), name.size());
    std::string p = json_path_join(attrs_path, n);
    if (!value.is_object()) {
      r.fail(p, "expected object, got " + std::string(json_kind_name(value)));
      return;
    }
    const json::object& a = value.get_object();
    SqsMessageAttribute attr;
    attr.name = std::string(n);
    attr.data_type = r.string(a, "dataType", p, Need::kRequired).value_or("");
    attr.string_value = r.string(a, "stringValue", p, Need::kOptional);
    attr.binary_value = r.string(a, "binaryValue", p, Need::kOptional);
    r.array(a, "stringListValues", p, Need::kOptional);
    r.array(a, "binaryListValues", p, Need::kOptional);
    out.push_back(std::move(attr));
  }
}

std::optional<SqsRecord> read_record(JsonReader& r, const json::value& value,
                                     const std::string& path) {
  if (!value.is_object()) {
    r.fail(path, "expected object, got " + std::string(json_kind_name(value)));
    return std::nullopt;
  }
  const json::object& rec = value.get_object();
  SqsRecord out;
  out.message_id = r.string(rec, "messageId", path, Need::kRequired).value_or("");
  out.body = r.string(rec, "body", path, Need::kRequired).value_or("");
  out.receipt_handle = r.string(rec, "receiptHandle", path, Need::kOptional).value_or("");
  if (const json::object* attrs = r.object(rec, "attributes", path, Need::kOptional)) {
    std::string p = json_path_join(path, "attributes");
    for (const auto& [name, v] : *attrs) {
      std::string_view n(name.data(), name.size());
      if (auto s = r.as_string(v, p, n)) out.attributes.emplace_back(n, *s);
    }
  }
  read_message_attributes(r, rec, path, out.message_attributes);
  out.md5_of_message_attributes = r.string(rec, "md5OfMessageAttributes", path, Need::kOptional);
  out.md5_of_body = r.string(rec, "md5OfBody", path, Need::kOptional).value_or("");
  out.event_source = r.string(rec, "eventSource", path, Need::kOptional).value_or("aws:sqs");
  out.event_source_arn = r.string(rec, "eventSourceARN", path, Need::kOptional).value_or("");
  out.aws_region = r.string(rec, "awsRegion", path, Need::kOptional).value_or("");
  if (!r.ok()) return std::nullopt;
  return out;
}

}  // namespace

Result<SqsEvent> parse_sqs_event(const json::object& event) {
  JsonReader r;
  SqsEvent out;
  const json::array* records = r.array(event, "Records", "$", Need::kRequired);
  if (records != nullptr) {
    for (std::size_t i = 0; i < records->size() && r.ok(); ++i) {
      auto rec = read_record(r, (*records)[i], json_path_index("$.Records", i));
      if (rec) out.records.push_back(std::move(*rec));
    }
  }
  if (!r.ok()) return invalid_argument(r.error());
  return out;
}

json::object to_json(const SqsEvent& event) {
  json::array records;
  for (const SqsRecord& rec : event.records) {
    json::object o;
    o["messageId"] = rec.message_id;
    o["receiptHandle"] = rec.receipt_handle;
    o["body"] = rec.body;
    json::object attrs;
    for (const auto& [k, v] : rec.attributes) attrs[k] = v;
    o["attributes"] = std::move(attrs);
    json::object mattrs;
    for (const SqsMessageAttribute& a : rec.message_attributes) {
      json::object m;
      if (a.string_value) m["stringValue"] = *a.string_value;
      if (a.binary_value) m["binaryValue"] = *a.binary_value;
      m["stringListValues"] = json::array();
      m["binaryListValues"] = json::array();
      m["dataType"] = a.data_type;
      mattrs[a.name] = std::move(m);
    }
    o["messageAttributes"] = std::move(mattrs);
    if (rec.md5_of_message_attributes) o["md5OfMessageAttributes"] = *rec.md5_of_message_attributes;
    o["md5OfBody"] = rec.md5_of_body;
    o["eventSource"] = rec.event_source;
    o["eventSourceARN"] = rec.event_source_arn;
    o["awsRegion"] = rec.aws_region;
    records.push_back(std::move(o));
  }
  json::object out;
  out["Records"] = std::move(records);
  return out;
}

json::object to_json(const SqsBatchResponse& response) {
  json::array failures;
  for (const std::string& id : response.batch_item_failures) {
    failures.push_back(json::object{{"itemIdentifier", id}});
  }
  json::object out;
  out["batchItemFailures"] = std::move(failures);
  return out;
}

std::string serialize(const SqsBatchResponse& response) {
  return json::serialize(to_json(response));
}

}  // namespace twin::core
