// Gateway: the API Gateway REST API fake. It holds the model (REST APIs with resources, methods
// and stages; API keys; usage plans and their keys; the account throttle), answers the
// management operations AWS names (CreateApiKey, GetUsage...), and runs execute-api requests
// through AWS's pipeline to an Integration (reference 1.1-1.7):
//
//   route (stage, resource, method)        unknown -> 403 MISSING_AUTHENTICATION_TOKEN
//     the most specific resource whose path template matches (resource_path.h: a literal
//     beats {param} beats {proxy+}); then its method, else its ANY method
//   API key, on apiKeyRequired methods     missing/unknown/disabled/no plan -> 403 INVALID_API_KEY
//   throttles, in AWS's order:             any bucket empty -> 429 THROTTLED
//     1. the usage plan, per API key (a per-method apiStages[].throttle replaces the plan-wide
//        one for that method, GatewayOptions::plan_method_throttle_replaces_plan)
//     2. the stage: the method's own setting, else the stage's "*/*" default, one bucket per
//        method (AWS applies the default to each method)
//     3. the account, one bucket for every API of the fake (10,000 rps / 5,000 burst)
//   quota of the usage plan, per key         used up -> 429 QUOTA_EXCEEDED
//   body size (10 MB)                        larger -> 413 REQUEST_TOO_LARGE
//   Lambda proxy event v1 -> Integration   see integration.h for the mapping of its answer
//
// Ownership and threading: one Gateway per executor thread; nothing locks. Time comes only from
// the Executor (token buckets, quota periods, createdDate, requestTime, the 29 s timeout), ids
// and generated key values only from the IdSource. The Gateway must outlive nothing it
// schedules: callbacks hold a weak liveness token and do nothing once it is gone.
//
// Determinism: every container is ordered; with the same seed, clock and calls the same
// responses, ids and events come out. Secrets: API key values are compared in constant time and
// never logged (the Gateway writes no log at all; the trace is the simulator's job).
// Failed management calls change nothing: each builds its result on a copy and commits last.
//
// Choices where the reference is UNCERTAIN or silent (each a GatewayOptions member where it is
// a behaviour someone may want the other way):
// - Buckets start full; a request rejected by a later bucket keeps the tokens it took from the
//   earlier ones (refund_on_later_rejection = false). Throttled requests use no quota.
// - Quota offset (reference 1.2): QuotaOffsetMeaning::kPeriodStartDay (default, the SDK docs'
//   reading): WEEK offset 0..6 is the weekday the week starts (0 = Sunday), MONTH offset 0..27
//   the day of the month minus one, DAY offset must be 0. kInitialPeriodDeduction (the API
//   reference's reading): periods start on calendar boundaries (weeks on Sunday), and the first
//   period (the one the plan was created in) allows limit - offset requests; 0 <= offset < limit.
//   Periods are UTC calendar periods, never rolling windows. A request counts against the
//   quota (and in GetUsage) once it passed the quota check, whatever happens after.
// - Resource paths may hold {param} and greedy {name+} parts (resource_path.h for the rules and
//   AWS's texts when put_rest_api refuses one). The event's `resource` and requestContext
//   .resourcePath are the template ("/players/{id}"), `path` the request's path without the
//   stage as sent (a trailing slash kept, as in AWS's recorded event), `pathParameters` the
//   captured raw values ({"proxy":"a/b"} for a greedy part), null when the template has none.
//   The stage is the first path segment; an unknown stage, resource or method is 403
//   MISSING_AUTHENTICATION_TOKEN (reference 6.5 leaves "Forbidden" possible for a wrong stage).
// - Method choice (UNCERTAIN): the path picks the resource first; a method the resource lacks,
//   with no ANY method on it, is 403 even when a less specific resource (an ANY /{proxy+}) has
//   one. GatewayOptions::method_miss_tries_less_specific = true tries those instead (what
//   LocalStack does). ANY matches every method; an explicit method on the same resource wins.
// - Method keys (method settings, apiStages[].throttle) are "<resource template>/<method as
//   configured>": "/players/{id}/GET", "/{proxy+}/ANY" for a request that reached an ANY method.
// - Counters (counters()): a route is "<method as configured> <resource template>" ("POST
//   /trigger", "ANY /{proxy+}"); a request that matched no route counts only by status and as
//   missing_authentication_token. Every response is counted once, when it is given to the
//   caller; an integration's answer after the gateway's 504 is not counted.
// - The API key is read from the `x-api-key` header, name case-insensitive, the last one wins;
//   the header is forwarded to the function like any other (reference 6.6).
// - UpdateUsagePlan that changes a throttle resets that plan's buckets (they start full again);
//   a changed quota keeps the usage already counted in the current period.
// - GetApiKeys/GetUsagePlans/GetUsagePlanKeys list in id order; `position` is the id to start
//   from. GetUsage lists every key of the plan (or the one asked for), and a day's `remaining`
//   is what the quota allowed after that day in its period (0 when the plan has no quota).
// - A key may be in two plans only if they share no API stage (BadRequestException otherwise,
//   as AWS reports it).
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/events/proxy_event.h"
#include "core/ports/clock.h"
#include "core/ports/id_source.h"
#include "core/status.h"
#include "fakes/apigw/apigw_errors.h"
#include "fakes/apigw/apigw_types.h"
#include "fakes/apigw/integration.h"
#include "fakes/apigw/resource_path.h"
#include "fakes/apigw/token_bucket.h"

