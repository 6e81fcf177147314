// export_management_state / import_management_state: the Gateway's management state as one JSON
// document, so `twin serve --data-dir` keeps API keys, usage plans and quota usage across a
// restart. The document (version 1):
//
//   {"format": "twin.apigw.management-state", "version": 1,
//    "apiKeys": [{"id", "value", "name", "customerId", "description", "enabled",
//                 "createdDateUs", "lastUpdatedDateUs", "stageKeys": [..], "tags": {..}}],
//    "usagePlans": [{"id", "name", "description", "productCode", "tags": {..},
//                    "createdDate": "yyyy-MM-dd", "apiStages": [{"apiId", "stage",
//                    "throttle": {"/trigger/POST": THROTTLE}}], "throttle": THROTTLE|null,
//                    "quota": {"limit", "offset", "period"}|null, "keys": ["<key id>", ..]}],
//    "usage": [{"usagePlanId", "keyId", "date": "yyyy-MM-dd", "count"}]}
//   THROTTLE = {"rateLimit"?: "25", "burstLimit"?: 50}
//
// Every member is required (THROTTLE's two are optional, as in AWS's model) and no other is
// allowed. Times are the executor's microseconds. A rateLimit is a string holding the
// shortest text that reads back to the same double (std::to_chars / std::from_chars): Boost.JSON
// 1.81 reads some long decimals one ulp off, and an import must give back exactly what was
// exported. Lists are in id order, so the same state always gives the same text.
#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "fakes/apigw/apigw_time.h"
#include "fakes/apigw/gateway.h"

namespace twin::fakes::apigw {

namespace json = boost::json;

namespace {

constexpr std::string_view kStateFormat = "twin.apigw.management-state";
constexpr std::int64_t kStateVersion = 1;

// --- writing ---

std::string format_rate(double rate) {
  char buffer[64];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, rate);
  return error == std::errc() ? std::string(buffer, end) : std::string("0");
}

json::value throttle_json(const ThrottleSettings& throttle) {
  json::object out;
  if (throttle.rate_limit) out["rateLimit"] = format_rate(*throttle.rate_limit);
  if (throttle.burst_limit) out["burstLimit"] = *throttle.burst_limit;
  return out;
}

json::object string_map_json(const std::map<std::string, std::string>& map) {
  json::object out;
  for (const auto& [k, v] : map) out[k] = v;
  return out;
}

json::object key_json(const ApiKey& key) {
  json::array stage_keys;
  for (const std::string& s : key.stage_keys) stage_keys.emplace_back(s);
  return {{"id", key.id},
          {"value", key.value},
          {"name", key.name},
          {"customerId", key.customer_id},
          {"description", key.description},
          {"enabled", key.enabled},
          {"createdDateUs", key.created_date},
          {"lastUpdatedDateUs", key.last_updated_date},
          {"stageKeys", std::move(stage_keys)},
          {"tags", string_map_json(key.tags)}};
}

json::object plan_json(const UsagePlan& plan, std::int64_t created_day,
                       const std::set<std::string>* keys) {
  json::array stages;
  for (const ApiStage& stage : plan.api_stages) {
    json::object throttle;
    for (const auto& [method, t] : stage.throttle) throttle[method] = throttle_json(t);
    stages.push_back(
        json::object{{"apiId", stage.api_id}, {"stage", stage.stage}, {"throttle", throttle}});
  }
  json::value quota = nullptr;
  if (plan.quota) {
    quota = json::object{{"limit", plan.quota->limit},
                         {"offset", plan.quota->offset},
                         {"period", to_string(plan.quota->period)}};
  }
  json::array key_ids;
  if (keys != nullptr) {
    for (const std::string& id : *keys) key_ids.emplace_back(id);
  }
  return {{"id", plan.id},
          {"name", plan.name},
          {"description", plan.description},
          {"productCode", plan.product_code},
          {"tags", string_map_json(plan.tags)},
          {"createdDate", format_date(created_day)},
          {"apiStages", std::move(stages)},
          {"throttle", plan.throttle ? throttle_json(*plan.throttle) : json::value(nullptr)},
          {"quota", std::move(quota)},
          {"keys", std::move(key_ids)}};
}

// --- reading: strict; each error names the JSON path of the value at fault ---

class StateError : public std::runtime_error {
 public:
  StateError(const std::string& path, const std::string& what)
      : std::runtime_error(path + ": " + what) {}
};

const json::object& as_object(const json::value& v, const std::string& path) {
  if (!v.is_object()) throw StateError(path, "expected an object");
  return v.get_object();
}

const json::array& as_array(const json::value& v, const std::string& path) {
  if (!v.is_array()) throw StateError(path, "expected an array");
  return v.get_array();
}

std::string read_string(const json::value& v, const std::string& path) {
  if (!v.is_string()) throw StateError(path, "expected a string");
  return std::string(v.get_string());
}

std::string read_id(const json::value& v, const std::string& path) {
  std::string id = read_string(v, path);
  if (id.empty()) throw StateError(path, "expected a non-empty id");
  return id;
}

std::int64_t read_integer(const json::value& v, const std::string& path, std::int64_t lo) {
  if (v.is_int64() && v.get_int64() >= lo) return v.get_int64();
  throw StateError(path, "expected an integer of at least " + std::to_string(lo));
}

bool read_bool(const json::value& v, const std::string& path) {
  if (!v.is_bool()) throw StateError(path, "expected true or false");
  return v.get_bool();
}

std::int64_t read_date(const json::value& v, const std::string& path) {
  const auto day = parse_date(read_string(v, path));
  if (!day) throw StateError(path, "expected a yyyy-MM-dd date");
  return *day;
}

double read_rate(const json::value& v, const std::string& path) {
  const std::string text = v.is_string() ? std::string(v.get_string()) : std::string();
  double rate = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), rate);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(rate)) {
    throw StateError(path, "expected a number written as a string (\"25\", \"2.5\")");
  }
  return rate;
}

