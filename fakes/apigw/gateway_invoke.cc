// The Gateway's side of the Lambda proxy integration: the call with its 29 s timeout, and the
// mapping of the answer (reference 1.3, 1.6). The request event is built in gateway_event.cc.
#include <boost/json.hpp>
#include <utility>

#include "core/encoding.h"
#include "fakes/apigw/gateway.h"

namespace twin::fakes::apigw {

namespace json = boost::json;

namespace {

// The function's proxy output (reference 1.6) as the client's response, or nullopt when API
// Gateway would reject it (502). A typed response is one whose text reads back as itself
// (lambda::Payload::of), so it is taken as it is.
std::optional<HttpResponse> response_from_payload(lambda::Payload payload) {
  core::Result<core::ProxyResponse> proxy = core::ProxyResponse{};
  if (auto typed = payload.release_proxy_response()) {
    proxy = std::move(*typed);
  } else if (!core::read_proxy_response_fast(payload.json(), *proxy)) {  // without a tree
    boost::system::error_code error;
    const json::value parsed = json::parse(payload.json(), error);
    if (error) return std::nullopt;
    proxy = core::parse_proxy_response(parsed);
  }
  if (!proxy.is_ok()) return std::nullopt;
  HttpResponse out;
  out.status_code = proxy->status_code;
  std::size_t header_count = proxy->headers.size() + 2;  // Content-Type, x-amzn-RequestId
  for (const auto& [name, values] : proxy->multi_value_headers) header_count += values.size();
  out.headers.reserve(header_count);
  // multiValueHeaders first, then `headers` (reference 1.6: "value-multi, value-solo").
  for (auto& [name, values] : proxy->multi_value_headers) {
    for (auto& value : values) out.headers.emplace_back(name, std::move(value));
  }
  for (auto& [name, value] : proxy->headers) {
    std::string_view casing = name;
    for (const auto& [multi_name, unused] : proxy->multi_value_headers) {
      if (core::ascii_iequals(multi_name, name)) casing = multi_name;
    }
    out.headers.emplace_back(std::string(casing), std::move(value));
  }
  if (!out.header("Content-Type")) out.headers.emplace_back("Content-Type", "application/json");
  // Without binary media types API Gateway passes a base64 body on as text (reference 1.6).
  out.body = std::move(proxy->body);
  return out;
}

}  // namespace

void Gateway::invoke(const Route& route, lambda::Payload event, std::string request_id,
                     RespondFn respond) {
  struct PendingCall {
    bool answered = false;
    std::string request_id;
    std::string route_key;
    RespondFn respond;
  };
  auto call = std::make_shared<PendingCall>(
      PendingCall{false, std::move(request_id), route.keys->route_key, std::move(respond)});
  std::weak_ptr<bool> alive = alive_;
  const core::TimeUs deadline = executor_.now() + options_.integration_timeout_us;
  integration_.invoke(route.method->function_name, std::move(event),
                      [this, alive, call](IntegrationResult result) {
                        if (alive.expired() || call->answered) return;
                        call->answered = true;
                        HttpResponse response = integration_response(std::move(result));
                        finish(response, std::move(call->request_id));  // its last use
                        answer(&call->route_key, std::move(response), call->respond);
                      });
  if (call->answered) return;  // answered at once: no timer needed
  executor_.at(deadline, [this, alive, call] {
    if (alive.expired() || call->answered) return;
    call->answered = true;
    ++counters_.integration_timeouts;
    answer(&call->route_key,
           gateway_error(GatewayResponseType::kIntegrationTimeout, call->request_id),
           call->respond);
  });
}

HttpResponse Gateway::integration_response(IntegrationResult result) {
  switch (result.kind) {
    case IntegrationResult::Kind::kResponse:
      if (auto response = response_from_payload(std::move(result.payload))) {
        return std::move(*response);
      }
      ++counters_.malformed_responses;
      return gateway_error(GatewayResponseType::kBadGateway, "");
    case IntegrationResult::Kind::kFunctionError:
      ++counters_.function_errors;
      return gateway_error(GatewayResponseType::kBadGateway, "");
    case IntegrationResult::Kind::kThrottled:
      ++counters_.integration_failures;
      return gateway_error(GatewayResponseType::kIntegrationFailure, "");
    case IntegrationResult::Kind::kTimeout:
      ++counters_.integration_timeouts;
      return gateway_error(GatewayResponseType::kIntegrationTimeout, "");
  }
  return gateway_error(GatewayResponseType::kBadGateway, "");
}

void Gateway::finish(HttpResponse& response, std::string request_id) const {
  bool found = false;
  for (auto& [name, value] : response.headers) {
    if (name == "x-amzn-RequestId") {
      value = request_id;
      found = true;
      break;
    }
  }
  if (!found) response.headers.emplace_back("x-amzn-RequestId", request_id);
  response.request_id = std::move(request_id);
}

}  // namespace twin::fakes::apigw