namespace twin::fakes::apigw {

enum class QuotaOffsetMeaning { kPeriodStartDay, kInitialPeriodDeduction };

struct GatewayOptions {
  std::string region = "us-east-1";
  std::string account_id = "123456789012";
  core::DurationUs integration_timeout_us = kIntegrationTimeoutDefault;
  std::size_t payload_bytes_max = kPayloadBytesMax;
  bool refund_on_later_rejection = false;
  bool plan_method_throttle_replaces_plan = true;
  QuotaOffsetMeaning quota_offset_meaning = QuotaOffsetMeaning::kPeriodStartDay;
  bool method_miss_tries_less_specific = false;
};

// The throttle level that rejected a request (reference 1.1's order).
enum class ThrottleLevel { kUsagePlan, kStageMethod, kAccount };
std::string_view to_string(ThrottleLevel level);  // "usage_plan", "stage_method", "account"

// What a simulator report needs from the gateway. Ordered maps only, so a report that walks them
// comes out the same every run.
struct GatewayCounters {
  std::int64_t requests = 0;  // given to handle()
  // Responses by route ("POST /trigger") and status; routed requests only.
  std::map<std::string, std::map<int, std::int64_t>> responses_by_route;
  std::map<int, std::int64_t> responses_by_status;  // every response
  // The gateway's own answers, by response type.
  std::int64_t missing_authentication_token = 0;    // 403, no route
  std::int64_t invalid_api_key = 0;                 // 403
  std::map<ThrottleLevel, std::int64_t> throttled;  // 429 THROTTLED, by the level that said no
  std::int64_t quota_exceeded = 0;                  // 429
  std::int64_t request_too_large = 0;               // 413
  std::int64_t function_errors = 0;                 // 502: the function failed
  std::int64_t malformed_responses = 0;             // 502: proxy output API Gateway rejects
  std::int64_t integration_failures = 0;            // 500: the Lambda API refused the invoke
  std::int64_t integration_timeouts = 0;            // 504

  std::int64_t throttled_total() const;
};

// One request to the execute-api endpoint, as the HTTP front (or a test) received it.
struct HttpRequest {
  std::string rest_api_id;  // the first label of the execute-api host name
  std::string http_method;
  std::string path;          // "/prod/trigger": the stage, then the resource path; no query
  std::string query_string;  // raw, without '?'; empty when there is none
  core::StringPairs headers;
  std::optional<std::string> body;
  std::string source_ip = "203.0.113.7";
  std::string protocol = "HTTP/1.1";
};

struct HttpResponse {
  int status_code = 200;
  core::StringPairs headers;  // in order; a name may repeat (multiValueHeaders)
  std::string body;
  std::string request_id;  // also in the x-amzn-RequestId header
  // Set when the gateway answered itself (an error); empty when the function's answer passed.
  std::optional<GatewayResponseType> gateway_response;

  std::optional<std::string_view> header(std::string_view name) const;
};

using RespondFn = std::function<void(HttpResponse)>;

class Gateway {
 public:
  Gateway(core::Executor& executor, core::IdSource& ids, Integration& integration,
          GatewayOptions options = {});
  ~Gateway();
  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;