// The object at `path`, once every required member is present and no other is.
const json::object& members(const json::value& v, const std::string& path,
                            std::initializer_list<std::string_view> required,
                            std::initializer_list<std::string_view> optional = {}) {
  const json::object& object = as_object(v, path);
  for (const auto& [key, value] : object) {
    const auto known = [&](std::initializer_list<std::string_view> names) {
      return std::find(names.begin(), names.end(), std::string_view(key)) != names.end();
    };
    if (!known(required) && !known(optional)) {
      throw StateError(path + "." + std::string(key), "unknown member");
    }
  }
  for (std::string_view key : required) {
    if (!object.contains(key)) throw StateError(path + "." + std::string(key), "missing");
  }
  return object;
}

std::map<std::string, std::string> read_string_map(const json::value& v, const std::string& path) {
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : as_object(v, path)) {
    out[key] = read_string(value, path + "." + std::string(key));
  }
  return out;
}

ThrottleSettings read_throttle(const json::value& v, const std::string& path) {
  const json::object& o = members(v, path, {}, {"rateLimit", "burstLimit"});
  ThrottleSettings out;
  if (const auto* rate = o.if_contains("rateLimit"))
    out.rate_limit = read_rate(*rate, path + ".rateLimit");
  if (const auto* burst = o.if_contains("burstLimit")) {
    out.burst_limit = read_integer(*burst, path + ".burstLimit", 0);
  }
  return out;
}

QuotaSettings read_quota(const json::value& v, const std::string& path) {
  const json::object& o = members(v, path, {"limit", "offset", "period"});
  QuotaSettings out;
  out.limit = read_integer(o.at("limit"), path + ".limit", 0);
  out.offset = read_integer(o.at("offset"), path + ".offset", 0);
  const std::string period = read_string(o.at("period"), path + ".period");
  if (period == "DAY") {
    out.period = QuotaPeriod::kDay;
  } else if (period == "WEEK") {
    out.period = QuotaPeriod::kWeek;
  } else if (period == "MONTH") {
    out.period = QuotaPeriod::kMonth;
  } else {
    throw StateError(path + ".period", "expected DAY, WEEK or MONTH");
  }
  return out;
}

bool is_key_value(std::string_view value) {
  return value.size() >= kApiKeyValueLengthMin && value.size() <= kApiKeyValueLengthMax &&
         std::all_of(value.begin(), value.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
         });
}

ApiKey read_key(const json::value& v, const std::string& path) {
  const json::object& o = members(v, path,
                                  {"id", "value", "name", "customerId", "description", "enabled",
                                   "createdDateUs", "lastUpdatedDateUs", "stageKeys", "tags"});
  ApiKey key;
  key.id = read_id(o.at("id"), path + ".id");
  key.value = read_string(o.at("value"), path + ".value");
  if (!is_key_value(key.value)) {
    throw StateError(path + ".value", "expected 20 to 128 alphanumeric characters");
  }
  key.name = read_string(o.at("name"), path + ".name");
  key.customer_id = read_string(o.at("customerId"), path + ".customerId");
  key.description = read_string(o.at("description"), path + ".description");
  key.enabled = read_bool(o.at("enabled"), path + ".enabled");
  key.created_date = read_integer(o.at("createdDateUs"), path + ".createdDateUs", 0);
  key.last_updated_date = read_integer(o.at("lastUpdatedDateUs"), path + ".lastUpdatedDateUs", 0);
  const json::array& stage_keys = as_array(o.at("stageKeys"), path + ".stageKeys");
  for (std::size_t i = 0; i < stage_keys.size(); ++i) {
    key.stage_keys.push_back(
        read_string(stage_keys[i], path + ".stageKeys[" + std::to_string(i) + "]"));
  }
  key.tags = read_string_map(o.at("tags"), path + ".tags");
  return key;
}

