// UpdateUsagePlan's patch operations, as AWS documents them for usage plans:
//   replace /name | /description | /productCode
//   replace /throttle/rateLimit | /throttle/burstLimit      remove /throttle
//   replace /quota/limit | /quota/offset | /quota/period      remove /quota
//   add | remove /apiStages  value "apiId:stage"
//   replace /apiStages/<apiId>:<stage>/throttle/<resourcePath>/<httpMethod>/rateLimit|burstLimit
//   remove  /apiStages/<apiId>:<stage>/throttle/<resourcePath>/<httpMethod>
// The resource path may be written with '/' or JSON Pointer's "~1" ("throttle/~1pets/GET").
// Anything else is a BadRequestException naming the path or value.
// UpdateApiKey's: replace /enabled ("true"|"false") | /name | /description | /customerId.
#include <charconv>
#include <cmath>

#include "fakes/apigw/gateway.h"

namespace twin::fakes::apigw {
namespace {

std::string unescape_pointer(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '~' && i + 1 < text.size() && (text[i + 1] == '1' || text[i + 1] == '0')) {
      out.push_back(text[i + 1] == '1' ? '/' : '~');
      ++i;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> parse_number(std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

core::Status invalid_path(const PatchOperation& op) {
  return bad_request("Invalid patch path '" + op.path + "' specified for op '" + op.op +
                     "'. Must be one of: [/name, /description, /productCode, /throttle, "
                     "/quota, /apiStages]");
}

core::Status set_throttle_field(ThrottleSettings& throttle, std::string_view field,
                                const PatchOperation& op) {
  const std::string value = op.value.value_or("");
  if (field == "rateLimit") {
    const auto rate = parse_number(value);
    if (!rate) return bad_request("Invalid value '" + value + "' for " + op.path);
    throttle.rate_limit = *rate;
  } else if (field == "burstLimit") {
    const auto burst = parse_integer(value);
    if (!burst) return bad_request("Invalid value '" + value + "' for " + op.path);
    throttle.burst_limit = *burst;
  } else {
    return invalid_path(op);
  }
  return core::Status::ok();
}

core::Status patch_quota(UsagePlan& plan, std::string_view field, const PatchOperation& op) {
  QuotaSettings quota = plan.quota.value_or(QuotaSettings{});
  const std::string value = op.value.value_or("");
  if (field == "period") {
    if (value == "DAY") {
      quota.period = QuotaPeriod::kDay;
    } else if (value == "WEEK") {
      quota.period = QuotaPeriod::kWeek;
    } else if (value == "MONTH") {
      quota.period = QuotaPeriod::kMonth;
    } else {
      return bad_request("Invalid quota.period '" + value + "': must be DAY, WEEK or MONTH");
    }
  } else {
    const auto number = parse_integer(value);
    if (!number) return bad_request("Invalid value '" + value + "' for " + op.path);
    if (field == "limit") {
      quota.limit = *number;
    } else if (field == "offset") {
      quota.offset = *number;
    } else {
      return invalid_path(op);
    }
  }
  plan.quota = quota;
  return core::Status::ok();
}

core::Status patch_api_stage(UsagePlan& plan, std::string_view rest, const PatchOperation& op) {
  // rest = "<apiId>:<stage>/throttle/<resourcePath>/<httpMethod>[/<field>]"
  const std::size_t slash = rest.find('/');
  const std::string_view stage_id = rest.substr(0, slash);
  const std::size_t colon = stage_id.find(':');
  constexpr std::string_view kThrottle = "/throttle/";
  if (colon == std::string_view::npos || slash == std::string_view::npos ||
      rest.substr(slash, kThrottle.size()) != kThrottle) {
    return invalid_path(op);
  }
  ApiStage* stage = nullptr;
  for (ApiStage& s : plan.api_stages) {
    if (s.api_id == stage_id.substr(0, colon) && s.stage == stage_id.substr(colon + 1)) stage = &s;
  }
  if (stage == nullptr) {
    return not_found_error("Invalid API Stage " + std::string(stage_id) + " in " + op.path);
  }
  std::string method = unescape_pointer(rest.substr(slash + kThrottle.size()));
  if (op.op == "remove") {
    if (stage->throttle.erase(method) == 0) {
      return not_found_error("No throttle for " + method + " in " + op.path);
    }
    return core::Status::ok();
  }
  if (op.op != "replace") return invalid_path(op);
  const std::size_t last = method.rfind('/');
  if (last == std::string::npos) return invalid_path(op);
  const std::string field = method.substr(last + 1);
  method.resize(last);
  if (method.empty() || method[0] != '/') method.insert(0, "/");
  return set_throttle_field(stage->throttle[method], field, op);
}

core::Status patch_api_stages_list(UsagePlan& plan, const PatchOperation& op) {
  const std::string value = op.value.value_or("");
  const std::size_t colon = value.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == value.size()) {
    return bad_request("Invalid value '" + value + "' for /apiStages: expected apiId:stage");
  }
  const std::string api_id = value.substr(0, colon), stage = value.substr(colon + 1);
  auto it = std::find_if(plan.api_stages.begin(), plan.api_stages.end(),
                         [&](const ApiStage& s) { return s.api_id == api_id && s.stage == stage; });
  if (op.op == "add") {
    if (it != plan.api_stages.end()) return conflict("API Stage " + value + " already in plan");
    plan.api_stages.push_back({api_id, stage, {}});
  } else if (op.op == "remove") {
    if (it == plan.api_stages.end()) return not_found_error("API Stage " + value + " not in plan");
    plan.api_stages.erase(it);
  } else {
    return invalid_path(op);
  }
  return core::Status::ok();
}

}  // namespace

core::Status Gateway::apply_patch(UsagePlan& plan, const PatchOperation& op) const {
  const std::string_view path = op.path;
  const bool replace = op.op == "replace";
  if (op.op != "replace" && op.op != "add" && op.op != "remove") {
    return bad_request("Invalid patch operation '" + op.op + "' for " + op.path);
  }
  if (replace && (path == "/name" || path == "/description" || path == "/productCode")) {
    std::string& field = path == "/name"          ? plan.name
                         : path == "/description" ? plan.description
                                                  : plan.product_code;
    field = op.value.value_or("");
    return core::Status::ok();
  }
  if (path == "/throttle" && op.op == "remove") {
    plan.throttle.reset();
    return core::Status::ok();
  }
  if (path == "/quota" && op.op == "remove") {
    plan.quota.reset();
    return core::Status::ok();
  }
  if (replace && path.starts_with("/throttle/")) {
    ThrottleSettings throttle = plan.throttle.value_or(ThrottleSettings{});
    const core::Status st = set_throttle_field(throttle, path.substr(10), op);
    if (st.is_ok()) plan.throttle = throttle;
    return st;
  }
  if (replace && path.starts_with("/quota/")) return patch_quota(plan, path.substr(7), op);
  if (path == "/apiStages") return patch_api_stages_list(plan, op);
  if (path.starts_with("/apiStages/")) return patch_api_stage(plan, path.substr(11), op);
  return invalid_path(op);
}

core::Result<ApiKey> Gateway::update_api_key(const UpdateApiKeyRequest& request) {
  const auto it = api_keys_.find(request.api_key);
  if (it == api_keys_.end()) return not_found_error("Invalid API Key identifier specified");
  ApiKey key = it->second;  // changed on a copy, committed only if every operation is valid
  for (const PatchOperation& op : request.patch_operations) {
    const std::string value = op.value.value_or("");
    if (op.op != "replace") {
      return bad_request("Invalid patch operation '" + op.op + "' for " + op.path +
                         ": UpdateApiKey supports replace only");
    }
    if (op.path == "/enabled") {
      if (value != "true" && value != "false") {
        return bad_request("Invalid value '" + value + "' for /enabled: must be true or false");
      }
      key.enabled = value == "true";
    } else if (op.path == "/name") {
      key.name = value;
    } else if (op.path == "/description") {
      key.description = value;
    } else if (op.path == "/customerId") {
      key.customer_id = value;
    } else {
      return bad_request("Invalid patch path '" + op.path +
                         "' specified for op 'replace'. Must be one of: [/name, /description, "
                         "/enabled, /customerId]");
    }
  }
  key.last_updated_date = executor_.now();
  it->second = key;
  key.value.clear();  // UpdateApiKey does not return the value (reference 1.7)
  return key;
}

}  // namespace twin::fakes::apigw