  // --- setup (what a deployment leaves behind; not an AWS operation) ---
  // Adds or replaces a REST API with its resources and stages. Empty ids are generated. Returns
  // the stored API (ids filled) or BadRequestException naming the field.
  core::Result<RestApi> put_rest_api(RestApi api);
  const RestApi* rest_api(const std::string& id) const;
  // The account-level throttle (reference 1.1); resets the account bucket.
  core::Status set_account_throttle(double rate_limit_rps, std::int64_t burst_limit);

  // --- management operations (reference 1.7) ---
  core::Result<ApiKey> create_api_key(const CreateApiKeyRequest& request);
  core::Result<GetApiKeysResponse> get_api_keys(const GetApiKeysRequest& request) const;
  core::Result<ApiKey> get_api_key(const GetApiKeyRequest& request) const;
  core::Result<UsagePlan> create_usage_plan(const CreateUsagePlanRequest& request);
  core::Result<GetUsagePlansResponse> get_usage_plans(const GetUsagePlansRequest& request) const;
  core::Result<UsagePlan> get_usage_plan(const std::string& usage_plan_id) const;
  core::Result<UsagePlan> update_usage_plan(const UpdateUsagePlanRequest& request);
  core::Result<UsagePlanKey> create_usage_plan_key(const CreateUsagePlanKeyRequest& request);
  core::Result<GetUsagePlanKeysResponse> get_usage_plan_keys(
      const GetUsagePlanKeysRequest& request) const;
  core::Result<GetUsageResponse> get_usage(const GetUsageRequest& request) const;
  // UpdateApiKey's common use: replace /enabled.
  core::Result<ApiKey> set_api_key_enabled(const std::string& api_key_id, bool enabled);
  // UpdateApiKey: replace /enabled ("true"|"false"), /name, /description, /customerId; all
  // operations or none. The answer carries no value, as AWS's.
  core::Result<ApiKey> update_api_key(const UpdateApiKeyRequest& request);
  // GetRestApis / GetRestApi / GetStages / GetStage over what put_rest_api stored.
  core::Result<GetRestApisResponse> get_rest_apis(const GetRestApisRequest& request) const;
  core::Result<RestApi> get_rest_api(const std::string& rest_api_id) const;
  // Every stage of the API, by name; only those of `deployment_id` when it is given.
  core::Result<std::vector<Stage>> get_stages(
      const std::string& rest_api_id, const std::optional<std::string>& deployment_id) const;
  core::Result<Stage> get_stage(const std::string& rest_api_id,
                                const std::string& stage_name) const;

  // --- persistence of the management state (`twin serve --data-dir`, gateway_state.cc) ---
  // The state the management operations build, as one JSON document: API keys (ids, values,
  // dates), usage plans (with the day each was created, which a quota's first period may
  // need) and their keys, and the requests counted per (plan, key, UTC day), from which
  // quotas and GetUsage are computed. Not in it: REST APIs, stages and the account throttle
  // (the stack's, set up before an import) and token buckets (they start full after an
  // import, as after UpdateUsagePlan). Deterministic: the same state gives the same text.
  std::string export_management_state() const;
  // Replaces this gateway's management state with `document`'s, keeping every id. All or
  // nothing: a document that is not exactly what export_management_state() writes (a member
  // missing, unknown or of the wrong type, a duplicate id or key value, a plan key naming no
  // key, a plan naming an API stage this gateway lacks, a key in two plans of one stage)
  // changes nothing and is an InvalidArgument naming the JSON path at fault.
  core::Status import_management_state(std::string_view document);

  // --- the execute-api endpoint ---
  // Runs `request` through the pipeline above and calls `respond` exactly once: before handle()
  // returns when the gateway answers itself or the integration answers at once, otherwise later
  // on the executor (at the latest integration_timeout_us after the request).
  void handle(HttpRequest request, RespondFn respond);
  const GatewayCounters& counters() const { return counters_; }

 private:
  // The names a route (a resource's method) is known by, made once by put_rest_api.
  struct RouteKeys {
    std::string method_key;  // "/trigger/POST", the form of method settings and plan throttles
    std::string route_key;   // "POST /trigger", the counters' key
  };
  // What routing needs of one resource: its parsed path and its methods' keys.
  struct ResourceRouting {
    PathTemplate path;
    std::map<std::string, RouteKeys, std::less<>> keys;  // by HTTP method, as Resource::methods
  };
  struct Route {
    const RestApi* api = nullptr;
    const Stage* stage = nullptr;
    const Resource* resource = nullptr;
    const Method* method = nullptr;
    const RouteKeys* keys = nullptr;
    std::string_view path;  // the request's path without the stage ("/players/7")
    std::optional<core::StringPairs> path_parameters;  // null when the template has none
  };
  struct QuotaCounter {
    std::int64_t period_start_day = 0;
    std::int64_t used = -1;  // -1: not counted yet
  };
  using PlanKey = std::pair<std::string, std::string>;  // (usage plan id, API key id)

