#include "sim/http/apigw_management.h"

#include <charconv>
#include <map>
#include <string>
#include <utility>

#include "core/encoding.h"
#include "sim/http/apigw_management_json.h"
#include "sim/http/apigw_operations.h"
#include "sim/json_out.h"

namespace twin::sim::http {

namespace json = boost::json;
namespace apigw = fakes::apigw;
using apigw_json::RequestError;

namespace {

using Query = std::map<std::string, std::string, std::less<>>;

// One request on its way through an operation: its labels, query and body.
struct Call {
  const WireRequest& request;
  const ApigwOperation& operation;
  const Query& query;

  const std::string& label(const std::string& name) const { return operation.labels.at(name); }
  std::optional<std::string> param(std::string_view name) const {
    const auto it = query.find(name);
    return it == query.end() ? std::nullopt : std::optional<std::string>(it->second);
  }
  // "true" / "false" as botocore writes a boolean query member; absent is false.
  bool flag(std::string_view name) const {
    const std::optional<std::string> v = param(name);
    if (!v || *v == "false") return false;
    if (*v == "true") return true;
    throw RequestError("Invalid query parameter " + std::string(name) + "='" + *v +
                       "': must be true or false");
  }
  std::optional<std::int64_t> integer(std::string_view name) const {
    const std::optional<std::string> v = param(name);
    if (!v) return std::nullopt;
    std::int64_t out = 0;
    const auto [end, error] = std::from_chars(v->data(), v->data() + v->size(), out);
    if (v->empty() || error != std::errc() || end != v->data() + v->size()) {
      throw RequestError("Invalid query parameter " + std::string(name) + "='" + *v +
                         "': must be an integer");
    }
    return out;
  }
  json::object body() const { return apigw_json::parse_body(request.body); }
};

WireResponse json_response(int status, const json::value& body) {
  WireResponse out;
  out.status = status;
  out.headers = {{"Content-Type", "application/json"}};
  out.body = to_json(body, 0, WholeDoubles::kWithPoint);
  return out;
}

// rest-json's error: botocore reads the code from x-amzn-ErrorType and the text from "message".
WireResponse error_response(int status, std::string_view error_type, const std::string& message) {
  WireResponse out = json_response(status, json::object{{"message", message}});
  out.headers.emplace_back("x-amzn-ErrorType", std::string(error_type));
  return out;
}

WireResponse status_response(const core::Status& st) {
  if (!st.aws_code().empty() && st.http_status() != 0) {
    return error_response(st.http_status(), st.aws_code(), st.message());
  }
  return error_response(500, "InternalServerErrorException", st.to_string());
}

template <typename T, typename Render>
WireResponse answer(const core::Result<T>& result, int status, Render&& render) {
  if (!result.is_ok()) return status_response(result.status());
  return json_response(status, render(*result));
}

// {"item": [...], "position"?}: botocore's `items` travels as "item".
template <typename Response, typename Render>
json::object list_json(const Response& response, Render&& render) {
  json::array items;
  for (const auto& item : response.items) items.push_back(render(item));
  json::object out;
  if (response.position) out["position"] = *response.position;
  out["item"] = std::move(items);
  return out;
}

// --- operations ------------------------------------------------------------------------------

WireResponse create_api_key(apigw::Gateway& g, const Call& call) {
  return answer(g.create_api_key(apigw_json::read_create_api_key(call.body())), 201,
                apigw_json::api_key_json);
}

WireResponse get_api_keys(apigw::Gateway& g, const Call& call) {
  apigw::GetApiKeysRequest request;
  request.position = call.param("position");
  request.limit = call.integer("limit");
  request.name_query = call.param("name");  // botocore's nameQuery travels as ?name=
  request.customer_id = call.param("customerId");
  request.include_values = call.flag("includeValues");
  return answer(g.get_api_keys(request), 200,
                [](const auto& r) { return list_json(r, apigw_json::api_key_json); });
}

WireResponse get_api_key(apigw::Gateway& g, const Call& call) {
  return answer(g.get_api_key({call.label("api_Key"), call.flag("includeValue")}), 200,
                apigw_json::api_key_json);
}

WireResponse update_api_key(apigw::Gateway& g, const Call& call) {
  apigw::UpdateApiKeyRequest request{
      call.label("api_Key"), apigw_json::read_patch_operations(call.body(), "UpdateApiKey")};
  return answer(g.update_api_key(request), 200, apigw_json::api_key_json);
}

WireResponse create_usage_plan(apigw::Gateway& g, const Call& call) {
  return answer(g.create_usage_plan(apigw_json::read_create_usage_plan(call.body())), 201,
                apigw_json::usage_plan_json);
}

WireResponse get_usage_plans(apigw::Gateway& g, const Call& call) {
  apigw::GetUsagePlansRequest request;
  request.position = call.param("position");
  request.limit = call.integer("limit");
  request.key_id = call.param("keyId");
  return answer(g.get_usage_plans(request), 200,
                [](const auto& r) { return list_json(r, apigw_json::usage_plan_json); });
}

WireResponse get_usage_plan(apigw::Gateway& g, const Call& call) {
  return answer(g.get_usage_plan(call.label("usageplanId")), 200, apigw_json::usage_plan_json);
}

WireResponse update_usage_plan(apigw::Gateway& g, const Call& call) {
  apigw::UpdateUsagePlanRequest request{
      call.label("usageplanId"), apigw_json::read_patch_operations(call.body(), "UpdateUsagePlan")};
  return answer(g.update_usage_plan(request), 200, apigw_json::usage_plan_json);
}

WireResponse create_usage_plan_key(apigw::Gateway& g, const Call& call) {
  apigw::CreateUsagePlanKeyRequest request = apigw_json::read_create_usage_plan_key(call.body());
  request.usage_plan_id = call.label("usageplanId");
  return answer(g.create_usage_plan_key(request), 201, apigw_json::usage_plan_key_json);
}

WireResponse get_usage_plan_keys(apigw::Gateway& g, const Call& call) {
  apigw::GetUsagePlanKeysRequest request;
  request.usage_plan_id = call.label("usageplanId");
  request.position = call.param("position");
  request.limit = call.integer("limit");
  request.name_query = call.param("name");
  return answer(g.get_usage_plan_keys(request), 200,
                [](const auto& r) { return list_json(r, apigw_json::usage_plan_key_json); });
}

WireResponse get_usage(apigw::Gateway& g, const Call& call) {
  apigw::GetUsageRequest request;
  request.usage_plan_id = call.label("usageplanId");
  request.key_id = call.param("keyId");
  request.start_date = call.param("startDate").value_or("");
  request.end_date = call.param("endDate").value_or("");
  request.position = call.param("position");
  request.limit = call.integer("limit");
  return answer(g.get_usage(request), 200, apigw_json::usage_json);
}

WireResponse get_rest_apis(apigw::Gateway& g, const Call& call) {
  apigw::GetRestApisRequest request{call.param("position"), call.integer("limit")};
  return answer(g.get_rest_apis(request), 200,
                [](const auto& r) { return list_json(r, apigw_json::rest_api_json); });
}

WireResponse get_rest_api(apigw::Gateway& g, const Call& call) {
  return answer(g.get_rest_api(call.label("restapi_id")), 200, apigw_json::rest_api_json);
}

WireResponse get_stages(apigw::Gateway& g, const Call& call) {
  // GetStages answers {"item": [...]} and has no position.
  return answer(g.get_stages(call.label("restapi_id"), call.param("deploymentId")), 200,
                [](const std::vector<apigw::Stage>& stages) {
                  json::array items;
                  for (const auto& stage : stages) items.push_back(apigw_json::stage_json(stage));
                  return json::object{{"item", std::move(items)}};
                });
}

WireResponse get_stage(apigw::Gateway& g, const Call& call) {
  return answer(g.get_stage(call.label("restapi_id"), call.label("stage_name")), 200,
                apigw_json::stage_json);
}

using Handler = WireResponse (*)(apigw::Gateway&, const Call&);
const std::map<std::string_view, Handler>& handlers() {
  static const std::map<std::string_view, Handler> kHandlers = {
      {"CreateApiKey", create_api_key},
      {"GetApiKeys", get_api_keys},
      {"GetApiKey", get_api_key},
      {"UpdateApiKey", update_api_key},
      {"CreateUsagePlan", create_usage_plan},
      {"GetUsagePlans", get_usage_plans},
      {"GetUsagePlan", get_usage_plan},
      {"UpdateUsagePlan", update_usage_plan},
      {"CreateUsagePlanKey", create_usage_plan_key},
      {"GetUsagePlanKeys", get_usage_plan_keys},
      {"GetUsage", get_usage},
      {"GetRestApis", get_rest_apis},
      {"GetRestApi", get_rest_api},
      {"GetStages", get_stages},
      {"GetStage", get_stage},
  };
  return kHandlers;
}

// The query's parameters, decoded; a repeated name keeps its last value. nullopt on a bad escape.
std::optional<Query> parse_query(std::string_view query) {
  Query out;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (part.empty()) continue;
    const std::size_t eq = part.find('=');
    auto name = core::form_decode(part.substr(0, eq));
    auto value = core::form_decode(eq == std::string_view::npos ? "" : part.substr(eq + 1));
    if (!name || !value) return std::nullopt;
    out[*name] = *value;
  }
  return out;
}

// The service of a SigV4 Authorization header's credential scope
// ("Credential=AKID/20260101/us-east-1/apigateway/aws4_request"), empty when there is none.
std::string_view signed_service(std::string_view authorization) {
  constexpr std::string_view kCredential = "Credential=";
  const std::size_t at = authorization.find(kCredential);
  if (!authorization.starts_with("AWS4-HMAC-SHA256") || at == std::string_view::npos) return {};
  std::string_view scope = authorization.substr(at + kCredential.size());
  scope = scope.substr(0, scope.find_first_of(", "));
  for (int skip = 0; skip < 3; ++skip) {  // access key id, date, region
    const std::size_t slash = scope.find('/');
    if (slash == std::string_view::npos) return {};
    scope.remove_prefix(slash + 1);
  }
  return scope.substr(0, scope.find('/'));
}

}  // namespace

