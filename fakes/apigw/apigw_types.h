// The API Gateway fake's model and its management API surface: one request and one response
// struct per operation, AWS's field names in snake_case (usagePlanId -> usage_plan_id), and the
// named limits. Reference: ../shared/reference/aws-semantics.md section 1 (1.1, 1.2, 1.7).
//
// Conventions: optional inputs are std::optional so "absent" and "zero" stay apart (a throttle
// of 0 is a real setting); maps are std::map, so every output is in key order. Throttle rates
// are doubles as in AWS's API (rateLimit); bursts and quotas are integers. The model and the
// responses compare equal member by member (tests, the round trip of the persisted state).
//
// Values only; no threading concerns.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/ports/clock.h"

namespace twin::fakes::apigw {

// Named limits (reference 1.1, 1.4, 1.5, 1.7).
inline constexpr double kAccountRateLimitRpsDefault = 10'000;
inline constexpr std::int64_t kAccountBurstLimitDefault = 5'000;
inline constexpr std::size_t kApiKeyValueLengthMin = 20;
inline constexpr std::size_t kApiKeyValueLengthMax = 128;
inline constexpr std::size_t kGeneratedKeyValueLength = 40;  // reference 6.7 (UNCERTAIN)
inline constexpr std::size_t kGeneratedIdLength = 10;        // "a1b2c3d4e5", as AWS's look
inline constexpr std::int64_t kPageLimitDefault = 25;
inline constexpr std::int64_t kPageLimitMax = 500;
inline constexpr std::size_t kPlanMethodThrottlesPerStageMax = 20;
inline constexpr std::int64_t kUsageDaysMax = 90;
inline constexpr std::size_t kPayloadBytesMax = 10 * 1024 * 1024;  // 10 MB (reference 1.6)
inline constexpr core::DurationUs kIntegrationTimeoutDefault = 29 * core::kMicrosPerSecond;

// --- the model ---------------------------------------------------------------------------

struct ThrottleSettings {
  std::optional<double> rate_limit;         // rateLimit, requests per second
  std::optional<std::int64_t> burst_limit;  // burstLimit, tokens

  friend bool operator==(const ThrottleSettings&, const ThrottleSettings&) = default;
};

enum class QuotaPeriod { kDay, kWeek, kMonth };
std::string_view to_string(QuotaPeriod period);

struct QuotaSettings {
  std::int64_t limit = 0;
  std::int64_t offset = 0;
  QuotaPeriod period = QuotaPeriod::kDay;

  friend bool operator==(const QuotaSettings&, const QuotaSettings&) = default;
};

struct Method {
  std::string http_method;  // "POST"
  bool api_key_required = false;
  std::string function_name;  // the Lambda proxy integration's target

  friend bool operator==(const Method&, const Method&) = default;
};

struct Resource {
  std::string id;
  std::string path;                       // "/trigger"; the root is "/"
  std::map<std::string, Method> methods;  // by HTTP method

  friend bool operator==(const Resource&, const Resource&) = default;
};

// A stage's method settings: the key is "*/*" (Default Method Throttling) or
// "<resourcePath>/<httpMethod>" ("/trigger/POST"), the form usage plans use too.
struct MethodSetting {
  std::optional<double> throttling_rate_limit;
  std::optional<std::int64_t> throttling_burst_limit;

  friend bool operator==(const MethodSetting&, const MethodSetting&) = default;
};

struct Stage {
  std::string stage_name;
  std::string deployment_id;
  std::map<std::string, MethodSetting> method_settings;
  std::map<std::string, std::string> variables;  // stageVariables

  friend bool operator==(const Stage&, const Stage&) = default;
};

struct RestApi {
  std::string id;
  std::string name;
  std::vector<Resource> resources;
  std::map<std::string, Stage> stages;  // by stage name

  friend bool operator==(const RestApi&, const RestApi&) = default;
};

struct ApiKey {
  std::string id;
  std::string value;
  std::string name;
  std::string customer_id;
  std::string description;
  bool enabled = false;
  core::TimeUs created_date = 0;
  core::TimeUs last_updated_date = 0;
  std::vector<std::string> stage_keys;
  std::map<std::string, std::string> tags;

  friend bool operator==(const ApiKey&, const ApiKey&) = default;
};

struct ApiStage {
  std::string api_id;
  std::string stage;
  std::map<std::string, ThrottleSettings> throttle;  // "/trigger/POST" -> limits