  // pipeline steps (gateway_pipeline.cc)
  std::optional<Route> match_route(const HttpRequest& request) const;
  const ApiKey* find_key_by_value(std::string_view value) const;
  const UsagePlan* plan_for(const ApiKey& key, const Route& route) const;
  // The level whose bucket was empty, or nullopt when every level gave a token.
  std::optional<ThrottleLevel> take_throttle_tokens(const Route& route, const ApiKey* key,
                                                    const UsagePlan* plan, core::TimeUs now);
  bool charge_quota(const UsagePlan& plan, const ApiKey& key, core::TimeUs now);
  // Writes `event` (a default one, or the one an earlier request left in event_storage_) for
  // `request`, taking the request's strings (route.path, a view into request.path, is copied
  // first).
  void build_event(core::ProxyEvent& event, HttpRequest&& request, const Route& route,
                   const ApiKey* key, const std::string& request_id, core::TimeUs now);
  void invoke(const Route& route, lambda::Payload event, std::string request_id, RespondFn respond);
  // The client's response for the integration's answer (reference 1.3, 1.6), counted.
  HttpResponse integration_response(IntegrationResult result);
  // Counts `response` (the route's key, or none for an unrouted request) and gives it out.
  void answer(const std::string* route_key, HttpResponse response, const RespondFn& respond);
  HttpResponse gateway_error(GatewayResponseType type, std::string request_id) const;
  // Sets the response's request id and its x-amzn-RequestId header.
  void finish(HttpResponse& response, std::string request_id) const;

  // quota arithmetic (gateway_usage.cc)
  std::int64_t quota_period_start(const QuotaSettings& quota, std::int64_t day) const;
  std::int64_t quota_allowance(const UsagePlan& plan, std::int64_t period_start_day) const;
  std::int64_t used_between(const PlanKey& plan_key, std::int64_t first_day,
                            std::int64_t last_day) const;

  // management helpers (gateway_management.cc)
  std::string new_id();
  core::Status validate_plan(const UsagePlan& plan) const;
  core::Status validate_key_stages(const std::string& plan_id, const std::string& key_id,
                                   const std::vector<ApiStage>& stages) const;
  core::Status apply_patch(UsagePlan& plan, const PatchOperation& op) const;
  void reset_plan_state(const std::string& plan_id);

  core::Executor& executor_;
  core::IdSource& ids_;
  Integration& integration_;
  GatewayOptions options_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);

  std::map<std::string, RestApi> apis_;
  std::map<std::string, std::vector<ResourceRouting>> routing_;  // by API, as its resources
  std::map<std::string, ApiKey> api_keys_;
  std::map<std::string, UsagePlan> usage_plans_;
  std::map<std::string, std::int64_t> plan_created_day_;
  std::map<std::string, std::set<std::string>> plan_keys_;  // plan id -> key ids

  TokenBucket account_bucket_;
  std::map<std::string, TokenBucket, std::less<>>
      buckets_;             // "plan|<plan>|<key>[|<stage>|<method>]", "stage|..."
  std::string bucket_key_;  // scratch for looking a bucket up without an allocation
  std::map<std::tuple<std::string, std::string>, QuotaCounter, std::less<>>
      quota_counters_;  // by (usage plan id, API key id)
  std::map<std::tuple<std::string, std::string, std::int64_t>, std::int64_t, std::less<>>
      daily_usage_;  // by (usage plan id, API key id, UTC day)
  GatewayCounters counters_;
  // The last request's proxy event, built over by the next one once nobody holds it any more
  // (lambda::Payload::build_in): its strings keep their room from request to request.
  std::shared_ptr<core::ProxyEvent> event_storage_;
  // requestTime (format_clf) of the UTC second request_time_second_, the last one an event had.
  std::int64_t request_time_second_ = std::numeric_limits<std::int64_t>::min();
  std::string request_time_;
};

}  // namespace twin::fakes::apigw
