// Settings, results and counters of the Lambda fake (fakes/lambda/lambda_service.h).
// Values only. Reference: ../shared/reference/aws-semantics.md section 2.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ports/clock.h"
#include "core/status.h"
#include "fakes/lambda/payload.h"
#include "fakes/rng/rng.h"

namespace twin::fakes::lambda {

// Limits from AWS (reference 2.1, 2.2) and the twin's own bounds on its model settings.
inline constexpr std::int64_t kTimeoutSecondsMin = 1;
inline constexpr std::int64_t kTimeoutSecondsMax = 900;
inline constexpr std::int64_t kTimeoutSecondsDefault = 3;
inline constexpr std::int64_t kMemorySizeMbMin = 128;
inline constexpr std::int64_t kMemorySizeMbMax = 10'240;
inline constexpr std::size_t kSyncPayloadBytesMax = 6 * 1024 * 1024;  // request, 6 MB
inline constexpr std::size_t kResponsePayloadBytesMax = 6'291'556;    // AWS's own figure
inline constexpr core::DurationUs kInitDurationUsMax = 10 * core::kMicrosPerSecond;

// How long one invocation's handler phase lasts in virtual time.
struct DurationModel {
  enum class Kind { kFixed, kUniform, kLogNormal };
  Kind kind = Kind::kFixed;
  core::DurationUs fixed_us = 100 * core::kMicrosPerMilli;
  core::DurationUs min_us = 0;  // uniform: [min_us, max_us], integer microseconds
  core::DurationUs max_us = 0;
  core::DurationUs median_us = 0;  // log-normal: exp(mu) with mu = ln(median_us)
  double sigma = 0;                // log-normal: the underlying normal's standard deviation

  static DurationModel fixed(core::DurationUs d) { return {Kind::kFixed, d, 0, 0, 0, 0}; }
  static DurationModel uniform(core::DurationUs lo, core::DurationUs hi) {
    return {Kind::kUniform, 0, lo, hi, 0, 0};
  }
  static DurationModel log_normal(core::DurationUs median, double sigma) {
    return {Kind::kLogNormal, 0, 0, 0, median, sigma};
  }
};

// One draw from `model`, from `rng` (whole microseconds; a log-normal draw is capped so the
// cast stays defined). The Lambda fake draws durations with it, the simulator reply delays.
core::DurationUs draw(const DurationModel& model, rng::Rng& rng);

// Nearest-rank percentile (p in (0, 100]) of `values`; 0 when there are none.
core::DurationUs nearest_rank_percentile(std::vector<core::DurationUs> values, double p);

// Errors the twin injects instead of running the code (a crashed runtime, say). An invocation
// starting inside a window always fails; otherwise it fails with probability `rate`, drawn
// from the function's "lambda.errors.<name>" stream (one draw per invocation when rate > 0).
struct ErrorInjection {
  struct Window {
    core::TimeUs from_us;  // inclusive
    core::TimeUs to_us;    // exclusive
  };
  double rate = 0;
  std::vector<Window> windows;
  std::string error_type = "Runtime.ExitError";
  std::string error_message = "Runtime exited without providing a reason";
};

// Names the route of an event so a per-route duration model can be chosen. It is given the
// payload, so a typed event's route can be read from the value without writing its text.
using RouteClassifier = std::function<std::string(const Payload& event)>;

// The route of an event's text: "sqs" for an event with "Records", the proxy event's
// "resource" (e.g. "/trigger") for an API Gateway event, "" otherwise (and for text that is
// not JSON).
std::string classify_route(std::string_view event_json);
// The default classifier: classify_route of the event's text; for a typed event, what that
// would find (a typed proxy event's text has its resource and no "Records"; a typed SQS
// event's text has "Records"), read from the value.
std::string classify_event(const Payload& event);

struct FunctionConfig {
  std::string function_name;
  std::int64_t timeout_s = kTimeoutSecondsDefault;  // AWS's Timeout, whole seconds
  std::int64_t memory_size_mb = 128;                // recorded; does not change durations
  // ReservedConcurrentExecutions; unset = the function draws on the account's unreserved pool.
  std::optional<std::int64_t> reserved_concurrent_executions;
  core::DurationUs init_duration_us = 250 * core::kMicrosPerMilli;  // a cold start's Init
  // An idle execution environment is reclaimed this long after its last invocation ended.
  // AWS documents no figure; 5 to 15 minutes is what people observe. Setting, default 10 min.
  core::DurationUs idle_reclaim_us = 600 * core::kMicrosPerSecond;
  DurationModel duration;                                // when no route model matches
  std::map<std::string, DurationModel> route_durations;  // by route name
  RouteClassifier classifier = classify_event;           // used only when route_durations is set
  ErrorInjection errors;
};

struct LambdaOptions {
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  // ConcurrentExecutions of the account (reference 2.1): 1,000 by default, 10 on a new account.
  std::int64_t account_concurrency_limit = 1'000;
  // UnreservedConcurrentExecutions may not be reserved below this; AWS keeps 100, and new
  // accounts report their whole limit as the minimum (10 of 10). Unset: min(100, limit).
  std::optional<std::int64_t> unreserved_concurrency_min;
};

struct InvokeResult {
  enum class Kind {
    kSuccess,        // the function returned; `payload` is its response
    kFunctionError,  // X-Amz-Function-Error: Unhandled; `payload` is Lambda's error JSON
    kTimeout,        // also a function error (Sandbox.Timedout), kept apart for callers
    kThrottled,      // 429 TooManyRequestsException; `throttle_reason` says which limit
    kRequestError,   // the Invoke call itself failed (unknown function, payload too large)
  };
  Kind kind = Kind::kSuccess;
  Payload payload;            // response (typed when the code answered typed), or AWS's error body
  std::string error_type;     // errorType for function errors and timeouts
  std::string error_message;  // errorMessage for function errors and timeouts
  std::string throttle_reason;  // kThrottled: the Reason member
  core::Status status;          // kThrottled, kRequestError: AWS code and HTTP status
  std::string request_id;       // empty when throttled or refused
  bool cold_start = false;
  core::DurationUs duration_us = 0;  // the handler phase (Init excluded), as CloudWatch's Duration

  bool is_function_error() const { return kind == Kind::kFunctionError || kind == Kind::kTimeout; }
};

struct FunctionMetrics {
  std::int64_t invocations = 0;  // admitted invocations (throttles excluded, as CloudWatch)
  std::int64_t throttles = 0;
  std::int64_t errors = 0;  // every function error, timeouts included (as CloudWatch's Errors)
  std::int64_t timeouts = 0;
  std::int64_t cold_starts = 0;
  std::int64_t concurrency_max = 0;            // high-water mark of concurrent executions
  std::vector<core::DurationUs> durations_us;  // every finished invocation, in finishing order

  // Nearest-rank percentile (p in (0, 100]) of the recorded durations; 0 when none.
  core::DurationUs duration_percentile_us(double p) const;
};

}  // namespace twin::fakes::lambda