ApiStage read_api_stage(const json::value& v, const std::string& path) {
  const json::object& o = members(v, path, {"apiId", "stage", "throttle"});
  ApiStage stage;
  stage.api_id = read_id(o.at("apiId"), path + ".apiId");
  stage.stage = read_id(o.at("stage"), path + ".stage");
  for (const auto& [method, throttle] : as_object(o.at("throttle"), path + ".throttle")) {
    stage.throttle[method] =
        read_throttle(throttle, path + ".throttle[\"" + std::string(method) + "\"]");
  }
  return stage;
}

// Everything the document holds, read and checked for shape and references; the checks that
// need the gateway's APIs come after, in import_management_state.
struct ImportedState {
  std::map<std::string, ApiKey> api_keys;
  std::map<std::string, UsagePlan> usage_plans;
  std::map<std::string, std::string> plan_paths;  // plan id -> "$.usagePlans[i]"
  std::map<std::string, std::int64_t> plan_created_day;
  std::map<std::string, std::set<std::string>> plan_keys;
  std::map<std::tuple<std::string, std::string, std::int64_t>, std::int64_t, std::less<>>
      daily_usage;
};

void read_plan(const json::value& v, const std::string& path, ImportedState& state) {
  const json::object& o = members(v, path,
                                  {"id", "name", "description", "productCode", "tags",
                                   "createdDate", "apiStages", "throttle", "quota", "keys"});
  UsagePlan plan;
  plan.id = read_id(o.at("id"), path + ".id");
  if (state.usage_plans.contains(plan.id)) throw StateError(path + ".id", "duplicate id");
  plan.name = read_string(o.at("name"), path + ".name");
  plan.description = read_string(o.at("description"), path + ".description");
  plan.product_code = read_string(o.at("productCode"), path + ".productCode");
  plan.tags = read_string_map(o.at("tags"), path + ".tags");
  const json::array& stages = as_array(o.at("apiStages"), path + ".apiStages");
  for (std::size_t i = 0; i < stages.size(); ++i) {
    plan.api_stages.push_back(
        read_api_stage(stages[i], path + ".apiStages[" + std::to_string(i) + "]"));
  }
  if (!o.at("throttle").is_null())
    plan.throttle = read_throttle(o.at("throttle"), path + ".throttle");
  if (!o.at("quota").is_null()) plan.quota = read_quota(o.at("quota"), path + ".quota");
  const json::array& keys = as_array(o.at("keys"), path + ".keys");
  std::set<std::string> key_ids;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const std::string at = path + ".keys[" + std::to_string(i) + "]";
    std::string id = read_id(keys[i], at);
    if (!state.api_keys.contains(id)) throw StateError(at, "no API key has id " + id);
    if (!key_ids.insert(std::move(id)).second) throw StateError(at, "duplicate key id");
  }
  state.plan_created_day[plan.id] = read_date(o.at("createdDate"), path + ".createdDate");
  if (!key_ids.empty()) state.plan_keys[plan.id] = std::move(key_ids);
  state.plan_paths[plan.id] = path;
  state.usage_plans[plan.id] = std::move(plan);
}

void read_usage(const json::value& v, const std::string& path, ImportedState& state) {
  const json::object& o = members(v, path, {"usagePlanId", "keyId", "date", "count"});
  const std::string plan_id = read_id(o.at("usagePlanId"), path + ".usagePlanId");
  const std::string key_id = read_id(o.at("keyId"), path + ".keyId");
  const auto keys = state.plan_keys.find(plan_id);
  if (!state.usage_plans.contains(plan_id)) {
    throw StateError(path + ".usagePlanId", "no usage plan has id " + plan_id);
  }
  if (keys == state.plan_keys.end() || !keys->second.contains(key_id)) {
    throw StateError(path + ".keyId", "usage plan " + plan_id + " holds no key " + key_id);
  }
  const std::int64_t day = read_date(o.at("date"), path + ".date");
  const std::int64_t count = read_integer(o.at("count"), path + ".count", 1);
  if (!state.daily_usage.emplace(std::tuple{plan_id, key_id, day}, count).second) {
    throw StateError(path, "a second count for the same plan, key and date");
  }
}

