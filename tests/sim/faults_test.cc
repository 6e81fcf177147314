// The fault points (sim/faults.h), each through replay() on a small fixture: what the client
// sees, what the report counts, and that the handler's idempotency keeps every accepted webhook
// processed exactly once.
#include "sim/faults.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "tests/support/sim_replay.h"

namespace twin::sim {
namespace {

using testing::figure;
using testing::int_of;
using testing::parse_or_fail;
using testing::replay_or_fail;
using testing::status_count;
using testing::trace_events;

// The seed's stack; `queued` adds the webhook queue, its DLQ and the event source mapping.
std::string fixture(std::string_view traffic, std::string_view faults, bool queued,
                    std::string_view duration = "60s", int timeout_s = 30) {
  std::string queue = queued ? R"(,
    "queues": [{"QueueName": "webhooks-dlq"},
               {"QueueName": "webhooks",
                "Attributes": {"VisibilityTimeout": "30",
                               "RedrivePolicy": {"deadLetterTargetArn":
                                 "arn:aws:sqs:us-east-1:000000000000:webhooks-dlq",
                                 "maxReceiveCount": 5}}}],
    "handler": {"webhook_queue": "webhooks"},
    "eventSourceMapping": {"BatchSize": 10, "FunctionResponseTypes": ["ReportBatchItemFailures"]})"
                             : "";
  return std::string(R"({"name": "faults", "seed": 1, "duration": ")") + std::string(duration) +
         R"(",
  "stack": {
    "apiKeys": [{"name": "K", "value": "TwinDevKey0123456789abcdef0123"}],
    "usagePlans": [{"name": "P", "throttle": {"rateLimit": 25, "burstLimit": 50},
                    "apiKeys": ["K"]}],
    "function": {"Timeout": )" +
         std::to_string(timeout_s) + R"(, "durations": {"/trigger": {"fixed": "200ms"},
                                                   "/webhook": {"fixed": "20ms"},
                                                   "sqs": {"fixed": "300ms"}}},
    "twilio": {"auth_token": "test_auth_token_0123456789abcdef"})" +
         queue + R"(
  },
  "traffic": [)" +
         std::string(traffic) +
         R"(],
  "faults": [)" +
         std::string(faults) + "]}";
}

ReplayOutput run(const std::string& text) { return replay_or_fail(parse_or_fail(text)); }

constexpr std::string_view kTriggers =
    R"({"type": "series", "route": "/trigger", "count": 5, "spacing": "100ms", "api_key": "K"})";
constexpr std::string_view kWebhooks =
    R"({"type": "series", "route": "/webhook", "count": 20, "spacing": "100ms"})";

TEST(Faults, LambdaErrorOnTriggerAnswers502AndSpareOtherRoutes) {
  auto out = run(fixture(std::string(kTriggers) + R"(,
      {"type": "series", "route": "/webhook", "count": 3, "spacing": "100ms"})",
                         R"({"site": "lambda.error", "route": "/trigger", "rate": 1})", false));
  EXPECT_EQ(status_count(out, "POST /trigger", "502"), 5);
  EXPECT_EQ(status_count(out, "POST /trigger", "200"), 0);
  EXPECT_EQ(status_count(out, "POST /webhook", "200"), 3);
  EXPECT_EQ(figure(out, {"lambda", "errors"}), 5);
  EXPECT_EQ(figure(out, {"lambda", "invocations"}), 8);
  EXPECT_EQ(figure(out, {"faults_fired"}), 5);
  // The code never ran for /trigger.
  EXPECT_EQ(figure(out, {"registrations", "total"}), 0);
  EXPECT_EQ(figure(out, {"invitations_sent"}), 0);
  for (const auto& f : trace_events(out, "fault")) {
    EXPECT_EQ(f.at("site").as_string(), "lambda.error");
    EXPECT_EQ(f.at("route").as_string(), "/trigger");
    EXPECT_EQ(f.at("fault").as_string(), "faults[0]");
  }
}

