// The fixture loader (sim/fixture.h) on good input: a fixture becomes exactly the values it
// spells (durations in microseconds, throttles, duration models, the expectations flattened
// with their keys and bounds), the defaults fill what it leaves out, and the shipped scenarios
// load.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/fixture.h"

namespace twin::sim {
namespace {

namespace json = boost::json;

constexpr std::string_view kFull = R"({
  "name": "full",
  "description": "every section",
  "seed": 42,
  "duration": "2h",
  "event_bound": 1000,
  "sample_interval": "250ms",
  "stack": {
    "account": {"throttle": {"rateLimit": 100, "burstLimit": 200}, "ConcurrentExecutions": 10},
    "apiKeys": [{"name": "K", "value": "TwinDevKey0123456789abcdef0123"},
                {"name": "Off", "value": "TwinDevKeyOff0123456789abcdef", "enabled": false}],
    "usagePlans": [{"name": "P", "throttle": {"rateLimit": 25.5, "burstLimit": 50},
                    "quota": {"limit": 1000, "period": "DAY"},
                    "apiStages": [{"stage": "prod",
                                   "throttle": {"/trigger/POST": {"burstLimit": 5}}}],
                    "apiKeys": ["K", "Off"]}],
    "methodSettings": {"*/*": {"throttlingRateLimit": 10, "throttlingBurstLimit": 20}},
    "function": {"FunctionName": "bot", "Timeout": 3, "ReservedConcurrentExecutions": 5,
                 "init_duration": "1s",
                 "durations": {"default": {"fixed": "200ms"},
                               "/webhook": {"uniform": {"min": "10ms", "max": "30ms"}},
                               "sqs": {"log_normal": {"median": "300ms", "sigma": 0.5}}}},
    "queues": [{"QueueName": "dlq"},
               {"QueueName": "webhooks",
                "Attributes": {"VisibilityTimeout": 60,
                               "RedrivePolicy": {"deadLetterTargetArn":
                                                   "arn:aws:sqs:us-east-1:000000000000:dlq",
                                                 "maxReceiveCount": 3}}}],
    "handler": {"api_key": "K", "webhook_queue": "webhooks"},
    "eventSourceMapping": {"BatchSize": 5, "FunctionResponseTypes": ["ReportBatchItemFailures"],
                           "ScalingConfig": {"MaximumConcurrency": 2}},
    "twilio": {"auth_token": "test_auth_token_0123456789abcdef", "rate_limit": 1,
               "burst_limit": 3}
  },
  "client": {"timeout": "1.5s", "retry": {"max_attempts": 4, "base_delay": "100ms",
                                          "max_backoff": "2s"}},
  "traffic": [
    {"type": "bulk_invite", "name": "invites", "count": 25, "spacing": "50ms", "start": "1s",
     "api_key": "K", "first_index": 3, "template": {"player_first_name": "P${i}", "n": 1},
     "repeat": {"times": 4, "every": "30m"}},
    {"type": "poisson", "route": "/webhook", "rate": 0.5, "start": "1m", "end": "1h",
     "from": "whatsapp:+1555${i:4}", "client": {"timeout": "2s"}},
    {"type": "replies", "delay": {"uniform": {"min": "1m", "max": "2h"}}, "probability": 0.75,
     "body": "YES"},
    {"type": "recorded", "requests": [
      {"at": "1.5s", "path": "/prod/trigger", "headers": {"x-api-key": "abc"}, "body": "{}",
       "status": 403},
      {"at": 2, "method": "GET", "path": "/prod/webhook", "query": "a=1"}]},
    {"type": "sqs_send", "queue": "webhooks", "count": 2, "body": "poison ${i}"},
    {"type": "burst", "route": "/trigger", "count": 60, "api_key_value": "wrong-key"}
  ],
  "faults": [
    {"site": "lambda.error", "route": "/trigger", "rate": 0.5},
    {"site": "sqs.send_failure", "name": "outage", "windows": [{"from": "1s", "to": "2s"}]},
    {"site": "batch.crash", "after_records": 3, "rate": 0.1}
  ],
  "expect": {
    "routes": {"POST /trigger": {"status_counts": {"200": 3},
                                 "latency_ms": {"max": {"max": 300}}}},
    "exactly_once": true,
    "registrations": {"replied": {"min": 1}},
    "queues": {"webhooks": {"depth_end": 0}},
    "lambda": {"throttles": {"min": 0, "max": 2}}
  }
})";

