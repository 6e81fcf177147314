// The Gateway's proxy event v1 for a request that passed the pipeline (reference 1.5): the
// client's headers with what API Gateway adds, the query string, the request context.
#include <algorithm>
#include <charconv>
#include <utility>

#include "core/encoding.h"
#include "fakes/apigw/apigw_time.h"
#include "fakes/apigw/gateway.h"

namespace twin::fakes::apigw {

namespace {

// Appends the first `count` hex digits of a UUID, without its dashes.
void append_hex_digits(std::string& out, std::string_view uuid, std::size_t count) {
  for (std::size_t i = 0; i < uuid.size() && count > 0; ++i) {
    if (uuid[i] != '-') {
      out += uuid[i];
      --count;
    }
  }
}

constexpr std::size_t kNoHeader = static_cast<std::size_t>(-1);

// build_event adds every header to `headers` and `multiValueHeaders` together, so entry i of
// one names the same header as entry i of the other: one search serves both.
std::size_t find_header(const core::ProxyEvent& event, std::string_view name) {
  for (std::size_t i = 0; i < event.headers.size(); ++i) {
    const std::string& candidate = event.headers[i].first;
    if (candidate.size() == name.size() && core::ascii_iequals(candidate, name)) return i;
  }
  return kNoHeader;
}

// Header names keep the client's casing; `headers` keeps the last value of a repeated name at
// the place of its first occurrence, `multiValueHeaders` all of them (reference 1.5). `at` is
// find_header(event, name).
void add_header(core::ProxyEvent& event, std::size_t at, std::string name, std::string value) {
  if (at != kNoHeader) {
    event.headers[at].second = value;
    event.multi_value_headers[at].second.push_back(std::move(value));
    return;
  }
  event.headers.emplace_back(name, value);
  std::vector<std::string> values;
  values.reserve(1);  // sized at once: most headers have one value
  values.push_back(std::move(value));
  event.multi_value_headers.emplace_back(std::move(name), std::move(values));
}

bool is_dropped_header(std::string_view name) {
  return core::ascii_iequals(name, "Content-Length") || core::ascii_iequals(name, "Connection");
}

// "Root=1-<the epoch second, at least 8 hex digits>-<24 hex digits>"
std::string new_trace_id(core::TimeUs now, core::IdSource& ids) {
  char epoch_hex[16];
  const auto epoch = static_cast<unsigned long long>(now / core::kMicrosPerSecond);
  const auto digits =
      static_cast<std::size_t>(std::to_chars(epoch_hex, epoch_hex + 16, epoch, 16).ptr - epoch_hex);
  constexpr std::size_t kEpochDigitsMin = 8, kRandomDigits = 24;
  std::string trace;
  trace.reserve(7 + kEpochDigitsMin + 8 + 1 + kRandomDigits);
  trace += "Root=1-";
  if (digits < kEpochDigitsMin) trace.append(kEpochDigitsMin - digits, '0');
  trace.append(epoch_hex, digits);
  trace += '-';
  append_hex_digits(trace, ids.next_uuid(), kRandomDigits);
  return trace;
}

// The event's headers and multiValueHeaders, and identity.userAgent: the client's headers (their
// strings taken) but Content-Length and Connection, then what API Gateway adds (reference 1.5).
void add_headers(core::ProxyEvent& event, core::StringPairs& client_headers,
                 std::string_view source_ip, std::string_view domain, core::TimeUs now,
                 core::IdSource& ids) {
  constexpr std::size_t kAddedHeadersMax = 5;  // Host, X-Forwarded-*, X-Amzn-Trace-Id
  event.headers.reserve(client_headers.size() + kAddedHeadersMax);
  event.multi_value_headers.reserve(client_headers.size() + kAddedHeadersMax);
  for (auto& [name, value] : client_headers) {
    if (is_dropped_header(name)) continue;
    const std::size_t at = find_header(event, name);  // before `name` is taken
    add_header(event, at, std::move(name), std::move(value));
  }
  // The client's headers that the gateway reads or sets, each found once. Adding one of them
  // appends at the end and leaves the others' places as they are.
  const std::size_t host = find_header(event, "Host");
  const std::size_t forwarded_for = find_header(event, "X-Forwarded-For");
  const std::size_t forwarded_port = find_header(event, "X-Forwarded-Port");
  const std::size_t forwarded_proto = find_header(event, "X-Forwarded-Proto");
  const std::size_t trace_id = find_header(event, "X-Amzn-Trace-Id");
  const std::size_t user_agent = find_header(event, "User-Agent");
  if (host == kNoHeader) add_header(event, host, "Host", std::string(domain));
  std::string forwarded;
  if (forwarded_for != kNoHeader) {
    forwarded.append(event.headers[forwarded_for].second).append(", ");
  }
  forwarded.append(source_ip);
  add_header(event, forwarded_for, "X-Forwarded-For", std::move(forwarded));
  add_header(event, forwarded_port, "X-Forwarded-Port", "443");
  add_header(event, forwarded_proto, "X-Forwarded-Proto", "https");
  if (trace_id == kNoHeader) add_header(event, trace_id, "X-Amzn-Trace-Id", new_trace_id(now, ids));
  if (user_agent != kNoHeader) {
    event.request_context.identity.user_agent = event.headers[user_agent].second;
  }
}

void add_query(core::ProxyEvent& event, std::string_view query) {
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

}  // namespace

void Gateway::build_event(core::ProxyEvent& event, HttpRequest&& request, const Route& route,
                          const ApiKey* key, const std::string& request_id, core::TimeUs now) {
  constexpr std::string_view kExecuteApi = ".execute-api.", kAmazonAws = ".amazonaws.com";
  std::string domain;
  domain.reserve(route.api->id.size() + kExecuteApi.size() + options_.region.size() +
                 kAmazonAws.size());
  domain.append(route.api->id).append(kExecuteApi).append(options_.region).append(kAmazonAws);
  event.resource = route.resource->path;
  event.path = std::string(route.path);  // a view into request.path, which is taken below
  event.http_method = request.http_method;
  add_headers(event, request.headers, request.source_ip, domain, now, ids_);
  add_query(event, request.query_string);
  event.path_parameters = route.path_parameters;
  if (!route.stage->variables.empty()) {
    event.stage_variables.emplace(route.stage->variables.begin(), route.stage->variables.end());
  }
  core::ProxyRequestContext& context = event.request_context;
  context.account_id = options_.account_id;
  context.api_id = route.api->id;
  context.resource_id = route.resource->id;
  context.resource_path = route.resource->path;
  context.http_method = std::move(request.http_method);
  context.path = std::move(request.path);
  context.stage = route.stage->stage_name;
  context.protocol = std::move(request.protocol);
  context.request_id = request_id;
  std::string extended_hex;  // 11 digits: short enough to need no allocation
  append_hex_digits(extended_hex, ids_.next_uuid(), 11);
  context.extended_request_id = core::base64_encode(extended_hex);
  if (context.extended_request_id.size() > 16) context.extended_request_id.resize(16);
  context.request_time = format_clf(now);
  context.request_time_epoch_ms = now / core::kMicrosPerMilli;
  context.domain_name = std::move(domain);
  context.domain_prefix = route.api->id;
  context.deployment_id = route.stage->deployment_id;
  context.identity.source_ip = std::move(request.source_ip);
  if (key != nullptr) {
    context.identity.api_key = key->value;
    context.identity.api_key_id = key->id;
  }
  event.body = std::move(request.body);
}

}  // namespace twin::fakes::apigw