ImportedState read_state(const json::value& doc) {
  const std::string root = "$";
  const json::object& o =
      members(doc, root, {"format", "version", "apiKeys", "usagePlans", "usage"});
  if (read_string(o.at("format"), "$.format") != kStateFormat) {
    throw StateError("$.format", "expected \"" + std::string(kStateFormat) + "\"");
  }
  if (!o.at("version").is_int64() || o.at("version").get_int64() != kStateVersion) {
    throw StateError("$.version", "expected " + std::to_string(kStateVersion));
  }
  ImportedState state;
  std::set<std::string> values;
  const json::array& keys = as_array(o.at("apiKeys"), "$.apiKeys");
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const std::string path = "$.apiKeys[" + std::to_string(i) + "]";
    ApiKey key = read_key(keys[i], path);
    if (state.api_keys.contains(key.id)) throw StateError(path + ".id", "duplicate id");
    if (!values.insert(key.value).second) throw StateError(path + ".value", "duplicate value");
    state.api_keys[key.id] = std::move(key);
  }
  const json::array& plans = as_array(o.at("usagePlans"), "$.usagePlans");
  for (std::size_t i = 0; i < plans.size(); ++i) {
    read_plan(plans[i], "$.usagePlans[" + std::to_string(i) + "]", state);
  }
  const json::array& usage = as_array(o.at("usage"), "$.usage");
  for (std::size_t i = 0; i < usage.size(); ++i) {
    read_usage(usage[i], "$.usage[" + std::to_string(i) + "]", state);
  }
  return state;
}

}  // namespace

std::string Gateway::export_management_state() const {
  json::array keys;
  for (const auto& [id, key] : api_keys_) keys.push_back(key_json(key));
  json::array plans;
  for (const auto& [id, plan] : usage_plans_) {
    const auto plan_keys = plan_keys_.find(id);
    plans.push_back(plan_json(plan, plan_created_day_.at(id),
                              plan_keys == plan_keys_.end() ? nullptr : &plan_keys->second));
  }
  json::array usage;
  for (const auto& [at, count] : daily_usage_) {
    const auto& [plan_id, key_id, day] = at;
    usage.push_back(json::object{
        {"usagePlanId", plan_id}, {"keyId", key_id}, {"date", format_date(day)}, {"count", count}});
  }
  const json::object doc{{"format", kStateFormat},
                         {"version", kStateVersion},
                         {"apiKeys", std::move(keys)},
                         {"usagePlans", std::move(plans)},
                         {"usage", std::move(usage)}};
  return json::serialize(doc);
}

core::Status Gateway::import_management_state(std::string_view document) {
  boost::system::error_code error;
  const json::value doc = json::parse(document, error);
  if (error) return core::invalid_argument("management state: not JSON: " + error.message());
  ImportedState state;
  try {
    state = read_state(doc);
  } catch (const StateError& e) {
    return core::invalid_argument(std::string("management state: ") + e.what());
  }
  // What only the gateway can check: the plans' API stages and methods exist here, and no key
  // is in two plans that share an API stage.
  std::map<std::string, std::set<std::pair<std::string, std::string>>> stages_by_key;
  for (const auto& [id, plan] : state.usage_plans) {
    const std::string& path = state.plan_paths.at(id);
    if (const core::Status st = validate_plan(plan); !st.is_ok()) {
      return core::invalid_argument("management state: " + path + ": " + st.message());
    }
    const auto keys = state.plan_keys.find(id);
    if (keys == state.plan_keys.end()) continue;
    for (const std::string& key_id : keys->second) {
      for (const ApiStage& stage : plan.api_stages) {
        if (!stages_by_key[key_id].insert({stage.api_id, stage.stage}).second) {
          return core::invalid_argument("management state: " + path + ".keys: API key " + key_id +
                                        " is in another usage plan of API stage " + stage.api_id +
                                        ":" + stage.stage);
        }
      }
    }
  }
  api_keys_ = std::move(state.api_keys);
  usage_plans_ = std::move(state.usage_plans);
  plan_created_day_ = std::move(state.plan_created_day);
  plan_keys_ = std::move(state.plan_keys);
  daily_usage_ = std::move(state.daily_usage);
  quota_counters_.clear();  // recounted from daily_usage_ on the next request
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    it = it->first.starts_with("plan|") ? buckets_.erase(it) : std::next(it);
  }
  return core::Status::ok();
}

}  // namespace twin::fakes::apigw
