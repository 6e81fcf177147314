#include "core/queued_message.h"

#include <boost/json.hpp>

#include "core/encoding.h"
#include "core/events/json_reader.h"
#include "core/events/json_scan.h"

namespace twin::core {
namespace json = boost::json;

std::string queue_payload(const InboundMessage& m) {
  std::string out = "{\"MessageSid\":";
  append_json_string(out, m.message_sid);
  out += ",\"From\":";
  append_json_string(out, m.from);
  out += ",\"To\":";
  append_json_string(out, m.to);
  out += ",\"Body\":";
  append_json_string(out, m.body);
  out += ",\"received_at_us\":";
  out += std::to_string(m.received_at_us);
  out += '}';
  return out;
}

Result<InboundMessage> parse_queued_message(std::string_view body, TimeUs now) {
  json::error_code ec;
  json::value v = json::parse(json::string_view(body.data(), body.size()), ec);
  JsonReader r;
  InboundMessage m;
  if (ec || !v.is_object()) {
    r.fail("$.body", "not a JSON object");
  } else {
    const json::object& o = v.get_object();
    m.message_sid = r.string(o, "MessageSid", "$.body", Need::kRequired).value_or("");
    m.from = r.string(o, "From", "$.body", Need::kRequired).value_or("");
    m.to = r.string(o, "To", "$.body", Need::kRequired).value_or("");
    m.body = r.string(o, "Body", "$.body", Need::kOptional).value_or("");
    m.received_at_us = r.integer(o, "received_at_us", "$.body", Need::kOptional).value_or(now);
    if (r.ok() && m.message_sid.empty()) r.fail("$.body.MessageSid", "must not be empty");
  }
  if (!r.ok()) return invalid_argument(r.error());
  return m;
}

bool read_queued_message_fast(std::string_view body, TimeUs now, InboundMessage& out) {
  JsonScanner s(body);
  std::string scratch;
  if (!s.begin_object()) return false;
  std::string* texts[] = {&out.message_sid, &out.from, &out.to, &out.body};
  constexpr std::string_view kTexts[] = {"MessageSid", "From", "To", "Body"};
  constexpr unsigned kTimeBit = 4;
  unsigned seen = 0;
  std::string_view key, value;
  while (s.next_key(key)) {
    unsigned i = 0;
    while (i < std::size(kTexts) && kTexts[i] != key) ++i;
    const unsigned bit = i < std::size(kTexts) ? i : key == "received_at_us" ? kTimeBit : 5;
    if (bit == 5) {
      if (!s.skip()) return false;
      continue;
    }
    if ((seen & (1u << bit)) != 0 || s.peek() == JsonScanner::Kind::kNull) return false;
    seen |= 1u << bit;
    if (bit == kTimeBit) {
      if (!s.integer(out.received_at_us)) return false;
    } else {
      if (!s.string(value, scratch)) return false;
      texts[bit]->assign(value);
    }
  }
  if (!s.finish() || (seen & 0b111) != 0b111 || out.message_sid.empty()) return false;
  if ((seen & (1u << 3)) == 0) out.body.clear();
  if ((seen & (1u << kTimeBit)) == 0) out.received_at_us = now;
  return true;
}

}  // namespace twin::core
