// Fixture: one scenario, as loaded from a JSON file under fixtures/scenarios/ (the format is
// documented, with a worked example per section, in fixtures/README.md).
//
// Words: what AWS owns keeps AWS's spelling, as the AWS CLI and CloudFormation write it
// (apiKeys, usagePlans, throttle.rateLimit, methodSettings."*/*".throttlingBurstLimit,
// FunctionName, ReservedConcurrentExecutions, QueueName, Attributes.VisibilityTimeout,
// RedrivePolicy, BatchSize, ScalingConfig.MaximumConcurrency); what the twin adds (traffic,
// faults, expectations, duration models) is snake_case, the spelling of the JSON report the
// expectations mirror.
//
// parse_fixture() validates everything before anything runs: an unknown key, a wrong type, an
// out-of-range value or a dangling name (a usage plan naming a key that does not exist) is an
// InvalidArgument Status whose message starts with the JSON path ("$.traffic[2].count: ...").
// Durations are strings with a unit ("250ms", "1.5s", "2h": us, ms, s, m, h) or a number of
// seconds; they become integer microseconds. Values only; no threading concerns.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ports/clock.h"
#include "core/status.h"
#include "fakes/apigw/apigw_types.h"
#include "fakes/esm/event_source_mapping.h"
#include "fakes/lambda/lambda_types.h"