TEST(Faults, LambdaTimeoutPastTheGatewaysLimitIs504) {
  // Timeout 30 s: the gateway gives up at 29 s first.
  auto out = run(fixture(kTriggers, R"({"site": "lambda.timeout", "route": "/trigger", "rate": 1})",
                         false, "60s", 30));
  EXPECT_EQ(status_count(out, "POST /trigger", "504"), 5);
  EXPECT_EQ(figure(out, {"routes", "POST /trigger", "latency_ms", "p50"}), 29'000);
  EXPECT_EQ(figure(out, {"routes", "POST /trigger", "latency_ms", "max"}), 29'000);
  EXPECT_EQ(figure(out, {"lambda", "timeouts"}), 5);
  EXPECT_EQ(figure(out, {"faults_fired"}), 5);
  // The code ran before the timeout: its side effects stand.
  EXPECT_EQ(figure(out, {"invitations_sent"}), 5);
}

TEST(Faults, LambdaTimeoutWithinTheGatewaysLimitIs502) {
  auto out = run(fixture(kTriggers, R"({"site": "lambda.timeout", "route": "/trigger", "rate": 1})",
                         false, "60s", 3));
  EXPECT_EQ(status_count(out, "POST /trigger", "502"), 5);
  EXPECT_EQ(figure(out, {"lambda", "timeouts"}), 5);
  EXPECT_EQ(figure(out, {"lambda", "errors"}), 5);
  // Each invocation runs to the 3 s timeout after its cold start's 250 ms Init.
  EXPECT_EQ(figure(out, {"routes", "POST /trigger", "latency_ms", "max"}), 3'250);
}

TEST(Faults, SqsSendFailureRefusesWebhooksInsideItsWindowOnly) {
  auto out = run(
      fixture(kWebhooks,
              R"({"site": "sqs.send_failure", "windows": [{"from": "1s", "to": "1.5s"}]})", true));
  auto fired = trace_events(out, "fault");
  ASSERT_FALSE(fired.empty());
  for (const auto& f : fired) {
    EXPECT_EQ(f.at("site").as_string(), "sqs.send_failure");
    EXPECT_GE(int_of(f, "t"), 1'000'000);
    EXPECT_LT(int_of(f, "t"), 1'500'000);
  }
  // Requests sent at 1.0 .. 1.4 s run their code at once (warm) and find the queue refusing.
  EXPECT_EQ(fired.size(), 5u);
  EXPECT_EQ(status_count(out, "POST /webhook", "500"), 5);
  EXPECT_EQ(status_count(out, "POST /webhook", "200"), 15);
  for (const auto& r : trace_events(out, "response")) {
    const bool inside = int_of(r, "t") >= 1'000'000 && int_of(r, "t") < 1'500'000 + 20'000;
    EXPECT_EQ(int_of(r, "status"), inside ? 500 : 200) << "t = " << int_of(r, "t");
  }
  EXPECT_EQ(figure(out, {"messages_accepted"}), 15);
  EXPECT_EQ(figure(out, {"messages_processed"}), 15);
  EXPECT_EQ(figure(out, {"exactly_once"}), 1);
}

TEST(Faults, SqsSendFailureWithClientRetriesLosesNothing) {
  auto out = run(
      fixture(R"({"type": "series", "route": "/webhook", "count": 20,
                             "spacing": "100ms",
                             "client": {"retry": {"max_attempts": 5, "base_delay": "500ms"}}})",
              R"({"site": "sqs.send_failure", "windows": [{"from": "1s", "to": "1.5s"}]})", true));
  EXPECT_GE(status_count(out, "POST /webhook", "500"), 5);
  EXPECT_EQ(status_count(out, "POST /webhook", "200"), 20);  // every request, in the end
  EXPECT_EQ(figure(out, {"routes", "POST /webhook", "gave_up"}), 0);
  EXPECT_EQ(figure(out, {"messages_accepted"}), 20);
  EXPECT_EQ(figure(out, {"messages_processed"}), 20);
  EXPECT_EQ(figure(out, {"lost_messages"}), 0);
  EXPECT_EQ(figure(out, {"duplicate_effects"}), 0);
  EXPECT_EQ(figure(out, {"exactly_once"}), 1);
  EXPECT_EQ(figure(out, {"queues", "webhooks", "depth_end"}), 0);
}

// The burst's ten webhooks are enqueued at one instant (after their cold starts), so the mapping
// hands all ten to the function in one batch.
constexpr std::string_view kTenWebhooks = R"({"type": "burst", "route": "/webhook", "count": 10})";

TEST(Faults, BatchCrashKeepsTheRecordsBeforeIt) {
  // Stop before the 30 s visibility timeout brings the crashed batch back.
  auto out = run(fixture(kTenWebhooks, R"({"site": "batch.crash", "after_records": 3, "rate": 1})",
                         true, "9s"));
  std::vector<std::int64_t> batches;
  for (const auto& r : trace_events(out, "lambda.run")) {
    if (r.at("route").as_string() == "sqs") batches.push_back(int_of(r, "records"));
  }
  EXPECT_EQ(batches, std::vector<std::int64_t>{10});
  EXPECT_EQ(figure(out, {"faults_fired"}), 1);
  EXPECT_EQ(figure(out, {"lambda", "errors"}), 1);
  EXPECT_EQ(figure(out, {"messages_processed"}), 3);                 // the records before the crash
  EXPECT_EQ(figure(out, {"event_source_mapping", "failures"}), 10);  // the batch stays queued
  EXPECT_EQ(figure(out, {"queues", "webhooks", "depth_end"}), 10);
}

TEST(Faults, BatchCrashRedeliversAndIdempotencyKeepsExactlyOnce) {
  auto out = run(fixture(kTenWebhooks, R"({"site": "batch.crash", "after_records": 3,
                                           "windows": [{"from": "0s", "to": "5s"}]})",
                         true));
  EXPECT_EQ(figure(out, {"faults_fired"}), 1);
  EXPECT_EQ(figure(out, {"lambda", "errors"}), 1);
  // The batch came back after the 30 s visibility timeout and was processed again; the three
  // records done before the crash were not applied twice.
  EXPECT_EQ(figure(out, {"event_source_mapping", "records"}), 20);
  EXPECT_EQ(figure(out, {"messages_accepted"}), 10);
  EXPECT_EQ(figure(out, {"messages_processed"}), 10);
  EXPECT_EQ(figure(out, {"duplicate_effects"}), 0);
  EXPECT_EQ(figure(out, {"exactly_once"}), 1);
  EXPECT_EQ(figure(out, {"queues", "webhooks", "depth_end"}), 0);
  EXPECT_EQ(figure(out, {"queues", "webhooks-dlq", "depth_end"}), 0);
}