TEST(FixtureValues, FullFixtureParsesToItsValues) {
  auto parsed = parse_fixture(kFull);
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().message();
  const Fixture& f = *parsed;
  EXPECT_EQ(f.name, "full");
  EXPECT_EQ(f.description, "every section");
  EXPECT_EQ(f.seed, 42u);
  EXPECT_EQ(f.duration_us, 7'200'000'000);
  EXPECT_EQ(f.start_us, kDefaultStartUs);
  EXPECT_EQ(f.event_bound, 1000u);
  EXPECT_EQ(f.sample_interval_us, 250'000);

  const StackSpec& s = f.stack;
  EXPECT_EQ(s.account_throttle->rate_limit, 100.0);
  EXPECT_EQ(s.account_throttle->burst_limit, 200);
  EXPECT_EQ(s.account_concurrency, 10);
  ASSERT_EQ(s.api_keys.size(), 2u);
  EXPECT_EQ(s.api_keys[1].name, "Off");
  EXPECT_FALSE(s.api_keys[1].enabled);
  EXPECT_TRUE(s.api_keys[0].enabled);
  ASSERT_EQ(s.usage_plans.size(), 1u);
  const UsagePlanSpec& plan = s.usage_plans[0];
  EXPECT_EQ(plan.throttle->rate_limit, 25.5);
  EXPECT_EQ(plan.throttle->burst_limit, 50);
  EXPECT_EQ(plan.quota->limit, 1000);
  EXPECT_EQ(plan.quota->period, fakes::apigw::QuotaPeriod::kDay);
  ASSERT_EQ(plan.method_throttles.count("/trigger/POST"), 1u);
  EXPECT_EQ(plan.method_throttles.at("/trigger/POST").burst_limit, 5);
  EXPECT_FALSE(plan.method_throttles.at("/trigger/POST").rate_limit.has_value());
  EXPECT_EQ(plan.api_keys, (std::vector<std::string>{"K", "Off"}));
  EXPECT_EQ(s.method_settings.at("*/*").throttling_rate_limit, 10.0);
  EXPECT_EQ(s.method_settings.at("*/*").throttling_burst_limit, 20);

  using Kind = fakes::lambda::DurationModel::Kind;
  EXPECT_EQ(s.function.function_name, "bot");
  EXPECT_EQ(s.function.timeout_s, 3);
  EXPECT_EQ(s.function.reserved_concurrent_executions, 5);
  EXPECT_EQ(s.function.init_duration_us, 1'000'000);
  EXPECT_EQ(s.function.duration.kind, Kind::kFixed);
  EXPECT_EQ(s.function.duration.fixed_us, 200'000);
  const auto& hook = s.function.route_durations.at("/webhook");
  EXPECT_EQ(hook.kind, Kind::kUniform);
  EXPECT_EQ(hook.min_us, 10'000);
  EXPECT_EQ(hook.max_us, 30'000);
  const auto& sqs = s.function.route_durations.at("sqs");
  EXPECT_EQ(sqs.kind, Kind::kLogNormal);
  EXPECT_EQ(sqs.median_us, 300'000);
  EXPECT_EQ(sqs.sigma, 0.5);
  EXPECT_EQ(s.function.route_durations.count("/trigger"), 0u);

  ASSERT_EQ(s.queues.size(), 2u);
  EXPECT_EQ(s.queues[1].queue_name, "webhooks");
  EXPECT_EQ(s.queues[1].attributes.at("VisibilityTimeout"), "60");
  EXPECT_EQ(
      s.queues[1].attributes.at("RedrivePolicy"),
      R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":3})");
  EXPECT_EQ(s.function_api_key, "K");
  EXPECT_EQ(s.webhook_queue, "webhooks");
  EXPECT_EQ(s.event_source_mapping->batch_size, 5);
  EXPECT_EQ(s.event_source_mapping->maximum_concurrency, 2);
  EXPECT_EQ(s.event_source_mapping->function_response_types,
            std::vector<std::string>{"ReportBatchItemFailures"});
  EXPECT_EQ(s.twilio_auth_token, "test_auth_token_0123456789abcdef");
  EXPECT_EQ(s.twilio_rate_limit_mps, 1.0);
  EXPECT_EQ(s.twilio_burst_limit, 3);

  EXPECT_EQ(f.client.timeout_us, 1'500'000);
  EXPECT_EQ(f.client.retry.max_attempts, 4);
  EXPECT_EQ(f.client.retry.base_delay_us, 100'000);
  EXPECT_EQ(f.client.retry.max_backoff_us, 2'000'000);
}

TEST(FixtureValues, FullFixtureTrafficFaultsAndExpectations) {
  auto parsed = parse_fixture(kFull);
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().message();
  const Fixture& f = *parsed;
  using Kind = TrafficSpec::Kind;
  ASSERT_EQ(f.traffic.size(), 6u);
  const TrafficSpec& invites = f.traffic[0];
  EXPECT_EQ(invites.kind, Kind::kBulkInvite);
  EXPECT_EQ(invites.name, "invites");
  EXPECT_EQ(invites.route, "/trigger");
  EXPECT_EQ(invites.start_us, 1'000'000);
  EXPECT_EQ(invites.count, 25);
  EXPECT_EQ(invites.spacing_us, 50'000);
  EXPECT_EQ(invites.first_index, 3);
  EXPECT_EQ(invites.api_key, "K");
  EXPECT_EQ(invites.repeat_times, 4);
  EXPECT_EQ(invites.repeat_every_us, 1'800'000'000);
  EXPECT_EQ(json::serialize(invites.body_template), R"({"player_first_name":"P${i}","n":1})");
  EXPECT_EQ(invites.client.timeout_us, 1'500'000);  // the fixture's client
  EXPECT_EQ(invites.client.retry.max_attempts, 4);

  const TrafficSpec& poisson = f.traffic[1];
  EXPECT_EQ(poisson.kind, Kind::kPoisson);
  EXPECT_EQ(poisson.name, "traffic[1]");
  EXPECT_EQ(poisson.route, "/webhook");
  EXPECT_EQ(poisson.start_us, 60'000'000);
  EXPECT_EQ(poisson.end_us, 3'600'000'000);
  EXPECT_EQ(poisson.rate_per_s, 0.5);
  EXPECT_EQ(poisson.from, "whatsapp:+1555${i:4}");
  EXPECT_TRUE(poisson.sign);
  EXPECT_EQ(poisson.client.timeout_us, 2'000'000);  // its own timeout over the fixture's ...
  EXPECT_EQ(poisson.client.retry.max_attempts, 4);  // ... keeping the fixture's retry

  const TrafficSpec& replies = f.traffic[2];
  EXPECT_EQ(replies.kind, Kind::kReplies);
  EXPECT_EQ(replies.route, "/webhook");
  EXPECT_EQ(replies.delay.kind, fakes::lambda::DurationModel::Kind::kUniform);
  EXPECT_EQ(replies.delay.min_us, 60'000'000);
  EXPECT_EQ(replies.delay.max_us, 7'200'000'000);
  EXPECT_EQ(replies.probability, 0.75);
  EXPECT_EQ(replies.body, "YES");

  const TrafficSpec& recorded = f.traffic[3];
  EXPECT_EQ(recorded.kind, Kind::kRecorded);
  ASSERT_EQ(recorded.requests.size(), 2u);
  EXPECT_EQ(recorded.requests[0].at_us, 1'500'000);
  EXPECT_EQ(recorded.requests[0].method, "POST");
  EXPECT_EQ(recorded.requests[0].path, "/prod/trigger");
  EXPECT_EQ(recorded.requests[0].headers,
            (std::vector<std::pair<std::string, std::string>>{{"x-api-key", "abc"}}));
  EXPECT_EQ(recorded.requests[0].body, "{}");
  EXPECT_EQ(recorded.requests[0].recorded_status, 403);
  EXPECT_EQ(recorded.requests[1].at_us, 2'000'000);
  EXPECT_EQ(recorded.requests[1].method, "GET");
  EXPECT_EQ(recorded.requests[1].query_string, "a=1");
  EXPECT_FALSE(recorded.requests[1].body.has_value());
  EXPECT_FALSE(recorded.requests[1].recorded_status.has_value());

  const TrafficSpec& sqs = f.traffic[4];
  EXPECT_EQ(sqs.kind, Kind::kSqsSend);
  EXPECT_EQ(sqs.queue, "webhooks");
  EXPECT_EQ(sqs.count, 2);
  EXPECT_EQ(sqs.body, "poison ${i}");
  EXPECT_EQ(f.traffic[5].kind, Kind::kBurst);
  EXPECT_EQ(f.traffic[5].api_key_value, "wrong-key");
  EXPECT_FALSE(f.traffic[5].api_key.has_value());

  using Site = FaultSpec::Site;
  ASSERT_EQ(f.faults.size(), 3u);
  EXPECT_EQ(f.faults[0].site, Site::kLambdaError);
  EXPECT_EQ(f.faults[0].name, "faults[0]");
  EXPECT_EQ(f.faults[0].route, "/trigger");
  EXPECT_EQ(f.faults[0].rate, 0.5);
  EXPECT_EQ(f.faults[1].site, Site::kSqsSendFailure);
  EXPECT_EQ(f.faults[1].name, "outage");
  EXPECT_EQ(f.faults[1].rate, 0);
  ASSERT_EQ(f.faults[1].windows.size(), 1u);
  EXPECT_EQ(f.faults[1].windows[0].from_us, 1'000'000);
  EXPECT_EQ(f.faults[1].windows[0].to_us, 2'000'000);
  EXPECT_EQ(f.faults[2].site, Site::kBatchCrash);
  EXPECT_EQ(f.faults[2].after_records, 3);

  ASSERT_EQ(f.expect.size(), 6u);
  auto is = [](const Expectation& e, std::string name, std::optional<double> min,
               std::optional<double> max) {
    EXPECT_EQ(e.name(), name);
    EXPECT_EQ(e.bound.min, min) << name;
    EXPECT_EQ(e.bound.max, max) << name;
  };
  is(f.expect[0], "routes.POST /trigger.status_counts.200", 3, 3);
  EXPECT_EQ(f.expect[0].keys,
            (std::vector<std::string>{"routes", "POST /trigger", "status_counts", "200"}));
  is(f.expect[1], "routes.POST /trigger.latency_ms.max", std::nullopt, 300);
  is(f.expect[2], "exactly_once", 1, 1);
  is(f.expect[3], "registrations.replied", 1, std::nullopt);
  is(f.expect[4], "queues.webhooks.depth_end", 0, 0);
  is(f.expect[5], "lambda.throttles", 0, 2);
}

TEST(FixtureValues, DefaultsOfAMinimalFixture) {
  auto parsed =
      parse_fixture(R"({"name": "m", "seed": 1, "duration": 5, "stack": {}, "traffic": []})");
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().message();
  const Fixture& f = *parsed;
  EXPECT_EQ(f.duration_us, 5'000'000);  // a number is seconds
  EXPECT_EQ(f.event_bound, kEventBoundDefault);
  EXPECT_EQ(f.sample_interval_us, 1'000'000);
  EXPECT_EQ(f.stack.function.function_name, "registration-bot");
  EXPECT_EQ(f.stack.function.timeout_s, 30);
  EXPECT_EQ(f.stack.account_concurrency, 1'000);
  EXPECT_EQ(f.stack.stage_name, "prod");
  EXPECT_TRUE(f.stack.trigger_api_key_required);
  EXPECT_FALSE(f.client.timeout_us.has_value());
  EXPECT_EQ(f.client.retry.max_attempts, 1);
  EXPECT_TRUE(f.expect.empty());
  // "retry": {} means the SDK's standard mode: 3 attempts.
  auto retry = parse_fixture(
      R"({"name": "m", "seed": 1, "duration": 5, "stack": {}, "traffic": [],
          "client": {"retry": {}}})");
  ASSERT_TRUE(retry.is_ok()) << retry.status().message();
  EXPECT_EQ(retry->client.retry.max_attempts, 3);
}

TEST(FixtureValues, ShippedScenariosLoad) {
  namespace fs = std::filesystem;
  int loaded = 0;
  for (const auto& entry :
       fs::directory_iterator(fs::path(TWIN_SOURCE_DIR) / "fixtures/scenarios")) {
    if (entry.path().extension() != ".json") continue;
    auto f = load_fixture(entry.path().string());
    EXPECT_TRUE(f.is_ok()) << f.status().message();
    ++loaded;
  }
  EXPECT_GT(loaded, 0);
  auto missing = load_fixture("no/such/fixture.json");
  EXPECT_EQ(missing.status().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "no/such/fixture.json: cannot be read");
}

}  // namespace
}  // namespace twin::sim
