// The API Gateway REST API Lambda proxy integration, payload format 1.0: the request event the
// function receives and the response it returns (reference sections 1.5 and 1.6).
//
// Owned by core; values and pure functions. The API Gateway fake builds ProxyEvents and reads
// ProxyResponses with the same code, so the two sides cannot drift apart.
#pragma once

#include <boost/json/fwd.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace twin::core {

// A new member of these structs needs its place in serialize(), in both readers and in
// json_round_trip (core/events/round_trip.cc).
//
// Ordered name/value lists: header names keep the client's casing and JSON order is kept, so an
// event read and written again is the same document.
using StringPairs = std::vector<std::pair<std::string, std::string>>;
using MultiValues = std::vector<std::pair<std::string, std::vector<std::string>>>;

struct ProxyIdentity {
  std::optional<std::string> access_key;
  std::optional<std::string> account_id;
  std::optional<std::string> api_key;     // only on methods that require a key
  std::optional<std::string> api_key_id;  // only on methods that require a key
  std::optional<std::string> caller;
  std::optional<std::string> cognito_authentication_provider;
  std::optional<std::string> cognito_authentication_type;
  std::optional<std::string> cognito_identity_id;
  std::optional<std::string> cognito_identity_pool_id;
  std::optional<std::string> principal_org_id;
  std::optional<std::string> source_ip;
  std::optional<std::string> user;
  std::optional<std::string> user_agent;
  std::optional<std::string> user_arn;
};

struct ProxyRequestContext {
  std::string account_id;
  std::string api_id;
  std::string resource_id;
  std::string resource_path;
  std::string http_method;
  std::string path;  // includes the stage: "/prod/webhook"
  std::string stage;
  std::string protocol;
  std::string request_id;
  std::string extended_request_id;
  std::string request_time;  // "04/Mar/2020:19:15:17 +0000"
  std::int64_t request_time_epoch_ms = 0;
  std::string domain_name;
  std::string domain_prefix;
  std::string deployment_id;
  ProxyIdentity identity;
};

struct ProxyEvent {
  std::string resource;  // "/webhook"
  std::string path;      // without the stage
  std::string http_method;
  StringPairs headers;
  MultiValues multi_value_headers;
  std::optional<StringPairs> query_string_parameters;  // null when there is no query string
  std::optional<MultiValues> multi_value_query_string_parameters;
  std::optional<StringPairs> path_parameters;
  std::optional<StringPairs> stage_variables;
  ProxyRequestContext request_context;
  std::optional<std::string> body;  // null when the request had none
  bool is_base64_encoded = false;

  // The value of a header, names compared case-insensitively; the last value wins, as in the
  // `headers` map API Gateway builds. Falls back to multiValueHeaders.
  std::optional<std::string_view> header(std::string_view name) const;
};

// Reads a proxy event. A malformed event is an kInvalidArgument naming the JSON path.
// Only httpMethod and one of resource/path are required; every other member may be absent or
// null (hand-written test events often omit them) but must have the right type when present.
Result<ProxyEvent> parse_proxy_event(const boost::json::object& event);
// The fast path of reading an event from its text: no JSON tree, values copied straight into
// `out`. Returns false for any text it is not sure of (not an object, a syntax error, a
// wrong type, a duplicate member, an SQS event's "Records"...); the caller then parses the text
// with Boost.JSON and calls parse_proxy_event, which accepts it or names the error. For every
// text it accepts, it reads exactly what parse_proxy_event would (tests check this).
bool read_proxy_event_fast(std::string_view text, ProxyEvent& out);
boost::json::object to_json(const ProxyEvent& event);
// The event as JSON text, written directly: the same bytes as boost::json::serialize(to_json())
// (tests check it), without building the tree.
std::string serialize(const ProxyEvent& event);

struct ProxyResponse {
  int status_code = 200;
  StringPairs headers;
  MultiValues multi_value_headers;
  std::string body;
  bool is_base64_encoded = false;

  std::optional<std::string_view> header(std::string_view name) const;
};

boost::json::object to_json(const ProxyResponse& response);
std::string serialize(const ProxyResponse& response);
// Reads a function's proxy response the way API Gateway validates it (reference 1.6): a missing
// statusCode is 200, a string statusCode that is an integer is taken, extra top-level keys, a
// non-integer statusCode or a multiValueHeaders value that is not a list are errors (API Gateway
// answers those with 502).
Result<ProxyResponse> parse_proxy_response(const boost::json::value& payload);
// The fast path of parse_proxy_response for the common shape (an integer statusCode, string
// headers, a string body, a boolean isBase64Encoded); false for anything else, which the caller
// then parses and validates with parse_proxy_response.
bool read_proxy_response_fast(std::string_view text, ProxyResponse& out);

}  // namespace twin::core
