#include "sim/http/apigw_management_json.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>

namespace twin::sim::http::apigw_json {

namespace json = boost::json;
using fakes::apigw::ApiKey;
using fakes::apigw::ApiStage;
using fakes::apigw::QuotaPeriod;
using fakes::apigw::QuotaSettings;
using fakes::apigw::ThrottleSettings;

namespace {

// One JSON object of a request body at `path` ("" for the body, "apiStages[0]" below it), whose
// members must all be among `members`. JSON null reads as absent, as AWS's parser treats it.
class ObjectReader {
 public:
  ObjectReader(const json::value& v, std::string path, std::string_view operation,
               std::initializer_list<std::string_view> members)
      : path_(std::move(path)) {
    if (!v.is_object())
      throw RequestError("Invalid request body: " + here() + " must be an object");
    check(v.get_object(), operation, members);
  }
  // `object` must outlive the reader (a temporary json::value made from it would not).
  ObjectReader(const json::object& object, std::string_view operation,
               std::initializer_list<std::string_view> members) {
    check(object, operation, members);
  }

  std::string where(std::string_view key) const {
    return "'" + (path_.empty() ? std::string(key) : path_ + "." + std::string(key)) + "'";
  }
  std::string here() const { return path_.empty() ? "the body" : "'" + path_ + "'"; }
  std::string child(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }

  const json::value* get(std::string_view key) const {
    const json::value* v = object_->if_contains(key);
    return v == nullptr || v->is_null() ? nullptr : v;
  }
  std::optional<std::string> str(std::string_view key) const {
    const json::value* v = get(key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_string()) throw RequestError(type_error(key, "a string"));
    return std::string(v->get_string());
  }
  std::optional<bool> boolean(std::string_view key) const {
    const json::value* v = get(key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_bool()) throw RequestError(type_error(key, "true or false"));
    return v->get_bool();
  }
  std::optional<std::int64_t> integer(std::string_view key) const {
    const json::value* v = get(key);
    if (v == nullptr) return std::nullopt;
    if (v->is_int64()) return v->get_int64();
    throw RequestError(type_error(key, "an integer"));
  }
  std::optional<double> number(std::string_view key) const {
    const json::value* v = get(key);
    if (v == nullptr) return std::nullopt;
    if (v->is_double() && std::isfinite(v->get_double())) return v->get_double();
    if (v->is_int64()) return static_cast<double>(v->get_int64());
    throw RequestError(type_error(key, "a number"));
  }
  std::map<std::string, std::string> string_map(std::string_view key) const {
    std::map<std::string, std::string> out;
    const json::value* v = get(key);
    if (v == nullptr) return out;
    if (!v->is_object()) throw RequestError(type_error(key, "an object of strings"));
    for (const auto& [k, value] : v->get_object()) {
      if (!value.is_string()) throw RequestError(type_error(key, "an object of strings"));
      out[k] = std::string(value.get_string());
    }
    return out;
  }
  const json::array* array(std::string_view key) const {
    const json::value* v = get(key);
    if (v == nullptr) return nullptr;
    if (!v->is_array()) throw RequestError(type_error(key, "an array"));
    return &v->get_array();
  }

 private:
  void check(const json::object& object, std::string_view operation,
             std::initializer_list<std::string_view> members) {
    object_ = &object;
    for (const auto& [key, value] : object) {
      if (std::find(members.begin(), members.end(), std::string_view(key)) == members.end()) {
        throw RequestError("Invalid request body: " + where(key) + " is not a member of " +
                           std::string(operation) + "'s input");
      }
    }
  }
  std::string type_error(std::string_view key, std::string_view expected) const {
    return "Invalid request body: " + where(key) + " must be " + std::string(expected);
  }