  friend bool operator==(const ApiStage&, const ApiStage&) = default;
};

struct UsagePlan {
  std::string id;
  std::string name;
  std::string description;
  std::vector<ApiStage> api_stages;
  std::optional<ThrottleSettings> throttle;
  std::optional<QuotaSettings> quota;
  std::string product_code;
  std::map<std::string, std::string> tags;

  friend bool operator==(const UsagePlan&, const UsagePlan&) = default;
};

struct UsagePlanKey {
  std::string id;  // the API key's id
  std::string type = "API_KEY";
  std::string value;
  std::string name;

  friend bool operator==(const UsagePlanKey&, const UsagePlanKey&) = default;
};

// --- operations ---------------------------------------------------------------------------

struct CreateApiKeyRequest {
  std::string name;
  std::string description;
  bool enabled = false;  // AWS's default when the member is absent
  bool generate_distinct_id = false;
  std::optional<std::string> value;
  std::string customer_id;
  std::map<std::string, std::string> tags;
};

struct GetApiKeysRequest {
  std::optional<std::string> position;
  std::optional<std::int64_t> limit;
  std::optional<std::string> name_query;  // keys whose name starts with it
  std::optional<std::string> customer_id;
  bool include_values = false;
};
struct GetApiKeysResponse {
  std::vector<ApiKey> items;  // wire name "item"; value empty unless include_values
  std::optional<std::string> position;

  friend bool operator==(const GetApiKeysResponse&, const GetApiKeysResponse&) = default;
};

struct GetApiKeyRequest {
  std::string api_key;  // the id
  bool include_value = false;
};

struct CreateUsagePlanRequest {
  std::string name;
  std::string description;
  std::vector<ApiStage> api_stages;
  std::optional<ThrottleSettings> throttle;
  std::optional<QuotaSettings> quota;
  std::map<std::string, std::string> tags;
};

struct GetUsagePlansRequest {
  std::optional<std::string> position;
  std::optional<std::int64_t> limit;
  std::optional<std::string> key_id;  // plans that hold this key
};
struct GetUsagePlansResponse {
  std::vector<UsagePlan> items;
  std::optional<std::string> position;

  friend bool operator==(const GetUsagePlansResponse&, const GetUsagePlansResponse&) = default;
};

// One JSON Patch-like operation as AWS's PatchOperation: op is add|remove|replace|move|copy|test.
struct PatchOperation {
  std::string op;
  std::string path;
  std::optional<std::string> value;
  std::optional<std::string> from;
};

struct GetRestApisRequest {
  std::optional<std::string> position;
  std::optional<std::int64_t> limit;
};
struct GetRestApisResponse {
  std::vector<RestApi> items;  // wire name "item"
  std::optional<std::string> position;

  friend bool operator==(const GetRestApisResponse&, const GetRestApisResponse&) = default;
};

struct UpdateUsagePlanRequest {
  std::string usage_plan_id;
  std::vector<PatchOperation> patch_operations;
};

struct UpdateApiKeyRequest {
  std::string api_key;  // the id
  std::vector<PatchOperation> patch_operations;
};

struct CreateUsagePlanKeyRequest {
  std::string usage_plan_id;
  std::string key_id;
  std::string key_type;  // must be "API_KEY"
};

struct GetUsagePlanKeysRequest {
  std::string usage_plan_id;
  std::optional<std::string> position;
  std::optional<std::int64_t> limit;
  std::optional<std::string> name_query;
};
struct GetUsagePlanKeysResponse {
  std::vector<UsagePlanKey> items;
  std::optional<std::string> position;

  friend bool operator==(const GetUsagePlanKeysResponse&,
                         const GetUsagePlanKeysResponse&) = default;
};

struct GetUsageRequest {
  std::string usage_plan_id;
  std::optional<std::string> key_id;
  std::string start_date;  // yyyy-MM-dd, UTC
  std::string end_date;
  std::optional<std::string> position;
  std::optional<std::int64_t> limit;
};
// One [used, remaining] pair per day from start_date to end_date.
struct DailyUsage {
  std::int64_t used = 0;
  std::int64_t remaining = 0;

  friend bool operator==(const DailyUsage&, const DailyUsage&) = default;
};
struct GetUsageResponse {
  std::string usage_plan_id;
  std::string start_date;
  std::string end_date;
  std::map<std::string, std::vector<DailyUsage>> items;  // wire name "values", by key id
  std::optional<std::string> position;

  friend bool operator==(const GetUsageResponse&, const GetUsageResponse&) = default;
};

}  // namespace twin::fakes::apigw
