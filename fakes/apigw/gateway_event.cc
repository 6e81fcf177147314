// The Gateway's proxy event v1 for a request that passed the pipeline (reference 1.5): the
// client's headers with what API Gateway adds, the query string, the request context.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <utility>

#include "core/encoding.h"
#include "fakes/apigw/apigw_time.h"
#include "fakes/apigw/gateway.h"

namespace twin::fakes::apigw {

namespace {

// Appends the first `count` hex digits of a UUID, without its dashes (written through a
// pointer: an append per character cost twice as much).
void append_hex_digits(std::string& out, std::string_view uuid, std::size_t count) {
  const std::size_t start = out.size();
  out.resize(start + std::min(count, uuid.size()));
  char* digit = out.data() + start;
  for (std::size_t i = 0; i < uuid.size() && count > 0; ++i) {
    if (uuid[i] != '-') {
      *digit++ = uuid[i];
      --count;
    }
  }
  out.resize(static_cast<std::size_t>(digit - out.data()));
}

constexpr std::size_t kNoHeader = static_cast<std::size_t>(-1);

// Writes the event's `headers` and `multiValueHeaders` together, so entry i of one names the same
// header as entry i of the other: one search serves both. Header names keep the client's casing;
// `headers` keeps the last value of a repeated name at the place of its first occurrence,
// `multiValueHeaders` all of them (reference 1.5).
// The event may be one an earlier request built (build_event): its entries are written over in
// place, so that their strings keep their capacity, and finish() cuts off what is left of them.
class HeaderWriter {
 public:
  explicit HeaderWriter(core::ProxyEvent& event) : event_(event) {}

  // The place of `name` (case-insensitive) among the headers written so far, or kNoHeader.
  std::size_t find(std::string_view name) const {
    for (std::size_t i = 0; i < count_; ++i) {
      const std::string& candidate = event_.headers[i].first;
      if (candidate.size() == name.size() && core::ascii_iequals(candidate, name)) return i;
    }
    return kNoHeader;
  }
  // Adds a value of `name`, taking the two strings (the client's); `at` is find(name).
  void take(std::size_t at, std::string&& name, std::string&& value) {
    if (at != kNoHeader) return repeat(at, std::move(value));
    auto [single, multi] = next();
    single.first = name;
    single.second = value;
    multi.first = std::move(name);
    multi.second.front() = std::move(value);
  }
  // Adds a header the gateway writes (`at` is find(name)), copied into the strings there.
  void add(std::size_t at, std::string_view name, std::string_view value) {
    if (at != kNoHeader) return repeat(at, std::string(value));
    auto [single, multi] = next();
    single.first = name;
    single.second = value;
    multi.first = name;
    multi.second.front() = value;
  }
  // Adds a header whose value `write` writes over the string it is given.
  template <typename Write>
  void add_new(std::string_view name, Write&& write) {
    auto [single, multi] = next();
    single.first = name;
    std::forward<Write>(write)(single.second);
    multi.first = name;
    multi.second.front() = single.second;
  }
  // The value `headers` holds for the header at `at`.
  const std::string& value(std::size_t at) const { return event_.headers[at].second; }
  void finish() {
    event_.headers.resize(count_);
    event_.multi_value_headers.resize(count_);
  }

 private:
  struct Entry {
    std::pair<std::string, std::string>& single;
    std::pair<std::string, std::vector<std::string>>& multi;
  };
  void repeat(std::size_t at, std::string value) {
    event_.headers[at].second = value;
    event_.multi_value_headers[at].second.push_back(std::move(value));
  }
  // The next entry of both lists, holding one value (an old entry's strings are written over).
  Entry next() {
    if (count_ == event_.headers.size()) event_.headers.emplace_back();
    if (count_ == event_.multi_value_headers.size()) event_.multi_value_headers.emplace_back();
    std::vector<std::string>& values = event_.multi_value_headers[count_].second;
    if (values.empty()) values.reserve(1);  // sized at once: most headers have one value
    values.resize(1);
    const std::size_t at = count_++;
    return {event_.headers[at], event_.multi_value_headers[at]};
  }

