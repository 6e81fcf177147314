// The generators' clients (sim/traffic.h): the AWS SDK standard retry (full jitter, capped
// exponential backoff, max attempts) for 429 and 5xx, and the client timeout.
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

std::string burst(int count, std::string_view client) {
  return std::string(R"({"name": "retries", "seed": 1, "duration": "30s",
  "stack": {
    "apiKeys": [{"name": "K", "value": "TwinDevKey0123456789abcdef0123"}],
    "usagePlans": [{"name": "P", "throttle": {"rateLimit": 25, "burstLimit": 50},
                    "apiKeys": ["K"]}],
    "function": {"Timeout": 30, "durations": {"/trigger": {"fixed": "200ms"}}}
  },
  "traffic": [{"type": "burst", "route": "/trigger", "api_key": "K", "count": )") +
         std::to_string(count) + std::string(client) + "}]}";
}

TEST(Client, WithoutRetriesTheBurstLosesTenTo429) {
  auto out = replay_or_fail(parse_or_fail(burst(60, "")));
  EXPECT_EQ(status_count(out, "POST /trigger", "200"), 50);
  EXPECT_EQ(status_count(out, "POST /trigger", "429"), 10);
  EXPECT_EQ(figure(out, {"routes", "POST /trigger", "gave_up"}), 10);
}

TEST(Client, RetriesRecoverThrottledRequestsDeterministically) {
  const Fixture f = parse_or_fail(burst(60, R"(, "client": {"retry": {"max_attempts": 3}})"));
  auto out = replay_or_fail(f);
  const double ok = status_count(out, "POST /trigger", "200");
  const double throttled = status_count(out, "POST /trigger", "429");
  const double gave_up = *figure(out, {"routes", "POST /trigger", "gave_up"});
  EXPECT_GT(ok, 50);
  EXPECT_GE(throttled, 10);
  EXPECT_EQ(figure(out, {"routes", "POST /trigger", "requests"}), 60);
  EXPECT_EQ(ok + gave_up, 60);  // each request ends with a 200 or gives up
  EXPECT_EQ(figure(out, {"invitations_sent"}), ok);
  // Every attempt is a request line; every 429 but the last attempts' is retried.
  EXPECT_EQ(trace_events(out, "request").size(), static_cast<std::size_t>(ok + throttled));

  auto again = replay_or_fail(f);
  EXPECT_EQ(again.digest, out.digest);
  EXPECT_EQ(testing::status_count(again, "POST /trigger", "200"), ok);
  auto other = replay_or_fail(f, 99);
  EXPECT_NE(other.digest, out.digest);  // the jitter comes from the seed
}

// Full jitter: attempt n + 1 follows the answer to attempt n after a delay in
// [0, min(base_delay * 2^(n-1), max_backoff)).
TEST(Client, BackoffIsFullJitterCappedAtMaxBackoff) {
  const Fixture f = parse_or_fail(burst(120, R"(,
      "client": {"retry": {"max_attempts": 5, "base_delay": "100ms", "max_backoff": "300ms"}})"));
  auto out = replay_or_fail(f);
  std::map<std::pair<std::int64_t, std::int64_t>, std::int64_t> answered;  // (id, attempt) -> t
  for (const auto& r : trace_events(out, "response")) {
    answered[{int_of(r, "id"), int_of(r, "attempt")}] = int_of(r, "t");
  }
  int retries = 0;
  std::map<std::int64_t, int> seen_caps;
  for (const auto& r : trace_events(out, "request")) {
    const std::int64_t attempt = int_of(r, "attempt");
    if (attempt == 1) continue;
    ++retries;
    auto prev = answered.find({int_of(r, "id"), attempt - 1});
    ASSERT_NE(prev, answered.end());
    const std::int64_t delay = int_of(r, "t") - prev->second;
    const std::int64_t cap = std::min<std::int64_t>(100'000 << (attempt - 2), 300'000);
    EXPECT_GE(delay, 0);
    EXPECT_LT(delay, cap) << "attempt " << attempt;
    ++seen_caps[cap];
  }
  EXPECT_GT(retries, 0);
  EXPECT_GT(seen_caps[300'000], 0);  // the cap was reached (attempts 4 and 5)
  for (const auto& r : trace_events(out, "request")) EXPECT_LE(int_of(r, "attempt"), 5);
}

std::string slow_function(std::string_view client, std::string_view duration = "2s") {
  return std::string(R"({"name": "timeouts", "seed": 1, "duration": "20s",
  "stack": {
    "apiKeys": [{"name": "K", "value": "TwinDevKey0123456789abcdef0123"}],
    "usagePlans": [{"name": "P", "throttle": {"rateLimit": 25, "burstLimit": 50},
                    "apiKeys": ["K"]}],
    "function": {"Timeout": 30, "durations": {"/trigger": {"fixed": ")") +
         std::string(duration) + R"("}}}
  },
  "traffic": [{"type": "series", "route": "/trigger", "count": 3, "spacing": "1s",
               "api_key": "K", "client": )" +
         std::string(client) + "}]}";
}

TEST(Client, TimeoutShorterThanTheFunctionCountsTimeoutsNotLateAnswers) {
  auto out = replay_or_fail(parse_or_fail(slow_function(R"({"timeout": "500ms"})")));
  EXPECT_EQ(status_count(out, "POST /trigger", "timeout"), 3);
  EXPECT_EQ(status_count(out, "POST /trigger", "200"), 0);
  EXPECT_EQ(figure(out, {"routes", "POST /trigger", "gave_up"}), 3);
  EXPECT_EQ(figure(out, {"routes", "POST /trigger", "latency_ms", "max"}), 0);  // none answered
  auto requests = trace_events(out, "request");
  auto timeouts = trace_events(out, "timeout");
  ASSERT_EQ(requests.size(), 3u);
  ASSERT_EQ(timeouts.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(int_of(timeouts[i], "t"), int_of(requests[i], "t") + 500'000);
  }
  // The function still ran: its answers arrive late and are traced, not counted.
  EXPECT_EQ(trace_events(out, "late_response").size(), 3u);
  EXPECT_TRUE(trace_events(out, "response").empty());
  EXPECT_EQ(figure(out, {"invitations_sent"}), 3);
  EXPECT_EQ(figure(out, {"in_flight_at_end"}), 0);
}

TEST(Client, TimeoutsAreRetriedAndEveryLateAnswerIsIgnored) {
  auto out = replay_or_fail(parse_or_fail(slow_function(
      R"({"timeout": "500ms", "retry": {"max_attempts": 2, "base_delay": "100ms"}})")));
  EXPECT_EQ(figure(out, {"routes", "POST /trigger", "requests"}), 3);
  EXPECT_EQ(status_count(out, "POST /trigger", "timeout"), 6);
  EXPECT_EQ(figure(out, {"routes", "POST /trigger", "gave_up"}), 3);
  EXPECT_EQ(trace_events(out, "late_response").size(), 6u);
  // The retry carries the same body: the handler finds the registration, and sends nothing twice.
  EXPECT_EQ(figure(out, {"registrations", "total"}), 3);
  EXPECT_EQ(figure(out, {"invitations_sent"}), 3);
}

TEST(Client, TimeoutLongerThanTheFunctionChangesNothing) {
  auto out = replay_or_fail(parse_or_fail(slow_function(R"({"timeout": "5s"})", "200ms")));
  EXPECT_EQ(status_count(out, "POST /trigger", "200"), 3);
  EXPECT_EQ(status_count(out, "POST /trigger", "timeout"), 0);
  EXPECT_TRUE(trace_events(out, "timeout").empty());
  EXPECT_TRUE(trace_events(out, "late_response").empty());
}

}  // namespace
}  // namespace twin::sim
