#include "core/handler.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cstring>
#include <exception>
#include <set>
#include <string_view>

#include "core/crypto.h"
#include "core/encoding.h"
#include "core/events/json_reader.h"
#include "core/json_text.h"
#include "core/queued_message.h"
#include "core/twilio.h"

namespace twin::core {
namespace json = boost::json;
namespace {

constexpr std::string_view kRouteTrigger = "/trigger";
constexpr std::string_view kRouteWebhook = "/webhook";

// A key of a JsonBody: a literal, checked when the program is compiled to need no escape, so it
// is written as it is.
class JsonKey {
 public:
  consteval JsonKey(const char* key) : text_(key) {
    if (!is_plain_json_text(text_)) throw "a JSON key of the handler must need no escape";
  }
  std::string_view text() const { return text_; }

 private:
  std::string_view text_;
};

// A JSON object written field by field straight into its text; the responses are small and
// fixed in shape, so no JSON tree is built for them. The text is written through a pointer into
// a buffer that each field first makes room in for its worst case (every value byte escaped),
// and trimmed at the end. Values are escaped; keys need no escape (JsonKey).
//
// As BodyText::kEscaped, the text is written already escaped as the content of a JSON string,
// the form the Lambda response's "body" holds it in (invoke() then copies it as it is): its
// quotes are written \" and its values escaped twice.
class JsonBody {
 public:
  // Writes into `buffer`, whose capacity it keeps (a spare response's body, see Answers).
  JsonBody(std::string buffer, BodyText form)
      : out_(std::move(buffer)), escaped_(form == BodyText::kEscaped) {
    out_.resize(std::max(out_.capacity(), kInitialBytes));
    p_ = out_.data();
  }
  JsonBody(JsonBody&& other) noexcept : escaped_(other.escaped_) {
    const auto used = other.p_ - other.out_.data();
    out_ = std::move(other.out_);
    p_ = out_.data() + used;
  }
  JsonBody(const JsonBody&) = delete;
  JsonBody& operator=(const JsonBody&) = delete;
  JsonBody& operator=(JsonBody&&) = delete;
  JsonBody& text(JsonKey key, std::string_view value) {
    open_field(key, 2 * kQuoteBytesMax + value_room(value.size()));
    quote();
    value_at_p(value);
    quote();
    return *this;
  }
  // One string value made of two texts with a space between ("John" "Smith" -> "John Smith").
  JsonBody& words(JsonKey key, std::string_view first, std::string_view second) {
    open_field(key, 2 * kQuoteBytesMax + 1 + value_room(first.size() + second.size()));
    quote();
    value_at_p(first);
    *p_++ = ' ';
    value_at_p(second);
    quote();
    return *this;
  }
  JsonBody& boolean(JsonKey key, bool value) {
    open_field(key, 5);
    put(value ? "true" : "false");
    return *this;
  }
  JsonBody& field_errors(JsonKey key, const std::vector<FieldError>& errors) {
    static constexpr JsonKey kField = "field", kError = "error";
    open_field(key, 1);
    *p_++ = '[';
    for (std::size_t i = 0; i < errors.size(); ++i) {
      const FieldError& e = errors[i];
      // Two commas and two braces, two keys, four quotes and the two values.
      room(4 + key_room(kField) + key_room(kError) + 4 * kQuoteBytesMax +
           value_room(e.field.size() + e.error.size()));
      if (i != 0) *p_++ = ',';
      *p_++ = '{';
      key_at_p(kField);
      quote();
      value_at_p(e.field);
      quote();
      *p_++ = ',';
      key_at_p(kError);
      quote();
      value_at_p(e.error);
      quote();
      *p_++ = '}';
    }
    room(1);
    *p_++ = ']';
    return *this;
  }
  std::string finish() && {
    room(1);
    *p_++ = '}';
    out_.resize(static_cast<std::size_t>(p_ - out_.data()));
    return std::move(out_);
  }

 private:
  // Enough for the handler's answers as they are usually filled, so that they rarely grow.
  static constexpr std::size_t kInitialBytes = 512;