  core::ProxyEvent& event_;
  std::size_t count_ = 0;
};

// requestContext.extendedRequestId: the base64 text of the first 11 hex digits of a new UUID
// (16 characters, the length of AWS's), written over `out`.
void write_extended_request_id(std::string& out, core::IdSource& ids) {
  constexpr std::size_t kHexDigits = 11;
  std::string hex;  // 11 digits: short enough to need no allocation
  append_hex_digits(hex, ids.next_uuid(), kHexDigits);
  core::base64_encode_into(out, hex);
}

bool is_dropped_header(std::string_view name) {
  // The sizes first: ascii_iequals is a call, and most names differ from both in size.
  constexpr std::string_view kContentLength = "Content-Length", kConnection = "Connection";
  return (name.size() == kContentLength.size() && core::ascii_iequals(name, kContentLength)) ||
         (name.size() == kConnection.size() && core::ascii_iequals(name, kConnection));
}

// "Root=1-<the epoch second, at least 8 hex digits>-<24 hex digits>", written over `out`.
void write_trace_id(std::string& out, core::TimeUs now, core::IdSource& ids) {
  char epoch_hex[16];
  const auto epoch = static_cast<unsigned long long>(now / core::kMicrosPerSecond);
  const auto digits =
      static_cast<std::size_t>(std::to_chars(epoch_hex, epoch_hex + 16, epoch, 16).ptr - epoch_hex);
  constexpr std::size_t kEpochDigitsMin = 8, kRandomDigits = 24;
  out.clear();
  out.reserve(7 + kEpochDigitsMin + 8 + 1 + kRandomDigits);
  out += "Root=1-";
  if (digits < kEpochDigitsMin) out.append(kEpochDigitsMin - digits, '0');
  out.append(epoch_hex, digits);
  out += '-';
  append_hex_digits(out, ids.next_uuid(), kRandomDigits);
}

// The event's headers and multiValueHeaders, and identity.userAgent: the client's headers (their
// strings taken) but Content-Length and Connection, then what API Gateway adds (reference 1.5).
void add_headers(core::ProxyEvent& event, core::StringPairs& client_headers,
                 std::string_view source_ip, std::string_view domain, core::TimeUs now,
                 core::IdSource& ids) {
  constexpr std::size_t kAddedHeadersMax = 5;  // Host, X-Forwarded-*, X-Amzn-Trace-Id
  event.headers.reserve(client_headers.size() + kAddedHeadersMax);
  event.multi_value_headers.reserve(client_headers.size() + kAddedHeadersMax);
  HeaderWriter writer(event);
  for (auto& [name, value] : client_headers) {
    if (is_dropped_header(name)) continue;
    const std::size_t at = writer.find(name);  // before `name` is taken
    writer.take(at, std::move(name), std::move(value));
  }
  // The client's headers that the gateway reads or sets, each found once. Adding one of them
  // appends at the end and leaves the others' places as they are.
  const std::size_t host = writer.find("Host");
  const std::size_t forwarded_for = writer.find("X-Forwarded-For");
  const std::size_t forwarded_port = writer.find("X-Forwarded-Port");
  const std::size_t forwarded_proto = writer.find("X-Forwarded-Proto");
  const std::size_t trace_id = writer.find("X-Amzn-Trace-Id");
  const std::size_t user_agent = writer.find("User-Agent");
  if (host == kNoHeader) writer.add(host, "Host", domain);
  if (forwarded_for == kNoHeader) {
    writer.add(forwarded_for, "X-Forwarded-For", source_ip);
  } else {
    std::string forwarded = writer.value(forwarded_for);
    forwarded.append(", ").append(source_ip);
    writer.add(forwarded_for, "X-Forwarded-For", forwarded);
  }
  writer.add(forwarded_port, "X-Forwarded-Port", "443");
  writer.add(forwarded_proto, "X-Forwarded-Proto", "https");
  if (trace_id == kNoHeader) {
    writer.add_new("X-Amzn-Trace-Id", [&](std::string& out) { write_trace_id(out, now, ids); });
  }
  writer.finish();
  std::optional<std::string>& agent = event.request_context.identity.user_agent;
  if (user_agent == kNoHeader) {
    agent.reset();
  } else {
    agent = event.headers[user_agent].second;
  }
}

// queryStringParameters and multiValueQueryStringParameters, null when there is no query.
void add_query(core::ProxyEvent& event, std::string_view query) {
  event.query_string_parameters.reset();
  event.multi_value_query_string_parameters.reset();
  if (query.empty()) return;
  core::StringPairs single;
  core::MultiValues multi;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (part.empty()) continue;
    const std::size_t eq = part.find('=');
    const std::string_view raw_name = part.substr(0, eq);
    const std::string_view raw_value = eq == std::string_view::npos ? "" : part.substr(eq + 1);
    std::string name = core::form_decode(raw_name).value_or(std::string(raw_name));
    std::string value = core::form_decode(raw_value).value_or(std::string(raw_value));
    auto s = std::find_if(single.begin(), single.end(), [&](auto& p) { return p.first == name; });
    if (s != single.end()) {
      s->second = value;  // the last value wins
      for (auto& [mn, mv] : multi) {
        if (mn == name) mv.push_back(std::move(value));
      }
    } else {
      single.emplace_back(name, value);
      multi.emplace_back(std::move(name), std::vector<std::string>{std::move(value)});
    }
  }
  if (single.empty()) return;
  event.query_string_parameters = std::move(single);
  event.multi_value_query_string_parameters = std::move(multi);
}

// requestContext.identity but userAgent (add_headers). The members API Gateway sets only for
// IAM or Cognito callers (accessKey, caller, cognito*, user...) stay null: no request sets them.
void write_identity(core::ProxyIdentity& identity, std::string&& source_ip, const ApiKey* key) {
  identity.source_ip = std::move(source_ip);
  if (key == nullptr) {
    identity.api_key.reset();
    identity.api_key_id.reset();
  } else {
    identity.api_key = key->value;
    identity.api_key_id = key->id;
  }
}

}  // namespace

