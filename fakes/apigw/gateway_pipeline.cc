// The execute-api request pipeline of the Gateway (see gateway.h for the order and the choices).
#include <array>
#include <boost/json.hpp>
#include <initializer_list>
#include <span>
#include <utility>

#include "core/crypto.h"
#include "core/encoding.h"
#include "fakes/apigw/apigw_time.h"
#include "fakes/apigw/gateway.h"

namespace twin::fakes::apigw {

namespace json = boost::json;

namespace {

constexpr std::string_view kApiKeyHeader = "x-api-key";

// A bucket's key, "plan|<plan>|<key>[|<stage>|<method>]" or "stage|<api>|<stage>|<method>":
// the parts joined with '|' into `out`, whose capacity is kept from request to request.
void bucket_key(std::string& out, std::initializer_list<std::string_view> parts) {
  out.clear();
  bool first = true;
  for (std::string_view part : parts) {
    if (!first) out += '|';
    first = false;
    out += part;
  }
}

std::optional<std::string_view> find_header(const core::StringPairs& headers,
                                            std::string_view name) {
  std::optional<std::string_view> found;
  for (const auto& [n, v] : headers) {
    if (core::ascii_iequals(n, name)) found = v;  // the last one wins
  }
  return found;
}

}  // namespace

std::optional<std::string_view> HttpResponse::header(std::string_view name) const {
  return find_header(headers, name);
}

Gateway::Gateway(core::Executor& executor, core::IdSource& ids, Integration& integration,
                 GatewayOptions options)
    : executor_(executor),
      ids_(ids),
      integration_(integration),
      options_(std::move(options)),
      account_bucket_(rate_limit_to_milli_rps(kAccountRateLimitRpsDefault),
                      kAccountBurstLimitDefault, executor.now()) {}

Gateway::~Gateway() = default;

void Gateway::handle(HttpRequest request, RespondFn respond) {
  const core::TimeUs now = executor_.now();
  std::string request_id = ids_.next_uuid();
  const std::optional<Route> route = match_route(request);
  if (!route) {
    return respond(gateway_error(GatewayResponseType::kMissingAuthenticationToken, request_id));
  }
  const ApiKey* key = nullptr;
  const UsagePlan* plan = nullptr;
  if (route->method->api_key_required) {
    const auto value = find_header(request.headers, kApiKeyHeader);
    if (value) key = find_key_by_value(*value);
    if (key != nullptr && key->enabled) plan = plan_for(*key, *route);
    if (plan == nullptr) {
      return respond(gateway_error(GatewayResponseType::kInvalidApiKey, request_id));
    }
  }
  if (!take_throttle_tokens(*route, key, plan, now)) {
    return respond(gateway_error(GatewayResponseType::kThrottled, request_id));
  }
  if (plan != nullptr && !charge_quota(*plan, *key, now)) {
    return respond(gateway_error(GatewayResponseType::kQuotaExceeded, request_id));
  }
  if (request.body && request.body->size() > options_.payload_bytes_max) {
    return respond(gateway_error(GatewayResponseType::kRequestTooLarge, request_id));
  }
  lambda::Payload event = lambda::Payload::of(build_event(request, *route, key, request_id, now));
  invoke(*route, std::move(event), std::move(request_id), std::move(respond));
}

std::optional<Gateway::Route> Gateway::match_route(const HttpRequest& request) const {
  const auto api = apis_.find(request.rest_api_id);
  if (api == apis_.end()) return std::nullopt;
  std::string_view path = request.path;
  if (path.size() < 2 || path[0] != '/') return std::nullopt;
  const std::size_t slash = path.find('/', 1);
  const std::string stage_name(
      path.substr(1, slash == std::string_view::npos ? path.npos : slash - 1));
  const auto stage = api->second.stages.find(stage_name);
  if (stage == api->second.stages.end()) return std::nullopt;
  std::string_view resource_path = slash == std::string_view::npos ? "/" : path.substr(slash);
  if (resource_path.size() > 1 && resource_path.back() == '/') resource_path.remove_suffix(1);
  for (const Resource& resource : api->second.resources) {
    if (resource.path != resource_path) continue;
    const auto method = resource.methods.find(request.http_method);
    if (method == resource.methods.end()) return std::nullopt;
    Route route{&api->second, &stage->second, &resource, &method->second, {}};
    route.method_key = resource.path + "/" + method->first;
    return route;
  }
  return std::nullopt;
}

const ApiKey* Gateway::find_key_by_value(std::string_view value) const {
  // Every stored value is compared, each in constant time, so the time taken says nothing about
  // which key (if any) matched or how much of it did.
  const ApiKey* found = nullptr;
  for (const auto& [id, key] : api_keys_) {
    if (core::constant_time_equals(key.value, value)) found = &key;
  }
  return found;
}

const UsagePlan* Gateway::plan_for(const ApiKey& key, const Route& route) const {
  for (const auto& [plan_id, keys] : plan_keys_) {
    if (!keys.contains(key.id)) continue;
    const UsagePlan& plan = usage_plans_.at(plan_id);
    for (const ApiStage& stage : plan.api_stages) {
      if (stage.api_id == route.api->id && stage.stage == route.stage->stage_name) return &plan;
    }
  }
  return nullptr;
}

bool Gateway::take_throttle_tokens(const Route& route, const ApiKey* key, const UsagePlan* plan,
                                   core::TimeUs now) {
  // In AWS's order: plan (per key; per method, then plan-wide), stage method, account.
  std::array<TokenBucket*, 4> levels{};
  std::size_t level_count = 0;
  auto bucket = [&](std::initializer_list<std::string_view> key_parts, std::optional<double> rate,
                    std::optional<std::int64_t> burst) {
    if (!rate && !burst) return;
    // One of the two unset means "no limit" on that dimension.
    const std::int64_t rate_milli = rate ? rate_limit_to_milli_rps(*rate) : kRateMilliRpsMax;
    const std::int64_t capacity = burst ? *burst : kBurstMax;
    bucket_key(bucket_key_, key_parts);
    auto it = buckets_.find(std::string_view(bucket_key_));
    if (it == buckets_.end()) {
      it = buckets_.emplace(bucket_key_, TokenBucket(rate_milli, capacity, now)).first;
    }
    levels[level_count++] = &it->second;
  };
  if (plan != nullptr) {
    const ThrottleSettings* method_throttle = nullptr;
    for (const ApiStage& stage : plan->api_stages) {
      if (stage.api_id != route.api->id || stage.stage != route.stage->stage_name) continue;
      const auto it = stage.throttle.find(route.method_key);
      if (it != stage.throttle.end()) method_throttle = &it->second;
    }
    if (method_throttle != nullptr) {
      bucket({"plan", plan->id, key->id, route.stage->stage_name, route.method_key},
             method_throttle->rate_limit, method_throttle->burst_limit);
    }
    if (plan->throttle &&
        (method_throttle == nullptr || !options_.plan_method_throttle_replaces_plan)) {
      bucket({"plan", plan->id, key->id}, plan->throttle->rate_limit, plan->throttle->burst_limit);
    }
  }
  const auto& settings = route.stage->method_settings;
  auto setting = settings.find(route.method_key);
  if (setting == settings.end()) setting = settings.find("*/*");
  if (setting != settings.end()) {
    bucket({"stage", route.api->id, route.stage->stage_name, route.method_key},
           setting->second.throttling_rate_limit, setting->second.throttling_burst_limit);
  }
  levels[level_count++] = &account_bucket_;
  const auto used = std::span(levels).first(level_count);
  if (options_.refund_on_later_rejection) {
    for (TokenBucket* level : used) {
      if (!level->has_token(now)) return false;
    }
  }
  for (TokenBucket* level : used) {
    if (!level->try_take(now)) return false;
  }
  return true;
}

HttpResponse Gateway::gateway_error(GatewayResponseType type, std::string request_id) const {
  const GatewayResponseShape& shape = gateway_response_shape(type);
  HttpResponse response;
  response.status_code = shape.status_code;
  response.body = std::string(shape.body);
  response.headers = {{"Content-Type", std::string(shape.content_type)},
                      {"x-amzn-RequestId", request_id},
                      {"x-amzn-ErrorType", std::string(shape.error_type)}};
  response.request_id = std::move(request_id);
  response.gateway_response = type;
  return response;
}

}  // namespace twin::fakes::apigw