  // A quote, `"` or (escaped) `\"`; a key with its quotes and colon.
  static constexpr std::size_t kQuoteBytesMax = 2;
  static std::size_t key_room(JsonKey key) { return key.text().size() + 2 * kQuoteBytesMax + 1; }
  std::size_t value_room(std::size_t bytes) const {
    return escaped_ ? json_escaped_twice_room(bytes) : json_escaped_room(bytes);
  }
  void quote() {
    if (escaped_) *p_++ = '\\';
    *p_++ = '"';
  }
  void value_at_p(std::string_view value) {
    p_ = escaped_ ? write_json_escaped_twice(p_, value) : write_json_escaped(p_, value);
  }
  void key_at_p(JsonKey key) {
    quote();
    put(key.text());
    quote();
    *p_++ = ':';
  }

  // Makes sure `bytes` more can be written at p_.
  void room(std::size_t bytes) {
    const auto used = static_cast<std::size_t>(p_ - out_.data());
    if (out_.size() - used < bytes) {
      out_.resize(std::max(2 * out_.size(), used + bytes));
      p_ = out_.data() + used;
    }
  }
  // Writes `text`, which room() has made room for.
  void put(std::string_view text) { p_ = json_text::copy_bytes(p_, text.data(), text.size()); }
  void open_field(JsonKey key, std::size_t value_bytes_max) {
    room(1 + key_room(key) + value_bytes_max);
    const char separator = p_ == out_.data() ? '{' : ',';
    *p_++ = separator;
    key_at_p(key);
  }

  std::string out_;
  char* p_;  // the end of what is written so far, within out_
  bool escaped_;
};

// The handler's answers to one request. Each is made in the buffers of the handler's spare
// response (Handler::spare_response_): its body's capacity and its header strings, which the
// last answer invoke() wrote left there. In the usual run of requests an answer is then made
// without allocating. Bodies are made in the form `form` (invoke() asks for them escaped, see
// JsonBody).
class Answers {
 public:
  Answers(ProxyResponse& spare, const std::string& request_id, BodyText form)
      : spare_(spare), request_id_(request_id), form_(form) {}

  // A JSON body to fill, in the spare body's buffer.
  JsonBody body() { return JsonBody(std::move(spare_.body), form_); }
  // The body gets the request id as its last field.
  ProxyResponse json(int status, JsonBody body) {
    ProxyResponse r = fresh(status, "application/json");
    r.body = std::move(body.text("request_id", request_id_)).finish();
    return r;
  }
  ProxyResponse message(int status, std::string_view message) {
    return json(status, std::move(body().text("message", message)));
  }
  ProxyResponse internal_error() { return message(500, "Error processing request"); }
  ProxyResponse twiml() {
    ProxyResponse r = fresh(200, "text/xml");
    if (form_ == BodyText::kEscaped) {
      append_json_escaped(r.body, kEmptyTwiml);
    } else {
      r.body.assign(kEmptyTwiml);
    }
    return r;
  }

 private:
  // The spare response as a new one with the headers Content-Type and X-Request-Id, written
  // over the strings already there.
  ProxyResponse fresh(int status, std::string_view content_type) {
    ProxyResponse r = std::move(spare_);
    r.status_code = status;
    r.multi_value_headers.clear();
    r.is_base64_encoded = false;
    r.body.clear();
    r.headers.resize(2);  // keeps the first two pairs' strings, drops an Allow
    r.headers[0].first.assign("Content-Type");
    r.headers[0].second.assign(content_type);
    r.headers[1].first.assign("X-Request-Id");
    r.headers[1].second.assign(request_id_);
    return r;
  }