// Every member of the event is written here: `event` is a default one or the one an earlier
// request built (Payload::build_in), and no member may keep an earlier request's value. Strings
// that already hold enough room are written over rather than replaced.
void Gateway::build_event(core::ProxyEvent& event, HttpRequest&& request, const Route& route,
                          const ApiKey* key, const std::string& request_id, core::TimeUs now) {
  core::ProxyRequestContext& context = event.request_context;
  constexpr std::string_view kExecuteApi = ".execute-api.", kAmazonAws = ".amazonaws.com";
  std::string& domain = context.domain_name;
  domain.clear();
  domain.reserve(route.api->id.size() + kExecuteApi.size() + options_.region.size() +
                 kAmazonAws.size());
  domain.append(route.api->id).append(kExecuteApi).append(options_.region).append(kAmazonAws);
  event.resource = route.resource->path;
  event.path = route.path;  // a view into request.path, which is taken below
  event.http_method = request.http_method;
  add_headers(event, request.headers, request.source_ip, domain, now, ids_);
  add_query(event, request.query_string);
  event.path_parameters = route.path_parameters;
  if (route.stage->variables.empty()) {
    event.stage_variables.reset();
  } else {
    event.stage_variables.emplace(route.stage->variables.begin(), route.stage->variables.end());
  }
  context.account_id = options_.account_id;
  context.api_id = route.api->id;
  context.resource_id = route.resource->id;
  context.resource_path = route.resource->path;
  context.http_method = std::move(request.http_method);
  context.path = std::move(request.path);
  context.stage = route.stage->stage_name;
  context.protocol = std::move(request.protocol);
  context.request_id = request_id;
  write_extended_request_id(context.extended_request_id, ids_);
  const std::int64_t second = now / core::kMicrosPerSecond - (now % core::kMicrosPerSecond < 0);
  if (second != request_time_second_) {  // requestTime changes once a second: format it then
    format_clf(now, request_time_);
    request_time_second_ = second;
  }
  context.request_time = request_time_;
  context.request_time_epoch_ms = now / core::kMicrosPerMilli;
  context.domain_prefix = route.api->id;
  context.deployment_id = route.stage->deployment_id;
  write_identity(context.identity, std::move(request.source_ip), key);
  event.body = std::move(request.body);
  event.is_base64_encoded = false;
}

}  // namespace twin::fakes::apigw