TEST(Faults, DuplicateDeliveryIsAbsorbedByIdempotency) {
  auto out = run(fixture(R"({"type": "series", "route": "/webhook", "count": 10,
                             "spacing": "100ms"})",
                         R"({"site": "sqs.duplicate", "rate": 1})", true));
  EXPECT_EQ(figure(out, {"faults_fired"}), 10);
  EXPECT_EQ(status_count(out, "POST /webhook", "200"), 10);
  EXPECT_EQ(figure(out, {"event_source_mapping", "records"}), 20);  // every message twice
  EXPECT_EQ(figure(out, {"messages_accepted"}), 10);
  EXPECT_EQ(figure(out, {"messages_processed"}), 10);
  EXPECT_EQ(figure(out, {"duplicate_effects"}), 0);
  EXPECT_EQ(figure(out, {"exactly_once"}), 1);
  EXPECT_EQ(figure(out, {"queues", "webhooks", "depth_end"}), 0);
}

TEST(Faults, TwilioSendFailureLeavesTheInvitationUnsent) {
  auto out = run(fixture(kTriggers, R"({"site": "twilio.send_failure", "rate": 1})", false));
  EXPECT_EQ(status_count(out, "POST /trigger", "500"), 5);
  EXPECT_EQ(figure(out, {"invitations_sent"}), 0);
  EXPECT_EQ(figure(out, {"registrations", "pending"}), 5);  // registered, not invited
  EXPECT_EQ(figure(out, {"faults_fired"}), 5);
}

TEST(Faults, TwilioSendFailureIsRepairedByAClientRetry) {
  // The first attempts run inside the window and get 500; retries that land in it too fail
  // again; the first one after it sends the invitation.
  auto out = run(fixture(
      R"({"type": "series", "route": "/trigger", "count": 5, "spacing": "100ms",
                             "api_key": "K",
                             "client": {"retry": {"max_attempts": 5, "base_delay": "1s"}}})",
      R"({"site": "twilio.send_failure", "windows": [{"from": "0s", "to": "1s"}]})", false));
  const double failed = status_count(out, "POST /trigger", "500");
  EXPECT_GE(failed, 5);
  EXPECT_EQ(figure(out, {"faults_fired"}), failed);
  EXPECT_EQ(status_count(out, "POST /trigger", "200"), 5);
  EXPECT_EQ(figure(out, {"routes", "POST /trigger", "gave_up"}), 0);
  EXPECT_EQ(figure(out, {"invitations_sent"}), 5);
  EXPECT_EQ(figure(out, {"registrations", "total"}), 5);  // each retry found its registration
  for (const auto& f : trace_events(out, "fault")) EXPECT_LT(int_of(f, "t"), 1'000'000);
}

// Each fault draws from its own stream: adding another fault changes none of its draws.
TEST(Faults, EachFaultDrawsFromItsOwnStream) {
  auto failed = [](const ReplayOutput& out) {
    std::vector<std::int64_t> ids;
    for (const auto& r : trace_events(out, "response")) {
      if (int_of(r, "status") == 502) ids.push_back(int_of(r, "id"));
    }
    return ids;
  };
  const std::string traffic =
      R"({"type": "series", "route": "/trigger", "count": 40, "spacing": "100ms", "api_key": "K"})";
  const std::string error = R"({"site": "lambda.error", "route": "/trigger", "rate": 0.5})";
  auto alone = run(fixture(traffic, error, false));
  auto with_other =
      run(fixture(traffic, error + R"(, {"site": "twilio.send_failure", "rate": 0.5})", false));
  EXPECT_GT(failed(alone).size(), 5u);
  EXPECT_LT(failed(alone).size(), 35u);
  EXPECT_EQ(failed(with_other), failed(alone));
  EXPECT_NE(with_other.digest, alone.digest);
}

}  // namespace
}  // namespace twin::sim