  ProxyResponse& spare_;
  const std::string& request_id_;
  BodyText form_;
};

// The media type of a Content-Type header, lowercased, without parameters.
std::string media_type(std::optional<std::string_view> content_type) {
  if (!content_type) return {};
  std::string_view v = *content_type;
  return ascii_lower(trim(v.substr(0, v.find(';'))));
}

// The request body as bytes: a view of the event's body, or of `storage` holding its base64
// decoding when API Gateway encoded it. nullopt on bad base64.
template <typename Event>
std::optional<std::string_view> body_bytes(const Event& event, std::string& storage) {
  if (!event.body) return std::string_view();
  if (!event.is_base64_encoded) return std::string_view(*event.body);
  std::optional<std::string> decoded = base64_decode(*event.body);
  if (!decoded) return std::nullopt;
  storage = std::move(*decoded);
  return std::string_view(storage);
}

// The URL Twilio signed: the configured public prefix + resource path, or https:// + Host +
// the stage-qualified path, plus the query string rebuilt from the event.
template <typename Event>
std::string signed_url(const Event& event, const Config& config) {
  std::string url;
  if (config.public_base_url) {
    url = *config.public_base_url;
    url += event.resource;  // path may hold a base-path mapping
  } else {
    std::string_view path = event.request_context.path.empty() ? std::string_view(event.path)
                                                               : event.request_context.path;
    url = "https://" + std::string(event.header("Host").value_or("")) + std::string(path);
  }
  if (event.multi_value_query_string_parameters &&
      !event.multi_value_query_string_parameters->empty()) {
    char sep = '?';
    for (const auto& [name, values] : *event.multi_value_query_string_parameters) {
      for (const auto& value : values) {
        url += sep;
        url += url_encode(name) + "=" + url_encode(value);
        sep = '&';
      }
    }
  }
  return url;
}

}  // namespace

Result<std::string> Handler::invoke(std::string_view event_json) {
  // Most events are well-formed proxy events: read those without building a JSON tree. Any
  // other text (an SQS event, an error to name) takes the Boost.JSON path below.
  {
    ProxyEventView event;
    std::optional<std::string> answer;
    if (read_proxy_event_fast(event_json, event, decoded_)) {
      ProxyResponse response = handle(event, BodyText::kEscaped);
      answer = serialize(response, BodyText::kEscaped);
      spare_response_ = std::move(response);  // its buffers make the next answer
    }
    // The buffer keeps its capacity for the next event, unless this one was unusually large.
    if (decoded_.capacity() > kParseBufferBytes) std::string().swap(decoded_);
    if (answer) return std::move(*answer);
  }
  {
    SqsEvent event;
    if (read_sqs_event_fast(event_json, event)) return serialize(handle_sqs(event));
  }
  json::monotonic_resource arena(parse_buffer_.get(), kParseBufferBytes);
  parser_.reset(&arena);
  json::error_code ec;
  parser_.write(event_json.data(), event_json.size(), ec);
  if (ec) {
    parser_.reset();
    return invalid_argument("$: event is not valid JSON: " + ec.message());
  }
  json::value event = parser_.release();
  if (!event.is_object()) {
    return invalid_argument("$: expected object, got " + std::string(json_kind_name(event)));
  }
  const json::object& obj = event.get_object();
  if (obj.contains("Records")) {
    auto sqs = parse_sqs_event(obj);
    if (!sqs.is_ok()) return sqs.status();
    return serialize(handle_sqs(*sqs));
  }
  if (obj.contains("httpMethod")) {
    auto proxy = parse_proxy_event(obj);
    if (!proxy.is_ok()) return proxy.status();
    return serialize(handle_proxy(*proxy));
  }
  return invalid_argument(
      "$: neither an API Gateway proxy event ($.httpMethod) nor an SQS event ($.Records)");
}

ProxyResponse Handler::handle_proxy(const ProxyEvent& event) {
  return handle(event, BodyText::kRaw);
}

template <typename Event>
ProxyResponse Handler::handle(const Event& event, BodyText body_form) {
  body_form_ = body_form;
  ports_.ids.next_uuid_into(request_id_);
  const std::string& request_id = request_id_;
  if (log_.enabled(spdlog::level::debug)) {
    log_.debug(request_id, "request received",
               {{"method", event.http_method},
                {"resource", event.resource},
                {"apigw_request_id", event.request_context.request_id},
                {"headers", redacted_headers(event.headers)},
                {"body_bytes", event.body ? event.body->size() : 0}});
  }
  ProxyResponse response;
  try {
    response = route(event, request_id);
  } catch (const std::exception& e) {
    // The detail goes to the log, never to the client.
    log_.error(request_id, "unexpected error", {{"error", e.what()}});
    response = Answers(spare_response_, request_id, body_form_).internal_error();
  }
  log_.info(request_id, "request handled",
            {{"method", event.http_method},
             {"resource", event.resource},
             {"status", response.status_code}});
  return response;
}

template <typename Event>
ProxyResponse Handler::route(const Event& event, const std::string& request_id) {
  Answers answer(spare_response_, request_id, body_form_);
  std::string_view resource = event.resource;
  if (resource != kRouteTrigger && resource != kRouteWebhook) {
    return answer.message(404, "Not found");
  }
  if (event.http_method != "POST") {
    ProxyResponse r = answer.message(405, "Method not allowed");
    r.headers.emplace_back("Allow", "POST");
    return r;
  }
  // A cheap bound before any decoding: base64 text is 4/3 of its bytes (plus padding). The
  // routes check the decoded size exactly.
  std::size_t text_max =
      event.is_base64_encoded ? config_.body_bytes_max / 3 * 4 + 4 : config_.body_bytes_max;
  if (event.body && event.body->size() > text_max) {
    return answer.message(413, "Request body too large");
  }
  return resource == kRouteTrigger ? trigger(event, request_id) : webhook(event, request_id);
}

template <typename Event>
ProxyResponse Handler::trigger(const Event& event, const std::string& request_id) {
  Answers answer(spare_response_, request_id, body_form_);
  std::optional<std::string_view> key = event.header("x-api-key");
  // Fail closed: without a configured key nothing is let in.
  bool authorised = config_.api_key.has_value() && key.has_value() &&
                    constant_time_equals(*config_.api_key, *key);
  if (!authorised) {
    log_.warn(request_id, "api key rejected", {{"key_present", key.has_value()}});
    return answer.message(403, "Forbidden: Invalid or missing API key");
  }
  auto invalid = [&](std::string field, std::string error) {
    std::vector<FieldError> errors{{std::move(field), std::move(error)}};
    return answer.json(400, std::move(answer.body()
                                          .text("message", "Invalid registration data")
                                          .field_errors("errors", errors)));
  };
  std::string decoded;
  std::optional<std::string_view> body = body_bytes(event, decoded);
  if (!body) return invalid("body", "is not valid base64");
  if (body->size() > config_.body_bytes_max) {
    return answer.message(413, "Request body too large");
  }
  if (!event.body || trim(*body).empty()) return invalid("body", "is required");
  // The body is read without a JSON tree when the scanner is sure of it (it also checks the
  // UTF-8); anything else goes through Boost.JSON, which says what is wrong.
  RegistrationPayload payload_fields;
  json::value payload;
  if (!read_registration_payload_fast(*body, payload_fields)) {
    if (!is_valid_utf8(*body)) return invalid("body", "is not valid UTF-8");
    json::error_code ec;
    payload = json::parse(json::string_view(body->data(), body->size()), ec);
    if (ec) return invalid("body", "is not valid JSON");
    if (!payload.is_object()) {
      return invalid("body", "must be a JSON object, not " + std::string(json_kind_name(payload)));
    }
    payload_fields = registration_payload(payload.get_object());
  }
  RegistrationRequest request;
  std::vector<FieldError> errors = validate_registration(payload_fields, request);
  if (!errors.empty()) {
    json::array fields;
    for (const FieldError& e : errors) fields.emplace_back(e.field);
    log_.warn(request_id, "registration rejected", {{"fields", fields}});
    return answer.json(400, std::move(answer.body()
                                          .text("message", "Invalid registration data")
                                          .field_errors("errors", errors)));
  }
  bool created = false;
  registration_natural_key(request, natural_key_);
  Result<std::optional<Registration>> found =
      ports_.registrations.find_by_natural_key(natural_key_);
  if (Status s = register_player(request, request_id, found, created); !s.is_ok()) {
    log_.error(request_id, "registration failed", {{"error", s.to_string()}});
    return answer.internal_error();
  }
  const Registration& reg = **found;
  const RegistrationRequest& r = reg.request;
  return answer.json(200, std::move(answer.body()
                                        .text("message", "Registration data received successfully")
                                        .words("player", r.player_first_name, r.player_last_name)
                                        .words("parent", r.parent_first_name, r.parent_last_name)
                                        .words("team", r.team_name, r.age_group)
                                        .text("status", to_string(reg.status))
                                        .text("registration_id", reg.registration_id)
                                        .boolean("created", created)));
}

Status Handler::register_player(const RegistrationRequest& request, const std::string& request_id,
                                Result<std::optional<Registration>>& found, bool& created) {
  if (!found.is_ok()) return found.status();
  if (!found->has_value()) {
    Registration& reg = found->emplace();
    reg.registration_id = ports_.ids.next_uuid();
    reg.request = request;
    reg.created_at_us = reg.updated_at_us = ports_.clock.now();
    if (Status s = ports_.registrations.insert(reg); !s.is_ok()) return s;
    created = true;
  }
  Registration& reg = **found;
  // A retry of a request whose invitation failed sends it now; one that succeeded sends nothing.
  if (!reg.invitation_sent) {
    Invitation inv{reg.registration_id, "whatsapp:" + reg.request.parent_tel,
                   "Hello " + reg.request.parent_first_name + ", " + reg.request.manager_full_name +
                       " invites " + reg.request.player_first_name + " to register with " +
                       reg.request.team_name + " " + reg.request.age_group + " for " +
                       reg.request.current_registration_season +
                       ". Reply to this message to confirm."};
    if (Status s = ports_.messenger.send_invitation(inv); !s.is_ok()) return s;
    reg.invitation_sent = true;
    reg.updated_at_us = ports_.clock.now();
    if (Status s = ports_.registrations.update(reg); !s.is_ok()) return s;
    log_.info(request_id, "invitation sent", {{"registration_id", reg.registration_id}});
  }
  return Status::ok();
}

template <typename Event>
ProxyResponse Handler::webhook(const Event& event, const std::string& request_id) {
  Answers answer(spare_response_, request_id, body_form_);
  std::string type = media_type(event.header("Content-Type"));
  std::string decoded;
  std::optional<std::string_view> body = body_bytes(event, decoded);
  auto bad_request = [&](std::string_view why) {
    log_.warn(request_id, "webhook rejected", {{"reason", why}});
    return answer.message(400, std::string("Bad request: ") + std::string(why));
  };
  if (!body) return bad_request("body is not valid base64");
  if (body->size() > config_.body_bytes_max) {
    return answer.message(413, "Request body too large");
  }
  if (!is_valid_utf8(*body)) return bad_request("body is not valid UTF-8");

  std::vector<FormField> fields;
  if (type == "application/x-www-form-urlencoded") {
    std::string error;
    auto parsed = parse_form(*body, &error);
    if (!parsed) return bad_request(error);
    fields = std::move(*parsed);
    if (config_.twilio_auth_token) {
      std::optional<std::string_view> signature = event.header("X-Twilio-Signature");
      if (!signature || !twilio_signature_valid(*config_.twilio_auth_token,
                                                signed_url(event, config_), fields, *signature)) {
        log_.warn(request_id, "twilio signature rejected", {{"present", signature.has_value()}});
        return answer.message(403, "Forbidden: invalid Twilio signature");
      }
    }
  } else if (type == "application/json") {
    if (config_.twilio_auth_token) {
      return answer.message(403, "Forbidden: signed form body required");
    }
    json::error_code ec;
    json::value v = json::parse(json::string_view(body->data(), body->size()), ec);
    if (ec || !v.is_object()) return bad_request("body must be a JSON object");
    for (const auto& [k, value] : v.get_object()) {
      if (!value.is_string()) return bad_request("field " + std::string(k) + " must be a string");
      fields.emplace_back(std::string(k), std::string(value.get_string()));
    }
  } else {
    return answer.message(415, "Unsupported Content-Type");
  }

  InboundMessage message;
  message.received_at_us = ports_.clock.now();
  for (auto [name, target] :
       {std::pair<std::string_view, std::string*>{"MessageSid", &message.message_sid},
        {"From", &message.from},
        {"To", &message.to},
        {"Body", &message.body}}) {
    int count = 0;
    for (const auto& [k, v] : fields) {
      if (k == name) {
        *target = v;
        ++count;
      }
    }
    if (count > 1) return bad_request("field " + std::string(name) + " repeated");
    if (count == 0 && name != "Body")
      return bad_request("field " + std::string(name) + " is required");
    if (name != "Body" && target->empty())
      return bad_request("field " + std::string(name) + " is empty");
  }

  if (config_.webhook_queue_enabled) {
    auto sent = ports_.queue.send(queue_payload(message));
    if (!sent.is_ok()) {
      // Twilio gets a 5xx and the message is not acknowledged; nothing is lost silently.
      log_.error(request_id, "enqueue failed",
                 {{"error", sent.status().to_string()}, {"message_sid", message.message_sid}});
      return answer.internal_error();
    }
    log_.info(request_id, "webhook queued",
              {{"message_sid", message.message_sid}, {"queue_message_id", *sent}});
    return answer.twiml();
  }
  if (Status s = process_message(message, request_id); !s.is_ok()) {
    log_.error(request_id, "webhook processing failed", {{"error", s.to_string()}});
    return answer.internal_error();
  }
  return answer.twiml();
}

Status Handler::process_message(const InboundMessage& message, const std::string& request_id) {
  TimeUs now = ports_.clock.now();
  auto seen = ports_.idempotency.seen(message.message_sid, now);
  if (!seen.is_ok()) return seen.status();
  if (*seen) {
    log_.info(request_id, "duplicate message ignored", {{"message_sid", message.message_sid}});
    return Status::ok();
  }
  // Effects first (each idempotent), the idempotency record last: a crash in between repeats
  // harmless work instead of losing the message.
  if (Status s = ports_.registrations.record_inbound(message); !s.is_ok()) return s;
  std::string_view phone = message.from;
  if (phone.starts_with("whatsapp:")) phone.remove_prefix(9);
  auto replied = ports_.registrations.mark_replied(phone, message.received_at_us, now);
  if (!replied.is_ok()) return replied.status();
  if (Status s = ports_.idempotency.record(message.message_sid, now + config_.idempotency_ttl_us);
      !s.is_ok()) {
    return s;
  }
  log_.info(request_id, "message processed",
            {{"message_sid", message.message_sid}, {"registrations_replied", *replied}});
  return Status::ok();
}

// From a FIFO queue (reference 4.4), once a record of a message group fails, the group's later
// records are listed as failed without being processed, so the retry keeps their order; other
// groups go on (AWS asks a FIFO function to stop at the first failure; stopping per group keeps
// the same order and loses less work).
namespace {

const std::string* fifo_group(const SqsRecord& record) {
  if (!std::string_view(record.event_source_arn).ends_with(".fifo")) return nullptr;
  for (const auto& [name, value] : record.attributes) {
    if (name == "MessageGroupId") return &value;
  }
  return nullptr;
}

}  // namespace

SqsBatchResponse Handler::handle_sqs(const SqsEvent& event) {
  ports_.ids.next_uuid_into(request_id_);
  const std::string& request_id = request_id_;
  SqsBatchResponse response;
  std::set<std::string_view> failed_groups;
  for (const SqsRecord& record : event.records) {
    const std::string* group = fifo_group(record);
    if (group != nullptr && failed_groups.contains(*group)) {
      log_.warn(request_id, "record held back behind a failed one of its message group",
                {{"message_id", record.message_id}, {"message_group_id", *group}});
      response.batch_item_failures.push_back(record.message_id);
      continue;
    }
    Status status;
    try {
      // Bodies this handler queued are read without a JSON tree, into the kept message;
      // anything else goes through Boost.JSON, which names what is wrong.
      const TimeUs now = ports_.clock.now();
      if (read_queued_message_fast(record.body, now, inbound_)) {
        status = process_message(inbound_, request_id);
      } else {
        Result<InboundMessage> m = parse_queued_message(record.body, now);
        status = m.is_ok() ? process_message(*m, request_id) : m.status();
      }
    } catch (const std::exception& e) {
      status = internal_error(e.what());
    }
    if (!status.is_ok()) {
      log_.error(request_id, "record failed",
                 {{"message_id", record.message_id}, {"error", status.to_string()}});
      response.batch_item_failures.push_back(record.message_id);
      if (group != nullptr) failed_groups.insert(*group);
    }
  }
  log_.info(request_id, "batch handled",
            {{"records", event.records.size()}, {"failures", response.batch_item_failures.size()}});
  return response;
}

}  // namespace twin::core