namespace twin::sim {

// Bounds on what a fixture may ask for, so a typo cannot ask for a year of events.
inline constexpr core::DurationUs kFixtureDurationMax = 7 * 24 * core::kMicrosPerHour;
inline constexpr std::int64_t kGeneratorRequestsMax = 1'000'000;
inline constexpr std::uint64_t kEventBoundDefault = 50'000'000;
inline constexpr std::int64_t kSamplesDefault = 10'000;  // samples per run unless set
// 2026-01-01T00:00:00Z: where virtual time starts unless the fixture says otherwise.
inline constexpr core::TimeUs kDefaultStartUs = 1'767'225'600'000'000;

struct ApiKeySpec {
  std::string name;
  std::string value;  // 20-128 characters, as AWS requires
  bool enabled = true;
};

struct UsagePlanSpec {
  std::string name;
  std::optional<fakes::apigw::ThrottleSettings> throttle;
  std::optional<fakes::apigw::QuotaSettings> quota;
  // apiStages[].throttle of the plan's stage: "/trigger/POST" -> limits.
  std::map<std::string, fakes::apigw::ThrottleSettings> method_throttles;
  std::vector<std::string> api_keys;  // by ApiKeySpec::name
};

struct QueueSpec {
  std::string queue_name;
  std::map<std::string, std::string> attributes;  // as SetQueueAttributes takes them
};

struct StackSpec {
  std::string region = "us-east-1";
  std::string rest_api_id = "a1b2c3d4e5";
  std::string stage_name = "prod";
  std::optional<fakes::apigw::ThrottleSettings> account_throttle;
  std::int64_t account_concurrency = 1'000;  // Lambda ConcurrentExecutions of the account
  std::vector<ApiKeySpec> api_keys;
  std::vector<UsagePlanSpec> usage_plans;
  std::map<std::string, fakes::apigw::MethodSetting> method_settings;  // "*/*", "/webhook/POST"
  bool trigger_api_key_required = true;
  fakes::lambda::FunctionConfig function;       // durations by route: "/trigger", "/webhook", "sqs"
  std::optional<std::string> function_api_key;  // the key the handler checks (ApiKeySpec::name)
  std::optional<std::string> public_base_url;
  core::DurationUs idempotency_ttl_us = 24 * core::kMicrosPerHour;
  std::vector<QueueSpec> queues;
  std::optional<std::string> webhook_queue;  // QueueName; none: /webhook processes directly
  std::optional<fakes::esm::EventSourceMappingConfig> event_source_mapping;
  std::optional<std::string> twilio_auth_token;
  std::string twilio_account_sid = "AC0123456789abcdef0123456789abcdef";
  std::optional<double> twilio_rate_limit_mps;
  std::int64_t twilio_burst_limit = 1;
};

// How a client retries (the AWS SDK's standard mode: capped exponential backoff with full
// jitter). max_attempts 1 = no retry.
struct RetryPolicy {
  std::int64_t max_attempts = 1;
  core::DurationUs base_delay_us = core::kMicrosPerSecond;
  core::DurationUs max_backoff_us = 20 * core::kMicrosPerSecond;
};

struct ClientSpec {
  std::optional<core::DurationUs> timeout_us;  // none: wait for the answer
  RetryPolicy retry;
};

struct RecordedRequest {
  core::DurationUs at_us = 0;  // from the start of the run
  std::string method = "POST";
  std::string path;  // "/prod/trigger"
  std::string query_string;
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<std::string> body;
  std::optional<int> recorded_status;  // what the live server answered, when recorded
  // Secrets are not recorded: the request carries the value of the stack's key `api_key` as
  // x-api-key, and `sign` signs it again (X-Twilio-Signature) with the stack's Twilio token over
  // the URL the handler rebuilds (https:// + Host + path, or the public base URL).
  std::optional<std::string> api_key;
  bool sign = false;
};

struct TrafficSpec {
  enum class Kind { kBulkInvite, kSeries, kBurst, kPoisson, kReplies, kRecorded, kSqsSend };
  Kind kind = Kind::kSeries;
  std::string name;   // "traffic[0]" unless named; names its random stream
  std::string route;  // "/trigger" or "/webhook"
  core::DurationUs start_us = 0;
  core::DurationUs end_us = 0;  // poisson: the window's end
  std::int64_t count = 0;
  std::int64_t first_index = 0;     // ${i} of the first request
  core::DurationUs spacing_us = 0;  // bulk invite, series, sqs_send
  // bulk invite, series, burst, sqs_send: the whole group `repeat_times` times, `repeat_every`
  // apart (40 teams' invitations over a day); ${i} keeps counting across repeats.
  std::int64_t repeat_times = 1;
  core::DurationUs repeat_every_us = 0;
  std::string queue;                         // sqs_send: the QueueName another producer sends to
  double rate_per_s = 0;                     // poisson
  std::optional<std::string> api_key;        // ApiKeySpec::name; /trigger sends it as x-api-key
  std::optional<std::string> api_key_value;  // a literal (a wrong key, say)
  boost::json::object body_template;         // /trigger body; ${i} / ${i:N} substituted in strings
  std::string from = "whatsapp:+447700${i:6}";  // /webhook sender, ${i:N} zero-padded
  std::string body = "Yes";
  bool sign = true;                    // /webhook: sign with the stack's Twilio token
  fakes::lambda::DurationModel delay;  // replies: after the invitation
  double probability = 1.0;            // replies: the share of parents who answer
  std::vector<RecordedRequest> requests;
  ClientSpec client;
};

struct FaultSpec {
  enum class Site {
    kLambdaError,        // the function fails on `route` instead of running
    kLambdaTimeout,      // the invocation on `route` runs past the function's timeout
    kSqsSendFailure,     // the webhook queue refuses a send
    kBatchCrash,         // the function dies after `after_records` records of an SQS batch
    kDuplicateDelivery,  // the webhook queue delivers a message twice
    kTwilioSendFailure,  // the outbound message is refused
  };
  Site site = Site::kLambdaError;
  std::string name;   // "faults[0]" unless named; names its random stream
  std::string route;  // lambda faults: "/trigger", "/webhook" or "sqs"; empty: every route
  double rate = 0;    // probability per opportunity
  struct Window {
    core::DurationUs from_us;
    core::DurationUs to_us;
  };
  std::vector<Window> windows;  // inside one, the fault always fires
  std::int64_t after_records = 0;
};

// An expected figure: exact, or a range (either end open).
struct Bound {
  std::optional<double> min;
  std::optional<double> max;
  bool holds(double actual) const { return (!min || actual >= *min) && (!max || actual <= *max); }
};

struct Expectation {
  std::vector<std::string> keys;  // the figure's place in the report: routes, POST /trigger, ...
  Bound bound;
  std::string name() const;  // the keys joined with '.': "routes.POST /trigger.status_counts.200"
};

struct Fixture {
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  core::DurationUs duration_us = 0;
  core::TimeUs start_us = kDefaultStartUs;
  std::uint64_t event_bound = kEventBoundDefault;
  core::DurationUs sample_interval_us = core::kMicrosPerSecond;  // default: duration / 10,000
  StackSpec stack;
  ClientSpec client;  // the default of every generator
  std::vector<TrafficSpec> traffic;
  std::vector<FaultSpec> faults;
  // Figures of the report and their bounds, in the file's order; `true`/`false` stand for 1/0
  // ("exactly_once": true checks the report's exactly_once.ok).
  std::vector<Expectation> expect;
};

// Parses and validates a fixture. Errors: kInvalidArgument, the message starting with the JSON
// path.
core::Result<Fixture> parse_fixture(std::string_view json_text);
// Reads the file, then parses it (a file that cannot be read: kNotFound naming it).
core::Result<Fixture> load_fixture(const std::string& path);

// "1.5s" -> 1'500'000. For the command line and the loader.
core::Result<core::DurationUs> parse_duration(std::string_view text);

}  // namespace twin::sim
