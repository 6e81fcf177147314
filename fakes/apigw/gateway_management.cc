// The Gateway's model and management operations (reference 1.7).
#include <algorithm>
#include <cmath>
#include <utility>

#include "fakes/apigw/apigw_time.h"
#include "fakes/apigw/gateway.h"
#include "fakes/apigw/paging.h"

namespace twin::fakes::apigw {
namespace {

bool is_alphanumeric(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
}

core::Status validate_throttle(const ThrottleSettings& throttle, const std::string& field) {
  if (throttle.rate_limit &&
      (!std::isfinite(*throttle.rate_limit) || *throttle.rate_limit < 0 ||
       *throttle.rate_limit > static_cast<double>(kRateMilliRpsMax / kMilliPerUnit))) {
    return bad_request(field + ".rateLimit must be a non-negative number");
  }
  if (throttle.burst_limit && (*throttle.burst_limit < 0 || *throttle.burst_limit > kBurstMax)) {
    return bad_request(field + ".burstLimit must be a non-negative integer");
  }
  return core::Status::ok();
}

bool is_http_method(std::string_view verb) {
  constexpr std::string_view kMethods[] = {"GET",   "PUT",     "POST", "DELETE",
                                           "PATCH", "OPTIONS", "HEAD", "ANY"};
  return std::find(std::begin(kMethods), std::end(kMethods), verb) != std::end(kMethods);
}

}  // namespace

std::string_view to_string(QuotaPeriod period) {
  switch (period) {
    case QuotaPeriod::kDay:
      return "DAY";
    case QuotaPeriod::kWeek:
      return "WEEK";
    case QuotaPeriod::kMonth:
      return "MONTH";
  }
  return "DAY";
}

std::string Gateway::new_id() {
  for (;;) {
    std::string id;
    for (char c : ids_.next_uuid()) {
      if (c != '-' && id.size() < kGeneratedIdLength) id.push_back(c);
    }
    if (!apis_.contains(id) && !api_keys_.contains(id) && !usage_plans_.contains(id)) return id;
  }
}

core::Result<RestApi> Gateway::put_rest_api(RestApi api) {
  if (api.id.empty()) api.id = new_id();
  std::set<std::string> paths;
  std::vector<PathTemplate> templates;
  for (Resource& resource : api.resources) {
    auto parsed = parse_resource_path(resource.path);
    if (!parsed.is_ok()) return parsed.status();
    templates.push_back(std::move(*parsed));
    if (!paths.insert(resource.path).second) {
      return conflict("Another resource with the same path already exists: " + resource.path);
    }
    if (resource.id.empty()) resource.id = new_id();
    for (auto& [verb, method] : resource.methods) {
      if (!is_http_method(verb)) {
        return bad_request(
            "Invalid HttpMethod specified. Valid options are "
            "GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY (" +
            resource.path + " " + verb + ")");
      }
      if (method.http_method.empty()) method.http_method = verb;
      if (method.http_method != verb) return bad_request("Method key differs from httpMethod");
    }
  }
  if (auto st = validate_resource_tree(templates); !st.is_ok()) return st;
  for (auto& [name, stage] : api.stages) {
    if (stage.stage_name.empty()) stage.stage_name = name;
    if (stage.stage_name != name) return bad_request("Stage key differs from stageName");
    if (stage.deployment_id.empty()) stage.deployment_id = new_id();
    for (const auto& [key, setting] : stage.method_settings) {
      const core::Status st = validate_throttle(
          {setting.throttling_rate_limit, setting.throttling_burst_limit}, "methodSettings." + key);
      if (!st.is_ok()) return st;
    }
  }
  std::vector<ResourceRouting> routing;
  for (std::size_t i = 0; i < api.resources.size(); ++i) {
    const Resource& resource = api.resources[i];
    ResourceRouting& entry = routing.emplace_back(ResourceRouting{std::move(templates[i]), {}});
    for (const auto& [verb, method] : resource.methods) {
      entry.keys[verb] = {resource.path + "/" + verb, verb + " " + resource.path};
    }
  }
  apis_[api.id] = api;
  routing_[api.id] = std::move(routing);
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    it = it->first.starts_with("stage|" + api.id + "|") ? buckets_.erase(it) : std::next(it);
  }
  return api;
}

const RestApi* Gateway::rest_api(const std::string& id) const {
  const auto it = apis_.find(id);
  return it == apis_.end() ? nullptr : &it->second;
}

core::Status Gateway::set_account_throttle(double rate_limit_rps, std::int64_t burst_limit) {
  const core::Status st = validate_throttle({rate_limit_rps, burst_limit}, "account throttle");
  if (!st.is_ok()) return st;
  account_bucket_ =
      TokenBucket(rate_limit_to_milli_rps(rate_limit_rps), burst_limit, executor_.now());
  return core::Status::ok();
}

