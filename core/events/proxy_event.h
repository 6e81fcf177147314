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
// Each struct is a template over its text type: `std::string` for the event a caller owns
// (ProxyEvent: what the API Gateway fake builds and tests write), `std::string_view` for an
// event read from a text that outlives it (ProxyEventView: what Handler::invoke reads, without
// copying a string). The two have the same members, are read by the same code and written by
// the same serialize().
//
// Ordered name/value lists: header names keep the client's casing and JSON order is kept, so an
// event read and written again is the same document.
template <typename Text>
using BasicStringPairs = std::vector<std::pair<Text, Text>>;
template <typename Text>
using BasicMultiValues = std::vector<std::pair<Text, std::vector<Text>>>;
using StringPairs = BasicStringPairs<std::string>;
using MultiValues = BasicMultiValues<std::string>;

template <typename Text>
struct BasicProxyIdentity {
  std::optional<Text> access_key;
  std::optional<Text> account_id;
  std::optional<Text> api_key;     // only on methods that require a key
  std::optional<Text> api_key_id;  // only on methods that require a key
  std::optional<Text> caller;
  std::optional<Text> cognito_authentication_provider;
  std::optional<Text> cognito_authentication_type;
  std::optional<Text> cognito_identity_id;
  std::optional<Text> cognito_identity_pool_id;
  std::optional<Text> principal_org_id;
  std::optional<Text> source_ip;
  std::optional<Text> user;
  std::optional<Text> user_agent;
  std::optional<Text> user_arn;
};

template <typename Text>
struct BasicProxyRequestContext {
  Text account_id;
  Text api_id;
  Text resource_id;
  Text resource_path;
  Text http_method;
  Text path;  // includes the stage: "/prod/webhook"
  Text stage;
  Text protocol;
  Text request_id;
  Text extended_request_id;
  Text request_time;  // "04/Mar/2020:19:15:17 +0000"
  std::int64_t request_time_epoch_ms = 0;
  Text domain_name;
  Text domain_prefix;
  Text deployment_id;
  BasicProxyIdentity<Text> identity;
};

template <typename Text>
struct BasicProxyEvent {
  Text resource;  // "/webhook"
  Text path;      // without the stage
  Text http_method;
  BasicStringPairs<Text> headers;
  BasicMultiValues<Text> multi_value_headers;
  std::optional<BasicStringPairs<Text>> query_string_parameters;  // null: no query string
  std::optional<BasicMultiValues<Text>> multi_value_query_string_parameters;
  std::optional<BasicStringPairs<Text>> path_parameters;
  std::optional<BasicStringPairs<Text>> stage_variables;
  BasicProxyRequestContext<Text> request_context;
  std::optional<Text> body;  // null when the request had none
  bool is_base64_encoded = false;

  // The value of a header, names compared case-insensitively; the last value wins, as in the
  // `headers` map API Gateway builds. Falls back to multiValueHeaders.
  std::optional<std::string_view> header(std::string_view name) const;
};

using ProxyIdentity = BasicProxyIdentity<std::string>;
using ProxyRequestContext = BasicProxyRequestContext<std::string>;
using ProxyEvent = BasicProxyEvent<std::string>;
using ProxyEventView = BasicProxyEvent<std::string_view>;
extern template struct BasicProxyEvent<std::string>;
extern template struct BasicProxyEvent<std::string_view>;

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
// The same reader, keeping views: every string of `out` is a view into `text`, or, for a
// string with escapes, into `decoded`, which this call fills (keeping its capacity from call to
// call). Both must outlive `out` and stay unchanged while it is used. Accepts and refuses
// exactly the texts the owning reader does, and reads the same values (tests check both).
bool read_proxy_event_fast(std::string_view text, ProxyEventView& out, std::string& decoded);
// The view reader's first step: reads only an event in the canonical form (no white space, the
// members of the event, requestContext and identity in to_json's order, each one optional, no
// other member), for little more than a comparison per key; false for any other text, and
// `out` is then left part-read. read_proxy_event_fast then reads a new event the general way.
// Whatever this accepts, the general way reads the same (tests check it).
bool read_proxy_event_canonical(std::string_view text, ProxyEventView& out, std::string& decoded);
boost::json::object to_json(const ProxyEvent& event);
// The event as JSON text, written directly: the same bytes as boost::json::serialize(to_json())
// (tests check it), without building the tree.
std::string serialize(const ProxyEvent& event);
std::string serialize(const ProxyEventView& event);

struct ProxyResponse {
  int status_code = 200;
  StringPairs headers;
  MultiValues multi_value_headers;
  std::string body;
  bool is_base64_encoded = false;

  std::optional<std::string_view> header(std::string_view name) const;
};

boost::json::object to_json(const ProxyResponse& response);
// How serialize() finds a response's body: as the bytes the client gets, or already escaped as
// the content of a JSON string (what goes between the quotes of "body"), for a writer that made
// the body that way to spare escaping it a second time.
enum class BodyText { kRaw, kEscaped };
std::string serialize(const ProxyResponse& response, BodyText body = BodyText::kRaw);
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