  std::string path_;
  const json::object* object_ = nullptr;
};

ThrottleSettings read_throttle(const json::value& v, std::string path, std::string_view op) {
  const ObjectReader in(v, std::move(path), op, {"burstLimit", "rateLimit"});
  return {in.number("rateLimit"), in.integer("burstLimit")};
}

QuotaSettings read_quota(const json::value& v, std::string_view op) {
  const ObjectReader in(v, "quota", op, {"limit", "offset", "period"});
  QuotaSettings quota;
  quota.limit = in.integer("limit").value_or(0);
  quota.offset = in.integer("offset").value_or(0);
  const std::optional<std::string> period = in.str("period");
  if (period == "DAY") {
    quota.period = QuotaPeriod::kDay;
  } else if (period == "WEEK") {
    quota.period = QuotaPeriod::kWeek;
  } else if (period == "MONTH") {
    quota.period = QuotaPeriod::kMonth;
  } else {
    throw RequestError("Invalid quota.period '" + period.value_or("") +
                       "': must be DAY, WEEK or MONTH");
  }
  return quota;
}

ApiStage read_api_stage(const json::value& v, std::string path, std::string_view op) {
  const ObjectReader in(v, path, op, {"apiId", "stage", "throttle"});
  ApiStage stage{in.str("apiId").value_or(""), in.str("stage").value_or(""), {}};
  if (const json::value* throttle = in.get("throttle")) {
    if (!throttle->is_object()) {
      throw RequestError("Invalid request body: " + in.where("throttle") + " must be an object");
    }
    for (const auto& [method, settings] : throttle->get_object()) {
      stage.throttle[method] =
          read_throttle(settings, path + ".throttle[\"" + std::string(method) + "\"]", op);
    }
  }
  return stage;
}

json::object throttle_json(const ThrottleSettings& throttle) {
  json::object out;
  if (throttle.burst_limit) out["burstLimit"] = *throttle.burst_limit;
  if (throttle.rate_limit) out["rateLimit"] = *throttle.rate_limit;
  return out;
}

json::object string_map_json(const std::map<std::string, std::string>& map) {
  json::object out;
  for (const auto& [k, v] : map) out[k] = v;
  return out;
}

}  // namespace

json::object parse_body(std::string_view body) {
  if (body.empty()) return {};
  boost::system::error_code error;
  json::value v = json::parse(body, error);
  if (error) {
    throw RequestError("Could not parse request body into json: " + error.message());
  }
  if (!v.is_object()) throw RequestError("Invalid request body: the body must be a JSON object");
  return std::move(v.get_object());
}

fakes::apigw::CreateApiKeyRequest read_create_api_key(const json::object& body) {
  constexpr std::string_view kOp = "CreateApiKey";
  const ObjectReader in(body, kOp,
                        {"name", "description", "enabled", "generateDistinctId", "value",
                         "stageKeys", "customerId", "tags"});
  fakes::apigw::CreateApiKeyRequest request;
  request.name = in.str("name").value_or("");
  request.description = in.str("description").value_or("");
  request.enabled = in.boolean("enabled").value_or(false);
  // Deprecated in AWS and without effect there; kept for the record.
  request.generate_distinct_id = in.boolean("generateDistinctId").value_or(false);
  request.value = in.str("value");
  request.customer_id = in.str("customerId").value_or("");
  request.tags = in.string_map("tags");
  if (const json::array* stage_keys = in.array("stageKeys"); stage_keys && !stage_keys->empty()) {
    throw RequestError(
        "CreateApiKey: stageKeys (deprecated) is not supported by the twin; add the "
        "key to a usage plan of the stage instead");
  }
  return request;
}

fakes::apigw::CreateUsagePlanRequest read_create_usage_plan(const json::object& body) {
  constexpr std::string_view kOp = "CreateUsagePlan";
  const ObjectReader in(body, kOp,
                        {"name", "description", "apiStages", "throttle", "quota", "tags"});
  fakes::apigw::CreateUsagePlanRequest request;
  request.name = in.str("name").value_or("");
  request.description = in.str("description").value_or("");
  if (const json::array* stages = in.array("apiStages")) {
    for (std::size_t i = 0; i < stages->size(); ++i) {
      request.api_stages.push_back(
          read_api_stage((*stages)[i], "apiStages[" + std::to_string(i) + "]", kOp));
    }
  }
  if (const json::value* throttle = in.get("throttle")) {
    request.throttle = read_throttle(*throttle, "throttle", kOp);
  }
  if (const json::value* quota = in.get("quota")) request.quota = read_quota(*quota, kOp);
  request.tags = in.string_map("tags");
  return request;
}

fakes::apigw::CreateUsagePlanKeyRequest read_create_usage_plan_key(const json::object& body) {
  const ObjectReader in(body, "CreateUsagePlanKey", {"keyId", "keyType"});
  fakes::apigw::CreateUsagePlanKeyRequest request;
  const std::optional<std::string> key_id = in.str("keyId");
  const std::optional<std::string> key_type = in.str("keyType");
  if (!key_id) throw RequestError("Invalid request body: 'keyId' is required");
  if (!key_type) throw RequestError("Invalid request body: 'keyType' is required");
  request.key_id = *key_id;
  request.key_type = *key_type;
  return request;
}

std::vector<fakes::apigw::PatchOperation> read_patch_operations(const json::object& body,
                                                                std::string_view operation) {
  const ObjectReader in(body, operation, {"patchOperations"});
  std::vector<fakes::apigw::PatchOperation> out;
  const json::array* ops = in.array("patchOperations");
  if (ops == nullptr) return out;
  for (std::size_t i = 0; i < ops->size(); ++i) {
    const ObjectReader op((*ops)[i], "patchOperations[" + std::to_string(i) + "]", operation,
                          {"op", "path", "value", "from"});
    out.push_back(
        {op.str("op").value_or(""), op.str("path").value_or(""), op.str("value"), op.str("from")});
    if (out.back().from) {
      throw RequestError(std::string(operation) +
                         ": patch operations with 'from' (move, copy) are "
                         "not supported by the twin");
    }
  }
  return out;
}

std::int64_t epoch_seconds(core::TimeUs t) {
  const std::int64_t s = t / core::kMicrosPerSecond;
  return t < 0 && t % core::kMicrosPerSecond != 0 ? s - 1 : s;
}

json::object api_key_json(const ApiKey& key) {
  json::object out;
  out["id"] = key.id;
  if (!key.value.empty()) out["value"] = key.value;
  out["name"] = key.name;
  if (!key.customer_id.empty()) out["customerId"] = key.customer_id;
  if (!key.description.empty()) out["description"] = key.description;
  out["enabled"] = key.enabled;
  out["createdDate"] = epoch_seconds(key.created_date);
  out["lastUpdatedDate"] = epoch_seconds(key.last_updated_date);
  json::array stage_keys;
  for (const std::string& s : key.stage_keys) stage_keys.emplace_back(s);
  out["stageKeys"] = std::move(stage_keys);
  if (!key.tags.empty()) out["tags"] = string_map_json(key.tags);
  return out;
}

json::object usage_plan_json(const fakes::apigw::UsagePlan& plan) {
  json::object out;
  out["id"] = plan.id;
  out["name"] = plan.name;
  if (!plan.description.empty()) out["description"] = plan.description;
  json::array stages;
  for (const ApiStage& stage : plan.api_stages) {
    json::object s{{"apiId", stage.api_id}, {"stage", stage.stage}};
    if (!stage.throttle.empty()) {
      json::object throttle;
      for (const auto& [method, t] : stage.throttle) throttle[method] = throttle_json(t);
      s["throttle"] = std::move(throttle);
    }
    stages.push_back(std::move(s));
  }
  out["apiStages"] = std::move(stages);
  if (plan.throttle) out["throttle"] = throttle_json(*plan.throttle);
  if (plan.quota) {
    out["quota"] = json::object{{"limit", plan.quota->limit},
                                {"offset", plan.quota->offset},
                                {"period", to_string(plan.quota->period)}};
  }
  if (!plan.product_code.empty()) out["productCode"] = plan.product_code;
  if (!plan.tags.empty()) out["tags"] = string_map_json(plan.tags);
  return out;
}

json::object usage_plan_key_json(const fakes::apigw::UsagePlanKey& key) {
  return {{"id", key.id}, {"type", key.type}, {"value", key.value}, {"name", key.name}};
}

json::object usage_json(const fakes::apigw::GetUsageResponse& usage) {
  json::object values;
  for (const auto& [key_id, days] : usage.items) {
    json::array rows;
    for (const auto& day : days) rows.push_back(json::array{day.used, day.remaining});
    values[key_id] = std::move(rows);
  }
  json::object out{{"usagePlanId", usage.usage_plan_id},
                   {"startDate", usage.start_date},
                   {"endDate", usage.end_date}};
  if (usage.position) out["position"] = *usage.position;
  out["values"] = std::move(values);
  return out;
}

json::object rest_api_json(const fakes::apigw::RestApi& api) {
  json::object out{{"id", api.id}, {"name", api.name}};
  for (const auto& resource : api.resources) {
    if (resource.path == "/") out["rootResourceId"] = resource.id;
  }
  out["apiKeySource"] = "HEADER";  // the fake reads keys from x-api-key only
  return out;
}

json::object stage_json(const fakes::apigw::Stage& stage) {
  json::object out{{"deploymentId", stage.deployment_id}, {"stageName", stage.stage_name}};
  if (!stage.method_settings.empty()) {
    json::object settings;
    for (const auto& [key, setting] : stage.method_settings) {
      json::object s;
      if (setting.throttling_burst_limit) {
        s["throttlingBurstLimit"] = *setting.throttling_burst_limit;
      }
      if (setting.throttling_rate_limit) s["throttlingRateLimit"] = *setting.throttling_rate_limit;
      // AWS writes "trigger/POST" for the twin's "/trigger/POST"; "*/*" stays.
      settings[key.starts_with('/') ? key.substr(1) : key] = std::move(s);
    }
    out["methodSettings"] = std::move(settings);
  }
  if (!stage.variables.empty()) out["variables"] = string_map_json(stage.variables);
  return out;
}

}  // namespace twin::sim::http::apigw_json