core::Result<ApiKey> Gateway::create_api_key(const CreateApiKeyRequest& request) {
  ApiKey key;
  if (request.value) {
    const std::string& value = *request.value;
    if (value.size() < kApiKeyValueLengthMin || value.size() > kApiKeyValueLengthMax ||
        !is_alphanumeric(value)) {
      return bad_request(
          "Invalid value: an API key value must be 20 to 128 alphanumeric characters");
    }
    for (const auto& [id, other] : api_keys_) {
      if (other.value == value) return conflict("API Key value already exists");
    }
    key.value = value;
  } else {
    while (key.value.size() < kGeneratedKeyValueLength) {
      for (char c : ids_.next_uuid()) {
        if (c != '-' && key.value.size() < kGeneratedKeyValueLength) key.value.push_back(c);
      }
    }
  }
  key.id = new_id();
  key.name = request.name;
  key.description = request.description;
  key.customer_id = request.customer_id;
  key.enabled = request.enabled;
  key.tags = request.tags;
  key.created_date = key.last_updated_date = executor_.now();
  api_keys_[key.id] = key;
  return key;
}

core::Result<GetApiKeysResponse> Gateway::get_api_keys(const GetApiKeysRequest& request) const {
  GetApiKeysResponse out;
  const core::Status st = page(
      api_keys_, request.position, request.limit, out,
      [&](const ApiKey& key) {
        return (!request.name_query || key.name.starts_with(*request.name_query)) &&
               (!request.customer_id || key.customer_id == *request.customer_id);
      },
      [&](ApiKey key) {
        if (!request.include_values) key.value.clear();
        return key;
      });
  if (!st.is_ok()) return st;
  return out;
}

core::Result<ApiKey> Gateway::get_api_key(const GetApiKeyRequest& request) const {
  const auto it = api_keys_.find(request.api_key);
  if (it == api_keys_.end()) return not_found_error("Invalid API Key identifier specified");
  ApiKey key = it->second;
  if (!request.include_value) key.value.clear();
  return key;
}

core::Result<ApiKey> Gateway::set_api_key_enabled(const std::string& api_key_id, bool enabled) {
  const auto it = api_keys_.find(api_key_id);
  if (it == api_keys_.end()) return not_found_error("Invalid API Key identifier specified");
  it->second.enabled = enabled;
  it->second.last_updated_date = executor_.now();
  ApiKey out = it->second;
  out.value.clear();  // UpdateApiKey does not return the value (reference 1.7)
  return out;
}

core::Status Gateway::validate_plan(const UsagePlan& plan) const {
  if (plan.name.empty()) return bad_request("Invalid name: a usage plan needs a name");
  if (plan.throttle) {
    const core::Status st = validate_throttle(*plan.throttle, "throttle");
    if (!st.is_ok()) return st;
  }
  if (plan.quota) {
    const QuotaSettings& q = *plan.quota;
    if (q.limit <= 0) return bad_request("Invalid quota.limit: must be a positive integer");
    if (options_.quota_offset_meaning == QuotaOffsetMeaning::kPeriodStartDay) {
      const std::int64_t offset_max =
          q.period == QuotaPeriod::kDay ? 0 : (q.period == QuotaPeriod::kWeek ? 6 : 27);
      if (q.offset < 0 || q.offset > offset_max) {
        return bad_request("Invalid quota.offset: must be between 0 and " +
                           std::to_string(offset_max) + " for period " +
                           std::string(to_string(q.period)));
      }
    } else if (q.offset < 0 || q.offset >= q.limit) {
      return bad_request("Invalid quota.offset: must be at least 0 and less than quota.limit");
    }
  }
  std::set<std::pair<std::string, std::string>> seen;
  for (const ApiStage& stage : plan.api_stages) {
    const auto api = apis_.find(stage.api_id);
    if (api == apis_.end() || !api->second.stages.contains(stage.stage)) {
      return not_found_error("Invalid API Stage {api: " + stage.api_id + ", stage: " + stage.stage +
                             "} specified for usageplan " + plan.id);
    }
    if (!seen.insert({stage.api_id, stage.stage}).second) {
      return bad_request("Duplicate apiStages entry " + stage.api_id + ":" + stage.stage);
    }
    if (stage.throttle.size() > kPlanMethodThrottlesPerStageMax) {
      return bad_request("apiStages[].throttle: at most 20 methods per stage");
    }
    for (const auto& [method_key, throttle] : stage.throttle) {
      bool found = false;
      for (const Resource& resource : api->second.resources) {
        for (const auto& [verb, method] : resource.methods) {
          found = found || resource.path + "/" + verb == method_key;
        }
      }
      if (!found) return bad_request("Invalid method " + method_key + " in apiStages[].throttle");
      const core::Status st = validate_throttle(throttle, "apiStages[].throttle." + method_key);
      if (!st.is_ok()) return st;
    }
  }
  return core::Status::ok();
}

core::Result<UsagePlan> Gateway::create_usage_plan(const CreateUsagePlanRequest& request) {
  UsagePlan plan;
  plan.name = request.name;
  plan.description = request.description;
  plan.api_stages = request.api_stages;
  plan.throttle = request.throttle;
  plan.quota = request.quota;
  plan.tags = request.tags;
  const core::Status st = validate_plan(plan);
  if (!st.is_ok()) return st;
  plan.id = new_id();
  usage_plans_[plan.id] = plan;
  plan_created_day_[plan.id] = day_of(executor_.now());
  return plan;
}

