#include "core/events/sqs_event.h"

#include <boost/json.hpp>

#include "core/encoding.h"
#include "core/events/json_reader.h"
#include "core/events/json_scan.h"

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

json::object to_json(const StringPairs& pairs) {
  json::object attrs;
  for (const auto& [k, v] : pairs) attrs[k] = v;
  return attrs;
}

json::object message_attributes_json(const std::vector<SqsMessageAttribute>& attributes) {
  json::object mattrs;
  for (const SqsMessageAttribute& a : attributes) {
    json::object m;
    if (a.string_value) m["stringValue"] = *a.string_value;
    if (a.binary_value) m["binaryValue"] = *a.binary_value;
    m["stringListValues"] = json::array();
    m["binaryListValues"] = json::array();
    m["dataType"] = a.data_type;
    mattrs[a.name] = std::move(m);
  }
  return mattrs;
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

namespace {

using Kind = JsonScanner::Kind;

// One record for the fast reader; false on anything the tree reader should decide (a wrong
// type, a repeated member, message attributes, which no twin queue message carries).
bool fast_record(JsonScanner& s, SqsRecord& rec, std::string& scratch) {
  if (!s.begin_object()) return false;
  std::string* texts[] = {&rec.message_id,  &rec.receipt_handle, &rec.body,
                          &rec.md5_of_body, &rec.event_source,   &rec.event_source_arn,
                          &rec.aws_region};
  constexpr std::string_view kTexts[] = {"messageId",   "receiptHandle",  "body",     "md5OfBody",
                                         "eventSource", "eventSourceARN", "awsRegion"};
  std::uint32_t seen = 0;
  std::string_view key, value;
  while (s.next_key(key)) {
    unsigned i = 0;
    while (i < std::size(kTexts) && kTexts[i] != key) ++i;
    unsigned bit = i < std::size(kTexts)             ? i
                   : key == "attributes"             ? 7
                   : key == "messageAttributes"      ? 8
                   : key == "md5OfMessageAttributes" ? 9
                                                     : 10;
    if (bit < 10) {
      if (seen & (1u << bit)) return false;
      seen |= 1u << bit;
    }
    if (s.peek() == Kind::kNull && bit != 8) {  // null reads as absent
      if (!s.null()) return false;
      continue;
    }
    if (bit < 7) {
      if (!s.string(value, scratch)) return false;
      texts[bit]->assign(value);
    } else if (bit == 7) {
      if (!s.begin_object()) return false;
      std::string_view name;
      while (s.next_key(name)) {
        for (const auto& [k, v] : rec.attributes) {
          if (k == name) return false;
        }
        std::string n(name);
        if (!s.string(value, scratch)) return false;
        rec.attributes.emplace_back(std::move(n), std::string(value));
      }
      if (s.failed()) return false;
    } else if (bit == 8) {
      std::string_view ignored;
      if (!s.begin_object() || s.next_key(ignored)) return false;  // only {} here
    } else if (bit == 9) {
      if (!s.string(value, scratch)) return false;
      rec.md5_of_message_attributes = std::string(value);
    } else if (!s.skip()) {
      return false;
    }
  }
  // messageId and body are required (the tree reader names them when missing).
  return !s.failed() && (seen & 1u) != 0 && (seen & 4u) != 0;
}

}  // namespace

bool read_sqs_event_fast(std::string_view text, SqsEvent& out) {
  JsonScanner s(text);
  std::string scratch;
  if (!s.begin_object()) return false;
  bool records = false;
  std::string_view key;
  while (s.next_key(key)) {
    if (key != "Records") {
      if (!s.skip()) return false;
      continue;
    }
    if (records || !s.begin_array()) return false;
    records = true;
    while (s.next_element()) {
      if (!fast_record(s, out.records.emplace_back(), scratch)) return false;
    }
    if (s.failed()) return false;
  }
  return records && s.finish();
}

std::string serialize(const SqsEvent& event) {
  std::string out = "{\"Records\":[";
  for (std::size_t i = 0; i < event.records.size(); ++i) {
    const SqsRecord& rec = event.records[i];
    if (i != 0) out += ',';
    auto text = [&out](std::string_view name, std::string_view value) {
      out += out.back() == '{' ? "" : ",";
      append_json_string(out, name);
      out += ':';
      append_json_string(out, value);
    };
    out += '{';
    text("messageId", rec.message_id);
    text("receiptHandle", rec.receipt_handle);
    text("body", rec.body);
    out += ",\"attributes\":";
    out += json::serialize(to_json(rec.attributes));
    out += ",\"messageAttributes\":";
    out += json::serialize(message_attributes_json(rec.message_attributes));
    if (rec.md5_of_message_attributes)
      text("md5OfMessageAttributes", *rec.md5_of_message_attributes);
    text("md5OfBody", rec.md5_of_body);
    text("eventSource", rec.event_source);
    text("eventSourceARN", rec.event_source_arn);
    text("awsRegion", rec.aws_region);
    out += '}';
  }
  out += "]}";
  return out;
}

json::object to_json(const SqsEvent& event) {
  json::array records;
  for (const SqsRecord& rec : event.records) {
    json::object o;
    o["messageId"] = rec.message_id;
    o["receiptHandle"] = rec.receipt_handle;
    o["body"] = rec.body;
    o["attributes"] = to_json(rec.attributes);
    o["messageAttributes"] = message_attributes_json(rec.message_attributes);
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
