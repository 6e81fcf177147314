// The execute-api request pipeline of the Gateway (see gateway.h for the order and the choices).
#include <algorithm>
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
  std::size_t size = parts.size() - 1;  // the separators
  for (std::string_view part : parts) size += part.size();
  out.resize(size);  // sized once, then written: appending part by part cost twice as much
  char* at = out.data();
  bool first = true;
  for (std::string_view part : parts) {
    if (!first) *at++ = '|';
    first = false;
    at = std::copy(part.begin(), part.end(), at);
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

std::string_view to_string(ThrottleLevel level) {
  switch (level) {
    case ThrottleLevel::kUsagePlan:
      return "usage_plan";
    case ThrottleLevel::kStageMethod:
      return "stage_method";
    case ThrottleLevel::kAccount:
      return "account";
  }
  return "account";
}

std::int64_t GatewayCounters::throttled_total() const {
  std::int64_t total = 0;
  for (const auto& [level, count] : throttled) total += count;
  return total;
}

void Gateway::handle(HttpRequest request, RespondFn respond) {
  ++counters_.requests;
  const core::TimeUs now = executor_.now();
  std::string request_id = ids_.next_uuid();
  const std::optional<Route> route = match_route(request);
  if (!route) {
    ++counters_.missing_authentication_token;
    return answer(nullptr,
                  gateway_error(GatewayResponseType::kMissingAuthenticationToken, request_id),
                  respond);
  }
  const std::string* route_key = &route->keys->route_key;
  const ApiKey* key = nullptr;
  const UsagePlan* plan = nullptr;
  if (route->method->api_key_required) {
    const auto value = find_header(request.headers, kApiKeyHeader);
    if (value) key = find_key_by_value(*value);
    if (key != nullptr && key->enabled) plan = plan_for(*key, *route);
    if (plan == nullptr) {
      ++counters_.invalid_api_key;
      return answer(route_key, gateway_error(GatewayResponseType::kInvalidApiKey, request_id),
                    respond);
    }
  }
  if (const auto level = take_throttle_tokens(*route, key, plan, now)) {
    ++counters_.throttled[*level];
    return answer(route_key, gateway_error(GatewayResponseType::kThrottled, request_id), respond);
  }
  if (plan != nullptr && !charge_quota(*plan, *key, now)) {
    ++counters_.quota_exceeded;
    return answer(route_key, gateway_error(GatewayResponseType::kQuotaExceeded, request_id),
                  respond);
  }
  if (request.body && request.body->size() > options_.payload_bytes_max) {
    ++counters_.request_too_large;
    return answer(route_key, gateway_error(GatewayResponseType::kRequestTooLarge, request_id),
                  respond);
  }
  lambda::Payload event = lambda::Payload::build_in(event_storage_, [&](core::ProxyEvent& out) {
    build_event(out, std::move(request), *route, key, request_id, now);
  });
  invoke(*route, std::move(event), std::move(request_id), std::move(respond));
}

void Gateway::answer(const std::string* route_key, HttpResponse response,
                     const RespondFn& respond) {
  ++counters_.responses_by_status[response.status_code];
  if (route_key != nullptr) ++counters_.responses_by_route[*route_key][response.status_code];
  respond(std::move(response));
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
  const std::string_view resource_path =
      slash == std::string_view::npos ? std::string_view("/") : path.substr(slash);
  // The most specific template that matches (and, with method_miss_tries_less_specific, has
  // the method); ties cannot happen, put_rest_api refuses the paths that would make them.
  const std::vector<Resource>& resources = api->second.resources;
  const std::vector<ResourceRouting>& routing = routing_.at(api->first);
  auto method_of = [&](const Resource& resource) -> const std::pair<const std::string, Method>* {
    auto it = resource.methods.find(request.http_method);
    if (it == resource.methods.end()) it = resource.methods.find("ANY");
    return it == resource.methods.end() ? nullptr : &*it;
  };
  std::size_t best = resources.size();
  for (std::size_t i = 0; i < resources.size(); ++i) {
    if (!match_path(routing[i].path, resource_path, nullptr)) continue;
    if (options_.method_miss_tries_less_specific && method_of(resources[i]) == nullptr) continue;
    if (best == resources.size() || compare_specificity(routing[i].path, routing[best].path) > 0) {
      best = i;
    }
  }
  if (best == resources.size()) return std::nullopt;
  const Resource& resource = resources[best];
  const auto* method = method_of(resource);
  if (method == nullptr) return std::nullopt;
  const RouteKeys* keys = &routing[best].keys.find(method->first)->second;
  Route route{&api->second, &stage->second, &resource, &method->second, keys, resource_path, {}};
  if (routing[best].path.has_parameters()) {
    match_path(routing[best].path, resource_path, &route.path_parameters.emplace());
  }
  return route;
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

std::optional<ThrottleLevel> Gateway::take_throttle_tokens(const Route& route, const ApiKey* key,
                                                           const UsagePlan* plan,
                                                           core::TimeUs now) {
  // In AWS's order: plan (per key; per method, then plan-wide), stage method, account.
  std::array<std::pair<TokenBucket*, ThrottleLevel>, 4> levels{};
  std::size_t level_count = 0;
  auto bucket = [&](ThrottleLevel level, std::initializer_list<std::string_view> key_parts,
                    std::optional<double> rate, std::optional<std::int64_t> burst) {
    if (!rate && !burst) return;
    // One of the two unset means "no limit" on that dimension.
    const std::int64_t rate_milli = rate ? rate_limit_to_milli_rps(*rate) : kRateMilliRpsMax;
    const std::int64_t capacity = burst ? *burst : kBurstMax;
    bucket_key(bucket_key_, key_parts);
    auto it = buckets_.find(std::string_view(bucket_key_));
    if (it == buckets_.end()) {
      it = buckets_.emplace(bucket_key_, TokenBucket(rate_milli, capacity, now)).first;
    }
    levels[level_count++] = {&it->second, level};
  };
  if (plan != nullptr) {
    const ThrottleSettings* method_throttle = nullptr;
    for (const ApiStage& stage : plan->api_stages) {
      if (stage.api_id != route.api->id || stage.stage != route.stage->stage_name) continue;
      const auto it = stage.throttle.find(route.keys->method_key);
      if (it != stage.throttle.end()) method_throttle = &it->second;
    }
    if (method_throttle != nullptr) {
      bucket(ThrottleLevel::kUsagePlan,
             {"plan", plan->id, key->id, route.stage->stage_name, route.keys->method_key},
             method_throttle->rate_limit, method_throttle->burst_limit);
    }
    if (plan->throttle &&
        (method_throttle == nullptr || !options_.plan_method_throttle_replaces_plan)) {
      bucket(ThrottleLevel::kUsagePlan, {"plan", plan->id, key->id}, plan->throttle->rate_limit,
             plan->throttle->burst_limit);
    }
  }
  const auto& settings = route.stage->method_settings;
  auto setting = settings.find(route.keys->method_key);
  if (setting == settings.end()) setting = settings.find("*/*");
  if (setting != settings.end()) {
    bucket(ThrottleLevel::kStageMethod,
           {"stage", route.api->id, route.stage->stage_name, route.keys->method_key},
           setting->second.throttling_rate_limit, setting->second.throttling_burst_limit);
  }
  levels[level_count++] = {&account_bucket_, ThrottleLevel::kAccount};
  const auto used = std::span(levels).first(level_count);
  if (options_.refund_on_later_rejection) {
    for (const auto& [at_level, level] : used) {
      if (!at_level->has_token(now)) return level;
    }
  }
  for (const auto& [at_level, level] : used) {
    if (!at_level->try_take(now)) return level;
  }
  return std::nullopt;
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