core::Result<GetUsagePlansResponse> Gateway::get_usage_plans(
    const GetUsagePlansRequest& request) const {
  GetUsagePlansResponse out;
  const core::Status st = page(
      usage_plans_, request.position, request.limit, out,
      [&](const UsagePlan& plan) {
        if (!request.key_id) return true;
        const auto keys = plan_keys_.find(plan.id);
        return keys != plan_keys_.end() && keys->second.contains(*request.key_id);
      },
      [](const UsagePlan& plan) { return plan; });
  if (!st.is_ok()) return st;
  return out;
}

core::Result<UsagePlan> Gateway::get_usage_plan(const std::string& usage_plan_id) const {
  const auto it = usage_plans_.find(usage_plan_id);
  if (it == usage_plans_.end()) return not_found_error("Invalid Usage Plan ID specified");
  return it->second;
}

core::Status Gateway::validate_key_stages(const std::string& plan_id, const std::string& key_id,
                                          const std::vector<ApiStage>& stages) const {
  for (const auto& [other_id, keys] : plan_keys_) {
    if (other_id == plan_id || !keys.contains(key_id)) continue;
    for (const ApiStage& other : usage_plans_.at(other_id).api_stages) {
      for (const ApiStage& mine : stages) {
        if (mine.api_id == other.api_id && mine.stage == other.stage) {
          return bad_request("Usage Plan " + plan_id + " cannot be added because API Key " +
                             key_id +
                             " cannot reference multiple Usage Plans with the same "
                             "API Stage: " +
                             mine.api_id + ":" + mine.stage);
        }
      }
    }
  }
  return core::Status::ok();
}

core::Result<UsagePlanKey> Gateway::create_usage_plan_key(
    const CreateUsagePlanKeyRequest& request) {
  const auto plan = usage_plans_.find(request.usage_plan_id);
  if (plan == usage_plans_.end()) return not_found_error("Invalid Usage Plan ID specified");
  if (request.key_type != "API_KEY") return bad_request("Invalid keyType: must be API_KEY");
  const auto key = api_keys_.find(request.key_id);
  if (key == api_keys_.end()) return not_found_error("Invalid API Key identifier specified");
  std::set<std::string>& keys = plan_keys_[plan->first];
  if (keys.contains(key->first)) return conflict("Usage Plan Key already exists");
  const core::Status st = validate_key_stages(plan->first, key->first, plan->second.api_stages);
  if (!st.is_ok()) return st;
  keys.insert(key->first);
  return UsagePlanKey{key->first, "API_KEY", key->second.value, key->second.name};
}

core::Result<GetUsagePlanKeysResponse> Gateway::get_usage_plan_keys(
    const GetUsagePlanKeysRequest& request) const {
  if (!usage_plans_.contains(request.usage_plan_id)) {
    return not_found_error("Invalid Usage Plan ID specified");
  }
  std::map<std::string, const ApiKey*> keys;
  if (const auto it = plan_keys_.find(request.usage_plan_id); it != plan_keys_.end()) {
    for (const std::string& id : it->second) keys[id] = &api_keys_.at(id);
  }
  GetUsagePlanKeysResponse out;
  const core::Status st = page(
      keys, request.position, request.limit, out,
      [&](const ApiKey* key) {
        return !request.name_query || key->name.starts_with(*request.name_query);
      },
      [](const ApiKey* key) {
        return UsagePlanKey{key->id, "API_KEY", key->value, key->name};
      });
  if (!st.is_ok()) return st;
  return out;
}

core::Result<UsagePlan> Gateway::update_usage_plan(const UpdateUsagePlanRequest& request) {
  const auto it = usage_plans_.find(request.usage_plan_id);
  if (it == usage_plans_.end()) return not_found_error("Invalid Usage Plan ID specified");
  UsagePlan plan = it->second;  // changed on a copy, committed only if every operation is valid
  for (const PatchOperation& op : request.patch_operations) {
    const core::Status st = apply_patch(plan, op);
    if (!st.is_ok()) return st;
  }
  core::Status st = validate_plan(plan);
  if (!st.is_ok()) return st;
  if (const auto keys = plan_keys_.find(plan.id); keys != plan_keys_.end()) {
    for (const std::string& key_id : keys->second) {
      st = validate_key_stages(plan.id, key_id, plan.api_stages);
      if (!st.is_ok()) return st;
    }
  }
  it->second = plan;
  reset_plan_state(plan.id);
  return plan;
}

void Gateway::reset_plan_state(const std::string& plan_id) {
  const std::string prefix = "plan|" + plan_id + "|";
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    it = it->first.starts_with(prefix) ? buckets_.erase(it) : std::next(it);
  }
  for (auto& [plan_key, counter] : quota_counters_) {
    if (std::get<0>(plan_key) == plan_id) counter.used = -1;  // recounted from the daily records
  }
}

}  // namespace twin::fakes::apigw