ApigwManagementApi::ApigwManagementApi(fakes::apigw::Gateway& gateway) : gateway_(gateway) {}

bool ApigwManagementApi::is_management_request(const WireRequest& request) {
  if (request.header("X-Amz-Target")) return false;  // the AWS JSON protocols (SQS)
  if (const auto authorization = request.header("Authorization")) {
    const std::string_view service = signed_service(*authorization);
    if (!service.empty()) return service == "apigateway";
  }
  std::string_view path = request.path();
  if (!path.starts_with('/')) return false;
  path.remove_prefix(1);
  return is_apigw_collection(path.substr(0, path.find('/')));
}

WireResponse ApigwManagementApi::handle(const WireRequest& request) {
  const auto segments = split_path(request.path());
  const auto query = parse_query(request.query());
  if (!segments || !query) {
    return error_response(400, apigw::kBadRequest,
                          "Invalid request: a percent-escape in the path or query is malformed");
  }
  const auto mode = query->find("mode");
  const auto operation = match_apigw_operation(
      request.method, *segments, mode == query->end() ? std::string_view() : mode->second);
  if (!operation) {
    return error_response(404, apigw::kNotFound,
                          "No API Gateway management operation is " + request.method + " " +
                              std::string(request.path()) + " (not supported by the twin)");
  }
  const auto handler = handlers().find(operation->name);
  if (handler == handlers().end()) {
    return error_response(400, apigw::kBadRequest,
                          std::string(operation->name) + " is not supported by the twin");
  }
  try {
    return handler->second(gateway_, Call{request, *operation, *query});
  } catch (const RequestError& e) {
    return error_response(400, apigw::kBadRequest, e.what());
  }
}

}  // namespace twin::sim::http
